package benchgen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archive-project/archive/annotate"
	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// TestShapes checks that each shape makes valid content files with the
// properties its doc comment promises, the same for the same i.
func TestShapes(t *testing.T) {
	const n = 1000
	for _, shape := range AllShapes {
		t.Run(string(shape), func(t *testing.T) {
			g := New(shape, n)
			outlets, stories := map[string]bool{}, map[string]bool{}
			copies, framed, blocks := 0, 0, 0
			words := map[string]bool{}
			for i := range n {
				src := g.Article(i, "")
				if again := g.Article(i, ""); again != src {
					t.Fatalf("article %d differs between two calls", i)
				}
				if edited := g.Article(i, " EDIT"); !strings.Contains(edited, " EDIT") || len(edited) != len(src)+5 {
					t.Fatalf("article %d: the edit is not the only change", i)
				} else if shape != Stories && i%50 == 0 && EditFile(src, " EDIT") != edited {
					t.Fatalf("article %d: EditFile and Article disagree:\n%s\n%s", i, EditFile(src, " EDIT"), edited)
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
				if strings.Contains(body, "we're not going to") || strings.Contains(body, ", a spokesperson for the ") {
					framed++
				}
				if strings.Contains(body, "\n> ") {
					blocks++
				}
				if shape == Uniform {
					for _, w := range strings.FieldsFunc(strings.ToLower(body), func(r rune) bool { return !('a' <= r && r <= 'z') }) {
						words[w] = true
					}
				}
			}
			if g.corpus != nil { // a synth shape: stock phrases everywhere, quotes in frames
				stock := map[int]bool{}
				for _, cp := range g.corpus.Copies {
					if g.corpus.Texts[cp.Text].Kind == annotate.Stock {
						stock[cp.Doc] = true
					}
				}
				if len(stock) != n {
					t.Errorf("%d of %d articles have a stock phrase", len(stock), n)
				}
				if framed < n/5 || blocks < n/20 {
					t.Errorf("%d articles with a quote in a frame, %d with a block quote, of %d", framed, blocks, n)
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

// TestPrepareCorpus writes the archives that the benchmarks would write on
// their first run (benchgen.Corpus), ahead of time:
//
//	ARCHIVE_BENCH_PREPARE=1 ARCHIVE_BENCH_SHAPES=hard ARCHIVE_BENCH_SIZES=100000 \
//	    go test -run PrepareCorpus -timeout 2h ./cmd/archive/internal/benchgen/
func TestPrepareCorpus(t *testing.T) {
	if os.Getenv("ARCHIVE_BENCH_PREPARE") == "" {
		t.Skip("set ARCHIVE_BENCH_PREPARE=1 to write the benchmark archives")
	}
	shapes, err := ParseShapes(os.Getenv("ARCHIVE_BENCH_SHAPES"), Hard)
	if err != nil {
		t.Fatal(err)
	}
	sizes, err := ParseSizes(os.Getenv("ARCHIVE_BENCH_SIZES"), []int{10000})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range sizes {
		for _, s := range shapes {
			site, _, err := Corpus(os.Getenv, s, n)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s/%d: %s", s, n, site)
		}
	}
}

// Warm reads every file CountBytes counts, all of each, and fails on a
// file it cannot read.
func TestWarm(t *testing.T) {
	dir := t.TempDir()
	big := make([]byte, 200_000) // more than one read
	for p, b := range map[string][]byte{"a.md": []byte("one"), "d/e/b.md": big, "d/empty": nil} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, p), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, bytes, err := Warm(dir)
	cf, cb, _ := CountBytes(dir)
	if err != nil || files != 3 || bytes != 200_003 || files != cf || bytes != cb {
		t.Fatalf("Warm = %d files, %d bytes, %v; want 3, 200003 (CountBytes %d, %d)", files, bytes, err, cf, cb)
	}
	if os.Getuid() != 0 {
		os.Chmod(filepath.Join(dir, "a.md"), 0)
		if _, _, err := Warm(dir); err == nil {
			t.Error("Warm read a file it may not read")
		}
	}
}
