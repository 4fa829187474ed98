package features_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/archive-project/archive/cmd/archive/internal/browsertest"
)

// TestBrowserSearchAndCite reads the built seed archive, served as static
// files under netlify.toml's CSP, in headless Chromium: a search for
// "lawful access" finds the Ars Technica and Techdirt articles and the
// shared passage; the outlet filter keeps Ars Technica's only; the result
// opens the article, whose "Cite this" opens without script; the timeline
// shows the articles in date order. No console error, no CSP violation.
func TestBrowserSearchAndCite(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	out := buildBundled(t)
	srv := browsertest.Serve(t, out, browsertest.ProductionCSP(t, repoRoot))
	ctx := browsertest.New(t)
	ctx, cancel := browsertest.Timeout(ctx, 90*time.Second)
	defer cancel()
	console := browsertest.WatchConsole(ctx)
	shots := browsertest.ScreenshotDir(t)
	shot := func(name string, full bool) {
		t.Helper()
		var png []byte
		var err error
		if full {
			png, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
		} else {
			png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
		}
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(shots, name)
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", p)
	}
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return s
	}
	until := func(js string) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err == nil && ok {
				return
			}
			time.Sleep(25 * time.Millisecond)
		}
		t.Fatalf("still false after 20s: %s\nstatus: %s", js, eval(`document.getElementById("search-status") ? document.getElementById("search-status").textContent : ""`))
	}
	const resultURLs = `Array.from(document.querySelectorAll("#search-results .search-result-title a")).map(a => new URL(a.href).pathname + new URL(a.href).hash).join("\n")`
	const resultMeta = `Array.from(document.querySelectorAll("#search-results .search-result-meta")).map(p => p.textContent).join("\n")`

	// Type the query as a reader does.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/search/"),
		chromedp.WaitVisible(`#search-q`),
		chromedp.SendKeys(`#search-q`, "lawful access"),
		chromedp.Submit(`#search-q`)); err != nil {
		t.Fatal(err)
	}
	until(`document.querySelectorAll("#search-results li").length > 0`)
	urls := eval(resultURLs)
	for _, want := range []string{ars, techdirt, "/passages/p-"} {
		if !strings.Contains(urls, want) {
			t.Errorf("results for lawful access lack %s:\n%s", want, urls)
		}
	}
	if q := eval(`location.search`); !strings.Contains(q, "q=lawful+access") {
		t.Errorf("the query is not in the URL: %s", q)
	}
	shot("reader-search.png", true)

	// Filter by outlet.
	if err := chromedp.Do(ctx, chromedp.SetValue(`#search-outlet`, "Ars Technica")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("search-outlet").dispatchEvent(new Event("change", {bubbles: true}))`)); err != nil {
		t.Fatal(err)
	}
	until(`location.search.includes("outlet=Ars+Technica") && !document.getElementById("search-results").textContent.includes("Techdirt") && document.querySelectorAll("#search-results li").length > 0`)
	for _, m := range strings.Split(eval(resultMeta), "\n") {
		if !strings.Contains(m, "Ars Technica") {
			t.Errorf("filtered by Ars Technica, a result says %q", m)
		}
	}
	if urls := eval(resultURLs); !strings.Contains(urls, ars) || strings.Contains(urls, techdirt) {
		t.Errorf("filtered results:\n%s", urls)
	}
	shot("reader-search-ars.png", false)

	// Open the article from the results and cite it.
	if err := chromedp.Do(ctx, chromedp.Click(`#search-results a[href$="`+ars+`"]`), chromedp.WaitVisible(`details.cite > summary`)); err != nil {
		t.Fatal(err)
	}
	if open := eval(`String(document.querySelector("details.cite").open)`); open != "false" {
		t.Errorf("Cite this is open before it is asked for")
	}
	if err := chromedp.Do(ctx, chromedp.ScrollIntoView(`details.cite`), chromedp.Click(`details.cite > summary`),
		chromedp.Click(`details.cite details.cite-format > summary`)); err != nil {
		t.Fatal(err)
	}
	until(`document.querySelector("details.cite").open && document.querySelector(".cite-note").getBoundingClientRect().height > 0`)
	note := eval(`document.querySelector(".cite-note").innerText`)
	for _, want := range []string{"Sean Gallagher", "Ars Technica", "November 18, 2019", "https://archive-project.netlify.app" + ars} {
		if !strings.Contains(note, want) {
			t.Errorf("citation %q lacks %q", note, want)
		}
	}
	if bib := eval(`document.querySelector(".cite-code").innerText`); !strings.Contains(bib, "@article{gallagher2019") {
		t.Errorf("BibTeX = %q", bib)
	}
	if err := chromedp.Do(ctx, chromedp.ScrollIntoView(`details.cite`)); err != nil {
		t.Fatal(err)
	}
	shot("reader-cite.png", false)

	// The quote link of a marked passage is its permalink.
	if href := eval(`(document.querySelector("a.quotelink") || {}).href || ""`); !strings.Contains(href, ars+"#q-") {
		t.Errorf("quote link = %q", href)
	}

	// The timeline.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/timeline/"), chromedp.WaitVisible(`.story-timeline`)); err != nil {
		t.Fatal(err)
	}
	dates := eval(`Array.from(document.querySelectorAll(".tl-when time")).map(t => t.getAttribute("datetime")).join(" ")`)
	if ds := strings.Fields(dates); len(ds) < 4 || !sortedStrings(ds) {
		t.Errorf("timeline dates out of order: %s", dates)
	}
	shot("reader-timeline.png", true)

	// A passage page cites the quote where it first appeared.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/passages/"), chromedp.Click(`main a[href^="/passages/p-"]`),
		chromedp.WaitVisible(`details.cite > summary`), chromedp.Click(`details.cite > summary`)); err != nil {
		t.Fatal(err)
	}
	until(`document.querySelector("details.cite").open`)
	if note := eval(`document.querySelector(".cite-note").innerText`); !strings.Contains(note, "#q-") {
		t.Errorf("passage citation %q does not point at the quote", note)
	}
	if err := chromedp.Do(ctx, chromedp.ScrollIntoView(`.passage-cite`)); err != nil {
		t.Fatal(err)
	}
	shot("reader-passage-cite.png", false)

	for _, p := range console.Stop() {
		t.Errorf("console: %s", p)
	}
}

// TestBrowserNoScript reads the search page with JavaScript off: it offers
// browsing by title, outlet and date instead, and those pages work.
func TestBrowserNoScript(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	out := buildBundled(t)
	srv := httptest.NewServer(http.FileServerFS(out))
	defer srv.Close()
	ctx := browsertest.New(t)
	ctx, cancel := browsertest.Timeout(ctx, 60*time.Second)
	defer cancel()
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/search/")); err != nil {
		t.Fatal(err)
	}
	links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(".search-noscript a")).filter(a => a.offsetParent !== null).map(a => a.getAttribute("href"))`))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(links, " "); got != "/titles/ /#outlets /timeline/ /passages/" {
		t.Errorf("visible no-script links: %q", got)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(browsertest.ScreenshotDir(t), "reader-search-noscript.png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
	if err := chromedp.Do(ctx, chromedp.Click(`.search-noscript a[href="/titles/"]`), chromedp.WaitVisible(`ul.titles`)); err != nil {
		t.Fatal(err)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("ul.titles li").length`))
	if err != nil || n != 5 {
		t.Errorf("titles page lists %d articles (%v), want 5", n, err)
	}
}

func sortedStrings(s []string) bool {
	for i := 1; i < len(s); i++ {
		if s[i] < s[i-1] {
			return false
		}
	}
	return true
}
