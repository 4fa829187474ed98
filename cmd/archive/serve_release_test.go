package main

import (
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

// TestReleaserGivesBackFreedMemory: once a big build's memory is garbage,
// the idle server returns it to the system; with nothing much beyond the
// live heap it forces no collection.
func TestReleaserGivesBackFreedMemory(t *testing.T) {
	released := func() uint64 {
		s := []metrics.Sample{{Name: "/memory/classes/heap/released:bytes"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	gcs := func() uint32 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.NumForcedGC
	}
	var r releaser
	wait := func() {
		deadline := time.Now().Add(30 * time.Second)
		for r.busy.Load() && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
	}
	garbage := func() {
		// A build's worth of memory, touched, then garbage.
		big := make([][]byte, 32)
		for i := range big {
			big[i] = make([]byte, 4<<20)
			for j := 0; j < len(big[i]); j += 4096 {
				big[i][j] = 1
			}
		}
		runtime.KeepAlive(big)
	}
	for _, step := range []string{"the first build", "a follow-up"} {
		garbage()
		before, forced := released(), gcs()
		r.idle()
		wait()
		if got := released() - before; got < 64<<20 || gcs() == forced {
			t.Errorf("idle after %s left 128 MB of garbage: %d MB released, %d forced collections; want >= 64 MB by one",
				step, got>>20, gcs()-forced)
		}
		forced = gcs()
		r.idle()
		wait()
		if n := gcs() - forced; n != 0 {
			t.Errorf("idle again after %s, with nothing to give back: %d forced collections", step, n)
		}
	}
}
