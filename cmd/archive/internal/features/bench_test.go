package features

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"testing"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/benchgen"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// BenchmarkLiveEdit times, in process, the builds `archive serve` makes for
// an edit to one article of a generated archive (package benchgen, as the
// end-to-end BenchmarkServeEditToReload in cmd/archive): the build that
// answers the edit with the passages carried over ("edit", what the
// editor waits for), and the follow-up that finds them anew ("exact").
//
//	go test -run '^$' -bench LiveEdit -benchtime 20x ./cmd/archive/internal/features/
//
// ARCHIVE_BENCH_SIZES=1000 picks the sizes (default 1,000 and 10,000) and
// ARCHIVE_BENCH_SHAPES the archives (package benchgen's shapes; default
// all: stories, wire, copied, frames, uniform). A benchmark whose process
// grows past ARCHIVE_BENCH_MEM (default 8GiB) resident ends the test binary
// with "did not finish" and the benchmark's name.
// ARCHIVE_BENCH_HEAPPROFILE=/tmp/heap writes /tmp/heap.<shape>.<size>, a heap
// profile taken while the builder holds the site (what serve keeps between
// edits; -memprofile is written after the builder is gone).
// Builds run under the pprof label build=edit or build=exact, so a CPU
// profile of one kind is `go tool pprof -tagfocus build=edit`.
func BenchmarkLiveEdit(b *testing.B) {
	sizes, err := benchgen.ParseSizes(os.Getenv("ARCHIVE_BENCH_SIZES"), []int{1000, 10000})
	if err != nil {
		b.Fatal(err)
	}
	shapes, err := benchgen.ParseShapes(os.Getenv("ARCHIVE_BENCH_SHAPES"), benchgen.AllShapes)
	if err != nil {
		b.Fatal(err)
	}
	lim, err := benchgen.LimitsFromEnv(os.Getenv)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range sizes {
		for _, shape := range shapes {
			g := benchgen.New(shape, n)
			b.Run(fmt.Sprintf("%s/articles=%d", shape, n), func(b *testing.B) {
				b.Cleanup(benchgen.GuardMemory(b.Name(), lim.Memory))
				liveEdit(b, g)
			})
		}
	}
}

func liveEdit(b *testing.B, g *benchgen.Gen) {
	n := g.N
	dir := b.TempDir()
	if err := g.WriteAll(dir); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	bl := site.NewBuilder(os.DirFS(dir), LiveOptions()...)
	if _, _, err := bl.Build(ctx, nil); err != nil {
		b.Fatal(err)
	}
	var edit, exact []time.Duration
	var editAlloc uint64
	build := func(kind string, changed []string) {
		var m0, m1 runtime.MemStats
		if kind == "edit" {
			runtime.ReadMemStats(&m0)
		}
		start := time.Now()
		var err error
		pprof.Do(ctx, pprof.Labels("build", kind), func(ctx context.Context) {
			_, _, err = bl.Build(ctx, changed)
		})
		if err != nil {
			b.Fatal(err)
		}
		if kind == "edit" {
			edit = append(edit, time.Since(start))
			runtime.ReadMemStats(&m1)
			editAlloc += m1.TotalAlloc - m0.TotalAlloc
		} else {
			exact = append(exact, time.Since(start))
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i * 97 % n
		if err := benchgen.Write(dir, g.Path(k), g.Article(k, fmt.Sprintf(" edit %d", i))); err != nil {
			b.Fatal(err)
		}
		build("edit", []string{g.Path(k)})
		if !bl.Pending() {
			b.Fatalf("edit %d was not carried over", i)
		}
		build("exact", []string{})
	}
	b.StopTimer()
	b.ReportMetric(median(edit), "edit-ms")
	b.ReportMetric(median(exact), "exact-ms")
	b.ReportMetric(float64(editAlloc)/float64(b.N)/(1<<20), "edit-alloc-MB")
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if p := os.Getenv("ARCHIVE_BENCH_HEAPPROFILE"); p != "" {
		writeHeapProfile(b, fmt.Sprintf("%s.%s.%d", p, g.Shape, n))
	}
	runtime.KeepAlive(bl) // the heap is what serve holds between edits
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
	b.ReportMetric(0, "ns/op")
}

func median(ds []time.Duration) float64 {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return float64(s[len(s)/2]) / float64(time.Millisecond)
}

func writeHeapProfile(b *testing.B, path string) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}
