package sitecheck

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// maxArticleGzip is the budget of issue 7: an article page with its CSS and
// scripts, gzip-compressed.
const maxArticleGzip = 60 * 1024

// subresources lists the same-site files a page loads when it renders:
// stylesheets, scripts, images, icons and preloads (not links a reader
// follows). Data: URLs are inline and already counted with the page.
func subresources(doc []byte) []string {
	var urls []string
	z := html.NewTokenizer(bytes.NewReader(doc))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return urls
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		attr := func(k string) string {
			for _, a := range tok.Attr {
				if a.Key == k {
					return a.Val
				}
			}
			return ""
		}
		switch tok.DataAtom {
		case atom.Link:
			rel := " " + strings.ToLower(attr("rel")) + " "
			for _, r := range []string{" stylesheet ", " icon ", " preload ", " modulepreload "} {
				if strings.Contains(rel, r) {
					urls = append(urls, attr("href"))
					break
				}
			}
		case atom.Script, atom.Img, atom.Iframe, atom.Source, atom.Video, atom.Audio, atom.Embed:
			if s := attr("src"); s != "" {
				urls = append(urls, s)
			}
		}
	}
}

// pageWeight sums the gzip sizes of page (an output path) and every
// subresource it loads, each counted once. Resources outside the site fail.
func pageWeight(t *testing.T, out *site.Output, page string) (total int, parts []string) {
	t.Helper()
	doc, ok := out.Bytes(page)
	if !ok {
		t.Fatalf("no %s in the site", page)
	}
	total = len(gzipped(doc))
	parts = append(parts, fmt.Sprintf("%s %d B (%d raw)", page, total, len(doc)))
	seen := map[string]bool{}
	for _, ref := range subresources(doc) {
		u, err := url.Parse(ref)
		if err != nil {
			t.Errorf("%s: bad URL %q", page, ref)
			continue
		}
		if u.Scheme == "data" {
			continue
		}
		if u.Scheme != "" || u.Host != "" {
			t.Errorf("%s loads %s from another site: it cannot be weighed, and the CSP forbids it", page, ref)
			continue
		}
		p := u.Path
		if !strings.HasPrefix(p, "/") {
			p = path.Join("/", path.Dir(page), p)
		}
		p = strings.TrimPrefix(path.Clean(p), "/")
		if seen[p] {
			continue
		}
		seen[p] = true
		b, ok := out.Bytes(p)
		if !ok {
			t.Errorf("%s loads %s, which the site lacks", page, ref)
			continue
		}
		n := len(gzipped(b))
		total += n
		parts = append(parts, fmt.Sprintf("%s %d B (%d raw)", p, n, len(b)))
	}
	return total, parts
}

// TestArticleWeight checks that every article page, with the CSS, scripts
// and images it loads, stays under 60 KB gzip-compressed. The heaviest is
// logged.
func TestArticleWeight(t *testing.T) {
	out, _ := seedSite(t)
	heaviest, which := 0, []string(nil)
	n := 0
	for _, p := range htmlPages(out) {
		if !strings.HasPrefix(p, "articles/") || !strings.HasSuffix(p, "/index.html") {
			continue
		}
		n++
		w, parts := pageWeight(t, out, p)
		if w > heaviest {
			heaviest, which = w, parts
		}
		if w > maxArticleGzip {
			t.Errorf("%s weighs %d bytes gzipped with its resources, over the %d-byte budget: %s",
				p, w, maxArticleGzip, strings.Join(parts, " + "))
		}
	}
	if n == 0 {
		t.Fatal("no article pages in the bundled archive")
	}
	t.Logf("heaviest of %d articles: %d bytes gzipped (%.1f KB of %d KB): %s",
		n, heaviest, float64(heaviest)/1024, maxArticleGzip/1024, strings.Join(which, " + "))
}

// blockingScripts returns the scripts in doc's <head> that block rendering:
// classic external scripts without defer or async, and inline classic
// scripts (data blocks such as application/ld+json do not run).
func blockingScripts(doc []byte) []string {
	var bad []string
	z := html.NewTokenizer(bytes.NewReader(doc))
	inHead := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return bad
		}
		tok := z.Token()
		switch {
		case tt == html.StartTagToken && tok.DataAtom == atom.Head:
			inHead = true
		case (tt == html.EndTagToken && tok.DataAtom == atom.Head) ||
			(tt == html.StartTagToken && tok.DataAtom == atom.Body):
			inHead = false
		case inHead && tt == html.StartTagToken && tok.DataAtom == atom.Script:
			attrs := map[string]string{}
			has := map[string]bool{}
			for _, a := range tok.Attr {
				attrs[a.Key], has[a.Key] = a.Val, true
			}
			typ := strings.ToLower(strings.TrimSpace(attrs["type"]))
			classic := typ == "" || strings.Contains(typ, "javascript") || typ == "module"
			if !classic {
				continue // a data block: never executed
			}
			if typ == "module" || has["async"] || (has["defer"] && has["src"]) {
				continue
			}
			bad = append(bad, tok.String())
		}
	}
}

func TestBlockingScripts(t *testing.T) {
	// The detector itself.
	for _, tc := range []struct {
		doc  string
		want int
	}{
		{`<head><script src="/a.js"></script></head>`, 1},
		{`<head><script>var x</script></head>`, 1},
		{`<head><script src="/a.js" defer></script><script src="/b.js" async></script><script type="module" src="/c.js"></script></head>`, 0},
		{`<head><script type="application/ld+json">{}</script></head>`, 0},
		{`<head></head><body><script src="/a.js"></script></body>`, 0},
		{`<html><head><meta charset="utf-8"><script defer>inline ignores defer</script>`, 1},
	} {
		if got := blockingScripts([]byte(tc.doc)); len(got) != tc.want {
			t.Errorf("blockingScripts(%s) = %q, want %d", tc.doc, got, tc.want)
		}
	}
	out, _ := seedSite(t)
	for _, p := range htmlPages(out) {
		b, _ := out.Bytes(p)
		for _, s := range blockingScripts(b) {
			t.Errorf("%s: %s in <head> blocks rendering: give it defer (or async, or type=module), or move it out of <head>", p, s)
		}
	}
}
