package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// Page is the data every layout is executed with.
type Page struct {
	Kind        string // home, single, outlet, seed, 404, alias
	Title       string // the page's own title (the site title is added by baseof)
	Description string
	URL         string // site-relative URL of the page
	Permalink   string // absolute URL (canonical)
	Site        *SiteData
	Article     *Article // single
	Outlet      *Outlet  // outlet
	Seed        *Seed    // seed
	Target      string   // alias: the URL it redirects to
	Data        any      // pages added WithPages: their data
	JSONLD      any      // schema.org data for <script type="application/ld+json">
}

// SiteData is what every page knows of the site.
type SiteData struct {
	Config
	Home       string // site-relative URL of the home page
	Stylesheet string // site-relative URL of the fingerprinted stylesheet
	Feed       string // site-relative URL of the Atom feed
	Articles   []*Article
	Outlets    []*Outlet
	Stories    []*Story
	Seeds      []*Seed
	Snapshots  []*Snapshot // packages published with the site, by name
	Nav        []NavLink   // links that features add to the site's navigation (WithNav)
}

// NavLink is a link of the site's navigation.
type NavLink struct {
	Title string
	URL   string // site-relative
}

// LatestSnapshot is the last snapshot by name (names start with their
// date), or nil.
func (s *SiteData) LatestSnapshot() *Snapshot {
	if len(s.Snapshots) == 0 {
		return nil
	}
	return s.Snapshots[len(s.Snapshots)-1]
}

var templateFuncs = template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return "undated"
		}
		return t.Format("2 January 2006")
	},
	"isodate": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339)
	},
	"shortdate": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	},
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return fmt.Sprintf("%d %s", n, one)
		}
		return fmt.Sprintf("%d %s", n, many)
	},
}

// pageSpec is one output file: its path, the fingerprint of its inputs, and
// how to make its bytes. Raw files are copied as they are and need no
// fingerprint.
type pageSpec struct {
	path   string
	fp     [32]byte
	raw    []byte                    // files copied as they are
	render func(*bytes.Buffer) error // pages rendered
	kind   string
	asset  bool // raw, but made by the site (stylesheet, scripts): minified WithMinify
}

// fpWriter builds fingerprints: it gathers length-prefixed fields in a
// buffer and hashes them once.
type fpWriter struct{ b []byte }

// fpPool recycles fingerprint buffers: a build makes one per page.
var fpPool = sync.Pool{New: func() any { return &fpWriter{b: make([]byte, 0, 512)} }}

func newFP(kind string) *fpWriter {
	f := fpPool.Get().(*fpWriter)
	f.b = f.b[:0]
	f.str(kind)
	return f
}
func (f *fpWriter) str(ss ...string) *fpWriter {
	for _, s := range ss {
		f.b = strconv.AppendInt(f.b, int64(len(s)), 10)
		f.b = append(f.b, ':')
		f.b = append(f.b, s...)
	}
	return f
}
func (f *fpWriter) sum(hs ...[32]byte) *fpWriter {
	for _, h := range hs {
		f.b = append(f.b, h[:]...)
	}
	return f
}

// done returns the fingerprint; f must not be used after.
func (f *fpWriter) done() [32]byte {
	h := sha256.Sum256(f.b)
	if cap(f.b) <= 64<<10 {
		fpPool.Put(f)
	}
	return h
}

// listFingerprint covers everything a list entry or link shows of a.
func listFingerprint(a *Article) [32]byte {
	f := newFP("list").str(a.Slug, a.ID, a.URL, a.Title, a.Subtitle, a.Author, a.Date.Format(time.RFC3339Nano),
		a.Summary, a.SourceURL)
	if a.Outlet != nil {
		f.str(a.Outlet.Name, a.Outlet.URL)
	}
	if a.Seed != nil {
		f.str(a.Seed.URL, a.Seed.SHA256)
	}
	if a.Story != nil {
		f.str(a.Story.Title)
	}
	return f.done()
}

// pages lists every output file of the site.
func (b *Builder) pageSpecs(m *model) ([]pageSpec, error) {
	ls := b.layouts
	css, cssName := stylesheet(ls.css)
	site := &SiteData{Config: m.cfg, Home: m.rel(""), Stylesheet: m.rel(cssName), Feed: m.rel("index.xml"),
		Articles: m.articles, Outlets: m.outlets, Stories: m.stories, Seeds: m.seeds, Snapshots: m.snapshots}
	sfp := newFP("site").str(m.cfg.Title, m.cfg.Description, m.cfg.BaseURL, m.cfg.Language, m.cfg.Organization,
		m.cfg.Contact, m.cfg.ContactEmail, m.cfg.Story, m.cfg.License, m.base, m.basePath, cssName)
	for _, l := range b.o.nav {
		site.Nav = append(site.Nav, NavLink{Title: l.Title, URL: m.rel(l.URL)})
		sfp.str(l.Title, l.URL)
	}
	siteFP := sfp.done()
	specs := make([]pageSpec, 0, 2*len(m.articles)+len(m.outlets)+2*len(m.seeds)+16)
	all := &fpWriter{b: make([]byte, 0, 32*len(m.articles)+16)}
	for _, a := range m.articles {
		all.sum(a.listFP)
	}
	allFP := all.done()
	lists := newFP("lists").sum(allFP)
	for _, o := range m.outlets {
		lists.str(o.Name, o.URL, fmt.Sprint(len(o.Articles)))
	}
	for _, s := range m.seeds {
		lists.str(s.URL, s.SHA256)
	}
	for _, s := range m.stories {
		lists.str(s.Title)
	}
	for _, s := range m.snapshots {
		lists.str(s.URL, s.SHA256)
	}
	listsFP := lists.done()
	add := func(kind, p string, fp [32]byte, page *Page) {
		page.Kind = kind
		page.Site = site
		if page.URL == "" {
			page.URL = m.rel(strings.TrimSuffix(p, "index.html"))
		}
		if page.Permalink == "" {
			page.Permalink = m.base + page.URL
		}
		t := ls.kinds[kind]
		f := newFP(kind).sum(ls.kindFP[kind], siteFP, fp)
		if ls.lists[kind] {
			f.sum(listsFP)
		}
		specs = append(specs, pageSpec{path: p, kind: kind, fp: f.done(),
			render: func(w *bytes.Buffer) error {
				if err := t.Execute(w, page); err != nil {
					return templateError(err, ls.sources)
				}
				return nil
			}})
	}

	// Home.
	add("home", "index.html", listsFP, &Page{Title: "", Description: m.cfg.Description, URL: m.rel("")})

	// Articles.
	for _, a := range m.articles {
		f := newFP("single").sum(a.listFP, a.hash, a.spansFP)
		for _, o := range a.Story.Articles {
			f.sum(o.listFP)
		}
		if a.Outlet != nil {
			f.str(fmt.Sprint(len(a.Outlet.Articles)))
		}
		desc := a.Summary
		pg := &Page{Title: a.Title, Description: desc, Article: a}
		add("single", a.outPath(), f.done(), pg)
		inner := specs[len(specs)-1].render
		specs[len(specs)-1].render = func(w *bytes.Buffer) error {
			pg.JSONLD = newsArticle(m, a) // only for pages that render
			return inner(w)
		}
		for _, p := range a.aliases() {
			add("alias", aliasFile(p), newFP("alias").str(a.URL).done(),
				&Page{Title: a.Title, Target: a.URL, URL: m.rel(p + "/"), Permalink: a.Permalink})
		}
	}
	// Outlets.
	for _, o := range m.outlets {
		f := newFP("outlet").str(o.Name, jsonKey(o.Annotations))
		for _, a := range o.Articles {
			f.sum(a.listFP)
		}
		add("outlet", "outlets/"+o.Slug+"/index.html", f.done(), &Page{Title: o.Name,
			Description: fmt.Sprintf("Articles from %s in the archive.", o.Name), Outlet: o})
	}
	// Seeds.
	for _, s := range m.seeds {
		f := newFP("seed").sum(s.hash).str(s.Name, fmt.Sprint(s.Highlight), jsonKey(s.Annotations))
		for _, a := range s.Articles {
			f.sum(a.listFP)
		}
		s := s
		page := &Page{Title: "Seed " + s.Name, Description: "The raw archived text of " + s.File + ", exactly as captured.", Seed: s}
		add("seed", "seeds/"+s.Name+"/index.html", f.done(), page)
		inner := specs[len(specs)-1].render
		specs[len(specs)-1].render = func(w *bytes.Buffer) error {
			code, err := highlightSeed(s.data, s.Highlight)
			if err != nil {
				return &article.Error{File: s.File, Err: err, Fix: "report this as a bug: the seed could not be highlighted"}
			}
			cp := *s
			cp.Code = template.HTML(code)
			page.Seed = &cp
			return inner(w)
		}
		specs = append(specs, pageSpec{path: s.File, fp: s.hash, raw: s.data})
	}
	add("404", "404.html", [32]byte{}, &Page{Title: "Page not found", URL: m.rel("404.html")})
	if m.hugo != nil {
		b.hugoLists(m, add)
	}
	for _, s := range m.snapshots {
		specs = append(specs, pageSpec{path: s.File, fp: sha256.Sum256([]byte(s.SHA256)), raw: s.data})
	}
	for _, name := range sortedKeys(ls.scripts) {
		specs = append(specs, pageSpec{path: name, fp: sha256.Sum256(ls.scripts[name]), raw: ls.scripts[name], asset: true})
	}
	for _, f := range b.o.pages {
		extra, err := f(site)
		if err != nil {
			return nil, err
		}
		for _, e := range extra {
			if _, ok := ls.kinds[e.Kind]; !ok {
				return nil, &article.Error{File: "layouts/" + e.Kind + ".html", Err: fmt.Errorf("no layout for the %s page /%s", e.Kind, e.Path),
					Fix: "add layouts/" + e.Kind + ".html defining \"main\""}
			}
			if err := checkOutputPath(e.Path); err != nil {
				return nil, err
			}
			in := e.Inputs
			if in == ([32]byte{}) {
				j, err := json.Marshal(e.Data)
				if err != nil {
					return nil, fmt.Errorf("page /%s: %w", e.Path, err)
				}
				in = sha256.Sum256(j)
			}
			add(e.Kind, e.Path, in, &Page{Title: e.Title, Description: e.Description, Data: e.Data})
			if strings.HasSuffix(e.Path, "index.html") {
				m.extra = append(m.extra, m.abs(strings.TrimSuffix(e.Path, "index.html")))
			}
		}
	}
	sort.Strings(m.extra)
	for _, f := range b.o.files {
		files, err := f(site)
		if err != nil {
			return nil, err
		}
		for _, p := range sortedKeys(files) {
			if err := checkOutputPath(p); err != nil {
				return nil, err
			}
			specs = append(specs, pageSpec{path: p, raw: files[p]}) // copied as is: no fingerprint
		}
	}
	if hasAliases(m) {
		specs = append(specs, pageSpec{path: RedirectsFile, fp: newFP("redirects").sum(siteFP, aliasFP(m)).done(),
			render: func(w *bytes.Buffer) error { return writeRedirects(w, m) }})
	}
	specs = append(specs,
		pageSpec{path: cssName, fp: sha256.Sum256(css), raw: css, asset: true},
		pageSpec{path: "index.xml", fp: feedFP(m, siteFP), render: func(w *bytes.Buffer) error { return writeFeed(w, m) }},
		pageSpec{path: "sitemap.xml", fp: sitemapFP(m, siteFP), render: func(w *bytes.Buffer) error { return writeSitemap(w, m) }},
		pageSpec{path: "robots.txt", fp: siteFP, render: func(w *bytes.Buffer) error {
			fmt.Fprintf(w, "User-agent: *\nAllow: /\n\nSitemap: %s\n", m.abs("sitemap.xml"))
			return nil
		}},
	)
	if m.hugo != nil {
		specs = append(specs, b.hugoFeeds(m, siteFP)...)
		specs = b.withHugoRaw(m, specs)
	}
	return specs, nil
}

// checkOutputPath rejects output paths that would leave the site folder.
func checkOutputPath(p string) error {
	if p == "" || !fs.ValidPath(p) || strings.Contains(p, "\\") {
		return fmt.Errorf("output path %q is not a slash path inside the site", p)
	}
	return nil
}

// renderItems renders layouts/item.html once per article (or takes it from
// the cache), for the lists on the home, article and outlet pages.
func (b *Builder) renderItems(ctx context.Context, m *model) error {
	t := b.layouts.kinds["home"].Lookup(itemLayout)
	if t == nil {
		return nil
	}
	tfp := b.layouts.kindFP["home"]
	// The cache is updated in place: an edit re-renders one entry, and
	// the other 9,999 of a large archive cost a map look-up each.
	var todo []int
	for i, a := range m.articles {
		if c, ok := b.items[a.Src.Path]; ok && c.layout == tfp && c.list == a.listFP {
			a.Item = c.html
			continue
		}
		todo = append(todo, i)
	}
	err := parallel(ctx, len(todo), b.o.workers, func(j int) error {
		a := m.articles[todo[j]]
		var buf bytes.Buffer
		if err := t.Execute(&buf, a); err != nil {
			return templateError(err, b.layouts.sources)
		}
		a.Item = template.HTML(buf.String())
		return nil
	})
	if err != nil {
		return err
	}
	for _, i := range todo {
		a := m.articles[i]
		b.items[a.Src.Path] = cachedItem{layout: tfp, list: a.listFP, html: a.Item}
	}
	if len(b.items) > len(m.articles) { // articles were removed
		keep := make(map[string]bool, len(m.articles))
		for _, a := range m.articles {
			keep[a.Src.Path] = true
		}
		for p := range b.items {
			if !keep[p] {
				delete(b.items, p)
			}
		}
	}
	return nil
}

// itemLayout renders one article as an entry of a list.
const itemLayout = "item.html"

// render renders the pages whose fingerprints changed and collects the site.
func (b *Builder) render(ctx context.Context, m *model) (*Output, *Report, error) {
	if err := b.renderItems(ctx, m); err != nil {
		return nil, nil, err
	}
	specs, err := b.pageSpecs(m)
	if err != nil {
		return nil, nil, err
	}
	files := make(map[string][]byte, len(specs))
	var mz *minifier
	if b.o.minify {
		mz = newMinifier()
		for i, s := range specs {
			if s.asset {
				specs[i].raw = mz.file(s.path, s.raw)
			}
		}
	}
	var todo []int
	rep := &Report{}
	pages := 0 // rendered pages, cached
	for _, s := range specs {
		if _, dup := files[s.path]; dup {
			j := slices.IndexFunc(specs, func(o pageSpec) bool { return o.path == s.path })
			return nil, nil, fmt.Errorf("two pages claim /%s: %s and %s", s.path, describe(m, specs[j]), describe(m, s))
		}
		files[s.path] = nil // claimed; filled below
		if s.raw == nil {
			pages++
		}
	}
	for i, s := range specs {
		if s.raw != nil {
			files[s.path] = s.raw
			continue
		}
		if c, ok := b.pages[s.path]; ok && c.fp == s.fp {
			files[s.path] = c.data
			rep.Reused++
			continue
		}
		todo = append(todo, i)
	}
	out := make([][]byte, len(todo))
	err = parallel(ctx, len(todo), b.o.workers, func(j int) error {
		var buf bytes.Buffer
		if old, ok := b.pages[specs[todo[j]].path]; ok {
			buf.Grow(len(old.data) + 1024)
		} else {
			buf.Grow(16 << 10)
		}
		if err := specs[todo[j]].render(&buf); err != nil {
			return err
		}
		out[j] = buf.Bytes()
		if mz != nil {
			out[j] = mz.file(specs[todo[j]].path, out[j])
		}
		if cap(out[j]) > len(out[j])+len(out[j])/8 { // keep no slack for the life of the site
			out[j] = bytes.Clone(out[j])
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	rep.Rendered = len(todo)
	// The page cache is updated in place: after an edit most of a large
	// site's pages are reused, and copying the cache cost a map of 20,000
	// entries per build.
	for j, i := range todo {
		s := specs[i]
		files[s.path] = out[j]
		b.pages[s.path] = cachedPage{fp: s.fp, data: out[j]}
	}
	if len(b.pages) > pages { // pages that are gone
		for p := range b.pages {
			if _, ok := files[p]; !ok {
				delete(b.pages, p)
			}
		}
	}
	o := newOutputAfter(files, b.last)
	if m.hugo != nil {
		o.warns = m.hugo.warnings
	}
	if b.last != nil {
		for _, p := range o.paths {
			old, ok := b.last.files[p]
			if !ok || !bytes.Equal(old, files[p]) {
				rep.Changed = append(rep.Changed, p)
			}
		}
		for _, p := range b.last.paths {
			if _, ok := files[p]; !ok {
				rep.Changed = append(rep.Changed, p)
			}
		}
		sort.Strings(rep.Changed)
	} else {
		rep.Changed = o.Paths()
	}
	b.last = o
	return o, rep, nil
}

func describe(m *model, s pageSpec) string {
	for _, a := range m.articles {
		if s.path == a.outPath() {
			return "the article " + a.Src.Path
		}
		for _, p := range a.aliases() {
			if aliasFile(p) == s.path {
				return "an alias of " + a.Src.Path
			}
		}
	}
	return "the " + s.kind + " page"
}

// newsArticle is the schema.org NewsArticle of an article page.
func newsArticle(m *model, a *Article) map[string]any {
	d := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         a.Title,
		"url":              a.Permalink,
		"mainEntityOfPage": a.Permalink,
		"inLanguage":       m.cfg.Language,
	}
	if a.Summary != "" {
		d["description"] = a.Summary
	}
	if !a.Date.IsZero() {
		d["datePublished"] = a.Date.Format(time.RFC3339)
	}
	if a.Author != "" {
		d["author"] = map[string]any{"@type": "Person", "name": a.Author}
	}
	if a.Outlet != nil {
		d["publisher"] = map[string]any{"@type": "NewsMediaOrganization", "name": a.Outlet.Name}
	}
	if a.SourceURL != "" {
		d["isBasedOn"] = a.SourceURL
		d["sameAs"] = a.SourceURL
	}
	if a.Words > 0 {
		d["wordCount"] = a.Words
	}
	if m.cfg.Organization != "" {
		d["sourceOrganization"] = map[string]any{"@type": "Organization", "name": m.cfg.Organization}
	}
	return d
}

// jsonKey is the fingerprint of v, for fingerprints (see appendKey).
func jsonKey(v any) string {
	if v == nil {
		return ""
	}
	return string(appendKey(nil, v))
}
