package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"html/template"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/parser"

	"github.com/archive-project/archive/cmd/archive/internal/article"
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

// ListPage is the .Data of a page of a Hugo list (layouts/list.html).
type ListPage struct {
	Kind    string // section, taxonomy, term
	Kicker  string
	Title   string
	Content template.HTML // the list's _index.md, on its first page
	Items   template.HTML // this page's pages, as list entries (Article.Item)
	Subs    []ListLink    // a section's sub-sections (first page)
	Terms   []ListLink    // this page's terms of a taxonomy
	Count   int
	Pager   *ListPager
}

// ListLink is a link to a list (a sub-section, a term) with its size.
type ListLink struct {
	Title string
	URL   string
	Count int
}

// ListPager is one page of a list.
type ListPager struct {
	Number, Total int
	Prev, Next    string // URLs, "" at the ends
	First, Last   string
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
		if f := hs.branches[b]; f != nil && f.err == nil && !unpublished(f.art) {
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
// and folds what they produced into each page's Markdown key. It reports
// every problem it found.
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
		if len(x.Calls) > 0 {
			h := sha256.New()
			h.Write(a.spansFP[:])
			for _, c := range x.Calls {
				h.Write([]byte(c.HTML))
				h.Write([]byte{0})
				h.Write([]byte(c.Text))
				h.Write([]byte{0})
			}
			copy(a.spansFP[:], h.Sum(nil))
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
		r, err := renderMarkdownIn(hm.hs.md, x.Source, nil, hm.context(x))
		if err != nil {
			all = append(all, &article.Error{File: l.src.Path, Line: l.src.BodyLine, Err: fmt.Errorf("markdown: %w", err), Fix: "correct the Markdown"})
			continue
		}
		l.Content = template.HTML(r.HTML)
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

// renderHugoPage renders the body of a Hugo site's page.
func (hm *hugoModel) renderPage(a *Article) (rendered, error) {
	x := a.hugo.exp
	if x == nil {
		x = &shortcode.Expansion{Source: hm.hs.body(a.Src)}
	}
	if a.hugo.html {
		h := htmlWithOutputs(x)
		r := rendered{HTML: h, Summary: clip(strings.Join(strings.Fields(stripTags(h)), " "), 240)}
		return r, nil
	}
	r, err := renderMarkdownIn(hm.hs.md, x.Source, a.spans, hm.context(x))
	if err != nil {
		return r, err
	}
	if i := summaryAt(a.Src.Body); i >= 0 {
		// The summary is the text before <!--more-->.
		if s, err := renderMarkdownIn(hm.hs.md, x.Source[:i], nil, hm.context(x)); err == nil {
			r.Summary = clip(strings.Join(strings.Fields(stripTags(s.HTML)), " "), 600)
		}
	}
	return r, nil
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

// hugoLists adds a Hugo site's lists, their aliases, and the files it
// publishes as they are (bundle resources, static/, loose files) to the
// site's pages. Generated pages win over static files of the same path,
// except robots.txt, which a site's static/ may bring.
func (b *Builder) hugoLists(m *model, add func(kind, p string, fp [32]byte, page *Page)) {
	hm := m.hugo
	hs := hm.hs
	size := hs.cfg.PagerSize
	pagePath := hs.cfg.PaginatePath
	for _, l := range hm.lists {
		l := l
		if l.feedOnly {
			continue
		}
		n := l.Count()
		total := max(1, (n+size-1)/size)
		dir := strings.TrimSuffix(l.out, "index.html")
		ugly := !strings.HasSuffix(l.out, "index.html")
		if ugly {
			dir = strings.TrimSuffix(l.out, ".html") + "/"
		}
		urlOf := func(k int) string {
			if k <= 1 {
				return l.URL
			}
			return m.rel(dir + pagePath + "/" + strconv.Itoa(k) + "/")
		}
		for k := 1; k <= total; k++ {
			from, to := (k-1)*size, min(n, k*size)
			lp := &ListPage{Kind: l.Kind, Kicker: l.Kicker, Title: l.Title, Count: n,
				Pager: &ListPager{Number: k, Total: total, First: urlOf(1), Last: urlOf(total)}}
			if k > 1 {
				lp.Pager.Prev = urlOf(k - 1)
				lp.Title = fmt.Sprintf("%s, page %d of %d", l.Title, k, total)
			}
			if k < total {
				lp.Pager.Next = urlOf(k + 1)
			}
			if k == 1 {
				lp.Content = l.Content
			}
			f := newFP("list").str(l.Kind, lp.Title, string(lp.Content), fmt.Sprint(k, total, n))
			// Entries: sub-sections and terms first, then pages.
			i := 0
			for _, e := range append(append([]*hugoList(nil), l.Subs...), l.Terms...) {
				if i >= from && i < to {
					ll := ListLink{Title: e.Title, URL: e.URL, Count: e.Count()}
					if l.Kind == "taxonomy" {
						lp.Terms = append(lp.Terms, ll)
					} else {
						lp.Subs = append(lp.Subs, ll)
					}
					f.str(ll.Title, ll.URL, strconv.Itoa(ll.Count))
				}
				i++
			}
			var items strings.Builder
			for _, a := range l.Pages {
				if i >= from && i < to {
					items.WriteString(string(a.Item))
					f.sum(a.listFP)
				}
				i++
			}
			lp.Items = template.HTML(items.String())
			out := l.out
			if k > 1 {
				out = dir + pagePath + "/" + strconv.Itoa(k) + "/index.html"
			}
			pg := &Page{Title: lp.Title, Description: l.description(), URL: urlOf(k), Data: lp}
			add("list", out, f.done(), pg)
			pg.Kind = l.Kind // the body's class says which list it is
		}
		// page/1/ redirects to the list, as Hugo writes it.
		add("alias", dir+pagePath+"/1/index.html", newFP("alias").str(l.URL).done(),
			&Page{Title: l.Title, Target: l.URL, URL: m.rel(dir + pagePath + "/1/"), Permalink: m.base + l.URL})
		for _, al := range l.aliases {
			add("alias", aliasFile(al), newFP("alias").str(l.URL).done(),
				&Page{Title: l.Title, Target: l.URL, URL: m.rel(al + "/"), Permalink: m.base + l.URL})
		}
	}
	// A multilingual site's default language at /<lang>/ redirects home,
	// as Hugo writes it.
	if len(hs.cfg.Languages) > 0 {
		lang := "/" + hs.cfg.DefaultContentLanguage
		add("alias", aliasFile(lang), newFP("alias").str(m.rel("")).done(),
			&Page{Title: m.cfg.Title, Target: m.rel(""), URL: m.rel(lang[1:] + "/"), Permalink: m.abs("")})
	}
	// The home page's page/1/ too.
	add("alias", pagePath+"/1/index.html", newFP("alias").str(m.rel("")).done(),
		&Page{Title: m.cfg.Title, Target: m.rel(""), URL: m.rel(pagePath + "/1/"), Permalink: m.abs("")})
	if hm.home != nil {
		for _, al := range hm.home.aliases {
			add("alias", aliasFile(al), newFP("alias").str(m.rel("")).done(),
				&Page{Title: m.cfg.Title, Target: m.rel(""), URL: m.rel(al + "/"), Permalink: m.abs("")})
		}
	}
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

// hugoRaw lists the files a Hugo site publishes as they are: bundle
// resources beside their pages, loose content files at their path, and
// static files at the root; a path a rendered page claims stays the page's.
func (b *Builder) hugoRaw(m *model, claimed map[string]bool) []pageSpec {
	hm := m.hugo
	hs := hm.hs
	var specs []pageSpec
	seen := map[string]bool{}
	put := func(out, src string) {
		if seen[out] || claimed[out] {
			return
		}
		f := hs.raws[src]
		if f == nil || f.err != nil {
			return
		}
		seen[out] = true
		specs = append(specs, pageSpec{path: out, fp: f.hash, raw: nonNil(f.data)})
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
		for _, r := range hs.tree.resources[owner] {
			put(d+strings.TrimPrefix(r, path.Dir(owner)+"/"), r)
		}
	}
	for _, p := range hs.tree.loose {
		put(hs.contentRel(p), p)
	}
	for _, out := range sortedKeys(hs.static) {
		if out == "robots.txt" {
			delete(claimed, out)
		}
		put(out, hs.static[out])
	}
	return specs
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

var _ = bytes.Equal

// withHugoRaw adds the files a Hugo site publishes as they are to specs;
// a robots.txt of the site's static/ replaces the archive's.
func (b *Builder) withHugoRaw(m *model, specs []pageSpec) []pageSpec {
	// The site's own pages win over the archive's feature pages (a
	// site's /search/ section over the archive's search page).
	site := map[string]bool{}
	for _, s := range specs {
		if s.kind == "single" || s.kind == "list" {
			site[s.path] = true
		}
	}
	kept := specs[:0]
	for _, s := range specs {
		if site[s.path] && s.kind != "single" && s.kind != "list" {
			m.hugo.warnings = append(m.hugo.warnings, fmt.Sprintf("the archive's %s page /%s is left out: the site's own page has its URL", s.kind, s.path))
			continue
		}
		kept = append(kept, s)
	}
	specs = kept
	claimed := map[string]bool{}
	for _, s := range specs {
		claimed[s.path] = true
	}
	raw := b.hugoRaw(m, claimed)
	for _, r := range raw {
		if r.path == "robots.txt" {
			kept := specs[:0]
			for _, s := range specs {
				if s.path != "robots.txt" {
					kept = append(kept, s)
				}
			}
			specs = kept
		}
	}
	return append(specs, raw...)
}

// aliasFile is where an alias's redirect page is written: the alias itself
// when it names an .html file (as Hugo writes it), else its index.html.
func aliasFile(al string) string {
	p := strings.TrimPrefix(al, "/")
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

// hugoFeeds are the Atom feeds of a Hugo site's sections and terms, at
// <list>/index.xml as Hugo publishes its RSS: the FeedEntries newest pages.
func (b *Builder) hugoFeeds(m *model, siteFP [32]byte) []pageSpec {
	if m.hugo.hs.cfg.DisableKinds["rss"] {
		return nil
	}
	var specs []pageSpec
	for _, l := range m.hugo.lists {
		if l.Kind == "taxonomy" || len(l.Pages) == 0 {
			continue
		}
		l := l
		dir := strings.TrimSuffix(l.out, "index.html")
		if !strings.HasSuffix(l.out, "index.html") {
			dir = strings.TrimSuffix(l.out, ".html") + "/"
		}
		list := l.Pages[:min(len(l.Pages), FeedEntries)]
		f := newFP("listfeed").sum(siteFP).str(l.Title, l.URL)
		for _, a := range list {
			f.sum(a.listFP)
		}
		specs = append(specs, pageSpec{path: dir + "index.xml", fp: f.done(), render: func(w *bytes.Buffer) error {
			return writeAtom(w, m, l.Title+" · "+m.cfg.Title, m.base+l.URL, m.base+m.rel(dir+"index.xml"), list)
		}})
	}
	return specs
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
