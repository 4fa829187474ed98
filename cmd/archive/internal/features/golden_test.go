package features

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/archive-project/archive/cmd/archive/internal/site"
)

var update = flag.Bool("update", false, "rewrite testdata/seed from the current build of the bundled archive")

// repoRoot is the repository root, which is also the bundled archive's root.
var repoRoot = filepath.Join("..", "..", "..", "..")

// stylesheetName is the fingerprinted stylesheet's name, which every page
// links: it is compared as style.HASH.css, so that a change to style.css
// shows once (in its own golden file), not as a change to every page.
var stylesheetName = regexp.MustCompile(`style\.[0-9a-f]{10}\.css`)

// TestSeedGolden compares every file of the bundled archive, built with
// every feature as `archive build` builds it, with testdata/seed, so that
// each change to what readers get is reviewed as a diff: article, passage,
// outlet and seed pages, lists, JSON-LD, the search index. Regenerate with
//
//	go test ./cmd/archive/internal/features -run TestSeedGolden -update
//
// and read the diff before committing it. Scripts (layouts/*.js) are the
// layouts' own and are left out.
func TestSeedGolden(t *testing.T) {
	out, err := site.Build(context.Background(), os.DirFS(repoRoot), Options()...)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, p := range out.Paths() {
		if filepath.Ext(p) == ".js" {
			continue
		}
		b, _ := out.Bytes(p)
		files[stylesheetName.ReplaceAllString(p, "style.HASH.css")] = stylesheetName.ReplaceAll(b, []byte("style.HASH.css"))
	}
	dir := filepath.Join("testdata", "seed")
	if *update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		for p, b := range files {
			f := filepath.Join(dir, filepath.FromSlash(p))
			if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(f, b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	for p, have := range files {
		want, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			t.Errorf("%s: no golden file (run with -update and review the diff)", p)
			continue
		}
		if !bytes.Equal(have, want) {
			t.Errorf("%s differs from testdata/seed (run with -update and review the diff):\n%s", p, firstDiff(have, want))
		}
	}
	_ = fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if _, ok := files[p]; !ok {
				t.Errorf("testdata/seed/%s is no longer built", p)
			}
		}
		return nil
	})
}

// firstDiff shows the first differing line of have and want.
func firstDiff(have, want []byte) string {
	h, w := bytes.Split(have, []byte("\n")), bytes.Split(want, []byte("\n"))
	for i := 0; i < len(h) || i < len(w); i++ {
		var hl, wl []byte
		if i < len(h) {
			hl = h[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if !bytes.Equal(hl, wl) {
			return "line " + strconv.Itoa(i+1) + ":\nhave " + string(hl) + "\nwant " + string(wl)
		}
	}
	return ""
}
