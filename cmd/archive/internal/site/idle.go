package site

import (
	"context"
	"runtime"
	"runtime/metrics"
	"time"
)

// Work for an idle core. A build's analyses (the passage finder) run on
// every core most of the time, but leave one idle in their serial
// stretches (~1 s at 10,000 articles). Work that does not depend on them
// (run.premake) fills that core when it runs through whenIdle: a goroutine
// that merely competed for the cores would slow the analyses' parallel
// stages by as much as it saves later.

// idleWait is how long whenIdle sleeps while every core is busy.
const idleWait = time.Millisecond

// busyCores returns how many goroutines other than the caller run or wait
// for a core, and false when the runtime does not tell; a test replaces
// it. (Goroutines in system calls are left out: most of them wait, such
// as one blocked reading a pipe for the whole build.)
var busyCores = func(s []metrics.Sample) (int, bool) {
	metrics.Read(s)
	n := -1 // the caller runs
	for _, x := range s {
		if x.Value.Kind() != metrics.KindUint64 {
			return 0, false
		}
		n += int(x.Value.Uint64())
	}
	return n, true
}

// whenIdle calls step, on the calling goroutine, while the rest of the
// process leaves a core idle (fewer goroutines run or wait for a core than
// GOMAXPROCS), until step returns false or ctx is done. It looks before
// each step (a step should take tens of microseconds: the goroutines that
// wake meanwhile wait for it) and sleeps idleWait at a time while every
// core is busy. Where the runtime does not tell, it calls step until done.
func whenIdle(ctx context.Context, step func() bool) {
	s := []metrics.Sample{{Name: "/sched/goroutines/running:goroutines"}, {Name: "/sched/goroutines/runnable:goroutines"}}
	procs := runtime.GOMAXPROCS(0)
	t := time.NewTimer(time.Hour)
	defer t.Stop()
	for ctx.Err() == nil {
		if n, ok := busyCores(s); ok && n >= procs {
			t.Reset(idleWait)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			continue
		}
		if !step() {
			return
		}
	}
}
