package site

import (
	"bytes"
	"path"
	"regexp"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
)

// WithMinify minifies what the site renders, as `hugo --minify` does:
// HTML pages, the stylesheet, the layouts' scripts, feeds and sitemaps,
// JSON and SVG. Files published as they are (seeds, snapshots, static/,
// page-bundle resources) are never changed. Text inside <pre>, <code> and
// <textarea> keeps its whitespace.
func WithMinify(on bool) Option { return func(o *options) { o.minify = on } }

// minifier minifies rendered files by their extension.
type minifier struct{ m *minify.M }

func newMinifier() *minifier {
	m := minify.New()
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true,
		KeepSpecialComments: true, KeepDefaultAttrVals: true})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("application/javascript", js.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]json$`), json.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFuncRegexp(regexp.MustCompile(`[/+]xml$`), xml.Minify)
	return &minifier{m: m}
}

var minifyTypes = map[string]string{
	".html": "text/html", ".css": "text/css", ".js": "application/javascript", ".mjs": "application/javascript",
	".json": "application/json", ".jsonld": "application/ld+json", ".xml": "application/xml", ".svg": "image/svg+xml",
}

// file returns b minified when p's extension is one it knows; on a
// minifier error it returns b as it was (a page is never lost to it).
func (mz *minifier) file(p string, b []byte) []byte {
	mt, ok := minifyTypes[path.Ext(p)]
	if !ok {
		return b
	}
	var out bytes.Buffer
	out.Grow(len(b))
	if err := mz.m.Minify(mt, &out, bytes.NewReader(b)); err != nil {
		return b
	}
	return out.Bytes()
}
