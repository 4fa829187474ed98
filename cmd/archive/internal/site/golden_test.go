package site

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current output")

// TestGolden compares the whole built test site with testdata/golden, so
// that every change to the output is reviewed as a diff. Regenerate with
// `go test ./cmd/archive/internal/site -run TestGolden -update`.
func TestGolden(t *testing.T) {
	out, err := Build(context.Background(), testSite())
	if err != nil {
		t.Fatal(err)
	}
	// Scripts in layouts/ belong to the features that ship them (search.js)
	// and are published as they are; they are not this test's business.
	var paths []string
	for _, p := range out.Paths() {
		if filepath.Ext(p) != ".js" {
			paths = append(paths, p)
		}
	}
	dir := filepath.Join("testdata", "golden")
	if *update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		for _, p := range paths {
			b, _ := out.Bytes(p)
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
	seen := map[string]bool{}
	for _, p := range paths {
		seen[p] = true
		have, _ := out.Bytes(p)
		want, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			t.Errorf("%s: no golden file (run with -update and review the diff)", p)
			continue
		}
		if !bytes.Equal(have, want) {
			t.Errorf("%s differs from testdata/golden (run with -update and review the diff):\n%s", p, firstDiff(have, want))
		}
	}
	_ = fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !seen[p] {
			t.Errorf("testdata/golden/%s is no longer built", p)
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
