package site

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/benchgen"
)

// Benchmarks of this package alone (no annotation layer), on package
// benchgen's archives. BenchmarkBuild times the in-process build;
// BenchmarkIncremental a rebuild after one article changed;
// BenchmarkVersusHugo builds the same Markdown as a separate process with
// this package (a re-executed test binary) and with Hugo (when `hugo` is on
// PATH, with benchgen.HugoSite's minimal layouts) and reports wall time per
// article and peak RSS of each. Run, for example:
//
//	go test -run '^$' -bench . -benchtime 1x -count 3 ./cmd/archive/internal/site/
//
// ARCHIVE_BENCH_SIZES (default 1000,10000) and ARCHIVE_BENCH_SHAPES
// (default all: stories, wire, copied, frames, uniform) choose the
// archives; they are written once under ARCHIVE_BENCH_DIR (default
// <tmp>/archive-bench) and kept. ARCHIVE_BENCH_MEM (default 8GiB) bounds
// the resident memory of this process and of the child.

type benchCase struct {
	name string
	n    int
	dir  string // the site root
	hugo string // the Hugo site of the same content
	g    *benchgen.Gen
}

func benchCases(b *testing.B) []benchCase {
	b.Helper()
	sizes, err := benchgen.ParseSizes(os.Getenv("ARCHIVE_BENCH_SIZES"), []int{1000, 10000})
	if err != nil {
		b.Fatal(err)
	}
	shapes, err := benchgen.ParseShapes(os.Getenv("ARCHIVE_BENCH_SHAPES"), benchgen.AllShapes)
	if err != nil {
		b.Fatal(err)
	}
	var out []benchCase
	for _, n := range sizes {
		for _, shape := range shapes {
			dir, hugo, err := benchgen.Corpus(os.Getenv, shape, n)
			if err != nil {
				b.Fatal(err)
			}
			out = append(out, benchCase{fmt.Sprintf("%s/articles=%d", shape, n), n, dir, hugo, benchgen.New(shape, n)})
		}
	}
	return out
}

func guardMemory(b *testing.B) benchgen.Limits {
	lim, err := benchgen.LimitsFromEnv(os.Getenv)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(benchgen.GuardMemory(b.Name(), lim.Memory))
	return lim
}

func BenchmarkBuild(b *testing.B) {
	for _, c := range benchCases(b) {
		b.Run(c.name, func(b *testing.B) {
			guardMemory(b)
			dest := filepath.Join(b.TempDir(), "public")
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				out, err := Build(context.Background(), os.DirFS(c.dir))
				if err != nil {
					b.Fatal(err)
				}
				if err := out.Publish(dest); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(c.n), "ns/article")
		})
	}
}

// BenchmarkIncremental times a rebuild after one article changed.
func BenchmarkIncremental(b *testing.B) {
	for _, c := range benchCases(b) {
		b.Run(c.name, func(b *testing.B) {
			guardMemory(b)
			bl := NewBuilder(os.DirFS(c.dir))
			if _, _, err := bl.Build(context.Background(), nil); err != nil {
				b.Fatal(err)
			}
			rel := c.g.Path(7)
			defer benchgen.Write(c.dir, rel, c.g.Article(7, ""))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := benchgen.Write(c.dir, rel, c.g.Article(7, fmt.Sprintf(" edit %d", i))); err != nil {
					b.Fatal(err)
				}
				if _, _, err := bl.Build(context.Background(), []string{rel}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestBenchHelperBuild is the child process of BenchmarkVersusHugo.
func TestBenchHelperBuild(t *testing.T) {
	src, dst := os.Getenv("ARCHIVE_BENCH_SRC"), os.Getenv("ARCHIVE_BENCH_DST")
	if src == "" {
		t.Skip("run by BenchmarkVersusHugo")
	}
	out, err := Build(context.Background(), os.DirFS(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Publish(dst); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkVersusHugo(b *testing.B) {
	hugo, herr := exec.LookPath("hugo")
	for _, c := range benchCases(b) {
		b.Run(c.name, func(b *testing.B) {
			lim := guardMemory(b)
			var ours, theirs []time.Duration
			var oursMB, theirsMB float64
			for i := 0; i < b.N; i++ {
				dst := filepath.Join(b.TempDir(), "public")
				cmd := exec.Command(os.Args[0], "-test.run=^TestBenchHelperBuild$", "-test.count=1")
				cmd.Env = append(os.Environ(), "ARCHIVE_BENCH_SRC="+c.dir, "ARCHIVE_BENCH_DST="+dst)
				o := benchgen.Run(cmd, lim)
				if !o.Finished() {
					b.Fatalf("site build %s: %s", c.name, o.Status())
				}
				ours = append(ours, o.Wall)
				oursMB = max(oursMB, benchgen.MB(o.PeakRSS))
				if herr == nil {
					o := benchgen.Run(exec.Command(hugo, "--source", c.hugo, "--destination", filepath.Join(b.TempDir(), "hugo"), "--quiet"), lim)
					if !o.Finished() {
						b.Fatalf("hugo %s: %s", c.name, o.Status())
					}
					theirs = append(theirs, o.Wall)
					theirsMB = max(theirsMB, benchgen.MB(o.PeakRSS))
				}
			}
			b.ReportMetric(float64(median(ours).Nanoseconds())/float64(c.n), "archive-ns/article")
			b.ReportMetric(oursMB, "archive-peakRSS-MB")
			if herr == nil {
				b.ReportMetric(float64(median(theirs).Nanoseconds())/float64(c.n), "hugo-ns/article")
				b.ReportMetric(theirsMB, "hugo-peakRSS-MB")
			} else {
				b.Log("hugo not on PATH: only this package measured")
			}
		})
	}
}

func median(ds []time.Duration) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}
