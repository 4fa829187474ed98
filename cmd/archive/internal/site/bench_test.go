package site

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Benchmarks. BenchmarkBuild times the in-process build of generated
// archives; BenchmarkVersusHugo builds the same Markdown as a separate
// process with this package (a re-executed test binary) and with Hugo
// (when `hugo` is on PATH, with a minimal single/list layout) and reports
// wall time per article and peak RSS of each. Run, for example:
//
//	go test -run '^$' -bench . -benchtime 1x -count 3 ./cmd/archive/internal/site/
//
// Set ARCHIVE_BENCH_SIZES=1000 to skip the 10,000-article archive.

var benchSites sync.Map // size -> dir

func benchSizes() []int {
	s := os.Getenv("ARCHIVE_BENCH_SIZES")
	if s == "" {
		return []int{1000, 10000}
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

// benchSite writes (once per process) a site of n generated articles of
// 600–1,200 words with front matter like the archive's content files, plus
// a Hugo config and minimal Hugo layouts under layouts/_default (which this
// package ignores: it reads only the files directly in layouts/).
func benchSite(tb testing.TB, n int) string {
	if d, ok := benchSites.Load(n); ok {
		return d.(string)
	}
	dir, err := os.MkdirTemp("", fmt.Sprintf("archive-bench-%d-", n))
	if err != nil {
		tb.Fatal(err)
	}
	if err := writeBenchSite(dir, n); err != nil {
		tb.Fatal(err)
	}
	benchSites.Store(n, dir)
	return dir
}

var benchWords = strings.Fields(`interpol encryption police agency statement resolution draft companies
technology services providers children protection lawful access backdoor security privacy government
officials reported sources briefed matter conference summit members countries vote platform messaging
users communications court warrants criminals investigators law enforcement debate industry critics
said would could should the a of to and in that for on with by as at from its their this which`)

func writeBenchSite(dir string, n int) error {
	r := rand.New(rand.NewSource(int64(n)))
	word := func() string { return benchWords[r.Intn(len(benchWords))] }
	sentence := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = word()
		}
		ws[0] = strings.ToUpper(ws[0][:1]) + ws[0][1:]
		return strings.Join(ws, " ") + "."
	}
	outlets := []string{"The Register", "Reuters", "Techdirt", "ITPro", "Ars Technica", "The Guardian", "Wired", "BBC News"}
	start := time.Date(2019, 11, 1, 8, 0, 0, 0, time.UTC)
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: %q\nsubtitle: %q\noutlet: %q\nauthor: \"Reporter %d\"\ndate: %s\nsource_url: \"https://news.example.com/%d\"\nstory: \"Story %d\"\n---\n\n",
			sentence(8), sentence(12), outlets[r.Intn(len(outlets))], r.Intn(200),
			start.Add(time.Duration(i)*37*time.Minute).Format(time.RFC3339), i, i/5)
		words := 600 + r.Intn(601)
		for words > 0 {
			k := min(words, 40+r.Intn(80))
			words -= k
			p := sentence(k)
			switch r.Intn(6) {
			case 0:
				p = "> " + p
			case 1:
				p = strings.Replace(p, " the ", " *the* ", 1)
			case 2:
				p = strings.Replace(p, " police ", " [police](https://example.org/police) ", 1)
			}
			b.WriteString(p + "\n\n")
		}
		if err := os.WriteFile(filepath.Join(dir, "content", fmt.Sprintf("a%05d.md", i)), []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	hugo := map[string]string{
		"config.toml":                  "baseURL = \"https://example.org/\"\ntitle = \"Bench\"\ndisableKinds = [\"taxonomy\", \"term\"]\n",
		"layouts/_default/single.html": "<!DOCTYPE html><html><head><title>{{.Title}}</title></head><body><h1>{{.Title}}</h1><p>{{.Params.outlet}} {{.Params.author}} {{.Date.Format \"2 January 2006\"}}</p>{{.Content}}</body></html>\n",
		"layouts/_default/list.html":   "<!DOCTYPE html><html><head><title>{{.Title}}</title></head><body><ol>{{range .Pages}}<li><a href=\"{{.RelPermalink}}\">{{.Title}}</a> {{.Params.outlet}} {{.Summary}}</li>{{end}}</ol></body></html>\n",
	}
	for p, s := range hugo {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(s), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func BenchmarkBuild(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			dir := benchSite(b, n)
			dest := filepath.Join(b.TempDir(), "public")
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				out, err := Build(context.Background(), os.DirFS(dir))
				if err != nil {
					b.Fatal(err)
				}
				if err := out.Publish(dest); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/article")
		})
	}
}

// BenchmarkIncremental times a rebuild after one article changed.
func BenchmarkIncremental(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			dir := benchSite(b, n)
			bl := NewBuilder(os.DirFS(dir))
			if _, _, err := bl.Build(context.Background(), nil); err != nil {
				b.Fatal(err)
			}
			p := filepath.Join(dir, "content", "a00007.md")
			orig, _ := os.ReadFile(p)
			defer os.WriteFile(p, orig, 0o644)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				os.WriteFile(p, append(append([]byte(nil), orig...), fmt.Sprintf("\nEdit %d.\n", i)...), 0o644)
				if _, _, err := bl.Build(context.Background(), []string{"content/a00007.md"}); err != nil {
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

// runMeasured runs cmd and returns its wall time and peak RSS in MB.
func runMeasured(cmd *exec.Cmd) (time.Duration, float64, error) {
	start := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(start)
	if err != nil {
		return d, 0, fmt.Errorf("%v: %v\n%s", cmd.Args, err, out)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	return d, float64(ru.Maxrss) / 1024, nil
}

func BenchmarkVersusHugo(b *testing.B) {
	hugo, herr := exec.LookPath("hugo")
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("articles=%d", n), func(b *testing.B) {
			dir := benchSite(b, n)
			var ours, theirs []time.Duration
			var oursMB, theirsMB float64
			for i := 0; i < b.N; i++ {
				dst := filepath.Join(b.TempDir(), "public")
				cmd := exec.Command(os.Args[0], "-test.run=^TestBenchHelperBuild$", "-test.count=1")
				cmd.Env = append(os.Environ(), "ARCHIVE_BENCH_SRC="+dir, "ARCHIVE_BENCH_DST="+dst)
				d, mb, err := runMeasured(cmd)
				if err != nil {
					b.Fatal(err)
				}
				ours = append(ours, d)
				oursMB = max(oursMB, mb)
				if herr == nil {
					hdst := filepath.Join(b.TempDir(), "hugo")
					d, mb, err := runMeasured(exec.Command(hugo, "--source", dir, "--destination", hdst, "--quiet"))
					if err != nil {
						b.Fatal(err)
					}
					theirs = append(theirs, d)
					theirsMB = max(theirsMB, mb)
				}
			}
			b.ReportMetric(float64(median(ours).Nanoseconds())/float64(n), "archive-ns/article")
			b.ReportMetric(oursMB, "archive-peakRSS-MB")
			if herr == nil {
				b.ReportMetric(float64(median(theirs).Nanoseconds())/float64(n), "hugo-ns/article")
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
