package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/benchgen"
)

// Builds and serving at scale, against Hugo, on the hard shapes of issue 12
// (package benchgen) and on real corpora. Each measured program runs as a
// separate process: `archive` is this test binary re-executed to run
// `archive build` or `archive serve` (TestScaleChild), Hugo is /usr/bin/hugo
// building the same Markdown with minimal layouts (benchgen.HugoSite). A
// watchdog stops a process that passes a limit and the benchmark reports
// "did not finish: memory: 8.00 GB resident after 95 s" instead of letting
// the machine swap.
//
//	ARCHIVE_BENCH_RUNS=3 go test -run '^$' -bench 'Scale(Build|Serve)' -benchtime 1x -timeout 8h ./cmd/archive/
//
// runs every hard shape at 10,000 articles, three builds (or servers) of
// each program, interleaved, and reports medians (use -benchtime 1x: the
// runs are ARCHIVE_BENCH_RUNS, and Go would run a benchmark once more with
// b.N = 1 before any other -benchtime):
//
//   - BenchmarkScaleBuild: wall time (archive-s, hugo-s), CPU time, user
//     and system, from rusage (archive-cpu-s, hugo-cpu-s: less disturbed
//     than wall time by a loaded machine), peak RSS from the
//     kernel's rusage (archive-peak-MB, hugo-peak-MB), bytes and files in
//     the output (archive-written-MB, archive-files, hugo-written-MB,
//     hugo-files) and the ratios x-time, x-cpu, x-mem, x-bytes (archive /
//     Hugo);
//   - BenchmarkScaleServe: time to the first page (archive-start-s,
//     hugo-start-s), edit-to-reload (file written → the browser's reload
//     event: archive's SSE build event, Hugo's livereload message) median
//     and 95th percentile over the edits (archive-ms, archive-p95-ms,
//     hugo-ms, hugo-p95-ms), archive's follow-up build until the page is
//     exact (archive-exact-ms), and RSS after the edits and at peak
//     (archive-rss-MB, archive-peak-MB, hugo-rss-MB, hugo-peak-MB).
//
// Every figure comes with load1, the machine's load average when the run
// started: this machine is shared, and figures taken under load are noisy.
// A run that did not finish reports archive-dnf 1 and, as archive-s and
// archive-peak-MB, when and at what size it was stopped; the log says why.
//
// Environment:
//
//	ARCHIVE_BENCH_RUNS=3               runs of each program on each archive (default 3)
//	ARCHIVE_BENCH_SIZES=10000,100000   article counts (default 10000; 100,000 takes hours)
//	ARCHIVE_BENCH_SHAPES=wire,frames   shapes: wire, copied, frames, uniform, stories, hard, all (default hard)
//	ARCHIVE_BENCH_CORPUS=DIR,...       real corpora too: site roots with content/ (see
//	                                   cmd/archive/internal/benchgen/realcorpus); "none" for none
//	ARCHIVE_BENCH_MEM=8GiB             stop a process above this RSS (default 8GiB)
//	ARCHIVE_BENCH_WRITE=20GiB          stop a process that wrote more (default 20GiB)
//	ARCHIVE_BENCH_TIMEOUT=20m          stop a process running longer (default 20m)
//	ARCHIVE_BENCH_DIR=/tmp/archive-bench  where the generated archives are kept between runs
//	ARCHIVE_BENCH_OUT=/mnt/j           where the builds write (default: beside each archive); see
//	                                   deletedSettle for why a journaled file system is fairer
//	ARCHIVE_BENCH_PROFILE=DIR          write the CPU profile and heap profiles (at each new
//	                                   peak of the heap, and at the end) of archive's first
//	                                   run of each benchmark into DIR
//	ARCHIVE_BENCH_EDITS=20             edits per server (default 20)
//	ARCHIVE_BENCH_RESULTS=FILE         append one JSON line per measured run to FILE (tables:
//	                                   go run ./cmd/archive/internal/benchgen/report FILE)
//	ARCHIVE_BENCH_COMMIT=abc123        the commit recorded with them (default: git HEAD)
//	ARCHIVE_BENCH_HUGO=0               skip Hugo
//
// With profiles, `go tool pprof -top DIR/build-frames-10000-0.cpu.prof` shows
// where the time goes and `go tool pprof -sample_index=inuse_space -top
// DIR/build-frames-10000-0.heap.prof` what held the memory at its highest.

// scaleRuns is ARCHIVE_BENCH_RUNS.
func scaleRuns(b *testing.B) int {
	s := os.Getenv("ARCHIVE_BENCH_RUNS")
	if s == "" {
		return 3
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		b.Fatalf("ARCHIVE_BENCH_RUNS=%q is not a number of runs", s)
	}
	return n
}

// scaleRun is one measured run, as written to ARCHIVE_BENCH_RESULTS.
type scaleRun struct {
	Bench   string  `json:"bench"` // build or serve
	Program string  `json:"program"`
	Corpus  string  `json:"corpus"`
	N       int     `json:"n"`
	Status  string  `json:"status"`
	Seconds float64 `json:"seconds"`
	CPUS    float64 `json:"cpu_s,omitempty"`
	UserS   float64 `json:"user_s,omitempty"`
	SysS    float64 `json:"sys_s,omitempty"`
	PeakMB  float64 `json:"peak_mb"`
	OutMB   float64 `json:"written_mb,omitempty"`
	Files   int     `json:"files,omitempty"`
	RSSMB   float64 `json:"rss_mb,omitempty"`
	StartS  float64 `json:"start_s,omitempty"`
	EditMS  float64 `json:"edit_ms,omitempty"`
	P95MS   float64 `json:"p95_ms,omitempty"`
	ExactMS float64 `json:"exact_ms,omitempty"`
	Load    string  `json:"load"`
	Commit  string  `json:"commit,omitempty"`
	When    string  `json:"when"`
}

// scaleCorpus is one archive to measure: a site root and its Hugo site.
type scaleCorpus struct {
	name       string // shape or corpus folder name
	n          int
	site, hugo string
	paths      func(i int) string             // the file an edit changes
	edit       func(i int, tag string) string // its text after the edit
}

func scaleCorpora(b *testing.B) []scaleCorpus {
	b.Helper()
	sizes, err := benchgen.ParseSizes(os.Getenv("ARCHIVE_BENCH_SIZES"), []int{10000})
	if err != nil {
		b.Fatal(err)
	}
	shapes, err := benchgen.ParseShapes(os.Getenv("ARCHIVE_BENCH_SHAPES"), benchgen.Hard)
	if err != nil {
		b.Fatal(err)
	}
	var out []scaleCorpus
	for _, n := range sizes {
		for _, shape := range shapes {
			site, hugo, err := benchgen.Corpus(os.Getenv, shape, n)
			if err != nil {
				b.Fatal(err)
			}
			c, err := fileCorpus(string(shape), site, hugo)
			if err != nil {
				b.Fatal(err)
			}
			out = append(out, c)
		}
	}
	for _, dir := range realCorpora(b) {
		c, err := realCorpus(dir)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, c)
	}
	return out
}

// realCorpora are ARCHIVE_BENCH_CORPUS's folders, or those that
// benchgen/realcorpus made under .bench/corpus/ at the repository root.
func realCorpora(b *testing.B) []string {
	env := os.Getenv("ARCHIVE_BENCH_CORPUS")
	if env == "none" {
		return nil
	}
	if env != "" {
		return strings.Split(env, ",")
	}
	found, _ := filepath.Glob(filepath.Join("..", "..", ".bench", "corpus", "*", "content"))
	var out []string
	for _, c := range found {
		out = append(out, filepath.Dir(c))
	}
	if len(out) == 0 {
		b.Log("no real corpus: run `go run ./cmd/archive/internal/benchgen/realcorpus` to bring one (see its doc)")
	}
	return out
}

// realCorpus measures a folder of real articles, with a Hugo site beside
// its content.
func realCorpus(dir string) (scaleCorpus, error) {
	dir, _ = filepath.Abs(dir)
	hugo := filepath.Join(dir, "hugo")
	if err := benchgen.HugoSite(hugo, filepath.Join(dir, "content")); err != nil {
		return scaleCorpus{}, err
	}
	return fileCorpus(filepath.Base(dir), dir, hugo)
}

// fileCorpus is the archive whose site root is dir. An edit adds words to
// the end of the first paragraph of an article's file (benchgen.EditFile),
// read once; an empty tag gives the file as it was.
func fileCorpus(name, dir, hugo string) (scaleCorpus, error) {
	var files []string
	err := filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		return scaleCorpus{}, err
	}
	if len(files) == 0 {
		return scaleCorpus{}, fmt.Errorf("%s: no Markdown under content/", dir)
	}
	sort.Strings(files)
	var mu sync.Mutex
	orig := map[int]string{}
	return scaleCorpus{name: name, n: len(files), site: dir, hugo: hugo,
		paths: func(i int) string { return files[i%len(files)] },
		edit: func(i int, tag string) string {
			mu.Lock()
			defer mu.Unlock()
			if _, ok := orig[i]; !ok {
				b, _ := os.ReadFile(filepath.Join(dir, files[i%len(files)]))
				orig[i] = string(b)
			}
			if tag == "" {
				return orig[i]
			}
			return benchgen.EditFile(orig[i], tag)
		}}, nil
}

// archiveCmd runs this test binary as `archive args...` (TestScaleChild).
// The first run (run 0) of each benchmark writes profiles labelled label
// when ARCHIVE_BENCH_PROFILE is set; the others run without.
func archiveCmd(label string, run int, args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^TestScaleChild$", "-test.count=1", "-test.timeout=0")
	a, _ := json.Marshal(args)
	cmd.Env = append(os.Environ(), "ARCHIVE_SCALE_CHILD="+string(a), fmt.Sprintf("ARCHIVE_SCALE_LABEL=%s-%d", label, run))
	if run > 0 {
		cmd.Env = append(cmd.Env, "ARCHIVE_BENCH_PROFILE=")
	}
	return cmd
}

// TestScaleChild is the `archive` process of the scale benchmarks.
func TestScaleChild(t *testing.T) {
	args := os.Getenv("ARCHIVE_SCALE_CHILD")
	if args == "" {
		t.Skip("run by BenchmarkScaleBuild and BenchmarkScaleServe")
	}
	var argv []string
	if err := json.Unmarshal([]byte(args), &argv); err != nil {
		t.Fatal(err)
	}
	stopProfiles := startProfiles(os.Getenv("ARCHIVE_BENCH_PROFILE"), os.Getenv("ARCHIVE_SCALE_LABEL"))
	ctx, cancel := context.WithCancel(context.Background())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	go func() {
		<-sig
		// Stopped: by the watchdog (the profiles show what grew) or at the
		// end of a server's run.
		stopProfiles("stopped")
		cancel()
		time.Sleep(2 * time.Second) // let serve say "stopped"
		os.Exit(3)
	}()
	code := run(ctx, argv, &env{stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stopProfiles("end")
	if code != 0 {
		os.Exit(code)
	}
}

// startProfiles starts a CPU profile into dir/label.cpu.prof and writes a
// heap profile into dir/label.heap.prof whenever the heap has grown by a
// quarter since the last one (so that the file shows the heap near its
// highest). The function it returns stops them and writes the last heap
// profile as dir/label.heap-<why>.prof.
func startProfiles(dir, label string) func(why string) {
	if dir == "" {
		return func(string) {}
	}
	_ = os.MkdirAll(dir, 0o755)
	base := filepath.Join(dir, label)
	cpu, err := os.Create(base + ".cpu.prof")
	if err == nil {
		_ = pprof.StartCPUProfile(cpu)
	}
	runtime.MemProfileRate = 512 << 10 // a lighter sampling than the default
	done := make(chan struct{})
	var once sync.Once
	writeHeap := func(path string) {
		f, err := os.Create(path + ".tmp")
		if err != nil {
			return
		}
		_ = pprof.Lookup("heap").WriteTo(f, 0)
		f.Close()
		_ = os.Rename(path+".tmp", path)
	}
	go func() {
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var last uint64 = 64 << 20
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > last+last/4 {
				last = v
				writeHeap(base + ".heap.prof")
			}
		}
	}()
	return func(why string) {
		once.Do(func() {
			close(done)
			pprof.StopCPUProfile()
			if cpu != nil {
				cpu.Close()
			}
			writeHeap(base + ".heap-" + why + ".prof")
		})
	}
}

func scaleLimits(b *testing.B) benchgen.Limits {
	l, err := benchgen.LimitsFromEnv(os.Getenv)
	if err != nil {
		b.Fatal(err)
	}
	return l
}

func hugoPath() string {
	if os.Getenv("ARCHIVE_BENCH_HUGO") == "0" {
		return ""
	}
	p, _ := exec.LookPath("hugo")
	return p
}

// commitOnce is ARCHIVE_BENCH_COMMIT, or the worktree's HEAD (which may
// have moved since the test binary was built).
var commitOnce = sync.OnceValue(func() string {
	if c := os.Getenv("ARCHIVE_BENCH_COMMIT"); c != "" {
		return c
	}
	out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
})

func recordRun(b *testing.B, r scaleRun) {
	r.When = time.Now().UTC().Format(time.RFC3339)
	r.Commit = commitOnce()
	path := os.Getenv("ARCHIVE_BENCH_RESULTS")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	line, _ := json.Marshal(r)
	f.Write(append(line, '\n'))
}

func medianF(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// buildStats gathers one program's runs of one corpus.
type buildStats struct {
	secs, cpu, peakMB, outMB, files, load []float64
	dnf                                   string
}

func (s *buildStats) report(b *testing.B, prefix string) {
	if s.dnf != "" {
		b.ReportMetric(1, prefix+"-dnf")
	}
	b.ReportMetric(medianF(s.secs), prefix+"-s")
	if len(s.cpu) > 0 {
		b.ReportMetric(medianF(s.cpu), prefix+"-cpu-s")
	}
	b.ReportMetric(medianF(s.peakMB), prefix+"-peak-MB")
	if len(s.outMB) > 0 {
		b.ReportMetric(medianF(s.outMB), prefix+"-written-MB")
		b.ReportMetric(medianF(s.files), prefix+"-files")
	}
}

func BenchmarkScaleBuild(b *testing.B) {
	lim := scaleLimits(b)
	hugo := hugoPath()
	for _, c := range scaleCorpora(b) {
		settle() // after the last corpus's removal, or another program's
		b.Run(fmt.Sprintf("%s/articles=%d", c.name, c.n), func(b *testing.B) {
			var ours, theirs buildStats
			var loads []float64
			var outs []string
			defer func() { // see deletedSettle
				for _, o := range outs {
					os.RemoveAll(o)
				}
			}()
			for i := range scaleRuns(b) {
				loads = append(loads, benchgen.Load1())
				if ours.dnf == "" {
					outs = ours.add(b, "archive", c, c.site, i, lim, outs, func(dst string) *exec.Cmd {
						return archiveCmd(fmt.Sprintf("build-%s-%d", c.name, c.n), i, "build", "-s", c.site, "-d", dst)
					})
				}
				if hugo != "" && theirs.dnf == "" {
					outs = theirs.add(b, "hugo", c, c.hugo, i, lim, outs, func(dst string) *exec.Cmd {
						return exec.Command(hugo, "--source", c.hugo, "--destination", dst, "--quiet")
					})
				}
			}
			ours.report(b, "archive")
			if hugo != "" {
				theirs.report(b, "hugo")
				if ours.dnf == "" && theirs.dnf == "" {
					b.ReportMetric(medianF(ours.secs)/medianF(theirs.secs), "x-time")
					b.ReportMetric(medianF(ours.cpu)/medianF(theirs.cpu), "x-cpu")
					b.ReportMetric(medianF(ours.peakMB)/medianF(theirs.peakMB), "x-mem")
					b.ReportMetric(medianF(ours.outMB)/medianF(theirs.outMB), "x-bytes")
				}
			}
			b.ReportMetric(medianF(loads), "load1")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// deletedSettle is how long the builds wait after outputs were removed.
// On ext4 without a journal (this machine's disk) the inode allocator
// skips every inode deleted in the last 60 seconds (recently_deleted in
// fs/ext4/ialloc.c; 360 while the inode's table block is dirty, and
// writing new inodes into the same block dirties it again), one buffer
// look-up each, on every file it creates: a 10k copied build just after
// another's 35,000 files were removed spent 10-12 s in the kernel instead
// of 2.6, and still 8 s when it began 62 s after the removal; 90 s after,
// 2.9 s. Even 75 s was not enough: with 75 s between corpora, the second
// corpus measured (archive and Hugo alike) took 12.3 s instead of 5.8 and
// 13.3 instead of 9.0. The check is made only without a journal; on a
// journaled ext4 (what a laptop or a CI machine has) removals cost later
// builds nothing. So, on such a disk, point ARCHIVE_BENCH_OUT at a
// journaled file system (a loop image will do:
// `truncate -s 24G /work/jimg && mkfs.ext4 -q /work/jimg && mount -o loop
// /work/jimg /mnt/j`); the builds then wait only settleOut. Either way a
// corpus's outputs are all removed after its last run, and each corpus
// first writes the removals back (sync) and waits.
const (
	deletedSettle = 75 * time.Second
	settleOut     = 10 * time.Second // with ARCHIVE_BENCH_OUT: for the removal's own CPU to end
)

// outRoot is ARCHIVE_BENCH_OUT, or "" to write beside each archive.
func outRoot() string { return os.Getenv("ARCHIVE_BENCH_OUT") }

// settle writes back what was deleted, then waits deletedSettle (or
// settleOut).
func settle() {
	syscall.Sync()
	if outRoot() != "" {
		time.Sleep(settleOut)
		return
	}
	time.Sleep(deletedSettle)
}

// add builds src once into a fresh folder and measures; it returns outs
// with the folder, to remove once the corpus's runs are over
// (deletedSettle). src is read first (benchgen.Warm), untimed.
func (s *buildStats) add(b *testing.B, program string, c scaleCorpus, src string, i int, lim benchgen.Limits, outs []string, cmd func(dst string) *exec.Cmd) []string {
	if _, _, err := benchgen.Warm(src); err != nil {
		b.Fatal(err)
	}
	tmp, err := os.MkdirTemp(cmp.Or(outRoot(), filepath.Dir(c.site)), "out-")
	if err != nil {
		b.Fatal(err)
	}
	outs = append(outs, tmp)
	dst := filepath.Join(tmp, "public")
	load := benchgen.Load()
	o := benchgen.Run(cmd(dst), lim)
	r := scaleRun{Bench: "build", Program: program, Corpus: c.name, N: c.n, Status: o.Status(),
		Seconds: o.Wall.Seconds(), PeakMB: benchgen.MB(o.PeakRSS), Load: load}
	if o.Err != nil {
		b.Fatalf("%s %s/%d: %v", program, c.name, c.n, o.Err)
	}
	s.secs = append(s.secs, o.Wall.Seconds())
	r.CPUS, r.UserS, r.SysS = o.CPU.Seconds(), o.User.Seconds(), o.Sys.Seconds()
	s.peakMB = append(s.peakMB, benchgen.MB(o.PeakRSS))
	if o.Killed != "" {
		s.dnf = o.Killed
		b.Logf("%s build %s/%d did not finish: %s (load %s)", program, c.name, c.n, o.Killed, load)
	} else {
		files, bytes, err := benchgen.CountBytes(dst)
		if err != nil {
			b.Fatal(err)
		}
		s.outMB = append(s.outMB, benchgen.MB(bytes))
		s.files = append(s.files, float64(files))
		s.cpu = append(s.cpu, o.CPU.Seconds())
		r.OutMB, r.Files = benchgen.MB(bytes), files
		b.Logf("%s build %s/%d #%d: %.1f s (%.1f s CPU: %.1f user, %.1f system), peak %s, wrote %s in %d files (load %s)", program, c.name, c.n, i+1,
			o.Wall.Seconds(), o.CPU.Seconds(), o.User.Seconds(), o.Sys.Seconds(), benchgen.GB(o.PeakRSS), benchgen.GB(bytes), files, load)
	}
	recordRun(b, r)
	return outs
}

// serveStats gathers one program's servers of one corpus.
type serveStats struct {
	start, lat, p95, exact, rss, peak []float64
	dnf                               string
}

func (s *serveStats) report(b *testing.B, prefix string) {
	if s.dnf != "" {
		b.ReportMetric(1, prefix+"-dnf")
	}
	if len(s.start) > 0 {
		b.ReportMetric(medianF(s.start), prefix+"-start-s")
	}
	if len(s.lat) > 0 {
		b.ReportMetric(medianF(s.lat), prefix+"-ms")
		b.ReportMetric(medianF(s.p95), prefix+"-p95-ms")
	}
	if len(s.exact) > 0 {
		b.ReportMetric(medianF(s.exact), prefix+"-exact-ms")
	}
	if len(s.rss) > 0 {
		b.ReportMetric(medianF(s.rss), prefix+"-rss-MB")
	}
	b.ReportMetric(medianF(s.peak), prefix+"-peak-MB")
}

func BenchmarkScaleServe(b *testing.B) {
	lim := scaleLimits(b)
	startup := lim.Time
	lim.Time = 0 // a server runs until its edits are done; startup is limited
	edits := 20
	if s := os.Getenv("ARCHIVE_BENCH_EDITS"); s != "" {
		edits, _ = strconv.Atoi(s)
	}
	hugo := hugoPath()
	for _, c := range scaleCorpora(b) {
		b.Run(fmt.Sprintf("%s/articles=%d", c.name, c.n), func(b *testing.B) {
			var ours, theirs serveStats
			var loads []float64
			// Put every edited article back as generated, so that the next
			// benchmark builds the same Markdown.
			edited := map[int]bool{}
			b.Cleanup(func() {
				for i := range edited {
					_ = benchgen.Write(c.site, c.paths(i), c.edit(i, ""))
				}
			})
			for run := range scaleRuns(b) {
				loads = append(loads, benchgen.Load1())
				targets := make([]int, edits)
				for e := range targets {
					targets[e] = ((run*edits+e)*97 + 13) % c.n
					edited[targets[e]] = true
				}
				if ours.dnf == "" {
					serveArchive(b, &ours, c, run, targets, lim, startup)
				}
				if hugo != "" && theirs.dnf == "" {
					serveHugo(b, &theirs, hugo, c, run, targets, lim, startup)
				}
			}
			ours.report(b, "archive")
			if hugo != "" {
				theirs.report(b, "hugo")
			}
			b.ReportMetric(medianF(loads), "load1")
			b.ReportMetric(0, "ns/op")
		})
	}
}

var servingAt = regexp.MustCompile(`at (http://\S+)/\n`)

// server is a measured server process.
type server struct {
	p      *benchgen.Process
	url    string
	startS float64
	r      scaleRun
}

// startServer starts cmd and waits until its output matches ready (whose
// first group is the URL), at most startup. It returns nil when the server
// did not start: the watchdog stopped it (recorded as s.dnf) or startup
// passed; a server that fails by itself fails the benchmark.
func startServer(b *testing.B, s *serveStats, program string, c scaleCorpus, cmd *exec.Cmd, ready *regexp.Regexp,
	lim benchgen.Limits, startup time.Duration) *server {
	lines := newLineWatch(ready)
	load := benchgen.Load()
	p, err := benchgen.Start(cmd, lim, lines)
	if err != nil {
		b.Fatal(err)
	}
	sv := &server{p: p, r: scaleRun{Bench: "serve", Program: program, Corpus: c.name, N: c.n, Load: load}}
	t0 := time.Now()
	url, ok := lines.wait(p, startup)
	if ok {
		sv.url, sv.startS = url, time.Since(t0).Seconds()
		s.start = append(s.start, sv.startS)
		return sv
	}
	p.Stop()
	o := p.Wait()
	why := o.Killed
	if why == "" {
		if !o.Finished() && time.Since(t0) < startup {
			b.Fatalf("%s server %s/%d failed: %v", program, c.name, c.n, o.Err)
		}
		why = fmt.Sprintf("time: no page after %.0f s at %s resident", time.Since(t0).Seconds(), benchgen.GB(o.PeakRSS))
	}
	sv.dnf(b, s, why, o.PeakRSS)
	return nil
}

func (sv *server) dnf(b *testing.B, s *serveStats, why string, peak int64) {
	if s.dnf == "" {
		s.dnf = why
		s.peak = append(s.peak, benchgen.MB(peak))
	}
	sv.r.Status, sv.r.PeakMB = "did not finish: "+why, benchgen.MB(peak)
	b.Logf("%s server %s/%d did not finish: %s (load %s)", sv.r.Program, sv.r.Corpus, sv.r.N, why, sv.r.Load)
	recordRun(b, sv.r)
}

// finish stops the server after its edits and records what it did; a
// server the watchdog stopped during the edits did not finish.
func (sv *server) finish(b *testing.B, s *serveStats, lat, exact []float64) {
	cur, peak := sv.p.RSS()
	hwm := max(peak, benchgen.ProcPeakRSS(sv.p.Cmd.Process.Pid))
	sv.p.Stop()
	o := sv.p.Wait()
	if o.Killed != "" {
		sv.dnf(b, s, o.Killed, o.PeakRSS)
		return
	}
	med, p95 := medianF(lat), percentile(lat, 0.95)
	s.lat, s.p95 = append(s.lat, med), append(s.p95, p95)
	s.rss, s.peak = append(s.rss, benchgen.MB(cur)), append(s.peak, benchgen.MB(hwm))
	r := &sv.r
	if len(exact) > 0 {
		r.ExactMS = medianF(exact)
		s.exact = append(s.exact, r.ExactMS)
	}
	r.Status, r.StartS, r.EditMS, r.P95MS, r.RSSMB, r.PeakMB = "ok", sv.startS, med, p95, benchgen.MB(cur), benchgen.MB(hwm)
	exactMS := ""
	if r.ExactMS > 0 {
		exactMS = fmt.Sprintf(", exact after %.0f ms", r.ExactMS)
	}
	b.Logf("%s server %s/%d: first page after %.1f s; edit to reload %.0f ms median, %.0f ms p95 (%d edits)%s; RSS %s, peak %s (load %s)",
		r.Program, r.Corpus, r.N, sv.startS, med, p95, len(lat), exactMS, benchgen.GB(cur), benchgen.GB(hwm), r.Load)
	recordRun(b, *r)
}

func serveArchive(b *testing.B, s *serveStats, c scaleCorpus, run int, targets []int, lim benchgen.Limits, startup time.Duration) {
	cmd := archiveCmd(fmt.Sprintf("serve-%s-%d", c.name, c.n), run, "serve", "-s", c.site, "-p", "0")
	sv := startServer(b, s, "archive", c, cmd, servingAt, lim, startup)
	if sv == nil {
		return
	}
	ev, closeEv, err := sseEvents(sv.url)
	if err != nil {
		sv.p.Stop()
		if o := sv.p.Wait(); o.Killed != "" {
			sv.dnf(b, s, o.Killed, o.PeakRSS)
			return
		}
		b.Fatal(err)
	}
	defer closeEv()
	var lat, exact []float64
	for e, i := range targets {
		src := c.edit(i, fmt.Sprintf(" edit %d-%d", run, e))
		t0 := time.Now()
		if err := benchgen.Write(c.site, c.paths(i), src); err != nil {
			b.Fatal(err)
		}
		got, err := nextReload(ev, sv.p, 5*time.Minute)
		if err != nil {
			b.Logf("archive serve %s/%d, edit %d: %v", c.name, c.n, e, err)
			break
		}
		if len(got.Problems) > 0 {
			b.Fatalf("build failed: %+v", got.Problems)
		}
		lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
		// The follow-up build that finds the passages anew: its event
		// says when the page is exact; it must end before the next edit.
		select {
		case got := <-ev:
			if catchUp(got) || len(got.Reload) == 0 {
				exact = append(exact, float64(time.Since(t0).Microseconds())/1000)
			}
		case <-time.After(2 * time.Minute):
		case <-sv.p.Exited():
		}
	}
	sv.finish(b, s, lat, exact)
}

func serveHugo(b *testing.B, s *serveStats, hugo string, c scaleCorpus, run int, targets []int, lim benchgen.Limits, startup time.Duration) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	cmd := exec.Command(hugo, "server", "-s", c.hugo, "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--watch")
	sv := startServer(b, s, "hugo", c, cmd, regexp.MustCompile(`Web Server is available at (http://\S+)`), lim, startup)
	if sv == nil {
		return
	}
	ws := dialLivereload(b, fmt.Sprintf("127.0.0.1:%d", port))
	var lat []float64
	for e, i := range targets {
		src := c.edit(i, fmt.Sprintf(" hugo edit %d-%d", run, e))
		t0 := time.Now()
		if err := benchgen.Write(c.site, c.paths(i), src); err != nil {
			b.Fatal(err)
		}
		if err := ws.waitReload(5 * time.Minute); err != nil {
			b.Logf("hugo server %s/%d, edit %d: %v", c.name, c.n, e, err)
			break
		}
		lat = append(lat, float64(time.Since(t0).Microseconds())/1000)
		time.Sleep(200 * time.Millisecond) // stray reloads are drained
		ws.drain()
	}
	sv.finish(b, s, lat, nil)
}

func percentile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	i := int(float64(len(s))*q+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}

// lineWatch scans a process's output for the first line matching re.
type lineWatch struct {
	re    *regexp.Regexp
	mu    sync.Mutex
	buf   []byte
	found chan string
	once  sync.Once
}

func newLineWatch(re *regexp.Regexp) *lineWatch {
	return &lineWatch{re: re, found: make(chan string, 1)}
}

func (l *lineWatch) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.buf == nil && len(p) == 0 {
		return 0, nil
	}
	l.buf = append(l.buf, p...)
	if m := l.re.FindSubmatch(l.buf); m != nil {
		l.once.Do(func() { l.found <- string(m[1]) })
		l.buf = l.buf[:0]
	} else if len(l.buf) > 1<<16 {
		l.buf = l.buf[len(l.buf)-1<<12:]
	}
	return len(p), nil
}

// wait returns the matched URL, or false when the process ended or the
// limit passed first (the process is then stopped).
func (l *lineWatch) wait(p *benchgen.Process, limit time.Duration) (string, bool) {
	select {
	case u := <-l.found:
		return strings.TrimSuffix(u, "/"), true
	case <-p.Exited():
		return "", false
	case <-time.After(limit):
		return "", false
	}
}

// sseEvents follows archive serve's build events.
func sseEvents(url string) (<-chan buildEvent, func(), error) {
	resp, err := http.Get(url + "/_archive/events")
	if err != nil {
		return nil, nil, err
	}
	ch := make(chan buildEvent, 64)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<26)
		build := false
		for sc.Scan() {
			line := sc.Text()
			if strings.HasPrefix(line, "event: ") {
				build = line == "event: build"
			}
			if data, ok := strings.CutPrefix(line, "data: "); ok && build {
				var ev buildEvent
				_ = json.Unmarshal([]byte(data), &ev)
				ch <- ev
			}
		}
	}()
	return ch, func() { resp.Body.Close(); io.Copy(io.Discard, resp.Body) }, nil
}

// nextReload waits for the event that reloads the edited page (not a
// follow-up's catch-up).
func nextReload(ev <-chan buildEvent, p *benchgen.Process, within time.Duration) (buildEvent, error) {
	timeout := time.After(within)
	for {
		select {
		case got, ok := <-ev:
			if !ok {
				return got, fmt.Errorf("event stream ended")
			}
			if !catchUp(got) && (len(got.Reload) > 0 || got.All || len(got.Problems) > 0) {
				return got, nil
			}
		case <-p.Exited():
			return buildEvent{}, fmt.Errorf("the server ended")
		case <-timeout:
			return buildEvent{}, fmt.Errorf("no reload within %s", within)
		}
	}
}
