package benchgen

import (
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// childWork is what TestRunSplitsCPU's child does, named by
// BENCHGEN_CHILD: "user" counts in a loop, "system" makes system calls.
func childWork(what string) {
	end := time.Now().Add(300 * time.Millisecond)
	switch what {
	case "user":
		n := 0
		for time.Now().Before(end) {
			for i := range 1 << 16 {
				n += i * i
			}
		}
		if n == 42 {
			println(n)
		}
	case "system":
		// Reading /dev/zero makes the kernel clear the buffer: a few
		// hundred microseconds of system time per call against a
		// handful of user instructions. The raw system call keeps
		// the race detector from marking the buffer written (os and
		// syscall's Read do), which is user time as long as the
		// kernel's.
		f, err := os.Open("/dev/zero")
		if err != nil {
			panic(err)
		}
		buf := make([]byte, 4<<20)
		for time.Now().Before(end) {
			_, _, e := syscall.Syscall(syscall.SYS_READ, f.Fd(), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
			if e != 0 {
				panic(e)
			}
		}
	}
	os.Exit(0)
}

// TestRunSplitsCPU checks that Run reports a child's user and system time
// apart, and their sum as CPU: the scale benchmark quotes them apart
// because creating files is the kernel's time.
func TestRunSplitsCPU(t *testing.T) {
	if w := os.Getenv("BENCHGEN_CHILD"); w != "" {
		childWork(w)
	}
	for _, what := range []string{"user", "system"} {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestRunSplitsCPU$")
		cmd.Env = append(os.Environ(), "BENCHGEN_CHILD="+what)
		o := Run(cmd, Limits{})
		if o.Err != nil {
			t.Fatal(o.Err)
		}
		if o.CPU != o.User+o.Sys {
			t.Errorf("%s: CPU %v, want user %v + system %v", what, o.CPU, o.User, o.Sys)
		}
		t.Logf("%s child: user %v, system %v", what, o.User, o.Sys)
		mine, other := o.User, o.Sys
		if what == "system" {
			mine, other = o.Sys, o.User
		}
		if mine < 100*time.Millisecond || mine < other {
			t.Errorf("%s child: user %v, system %v: want most of its 300 ms in %s time", what, o.User, o.Sys, what)
		}
	}
}
