package hugepages

import (
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugeSize is the size of a transparent huge page (PMD) on the platforms
// Go runs Linux on with 4 KB pages.
const hugeSize = 2 << 20

// Mode is the kernel's THP setting, the bracketed word of
// /sys/kernel/mm/transparent_hugepage/enabled ("always", "madvise" or
// "never"), or "" when the kernel has no THP.
func Mode() string {
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil {
		return ""
	}
	s := string(b)
	i := strings.IndexByte(s, '[')
	j := strings.IndexByte(s, ']')
	if i < 0 || j < i {
		return ""
	}
	return s[i+1 : j]
}

// Prefer advises MADV_HUGEPAGE over about n bytes of heap address space
// the runtime maps for it, once in a process, and returns how many bytes
// it advised: 0 on later calls (the advice stays with the range, which
// the heap reuses), when THP is not "madvise" (with "always" the kernel
// does it unasked; with "never" or none, advice does nothing), when n is
// less than a chunk, or when the kernel refuses the advice.
func Prefer(n int) int {
	if n < chunk || !first.CompareAndSwap(false, true) || Mode() != "madvise" {
		return 0
	}
	return prefer(n)
}

// first is set by the first call of Prefer that may advise.
var first atomic.Bool

// prefer is Prefer without the check of the kernel's mode (tests).
func prefer(n int) int {
	chunks := make([][]byte, n/chunk)
	for i := range chunks {
		chunks[i] = make([]byte, chunk)
	}
	// The runtime hands out the chunks mostly in address order and next
	// to each other: advise each run of adjacent chunks at once, rounded
	// inward to whole huge pages.
	bases := make([]uintptr, len(chunks))
	for i, c := range chunks {
		bases[i] = uintptr(unsafe.Pointer(unsafe.SliceData(c)))
	}
	slices.Sort(bases)
	advised := 0
	for i := 0; i < len(bases); {
		j := i + 1
		for j < len(bases) && bases[j] == bases[j-1]+chunk {
			j++
		}
		beg := (bases[i] + hugeSize - 1) &^ (hugeSize - 1)
		end := (bases[j-1] + chunk) &^ (hugeSize - 1)
		if beg < end {
			// The range is heap memory the chunks hold (kept alive below):
			// advice changes how the kernel backs it, never what it holds.
			_, _, errno := unix.Syscall(unix.SYS_MADVISE, beg, end-beg, unix.MADV_HUGEPAGE)
			if errno == 0 {
				advised += int(end - beg)
			}
		}
		i = j
	}
	runtime.KeepAlive(chunks)
	chunks = nil
	// Collect the chunks and return their pages to the kernel at once:
	// none was touched, so this costs the advice of their range, and the
	// runtime stops counting them as memory it holds (the memory limit
	// archive build sets counts what the heap holds, not its address
	// space).
	debug.FreeOSMemory()
	return advised
}
