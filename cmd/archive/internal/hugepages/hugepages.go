// Package hugepages asks the kernel to back the first part of the Go heap
// with transparent huge pages (THP), for a process that is about to grow
// its heap by hundreds of megabytes and keep it for a short while: archive
// build.
//
// Linux gives an anonymous mapping 2 MB pages on its first touch only when
// THP is "always", or "madvise" and the mapping was advised
// MADV_HUGEPAGE. Debian and most distributions ship "madvise", and Go does
// not advise its heap: it stopped in Go 1.21.1 (commit 06df3292a8,
// golang/go#61718) because, with the kernel's THP defrag setting
// "madvise", a fault in advised memory compacts memory when no huge page is
// free, and that stalled servers. A build is short and its faults are many;
// where memory is fragmented such a stall is the price, and
// ARCHIVE_HUGEPAGES=off turns the advice off for archive build. So each 4 KB page of a growing
// heap costs a page fault, and a build of 10,000 articles takes about
// 110,000 of them. On a virtual machine whose memory the host takes back
// (free page reporting, as on Firecracker), the first touch of a page costs
// 7 to 20 µs: 300 MB of fresh heap took 0.58 s in 4 KB pages and 0.1 s in
// huge pages.
//
// Prefer cannot advise memory the runtime maps later, so it makes the
// runtime map it now: it allocates n bytes in chunks it never touches
// (memory fresh from the kernel is not zeroed by the runtime), advises
// MADV_HUGEPAGE over them, lets them go and returns them to the kernel
// (debug.FreeOSMemory: nothing was touched, so nothing is given back but
// the accounting). The advice stays with the address range; the runtime
// allocates its spans from the lowest free addresses first, so the heap
// grows into the advised range, where each first touch of a 2 MB range
// faults in a huge page when the kernel has one free (else 4 KB pages, as
// before). Memory the runtime's scavenger returns later is returned as
// before; only the next first touch differs.
//
// One large allocation would be zeroed whole when any part of it reuses
// memory the runtime used before (7 runs in 40 of archive build: 768 MB
// touched at once, 2.4 s); chunks of a few megabytes bound that to one
// chunk.
package hugepages

// Off is the value of the environment variable ARCHIVE_HUGEPAGES that
// turns Prefer off (archive build reads it).
const Off = "off"

// chunk is the size of the allocations Prefer makes: a multiple of the
// huge page size (2 MB on x86-64 and arm64 with 4 KB pages) and of the
// runtime's heap chunks (4 MB).
const chunk = 4 << 20
