package site

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// deadPID returns the id of a process that has exited.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skipf("cannot run a child process: %v", err)
	}
	return cmd.Process.Pid
}

// makeStore makes a store folder under parent as a server would, with a
// generation of files, and writes pid into its pid file.
func makeStore(t *testing.T, parent, name string, pid int) string {
	t.Helper()
	dir := filepath.Join(parent, name)
	for _, f := range []string{"gen-1/index.html", "gen-1/a/index.html", "gen-2/index.html"} {
		p := filepath.Join(dir, f)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "pid"), []byte(strconv.Itoa(pid)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestRemoveStorePIDLast stops RemoveStore at each step in turn (as a kill
// would) and checks that what is left still holds its pid file, so that
// CleanStores, run by the next server, removes it; only the last step, the
// removal of the emptied folder, may leave an empty folder without one.
func TestRemoveStorePIDLast(t *testing.T) {
	dead := deadPID(t)
	for stop := 1; ; stop++ {
		parent := t.TempDir()
		dir := makeStore(t, parent, "archive-serve-x", dead)
		calls := 0
		killed := errors.New("killed")
		removeAll = func(p string) error {
			calls++
			if calls == stop {
				// Killed midway through os.RemoveAll(p): the worst
				// case removes p's pid file, if p holds one, first.
				_ = os.Remove(filepath.Join(p, "pid"))
				return killed
			}
			return os.RemoveAll(p)
		}
		err := RemoveStore(dir)
		removeAll = os.RemoveAll
		if err == nil {
			if _, err := os.Stat(dir); !os.IsNotExist(err) {
				t.Fatalf("RemoveStore succeeded but %s is still there (%v)", dir, err)
			}
			if stop < 3 {
				t.Fatalf("RemoveStore made only %d removals", stop-1)
			}
			return
		}
		if !errors.Is(err, killed) {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, "pid")); err != nil {
			// Only an empty folder may be left without its pid file.
			if ents, _ := os.ReadDir(dir); len(ents) > 0 {
				t.Fatalf("stopped at removal %d: the pid file is gone and %s holds %d entries that CleanStores will never remove", stop, dir, len(ents))
			}
			continue
		}
		CleanStores(parent, "archive-serve-")
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Fatalf("stopped at removal %d: CleanStores left %s (%v)", stop, dir, err)
		}
	}
}

// TestCleanStoresKeepsLive checks that CleanStores removes a dead server's
// store and leaves a live one's, one of another prefix, and a folder with
// no pid file alone.
func TestCleanStoresKeepsLive(t *testing.T) {
	parent := t.TempDir()
	deadDir := makeStore(t, parent, "archive-serve-dead", deadPID(t))
	live := makeStore(t, parent, "archive-serve-live", os.Getppid())
	own := makeStore(t, parent, "archive-serve-own", os.Getpid())
	other := makeStore(t, parent, "other-dead", deadPID(t))
	nopid := makeStore(t, parent, "archive-serve-nopid", 1)
	if err := os.Remove(filepath.Join(nopid, "pid")); err != nil {
		t.Fatal(err)
	}
	CleanStores(parent, "archive-serve-")
	if _, err := os.Stat(deadDir); !os.IsNotExist(err) {
		t.Errorf("dead server's store %s is still there (%v)", deadDir, err)
	}
	for _, d := range []string{live, own, other, nopid} {
		if _, err := os.Stat(filepath.Join(d, "gen-1", "index.html")); err != nil {
			t.Errorf("%s was removed: %v", d, err)
		}
	}
}
