package site

import (
	"context"
	"io/fs"

	"github.com/yuin/goldmark"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// An Option changes how a site is built.
type Option func(*options)

type options struct {
	baseURL   string
	drafts    bool
	layouts   fs.FS // embedded defaults; nil = the layouts package's
	spans     func(*article.Article) []Span
	seedLines func(file string, data []byte) [][2]int
	pending   []func() bool
	analyze   []func(context.Context, Config, []*Article) error
	markdown  []goldmark.Extender
	workers   int
	pages     []func(*SiteData) ([]ExtraPage, error)
	files     []func(*SiteData) (map[string][]byte, error)
	nav       []NavLink
	minify    bool // WithMinify, in minify.go
}

// WithNav adds links to the navigation of every page (.Site.Nav, after the
// layout's own links): the pages a feature adds WithPages. A link's URL is
// relative to the site's root ("search/"); layouts get it under baseURL's
// path.
func WithNav(links ...NavLink) Option {
	return func(o *options) { o.nav = append(o.nav, links...) }
}

// ExtraPage is a page that another part of the archive adds to the site
// (a search page, passage pages): it is rendered by baseof.html with
// layouts/<Kind>.html, which defines "main", and gets Data as .Data.
type ExtraPage struct {
	Path        string // output path, e.g. "search/index.html"
	Kind        string // layout name without .html, e.g. "search"
	Title       string
	Description string
	Data        any
	// Inputs fingerprints everything the page shows; the page is rendered
	// again only when it changes. Zero means: the JSON encoding of Data.
	Inputs [32]byte
}

// WithPages adds the pages f returns; f sees the site's articles, outlets
// and seeds as the layouts do.
func WithPages(f func(*SiteData) ([]ExtraPage, error)) Option {
	return func(o *options) { o.pages = append(o.pages, f) }
}

// WithFiles adds files (a search index, data) to the output by slash path.
func WithFiles(f func(*SiteData) (map[string][]byte, error)) Option {
	return func(o *options) { o.files = append(o.files, f) }
}

// WithBaseURL overrides archive.toml's baseURL (as `archive build --baseURL` does).
func WithBaseURL(u string) Option { return func(o *options) { o.baseURL = u } }

// WithDrafts includes articles whose front matter says draft: true.
func WithDrafts(b bool) Option { return func(o *options) { o.drafts = b } }

// WithDefaultLayouts replaces the embedded default layouts (the files at the
// root of fsys) that a site's own layouts/ folder overrides by name.
func WithDefaultLayouts(fsys fs.FS) Option { return func(o *options) { o.layouts = fsys } }

// WithSpans sets the function that says which stretches of each article's
// Body an annotation layer wants marked. The spans reach the Markdown
// renderer through the parser context (see SpansFrom), where an AST
// transformer added WithMarkdown turns them into nodes. The spans are part of
// an article page's fingerprint: a changed span re-renders the page.
func WithSpans(f func(*article.Article) []Span) Option { return func(o *options) { o.spans = f } }

// WithAnalysis sets a function that sees every article of a build (drafts
// only WithDrafts), with URLs, outlets and seeds linked, before spans are
// asked for and Markdown is rendered: an annotation layer finds what the
// articles share there, and may set each Article's Annotations for layouts.
// An error stops the build and is reported as the build's error. Several
// analyses run in the order of their options, so a later one sees what an
// earlier one attached.
func WithAnalysis(f func(ctx context.Context, arts []*Article) error) Option {
	return WithSiteAnalysis(func(ctx context.Context, _ Config, arts []*Article) error { return f(ctx, arts) })
}

// WithSiteAnalysis is WithAnalysis for a hook that also needs the site's
// configuration (its title, and baseURL as overridden by WithBaseURL), such
// as citations that name the archive. It may set each Article's Extra.
func WithSiteAnalysis(f func(ctx context.Context, cfg Config, arts []*Article) error) Option {
	return func(o *options) { o.analyze = append(o.analyze, f) }
}

// WithSeedLines sets the function that says which lines of each raw seed
// (1-based, inclusive ranges) its page highlights, e.g. the lines that hold
// a passage. file is the seed's site path, e.g. seeds/000_x.txt.
func WithSeedLines(f func(file string, data []byte) [][2]int) Option {
	return func(o *options) { o.seedLines = f }
}

// WithMarkdown adds goldmark extensions (parsers, AST transformers,
// renderers) to the Markdown of every article.
func WithMarkdown(ext ...goldmark.Extender) Option {
	return func(o *options) { o.markdown = append(o.markdown, ext...) }
}

// WithWorkers sets how many pages render at once (default GOMAXPROCS).
func WithWorkers(n int) Option { return func(o *options) { o.workers = n } }

// WithPending registers a function that says whether a layer put off work
// in the last build (as a live layer does to answer an edit at once) and
// wants another build to finish it. Builder.Pending asks them all.
func WithPending(f func() bool) Option {
	return func(o *options) { o.pending = append(o.pending, f) }
}
