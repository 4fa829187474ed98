package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"sync"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/article"
	htmltemplate "github.com/archive-project/archive/cmd/archive/internal/gotemplates/htmltemplate"
)

// A Feature adds to the site what the plain site does not have: shared
// passages and editor's notes (package annotations), search (package
// search). Features are given to a build WithFeatures, in order.
//
// Data flows one way. Each build calls, for every feature in order:
//
//  1. Analyze, once, with the loaded site (articles with their URLs,
//     outlets, stories, seeds and the site's configuration): the feature
//     reads what it needs (annotations finds the shared passages here);
//  2. while the site's own pages render, several at a time: Article for
//     each article page, Outlet for each outlet page, Seed for each seed
//     page, if the feature implements ArticleFeature, OutletFeature or
//     SeedFeature: typed additions to those pages (marks and notes in the
//     body, short lists of links, highlighted seed lines, files published
//     beside the page);
//  3. Emit, once the site's article pages are rendered: the feature's own
//     pages and files, as a stream, each with a Key of what it shows.
//
// A feature never calls back into the build, and the site never hands it
// anything untyped: what it adds is typed (ArticleAdditions ...), and
// HTML comes from layouts (Site.Render).
//
// # Incremental builds
//
// A Builder builds again and again (archive serve). Site.Full reports
// whether this build starts afresh; otherwise Site.Changed tells which
// articles are new or changed since the last build. A feature says what
// an edit invalidates beyond those: Site.Invalidate for each article,
// outlet or seed whose additions changed (annotations: the articles that
// share a passage with an edited one). The site asks again for the
// additions of changed and invalidated pages only, and renders a page
// again only when its Key changed; an emitted page or file is rendered
// again only when its Key changed.
type Feature interface {
	// Analyze reads the loaded site, before anything is rendered. An
	// error stops the build and is reported as the build's error.
	Analyze(ctx context.Context, s *Site) error
	// Emit adds the feature's pages and files. It runs after the site's
	// article pages rendered (so entries know their summaries).
	Emit(ctx context.Context, s *Site, out *Emitter) error
}

// EarlyFeature is a Feature with work that needs the loaded site but no
// feature's analysis: Early is called for each feature, in order, before
// any Analyze, and the fn it returns (when not nil) runs in a goroutine of
// its own while the features analyse the site. Search reads and
// tokenises the articles while annotations finds the shared passages, a
// search whose later stages leave a core partly idle. As with Beside, the
// feature collects fn's result itself (a Beside fn or Emit may wait for
// it); the build waits for fn before it returns, cancelling its ctx
// first, and fn should then stop soon. fn may read what Site holds of the
// articles and their Body, which stays safe to call when the build lets
// the bodies go after the analyses (dropBodies); nothing an Analyze makes.
type EarlyFeature interface {
	Feature
	Early(s *Site) func(ctx context.Context)
}

// ArticleFeature is a Feature that adds to article pages. Article is
// called from several goroutines at once, after Analyze.
type ArticleFeature interface {
	Feature
	Article(s *Site, a *Article) (ArticleAdditions, error)
}

// OutletFeature is a Feature that adds to outlet pages.
type OutletFeature interface {
	Feature
	Outlet(s *Site, o *Outlet) (OutletAdditions, error)
}

// SeedFeature is a Feature that adds to raw seed pages.
type SeedFeature interface {
	Feature
	Seed(s *Site, sd *Seed) (SeedAdditions, error)
}

// NavFeature is a Feature with links in the site's navigation (.Site.Nav),
// such as its own pages (/search/). URLs are relative to the site root
// ("search/").
type NavFeature interface {
	Feature
	Nav() []NavLink
}

// PendingFeature is a Feature that may put work off to answer an edit at
// once (archive serve): Pending reports whether the last build did, and
// the server then builds again at once with no changes to finish it.
type PendingFeature interface {
	Feature
	Pending() bool
}

// DoneFeature is a Feature told how each build it analysed ended: Done(nil)
// after a good build, Done(err) after one that failed or was stopped (an
// edit in `archive serve` stops the follow-up build), whose pages nobody
// sees. A feature that compares what it computes with what it computed
// before (to Invalidate what changed) must compare with what the last good
// build showed: Done(err) is its cue to forget what the failed build
// would have shown, and to redo it.
type DoneFeature interface {
	Feature
	Done(err error)
}

// WaitFeature is a Feature that may leave work running after a build was
// stopped, so as to answer the edit that stopped it at once (annotations
// lets a stopped search for passages run to its next check of the
// context). Wait returns when that work has ended; Builder.Wait calls it.
type WaitFeature interface {
	Feature
	Wait()
}

// ArticleAdditions are what a feature adds to an article's page.
type ArticleAdditions struct {
	// Marks are stretches of the body to mark, each with its note, in
	// any order; the site numbers the notes in reading order.
	Marks []Mark
	// Related is a short list of links shown beside the article (e.g.
	// the other articles it shares passages with).
	Related Related
	// Files are published in the article's folder, beside its page
	// (e.g. annotations.jsonld).
	Files []File
}

// Mark is a stretch of an article's body (Article.Src.Body[Start:End], the
// byte offsets annotate reports) that a feature marks, with its note.
type Mark struct {
	Start, End int
	ID         string        // element id of the mark: its note is note-ID, its reference ref-ID
	Class      string        // classes of the <mark>, for CSS
	Label      string        // what kind of note: "Quoted source text", "Editor's note"
	Note       template.HTML // the note's content, made from a layout (Site.Render)
}

// Note is a mark's note as layouts see it: numbered in reading order.
type Note struct {
	N     int
	ID    string
	Label string
	HTML  template.HTML
}

// Link is a link a feature adds to a page.
type Link struct {
	Text   string
	URL    string // site-relative
	Detail string // shown beside the link, e.g. "3 passages"
	Class  string // e.g. passage-source
}

// Related is a short list of links and how many more there are.
type Related struct {
	Links []Link
	More  int // further entries not listed
}

// File is a file a feature publishes beside a page.
type File struct {
	Name string // file name in the page's folder, e.g. annotations.jsonld
	Data []byte
}

// OutletAdditions are what a feature adds to an outlet's page.
type OutletAdditions struct {
	Related Related // e.g. the passages its articles share
}

// SeedAdditions are what a feature adds to a raw seed's page.
type SeedAdditions struct {
	Lines []SeedLine // lines to highlight, with what they hold
}

// SeedLine links lines of a raw seed (1-based, inclusive) to what they hold.
type SeedLine struct {
	From, To int
	Link     Link
}

// Site is the loaded site as features see it in one build.
type Site struct {
	Config   Config
	Home     string     // site-relative URL of the home page: "/" or "/sub/"
	AbsHome  string     // absolute URL of the home page
	Articles []*Article // in date order (undated last)
	Outlets  []*Outlet
	Stories  []*Story
	Seeds    []*Seed
	// Newest is the newest article date (zero when none is dated).
	Newest time.Time

	full    bool
	only    bool
	narrow  bool
	edited  []*Article // a narrow build's edited articles, in date order
	changed map[*Article]bool
	byPath  map[string]*Article
	ls      *layoutSet

	mu          sync.Mutex
	invArticles map[*Article]bool
	invOutlets  map[*Outlet]bool
	invSeeds    map[*Seed]bool

	beside []func(context.Context) // see Beside
	frags  fragments               // see Fragment
}

// Beside runs fn in a goroutine of its own once every feature has analysed
// the site, while the pages are made: work that needs the analyses and
// nothing of the pages (search's index of the only build) fills the time
// the page workers leave a core idle, waiting for the kernel or for each
// other, instead of running after them. A feature calls it from Analyze,
// and collects fn's result itself (in Emit). The build waits for fn before
// it returns: when the build fails, fn's ctx is cancelled first, and fn
// should then stop soon. fn may read an Article's Body; not the pages.
func (s *Site) Beside(fn func(ctx context.Context)) { s.beside = append(s.beside, fn) }

// Full reports whether this build starts afresh: the first build, or one
// after a change to the configuration or the layouts. Every page is then
// made anew and features should forget what they kept.
func (s *Site) Full() bool { return s.full }

// Only reports whether this is the only build of its Builder (Build,
// BuildTo: `archive build`, a snapshot's): a feature may let go of what it
// holds as soon as the pages that show it are made, instead of keeping it
// for the next build.
func (s *Site) Only() bool { return s.only }

// Incremental reports whether this build is narrow: an edit changed the
// text of a few articles (Changed) and nothing else, and the build keeps
// every page and file of the last build that it does not make again. A
// feature then emits only the pages and files that the edit may have
// changed, or calls Widen. In any other build a feature emits all its
// pages and files, and what it does not emit is gone.
func (s *Site) Incremental() bool { return s.narrow }

// Widen makes this build look at every page, for a feature whose analysis
// reaches further than the edited articles (it found the passages anew).
// Call it from Analyze.
func (s *Site) Widen() { s.narrow = false }

// Changed reports whether a is new or its file changed since the last
// build (always true in a full build).
func (s *Site) Changed(a *Article) bool { return s.full || s.changed[a] }

// ChangedArticles lists the articles Changed reports, in date order.
func (s *Site) ChangedArticles() []*Article {
	if s.full {
		return s.Articles
	}
	if s.edited != nil {
		return s.edited
	}
	var out []*Article
	for _, a := range s.Articles {
		if s.changed[a] {
			out = append(out, a)
		}
	}
	return out
}

// Article returns the build's article whose content file is at path, or nil.
func (s *Site) Article(path string) *Article { return s.byPath[path] }

// Invalidate says that a's additions changed in this build although its
// file did not: the site asks for them again.
func (s *Site) Invalidate(a *Article) {
	s.mu.Lock()
	s.invArticles[a] = true
	s.mu.Unlock()
}

// InvalidateOutlet says that o's additions changed.
func (s *Site) InvalidateOutlet(o *Outlet) {
	s.mu.Lock()
	s.invOutlets[o] = true
	s.mu.Unlock()
}

// InvalidateSeed says that sd's additions changed.
func (s *Site) InvalidateSeed(sd *Seed) {
	s.mu.Lock()
	s.invSeeds[sd] = true
	s.mu.Unlock()
}

// Render executes the layout partial name (a layouts/*.html file that is
// not a page kind) with data: how features make the HTML they add, such as
// a mark's note, so that every piece of HTML comes from a template a site
// can override.
func (s *Site) Render(name string, data any) (template.HTML, error) {
	t := s.ls.partial(name)
	if t == nil {
		return "", layoutMissing(name)
	}
	return s.execute(t, data)
}

// layoutMissing is the error of a feature's partial that no layout set
// has.
func layoutMissing(name string) error {
	return &article.Error{File: "layouts/" + name, Err: errors.New("layout missing"),
		Fix: "add layouts/" + name + " (copy the embedded default from the archive's layouts/ folder)"}
}

// renderTo executes the layout partial name with data as Render does,
// appending the HTML to b.
func (s *Site) renderTo(b *bytes.Buffer, name string, data any) error {
	t := s.ls.partial(name)
	if t == nil {
		return layoutMissing(name)
	}
	if err := t.Execute(b, data); err != nil {
		return templateError(err, s.ls.sources)
	}
	return nil
}

// renderBufs are the buffers Site.Render and Site.Fragment execute
// templates into: the HTML is copied out once, at its length, instead of
// growing a new builder a doubling at a time for every note.
var renderBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// execute executes t with data into a string.
func (s *Site) execute(t *htmltemplate.Template, data any) (template.HTML, error) {
	b := renderBufs.Get().(*bytes.Buffer)
	b.Reset()
	defer func() {
		if b.Cap() <= 64<<10 { // not the odd huge one
			renderBufs.Put(b)
		}
	}()
	if err := t.Execute(b, data); err != nil {
		return "", templateError(err, s.ls.sources)
	}
	return template.HTML(b.String()), nil
}

// Paginate cuts a list of n entries into pages at the site-relative path
// dir ("passages/"), Config.Paginate entries a page (see Pager).
func (s *Site) Paginate(n int, dir string) []*Pager {
	return Paginate(n, s.Config.Paginate, s.Home+dir, dir)
}

// URL is the site-relative URL of the site path p ("passages/x/").
func (s *Site) URL(p string) string { return s.Home + p }

// AbsURL is the absolute URL of the site path p.
func (s *Site) AbsURL(p string) string { return s.AbsHome + p }

func (s *Site) invalidated(a *Article) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.invArticles[a]
}

func (s *Site) seedInvalidated(sd *Seed) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.invSeeds[sd]
}

func (s *Site) outletInvalidated(o *Outlet) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.invOutlets[o]
}

// FeaturePage is a page a feature adds (Emitter.Page): rendered by
// baseof.html with layouts/<Kind>.html, which defines "main", and given
// what Data returns as .Data.
type FeaturePage struct {
	Path        string // output path, e.g. "passages/p-1/index.html"
	Kind        string // layout name without .html, e.g. "passage"
	Title       string
	Description string
	Pager       *Pager // the page of a paginated list it is, or nil
	// Key is the fingerprint of everything the page shows (not zero): the
	// page is rendered again only when it changes.
	Key Key
	// Data makes the page's .Data; it is called only when the page is
	// rendered, from any goroutine.
	Data func() (any, error)
}

// FeatureFile is a file a feature adds (Emitter.File).
type FeatureFile struct {
	Path string
	Key  Key // as FeaturePage.Key
	Data func() ([]byte, error)
}

// Emitter takes a feature's pages and files (Feature.Emit) and renders
// them as they come, several at a time.
type Emitter struct {
	r       *run
	name    string
	feature int // its place among the build's features
	all     bool
	mu      sync.Mutex
	paths   map[string]bool // emitted in this build
}

// All says that the feature emits all its pages and files in this build,
// although it is narrow (Site.Incremental): those it emitted in the last
// build and not in this one are gone.
func (e *Emitter) All() { e.all = true }

func (e *Emitter) record(p string) {
	e.mu.Lock()
	if e.paths == nil {
		e.paths = map[string]bool{}
	}
	e.paths[p] = true
	e.mu.Unlock()
}

// finish records what the feature emitted, and in a narrow build that
// emitted all, removes what it no longer has.
func (e *Emitter) finish() {
	r := e.r
	if !r.narrow {
		r.next.emitted[e.feature] = e.paths
		return
	}
	set := r.next.emitted[e.feature]
	if e.all {
		for p := range set {
			if !e.paths[p] {
				r.remove(p)
			}
		}
		r.mu.Lock()
		r.undo = append(r.undo, func() { r.next.emitted[e.feature] = set })
		r.next.emitted[e.feature] = e.paths
		r.mu.Unlock()
		return
	}
	var added []string
	for p := range e.paths {
		if !set[p] {
			added = append(added, p)
		}
	}
	if len(added) == 0 {
		return
	}
	if set == nil {
		set = map[string]bool{}
		r.next.emitted[e.feature] = set
	}
	for _, p := range added {
		set[p] = true
	}
	r.mu.Lock()
	r.undo = append(r.undo, func() {
		for _, p := range added {
			delete(set, p)
		}
	})
	r.mu.Unlock()
}

// Last returns the file p as the last good build wrote it, when that
// build made it from key: a feature that emitted p need not hold its
// bytes once the build is good (search lets go of its index's files,
// and reads back the few shards an edit patches). False when the last
// build made p from other inputs, or no build has.
func (e *Emitter) Last(p string, key Key) ([]byte, bool) {
	r := e.r
	if r.last.out == nil {
		return nil, false
	}
	r.mu.Lock()
	old, ok := r.last.files[p] // a narrow build's may be this build's: the sum tells
	r.mu.Unlock()
	if !ok || old.key != key || key == 0 {
		return nil, false
	}
	b, ok := r.last.out.Bytes(p)
	if !ok || KeyBytes(b) != old.sum {
		return nil, false
	}
	return b, true
}

// Page adds a page. It may block while earlier pages render.
func (e *Emitter) Page(p FeaturePage) error {
	if p.Key == 0 {
		return fmt.Errorf("%s: page /%s has no Key", e.name, p.Path)
	}
	e.record(p.Path)
	return e.r.featurePage(p)
}

// File adds a file.
func (e *Emitter) File(f FeatureFile) error {
	if f.Key == 0 {
		return fmt.Errorf("%s: file /%s has no Key", e.name, f.Path)
	}
	e.record(f.Path)
	return e.r.featureFile(f)
}
