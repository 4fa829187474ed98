package annotations

import (
	"context"
	"slices"
	"sort"
	"sync"
	"unsafe"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/util"

	"github.com/archive-project/archive/annotate"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// Feature puts the shared passages and editor's notes on the site (a
// site.Feature). It keeps the passages of the last build; it is used by
// one build at a time, as site.Builder serialises builds.
type Feature struct {
	opts []annotate.Option
	live bool
	md   goldmark.Markdown // renders editor's notes

	mu      sync.RWMutex // Analyze writes; the build's page workers read
	ix      *Index
	read    map[string]site.Key // what FindPassages read of each article, by content path
	pending bool                // the last build carried passages over (live)
	// finding is closed when the FindPassages of a stopped build has
	// returned (see find); nil when none is left running.
	finding chan struct{}

	// Of the last analysis.
	s     *site.Site
	info  map[*Passage]*passInfo // keys and links of each passage
	akeys map[string]site.Key    // what each article's additions show, by content path, as of the last good build
	// What this build's articles' additions show, made Analyze and kept
	// by Done once the build is good: all of them (a wide build's), or
	// those a narrow build looked at.
	nextKeys map[string]site.Key
	someKeys map[string]site.Key
	unshown  bool                  // the build settled what a failed build never showed
	chain    map[string]neighbours // each annotated article's place in the JSON-LD pages
	first    map[*site.Article][]*Passage
	outlets  map[*site.Outlet]site.Related
	pageKeys map[string]site.Key // the keys of the pages emitted in the last build
	touched  []*Passage          // a narrow build's: the passages of the edited articles
}

// neighbours are the annotated articles before and after one, whose
// JSON-LD pages link each other (AnnotationPage prev and next).
type neighbours struct{ prev, next string }

// New returns the feature; opts tune annotate.Find.
func New(opts ...annotate.Option) *Feature {
	return &Feature{opts: opts, md: noteMarkdown()}
}

// NewLive returns the feature for `archive serve`: an edit to a few
// articles is answered without finding passages again, carrying them over
// to the new text (Index.Update), and the follow-up build that Pending
// asks for finds them anew, so a save shows at once and the marks are
// exact a moment later.
func NewLive(opts ...annotate.Option) *Feature {
	f := New(opts...)
	f.live = true
	return f
}

// Pending reports whether the last build carried passages over instead of
// finding them (site.PendingFeature).
func (f *Feature) Pending() bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.pending
}

// Live reports whether the feature was made by NewLive.
func (f *Feature) Live() bool { return f.live }

// Nav links the timeline from every page (site.NavFeature).
func (f *Feature) Nav() []site.NavLink {
	return []site.NavLink{{Title: "Timeline", URL: "timeline/"}}
}

// noteMarkdown renders an editor's note, which stands inside a <span> in
// the article's paragraph: inline Markdown (emphasis, code, links) and
// paragraphs only, which inlineHTML flattens. Block syntax (headings,
// lists, quotes, code blocks, rules, HTML blocks) stays text, since a
// block element in a paragraph is invalid HTML that browsers restructure.
func noteMarkdown() goldmark.Markdown {
	return goldmark.New(goldmark.WithParser(parser.NewParser(
		parser.WithBlockParsers(util.Prioritized(noteParagraph{parser.NewParagraphParser()}, 1000)),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
	)))
}

// noteParagraph is goldmark's paragraph parser that also takes indented
// lines, which would otherwise be left to the code block parser that
// notes do without, and be lost.
type noteParagraph struct{ parser.BlockParser }

func (noteParagraph) CanAcceptIndentedLine() bool { return true }

// maxCarried is how many edited articles one build carries passages over
// for; a larger change (a git checkout) finds them again at once.
const maxCarried = 8

// Analyze finds the passages of the site's articles, unless nothing they
// depend on changed since the last build, and works out which pages the
// change reaches (site.Feature).
func (f *Feature) Analyze(ctx context.Context, s *site.Site) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	narrow := s.Incremental() && f.ix != nil
	var read map[string]site.Key // what FindPassages reads of each article
	var changed []*site.Article  // whose text, date, outlet or seed changed
	same := f.ix != nil && !s.Full()
	if narrow {
		// Only the edited articles' text changed (site.Site.Incremental).
		read = f.read
		for _, a := range s.ChangedArticles() {
			if k := docKey(a); k != read[a.Src.Path] {
				changed = append(changed, a)
			}
		}
	} else {
		read = make(map[string]site.Key, len(s.Articles))
		same = same && len(f.read) == len(s.Articles)
		for _, a := range s.Articles {
			k := docKey(a)
			read[a.Src.Path] = k
			if old, ok := f.read[a.Src.Path]; !ok || old != k {
				same = same && ok
				changed = append(changed, a)
			}
		}
	}
	switch {
	case same && len(changed) == 0 && !f.pending:
		// Nothing FindPassages reads changed.
	case same && f.live && len(changed) > 0 && len(changed) <= maxCarried && f.carryOver(s, changed):
		// Edits in a row are all carried over; the follow-up build (no
		// change, pending) finds the passages once they stop.
		f.pending = true
	default:
		wasPending := f.pending
		// The bodies are read once the last stopped FindPassages, which
		// holds its own, has let go of them: not two sets at once.
		err := f.waitFinding(ctx)
		var docs []Doc
		if err == nil {
			// A later build reads each body when FindPassages needs it:
			// the site let go of them after the last build
			// (site.Builder's dropBodies), and none is held all
			// through Find. The first holds them all while features
			// analyze, so reading them once is cheaper.
			docs, err = docsOf(ctx, s.Articles, f.ix != nil)
		}
		var ix *Index
		if err == nil {
			ix, err = f.find(ctx, docs)
		}
		if err != nil {
			if ctx.Err() != nil && wasPending {
				// A follow-up build stopped for the next edit (archive
				// serve): the carried-over passages stand, still pending.
				f.read = read
				return err
			}
			return err
		}
		f.ix, f.pending = ix, false
		if narrow {
			s.Widen() // new passages may reach any page
			narrow = false
		}
	}
	if narrow {
		for _, a := range changed {
			read[a.Src.Path] = docKey(a)
		}
		f.s = s
		f.settleSome(s, changed)
		return ctx.Err()
	}
	f.read = read
	f.s = s
	f.settle(s)
	f.touched = nil
	return ctx.Err()
}

// Done keeps what the build's pages show of each article when the build
// is good (site.DoneFeature). When it failed or was stopped (archive
// serve stops a follow-up build for the next edit), nobody saw them: the
// next build compares with what the last good build showed, and finds
// the passages again (pending), so that it renders every page this one
// would have changed.
func (f *Feature) Done(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.unshown {
		return
	}
	if err == nil {
		if f.nextKeys != nil {
			f.akeys = f.nextKeys
		}
		if f.akeys == nil {
			f.akeys = map[string]site.Key{}
		}
		for p, k := range f.someKeys {
			f.akeys[p] = k
		}
	} else {
		f.pending = true
	}
	f.nextKeys, f.someKeys, f.unshown = nil, nil, false
}

// find runs FindPassages, and returns as soon as ctx is done: Find stops
// at its next check of ctx (seconds later at 100,000 articles, in a serial
// step), in the background, while archive serve answers the edit that
// stopped the build. The next call waits for it first, so that two never
// hold their memory at once; f.mu is held.
func (f *Feature) find(ctx context.Context, docs []Doc) (*Index, error) {
	if err := f.waitFinding(ctx); err != nil {
		return nil, err
	}
	done := make(chan struct{})
	var ix *Index
	var err error
	go func() {
		defer close(done)
		ix, err = findPassages(ctx, docs, append(slices.Clip(f.opts), annotate.WithContext(ctx)))
	}()
	select {
	case <-done:
		return ix, err
	case <-ctx.Done():
		f.finding = done
		return nil, ctx.Err()
	}
}

// Wait returns when the FindPassages of a stopped build, if any, has
// returned (site.WaitFeature): archive serve waits for it before it exits.
// No build may be running.
func (f *Feature) Wait() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.waitFinding(context.Background())
}

// waitFinding waits for the FindPassages of a stopped build to return
// (see find); f.mu is held.
func (f *Feature) waitFinding(ctx context.Context) error {
	if f.finding != nil {
		select {
		case <-f.finding:
			f.finding = nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// docKey covers what FindPassages reads of an article (see docOf).
func docKey(a *site.Article) site.Key {
	k := struct {
		content      [32]byte
		bodyLine     int
		outlet, seed string
	}{a.ContentHash(), a.Src.BodyLine, outletName(a), seedSum(a)}
	return site.NewHasher().Key(site.KeyOf(k)).Time(a.Date).Sum()
}

// docsOf is the documents of arts. With lazy, FindPassages reads each
// body when it needs it (Doc.Read: a body is read again from its file,
// site.Article.Body, a few times, and never all held at once); else each
// is read now. It stops as soon as ctx is done: archive serve stops a
// follow-up build for the next edit. The error is the lowest article's.
func docsOf(ctx context.Context, arts []*site.Article, lazy bool) ([]Doc, error) {
	docs := make([]Doc, len(arts))
	for i, a := range arts {
		if i%256 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if lazy {
			docs[i] = lazyDocOf(a)
			continue
		}
		var err error
		if docs[i], err = docOf(a); err != nil {
			return nil, err
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return docs, nil
}

// lazyDocOf is a's document, whose body is read when it is needed.
func lazyDocOf(a *site.Article) Doc {
	d := Doc{Key: a.Src.Path, BodyLine: a.Src.BodyLine, Date: a.Date, Notes: a.Src.Meta.Notes,
		Read: func() (string, error) {
			body, err := a.Body()
			return bodyString(body), err
		}}
	if a.Outlet != nil {
		d.Outlet = a.Outlet.Name
	}
	if a.Seed != nil {
		d.Seed = a.Seed.Bytes()
	}
	return d
}

func docOf(a *site.Article) (Doc, error) {
	d := lazyDocOf(a)
	body, err := d.Read()
	if err != nil {
		return Doc{}, err
	}
	d.Body, d.Read = body, nil
	return d, nil
}

// bodyString is a body as a string, without a copy: nobody changes the
// bytes of a body read (a file read again is parsed anew). Passages keep
// copies of their wordings, not substrings of the bodies (FindPassages),
// so that the bodies go once the build is over.
func bodyString(body []byte) string {
	return unsafe.String(unsafe.SliceData(body), len(body))
}

func outletName(a *site.Article) string {
	if a.Outlet == nil {
		return ""
	}
	return a.Outlet.Name
}

func seedSum(a *site.Article) string {
	if a.Seed == nil {
		return ""
	}
	return a.Seed.SHA256
}

// carryOver updates the index for articles whose text alone changed, and
// reports whether it could: not when their dates, outlets or seeds
// changed, or an edit removed a shared passage's words. On false the index
// may hold some updated articles; the caller finds the passages anew.
func (f *Feature) carryOver(s *site.Site, changed []*site.Article) bool {
	for _, a := range changed {
		prev := f.s.Article(a.Src.Path)
		if prev == nil || !prev.Date.Equal(a.Date) || outletName(prev) != outletName(a) || seedSum(prev) != seedSum(a) {
			return false
		}
		d, err := docOf(a)
		if err != nil {
			return false // the full build reports it
		}
		if err := f.ix.Update(d); err != nil {
			return false // a note error is reported by the full build
		}
	}
	return true
}

// passInfo is what the build knows of a passage before its pages.
type passInfo struct {
	key      site.Key // what a note on any of its occurrences shows of it
	links    []site.Link
	linked   int // occurrences in articles of this build (links not empty)
	wordings int // distinct wordings
	html     noteHTML
}

// settle computes what this build's pages show of each passage and
// article, and tells the site which of them changed beyond the edited
// articles (site.Site.Invalidate); f.mu is held.
func (f *Feature) settle(s *site.Site) {
	ix := f.ix
	info := make(map[*Passage]*passInfo, len(ix.Passages))
	for _, p := range ix.Passages {
		info[p] = f.passageInfo(s, p)
	}
	f.info = info
	// Each annotated article's neighbours in the JSON-LD pages.
	chain := make(map[string]neighbours, len(s.Articles))
	var last string
	for _, a := range s.Articles {
		if !f.annotated(a) {
			continue
		}
		if last != "" {
			n := chain[last]
			n.next = a.Src.Path
			chain[last] = n
		}
		chain[a.Src.Path] = neighbours{prev: last}
		last = a.Src.Path
	}
	f.chain = chain
	akeys := make(map[string]site.Key, len(s.Articles))
	for _, a := range s.Articles {
		k := f.articleKey(s, a)
		akeys[a.Src.Path] = k
		if old, ok := f.akeys[a.Src.Path]; ok && old != k && !s.Changed(a) {
			s.Invalidate(a)
			if a.Seed != nil {
				s.InvalidateSeed(a.Seed)
			}
		} else if s.Changed(a) && a.Seed != nil {
			s.InvalidateSeed(a.Seed)
		}
	}
	f.nextKeys, f.unshown = akeys, true
	// Where each passage first appeared (the timeline), and each outlet's
	// passages.
	first := map[*site.Article][]*Passage{}
	for _, p := range ix.Passages {
		if a := f.firstArticle(s, p); a != nil {
			first[a] = append(first[a], p)
		}
	}
	f.first = first
	f.outlets = f.outletPassages(s)
}

// settleSome is settle for a narrow build (site.Site.Incremental), whose
// edited articles kept their passages (carried over, Index.Update): what
// changed is the passages they hold (their texts) and what the articles
// that share them show; f.mu is held.
func (f *Feature) settleSome(s *site.Site, changed []*site.Article) {
	f.touched = f.touched[:0]
	seen := map[*Passage]bool{}
	for _, a := range changed {
		if r := f.ix.Docs[a.Src.Path]; r != nil {
			for _, o := range r.Occs {
				if !seen[o.P] {
					seen[o.P] = true
					f.touched = append(f.touched, o.P)
					f.info[o.P] = f.passageInfo(s, o.P)
				}
			}
		}
	}
	sort.Slice(f.touched, func(i, j int) bool { return f.touched[i].Rank < f.touched[j].Rank })
	f.someKeys, f.unshown = map[string]site.Key{}, true
	check := func(a *site.Article) {
		k := f.articleKey(s, a)
		if old, ok := f.akeys[a.Src.Path]; ok && old != k && !s.Changed(a) {
			s.Invalidate(a)
		}
		f.someKeys[a.Src.Path] = k
	}
	done := map[string]bool{}
	for _, a := range changed {
		done[a.Src.Path] = true
		check(a)
	}
	for _, p := range f.touched {
		for _, d := range p.Docs {
			if a := s.Article(d); a != nil && !done[d] {
				done[d] = true
				check(a)
			}
		}
	}
}

// annotated reports whether a has annotations: occurrences or notes.
func (f *Feature) annotated(a *site.Article) bool {
	r := f.ix.Docs[a.Src.Path]
	return r != nil && (len(r.Occs) > 0 || len(r.Notes) > 0)
}

// passageInfo computes what notes show of p: the link to each occurrence
// from another article, and a key of all of it.
func (f *Feature) passageInfo(s *site.Site, p *Passage) *passInfo {
	pi := &passInfo{links: make([]site.Link, len(p.Occs))}
	h := site.NewHasher().String(p.ID, string(p.Class), p.Canonical).Int(len(p.Occs))
	texts := map[string]bool{}
	for i, o := range p.Occs {
		occ := p.Occurrences[o.N]
		if !texts[occ.Text] {
			texts[occ.Text] = true
		}
		a := s.Article(o.Doc)
		if a == nil {
			continue
		}
		name := a.Title
		if a.Outlet != nil {
			name = a.Outlet.Name
		}
		if o.InComments {
			name += " (a reader comment)"
		}
		pi.links[i] = site.Link{Text: name, URL: a.URL + "#" + o.ID}
		pi.linked++
		h.String(o.Doc, o.ID, name, pi.links[i].URL).Bool(o.InComments).Float(occ.Similarity)
	}
	pi.wordings = len(texts)
	pi.key = h.Int(pi.wordings).Sum()
	return pi
}

// articleKey covers what a's additions show: its occurrences and the
// passages they belong to, its notes, the articles it shares passages
// with, and its neighbours in the JSON-LD pages.
func (f *Feature) articleKey(s *site.Site, a *site.Article) site.Key {
	hash := a.ContentHash()
	h := site.NewHasher().String(a.Src.Path, a.URL, a.Permalink, a.Title).Bytes(hash[:])
	r := f.ix.Docs[a.Src.Path]
	if r == nil {
		return h.Sum()
	}
	for _, o := range r.Occs {
		h.String(o.ID).Int(o.Start).Int(o.End).Int(o.N).Key(f.info[o.P].key).Bool(o.Quoted).Int(o.SeedLines[0]).Int(o.SeedLines[1])
	}
	for _, n := range r.Notes {
		h.String(n.ID, n.Note.Note).Int(n.Start).Int(n.End)
	}
	h.Int(r.MoreShares)
	for _, sh := range r.Shares {
		h.String(sh.Doc).Int(sh.Passages)
		if o := s.Article(sh.Doc); o != nil {
			h.Key(o.LinkKey())
		}
	}
	n := f.chain[a.Src.Path]
	h.String(n.prev, n.next)
	for _, p := range []string{n.prev, n.next} {
		if o := s.Article(p); o != nil {
			h.String(o.Permalink)
		}
	}
	return h.Sum()
}

// firstArticle is the article where p first appeared: its earliest
// occurrence by date, else its first listed.
func (f *Feature) firstArticle(s *site.Site, p *Passage) *site.Article {
	n := 0
	if p.Earliest >= 0 {
		n = p.Earliest
	}
	for _, o := range p.Occs {
		if o.N == n {
			return s.Article(o.Doc)
		}
	}
	return nil
}

// maxOutletPassages is how many passages an outlet's page lists; the
// rest are counted, and /passages/ lists them all.
const maxOutletPassages = 20

// outletPassages lists, for each outlet, the passages its articles carry,
// most widely shared first.
func (f *Feature) outletPassages(s *site.Site) map[*site.Outlet]site.Related {
	out := map[*site.Outlet]site.Related{}
	var seen []*site.Outlet
	for _, p := range f.ix.Passages {
		seen = seen[:0]
		for _, d := range p.Docs {
			a := s.Article(d)
			if a == nil || a.Outlet == nil || slices.Contains(seen, a.Outlet) {
				continue
			}
			seen = append(seen, a.Outlet)
			r := out[a.Outlet]
			if len(r.Links) == maxOutletPassages {
				r.More++
			} else {
				r.Links = append(r.Links, f.passageLink(s, p))
			}
			out[a.Outlet] = r
		}
	}
	return out
}

// passageLink is a link to p's page, as lists show it.
func (f *Feature) passageLink(s *site.Site, p *Passage) site.Link {
	return site.Link{Text: Clip(p.Canonical, 160), URL: passageURL(s, p), Detail: plural(p.Outlets, "outlet", "outlets"),
		Class: "passage-" + string(p.Class)}
}

func passageURL(s *site.Site, p *Passage) string { return s.URL("passages/" + p.ID + "/") }

// Outlet lists the passages an outlet's articles share (site.OutletFeature).
func (f *Feature) Outlet(s *site.Site, o *site.Outlet) (site.OutletAdditions, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return site.OutletAdditions{Related: f.outlets[o]}, nil
}

// Seed links the lines of a raw seed that hold occurrences to their
// passages (site.SeedFeature).
func (f *Feature) Seed(s *site.Site, sd *site.Seed) (site.SeedAdditions, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	var occs []*Occ
	for _, a := range sd.Articles {
		if r := f.ix.Docs[a.Src.Path]; r != nil {
			for _, o := range r.Occs {
				if o.SeedLines[0] > 0 {
					occs = append(occs, o)
				}
			}
		}
	}
	// By line; on one line, most widely shared passage first.
	sort.SliceStable(occs, func(i, j int) bool {
		a, b := occs[i], occs[j]
		if a.SeedLines[0] != b.SeedLines[0] {
			return a.SeedLines[0] < b.SeedLines[0]
		}
		if a.P.Rank != b.P.Rank {
			return a.P.Rank < b.P.Rank
		}
		return a.N < b.N
	})
	var add site.SeedAdditions
	for _, o := range occs {
		add.Lines = append(add.Lines, site.SeedLine{From: o.SeedLines[0], To: o.SeedLines[1], Link: f.passageLink(s, o.P)})
	}
	return add, nil
}
