package site

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// storySite has two stories so that an edit in one leaves the other alone.
func storySite() fstest.MapFS {
	m := testSite()
	for i, s := range []struct{ slug, story, outlet string }{
		{"d", "Second story", "Techdirt"}, {"e", "Second story", "Techdirt"}, {"f", "Second story", "ITPro"},
	} {
		m["content/"+s.slug+".md"] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"---\ntitle: Article %s\noutlet: %s\nstory: %s\ndate: 2020-01-0%d\n---\n\nFirst paragraph of %s, long enough to be its summary sentence.\n\nSecond paragraph.\n",
			s.slug, s.outlet, s.story, i+1, s.slug)}
	}
	return m
}

func sameOutput(t *testing.T, have, want *Output) {
	t.Helper()
	hp, wp := have.Paths(), want.Paths()
	if strings.Join(hp, "\n") != strings.Join(wp, "\n") {
		t.Fatalf("paths differ:\nhave %v\nwant %v", hp, wp)
	}
	for _, p := range wp {
		h, _ := have.Bytes(p)
		w, _ := want.Bytes(p)
		if !bytes.Equal(h, w) {
			t.Errorf("%s differs from a full build", p)
		}
	}
}

func TestIncremental(t *testing.T) {
	ctx := context.Background()
	m := storySite()
	b := NewBuilder(m)
	_, rep, err := b.Build(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	total := rep.Rendered
	if rep.Reused != 0 || total < 10 {
		t.Fatalf("first build: %+v", rep)
	}
	edit := func(p, old, new string) {
		t.Helper()
		s := string(m[p].Data)
		if !strings.Contains(s, old) {
			t.Fatalf("%s has no %q", p, old)
		}
		m[p] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
	}
	for _, step := range []struct {
		name       string
		change     func()
		changed    []string
		rendered   []string // exactly these pages render again
		same       []string // and these, whose bytes stay the same
		notChanged []string
	}{
		{
			name:     "body edit below the summary",
			change:   func() { edit("content/d.md", "Second paragraph.", "Second paragraph, edited.") },
			changed:  []string{"content/d.md"},
			rendered: []string{"articles/d/index.html"},
		},
		{
			name:    "title edit",
			change:  func() { edit("content/d.md", "title: Article d", "title: Article D, retitled") },
			changed: []string{"content/d.md"},
			// the page itself, the next article's (which links it), its
			// outlet, its story, the home page, the titles and the feed;
			// not the sitemap, which shows no titles
			rendered: []string{"articles/d/index.html", "articles/e/index.html",
				"index.html", "index.xml", "outlets/techdirt/index.html", "stories/second-story/index.html", "titles/index.html"},
			notChanged: []string{"articles/a/index.html", "outlets/reuters/index.html", "seeds/001_a/index.html", "sitemap.xml"},
		},
		{
			name: "layout edit",
			change: func() {
				m["layouts/seed.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}<pre>{{.Seed.Code}}</pre>{{end}}`)}
			},
			changed:  []string{"layouts/seed.html"},
			rendered: []string{"seeds/001_a/index.html"},
		},
		{
			name:    "delete an article",
			change:  func() { delete(m, "content/f.md") },
			changed: []string{"content/f.md"},
			// the pages that linked to f (its story's) change, and every
			// list f was on; no other article page (a citation's access
			// date is its own capture date, never the newest article's)
			rendered: []string{"articles/e/index.html", "articles/d/index.html", "index.html", "index.xml", "sitemap.xml", "outlets/index.html",
				"stories/index.html", "stories/second-story/index.html", "titles/index.html"},
			same: []string{"seeds/index.html"}, // it shows the number of seeds, fingerprinted with the other counts
		},
		{
			name:     "nothing changed",
			change:   func() {},
			changed:  []string{"content/d.md"},
			rendered: nil,
		},
	} {
		t.Run(step.name, func(t *testing.T) {
			step.change()
			out, rep, err := b.Build(ctx, step.changed)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Rendered != len(step.rendered)+len(step.same) || rep.Rendered+rep.Reused >= total+2 {
				t.Errorf("rendered %d, reused %d; want %d rendered: %v\nchanged: %v", rep.Rendered, rep.Reused, len(step.rendered), step.rendered, rep.Changed)
			}
			for _, p := range step.rendered {
				if !contains(rep.Changed, p) && step.name != "title edit" {
					t.Errorf("%s not reported changed: %v", p, rep.Changed)
				}
			}
			for _, p := range rep.Changed {
				if !contains(step.rendered, p) && !strings.HasPrefix(p, "articles/f/") && p != "outlets/itpro/index.html" {
					t.Errorf("%s changed but was not expected to: %v", p, rep.Changed)
				}
			}
			for _, p := range step.notChanged {
				if contains(rep.Changed, p) {
					t.Errorf("%s changed", p)
				}
			}
			full, err := Build(ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			sameOutput(t, out, full)
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// A broken file fails the build, keeps the Builder's state, and the next
// build after the fix succeeds; the error is reported again while the file
// stays broken, even when other files change.
func TestIncrementalErrorRecovery(t *testing.T) {
	ctx := context.Background()
	m := storySite()
	b := NewBuilder(m)
	if _, _, err := b.Build(ctx, nil); err != nil {
		t.Fatal(err)
	}
	good := m["content/d.md"].Data
	m["content/d.md"] = &fstest.MapFile{Data: []byte("---\ntitle: [\n---\n")}
	if _, _, err := b.Build(ctx, []string{"content/d.md"}); err == nil || !strings.HasPrefix(err.Error(), "content/d.md:") {
		t.Fatalf("error %v", err)
	}
	if _, _, err := b.Build(ctx, []string{"content/e.md"}); err == nil {
		t.Fatal("broken file forgotten")
	}
	m["content/d.md"] = &fstest.MapFile{Data: good}
	out, _, err := b.Build(ctx, []string{"content/d.md"})
	if err != nil {
		t.Fatal(err)
	}
	full, _ := Build(ctx, m)
	sameOutput(t, out, full)
}

// New files, folders and removed folders are picked up from their paths.
func TestIncrementalFolders(t *testing.T) {
	ctx := context.Background()
	m := storySite()
	b := NewBuilder(m)
	if _, _, err := b.Build(ctx, nil); err != nil {
		t.Fatal(err)
	}
	m["content/new/g.md"] = &fstest.MapFile{Data: []byte("---\ntitle: G\n---\nG body.\n")}
	m["content/new/h.md"] = &fstest.MapFile{Data: []byte("---\ntitle: H\n---\nH body.\n")}
	out, _, err := b.Build(ctx, []string{"content/new"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := out.Bytes("articles/h/index.html"); !ok {
		t.Fatal("new folder's articles missing")
	}
	delete(m, "content/new/g.md")
	delete(m, "content/new/h.md")
	out, _, err = b.Build(ctx, []string{"content/new"})
	if err != nil {
		t.Fatal(err)
	}
	full, _ := Build(ctx, m)
	sameOutput(t, out, full)
}

func TestDeterministic(t *testing.T) {
	ctx := context.Background()
	a, err := Build(ctx, storySite(), WithWorkers(1))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Build(ctx, storySite(), WithWorkers(8))
	if err != nil {
		t.Fatal(err)
	}
	sameOutput(t, a, b)
}

func TestPublish(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "public")
	if err := os.MkdirAll(filepath.Join(dir, "stale"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "stale", "x.html"), []byte("old"), 0o644)
	out, err := Build(context.Background(), testSite())
	if err != nil {
		t.Fatal(err)
	}
	if err := out.Publish(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "stale")); !os.IsNotExist(err) {
		t.Errorf("stale files survived a publish: %v", err)
	}
	for _, p := range out.Paths() {
		b, err := os.ReadFile(filepath.Join(dir, p))
		want, _ := out.Bytes(p)
		if err != nil || !bytes.Equal(b, want) {
			t.Errorf("%s not published: %v", p, err)
		}
	}
	ents, _ := os.ReadDir(filepath.Dir(dir))
	if len(ents) != 1 {
		t.Errorf("temporary folders left beside public/: %v", ents)
	}

	// A publish that fails half way (a file where a folder must go) leaves
	// the published site as it was and no temporary folder behind.
	bad := newOutput(map[string][]byte{"a.html": []byte("x"), "a.html/b.html": []byte("y"), "z.html": []byte("z")})
	if err := bad.Publish(dir); err == nil {
		t.Fatal("publish of an impossible tree succeeded")
	}
	for _, p := range out.Paths() {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("failed publish disturbed %s: %v", p, err)
		}
	}
	ents, _ = os.ReadDir(filepath.Dir(dir))
	if len(ents) != 1 {
		t.Errorf("failed publish left %v", ents)
	}
}

// A layout that shows the site-wide lists is re-rendered when any entry of
// them changes, also on pages whose own article did not change.
func TestIncrementalSiteLists(t *testing.T) {
	ctx := context.Background()
	m := storySite()
	m["layouts/outlet.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}{{range .Site.Articles}}{{.Title}};{{end}}{{end}}`)}
	b := NewBuilder(m)
	if _, _, err := b.Build(ctx, nil); err != nil {
		t.Fatal(err)
	}
	m["content/d.md"] = &fstest.MapFile{Data: bytes.Replace(m["content/d.md"].Data, []byte("Article d"), []byte("Article D2"), 1)}
	out, rep, err := b.Build(ctx, []string{"content/d.md"})
	if err != nil {
		t.Fatal(err)
	}
	if !contains(rep.Changed, "outlets/reuters/index.html") {
		t.Errorf("outlet page listing every article not re-rendered: %v", rep.Changed)
	}
	full, _ := Build(ctx, m)
	sameOutput(t, out, full)
}
