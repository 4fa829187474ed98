// Package reader adds what a reader of the archive needs beyond the pages
// themselves: search, citations, a story timeline and a list by title. It
// plugs into the site build through site options, after the annotations
// layer whose passages and notes it uses (see Reader.Options).
//
// # URLs
//
//	/search/                  the search page (layouts/search.html), with
//	                          kind and outlet filters; the static index is
//	                          under /search/ (package search), the client is
//	                          /search.js (layouts/search.js)
//	/timeline/                the story's articles in date order, each with
//	                          the shared passages that first appear in it
//	                          (layouts/timeline.html)
//	/titles/                  every article by title, for browsing without
//	                          JavaScript (layouts/titles.html)
//
// # Citations
//
// Every article gets .Article.Extra.cite, a cite.Set: the formatted
// citation, BibTeX, CSL-JSON and the Google Scholar citation_* meta tags
// (layouts/single.html). Every passage page gets .Data.Extra.Cite: the
// passage cited as the article it first appeared in, at the quote's own
// permalink (…/#q-…). The access date is the article's captured date, or
// else the newest article date of the build: never the clock, so builds are
// reproducible.
//
// # Search documents
//
// One document per article (title; the body's text, subtitle and byline),
// per shared passage (its canonical wording and the other wordings; its
// outlet, for the filter, is the outlet where it first appeared) and per
// editor's note (the note and the words it is about, at the mark's URL
// /articles/<slug>/#n-…).
package reader

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/annotations"
	"github.com/archive-project/archive/cmd/archive/internal/article"
	"github.com/archive-project/archive/cmd/archive/internal/cite"
	"github.com/archive-project/archive/cmd/archive/internal/search"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// Reader holds what one build's hooks share, and what the last build made,
// so that a build redoes only what its changes touch (see state.go). Builds
// are serialised by site.Builder; the mutex covers the hooks of one build.
type Reader struct {
	ann *annotations.Layer

	mu       sync.Mutex
	archive  string                       // the site's title
	newest   dateKey                      // the newest article date: the fallback access date
	build    uint64                       // counts builds (analyze)
	gen      uint64                       // the last generation handed out (see artState)
	arts     map[string]*artState         // by content path, as of the last analysis
	byArt    map[*site.Article]*artState  // the same for this build's articles (cleared after it)
	hasNotes bool                         // some article of the build has editor's notes
	texts    map[*article.Article]docText // article documents' text, kept while unchanged
	titles   pageMemo                     // /titles/
	timeline pageMemo                     // /timeline/
	search   pageMemo                     // /search/

	ixMu    sync.Mutex        // covers the index fields, apart from mu (see Docs)
	indexer *search.Indexer   // keeps what it read of each document
	index   map[string][]byte // the last search index built
	deferIx bool              // this build keeps the last index (see files)
}

// New returns the reader features for a site whose passages and notes come
// from ann (nil: articles only).
func New(ann *annotations.Layer) *Reader {
	return &Reader{ann: ann, arts: map[string]*artState{}, byArt: map[*site.Article]*artState{}, texts: map[*article.Article]docText{},
		indexer: search.NewIndexer()}
}

// Options returns the site options that add the reader features. They go
// after the annotation layer's options, so that its analysis runs first.
func (r *Reader) Options() []site.Option {
	if r.ann != nil {
		r.ann.OnPassagePage(r.passageCite)
	}
	return []site.Option{
		site.WithNav(site.NavLink{Title: "Timeline", URL: "timeline/"}, site.NavLink{Title: "Search", URL: "search/"}),
		site.WithSiteAnalysis(r.analyze),
		site.WithPages(r.pages),
		site.WithFiles(r.files),
	}
}

// CiteKey is the name of an article's citations in Article.Extra.
const CiteKey = "cite"

// analyze makes every article's citations. An article's citation is made
// again only when what it reads changed (its entry and cite keys, or the
// archive's title and newest date); the rest costs a map lookup and a
// comparison of a few strings per article.
func (r *Reader) analyze(ctx context.Context, cfg site.Config, arts []*site.Article) error {
	// While the annotation layer answers an edit without finding passages
	// (archive serve), the search index waits for the follow-up build too.
	// Asked before taking r.mu: the layer calls back into r under its lock.
	annPending := r.ann != nil && r.ann.Live() && r.ann.Pending()
	r.ixMu.Lock()
	r.deferIx = r.index != nil && annPending
	r.ixMu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.build++
	var newest time.Time
	for _, a := range arts {
		if a.Date.After(newest) {
			newest = a.Date
		}
	}
	global := cfg.Title != r.archive || dateKeyOf(newest) != r.newest
	r.archive, r.newest = cfg.Title, dateKeyOf(newest)
	r.hasNotes = false
	clear(r.byArt)
	for _, a := range arts {
		st := r.arts[a.Src.Path]
		fresh := st == nil
		if fresh {
			st = &artState{}
			r.arts[a.Src.Path] = st
		}
		ek, ck := entryKeyOf(a), citeKeyOf(a)
		entryChanged := fresh || ek != st.entry
		if entryChanged {
			st.entry, st.eg = ek, r.next()
		}
		if entryChanged || global || ck != st.cite {
			w := Work(a, cfg.Title, newest)
			if fresh || !sameWork(st.work, w) {
				s, err := w.All()
				if err != nil {
					return fmt.Errorf("%s: citation: %w", a.Src.Path, err)
				}
				set, err := newCiteSet(s)
				if err != nil {
					return fmt.Errorf("%s: citation: %w", a.Src.Path, err)
				}
				st.set, st.wg, st.extra = set, r.next(), nil
				st.setv = set // boxed once, not per build
			}
			st.work, st.cite = w, ck
		}
		st.seen = r.build
		r.byArt[a] = st
		r.hasNotes = r.hasNotes || len(a.Src.Meta.Notes) > 0
		switch {
		case a.Extra != nil:
			a.Extra[CiteKey] = st.setv
		case len(st.extra) == 1:
			// The map of the last build, unless a later analysis added
			// to it; the key is set again in case one replaced it.
			st.extra[CiteKey] = st.setv
			a.Extra = st.extra
		default:
			st.extra = map[string]any{CiteKey: st.setv}
			a.Extra = st.extra
		}
	}
	if len(r.arts) > len(arts) { // articles went away
		for p, st := range r.arts {
			if st.seen != r.build {
				delete(r.arts, p)
			}
		}
	}
	return ctx.Err()
}

// Work is what a citation of a says: the original (author, title, outlet,
// date, source URL) and the archived copy (archive, permalink, access
// date). The access date is the captured date, else fallback.
func Work(a *site.Article, archive string, fallback time.Time) cite.Work {
	w := cite.Work{ID: a.ID, Title: a.Title, Authors: cite.SplitAuthors(a.Author), Date: a.Date,
		SourceURL: a.SourceURL, Permalink: a.Permalink, Accessed: fallback, Archive: archive}
	if a.Outlet != nil {
		w.Outlet = a.Outlet.Name
	}
	if c := a.Src.Meta.Captured; !c.IsZero() {
		w.Accessed = c
	}
	return w
}

// PassageCite is the .Data.Extra of a passage page.
type PassageCite struct {
	Cite   cite.Set
	Title  string // the article cited: where the passage first appeared
	URL    string // the quote in it
	Outlet string
	// SameDay names the other articles that carry the passage on the same
	// day, when a bare date leaves unknown which came first.
	SameDay []string

	fp []byte // see AppendFingerprint
}

// passageCite cites a passage as the article it first appeared in, at the
// quote's permalink. The annotation layer keeps the result and asks again
// only when something it may read changed (see annotations.OnPassagePage).
func (r *Reader) passageCite(p annotations.PassageInfo) (any, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	first := p.First()
	a := first.Article
	st := r.byArt[a]
	if st == nil {
		return nil, nil
	}
	w := st.work
	w.Permalink = a.Permalink + "#" + first.Mark
	w.ID = a.ID + "#" + first.Mark
	set, err := w.All()
	if err != nil {
		return nil, fmt.Errorf("passage %s: citation: %w", p.ID, err)
	}
	pc := &PassageCite{Cite: set, Title: a.Title, URL: a.URL + "#" + first.Mark}
	if a.Outlet != nil {
		pc.Outlet = a.Outlet.Name
	}
	seen := map[*site.Article]bool{a: true}
	for _, o := range p.Occurrences {
		if b := o.Article; !seen[b] && sameDayUnsure(a.Date, b.Date) {
			seen[b] = true
			name := b.Title
			if b.Outlet != nil {
				name = b.Outlet.Name
			}
			pc.SameDay = append(pc.SameDay, name)
		}
	}
	pc.AppendFingerprint(nil) // made now, not while the site reads it
	return pc, nil
}

// Docs returns the search documents of a build: articles, passages and notes.
func (r *Reader) Docs(sd *site.SiteData) []search.Doc {
	// r.mu covers the text cache only: the annotation layer's accessors
	// take its own lock, which it holds while it calls passageCite.
	r.mu.Lock()
	docs := make([]search.Doc, 0, len(sd.Articles))
	texts := make(map[*article.Article]docText, len(sd.Articles))
	for _, a := range sd.Articles {
		t, ok := r.texts[a.Src]
		if !ok || t.subtitle != a.Subtitle || t.author != a.Author {
			// The same string while unchanged: the indexer compares texts.
			t = docText{subtitle: a.Subtitle, author: a.Author,
				text: joinNonEmpty("\n", PlainText(a.Src.Body), a.Subtitle, a.Author)} // the snippet is the text's start
		}
		texts[a.Src] = t
		d := search.Doc{URL: a.URL, Title: a.Title, Kind: search.Article, Date: a.Date, Text: t.text}
		if a.Outlet != nil {
			d.Outlet = a.Outlet.Name
		}
		docs = append(docs, d)
	}
	r.texts = texts
	r.mu.Unlock()
	if r.ann == nil {
		return docs
	}
	for _, p := range r.ann.Passages() {
		first := p.First()
		d := search.Doc{URL: p.URL, Title: "“" + annotations.Clip(p.Canonical, 100) + "”", Kind: search.Passage,
			Date: first.Article.Date, Text: p.Canonical}
		if first.Article.Outlet != nil {
			d.Outlet = first.Article.Outlet.Name
		}
		seen := map[string]bool{p.Canonical: true}
		for _, o := range p.Occurrences {
			if !seen[o.Text] {
				seen[o.Text] = true
				d.Text += "\n" + o.Text
			}
		}
		docs = append(docs, d)
	}
	for _, n := range r.ann.Notes() {
		a := n.Article
		d := search.Doc{URL: a.URL + "#" + n.Mark, Title: "Editor's note on “" + annotations.Clip(a.Title, 80) + "”", Kind: search.Note,
			Date: a.Date, Text: PlainText([]byte(n.Note)) + "\n“" + n.Quote + "”"}
		if a.Outlet != nil {
			d.Outlet = a.Outlet.Name
		}
		docs = append(docs, d)
	}
	return docs
}

// SearchPage is the .Data of /search/ (layouts/search.html).
type SearchPage struct {
	Search search.Page
}

// pages adds /search/, /timeline/ and /titles/. Each is made again only
// when what it shows changed, and carries the fingerprint of that as its
// Inputs, so the site does not encode its Data either.
func (r *Reader) pages(sd *site.SiteData) ([]site.ExtraPage, error) {
	var passages []annotations.PassageInfo
	if r.ann != nil {
		passages = r.ann.Passages() // before r.mu: the layer calls into r under its lock
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	arts := r.articlesKey(sd)

	sp, _, spIn := r.search.get("search", r.searchKey(sd, passages), func() (any, string) {
		return r.searchPage(sd, passages), ""
	})
	pk := newFP()
	pk.u64(arts)
	pk.u64(r.passagesKey(passages))
	tl, tlDesc, tlIn := r.timeline.get("timeline", pk.sum(), func() (any, string) {
		tl := r.timeline1(sd, passages)
		return tl, fmt.Sprintf("The %d archived articles in date order, and where each of %d shared passages first appeared.", len(sd.Articles), tl.Passages)
	})
	ti, tiDesc, tiIn := r.titles.get("titles", arts, func() (any, string) {
		return Titles(sd), fmt.Sprintf("All %d archived articles, by title.", len(sd.Articles))
	})
	return []site.ExtraPage{
		{Path: "search/index.html", Kind: "search", Title: "Search",
			Description: "Search the archive's articles, shared passages and editor's notes.", Data: sp, Inputs: spIn},
		{Path: "timeline/index.html", Kind: "timeline", Title: "Timeline", Description: tlDesc, Data: tl, Inputs: tlIn},
		{Path: "titles/index.html", Kind: "titles", Title: "Articles by title", Description: tiDesc, Data: ti, Inputs: tiIn},
	}, nil
}

// searchPage is the .Data of /search/. What it shows of the documents is
// which kinds there are and the outlets, so it is made from one document
// per kind and outlet: the outlets of passages and notes are those of
// articles of the build, and every note of an article's front matter is
// placed, or the build fails (package annotations). r.mu is held.
func (r *Reader) searchPage(sd *site.SiteData, passages []annotations.PassageInfo) SearchPage {
	var docs []search.Doc
	if len(sd.Articles) > 0 {
		docs = append(docs, search.Doc{Kind: search.Article})
	}
	if r.ann != nil && len(passages) > 0 {
		docs = append(docs, search.Doc{Kind: search.Passage})
	}
	if r.ann != nil && r.hasNotes {
		docs = append(docs, search.Doc{Kind: search.Note})
	}
	for _, o := range sd.Outlets {
		if len(o.Articles) > 0 {
			docs = append(docs, search.Doc{Kind: search.Article, Outlet: o.Name})
		}
	}
	home := sd.Home
	sp := SearchPage{Search: search.NewPage(docs, home+"search/", home+"search.js",
		search.Choice{Value: home + "titles/", Label: "articles by title"},
		search.Choice{Value: home + "#outlets", Label: "by outlet"},
		search.Choice{Value: home + "timeline/", Label: "by date"},
	)}
	if r.ann != nil {
		sp.Search.Browse = append(sp.Search.Browse, search.Choice{Value: home + "passages/", Label: "shared passages"})
	}
	return sp
}

// searchKey fingerprints what searchPage reads; r.mu is held.
func (r *Reader) searchKey(sd *site.SiteData, passages []annotations.PassageInfo) uint64 {
	f := newFP()
	f.str(sd.Home)
	flag := func(b bool) {
		if b {
			f.u64(1)
		} else {
			f.u64(0)
		}
	}
	flag(r.ann != nil)
	flag(len(sd.Articles) > 0)
	flag(len(passages) > 0)
	flag(r.hasNotes)
	for _, o := range sd.Outlets {
		if len(o.Articles) > 0 {
			f.str(o.Name)
		}
	}
	return f.sum()
}

// files publishes the search index. It is built again only when the
// documents changed, reading only the changed ones (search.Indexer), and
// not at all in a build that answers an edit at once (deferIx): the
// follow-up build brings it up to date.
func (r *Reader) files(sd *site.SiteData) (map[string][]byte, error) {
	// The build's last hook: let go of its articles.
	defer func() {
		r.mu.Lock()
		clear(r.byArt)
		r.mu.Unlock()
	}()
	r.ixMu.Lock()
	defer r.ixMu.Unlock()
	if r.deferIx {
		return r.index, nil
	}
	files, err := r.indexer.Build(r.Docs(sd)) // the last files when no document changed
	if err != nil {
		return nil, err
	}
	r.index = files
	return files, nil
}

// docText is the text of an article's search document.
type docText struct {
	subtitle, author string // besides the body, which a.Src fixes
	text             string
}

// TitlesPage is the .Data of /titles/ (layouts/titles.html).
type TitlesPage struct {
	Groups []TitleGroup
}

// TitleGroup is the articles whose titles start with one letter.
type TitleGroup struct {
	Letter   string
	ID       string // element id, "t-a"
	Articles []Entry
}

// Entry is an article in a list.
type Entry struct {
	Title, URL        string
	Outlet, OutletURL string
	Date              time.Time
}

func entry(a *site.Article) Entry {
	e := Entry{Title: a.Title, URL: a.URL, Date: a.Date}
	if a.Outlet != nil {
		e.Outlet, e.OutletURL = a.Outlet.Name, a.Outlet.URL
	}
	return e
}

// Titles lists the articles by title (ignoring case and leading quotes),
// grouped by first letter.
func Titles(sd *site.SiteData) TitlesPage {
	arts := append([]*site.Article(nil), sd.Articles...)
	key := func(a *site.Article) string {
		return strings.ToLower(strings.TrimLeft(a.Title, "\"'“‘«([ "))
	}
	sort.SliceStable(arts, func(i, j int) bool {
		ki, kj := key(arts[i]), key(arts[j])
		if ki != kj {
			return ki < kj
		}
		return arts[i].URL < arts[j].URL
	})
	var tp TitlesPage
	for _, a := range arts {
		letter := "#"
		for _, c := range key(a) {
			if c >= 'a' && c <= 'z' {
				letter = strings.ToUpper(string(c))
			}
			break
		}
		if n := len(tp.Groups); n == 0 || tp.Groups[n-1].Letter != letter {
			id := "t-" + strings.ToLower(letter)
			if letter == "#" {
				id = "t-other"
			}
			tp.Groups = append(tp.Groups, TitleGroup{Letter: letter, ID: id})
		}
		g := &tp.Groups[len(tp.Groups)-1]
		g.Articles = append(g.Articles, entry(a))
	}
	return tp
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// sameWork reports whether two works cite alike (Work holds a slice, so it
// is not comparable with ==). Dates compare with their zones, which the
// citations show.
func sameWork(a, b cite.Work) bool {
	if len(a.Authors) != len(b.Authors) {
		return false
	}
	for i := range a.Authors {
		if a.Authors[i] != b.Authors[i] {
			return false
		}
	}
	a.Authors, b.Authors = nil, nil
	return a.ID == b.ID && a.Title == b.Title && a.Outlet == b.Outlet && dateKeyOf(a.Date) == dateKeyOf(b.Date) &&
		a.SourceURL == b.SourceURL && a.Permalink == b.Permalink && dateKeyOf(a.Accessed) == dateKeyOf(b.Accessed) && a.Archive == b.Archive
}

// citeSet is an article's citations as layouts see them (.Extra.cite: the
// fields of cite.Set), with the fingerprint the site takes of an article's
// Extra made once, when the citations are made, instead of every build.
type citeSet struct {
	cite.Set
	fp []byte
}

func newCiteSet(s cite.Set) (citeSet, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return citeSet{}, err
	}
	sum := sha256.Sum256(b)
	return citeSet{Set: s, fp: fmt.Appendf(nil, `"%x"`, sum[:8])}, nil // short: the site encodes it every build
}

// AppendFingerprint is the fingerprint (site.Fingerprinter).
func (c citeSet) AppendFingerprint(b []byte) []byte { return append(b, c.fp...) }
