package annotations_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/archive-project/archive/cmd/archive/internal/benchgen"
	"github.com/archive-project/archive/cmd/archive/internal/features"
	"github.com/archive-project/archive/cmd/archive/internal/site"
	"github.com/archive-project/archive/layouts"
)

// The layer keeps notes, marks and passage pages across builds under keys
// of what they read. Each step below changes one input of them; after it,
// a Builder that served every step before (live, as archive serve, and
// not) must publish exactly what a fresh build of the same files does.
// A key that misses an input shows here as a stale page.
func TestCachedBuildsMatchFreshBuilds(t *testing.T) {
	const (
		quote   = "the quick brown fox jumps over the lazy dog near the river bank at dawn"
		report  = "officials from forty countries met in lyon on friday to discuss new encryption rules for messaging services"
		variant = "officials from forty nations met in lyon on friday to discuss new encryption rules for messaging services"
	)
	files := fstest.MapFS{}
	set := func(name, s string) { files[name] = &fstest.MapFile{Data: []byte(s)} }
	art := func(front, body string) string { return "---\n" + front + "---\n\n" + body }
	seedText := "Alpha's story\n\nA first paragraph of the seed.\n\nHe said “" + quote + "” today.\n\nAnd " + report + ".\n"
	seedSum := fmt.Sprintf("%x", sha256.Sum256([]byte(seedText)))
	set("archive.toml", "title = \"Cache test\"\nbaseURL = \"https://example.org/\"\n")
	set("seeds/a.txt", seedText)
	aFront := "title: Alpha's story\noutlet: Alpha\ndate: 2019-11-01\nseed: seeds/a.txt\nseed_sha256: " + seedSum + "\n" +
		"notes:\n  - quote: \"A first paragraph\"\n    note: \"An *editor's* note.\"\n"
	aBody := "A first paragraph of the seed.\n\nHe said “" + quote + "” today.\n\nAnd " + report + ".\n"
	set("content/a.md", art(aFront, aBody))
	set("content/b.md", art("title: Beta's story\noutlet: Beta\nauthor: B. Writer\ndate: 2019-11-02\n",
		"Beta begins here with words of its own.\n\nShe wrote “"+quote+"”, again.\n\nThen "+variant+" as well.\n"))
	set("content/c.md", art("title: Gamma without outlet\ndate: 2019-11-03\n",
		"Gamma tells it “"+quote+"” once more.\n"))
	set("content/d.md", art("title: Delta\noutlet: Delta\ndate: 2019-11-04\n", "Nothing shared here at all.\n"))

	steps := []struct {
		name    string
		changed []string
		edit    func()
	}{
		{"first build", nil, func() {}},
		{"another article's title", []string{"content/c.md"}, func() {
			set("content/c.md", strings.Replace(string(files["content/c.md"].Data), "Gamma without outlet", "Gamma renamed", 1))
		}},
		{"another article's author", []string{"content/b.md"}, func() {
			set("content/b.md", strings.Replace(string(files["content/b.md"].Data), "B. Writer", "C. Writer", 1))
		}},
		{"another article's outlet", []string{"content/b.md"}, func() {
			set("content/b.md", strings.Replace(string(files["content/b.md"].Data), "outlet: Beta", "outlet: Beta Weekly", 1))
		}},
		{"another article's slug", []string{"content/c.md"}, func() {
			set("content/c.md", strings.Replace(string(files["content/c.md"].Data), "date:", "slug: gamma-moved\ndate:", 1))
		}},
		{"another article's date", []string{"content/b.md"}, func() {
			set("content/b.md", strings.Replace(string(files["content/b.md"].Data), "2019-11-02", "2019-10-30", 1))
		}},
		{"an occurrence moves", []string{"content/b.md"}, func() {
			set("content/b.md", strings.Replace(string(files["content/b.md"].Data), "Beta begins", "A new first line.\n\nBeta begins", 1))
		}},
		{"an occurrence moves into the reader comments", []string{"content/c.md"}, func() {
			set("content/c.md", strings.Replace(string(files["content/c.md"].Data), "Gamma tells", "Gamma's text.\n\n## Reader comments\n\nA reader tells", 1))
		}},
		{"a note's text", []string{"content/a.md"}, func() {
			set("content/a.md", strings.Replace(string(files["content/a.md"].Data), "An *editor's* note.", "A changed note.", 1))
		}},
		{"a note's words", []string{"content/a.md"}, func() {
			set("content/a.md", strings.Replace(string(files["content/a.md"].Data), "quote: \"A first paragraph\"", "quote: \"paragraph of the seed\"", 1))
		}},
		{"a variant's wording", []string{"content/b.md"}, func() {
			set("content/b.md", strings.Replace(string(files["content/b.md"].Data), "forty nations", "forty states", 1))
		}},
		{"the newest article's date", []string{"content/d.md"}, func() {
			set("content/d.md", strings.Replace(string(files["content/d.md"].Data), "2019-11-04", "2019-11-09", 1))
		}},
		{"an article joins a passage", []string{"content/d.md"}, func() {
			set("content/d.md", art("title: Delta\noutlet: Delta\ndate: 2019-11-09\n", "Nothing shared here but “"+quote+"”.\n"))
		}},
		{"the site's title", []string{"archive.toml"}, func() {
			set("archive.toml", "title = \"Cache test, renamed\"\nbaseURL = \"https://example.org/\"\n")
		}},
		{"the site's base URL", []string{"archive.toml"}, func() {
			set("archive.toml", "title = \"Cache test, renamed\"\nbaseURL = \"https://example.org/sub/\"\n")
		}},
		{"the site's language", []string{"archive.toml"}, func() {
			set("archive.toml", "title = \"Cache test, renamed\"\nbaseURL = \"https://example.org/sub/\"\nlanguage = \"fr\"\n")
		}},
		{"the notes' links' layout", []string{"layouts/fragments.html"}, func() {
			// Each note's links are rendered once per build (noteHTML):
			// a later build renders them with its own layouts.
			def, err := fs.ReadFile(layouts.FS, "fragments.html")
			if err != nil {
				t.Fatal(err)
			}
			edited := strings.Replace(string(def), `{{define "note-link"}}<a href=`, `{{define "note-link"}}<a class="also" href=`, 1)
			edited = strings.Replace(edited, `">Compare the {{.Wordings}}`, `">Compare all {{.Wordings}}`, 1)
			if edited == string(def) || !strings.Contains(edited, "Compare all") {
				t.Fatal("fragments.html's note-link or note-compare is not as this test expects")
			}
			set("layouts/fragments.html", edited)
		}},
		{"an article leaves", []string{"content/c.md"}, func() { delete(files, "content/c.md") }},
	}
	ctx := context.Background()
	live := site.NewBuilder(files, features.LiveOptions()...)
	kept := site.NewBuilder(files, features.Options()...)
	for _, st := range steps {
		st.edit()
		fresh, err := site.Build(ctx, files, features.Options()...)
		if err != nil {
			t.Fatalf("%s: fresh build: %v", st.name, err)
		}
		if !strings.Contains(page(t, fresh, "articles/b/index.html"), `<mark id="q-`) {
			t.Fatalf("%s: the test archive has no marked passages", st.name)
		}
		out, _, err := live.Build(ctx, st.changed)
		if err != nil {
			t.Fatalf("%s: live build: %v", st.name, err)
		}
		if live.Pending() {
			// A carried-over build: its pages must be right already,
			// bar the passages an edit creates (none here but the
			// last steps') and the data files kept for the follow-up.
			if st.name != "an article joins a passage" && st.name != "a variant's wording" {
				same(t, st.name+" (carried over)", fresh, out, func(p string) bool { return strings.HasSuffix(p, ".html") })
			}
			if out, _, err = live.Build(ctx, []string{}); err != nil {
				t.Fatalf("%s: live follow-up build: %v", st.name, err)
			}
		}
		same(t, st.name+" (live)", fresh, out, nil)
		out, _, err = kept.Build(ctx, st.changed)
		if err != nil {
			t.Fatalf("%s: build: %v", st.name, err)
		}
		same(t, st.name, fresh, out, nil)
	}
}

// same reports the files (of those keep accepts) in which got differs from want.
func same(t *testing.T, step string, want, got *site.Output, keep func(string) bool) {
	t.Helper()
	paths := map[string]bool{}
	for _, p := range append(want.Paths(), got.Paths()...) {
		if keep == nil || keep(p) {
			paths[p] = true
		}
	}
	bad := 0
	for p := range paths {
		w, ok1 := want.Bytes(p)
		g, ok2 := got.Bytes(p)
		if ok1 && ok2 && bytes.Equal(w, g) {
			continue
		}
		if bad++; bad > 5 {
			continue
		}
		if !ok1 || !ok2 {
			t.Errorf("after %s: %s in the fresh build %v, in the kept one %v", step, p, ok1, ok2)
			continue
		}
		i := 0
		for i < len(w) && i < len(g) && w[i] == g[i] {
			i++
		}
		from := max(0, i-200)
		t.Errorf("after %s: %s differs from a fresh build at byte %d:\nfresh: %s\nkept:  %s", step, p, i,
			w[from:min(len(w), i+200)], g[from:min(len(g), i+200)])
	}
}

func page(t *testing.T, out *site.Output, p string) string {
	t.Helper()
	b, ok := out.Bytes(p)
	if !ok {
		t.Fatalf("no %s in the build", p)
	}
	return string(b)
}

// Random edits to a generated archive (package benchgen): retitling,
// a paragraph added before the shared statement, rewriting, a new outlet.
// After each, serve's builder, carried over and then settled, and a kept
// builder publish what a fresh build does.
func TestRandomEditsMatchFreshBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 200-article archive about 50 times")
	}
	dir := t.TempDir()
	n := 200
	if err := benchgen.Archive(dir, n); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	live := site.NewBuilder(os.DirFS(dir), features.LiveOptions()...)
	if _, _, err := live.Build(ctx, nil); err != nil {
		t.Fatal(err)
	}
	kept := site.NewBuilder(os.DirFS(dir), features.Options()...)
	if _, _, err := kept.Build(ctx, nil); err != nil {
		t.Fatal(err)
	}
	rng := mrand.New(mrand.NewPCG(7, 8))
	for i := 0; i < 12; i++ {
		k := rng.IntN(n)
		p := benchgen.Path(k)
		full := filepath.Join(dir, p)
		b, err := os.ReadFile(full)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		switch i % 4 {
		case 0:
			s = strings.Replace(s, "title: \"", "title: \"Renamed "+fmt.Sprint(i)+" ", 1)
		case 1:
			s = strings.Replace(s, "\n\n", fmt.Sprintf("\n\nParagraph number %d is new, zq%dx.\n\n", i, i), 1)
		case 2:
			s = benchgen.Article(rng, k, fmt.Sprintf(" edit %d", i))
		case 3:
			s = strings.Replace(s, "outlet: Outlet", "outlet: Other Outlet", 1)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		out, _, err := live.Build(ctx, []string{p})
		if err != nil {
			t.Fatal(err)
		}
		if live.Pending() {
			fresh, err := site.Build(ctx, os.DirFS(dir), features.Options()...)
			if err != nil {
				t.Fatal(err)
			}
			// Carried over: right at once, bar the passages an edit
			// makes (rewriting) and an outlet's (found anew).
			if i%4 == 0 || i%4 == 1 {
				same(t, fmt.Sprintf("edit %d carried", i), fresh, out, func(p string) bool { return strings.HasSuffix(p, ".html") })
			}
			if out, _, err = live.Build(ctx, []string{}); err != nil {
				t.Fatal(err)
			}
		}
		fresh, err := site.Build(ctx, os.DirFS(dir), features.Options()...)
		if err != nil {
			t.Fatal(err)
		}
		same(t, fmt.Sprintf("edit %d (case %d)", i, i%4), fresh, out, nil)
		out2, _, err := kept.Build(ctx, []string{p})
		if err != nil {
			t.Fatal(err)
		}
		same(t, fmt.Sprintf("kept edit %d (case %d)", i, i%4), fresh, out2, nil)
	}
}
