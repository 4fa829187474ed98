package benchgen

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Measuring a build or a server as a separate process, with limits: a
// benchmark of a shape that makes the build grow without bound must end
// with "did not finish: 8.0 GB after 95 s", not with a machine that swaps
// or a full disk.

// Limits bound a measured process. A zero field is no limit.
type Limits struct {
	Memory  int64         // resident set size, bytes
	Written int64         // bytes written (/proc/<pid>/io wchar)
	Time    time.Duration // wall time
}

// Defaults of LimitsFromEnv: this machine has 24 GB and 2 cores shared by
// several people.
const (
	DefaultMemory  = 8 << 30
	DefaultWritten = 20 << 30
	DefaultTime    = 20 * time.Minute
)

// LimitsFromEnv reads ARCHIVE_BENCH_MEM and ARCHIVE_BENCH_WRITE (sizes such
// as 8GiB, 500MB or a number of bytes) and ARCHIVE_BENCH_TIMEOUT (a Go
// duration), with the defaults above.
func LimitsFromEnv(getenv func(string) string) (Limits, error) {
	l := Limits{Memory: DefaultMemory, Written: DefaultWritten, Time: DefaultTime}
	var err error
	if s := getenv("ARCHIVE_BENCH_MEM"); s != "" {
		if l.Memory, err = ParseSize(s); err != nil {
			return l, fmt.Errorf("ARCHIVE_BENCH_MEM: %w", err)
		}
	}
	if s := getenv("ARCHIVE_BENCH_WRITE"); s != "" {
		if l.Written, err = ParseSize(s); err != nil {
			return l, fmt.Errorf("ARCHIVE_BENCH_WRITE: %w", err)
		}
	}
	if s := getenv("ARCHIVE_BENCH_TIMEOUT"); s != "" {
		if l.Time, err = time.ParseDuration(s); err != nil {
			return l, fmt.Errorf("ARCHIVE_BENCH_TIMEOUT: %w", err)
		}
	}
	return l, nil
}

// ParseSize reads 8GiB, 8GB (the same: powers of two), 500MiB, 500MB, or bytes.
func ParseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"GB", 1 << 30}, {"G", 1 << 30}, {"MiB", 1 << 20}, {"MB", 1 << 20}, {"M", 1 << 20}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 {
		return 0, fmt.Errorf("%q is not a size such as 8GiB or 500MB", s)
	}
	return int64(f * float64(mult)), nil
}

// Outcome is what a measured process did.
type Outcome struct {
	Wall    time.Duration
	CPU     time.Duration // user and system time of the process (and its waited-for children)
	User    time.Duration // of which user time
	Sys     time.Duration // and system time (the kernel's: creating files is most of it in a build)
	PeakRSS int64         // bytes: the process's high water mark (VmHWM), sampled every 100 ms
	Written int64         // bytes the process wrote (wchar), last seen
	Killed  string        // why the watchdog stopped it, e.g. "memory: 8.0 GB after 95 s"; "" if it ended by itself
	Err     error         // a failure of its own (exit status), with its output
	Output  string        // stdout and stderr, the last 64 KB
}

// Finished reports whether the process ended by itself, successfully.
func (o Outcome) Finished() bool { return o.Killed == "" && o.Err == nil }

// Status is "ok", "did not finish: ..." or "failed: ...".
func (o Outcome) Status() string {
	switch {
	case o.Killed != "":
		return "did not finish: " + o.Killed
	case o.Err != nil:
		return "failed: " + o.Err.Error()
	}
	return "ok"
}

// Process is a started measured process.
type Process struct {
	Cmd   *exec.Cmd
	lim   Limits
	start time.Time
	out   *tailBuffer
	done  chan struct{}
	mu    sync.Mutex
	o     Outcome
	rss   int64 // last sampled
	peak  int64 // highest sampled

	waitErr error // cmd.Wait's, once done is closed
}

// Start starts cmd in a process group of its own, with a watchdog that
// sends it SIGTERM (and SIGKILL 10 s later) when it passes a limit. Its
// output is kept (the last 64 KB) unless cmd.Stdout is set; extra, when not
// nil, gets a copy of it as well.
func Start(cmd *exec.Cmd, lim Limits, extra io.Writer) (*Process, error) {
	p := &Process{Cmd: cmd, lim: lim, out: &tailBuffer{max: 64 << 10}, done: make(chan struct{})}
	if cmd.Stdout == nil {
		var w io.Writer = p.out
		if extra != nil {
			w = io.MultiWriter(p.out, extra)
		}
		cmd.Stdout, cmd.Stderr = w, w
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p.start = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go p.watch()
	go func() {
		p.waitErr = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Run starts cmd with Start and waits for it.
func Run(cmd *exec.Cmd, lim Limits) Outcome {
	p, err := Start(cmd, lim, nil)
	if err != nil {
		return Outcome{Err: err}
	}
	return p.Wait()
}

func (p *Process) watch() {
	pid := p.Cmd.Process.Pid
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-tick.C:
		}
		rss, hwm := ProcRSS(pid), ProcPeakRSS(pid)
		wrote := procWritten(pid)
		el := time.Since(p.start)
		p.mu.Lock()
		p.rss = rss
		p.peak = max(p.peak, rss, hwm)
		p.o.Written = max(p.o.Written, wrote)
		why := ""
		switch {
		case p.lim.Memory > 0 && rss > p.lim.Memory:
			why = fmt.Sprintf("memory: %s resident after %.0f s (limit %s)", GB(rss), el.Seconds(), GB(p.lim.Memory))
		case p.lim.Written > 0 && wrote > p.lim.Written:
			why = fmt.Sprintf("disk: %s written after %.0f s (limit %s)", GB(wrote), el.Seconds(), GB(p.lim.Written))
		case p.lim.Time > 0 && el > p.lim.Time:
			why = fmt.Sprintf("time: still running after %.0f s at %s resident", el.Seconds(), GB(rss))
		}
		if why != "" && p.o.Killed == "" {
			p.o.Killed = why
			p.mu.Unlock()
			p.Stop()
			return
		}
		p.mu.Unlock()
	}
}

// RSS returns the resident set size last sampled and the highest sampled.
func (p *Process) RSS() (cur, peak int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rss, p.peak
}

// Exited is closed when the process has ended.
func (p *Process) Exited() <-chan struct{} { return p.done }

// Stop sends the process group SIGTERM, and SIGKILL 10 s later if it is
// still there.
func (p *Process) Stop() {
	pid := p.Cmd.Process.Pid
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	go func() {
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-pid, syscall.SIGKILL)
		}
	}()
}

// Wait waits for the process and returns its outcome.
func (p *Process) Wait() Outcome {
	<-p.done
	err := p.waitErr
	p.mu.Lock()
	defer p.mu.Unlock()
	o := p.o
	o.Wall = time.Since(p.start)
	// The kernel's maxrss of a child that Go started with vfork counts the
	// parent's resident set at the exec (Linux keeps the old memory's high
	// water mark), so a large benchmark process would inflate it: the
	// high water mark sampled from /proc every 100 ms is the measure, and
	// maxrss only when the process ended before the first sample.
	o.PeakRSS = p.peak
	if ru, ok := p.Cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		if o.PeakRSS == 0 {
			o.PeakRSS = ru.Maxrss << 10 // KiB on Linux
		}
		o.User, o.Sys = time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
		o.CPU = o.User + o.Sys
	}
	o.Output = p.out.String()
	if err != nil && o.Killed == "" {
		o.Err = fmt.Errorf("%v: %v\n%s", p.Cmd.Args, err, lastLines(o.Output, 20))
	}
	return o
}

// ProcRSS is the resident set size of process pid in bytes (0 when gone).
func ProcRSS(pid int) int64 {
	return procStatus(pid, "VmRSS:")
}

// ProcPeakRSS is the highest resident set size of process pid so far.
func ProcPeakRSS(pid int) int64 {
	return procStatus(pid, "VmHWM:")
}

func procStatus(pid int, key string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == key {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	return 0
}

func procWritten(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/io", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "wchar: "); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n
		}
	}
	return 0
}

// Load is the machine's load average over 1, 5 and 15 minutes, as
// /proc/loadavg says it.
func Load() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

// Load1 is the one-minute load average.
func Load1() float64 {
	v, _ := strconv.ParseFloat(strings.Fields(Load() + " 0")[0], 64)
	return v
}

// GB formats bytes as "1.23 GB" (powers of two).
func GB(n int64) string { return fmt.Sprintf("%.2f GB", float64(n)/(1<<30)) }

// MB is bytes in MB (powers of two), for benchmark metrics.
func MB(n int64) float64 { return float64(n) / (1 << 20) }

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	b   bytes.Buffer
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b.Write(p)
	if over := t.b.Len() - t.max; over > 0 {
		t.b.Next(over)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.b.String()
}

// Corpus returns the site root (with content/) and the Hugo site (see
// HugoSite) of shape at n articles, written once under the folder
// ARCHIVE_BENCH_DIR (default: <os.TempDir>/archive-bench) and reused while
// the generator's Version stays the same.
func Corpus(getenv func(string) string, shape Shape, n int) (site, hugo string, err error) {
	root := getenv("ARCHIVE_BENCH_DIR")
	if root == "" {
		root = filepath.Join(os.TempDir(), "archive-bench")
	}
	dir := filepath.Join(root, fmt.Sprintf("%s-%d", shape, n))
	site, hugo = filepath.Join(dir, "site"), filepath.Join(dir, "hugo")
	stamp := filepath.Join(dir, "version")
	if b, err := os.ReadFile(stamp); err == nil && string(b) == Version {
		return site, hugo, nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", "", err
	}
	if err := New(shape, n).WriteAll(site); err != nil {
		return "", "", err
	}
	if err := HugoSite(hugo, filepath.Join(site, "content")); err != nil {
		return "", "", err
	}
	return site, hugo, os.WriteFile(stamp, []byte(Version), 0o644)
}

// Version changes whenever a shape's articles or the Hugo site change, so
// that Corpus writes them anew.
const Version = "shapes-2"

// ParseSizes reads a comma-separated list of article counts; "" gives def.
func ParseSizes(s string, def []int) ([]int, error) {
	if strings.TrimSpace(s) == "" {
		return def, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a number of articles", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// GuardMemory watches this process while an in-process benchmark named
// name runs, and ends the process with status 1 and "did not finish" when
// its resident set passes limit (0: no limit): a benchmark that goes
// superlinear must not take the machine with it. It returns the function
// that stops watching.
func GuardMemory(name string, limit int64) (stop func()) {
	if limit <= 0 {
		return func() {}
	}
	done := make(chan struct{})
	start := time.Now()
	go func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			if rss := ProcRSS(os.Getpid()); rss > limit {
				fmt.Fprintf(os.Stderr, "%s did not finish: memory: %s resident after %.0f s (limit %s, ARCHIVE_BENCH_MEM)\n",
					name, GB(rss), time.Since(start).Seconds(), GB(limit))
				os.Exit(1)
			}
		}
	}()
	var once sync.Once
	return func() { once.Do(func() { close(done) }) }
}

// EditFile returns a content file's text with tag added to the end of the
// first paragraph of its body (after YAML or TOML front matter), the edit
// the benchmarks make to files they did not generate themselves.
func EditFile(src, tag string) string {
	body := 0
	for _, delim := range []string{"---", "+++"} {
		if strings.HasPrefix(src, delim+"\n") {
			if end := strings.Index(src[len(delim)+1:], "\n"+delim+"\n"); end >= 0 {
				body = len(delim) + 1 + end + len(delim) + 2
			}
		}
	}
	for body < len(src) && src[body] == '\n' {
		body++
	}
	end := strings.Index(src[body:], "\n\n")
	if end < 0 {
		return strings.TrimRight(src, "\n") + tag + "\n"
	}
	return src[:body+end] + tag + src[body+end:]
}
