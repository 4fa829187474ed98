package reader_test

import (
	"context"
	"os"
	"testing"

	"github.com/archive-project/archive/cmd/archive/internal/annotations"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// BenchmarkBuildBundled measures a full build of the bundled archive with
// the annotations layer alone and with the reader features added, to show
// what search, citations, the timeline and titles cost a build.
func BenchmarkBuildBundled(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts func() []site.Option
	}{
		{"annotations", func() []site.Option { return annotations.New().Options() }},
		{"annotations+reader", options},
	} {
		b.Run(bc.name, func(b *testing.B) {
			fsys := os.DirFS(repoRoot)
			for b.Loop() {
				if _, err := site.Build(context.Background(), fsys, bc.opts()...); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
