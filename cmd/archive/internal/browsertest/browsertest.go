// Package browsertest starts a real headless Chromium for tests.
//
// A test that needs a browser calls New; without Chromium on the machine the
// test is skipped with a message that says how to install it, unless
// ARCHIVE_REQUIRE_BROWSER=1 is set (as .ci/run does), in which case it fails.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path finds a Chromium binary, or returns "".
func Path() string {
	if p := os.Getenv("ARCHIVE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New returns a chromedp context on a fresh headless Chromium with its own
// profile directory, or skips (or fails, under ARCHIVE_REQUIRE_BROWSER=1) the
// test when no Chromium is installed. The browser is closed at test cleanup.
func New(t testing.TB) context.Context {
	t.Helper()
	path := Path()
	if path == "" {
		msg := "no Chromium found: install it with `sudo apt-get install -y chromium` (or set ARCHIVE_CHROMIUM) to run browser tests"
		if os.Getenv("ARCHIVE_REQUIRE_BROWSER") == "1" {
			t.Fatal(msg + " (ARCHIVE_REQUIRE_BROWSER=1 forbids skipping)")
		}
		t.Skip(msg)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1280, 900),
	}
	// A browser that dies while starting (seen under the full suite's
	// load: "chrome failed to start" with crashpad's warnings) is started
	// once more, with a fresh profile; a second failure fails the test.
	var err error
	for attempt := 1; attempt <= 2; attempt++ {
		opts := append(opts, chromedp.UserDataDir(t.TempDir()))
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(actx)
		if err = chromedp.Do(ctx); err == nil {
			t.Cleanup(func() { cancel(); cancelAlloc() })
			return ctx
		}
		cancel()
		cancelAlloc()
		if attempt == 1 {
			t.Logf("start Chromium (%s): %v; starting it once more", path, err)
		}
	}
	t.Fatalf("start Chromium (%s), twice: %v", path, err)
	return nil
}

// Timeout bounds one browser step so that a hung page fails the test.
func Timeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, d)
}

// ScreenshotDir is where tests write screenshots for people to look at:
// $ARCHIVE_SCREENSHOTS, or a folder under the OS temp dir. Never in git.
func ScreenshotDir(t testing.TB) string {
	dir := os.Getenv("ARCHIVE_SCREENSHOTS")
	if dir == "" {
		dir = os.TempDir() + "/archive-screenshots"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
