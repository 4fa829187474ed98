package snapshot

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Benchmarks package a generated site of n articles: per article an HTML
// page of about 8 KB, a Markdown source of about 3 KB and a seed of about
// 3 KB, written to a temporary folder and read through os.DirFS, so the
// input is not in the process's memory. Output goes to io.Discard. They
// report MB/s of payload and peak-MB, the most memory the Go runtime held
// from the OS during the run (sampled every 5 ms), and maxRSS-MB for the
// whole test process. Run them one at a time on a shared machine:
//
//	go test -run '^$' -bench . -benchtime 1x -count 5 ./cmd/archive/internal/snapshot/

var (
	benchSites   = map[int]Sources{}
	benchBytes   = map[int][2]int64{} // all payload bytes, site bytes
	benchMu      sync.Mutex
	benchCleanup []string
)

func TestMain(m *testing.M) {
	code := m.Run()
	for _, d := range benchCleanup {
		os.RemoveAll(d)
	}
	os.Exit(code)
}

// benchSite generates (once per process) a site of n articles on disk.
// It returns the bytes of the whole payload and of the site alone.
func benchSite(b *testing.B, n int) (Sources, [2]int64) {
	benchMu.Lock()
	defer benchMu.Unlock()
	if s, ok := benchSites[n]; ok {
		return s, benchBytes[n]
	}
	root, err := os.MkdirTemp("", "snapshot-bench-")
	if err != nil {
		b.Fatal(err)
	}
	benchCleanup = append(benchCleanup, root)
	words := strings.Fields("interpol encryption resolution draft police child abuse end-to-end messaging facebook " +
		"whatsapp signal fbi agencies lawful access backdoor privacy security governments statement conference " +
		"lyon november tech companies platforms predators investigators warrant data users")
	rng := rand.New(rand.NewPCG(1, 2))
	text := func(size int) string {
		var s strings.Builder
		for s.Len() < size {
			s.WriteString(words[rng.IntN(len(words))])
			if rng.IntN(12) == 0 {
				s.WriteString(".\n")
			} else {
				s.WriteByte(' ')
			}
		}
		return s.String()
	}
	var total, site int64
	write := func(p, s string) {
		p = filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			b.Fatal(err)
		}
		total += int64(len(s))
		if strings.HasPrefix(p, filepath.Join(root, "site")) {
			site += int64(len(s))
		}
	}
	for i := range n {
		slug := fmt.Sprintf("article-%05d", i)
		body := text(7000)
		write("site/articles/"+slug+"/index.html", `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>`+
			slug+`</title><link rel="stylesheet" href="/style.css"></head><body><main><h1>`+slug+`</h1><p>`+
			strings.ReplaceAll(body, "\n", "</p>\n<p>")+`</p></main></body></html>`)
		write("content/"+slug+".md", "---\ntitle: "+slug+"\ndate: 2019-11-18\n---\n"+text(3000))
		write("seeds/"+slug+".txt", text(3000))
	}
	write("site/index.html", "<!doctype html><title>Home</title><p>"+text(8000)+"</p>")
	write("site/style.css", "body { font-family: serif }\n")
	s := Sources{
		Site:    os.DirFS(filepath.Join(root, "site")),
		Content: os.DirFS(filepath.Join(root, "content")),
		Seeds:   os.DirFS(filepath.Join(root, "seeds")),
	}
	benchSites[n], benchBytes[n] = s, [2]int64{total, site}
	return s, benchBytes[n]
}

// peakMemory samples the memory the Go runtime holds from the OS (mapped
// minus released to the OS) until stop is called, and returns the peak in
// bytes. It reads runtime/metrics, which does not stop the world.
func peakMemory() (stop func() uint64) {
	var peak uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	sample := func() {
		metrics.Read(samples)
		if v := samples[0].Value.Uint64() - samples[1].Value.Uint64(); v > peak {
			peak = v
		}
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		sample()
		return peak
	}
}

// cpuSeconds is the user and system time this process has used.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

func maxRSS() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Maxrss) / 1024 // kilobytes on Linux
}

// benchmarkPackage runs write over a site of n articles; siteOnly counts
// only the site's bytes (a WACZ does not hold content/ and seeds/).
func benchmarkPackage(b *testing.B, n int, siteOnly bool, write func(Sources) error) {
	src, sizes := benchSite(b, n)
	total := sizes[0]
	if siteOnly {
		total = sizes[1]
	}
	debug.FreeOSMemory() // start from what the process needs, not what generating the site left
	b.SetBytes(total)
	b.ResetTimer()
	cpu := cpuSeconds()
	stop := peakMemory()
	for range b.N {
		if err := write(src); err != nil {
			b.Fatal(err)
		}
	}
	peak := stop()
	// MB per CPU-second: what the packaging costs, whatever else the
	// machine is running (wall-clock MB/s depends on free cores).
	b.ReportMetric(float64(total)*float64(b.N)/1e6/(cpuSeconds()-cpu), "MB/cpu-s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-MB")
	b.ReportMetric(maxRSS(), "maxRSS-MB")
}

func BenchmarkBag(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("tar/articles=%d", n), func(b *testing.B) {
			benchmarkPackage(b, n, false, func(src Sources) error {
				_, err := WriteBag(context.Background(), NewTarWriter(io.Discard), src, WithTime(testTime))
				return err
			})
		})
	}
}

func BenchmarkWACZ(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			benchmarkPackage(b, n, true, func(src Sources) error {
				_, err := WriteWACZ(context.Background(), io.Discard, src, WithTime(testTime))
				return err
			})
		})
	}
}

func BenchmarkVerifyBag(b *testing.B) {
	src, _ := benchSite(b, 10000)
	dir, err := os.MkdirTemp("", "snapshot-bench-bag-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	f, err := os.Create(filepath.Join(dir, "bag.tar"))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := WriteBag(context.Background(), NewTarWriter(f), src, WithTime(testTime)); err != nil {
		b.Fatal(err)
	}
	info, _ := f.Stat()
	b.SetBytes(info.Size())
	debug.FreeOSMemory()
	b.ResetTimer()
	stop := peakMemory()
	for range b.N {
		fsys, err := TarFS(f, info.Size())
		if err != nil {
			b.Fatal(err)
		}
		bag, _, err := BagRoot(fsys)
		if err != nil {
			b.Fatal(err)
		}
		probs, err := VerifyBag(context.Background(), bag, false)
		if err != nil || len(probs) > 0 {
			b.Fatal(err, probs)
		}
	}
	b.ReportMetric(float64(stop())/(1<<20), "peak-MB")
	f.Close()
}
