package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// runCLI runs one command line with a fixed clock.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" },
		now: func() time.Time { return time.Date(2024, 3, 9, 10, 30, 0, 0, time.UTC) }})
	return code, out.String(), errb.String()
}

func TestVersion(t *testing.T) {
	line := regexp.MustCompile(`^archive \S+ .*go1\.\d+.* \w+/\w+\n$`)
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		code, out, errs := runCLI(t, args...)
		if code != 0 || !line.MatchString(out) || errs != "" {
			t.Errorf("%v: %d %q %q", args, code, out, errs)
		}
	}
	if code, _, errs := runCLI(t, "version", "extra"); code != 2 || !strings.Contains(errs, "Error:") {
		t.Errorf("version extra: %d %q", code, errs)
	}
	info := &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2024-01-02T03:04:05Z"},
		{Key: "vcs.modified", Value: "true"}}}
	got := versionLine("", info)
	if !strings.HasPrefix(got, "archive devel commit 0123456789ab+modified 2024-01-02T03:04:05Z go") {
		t.Errorf("versionLine = %q", got)
	}
	if got := versionLine("v1.2.0", nil); !strings.HasPrefix(got, "archive v1.2.0 go") {
		t.Errorf("versionLine(release) = %q", got)
	}
	info.Main.Version = "v0.3.1"
	if got := versionLine("", info); !strings.HasPrefix(got, "archive v0.3.1 commit") {
		t.Errorf("module version: %q", got)
	}
}

func TestHelpTopics(t *testing.T) {
	if code, out, _ := runCLI(t, "help"); code != 0 || !strings.Contains(out, "version") || !strings.Contains(out, "'server'") {
		t.Errorf("help: %d %q", code, out)
	}
	if code, _, errs := runCLI(t, "help", "nosuch"); code != 2 || !strings.Contains(errs, `unknown help topic "nosuch"`) {
		t.Errorf("help nosuch: %d %q", code, errs)
	}
	code, out, _ := runCLI(t, "help", "server")
	if code != 0 || !strings.HasPrefix(out, "Usage: archive serve") {
		t.Errorf("help server: %d %q", code, out)
	}
	if code, out, _ := runCLI(t, "server", "--help"); code != 0 || !strings.HasPrefix(out, "Usage: archive serve") {
		t.Errorf("server --help: %d %q", code, out)
	}
	if code, _, errs := runCLI(t, "nosuch"); code != 2 || !strings.Contains(errs, "unknown command") {
		t.Errorf("nosuch: %d %q", code, errs)
	}
}

func TestNewContent(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI(t, "new", "content", "-s", dir, "posts/my-first-post.md")
	if code != 0 {
		t.Fatalf("%d %s", code, errs)
	}
	got, err := os.ReadFile(filepath.Join(dir, "content", "posts", "my-first-post.md"))
	if err != nil {
		t.Fatal(err)
	}
	want := "---\ntitle: \"My First Post\"\ndate: 2024-03-09T10:30:00Z\ndraft: true\n---\n\n"
	if string(got) != want || !strings.Contains(out, "Hugo's default archetype") {
		t.Errorf("got %q (%s), want %q", got, out, want)
	}
	// Never overwrite, unless --force.
	if code, _, errs := runCLI(t, "new", "-s", dir, "posts/my-first-post.md"); code != 1 || !strings.Contains(errs, "already exists") {
		t.Errorf("existing: %d %q", code, errs)
	}
	if code, _, errs := runCLI(t, "new", "-s", dir, "--force", "content/posts/my-first-post.md"); code != 0 {
		t.Errorf("--force: %d %q", code, errs)
	}

	// A section's archetype, a bundle, and contentDir from hugo.toml.
	buildWriteFile(t, filepath.Join(dir, "hugo.toml"), "title = \"Site\"\ncontentDir = \"docs\"\n[params]\nauthor = \"Ann\"\n")
	buildWriteFile(t, filepath.Join(dir, "archetypes", "news.md"),
		"+++\ntitle = '{{ .Name | humanize }}'\nauthor = '{{ .Site.Params.author }}'\nsection = '{{ .Type }}'\ndate = {{ .Date }}\n+++\n")
	if code, _, errs := runCLI(t, "new", "content", "-s", dir, "news/big-day/index.md"); code != 0 {
		t.Fatalf("bundle: %d %s", code, errs)
	}
	got, _ = os.ReadFile(filepath.Join(dir, "docs", "news", "big-day", "index.md"))
	if want := "+++\ntitle = 'Big Day'\nauthor = 'Ann'\nsection = 'news'\ndate = 2024-03-09T10:30:00Z\n+++\n"; string(got) != want {
		t.Errorf("archetype: got %q want %q", got, want)
	}

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"new", "content", "-s", dir, "../escape.md"}, 2, "not a path inside"},
		{[]string{"new", "content", "-s", dir, "posts/no-extension"}, 2, "needs a content extension"},
		{[]string{"new", "content", "-s", dir}, 2, "give one content path"},
		{[]string{"new", "content", "-s", dir, "--kind", "nosuch", "x.md"}, 1, `no archetype "nosuch"`},
		{[]string{"new", "site", "x"}, 2, "not supported"},
		{[]string{"new", "content", "-s", dir, "--kind", "news", "bad.md"}, 0, ""},
	} {
		code, _, errs := runCLI(t, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: %d %q, want %d %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
	buildWriteFile(t, filepath.Join(dir, "archetypes", "broken.md"), "{{ .Name \n")
	if code, _, errs := runCLI(t, "new", "content", "-s", dir, "broken/x.md"); code != 1 || !strings.Contains(errs, "archetypes/broken.md") {
		t.Errorf("broken archetype: %d %q", code, errs)
	}
}

func TestBuildMinify(t *testing.T) {
	dir := buildSite(t)
	for _, tc := range []struct {
		dst  string
		args []string
	}{{"plain", nil}, {"min", []string{"--minify"}}} {
		args := append([]string{"-s", dir, "-d", filepath.Join(dir, tc.dst)}, tc.args...)
		if code, _, errs := runBuild(t, args...); code != 0 {
			t.Fatalf("build %v: %s", args, errs)
		}
	}
	plain, _ := os.ReadFile(filepath.Join(dir, "plain", "index.html"))
	small, _ := os.ReadFile(filepath.Join(dir, "min", "index.html"))
	if len(small) == 0 || len(small) >= len(plain) {
		t.Errorf("--minify: index.html %d bytes, %d without", len(small), len(plain))
	}
	seedA, _ := os.ReadFile(filepath.Join(dir, "plain", "seeds", "001_a.txt"))
	seedB, _ := os.ReadFile(filepath.Join(dir, "min", "seeds", "001_a.txt"))
	if !bytes.Equal(seedA, seedB) {
		t.Error("--minify changed a seed")
	}
}
