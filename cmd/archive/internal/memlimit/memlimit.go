// Package memlimit keeps a process's memory in proportion to what it
// holds. With Go's default GOGC=100 the heap may grow to twice the live
// heap between collections: `archive serve` holding a 10,000-article
// archive (about 500 MB live) took 1.2 GB, and `archive build` of 100,000
// articles over 4 GB while it held 2. Tuner sets the runtime's soft memory
// limit to a multiple of the live heap every quarter of a second (Follow;
// build and serve both), so the garbage collector runs a little more often
// instead. A limit set once and left while the heap grows past it makes
// the collector run back to back: follow the heap during long work.
//
// The limit is soft: the runtime never fails an allocation because of it,
// and caps the CPU the collector spends when the live heap outgrows it, so
// a build that needs more memory for a moment (finding passages anew) only
// runs slower. A GOMEMLIMIT set by the user is left alone.
package memlimit

import (
	"math"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// Defaults: the limit is Factor × the live heap, and never below Floor.
const (
	Factor = 1.6
	Floor  = 768 << 20
)

// Tuner adjusts the memory limit after each build.
type Tuner struct {
	off      bool
	floor    int64
	factor   float64
	headroom int64 // WithHeadroom
	ceiling  int64
	cap      int64   // WithCap
	least    float64 // WithCap: the multiple of the live heap the cap never goes below
	live     func() int64
}

// New returns a tuner, off when getenv("GOMEMLIMIT") is set.
func New(getenv func(string) string) *Tuner {
	return &Tuner{off: getenv("GOMEMLIMIT") != "", floor: Floor, factor: Factor, live: liveHeap}
}

// WithFactor sets the multiple of the live heap the limit is (default
// Factor): a one-off build (archive build) trades a little more collecting
// for a smaller peak than a server that builds again and again.
func (t *Tuner) WithFactor(f float64) *Tuner {
	t.factor = f
	return t
}

// WithHeadroom keeps the limit at least headroom bytes above the live
// heap as long as that stays at most ceiling bytes (the multiple of the
// live heap still applies above it): the collector works in proportion
// to the live heap once for each limit's worth of allocation, and a limit
// a quarter above a small live heap ran it back to back (the garbage
// collector was 28% of archive build's CPU at 30,000 copied articles, 40%
// at 100,000, where it holds 1.5 GB at its peak). The ceiling keeps the
// peak where the multiple put it.
func (t *Tuner) WithHeadroom(headroom, ceiling int64) *Tuner {
	t.headroom, t.ceiling = headroom, ceiling
	return t
}

// WithCap keeps the limit at most most bytes while least × the live heap
// stays below it: the collector works harder as the live heap nears the
// cap, and the process stays within it as long as the heap it holds does.
// archive serve's follow-up builds find the passages of every article
// again beside the site it holds: 1.25 × that live heap was 2.6 GB at
// 100,000 articles, against 1.9 GB for its first build; the follow-ups are
// not what an editor waits for (an edit stops them), so they pay the
// extra collecting. Above the cap the limit is least × the live heap.
func (t *Tuner) WithCap(most int64, least float64) *Tuner {
	t.cap, t.least = most, least
	return t
}

// Adjust sets the limit for the heap the process holds now and returns it
// (0 when the tuner is off).
func (t *Tuner) Adjust() int64 {
	if t == nil || t.off {
		return 0
	}
	limit := t.limitFor(t.live())
	debug.SetMemoryLimit(limit)
	return limit
}

// limitFor is the tuner's limit for a live heap of live bytes.
func (t *Tuner) limitFor(live int64) int64 {
	l := limitFor(live, t.floor, t.factor)
	if t.headroom > 0 && live < t.ceiling {
		l = max(l, min(live+t.headroom, t.ceiling))
	}
	if t.cap > 0 && l > t.cap {
		l = max(t.cap, limitFor(live, t.floor, t.least))
	}
	return l
}

// Limit is the memory limit for a live heap of live bytes.
func Limit(live, floor int64) int64 { return limitFor(live, floor, Factor) }

func limitFor(live, floor int64, factor float64) int64 {
	if factor <= 0 {
		factor = Factor
	}
	l := float64(live) * factor
	if l >= math.MaxInt64 {
		return math.MaxInt64
	}
	return max(floor, int64(l))
}

// liveHeap is the heap the last garbage collection found live.
func liveHeap() int64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(s[0].Value.Uint64())
}

// Follow adjusts the limit every interval until stop is called: for one
// long build (archive build), whose live heap grows as it loads the site
// and finds passages, so that the process stays near what it holds rather
// than twice that. A GOMEMLIMIT set by the user is left alone.
func (t *Tuner) Follow(interval time.Duration) (stop func()) {
	if t == nil || t.off {
		return func() {}
	}
	done := make(chan struct{})
	var once sync.Once
	go func() {
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			t.Adjust()
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() { once.Do(func() { close(done) }) }
}
