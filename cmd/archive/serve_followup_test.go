package main

import (
	"bytes"
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/devserver"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// slowFollowUp is a feature whose follow-up build is slow, as finding the
// passages anew is at 100,000 articles: a build with edits puts work off
// (Pending), and the follow-up build (no changes) waits in Analyze until
// its context stops it or the test releases it.
type slowFollowUp struct {
	mu       sync.Mutex
	pending  bool
	started  chan struct{} // a follow-up build began
	release  chan struct{} // closed: follow-ups finish
	stopped  atomic.Int64  // follow-ups stopped by their context
	finished atomic.Int64  // follow-ups that finished their work
}

func newSlowFollowUp() *slowFollowUp {
	return &slowFollowUp{started: make(chan struct{}, 16), release: make(chan struct{})}
}

func (f *slowFollowUp) Analyze(ctx context.Context, s *site.Site) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if s.Full() {
		return nil
	}
	if len(s.ChangedArticles()) > 0 {
		f.pending = true
		return nil
	}
	if !f.pending {
		return nil
	}
	f.started <- struct{}{}
	f.mu.Unlock()
	select {
	case <-ctx.Done():
		f.stopped.Add(1)
		f.mu.Lock()
		return ctx.Err()
	case <-f.release:
	}
	f.mu.Lock()
	f.pending = false
	f.finished.Add(1)
	return nil
}

func (f *slowFollowUp) Emit(context.Context, *site.Site, *site.Emitter) error { return nil }

func (f *slowFollowUp) Pending() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.pending
}

// An edit that arrives while a slow follow-up build runs stops it at once,
// and is answered by a narrow build (the edited page only), not after the
// follow-up; the follow-up runs again after it, and then the site served
// is the site a clean build makes.
func TestEditStopsSlowFollowUp(t *testing.T) {
	dir := serveSite(t)
	fsys := os.DirFS(dir)
	slow := newSlowFollowUp()
	b := site.NewBuilder(fsys, site.WithFeatures(slow), site.WithStore(t.TempDir()))
	var mu sync.Mutex
	var served fs.FS // the last good build's site
	log := &syncBuffer{}
	srv := devserver.New(devserver.BuilderFunc(func(ctx context.Context, changed []string) (fs.FS, *devserver.Report, error) {
		out, rep, err := siteBuilder{b}.Build(ctx, changed)
		if err == nil {
			mu.Lock()
			served = out
			mu.Unlock()
		}
		return out, rep, err
	}), devserver.WithLog(log), devserver.WithSource(fsys))
	if err := srv.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	stop := watchContent(t, dir, srv, b)
	defer func() {
		if !stop() {
			t.Error("rebuildOnChange did not return")
		}
	}()
	waitLog := func(what string) string {
		t.Helper()
		deadline := time.Now().Add(hangGuard)
		for time.Now().Before(deadline) {
			for _, line := range strings.Split(log.String(), "\n") {
				if strings.Contains(line, what) {
					return line
				}
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Fatalf("no %q in the log:\n%s", what, log.String())
		return ""
	}

	writeFile(t, dir, "content/alpha.md", articleFile("Alpha", "The alpha article body, edited once."))
	waitLog("content/alpha.md changed")
	select {
	case <-slow.started:
	case <-time.After(hangGuard):
		t.Fatal("no follow-up build after the edit")
	}
	// The follow-up is running and would run for ever: the next edit
	// must stop it and be answered without it.
	writeFile(t, dir, "content/beta.md", articleFile("Beta", "The beta article body, edited while the follow-up ran."))
	line := waitLog("content/beta.md changed")
	if n := slow.finished.Load(); n != 0 {
		t.Fatalf("the edit was answered after %d follow-up builds finished; want it answered before", n)
	}
	if slow.stopped.Load() == 0 {
		t.Error("the follow-up build was not stopped")
	}
	if !strings.Contains(line, " 0 reused") {
		t.Errorf("the edit's build looked at every page, not only what the edit reached: %s", line)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/articles/beta/", nil))
	if !strings.Contains(rec.Body.String(), "edited while the follow-up ran") {
		t.Errorf("GET /articles/beta/ after the edit's reload does not show the edit:\n%.1500s", rec.Body.String())
	}

	// The follow-up runs again after the edit; let it finish.
	select {
	case <-slow.started:
	case <-time.After(hangGuard):
		t.Fatal("no follow-up build after the edit that stopped the last one")
	}
	close(slow.release)
	deadline := time.Now().Add(hangGuard)
	for (slow.finished.Load() == 0 || strings.Count(log.String(), "rebuilt in") < 4) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if slow.finished.Load() == 0 {
		t.Fatalf("the follow-up build never finished:\n%s", log.String())
	}
	time.Sleep(50 * time.Millisecond) // the follow-up's output is swapped in after its work
	clean, err := site.Build(context.Background(), os.DirFS(dir), site.WithFeatures(newSlowFollowUp()))
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	got := served
	mu.Unlock()
	diffSites(t, got, clean)
}

// diffSites reports every file that differs between the site served and a
// clean build's.
func diffSites(t *testing.T, got fs.FS, want *site.Output) {
	t.Helper()
	have := map[string]bool{}
	err := fs.WalkDir(got, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		have[p] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range want.Paths() {
		w, _ := want.Bytes(p)
		g, err := fs.ReadFile(got, p)
		switch {
		case err != nil:
			t.Errorf("%s: in a clean build, not served: %v", p, err)
		case !bytes.Equal(g, w):
			t.Errorf("%s: served differs from a clean build:\n%.600s\nwant:\n%.600s", p, g, w)
		}
		delete(have, p)
	}
	for p := range have {
		t.Errorf("%s: served, not in a clean build", p)
	}
}
