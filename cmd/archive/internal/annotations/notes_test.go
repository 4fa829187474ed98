package annotations

import (
	"context"
	_ "embed"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// inlineNote is passage-note.html as it was before the fragments
// "note-link" and "note-compare": its links written inline, evaluated in
// every note.
//
//go:embed testdata/passage-note-inline.html
var inlineNote []byte

// overlay is a folder with some of its files replaced.
type overlay struct {
	fs.FS
	files fstest.MapFS
}

func (o overlay) Open(name string) (fs.File, error) {
	if _, ok := o.files[name]; ok {
		return o.files.Open(name)
	}
	return o.FS.Open(name)
}

// TestNoteFragmentsAsInline: the notes whose links to other occurrences
// and to the passage's page are rendered once per build (AlsoLinks,
// CompareLink) read as those passage-note.html wrote inline, on every
// page of the bundled archive.
func TestNoteFragmentsAsInline(t *testing.T) {
	build := func(fsys fs.FS) *site.Output {
		t.Helper()
		out, err := site.Build(context.Background(), fsys, site.WithBaseURL("https://archive.example.org/"), site.WithFeatures(New()))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	got := build(os.DirFS(repoRoot))
	want := build(overlay{os.DirFS(repoRoot), fstest.MapFS{"layouts/passage-note.html": {Data: inlineNote}}})
	if g, w := strings.Join(got.Paths(), " "), strings.Join(want.Paths(), " "); g != w {
		t.Fatalf("paths\n%s\nwant\n%s", g, w)
	}
	also, compare := 0, 0
	for _, p := range want.Paths() {
		g, _ := got.Bytes(p)
		w, _ := want.Bytes(p)
		if string(g) != string(w) {
			t.Errorf("%s differs from the page with the notes' links inline", p)
		}
		also += strings.Count(string(g), " Also in: <a href=")
		compare += strings.Count(string(g), " wordings</a>\n<a class=\"quotelink\"")
	}
	if also < 3 || compare < 3 {
		t.Errorf("%d notes link other occurrences and %d their passage's page, want at least 3 each", also, compare)
	}
}
