package features

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/archive-project/archive/cmd/archive/internal/benchgen"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// TestOnlyBuildSameSite checks that the only build of its Builder
// (site.Build, BuildTo: archive build), in which the passages let go of
// their alignments once their pages are rendered and search of what it
// read (site.Site.Only), makes the same site as a Builder's builds, which
// keep them for the next: on the bundled archive and on copied passages
// whose pages are paginated.
func TestOnlyBuildSameSite(t *testing.T) {
	dir := t.TempDir()
	if err := benchgen.New(benchgen.Copied, 300).WriteAll(dir); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		root  string
		paged bool // some passage has pages beyond its first
	}{
		{name: "bundled archive", root: repoRoot},
		{name: "copied 300", root: dir, paged: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := site.Build(ctx, os.DirFS(tc.root), Options()...)
			if err != nil {
				t.Fatal(err)
			}
			b := site.NewBuilder(os.DirFS(tc.root), Options()...)
			for _, build := range []string{"first build", "second build"} {
				got, _, err := b.Build(ctx, nil)
				if err != nil {
					t.Fatal(err)
				}
				paged := false
				for _, p := range want.Paths() {
					w, _ := want.Bytes(p)
					g, ok := got.Bytes(p)
					if !ok || !bytes.Equal(g, w) {
						t.Errorf("%s: %s differs from the only build", build, p)
					}
					paged = paged || strings.HasPrefix(p, "passages/p-") && strings.Contains(p, "/page/2/")
				}
				if len(got.Paths()) != len(want.Paths()) {
					t.Errorf("%s: %d files, the only build made %d", build, len(got.Paths()), len(want.Paths()))
				}
				if paged != tc.paged {
					t.Errorf("%s: a passage with several pages = %v, want %v", build, paged, tc.paged)
				}
			}
		})
	}
}
