// Command report turns the JSON lines that the scale benchmarks append to
// ARCHIVE_BENCH_RESULTS into Markdown tables: per archive, the median of
// each program's runs (wall and CPU time, peak memory, bytes written;
// edit-to-reload for servers), archive's ratios to Hugo, and which of issue
// 12's targets (at 10,000 and 100,000 articles) the medians meet.
//
//	go run ./cmd/archive/internal/benchgen/report results.jsonl [more.jsonl...]
//
// A run that did not finish is shown as such, with when and at what size
// it was stopped; medians are over the runs that finished.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

type run struct {
	Bench   string  `json:"bench"`
	Program string  `json:"program"`
	Corpus  string  `json:"corpus"`
	N       int     `json:"n"`
	Status  string  `json:"status"`
	Seconds float64 `json:"seconds"`
	CPUS    float64 `json:"cpu_s"`
	UserS   float64 `json:"user_s"`
	SysS    float64 `json:"sys_s"`
	PeakMB  float64 `json:"peak_mb"`
	OutMB   float64 `json:"written_mb"`
	Files   int     `json:"files"`
	RSSMB   float64 `json:"rss_mb"`
	StartS  float64 `json:"start_s"`
	EditMS  float64 `json:"edit_ms"`
	P95MS   float64 `json:"p95_ms"`
	ExactMS float64 `json:"exact_ms"`
	Load    string  `json:"load"`
	Commit  string  `json:"commit"`
}

type key struct {
	bench, corpus string
	n             int
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "Usage: report results.jsonl [more.jsonl...]")
		os.Exit(2)
	}
	var runs []run
	for _, p := range os.Args[1:] {
		f, err := os.Open(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, "report:", err)
			os.Exit(1)
		}
		rs, err := read(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(os.Stderr, "report: %s: %v\n", p, err)
			os.Exit(1)
		}
		runs = append(runs, rs...)
	}
	write(os.Stdout, runs)
}

func read(r io.Reader) ([]run, error) {
	var out []run
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<20)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var x run
		if err := json.Unmarshal(sc.Bytes(), &x); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		out = append(out, x)
	}
	return out, sc.Err()
}

// group is one program's runs on one archive.
type group struct {
	ok   []run
	dnf  []run
	load []string
}

func (g *group) median(f func(run) float64) float64 {
	var xs []float64
	for _, r := range g.ok {
		xs = append(xs, f(r))
	}
	if len(xs) == 0 {
		return 0
	}
	sort.Float64s(xs)
	if len(xs)%2 == 1 {
		return xs[len(xs)/2]
	}
	return (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
}

func write(w io.Writer, runs []run) {
	groups := map[key]map[string]*group{}
	var keys []key
	for _, r := range runs {
		k := key{r.Bench, r.Corpus, r.N}
		if groups[k] == nil {
			groups[k] = map[string]*group{}
			keys = append(keys, k)
		}
		g := groups[k][r.Program]
		if g == nil {
			g = &group{}
			groups[k][r.Program] = g
		}
		if r.Status == "ok" {
			g.ok = append(g.ok, r)
		} else {
			g.dnf = append(g.dnf, r)
		}
		g.load = append(g.load, strings.Fields(r.Load + " ?")[0])
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.bench != b.bench {
			return a.bench < b.bench
		}
		if a.n != b.n {
			return a.n < b.n
		}
		return a.corpus < b.corpus
	})
	for _, bench := range []string{"build", "serve"} {
		var rows []string
		for _, k := range keys {
			if k.bench != bench {
				continue
			}
			ours, theirs := groups[k]["archive"], groups[k]["hugo"]
			rows = append(rows, row(bench, k, ours, theirs))
		}
		if len(rows) == 0 {
			continue
		}
		if bench == "build" {
			fmt.Fprintln(w, "| archive | n | archive build | Hugo | time × | memory × | bytes × | targets | load (1 min) |")
			fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|")
		} else {
			fmt.Fprintln(w, "| archive | n | archive serve: edit→reload median / p95, exact, RSS, peak, start | hugo server | targets | load (1 min) |")
			fmt.Fprintln(w, "|---|---|---|---|---|---|")
		}
		for _, r := range rows {
			fmt.Fprintln(w, r)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "Targets (issue 12): 10,000 articles: build time ≤ 0.5× Hugo's, peak memory ≤ 0.5× Hugo's;")
	fmt.Fprintln(w, "100,000: build time ≤ Hugo's, peak ≤ 2 GB, bytes written ≤ 3× Hugo's; serve at 100,000: edit→reload median ≤ 100 ms, ≤ 2 GB.")
}

func row(bench string, k key, ours, theirs *group) string {
	load := ""
	for _, g := range []*group{ours, theirs} {
		if g != nil {
			load = strings.TrimPrefix(load+" "+strings.Join(g.load, " "), " ")
		}
	}
	if bench == "build" {
		cell := func(g *group) string {
			if g == nil {
				return "–"
			}
			s := ""
			if len(g.ok) > 0 {
				s = fmt.Sprintf("%.1f s", g.median(func(r run) float64 { return r.Seconds }))
				if c := g.median(func(r run) float64 { return r.CPUS }); c > 0 {
					s += fmt.Sprintf(" (%.1f s CPU", c)
					if u := g.median(func(r run) float64 { return r.UserS }); u > 0 { // older results have no split
						s += fmt.Sprintf(": %.1f user, %.1f system", u, g.median(func(r run) float64 { return r.SysS }))
					}
					s += ")"
				}
				s += fmt.Sprintf(", %.0f MB, %.0f MB written (%d runs)",
					g.median(func(r run) float64 { return r.PeakMB }), g.median(func(r run) float64 { return r.OutMB }), len(g.ok))
			}
			for _, d := range g.dnf {
				s = strings.TrimPrefix(s+"; **"+d.Status+"**", "; ")
			}
			return s
		}
		ratios := "| – | – | –"
		if ours != nil && theirs != nil && len(ours.ok) > 0 && len(theirs.ok) > 0 {
			ratio := func(f func(run) float64) string {
				return fmt.Sprintf("%.2f", ours.median(f)/theirs.median(f))
			}
			t := ratio(func(r run) float64 { return r.Seconds })
			if ours.median(func(r run) float64 { return r.CPUS }) > 0 && theirs.median(func(r run) float64 { return r.CPUS }) > 0 {
				t += " (CPU " + ratio(func(r run) float64 { return r.CPUS }) + ")"
			}
			ratios = "| " + t + " | " + ratio(func(r run) float64 { return r.PeakMB }) +
				" | " + ratio(func(r run) float64 { return r.OutMB })
		}
		return fmt.Sprintf("| %s | %d | %s | %s %s | %s | %s |", k.corpus, k.n, cell(ours), cell(theirs), ratios, targets(bench, k.n, ours, theirs), load)
	}
	cell := func(g *group) string {
		if g == nil {
			return "–"
		}
		s := ""
		if len(g.ok) > 0 {
			s = fmt.Sprintf("%.0f / %.0f ms", g.median(func(r run) float64 { return r.EditMS }), g.median(func(r run) float64 { return r.P95MS }))
			if e := g.median(func(r run) float64 { return r.ExactMS }); e > 0 {
				s += fmt.Sprintf(", exact %.0f ms", e)
			}
			s += fmt.Sprintf(", %.0f MB, peak %.0f MB, start %.1f s (%d runs)", g.median(func(r run) float64 { return r.RSSMB }),
				g.median(func(r run) float64 { return r.PeakMB }), g.median(func(r run) float64 { return r.StartS }), len(g.ok))
		}
		for _, d := range g.dnf {
			s = strings.TrimPrefix(s+"; **"+d.Status+"**", "; ")
		}
		return s
	}
	return fmt.Sprintf("| %s | %d | %s | %s | %s | %s |", k.corpus, k.n, cell(ours), cell(theirs), targets(bench, k.n, ours, theirs), load)
}

// targets says which of issue 12's targets for this benchmark and size
// the medians meet ("met") and which not, with the figure. Sizes the issue
// sets no target for get "–"; a run that did not finish meets none.
func targets(bench string, n int, ours, theirs *group) string {
	type target struct {
		name  string
		limit float64
		value func() float64
		unit  string
	}
	ratio := func(f func(run) float64) func() float64 {
		return func() float64 { return ours.median(f) / theirs.median(f) }
	}
	secs := func(r run) float64 { return r.Seconds }
	peak := func(r run) float64 { return r.PeakMB }
	var ts []target
	switch {
	case bench == "build" && n == 10000:
		ts = []target{{"time", 0.5, ratio(secs), "×"}, {"memory", 0.5, ratio(peak), "×"}}
	case bench == "build" && n == 100000:
		ts = []target{{"time", 1, ratio(secs), "×"}, {"peak", 2048, func() float64 { return ours.median(peak) }, " MB"},
			{"bytes", 3, ratio(func(r run) float64 { return r.OutMB }), "×"}}
	case bench == "serve" && n == 100000:
		ts = []target{{"median", 100, func() float64 { return ours.median(func(r run) float64 { return r.EditMS }) }, " ms"},
			{"peak", 2048, func() float64 { return ours.median(peak) }, " MB"}}
	default:
		return "–"
	}
	if ours == nil || len(ours.ok) == 0 || len(ours.dnf) > 0 {
		return "**not met: did not finish**"
	}
	needHugo := bench == "build"
	if needHugo && (theirs == nil || len(theirs.ok) == 0) {
		return "– (no Hugo run)"
	}
	var met, not []string
	for _, t := range ts {
		v := t.value()
		f := "%.2f%s"
		if t.unit != "×" {
			f = "%.0f%s"
		}
		if v <= t.limit {
			met = append(met, t.name)
		} else {
			not = append(not, fmt.Sprintf("%s "+f+" > "+f, t.name, v, t.unit, t.limit, t.unit))
		}
	}
	s := ""
	if len(not) > 0 {
		s = "**not met: " + strings.Join(not, ", ") + "**"
	}
	if len(met) > 0 {
		s = strings.TrimPrefix(s+"; met: "+strings.Join(met, ", "), "; ")
	}
	return s
}
