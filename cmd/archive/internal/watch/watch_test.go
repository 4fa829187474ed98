package watch

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

var sitePaths = []string{"content", "layouts", "seeds", "archive.toml"}

// newSite makes a site root with the given files (slash paths → content).
func newSite(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{"content", "layouts", "seeds", "public"} {
		mkdir(t, root, d)
	}
	for p, s := range files {
		write(t, root, p, s)
	}
	return root
}

func mkdir(t *testing.T, root, rel string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(root, rel), 0o755); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, root, rel, s string) {
	t.Helper()
	p := filepath.Join(root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func rename(t *testing.T, root, from, to string) {
	t.Helper()
	if err := os.Rename(filepath.Join(root, from), filepath.Join(root, to)); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, root, rel string) {
	t.Helper()
	if err := os.RemoveAll(filepath.Join(root, rel)); err != nil {
		t.Fatal(err)
	}
}

// collectWant receives batches until their union is want (or 10 s pass),
// then any more that come within settle: a loaded machine may be slow to
// deliver, but extra batches are still seen.
func collectWant(t *testing.T, w *Watcher, want []string, settle time.Duration) [][]string {
	t.Helper()
	var got [][]string
	deadline := time.After(10 * time.Second)
	for len(want) > 0 && !reflect.DeepEqual(union(got), want) {
		select {
		case b := <-w.Batches():
			got = append(got, b)
		case err := <-w.Errors():
			t.Errorf("watch error: %v", err)
		case <-deadline:
			return got
		}
	}
	return append(got, collect(t, w, settle)...)
}

// collect receives batches until none has come for settle.
func collect(t *testing.T, w *Watcher, settle time.Duration) [][]string {
	t.Helper()
	var got [][]string
	for {
		select {
		case b := <-w.Batches():
			got = append(got, b)
		case err := <-w.Errors():
			t.Errorf("watch error: %v", err)
		case <-time.After(settle):
			return got
		}
	}
}

func union(batches [][]string) []string {
	set := map[string]bool{}
	for _, b := range batches {
		for _, p := range b {
			set[p] = true
		}
	}
	l := []string{}
	for p := range set {
		l = append(l, p)
	}
	sort.Strings(l)
	return l
}

// saveCases are the ways editors and tools change files. Each starts from a
// site with content/a.md and content/old/x.md.
var saveCases = []struct {
	name       string
	act        func(t *testing.T, root string)
	want       []string
	maxBatches int
}{
	{"plain write", func(t *testing.T, r string) {
		write(t, r, "content/a.md", "v2")
	}, []string{"content/a.md"}, 1},
	{"vim: 4913 probe, backup~, rename, write", func(t *testing.T, r string) {
		write(t, r, "content/.a.md.swp", "swap")
		write(t, r, "content/4913", "")
		remove(t, r, "content/4913")
		rename(t, r, "content/a.md", "content/a.md~")
		write(t, r, "content/a.md", "v2")
		remove(t, r, "content/a.md~")
		write(t, r, "content/.a.md.swp", "swap2")
	}, []string{"content/a.md"}, 1},
	{"backup rename, then a slow write", func(t *testing.T, r string) {
		rename(t, r, "content/a.md", "content/a.md~")
		time.Sleep(40 * time.Millisecond) // longer than the quiet period: a slow disk
		write(t, r, "content/a.md", "v2")
		remove(t, r, "content/a.md~")
	}, []string{"content/a.md"}, 1},
	{"atomic write then rename", func(t *testing.T, r string) {
		write(t, r, "content/.a.md.tmp81723", "v2")
		rename(t, r, "content/.a.md.tmp81723", "content/a.md")
	}, []string{"content/a.md"}, 1},
	{"emacs lock and autosave", func(t *testing.T, r string) {
		if err := os.Symlink("me@host.1234:1700000000", filepath.Join(r, "content/.#a.md")); err != nil {
			t.Fatal(err)
		}
		write(t, r, "content/#a.md#", "autosave")
		write(t, r, "content/a.md", "v2")
		remove(t, r, "content/#a.md#")
		remove(t, r, "content/.#a.md")
	}, []string{"content/a.md"}, 1},
	{"gnome goutputstream rename", func(t *testing.T, r string) {
		write(t, r, "content/.goutputstream-X1Y2Z3", "v2")
		rename(t, r, "content/.goutputstream-X1Y2Z3", "content/a.md")
	}, []string{"content/a.md"}, 1},
	{"jetbrains safe write", func(t *testing.T, r string) {
		write(t, r, "content/a.md___jb_tmp___", "v2")
		rename(t, r, "content/a.md", "content/a.md___jb_old___")
		rename(t, r, "content/a.md___jb_tmp___", "content/a.md")
		remove(t, r, "content/a.md___jb_old___")
	}, []string{"content/a.md"}, 1},
	{"helix backup", func(t *testing.T, r string) {
		write(t, r, "content/a.md.bck", "v1")
		write(t, r, "content/a.md", "v2")
		remove(t, r, "content/a.md.bck")
	}, []string{"content/a.md"}, 1},
	{"chmod only", func(t *testing.T, r string) {
		if err := os.Chmod(filepath.Join(r, "content/a.md"), 0o600); err != nil {
			t.Fatal(err)
		}
	}, []string{}, 0},
	{"public and other folders are not watched", func(t *testing.T, r string) {
		write(t, r, "public/index.html", "x")
		write(t, r, "README.md", "x")
		write(t, r, "content/.git/HEAD", "x")
		write(t, r, "content/.DS_Store", "x")
	}, []string{}, 0},
	{"new nested folder", func(t *testing.T, r string) {
		mkdir(t, r, "content/a/b/c")
		write(t, r, "content/a/b/c/new.md", "new")
	}, []string{"content/a/b/c/new.md"}, 2}, // 2 when the machine stalls between mkdir and write for longer than the quiet period
	{"new folders with all-digit names", func(t *testing.T, r string) {
		mkdir(t, r, "content/2019/11")
		write(t, r, "content/2019/11/new.md", "new")
	}, []string{"content/2019/11/new.md"}, 2},
	{"rename a folder", func(t *testing.T, r string) {
		rename(t, r, "content/old", "content/renamed")
	}, []string{"content/old/x.md", "content/renamed/x.md"}, 1},
	{"delete a file", func(t *testing.T, r string) {
		remove(t, r, "content/a.md")
	}, []string{"content/a.md"}, 1},
	{"delete a folder", func(t *testing.T, r string) {
		remove(t, r, "content/old")
	}, []string{"content/old/x.md"}, 1},
	{"config saved by rename", func(t *testing.T, r string) {
		write(t, r, ".archive.toml.new", "title = 'y'")
		rename(t, r, ".archive.toml.new", "archive.toml")
	}, []string{"archive.toml"}, 1},
	{"layouts folder created after start", func(t *testing.T, r string) {
		remove(t, r, "layouts")
		time.Sleep(50 * time.Millisecond)
		mkdir(t, r, "layouts/partials")
		write(t, r, "layouts/partials/head.html", "<head>")
	}, []string{"layouts/partials/head.html"}, 2},
}

func TestSaves(t *testing.T) {
	for _, mode := range []struct {
		name string
		opts []Option
	}{
		{"fsnotify", nil},
		{"poll", []Option{WithPoll(20 * time.Millisecond)}},
	} {
		for _, tc := range saveCases {
			t.Run(mode.name+"/"+tc.name, func(t *testing.T) {
				// A machine loaded by other tests may stall a save for
				// longer than the quiet period and split it in two
				// batches: the count is checked again on a second try,
				// the changes every time.
				for try := 1; ; try++ {
					batches := runSave(t, mode.opts, tc.act, tc.want)
					if got := union(batches); !reflect.DeepEqual(got, tc.want) {
						t.Errorf("changed %q, want %q (batches %q)", got, tc.want, batches)
					}
					if len(batches) <= tc.maxBatches {
						break
					}
					if try == 3 {
						t.Errorf("%d batches %q, want at most %d", len(batches), batches, tc.maxBatches)
						break
					}
					t.Logf("try %d: %d batches %q, want at most %d; trying again", try, len(batches), batches, tc.maxBatches)
				}
			})
		}
	}
}

// runSave makes a site, watches it, runs act and returns the batches.
func runSave(t *testing.T, opts []Option, act func(t *testing.T, root string), want []string) [][]string {
	t.Helper()
	root := newSite(t, map[string]string{
		"content/a.md": "v1", "content/old/x.md": "x", "archive.toml": "title = 'x'",
	})
	w, err := New(root, sitePaths, opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if w.fsw == nil {
		// Polling compares mtime, size and inode; the kernel's mtime
		// clock ticks every few ms, so a same-size rewrite right after
		// creation would look unchanged.
		time.Sleep(30 * time.Millisecond)
	}
	act(t, root)
	return collectWant(t, w, want, 300*time.Millisecond)
}

// TestNewFoldersStayWatched edits files in folders that appeared, were
// renamed, or moved in after start, in a second round: their watches must
// be in place.
func TestNewFoldersStayWatched(t *testing.T) {
	root := newSite(t, map[string]string{"content/old/sub/x.md": "x"})
	outside := t.TempDir()
	write(t, outside, "moved/deep/y.md", "y")
	w, err := New(root, sitePaths)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()

	mkdir(t, root, "content/a/b/c")
	rename(t, root, "content/old", "content/new")
	if err := os.Rename(filepath.Join(outside, "moved"), filepath.Join(root, "content/moved")); err != nil {
		t.Fatal(err)
	}
	want := []string{"content/moved/deep/y.md", "content/new/sub/x.md", "content/old/sub/x.md"}
	first := union(collectWant(t, w, want, 300*time.Millisecond))
	if !reflect.DeepEqual(first, want) {
		t.Errorf("first round %q, want %q", first, want)
	}

	write(t, root, "content/a/b/c/z.md", "z")
	write(t, root, "content/new/sub/x.md", "x2")
	write(t, root, "content/moved/deep/y.md", "y2")
	want = []string{"content/a/b/c/z.md", "content/moved/deep/y.md", "content/new/sub/x.md"}
	second := union(collectWant(t, w, want, 300*time.Millisecond))
	if !reflect.DeepEqual(second, want) {
		t.Errorf("second round %q, want %q", second, want)
	}
	// The old name must not be watched any more: nothing lives there.
	for _, d := range w.fsw.WatchList() {
		if strings.Contains(filepath.ToSlash(d), "content/old") {
			t.Errorf("still watching %s after the folder was renamed", d)
		}
	}
}

func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd:", err)
	}
	return len(ents)
}

// TestBurst is a `git checkout` of 500 files: a bounded number of batches,
// every file reported, and no goroutine or file descriptor left behind.
func TestBurst(t *testing.T) {
	for _, mode := range []struct {
		name string
		opts []Option
	}{
		{"fsnotify", nil},
		{"poll", []Option{WithPoll(50 * time.Millisecond)}},
	} {
		t.Run(mode.name, func(t *testing.T) {
			root := newSite(t, nil)
			for i := range 500 {
				write(t, root, fmt.Sprintf("content/d%d/a%03d.md", i%10, i), "v1")
			}
			runtime.GC()
			goroutines, fds := runtime.NumGoroutine(), openFDs(t)

			w, err := New(root, sitePaths, mode.opts...)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for i := range 500 {
				p := fmt.Sprintf("content/d%d/a%03d.md", i%10, i)
				write(t, root, p, "v2 with a different size")
				want = append(want, p)
			}
			sort.Strings(want)
			batches := collectWant(t, w, want, 400*time.Millisecond)
			if got := union(batches); !reflect.DeepEqual(got, want) {
				t.Errorf("%d paths changed, want %d", len(got), len(want))
			}
			if len(batches) > 3 {
				t.Errorf("%d batches for one burst, want at most 3", len(batches))
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(2 * time.Second)
			for runtime.NumGoroutine() > goroutines && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if g := runtime.NumGoroutine(); g > goroutines {
				t.Errorf("%d goroutines after Close, %d before New", g, goroutines)
			}
			if f := openFDs(t); f > fds {
				t.Errorf("%d open files after Close, %d before New", f, fds)
			}
		})
	}
}

func TestIgnored(t *testing.T) {
	for name, want := range map[string]bool{
		"a.md": false, "4913": true, "5036": true, "2019.md": false, ".a.md.swp": true, ".a.md.swx": true,
		"a.md~": true, ".#a.md": true, "#a.md#": true, "#": false, ".goutputstream-ABC": true,
		"a.md___jb_tmp___": true, "a.md___jb_old___": true, "a.md.bck": true, ".DS_Store": true,
		"style.css": false, "archive.toml": false,
	} {
		if got := Ignored(name); got != want {
			t.Errorf("Ignored(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestLimitError(t *testing.T) {
	err := limitError("watch content/x", fmt.Errorf("add: %w", syscall.ENOSPC))
	for _, want := range []string{"fs.inotify.max_user_watches", "--poll", "watch content/x"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not mention %q", err, want)
		}
	}
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("%v does not wrap ENOSPC", err)
	}
	err = limitError("start watching", syscall.EMFILE)
	if !strings.Contains(err.Error(), "max_user_instances") {
		t.Errorf("%q does not mention max_user_instances", err)
	}
}

func TestCloseStopsBatches(t *testing.T) {
	root := newSite(t, map[string]string{"content/a.md": "v1"})
	w, err := New(root, sitePaths)
	if err != nil {
		t.Fatal(err)
	}
	write(t, root, "content/a.md", "v2")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// TestRealEditors saves with the real tools when they are installed: vim
// (with its 4913 probe, swap file and, with backupcopy=no, a rename-away
// backup) and sed -i (a temp file renamed over the original).
func TestRealEditors(t *testing.T) {
	for _, tc := range []struct {
		name string
		tool string
		args []string
	}{
		{"vim default", "vim", []string{"-u", "NONE", "-i", "NONE", "-N", "-es", "-c", "%s/v1/v2/", "-c", "wq"}},
		{"vim backupcopy=no", "vim", []string{"-u", "NONE", "-i", "NONE", "-N", "-es",
			"-c", "set backup writebackup backupcopy=no", "-c", "%s/v1/v2/", "-c", "wq"}},
		{"sed -i", "sed", []string{"-i", "s/v1/v2/"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bin, err := exec.LookPath(tc.tool)
			if err != nil {
				t.Skipf("%s not installed", tc.tool)
			}
			root := newSite(t, map[string]string{"content/a.md": "v1\n"})
			w, err := New(root, sitePaths)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			cmd := exec.Command(bin, append(tc.args, filepath.Join(root, "content/a.md"))...)
			cmd.Dir = filepath.Join(root, "content")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", tc.tool, err, out)
			}
			if b, _ := os.ReadFile(filepath.Join(root, "content/a.md")); string(b) != "v2\n" {
				t.Fatalf("%s did not save: %q", tc.tool, b)
			}
			batches := collectWant(t, w, []string{"content/a.md"}, 300*time.Millisecond)
			if got := union(batches); !reflect.DeepEqual(got, []string{"content/a.md"}) || len(batches) != 1 {
				t.Errorf("batches %q, want one with content/a.md", batches)
			}
		})
	}
}
