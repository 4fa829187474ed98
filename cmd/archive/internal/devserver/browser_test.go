package devserver

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/archive-project/archive/cmd/archive/internal/article"
	"github.com/archive-project/archive/cmd/archive/internal/browsertest"
)

// tallPage is long enough to scroll.
func tallPage(title, css string) string {
	return `<!doctype html><html><head><title>` + title + `</title><link rel="stylesheet" href="/` + css +
		`"></head><body><h1>` + title + `</h1>` + strings.Repeat("<p>A paragraph of the article.</p>", 300) +
		`</body></html>`
}

// waitFor evaluates js in the page until it is true, across reloads.
func waitFor(t *testing.T, ctx context.Context, js string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	var last error
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("%s still false after %s (last error %v)", js, within, last)
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(browsertest.ScreenshotDir(t), name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

func TestBrowserLiveReload(t *testing.T) {
	ctx := browsertest.New(t)
	site := newFake(map[string]string{
		"index.html":              tallPage("Home", "style.aaaaaaaa.css"),
		"articles/one/index.html": tallPage("One", "style.aaaaaaaa.css"),
		"style.aaaaaaaa.css":      "h1{color:rgb(200, 0, 0)}",
		"404.html":                tallPage("Not found", "style.aaaaaaaa.css"),
		// A strict policy must not turn live reload off (hugo#10105).
		"netlify.toml": "[[headers]]\nfor = \"/*\"\n[headers.values]\nContent-Security-Policy = \"default-src 'none'; style-src 'self'\"\n",
	})
	s, hs := newServer(t, site)
	rebuild := func(changed string) {
		t.Helper()
		if err := s.Rebuild(context.Background(), []string{changed}); err != nil {
			t.Logf("rebuild: %v", err)
		}
	}
	tctx, cancel := browsertest.Timeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Navigate(hs.URL+"/articles/one/")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tctx, `document.readyState === "complete"`, 10*time.Second)
	deadline := time.Now().Add(10 * time.Second)
	for s.Clients() == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}

	t.Run("another page changed: no reload", func(t *testing.T) {
		eval[any](t, tctx, `window.marker = "still here"; window.scrollTo(0, 1500); true`)
		site.set("index.html", tallPage("Home, edited", "style.aaaaaaaa.css"))
		rebuild("content/home.md")
		time.Sleep(500 * time.Millisecond)
		if m := eval[string](t, tctx, `String(window.marker)`); m != "still here" {
			t.Errorf("the page reloaded although it did not change (marker %q)", m)
		}
	})

	t.Run("this page changed: reload, keep scroll", func(t *testing.T) {
		site.set("articles/one/index.html", tallPage("One, edited", "style.aaaaaaaa.css"))
		rebuild("content/one.md")
		waitFor(t, tctx, `document.querySelector("h1") && document.querySelector("h1").textContent === "One, edited"`, 10*time.Second)
		if m := eval[string](t, tctx, `String(window.marker)`); m != "undefined" {
			t.Errorf("page content changed without a reload? marker %q", m)
		}
		waitFor(t, tctx, `Math.abs(window.scrollY - 1500) < 2`, 5*time.Second)
		// A build before the reloaded page hears its hello reloads it again
		// (it missed a build): wait for it to listen.
		waitFor(t, tctx, `document.querySelector("script[data-instance]").dataset.connected === "true"`, 10*time.Second)
	})

	t.Run("stylesheet changed: swapped without reload", func(t *testing.T) {
		eval[any](t, tctx, `window.marker = "still here"; true`)
		site.mu.Lock()
		delete(site.files, "style.aaaaaaaa.css")
		site.files["style.bbbbbbbb.css"] = "h1{color:rgb(0, 0, 200)}"
		for _, p := range []string{"index.html", "articles/one/index.html", "404.html"} {
			site.files[p] = strings.ReplaceAll(site.files[p], "style.aaaaaaaa.css", "style.bbbbbbbb.css")
		}
		site.mu.Unlock()
		rebuild("layouts/style.css")
		waitFor(t, tctx, `getComputedStyle(document.querySelector("h1")).color === "rgb(0, 0, 200)"`, 10*time.Second)
		if m := eval[string](t, tctx, `String(window.marker)`); m != "still here" {
			t.Errorf("the page reloaded for a stylesheet change (marker %q)", m)
		}
		if n := eval[int](t, tctx, `document.querySelectorAll('link[rel=stylesheet]').length`); n != 1 {
			t.Errorf("%d stylesheets after the swap, want 1", n)
		}
	})

	t.Run("broken file: overlay on the last good page, cleared when fixed", func(t *testing.T) {
		site.fail(article.Errorf("content/one.md", 4, "close the quote", "front matter (yaml): found unexpected end of stream"))
		rebuild("content/one.md")
		waitFor(t, tctx, `!!document.getElementById("archive-error-overlay")`, 10*time.Second)
		text := eval[string](t, tctx, `document.getElementById("archive-error-overlay").textContent`)
		for _, want := range []string{"content/one.md:4", "found unexpected end of stream", "fix: close the quote"} {
			if !strings.Contains(text, want) {
				t.Errorf("overlay %q does not show %q", text, want)
			}
		}
		if h := eval[string](t, tctx, `document.querySelector("h1").textContent`); h != "One, edited" {
			t.Errorf("under the overlay: %q, want the last good page", h)
		}
		screenshot(t, tctx, "devserver-error-overlay.png")

		// A reload while broken shows the overlay again at once.
		if err := chromedp.Do(tctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		waitFor(t, tctx, `!!document.getElementById("archive-error-overlay")`, 10*time.Second)

		site.set("articles/one/index.html", tallPage("One, fixed", "style.bbbbbbbb.css"))
		rebuild("content/one.md")
		waitFor(t, tctx, `!document.getElementById("archive-error-overlay") && document.querySelector("h1").textContent === "One, fixed"`, 10*time.Second)
	})

	t.Run("a 404 page reloads when 404.html changes", func(t *testing.T) {
		if err := chromedp.Do(tctx, chromedp.Navigate(hs.URL+"/no/such/page/")); err != nil {
			t.Fatal(err)
		}
		waitFor(t, tctx, `document.readyState === "complete" && document.querySelector("h1").textContent === "Not found"`, 10*time.Second)
		time.Sleep(300 * time.Millisecond) // let the page connect
		site.set("404.html", tallPage("Not found, edited", "style.bbbbbbbb.css"))
		rebuild("layouts/404.html")
		waitFor(t, tctx, `document.querySelector("h1").textContent === "Not found, edited"`, 10*time.Second)
	})
}

// TestBrowserReconnects restarts the server on the same address: the page
// reconnects by itself and reloads because the server is new.
func TestBrowserReconnects(t *testing.T) {
	ctx := browsertest.New(t)
	site := newFake(map[string]string{"index.html": tallPage("Home", "style.aaaaaaaa.css"), "style.aaaaaaaa.css": ""})
	start := func(addr string) (string, func()) {
		s := New(site)
		if err := s.Rebuild(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		sctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { s.Serve(sctx, ln); close(done) }()
		return ln.Addr().String(), func() { cancel(); <-done }
	}
	addr, stop1 := start("127.0.0.1:0")
	tctx, cancel := browsertest.Timeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Navigate("http://"+addr+"/")); err != nil {
		t.Fatal(err)
	}
	waitFor(t, tctx, `document.readyState === "complete"`, 10*time.Second)
	eval[any](t, tctx, `window.marker = 1; true`)
	stop1()
	site.set("index.html", tallPage("Home after restart", "style.aaaaaaaa.css"))
	_, stop2 := start(addr)
	defer stop2()
	waitFor(t, tctx, `document.querySelector("h1").textContent === "Home after restart" && window.marker === undefined`, 15*time.Second)
}
