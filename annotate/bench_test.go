package annotate

import (
	"flag"
	"os"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Benchmarks over generated corpora of ~800-word articles. The 100,000
// article corpus (about 500 MB of text) runs only when asked for by name,
// e.g. -bench 'Find/100k', or with ANNOTATE_BENCH_LARGE=1:
//
//	go test ./annotate -run '^$' -bench 'Find/(1k|10k)$' -benchtime 5x
//	go test ./annotate -run '^$' -bench 'Find/100k' -benchtime 3x -timeout 30m
//
// Each reports ns/op, cpu-s/op (user+system time of the process: steadier
// than wall time on a shared machine), peak-MB (the highest heap in use
// during Find, less the heap before it, sampled every 10 ms) and heap-MB
// (the highest heap, corpus included).
//
// Measured 2026-11-21 on the 2-core build machine while other jobs kept
// its load average at 7-20 (-benchtime 1x -count 3..5, medians):
//
//	articles  wall      cpu-s   peak-MB  heap-MB
//	1k        0.12 s    0.078      12       19
//	10k       0.78 s    0.80       98      165
//	100k      14.0 s    11.8     1108     1770   (best 9.6 s; max RSS 1.9 GB)
//
// Growth exponent of cpu time: 1.03 from 1k to 10k, 1.12 from 10k to 100k.

var corpora sync.Map // size -> []Document

// benchCorpus returns the documents of a generated corpus (only them: the
// ground truth is not kept, so the heap holds what a caller would).
func benchCorpus(n int) []Document {
	if c, ok := corpora.Load(n); ok {
		return c.([]Document)
	}
	docs := genCorpus(n, 800, 42).docs
	corpora.Store(n, docs)
	return docs
}

func BenchmarkFind(b *testing.B) {
	for _, size := range []struct {
		name string
		n    int
	}{{"1k", 1000}, {"10k", 10000}, {"100k", 100000}} {
		b.Run(size.name, func(b *testing.B) {
			if size.n >= 100000 && os.Getenv("ANNOTATE_BENCH_LARGE") == "" && !strings.Contains(flag.Lookup("test.bench").Value.String(), size.name) {
				b.Skip("100k articles: name it in -bench or set ANNOTATE_BENCH_LARGE=1")
			}
			docs := benchCorpus(size.n)
			words := 0
			for _, d := range docs {
				words += len(strings.Fields(d.Text))
			}
			b.ReportMetric(float64(words)/float64(len(docs)), "words/article")
			runtime.GC()
			base := heapInUse()
			var peak uint64
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() {
				defer close(done)
				t := time.NewTicker(10 * time.Millisecond)
				defer t.Stop()
				for {
					peak = max(peak, heapInUse())
					select {
					case <-stop:
						return
					case <-t.C:
					}
				}
			}()
			cpu0 := cpuTime()
			b.ResetTimer()
			var ps []Passage
			for i := 0; i < b.N; i++ {
				var err error
				ps, err = Find(docs)
				if err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
			close(stop)
			<-done
			b.ReportMetric(float64(peak-min(base, peak))/(1<<20), "peak-MB")
			b.ReportMetric(float64(peak)/(1<<20), "heap-MB")
			b.ReportMetric(float64(len(ps)), "passages")
		})
	}
}

// cpuTime is the user and system time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// heapInUse reads the heap in use without stopping the world.
func heapInUse() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64() + s[1].Value.Uint64()
}

func BenchmarkAnchor(b *testing.B) {
	text := benchCorpus(1000)[3].Text
	words := strings.Fields(text)
	sel := Selector{Exact: strings.Join(words[200:215], " ")}
	b.SetBytes(int64(len(text)))
	for i := 0; i < b.N; i++ {
		if _, err := Anchor(text, sel); err != nil {
			if _, ok := err.(*AmbiguousError); !ok {
				b.Fatal(err)
			}
		}
	}
}

// TestBenchCorpusShape keeps the benchmark corpus honest: about 800 words
// an article and quotes planted in it.
func TestBenchCorpusShape(t *testing.T) {
	c := genCorpus(200, 800, 42)
	words := 0
	for _, d := range c.docs {
		words += len(strings.Fields(d.Text))
	}
	avg := words / len(c.docs)
	if avg < 750 || avg > 1000 {
		t.Errorf("%d words an article, want about 800", avg)
	}
	if q := len(c.plants) - len(c.docs); q < len(c.docs)/2 {
		t.Errorf("%d planted quotes in %d articles", q, len(c.docs))
	}
}
