package ingest

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// pageMeta is what a page says about itself in its markup: JSON-LD,
// OpenGraph, citation_* and article:* meta tags, <link rel=canonical>,
// <html lang>, <time>. Each field keeps its candidates best first.
type pageMeta struct {
	titles    []string
	authors   [][]string // each candidate is a list of names
	dates     []string
	outlets   []string
	canonical []string
	languages []string
	subtitles []string
	docTitle  string // the <title> element
	h1        []string
	bylines   []string // texts of elements marked as the byline or the author
}

// first returns the first non-empty string of ss.
func first(ss []string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// readMeta gathers a page's own metadata, best sources first.
func readMeta(doc *html.Node) *pageMeta {
	m := &pageMeta{}
	var ld []map[string]any
	meta := map[string][]string{} // lower-cased name/property -> contents, in page order
	var times []string
	var itemAuthors []string
	var itemDates []string
	walk(doc, func(n *html.Node) bool {
		switch n.DataAtom {
		case atom.Html:
			if l := attr(n, "lang"); l != "" {
				m.languages = append(m.languages, l)
			}
		case atom.Title:
			if m.docTitle == "" && !inside(n, atom.Svg) {
				m.docTitle = collapse(textOf(n))
			}
		case atom.Meta:
			key := strings.ToLower(strings.TrimSpace(attr(n, "property")))
			if key == "" {
				key = strings.ToLower(strings.TrimSpace(attr(n, "name")))
			}
			if key == "" {
				key = strings.ToLower(strings.TrimSpace(attr(n, "itemprop")))
			}
			if v := collapse(html.UnescapeString(attr(n, "content"))); key != "" && v != "" {
				meta[key] = append(meta[key], v)
			}
			if l := attr(n, "http-equiv"); strings.EqualFold(l, "content-language") {
				m.languages = append(m.languages, attr(n, "content"))
			}
		case atom.Link:
			if hasToken(attr(n, "rel"), "canonical") {
				m.canonical = append(m.canonical, attr(n, "href"))
			}
		case atom.Script:
			if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") {
				ld = append(ld, jsonLD(textOf(n))...)
			}
			return false
		case atom.Time:
			if d := attr(n, "datetime"); d != "" && !inside(n, atom.Aside) {
				if ip := attr(n, "itemprop"); ip == "datePublished" {
					itemDates = append(itemDates, d)
				} else if !inCommentBlock(n) {
					times = append(times, d)
				}
			}
		case atom.H1:
			if t := collapse(textOf(n)); t != "" {
				m.h1 = append(m.h1, t)
			}
		case atom.Style, atom.Noscript, atom.Svg:
			return false
		}
		if n.Type == html.ElementNode && len(m.bylines) < 8 && isBylineElement(n) && !inCommentBlock(n) &&
			!inside(n, atom.Aside) && !inside(n, atom.Nav) {
			if t := collapse(spacedText(n)); t != "" && len(t) <= 160 {
				m.bylines = append(m.bylines, t)
				return false
			}
		}
		if n.Type == html.ElementNode {
			switch attr(n, "itemprop") {
			case "author", "creator":
				if !inCommentBlock(n) {
					if name := microdataName(n); name != "" {
						itemAuthors = append(itemAuthors, name)
					}
				}
			case "datePublished":
				if c := attr(n, "content"); c != "" {
					itemDates = append(itemDates, c)
				}
			}
		}
		return true
	})

	art := newsArticle(ld)
	get := func(keys ...string) []string {
		var out []string
		for _, k := range keys {
			out = append(out, meta[k]...)
		}
		return out
	}
	// Titles.
	if art != nil {
		m.titles = append(m.titles, ldString(art["headline"]), ldString(art["name"]))
	}
	m.titles = append(m.titles, get("og:title", "citation_title", "dc.title", "twitter:title", "parsely-title", "sailthru.title")...)
	// Authors.
	if art != nil {
		if names := ldNames(art["author"]); len(names) > 0 {
			m.authors = append(m.authors, names)
		}
		if names := ldNames(art["creator"]); len(names) > 0 {
			m.authors = append(m.authors, names)
		}
	}
	if c := get("citation_author"); len(c) > 0 {
		m.authors = append(m.authors, c)
	}
	if len(itemAuthors) > 0 {
		m.authors = append(m.authors, dedupe(itemAuthors))
	}
	for _, k := range []string{"author", "article:author", "dc.creator", "parsely-author", "sailthru.author", "byl", "cxenseparse:author", "twitter:creator"} {
		for _, v := range meta[k] {
			if isURL(v) || strings.HasPrefix(v, "@") {
				continue
			}
			m.authors = append(m.authors, splitNames(v))
		}
	}
	// Dates.
	if art != nil {
		m.dates = append(m.dates, ldString(art["datePublished"]), ldString(art["dateCreated"]))
	}
	m.dates = append(m.dates, get("article:published_time", "citation_publication_date", "citation_date",
		"datepublished", "date", "dc.date", "dc.date.issued", "pubdate", "publishdate", "parsely-pub-date",
		"sailthru.date", "og:published_time", "published_time", "article.published", "dcterms.created")...)
	m.dates = append(m.dates, itemDates...)
	m.dates = append(m.dates, times...)
	if art != nil {
		m.dates = append(m.dates, ldString(art["dateModified"]))
	}
	// Outlets: the site's own name first (a site that republishes a wire
	// story names the wire as the JSON-LD publisher).
	m.outlets = append(m.outlets, get("og:site_name", "citation_journal_title", "citation_publisher")...)
	if art != nil {
		m.outlets = append(m.outlets, ldNames(art["publisher"])...)
		m.outlets = append(m.outlets, ldNames(art["sourceOrganization"])...)
	}
	m.outlets = append(m.outlets, get("dc.publisher", "application-name", "apple-mobile-web-app-title", "publisher")...)
	for _, o := range ld {
		if t := ldTypes(o); t["WebSite"] || t["NewsMediaOrganization"] || t["Organization"] {
			m.outlets = append(m.outlets, ldString(o["name"]))
		}
	}
	// Canonical URL and language.
	if art != nil {
		if u := ldString(art["url"]); isURL(u) {
			m.canonical = append(m.canonical, u)
		}
		m.languages = append(m.languages, ldString(art["inLanguage"]))
	}
	m.canonical = append(m.canonical, get("og:url")...)
	m.languages = append(m.languages, get("og:locale", "language", "dc.language", "citation_language")...)
	// Standfirst.
	if art != nil {
		m.subtitles = append(m.subtitles, ldString(art["alternativeHeadline"]))
	}
	return m
}

// walk visits n and its descendants in document order; visit returns false
// to skip a node's children.
func walk(n *html.Node, visit func(*html.Node) bool) {
	if !visit(n) {
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, visit)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(strings.ToLower(list)) {
		if f == tok {
			return true
		}
	}
	return false
}

func inside(n *html.Node, a atom.Atom) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if p.DataAtom == a {
			return true
		}
	}
	return false
}

// textOf is the text of n's descendants, as written.
func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) bool {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
		return c.DataAtom != atom.Script || c == n
	})
	return b.String()
}

var bylineClassRE = regexp.MustCompile(`(?i)byline|(?:^|[-_])(?:author|writer|contributor)s?(?:$|[-_]name|[-_]link|[-_]info)`)

// isBylineElement reports elements that pages mark as the byline. It is
// asked of every element of a page: the regexp is run only on a class or
// id that holds one of the words it looks for.
func isBylineElement(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "rel":
			if hasToken(a.Val, "author") {
				return true
			}
		case "class", "id":
			if !containsAny(strings.ToLower(a.Val), "byline", "author", "writer", "contributor") {
				continue
			}
			for tok := range strings.FieldsSeq(a.Val) {
				if bylineClassRE.MatchString(tok) && !strings.Contains(strings.ToLower(tok), "comment") {
					return true
				}
			}
		}
	}
	return false
}

// containsAny reports whether s holds one of the words.
func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// spacedText is the text of n with a space at every element boundary, for
// short texts such as names set in several elements.
func spacedText(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) bool {
		switch c.Type {
		case html.TextNode:
			b.WriteString(c.Data)
		case html.ElementNode:
			b.WriteByte(' ')
		}
		return c.DataAtom != atom.Script && c.DataAtom != atom.Style
	})
	return b.String()
}

// collapse folds runs of white space to one space and trims the ends.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/")
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		k := strings.ToLower(s)
		if s != "" && !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	return out
}

// microdataName is the name of an itemprop=author element: its
// itemprop=name descendant, its content attribute, or its text.
func microdataName(n *html.Node) string {
	if c := attr(n, "content"); c != "" && !isURL(c) {
		return collapse(c)
	}
	var name string
	walk(n, func(c *html.Node) bool {
		if name == "" && c != n && attr(c, "itemprop") == "name" {
			if v := attr(c, "content"); v != "" {
				name = collapse(v)
			} else {
				name = collapse(spacedText(c))
			}
		}
		return name == ""
	})
	if name == "" && attr(n, "itemscope") == "" {
		name = collapse(spacedText(n))
	}
	if len(name) > 80 {
		return ""
	}
	return name
}

// commentClass matches class and id tokens of a reader-comment block.
var commentClass = regexp.MustCompile(`(?i)(^|[-_])comments?($|[-_])|^disqus|^respond$`)

// inCommentBlock reports whether n stands inside a reader-comment block.
func inCommentBlock(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		for _, a := range p.Attr {
			if a.Key != "class" && a.Key != "id" || !containsAny(strings.ToLower(a.Val), "comment", "disqus", "respond") {
				continue
			}
			for tok := range strings.FieldsSeq(a.Val) {
				if commentClass.MatchString(tok) {
					return true
				}
			}
		}
	}
	return false
}

// jsonLD decodes one <script type="application/ld+json"> into its objects,
// flattening arrays and @graph.
func jsonLD(src string) []map[string]any {
	src = strings.TrimSpace(src)
	src = strings.TrimPrefix(src, "<!--")
	src = strings.TrimSuffix(src, "-->")
	src = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(src), "//<![CDATA["), "//]]>"))
	var v any
	if err := json.Unmarshal([]byte(src), &v); err != nil {
		return nil
	}
	var out []map[string]any
	var add func(v any)
	add = func(v any) {
		switch t := v.(type) {
		case []any:
			for _, x := range t {
				add(x)
			}
		case map[string]any:
			out = append(out, t)
			if g, ok := t["@graph"]; ok {
				add(g)
			}
		}
	}
	add(v)
	return out
}

var articleTypes = map[string]bool{
	"NewsArticle": true, "Article": true, "ReportageNewsArticle": true, "AnalysisNewsArticle": true,
	"OpinionNewsArticle": true, "BackgroundNewsArticle": true, "ReviewNewsArticle": true,
	"BlogPosting": true, "LiveBlogPosting": true, "ScholarlyArticle": true, "TechArticle": true,
	"Report": true, "SocialMediaPosting": true, "AskPublicNewsArticle": true, "SatiricalArticle": true,
	"Review": true, "CreativeWork": true,
}

func ldTypes(o map[string]any) map[string]bool {
	out := map[string]bool{}
	switch t := o["@type"].(type) {
	case string:
		out[strings.TrimPrefix(t, "http://schema.org/")] = true
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok {
				out[strings.TrimPrefix(s, "http://schema.org/")] = true
			}
		}
	}
	return out
}

// newsArticle picks the JSON-LD object that describes the article: a
// news type first, any article type with a headline next; a WebPage's
// mainEntity counts.
func newsArticle(objs []map[string]any) map[string]any {
	var best map[string]any
	bestRank := 99
	for _, o := range objs {
		cands := []map[string]any{o}
		if me, ok := o["mainEntity"].(map[string]any); ok {
			cands = append(cands, me)
		}
		for _, c := range cands {
			ts := ldTypes(c)
			rank := 99
			switch {
			case ts["NewsArticle"] || ts["ReportageNewsArticle"] || ts["AnalysisNewsArticle"] || ts["OpinionNewsArticle"]:
				rank = 0
			case ts["Article"] || ts["BlogPosting"] || ts["LiveBlogPosting"] || ts["ScholarlyArticle"] || ts["TechArticle"] || ts["Report"]:
				rank = 1
			default:
				for t := range ts {
					if articleTypes[t] {
						rank = 2
					}
				}
			}
			if rank < bestRank && (ldString(c["headline"]) != "" || ldString(c["name"]) != "" || rank < 2) {
				best, bestRank = c, rank
			}
		}
	}
	return best
}

// ldString reads a JSON-LD value that should be text.
func ldString(v any) string {
	switch t := v.(type) {
	case string:
		return collapse(html.UnescapeString(t))
	case []any:
		if len(t) > 0 {
			return ldString(t[0])
		}
	case map[string]any:
		if s := ldString(t["@value"]); s != "" {
			return s
		}
		return ldString(t["name"])
	}
	return ""
}

// ldNames reads a JSON-LD person or organisation, or a list of them.
func ldNames(v any) []string {
	var out []string
	switch t := v.(type) {
	case string:
		if !isURL(t) {
			out = append(out, splitNames(collapse(html.UnescapeString(t)))...)
		}
	case []any:
		for _, x := range t {
			out = append(out, ldNames(x)...)
		}
	case map[string]any:
		if s := ldString(t["name"]); s != "" && !isURL(s) {
			out = append(out, s)
		} else if g, f := ldString(t["givenName"]), ldString(t["familyName"]); g+f != "" {
			out = append(out, strings.TrimSpace(g+" "+f))
		}
	}
	return dedupe(out)
}

var nameSplitRE = regexp.MustCompile(`\s*(?:,|;|\band\b|&|\|)\s*`)

// splitNames splits "A, B and C" into names.
func splitNames(s string) []string {
	var out []string
	for _, p := range nameSplitRE.Split(s, -1) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// dateLayoutsHTML are the spellings of machine-readable dates in pages.
var dateLayoutsHTML = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00",
	"2006-01-02T15:04", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05 -0700", "2006-01-02 15:04:05",
	"2006-01-02 15:04", "2006-01-02", "2006/01/02", "20060102", "2006-01-02T15:04:05.000-0700",
	time.RFC1123, time.RFC1123Z, "Mon, 2 Jan 2006 15:04:05 MST", "Mon, 2 Jan 2006 15:04:05 -0700",
	"January 2, 2006", "Jan 2, 2006", "2 January 2006",
}

// normDate reads a machine-readable date and spells it for front matter:
// RFC 3339 when it has a time of day, YYYY-MM-DD otherwise.
func normDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", false
	}
	for _, l := range dateLayoutsHTML {
		t, err := time.Parse(l, s)
		if err != nil {
			continue
		}
		if t.Year() < 1990 || t.Year() > 2100 {
			return "", false
		}
		if strings.ContainsAny(l, "15") && (t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || strings.Contains(l, "Z") || strings.Contains(l, "-07") || strings.Contains(l, "MST")) {
			return t.Format(time.RFC3339), true
		}
		return t.Format(time.DateOnly), true
	}
	if d, ok := parseDateText(s); ok {
		return d, true
	}
	return "", false
}

// resolveURL makes ref absolute against base; "" when it cannot.
func resolveURL(base, ref string) string {
	r, err := url.Parse(strings.TrimSpace(ref))
	if err != nil || ref == "" {
		return ""
	}
	if b, err := url.Parse(base); err == nil && base != "" {
		r = b.ResolveReference(r)
	}
	if r.Scheme != "http" && r.Scheme != "https" {
		return ""
	}
	r.Fragment = ""
	return r.String()
}
