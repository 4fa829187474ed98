package annotations

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/archive-project/archive/cmd/archive/internal/browsertest"
)

// TestReaderFollowsPassages reads the built seed archive in headless
// Chromium as a reader would: the draft-resolution sentences are marked on
// The Register, Reuters and ITPro; a note's link lands on the same words in
// the other article; the passage page shows the wordings; the keyboard
// reaches a note; and nothing logs an error or breaks the CSP.
func TestReaderFollowsPassages(t *testing.T) {
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

	pages := map[string]string{
		"The Register": "/articles/interpol-strong-encryption-helps-online-predators/",
		"Reuters":      "/articles/interpol-plans-to-condemn-encryption-spread-citing-predators/",
		"ITPro":        "/articles/interpol-to-support-the-breaking-of-end-to-end-encryption/",
	}
	// markedJS says whether the text that holds the sentence start stands
	// inside a passage mark.
	const markedJS = `(s) => {
		const w = document.createTreeWalker(document.querySelector(".body"), NodeFilter.SHOW_TEXT);
		for (let n = w.nextNode(); n; n = w.nextNode()) {
			if (n.textContent.includes(s.slice(0, 12))) {
				let t = n.textContent, m = n.nextSibling;
				if (!t.includes(s) && !(t + (n.parentElement.nextSibling ? n.parentElement.nextSibling.textContent : "")).includes(s)) continue;
				return !!n.parentElement.closest("mark.passage");
			}
		}
		return false;
	}`
	for outlet, path := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+path)); err != nil {
			t.Fatal(err)
		}
		for _, s := range []string{"Service providers, application developers", "Tech companies should include"} {
			marked, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("("+markedJS+")("+jsString(s)+")"))
			if err != nil {
				t.Fatal(err)
			}
			if !marked {
				t.Errorf("%s: %q is not marked", outlet, s)
			}
		}
		for other, op := range pages {
			if other == outlet {
				continue
			}
			n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('.sidenote a[href^="`+op+`#q-"]').length`))
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				t.Errorf("%s: no note links to the occurrence on %s", outlet, other)
			}
		}
	}

	// Follow a note's link from The Register to Reuters: the browser lands
	// on the marked words, which are the :target and in view.
	reuters := pages["Reuters"]
	err := chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+pages["The Register"]),
		chromedp.Click(`.sidenote a[href^="`+reuters+`#q-"]`),
	)
	if err != nil {
		t.Fatal(err)
	}
	landed := browsertest.Poll(ctx, `(() => {
		const m = document.querySelector(":target");
		if (!m || m.tagName !== "MARK" || !location.pathname.endsWith(`+jsString(reuters)+`)) return false;
		const r = m.getBoundingClientRect();
		return r.top > -2 && r.top < innerHeight;
	})()`)
	if !landed {
		where, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + " top=" + document.querySelector(":target").getBoundingClientRect().top + " h=" + innerHeight + " y=" + scrollY`))
		t.Log(where)
		t.Fatalf("following the note did not land on marked words in view on %s", reuters)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err == nil {
		_ = os.WriteFile(filepath.Join(shots, "annotations-landed.png"), png, 0o644)
	}

	// The keyboard reaches a note reference, and following it shows the
	// note (phone width, where notes are hidden until asked for).
	err = chromedp.Do(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(srv.URL+reuters))
	if err != nil {
		t.Fatal(err)
	}
	reached := false
	for i := 0; i < 60 && !reached; i++ {
		if err := chromedp.Do(ctx, chromedp.KeyEvent("\t")); err != nil {
			t.Fatal(err)
		}
		role, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.getAttribute("role") || ""`))
		if err != nil {
			t.Fatal(err)
		}
		reached = role == "doc-noteref"
	}
	if !reached {
		t.Fatal("60 presses of Tab never reached a note reference")
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent("\r")); err != nil {
		t.Fatal(err)
	}
	if !browsertest.Poll(ctx, `(() => {
		const n = document.querySelector(":target");
		return !!n && n.getAttribute("role") === "doc-footnote" && n.getBoundingClientRect().height > 0;
	})()`) {
		t.Error("Enter on a note reference did not show the note")
	}
	png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err == nil {
		_ = os.WriteFile(filepath.Join(shots, "annotations-phone-note.png"), png, 0o644)
	}

	// The passage page shows every wording against the canonical one.
	err = chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(srv.URL+pages["Reuters"]),
		chromedp.Click(`.sidenote a[href^="/passages/"]`))
	if err != nil {
		t.Fatal(err)
	}
	if !browsertest.Poll(ctx, `location.pathname.startsWith("/passages/") && document.querySelectorAll("article.wording").length >= 2 && document.querySelectorAll(".diff del, .diff ins").length > 0`) {
		t.Error("the passage page does not show the wordings compared")
	}
	png, err = chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err == nil {
		_ = os.WriteFile(filepath.Join(shots, "annotations-passage.jpg"), png, 0o644)
	}
	for _, m := range console.Stop() {
		t.Errorf("console: %s", m)
	}
}

func jsString(s string) string {
	return "\"" + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + "\""
}
