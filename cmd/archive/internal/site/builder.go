package site

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"io/fs"
	"math/bits"
	"net/url"
	"path"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/yuin/goldmark"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// Build builds the whole site in fsys into memory: for tests, and for
// small sites (a snapshot of the bundled archive). BuildTo writes a site
// of any size to a folder.
func Build(ctx context.Context, fsys fs.FS, opts ...Option) (*Output, error) {
	b := NewBuilder(fsys, opts...)
	b.once = true
	out, _, err := b.Build(ctx, nil)
	return out, err
}

// BuildTo builds the whole site in fsys into the folder dir, atomically:
// pages are written as they are rendered, several at a time, into a new
// folder beside dir, which replaces dir only when everything succeeded. A
// failed build leaves dir as it was. Memory holds the loaded site and the
// pages in flight, not the rendered site.
func BuildTo(ctx context.Context, fsys fs.FS, dir string, opts ...Option) (*Report, error) {
	b := NewBuilder(fsys, opts...)
	b.once = true
	st, err := newStaging(dir)
	if err != nil {
		return nil, err
	}
	b.sink = st
	_, rep, err := b.Build(ctx, nil)
	if err != nil {
		st.abort()
		return nil, err
	}
	return rep, nil
}

// Report says what one Builder.Build did.
type Report struct {
	Changed  []string // output paths whose bytes changed (added, changed or removed), sorted
	Rendered int      // pages rendered
	Reused   int      // pages whose inputs were unchanged and whose bytes were reused
	Files    int      // files in the site
	Pages    int      // HTML pages in the site
	Written  int64    // bytes of the files this build wrote
	Duration time.Duration
	// Warnings say what the build left out and why (a Hugo site's page
	// whose URL another page has; an archive page that gives way to the
	// site's own).
	Warnings []string
}

// Builder builds a site again and again, redoing only what changed: it
// keeps the files it read (by path and content hash), and for each output
// file the Key of everything it shows (its inputs and the layout files of
// its kind), so that a page is rendered again only when its Key changed.
// A Builder is safe for use by one goroutine at a time; Build serialises
// calls.
type Builder struct {
	fsys fs.FS
	o    options
	sink sink // where the next build goes; nil: memory

	mu       sync.Mutex
	loaded   bool
	cfg      Config
	cfgErr   error
	lfiles   map[string][]byte
	lorigin  map[string]string
	layouts  *layoutSet
	lerr     error
	content  map[string]*srcFile
	seeds    map[string]*srcFile
	snaps    map[string]*srcFile // snapshots/: published packages
	full     bool                // the next build starts afresh (config or layouts changed)
	once     bool                // Build, BuildTo: the only build (Site.Only)
	wide     bool                // the next build cannot be narrow: seeds, snapshots or folders changed
	last     *state              // what the last good build made
	model    *model              // the last good build's, reused by a narrow build
	mdSafe   goldmark.Markdown
	mdUnsafe goldmark.Markdown
	hugo     *hugoSite // a Hugo site's content folder, static files, shortcodes (hugosite.go); nil for an archive
	store    *store    // WithStore
	storeErr error
}

// NewBuilder returns a Builder for the site at the root of fsys.
func NewBuilder(fsys fs.FS, opts ...Option) *Builder {
	b := &Builder{fsys: fsys, content: map[string]*srcFile{}, seeds: map[string]*srcFile{}, snaps: map[string]*srcFile{}}
	b.o.keepBodies = keepBodiesUpTo
	for _, o := range opts {
		o(&b.o)
	}
	if b.o.workers <= 0 {
		b.o.workers = runtime.GOMAXPROCS(0)
	}
	b.mdSafe = newMarkdown(false, b.o.markdown)
	b.mdUnsafe = newMarkdown(true, b.o.markdown)
	if b.o.store != "" {
		b.store, b.storeErr = newStore(b.o.store)
	}
	return b
}

// Build brings the site up to date. changed lists the slash paths relative
// to the site root that changed since the last call (files or folders,
// created, written or removed); nil re-reads everything. The first call
// always reads everything. On error the Builder keeps its last good output
// and the next call retries what is still broken.
func (b *Builder) Build(ctx context.Context, changed []string) (*Output, *Report, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	defer b.dropBodies()
	if b.storeErr != nil {
		return nil, nil, fmt.Errorf("serve: the site's store: %w", b.storeErr)
	}
	start := time.Now()
	if !b.loaded || changed == nil || b.hugoChanged(changed) {
		if err := b.loadAll(ctx); err != nil {
			b.loaded = false
			return nil, nil, err
		}
		b.loaded, b.full = true, true
	} else {
		b.refresh(changed)
	}
	m, edited := b.narrowModel(changed)
	if m != nil && len(edited) == 0 && len(changed) > 0 && b.last != nil && b.last.out != nil {
		// Every changed path is a content file whose bytes are as the
		// last build read them (an editor's second write event, a
		// touch): nothing to build. Work a feature put off (Pending)
		// is left to the follow-up build, which archive serve can stop.
		return b.last.out, &Report{Changed: []string{}, Reused: b.last.pages, Files: len(b.last.files),
			Pages: b.last.pages, Duration: time.Since(start)}, nil
	}
	if m == nil {
		b.model = nil // a failed build leaves no model to patch: the next assembles anew
		var err error
		if m, err = b.assemble(ctx); err != nil {
			return nil, nil, err
		}
	}
	out, rep, err := b.render(ctx, m, edited)
	if err != nil {
		if m != b.model || len(edited) > 0 {
			b.model = nil // it may be half patched: the next build assembles anew
		}
		// Else the last good build's model, patched by nothing (a
		// follow-up build, stopped by the next edit in archive serve):
		// the next edit's build can still be narrow.
		return nil, nil, err
	}
	b.full, b.wide, b.model = false, false, m
	rep.Duration = time.Since(start)
	return out, rep, nil
}

// keepBodiesUpTo is how many bytes of content bodies a build keeps from
// its load to its end. Under it, the pages and the features beside them
// (search) take the bodies the features analysed, instead of reading and
// checking every file twice more (10,000 copied articles, 61 MB: 1.2 CPU-s
// of reads and SHA-256 out of 17, for 61 MB more at the peak of 313); over
// it (100,000 articles, 574 MB) the build lets them go once the features
// have analysed them, so that its peak does not hold them all.
const keepBodiesUpTo = 128 << 20

// heldBytes is how many bytes of bodies the build holds now.
func (b *Builder) heldBytes() int {
	n := 0
	for _, f := range b.content {
		if f.art != nil && !f.dropped {
			n += len(f.art.Body)
		}
	}
	return n
}

// dropBodies lets go of the content files' bodies once a build is over
// (srcFile.dropBody): a later build reads again those it needs. In archive
// serve a file saved while a build reads it again fails that build as
// Stale, which the server drops quietly: the save's own build follows.
func (b *Builder) dropBodies() {
	for _, f := range b.content {
		f.dropBody()
	}
}

// Pending reports whether a feature put off work in the last build and
// wants another (see PendingFeature); `archive serve` then builds again at
// once with no changes, and the follow-up's reload shows what it finished.
func (b *Builder) Pending() bool {
	for _, f := range b.o.features {
		if p, ok := f.(PendingFeature); ok && p.Pending() {
			return true
		}
	}
	return false
}

// Wait returns when the work that features left running after stopped
// builds has ended (see WaitFeature): a server calls it before it exits,
// with no build running.
func (b *Builder) Wait() {
	for _, f := range b.o.features {
		if w, ok := f.(WaitFeature); ok {
			w.Wait()
		}
	}
}

func (b *Builder) loadConfig() {
	b.cfg, b.cfgErr = LoadConfig(b.fsys)
}

func (b *Builder) loadLayouts() {
	b.layouts, b.lerr = nil, nil
	site := b.fsys
	if b.cfg.Hugo != nil {
		if _, err := fs.Stat(b.fsys, ConfigFile); err != nil {
			// A Hugo site's layouts/ holds Hugo's templates, which the
			// archive does not run (it uses their shortcodes and partials).
			site = nil
		}
	}
	files, origin, err := readLayouts(defaultLayouts(&b.o), site)
	if err != nil {
		b.lerr = err
		return
	}
	b.lfiles, b.lorigin = files, origin
	b.layouts, b.lerr = parseLayouts(files, origin, templateFuncs)
}

// loadAll reads the whole site. The layouts are parsed on a goroutine of
// their own while the content and seeds folders are listed, which is one
// core's work (~0.05 s at 10,000 articles, as long as the parse), and
// waited for before it returns: nothing it reads before that is theirs.
func (b *Builder) loadAll(ctx context.Context) error {
	b.loadConfig()
	layouts := make(chan struct{})
	go func() {
		defer close(layouts)
		b.loadLayouts()
	}()
	defer func() { <-layouts }()
	var cpaths []string
	var err error
	read := readContent
	if b.cfgErr == nil && b.cfg.Hugo != nil {
		if err := b.loadHugo(ctx, b.cfg.Hugo); err != nil {
			return err
		}
		cpaths, read = sortedKeys(b.content), readPage
	} else {
		b.hugo = nil
		if cpaths, err = walkFiles(b.fsys, "content", isContentFile); err != nil {
			return err
		}
	}
	spaths, err := walkFiles(b.fsys, "seeds", isSeedFile)
	if err != nil {
		return err
	}
	content, err := readAll(ctx, b.fsys, cpaths, b.content, b.o.workers, read)
	if err != nil {
		return err
	}
	seeds, err := readAll(ctx, b.fsys, spaths, b.seeds, b.o.workers, readSeed)
	if err != nil {
		return err
	}
	npaths, err := walkFiles(b.fsys, SnapshotsDir, isSeedFile)
	if err != nil {
		return err
	}
	snaps, err := readAll(ctx, b.fsys, npaths, b.snaps, b.o.workers, readSeed)
	if err != nil {
		return err
	}
	b.content, b.seeds, b.snaps = content, seeds, snaps
	return nil
}

func (b *Builder) refresh(changed []string) {
	cfg, lay := false, false
	for _, p := range changed {
		p = strings.TrimPrefix(path.Clean("/"+strings.ReplaceAll(p, "\\", "/")), "/")
		switch {
		case p == ConfigFile:
			cfg = true
		case p == "layouts" || strings.HasPrefix(p, "layouts/"):
			lay = true
		case p == "content" || strings.HasPrefix(p, "content/"):
			refreshTree(b.fsys, b.content, p, isContentFile, readContent)
		case p == "seeds" || strings.HasPrefix(p, "seeds/"):
			refreshTree(b.fsys, b.seeds, p, isSeedFile, readSeed)
			b.wide = true
		case p == SnapshotsDir || strings.HasPrefix(p, SnapshotsDir+"/"):
			refreshTree(b.fsys, b.snaps, p, isSeedFile, readSeed)
			b.wide = true
		case p == "" || p == ".":
			b.wide = true
			cfg, lay = true, true
			refreshTree(b.fsys, b.content, "content", isContentFile, readContent)
			refreshTree(b.fsys, b.seeds, "seeds", isSeedFile, readSeed)
			refreshTree(b.fsys, b.snaps, SnapshotsDir, isSeedFile, readSeed)
		}
	}
	if cfg {
		b.loadConfig()
	}
	if lay {
		b.loadLayouts()
	}
	if cfg || lay {
		b.full = true // every page, and what features made from layouts
	}
}

// narrowModel returns the last build's model patched for an edit that
// changed only the text of articles: the same files, each edited one with
// the same front matter (so the same URL, title, date, outlet, story,
// seed, aliases) and a new body. It returns nil when the change is wider,
// and the model must be assembled anew. A narrow build redoes only what
// the edited articles reach (see run.narrow).
func (b *Builder) narrowModel(changed []string) (*model, []*Article) {
	m := b.model
	if m == nil || b.full || b.wide || changed == nil || len(b.content) != m.sources {
		return nil, nil
	}
	var edited []*Article
	for _, p := range changed {
		p = strings.TrimPrefix(path.Clean("/"+strings.ReplaceAll(p, "\\", "/")), "/")
		if !strings.HasPrefix(p, "content/") {
			return nil, nil
		}
		f, a := b.content[p], m.byPath[p]
		if f == nil || a == nil || f.err != nil {
			return nil, nil // added, removed, a folder, a draft, or broken
		}
		if f == a.src {
			continue
		}
		old := a.Src
		if !bytes.Equal(f.art.Front, old.Front) || f.art.BodyLine != old.BodyLine || f.art.Format != old.Format {
			return nil, nil
		}
		edited = append(edited, a)
	}
	for _, a := range edited {
		f := b.content[a.Src.Path]
		a.Src, a.src, a.hash = f.art, f, f.hash
		if c := f.body; c != nil {
			if a.Src.Meta.Summary == "" && a.Subtitle == "" {
				a.Summary = c.summary
			}
			a.Words, a.Comments = c.words, c.comments
		}
	}
	return m, edited
}

// assemble checks the inputs and links them into a model.
func (b *Builder) assemble(ctx context.Context) (*model, error) {
	if b.cfgErr != nil {
		return nil, b.cfgErr
	}
	if b.lerr != nil {
		return nil, b.lerr
	}
	m := &model{cfg: b.cfg, bySlug: map[string]*Article{}, byPath: make(map[string]*Article, len(b.content)),
		sources: len(b.content)}
	if b.hugo != nil {
		m.hugo = &hugoModel{hs: b.hugo}
	}
	if b.o.baseURL != "" {
		if err := checkBaseURL(b.o.baseURL); err != nil {
			return nil, fmt.Errorf("--baseURL: %w", err)
		}
		m.cfg.BaseURL = b.o.baseURL
	}
	u, err := url.Parse(m.cfg.BaseURL)
	if err != nil || u.Host == "" {
		return nil, &article.Error{File: ConfigFile, Err: fmt.Errorf("baseURL %q is not an absolute URL", m.cfg.BaseURL),
			Fix: "write baseURL = \"https://archive.example.org/\""}
	}
	m.base = u.Scheme + "://" + u.Host
	m.basePath = "/" + strings.Trim(u.Path, "/") + "/"
	if m.basePath == "//" {
		m.basePath = "/"
	}

	// Seeds.
	seedPaths := sortedKeys(b.seeds)
	seedByFile := map[string]*Seed{}
	for _, p := range seedPaths {
		f := b.seeds[p]
		if f.err != nil {
			return nil, f.err
		}
		rel := strings.TrimPrefix(p, "seeds/")
		name := strings.TrimSuffix(rel, path.Ext(rel))
		for _, seg := range strings.Split(name, "/") {
			if err := checkSegment(seg); err != nil {
				return nil, &article.Error{File: p, Err: fmt.Errorf("seed file name %v", err), Fix: "rename the file to letters, digits, - and _"}
			}
		}
		s := &Seed{Name: name, File: p, URL: m.rel("seeds/" + name + "/"), RawURL: m.rel(p),
			SHA256: fmt.Sprintf("%x", f.hash), Size: len(f.data), Lines: countLines(f.data), data: f.data, hash: f.hash}
		seedByFile[p] = s
		m.seeds = append(m.seeds, s)
	}

	// Snapshots: packages published with the site, newest name last.
	for _, p := range sortedKeys(b.snaps) {
		f := b.snaps[p]
		if f.err != nil {
			return nil, f.err
		}
		if _, err := checkSitePath("/" + p); err != nil {
			return nil, &article.Error{File: p, Err: fmt.Errorf("snapshot file name %v", err), Fix: "rename the file to letters, digits, -, _ and ."}
		}
		m.snapshots = append(m.snapshots, &Snapshot{Name: path.Base(p), File: p, URL: m.rel(p),
			SHA256: fmt.Sprintf("%x", f.hash), Size: len(f.data), data: f.data})
	}

	// Articles.
	paths := sortedKeys(b.content)
	outlets := map[string]*Outlet{}
	stories := map[string]*Story{}
	var errs []error // every problem of every file, reported at once
	for _, p := range paths {
		f := b.content[p]
		if f.err != nil {
			errs = append(errs, f.err)
			continue
		}
		src := f.art
		if src.Meta.Draft && !b.o.drafts {
			continue
		}
		a, err := b.newArticle(m, src, f, seedByFile)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if m.hugo != nil {
			// A Hugo site's page: at Hugo's URL (hugosite.go).
			ok, err := m.hugo.hs.placeHugo(m, a)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if !ok || !m.hugo.claim(a) {
				continue
			}
		} else if o, ok := m.bySlug[a.Slug]; ok {
			key := "slug"
			if src.Meta.Slug == "" && src.Meta.ID != "" {
				key = "id"
			}
			errs = append(errs, &article.Error{File: src.Path, Line: frontLine(src, key),
				Err: fmt.Errorf("slug %q is also the slug of %s; two articles cannot share /articles/%s/", a.Slug, o.Src.Path, a.Slug),
				Fix: "give one of " + o.Src.Path + " and " + src.Path + " a different slug: in its front matter"})
			continue
		}
		m.bySlug[a.Slug] = a
		m.byPath[src.Path] = a
		m.articles = append(m.articles, a)
		if name := strings.TrimSpace(src.Meta.Outlet); name != "" {
			slug := slugify(name)
			if slug == "" {
				errs = append(errs, &article.Error{File: src.Path, Line: frontLine(src, "outlet"), Err: fmt.Errorf("outlet %q has no letters or digits", name),
					Fix: "write the outlet's name, e.g. outlet: The Register"})
				continue
			}
			o := outlets[slug]
			if o == nil {
				o = &Outlet{Name: name, Slug: slug, URL: m.rel("outlets/" + slug + "/")}
				outlets[slug] = o
			}
			o.Articles = append(o.Articles, a)
			a.Outlet = o
		}
		title := m.cfg.Story
		if s, ok := src.Meta.Params["story"].(string); ok && strings.TrimSpace(s) != "" {
			title = strings.TrimSpace(s)
		}
		if title == "" {
			continue // a Hugo page that names no story
		}
		st := stories[title]
		if st == nil {
			st = &Story{Title: title}
			stories[title] = st
		}
		st.Articles = append(st.Articles, a)
		a.Story = st
	}
	if m.hugo != nil {
		if err := m.hugo.build(m); err != nil {
			errs = append(errs, err)
		}
		if len(errs) == 0 {
			m.hugo.ownPaths(m)
			if err := m.hugo.expandAll(ctx, m, b.o.workers); err != nil {
				errs = append(errs, err)
			}
		} else {
			// Report the shortcode problems of the other pages too.
			errs = append(errs, m.hugo.checkShortcodes(m)...)
		}
	}
	if len(errs) > 0 {
		return nil, joinErrors(errs)
	}
	sortByDate(m.articles)
	for _, a := range m.articles {
		if a.Date.After(m.latest) {
			m.latest = a.Date
		}
	}
	for _, k := range sortedKeys(outlets) {
		o := outlets[k]
		sortByDate(o.Articles)
		m.outlets = append(m.outlets, o)
	}
	sort.SliceStable(m.outlets, func(i, j int) bool { return strings.ToLower(m.outlets[i].Name) < strings.ToLower(m.outlets[j].Name) })
	slugs := map[string]bool{}
	for _, k := range sortedKeys(stories) {
		st := stories[k]
		st.Slug = uniqueSlug(slugs, slugify(st.Title), "story")
		st.URL = m.rel("stories/" + st.Slug + "/")
		sortByDate(st.Articles)
		st.Count = len(st.Articles)
		for i, a := range st.Articles {
			if i > 0 {
				a.Prev = st.Articles[i-1]
			}
			if i+1 < len(st.Articles) {
				a.Next = st.Articles[i+1]
			}
		}
		m.stories = append(m.stories, st)
	}
	for _, s := range m.seeds {
		sortByDate(s.Articles)
	}
	m.index = make(map[*Article]int, len(m.articles))
	for i, a := range m.articles {
		a.linkFP = linkKey(a)
		a.setDates()
		m.index[a] = i
	}
	return m, nil
}

// uniqueSlug returns slug, or slug-2, slug-3 ... when taken, and records it.
func uniqueSlug(taken map[string]bool, slug, fallback string) string {
	if slug == "" {
		slug = fallback
	}
	s := slug
	for n := 2; taken[s]; n++ {
		s = slug + "-" + strconv.Itoa(n)
	}
	taken[s] = true
	return s
}

func (b *Builder) newArticle(m *model, src *article.Article, f *srcFile, seeds map[string]*Seed) (*Article, error) {
	meta := &src.Meta
	slug, slugKey := meta.Slug, "slug"
	if slug == "" && meta.ID != "" {
		// A stable id makes the permalink, so renaming the file moves nothing.
		slug, slugKey = meta.ID, "id"
	}
	if slug == "" {
		base := path.Base(src.Path)
		slug = strings.TrimSuffix(base, path.Ext(base))
		if slug == "index" || slug == "_index" {
			slug = path.Base(path.Dir(src.Path))
		}
	}
	if err := checkSegment(slug); err != nil && b.hugo == nil {
		return nil, &article.Error{File: src.Path, Line: frontLine(src, slugKey), Err: fmt.Errorf("%s %v", slugKey, err),
			Fix: "use " + slugKey + " of letters, digits and hyphens, e.g. " + slugKey + ": interpol-encryption"}
	}
	id := meta.ID
	if id == "" {
		id = slug
	}
	a := &Article{Src: src, Slug: slug, ID: id, URL: m.rel("articles/" + slug + "/"),
		Title: meta.Title, Subtitle: meta.Subtitle, Author: meta.Author, Date: meta.Date,
		Summary: meta.Summary, SourceURL: meta.SourceURL, hash: f.hash, src: f}
	if a.Summary == "" {
		a.Summary = a.Subtitle
	}
	if c := f.body; c != nil { // known from when the file was last rendered
		if a.Summary == "" {
			a.Summary = c.summary
		}
		a.Words, a.Comments = c.words, c.comments
	}
	a.Permalink = m.base + a.URL
	a.place = placement{out: m.outputDir(a.URL) + "index.html", dir: m.outputDir(a.URL), home: m.basePath, base: m.base}
	if a.SourceURL != "" {
		if u, err := url.Parse(a.SourceURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, &article.Error{File: src.Path, Line: frontLine(src, "source_url"),
				Err: fmt.Errorf("source_url %q is not an http(s) URL", a.SourceURL), Fix: "write the archived article's address, https://…"}
		}
	}
	if meta.Seed != "" {
		if strings.HasPrefix(meta.Seed, "/") || strings.Contains(meta.Seed, "..") || strings.Contains(meta.Seed, "\\") {
			return nil, &article.Error{File: src.Path, Line: frontLine(src, "seed"),
				Err: fmt.Errorf("seed %q is not a path inside seeds/", meta.Seed), Fix: "write the seed as seeds/<file>, relative to the site root"}
		}
		p := path.Clean(meta.Seed)
		if !strings.HasPrefix(p, "seeds/") {
			p = "seeds/" + p
		}
		s := seeds[p]
		if s == nil {
			return nil, &article.Error{File: src.Path, Line: frontLine(src, "seed"),
				Err: fmt.Errorf("seed %q not found", meta.Seed), Fix: "put the raw file in seeds/ or correct the seed: path"}
		}
		if want := strings.ToLower(strings.TrimSpace(meta.SeedSHA256)); want != "" && want != s.SHA256 {
			return nil, &article.Error{File: src.Path, Line: frontLine(src, "seed_sha256"),
				Err: fmt.Errorf("seed_sha256 %s does not match %s, whose SHA-256 is %s", want, p, s.SHA256),
				Fix: "restore the seed file as archived (seeds are never edited), or correct seed_sha256"}
		}
		a.Seed = s
		s.Articles = append(s.Articles, a)
	}
	for _, al := range meta.Aliases {
		if _, err := checkSitePath(al); err != nil {
			return nil, &article.Error{File: src.Path, Line: frontLine(src, "aliases"), Err: fmt.Errorf("alias %v", err),
				Fix: "write aliases as site paths such as /2019/11/old-name/"}
		}
	}
	return a, nil
}

func countLines(b []byte) int {
	n := bytes.Count(b, []byte("\n"))
	if len(b) > 0 && b[len(b)-1] != '\n' {
		n++
	}
	return n
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// countWords counts runs of non-space bytes (space: ' ' and '\t' through
// '\r', as strings.Fields has for ASCII) without allocating, eight bytes
// at a time: a word begins at a non-space byte after a space (or at the
// start). TestCountWords and FuzzCountWords hold it to a byte-at-a-time
// count (it was 0.18 CPU-s of a 10,000-article build).
func countWords(b []byte) int {
	const (
		lo = 0x0101010101010101
		hi = 0x8080808080808080
	)
	n := 0
	var prev uint64 // the high bit of the last byte read: non-space
	for len(b) >= 8 {
		x := binary.LittleEndian.Uint64(b)
		b = b[8:]
		// the high bit of each byte that is not ' ' (a non-zero byte of
		// t): (t&0x7f..)+0x7f.. sets it when the low seven bits are not
		// zero, carrying into no other byte; | t when it was set.
		t := x ^ (0x20 * lo)
		nz := (((t &^ hi) + (hi - lo)) | t) & hi
		// '\t'..'\r' (9..13) among ASCII bytes: (x|hi)-9 keeps its high
		// bit when the byte is >= 9, (x|hi)-14 loses it when < 14.
		h := x | hi
		ctl := (h - 9*lo) &^ (h - 14*lo) &^ x & hi
		ns := nz &^ ctl // the high bits of non-space bytes
		starts := ns &^ (ns<<8 | prev)
		n += bits.OnesCount64(starts)
		prev = ns >> 56
	}
	in := prev != 0
	for _, c := range b {
		space := c == ' ' || c-'\t' < 5
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}
