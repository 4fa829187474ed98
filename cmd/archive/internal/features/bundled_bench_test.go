package features_test

import (
	"context"
	"os"
	"testing"

	"github.com/archive-project/archive/cmd/archive/internal/annotations"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// BenchmarkBuildBundled measures a full build of the bundled archive with
// the annotations feature alone and with search added, to show what
// search costs a build.
func BenchmarkBuildBundled(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts func() []site.Option
	}{
		{"annotations", func() []site.Option { return []site.Option{site.WithFeatures(annotations.New())} }},
		{"annotations+search", options},
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
