// Package linkcheck checks a built site for broken internal links: every
// href, src, srcset (and the other URL attributes below) in every .html
// file, resolved against the page (or its <base href>) and the site root,
// must name a file of the site — a URL ending in "/" (or naming a folder)
// means its index.html — and every #fragment must be the id of an element
// (or the name of an <a>) in the target page.
//
// Links with a scheme or a host (https:, mailto:, tel:, data:, //cdn…) are
// external and not checked, except http(s) links under the site's own base
// URL (WithBaseURL), which are checked like root-relative ones. Query
// strings are ignored: a static site serves the same file for any query.
// "#" and "#top" always resolve (browsers scroll to the top), as do text
// fragments (#:~:text=…); fragments into non-HTML files are not checked.
//
// An alias page's <meta http-equiv="refresh" content="0; url=…"> is a link.
// Style sheets (.css files, <style> elements and style attributes) are
// checked too: their url(…) and @import references must name files
// (fragments such as SVG sprite ids are not checked there).
//
// Pages are parsed with golang.org/x/net/html's tokenizer, so entities,
// comments, <script> and <template> contents are handled as browsers do.
package linkcheck

import (
	"bytes"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/net/html"
)

// Problem is one link that does not resolve.
type Problem struct {
	Page    string // slash path of the page in the site, e.g. "articles/x/index.html"
	Line    int    // line of the tag in the page, from 1
	Link    string // the attribute's value, as written
	Problem string // what is wrong
}

func (p Problem) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", p.Page, p.Line, p.Link, p.Problem)
}

type options struct{ base *url.URL }

// Option changes a default of Check.
type Option func(*options)

// WithBaseURL makes absolute http(s) links under base (the site's
// deployed address, e.g. "https://archive.example/") internal links.
func WithBaseURL(base string) Option {
	return func(o *options) {
		if u, err := url.Parse(base); err == nil && u.Host != "" {
			if !strings.HasSuffix(u.Path, "/") {
				u.Path += "/"
			}
			o.base = u
		}
	}
}

// urlAttrs are the attributes that hold one URL, by element.
var urlAttrs = map[string][]string{
	"a": {"href"}, "area": {"href"}, "link": {"href"}, "img": {"src"}, "script": {"src"},
	"iframe": {"src"}, "source": {"src"}, "video": {"src", "poster"}, "audio": {"src"},
	"track": {"src"}, "embed": {"src"}, "object": {"data"}, "input": {"src"},
	"form": {"action"}, "button": {"formaction"}, "blockquote": {"cite"}, "q": {"cite"},
	"ins": {"cite"}, "del": {"cite"},
}

// link is one URL found in a page.
type link struct {
	value string
	line  int
}

// page is what Check needs of one HTML file.
type page struct {
	links []link
	ids   map[string]bool
	base  string // <base href>, if any
}

// Check reads every .html file of site and returns the links that do not
// resolve, sorted by page and line. Files that cannot be read are reported
// as problems too.
func Check(site fs.FS, opts ...Option) []Problem {
	var o options
	for _, f := range opts {
		f(&o)
	}
	c := checker{site: site, pages: map[string]*page{}, opts: o}
	var names []string
	err := fs.WalkDir(site, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			c.problems = append(c.problems, Problem{Page: p, Link: "", Problem: err.Error()})
			return nil
		}
		if !d.IsDir() && (isHTML(p) || strings.HasSuffix(p, ".css")) {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		c.problems = append(c.problems, Problem{Page: ".", Problem: err.Error()})
	}
	for _, name := range names {
		pg, err := c.load(name)
		if err != nil {
			c.problems = append(c.problems, Problem{Page: name, Problem: err.Error()})
			continue
		}
		for _, l := range pg.links {
			if msg := c.resolve(name, pg, l.value); msg != "" {
				c.problems = append(c.problems, Problem{Page: name, Line: l.line, Link: l.value, Problem: msg})
			}
		}
	}
	sort.SliceStable(c.problems, func(i, j int) bool {
		a, b := c.problems[i], c.problems[j]
		if a.Page != b.Page {
			return a.Page < b.Page
		}
		return a.Line < b.Line
	})
	return c.problems
}

type checker struct {
	site     fs.FS
	pages    map[string]*page
	opts     options
	problems []Problem
}

func isHTML(p string) bool {
	return strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".htm")
}

func (c *checker) load(name string) (*page, error) {
	if pg, ok := c.pages[name]; ok {
		return pg, nil
	}
	b, err := fs.ReadFile(c.site, name)
	if err != nil {
		return nil, err
	}
	var pg *page
	if strings.HasSuffix(name, ".css") {
		pg = &page{ids: map[string]bool{}, links: cssLinks(string(b), 1)}
	} else {
		pg = parse(b)
	}
	c.pages[name] = pg
	return pg, nil
}

// parse collects a page's links (with lines), ids and <base href>.
func parse(b []byte) *page {
	pg := &page{ids: map[string]bool{}}
	z := html.NewTokenizer(bytes.NewReader(b))
	line := 1
	inStyle := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return pg
		}
		raw := z.Raw()
		if tt == html.TextToken && inStyle {
			pg.links = append(pg.links, cssLinks(string(raw), line)...)
		}
		inStyle = false
		if tt == html.StartTagToken || tt == html.SelfClosingTagToken {
			tok := z.Token()
			inStyle = tok.Data == "style" && tt == html.StartTagToken
			for _, a := range tok.Attr {
				if a.Namespace != "" {
					continue
				}
				switch {
				case a.Key == "id" && a.Val != "":
					pg.ids[a.Val] = true
				case a.Key == "name" && tok.Data == "a" && a.Val != "":
					pg.ids[a.Val] = true
				case a.Key == "href" && tok.Data == "base":
					if pg.base == "" {
						pg.base = strings.TrimSpace(a.Val)
					}
				case a.Key == "srcset" && (tok.Data == "img" || tok.Data == "source"):
					for _, cand := range strings.Split(a.Val, ",") {
						if f := strings.Fields(cand); len(f) > 0 {
							pg.links = append(pg.links, link{f[0], line})
						}
					}
				case a.Key == "content" && tok.Data == "meta" && isRefresh(tok.Attr):
					if u := refreshURL(a.Val); u != "" {
						pg.links = append(pg.links, link{u, line})
					}
				case a.Key == "style":
					pg.links = append(pg.links, cssLinks(a.Val, line)...)
				case isURLAttr(tok.Data, a.Key):
					pg.links = append(pg.links, link{strings.TrimSpace(a.Val), line})
				}
			}
		}
		line += bytes.Count(raw, []byte("\n"))
	}
}

func isURLAttr(elem, attr string) bool {
	for _, a := range urlAttrs[elem] {
		if a == attr {
			return true
		}
	}
	return false
}

// resolve returns "" when link (found in page name) resolves, or the problem.
func (c *checker) resolve(name string, pg *page, value string) string {
	u, err := url.Parse(value)
	if err != nil {
		return "malformed URL: " + err.Error()
	}
	dir := path.Dir(name)
	if pg.base != "" {
		if b, err := url.Parse(pg.base); err == nil && b.Scheme == "" && b.Host == "" {
			if strings.HasPrefix(b.Path, "/") {
				dir = strings.TrimPrefix(b.Path, "/")
			} else {
				dir = path.Join(dir, b.Path)
			}
			if !strings.HasSuffix(b.Path, "/") {
				dir = path.Dir(dir)
			}
		}
	}
	var abs string // the URL's path from the site root, "/…"
	switch {
	case u.Scheme != "" || u.Host != "":
		base := c.opts.base
		if base == nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") ||
			!strings.EqualFold(u.Host, base.Host) || !strings.HasPrefix(u.Path+"/", base.Path) {
			return "" // external
		}
		abs = "/" + strings.TrimPrefix(u.Path, base.Path)
	case u.Opaque != "":
		return "malformed URL"
	case u.Path == "":
		abs = "/" + name
	case strings.HasPrefix(u.Path, "/"):
		abs = u.Path
	default:
		abs = "/" + dir + "/" + u.Path
	}
	// Like browsers, ".." stops at the root.
	target := strings.TrimPrefix(path.Clean(abs), "/")
	if strings.HasSuffix(abs, "/") || strings.HasSuffix(abs, "/.") || strings.HasSuffix(abs, "/..") || target == "" {
		target = path.Join(target, "index.html")
	}
	file, msg := c.file(target)
	if msg != "" {
		return msg
	}
	frag := u.Fragment
	if frag == "" || frag == "top" || strings.HasPrefix(frag, ":~:") || !isHTML(file) {
		return ""
	}
	tp, err := c.load(file)
	if err != nil {
		return err.Error()
	}
	if !tp.ids[frag] {
		return fmt.Sprintf("no element with id %q in %s", frag, file)
	}
	return ""
}

// file finds the file a URL path names: the file itself, or the
// index.html of a folder.
func (c *checker) file(target string) (string, string) {
	st, err := fs.Stat(c.site, target)
	if err != nil {
		return "", "no such file " + target
	}
	if st.IsDir() {
		idx := path.Join(target, "index.html")
		if _, err := fs.Stat(c.site, idx); err != nil {
			return "", "no such file " + idx
		}
		return idx, ""
	}
	return target, ""
}

var (
	cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)
	cssURL     = regexp.MustCompile(`url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')`)
)

// cssLinks finds the url(…) and @import references of a style sheet (or
// <style> element or style attribute) whose first line is line.
func cssLinks(css string, line int) []link {
	css = cssComment.ReplaceAllStringFunc(css, func(c string) string {
		return strings.Repeat("\n", strings.Count(c, "\n")) // keep line numbers
	})
	var out []link
	for _, m := range cssURL.FindAllStringSubmatchIndex(css, -1) {
		for g := 1; g <= 5; g++ {
			if m[2*g] >= 0 {
				if u := css[m[2*g]:m[2*g+1]]; u != "" && !strings.HasPrefix(u, "#") {
					out = append(out, link{u, line + strings.Count(css[:m[0]], "\n")})
				}
				break
			}
		}
	}
	return out
}

func isRefresh(attrs []html.Attribute) bool {
	for _, a := range attrs {
		if a.Key == "http-equiv" && strings.EqualFold(strings.TrimSpace(a.Val), "refresh") {
			return true
		}
	}
	return false
}

// refreshURL is the URL of a <meta http-equiv="refresh" content="0; url=/x/">
// (an alias page's redirect), or "".
func refreshURL(content string) string {
	_, after, ok := strings.Cut(content, ";")
	if !ok {
		after, ok = strings.CutPrefix(strings.TrimLeft(content, "0123456789. "), ",")
		if !ok {
			return ""
		}
	}
	after = strings.TrimSpace(after)
	if len(after) >= 4 && strings.EqualFold(after[:3], "url") {
		if rest := strings.TrimSpace(after[3:]); strings.HasPrefix(rest, "=") {
			after = strings.TrimSpace(rest[1:])
		}
	}
	return strings.Trim(after, `"'`)
}
