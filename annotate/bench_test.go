package annotate_test

import (
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/archive-project/archive/annotate"
	"github.com/archive-project/archive/annotate/synth"
)

// Benchmarks over corpora of ~800-word articles from package synth: plain
// (quotes and outlet furniture only) and hard (also quote frames,
// attribution formulas, stock phrases in most articles, wire copy in
// hundreds of articles, notes and repeats). The 100,000-article corpora
// (about 90 million words) run only when named, e.g. -bench 'Find/hard/100k',
// or with ANNOTATE_BENCH_LARGE=1:
//
//	go test ./annotate -run '^$' -bench 'Find/.*/(1k|10k)$' -benchtime 3x -count 5
//	go test ./annotate -run '^$' -bench 'Find/hard/100k' -benchtime 1x -count 3 -timeout 60m
//
// Each reports ns/op, cpu-s/op (user+system time of the process: steadier
// than wall time on a shared machine), peak-MB (the highest heap in use
// during Find, less the heap before it, sampled every 5 ms), heap-MB (the
// highest heap, corpus included) and the words of the corpus. With
// ANNOTATE_BENCH_TRACE=1 each stage of Find writes its time (wall, and the
// CPU time of the process), the heap after it and its highest heap to stderr; with ANNOTATE_BENCH_HEAPPROF=DIR each stage also
// writes a heap profile (in use after a collection) to DIR/NAME-STAGE.heap.

var corpora sync.Map // name -> []annotate.Document

// benchCorpus returns the documents of a generated corpus (only them: the
// ground truth is not kept, so the heap holds what a caller would).
func benchCorpus(n int, plain bool) []annotate.Document {
	key := fmt.Sprint(n, plain)
	if c, ok := corpora.Load(key); ok {
		return c.([]annotate.Document)
	}
	docs := synth.Generate(synth.Config{Articles: n, Words: 800, Seed: 42, Plain: plain}).Docs
	corpora.Store(key, docs)
	return docs
}

func BenchmarkFind(b *testing.B) {
	for _, shape := range []string{"plain", "hard"} {
		for _, size := range benchSizes {
			b.Run(shape+"/"+size.name, func(b *testing.B) {
				skipLarge(b, size.n, size.name)
				docs := benchCorpus(size.n, shape == "plain")
				words := 0
				for _, d := range docs {
					words += len(strings.Fields(d.Text))
				}
				benchFind(b, words, func() ([]annotate.Passage, error) { return annotate.Find(docs) })
			})
		}
	}
}

// BenchmarkFindFrom is BenchmarkFind with the texts read from a file when
// Find needs them (annotate.FindFrom), as a site's build reads articles:
// the corpus is not in the heap (heap-MB is Find's and the documents'
// IDs and dates). The log line "passages sha256" is the same as
// BenchmarkFind's for the same corpus.
//
//	go test ./annotate -run '^$' -bench 'Find(From)?/hard/100k' -benchtime 1x -count 3 -timeout 90m
func BenchmarkFindFrom(b *testing.B) {
	for _, shape := range []string{"plain", "hard"} {
		for _, size := range benchSizes {
			b.Run(shape+"/"+size.name, func(b *testing.B) {
				skipLarge(b, size.n, size.name)
				docs := synth.Generate(synth.Config{Articles: size.n, Words: 800, Seed: 42, Plain: shape == "plain"}).Docs
				f, err := os.Create(filepath.Join(b.TempDir(), "texts"))
				if err != nil {
					b.Fatal(err)
				}
				defer f.Close()
				metas := make([]annotate.Document, len(docs))
				at := make([][2]int64, len(docs))
				var off int64
				words := 0
				for i, d := range docs {
					if _, err := f.WriteString(d.Text); err != nil {
						b.Fatal(err)
					}
					words += len(strings.Fields(d.Text))
					at[i] = [2]int64{off, int64(len(d.Text))}
					off += int64(len(d.Text))
					metas[i] = annotate.Document{ID: d.ID, Date: d.Date, Source: d.Source}
				}
				quoted := make([][]annotate.Span, len(docs))
				for i, d := range docs {
					quoted[i] = d.Quoted
				}
				docs = nil
				runtime.GC()
				load := func(i int) (string, []annotate.Span, error) {
					buf := make([]byte, at[i][1])
					if _, err := f.ReadAt(buf, at[i][0]); err != nil {
						return "", nil, err
					}
					return unsafe.String(unsafe.SliceData(buf), len(buf)), quoted[i], nil
				}
				benchFind(b, words, func() ([]annotate.Passage, error) { return annotate.FindFrom(metas, load) })
			})
		}
	}
}

var benchSizes = []struct {
	name string
	n    int
}{{"1k", 1000}, {"10k", 10000}, {"30k", 30000}, {"100k", 100000}}

// skipLarge skips the 100,000-article corpora unless they are named.
func skipLarge(b *testing.B, n int, name string) {
	if n >= 100000 && os.Getenv("ANNOTATE_BENCH_LARGE") == "" && !strings.Contains(flag.Lookup("test.bench").Value.String(), name) {
		b.Skip("100k articles: name it in -bench or set ANNOTATE_BENCH_LARGE=1")
	}
}

// benchFind runs find b.N times and reports its figures (see above).
func benchFind(b *testing.B, words int, find func() ([]annotate.Passage, error)) {
	if os.Getenv("ANNOTATE_BENCH_TRACE") != "" || os.Getenv("ANNOTATE_BENCH_HEAPPROF") != "" {
		cpu0 := annotate.CPUTime()
		// The highest heap in use during each stage, sampled every 5 ms.
		var stagePeak atomic.Uint64
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			t := time.NewTicker(5 * time.Millisecond)
			defer t.Stop()
			for {
				if h := annotate.HeapInUse(); h > stagePeak.Load() {
					stagePeak.Store(h)
				}
				select {
				case <-stop:
					return
				case <-t.C:
				}
			}
		}()
		annotate.TraceStages(func(stage string, took time.Duration) {
			cpu := annotate.CPUTime()
			fmt.Fprintf(os.Stderr, "%s: %-9s %6.2f s, %6.2f cpu-s, heap %5d MB, peak %5d MB\n", b.Name(), stage, took.Seconds(), (cpu - cpu0).Seconds(), annotate.HeapInUse()>>20, stagePeak.Swap(0)>>20)
			cpu0 = cpu
			if dir := os.Getenv("ANNOTATE_BENCH_HEAPPROF"); dir != "" {
				writeHeapProfile(b, filepath.Join(dir, strings.ReplaceAll(b.Name(), "/", "-")+"-"+stage+".heap"))
			}
		})
		defer annotate.TraceStages(nil)
	}
	var ps []annotate.Passage
	var cpu time.Duration
	peak, base := annotate.HeapPeak(func() {
		cpu0 := annotate.CPUTime()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			var err error
			ps, err = find()
			if err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		cpu = annotate.CPUTime() - cpu0
	})
	js, err := json.Marshal(ps)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("passages sha256 %x", sha256.Sum256(js))
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(float64(peak-min(base, peak))/(1<<20), "peak-MB")
	b.ReportMetric(float64(peak)/(1<<20), "heap-MB")
	b.ReportMetric(float64(len(ps)), "passages")
	b.ReportMetric(float64(words), "words") // after ResetTimer, which deletes metrics
}

// writeHeapProfile writes the heap in use, after a collection, to file.
func writeHeapProfile(b *testing.B, file string) {
	runtime.GC()
	f, err := os.Create(file)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		b.Fatal(err)
	}
}

func BenchmarkAnchor(b *testing.B) {
	text := benchCorpus(1000, true)[3].Text
	words := strings.Fields(text)
	sel := annotate.Selector{Exact: strings.Join(words[200:215], " ")}
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		if _, err := annotate.Anchor(text, sel); err != nil {
			if _, ok := err.(*annotate.AmbiguousError); !ok {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkFindDegenerate: the bad inputs of issue 11 at 1,000 to 40,000
// documents, to show that the time grows near-linearly: every document the
// same 300-word article ("same"), and one sentence in every document
// ("sentence").
//
//	go test ./annotate -run '^$' -bench FindDegenerate -benchtime 3x -count 5
func BenchmarkFindDegenerate(b *testing.B) {
	for _, shape := range []string{"same", "sentence"} {
		for _, n := range []int{1000, 10000, 20000, 40000} {
			b.Run(fmt.Sprintf("%s/%dk", shape, n/1000), func(b *testing.B) {
				docs := annotate.DegenerateCorpus(shape, n)
				words := 0
				for _, d := range docs {
					words += len(strings.Fields(d.Text))
				}
				b.ResetTimer()
				cpu0 := annotate.CPUTime()
				var peak uint64
				var ps []annotate.Passage
				for b.Loop() {
					peak = max(peak, annotate.HeapGrowth(func() {
						var err error
						if ps, err = annotate.Find(docs); err != nil {
							b.Fatal(err)
						}
					}))
				}
				b.ReportMetric((annotate.CPUTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
				b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
				b.ReportMetric(float64(len(ps)), "passages")
				b.ReportMetric(float64(words), "words")
			})
		}
	}
}
