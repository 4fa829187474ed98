package site

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// testSite is a small site: two outlets, one story, a raw seed with YAML
// front matter, reader comments and a fenced code block.
func testSite() fstest.MapFS {
	seed := "---\ntitle: 'Raw'\ndate: 2019-11-18T04:58:00+01:00\n---\n\nFirst line of the raw text.\nSecond line.\n"
	return fstest.MapFS{
		"archive.toml":    {Data: []byte("title = \"Test archive\"\nbaseURL = \"https://archive.example.org/\"\norganization = \"Test Org\"\n")},
		"seeds/001_a.txt": {Data: []byte(seed)},
		"content/a.md":    {Data: []byte("---\ntitle: 'Alpha: the first'\noutlet: The Register\nauthor: Ann Author\ndate: 2019-11-18\nseed: seeds/001_a.txt\nseed_sha256: " + hexHash([]byte(seed)) + "\n---\n\nThe first paragraph of the alpha article, which is long enough to be a summary. Second sentence.\n\n```go\nfunc main() {}\n```\n\n## Reader comments\n\n### Jane Doe\n\nI disagree.\n\n### Bob\n\nMe too.\n")},
		"content/b.md":    {Data: []byte("+++\ntitle = \"Beta\"\noutlet = \"Reuters\"\ndate = 2019-11-19\n+++\n\nBeta body text here, plainly written for the test of the site build.\n")},
		"content/c.md":    {Data: []byte("{\n\"title\": \"Gamma\",\n\"outlet\": \"Reuters\",\n\"date\": \"2019-11-17\"\n}\nGamma body.\n")},
	}
}

func TestBuildPages(t *testing.T) {
	out, err := Build(context.Background(), testSite())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"404.html", "articles/a/index.html", "articles/b/index.html", "articles/c/index.html",
		"index.html", "index.xml", "outlets/index.html", "outlets/reuters/index.html", "outlets/the-register/index.html", "robots.txt",
		"seeds/001_a.txt", "seeds/001_a/index.html", "seeds/index.html", "sitemap.xml",
		"stories/index.html", "stories/the-story/index.html", "titles/index.html"}
	have := out.Paths()
	var got []string
	for _, p := range have {
		if !strings.HasPrefix(p, "style.") && !strings.HasSuffix(p, ".js") {
			got = append(got, p)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("paths:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func page(t *testing.T, out *Output, p string) string {
	t.Helper()
	b, ok := out.Bytes(p)
	if !ok {
		t.Fatalf("no %s in %v", p, out.Paths())
	}
	return string(b)
}

func TestPageContent(t *testing.T) {
	out, err := Build(context.Background(), testSite(), WithBaseURL("https://example.net/sub/"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		want []string
		not  []string
	}{
		{"articles/a/index.html", []string{
			`<link rel="canonical" href="https://example.net/sub/articles/a/">`,
			`<meta property="og:title" content="Alpha: the first">`,
			`<meta property="og:type" content="article">`,
			`"@type":"NewsArticle"`, `"headline":"Alpha: the first"`, `"author":{"@type":"Person","name":"Ann Author"}`,
			`<a href="/sub/outlets/the-register/">The Register</a>`,
			`<a href="/sub/seeds/001_a/"><code>seeds/001_a.txt</code></a>`,
			`rel="prev">Gamma</a>`, `rel="next">Beta</a>`,
			`<section class="comments" aria-labelledby="reader-comments">`,
			"<article class=\"comment\">\n<h3 id=\"jane-doe\">Jane Doe</h3>\n<p>I disagree.</p>\n</article>",
			`<span class="kd">func</span>`, // chroma classes, no inline styles
		}, []string{`style="`, "<script>"}},
		{"index.html", []string{`href="/sub/articles/c/">Gamma`, `Ann Author`,
			"The first paragraph of the alpha article, which is long enough to be a summary.</p>"}, nil},
		{"seeds/001_a/index.html", []string{`id="L6"`, `href="#L6"`, "First line of the raw text.",
			`<span class="nt">title</span>`, hexHash(testSite()["seeds/001_a.txt"].Data), `href="/sub/seeds/001_a.txt"`}, nil},
		{"outlets/reuters/index.html", []string{`href="/sub/articles/b/">Beta`, `href="/sub/articles/c/">Gamma`}, []string{"Alpha"}},
		{"index.xml", []string{`<feed xmlns="http://www.w3.org/2005/Atom"`, `<id>https://example.net/sub/articles/a/</id>`, "<updated>2019-11-19T00:00:00Z</updated>"}, nil},
		{"sitemap.xml", []string{"<loc>https://example.net/sub/articles/b/</loc>", "<lastmod>2019-11-19</lastmod>"}, nil},
		{"404.html", []string{"Page not found", `href="/sub/"`}, nil},
	} {
		s := page(t, out, tc.path)
		for _, w := range tc.want {
			if !strings.Contains(s, w) {
				t.Errorf("%s lacks %s", tc.path, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(s, w) {
				t.Errorf("%s has %s", tc.path, w)
			}
		}
	}
	css := ""
	for _, p := range out.Paths() {
		if strings.HasPrefix(p, "style.") {
			css = page(t, out, p)
		}
	}
	if !strings.Contains(css, "@media (prefers-color-scheme: dark)") || !strings.Contains(css, ".chroma .kd") || !strings.Contains(css, "@media print") {
		t.Error("stylesheet lacks the dark theme, chroma classes or print rules")
	}
}

func TestMarkdown(t *testing.T) {
	for _, tc := range []struct {
		name, front, body string
		want, not         []string
	}{
		{"raw html dropped", "", "Text <b onclick=x>bold</b>\n\n<script>alert(1)</script>\n",
			[]string{"<!-- raw HTML omitted -->"}, []string{"<script>", "onclick"}},
		{"raw html kept when unsafe", "unsafe_html: true\n", "Text <b>bold</b>\n", []string{"<b>bold</b>"}, nil},
		{"no typographer", "", "\"Quotes\" -- and ... stay\n", []string{"&quot;Quotes&quot; -- and ... stay"}, []string{"“", "–", "…"}},
		{"gfm", "", "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ https://example.org\n",
			[]string{"<table>", "<del>gone</del>", `<a href="https://example.org">`}, nil},
		{"heading ids do not clash with the layout's", "", "## Main\n\ntext\n", []string{`<h2 id="main-1">Main</h2>`}, nil},
		{"javascript link", "", "[x](javascript:alert(1))\n", []string{`<a href="">x</a>`}, []string{"javascript:"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := testSite()
			m["content/x.md"] = &fstest.MapFile{Data: []byte("---\ntitle: X\n" + tc.front + "---\n" + tc.body)}
			out, err := Build(context.Background(), m)
			if err != nil {
				t.Fatal(err)
			}
			s := page(t, out, "articles/x/index.html")
			body := s[strings.Index(s, `<div class="body">`):strings.Index(s, `<details class="cite"`)]
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %s:\n%s", w, body)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(body, w) {
					t.Errorf("has %s:\n%s", w, body)
				}
			}
		})
	}
}

func TestConfig(t *testing.T) {
	cfg, err := LoadConfig(fstest.MapFS{})
	if err != nil || cfg != DefaultConfig() {
		t.Errorf("absent archive.toml: %+v, %v", cfg, err)
	}
	cfg, err = LoadConfig(fstest.MapFS{"archive.toml": {Data: []byte("title = \"T\"\ncontact_email = \"a@b.org\"\n")}})
	if err != nil || cfg.Title != "T" || cfg.ContactEmail != "a@b.org" || cfg.Language != "en" {
		t.Errorf("partial archive.toml: %+v, %v", cfg, err)
	}
}

func TestDrafts(t *testing.T) {
	m := testSite()
	m["content/d.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Draft\ndraft: true\n---\nNot yet.\n")}
	out, err := Build(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out.Bytes("articles/d/index.html"); ok || strings.Contains(page(t, out, "index.html"), "Draft") {
		t.Error("draft published without WithDrafts")
	}
	out, err = Build(context.Background(), m, WithDrafts(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out.Bytes("articles/d/index.html"); !ok {
		t.Error("WithDrafts(true) left the draft out")
	}
}

func TestSeedHighlight(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"yaml", "---\ntitle: A\n---\nText <b>&\n", []string{`<span class="nt">title</span>`, "Text &lt;b&gt;&amp;\n"}},
		{"toml", "+++\ntitle = \"A\"\n+++\nText\n", []string{`<span class="cp">+++`, `<span class="s2">&#34;A&#34;</span>`}},
		{"json", "{\n\"title\": \"A\"\n}\nText\n", []string{`<span class="nt">&#34;title&#34;</span>`}},
		{"plain", "Just text\n---\nnot front matter\n", []string{`id="L3"`, "not front matter\n"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := highlightSeed([]byte(tc.src), nil)
			if err != nil {
				t.Fatal(err)
			}
			s := string(b)
			for _, w := range tc.want {
				if !strings.Contains(s, w) {
					t.Errorf("lacks %s:\n%s", w, s)
				}
			}
			// The text shown is the file, byte for byte.
			shown := regexp.MustCompile(`<span class="ln"[^>]*><a[^>]*>\s*\d+</a></span>`).ReplaceAllString(s, "")
			shown = html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(shown, ""))
			if shown != tc.src {
				t.Errorf("seed shown as %q, archived as %q", shown, tc.src)
			}
			lines := strings.Count(tc.src, "\n")
			if n := strings.Count(s, `class="ln" id="L`); n != lines {
				t.Errorf("%d numbered lines, want %d", n, lines)
			}
		})
	}
}

// A gzipped WARC, a WACZ or a crawl of many megabytes is not listed by
// line: the page says so, and the file is offered whole.
func TestSeedNotListed(t *testing.T) {
	for name, src := range map[string][]byte{
		"gzip":  {0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff},
		"large": bytes.Repeat([]byte("WARC/1.1 line of text\n"), maxListedSeed/20),
	} {
		b, err := highlightSeed(src, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), `class="seed-binary"`) || strings.Contains(string(b), `id="L1"`) {
			t.Errorf("%s: listed by line:\n%.300s", name, b)
		}
	}
}

// Every bundled seed is shown byte for byte on its page.
func TestBundledSeedsShownExactly(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(repoRoot, "seeds", "*.txt"))
	if len(files) == 0 {
		t.Skip("no seeds/ in the repository")
	}
	lnRE := regexp.MustCompile(`<span class="ln"[^>]*><a[^>]*>\s*\d+</a></span>`)
	tagRE := regexp.MustCompile(`<[^>]*>`)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := highlightSeed(src, nil)
		if err != nil {
			t.Fatal(err)
		}
		if shown := html.UnescapeString(tagRE.ReplaceAllString(lnRE.ReplaceAllString(string(b), ""), "")); shown != string(src) {
			t.Errorf("%s is not shown exactly as archived", f)
		}
	}
}

func TestFeaturePages(t *testing.T) {
	m := testSite()
	m["layouts/finder.html"] = &fstest.MapFile{Data: []byte("{{define \"main\"}}<h1>{{.Title}}</h1>{{range .Data}}<p>{{.}}</p>{{end}}{{end}}\n")}
	m["layouts/tool.js"] = &fstest.MapFile{Data: []byte("console.log(1)\n")}
	f := &testFeature{emit: func(s *Site, out *Emitter) error {
		var titles []string
		for _, a := range s.Articles {
			titles = append(titles, a.Title)
		}
		if err := out.Page(FeaturePage{Path: "find/index.html", Kind: "finder", Title: "Find", Key: 1,
			Data: func() (any, error) { return titles, nil }}); err != nil {
			return err
		}
		return out.File(FeatureFile{Path: "find/index.json", Key: 1, Data: func() ([]byte, error) { return []byte(`{"n":3}`), nil }})
	}}
	out, err := Build(context.Background(), m, WithFeatures(f))
	if err != nil {
		t.Fatal(err)
	}
	if s := page(t, out, "find/index.html"); !strings.Contains(s, "<h1>Find</h1><p>Gamma</p><p>Alpha: the first</p><p>Beta</p>") {
		t.Errorf("feature page:\n%s", s)
	}
	if s := page(t, out, "find/index.json"); s != `{"n":3}` {
		t.Errorf("feature file %q", s)
	}
	if s := page(t, out, "tool.js"); s != "console.log(1)\n" {
		t.Errorf("script %q", s)
	}
	if s := page(t, out, "articles/a/index.html"); strings.Contains(s, "<h1>Find</h1>") || !strings.Contains(s, "Alpha: the first</h1>") {
		t.Error("a layout that defines main leaked into other pages")
	}
	if s := page(t, out, "sitemap.xml"); !strings.Contains(s, "<loc>https://archive.example.org/find/</loc>") {
		t.Errorf("the feature's page is not in the sitemap:\n%s", s)
	}
	for _, c := range []struct {
		page FeaturePage
		want string
	}{
		{FeaturePage{Path: "../x.html", Kind: "finder", Key: 1}, "not a slash path inside the site"},
		{FeaturePage{Path: "x.html", Kind: "nope", Key: 1}, "layouts/nope.html"},
		{FeaturePage{Path: "x.html", Kind: "finder"}, "has no Key"},
		{FeaturePage{Path: "articles/a/index.html", Kind: "finder", Key: 1}, "two pages claim /articles/a/index.html"},
	} {
		bad := &testFeature{emit: func(s *Site, out *Emitter) error {
			p := c.page
			p.Data = func() (any, error) { return nil, nil }
			return out.Page(p)
		}}
		if _, err := Build(context.Background(), m, WithFeatures(bad)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("page %+v: error %v, want %q", c.page, err, c.want)
		}
	}
}

func TestSeedLines(t *testing.T) {
	f := &testFeature{seed: func(s *Site, sd *Seed) (SeedAdditions, error) {
		if sd.File == "seeds/001_a.txt" {
			return SeedAdditions{Lines: []SeedLine{{From: 6, To: 6, Link: Link{Text: "a passage", URL: "/p/"}}}}, nil
		}
		return SeedAdditions{}, nil
	}}
	out, err := Build(context.Background(), testSite(), WithFeatures(f))
	if err != nil {
		t.Fatal(err)
	}
	s := page(t, out, "seeds/001_a/index.html")
	if !strings.Contains(s, `<span class="line hl"><span class="ln" id="L6">`) || strings.Count(s, "line hl") != 1 {
		t.Errorf("line 6 not highlighted alone:\n%s", s)
	}
	if !strings.Contains(s, `<a href="#L6">line 6</a>: <a href="/p/">a passage</a>`) {
		t.Errorf("the line is not linked to what it holds:\n%s", s)
	}
}

// A "# heading" in an article body must not make a second <h1> on the page.
func TestBodyHeadingsBelowTitle(t *testing.T) {
	fsys := fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: Title\n---\n\n# Part one\n\ntext\n")}}
	out, err := Build(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := out.Bytes("articles/a/index.html")
	if n := strings.Count(string(b), "<h1"); n != 1 || !strings.Contains(string(b), "<h2 id=\"part-one\">Part one</h2>") {
		t.Errorf("%d <h1> elements, want only the title's:\n%s", n, b)
	}
}

// TestEmitterLast: a feature reads back a file of the last good build
// when that build made it from the same key, in memory and in a store.
func TestEmitterLast(t *testing.T) {
	type got struct {
		data string
		ok   bool
	}
	for _, c := range []struct {
		name string
		opts []Option
	}{
		{"memory", nil},
		{"store", []Option{WithStore(t.TempDir())}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var reads map[string]got
			f := &testFeature{emit: func(s *Site, out *Emitter) error {
				reads = map[string]got{}
				for _, q := range []struct {
					p   string
					key Key
				}{{"find/index.json", 7}, {"find/index.json", 8}, {"find/other.json", 7}} {
					b, ok := out.Last(q.p, q.key)
					reads[fmt.Sprintf("%s@%d", q.p, q.key)] = got{string(b), ok}
				}
				return out.File(FeatureFile{Path: "find/index.json", Key: 7, Data: func() ([]byte, error) { return []byte(`{"n":7}`), nil }})
			}}
			b := NewBuilder(testSite(), append(c.opts, WithFeatures(f))...)
			if _, _, err := b.Build(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			for q, g := range reads {
				if g.ok {
					t.Errorf("first build: Last(%s) = %q, true; want nothing (no last build)", q, g.data)
				}
			}
			if _, _, err := b.Build(context.Background(), nil); err != nil {
				t.Fatal(err)
			}
			want := map[string]got{
				"find/index.json@7": {`{"n":7}`, true},
				"find/index.json@8": {"", false}, // made from another key
				"find/other.json@7": {"", false}, // never made
			}
			for q, w := range want {
				if g := reads[q]; g != w {
					t.Errorf("second build: Last(%s) = %q, %v; want %q, %v", q, g.data, g.ok, w.data, w.ok)
				}
			}
		})
	}
}
