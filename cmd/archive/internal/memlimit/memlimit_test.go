package memlimit

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
)

func TestLimit(t *testing.T) {
	for _, c := range []struct{ live, floor, want int64 }{
		{0, Floor, Floor},
		{100 << 20, Floor, Floor},
		{500 << 20, Floor, 800 << 20},
		{5 << 30, Floor, 8 << 30},
		{math.MaxInt64, Floor, math.MaxInt64},
	} {
		if got := Limit(c.live, c.floor); got != c.want {
			t.Errorf("Limit(%d, %d) = %d, want %d", c.live, c.floor, got, c.want)
		}
	}
	// WithFactor's multiple (archive build's 1.25), and Factor for none.
	for _, c := range []struct {
		live, floor int64
		factor      float64
		want        int64
	}{
		{4 << 30, Floor, 1.25, 5 << 30},
		{100 << 20, Floor, 1.25, Floor},
		{5 << 30, Floor, 0, 8 << 30}, // Factor 1.6
	} {
		if got := limitFor(c.live, c.floor, c.factor); got != c.want {
			t.Errorf("limitFor(%d, %d, %v) = %d, want %d", c.live, c.floor, c.factor, got, c.want)
		}
	}
}

// TestHeadroom: WithHeadroom keeps the limit headroom above the live heap
// up to its ceiling, never below what the floor and factor give.
func TestHeadroom(t *testing.T) {
	const mb = 1 << 20
	tu := New(func(string) string { return "" }).WithFactor(1.25).WithHeadroom(512*mb, 1792*mb)
	for _, c := range []struct{ live, want int64 }{
		{0, Floor},             // the floor
		{100 * mb, Floor},      // 612 MB < the floor
		{400 * mb, 912 * mb},   // live + headroom, above 1.25x (500)
		{1000 * mb, 1512 * mb}, // live + headroom, above 1.25x (1250)
		{1280 * mb, 1792 * mb}, // live + headroom reaches the ceiling
		{1400 * mb, 1792 * mb}, // the ceiling, above 1.25x (1750)
		{1500 * mb, 1875 * mb}, // 1.25x passes the ceiling
		{4000 * mb, 5000 * mb}, // 1.25x
		{math.MaxInt64, math.MaxInt64},
	} {
		if got := tu.limitFor(c.live); got != c.want {
			t.Errorf("limit for %d MB live = %d MB, want %d MB", c.live/mb, got/mb, c.want/mb)
		}
	}
	// Without headroom: the factor alone.
	if got := New(func(string) string { return "" }).WithFactor(1.25).limitFor(1000 * mb); got != 1250*mb {
		t.Errorf("no headroom: limit %d MB, want 1250", got/mb)
	}
}

// TestCap: WithCap lowers the limit to the cap as the live heap nears it,
// never below least x the live heap nor the floor.
func TestCap(t *testing.T) {
	const mb = 1 << 20
	tu := New(func(string) string { return "" }).WithFactor(1.25).WithCap(1900*mb, 1.05)
	for _, c := range []struct{ live, want int64 }{
		{0, Floor},             // the floor
		{800 * mb, 1000 * mb},  // 1.25x, below the cap
		{1520 * mb, 1900 * mb}, // 1.25x reaches the cap
		{1700 * mb, 1900 * mb}, // the cap, below 1.25x (2125)
		{1800 * mb, 1900 * mb}, // the cap, above 1.05x (1890)
		{2000 * mb, 2100 * mb}, // 1.05x passes the cap
		{math.MaxInt64, math.MaxInt64},
	} {
		if got := tu.limitFor(c.live); got != c.want {
			t.Errorf("limit for %d MB live = %d MB, want %d MB", c.live/mb, got/mb, c.want/mb)
		}
	}
	// A cap below the floor: the floor.
	low := New(func(string) string { return "" }).WithFactor(1.25).WithCap(100*mb, 1.05)
	if got := low.limitFor(700 * mb); got != Floor {
		t.Errorf("cap below the floor: limit %d MB, want %d", got/mb, Floor/mb)
	}
}

// TestAdjust sets the runtime's limit from the live heap, and leaves a
// user's GOMEMLIMIT alone.
func TestAdjust(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(old) })

	held := make([]byte, 64<<20) // something live
	runtime.GC()
	tu := New(func(string) string { return "" })
	tu.floor = 1 << 20
	got := tu.Adjust()
	runtime.KeepAlive(held)
	if got < int64(Factor*float64(len(held))) || got > 4*int64(len(held)) {
		t.Errorf("limit %d for a live heap of at least %d bytes", got, len(held))
	}
	if now := debug.SetMemoryLimit(-1); now != got {
		t.Errorf("runtime limit %d, want %d", now, got)
	}

	debug.SetMemoryLimit(old)
	user := New(func(k string) string {
		if k == "GOMEMLIMIT" {
			return "2GiB"
		}
		return ""
	})
	if got := user.Adjust(); got != 0 {
		t.Errorf("with GOMEMLIMIT set, Adjust set %d", got)
	}
	if now := debug.SetMemoryLimit(-1); now != old {
		t.Errorf("with GOMEMLIMIT set, the limit changed to %d", now)
	}
}
