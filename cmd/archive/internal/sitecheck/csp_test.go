package sitecheck

import (
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/archive-project/archive/cmd/archive/internal/browsertest"
)

// TestCSP loads every page of the bundled archive (and the search page
// with a query's results, when the site has one) in headless Chromium with
// netlify.toml's headers, Content-Security-Policy included, and fails on
// any CSP violation (securitypolicyviolation events and the browser's CSP
// messages), console error or uncaught exception.
func TestCSP(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	out, _ := seedSite(t)
	srv := serve(t, out, serveOptions{})
	csp := netlifyCSP(t)
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Content-Security-Policy"); got != csp {
		t.Fatalf("the test server sends Content-Security-Policy %q, netlify.toml says %q", got, csp)
	}
	t.Logf("Content-Security-Policy: %s", csp)

	var urls []string
	for _, p := range htmlPages(out) {
		urls = append(urls, urlPath(p))
	}
	if p := pick(t, out); p.Search != "" {
		urls = append(urls, p.Search+"?q=interpol")
	} else {
		t.Log("the site has no /search/ page yet: its fetches are not checked")
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
		violations, err := settle(ctx)
		if err != nil {
			t.Fatalf("%s: %v", u, err)
		}
		console, dialogs := tab.take()
		for _, v := range violations {
			t.Errorf("%s: CSP violation: %s", u, v)
		}
		for _, c := range append(console, dialogs...) {
			t.Errorf("%s: %s", u, c)
		}
	}
	t.Logf("%d pages loaded under the CSP", len(urls))
}

// TestCSPCatches serves a page that breaks the policy in the ways a
// layout could (inline script, inline style attribute, inline handler,
// a script from another origin) through the same server and checks that
// TestCSP's watcher reports each, so that a watcher that hears nothing
// cannot pass TestCSP.
func TestCSPCatches(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	bad := fstest.MapFS{"index.html": {Data: []byte(`<!DOCTYPE html><html lang="en"><head><title>x</title>` +
		`<script>document.title = "ran"</script></head><body><p style="color: red">x</p>` +
		`<img src="data:," onload="document.title='ran'" onerror="document.title='ran'" alt="">` +
		`<script src="https://cdn.example/x.js"></script></body></html>`)}}
	srv := serve(t, bad, serveOptions{})
	ctx := browsertest.New(t)
	tab := watchTab(t, ctx)
	if err := visit(ctx, srv.URL+"/"); err != nil {
		t.Fatal(err)
	}
	violations, err := settle(ctx)
	if err != nil {
		t.Fatal(err)
	}
	console, _ := tab.take()
	got := strings.Join(violations, "\n")
	for _, want := range []string{"script-src-elem blocked inline", "style-src-attr blocked inline", "script-src-attr blocked inline", "script-src-elem blocked https://cdn.example/x.js"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q among the violations the watcher saw:\n%s", want, got)
		}
	}
	if !strings.Contains(strings.Join(console, "\n"), "Content Security Policy") {
		t.Errorf("the browser log reported no CSP message; it said: %q", console)
	}
}
