package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStartProfile: ARCHIVE_CPUPROFILE writes a gzipped pprof profile;
// a path that cannot be made warns and runs on without one.
func TestStartProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.prof")
	var stderr bytes.Buffer
	end := startProfile(path, &stderr)
	n := 0
	for i := range 1_000_000 {
		n += i % 7
	}
	end()
	if stderr.Len() != 0 {
		t.Errorf("warnings for a good path: %s", stderr.String())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Errorf("profile is not gzipped pprof data (%d bytes, sum %d)", len(b), n)
	}

	stderr.Reset()
	bad := filepath.Join(t.TempDir(), "no-such-folder", "cpu.prof")
	startProfile(bad, &stderr)()
	if !strings.Contains(stderr.String(), "ARCHIVE_CPUPROFILE") || !strings.Contains(stderr.String(), "no-such-folder") {
		t.Errorf("warning for an unwritable path = %q, want it to name the variable and the path", stderr.String())
	}
	if _, err := os.Stat(bad); err == nil {
		t.Errorf("%s was made", bad)
	}

	stderr.Reset()
	startProfile("", &stderr)()
	if stderr.Len() != 0 {
		t.Errorf("warnings without the variable: %s", stderr.String())
	}
}

// TestStartTrace: ARCHIVE_TRACE writes an execution trace `go tool trace`
// reads; a path that cannot be made warns and runs on without one.
func TestStartTrace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trace.out")
	var stderr bytes.Buffer
	end := startTrace(path, &stderr)
	done := make(chan int)
	go func() { done <- 7 }()
	<-done
	end()
	if stderr.Len() != 0 {
		t.Errorf("warnings for a good path: %s", stderr.String())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("go 1.")) || !bytes.Contains(b[:16], []byte(" trace")) {
		t.Errorf("not an execution trace: %d bytes beginning %q", len(b), b[:min(len(b), 16)])
	}

	stderr.Reset()
	bad := filepath.Join(t.TempDir(), "no-such-folder", "trace.out")
	startTrace(bad, &stderr)()
	if !strings.Contains(stderr.String(), "ARCHIVE_TRACE") || !strings.Contains(stderr.String(), "no-such-folder") {
		t.Errorf("warning for an unwritable path = %q, want it to name the variable and the path", stderr.String())
	}

	stderr.Reset()
	startTrace("", &stderr)()
	if stderr.Len() != 0 {
		t.Errorf("warnings without the variable: %s", stderr.String())
	}
}
