package annotations

import (
	"context"
	"os"
	"testing"

	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// stopper stops the build it is armed for from its Analyze, which runs
// after the annotations': the build is stopped once the passages are
// found and settled, before any page is rendered.
type stopper struct {
	cancel func()
}

func (s *stopper) Analyze(ctx context.Context, _ *site.Site) error {
	if s.cancel != nil {
		s.cancel()
		s.cancel = nil
		return ctx.Err()
	}
	return nil
}

func (s *stopper) Emit(context.Context, *site.Site, *site.Emitter) error { return nil }

// A follow-up build stopped after the passages were found (archive serve
// stops it for the next edit) showed nothing: the pages its new passages
// changed must still change. Before site.DoneFeature the next follow-up
// found nothing to do, and the articles that share the new passage kept
// their old pages.
func TestLiveFollowUpStoppedAfterAnalysis(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) { writeArticle(t, dir, name, body) }
	quote := "the quick brown fox jumps over the lazy dog near the river bank"
	write("a.md", "He said \""+quote+"\" today.\n")
	write("b.md", "She wrote that \""+quote+"\", again.\n")
	write("c.md", "Nothing about animals here, only the weather and the rain.\n")
	stop := &stopper{}
	b := site.NewBuilder(os.DirFS(dir), site.WithFeatures(NewLive(), stop))
	ctx := context.Background()
	if _, _, err := b.Build(ctx, nil); err != nil {
		t.Fatal(err)
	}
	// c now quotes it too: carried over at once (c had no passage), found
	// by the follow-up, which then changes a's and b's notes.
	write("c.md", "Nothing about animals here, only \""+quote+"\" and the rain.\n")
	if _, _, err := b.Build(ctx, []string{"content/c.md"}); err != nil || !b.Pending() {
		t.Fatalf("edit: %v, pending %v; want it carried over", err, b.Pending())
	}
	stopped, cancel := context.WithCancel(ctx)
	stop.cancel = cancel
	stopThenCatchUp(t, b, stopped, dir, New(), &stopper{})
}
