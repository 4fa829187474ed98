package features_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/features"
	"github.com/archive-project/archive/cmd/archive/internal/linkcheck"
	"github.com/archive-project/archive/cmd/archive/internal/search"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

const repoRoot = "../../../.."

// options are the site features as `archive build` adds them.
func options() []site.Option { return features.Options() }

var bundled struct {
	once sync.Once
	out  *site.Output
	err  error
}

// buildBundled builds the repository's own archive with every feature.
func buildBundled(t testing.TB) *site.Output {
	t.Helper()
	bundled.once.Do(func() {
		bundled.out, bundled.err = site.Build(context.Background(), os.DirFS(repoRoot), options()...)
	})
	if bundled.err != nil {
		t.Fatal(bundled.err)
	}
	return bundled.out
}

func page(t *testing.T, out *site.Output, p string) string {
	t.Helper()
	b, ok := out.Bytes(p)
	if !ok {
		t.Fatalf("no %s in the build", p)
	}
	return string(b)
}

const (
	reuters   = "/articles/interpol-plans-to-condemn-encryption-spread-citing-predators/"
	ars       = "/articles/think-of-the-children-fbi-sought-interpol-statement/"
	techdirt  = "/articles/interpol-confirms-denies-its-against-strong-encryption/"
	permalink = "https://archive-project.netlify.app" + reuters
)

func fetcher(out *site.Output) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) {
		b, ok := out.Bytes("search/" + p)
		if !ok {
			return nil, fmt.Errorf("no file search/%s", p)
		}
		return b, nil
	}
}

func TestSearchIndex(t *testing.T) {
	out := buildBundled(t)
	for _, tc := range []struct {
		name string
		q    search.Query
		want []string // URLs (prefixes) that must be among the hits
		kind string   // every hit's kind, if set
	}{
		{"articles and passage", search.Query{Text: "lawful access", Limit: 50}, []string{ars, techdirt, "/passages/p-"}, ""},
		{"only passages", search.Query{Text: "lawful access", Kind: search.Passage, Limit: 50}, []string{"/passages/p-"}, search.Passage},
		{"one outlet", search.Query{Text: "lawful access", Outlet: "Ars Technica", Limit: 50}, []string{ars}, ""},
		{"editor's note", search.Query{Text: "contradicts the Reuters report", Kind: search.Note}, []string{techdirt + "#n-"}, search.Note},
		{"byline", search.Query{Text: "Joseph Menn"}, []string{reuters}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := search.Search(fetcher(out), tc.q)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range res.Hits {
				got = append(got, h.URL)
				if tc.kind != "" && h.Kind != tc.kind {
					t.Errorf("hit %s is a %s, want only %s", h.URL, h.Kind, tc.kind)
				}
				if tc.q.Outlet != "" && h.Outlet != tc.q.Outlet {
					t.Errorf("hit %s is from %q, want only %q", h.URL, h.Outlet, tc.q.Outlet)
				}
			}
			for _, w := range tc.want {
				found := false
				for _, g := range got {
					found = found || strings.HasPrefix(g, w)
				}
				if !found {
					t.Errorf("%+v: no hit %s* among %v", tc.q, w, got)
				}
			}
		})
	}
	// The search page offers the filters and the no-JavaScript ways in.
	sp := page(t, out, "search/index.html")
	for _, want := range []string{`<option value="passage">`, `<option value="note">`, `<option value="Ars Technica">`,
		`data-index="/search/index.json"`, `<script src="/search.js" defer>`, `href="/titles/"`, `href="/#outlets"`, `href="/timeline/"`} {
		if !strings.Contains(sp, want) {
			t.Errorf("search page lacks %s", want)
		}
	}
	if _, ok := out.Bytes("search.js"); !ok {
		t.Error("search.js is not published")
	}
	if home := page(t, out, "index.html"); !strings.Contains(home, `<a href="/search/">Search</a>`) {
		t.Error("the site navigation has no Search link")
	}
}

func TestCitations(t *testing.T) {
	out := buildBundled(t)
	p := page(t, out, "articles/interpol-plans-to-condemn-encryption-spread-citing-predators/index.html")
	block := p[strings.Index(p, `<details class="cite"`):]
	block = block[:strings.Index(block, "</details>\n</details>")]
	for _, want := range []string{"Reuters", "Joseph Menn", "Menn, Joseph", "November 18, 2019", "date = {2019-11-18}",
		`"date-parts": [`, "https://ift.tt/32TRMOy", permalink, `"type": "article-newspaper"`, "<summary>BibTeX</summary>", "<summary>CSL-JSON"} {
		if !strings.Contains(block, want) && !strings.Contains(block, strings.ReplaceAll(want, `"`, "&#34;")) {
			t.Errorf("cite block lacks %q:\n%s", want, block)
		}
	}
	// The CSL-JSON is valid JSON with the item's fields.
	csl := regexp.MustCompile(`(?s)<summary>CSL-JSON.*?<code>(.*?)</code>`).FindStringSubmatch(block)
	if csl == nil {
		t.Fatal("no CSL-JSON block")
	}
	var items []map[string]any
	if err := json.Unmarshal([]byte(unescape(csl[1])), &items); err != nil {
		t.Fatalf("CSL-JSON: %v\n%s", err, csl[1])
	}
	if len(items) != 1 || items[0]["container-title"] != "Reuters" || items[0]["archive_location"] != permalink ||
		items[0]["URL"] != "https://ift.tt/32TRMOy" {
		t.Errorf("CSL item = %v", items)
	}
	// No capture date, no access date: never the clock, never a made-up
	// date (issue 13: it was the newest article's).
	if acc, ok := items[0]["accessed"]; ok {
		t.Errorf("accessed = %v, want none", acc)
	}
	for _, want := range []string{`<meta name="citation_title" content="Interpol plans to condemn encryption spread, citing predators">`,
		`<meta name="citation_author" content="Menn, Joseph">`, `<meta name="citation_publication_date" content="2019/11/18">`,
		`<meta name="citation_journal_title" content="Reuters">`} {
		if !strings.Contains(p[:strings.Index(p, "</head>")], want) {
			t.Errorf("head lacks %s", want)
		}
	}
	// Every article page has "Cite this"; every passage page too, citing
	// the quote's own permalink.
	var passages int
	for _, path := range out.Paths() {
		if !strings.HasSuffix(path, "/index.html") {
			continue
		}
		switch {
		case strings.HasPrefix(path, "articles/"):
			if !strings.Contains(page(t, out, path), "<summary>Cite this</summary>") {
				t.Errorf("%s has no Cite this", path)
			}
		case strings.HasPrefix(path, "passages/p-"):
			passages++
			pg := page(t, out, path)
			if !strings.Contains(pg, "<summary>Cite this</summary>") || !regexp.MustCompile(`archive_location&#34;: &#34;https://[^&]+/articles/[^&]+/#q-`).MatchString(pg) {
				t.Errorf("%s has no citation of its quote", path)
			}
		}
	}
	if passages == 0 {
		t.Fatal("no passage pages")
	}
	// The Reuters sentences The Register quoted are dated the same day, The
	// Register's without a time: the passage page says the order is unknown.
	if n := strings.Count(strings.Join(func() (ps []string) {
		for _, path := range out.Paths() {
			if strings.HasPrefix(path, "passages/p-") {
				ps = append(ps, page(t, out, path))
			}
		}
		return
	}(), ""), "which came first is not known"); n == 0 {
		t.Error("no passage page says that a same-day order is unknown")
	}
	// Each marked passage offers its quote's permalink to copy.
	if !regexp.MustCompile(`<a class="quotelink" href="` + regexp.QuoteMeta(permalink) + `#q-[0-9a-f]+(-\d+)?" rel="bookmark"`).MatchString(p) {
		t.Error("no quote link on the Reuters page")
	}
}

func unescape(s string) string {
	return strings.NewReplacer("&#34;", `"`, "&quot;", `"`, "&amp;", "&", "&lt;", "<", "&gt;", ">", "&#39;", "'").Replace(s)
}

func TestCaptureDateIsAccessDate(t *testing.T) {
	fsys := fstest.MapFS{
		"archive.toml": {Data: []byte("title = \"T\"\nbaseURL = \"https://example.org/\"\n")},
		"content/a.md": {Data: []byte("---\ntitle: A\noutlet: O\nauthor: Ann Author\ndate: 2019-11-18\ncaptured: 2019-11-20\n---\nBody a.\n")},
		"content/b.md": {Data: []byte("---\ntitle: B\noutlet: O\ndate: 2019-11-19\n---\nBody b.\n")},
	}
	out, err := site.Build(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	if pg := page(t, out, "articles/a/index.html"); !strings.Contains(pg, "accessed November 20, 2019") {
		t.Error("a's citation does not give its capture date as the access date")
	}
	if pg := page(t, out, "articles/b/index.html"); strings.Contains(pg, "accessed") {
		t.Error("b records no capture date, yet its citation says when it was accessed")
	}
}

// An incremental build re-renders a page whose citation changed because
// its capture date (the access date) changed; another article's dates never
// reach it (there is no made-up fallback access date).
func TestIncrementalCitation(t *testing.T) {
	fsys := fstest.MapFS{
		"archive.toml": {Data: []byte("title = \"T\"\nbaseURL = \"https://example.org/\"\n")},
		"content/a.md": {Data: []byte("---\ntitle: A\noutlet: O\ndate: 2019-11-18\ncaptured: 2019-11-19\n---\nBody a.\n")},
		"content/b.md": {Data: []byte("---\ntitle: B\noutlet: O\ndate: 2019-11-19\n---\nBody b.\n")},
	}
	b := site.NewBuilder(fsys)
	out, _, err := b.Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if pg := page(t, out, "articles/a/index.html"); !strings.Contains(pg, "accessed November 19, 2019") {
		t.Fatal("first build: a is not accessed on its capture date")
	}
	fsys["content/b.md"] = &fstest.MapFile{Data: []byte("---\ntitle: B\noutlet: O\ndate: 2019-11-21\n---\nBody b.\n")}
	out, _, err = b.Build(context.Background(), []string{"content/b.md"})
	if err != nil {
		t.Fatal(err)
	}
	if pg := page(t, out, "articles/a/index.html"); !strings.Contains(pg, "accessed November 19, 2019") {
		t.Errorf("after b moved to 21 November, a says %s", regexp.MustCompile(`accessed [^<.]+`).FindString(pg))
	}
	fsys["content/a.md"] = &fstest.MapFile{Data: []byte("---\ntitle: A\noutlet: O\ndate: 2019-11-18\ncaptured: 2019-11-22\n---\nBody a.\n")}
	out, rep, err := b.Build(context.Background(), []string{"content/a.md"})
	if err != nil {
		t.Fatal(err)
	}
	if pg := page(t, out, "articles/a/index.html"); !strings.Contains(pg, "accessed November 22, 2019") {
		t.Errorf("after a's capture moved to 22 November, a still says %s (changed: %v)", regexp.MustCompile(`accessed [^<.]+`).FindString(pg), rep.Changed)
	}
}

// The timeline lists every article in date order (undated last), places
// each shared passage once, at its earliest occurrence, and names where
// it went later; where a bare date leaves the order within a day unknown,
// it says so.
func TestTimeline(t *testing.T) {
	out := buildBundled(t)
	pg := page(t, out, "timeline/index.html")
	headRE := regexp.MustCompile(`(?s)^\s*<p class="tl-when">(.*?)</p>\s*<h2 class="tl-title"><a href="([^"]+)">`)
	var blocks [][]string
	for _, chunk := range strings.Split(pg, `<li class="tl-article">`)[1:] {
		m := headRE.FindStringSubmatch(chunk)
		if m == nil {
			t.Fatalf("a timeline entry without its date and title:\n%s", chunk)
		}
		blocks = append(blocks, []string{chunk, m[1], m[2]})
	}
	timeRE := regexp.MustCompile(`datetime="([^"]+)"`)
	quoteRE := regexp.MustCompile(`<blockquote><p><a href="([^"]+)">`)
	laterRE := regexp.MustCompile(`Then in: (.*?)\.\n`)
	hrefRE := regexp.MustCompile(`href="([^"#]+)#`)
	if len(blocks) != 5 {
		t.Fatalf("timeline has %d articles, want 5", len(blocks))
	}
	dateOf := map[string]time.Time{}
	var last time.Time
	undated := false
	for _, b := range blocks {
		var d time.Time
		if m := timeRE.FindStringSubmatch(b[1]); m != nil {
			d, _ = time.Parse(time.RFC3339, m[1])
		}
		dateOf[b[2]] = d
		if d.IsZero() {
			undated = true
		} else if undated || d.Before(last) {
			t.Errorf("%s (%v) is out of date order", b[2], d)
		} else {
			last = d
		}
	}
	if !undated {
		t.Error("the bundled Techdirt article is undated, but the timeline has no undated article")
	}
	placed := 0
	seen := map[string]bool{}
	for _, b := range blocks {
		for _, q := range quoteRE.FindAllStringSubmatch(b[0], -1) {
			placed++
			if !strings.HasPrefix(q[1], b[2]+"#q-") {
				t.Errorf("a passage is placed at %s but its quote is %s", b[2], q[1])
			}
			if seen[q[1]] {
				t.Errorf("%s placed twice", q[1])
			}
			seen[q[1]] = true
		}
		for _, l := range laterRE.FindAllStringSubmatch(b[0], -1) {
			for _, h := range hrefRE.FindAllStringSubmatch(l[1], -1) {
				if d, a := dateOf[h[1]], dateOf[b[2]]; !d.IsZero() && !a.IsZero() && d.Before(a) {
					t.Errorf("a passage first appears in %s (%v), but %s is earlier (%v)", b[2], a, h[1], d)
				}
			}
		}
	}
	if placed == 0 || !strings.Contains(pg, fmt.Sprintf("%d shared passages", placed)) {
		t.Errorf("%d passages placed, but the page says otherwise", placed)
	}
	// The bundled dates are mostly bare days: a passage that "first"
	// appears in one of them and the same day elsewhere says the order
	// within that day is unknown.
	if !strings.Contains(pg, "(the same day: which came first is not known)") {
		t.Error("the timeline page does not say when the order within a day is unknown")
	}
}

// The pages that features add are in the sitemap.
func TestSitemap(t *testing.T) {
	sm := page(t, buildBundled(t), "sitemap.xml")
	for _, want := range []string{"<loc>https://archive-project.netlify.app/search/</loc>", "<loc>https://archive-project.netlify.app/timeline/</loc>",
		"<loc>https://archive-project.netlify.app/titles/</loc>", "<loc>https://archive-project.netlify.app/passages/p-"} {
		if !strings.Contains(sm, want) {
			t.Errorf("sitemap lacks %s", want)
		}
	}
}

func TestTitles(t *testing.T) {
	out := buildBundled(t)
	pg := page(t, out, "titles/index.html")
	order := []string{"Interpol Confirms", "Interpol plans", "Interpol to support", "Interpol: Strong", "Think of the children"}
	at := 0
	for _, w := range order {
		i := strings.Index(pg, w)
		if i < at {
			t.Errorf("%q is out of title order", w)
		}
		at = i
	}
}

// Every internal link and #fragment of the whole site resolves.
func TestLinksResolve(t *testing.T) {
	out := buildBundled(t)
	for _, p := range linkcheck.Check(out, linkcheck.WithBaseURL("https://archive-project.netlify.app/")) {
		t.Error(p)
	}
}

// Two builds are byte-identical (no clock, no map order).
func TestDeterministic(t *testing.T) {
	a := buildBundled(t)
	b, err := site.Build(context.Background(), os.DirFS(repoRoot), options()...)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(a.Paths(), " ") != strings.Join(b.Paths(), " ") {
		t.Fatal("paths differ between builds")
	}
	for _, p := range a.Paths() {
		x, _ := a.Bytes(p)
		y, _ := b.Bytes(p)
		if string(x) != string(y) {
			t.Errorf("%s differs between builds", p)
		}
	}
}

func TestPlainText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"A *b* [link](http://x) `code`.\nnext line", "A b link code. next line"},
		{"# Title\n\nPara one.\n\n> quoted\n\n```\nskip me\n```\n\n<div>raw</div>\n", "Title\nPara one.\nquoted"},
		{"- one\n- two\n", "one\ntwo"},
	} {
		if got := search.PlainText([]byte(tc.in)); got != tc.want {
			t.Errorf("PlainText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
