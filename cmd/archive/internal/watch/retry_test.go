package watch

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// denyAdd makes adding a watch on the folder deny fail with EACCES while
// *on is set, as the kernel does for a folder this user cannot read.
func denyAdd(deny string, on *atomic.Bool) Option {
	return func(o *options) {
		o.wrapAdd = func(add func(string) error) func(string) error {
			return func(name string) error {
				if on.Load() && name == deny {
					return fmt.Errorf("%w", syscall.EACCES)
				}
				return add(name)
			}
		}
	}
}

// waitError waits for an error on Errors that mentions s.
func waitError(t *testing.T, w *Watcher, s string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case err := <-w.Errors():
			if strings.Contains(err.Error(), s) {
				return
			}
		case <-w.Batches():
		case <-deadline:
			t.Fatalf("no error mentioning %q", s)
		}
	}
}

// A folder whose watch failed (content/ deleted and made again, and at
// first not readable) is tried again until it is watched: its files are
// then reported, and later edits seen.
func TestFailedWatchIsRetried(t *testing.T) {
	for _, how := range []string{"timer", "chmod event"} {
		t.Run(how, func(t *testing.T) {
			root := newSite(t, map[string]string{"content/a.md": "v1"})
			var deny atomic.Bool
			w, err := New(root, sitePaths, denyAdd(filepath.Join(root, "content"), &deny))
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			remove(t, root, "content")
			collectWant(t, w, []string{"content/a.md"}, 200*time.Millisecond) // every batch of this change
			deny.Store(true)
			mkdir(t, root, "content")
			waitError(t, w, "watch content: permission denied (trying again")
			write(t, root, "content/a.md", "v2")
			write(t, root, "content/b.md", "v2")
			deny.Store(false)
			if how == "chmod event" {
				if err := os.Chmod(filepath.Join(root, "content"), 0o700); err != nil {
					t.Fatal(err)
				}
			}
			if got := union(collectWant(t, w, []string{"content/a.md", "content/b.md"}, 200*time.Millisecond)); strings.Join(got, " ") != "content/a.md content/b.md" {
				t.Errorf("once the folder can be watched: %v", got)
			}
			write(t, root, "content/a.md", "v3")
			if got := union(collectWant(t, w, []string{"content/a.md"}, 50*time.Millisecond)); strings.Join(got, " ") != "content/a.md" {
				t.Errorf("an edit after the retry: %v", got)
			}
		})
	}
}

// A folder that cannot be watched at start does not stop the watcher: the
// rest is watched, the error is reported, and the folder is tried again.
func TestFailedWatchAtStart(t *testing.T) {
	root := newSite(t, map[string]string{"content/a.md": "v1", "content/sub/x.md": "v1"})
	var deny atomic.Bool
	deny.Store(true)
	w, err := New(root, sitePaths, denyAdd(filepath.Join(root, "content/sub"), &deny))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	waitError(t, w, "watch content/sub: permission denied")
	write(t, root, "content/a.md", "v2")
	collectWant(t, w, []string{"content/a.md"}, 200*time.Millisecond) // every batch of this write
	deny.Store(false)
	if got := union(collectWant(t, w, []string{"content/sub/x.md"}, 10*time.Millisecond)); strings.Join(got, " ") != "content/sub/x.md" {
		t.Errorf("once the folder can be watched: %v", got)
	}
	write(t, root, "content/sub/x.md", "v2")
	if got := union(collectWant(t, w, []string{"content/sub/x.md"}, 10*time.Millisecond)); strings.Join(got, " ") != "content/sub/x.md" {
		t.Errorf("an edit in the folder: %v", got)
	}
}

// A file made unreadable and readable again (chmod 000, chmod 644) is a
// change each time, as is a folder; touch and chmod +x are not. Run as a
// user whom permissions stop.
func TestPermissionChanges(t *testing.T) {
	if !asUser(t, "TestPermissionChanges") {
		return
	}
	chmod := func(t *testing.T, root, rel string, mode os.FileMode) {
		t.Helper()
		if err := os.Chmod(filepath.Join(root, rel), mode); err != nil {
			t.Fatal(err)
		}
	}
	for _, mode := range []string{"notify", "poll"} {
		t.Run(mode, func(t *testing.T) {
			var opts []Option
			if mode == "poll" {
				opts = append(opts, WithPoll(20*time.Millisecond))
			}
			root := newSite(t, map[string]string{"content/a.md": "v1", "content/b.md": "v1", "content/sub/x.md": "v1"})
			chmod(t, root, "content/b.md", 0o000) // unreadable from the start
			w, err := New(root, sitePaths, opts...)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			settle := 100 * time.Millisecond

			chmod(t, root, "content/a.md", 0o000)
			if got := union(collectWant(t, w, []string{"content/a.md"}, settle)); strings.Join(got, " ") != "content/a.md" {
				t.Errorf("chmod 000: %v", got)
			}
			chmod(t, root, "content/a.md", 0o644)
			if got := union(collectWant(t, w, []string{"content/a.md"}, settle)); strings.Join(got, " ") != "content/a.md" {
				t.Errorf("chmod 644 after 000: %v", got)
			}
			chmod(t, root, "content/b.md", 0o644)
			if got := union(collectWant(t, w, []string{"content/b.md"}, settle)); strings.Join(got, " ") != "content/b.md" {
				t.Errorf("chmod 644 of a file unreadable at start: %v", got)
			}
			chmod(t, root, "content/a.md", 0o755)
			now := time.Now()
			os.Chtimes(filepath.Join(root, "content/b.md"), now, now.Add(-time.Hour)) // touch without a write: mtime changes
			if mode == "notify" {
				if got := union(collect(t, w, settle)); len(got) != 0 {
					t.Errorf("chmod +x and touch rebuilt %v", got)
				}
			} else if got := union(collectWant(t, w, []string{"content/b.md"}, settle)); strings.Join(got, " ") != "content/b.md" {
				// Polling sees the touch (its mtime changed), not the chmod +x.
				// Waiting for it keeps a report delayed by a loaded machine
				// out of the next step.
				t.Errorf("chmod +x and touch, polled: %v", got)
			}
			for _, step := range []struct {
				what string
				do   func()
			}{
				{"chmod 000 of a folder", func() { chmod(t, root, "content/sub", 0o000) }},
				{"chmod 755 of a folder", func() { chmod(t, root, "content/sub", 0o755) }},
				{"an edit in it", func() { write(t, root, "content/sub/x.md", "v2") }},
			} {
				step.do()
				if got := union(collectWant(t, w, []string{"content/sub/x.md"}, settle)); strings.Join(got, " ") != "content/sub/x.md" {
					t.Errorf("%s: %v", step.what, got)
				}
			}
		})
	}
}

// content/ deleted and made again unreadable while the server runs (as
// `cp -a` of a folder without read permission does, before it sets the
// final mode): the real kernel refuses the watch; the watcher tries again.
func TestFolderRecreatedUnreadable(t *testing.T) {
	if !asUser(t, "TestFolderRecreatedUnreadable") {
		return
	}
	root := newSite(t, map[string]string{"content/a.md": "v1"})
	w, err := New(root, sitePaths)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	remove(t, root, "content")
	collectWant(t, w, []string{"content/a.md"}, 200*time.Millisecond)       // every batch of this change
	if err := os.Mkdir(filepath.Join(root, "content"), 0o300); err != nil { // write and enter, not read
		t.Fatal(err)
	}
	waitError(t, w, "watch content: permission denied")
	write(t, root, "content/a.md", "v2")
	if err := os.Chmod(filepath.Join(root, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	collectWant(t, w, []string{"content/a.md"}, 200*time.Millisecond) // every batch of this change
	write(t, root, "content/a.md", "v3")
	if got := union(collectWant(t, w, []string{"content/a.md"}, 50*time.Millisecond)); strings.Join(got, " ") != "content/a.md" {
		t.Errorf("an edit after the folder became readable: %v", got)
	}
}
