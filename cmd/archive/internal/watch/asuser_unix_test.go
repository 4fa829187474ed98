//go:build unix

package watch

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// asUser runs the test named name as an unprivileged user when the tests
// run as root (whom no permission stops), and reports whether the caller
// should go on (it is that user, or not root to begin with).
func asUser(t *testing.T, name string) bool {
	if os.Getuid() != 0 {
		return true
	}
	if os.Getenv("ARCHIVE_WATCH_AS_USER") != "" {
		t.Fatal("still root after dropping privileges")
	}
	// The test binary lives in a folder only root may enter: copy it out.
	dir, err := os.MkdirTemp("", "watch-as-user-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	exe := filepath.Join(dir, "watch.test")
	if err := copyFile(os.Args[0], exe); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^"+name+"$", "-test.v", "-test.count=1")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "ARCHIVE_WATCH_AS_USER=1", "TMPDIR=/tmp", "HOME=/tmp", "GOCOVERDIR=")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Skipf("cannot run the test as user 65534: %v", err)
		}
		t.Fatalf("as user 65534: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "--- PASS: "+name) {
		t.Fatalf("as user 65534, the test did not pass:\n%s", out)
	}
	t.Logf("ran as user 65534:\n%s", out)
	return false
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
