package hugepages

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// vma is one mapping of /proc/self/smaps.
type vma struct {
	lo, hi uintptr
	huge   bool // VmFlags has "hg": advised MADV_HUGEPAGE
}

func mappings(t *testing.T) []vma {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no /proc/self/smaps: %v", err)
	}
	defer f.Close()
	var vs []vma
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if flags, ok := strings.CutPrefix(l, "VmFlags:"); ok {
			if len(vs) > 0 && strings.Contains(" "+flags+" ", " hg ") {
				vs[len(vs)-1].huge = true
			}
			continue
		}
		r, _, _ := strings.Cut(l, " ")
		lo, hi, ok := strings.Cut(r, "-")
		if !ok {
			continue
		}
		a, err1 := strconv.ParseUint(lo, 16, 64)
		b, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		vs = append(vs, vma{lo: uintptr(a), hi: uintptr(b)})
	}
	return vs
}

func rssAnon(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skipf("no /proc/self/status: %v", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "RssAnon:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			return kb << 10
		}
	}
	t.Skip("no RssAnon in /proc/self/status")
	return 0
}

var sink [][]byte

// TestPrefer: the advised range is in the process's mappings with the
// "hg" flag, the chunks were never touched (the process holds about the
// memory it held before), and the heap's next allocations land in it.
func TestPrefer(t *testing.T) {
	if Mode() == "" {
		t.Skip("this kernel has no transparent huge pages (/sys/kernel/mm/transparent_hugepage/enabled)")
	}
	const n = 256 << 20
	before := rssAnon(t)
	got := prefer(n)
	grew := rssAnon(t) - before
	if got < n/2 {
		t.Fatalf("prefer(%d MB) advised %d MB, want most of it", n>>20, got>>20)
	}
	if grew > 32<<20 && !raceEnabled {
		t.Errorf("prefer(%d MB) made the process hold %d MB more: it touched the chunks it only had to map", n>>20, grew>>20)
	}
	huge := 0
	vs := mappings(t)
	for _, v := range vs {
		if v.huge {
			huge += int(v.hi - v.lo)
		}
	}
	if huge < got {
		t.Fatalf("mappings advised MADV_HUGEPAGE: %d MB, want at least the %d MB prefer advised", huge>>20, got>>20)
	}

	// The heap grows into the advised range: 32 MB of 8 KB objects.
	in, all := 0, 0
	for range 32 << 20 / 8192 {
		b := make([]byte, 8192)
		sink = append(sink, b)
		p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
		all++
		for _, v := range vs {
			if v.huge && v.lo <= p && p < v.hi {
				in++
				break
			}
		}
	}
	sink = nil
	runtime.GC()
	if in < all*9/10 {
		t.Errorf("%d of %d new 8 KB objects are in the advised range, want nine tenths", in, all)
	}
}

func TestPreferTooSmall(t *testing.T) {
	if got := Prefer(chunk - 1); got != 0 {
		t.Errorf("Prefer(%d) = %d, want 0: less than a chunk advises nothing", chunk-1, got)
	}
}

func TestMode(t *testing.T) {
	m := Mode()
	switch m {
	case "", "always", "madvise", "never":
	default:
		t.Errorf("Mode() = %q, want always, madvise, never or empty", m)
	}
}

func TestPreferOnce(t *testing.T) {
	if Mode() != "madvise" {
		t.Skipf("THP is %q, not madvise: Prefer advises nothing", Mode())
	}
	first.Store(false)
	if got := Prefer(8 << 20); got == 0 {
		t.Fatal("first Prefer(8 MB) advised nothing")
	}
	if got := Prefer(8 << 20); got != 0 {
		t.Errorf("second Prefer(8 MB) advised %d bytes, want 0: the first call's range serves the process", got)
	}
}
