package search

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
)

// TestPatch: an edit to a document's text is found by its new words and no
// longer by the ones it lost, once the last files are patched; the next
// Build writes the index a clean build writes.
func TestPatch(t *testing.T) {
	docs := syntheticCorpus(300, 120, 3)
	x := NewIndexer()
	if _, err := x.Build(docs); err != nil {
		t.Fatal(err)
	}
	search := func(files map[string][]byte, word string) []string {
		t.Helper()
		res, err := Search(func(p string) ([]byte, error) {
			b, ok := files["search/"+p]
			if !ok {
				return nil, fmt.Errorf("no file %s", p)
			}
			return b, nil
		}, Query{Text: word + " ", Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		var urls []string
		for _, h := range res.Hits {
			urls = append(urls, h.URL)
		}
		return urls
	}
	i := 17
	lost := strings.Fields(docs[i].Text)[3] // a word the edit removes
	if n := strings.Count(" "+docs[i].Text+" ", " "+lost+" "); n != 1 {
		t.Skipf("the corpus has %q %d times in the document", lost, n)
	}
	if search(x.last, lost) == nil || !strings.Contains(strings.Join(search(x.last, lost), " "), docs[i].URL) {
		t.Fatalf("before the edit %q does not find %s", lost, docs[i].URL)
	}
	docs[i].Text = strings.Replace(docs[i].Text, " "+lost+" ", " zygomorphic ", 1) + " quetzalcoatlus"
	changed, ok, err := x.Patch([]Doc{docs[i]})
	if err != nil || !ok {
		t.Fatalf("Patch: ok %v, %v", ok, err)
	}
	if len(changed) == 0 {
		t.Fatal("Patch changed no file")
	}
	for p, b := range changed {
		if string(x.last[p]) != string(b) {
			t.Errorf("%s: the last files do not hold the patched one", p)
		}
	}
	for _, w := range []string{"zygomorphic", "quetzalcoatlus"} {
		if got := search(x.last, w); len(got) != 1 || got[0] != docs[i].URL {
			t.Errorf("after the edit %q finds %v, want %s", w, got, docs[i].URL)
		}
	}
	if got := search(x.last, lost); strings.Contains(strings.Join(got, " "), docs[i].URL) {
		t.Errorf("after the edit %q still finds %s", lost, docs[i].URL)
	}
	// The follow-up: everything written again, as a clean build does.
	next, err := x.Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	clean, err := NewIndexer().Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	if d := diffFiles(next, clean); d != "" {
		t.Errorf("the build after a patch differs from a clean build:\n%s", d)
	}

	// What Patch does not do: the caller keeps the last index.
	for _, tc := range []struct {
		name string
		edit func(d *Doc)
	}{
		{"a new title", func(d *Doc) { d.Title += " (updated)" }},
		{"a new outlet", func(d *Doc) { d.Outlet = "Elsewhere" }},
		{"a new document", func(d *Doc) { d.URL = "/articles/new/" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := docs[i]
			tc.edit(&d)
			d.Text += " more"
			files, ok, err := x.Patch([]Doc{d})
			if err != nil || ok || files != nil {
				t.Errorf("Patch: %d files, ok %v, %v; want nothing done", len(files), ok, err)
			}
		})
	}
}

// stopAfter is a context whose Err is Canceled from its calls+1th call on:
// a build stopped at each of its checks in turn.
type stopAfter struct {
	context.Context
	calls, after int
}

func (c *stopAfter) Err() error {
	c.calls++
	if c.calls > c.after {
		return context.Canceled
	}
	return nil
}

// TestBuildStopped: a build stopped at any of its checks of the context
// (reading the documents, writing the doc shards, the term shards) returns
// the context's error, Patch then declines (the entries moved on from the
// last files), and the next build writes what a clean build writes.
func TestBuildStopped(t *testing.T) {
	base := syntheticCorpus(1200, 60, 3)
	edited := slices.Clone(base)
	for i := 0; i < len(edited); i += 3 {
		edited[i].Text += " zygomorphic"
	}
	clean, err := NewIndexer().Build(edited)
	if err != nil {
		t.Fatal(err)
	}
	stops := 0
	for after := 0; ; after++ {
		x := NewIndexer()
		if _, err := x.Build(base); err != nil {
			t.Fatal(err)
		}
		ctx := &stopAfter{Context: context.Background(), after: after}
		files, err := x.BuildContext(ctx, slices.Clone(edited))
		if err == nil {
			if d := diffFiles(files, clean); d != "" {
				t.Fatalf("not stopped (%d checks): differs from a clean build:\n%s", ctx.calls, d)
			}
			break
		}
		stops++
		if !errors.Is(err, context.Canceled) || files != nil {
			t.Fatalf("stopped at check %d: %d files, %v; want none and context.Canceled", after+1, len(files), err)
		}
		if got, ok, err := x.Patch(edited[:1]); ok || err != nil || got != nil {
			t.Errorf("stopped at check %d: Patch ok %v, %d files, %v; want it to decline", after+1, ok, len(got), err)
		}
		next, err := x.Build(slices.Clone(edited))
		if err != nil {
			t.Fatal(err)
		}
		if d := diffFiles(next, clean); d != "" {
			t.Errorf("stopped at check %d: the next build differs from a clean build:\n%s", after+1, d)
		}
	}
	if stops < 5 {
		t.Errorf("the build checked its context %d times; want it checked while it reads and while it writes", stops)
	}
}

// TestPatchFrom: an Indexer that let go of its files' bytes (LetGo) patches
// the shards read gives as Patch patches those it held; without them it
// declines, and the next build writes what a clean build writes.
func TestPatchFrom(t *testing.T) {
	docs := syntheticCorpus(300, 120, 3)
	edit := slices.Clone(docs)
	edit[17].Text += " quetzalcoatlus"

	held := NewIndexer()
	if _, err := held.Build(docs); err != nil {
		t.Fatal(err)
	}
	want, ok, err := held.Patch(edit[17:18])
	if err != nil || !ok || len(want) == 0 {
		t.Fatalf("Patch: %d files, ok %v, %v", len(want), ok, err)
	}

	for _, tc := range []struct {
		name  string
		read  bool // give PatchFrom the files
		patch bool // want it to patch
	}{
		{"read back", true, true},
		{"nothing to read", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := NewIndexer()
			files, err := x.Build(docs)
			if err != nil {
				t.Fatal(err)
			}
			saved := maps.Clone(files)
			x.LetGo()
			for p, b := range x.last {
				if b != nil {
					t.Fatalf("LetGo kept %s", p)
				}
			}
			var reads int
			read := func(p string) ([]byte, bool) {
				reads++
				if !tc.read {
					return nil, false
				}
				b, ok := saved[p]
				return b, ok
			}
			got, ok, err := x.PatchFrom(edit[17:18], read)
			if err != nil || ok != tc.patch {
				t.Fatalf("PatchFrom: ok %v, %v; want ok %v", ok, err, tc.patch)
			}
			if reads == 0 {
				t.Error("PatchFrom read no file")
			}
			if tc.patch {
				if d := diffFiles(got, want); d != "" {
					t.Errorf("PatchFrom's files differ from Patch's:\n%s", d)
				}
				return
			}
			if got != nil {
				t.Errorf("declined, but returned %d files", len(got))
			}
			next, err := x.Build(edit)
			if err != nil {
				t.Fatal(err)
			}
			clean, err := NewIndexer().Build(edit)
			if err != nil {
				t.Fatal(err)
			}
			if d := diffFiles(next, clean); d != "" {
				t.Errorf("the build after a declined patch differs from a clean build:\n%s", d)
			}
		})
	}
}
