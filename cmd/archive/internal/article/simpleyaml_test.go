package article

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v2"
)

// checkSimpleYAML fails t when simpleYAML reads raw and yaml.v2 (with
// yamlToJSONish) reads it otherwise; it reports whether simpleYAML read it.
func checkSimpleYAML(t *testing.T, name string, raw []byte) bool {
	t.Helper()
	got, ok := simpleYAML(raw)
	if !ok {
		return false
	}
	var v any
	err := yaml.Unmarshal(raw, &v)
	if err == nil {
		v, err = yamlToJSONish(v)
	}
	if err != nil {
		t.Errorf("%s: simpleYAML(%q) = %v, yaml.v2 fails: %v", name, raw, got, err)
		return true
	}
	if !reflect.DeepEqual(any(got), v) {
		t.Errorf("%s: simpleYAML(%q)\n= %#v\nyaml.v2 gives\n  %#v", name, raw, got, v)
	}
	return true
}

func TestSimpleYAML(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		fast bool
	}{
		{"title: \"Is the it's\"\noutlet: \"Outlet 0\"\nauthor: \"\"\ndate: 2019-11-15T15:40:00Z\nstory: \"Story 567\"\n", true},
		{"title: A plain title, with commas (and more)\ndate: 2019-11-18\n", true},
		{"title: \"Ünïcödé — “quotes” 日本\"\n\nseed: seeds/a.txt\n", true},
		{"title: 'single'\n", false},
		{"title: \"a \\\" b\"\n", false},
		{"title: A\ntitle: B\n", false},
		{"title: yes\n", false},
		{"title: Off\n", false},
		{"on: \"x\"\n", false},
		{"title: a: b\n", false},
		{"title: a # comment\n", false},
		{"title: A \n", false},
		{"title:\n", false},
		{"title:  two spaces\n", false},
		{"  title: \"indented\"\n", false},
		{"# comment\ntitle: A\n", false},
		{"title: 123\n", false},
		{"date: 2019-11-15 10:00\n", false},
		{"notes:\n  - quote: x\n", false},
		{"aliases: [\"/a/\"]\n", false},
		{"title: \"NEL\u0085here\"\n", false},
		{"title: \"LS\u2028here\"\n", false},
		{"title: \"\r\"\n", false},
		{"Title: \"x\"\n", false},
		{strings.Repeat("k", 128) + ": \"x\"\n", true},
		{strings.Repeat("k", 1025) + ": \"x\"\n", false},
		{"", false},
	} {
		if got := checkSimpleYAML(t, "table", []byte(tc.raw)); got != tc.fast {
			t.Errorf("simpleYAML(%q) read it: %v, want %v", tc.raw, got, tc.fast)
		}
	}
}

// TestSimpleYAMLFiles holds simpleYAML to yaml.v2 on the front matter of
// the bundled site, the repository's testdata and the benchmark corpora
// under /tmp/archive-bench, when they are there.
func TestSimpleYAMLFiles(t *testing.T) {
	dirs := []string{"../../../../content", "testdata", "../site/testdata"}
	if m, _ := filepath.Glob("/tmp/archive-bench/*-10000/site/content"); len(m) > 0 && !testing.Short() {
		dirs = append(dirs, m...)
	} else {
		t.Log("no benchmark corpora under /tmp/archive-bench (or -short): only the bundled site and testdata are checked")
	}
	files, fast := 0, 0
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !IsContentFile(d.Name()) {
				return err
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			b, err := split(src)
			if err != nil || b == nil || b.format != YAML {
				return nil
			}
			files++
			if checkSimpleYAML(t, p, b.raw) {
				fast++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d YAML front matters, %d read without yaml.v2", files, fast)
	if fast == 0 {
		t.Error("no front matter was read without yaml.v2: the test holds nothing")
	}
}

func FuzzSimpleYAML(f *testing.F) {
	for _, s := range []string{"title: \"A\"\ndate: 2019-11-15T15:40:00Z\n", "title: Plain (x), y-z\n", "a: \"\"\n\nb: 2019-01-02\n",
		"title: \"é\u00a0\ufeff\"\n", "x: Yes\n", "k_1: \"v\"", "title: A's {b} [c] | > d & *e !f %g @h `i`\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		checkSimpleYAML(t, "fuzz", raw)
	})
}
