package devserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// fakeSite is a Builder whose output is a map the test edits. Its Report
// lists the output paths whose bytes changed, as site.Builder does.
type fakeSite struct {
	mu    sync.Mutex
	files map[string]string
	err   error
	last  map[string]string
	gate  chan struct{} // when set, Build waits for a value
	calls [][]string
}

func newFake(files map[string]string) *fakeSite { return &fakeSite{files: files} }

func (f *fakeSite) set(p, s string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[p] = s
	f.err = nil
}

func (f *fakeSite) fail(err error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.err = err
}

func (f *fakeSite) Build(ctx context.Context, changed []string) (fs.FS, *Report, error) {
	f.mu.Lock()
	gate := f.gate
	f.mu.Unlock()
	if gate != nil {
		<-gate
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, changed)
	if f.err != nil {
		return nil, nil, f.err
	}
	out := fstest.MapFS{}
	rep := &Report{}
	for p, s := range f.files {
		out[p] = &fstest.MapFile{Data: []byte(s)}
		if old, ok := f.last[p]; !ok || old != s {
			rep.Changed = append(rep.Changed, p)
			rep.Rendered++
		} else {
			rep.Reused++
		}
	}
	for p := range f.last {
		if _, ok := f.files[p]; !ok {
			rep.Changed = append(rep.Changed, p)
		}
	}
	sort.Strings(rep.Changed)
	f.last = maps.Clone(f.files)
	return out, rep, nil
}

func page(title, css string) string {
	return `<!doctype html><html><head><title>` + title + `</title><link rel="stylesheet" href="/` + css +
		`"></head><body><h1>` + title + `</h1></body></html>`
}

var netlifyTOML = `
[build]
publish = "public"

[[redirects]]
from = "/old/*"
to = "/articles/:splat"
status = 301

[[redirects]]
from = "/a/:slug/raw"
to = "/seeds/:slug.txt"
status = 200

[[redirects]]
from = "/articles/one/"
to = "/elsewhere/"
status = 302

[[redirects]]
from = "/forced"
to = "/articles/one/"
status = 302
force = true

[[headers]]
for = "/*"
[headers.values]
X-Frame-Options = "DENY"
Content-Security-Policy = """
  default-src 'self'
"""

[[headers]]
for = "/style.*.css"
[headers.values]
Cache-Control = "public, max-age=31536000, immutable"
`

func testSite() *fakeSite {
	return newFake(map[string]string{
		"index.html":              page("Home", "style.aaaaaaaa.css"),
		"articles/one/index.html": page("One", "style.aaaaaaaa.css"),
		"forced":                  "a file the forced rule shadows",
		"404.html":                page("Not found", "style.aaaaaaaa.css"),
		"style.aaaaaaaa.css":      "h1{color:red}",
		"seeds/x.txt":             "raw seed",
		"netlify.toml":            netlifyTOML,
	})
}

func newServer(t *testing.T, b Builder, opts ...Option) (*Server, *httptest.Server) {
	t.Helper()
	s := New(b, opts...)
	if err := s.Rebuild(context.Background(), nil); err != nil {
		t.Logf("first build: %v", err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); hs.Close() })
	return s, hs
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

func TestServe(t *testing.T) {
	_, hs := newServer(t, testSite())
	client := &http.Client{CheckRedirect: noRedirect}
	for _, tc := range []struct {
		method, path string
		status       int
		body         string // contained in the body
		header       string // "Name: value" expected
	}{
		{"GET", "/", 200, "<h1>Home</h1>", "X-Frame-Options: DENY"},
		{"GET", "/", 200, `src="/_archive/live.js"`, "X-Frame-Options: DENY"},
		{"GET", "/articles/one/", 200, "<h1>One</h1>", "Content-Type: text/html; charset=utf-8"},
		{"GET", "/articles/one/index.html", 200, "<h1>One</h1>", "Cache-Control: public, max-age=0, must-revalidate"},
		{"GET", "/articles/one", 301, "", "Location: /articles/one/"},
		{"GET", "/style.aaaaaaaa.css", 200, "h1{color:red}", "Cache-Control: public, max-age=31536000, immutable"},
		{"GET", "/nope/", 404, "<h1>Not found</h1>", "X-Frame-Options: DENY"},
		{"GET", "/nope/", 404, `data-page="/404.html"`, ""},
		{"GET", "/articles/one/", 200, `data-page="/articles/one/"`, ""},
		{"GET", "/a/x/raw", 200, "raw seed", ""},
		{"GET", "/old/one/", 301, "", "Location: /articles/one/"},
		{"GET", "/old/one?x=1", 301, "", "Location: /articles/one?x=1"},
		{"GET", "/a/x/raw", 200, "raw seed", "Content-Type: text/plain; charset=utf-8"},
		{"GET", "/forced", 302, "", "Location: /articles/one/"},
		{"HEAD", "/", 200, "", "X-Frame-Options: DENY"},
		{"POST", "/", 405, "", "Allow: GET, HEAD"},
		{"GET", "/_archive/live.js", 200, "EventSource", "Content-Type: text/javascript; charset=utf-8"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, hs.URL+tc.path, nil)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.status)
			}
			if !strings.Contains(string(body), tc.body) {
				t.Errorf("body %q does not contain %q", body, tc.body)
			}
			if tc.header != "" {
				name, want, _ := strings.Cut(tc.header, ": ")
				if got := resp.Header.Get(name); got != want {
					t.Errorf("%s: %q, want %q", name, got, want)
				}
			}
		})
	}
}

func TestInjectOnlyIntoServedHTML(t *testing.T) {
	site := testSite()
	_, hs := newServer(t, site)
	resp, err := http.Get(hs.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if n := strings.Count(string(body), scriptPath); n != 1 {
		t.Errorf("script injected %d times", n)
	}
	if !strings.Contains(string(body), scriptPath+`" data-instance=`) || !strings.HasSuffix(string(body), "</script></body></html>") {
		t.Errorf("script not placed before </body>: %s", body)
	}
	if strings.Contains(site.files["index.html"], "_archive") {
		t.Error("the build output itself was changed")
	}
	if got := string(inject([]byte("<p>no body tag"), "i", 3, "/x/", "")); !strings.HasPrefix(got, "<p>no body tag<script") {
		t.Errorf("without </body>: %s", got)
	}
}

// sseEvent is one Server-Sent Event as a browser would see it.
type sseEvent struct {
	name string
	msg  message
	at   time.Time
}

type sseClient struct {
	events chan sseEvent
	body   io.Closer
}

func dialEvents(t testing.TB, base string) *sseClient {
	t.Helper()
	resp, err := http.Get(base + eventsPath)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("events Content-Type %q", ct)
	}
	c := &sseClient{events: make(chan sseEvent, 64), body: resp.Body}
	go func() {
		defer close(c.events)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<24)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev.msg); err != nil {
					panic(err)
				}
			case line == "" && ev.name != "":
				ev.at = time.Now()
				c.events <- ev
				ev = sseEvent{}
			}
		}
	}()
	t.Cleanup(func() { resp.Body.Close() })
	return c
}

func (c *sseClient) next(t testing.TB, within time.Duration) sseEvent {
	t.Helper()
	select {
	case ev, ok := <-c.events:
		if !ok {
			t.Fatal("event stream closed")
		}
		return ev
	case <-time.After(within):
		t.Fatalf("no event within %s", within)
	}
	return sseEvent{}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestReloadOnlyAfterBuild holds a build half way: no event may arrive
// until it is done, and when one arrives the new page is already served.
func TestReloadOnlyAfterBuild(t *testing.T) {
	site := testSite()
	s, hs := newServer(t, site)
	c := dialEvents(t, hs.URL)
	if ev := c.next(t, 5*time.Second); ev.name != "hello" || ev.msg.Build != 1 || ev.msg.Instance != s.instance {
		t.Fatalf("first event %+v, want hello for build 1", ev)
	}
	gate := make(chan struct{})
	site.mu.Lock()
	site.gate = gate
	site.mu.Unlock()
	site.set("articles/one/index.html", page("One, edited", "style.aaaaaaaa.css"))
	done := make(chan error)
	go func() { done <- s.Rebuild(context.Background(), []string{"content/one.md"}) }()

	select {
	case ev := <-c.events:
		t.Fatalf("event %+v before the build finished", ev)
	case <-time.After(200 * time.Millisecond):
	}
	if _, body := get(t, hs.URL+"/articles/one/"); !strings.Contains(body, "<h1>One</h1>") {
		t.Fatal("the half-done build is already served")
	}
	close(gate)
	ev := c.next(t, 5*time.Second)
	if _, body := get(t, hs.URL+"/articles/one/"); !strings.Contains(body, "One, edited") {
		t.Error("event sent but the page served is still the old one")
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if ev.name != "build" || ev.msg.Build != 2 || fmt.Sprint(ev.msg.Reload) != "[/articles/one/]" || ev.msg.All {
		t.Errorf("event %+v, want build 2 reloading /articles/one/ only", ev)
	}
}

func TestDiff(t *testing.T) {
	base := map[string]string{
		"index.html":              page("Home", "style.aaaaaaaa.css"),
		"articles/one/index.html": page("One", "style.aaaaaaaa.css"),
		"style.aaaaaaaa.css":      "h1{color:red}",
		"plain.css":               "p{}",
		"index.xml":               "<feed/>",
	}
	for _, tc := range []struct {
		name string
		edit func(m map[string]string)
		want change
	}{
		{"one page", func(m map[string]string) { m["articles/one/index.html"] = page("One!", "style.aaaaaaaa.css") },
			change{Reload: []string{"/articles/one/"}}},
		{"fingerprinted stylesheet only", func(m map[string]string) {
			delete(m, "style.aaaaaaaa.css")
			m["style.bbbbbbbb.css"] = "h1{color:blue}"
			m["index.html"] = page("Home", "style.bbbbbbbb.css")
			m["articles/one/index.html"] = page("One", "style.bbbbbbbb.css")
		}, change{CSS: []cssSwap{{"/style.aaaaaaaa.css", "/style.bbbbbbbb.css"}}}},
		{"stylesheet and one page's text", func(m map[string]string) {
			delete(m, "style.aaaaaaaa.css")
			m["style.bbbbbbbb.css"] = "h1{color:blue}"
			m["index.html"] = page("Home", "style.bbbbbbbb.css")
			m["articles/one/index.html"] = page("One!", "style.bbbbbbbb.css")
		}, change{Reload: []string{"/articles/one/"}, CSS: []cssSwap{{"/style.aaaaaaaa.css", "/style.bbbbbbbb.css"}}}},
		{"unfingerprinted stylesheet", func(m map[string]string) { m["plain.css"] = "p{color:red}" },
			change{CSS: []cssSwap{{"/plain.css", "/plain.css"}}}},
		{"a script", func(m map[string]string) { m["app.js"] = "1" }, change{All: true}},
		{"a feed", func(m map[string]string) { m["index.xml"] = "<feed>1</feed>" }, change{Reload: []string{"/index.xml"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site := newFake(maps.Clone(base))
			old, _, _ := site.Build(context.Background(), nil)
			tc.edit(site.files)
			cur, rep, _ := site.Build(context.Background(), nil)
			got := diff(old, cur, rep.Changed)
			if fmt.Sprintf("%+v", *got) != fmt.Sprintf("%+v", tc.want) {
				t.Errorf("changed %q: have %+v, want %+v", rep.Changed, *got, tc.want)
			}
		})
	}
}

func TestEqualExcept(t *testing.T) {
	pairs := [][2]string{{"style.aaaa1111.css", "style.bbbb2222.css"}}
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{`<link href="/style.aaaa1111.css">x`, `<link href="/style.bbbb2222.css">x`, true},
		{`<link href="/style.aaaa1111.css">x`, `<link href="/style.bbbb2222.css">y`, false},
		{strings.Repeat("a", 200) + "style.aaaa1111.css" + strings.Repeat("b", 100) + "style.aaaa1111.css",
			strings.Repeat("a", 200) + "style.bbbb2222.css" + strings.Repeat("b", 100) + "style.bbbb2222.css", true},
		{`same`, `same`, true},
		{`style.aaaa1111.css`, `style.aaaa1111.cs`, false},
	} {
		if got := equalExcept([]byte(tc.a), []byte(tc.b), pairs); got != tc.want {
			t.Errorf("equalExcept(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
}

func TestErrorsKeepLastGoodBuild(t *testing.T) {
	site := testSite()
	var log bytes.Buffer
	var logMu sync.Mutex
	s, hs := newServer(t, site, WithLog(lockedWriter{&logMu, &log}))
	c := dialEvents(t, hs.URL)
	c.next(t, 5*time.Second) // hello

	site.fail(fmt.Errorf("build: %w", article.Errorf("content/one.md", 4, "close the quote", "front matter (yaml): unterminated string")))
	if err := s.Rebuild(context.Background(), []string{"content/one.md"}); err == nil {
		t.Fatal("Rebuild hid the build error")
	}
	ev := c.next(t, 5*time.Second)
	want := Problem{File: "content/one.md", Line: 4, Message: "front matter (yaml): unterminated string", Fix: "close the quote"}
	if len(ev.msg.Problems) != 1 || ev.msg.Problems[0] != want {
		t.Errorf("event problems %+v, want %+v", ev.msg.Problems, want)
	}
	if status, body := get(t, hs.URL+"/articles/one/"); status != 200 || !strings.Contains(body, "<h1>One</h1>") {
		t.Errorf("after a failed build: %d %q, want the last good page", status, body)
	}
	// A browser that connects now learns about the error at once.
	c2 := dialEvents(t, hs.URL)
	if ev := c2.next(t, 5*time.Second); len(ev.msg.Problems) != 1 {
		t.Errorf("hello after a failed build %+v has no problems", ev)
	}
	logMu.Lock()
	if !strings.Contains(log.String(), "content/one.md:4: front matter (yaml): unterminated string") {
		t.Errorf("log %q does not show the error", log.String())
	}
	logMu.Unlock()

	site.set("articles/one/index.html", page("One, fixed", "style.aaaaaaaa.css"))
	if err := s.Rebuild(context.Background(), []string{"content/one.md"}); err != nil {
		t.Fatal(err)
	}
	ev = c.next(t, 5*time.Second)
	if len(ev.msg.Problems) != 0 || fmt.Sprint(ev.msg.Reload) != "[/articles/one/]" {
		t.Errorf("event after the fix %+v, want no problems and a reload of /articles/one/", ev.msg)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestFirstBuildFails(t *testing.T) {
	site := testSite()
	site.fail(errors.Join(
		article.Errorf("content/a.md", 2, "add a title", "front matter has no title"),
		article.Errorf("layouts/page.html", 7, "close the action", "template: unexpected EOF")))
	s, hs := newServer(t, site)
	status, body := get(t, hs.URL+"/articles/one/")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, "content/a.md:2: front matter has no title") ||
		!strings.Contains(body, "layouts/page.html:7") || !strings.Contains(body, scriptPath) {
		t.Errorf("%d %q, want 503 showing both errors and the live script", status, body)
	}
	c := dialEvents(t, hs.URL)
	if ev := c.next(t, 5*time.Second); len(ev.msg.Problems) != 2 {
		t.Errorf("hello %+v, want 2 problems", ev.msg)
	}
	site.set("index.html", page("Home", "style.aaaaaaaa.css"))
	if err := s.Rebuild(context.Background(), []string{"content/a.md"}); err != nil {
		t.Fatal(err)
	}
	if ev := c.next(t, 5*time.Second); !ev.msg.All || len(ev.msg.Problems) != 0 {
		t.Errorf("first good build event %+v, want reload all", ev.msg)
	}
	if status, _ := get(t, hs.URL+"/articles/one/"); status != 200 {
		t.Errorf("status %d after the first good build", status)
	}
}

func TestServeShutsDown(t *testing.T) {
	before := runtime.NumGoroutine()
	s := New(testSite())
	if err := s.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	ln, err := Listen("127.0.0.1", 0, 1, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Serve(ctx, ln) }()
	base := strings.TrimSuffix(URL(ln), "/")
	c := dialEvents(t, base)
	c.next(t, 5*time.Second)
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after cancel")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("shutdown took %s: event streams held it up", d)
	}
	c.body.Close()
	http.DefaultClient.CloseIdleConnections()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if g := runtime.NumGoroutine(); g > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after shutdown, %d before:\n%s", g, before, buf[:runtime.Stack(buf, true)])
	}
}

func TestListenTriesNextPorts(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	port := taken.Addr().(*net.TCPAddr).Port
	var msg bytes.Buffer
	ln, err := Listen("127.0.0.1", port, 5, &msg)
	if err != nil {
		// The next port may be taken by someone else too; that is the point of tries.
		t.Fatal(err)
	}
	defer ln.Close()
	if got := ln.Addr().(*net.TCPAddr).Port; got <= port || got >= port+5 {
		t.Errorf("listening on %d, want one of the 4 after %d", got, port)
	}
	if !strings.Contains(msg.String(), fmt.Sprintf("port %d is in use", port)) {
		t.Errorf("message %q does not say the port is taken", msg.String())
	}
	_, err = Listen("127.0.0.1", port, 1, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "--port") {
		t.Errorf("all ports taken: %v, want an error that suggests --port", err)
	}
}

func TestNetlifyPatterns(t *testing.T) {
	for _, tc := range []struct {
		pattern, path string
		match         bool
		vals          string
	}{
		{"/old/*", "/old/a/b", true, "map[splat:a/b]"},
		{"/old/*", "/old", true, "map[splat:]"},
		{"/old/*", "/older", false, ""},
		{"/a/:slug/raw", "/a/x/raw/", true, "map[slug:x]"},
		{"/a/:slug/raw", "/a/x/y/raw", false, ""},
		{"/", "/", true, "map[]"},
		{"/", "/x", false, ""},
		{"/*.css", "/style.1.css", true, "map[splat:style.1]"},
		{"/x.html", "/xyhtml", false, ""},
	} {
		vals, ok := compilePattern(tc.pattern).match(tc.path)
		if ok != tc.match || ok && fmt.Sprint(vals) != tc.vals {
			t.Errorf("%s ~ %s: %v %v, want %v %s", tc.pattern, tc.path, ok, vals, tc.match, tc.vals)
		}
	}
	_, err := parseNetlify([]byte("[[redirects]]\nfrom = \"/a\"\nto = \n"))
	var ae *article.Error
	if !errors.As(err, &ae) || ae.File != "netlify.toml" || ae.Line != 3 {
		t.Errorf("bad TOML: %v, want netlify.toml:3", err)
	}
}

func TestAllowLiveReload(t *testing.T) {
	const N = "'nonce-NONCE'"
	for _, tc := range []struct{ csp, want string }{
		{"", ""},
		{"img-src *", "img-src *"},
		{"default-src 'self'", "default-src 'self'; script-src 'self'; connect-src 'self'"},
		{"default-src 'none'; style-src 'self'", "default-src 'none'; style-src 'self'; script-src " + N + "; connect-src 'self'"},
		{"script-src 'sha256-abc'; connect-src 'none'; img-src *", "script-src 'sha256-abc' " + N + "; connect-src 'self'; img-src *"},
		{"script-src 'unsafe-inline' https://cdn.example", "script-src 'unsafe-inline' https://cdn.example 'self'"},
		{"script-src 'unsafe-inline' 'nonce-x'", "script-src 'unsafe-inline' 'nonce-x' " + N},
		{"script-src 'strict-dynamic' 'self' 'nonce-x'", "script-src 'strict-dynamic' 'self' 'nonce-x' " + N},
		{"script-src *; connect-src https:", "script-src *; connect-src https: 'self'"},
	} {
		h := http.Header{}
		if tc.csp != "" {
			h.Set("Content-Security-Policy", tc.csp)
		}
		nonce := allowLiveReload(h)
		got := h.Get("Content-Security-Policy")
		if nonce != "" {
			got = strings.ReplaceAll(got, nonce, "NONCE")
		}
		if got != tc.want || (nonce != "") != strings.Contains(tc.want, N) {
			t.Errorf("%q:\nhave %q (nonce %q)\nwant %q", tc.csp, got, nonce, tc.want)
		}
	}
	a, b := http.Header{}, http.Header{}
	a.Set("Content-Security-Policy", "script-src 'none'")
	b.Set("Content-Security-Policy", "script-src 'none'")
	if allowLiveReload(a) == allowLiveReload(b) {
		t.Error("two responses got the same nonce")
	}
}

func TestWithBasePath(t *testing.T) {
	for in, want := range map[string]string{"": "/", "/": "/", "archive": "/archive/", "/a/b/": "/a/b/", "//a//": "/a/"} {
		if got := New(nil, WithBasePath(in)).basePath; got != want {
			t.Errorf("WithBasePath(%q): %q, want %q", in, got, want)
		}
	}
}

func TestBasePath(t *testing.T) {
	site := testSite()
	s, hs := newServer(t, site, WithBasePath("archive"))
	client := &http.Client{CheckRedirect: noRedirect}
	for _, tc := range []struct {
		path     string
		status   int
		location string
		body     string
	}{
		{"/archive/articles/one/", 200, "", "<h1>One</h1>"},
		{"/archive/", 200, "", "<h1>Home</h1>"},
		{"/archive", 301, "/archive/", ""},
		{"/archive/articles/one", 301, "/archive/articles/one/", ""},
		{"/archive/old/one/", 301, "/archive/articles/one/", ""},
		{"/articles/one/", 404, "", "<h1>Not found</h1>"},
		{"/archive/nope", 404, "", "<h1>Not found</h1>"},
	} {
		resp, err := client.Get(hs.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || resp.Header.Get("Location") != tc.location || !strings.Contains(string(body), tc.body) {
			t.Errorf("%s: %d %q %.80q, want %d %q %q", tc.path, resp.StatusCode, resp.Header.Get("Location"), body,
				tc.status, tc.location, tc.body)
		}
	}
	c := dialEvents(t, hs.URL)
	c.next(t, 5*time.Second)
	site.mu.Lock()
	delete(site.files, "style.aaaaaaaa.css")
	site.files["style.bbbbbbbb.css"] = "h1{}"
	site.files["index.html"] = page("Home", "style.bbbbbbbb.css")
	site.mu.Unlock()
	if err := s.Rebuild(context.Background(), []string{"layouts/style.css"}); err != nil {
		t.Fatal(err)
	}
	ev := c.next(t, 5*time.Second)
	if len(ev.msg.CSS) != 1 || ev.msg.CSS[0] != (cssSwap{"/archive/style.aaaaaaaa.css", "/archive/style.bbbbbbbb.css"}) {
		t.Errorf("stylesheet swap %+v, want the URLs under /archive/", ev.msg.CSS)
	}
}

// TestStaleBuildIsDropped: a build that failed because a file changed
// under it (ErrStale) is out of date, not broken: no browser hears of it,
// the page served and the problems shown stay the last build's, and the
// log says so; the change's own build then goes as usual.
func TestStaleBuildIsDropped(t *testing.T) {
	for _, tc := range []struct {
		name   string
		broken bool // the last build failed: its problem stays shown
	}{{"after a good build", false}, {"after a failed build", true}} {
		t.Run(tc.name, func(t *testing.T) {
			site := testSite()
			var log bytes.Buffer
			var logMu sync.Mutex
			s, hs := newServer(t, site, WithLog(lockedWriter{&logMu, &log}))
			c := dialEvents(t, hs.URL)
			c.next(t, 5*time.Second) // hello
			problems := 0
			if tc.broken {
				site.fail(article.Errorf("content/two.md", 3, "close the quote", "front matter (yaml): unterminated string"))
				_ = s.Rebuild(context.Background(), []string{"content/two.md"})
				c.next(t, 5*time.Second)
				problems = 1
			}
			site.fail(fmt.Errorf("build: %w", &article.Error{File: "content/one.md", Err: fmt.Errorf("%w: re-read", ErrStale)}))
			if err := s.Rebuild(context.Background(), nil); !errors.Is(err, ErrStale) {
				t.Fatalf("Rebuild: %v, want the stale build's error", err)
			}
			select {
			case ev := <-c.events:
				t.Fatalf("event %+v after a stale build", ev)
			case <-time.After(200 * time.Millisecond):
			}
			if ev := dialEvents(t, hs.URL).next(t, 5*time.Second); len(ev.msg.Problems) != problems {
				t.Errorf("hello after a stale build shows problems %+v, want %d", ev.msg.Problems, problems)
			}
			if status, body := get(t, hs.URL+"/articles/one/"); status != 200 || !strings.Contains(body, "<h1>One</h1>") {
				t.Errorf("after a stale build: %d %q, want the last good page", status, body)
			}
			logMu.Lock()
			if !strings.Contains(log.String(), "build dropped") || strings.Contains(log.String(), "re-read") {
				t.Errorf("log %q: want one line saying the build was dropped, not its error", log.String())
			}
			logMu.Unlock()

			site.set("articles/one/index.html", page("One, saved", "style.aaaaaaaa.css"))
			if err := s.Rebuild(context.Background(), []string{"content/one.md"}); err != nil {
				t.Fatal(err)
			}
			if ev := c.next(t, 5*time.Second); len(ev.msg.Problems) != 0 || fmt.Sprint(ev.msg.Reload) != "[/articles/one/]" {
				t.Errorf("event after the save's own build %+v, want no problems and a reload of /articles/one/", ev.msg)
			}
		})
	}
}
