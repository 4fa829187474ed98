package site

import (
	"io/fs"

	"github.com/yuin/goldmark"
)

// An Option changes how a site is built.
type Option func(*options)

type options struct {
	baseURL  string
	drafts   bool
	layouts  fs.FS // embedded defaults; nil = the layouts package's
	markdown []goldmark.Extender
	workers  int
	features []Feature
	minify   bool   // WithMinify, in minify.go
	store    string // WithStore, in store.go
	// keepBodies is how many bytes of bodies a build keeps while it
	// renders (keepBodiesUpTo; tests set it with withKeepBodies).
	keepBodies int
}

// WithFeatures adds features to the build (see Feature), in order: a
// later feature's Analyze runs after an earlier one's.
func WithFeatures(f ...Feature) Option {
	return func(o *options) { o.features = append(o.features, f...) }
}

// WithBaseURL overrides archive.toml's baseURL (as `archive build --baseURL` does).
func WithBaseURL(u string) Option { return func(o *options) { o.baseURL = u } }

// WithDrafts includes articles whose front matter says draft: true.
func WithDrafts(b bool) Option { return func(o *options) { o.drafts = b } }

// WithDefaultLayouts replaces the embedded default layouts (the files at the
// root of fsys) that a site's own layouts/ folder overrides by name.
func WithDefaultLayouts(fsys fs.FS) Option { return func(o *options) { o.layouts = fsys } }

// WithMarkdown adds goldmark extensions (parsers, AST transformers,
// renderers) to the Markdown of every article.
func WithMarkdown(ext ...goldmark.Extender) Option {
	return func(o *options) { o.markdown = append(o.markdown, ext...) }
}

// WithWorkers sets how many pages render at once (default GOMAXPROCS).
func WithWorkers(n int) Option { return func(o *options) { o.workers = n } }
