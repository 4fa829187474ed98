package site

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// TestBodiesReadAgain: once a build is over the Builder keeps no content
// file's body; a later build that renders an unchanged article reads its
// file again, and when the file changed meanwhile (its watch event not yet
// seen) the build fails naming it, never rendering other bytes than the
// ones loaded; the build with the change then equals a clean build.
func TestBodiesReadAgain(t *testing.T) {
	ctx := context.Background()
	m := storySite()
	b := NewBuilder(m)
	if _, _, err := b.Build(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for p, f := range b.content {
		if f.art == nil {
			continue
		}
		if f.art.Body != nil || !f.dropped {
			t.Errorf("%s: the body is kept after the build", p)
		}
		a := b.model.byPath[p]
		if a == nil {
			continue // a draft
		}
		body, err := a.Body()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		want, err := article.Parse(p, m[p].Data)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(body, want.Body) {
			t.Errorf("%s: Body read again\n%q\nwant\n%q", p, body, want.Body)
		}
	}

	// d's page shows e's title (next): an edit to e renders d again.
	replace := func(p, old, new string) {
		t.Helper()
		s := string(m[p].Data)
		if !strings.Contains(s, old) {
			t.Fatalf("%s has no %q", p, old)
		}
		m[p] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
	}
	replace("content/e.md", "title: Article e", "title: Article e, retitled")
	replace("content/d.md", "Second paragraph.", "Second paragraph, saved after the load.")
	_, _, err := b.Build(ctx, []string{"content/e.md"})
	var ae *article.Error
	if !errors.As(err, &ae) || ae.File != "content/d.md" || !errors.Is(err, errChanged) || !Stale(err) {
		t.Fatalf("build with d.md changed since its load: %v, want an error naming content/d.md", err)
	}
	got, _, err := b.Build(ctx, []string{"content/d.md"})
	if err != nil {
		t.Fatal(err)
	}
	want, _, err := NewBuilder(m).Build(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	sameOutput(t, got, want)
	if p, _ := got.Bytes("articles/d/index.html"); !bytes.Contains(p, []byte("saved after the load")) {
		t.Error("d's page does not show its new text")
	}
}

// TestBodyVanished: a file deleted after its load fails the build that
// needs its body, naming it.
func TestBodyVanished(t *testing.T) {
	ctx := context.Background()
	m := storySite()
	b := NewBuilder(m)
	if _, _, err := b.Build(ctx, nil); err != nil {
		t.Fatal(err)
	}
	a := b.model.byPath["content/d.md"]
	delete(m, "content/d.md")
	_, err := a.Body()
	var ae *article.Error
	if !errors.As(err, &ae) || ae.File != "content/d.md" || !strings.Contains(err.Error(), "vanished") || !Stale(err) {
		t.Fatalf("Body of a deleted file: %v", err)
	}
	// The build that needs it fails as stale too (archive serve drops it).
	m["content/e.md"] = &fstest.MapFile{Data: []byte(strings.Replace(string(m["content/e.md"].Data),
		"title: Article e", "title: Article e, retitled", 1))}
	if _, _, err := b.Build(ctx, []string{"content/e.md"}); !Stale(err) {
		t.Errorf("build needing a deleted file's body: %v, want a stale build", err)
	}
	for _, err := range []error{nil, errors.New("x"), &article.Error{File: "content/a.md", Err: errors.New("front matter")}} {
		if Stale(err) {
			t.Errorf("Stale(%v) = true", err)
		}
	}
}

// countingFS counts the reads of each file.
type countingFS struct {
	fs.FS
	mu    sync.Mutex
	reads map[string]int
}

func (c *countingFS) Open(name string) (fs.File, error) {
	c.mu.Lock()
	c.reads[name]++
	c.mu.Unlock()
	return c.FS.Open(name)
}

// withKeepBodies sets how many bytes of bodies a build keeps while it
// renders (keepBodiesUpTo).
func withKeepBodies(n int) Option { return func(o *options) { o.keepBodies = n } }

// TestBodyReadOnceInItsStep: a one-shot build whose bodies fit
// keepBodiesUpTo reads each content file once, to load it; one whose
// bodies do not drops them once the features have analysed them, and the
// article's step then reads each file once for its page and the files
// features put beside it, however many of them read the body.
func TestBodyReadOnceInItsStep(t *testing.T) {
	for _, tc := range []struct {
		name  string
		keep  int
		reads int
	}{
		{"kept", keepBodiesUpTo, 1},
		{"over the budget", 0, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := storySite()
			var mu sync.Mutex
			seen := map[string]string{}
			readBody := func(s *Site, a *Article) (ArticleAdditions, error) {
				b, err := a.Body()
				if err != nil {
					return ArticleAdditions{}, err
				}
				mu.Lock()
				defer mu.Unlock()
				if prev, ok := seen[a.Src.Path]; ok && prev != string(b) {
					t.Errorf("%s: two features read different bodies", a.Src.Path)
				}
				seen[a.Src.Path] = string(b)
				return ArticleAdditions{}, nil
			}
			c := &countingFS{FS: m, reads: map[string]int{}}
			out, err := Build(context.Background(), c, withKeepBodies(tc.keep),
				WithFeatures(&testFeature{article: readBody}, &testFeature{article: readBody}))
			if err != nil {
				t.Fatal(err)
			}
			var articles int
			for p, f := range m {
				if !strings.HasPrefix(p, "content/") || !strings.HasSuffix(p, ".md") || bytes.Contains(f.Data, []byte("draft: true")) {
					continue
				}
				art, err := article.Parse(p, f.Data)
				if err != nil || len(art.Body) == 0 {
					continue
				}
				articles++
				if seen[p] != string(art.Body) {
					t.Errorf("%s: the features read %q, want %q", p, seen[p], art.Body)
				}
				if c.reads[p] != tc.reads {
					t.Errorf("%s read %d times, want %d", p, c.reads[p], tc.reads)
				}
			}
			if articles == 0 || out.Len() == 0 {
				t.Fatal("no articles built")
			}
		})
	}
}
