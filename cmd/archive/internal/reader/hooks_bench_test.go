package reader

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/archive-project/archive/cmd/archive/internal/annotations"
	"github.com/archive-project/archive/cmd/archive/internal/benchgen"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// BenchmarkHooksUnchanged times what the reader's hooks cost a build of a
// generated archive in which nothing they read changed (an edit to an
// article's body, as `archive serve` answers it): the citations (analyze),
// every passage page's citation (passageCite, which the annotation layer
// calls per passage) and the pages (search, timeline, titles). This is the
// per-build floor that does not depend on what changed.
//
//	ARCHIVE_BENCH_SIZES=10000 go test -run '^$' -bench HooksUnchanged ./cmd/archive/internal/reader/
func BenchmarkHooksUnchanged(b *testing.B) {
	sizes := []int{1000}
	if s := os.Getenv("ARCHIVE_BENCH_SIZES"); s != "" {
		sizes = nil
		for _, f := range strings.Split(s, ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
				sizes = append(sizes, n)
			}
		}
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			if err := benchgen.Archive(dir, n); err != nil {
				b.Fatal(err)
			}
			ann := annotations.NewLive()
			r := New(ann)
			var (
				cfg  site.Config
				arts []*site.Article
				sd   *site.SiteData
			)
			opts := append(ann.Options(), r.Options()...)
			opts = append(opts,
				site.WithSiteAnalysis(func(_ context.Context, c site.Config, as []*site.Article) error {
					cfg, arts = c, as
					return nil
				}),
				site.WithPages(func(s *site.SiteData) ([]site.ExtraPage, error) {
					sd = s
					return nil, nil
				}))
			if _, _, err := site.NewBuilder(os.DirFS(dir), opts...).Build(context.Background(), nil); err != nil {
				b.Fatal(err)
			}
			passages := ann.Passages()
			ctx := context.Background()
			for b.Loop() {
				if err := r.analyze(ctx, cfg, arts); err != nil {
					b.Fatal(err)
				}
				for _, p := range passages {
					if _, err := r.passageCite(p); err != nil {
						b.Fatal(err)
					}
				}
				if _, err := r.pages(sd); err != nil {
					b.Fatal(err)
				}
				r.mu.Lock()
				clear(r.byArt)
				r.mu.Unlock()
			}
		})
	}
}
