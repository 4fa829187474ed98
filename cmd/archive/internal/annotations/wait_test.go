package annotations

import (
	"context"
	"errors"
	"testing"
	"time"
)

// A build stopped while passages are being found returns at once and
// leaves the search running; Wait (which archive serve calls before it
// exits) returns only when that search has.
func TestWaitForStoppedFind(t *testing.T) {
	f := New()
	release := make(chan struct{})
	reading := make(chan struct{}, 1)
	text := "He said \"the quick brown fox jumps over the lazy dog near the river bank\" today.\n"
	docs := []Doc{
		{Key: "content/a.md", Read: func() (string, error) {
			select {
			case reading <- struct{}{}:
			default:
			}
			<-release
			return text, nil
		}},
		{Key: "content/b.md", Body: text},
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		_, err := f.find(ctx, docs)
		errc <- err
	}()
	<-reading
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped find: %v, want context.Canceled", err)
	}
	waited := make(chan struct{})
	go func() {
		f.Wait()
		close(waited)
	}()
	select {
	case <-waited:
		t.Fatal("Wait returned while the stopped search still ran")
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	select {
	case <-waited:
	case <-time.After(30 * time.Second):
		t.Fatal("Wait did not return after the search ended")
	}
}
