package annotate

import (
	"runtime"
	"runtime/metrics"
	"syscall"
	"time"
)

// heapGrowth runs f and returns the highest heap in use while it ran, less
// the heap before it (sampled every 5 ms).
func heapGrowth(f func()) uint64 {
	peak, before := heapPeak(f)
	return peak - min(peak, before)
}

// heapPeak runs f and returns the highest heap in use while it ran
// (sampled every 5 ms) and the heap before it.
func heapPeak(f func()) (peak, before uint64) {
	runtime.GC()
	before = heapInUse()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			peak = max(peak, heapInUse())
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(stop)
	<-done
	return max(peak, heapInUse()), before
}

// cpuTime is the user and system time of the process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// heapInUse reads the heap in use without stopping the world.
func heapInUse() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/heap/unused:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64() + s[1].Value.Uint64()
}
