package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// runBuild runs `archive build args...` and returns status, stdout, stderr.
func runBuild(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"build"}, args...),
		&env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

// buildSite writes a small site: one seed, two articles, no layouts of its own.
func buildSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"seeds/001_a.txt": "Raw text of A.\n",
		"content/a.md":    "---\ntitle: A\noutlet: Reuters\ndate: 2019-11-18\nseed: seeds/001_a.txt\n---\n\nBody of A.\n",
		"content/b.md":    "+++\ntitle = \"B\"\noutlet = \"The Register\"\ndate = 2019-11-19\n+++\n\nBody of B.\n",
	}
	for p, s := range files {
		buildWriteFile(t, filepath.Join(dir, p), s)
	}
	return dir
}

func buildWriteFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// snapshotDir reads every file under dir.
func buildSnapshotDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestBuildCommand(t *testing.T) {
	dir := buildSite(t)
	code, out, errs := runBuild(t, "-s", dir, "--baseURL", "https://example.org/")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// The site's pages, /search/ (package search), /timeline/ and the
	// passages (package annotations).
	if !regexp.MustCompile(`^built 15 pages \(\d+ files, [0-9.]+ MB\) into .*public in \d`).MatchString(out) {
		t.Errorf("summary %q", out)
	}
	pub := filepath.Join(dir, "public")
	first := buildSnapshotDir(t, pub)
	if !strings.Contains(first["articles/a/index.html"], `<link rel="canonical" href="https://example.org/articles/a/">`) {
		t.Error("--baseURL not used for canonical links")
	}
	if first["seeds/001_a.txt"] != "Raw text of A.\n" {
		t.Error("raw seed not published as is")
	}

	// Deterministic: a second build writes the same bytes.
	if code, _, errs := runBuild(t, "--source", dir, "--baseURL", "https://example.org/"); code != 0 {
		t.Fatal(errs)
	}
	second := buildSnapshotDir(t, pub)
	if len(first) != len(second) {
		t.Fatalf("%d files, then %d", len(first), len(second))
	}
	for p, b := range first {
		if second[p] != b {
			t.Errorf("%s differs between two builds", p)
		}
	}

	// -d and --destination write elsewhere.
	other := filepath.Join(t.TempDir(), "out")
	if code, _, errs := runBuild(t, "-s", dir, "-d", other); code != 0 {
		t.Fatal(errs)
	}
	if _, err := os.Stat(filepath.Join(other, "index.html")); err != nil {
		t.Error(err)
	}
}

// Bad input fails with exit status 1, names file and line, and leaves the
// published site exactly as it was.
func TestBuildCommandErrors(t *testing.T) {
	for _, tc := range []struct {
		name, file, src, want string
	}{
		{"yaml", "content/c.md", "---\ntitle: C\nfoo: [1\n---\n", "content/c.md:3: front matter (yaml)"},
		{"toml", "content/c.md", "+++\ntitle = \n+++\n", "content/c.md:2: front matter (toml)"},
		{"json", "content/c.md", "{\n\"title\": \"C\",\n}\n", "content/c.md:"},
		{"not a map", "content/c.md", "---\n[1, 2]\n---\n", "not a map"},
		{"utf-8", "content/c.md", "---\ntitle: C\n---\n\xfe\n", "content/c.md:4: invalid UTF-8"},
		{"date", "content/c.md", "---\ntitle: C\ndate: soon\n---\n", "content/c.md:3:"},
		{"same slug", "content/c.md", "---\ntitle: C\nslug: a\n---\n", "content/c.md:3: slug \"a\" is also the slug of content/a.md"},
		{"layout", "layouts/single.html", "{{define \"main\"}}\n{{.Nope}}\n{{end}}\n", "layouts/single.html:2:"},
		{"missing layout", "layouts/home.html", "{{define \"main\"}}{{template \"nosuch.html\" .}}{{end}}", "layouts/home.html:1: no such template"},
		{"config", "archive.toml", "title = \"x\"\nthemes = 3\n", "archive.toml:2: unknown key \"themes\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := buildSite(t)
			if code, _, errs := runBuild(t, "-s", dir); code != 0 {
				t.Fatal(errs)
			}
			before := buildSnapshotDir(t, filepath.Join(dir, "public"))
			buildWriteFile(t, filepath.Join(dir, tc.file), tc.src)
			code, out, errs := runBuild(t, "-s", dir)
			if code != 1 || out != "" || !strings.Contains(errs, tc.want) || !strings.Contains(errs, "fix:") {
				t.Errorf("exit %d, stdout %q, stderr %q; want 1 and %q with a fix", code, out, errs, tc.want)
			}
			after := buildSnapshotDir(t, filepath.Join(dir, "public"))
			if len(after) != len(before) {
				t.Errorf("public/ changed: %d files, then %d", len(before), len(after))
			}
			for p, b := range before {
				if after[p] != b {
					t.Errorf("public/%s changed", p)
				}
			}
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				if strings.HasPrefix(e.Name(), ".public") {
					t.Errorf("left %s behind", e.Name())
				}
			}
		})
	}
}

func TestBuildCommandUsage(t *testing.T) {
	if code, _, errs := runBuild(t, "-s", filepath.Join(t.TempDir(), "none")); code != 2 || !strings.Contains(errs, "Try:") {
		t.Errorf("missing source: %d %q", code, errs)
	}
	if code, _, errs := runBuild(t, "--colour"); code != 2 || !strings.Contains(errs, "Error:") {
		t.Errorf("unknown flag: %d %q", code, errs)
	}
	if code, out, _ := runBuild(t, "-h"); code != 0 || !strings.Contains(out, "archive build --baseURL") {
		t.Errorf("help: %d %q", code, out)
	}
	// An empty folder with only content/ builds with the embedded layouts.
	dir := t.TempDir()
	buildWriteFile(t, filepath.Join(dir, "content", "x.md"), "---\ntitle: X\n---\nx\n")
	if code, _, errs := runBuild(t, "-s", dir); code != 0 {
		t.Errorf("content-only site: %s", errs)
	}
}

// archive build on a Hugo site (with the archive's features, as the command
// runs them) writes the site to the folder. It panicked once: a build to a
// folder has no in-memory Output to hang the Hugo warnings on.
func TestBuildCommandHugoSite(t *testing.T) {
	dir := t.TempDir()
	for p, s := range map[string]string{
		"hugo.toml":               "baseURL = \"https://example.org/\"\ntitle = \"Blog\"\n",
		"content/posts/p.md":      "---\ntitle: P\ndate: 2024-01-02\n---\nA post.\n",
		"content/bundle/index.md": "---\ntitle: Bundle\n---\nA bundle with ![a picture](pic.png).\n",
		"content/bundle/pic.png":  "png",
	} {
		buildWriteFile(t, filepath.Join(dir, p), s)
	}
	code, out, errs := runBuild(t, "-s", dir)
	if code != 0 {
		t.Fatalf("build: %d %s", code, errs)
	}
	if !strings.Contains(out, "built ") {
		t.Errorf("stdout %q, stderr %q", out, errs)
	}
	got := buildSnapshotDir(t, filepath.Join(dir, "public"))
	for _, p := range []string{"index.html", "posts/p/index.html", "posts/index.html", "bundle/index.html", "bundle/pic.png", "sitemap.xml"} {
		if _, ok := got[p]; !ok {
			t.Errorf("no %s", p)
		}
	}
}
