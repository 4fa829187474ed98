package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	gmtext "github.com/yuin/goldmark/text"

	"github.com/archive-project/archive/cmd/archive/internal/article"
	"github.com/archive-project/archive/cmd/archive/internal/hugoconfig"
	"github.com/archive-project/archive/cmd/archive/internal/shortcode"
)

// A Hugo site is a site root with a Hugo configuration (hugo.toml,
// config.toml, config/_default/ …; see package hugoconfig). The archive
// builds it as Hugo lays it out: the content folder as Hugo reads it
// (sections, page bundles and their resources, _index.md pages, .html
// content; see hugocontent.go), pages at Hugo's URLs (hugopaths.go),
// section, taxonomy and term lists, static/ copied, shortcodes run
// (package shortcode), and Markdown as Hugo renders it (hugomarkdown.go).
// Its own layouts/ are Hugo's templates, which the archive does not run:
// it renders with its layouts, and uses the site's shortcodes and
// partials. A site without a Hugo configuration is an archive: its
// articles are at /articles/<slug>/.

// hugoSite is what a build reads of a Hugo site beyond its pages.
type hugoSite struct {
	cfg      *hugoconfig.Config
	tree     *contentTree
	sc       *shortcode.Set
	data     map[string]any
	i18n     map[string]any
	static   map[string]string   // output path -> source path (the site's static/ over its themes')
	raws     map[string]*srcFile // static files, resources and loose files, by source path
	branches map[string]*srcFile // _index files
	md       goldmark.Markdown
	orig     map[*article.Article][]byte // bodies as written, where Body has shortcodes masked
	present  time.Time                   // the newest date of the site's pages: "now" for expiryDate
}

// hugoPage is what the build knows of one page of a Hugo site.
type hugoPage struct {
	section  string   // first folder under content/, "" at the root
	sections []string // folders of the page's nearest section
	out      string   // output file, e.g. post/x/index.html
	aliases  []string // site paths
	terms    map[string][]string
	weight   int
	sp       *shortcode.Page
	exp      *shortcode.Expansion
	key      Key  // of what its shortcodes made
	html     bool // .html content: the body is HTML
}

// placement says where an article's page and the files beside it are.
type placement struct {
	out  string // output file
	dir  string // folder of files published beside the page ("" at the root, else ending in /)
	home string // site-relative URL of the home page ("/" or "/sub/")
	base string // scheme://host
}

// Dir is the folder, from the site root, where files published beside the
// article's page go (e.g. "articles/x/", "2019/11/18/x/").
func (a *Article) Dir() string { return a.place.dir }

// FilesURL is the absolute URL of that folder.
func (a *Article) FilesURL() string { return a.place.base + a.place.home + a.place.dir }

// Home is the site-relative URL of the site's home page ("/" or "/sub/").
func (a *Article) Home() string { return a.place.home }

// Section is the first folder of a Hugo page's content path, "" for the
// archive's articles and pages at the root.
func (a *Article) Section() string {
	if a.hugo == nil {
		return ""
	}
	return a.hugo.section
}

// outPath is the output file of the article's page.
func (a *Article) outPath() string {
	if a.place.out != "" {
		return a.place.out
	}
	return "articles/" + a.Slug + "/index.html"
}

// aliases are the site paths that redirect to the article.
func (a *Article) aliases() []string {
	if a.hugo != nil {
		return a.hugo.aliases
	}
	out := make([]string, 0, len(a.Src.Meta.Aliases))
	for _, al := range a.Src.Meta.Aliases {
		p, _ := checkSitePath(al)
		out = append(out, p)
	}
	return out
}

// walkAll lists every file under dir (slash paths), skipping names that
// start with "." or "#" and editor backups; a missing dir is empty.
func walkAll(fsys fs.FS, dir string) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return &article.Error{File: p, Err: err, Fix: "check that the path exists and is readable"}
		}
		name := d.Name()
		if p != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "#") || strings.HasSuffix(name, "~")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// readPage reads a Hugo site's page: front matter and title optional.
func readPage(fsys fs.FS, p string, prev *srcFile) (*srcFile, error) {
	return readSource(fsys, p, prev, func(src []byte, h [32]byte) *srcFile {
		f := &srcFile{hash: h}
		f.art, f.err = article.ParsePage(p, src)
		if f.err == nil {
			if text, masked := pageText(p, f.art.Body); masked {
				f.written, f.art.Body = f.art.Body, text
			}
		}
		return f
	})
}

// pageText is what the archive reads of a Hugo page's text (to find the
// passages pages share, to search, to count words): only its prose, the
// text of its paragraphs, headings, lists and tables, with everything else
// (shortcodes, code, raw HTML, link destinations, Markdown punctuation)
// blanked, every byte at its offset, so that a mark always lands on words
// the page shows. An .html page is blanked whole: the archive places marks
// in Markdown. masked is false when nothing is blanked.
func pageText(p string, body []byte) (text []byte, masked bool) {
	if len(body) == 0 {
		return body, false
	}
	out := bytes.Clone(body)
	for i, c := range out {
		if c != '\n' {
			out[i] = ' '
		}
	}
	if isHTMLContent(p) {
		return out, true
	}
	src := body
	if bytes.Contains(body, []byte("{{<")) || bytes.Contains(body, []byte("{{%")) {
		calls, _ := shortcode.Parse(body, func(string) (bool, bool) { return true, true })
		src = shortcode.Mask(body, calls)
	}
	doc := textFinder.Parser().Parse(gmtext.NewReader(src))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.CodeSpan, *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock, *ast.RawHTML, *ast.AutoLink, *ast.Image:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			copy(out[t.Segment.Start:t.Segment.Stop], src[t.Segment.Start:t.Segment.Stop])
		}
		return ast.WalkContinue, nil
	})
	if bytes.Equal(out, body) {
		return body, false
	}
	return out, true
}

// textFinder parses a Hugo page's Markdown to find its prose.
var textFinder = goldmark.New(goldmark.WithExtensions(extension.GFM, extension.DefinitionList, extension.Footnote))

// themeDirs are the folders of the site's themes, first wins.
func themeDirs(cfg *hugoconfig.Config) []string {
	var out []string
	for _, t := range cfg.Themes {
		out = append(out, path.Join(cfg.ThemesDir, t))
	}
	return out
}

// loadHugo reads a Hugo site: its content folder, static files, data,
// translations and shortcodes. Pages are read into b.content.
func (b *Builder) loadHugo(ctx context.Context, cfg *hugoconfig.Config) error {
	hs := &hugoSite{cfg: cfg, static: map[string]string{}}
	prev := b.hugo
	if prev == nil {
		prev = &hugoSite{}
	}
	files, err := walkAll(b.fsys, cfg.ContentDir)
	if err != nil {
		return err
	}
	hs.tree = classifyContent(files, cfg)
	if len(hs.tree.other) > 0 {
		var errs []error
		for _, p := range hs.tree.other {
			errs = append(errs, &article.Error{File: p, Err: fmt.Errorf("content in %s is not supported: the archive reads Markdown and HTML", path.Ext(p)),
				Fix: "convert it to Markdown (pandoc -t gfm) or add it to ignoreFiles in the site's config"})
		}
		return errors.Join(errs...)
	}
	content, err := readAll(ctx, b.fsys, hs.tree.pages, b.content, b.o.workers, readPage)
	if err != nil {
		return err
	}
	hs.branches, err = readAll(ctx, b.fsys, hs.tree.branches, prev.branches, b.o.workers, readPage)
	if err != nil {
		return err
	}
	// Files published as they are: static folders (the site's over its
	// themes'), bundle resources and loose content files.
	var raw []string
	dirs := append([]string(nil), cfg.StaticDirs...)
	for _, t := range themeDirs(cfg) {
		dirs = append(dirs, path.Join(t, "static"))
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		sf, err := walkAll(b.fsys, dirs[i])
		if err != nil {
			return err
		}
		for _, p := range sf {
			hs.static[strings.TrimPrefix(p, dirs[i]+"/")] = p
		}
	}
	for _, p := range hs.static {
		raw = append(raw, p)
	}
	for _, l := range hs.tree.resources {
		raw = append(raw, l...)
	}
	raw = append(raw, hs.tree.loose...)
	sort.Strings(raw)
	hs.raws, err = readAll(ctx, b.fsys, raw, prev.raws, b.o.workers, readSeed)
	if err != nil {
		return err
	}
	themes := themeDirs(cfg)
	dataDirs, i18nDirs, layoutDirs := []string{"data"}, []string{"i18n"}, []string{"layouts"}
	for _, t := range themes {
		dataDirs = append(dataDirs, path.Join(t, "data"))
		i18nDirs = append(i18nDirs, path.Join(t, "i18n"))
		layoutDirs = append(layoutDirs, path.Join(t, "layouts"))
	}
	if hs.data, err = loadData(b.fsys, dataDirs); err != nil {
		return err
	}
	if hs.i18n, err = loadI18n(b.fsys, i18nDirs, cfg.DefaultContentLanguage); err != nil {
		return err
	}
	hs.md = newHugoMarkdown(cfg.Goldmark, b.o.markdown)
	plain := newHugoMarkdown(cfg.Goldmark, nil)
	markdownify := func(s string) (string, error) {
		var buf bytes.Buffer
		err := plain.Convert([]byte(s), &buf)
		return buf.String(), err
	}
	hs.sc = shortcode.NewSet(b.fsys, shortcode.WithLayoutDirs(layoutDirs...), shortcode.WithMarkdown(markdownify),
		shortcode.WithHighlight(highlightCode), shortcode.WithPathCase(cfg.DisablePathToLower),
		shortcode.WithInlineShortcodes(cfg.EnableInlineShortcodes), shortcode.WithNow(time.Unix(0, 0).UTC()))
	hs.orig = map[*article.Article][]byte{}
	for _, f := range content {
		if f.written != nil && f.art != nil {
			hs.orig[f.art] = f.written
		}
	}
	for _, f := range hs.branches {
		if f.written != nil && f.art != nil {
			hs.orig[f.art] = f.written
		}
	}
	for _, f := range content {
		if f.art != nil {
			if d := pageDate(f.art); d.After(hs.present) {
				hs.present = d
			}
		}
	}
	b.content, b.hugo = content, hs
	return nil
}

// body is a page's body as written (with its shortcodes).
func (hs *hugoSite) body(a *article.Article) []byte {
	if b, ok := hs.orig[a]; ok {
		return b
	}
	return a.Body
}

// humanTitle makes a title of a file or folder name: "my-first-post" is
// "My first post".
func humanTitle(name string) string {
	s := strings.TrimSpace(strings.NewReplacer("-", " ", "_", " ").Replace(name))
	if s == "" {
		return name
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// frontString reads a front-matter key Hugo knows and the archive keeps in
// Params (url, type, description ...), case-insensitively.
func frontValue(a *article.Article, key string) any {
	for k, v := range a.Meta.Params {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

func frontString(a *article.Article, key string) string {
	s, _ := frontValue(a, key).(string)
	return strings.TrimSpace(s)
}

func frontBool(a *article.Article, key string) bool {
	b, _ := frontValue(a, key).(bool)
	return b
}

// frontList reads a list of strings (or one string) from front matter.
func frontList(a *article.Article, key string) []string {
	switch v := frontValue(a, key).(type) {
	case string:
		if strings.TrimSpace(v) != "" {
			return []string{strings.TrimSpace(v)}
		}
	case []any:
		var out []string
		for _, x := range v {
			if s := strings.TrimSpace(fmt.Sprint(x)); s != "" && x != nil {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// contentRel is a content file's path in the content folder.
func (hs *hugoSite) contentRel(p string) string {
	return strings.TrimPrefix(p, hs.cfg.ContentDir+"/")
}

// unpublished reports whether a page's front matter keeps it off the site:
// headless: true, build: {render: never} (Hugo 0.109+, _build likewise),
// or outputs that do not include HTML (a section that is only a feed).
func unpublished(a *article.Article) bool {
	if frontBool(a, "headless") {
		return true
	}
	if outs := frontList(a, "outputs"); len(outs) > 0 {
		html := false
		for _, o := range outs {
			html = html || strings.EqualFold(o, "html")
		}
		if !html {
			return true
		}
	}
	for _, k := range []string{"build", "_build"} {
		if m, ok := frontValue(a, k).(map[string]any); ok {
			for kk, v := range m {
				if strings.EqualFold(kk, "render") {
					if s, _ := v.(string); s == "never" || v == false {
						return true
					}
				}
			}
		}
	}
	return false
}

// pageDate is a page's date as Hugo takes it: date, else publishDate,
// else lastmod.
func pageDate(a *article.Article) time.Time {
	if !a.Meta.Date.IsZero() {
		return a.Meta.Date
	}
	for _, k := range []string{"publishdate", "pubdate", "published", "lastmod", "modified"} {
		switch v := frontValue(a, k).(type) {
		case time.Time:
			return v
		case string:
			if t, err := article.ParseDate(v); err == nil {
				return t
			}
		}
	}
	return time.Time{}
}

// frontTime reads a date from front matter (expiryDate, lastmod ...).
func frontTime(a *article.Article, key string) time.Time {
	switch v := frontValue(a, key).(type) {
	case time.Time:
		return v
	case string:
		if t, err := article.ParseDate(v); err == nil {
			return t
		}
	}
	return time.Time{}
}

// placeHugo gives an article of a Hugo site its URL and output path.
// It reports false for a page that is not published (headless).
func (hs *hugoSite) placeHugo(m *model, a *Article) (bool, error) {
	src := a.Src
	if unpublished(src) {
		return false, nil
	}
	cfg := hs.cfg
	if exp := frontTime(src, "expirydate"); !exp.IsZero() && !cfg.BuildExpired && exp.Before(hs.present) {
		// Expired, as Hugo leaves it out; the archive's "now" is its
		// newest page's date, so that a build does not depend on the clock.
		return false, nil
	}
	rel := hs.contentRel(src.Path)
	dir := path.Dir(rel)
	name := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
	name, _ = langOf(name+path.Ext(rel), map[string]bool{cfg.DefaultContentLanguage: true})
	if name == "index" {
		// A leaf bundle: the folder names the page.
		name = path.Base(dir)
		dir = path.Dir(dir)
	}
	if dir == "." {
		dir = ""
	}
	hp := &hugoPage{html: isHTMLContent(src.Path)}
	if i := strings.IndexByte(rel, '/'); i >= 0 && !(name == path.Base(path.Dir(rel)) && dir == "") {
		hp.section = rel[:i]
	}
	hp.sections = hs.sectionsOf(dir)
	a.hugo = hp
	if a.Title == "" {
		a.Title = humanTitle(name)
	}
	if a.Date.IsZero() {
		a.Date = pageDate(src)
	}
	if w, ok := frontValue(src, "weight").(int64); ok {
		hp.weight = int(w)
	}
	t := hugoTarget{Kind: "page", BaseName: name, URL: frontString(src, "url"), KeepCase: cfg.DisablePathToLower,
		Ugly: cfg.UglyURLs || cfg.UglyURLsSections[hp.section]}
	if dir != "" {
		t.Dir = dir + "/"
	}
	if src.Meta.Slug != "" {
		t.BaseName = src.Meta.Slug
	}
	if pat, ok := cfg.Permalinks[hp.section]; ok && t.URL == "" {
		if err := checkPermalink(pat); err != nil {
			return false, &article.Error{File: hs.cfg.Files[0], Err: err, Fix: "use Hugo's permalink attributes: :year :month :day :slug :title :filename :section :sections"}
		}
		t.Expanded = expandPermalink(pat, permalinkPage{Date: a.Date, Title: a.Title, Slug: src.Meta.Slug, FileName: name,
			Section: hp.section, Sections: hp.sections, KeepCase: cfg.DisablePathToLower})
	}
	file, link, res := hugoPaths(t)
	if err := checkOutputPath(file); err != nil {
		return false, &article.Error{File: src.Path, Line: frontLine(src, "url"), Err: fmt.Errorf("the page's URL %q: %v", link, err),
			Fix: "write url: as a path on this site, such as /about/"}
	}
	hp.out = file
	a.URL = m.rel(strings.TrimPrefix(link, "/"))
	a.Permalink = m.base + a.URL
	a.place = placement{out: file, dir: res, home: m.basePath, base: m.base}
	a.Slug = path.Base(strings.TrimSuffix(strings.TrimSuffix(link, "/"), ".html"))
	if src.Meta.ID == "" {
		a.ID = strings.Trim(strings.TrimSuffix(link, ".html"), "/")
	}
	// Aliases: one that does not start with / is relative to the page's
	// folder, as Hugo resolves it.
	linkDir := path.Dir(strings.TrimSuffix(link, "/"))
	for _, al := range src.Meta.Aliases {
		if !strings.HasPrefix(al, "/") && !strings.Contains(al, "://") {
			al = path.Join(linkDir, al)
		}
		p, err := checkSitePath(al)
		if err != nil {
			return false, &article.Error{File: src.Path, Line: frontLine(src, "aliases"), Err: fmt.Errorf("alias %v", err),
				Fix: "write aliases as site paths such as /2019/11/old-name/"}
		}
		hp.aliases = append(hp.aliases, p)
	}
	hp.terms = map[string][]string{}
	for _, tx := range cfg.Taxonomies {
		terms := frontList(src, tx.Plural)
		if len(terms) == 0 && (tx.Plural == "author" || tx.Plural == "authors") {
			// author is a key the archive reads itself.
			terms = src.Meta.Authors
			if len(terms) == 0 && src.Meta.Author != "" {
				terms = []string{src.Meta.Author}
			}
		}
		if len(terms) > 0 {
			hp.terms[tx.Plural] = terms
		}
	}
	return true, nil
}

// sectionsOf is the path of the nearest section of a content folder: the
// first folder always, deeper ones when they have an _index file.
func (hs *hugoSite) sectionsOf(dir string) []string {
	if dir == "" {
		return nil
	}
	parts := strings.Split(dir, "/")
	n := 1
	for i := 2; i <= len(parts); i++ {
		if hs.isBranch(strings.Join(parts[:i], "/")) {
			n = i
		}
	}
	return parts[:n]
}

// isBranch reports whether a content folder (relative to the content
// folder) has an _index file.
func (hs *hugoSite) isBranch(dir string) bool {
	for _, b := range hs.tree.branches {
		if path.Dir(hs.contentRel(b)) == dir {
			return true
		}
	}
	return false
}

// branchAt returns the parsed _index file of a content folder, or nil.
func (hs *hugoSite) branchAt(dir string) *article.Article {
	for _, b := range hs.tree.branches {
		d := path.Dir(hs.contentRel(b))
		if d == "." {
			d = ""
		}
		if d == dir {
			if f := hs.branches[b]; f != nil && f.err == nil {
				return f.art
			}
		}
	}
	return nil
}

// highlightCode renders code for the highlight shortcode with the site's
// chroma classes.
func highlightCode(code, lang string, opts map[string]string) (string, error) {
	var buf bytes.Buffer
	if err := writeHighlighted(&buf, code, lang); err != nil {
		return "", err
	}
	return buf.String(), nil
}

var _ = template.HTML("")

// applyHugoConfig reads a Hugo site's configuration into cfg: its title,
// baseURL (when absolute), languageCode (else the default language),
// params.description and copyright. archive.toml, read after, wins.
func applyHugoConfig(fsys fs.FS, cfg *Config) error {
	hc, err := hugoconfig.Load(fsys, "production")
	if err != nil {
		var he *hugoconfig.Error
		if errors.As(err, &he) {
			return &article.Error{File: he.File, Line: he.Line, Err: he.Err, Fix: he.Fix}
		}
		return err
	}
	if len(hc.Files) == 0 {
		return nil
	}
	cfg.Hugo = hc
	// The archive's defaults are about news archives: a Hugo site says
	// what it is itself (params.description), and its pages belong to a
	// story only when their front matter names one (archive.toml's story
	// gives every page one).
	cfg.Description, cfg.Story = "", ""
	if hc.Title != "" {
		cfg.Title = hc.Title
	}
	if hc.BaseURL != "" && checkBaseURL(hc.BaseURL) == nil {
		cfg.BaseURL = hc.BaseURL
		if !strings.HasSuffix(cfg.BaseURL, "/") {
			cfg.BaseURL += "/"
		}
	}
	switch {
	case hc.LanguageCode != "":
		cfg.Language = hc.LanguageCode
	case hc.DefaultContentLanguage != "":
		cfg.Language = hc.DefaultContentLanguage
	}
	if hc.Description != "" {
		cfg.Description = strings.Join(strings.Fields(htmlText(hc.Description)), " ")
	}
	cfg.License = hc.Copyright
	cfg.Paginate = hc.PagerSize
	return nil
}

// htmlText is the text of a little HTML (a description with a link).
func htmlText(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// hugoChanged reports whether an edit touches what a Hugo site reads
// beyond archive.toml, content/, layouts/ and seeds/ (its configuration,
// content folder, static files, themes, data, translations): the build
// then reads the site again (files whose bytes are the same are reused).
func (b *Builder) hugoChanged(changed []string) bool {
	for _, p := range changed {
		p = strings.TrimPrefix(path.Clean("/"+strings.ReplaceAll(p, "\\", "/")), "/")
		top, _, _ := strings.Cut(p, "/")
		for _, n := range hugoconfig.RootNames {
			if p == n {
				return true
			}
		}
		if b.hugo == nil {
			continue
		}
		switch top {
		case hugoconfig.Dir, "static", "data", "i18n", "layouts", b.hugo.cfg.ThemesDir, strings.Split(b.hugo.cfg.ContentDir, "/")[0]:
			return true
		}
		for _, d := range b.hugo.cfg.StaticDirs {
			if p == d || strings.HasPrefix(p, d+"/") {
				return true
			}
		}
	}
	return false
}

// joinErrors reports several problems as one error, ordered by file and
// line, each once.
func joinErrors(errs []error) error {
	var flat []error
	var walk func(error)
	walk = func(e error) {
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range j.Unwrap() {
				walk(x)
			}
			return
		}
		if e != nil {
			flat = append(flat, e)
		}
	}
	for _, e := range errs {
		walk(e)
	}
	pos := func(e error) (string, int) {
		var ae *article.Error
		if errors.As(e, &ae) {
			return ae.File, ae.Line
		}
		var le *shortcode.LineError
		if errors.As(e, &le) {
			return le.File, le.Line
		}
		return "", 0
	}
	sort.SliceStable(flat, func(i, j int) bool {
		fi, li := pos(flat[i])
		fj, lj := pos(flat[j])
		if fi != fj {
			return fi < fj
		}
		return li < lj
	})
	seen := map[string]bool{}
	var out []error
	for _, e := range flat {
		if s := e.Error(); !seen[s] {
			seen[s] = true
			out = append(out, e)
		}
	}
	if len(out) == 1 {
		return out[0]
	}
	return errors.Join(out...)
}

// claim takes a's output file for it, or reports that an earlier page
// (by content path) has it: Hugo writes one of two such pages over the
// other; the archive keeps the first and says so.
func (hm *hugoModel) claim(a *Article) bool {
	if hm.claimed == nil {
		hm.claimed = map[string]*Article{}
	}
	if o, ok := hm.claimed[a.outPath()]; ok {
		hm.warnings = append(hm.warnings, fmt.Sprintf("%s is left out: its URL %s is also the URL of %s (give one of them another slug or url)",
			a.Src.Path, a.URL, o.Src.Path))
		return false
	}
	hm.claimed[a.outPath()] = a
	return true
}
