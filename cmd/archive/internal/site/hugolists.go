package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/yuin/goldmark/parser"

	"github.com/archive-project/archive/cmd/archive/internal/article"
	"github.com/archive-project/archive/cmd/archive/internal/marks"
	"github.com/archive-project/archive/cmd/archive/internal/shortcode"
)

// A Hugo site's lists, as Hugo publishes them, each cut into pages of
// pagination.pagerSize (paginate) entries, the first at the list's URL,
// the others at page/N/ (and page/1/ redirecting to the first):
//
//	/post/            a section: its _index.md, its pages and sub-sections
//	/tags/            a taxonomy: its terms
//	/tags/<term>/     a term: the pages that name it

// hugoModel is a Hugo site's sections and taxonomies in one build.
type hugoModel struct {
	hs    *hugoSite
	lists []*hugoList // sections, taxonomies and terms, by output path
	home  *hugoList   // the home page's _index.md, when there is one
	site  *shortcode.Site
	pages map[*Article]*shortcode.Page
	// claimed are the output files of the pages placed so far;
	// warnings say what the build left out.
	claimed  map[string]*Article
	warnings []string
	// owned are the output files of the site's own pages (articles,
	// lists, their aliases and feeds), which the archive's feature pages
	// and static files give way to.
	owned map[string]bool
	mu    sync.Mutex // guards warnings while pages render
}

// hugoList is one list of a Hugo site.
type hugoList struct {
	Kind     string // section, taxonomy, term
	Kicker   string // what the list is: "Section", "Tags" ...
	Title    string
	sections []string // path segments, for hugoPaths
	src      *article.Article
	Content  template.HTML
	Pages    []*Article
	Subs     []*hugoList // a section's sub-sections
	Terms    []*hugoList // a taxonomy's terms
	URL      string      // site-relative
	out      string
	resDir   string
	aliases  []string
	sp       *shortcode.Page
	exp      *shortcode.Expansion
	feedOnly bool // outputs: [RSS] without HTML: only its feed is published
}

// Count is how many entries the list pages through.
func (l *hugoList) Count() int { return len(l.Pages) + len(l.Subs) + len(l.Terms) }

// ListPage is the .Data of a page of a Hugo list (layouts/list.html);
// the page's .Pager pages through it, its .Items are its pages' entries.
type ListPage struct {
	Kind    string // section, taxonomy, term
	Kicker  string
	Title   string
	Content template.HTML // the list's _index.md, on its first page
	Subs    []ListLink    // a section's sub-sections (first page)
	Terms   []ListLink    // this page's terms of a taxonomy
	Count   int
}

// ListLink is a link to a list (a sub-section, a term) with its size.
type ListLink struct {
	Title string
	URL   string
	Count int
}

// sortHugo sorts pages as Hugo's default: weight (0 last), newest first,
// then title and path.
func sortHugo(list []*Article) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		wa, wb := weightOf(a), weightOf(b)
		if wa != wb {
			if wa == 0 || wb == 0 {
				return wb == 0
			}
			return wa < wb
		}
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		if a.Title != b.Title {
			return a.Title < b.Title
		}
		return a.Src.Path < b.Src.Path
	})
}

func weightOf(a *Article) int {
	if a.hugo == nil {
		return 0
	}
	return a.hugo.weight
}

// buildHugo makes the sections and taxonomies of a Hugo site from its
// placed articles, and the pages shortcodes see.
func (hm *hugoModel) build(m *model) error {
	hs := hm.hs
	cfg := hs.cfg
	sections := map[string]*hugoList{}
	taxonomy := map[string]bool{}
	for _, tx := range cfg.Taxonomies {
		taxonomy[tx.Plural] = true
	}
	var section func(parts []string) *hugoList
	section = func(parts []string) *hugoList {
		key := strings.Join(parts, "/")
		if l, ok := sections[key]; ok {
			return l
		}
		l := &hugoList{Kind: "section", Kicker: "Section", sections: parts, Title: humanTitle(parts[len(parts)-1])}
		if src := hs.branchAt(key); src != nil {
			l.src = src
			if src.Meta.Title != "" {
				l.Title = src.Meta.Title
			}
		}
		sections[key] = l
		if len(parts) > 1 {
			p := section(hs.sectionsOf(strings.Join(parts[:len(parts)-1], "/")))
			p.Subs = append(p.Subs, l)
		}
		return l
	}
	for _, a := range m.articles {
		if a.hugo != nil && len(a.hugo.sections) > 0 && !taxonomy[a.hugo.sections[0]] {
			l := section(a.hugo.sections)
			l.Pages = append(l.Pages, a)
		}
	}
	for _, b := range hs.tree.branches {
		dir := path.Dir(hs.contentRel(b))
		if dir == "." || taxonomy[strings.Split(dir, "/")[0]] {
			continue // content/tags/go/_index.md is the term's, not a section
		}
		// A section with no pages of its own is still published, or only
		// its feed (outputs: [RSS]), as Hugo does.
		if f := hs.branches[b]; f != nil && f.err == nil && (!unpublished(f.art) || outputsRSS(f.art)) {
			section(strings.Split(dir, "/"))
		}
	}
	var errs []error
	for _, b := range hs.tree.branches {
		if f := hs.branches[b]; f != nil && f.err != nil {
			errs = append(errs, f.err)
		}
	}
	if !cfg.DisableKinds["section"] {
		for _, l := range sections {
			if l.src != nil && unpublished(l.src) {
				if !outputsRSS(l.src) {
					continue // no page of its own, as Hugo leaves it
				}
				l.feedOnly = true
			}
			hm.lists = append(hm.lists, l)
		}
	}
	// Taxonomies.
	for _, tx := range cfg.Taxonomies {
		terms := map[string]*hugoList{}
		var order []string
		term := func(name string) *hugoList {
			key := sanitizePath(name, cfg.DisablePathToLower)
			if key == "" {
				return nil
			}
			t := terms[key]
			if t == nil {
				t = &hugoList{Kind: "term", Kicker: humanTitle(tx.Singular), Title: name, sections: []string{tx.Plural, key}}
				if src := hs.branchAt(tx.Plural + "/" + key); src != nil && src.Meta.Title != "" {
					t.src, t.Title = src, src.Meta.Title
				}
				terms[key] = t
				order = append(order, key)
			}
			return t
		}
		for _, a := range m.articles {
			if a.hugo == nil {
				continue
			}
			for _, name := range a.hugo.terms[tx.Plural] {
				if t := term(name); t != nil && (len(t.Pages) == 0 || t.Pages[len(t.Pages)-1] != a) {
					t.Pages = append(t.Pages, a)
				}
			}
		}
		// A term with its own page (content/tags/go/_index.md) is
		// published even when no page names it, as Hugo does.
		for _, b := range hs.tree.branches {
			dir := path.Dir(hs.contentRel(b))
			if parts := strings.Split(dir, "/"); len(parts) == 2 && parts[0] == tx.Plural {
				if f := hs.branches[b]; f != nil && f.err == nil && !unpublished(f.art) {
					name := parts[1]
					if f.art.Meta.Title != "" {
						name = f.art.Meta.Title
					}
					term(name)
				}
			}
		}
		// Sections name terms too (post/_index.md: tags = ["index"]).
		for _, key := range sortedKeys(sections) {
			l := sections[key]
			if l.src == nil {
				continue
			}
			for _, name := range frontList(l.src, tx.Plural) {
				if t := term(name); t != nil {
					t.Subs = append(t.Subs, l)
				}
			}
		}
		sort.Strings(order)
		tl := &hugoList{Kind: "taxonomy", Kicker: "Taxonomy", Title: humanTitle(tx.Plural), sections: []string{tx.Plural}}
		if src := hs.branchAt(tx.Plural); src != nil && src.Meta.Title != "" {
			tl.src, tl.Title = src, src.Meta.Title
		}
		for _, k := range order {
			tl.Terms = append(tl.Terms, terms[k])
			if !cfg.DisableKinds["term"] {
				hm.lists = append(hm.lists, terms[k])
			}
		}
		if !cfg.DisableKinds["taxonomy"] {
			hm.lists = append(hm.lists, tl)
		}
	}
	for _, l := range hm.lists {
		kind := l.Kind
		t := hugoTarget{Kind: kind, Sections: l.sections, KeepCase: cfg.DisablePathToLower, Ugly: cfg.UglyURLs && kind == "section"}
		if l.src != nil {
			t.URL = frontString(l.src, "url")
		}
		file, link, res := hugoPaths(t)
		l.out, l.resDir, l.URL = file, res, m.rel(strings.TrimPrefix(link, "/"))
		sortHugo(l.Pages)
		sort.SliceStable(l.Subs, func(i, j int) bool { return l.Subs[i].Title < l.Subs[j].Title })
		if l.src != nil {
			linkDir := path.Dir(strings.TrimSuffix(link, "/"))
			for _, al := range l.src.Meta.Aliases {
				if !strings.HasPrefix(al, "/") {
					al = path.Join(linkDir, al)
				}
				p, err := checkSitePath(al)
				if err != nil {
					errs = append(errs, &article.Error{File: l.src.Path, Line: frontLine(l.src, "aliases"), Err: fmt.Errorf("alias %v", err),
						Fix: "write aliases as site paths such as /old-name/"})
					continue
				}
				l.aliases = append(l.aliases, p)
			}
		}
	}
	sort.Slice(hm.lists, func(i, j int) bool { return hm.lists[i].out < hm.lists[j].out })
	if src := hs.branchAt(""); src != nil {
		hm.home = &hugoList{Kind: "home", Title: m.cfg.Title, src: src, URL: m.rel("")}
		for _, al := range src.Meta.Aliases {
			if p, err := checkSitePath(al); err == nil {
				hm.home.aliases = append(hm.home.aliases, p)
			}
		}
	}
	hm.shortcodeSite(m)
	return errors.Join(errs...)
}

// shortcodeSite makes the site that shortcode templates see.
func (hm *hugoModel) shortcodeSite(m *model) {
	hs, cfg := hm.hs, hm.hs.cfg
	s := shortcode.NewSite()
	s.Title, s.BaseURL, s.LanguageCode, s.Copyright = m.cfg.Title, m.base+m.basePath, cfg.LanguageCode, cfg.Copyright
	s.Params, s.Data, s.Lang = cfg.Params, hs.data, cfg.DefaultContentLanguage
	s.SetI18n(hs.i18n)
	s.SetConfig(cfg.Raw)
	hm.pages = map[*Article]*shortcode.Page{}
	homeFile := ""
	if hm.home != nil {
		homeFile = hs.contentRel(hm.home.src.Path)
	}
	home := &shortcode.Page{Title: m.cfg.Title, Kind: "home", RelPermalink: m.rel(""), Permalink: m.abs(""), Params: map[string]any{}}
	if homeFile != "" {
		home.File = shortcode.NewFile(homeFile)
		home.Params = lowerParams(hm.home.src)
		home.Resources = hm.resources(m, hm.home.src.Path, m.basePath)
	}
	s.AddPage(home)
	if hm.home != nil {
		hm.home.sp = home
	}
	for _, l := range hm.lists {
		p := &shortcode.Page{Title: l.Title, Kind: l.Kind, RelPermalink: l.URL, Permalink: m.base + l.URL, Params: map[string]any{}}
		if l.Kind == "section" {
			p.Section = l.sections[0]
		}
		if l.src != nil {
			p.File = shortcode.NewFile(hs.contentRel(l.src.Path))
			p.Params = lowerParams(l.src)
			p.Resources = hm.resources(m, l.src.Path, m.base+m.rel(l.resDir))
		}
		l.sp = p
		s.AddPage(p)
	}
	for _, a := range m.articles {
		if a.hugo == nil {
			continue
		}
		p := &shortcode.Page{Title: a.Title, Kind: "page", Section: a.hugo.section, Type: a.hugo.section, Lang: cfg.DefaultContentLanguage,
			RelPermalink: a.URL, Permalink: a.Permalink, Date: a.Date, Draft: a.Src.Meta.Draft,
			File: shortcode.NewFile(hs.contentRel(a.Src.Path)), Params: lowerParams(a.Src)}
		if p.Type == "" {
			p.Type = "page"
		}
		p.Description = frontString(a.Src, "description")
		p.Resources = hm.resources(m, a.Src.Path, a.FilesURL())
		a.hugo.sp = p
		hm.pages[a] = p
		s.AddPage(p)
	}
	hm.site = s
	hs.sc.SetSite(s)
}

// lowerParams are a page's front matter as Hugo's .Params: every key,
// lower-cased.
func lowerParams(a *article.Article) map[string]any {
	p := map[string]any{}
	for k, v := range a.Meta.Params {
		p[strings.ToLower(k)] = v
	}
	meta := a.Meta
	for k, v := range map[string]any{"title": meta.Title, "subtitle": meta.Subtitle, "author": meta.Author,
		"slug": meta.Slug, "summary": meta.Summary, "outlet": meta.Outlet} {
		if v != "" {
			p[k] = v
		}
	}
	if !meta.Date.IsZero() {
		p["date"] = meta.Date
	}
	if len(meta.Aliases) > 0 {
		p["aliases"] = meta.Aliases
	}
	p["draft"] = meta.Draft
	return p
}

// resources are the bundle files of a content file, as shortcodes see
// them, published under the folder URL dirURL (ending in /).
func (hm *hugoModel) resources(m *model, owner, dirURL string) shortcode.Resources {
	hs := hm.hs
	var out shortcode.Resources
	for _, r := range hs.tree.resources[owner] {
		name := strings.TrimPrefix(r, path.Dir(owner)+"/")
		if strings.HasPrefix(dirURL, m.base) {
			dirURL = strings.TrimPrefix(dirURL, m.base)
		}
		rel := dirURL + name
		f := hs.raws[r]
		out = append(out, shortcode.NewResource(name, rel, m.base+rel, func() []byte {
			if f == nil {
				return nil
			}
			return f.data
		}))
	}
	return out
}

// expandAll runs the shortcodes of every page and list of a Hugo site,
// before anything renders, so that every problem is reported at once. A
// page's key covers what its shortcodes made.
func (hm *hugoModel) expandAll(ctx context.Context, m *model, workers int) error {
	sc := hm.hs.sc
	errs := make([][]error, len(m.articles))
	err := parallel(ctx, len(m.articles), workers, func(i int) error {
		a := m.articles[i]
		if a.hugo == nil {
			return nil
		}
		x, es := sc.Expand(a.hugo.sp, a.Src.Path, a.Src.BodyLine, hm.hs.body(a.Src))
		a.hugo.exp, errs[i] = x, es
		a.hugo.key = 0
		if len(x.Calls) > 0 {
			h := NewHasher()
			for _, c := range x.Calls {
				h.String(c.HTML, c.Text)
			}
			a.hugo.key = h.Sum()
		}
		return nil
	})
	if err != nil {
		return err
	}
	var all []error
	for _, es := range errs {
		all = append(all, es...)
	}
	lists := append([]*hugoList(nil), hm.lists...)
	if hm.home != nil {
		lists = append(lists, hm.home)
	}
	for _, l := range lists {
		if l.src == nil || l.sp == nil {
			continue
		}
		x, es := sc.Expand(l.sp, l.src.Path, l.src.BodyLine, hm.hs.body(l.src))
		all = append(all, es...)
		l.exp = x
		if isHTMLContent(l.src.Path) {
			l.Content = template.HTML(htmlWithOutputs(x))
			continue
		}
		var out bytes.Buffer
		if _, err := renderMarkdownIn(hm.hs.md, x.Source, nil, hm.context(x), &out); err != nil {
			all = append(all, &article.Error{File: l.src.Path, Line: l.src.BodyLine, Err: fmt.Errorf("markdown: %w", err), Fix: "correct the Markdown"})
			continue
		}
		l.Content = template.HTML(out.String())
	}
	return errors.Join(all...)
}

// context is a page's parser context: heading ids as Hugo makes them, and
// its shortcodes' outputs.
func (hm *hugoModel) context(x *shortcode.Expansion) parser.Context {
	kind := "github"
	if hm.hs.cfg.Goldmark.AutoHeadingIDType != "" {
		kind = hm.hs.cfg.Goldmark.AutoHeadingIDType
	}
	pc := parser.NewContext(parser.WithIDs(newHeadingIDs(kind)))
	shortcode.WithExpansion(pc, x)
	return pc
}

// htmlWithOutputs is an .html content file's body with its shortcodes'
// outputs in place.
func htmlWithOutputs(x *shortcode.Expansion) string {
	var b strings.Builder
	at := 0
	for _, c := range x.Calls {
		b.Write(x.Source[at:c.Start])
		b.WriteString(c.HTML)
		at = c.End
	}
	b.Write(x.Source[at:])
	return b.String()
}

// renderPage renders the body of a Hugo site's page (with its marks)
// into out.
func (hm *hugoModel) renderPage(a *Article, spans []marks.Span, out *bytes.Buffer) (bodyFacts, error) {
	x := a.hugo.exp
	if x == nil {
		x = &shortcode.Expansion{Source: hm.hs.body(a.Src)}
	}
	if a.hugo.html {
		h := htmlWithOutputs(x)
		out.WriteString(h)
		return bodyFacts{summary: clip(strings.Join(strings.Fields(stripTags(h)), " "), 240)}, nil
	}
	f, err := renderMarkdownIn(hm.hs.md, x.Source, spans, hm.context(x), out)
	if err != nil {
		return f, err
	}
	if i := summaryAt(a.Src.Body); i >= 0 {
		// The summary is the text before <!--more-->.
		var s bytes.Buffer
		if _, err := renderMarkdownIn(hm.hs.md, x.Source[:i], nil, hm.context(x), &s); err == nil {
			f.summary = clip(strings.Join(strings.Fields(stripTags(s.String())), " "), 600)
		}
	}
	return f, nil
}

// stripTags returns the text of HTML, tags removed and entities kept.
func stripTags(h string) string {
	var b strings.Builder
	in := false
	for _, r := range h {
		switch {
		case r == '<':
			in = true
			b.WriteByte(' ')
		case r == '>' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return template.HTMLEscaper(b.String()) // re-escaped: the summary is text
}

// description is a list's meta description.
func (l *hugoList) description() string {
	if l.src != nil {
		if d := frontString(l.src, "description"); d != "" {
			return d
		}
	}
	switch l.Kind {
	case "term":
		return fmt.Sprintf("Pages tagged %q.", l.Title)
	case "taxonomy":
		return fmt.Sprintf("The %s of the site.", strings.ToLower(l.Title))
	}
	return fmt.Sprintf("The pages of %s.", l.Title)
}

// aliasFile is where an alias's redirect page is written: the alias itself
// when it names an .html file (as Hugo writes it), else its index.html.
func aliasFile(al string) string {
	p := strings.Trim(al, "/")
	if strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".htm") {
		return p
	}
	return p + "/index.html"
}

// Warnings says what the build of a Hugo site left out, and why (a page
// whose URL another page has, as Hugo, which writes one over the other).
func (o *Output) Warnings() []string { return o.warns }

// outputsRSS reports whether a page's outputs front matter names RSS.
func outputsRSS(a *article.Article) bool {
	for _, o := range frontList(a, "outputs") {
		if strings.EqualFold(o, "rss") {
			return true
		}
	}
	return false
}

// checkShortcodes parses the shortcodes of every page without running
// them: the problems a build that stops early still reports.
func (hm *hugoModel) checkShortcodes(m *model) []error {
	var errs []error
	sc := hm.hs.sc
	for _, a := range m.articles {
		if a.hugo == nil {
			continue
		}
		_, perrs := shortcode.Parse(hm.hs.body(a.Src), sc.Lookup)
		for _, e := range perrs {
			errs = append(errs, sc.LineError(a.Src.Path, a.Src.BodyLine, e))
		}
	}
	return errs
}

// listPaths are the output folder of a list and its pages' paths.
func (hm *hugoModel) listDir(l *hugoList) string {
	if strings.HasSuffix(l.out, "index.html") {
		return strings.TrimSuffix(l.out, "index.html")
	}
	return strings.TrimSuffix(l.out, ".html") + "/"
}

// pagers cut a list into pages of the site's page size, under
// pagination.path (page/N/).
func (hm *hugoModel) pagers(m *model, l *hugoList) []*Pager {
	dir := hm.listDir(l)
	pgrs := Paginate(l.Count(), m.cfg.Paginate, l.URL, dir)
	if pp := hm.hs.cfg.PaginatePath; pp != "page" && pp != "" {
		for _, p := range pgrs {
			p.pathSeg = pp
		}
	}
	if l.out != dir+"index.html" {
		pgrs[0].file = l.out // an ugly list: post.html
	}
	return pgrs
}

// ownPaths records the output files of the site's own pages, once they
// are placed and its lists made.
func (hm *hugoModel) ownPaths(m *model) {
	hm.owned = map[string]bool{}
	for _, a := range m.articles {
		hm.owned[a.outPath()] = true
		for _, al := range a.aliases() {
			hm.owned[aliasFile(al)] = true
		}
	}
	for _, l := range hm.lists {
		if l.feedOnly {
			continue
		}
		for _, p := range hm.pagers(m, l) {
			hm.owned[p.Path()] = true
		}
		for _, al := range l.aliases {
			hm.owned[aliasFile(al)] = true
		}
	}
}

// owns reports whether a site page has the output file p (an archive
// feature page of the same path gives way, with a warning).
func (hm *hugoModel) owns(p string) bool { return hm.owned[p] }

// hugoLists renders a Hugo site's lists (with page/1/ redirecting to the
// first page, as Hugo writes it), their aliases and feeds.
func (r *run) hugoLists() {
	m, hm := r.m, r.m.hugo
	pagePath := hm.hs.cfg.PaginatePath
	if pagePath == "" {
		pagePath = "page"
	}
	alias := func(p, target, title string) {
		r.pool.submit(func(w *worker) error {
			return r.page(w, aliasFile(p), "a redirect to "+target, "alias", NewHasher().String(target, title).Sum(),
				&Page{Title: title, Target: target, URL: m.rel(strings.TrimPrefix(p, "/") + "/"), Permalink: m.base + target})
		})
	}
	for _, l := range hm.lists {
		l := l
		// Every section and term has its feed, as in Hugo, even one with
		// no pages yet (a site links to it for readers to subscribe).
		if l.Kind != "taxonomy" && !hm.hs.cfg.DisableKinds["rss"] {
			r.listFeed(l)
		}
		if l.feedOnly {
			continue
		}
		entries := append(append([]*hugoList(nil), l.Subs...), l.Terms...)
		pgrs := hm.pagers(m, l)
		for _, pgr := range pgrs {
			r.pool.submit(func(w *worker) error {
				lp := &ListPage{Kind: l.Kind, Kicker: l.Kicker, Title: pagedTitle(l.Title, pgr), Count: l.Count()}
				if pgr.Number == 1 {
					lp.Content = l.Content
				}
				h := NewHasher().String(l.Kind, lp.Title, string(lp.Content)).Int(pgr.Number).Int(pgr.Total).Int(pgr.Items)
				var list []*Article
				for i := pgr.From; i < pgr.To; i++ {
					if i < len(entries) {
						e := entries[i]
						ll := ListLink{Title: e.Title, URL: e.URL, Count: e.Count()}
						if l.Kind == "taxonomy" {
							lp.Terms = append(lp.Terms, ll)
						} else {
							lp.Subs = append(lp.Subs, ll)
						}
						h.String(ll.Title, ll.URL).Int(ll.Count)
						continue
					}
					a := l.Pages[i-len(entries)]
					list = append(list, a)
					h.Key(a.listFP)
				}
				pg := r.listPage(pgr, list, nil, func(pg *Page) {})
				pg.Title, pg.Description, pg.Data = lp.Title, l.description(), lp
				return r.page(w, pgr.Path(), "the "+l.Kind+" list "+l.URL, l.Kind, h.Sum(), pg)
			})
		}
		alias("/"+hm.listDir(l)+pagePath+"/1", l.URL, l.Title)
		for _, al := range l.aliases {
			alias(al, l.URL, l.Title)
		}
	}
	// The home page's page/1/, a multilingual site's /<lang>/, and the
	// home page's own aliases redirect home, as Hugo writes them.
	alias("/"+pagePath+"/1", m.rel(""), m.cfg.Title)
	if len(hm.hs.cfg.Languages) > 0 {
		alias("/"+hm.hs.cfg.DefaultContentLanguage, m.rel(""), m.cfg.Title)
	}
	if hm.home != nil {
		for _, al := range hm.home.aliases {
			alias(al, m.rel(""), m.cfg.Title)
		}
	}
}

// hugoRaw publishes the files a Hugo site has as they are: bundle
// resources beside their pages, loose content files at their path, and
// static files (the site's over its themes') at the root. A file whose
// path a page of the site has stays the page's.
func (r *run) hugoRaw() {
	m, hm := r.m, r.m.hugo
	hs := hm.hs
	seen := map[string]bool{}
	put := func(out, src string) {
		if seen[out] || hm.owns(out) {
			return
		}
		f := hs.raws[src]
		if f == nil || f.err != nil {
			return
		}
		seen[out] = true
		r.pool.submit(func(w *worker) error { return r.rawFile(out, src, keyOfHash(f.hash), nonNil(f.data), false) })
	}
	dirOf := map[string]string{} // content file -> where its resources go
	for _, a := range m.articles {
		if a.hugo != nil {
			dirOf[a.Src.Path] = a.Dir()
		}
	}
	for _, l := range hm.lists {
		if l.src != nil {
			dirOf[l.src.Path] = l.resDir
		}
	}
	if hm.home != nil {
		dirOf[hm.home.src.Path] = ""
	}
	for _, owner := range sortedKeys(hs.tree.resources) {
		d, ok := dirOf[owner]
		if !ok {
			continue // a headless or draft page: its resources stay unpublished
		}
		for _, res := range hs.tree.resources[owner] {
			put(d+strings.TrimPrefix(res, path.Dir(owner)+"/"), res)
		}
	}
	for _, p := range hs.tree.loose {
		put(hs.contentRel(p), p)
	}
	for _, out := range sortedKeys(hs.static) {
		put(out, hs.static[out])
	}
}

// hasStatic reports whether the site's static/ has the file p (its
// robots.txt replaces the archive's).
func (hm *hugoModel) hasStatic(p string) bool {
	_, ok := hm.hs.static[p]
	return ok
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// warn records what the build left out.
func (hm *hugoModel) warn(msg string) {
	hm.mu.Lock()
	hm.warnings = append(hm.warnings, msg)
	hm.mu.Unlock()
}

// listFeed renders the Atom feed of a list at <list>/index.xml, as Hugo
// publishes a list's RSS: its FeedEntries newest pages.
func (r *run) listFeed(l *hugoList) {
	m := r.m
	list := l.Pages[:min(len(l.Pages), FeedEntries)]
	h := NewHasher().Key(r.siteFP).String(l.Title, l.URL)
	for _, a := range list {
		h.Key(a.listFP)
	}
	feed := m.hugo.listDir(l) + "index.xml"
	r.pool.submit(func(w *worker) error {
		return r.file(w, feed, "the feed of "+l.URL, h.Sum(), func(b *bytes.Buffer) error {
			return writeAtom(b, m, l.Title+" · "+m.cfg.Title, m.base+l.URL, m.abs(feed), list)
		})
	})
}
