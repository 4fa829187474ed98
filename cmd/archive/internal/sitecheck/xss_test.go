package sitecheck

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"gopkg.in/yaml.v2"

	"github.com/archive-project/archive/cmd/archive/internal/browsertest"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// pwn is JavaScript that records that the payload planted as field ran,
// and how it got out.
func pwn(field, how string) string {
	return fmt.Sprintf(`(window.__pwned=window.__pwned||[]).push('%s:%s')`, field, how)
}

// hostile is the text planted in a field: a way out of every context a
// value can land in (element text, a double- or single-quoted or unquoted
// attribute, <title>, <script> data blocks, <textarea>, <style>, a URL),
// each of which records itself (pwn) or opens a dialog if it runs.
func hostile(field string) string {
	return `Q"'` + "`" + ` ` + field + ` x"><script>` + pwn(field, "script") + `</script>` +
		`<img src=x onerror=` + pwn(field, "img") + `>` +
		`'><svg onload=` + pwn(field, "svg") + `></svg>` +
		`</title></textarea></style></script></noscript><script>alert('` + field + `:breakout')</script>` +
		` onmouseover=` + pwn(field, "attr") + ` <a href="javascript:` + pwn(field, "a") + `">a</a> & &amp; <!-- -->`
}

// jsURL is a javascript: URL that records field if followed.
func jsURL(field string) string { return "javascript:" + pwn(field, "url") }

// hostileURL is an http(s) URL (the build refuses others, see
// TestHostileURLsRefused) that tries to break out of its attribute.
func hostileURL(field string) string {
	return `https://example.org/x"><script>` + pwn(field, "script") + `</script>'onmouseover='` + pwn(field, "attr") + `'?q="><img/src=x/onerror=` + pwn(field, "img") + `>`
}

// sharedSentence is planted in two articles of two outlets, so that the
// annotation layer makes a passage of it (a /passages/ page, marks and
// notes on both articles). It carries quotes and markup of its own.
const sharedSentence = `The draft said "lawful access" must 'never' be optional <script>alert('passage')</script> and that providers <img src=x onerror=alert('passage-img')> must design for it, the delegates in Lyon were told on Friday.`

// hostileBody is Markdown with every way to a script or a javascript:
// URL that Markdown offers: raw HTML (dropped unless unsafe_html), links,
// autolinks, reference definitions, images, code, headings, tables.
func hostileBody(field string) string {
	return strings.Join([]string{
		"## Heading " + hostile(field+"-h2"),
		"",
		"Plain text: " + hostile(field+"-text"),
		"",
		sharedSentence,
		"",
		"[a link](" + jsURL(field+"-md-link") + ") [upper](JAVASCRIPT:" + pwn(field, "md-upper") + ") " +
			"[entity](java&#x09;script:" + pwn(field, "md-entity") + ") [spaced](<  javascript:" + pwn(field, "md-spaced") + ">) " +
			"<" + jsURL(field+"-autolink") + "> [vb](vbscript:msgbox) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) " +
			"[ref][r] ![alt\" onerror=\"" + pwn(field, "img-alt") + "](x\"onerror=\"" + pwn(field, "img-src") + ")",
		"",
		"<script>" + pwn(field, "raw-script") + "</script>",
		"",
		"<img src=x onerror=" + pwn(field, "raw-img") + ">",
		"",
		`<a href="` + jsURL(field+"-raw-a") + `">raw a</a> <iframe src="` + jsURL(field+"-iframe") + `"></iframe>`,
		"",
		"`inline </code><script>" + pwn(field, "code") + "</script>`",
		"",
		"```html",
		"</code></pre><script>" + pwn(field, "fence") + "</script>",
		"```",
		"",
		"| " + hostile(field+"-th") + " |",
		"|---|",
		"| " + hostile(field+"-td") + " |",
		"",
		"[r]: " + jsURL(field+"-refdef") + ` "t\"><script>` + pwn(field, "ref-title") + `</script>"`,
		"",
	}, "\n")
}

// hostileSite is a site whose every configuration value, front-matter
// field, Markdown body and raw seed is hostile, in two articles of two
// outlets that share a passage.
func hostileSite(t testing.TB) fstest.MapFS {
	t.Helper()
	article := func(name, outlet, slug string) []byte {
		fm := yaml.MapSlice{
			{Key: "title", Value: hostile(name + "-title")},
			{Key: "subtitle", Value: hostile(name + "-subtitle")},
			{Key: "outlet", Value: hostile(outlet)},
			{Key: "author", Value: hostile(name + "-author")},
			{Key: "date", Value: "2019-11-18"},
			{Key: "source_url", Value: hostileURL(name + "-source_url")},
			{Key: "seed", Value: "seeds/" + name + ".txt"},
			{Key: "slug", Value: slug},
			{Key: "aliases", Value: []string{"/old/" + name + `/x"><script>alert('alias')</script>`}},
			{Key: "summary", Value: hostile(name + "-summary")},
			{Key: "story", Value: hostile("story")},
			{Key: "notes", Value: []yaml.MapSlice{
				{{Key: "quote", Value: `"lawful access" must 'never' be optional`}, {Key: "note", Value: hostileBody(name + "-note")}},
				{{Key: "quote", Value: "Plain text: Q\"'`"}, {Key: "note", Value: hostile(name + "-note2")}},
				{{Key: "quote", Value: "<script>alert('passage')</script> and that providers <img src=x onerror=alert('passage-img')>"}, {Key: "note", Value: hostile(name + "-note3")}},
			}},
		}
		b, err := yaml.Marshal(fm)
		if err != nil {
			t.Fatal(err)
		}
		return []byte("---\n" + string(b) + "---\n\n" + hostileBody(name+"-body"))
	}
	config := fmt.Sprintf(`title = %q
description = %q
baseURL = "https://archive.example/"
language = "en"
organization = %q
contact = %q
contact_email = %q
story = %q
license = %q
`, hostile("site-title"), hostile("site-description"), hostile("organization"), hostile("contact"),
		`x@example.org"><script>alert('email')</script>`, hostile("site-story"), hostile("license"))
	return fstest.MapFS{
		"archive.toml":    {Data: []byte(config)},
		"content/one.md":  {Data: article("one", "outlet-one", "one")},
		"content/two.md":  {Data: article("two", "outlet-two", "two")},
		"seeds/one.txt":   {Data: []byte(hostileBody("seed-one") + "\n" + sharedSentence + "\n")},
		"seeds/two.txt":   {Data: []byte(hostile("seed-two") + "\n")},
		"content/_x.md":   {Data: []byte("skipped")},
		"layouts/.keep":   {Data: nil},
		"content/.hidden": {Data: nil},
	}
}

// TestHostileURLsRefused: a source_url that is not http(s) stops the
// build with the file and line, so no javascript: (or data:, vbscript:)
// URL can reach an href through it.
func TestHostileURLsRefused(t *testing.T) {
	for _, u := range []string{
		jsURL("x"), "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)",
		"vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>", "//evil.example/x",
	} {
		t.Run(u, func(t *testing.T) {
			fsys := fstest.MapFS{"content/a.md": {Data: []byte(fmt.Sprintf("---\ntitle: A\nsource_url: %q\n---\n\nText.\n", u))}}
			_, err := site.Build(context.Background(), fsys, featureOptions()...)
			if err == nil {
				t.Fatalf("the build accepted source_url %q", u)
			}
			if !strings.Contains(err.Error(), "content/a.md:3") || !strings.Contains(err.Error(), "source_url") {
				t.Errorf("the error does not name content/a.md:3 and source_url: %v", err)
			}
		})
	}
}

// dangerousURL reports whether a URL attribute's value would run script
// or load a document of the attacker's making when followed or loaded, as
// browsers parse it (ASCII whitespace and controls ignored, any case).
func dangerousURL(v string) bool {
	v = strings.Map(func(r rune) rune {
		if r <= ' ' {
			return -1
		}
		return r
	}, strings.ToLower(v))
	if v == "data:," || strings.HasPrefix(v, "data:image/") {
		return false
	}
	for _, s := range []string{"javascript:", "vbscript:", "data:"} {
		if strings.HasPrefix(v, s) {
			return true
		}
	}
	return false
}

// urlAttr reports whether attribute k of element el holds a URL that a
// browser follows or loads.
func urlAttr(el, k string) bool {
	switch k {
	case "href", "src", "action", "formaction", "data", "poster", "cite", "background", "xlink:href", "srcset", "ping":
		return true
	}
	return false
}

// staticProblems parses one built page and returns everything in it that
// could run script: event-handler attributes, dangerous URLs (in URL
// attributes and meta refresh), executable <script> elements other than
// the site's own same-origin, deferred scripts, and <base>, <iframe>,
// <object>, <embed> elements. It also returns the JSON-LD blocks.
func staticProblems(doc []byte) (problems []string, jsonld [][]byte) {
	z := html.NewTokenizer(bytes.NewReader(doc))
	inLD := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return problems, jsonld
		case html.TextToken:
			if inLD {
				jsonld = append(jsonld, append([]byte(nil), z.Text()...))
			}
			continue
		case html.EndTagToken:
			inLD = false
			continue
		case html.StartTagToken, html.SelfClosingTagToken:
		default:
			continue
		}
		tok := z.Token()
		attrs := map[string]string{}
		for _, a := range tok.Attr {
			attrs[a.Key] = a.Val
			if strings.HasPrefix(a.Key, "on") {
				problems = append(problems, fmt.Sprintf("event handler %s=%q on <%s>", a.Key, a.Val, tok.Data))
			}
			if urlAttr(tok.Data, a.Key) && dangerousURL(a.Val) {
				problems = append(problems, fmt.Sprintf("<%s %s=%q>", tok.Data, a.Key, a.Val))
			}
		}
		switch tok.DataAtom {
		case atom.Script:
			typ := strings.ToLower(attrs["type"])
			switch {
			case typ == "application/ld+json":
				inLD = true
			case attrs["src"] != "" && strings.HasPrefix(attrs["src"], "/") && !strings.HasPrefix(attrs["src"], "//"):
				// the site's own script file
			default:
				problems = append(problems, "executable "+tok.String())
			}
		case atom.Meta:
			if strings.EqualFold(attrs["http-equiv"], "refresh") {
				c := attrs["content"]
				if i := strings.Index(strings.ToLower(c), "url="); i >= 0 && dangerousURL(c[i+4:]) {
					problems = append(problems, "meta refresh to "+c)
				}
			}
		case atom.Base, atom.Iframe, atom.Object, atom.Embed, atom.Frame:
			problems = append(problems, "element "+tok.String())
		}
	}
}

// domCheck is run in each loaded page: what in the live DOM could run
// script (handlers, javascript: links), and whether any payload ran.
const domCheck = `(() => {
	const bad = [];
	for (const el of document.querySelectorAll("*")) {
		for (const a of el.attributes) {
			if (/^on/i.test(a.name)) bad.push(el.tagName + " " + a.name + "=" + a.value);
		}
	}
	for (const a of document.querySelectorAll("a[href], area[href]")) {
		if (!/^(https?|mailto):$/.test(a.protocol)) bad.push("link to " + a.href);
	}
	for (const el of document.querySelectorAll("iframe, object, embed, frame, base")) bad.push(el.outerHTML);
	const scripts = [...document.scripts].filter(s => s.type !== "application/ld+json" &&
		!(s.src && new URL(s.src).origin === location.origin)).map(s => s.outerHTML);
	return JSON.stringify({pwned: window.__pwned || [], bad: bad.concat(scripts),
		h1: (document.querySelector("h1") || {}).textContent || "", title: document.title});
})()`

type domResult struct {
	Pwned []string `json:"pwned"`
	Bad   []string `json:"bad"`
	H1    string   `json:"h1"`
	Title string   `json:"title"`
}

// TestXSS builds a site whose every configuration value, front-matter
// field (title, subtitle, outlet, author, source_url, summary, story,
// aliases, notes' quote and note), Markdown body and raw seed carries
// script tags, javascript: links and attribute-breaking quotes (see
// hostile), then proves that none of it can run:
//
//   - statically, in every built page: no event-handler attribute, no
//     javascript:/vbscript:/data: URL, no executable script but the site's
//     own files, JSON-LD that parses and keeps the hostile title as data,
//     and an Atom feed that parses and keeps it as text;
//   - in headless Chromium, with no Content-Security-Policy (so that
//     escaping alone is proved): loading every page runs no payload and
//     opens no dialog, the live DOM has no handler and no link whose
//     protocol is not http(s) or mailto, and the article's <h1> shows the
//     hostile title as text, character for character.
func TestXSS(t *testing.T) {
	out := buildFS(t, hostileSite(t))

	// The build kept the hostile articles, a passage and the notes.
	one, ok := out.Bytes("articles/one/index.html")
	if !ok {
		t.Fatal("no articles/one/ page")
	}
	var passages int
	for _, p := range out.Paths() {
		if strings.HasPrefix(p, "passages/p-") {
			passages++
		}
	}
	if notes := bytes.Count(one, []byte(`<mark id="n-`)); passages == 0 || notes != 3 || !bytes.Contains(one, []byte(`<mark id="q-`)) {
		t.Fatalf("the hostile site lost its shared passage (%d passage pages) or notes (%d of 3 marked): the annotation layer is not exercised", passages, notes)
	}

	// Static checks.
	pages := htmlPages(out)
	for _, p := range pages {
		b, _ := out.Bytes(p)
		problems, blocks := staticProblems(b)
		for _, pr := range problems {
			t.Errorf("%s: %s", p, pr)
		}
		for _, blk := range blocks {
			var v any
			if err := json.Unmarshal(blk, &v); err != nil {
				t.Errorf("%s: JSON-LD does not parse: %v\n%s", p, err, blk)
			}
		}
		if p == "articles/one/index.html" {
			if len(blocks) == 0 {
				t.Errorf("%s has no JSON-LD", p)
			}
			for _, blk := range blocks {
				var v map[string]any
				if json.Unmarshal(blk, &v) == nil && v["headline"] != nil && v["headline"] != hostile("one-title") {
					t.Errorf("%s: JSON-LD headline = %q, want the hostile title unchanged", p, v["headline"])
				}
			}
		}
	}
	if feed, ok := out.Bytes("index.xml"); ok {
		var atomFeed struct {
			Entries []struct {
				Title string `xml:"title"`
			} `xml:"entry"`
		}
		if err := xml.Unmarshal(feed, &atomFeed); err != nil {
			t.Errorf("index.xml does not parse: %v", err)
		}
		found := false
		for _, e := range atomFeed.Entries {
			found = found || e.Title == hostile("one-title")
		}
		if !found {
			t.Errorf("index.xml has no entry titled with the hostile title, unchanged")
		}
	}

	// In the browser, without CSP.
	if testing.Short() {
		t.Skip("browser part")
	}
	srv := serve(t, out, serveOptions{noCSP: true})
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); csp != "" {
		t.Fatalf("the server sends a CSP (%q): the test must prove escaping without it", csp)
	}
	var urls []string
	for _, p := range pages {
		urls = append(urls, escapePath(urlPath(p)))
	}
	if p, ok := out.Bytes("search/index.html"); ok && len(p) > 0 {
		for _, q := range []string{"script", "pwned", "onerror", hostile("q")} {
			urls = append(urls, "/search/?q="+url.QueryEscape(q))
		}
	} else {
		t.Log("the site has no /search/ page yet: search results are not checked")
	}
	ctx := browsertest.New(t)
	tab := watchTab(t, ctx)
	for _, u := range urls {
		if err := visit(ctx, srv.URL+u); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		if strings.HasPrefix(u, "/search/?q=") {
			if err := waitSearch(ctx); err != nil {
				t.Errorf("%s: %v", u, err)
			}
		}
		r, err := inspect(ctx)
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		_, dialogs := tab.take()
		for _, p := range r.Pwned {
			t.Errorf("%s: a planted payload ran: %s", u, p)
		}
		for _, d := range dialogs {
			t.Errorf("%s: a planted payload opened a dialog: %s", u, d)
		}
		for _, b := range r.Bad {
			t.Errorf("%s: in the live page: %s", u, b)
		}
		if u == "/articles/one/" && r.H1 != hostile("one-title") {
			t.Errorf("%s: <h1> reads %q, want the hostile title as text", u, r.H1)
		}
	}
	t.Logf("%d pages of the hostile site loaded: no payload ran", len(urls))
}

// inspect lets the loaded page settle and runs domCheck in it. A page
// that moves on by itself (an alias page's meta refresh) is inspected
// where it lands.
func inspect(ctx context.Context) (domResult, error) {
	var r domResult
	var err error
	for try := 0; try < 5; try++ {
		var js string
		if _, err = settle(ctx); err == nil {
			if js, err = chromedp.Run(ctx, chromedp.Evaluate[string](domCheck)); err == nil {
				err = json.Unmarshal([]byte(js), &r)
				return r, err
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return r, err
}

// TestHostileHTMLValidates runs html-validate over the hostile site's
// pages: escaped hostile text must still make valid HTML, and an editor's
// note, whatever Markdown it holds, must stay phrasing content inside its
// paragraph. Pages are written under numbered names, as hostile outlet
// slugs are longer than a file name may be.
func TestHostileHTMLValidates(t *testing.T) {
	out := buildFS(t, hostileSite(t))
	dir := t.TempDir()
	names := map[string]string{}
	for i, p := range htmlPages(out) {
		b, _ := out.Bytes(p)
		name := fmt.Sprintf("page%02d.html", i)
		names[name] = p
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	problems, n := validateHTML(t, dir)
	for _, p := range problems {
		name, rest, _ := strings.Cut(p, ":")
		t.Errorf("%s:%s", names[name], rest)
	}
	t.Logf("html-validate checked %d hostile pages: %d problems", n, len(problems))
}

// escapePath percent-encodes each segment of a URL path.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// TestXSSCatches serves pages where the payloads are NOT escaped and
// checks that the detectors of TestXSS see each of them run, so that
// TestXSS cannot pass because nothing was watching.
func TestXSSCatches(t *testing.T) {
	raw := `<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><h1>` +
		strings.ReplaceAll(hostile("control"), "&amp;", "&") + `</h1><a href="` + jsURL("control") + `">x</a></body></html>`
	problems, _ := staticProblems([]byte(raw))
	got := strings.Join(problems, "\n")
	for _, want := range []string{"event handler onerror", "event handler onload", "executable <script>", `<a href="javascript:`} {
		if !strings.Contains(got, want) {
			t.Errorf("staticProblems missed %q; it found:\n%s", want, got)
		}
	}
	if testing.Short() {
		t.Skip("browser part")
	}
	srv := serve(t, fstest.MapFS{"index.html": {Data: []byte(raw)}}, serveOptions{noCSP: true})
	ctx := browsertest.New(t)
	tab := watchTab(t, ctx)
	if err := visit(ctx, srv.URL+"/"); err != nil {
		t.Fatal(err)
	}
	r, err := inspect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, dialogs := tab.take()
	sort.Strings(r.Pwned)
	if want := []string{"control:img", "control:script", "control:svg"}; strings.Join(r.Pwned, " ") != strings.Join(want, " ") {
		t.Errorf("payloads seen running: %q, want %q", r.Pwned, want)
	}
	if len(dialogs) != 1 || !strings.Contains(dialogs[0], "control:breakout") {
		t.Errorf("dialogs seen: %q, want the alert of control:breakout", dialogs)
	}
	if len(r.Bad) == 0 {
		t.Error("the DOM check found no handler or javascript: link in a page full of them")
	}
}
