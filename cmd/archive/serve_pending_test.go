package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/devserver"
	"github.com/archive-project/archive/cmd/archive/internal/memlimit"
	"github.com/archive-project/archive/cmd/archive/internal/site"
	"github.com/archive-project/archive/cmd/archive/internal/watch"
)

// alwaysPending is a feature that has always put work off, as the
// annotations do for a moment after an edit.
type alwaysPending struct{ builds atomic.Int64 }

func (p *alwaysPending) Analyze(context.Context, *site.Site) error {
	p.builds.Add(1)
	return nil
}
func (p *alwaysPending) Emit(context.Context, *site.Site, *site.Emitter) error { return nil }
func (p *alwaysPending) Pending() bool                                         { return true }

// A build that fails while work is pending waits for the next change: the
// follow-up build ran in a loop (thousands a second, each one logged and
// sent to the browser) until the file was fixed, and the event of the fix
// was lost among them. rebuildOnChange also returns when stopped.
func TestFailedBuildWhilePendingWaitsForAChange(t *testing.T) {
	dir := t.TempDir()
	buildWriteFile(t, filepath.Join(dir, "content", "a.md"), "---\ntitle: \"A\n---\nbroken\n")
	fsys := os.DirFS(dir)
	pending := &alwaysPending{}
	b := site.NewBuilder(fsys, site.WithFeatures(pending))
	log := &syncBuffer{}
	srv := devserver.New(siteBuilder{b}, devserver.WithLog(log), devserver.WithSource(fsys))
	if err := srv.Rebuild(context.Background(), nil); err == nil {
		t.Fatal("the broken site built")
	}
	stop := watchContent(t, dir, srv, b)
	time.Sleep(300 * time.Millisecond)
	if n := strings.Count(log.String(), "build failed"); n > 3 {
		t.Errorf("%d failed builds in 300 ms without a change; want the follow-up once at most", n)
	}
	buildWriteFile(t, filepath.Join(dir, "content", "a.md"), "---\ntitle: A\n---\nfixed\n")
	deadline := time.Now().Add(hangGuard)
	for !strings.Contains(log.String(), "rebuilt in") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(log.String(), "rebuilt in") {
		t.Errorf("the fix was not built:\n%.2000s", log.String())
	}
	if !stop() {
		t.Fatal("rebuildOnChange did not return after stop while work was pending")
	}
}

// watchContent runs rebuildOnChange on dir's content/ until the stop it
// returns is called; stop reports whether it returned within hangGuard.
func watchContent(t *testing.T, dir string, srv *devserver.Server, b *site.Builder) (stop func() bool) {
	t.Helper()
	w, err := watch.New(dir, []string{"content"})
	if err != nil {
		t.Fatal(err)
	}
	quit := make(chan struct{})
	done := make(chan struct{})
	e := &env{stdout: &syncBuffer{}, stderr: &syncBuffer{}, getenv: func(string) string { return "" }}
	go func() {
		defer close(done)
		rebuildOnChange(context.Background(), quit, w, srv, b, memlimit.New(e.getenv), e)
	}()
	return func() bool {
		defer w.Close()
		close(quit)
		select {
		case <-done:
			return true
		case <-time.After(hangGuard):
			return false
		}
	}
}
