package sitecheck

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/archive-project/archive/cmd/archive/internal/browsertest"
)

// axeViolation is one rule's violation in axe-core's results.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target         []any  `json:"target"`
		HTML           string `json:"html"`
		FailureSummary string `json:"failureSummary"`
	} `json:"nodes"`
}

type axeResults struct {
	Version    string         `json:"version"`
	Violations []axeViolation `json:"violations"`
	Passes     int            `json:"passes"`
}

// colorScheme sets prefers-color-scheme for the tab's next pages.
func colorScheme(scheme string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
		return err
	})
}

// runAxe injects axe-core into the loaded page and runs every rule.
func runAxe(ctx context.Context, axeSrc string) (axeResults, error) {
	var res axeResults
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axeSrc+"\n;true")); err != nil {
		return res, fmt.Errorf("injecting axe-core: %w", err)
	}
	js, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify({
		version: r.testEngine.version,
		passes: r.passes.length,
		violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary}))}))
	}))`, chromedp.EvalAwaitPromise))
	if err != nil {
		return res, fmt.Errorf("running axe-core: %w", err)
	}
	err = json.Unmarshal([]byte(js), &res)
	return res, err
}

// waitSearch waits until the search page has answered its query (its
// status line says something), so axe sees the results' markup.
func waitSearch(ctx context.Context) error {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](
			`(document.getElementById("search-status") || {textContent: "no status element"}).textContent`))
		if err != nil {
			return err
		}
		if strings.TrimSpace(s) != "" {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("the search page showed no status within 10 s")
}

// TestAxe runs axe-core (npm, pinned) in headless Chromium on the home, an
// article with passages and notes, a passage, an outlet and the search
// page (with a query's results), each in light and dark mode, served with
// netlify.toml's headers. Serious and critical violations fail; minor and
// moderate ones are logged.
func TestAxe(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	_, axeFile := npmFile(t, "axe-core/axe.min.js")
	axeSrc, err := os.ReadFile(axeFile)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := seedSite(t)
	p := pick(t, out)
	srv := serve(t, out, serveOptions{})
	pages := []struct{ name, path string }{
		{"home", p.Home}, {"article", p.Article}, {"passage", p.Passage}, {"outlet", p.Outlet},
	}
	if p.Search != "" {
		pages = append(pages, struct{ name, path string }{"search", p.Search + "?q=interpol"})
	} else {
		t.Log("the site has no /search/ page yet: axe skips it")
	}
	ctx := browsertest.New(t)
	for _, scheme := range []string{"light", "dark"} {
		for _, pg := range pages {
			t.Run(pg.name+"-"+scheme, func(t *testing.T) {
				ctx, cancel := browsertest.Timeout(ctx, 60*time.Second)
				defer cancel()
				if err := chromedp.Do(ctx, colorScheme(scheme), chromedp.Navigate(srv.URL+pg.path)); err != nil {
					t.Fatal(err)
				}
				if pg.name == "search" {
					if err := waitSearch(ctx); err != nil {
						t.Fatal(err)
					}
				}
				dark, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`matchMedia("(prefers-color-scheme: dark)").matches`))
				if err != nil || dark != (scheme == "dark") {
					t.Fatalf("prefers-color-scheme: dark = %v (%v), want %v", dark, err, scheme == "dark")
				}
				res, err := runAxe(ctx, string(axeSrc))
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range res.Violations {
					var where []string
					for _, n := range v.Nodes {
						where = append(where, fmt.Sprintf("%v %s: %s", n.Target, n.HTML, strings.ReplaceAll(n.FailureSummary, "\n", " ")))
					}
					msg := fmt.Sprintf("%s %s: %s (%s) on %d elements:\n\t%s", pg.path, v.Impact, v.ID, v.Help, len(v.Nodes), strings.Join(where, "\n\t"))
					if v.Impact == "serious" || v.Impact == "critical" {
						t.Error(msg)
					} else {
						t.Log(msg)
					}
				}
				t.Logf("axe-core %s on %s (%s): %d rules passed, %d violated", res.Version, pg.path, scheme, res.Passes, len(res.Violations))
			})
		}
	}
}

// TestAxeCatches runs the same check on a page with known serious
// violations, so that an axe that finds nothing cannot pass TestAxe.
func TestAxeCatches(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	_, axeFile := npmFile(t, "axe-core/axe.min.js")
	axeSrc, err := os.ReadFile(axeFile)
	if err != nil {
		t.Fatal(err)
	}
	ctx := browsertest.New(t)
	bad := `<!DOCTYPE html><html><head><title>x</title></head><body><main><img src="data:,">` +
		`<p style="color:#777;background:#888">low contrast</p></main></body></html>`
	if err := chromedp.Do(ctx, chromedp.Navigate("data:text/html,"+strings.ReplaceAll(bad, "#", "%23"))); err != nil {
		t.Fatal(err)
	}
	res, err := runAxe(ctx, string(axeSrc))
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
	for _, v := range res.Violations {
		found[v.ID] = v.Impact
	}
	for _, id := range []string{"image-alt", "color-contrast", "html-has-lang"} {
		if imp := found[id]; imp != "serious" && imp != "critical" {
			t.Errorf("axe-core reported %s as %q on a page that breaks it; all: %v", id, imp, found)
		}
	}
}
