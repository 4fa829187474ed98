package search

import (
	"cmp"
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/archive-project/archive/cmd/archive/internal/article"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// Feature publishes the index and the search page (/search/,
// layouts/search.html) as part of a site build (a site.Feature). Every
// article is a document (its title; its body's text, subtitle and byline);
// WithDocs adds others, such as shared passages and editor's notes.
type Feature struct {
	sources    []DocSource
	browse     []Choice
	deferWhile func() bool

	mu      sync.Mutex
	indexer *Indexer
	texts   map[*article.Article]articleText // by the parsed file, while unchanged
	files   map[string][]byte                // the last index; nil bytes once the site has them (Done)
	keys    map[string]site.Key
	lost    atomic.Bool // a file the site no longer had was asked for: index anew
	early   chan built  // the index of the only build, begun in Early (see there)
	begun   *begin      // of Early, for Analyze
}

// built is an index made in the background.
type built struct {
	files map[string][]byte
	err   error
}

// articleText is what an article's document reads of its file.
type articleText struct {
	key         uint64 // of the text
	text        string
	sub, byline string
}

// A FeatureOption changes a search Feature.
type FeatureOption func(*Feature)

// DocSource gives search documents beside the articles (package
// annotations: shared passages and editor's notes).
type DocSource interface {
	// SearchDocs returns the documents of a build.
	SearchDocs(s *site.Site) []Doc
	// SearchKinds returns the kinds of those documents, at less cost:
	// the search page offers them in its filter even in a build that
	// keeps the last index (WithDeferWhile).
	SearchKinds(s *site.Site) []string
}

// WithDocs adds the documents of src to the index, beside the articles.
func WithDocs(src DocSource) FeatureOption {
	return func(f *Feature) { f.sources = append(f.sources, src) }
}

// WithBrowse adds links that the search page offers readers without
// JavaScript; a Choice's Value is a URL relative to the site root
// ("titles/", "#outlets").
func WithBrowse(c ...Choice) FeatureOption {
	return func(f *Feature) { f.browse = append(f.browse, c...) }
}

// WithDeferWhile keeps the last index while wait reports true: `archive
// serve` answers an edit at once, before the shared passages are found
// again, and indexes in the follow-up build.
func WithDeferWhile(wait func() bool) FeatureOption {
	return func(f *Feature) { f.deferWhile = wait }
}

// NewFeature returns the search feature.
func NewFeature(opts ...FeatureOption) *Feature {
	f := &Feature{indexer: NewIndexer(), texts: map[*article.Article]articleText{}}
	for _, o := range opts {
		o(f)
	}
	return f
}

// Nav links the search page from every page (site.NavFeature).
func (f *Feature) Nav() []site.NavLink { return []site.NavLink{{Title: "Search", URL: "search/"}} }

// Early begins the index of the only build of its site (archive build,
// site.Site.Only) while the features analyse the site
// (site.EarlyFeature): it reads and tokenises the articles, most of an
// index's work, while annotations finds the shared passages, whose later
// stages leave a core partly idle. Analyze adds the passages' and notes'
// documents once they are known. Other builds make the index in Emit, as
// they may keep the last one (WithDeferWhile) or patch it.
func (f *Feature) Early(s *site.Site) func(ctx context.Context) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.early, f.begun = nil, nil
	if !s.Only() || bodyBytes(s) > earlyUpTo {
		return nil
	}
	st := &begin{done: make(chan struct{}), x: NewIndexer(WithOneBuild())}
	f.begun = st
	docs := f.articleDocs(s, st.fail)
	return func(ctx context.Context) { st.read(ctx, docs) }
}

// earlyUpTo is how many bytes of article bodies a site may have for Early
// to read them while the passages are found. What the index holds of the
// articles (their postings, terms and snippets) is then held at the
// finder's peak too: about as many bytes as the bodies. 100,000 articles
// (574 MB of bodies) peaked at 2.47 GB instead of 1.88 (frames-100000),
// over the 2 GB the build keeps to; 10,000 (61 MB) no higher than
// without. Over it the index is made beside the pages only, as before.
const earlyUpTo = 128 << 20

// bodyBytes is the size of the site's article bodies, as loaded.
func bodyBytes(s *site.Site) int {
	n := 0
	for _, a := range s.Articles {
		n += len(a.Src.Body)
	}
	return n
}

// begin is the index Early began.
type begin struct {
	done chan struct{} // closed when Begin returned
	x    *Indexer
	err  error

	mu      sync.Mutex
	loadErr error // the first body that could not be read again
}

// read begins the index with the articles' docs (Indexer.Begin); b.done
// is closed when it is over.
func (b *begin) read(ctx context.Context, docs []Doc) {
	defer close(b.done)
	for i, d := range docs {
		if d.Load != nil { // a build that failed reads no more bodies
			docs[i].Load = func(dst []byte) []byte {
				if ctx.Err() != nil {
					return dst
				}
				return d.Load(dst)
			}
		}
	}
	b.err = b.x.Begin(ctx, docs)
	if b.err == nil {
		b.err = ctx.Err() // a body not read holds an empty text
	}
}

func (b *begin) fail(err error) {
	b.mu.Lock()
	if b.loadErr == nil {
		b.loadErr = err
	}
	b.mu.Unlock()
}

func (b *begin) loadError() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.loadErr
}

// Analyze finishes the index of the only build beside the pages
// (site.Site.Beside), once the features before it have analysed the site
// (features.go puts annotations, whose passages and notes it indexes,
// first): it runs on the core the page workers leave idle, instead of
// after every other feature's pages. It reads the articles there too
// when Early did not (a site over earlyUpTo). Emit collects it.
func (f *Feature) Analyze(ctx context.Context, s *site.Site) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.early = nil
	st := f.begun
	f.begun = nil
	if !s.Only() {
		return nil
	}
	var articles []Doc
	if st == nil {
		st = &begin{done: make(chan struct{}), x: NewIndexer(WithOneBuild())}
		articles = f.articleDocs(s, st.fail)
	}
	ch := make(chan built, 1)
	f.early = ch
	var docs []Doc
	for _, src := range f.sources {
		docs = append(docs, src.SearchDocs(s)...)
	}
	s.Beside(func(ctx context.Context) {
		if articles != nil {
			st.read(ctx, articles)
		}
		select {
		case <-st.done:
		case <-ctx.Done(): // the build failed; Early's work is stopped after this returns
			ch <- built{nil, ctx.Err()}
			return
		}
		if err := cmp.Or(st.err, st.loadError()); err != nil {
			ch <- built{nil, err}
			return
		}
		files, err := st.x.Finish(ctx, docs)
		err = cmp.Or(err, st.loadError(), ctx.Err()) // the index holds an empty text for a body not read
		ch <- built{files, err}
	})
	return nil
}

// PageData is the .Data of /search/ (layouts/search.html).
type PageData struct {
	Search Page
}

// Emit publishes the search page and the index (site.Feature).
func (f *Feature) Emit(ctx context.Context, s *site.Site, out *site.Emitter) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.early != nil {
		b := <-f.early
		f.early = nil
		if b.err != nil {
			f.indexer, f.texts, f.files = NewIndexer(), map[*article.Article]articleText{}, nil // read everything again next time
			return b.err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		f.setFiles(b.files)
		return f.emit(s, out)
	}
	var docs []Doc
	if f.lost.Swap(false) {
		f.indexer, f.texts, f.files = NewIndexer(), map[*article.Article]articleText{}, nil
	}
	deferred := f.files != nil && f.deferWhile != nil && f.deferWhile()
	if !deferred {
		var loadErr error // the first body that could not be read again
		var loadMu sync.Mutex
		docs = f.docs(s, func(err error) {
			loadMu.Lock()
			if loadErr == nil {
				loadErr = err
			}
			loadMu.Unlock()
		})
		if err := ctx.Err(); err != nil {
			return err
		}
		files, err := f.indexer.BuildContext(ctx, docs)
		if err == nil && loadErr != nil {
			err = loadErr // the index holds an empty text for it
		}
		if err != nil && loadErr == nil && ctx.Err() != nil {
			// Stopped (archive serve's follow-up, for the next edit): the
			// Indexer keeps what it read (a text that failed to load is
			// not kept: it would look read), and the last index stays
			// published until a build writes the next.
			return err
		}
		if err != nil {
			f.indexer, f.texts, f.files = NewIndexer(), map[*article.Article]articleText{}, nil // read everything again next time
			return err
		}
		f.setFiles(files)
	}
	if deferred && s.Incremental() {
		return f.patch(s, out) // the last index, with the edited articles' entries
	}
	return f.emit(s, out)
}

// setFiles makes files the last index.
func (f *Feature) setFiles(files map[string][]byte) {
	keys := make(map[string]site.Key, len(files))
	for p, b := range files {
		if b == nil { // unchanged since a good build (Done): the site has it
			keys[p] = f.keys[p]
			continue
		}
		keys[p] = site.KeyBytes(b)
	}
	f.files, f.keys = files, keys
}

// emit publishes the last index and the search page.
func (f *Feature) emit(s *site.Site, out *site.Emitter) error {
	out.All()
	for _, p := range sortedPaths(f.files) {
		data, key := f.files[p], f.keys[p]
		file := site.FeatureFile{Path: p, Key: key, Data: func() ([]byte, error) { return data, nil }}
		if data == nil {
			// Let go of once the site had it (Done): the site asks for
			// the bytes only when it has not got the file as of key,
			// which the good build that had it rules out. Should it,
			// the next build indexes anew.
			file.Data = func() ([]byte, error) {
				f.lost.Store(true)
				return nil, fmt.Errorf("search: the index file /%s is no longer held: save a file to build the index again", p)
			}
		}
		if err := out.File(file); err != nil {
			return err
		}
	}
	if s.Only() { // each file is held until it is written, then let go of
		f.files, f.keys, f.texts = nil, nil, map[*article.Article]articleText{}
	}
	return f.page(s, out)
}

// Done lets go of the index's files once the build that emitted them is
// good (site.DoneFeature): the site holds them, and a later build reads
// back those it patches (Emitter.Last). archive serve held them all
// between edits and beside each follow-up build's search for passages
// (about 200 MB at 100,000 articles). It forgets an index begun in
// Early and Analyze that Emit did not collect: the build failed.
func (f *Feature) Done(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.early, f.begun = nil, nil
	if err != nil {
		return // the site may not have them: kept for the next build
	}
	for p := range f.files {
		f.files[p] = nil
	}
	f.indexer.LetGo()
}

func sortedPaths(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// docs are the build's search documents: an article's text is read again
// only when its file changed.
// A body that cannot be read again (site.Article.Body) is reported to
// fail, and read as empty.
func (f *Feature) docs(s *site.Site, fail func(error)) []Doc {
	docs := f.articleDocs(s, fail)
	for _, src := range f.sources {
		docs = append(docs, src.SearchDocs(s)...)
	}
	return docs
}

// articleDocs are the documents of the site's articles (see docs).
func (f *Feature) articleDocs(s *site.Site, fail func(error)) []Doc {
	docs := make([]Doc, 0, len(s.Articles))
	texts := make(map[*article.Article]articleText, len(s.Articles))
	for _, a := range s.Articles {
		docs = append(docs, f.articleDoc(a, texts, fail))
	}
	f.texts = texts
	return docs
}

// articleDoc is a's document; its text's key goes in texts.
func (f *Feature) articleDoc(a *site.Article, texts map[*article.Article]articleText, fail func(error)) Doc {
	t, ok := f.texts[a.Src]
	if !ok || t.sub != a.Subtitle || t.byline != a.Author {
		// The text is made of the body, subtitle and byline: the key of
		// those is the key of the text, and the Indexer makes the text
		// only when it reads the document.
		hash := a.ContentHash()
		t = articleText{key: uint64(site.NewHasher().Bytes(hash[:]).String(a.Subtitle, a.Author).Sum()), sub: a.Subtitle, byline: a.Author}
	}
	texts[a.Src] = t
	d := Doc{URL: a.URL, Title: a.Title, Kind: Article, Date: a.Date, TextKey: t.key,
		Load: func(dst []byte) []byte {
			text, err := appendArticleText(dst, a)
			if err != nil {
				fail(err)
			}
			return text
		}}
	if a.Outlet != nil {
		d.Outlet = a.Outlet.Name
	}
	return d
}

// patch updates the last index for a narrow build's edited articles
// while the index waits (WithDeferWhile): Indexer.Patch, whose files it
// emits; the rest of the last index stays. When Patch cannot (an edit
// moved an article in the index's order), the last index stays whole
// until the follow-up build. f.mu is held.
func (f *Feature) patch(s *site.Site, out *site.Emitter) error {
	changed := s.ChangedArticles()
	if len(changed) == 0 {
		return nil
	}
	var loadErr error
	docs := make([]Doc, 0, len(changed))
	for _, a := range changed {
		docs = append(docs, f.articleDoc(a, f.texts, func(err error) { loadErr = cmp.Or(loadErr, err) }))
	}
	files, ok, err := f.indexer.PatchFrom(docs, func(p string) ([]byte, bool) { return out.Last(p, f.keys[p]) })
	if err = cmp.Or(loadErr, err); err != nil {
		f.indexer, f.texts, f.files = NewIndexer(), map[*article.Article]articleText{}, nil // read everything again next time
		return err
	}
	if !ok {
		return nil
	}
	for _, p := range sortedPaths(files) {
		data := files[p]
		f.files[p], f.keys[p] = data, site.KeyBytes(data)
		if err := out.File(site.FeatureFile{Path: p, Key: f.keys[p], Data: func() ([]byte, error) { return data, nil }}); err != nil {
			return err
		}
	}
	return nil
}

// appendArticleText appends the text of an article's document to dst:
// its body's, then its subtitle and byline (the snippet is the text's
// start), those of them that are not blank, trimmed, a newline apart.
// When the body cannot be read it returns dst and the error.
func appendArticleText(dst []byte, a *site.Article) ([]byte, error) {
	body, err := a.Body()
	if err != nil {
		return dst, err
	}
	start := len(dst)
	dst = appendPlainText(dst, body)
	for _, p := range [...]string{a.Subtitle, a.Author} {
		if p = strings.TrimSpace(p); p != "" {
			if len(dst) > start {
				dst = append(dst, '\n')
			}
			dst = append(dst, p...)
		}
	}
	return dst, nil
}

// page emits /search/. What it shows of the documents is which kinds
// there are and the outlets.
func (f *Feature) page(s *site.Site, out *site.Emitter) error {
	var kinds []Doc
	if len(s.Articles) > 0 {
		kinds = append(kinds, Doc{Kind: Article})
	}
	for _, src := range f.sources {
		for _, k := range src.SearchKinds(s) {
			kinds = append(kinds, Doc{Kind: k})
		}
	}
	for _, o := range s.Outlets {
		if len(o.Articles) > 0 {
			kinds = append(kinds, Doc{Kind: Article, Outlet: o.Name})
		}
	}
	var browse []Choice
	for _, c := range f.browse {
		browse = append(browse, Choice{Value: s.URL(c.Value), Label: c.Label})
	}
	pg := PageData{Search: NewPage(kinds, s.URL("search/"), s.URL("search.js"), browse...)}
	h := site.NewHasher().String(pg.Search.Action, pg.Search.IndexURL, pg.Search.ScriptURL)
	for _, l := range [][]Choice{pg.Search.Kinds, pg.Search.Outlets, pg.Search.Browse} {
		h.Int(len(l))
		for _, c := range l {
			h.String(c.Value, c.Label)
		}
	}
	return out.Page(site.FeaturePage{Path: "search/index.html", Kind: "search", Title: "Search",
		Description: "Search the archive's articles, shared passages and editor's notes.", Key: h.Sum(),
		Data: func() (any, error) { return pg, nil }})
}
