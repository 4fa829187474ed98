package annotations

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// A live layer answers an edit at once by carrying the passages over to the
// new text, says it has work pending, and finds the passages anew in the
// follow-up build; an edit that removes a quote's words is not carried over.
func TestLiveCarriesOverThenCatchesUp(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) { writeArticle(t, dir, name, body) }
	quote := "the quick brown fox jumps over the lazy dog near the river bank"
	write("a.md", "He said \""+quote+"\" today.\n")
	write("b.md", "She wrote that \""+quote+"\", again.\n")
	layer := NewLive()
	b := site.NewBuilder(os.DirFS(dir), site.WithFeatures(layer))
	page := func(out *site.Output) string {
		data, _ := out.Bytes("articles/a/index.html")
		return string(data)
	}
	out, _, err := b.Build(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.Pending() || !strings.Contains(page(out), `<mark id="q-`) {
		t.Fatalf("first build: pending %v, marked %v", b.Pending(), strings.Contains(page(out), "<mark"))
	}

	// An edit before the quote: answered at once, the mark moved along.
	write("a.md", "A new first sentence.\n\nHe said \""+quote+"\" today.\n")
	out, _, err = b.Build(context.Background(), []string{"content/a.md"})
	if err != nil {
		t.Fatal(err)
	}
	if !b.Pending() {
		t.Error("an edit to one article was not carried over (no follow-up pending)")
	}
	html := page(out)
	if i := strings.Index(html, "quick brown fox"); i < 0 || strings.LastIndex(html[:i], "<mark") < strings.LastIndex(html[:i], "</mark>") {
		t.Errorf("after the edit the quote is not marked:\n%s", html)
	}
	// The follow-up finds the passages anew and settles.
	if _, _, err := b.Build(context.Background(), []string{}); err != nil {
		t.Fatal(err)
	}
	if b.Pending() {
		t.Error("still pending after the follow-up build")
	}

	// An edit that removes the quote is answered by finding passages anew.
	write("a.md", "He said nothing about foxes.\n")
	out, _, err = b.Build(context.Background(), []string{"content/a.md"})
	if err != nil {
		t.Fatal(err)
	}
	if b.Pending() || strings.Contains(page(out), "<mark") {
		t.Errorf("after removing the quote: pending %v, page still marked", b.Pending())
	}
}

// A follow-up build stopped for the next edit (archive serve cancels it)
// leaves the carried-over passages pending; the next follow-up finds them
// and the site is then what a fresh build makes.
func TestLiveFollowUpStopped(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) { writeArticle(t, dir, name, body) }
	quote := "the quick brown fox jumps over the lazy dog near the river bank"
	write("a.md", "He said \""+quote+"\" today.\n")
	write("b.md", "She wrote that \""+quote+"\", again.\n")
	b := site.NewBuilder(os.DirFS(dir), site.WithFeatures(NewLive()))
	ctx := context.Background()
	if _, _, err := b.Build(ctx, nil); err != nil {
		t.Fatal(err)
	}
	write("a.md", "A new first sentence.\n\nHe said \""+quote+"\" today.\n")
	if _, _, err := b.Build(ctx, []string{"content/a.md"}); err != nil || !b.Pending() {
		t.Fatalf("edit: %v, pending %v; want it carried over", err, b.Pending())
	}
	stopped, cancel := context.WithCancel(ctx)
	cancel()
	stopThenCatchUp(t, b, stopped, dir, New())
}

// writeArticle writes content/name under dir: front matter titled name, then body.
func writeArticle(t *testing.T, dir, name, body string) {
	t.Helper()
	p := filepath.Join(dir, "content", name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("---\ntitle: "+name+"\n---\n\n"+body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// stopThenCatchUp runs a follow-up build on stopped, which must end
// context.Canceled and leave the passages pending, then one to the end,
// which must leave nothing pending and make what a fresh build with
// features makes, page for page.
func stopThenCatchUp(t *testing.T, b *site.Builder, stopped context.Context, dir string, features ...site.Feature) {
	t.Helper()
	if _, _, err := b.Build(stopped, []string{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped follow-up: %v, want context.Canceled", err)
	}
	if !b.Pending() {
		t.Fatal("a stopped follow-up left nothing pending: the passages would stay carried over")
	}
	ctx := context.Background()
	out, _, err := b.Build(ctx, []string{})
	if err != nil || b.Pending() {
		t.Fatalf("follow-up: %v, pending %v", err, b.Pending())
	}
	fresh, err := site.Build(ctx, os.DirFS(dir), site.WithFeatures(features...))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range fresh.Paths() {
		want, _ := fresh.Bytes(p)
		if got, _ := out.Bytes(p); string(got) != string(want) {
			t.Errorf("%s differs from a fresh build", p)
		}
	}
}
