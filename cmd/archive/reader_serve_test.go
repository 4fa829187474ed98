package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/archive-project/archive/cmd/archive/internal/browsertest"
	"github.com/archive-project/archive/cmd/archive/internal/search"
)

// TestServeSearch checks that `archive serve` on the bundled archive has
// working search: the index it serves answers a query (read over HTTP the
// way search.js reads it), and in headless Chromium the search page, under
// the server's netlify.toml headers, lists the results.
func TestServeSearch(t *testing.T) {
	s := startServe(t, "../..", "--watch=false")
	fetch := func(p string) ([]byte, error) {
		resp, err := http.Get(s.url + "/search/" + p)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET /search/%s: %s", p, resp.Status)
		}
		return io.ReadAll(resp.Body)
	}
	res, err := search.Search(fetch, search.Query{Text: "lawful access", Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, h := range res.Hits {
		urls = append(urls, h.URL)
	}
	got := strings.Join(urls, "\n")
	for _, want := range []string{"/articles/think-of-the-children-fbi-sought-interpol-statement/", "/passages/p-"} {
		if !strings.Contains(got, want) {
			t.Errorf("served index: no hit %s among\n%s", want, got)
		}
	}
	if code, body := fetch200(t, s.url+"/search.js"); code != http.StatusOK || !strings.Contains(body, "archiveSearch") {
		t.Errorf("GET /search.js: %d", code)
	}

	if testing.Short() {
		return
	}
	ctx := browsertest.New(t)
	ctx, cancel := browsertest.Timeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(s.url+"/search/?q=lawful+access")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#search-results li").length`))
		if err == nil && n > 0 {
			break
		}
		if time.Now().After(deadline) {
			st, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("search-status").textContent`))
			t.Fatalf("no results on the served search page; status %q", st)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func fetch200(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
