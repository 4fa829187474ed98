package linkcheck

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// readTxtar splits a txtar archive ("-- name --" lines) into its files.
func readTxtar(data string) map[string]string {
	files := map[string]string{}
	name := ""
	for _, line := range strings.SplitAfter(data, "\n") {
		if n, ok := strings.CutPrefix(strings.TrimRight(line, "\n"), "-- "); ok && strings.HasSuffix(n, " --") {
			name = strings.TrimSuffix(n, " --")
			files[name] = ""
			continue
		}
		if name != "" {
			files[name] += line
		}
	}
	return files
}

// TestTxtar runs every testdata/*.txtar: its files are a site, its "want"
// file the problems Check must report.
func TestTxtar(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no testdata/*.txtar (%v)", err)
	}
	for _, p := range paths {
		t.Run(filepath.Base(p), func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			files := readTxtar(string(data))
			want := strings.Split(strings.TrimSpace(files["want"]), "\n")
			delete(files, "want")
			fsys := fstest.MapFS{}
			for name, body := range files {
				fsys[name] = &fstest.MapFile{Data: []byte(body)}
			}
			var got []string
			for _, pr := range Check(fsys, WithBaseURL("https://archive.example/")) {
				got = append(got, pr.String())
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}
