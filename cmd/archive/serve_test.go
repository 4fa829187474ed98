package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/archive-project/archive/cmd/archive/internal/benchgen"
	"github.com/archive-project/archive/cmd/archive/internal/browsertest"
)

// syncBuffer is a bytes.Buffer that the server goroutine and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func articleFile(title, body string) string {
	return "---\ntitle: \"" + title + "\"\noutlet: Reuters\ndate: 2019-11-18\n---\n\n" + body + "\n"
}

// serveSite writes a small site and returns its root.
func serveSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "content/alpha.md", articleFile("Alpha", "The alpha article body, long enough to read."))
	writeFile(t, dir, "content/beta.md", articleFile("Beta", "The beta article body."))
	writeFile(t, dir, "content/delta.md", "---\ntitle: Delta\noutlet: The Register\ndate: 2001-01-01\n---\n\nDelta body.\n")
	return dir
}

func writeFile(t *testing.T, dir, rel, s string) {
	t.Helper()
	p := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// saveAtomically saves like most editors: a temp file renamed over the old.
func saveAtomically(t *testing.T, dir, rel, s string) {
	t.Helper()
	tmp := filepath.Join(dir, filepath.Dir(rel), ".save-"+filepath.Base(rel)+".tmp")
	if err := os.WriteFile(tmp, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, rel)); err != nil {
		t.Fatal(err)
	}
}

type serving struct {
	url    string // without the trailing slash
	stdout *syncBuffer
	stderr *syncBuffer
	cancel context.CancelFunc
	done   chan int
}

// hangGuard is how long the serve tests wait for the server to start, to
// build or to serve an edit before they call it hung. It guards against a
// hang, not a slow build (speed is the benchmarks' job): the first build of
// TestServeBurst's 500 articles under -race took over 20 s while the
// machine's load was 35.
const hangGuard = 2 * time.Minute

// startServe runs `archive serve -s dir -p 0 extra...` until the test ends.
func startServe(t *testing.T, dir string, extra ...string) *serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &serving{stdout: &syncBuffer{}, stderr: &syncBuffer{}, cancel: cancel, done: make(chan int, 1)}
	args := append([]string{"serve", "-s", dir, "-p", "0"}, extra...)
	go func() {
		s.done <- run(ctx, args, &env{stdout: s.stdout, stderr: s.stderr, getenv: func(string) string { return "" }})
	}()
	re := regexp.MustCompile(`at (http://\S+)/\n`)
	deadline := time.Now().Add(hangGuard)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(s.stdout.String()); m != nil {
			s.url = m[1]
			break
		}
		select {
		case code := <-s.done:
			t.Fatalf("serve exited with %d: %s %s", code, s.stdout, s.stderr)
		case <-time.After(10 * time.Millisecond):
		}
	}
	if s.url == "" {
		t.Fatalf("no URL printed: %q %q", s.stdout, s.stderr)
	}
	t.Cleanup(func() { s.stop(t) })
	return s
}

func (s *serving) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		s.done <- code
		return code
	case <-time.After(hangGuard):
		t.Fatalf("serve did not stop within %v of cancel", hangGuard)
	}
	return -1
}

type buildEvent struct {
	Build    int
	All      bool
	Reload   []string
	Problems []struct {
		File    string
		Line    int
		Message string
	}
}

// events follows the server's event stream.
func events(t *testing.T, url string) <-chan buildEvent {
	t.Helper()
	resp, err := http.Get(url + "/_archive/events")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	ch := make(chan buildEvent, 64)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<24)
		build := false
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "event: ") {
				build = line == "event: build"
			}
			if data, ok := strings.CutPrefix(line, "data: "); ok && build {
				var ev buildEvent
				if json.Unmarshal([]byte(data), &ev) == nil {
					ch <- ev
				}
			}
		}
	}()
	return ch
}

// nextEvent returns the next build event, passing over the events of
// follow-up builds that only bring data files (the search index, the
// annotations' JSON-LD and texts) up to date after an edit was answered at
// once (features.LiveOptions), or that changed nothing: one that ends
// just before a save's build is not that build's.
func nextEvent(t *testing.T, ch <-chan buildEvent) buildEvent {
	t.Helper()
	for {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatal("event stream ended")
			}
			if catchUp(ev) || !ev.All && len(ev.Problems) == 0 && len(ev.Reload) == 0 {
				continue // a follow-up's: the change's build comes next
			}
			return ev
		case <-time.After(hangGuard):
			t.Fatalf("no build event within %v", hangGuard)
		}
	}
}

func catchUp(ev buildEvent) bool {
	if ev.All || len(ev.Problems) > 0 || len(ev.Reload) == 0 {
		return false
	}
	for _, p := range ev.Reload {
		switch path.Ext(p) {
		case ".json", ".jsonld", ".md":
		default:
			return false
		}
	}
	return true
}

func fetch(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// TestServeWatchEndToEnd drives the real watcher, site builder and server
// with edits on disk.
func TestServeWatchEndToEnd(t *testing.T) {
	goroutines := runtime.NumGoroutine()
	dir := serveSite(t)
	s := startServe(t, dir)
	ev := events(t, s.url)

	if code, body := fetch(t, s.url+"/articles/alpha/"); code != 200 || !strings.Contains(body, "Alpha") ||
		!strings.Contains(body, "/_archive/live.js") {
		t.Fatalf("first page: %d %.300q", code, body)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
		t.Error("serve wrote public/")
	}

	saveAtomically(t, dir, "content/alpha.md", articleFile("Alpha, edited", "The alpha article body, edited."))
	e := nextEvent(t, ev)
	// Every article page lists the others, but The Register's outlet page
	// does not show alpha (a Reuters article): it must not reload.
	if !contains(e.Reload, "/articles/alpha/") || contains(e.Reload, "/outlets/the-register/") || e.All {
		t.Errorf("edit of alpha: reload %q (all %v), want alpha's page and not The Register's", e.Reload, e.All)
	}
	if _, body := fetch(t, s.url+"/articles/alpha/"); !strings.Contains(body, "Alpha, edited") {
		t.Error("after the reload event the page is not the new one")
	}

	writeFile(t, dir, "content/alpha.md", "---\ntitle: \"Alpha\noutlet: [\n---\nbody\n")
	e = nextEvent(t, ev)
	if len(e.Problems) == 0 || e.Problems[0].File != "content/alpha.md" || e.Problems[0].Line == 0 {
		t.Errorf("broken front matter: problems %+v, want one naming content/alpha.md and a line", e.Problems)
	}
	if code, body := fetch(t, s.url+"/articles/alpha/"); code != 200 || !strings.Contains(body, "Alpha, edited") {
		t.Errorf("while broken: %d, want the last good page", code)
	}
	if !strings.Contains(s.stderr.String(), "content/alpha.md:") {
		t.Errorf("terminal does not show the error: %q", s.stderr.String())
	}

	writeFile(t, dir, "content/alpha.md", articleFile("Alpha, fixed", "The alpha article body, long enough to read."))
	e = nextEvent(t, ev)
	if len(e.Problems) != 0 || !contains(e.Reload, "/articles/alpha/") {
		t.Errorf("after the fix: %+v, want no problems and alpha reloaded", e)
	}

	if err := os.MkdirAll(filepath.Join(dir, "content/2019/11"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "content/2019/11/gamma.md", articleFile("Gamma", "A new article in a new folder."))
	e = nextEvent(t, ev)
	if code, body := fetch(t, s.url+"/articles/gamma/"); code != 200 || !strings.Contains(body, "Gamma") {
		t.Errorf("new article in a new folder: %d (event %+v); the server's log:\n%s", code, e, s.stderr.String())
	}

	if err := os.Remove(filepath.Join(dir, "content/beta.md")); err != nil {
		t.Fatal(err)
	}
	nextEvent(t, ev)
	if code, _ := fetch(t, s.url+"/articles/beta/"); code != 404 {
		t.Errorf("deleted article: status %d, want 404", code)
	}

	if lines := strings.Count(s.stderr.String(), "rebuilt in"); lines < 4 {
		t.Errorf("%d rebuild log lines, want one per rebuild:\n%s", lines, s.stderr.String())
	}
	if code := s.stop(t); code != 0 {
		t.Errorf("exit status %d after cancel: %s", code, s.stderr.String())
	}
	http.DefaultClient.CloseIdleConnections()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > goroutines && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > goroutines {
		t.Errorf("%d goroutines after the server stopped, %d before", g, goroutines)
	}
}

func TestServeFirstBuildFails(t *testing.T) {
	dir := serveSite(t)
	writeFile(t, dir, "archive.toml", "title = \"x\"\nno_such_key = 1\n")
	s := startServe(t, dir, "--poll", "50ms")
	code, body := fetch(t, s.url+"/")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "no_such_key") {
		t.Fatalf("first build broken: %d %.400q", code, body)
	}
	ev := events(t, s.url)
	writeFile(t, dir, "archive.toml", "title = \"Fixed archive\"\n")
	if e := nextEvent(t, ev); len(e.Problems) != 0 || !e.All {
		t.Errorf("after fixing the config: %+v, want a good build that reloads all", e)
	}
	if code, body := fetch(t, s.url+"/"); code != 200 || !strings.Contains(body, "Fixed archive") {
		t.Errorf("after the fix: %d", code)
	}
}

func TestServeUsage(t *testing.T) {
	dir := serveSite(t)
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"serve", "-s", filepath.Join(dir, "nope")}, 2, "is not a folder"},
		{[]string{"serve", "-s", dir, "-p", "70000"}, 2, "not between 0 and 65535"},
		{[]string{"serve", "-s", dir, "--poll", "-1s"}, 2, "negative"},
		{[]string{"serve", "-s", dir, "extra"}, 2, "unexpected argument"},
		{[]string{"serve", "--nope"}, 2, "flag provided but not defined"},
		{[]string{"help", "serve"}, 0, ""},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), tc.args, &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
		if code != tc.code || !strings.Contains(errb.String(), tc.msg) {
			t.Errorf("%q: %d %q, want %d %q", tc.args, code, errb.String(), tc.code, tc.msg)
		}
		if tc.code == 0 && !strings.Contains(out.String(), "archive serve --poll 700ms") {
			t.Errorf("help has no examples: %q", out.String())
		}
	}
}

// TestServeBrowser: a real browser on the real server sees the page reload
// after a save on disk, and the overlay come and go.
func TestServeBrowser(t *testing.T) {
	ctx := browsertest.New(t)
	dir := serveSite(t)
	s := startServe(t, dir)
	tctx, cancel := browsertest.Timeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(tctx, chromedp.Navigate(s.url+"/articles/alpha/")); err != nil {
		t.Fatal(err)
	}
	until := func(js string) {
		t.Helper()
		start := time.Now()
		defer func() { t.Logf("%v: %s", time.Since(start).Round(time.Millisecond), js) }()
		deadline := time.Now().Add(15 * time.Second)
		for time.Now().Before(deadline) {
			// Each look has its own short deadline: an evaluation sent while
			// the page reloads can wait for a context that never comes, and
			// it must not eat the whole test's time.
			ectx, stop := context.WithTimeout(tctx, 2*time.Second)
			ok, err := chromedp.Run(ectx, chromedp.Evaluate[bool](js))
			stop()
			if err == nil && ok {
				return
			}
			time.Sleep(25 * time.Millisecond)
		}
		// Say what the browser shows: the overlay's problem or the heading.
		seen, _ := chromedp.Run(tctx, chromedp.Evaluate[string](`(document.getElementById("archive-error-overlay") || {}).textContent + " | h1: " + (document.querySelector("h1") || {}).textContent`))
		t.Fatalf("still false after 15s: %s\nthe page shows: %s", js, seen)
	}
	until(`document.readyState === "complete" && document.body.textContent.includes("Alpha")`)
	until(`document.querySelector("script[data-instance]").dataset.connected === "true"`) // the page hears the event stream

	saveAtomically(t, dir, "content/alpha.md", articleFile("Alpha seen by the browser", "The alpha article body, long enough to read."))
	until(`document.querySelector("h1") && document.querySelector("h1").textContent.includes("Alpha seen by the browser")`)

	writeFile(t, dir, "content/alpha.md", "---\ntitle: \"Alpha\noutlet: [\n---\nbody\n")
	until(`!!document.getElementById("archive-error-overlay") && document.getElementById("archive-error-overlay").textContent.includes("content/alpha.md:")`)
	// A screenshot can wait for a frame that a loaded machine never paints:
	// it has its own deadline, so it cannot use up the test's context.
	sctx, stopShot := context.WithTimeout(tctx, 10*time.Second)
	png, err := chromedp.Run(sctx, chromedp.CaptureScreenshot())
	stopShot()
	if err == nil {
		p := filepath.Join(browsertest.ScreenshotDir(t), "serve-error-overlay.png")
		if err := os.WriteFile(p, png, 0o644); err == nil {
			t.Logf("screenshot: %s", p)
		}
	}
	writeFile(t, dir, "content/alpha.md", articleFile("Alpha fixed", "The alpha article body, long enough to read."))
	until(`!document.getElementById("archive-error-overlay") && document.querySelector("h1").textContent.includes("Alpha fixed")`)
}

// TestServeBurst is a `git checkout` that rewrites 500 articles: a bounded
// number of rebuilds, and the last one has every change.
func TestServeBurst(t *testing.T) {
	dir := t.TempDir()
	genArchive(t, dir, 500)
	s := startServe(t, dir)
	ev := events(t, s.url)
	before := strings.Count(s.stderr.String(), "rebuilt in")
	rng := mrand.New(mrand.NewPCG(5, 6))
	for i := range 500 {
		writeBench(t, dir, benchgen.Path(i), benchgen.Article(rng, i, " checked out"))
	}
	deadline := time.Now().Add(hangGuard)
	for {
		nextEvent(t, ev)
		_, first := fetch(t, s.url+"/articles/article-00000/")
		_, last := fetch(t, s.url+"/articles/article-00499/")
		if strings.Contains(first, "checked out") && strings.Contains(last, "checked out") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the burst's changes were not all served within %v", hangGuard)
		}
	}
	time.Sleep(300 * time.Millisecond)
	n := strings.Count(s.stderr.String(), "rebuilt in") - before
	t.Logf("%d rebuilds for 500 saves", n)
	if n > 3 {
		t.Errorf("%d rebuilds for one burst of 500 saves, want at most 3:\n%s", n, s.stderr.String())
	}
}

// TestServeBasePath: a --baseURL with a path is served under that path, so
// that the links in the pages work.
func TestServeBasePath(t *testing.T) {
	dir := serveSite(t)
	s := startServe(t, dir, "--watch=false", "--baseURL", "http://localhost:1313/archive/")
	if !strings.HasSuffix(s.url, "/archive") {
		t.Fatalf("printed URL %q does not end in /archive/", s.url)
	}
	code, body := fetch(t, s.url+"/articles/alpha/")
	if code != 200 || !strings.Contains(body, "Alpha") {
		t.Fatalf("%s/articles/alpha/: %d", s.url, code)
	}
	css := regexp.MustCompile(`href="(/archive/style\.[0-9a-f]+\.css)"`).FindStringSubmatch(body)
	if css == nil {
		t.Fatalf("no stylesheet under /archive/ in %.500q", body)
	}
	base := strings.TrimSuffix(s.url, "/archive")
	if code, _ := fetch(t, base+css[1]); code != 200 {
		t.Errorf("stylesheet %s: %d", css[1], code)
	}
	if code, _ := fetch(t, base+"/articles/alpha/"); code != 404 {
		t.Errorf("outside the base path: %d, want 404", code)
	}
}
