package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"net"
	"os"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/benchgen"
)

// Edit-to-reload latency: a file is written, the watcher sees it, the site
// rebuilds, the new build is swapped in and the browser's event arrives.
//
//	go test -run '^$' -bench ServeEditToReload -benchtime 1x ./cmd/archive/
//
// Each run makes 50 edits to different articles of a generated archive and
// reports the median and 95th percentile latency to the first reload (the
// edit answered with the passages carried over), the median time until the
// follow-up build has found passages and reindexed search (exact-ms), the
// median rebuild time
// from the server's log line, and the process's Go heap and resident memory.
// The server runs in this process (so that a profile of the benchmark shows
// it); BenchmarkScaleServe runs it as a separate process against `hugo
// server` on the same Markdown.
//
// The archives are package benchgen's shapes: ARCHIVE_BENCH_SHAPES picks
// them (default all: stories, wire, copied, frames, uniform) and
// ARCHIVE_BENCH_SIZES the article counts (default 1000,10000). A benchmark
// whose process grows past ARCHIVE_BENCH_MEM (default 8GiB) resident ends
// the test binary with "did not finish" and what it was running.

const editsPerRun = 50

// genArchive writes n articles in stories of eight (benchgen.Archive).
func genArchive(tb testing.TB, dir string, n int) {
	tb.Helper()
	if err := benchgen.Archive(dir, n); err != nil {
		tb.Fatal(err)
	}
}

// benchArchives returns the generators of the shapes and sizes the
// environment asks for.
func benchArchives(b *testing.B, defSizes []int) []*benchgen.Gen {
	b.Helper()
	shapes, err := benchgen.ParseShapes(os.Getenv("ARCHIVE_BENCH_SHAPES"), benchgen.AllShapes)
	if err != nil {
		b.Fatal(err)
	}
	sizes, err := benchgen.ParseSizes(os.Getenv("ARCHIVE_BENCH_SIZES"), defSizes)
	if err != nil {
		b.Fatal(err)
	}
	var out []*benchgen.Gen
	for _, n := range sizes {
		for _, s := range shapes {
			out = append(out, benchgen.New(s, n))
		}
	}
	return out
}

// guardMemory ends the test binary when it grows past ARCHIVE_BENCH_MEM
// while b runs (an in-process benchmark cannot be stopped from outside).
func guardMemory(b *testing.B) {
	lim, err := benchgen.LimitsFromEnv(os.Getenv)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(benchgen.GuardMemory(b.Name(), lim.Memory))
}

func writeBench(tb testing.TB, dir, rel, s string) {
	tb.Helper()
	if err := benchgen.Write(dir, rel, s); err != nil {
		tb.Fatal(err)
	}
}

// quantiles returns the median and 95th percentile in milliseconds.
func quantiles(ds []time.Duration) (median, p95 float64) {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	at := func(q float64) float64 {
		i := int(math.Ceil(q*float64(len(s)))) - 1
		return float64(s[max(i, 0)]) / float64(time.Millisecond)
	}
	return at(0.5), at(0.95)
}

func rssMB() (cur, peak float64) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			cur = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return cur, peak
}

var rebuiltIn = regexp.MustCompile(`rebuilt in (\S+):`)

func BenchmarkServeEditToReload(b *testing.B) {
	for _, g := range benchArchives(b, []int{1000, 10000}) {
		n := g.N
		b.Run(fmt.Sprintf("%s/articles=%d", g.Shape, n), func(b *testing.B) {
			guardMemory(b)
			dir := b.TempDir()
			if err := g.WriteAll(dir); err != nil {
				b.Fatal(err)
			}
			s := startServeB(b, dir)
			ev := eventsB(b, s.url)
			var lat, exact []time.Duration
			logStart := len(s.stderr.String())
			b.ResetTimer()
			for run := 0; run < b.N; run++ {
				for e := range editsPerRun {
					i := (run*editsPerRun + e) * 97 % n
					rel := g.Path(i)
					src := g.Article(i, fmt.Sprintf(" edit %d-%d", run, e))
					start := time.Now()
					writeBench(b, dir, rel, src)
					select {
					case got, ok := <-ev:
						if !ok {
							b.Fatal("event stream ended")
						}
						if len(got.Problems) > 0 {
							b.Fatalf("build failed: %+v", got.Problems)
						}
						lat = append(lat, time.Since(start))
					case <-time.After(30 * time.Second):
						b.Fatalf("no reload event within 30s of edit %d", e)
					}
					// The follow-up build that finds the passages anew and
					// brings the search index up to date: its event says when
					// the page is exact, and must not count for the next edit.
					select {
					case got := <-ev:
						if catchUp(got) || len(got.Reload) == 0 {
							exact = append(exact, time.Since(start))
						}
					case <-time.After(10 * time.Second):
					}
				}
			}
			b.StopTimer()
			var builds []time.Duration
			for _, m := range rebuiltIn.FindAllStringSubmatch(s.stderr.String()[logStart:], -1) {
				if d, err := time.ParseDuration(m[1]); err == nil {
					builds = append(builds, d)
				}
			}
			med, p95 := quantiles(lat)
			b.ReportMetric(med, "ms-median")
			b.ReportMetric(p95, "ms-p95")
			if len(exact) > 0 {
				emed, _ := quantiles(exact)
				b.ReportMetric(emed, "exact-ms-median")
			}
			if len(builds) > 0 {
				bmed, _ := quantiles(builds)
				b.ReportMetric(bmed, "build-ms-median")
			}
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			rss, peak := rssMB()
			b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
			b.ReportMetric(rss, "rss-MB")
			b.ReportMetric(peak, "peak-rss-MB")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// BenchmarkServeSaveDuringFollowUp times a save made while the follow-up
// build of the last save is still finding passages (an editor who saves
// twice in a row): the follow-up is stopped and the new save answered.
// Each of 20 rounds saves one article, waits for its reload, waits 30 ms
// (the follow-up is then running at 10,000 articles) and times a save to
// another article until its reload. ARCHIVE_BENCH_SHAPES and
// ARCHIVE_BENCH_SIZES (default 10000) choose the archives, as for
// BenchmarkServeEditToReload.
//
//	go test -run '^$' -bench ServeSaveDuringFollowUp -benchtime 1x ./cmd/archive/
func BenchmarkServeSaveDuringFollowUp(b *testing.B) {
	for _, g := range benchArchives(b, []int{10000}) {
		b.Run(fmt.Sprintf("%s/articles=%d", g.Shape, g.N), func(b *testing.B) {
			guardMemory(b)
			saveDuringFollowUp(b, g)
		})
	}
}

func saveDuringFollowUp(b *testing.B, g *benchgen.Gen) {
	n := g.N
	dir := b.TempDir()
	if err := g.WriteAll(dir); err != nil {
		b.Fatal(err)
	}
	s := startServeB(b, dir)
	ev := eventsB(b, s.url)
	next := func() buildEvent {
		for {
			select {
			case got := <-ev:
				if len(got.Problems) > 0 {
					b.Fatalf("build failed: %+v", got.Problems)
				}
				if !catchUp(got) && len(got.Reload) > 0 {
					return got
				}
			case <-time.After(30 * time.Second):
				b.Fatal("no reload event within 30s")
			}
		}
	}
	var lat []time.Duration
	b.ResetTimer()
	for run := 0; run < b.N; run++ {
		for e := range 20 {
			i := (run*20 + e) * 97 % n
			writeBench(b, dir, g.Path(i), g.Article(i, fmt.Sprintf(" first %d-%d", run, e)))
			next()
			time.Sleep(30 * time.Millisecond)
			j := (i + 13) % n
			start := time.Now()
			writeBench(b, dir, g.Path(j), g.Article(j, fmt.Sprintf(" second %d-%d", run, e)))
			next()
			lat = append(lat, time.Since(start))
			// Let the follow-up of the second save finish.
			select {
			case <-ev:
			case <-time.After(10 * time.Second):
			}
		}
	}
	b.StopTimer()
	med, p95 := quantiles(lat)
	b.ReportMetric(med, "ms-median")
	b.ReportMetric(p95, "ms-p95")
	b.ReportMetric(0, "ns/op")
}

// startServeB is startServe for benchmarks.
func startServeB(b *testing.B, dir string) *serving {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &serving{stdout: &syncBuffer{}, stderr: &syncBuffer{}, cancel: cancel, done: make(chan int, 1)}
	go func() {
		s.done <- run(ctx, []string{"serve", "-s", dir, "-p", "0"},
			&env{stdout: s.stdout, stderr: s.stderr, getenv: func(string) string { return "" }})
	}()
	re := regexp.MustCompile(`at (http://\S+)/\n`)
	deadline := time.Now().Add(5 * time.Minute)
	for s.url == "" && time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(s.stdout.String()); m != nil {
			s.url = m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	if s.url == "" {
		b.Fatalf("serve did not start: %s", s.stderr)
	}
	b.Cleanup(func() {
		cancel()
		<-s.done
	})
	if strings.Contains(s.stderr.String(), "build failed") {
		b.Fatalf("first build failed: %s", s.stderr)
	}
	return s
}

func eventsB(b *testing.B, url string) <-chan buildEvent {
	b.Helper()
	ch, stop, err := sseEvents(url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(stop)
	return ch
}

// livereload is a minimal WebSocket client for Hugo's livereload protocol.
type livereload struct {
	conn net.Conn
	r    *bufio.Reader
	msgs chan string
}

func dialLivereload(b *testing.B, addr string) *livereload {
	b.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	var key [16]byte
	rand.Read(key[:])
	fmt.Fprintf(conn, "GET /livereload HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nOrigin: http://%s\r\n\r\n",
		addr, base64.StdEncoding.EncodeToString(key[:]), addr)
	r := bufio.NewReader(conn)
	status, err := r.ReadString('\n')
	if err != nil || !strings.Contains(status, "101") {
		b.Fatalf("livereload handshake: %q %v", status, err)
	}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			b.Fatal(err)
		}
		if line == "\r\n" {
			break
		}
	}
	lr := &livereload{conn: conn, r: r, msgs: make(chan string, 64)}
	lr.send(`{"command":"hello","protocols":["http://livereload.com/protocols/official-7"]}`)
	go func() {
		defer close(lr.msgs)
		for {
			msg, err := lr.read()
			if err != nil {
				return
			}
			lr.msgs <- msg
		}
	}()
	return lr
}

// send writes one masked text frame.
func (l *livereload) send(s string) {
	var mask [4]byte
	rand.Read(mask[:])
	frame := []byte{0x81}
	switch n := len(s); {
	case n < 126:
		frame = append(frame, 0x80|byte(n))
	default:
		frame = append(frame, 0x80|126, byte(n>>8), byte(n))
	}
	frame = append(frame, mask[:]...)
	for i := range len(s) {
		frame = append(frame, s[i]^mask[i%4])
	}
	l.conn.Write(frame)
}

// read returns the payload of the next text frame.
func (l *livereload) read() (string, error) {
	for {
		var h [2]byte
		if _, err := io.ReadFull(l.r, h[:]); err != nil {
			return "", err
		}
		n := uint64(h[1] & 0x7f)
		switch n {
		case 126:
			var x [2]byte
			if _, err := io.ReadFull(l.r, x[:]); err != nil {
				return "", err
			}
			n = uint64(binary.BigEndian.Uint16(x[:]))
		case 127:
			var x [8]byte
			if _, err := io.ReadFull(l.r, x[:]); err != nil {
				return "", err
			}
			n = binary.BigEndian.Uint64(x[:])
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(l.r, payload); err != nil {
			return "", err
		}
		if h[0]&0x0f == 1 {
			return string(payload), nil
		}
	}
}

func (l *livereload) waitReload(within time.Duration) error {
	timeout := time.After(within)
	for {
		select {
		case m, ok := <-l.msgs:
			if !ok {
				return fmt.Errorf("livereload connection closed")
			}
			if strings.Contains(m, `"reload"`) {
				return nil
			}
		case <-timeout:
			return fmt.Errorf("no livereload reload within %s", within)
		}
	}
}

func (l *livereload) drain() {
	for {
		select {
		case <-l.msgs:
		default:
			return
		}
	}
}
