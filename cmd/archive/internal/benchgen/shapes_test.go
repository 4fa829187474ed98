package benchgen

import (
	"strings"
	"testing"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// TestShapes checks that each shape makes valid content files with the
// properties its doc comment promises, the same for the same i.
func TestShapes(t *testing.T) {
	const n = 2000
	for _, shape := range AllShapes {
		t.Run(string(shape), func(t *testing.T) {
			g := New(shape, n)
			outlets, stories := map[string]bool{}, map[string]bool{}
			copies, framed := 0, 0
			words := map[string]bool{}
			for i := range n {
				src := g.Article(i, "")
				if again := g.Article(i, ""); again != src {
					t.Fatalf("article %d differs between two calls", i)
				}
				if edited := g.Article(i, " EDIT"); !strings.Contains(edited, " EDIT") || len(edited) != len(src)+5 {
					t.Fatalf("article %d: the edit is not the only change", i)
				}
				a, err := article.Parse(g.Path(i), []byte(src))
				if err != nil {
					t.Fatalf("article %d: %v\n%s", i, err, src)
				}
				if a.Meta.Title == "" || a.Meta.Date.IsZero() && shape != Stories {
					t.Fatalf("article %d has no title or date:\n%s", i, src)
				}
				outlets[a.Meta.Outlet] = true
				if s, ok := a.Meta.Params["story"].(string); ok {
					stories[s] = true
				}
				body := string(a.Body)
				if strings.Contains(body, "The aircraft was inspected before departure") {
					copies++
				}
				if strings.Contains(body, "did not immediately respond to a request for comment") &&
					strings.Contains(body, "we're not going to") && strings.Contains(body, ", a spokesperson for the ") {
					framed++
				}
				if shape == Uniform {
					for _, w := range strings.FieldsFunc(strings.ToLower(body), func(r rune) bool { return !('a' <= r && r <= 'z') }) {
						words[w] = true
					}
				}
			}
			switch shape {
			case Wire:
				if len(outlets) != 1 || len(stories) != 0 {
					t.Errorf("%d outlets and %d stories, want 1 and none", len(outlets), len(stories))
				}
			case Copied:
				if copies != n/2 {
					t.Errorf("the release is in %d articles, want %d", copies, n/2)
				}
			case Frames:
				if framed != n {
					t.Errorf("%d of %d articles have the stock phrase and both quote frames", framed, n)
				}
			case Uniform:
				if len(words) != 70 {
					t.Errorf("%d distinct words, want 70", len(words))
				}
			}
			if shape != Wire && len(stories) != n/8 {
				t.Errorf("%d stories, want %d", len(stories), n/8)
			}
		})
	}
}

// TestWireUpdates checks that the wire updates repeat their original.
func TestWireUpdates(t *testing.T) {
	g := New(Wire, 500)
	updates := 0
	for i := range 500 {
		if o := wireOriginal(i); o != i {
			updates++
			orig, upd := g.Article(o, ""), g.Article(i, "")
			shared := 0
			for _, p := range strings.Split(orig, "\n\n")[2:] {
				if strings.Contains(upd, p) {
					shared++
				}
			}
			if shared < 2 {
				t.Errorf("update %d of %d shares %d paragraphs", i, o, shared)
			}
		}
	}
	if updates < 60 || updates > 140 {
		t.Errorf("%d updates in 500 stories, want about 100", updates)
	}
}
