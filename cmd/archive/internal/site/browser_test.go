package site

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/archive-project/archive/cmd/archive/internal/article"
	"github.com/archive-project/archive/cmd/archive/internal/browsertest"
)

// bundledSite is the archive in the repository (content/ + seeds/), or the
// site at $ARCHIVE_SITE; ok is false when it has no articles yet.
func bundledSite(t *testing.T) (fs.FS, bool) {
	dir := os.Getenv("ARCHIVE_SITE")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "..")
	}
	fsys := os.DirFS(dir)
	arts, err := article.LoadDir(fsys, "content")
	if err != nil || len(arts) == 0 {
		return nil, false
	}
	return fsys, true
}

// TestScreenshots renders the home page, an article and a seed page in
// headless Chromium at desktop and phone widths, light and dark, writes
// screenshots for people to look at, and checks what a reader would notice:
// the page loads under the CSP with no console error, and nothing is wider
// than a phone's screen.
func TestScreenshots(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	fsys, ok := bundledSite(t)
	if !ok {
		fsys = testSite()
	}
	out, err := Build(context.Background(), fsys, WithBaseURL("http://127.0.0.1/"))
	if err != nil {
		t.Fatal(err)
	}
	srv := browsertest.Serve(t, out, browsertest.ProductionCSP(t, repoRoot))

	var article, seed, comments string
	for _, p := range out.Paths() {
		switch {
		case strings.HasPrefix(p, "articles/"):
			b, _ := out.Bytes(p)
			if article == "" || (comments == "" && strings.Contains(string(b), `class="comments"`)) {
				article = strings.TrimSuffix(p, "index.html")
			}
			if comments == "" && strings.Contains(string(b), `class="comments"`) {
				comments = article + "#reader-comments"
			}
		case strings.HasPrefix(p, "seeds/") && strings.HasSuffix(p, "/index.html"):
			b, _ := out.Bytes(p)
			if seed == "" || strings.Contains(string(b), `class="cp"`) { // prefer a seed with front matter
				seed = strings.TrimSuffix(p, "index.html")
			}
		}
	}
	if a := os.Getenv("ARCHIVE_SCREENSHOT_ARTICLE"); a != "" {
		article = "articles/" + a + "/"
	}
	pages := map[string]string{"home": "", "article": article, "seed": seed, "404": "404.html"}
	for _, p := range out.Paths() {
		if strings.HasPrefix(p, "outlets/") {
			pages["outlet"] = strings.TrimSuffix(p, "index.html")
			break
		}
	}
	if comments != "" {
		pages["comments"] = comments
	}
	ctx := browsertest.New(t)
	dir := browsertest.ScreenshotDir(t)
	t.Run("article-print", func(t *testing.T) {
		shoot(t, ctx, srv.URL+"/"+article, filepath.Join(dir, "site-article-print.png"), 800, 1100, false, "dark", "print")
	})
	for _, width := range []struct {
		name string
		w, h int64
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		for _, scheme := range []string{"light", "dark"} {
			for name, p := range pages {
				t.Run(fmt.Sprintf("%s-%s-%s", name, width.name, scheme), func(t *testing.T) {
					shoot(t, ctx, srv.URL+"/"+p, filepath.Join(dir, fmt.Sprintf("site-%s-%s-%s.png", name, width.name, scheme)),
						width.w, width.h, width.name == "phone", scheme, "")
				})
			}
		}
	}
}

// shoot loads url at the given viewport and colour scheme, saves a
// screenshot to file, and fails on console errors, CSP violations and
// horizontal overflow.
func shoot(t *testing.T, ctx context.Context, url, file string, w, h int64, phone bool, scheme, media string) {
	ctx, cancel := browsertest.Timeout(ctx, 30*time.Second)
	defer cancel()
	cctx, stopConsole := context.WithCancel(ctx)
	console := chromedp.Console(cctx)
	var problems []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for msg, err := range console {
			if err != nil {
				return
			}
			if msg.Type == chromedp.ConsoleError || msg.Type == chromedp.ConsoleException ||
				strings.Contains(msg.Text, "Content Security Policy") {
				problems = append(problems, msg.Text)
			}
		}
	}()
	var opts []chromedp.EmulateViewportOption
	if phone {
		opts = append(opts, chromedp.EmulateScale(2), chromedp.EmulateMobile)
	}
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(w, h, opts...),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media,
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
			return err
		}),
		chromedp.Navigate(url),
	)
	if err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Fatal(err)
	}
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[string](overflowJS))
	if err != nil {
		t.Fatal(err)
	}
	if wide != "" {
		t.Errorf("%s is wider than the screen (%dpx): %s", url, w, wide)
	}
	time.Sleep(100 * time.Millisecond)
	stopConsole()
	<-done
	for _, m := range problems {
		t.Errorf("%s: console: %s", url, m)
	}
}

// overflowJS names the first element outside a scrolling code block or
// table that sticks out to the right of the viewport, or returns "".
const overflowJS = `(() => {
  const w = document.documentElement.clientWidth;
  for (const e of document.querySelectorAll("body *")) {
    if (e.closest("pre, table")) continue;
    const r = e.getBoundingClientRect().right;
    if (r > w + 1) return e.tagName + "." + e.className + " right=" + Math.round(r) + " > " + w + ": " + e.textContent.slice(0, 60);
  }
  return document.documentElement.scrollWidth > w + 1 ? "scrollWidth " + document.documentElement.scrollWidth : "";
})()`
