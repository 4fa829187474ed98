package site

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"path"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// Rendering. A build renders its pages through a pool of workers and hands
// each to the sink as soon as it is made (a staging folder for `archive
// build`, memory for tests and small sites), so that memory holds the
// loaded site and the pages in flight, never the rendered site. It goes in
// three steps, each waiting for the one before:
//
//  1. the article pages (and their list entries, aliases and the files
//     features publish beside them), the raw seed pages and the files
//     copied as they are: rendering an article's Markdown tells its
//     summary, which lists show;
//  2. the lists (home, stories, outlets, seeds, titles), the features'
//     pages and files (Feature.Emit), the feed;
//  3. the sitemap (which lists every page) and the redirects.
//
// Each output file has a Key of everything it shows; a Builder renders a
// file again only when its Key changed since the last good build.

// state is what a good build leaves for the next.
type state struct {
	files map[string]fileState // every output file, by path
	arts  map[string]*artState // by content path
	seeds map[string]*seedState
	out   *Output // the built site
	pages int     // HTML files among files
	// emitted are the paths each feature (by its place among the
	// features) emitted, so that a narrow build knows what one that
	// emits all its files again no longer has.
	emitted map[int]map[string]bool
	// listsKey covers every list entry (see run.listsKey); 0 until needed.
	listsKey Key
}

// fileState is what a build knows of one output file.
type fileState struct {
	key Key // of its inputs
	sum Key // of its bytes
}

// artState is what the last build made of an article besides its page.
type artState struct {
	src     *srcFile
	seedSHA string
	add     Key      // of the features' additions
	files   []string // paths of the files features published beside the page
	listFP  Key
	item    template.HTML
	itemKey Key
}

// seedState is what the last build made of a raw seed's page.
type seedState struct {
	hash [32]byte
	add  Key
}

// sink takes the files of a build as they are made.
type sink interface {
	// put stores the file at p; data is only valid during the call. It
	// is called from several goroutines at once.
	put(p string, data []byte) error
	// remove says that the file at p is gone.
	remove(p string)
	// widen says that a build meant to be narrow looks at every page.
	widen()
	// finish makes the built site, after a good build, from the files
	// put and the last build's (last) for the paths of next kept.
	finish(next *state, last *Output) (*Output, error)
	// abort forgets a failed build.
	abort()
}

// run is one build in progress.
type run struct {
	b    *Builder
	ctx  context.Context
	m    *model
	site *Site
	sd   *SiteData
	// stopEarly cancels and waits for the features' early work
	// (EarlyFeature), when there is any.
	stopEarly func()
	// chrome is what every page shows of the site (Page.Chrome), and
	// navChrome the same for the page of each link of the site's nav.
	chrome    *Chrome
	navChrome map[string]*Chrome
	ls        *layoutSet
	siteFP    Key
	// countsFP covers the sizes of the lists and the snapshots, for kinds
	// whose layouts show them (layoutSet.counts).
	countsFP Key
	css      []byte
	cssURL   string
	last     *state
	sink     sink
	pool     *pool

	mz     *minifier  // WithMinify, else nil
	narrow bool       // see Builder.render
	edited []*Article // the articles a narrow build's edit changed
	undo   []func()   // what a narrow build changed in the state, to undo on failure
	// listChanged are the articles whose list entries changed (a narrow
	// build renders again the pages of lists that show them).
	listChanged []*Article
	mu          sync.Mutex
	next        *state
	claims      map[string]string // output path -> what made it, for "two pages claim" errors
	rep         Report
	changed     []string
	extra       []string // absolute URLs of the features' pages, for the sitemap
}

// render renders every page whose Key changed and collects the site. A
// narrow build (an edit to the text of a few articles, narrowModel) works
// on the last build's state in place and looks only at what the edited
// articles reach; any other build looks at every page.
func (b *Builder) render(ctx context.Context, m *model, edited []*Article) (*Output, *Report, error) {
	last := b.last
	if last == nil {
		last = &state{}
	}
	narrow := m == b.model && last.files != nil
	r := &run{b: b, ctx: ctx, m: m, ls: b.layouts, last: last, narrow: narrow, edited: edited}
	if narrow {
		r.next = last // changed in place; undone if the build fails
		r.claims = map[string]string{}
	} else {
		r.next = &state{files: make(map[string]fileState, len(last.files)+4*len(m.articles)),
			arts: make(map[string]*artState, len(m.articles)), seeds: make(map[string]*seedState, len(m.seeds)),
			emitted: map[int]map[string]bool{}}
		r.claims = make(map[string]string, len(last.files)+4*len(m.articles))
	}
	if b.o.minify {
		r.mz = newMinifier()
	}
	r.sink = b.sink
	if r.sink == nil {
		if b.store != nil {
			r.sink = b.store.begin(narrow)
		} else {
			r.sink = &memSink{files: map[string][]byte{}}
		}
	}
	b.sink = nil // a sink serves one build
	// The features' early work (EarlyFeature), which analyze starts, is
	// waited for after beside's fns (deferred later), which may wait for it.
	defer r.waitEarly()
	fail := func(err error) (*Output, *Report, error) {
		r.sink.abort()
		r.rollback()
		r.done(err)
		return nil, nil, err
	}
	if err := r.analyze(); err != nil {
		return fail(err)
	}
	if !r.narrow && b.heldBytes() > b.o.keepBodies {
		// The features have read every body (finding passages): the
		// pages read again each one they render (Article.Body), so that
		// the build's peak, while it renders, does not hold them all
		// (keepBodiesUpTo).
		b.dropBodies()
	}
	defer r.beside()() // after dropBodies: fn may read the bodies again
	r.pool = newPool(ctx, b.o.workers)
	var err error
	if r.narrow {
		err = r.narrowSteps()
	} else {
		err = r.steps()
	}
	r.pool.close()
	if err != nil {
		return fail(err)
	}
	if !r.narrow {
		for p := range last.files {
			if _, ok := r.next.files[p]; !ok {
				r.changed = append(r.changed, p)
				r.sink.remove(p)
			}
		}
		r.next.pages = 0
		for p := range r.next.files {
			if strings.HasSuffix(p, ".html") {
				r.next.pages++
			}
		}
	}
	out, err := r.sink.finish(r.next, last.out)
	if err != nil {
		return fail(err)
	}
	sort.Strings(r.changed)
	r.rep.Changed = r.changed
	r.rep.Files, r.rep.Pages = len(r.next.files), r.next.pages
	r.next.out = out
	b.last = r.next
	r.done(nil)
	if m.hugo != nil {
		r.rep.Warnings = m.hugo.warnings
		if out != nil { // a build written to a folder has no Output
			out.warns = m.hugo.warnings
		}
	}
	return out, &r.rep, nil
}

// beside starts what the features asked to run beside the pages
// (Site.Beside) and returns what waits for it, cancelling its context
// first: when the build ended before a feature collected its result, it
// is of no use.
func (r *run) beside() func() {
	fns := r.site.beside
	r.site.beside = nil
	return startAll(r.ctx, fns)
}

// startAll runs each of fns in a goroutine of its own with a context of
// ctx, and returns what cancels that context and waits for them all.
func startAll(ctx context.Context, fns []func(context.Context)) (stop func()) {
	if len(fns) == 0 {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, fn := range fns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(ctx)
		}()
	}
	return func() {
		cancel()
		wg.Wait()
	}
}

// early starts the work the features run while they analyse the site
// (EarlyFeature); waitEarly cancels it and waits for it.
func (r *run) early(s *Site) {
	var fns []func(context.Context)
	for _, f := range r.b.o.features {
		if ef, ok := f.(EarlyFeature); ok {
			if fn := ef.Early(s); fn != nil {
				fns = append(fns, fn)
			}
		}
	}
	if len(fns) > 0 {
		r.stopEarly = startAll(r.ctx, fns)
	}
}

func (r *run) waitEarly() {
	if r.stopEarly != nil {
		r.stopEarly()
		r.stopEarly = nil
	}
}

// done tells the features that implement DoneFeature how the build ended.
func (r *run) done(err error) {
	for _, f := range r.b.o.features {
		if d, ok := f.(DoneFeature); ok {
			d.Done(err)
		}
	}
}

// lastFile, lastArt and lastSeed read the last build's state, which a
// narrow build changes in place (under r.mu) as its workers go.
func (r *run) lastFile(p string) fileState {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last.files[p]
}

func (r *run) lastArt(p string) *artState {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last.arts[p]
}

func (r *run) lastSeed(p string) *seedState {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last.seeds[p]
}

// setFile records what the build made of p, keeping what a narrow build
// overwrites so that a failed build can be undone; r.mu is held.
func (r *run) setFile(p string, f fileState) {
	if r.narrow {
		old, had := r.next.files[p]
		r.undo = append(r.undo, func() {
			if had {
				r.next.files[p] = old
			} else {
				delete(r.next.files, p)
			}
		})
	}
	r.next.files[p] = f
}

// setArt records what the build made of an article besides its page; r.mu
// is held.
func (r *run) setArt(p string, st *artState) {
	if r.narrow {
		old, had := r.next.arts[p]
		r.undo = append(r.undo, func() {
			if had {
				r.next.arts[p] = old
			} else {
				delete(r.next.arts, p)
			}
		})
	}
	r.next.arts[p] = st
}

// setSeed records what the build made of a seed's page; r.mu is held.
func (r *run) setSeed(p string, st *seedState) {
	if r.narrow {
		old, had := r.next.seeds[p]
		r.undo = append(r.undo, func() {
			if had {
				r.next.seeds[p] = old
			} else {
				delete(r.next.seeds, p)
			}
		})
	}
	r.next.seeds[p] = st
}

// remove says that the output file p is gone in this build (a narrow
// build; a wide one removes what it did not make).
func (r *run) remove(p string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.next.files[p]; !ok {
		return
	}
	if r.narrow {
		old := r.next.files[p]
		r.undo = append(r.undo, func() { r.next.files[p] = old })
		if strings.HasSuffix(p, ".html") {
			r.next.pages--
			r.undo = append(r.undo, func() { r.next.pages++ })
		}
		delete(r.next.files, p)
		r.changed = append(r.changed, p)
		r.sink.remove(p)
	}
}

// rollback undoes what a failed narrow build changed in the state.
func (r *run) rollback() {
	for i := len(r.undo) - 1; i >= 0; i-- {
		r.undo[i]()
	}
	r.undo = nil
}

// analyze prepares the site for features and runs their analyses.
func (r *run) analyze() error {
	m, b := r.m, r.b
	r.css, r.cssURL = stylesheet(r.ls.css)
	s := &Site{Config: m.cfg, Home: m.rel(""), AbsHome: m.abs(""), Articles: m.articles, Outlets: m.outlets,
		Stories: m.stories, Seeds: m.seeds, Newest: m.latest, full: b.full || len(r.last.files) == 0, only: b.once, ls: r.ls,
		byPath: m.byPath, narrow: r.narrow, invArticles: map[*Article]bool{}, invOutlets: map[*Outlet]bool{}, invSeeds: map[*Seed]bool{}}
	if s.Config.Paginate < 1 {
		s.Config.Paginate = DefaultPaginate
	}
	m.cfg.Paginate = s.Config.Paginate
	if !s.full {
		s.changed = map[*Article]bool{}
	}
	if r.narrow {
		s.edited = make([]*Article, 0, len(r.edited))
		for _, a := range r.edited {
			s.changed[a] = true
			s.edited = append(s.edited, a)
		}
		sort.Slice(s.edited, func(i, j int) bool { return m.index[s.edited[i]] < m.index[s.edited[j]] })
	} else if !s.full {
		for _, a := range m.articles {
			st := r.last.arts[a.Src.Path]
			if st == nil || st.src != a.src || a.Seed != nil && st.seedSHA != a.Seed.SHA256 {
				s.changed[a] = true
			}
		}
	}
	r.site = s
	r.early(s)
	r.sd = &SiteData{Config: m.cfg, Home: m.rel(""), Stylesheet: m.rel(r.cssURL), Feed: m.rel("index.xml"),
		Articles: m.articles, Outlets: m.outlets, Stories: m.stories, Seeds: m.seeds, Snapshots: m.snapshots,
		Count:      Counts{Articles: len(m.articles), Outlets: len(m.outlets), Stories: len(m.stories), Seeds: len(m.seeds)},
		HasOutlets: len(m.outlets) > 0, HasSeeds: len(m.seeds) > 0}
	for _, f := range b.o.features {
		if nf, ok := f.(NavFeature); ok {
			for _, l := range nf.Nav() {
				r.sd.Nav = append(r.sd.Nav, NavLink{Title: l.Title, URL: m.rel(l.URL)})
			}
		}
	}
	h := NewHasher().String(m.cfg.Title, m.cfg.Description, m.cfg.BaseURL, m.cfg.Language, m.cfg.Organization,
		m.cfg.Contact, m.cfg.ContactEmail, m.cfg.Story, m.cfg.License, m.base, m.basePath, r.cssURL).Int(m.cfg.Paginate).Bool(b.o.minify).
		Bool(r.sd.HasOutlets).Bool(r.sd.HasSeeds)
	for _, l := range r.sd.Nav {
		h.String(l.Title, l.URL)
	}
	r.siteFP = h.Sum()
	c := r.sd.Count
	h = NewHasher().Int(c.Articles).Int(c.Outlets).Int(c.Stories).Int(c.Seeds).Int(len(m.snapshots))
	if sn := r.sd.LatestSnapshot(); sn != nil {
		h.String(sn.Name, sn.URL, sn.SHA256).Int(sn.Size)
	}
	r.countsFP = h.Sum()
	if err := r.makeChrome(); err != nil {
		return err
	}
	stopPremake := r.premake()
	for _, f := range b.o.features {
		if err := f.Analyze(r.ctx, s); err != nil {
			stopPremake() // before the sink's abort removes its folder
			return err
		}
	}
	stopPremake()
	if r.narrow && !s.narrow { // a feature's analysis reaches further
		r.narrow = false
		r.rollback() // nothing to undo yet but the model's patch, which a wide build reads as it is
		r.next = &state{files: make(map[string]fileState, len(r.last.files)),
			arts: make(map[string]*artState, len(m.articles)), seeds: make(map[string]*seedState, len(m.seeds)),
			emitted: map[int]map[string]bool{}}
		r.claims = make(map[string]string, len(r.last.files))
		r.sink.widen()
	}
	return r.ctx.Err()
}

// dirMaker is a sink that can make an output folder before any file is put
// in it (the staging folder of BuildTo).
type dirMaker interface {
	// mkdirs makes the folder d (a slash path) and its parents; it may be
	// called while files are put.
	mkdirs(d string) error
}

// premake makes, on one goroutine while the features analyse the site and
// leave a core idle (whenIdle), the folders of the pages whose output paths
// the model already tells: the articles' pages and aliases, the seeds'
// pages and the lists (listPaths). They are 11,000 of the 15,500 folders a
// build of 10,000 articles makes, ~0.35 s of kernel CPU the page workers
// no longer spend. Only a wide build into a folder (dirMaker) does it:
// every such page is written when the build succeeds, so no folder is left
// empty, and a failed build removes the staging folder. A folder that
// cannot be made, or a path that is not one (checkOutputPath), is left to
// its page, which reports the error as it would have. stop cancels the
// work and waits for it: the pages make the folders it did not get to.
func (r *run) premake() (stop func()) {
	dm, ok := r.sink.(dirMaker)
	if !ok || r.narrow {
		return func() {}
	}
	return startAll(r.ctx, []func(context.Context){func(ctx context.Context) { r.makeDirs(ctx, dm) }})
}

// makeDirs is premake's goroutine (a function of its own, for traces).
func (r *run) makeDirs(ctx context.Context, dm dirMaker) {
	var dirs []string
	add := func(p string) {
		if checkOutputPath(p) != nil {
			return
		}
		if d := path.Dir(p); d != "." && (len(dirs) == 0 || dirs[len(dirs)-1] != d) {
			dirs = append(dirs, d)
		}
	}
	for _, a := range r.m.articles {
		add(a.outPath())
		for _, ap := range a.aliases() {
			add(aliasFile(ap))
		}
	}
	for _, s := range r.m.seeds {
		add("seeds/" + s.Name + "/index.html") // as run.seed
	}
	r.listPaths(add)
	whenIdle(ctx, func() bool {
		if len(dirs) == 0 {
			return false
		}
		_ = dm.mkdirs(dirs[0]) // a folder that cannot be made fails its page's put
		dirs = dirs[1:]
		return true
	})
}

// steps renders the site in its three steps.
func (r *run) steps() error {
	// 1. Articles, seeds, files as they are.
	for _, a := range r.m.articles {
		r.pool.submit(func(w *worker) error { return r.article(w, a) })
	}
	for _, s := range r.m.seeds {
		r.pool.submit(func(w *worker) error { return r.seed(w, s) })
	}
	r.rawFiles()
	if err := r.pool.wait(); err != nil {
		return err
	}
	// 2. Lists, the features' pages, the feed.
	r.lists()
	if r.m.hugo != nil {
		r.hugoLists()
	}
	if err := r.emit(); err != nil {
		return err
	}
	r.pool.submit(func(w *worker) error {
		return r.file(w, "index.xml", "the feed", feedFP(r.m, r.siteFP), func(b *bytes.Buffer) error { return writeFeed(b, r.m) })
	})
	if err := r.pool.wait(); err != nil {
		return err
	}
	// 3. What lists every page.
	sort.Strings(r.extra)
	r.m.extra = r.extra
	r.pool.submit(func(w *worker) error { return r.sitemaps(w) })
	if hasAliases(r.m) {
		r.pool.submit(func(w *worker) error {
			return r.file(w, RedirectsFile, "the redirects", NewHasher().Key(r.siteFP).Key(aliasFP(r.m)).Sum(),
				func(b *bytes.Buffer) error { return writeRedirects(b, r.m) })
		})
	}
	if r.m.hugo != nil && r.m.hugo.hasStatic("robots.txt") {
		return r.pool.wait() // the site's own robots.txt, from its static/
	}
	r.pool.submit(func(w *worker) error {
		return r.file(w, "robots.txt", "robots.txt", r.siteFP, func(b *bytes.Buffer) error {
			b.WriteString("User-agent: *\nAllow: /\n\nSitemap: " + r.m.abs("sitemap.xml") + "\n")
			return nil
		})
	})
	return r.pool.wait()
}

// rawFiles copies the files published as they are: seeds, snapshots,
// scripts, the stylesheet.
func (r *run) rawFiles() {
	raw := func(p, what string, key Key, data []byte) {
		r.pool.submit(func(w *worker) error { return r.rawFile(p, what, key, data, false) })
	}
	asset := func(p, what string, key Key, data []byte) { // made by the site: minified WithMinify
		r.pool.submit(func(w *worker) error { return r.rawFile(p, what, key, data, true) })
	}
	for _, s := range r.m.seeds {
		raw(s.File, "the seed "+s.File, keyOfHash(s.hash), s.data)
	}
	for _, s := range r.m.snapshots {
		raw(s.File, "the snapshot "+s.File, KeyBytes([]byte(s.SHA256)), s.data)
	}
	for _, name := range sortedKeys(r.ls.scripts) {
		asset(name, "layouts/"+name, KeyBytes(r.ls.scripts[name]), r.ls.scripts[name])
	}
	asset(r.cssURL, "the stylesheet", KeyBytes(r.css), r.css)
	if r.m.hugo != nil {
		r.hugoRaw()
	}
	r.pool.submit(func(w *worker) error {
		return r.page(w, "404.html", "the 404 page", "404", Key(1), &Page{Title: "Page not found", URL: r.m.rel("404.html")})
	})
}

func keyOfHash(h [32]byte) Key {
	return KeyOf(h)
}

// claim records that what makes the output file p, or fails when another
// page has it.
func (r *run) claim(p, what string) error {
	if err := checkOutputPath(p); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if other, ok := r.claims[p]; ok {
		a, b := other, what
		if a > b {
			a, b = b, a // the same message whichever worker came first
		}
		return fmt.Errorf("two pages claim /%s: %s and %s", p, a, b)
	}
	r.claims[p] = what
	return nil
}

// unchanged reports whether the last build made p from inputs with key,
// and if so keeps it.
func (r *run) unchanged(p string, key Key) bool {
	return r.keep(p, key, false)
}

// keep is unchanged, counting p as a page reused when it is one.
func (r *run) keep(p string, key Key, page bool) bool {
	if key == 0 {
		return false
	}
	r.mu.Lock()
	old, ok := r.last.files[p]
	if !ok || old.key != key {
		r.mu.Unlock()
		return false
	}
	if !r.narrow { // a narrow build works on the last state: p is there
		r.next.files[p] = old
	}
	if page {
		r.rep.Reused++
	}
	r.mu.Unlock()
	return true
}

// file makes the output file p from inputs with key (0: always), unless
// the last build made it from the same.
func (r *run) file(w *worker, p, what string, key Key, make func(*bytes.Buffer) error) error {
	if err := r.claim(p, what); err != nil {
		return err
	}
	if r.keep(p, key, true) {
		return nil
	}
	w.buf.Reset()
	if err := make(&w.buf); err != nil {
		return err
	}
	return r.store(p, key, w.buf.Bytes(), true)
}

// rawFile copies data to p; an asset (the stylesheet, scripts) is
// minified WithMinify.
func (r *run) rawFile(p, what string, key Key, data []byte, asset bool) error {
	if err := r.claim(p, what); err != nil {
		return err
	}
	if r.unchanged(p, key) {
		return nil
	}
	if asset && r.mz != nil {
		data = r.mz.file(p, data)
	}
	return r.store(p, key, data, false)
}

// store hands a made file to the sink and records it; a rendered page is
// minified WithMinify.
func (r *run) store(p string, key Key, data []byte, rendered bool) error {
	if rendered && r.mz != nil {
		data = r.mz.file(p, data)
	}
	sum := KeyBytes(data)
	if err := r.sink.put(p, data); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	old, had := r.last.files[p]
	if _, had := r.next.files[p]; r.narrow && !had && strings.HasSuffix(p, ".html") {
		r.next.pages++
		r.undo = append(r.undo, func() { r.next.pages-- })
	}
	r.setFile(p, fileState{key: key, sum: sum})
	if rendered {
		r.rep.Rendered++
	}
	r.rep.Written += int64(len(data))
	if !had || old.sum != sum {
		r.changed = append(r.changed, p)
	}
	return nil
}

// page renders a page of a kind from its layout.
func (r *run) page(w *worker, p, what, kind string, key Key, pg *Page) error {
	t := r.ls.kinds[kind]
	if t == nil {
		return fmt.Errorf("no layout for the %s page /%s: add layouts/%s.html defining \"main\"", kind, p, kind)
	}
	return r.file(w, p, what, r.pageKey(kind, key), func(b *bytes.Buffer) error {
		r.fill(kind, p, pg)
		if err := t.Execute(b, pg); err != nil {
			return templateError(err, r.ls.sources)
		}
		return nil
	})
}

// pageKey is the Key of a page of kind whose own inputs have key: with
// its layouts, the site's settings, and what of the site-wide lists its
// layouts show.
func (r *run) pageKey(kind string, key Key) Key {
	h := NewHasher().String(kind).Key(r.ls.kindFP[kind]).Key(r.siteFP).Key(key)
	if r.ls.lists[kind] {
		h.Key(r.listsKey())
	}
	if r.ls.counts[kind] {
		h.Key(r.countsFP)
	}
	return h.Sum()
}

// fill sets the fields every page has.
func (r *run) fill(kind, p string, pg *Page) {
	pg.Kind = kind
	pg.Site = r.sd
	if pg.URL == "" {
		pg.URL = r.m.rel(strings.TrimSuffix(p, "index.html"))
	}
	pg.Chrome = r.chrome
	if c, ok := r.navChrome[pg.URL]; ok {
		pg.Chrome = c
	}
	if pg.Permalink == "" {
		pg.Permalink = r.m.base + pg.URL
	}
}

// Chrome layouts: the templates of layouts/chrome.html, each rendered once
// per build into a field of Chrome.
const (
	chromeHead   = "chrome-head"
	chromeHeader = "chrome-header"
	chromeFooter = "chrome-footer"
)

// makeChrome renders the site's chrome once for the build (Page.Chrome):
// once for every page, and the header again for the page of each nav link,
// which it marks as the current page. The templates are executed with a
// Page that has only Site and URL; a site whose layouts do not define one
// of them gets an empty field (its own baseof.html does not use it).
func (r *run) makeChrome() error {
	t := r.ls.kinds["404"] // every kind's set holds the partials
	render := func(name, url string) (template.HTML, error) {
		ct := t.Lookup(name)
		if ct == nil {
			return "", nil
		}
		var b bytes.Buffer
		if err := ct.Execute(&b, &Page{Site: r.sd, URL: url}); err != nil {
			return "", templateError(err, r.ls.sources)
		}
		return template.HTML(b.String()), nil
	}
	c := &Chrome{}
	var err error
	if c.Head, err = render(chromeHead, ""); err != nil {
		return err
	}
	if c.Header, err = render(chromeHeader, ""); err != nil {
		return err
	}
	if c.Footer, err = render(chromeFooter, ""); err != nil {
		return err
	}
	r.chrome, r.navChrome = c, map[string]*Chrome{}
	for _, l := range r.sd.Nav {
		if _, ok := r.navChrome[l.URL]; ok {
			continue
		}
		nc := *c
		if nc.Header, err = render(chromeHeader, l.URL); err != nil {
			return err
		}
		r.navChrome[l.URL] = &nc
	}
	return nil
}

// Templates of layouts/fragments.html: pieces of article pages that many
// pages show alike (Page.StoryLine, Page.RelatedItems, Page.OutletLink).
const (
	storyLineLayout   = "story-line"
	relatedItemLayout = "related-item"
	outletLinkLayout  = "outlet-link"
)

// fragments holds the pieces of HTML a build rendered once for many
// pages (Site.Fragment), by template name and data.
type fragments struct {
	mu sync.Mutex
	m  map[fragmentKey]template.HTML
}

type fragmentKey struct {
	name string
	data any // comparable: a Link, a *Story
}

// Fragment renders the partial template name (a {{define}} of a layouts
// file that is not a page kind, such as fragments.html's) with data once
// per build, and returns the same HTML to every page that shows it: a
// story's line is on each of its articles' pages, a related article's
// entry on the page of each article that shares passages with it, a link
// to an occurrence of a passage in the note of each other occurrence.
// data should be comparable (a Link, a *Story, a struct of strings and
// numbers; other data is rendered on every call) and be all that the HTML
// shows: the key of each page that
// shows it must cover it, as the key of every page covers the layouts.
// The HTML comes from html/template, executed in the text context; write
// it in the same context. A site whose layouts do not define name gets "".
func (s *Site) Fragment(name string, data any) (template.HTML, error) {
	if data != nil && !reflect.TypeOf(data).Comparable() {
		return s.renderFragment(name, data) // no key: rendered each time
	}
	k := fragmentKey{name, data}
	s.frags.mu.Lock()
	h, ok := s.frags.m[k]
	s.frags.mu.Unlock()
	if ok {
		return h, nil
	}
	h, err := s.renderFragment(name, data)
	if err != nil {
		return "", err
	}
	s.frags.mu.Lock()
	if s.frags.m == nil {
		s.frags.m = map[fragmentKey]template.HTML{}
	}
	s.frags.m[k] = h
	s.frags.mu.Unlock()
	return h, nil
}

// FragmentOnce renders the partial template name with data as Fragment
// does, without keeping the HTML for later calls: for callers that keep
// it themselves, so that it does not fill Fragment's map.
func (s *Site) FragmentOnce(name string, data any) (template.HTML, error) {
	return s.renderFragment(name, data)
}

func (s *Site) renderFragment(name string, data any) (template.HTML, error) {
	t := s.ls.kinds["404"].Lookup(name) // every kind's set holds the partials
	if t == nil {
		return "", nil
	}
	return s.execute(t, data)
}

// listsKey covers every list entry of the site, for pages of kinds whose
// layouts show the site-wide lists (.Site.Articles ...); made once per
// build, when first needed.
func (r *run) listsKey() Key {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.next.listsKey == 0 {
		h := NewHasher()
		for _, a := range r.m.articles {
			h.Key(a.listFP)
		}
		for _, o := range r.m.outlets {
			h.String(o.Name, o.URL).Int(len(o.Articles))
		}
		for _, s := range r.m.seeds {
			h.String(s.URL, s.SHA256)
		}
		for _, s := range r.m.stories {
			h.String(s.Title, s.URL)
		}
		r.next.listsKey = h.Sum()
	}
	return r.next.listsKey
}

// checkOutputPath rejects output paths that would leave the site folder.
func checkOutputPath(p string) error {
	if p == "" || p == "." || strings.Contains(p, "\\") || strings.HasPrefix(p, "/") || strings.Contains(p, "//") {
		return fmt.Errorf("output path %q is not a slash path inside the site", p)
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "." || seg == ".." {
			return fmt.Errorf("output path %q is not a slash path inside the site", p)
		}
	}
	return nil
}

// worker is one of the pool's goroutines, with what it reuses.
type worker struct {
	buf bytes.Buffer
	md  bytes.Buffer
}

// pool runs tasks on a few workers; wait returns the error of the
// lowest-numbered task that failed, so that a build's error is the same
// whatever the scheduling (tasks are submitted in a fixed order).
type pool struct {
	ctx   context.Context
	tasks chan task
	done  sync.WaitGroup // the workers
	batch sync.WaitGroup // the tasks of this step

	mu    sync.Mutex
	n     int
	err   error
	errAt int
	bad   bool
}

type task struct {
	n  int
	fn func(*worker) error
}

func newPool(ctx context.Context, workers int) *pool {
	p := &pool{ctx: ctx, tasks: make(chan task, 2*workers)}
	for range max(1, workers) {
		p.done.Add(1)
		go func() {
			defer p.done.Done()
			w := &worker{}
			for t := range p.tasks {
				p.exec(w, t)
				p.batch.Done()
			}
		}()
	}
	return p
}

func (p *pool) exec(w *worker, t task) {
	p.mu.Lock()
	stop := p.bad && t.n > p.errAt
	p.mu.Unlock()
	if stop {
		return // a lower task failed already: this one cannot change the error
	}
	err := p.ctx.Err()
	if err == nil {
		err = t.fn(w)
		if w.buf.Cap() > 4<<20 { // let go of an outsized page's buffer
			w.buf = bytes.Buffer{}
		}
	}
	if err != nil {
		p.mu.Lock()
		if !p.bad || t.n < p.errAt {
			p.bad, p.err, p.errAt = true, err, t.n
		}
		p.mu.Unlock()
	}
}

// submit queues fn; it blocks while the workers are busy.
func (p *pool) submit(fn func(*worker) error) {
	p.mu.Lock()
	n := p.n
	p.n++
	p.mu.Unlock()
	p.batch.Add(1)
	p.tasks <- task{n, fn}
}

// failed returns the error of the lowest task that failed so far.
func (p *pool) failed() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// wait waits for the tasks submitted so far.
func (p *pool) wait() error {
	p.batch.Wait()
	return p.failed()
}

func (p *pool) close() {
	close(p.tasks)
	p.done.Wait()
}

// memSink keeps the site in memory (Build, and tests).
type memSink struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (s *memSink) put(p string, data []byte) error {
	c := bytes.Clone(data)
	s.mu.Lock()
	s.files[p] = c
	s.mu.Unlock()
	return nil
}

func (s *memSink) remove(string) {}
func (s *memSink) widen()        {}

func (s *memSink) finish(next *state, last *Output) (*Output, error) {
	files := make(map[string][]byte, len(next.files))
	for p := range next.files {
		if b, ok := s.files[p]; ok {
			files[p] = b
		} else if last != nil {
			b, _ := last.Bytes(p)
			files[p] = b
		}
	}
	return newOutputAfter(files, last), nil
}

func (s *memSink) abort() {}

// featurePage renders a page a feature emitted.
func (r *run) featurePage(p FeaturePage) error {
	if err := r.pool.failed(); err != nil {
		return err
	}
	if p.Pager == nil || p.Pager.Number == 1 {
		if strings.HasSuffix(p.Path, "index.html") {
			r.mu.Lock()
			r.extra = append(r.extra, r.m.abs(strings.TrimSuffix(p.Path, "index.html")))
			r.mu.Unlock()
		}
	}
	if r.m.hugo != nil && r.m.hugo.owns(p.Path) {
		r.m.hugo.warn(fmt.Sprintf("the archive's %s page /%s is left out: the site's own page has its URL", p.Kind, p.Path))
		return nil
	}
	r.pool.submit(func(w *worker) error {
		if _, ok := r.ls.kinds[p.Kind]; !ok {
			return &article.Error{File: "layouts/" + p.Kind + ".html", Err: fmt.Errorf("no layout for the %s page /%s", p.Kind, p.Path),
				Fix: "add layouts/" + p.Kind + ".html defining \"main\""}
		}
		kind := p.Kind
		key := r.pageKey(kind, p.Key)
		if err := r.claim(p.Path, "the "+kind+" page"); err != nil {
			return err
		}
		if r.keep(p.Path, key, true) {
			return nil
		}
		data, err := p.Data()
		if err != nil {
			return err
		}
		pg := &Page{Title: p.Title, Description: p.Description, Data: data, Pager: p.Pager}
		if p.Pager != nil {
			pg.URL = p.Pager.URL
		}
		return r.renderPage(w, p.Path, kind, key, pg)
	})
	return nil
}

// featureFile writes a file a feature emitted.
func (r *run) featureFile(f FeatureFile) error {
	if err := r.pool.failed(); err != nil {
		return err
	}
	if r.m.hugo != nil && r.m.hugo.owns(f.Path) {
		r.m.hugo.warn(fmt.Sprintf("the archive's file /%s is left out: the site's own page has its URL", f.Path))
		return nil
	}
	r.pool.submit(func(w *worker) error {
		if err := r.claim(f.Path, "a file of a feature"); err != nil {
			return err
		}
		if r.unchanged(f.Path, f.Key) {
			return nil
		}
		data, err := f.Data()
		if err != nil {
			return err
		}
		return r.store(f.Path, f.Key, data, false)
	})
	return nil
}
