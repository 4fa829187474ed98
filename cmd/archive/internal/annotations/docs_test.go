package annotations

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/archive-project/archive/cmd/archive/internal/article"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// TestDocsOf: the documents come in the articles' order, each reading
// its own article's body, and a done context stops docsOf (archive serve
// stops a follow-up build for the next edit).
func TestDocsOf(t *testing.T) {
	var arts []*site.Article
	for i := range 1000 {
		arts = append(arts, &site.Article{Src: &article.Article{Path: fmt.Sprintf("content/%d.md", i),
			Body: fmt.Appendf(nil, "Body %d.\n", i), BodyLine: 4}})
	}
	done, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		err  error
	}{
		{"running", context.Background(), nil},
		{"stopped", done, context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, lazy := range []bool{false, true} {
				docs, err := docsOf(tc.ctx, arts, lazy)
				if !errors.Is(err, tc.err) {
					t.Fatalf("lazy %v: error %v, want %v", lazy, err, tc.err)
				}
				if tc.err != nil {
					continue
				}
				for i, d := range docs {
					body, err := d.body()
					if d.Key != arts[i].Src.Path || err != nil || body != string(arts[i].Src.Body) || d.BodyLine != 4 || (d.Read != nil) != lazy {
						t.Fatalf("lazy %v: doc %d is %+v with body %q, %v; want %s's", lazy, i, d, body, err, arts[i].Src.Path)
					}
				}
			}
		})
	}
}
