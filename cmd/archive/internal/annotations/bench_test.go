package annotations

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// BenchmarkBuild compares building a generated archive with and without
// the annotations layer (issue 4's budget: annotated rendering adds at
// most 25% to the build time of the same archive without passages). A
// third of the articles quote one or two of 300 source sentences, some
// with small variations, so the layer has real passages to mark. Modes:
//
//   - plain: no layer;
//
//   - bare: the layer, on the same archive with every quote replaced by a
//     sentence of the same length that nobody else wrote, so passages are
//     looked for and none is found;
//
//   - annotated: the layer on the archive with passages, new for each
//     build (finds the passages every time, as `archive build` does);
//
//   - rendering: a layer that already knows the passages (as `archive
//     serve` after a layout or config edit), so only marking, notes,
//     passage pages and JSON-LD are timed.
//
//     go test -run '^$' -bench Build -benchtime 1x -count 5 ./cmd/archive/internal/annotations/
//
// ARCHIVE_BENCH_SIZES=1000 skips the 10,000-article archive.
func BenchmarkBuild(b *testing.B) {
	sizes := []int{1000, 10000}
	if s := os.Getenv("ARCHIVE_BENCH_SIZES"); s != "" {
		sizes = nil
		for _, f := range strings.Split(s, ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil {
				sizes = append(sizes, n)
			}
		}
	}
	for _, n := range sizes {
		withPassages, without := benchArchive(b, n, true), benchArchive(b, n, false)
		for _, mode := range []string{"plain", "bare", "annotated", "rendering"} {
			dir := withPassages
			if mode == "bare" {
				dir = without
			}
			b.Run(fmt.Sprintf("articles=%d/%s", n, mode), func(b *testing.B) {
				var opts []site.Option
				var layer *Feature
				switch mode {
				case "rendering":
					layer = New()
					opts = []site.Option{site.WithFeatures(layer)}
					if _, err := site.Build(context.Background(), os.DirFS(dir), opts...); err != nil {
						b.Fatal(err)
					}
					b.ResetTimer()
				}
				cpu0 := cpuTime()
				for i := 0; i < b.N; i++ {
					if mode == "annotated" || mode == "bare" {
						layer = New()
						opts = []site.Option{site.WithFeatures(layer)}
					}
					var err error
					// Labelled, so that a CPU profile of one run of all
					// modes can be split by mode: -tagfocus build=rendering.
					pprof.Do(context.Background(), pprof.Labels("build", mode), func(ctx context.Context) {
						_, err = site.Build(ctx, os.DirFS(dir), opts...)
					})
					if err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/article")
				if layer != nil {
					b.ReportMetric(float64(len(layer.ix.Passages)), "passages")
				}
				// CPU time is steadier than wall time on a shared machine.
				b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
			})
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchArchive writes the archive into a folder removed when the
// benchmark ends (a run of -count 5 at 10,000 articles used to leave
// five 60 MB folders in /tmp).
func benchArchive(b *testing.B, n int, passages bool) string {
	dir := b.TempDir()
	if err := writeBenchArchive(dir, n, passages); err != nil {
		b.Fatal(err)
	}
	return dir
}

// writeBenchArchive writes n articles; without passages, each quote is
// replaced by a sentence of as many words drawn from another generator,
// and the rest of the text stays the same.
func writeBenchArchive(dir string, n int, passages bool) error {
	r := rand.New(rand.NewSource(int64(n)))
	other := rand.New(rand.NewSource(int64(n) + 1))
	vocab := strings.Fields("police agency encryption resolution draft companies children law statement " +
		"government security privacy users platform report official meeting access data service providers " +
		"technology court warrant said would could their which about after before under between against " +
		"national international public private message phone network system policy rule order power")
	for i := 0; i < 3000; i++ { // a long tail of rarer words, as in news text
		vocab = append(vocab, fmt.Sprintf("w%d", i))
	}
	wordFrom := func(r *rand.Rand) string { return vocab[int(float64(len(vocab))*r.Float64()*r.Float64())] }
	sentenceFrom := func(r *rand.Rand, k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = wordFrom(r)
		}
		return strings.ToUpper(ws[0][:1]) + strings.Join(ws, " ")[1:] + "."
	}
	sentence := func(k int) string { return sentenceFrom(r, k) }
	sources := make([]string, 300)
	for i := range sources {
		sources[i] = sentence(18 + r.Intn(12))
	}
	outlets := []string{"The Register", "Reuters", "Techdirt", "ITPro", "Ars Technica", "Wired", "BBC News", "The Verge"}
	start := time.Date(2019, 11, 1, 8, 0, 0, 0, time.UTC)
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: %q\noutlet: %q\nauthor: \"Reporter %d\"\ndate: %s\nstory: \"Story %d\"\n---\n\n",
			sentence(8), outlets[r.Intn(len(outlets))], r.Intn(200), start.Add(time.Duration(i)*37*time.Minute).Format(time.RFC3339), i/5)
		words := 600 + r.Intn(601)
		quotes := 0
		if r.Intn(3) == 0 {
			quotes = 1 + r.Intn(2)
		}
		for words > 0 {
			k := min(words, 40+r.Intn(80))
			words -= k
			p := sentence(k)
			if quotes > 0 && r.Intn(4) == 0 {
				q := sources[r.Intn(len(sources))]
				if r.Intn(3) == 0 {
					q = strings.Replace(q, " the ", " [the] ", 1)
				}
				if !passages {
					q = sentenceFrom(other, len(strings.Fields(q)))
				}
				p = "“" + q + "” a draft said. " + p
				quotes--
			}
			b.WriteString(p + "\n\n")
		}
		if err := os.WriteFile(filepath.Join(dir, "content", fmt.Sprintf("a%05d.md", i)), []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}
