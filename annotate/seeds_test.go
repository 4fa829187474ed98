package annotate

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// seedDocs reads the real seed articles, one Document per file.
func seedDocs(t testing.TB) []Document {
	t.Helper()
	files, err := filepath.Glob("../seeds/*.txt")
	if err != nil || len(files) == 0 {
		t.Skip("no seed texts in ../seeds")
	}
	sort.Strings(files)
	meta := map[string]struct {
		source string
		date   string
	}{
		"000": {"The Register", "2019-11-18T10:00:00Z"},
		"001": {"Reuters", "2019-11-18T03:58:00Z"},
		"002": {"Techdirt", "2019-11-19T12:00:00Z"},
		"003": {"ITPro", "2019-11-18T12:00:00Z"},
		"004": {"Ars Technica", "2019-11-18T18:00:00Z"},
	}
	var docs []Document
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		m := meta[name[:3]]
		d, _ := time.Parse(time.RFC3339, m.date)
		docs = append(docs, Document{ID: "seeds/" + name, Text: string(b), Date: d, Source: m.source})
	}
	return docs
}
