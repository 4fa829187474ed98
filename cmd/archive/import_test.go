package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// runImport runs `archive import args...` and returns status, stdout, stderr.
func runImport(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"import"}, args...),
		&env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

// importSite makes a site root with two seeds.
func importSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "seeds"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "seeds", "001_a.txt"),
		[]byte("---\ntitle: 'Kept headline'\ndraft: false\n---\n\nSAN FRANCISCO (Reuters) - Body.\n\nReporting by Joseph Menn; editing by Diane Craft\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "seeds", "000_b.txt"),
		[]byte("This article is more than 1 year old\n\nA headline from the text\n\nBody text. ®\n\nMore about\n"), 0o644))
	return dir
}

func TestImportLifecycle(t *testing.T) {
	dir := importSite(t)
	kept := filepath.Join(dir, "content", "kept-headline.md")
	fromText := filepath.Join(dir, "content", "a-headline-from-the-text.md")

	code, out, errs := runImport(t, "-s", dir, "--dry-run")
	if code != 0 || !strings.Contains(out, "would be created  content/kept-headline.md  ← seeds/001_a.txt") {
		t.Fatalf("dry run: %d %q %q", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "content")); err == nil {
		t.Fatal("--dry-run wrote content/")
	}

	code, out, _ = runImport(t, "--source", dir)
	want := "created           content/a-headline-from-the-text.md  ← seeds/000_b.txt\n" +
		"created           content/kept-headline.md  ← seeds/001_a.txt\n"
	if code != 0 || out != want {
		t.Fatalf("first import: %d\n%s\nwant\n%s", code, out, want)
	}
	data, err := os.ReadFile(kept)
	if err != nil || !strings.HasPrefix(string(data), "---\ntitle: 'Kept headline'\ndraft: false\nsubtitle: \"\"\noutlet: \"Reuters\"\n") ||
		!strings.Contains(string(data), "author: \"Joseph Menn\"") {
		t.Fatalf("content file:\n%s (%v)", data, err)
	}

	code, out, _ = runImport(t, "-s", dir)
	if code != 0 || strings.Count(out, "unchanged ") != 2 {
		t.Fatalf("second import should change nothing: %d\n%s", code, out)
	}

	edited := append(data, "An editor's note.\n"...)
	if err := os.WriteFile(kept, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runImport(t, "-s", dir)
	if code != 0 || !strings.Contains(out, "skipped (edited)  content/kept-headline.md") || !strings.Contains(out, "use --force to overwrite") {
		t.Fatalf("edited file: %d\n%s", code, out)
	}
	if have, _ := os.ReadFile(kept); !bytes.Equal(have, edited) {
		t.Fatal("import changed an edited file without --force")
	}

	code, out, _ = runImport(t, "-s", dir, "--force", filepath.Join(dir, "seeds", "001_a.txt"))
	if code != 0 || out != "overwritten       content/kept-headline.md  ← seeds/001_a.txt\n" {
		t.Fatalf("--force: %d\n%s", code, out)
	}
	if have, _ := os.ReadFile(kept); !bytes.Equal(have, data) {
		t.Fatal("--force did not restore the imported file")
	}
	if _, err := os.Stat(fromText); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(filepath.Join(dir, "content"))
	if len(ents) != 2 {
		t.Errorf("content/ holds %d entries, want 2 (temp files left behind?)", len(ents))
	}

	// An editor renames a file: import finds it by its seed: key.
	renamed := filepath.Join(dir, "content", "better-name.md")
	if err := os.Rename(kept, renamed); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runImport(t, "-s", dir)
	if code != 0 || !strings.Contains(out, "unchanged         content/better-name.md  ← seeds/001_a.txt") {
		t.Fatalf("renamed file: %d\n%s", code, out)
	}
	if _, err := os.Stat(kept); err == nil {
		t.Error("import wrote a second article for a renamed one")
	}
}

func TestImportErrors(t *testing.T) {
	dir := importSite(t)
	bad := filepath.Join(dir, "seeds", "002_bad.txt")
	if err := os.WriteFile(bad, []byte("Headline\n\nline two \xff\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	unsafe := filepath.Join(t.TempDir(), "seeds")
	if err := os.MkdirAll(unsafe, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(unsafe, "a b.txt"), []byte("Headline\n\nText.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"invalid UTF-8 names file and line", []string{"-s", dir}, 1, "seeds/002_bad.txt:3: invalid UTF-8"},
		{"a file that is not a capture", []string{"-s", dir, "/etc/hostname"}, 2, "not a capture import reads"},
		{"an unsafe name in seeds/", []string{"-s", filepath.Dir(unsafe)}, 1, "unsafe seed name"},
		{"a missing file", []string{"-s", dir, filepath.Join(dir, "seeds", "nope.txt")}, 1, "nope.txt"},
		{"no seeds folder", []string{"-s", t.TempDir()}, 2, "no seeds/ folder"},
		{"unknown flag", []string{"--frce"}, 2, "flag provided but not defined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := runImport(t, tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.msg) {
				t.Errorf("status %d, stderr %q; want %d and %q", code, errs, tc.code, tc.msg)
			}
		})
	}
	// The bad seed stopped nothing else: the two good seeds were imported.
	ents, _ := os.ReadDir(filepath.Join(dir, "content"))
	if len(ents) != 2 {
		t.Errorf("content/ holds %d files, want the 2 good seeds' articles", len(ents))
	}
}

// The committed content/ is the archive's edited state: every file must
// parse, point at its seed with the right hash, name its outlet, and anchor
// its notes to words that are in its body.
func TestCommittedContent(t *testing.T) {
	root := os.DirFS("../..")
	arts, err := article.LoadDir(root, "content")
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 5 {
		t.Errorf("%d articles in content/, want the 5 seeds' articles", len(arts))
	}
	notes := 0
	for _, a := range arts {
		notes += len(a.Meta.Notes)
		seed, err := fs.ReadFile(root, a.Meta.Seed)
		if err != nil {
			t.Errorf("%s: seed %q: %v", a.Path, a.Meta.Seed, err)
			continue
		}
		if sum := sha256.Sum256(seed); hex.EncodeToString(sum[:]) != a.Meta.SeedSHA256 {
			t.Errorf("%s: seed_sha256 does not match %s", a.Path, a.Meta.Seed)
		}
		if a.Meta.Outlet == "" {
			t.Errorf("%s: no outlet", a.Path)
		}
		body := strings.Join(strings.Fields(string(a.Body)), " ")
		for _, n := range a.Meta.Notes {
			if !strings.Contains(body, strings.Join(strings.Fields(n.Quote), " ")) {
				t.Errorf("%s:%d: note quote %q is not in the body", a.Path, n.Line, n.Quote)
			}
		}
	}
	if notes == 0 {
		t.Error("no editor notes in content/; the Techdirt article has one")
	}
}
