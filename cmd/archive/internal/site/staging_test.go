package site

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestIsStagingName(t *testing.T) {
	for name, want := range map[string]bool{
		".public.new-2750811839":     true,
		".public.new-1.old":          true,
		".public.new-":               false,
		".public.new-.old":           false,
		".public.new-12x":            false,
		".public.new-notes":          false,
		".public.new-1.old.old":      false,
		"public.new-1":               false,
		".site.new-1":                false,
		".public.new-1/":             false,
		".public.new-1.tmp":          false,
		".public.new-１２":             false, // full-width digits
		".public.new-1\x00":          false,
		".public.new-123.old-backup": false,
	} {
		if got := isStagingName(name, "public"); got != want {
			t.Errorf("isStagingName(%q) = %v, want %v", name, got, want)
		}
	}
}

// names lists the entries of dir, sorted.
func names(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// A Publish removes the staging folders killed builds left beside the
// destination, and nothing else: not a file or symlink with such a name,
// not a folder whose name only looks like one, not what a link points to.
func TestPublishRemovesDeadStaging(t *testing.T) {
	root := t.TempDir()
	parent := filepath.Join(root, "site")
	outside := filepath.Join(root, "outside")
	for _, d := range []string{
		filepath.Join(parent, ".public.new-123", "articles", "a"),
		filepath.Join(parent, ".public.new-456.old", "x"),
		filepath.Join(parent, ".public.new-notes"),
		filepath.Join(parent, ".other.new-789"),
		outside,
	} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(parent, ".public.new-123", "articles", "a", "index.html"), "half")
	write(filepath.Join(parent, ".public.new-456.old", "x", "index.html"), "old")
	write(filepath.Join(parent, ".public.new-notes", "mine.txt"), "keep")
	write(filepath.Join(parent, ".public.new-42"), "a file, not ours")
	write(filepath.Join(outside, "precious"), "keep")
	if err := os.Symlink(outside, filepath.Join(parent, ".public.new-77")); err != nil {
		t.Fatal(err)
	}
	out := newOutput(map[string][]byte{"index.html": []byte("new")})
	if err := out.Publish(filepath.Join(parent, "public")); err != nil {
		t.Fatal(err)
	}
	want := []string{".other.new-789", ".public.new-42", ".public.new-77", ".public.new-notes", "public"}
	if got := names(t, parent); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("beside public/ after a publish:\nhave %v\nwant %v", got, want)
	}
	if b, err := os.ReadFile(filepath.Join(outside, "precious")); err != nil || string(b) != "keep" {
		t.Errorf("a symlink's target was touched: %q, %v", b, err)
	}
	if b, err := os.ReadFile(filepath.Join(parent, ".public.new-notes", "mine.txt")); err != nil || string(b) != "keep" {
		t.Errorf("a look-alike folder was touched: %q, %v", b, err)
	}
}

// The published site carries no staging marker, unless the site publishes
// a .gitignore of its own, which is kept as it is.
func TestPublishDropsStagingMarker(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	for _, own := range []bool{false, true} {
		files := map[string][]byte{"index.html": []byte("x")}
		if own {
			files[".gitignore"] = []byte("mine\n")
		}
		if err := newOutput(files).Publish(dir); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, ".gitignore"))
		switch {
		case !own && err == nil:
			t.Errorf("published site holds the staging marker: %q", b)
		case own && string(b) != "mine\n":
			t.Errorf("the site's own .gitignore became %q (%v)", b, err)
		}
	}
}

// While another Publish into the same folder runs (it holds the lock), its
// staging folder is left alone; once it is gone, the folder is removed.
func TestPublishSparesLiveStaging(t *testing.T) {
	parent := t.TempDir()
	live := filepath.Join(parent, ".public.new-5")
	if err := os.Mkdir(live, 0o755); err != nil {
		t.Fatal(err)
	}
	unlock, locked := lockDir(parent)
	if !locked {
		t.Skip("this file system has no flock")
	}
	done := make(chan error)
	go func() {
		done <- newOutput(map[string][]byte{"index.html": nil}).Publish(filepath.Join(parent, "public"))
	}()
	select {
	case err := <-done:
		unlock()
		t.Fatalf("Publish ran while another held the lock (err %v)", err)
	case <-time.After(200 * time.Millisecond):
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("a live build's staging folder was removed: %v", err)
	}
	unlock()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(live); err == nil {
		t.Errorf("a dead build's staging folder survived")
	}
}

// A build killed with SIGKILL while it writes leaves its staging folder;
// the next build removes it.
func TestPublishAfterKill(t *testing.T) {
	if dir := os.Getenv("ARCHIVE_TEST_PUBLISH_FOREVER"); dir != "" {
		files := map[string][]byte{}
		for i := range 5000 {
			files[fmt.Sprintf("articles/%d/index.html", i)] = make([]byte, 2048)
		}
		out := newOutput(files)
		for {
			if err := out.Publish(dir); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	parent := t.TempDir()
	dest := filepath.Join(parent, "public")
	for attempt := 0; ; attempt++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestPublishAfterKill$")
		cmd.Env = append(os.Environ(), "ARCHIVE_TEST_PUBLISH_FOREVER="+dest)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		staged := waitForStaging(t, parent, 30*time.Second)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		if staged && len(stagingFolders(t, parent)) > 0 {
			break
		}
		if attempt == 5 {
			t.Fatal("could not kill a build while it wrote its staging folder")
		}
	}
	if err := newOutput(map[string][]byte{"index.html": []byte("x")}).Publish(dest); err != nil {
		t.Fatal(err)
	}
	if left := stagingFolders(t, parent); len(left) > 0 {
		t.Errorf("staging folders of the killed build survived the next build: %v", left)
	}
}

func stagingFolders(t *testing.T, parent string) []string {
	var out []string
	for _, n := range names(t, parent) {
		if isStagingName(n, "public") {
			out = append(out, n)
		}
	}
	return out
}

// waitForStaging waits until a staging folder beside public/ has files in it.
func waitForStaging(t *testing.T, parent string, limit time.Duration) bool {
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(5 * time.Millisecond) {
		for _, n := range stagingFolders(t, parent) {
			if ents, _ := os.ReadDir(filepath.Join(parent, n, "articles")); len(ents) > 100 {
				return true
			}
		}
	}
	return false
}

// A staging folder left behind is invisible to git in the site's repository.
func TestStagingIgnoredByGit(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git is not installed")
	}
	repo := t.TempDir()
	run := func(args ...string) string {
		cmd := exec.Command(git, args...)
		cmd.Dir = repo
		b, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, b)
		}
		return string(b)
	}
	run("init", "-q")
	tmp, unlock, err := beginStaging(repo, "public")
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	os.MkdirAll(filepath.Join(tmp, "articles", "a"), 0o755)
	os.WriteFile(filepath.Join(tmp, "articles", "a", "index.html"), []byte("x"), 0o644)
	if st := run("status", "--porcelain", "--untracked-files=all"); st != "" {
		t.Errorf("git status shows the staging folder:\n%s", st)
	}
}
