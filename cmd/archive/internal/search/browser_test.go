package search

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/browsertest"
	"github.com/chromedp/chromedp"
)

// layoutsDir is the repository's layouts/ folder, where search.html and
// search.js live.
const layoutsDir = "../../../../layouts"

// csp is as strict as a page can be and still run search.js.
const csp = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// searchSite serves the search page (layouts/search.html in a minimal base),
// layouts/search.js and the index of docs, with the strict CSP.
func searchSite(t *testing.T, docs []Doc) *httptest.Server {
	t.Helper()
	files, err := Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	return serveSearch(t, docs, files, nil)
}

// serveSearch serves files and the page; served, if not nil, is called
// with the path of every index file sent.
func serveSearch(t *testing.T, docs []Doc, files map[string][]byte, served func(path string)) *httptest.Server {
	t.Helper()
	js, err := os.ReadFile(filepath.Join(layoutsDir, "search.js"))
	if err != nil {
		t.Fatal(err)
	}
	base := `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Search</title></head>` +
		`<body><main id="main">{{block "main" .}}{{end}}</main></body></html>`
	tmpl := template.Must(template.Must(template.New("base").Parse(base)).ParseFiles(filepath.Join(layoutsDir, "search.html")))
	var page strings.Builder
	data := struct{ Data struct{ Search Page } }{struct{ Search Page }{NewPage(docs, "/search/", "/search.js",
		Choice{"/#articles", "articles by title"}, Choice{"/#outlets", "outlets"})}}
	if err := tmpl.ExecuteTemplate(&page, "base", data); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		switch p := r.URL.Path; {
		case p == "/search/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, page.String())
		case p == "/search.js":
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
			w.Write(js)
		case p == "/favicon.ico":
			w.Header().Set("Content-Type", "image/x-icon")
		case files[strings.TrimPrefix(p, "/")] != nil:
			if served != nil {
				served(strings.TrimPrefix(p, "/search/"))
			}
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Content-Type", "application/json")
			w.Write(files[strings.TrimPrefix(p, "/")])
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// waitJS evaluates expr until it is true (chromedp.Poll would need eval,
// which the CSP forbids).
func waitJS(t *testing.T, ctx context.Context, expr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", expr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func resultURLs(t *testing.T, ctx context.Context) []string {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("#search-results a"), a => new URL(a.href).pathname + new URL(a.href).hash)`))
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestBrowserSearch(t *testing.T) {
	ctx := browsertest.New(t)
	ctx, cancel := browsertest.Timeout(ctx, 60*time.Second)
	defer cancel()
	srv := searchSite(t, seedDocs)

	var (
		mu   sync.Mutex
		msgs []string
	)
	cctx, stopConsole := context.WithCancel(ctx)
	defer stopConsole()
	messages := chromedp.Console(cctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			mu.Lock()
			msgs = append(msgs, fmt.Sprintf("%s %s:%d %s", m.Type, m.URL, m.Line+1, m.Text))
			mu.Unlock()
		}
	}()

	// A shared URL runs its query on load.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/search/?q=Interpol")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelectorAll("#search-results li").length === 3`)
	if got, want := resultURLs(t, ctx), []string{"/articles/reuters/", "/articles/techdirt/", "/articles/register/"}; !reflect.DeepEqual(got, want) {
		t.Errorf("q=Interpol: results %q, want %q", got, want)
	}
	status, err := chromedp.Run(ctx, chromedp.Text("#search-status"))
	if err != nil || status != "3 results for “Interpol”." {
		t.Errorf("status %q, %v", status, err)
	}
	marks, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#search-results mark").length`))
	if marks < 3 {
		t.Errorf("%d highlighted words, want at least one per result", marks)
	}

	if shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		os.WriteFile(filepath.Join(browsertest.ScreenshotDir(t), "search.png"), shot, 0o644)
	}

	// Typing: the last word matches as a prefix, and the URL follows.
	typeQuery := func(text string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("search-q").value = ""`)); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.SendKeys("#search-q", text)); err != nil {
			t.Fatal(err)
		}
	}
	typeQuery("backd")
	waitJS(t, ctx, `document.querySelectorAll("#search-results li").length === 1 && location.search === "?q=backd"`)
	if got := resultURLs(t, ctx); !reflect.DeepEqual(got, []string{"/articles/techdirt/"}) {
		t.Errorf("typing backd: %q", got)
	}

	// Filters: outlet, then kind.
	choose := func(sel, value string) {
		t.Helper()
		js := fmt.Sprintf(`(() => { const s = document.querySelector(%q); s.value = %q; s.dispatchEvent(new Event("change", {bubbles: true})); return s.value })()`, sel, value)
		if got, err := chromedp.Run(ctx, chromedp.Evaluate[string](js)); err != nil || got != value {
			t.Fatalf("select %s = %q: got %q, %v", sel, value, got, err)
		}
	}
	typeQuery("encryption ")
	waitJS(t, ctx, `document.querySelectorAll("#search-results li").length === 3`)
	choose("#search-outlet", "Reuters")
	waitJS(t, ctx, `document.querySelectorAll("#search-results li").length === 1 && location.search.includes("outlet=Reuters")`)
	if got := resultURLs(t, ctx); !reflect.DeepEqual(got, []string{"/articles/reuters/"}) {
		t.Errorf("encryption from Reuters: %q", got)
	}
	typeQuery("reuters")
	choose("#search-kind", "note")
	waitJS(t, ctx, `location.search.includes("kind=note") && document.querySelectorAll("#search-results li").length === 1`)
	if got := resultURLs(t, ctx); !reflect.DeepEqual(got, []string{"/articles/reuters/#note-1"}) {
		t.Errorf("reuters, notes from Reuters: %q", got)
	}
	choose("#search-kind", "passage")
	waitJS(t, ctx, `document.getElementById("search-status").textContent.startsWith("No results")`)

	// Titles, outlets and snippets are text, never markup.
	hostile := `<img src=x onerror="document.title='owned'"><script>document.title='owned'</script>`
	srv2 := searchSite(t, []Doc{{URL: "/x/?a=\"><b>", Title: "Hostile " + hostile, Kind: Article,
		Outlet: hostile, Text: "hostile " + hostile}})
	if err := chromedp.Do(ctx, chromedp.Navigate(srv2.URL+"/search/?q=hostile")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelectorAll("#search-results li").length === 1`)
	injected, err := chromedp.Run(ctx, chromedp.Evaluate[int](
		`document.querySelectorAll("#search-results img, #search-results script, #search-results b").length + (document.title === "owned" ? 100 : 0)`))
	if err != nil || injected != 0 {
		t.Errorf("hostile text became markup (%d, %v)", injected, err)
	}
	if text, _ := chromedp.Run(ctx, chromedp.Text("#search-results a")); !strings.Contains(text, "<script>") {
		t.Errorf("hostile title not shown as text: %q", text)
	}

	// The client's tokeniser is the index's.
	inputs := []string{"Interpol’s DRAFT", "don’t ‘quote’ me", "Lyón café naïve", "Straße STRASSE",
		"ﬁnancial ＵＳ", "U.S.-based 60 countries", "the US and the U.S. and e.g. J.R.R. Tolkien",
		"A. Smith, 3.5 per cent, a.m", "a b c. d", "𠀀𠀁 x.𠀀.y", "ΣΟΦΟΣ σοφος", "“Tech companies,” it said.", "'''"}
	for _, in := range inputs {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](fmt.Sprintf(`archiveSearch.tokens(%q)`, in)))
		if err != nil {
			t.Fatal(err)
		}
		if want := Tokens(in); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("tokens(%q): JavaScript %q, Go %q", in, got, want)
		}
	}

	time.Sleep(200 * time.Millisecond) // let late console messages arrive
	stopConsole()
	mu.Lock()
	defer mu.Unlock()
	for _, m := range msgs {
		t.Errorf("console: %s", m)
	}
}

// TestBrowserMatchesGo runs queries on a 10,000-article index in Chromium and
// checks that search.js fetches exactly the files that Search reads (so the
// byte counts of TestQueryBytes10k are the browser's) and ranks the same
// results in the same order.
func TestBrowserMatchesGo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10,000-article index")
	}
	ctx := browsertest.New(t)
	ctx, cancel := browsertest.Timeout(ctx, 120*time.Second)
	defer cancel()
	docs := syntheticCorpus(10000, 800, 40)
	files, err := Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu    sync.Mutex
		fetch []string
	)
	srv := serveSearch(t, docs, files, func(p string) {
		mu.Lock()
		fetch = append(fetch, p)
		mu.Unlock()
	})
	for _, q := range []Query{
		{Text: "encryption backdoor"},
		{Text: "the encryption of data"},
		{Text: "encr"},
		{Text: "interpol predators", Outlet: "Outlet 07"},
	} {
		want, err := Search(fetcher(files), q)
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		fetch = nil
		mu.Unlock()
		u := srv.URL + "/search/?" + url.Values{"q": {q.Text}, "outlet": {q.Outlet}}.Encode()
		if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
			t.Fatal(err)
		}
		waitJS(t, ctx, fmt.Sprintf(`document.querySelectorAll("#search-results li").length === %d`, len(want.Hits)))
		if got := resultURLs(t, ctx); !reflect.DeepEqual(got, urls(want.Hits)) {
			t.Errorf("%q: browser ranks\n%q\nGo ranks\n%q", q.Text, got, urls(want.Hits))
		}
		mu.Lock()
		got := slices.Clone(fetch)
		mu.Unlock()
		slices.Sort(got)
		wantFiles := slices.Clone(want.Fetched)
		slices.Sort(wantFiles)
		if !reflect.DeepEqual(got, wantFiles) {
			t.Errorf("%q: browser fetched %q, Go read %q", q.Text, got, wantFiles)
		}
		bytes := 0
		for _, p := range got {
			bytes += len(files["search/"+p])
		}
		t.Logf("%q: browser fetched %d index files, %d bytes", q.Text, len(got), bytes)
	}

	// "More results" shows the next ten, in Go's order.
	want, err := Search(fetcher(files), Query{Text: "encryption backdoor", Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/search/?q=encryption+backdoor")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelectorAll("#search-results li").length === 10 && !document.getElementById("search-more").hidden`)
	if err := chromedp.Do(ctx, chromedp.Click("#search-more")); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, `document.querySelectorAll("#search-results li").length === 20`)
	if got := resultURLs(t, ctx); !reflect.DeepEqual(got, urls(want.Hits)) {
		t.Errorf("after More results: %q\nwant %q", got, urls(want.Hits))
	}
}
