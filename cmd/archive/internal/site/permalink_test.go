package site

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
)

// TestPermalinks checks that a front-matter id makes the permalink (so a
// renamed file keeps its URL), that a moved page's alias redirects both as a
// page and in Netlify's _redirects, and that no two pages share a URL.
func TestPermalinks(t *testing.T) {
	build := func(t *testing.T, files map[string]string, opts ...Option) (*Output, error) {
		t.Helper()
		m := testSite()
		for p, s := range files {
			m[p] = &fstest.MapFile{Data: []byte(s)}
		}
		return Build(context.Background(), m, opts...)
	}
	t.Run("id makes the URL", func(t *testing.T) {
		out, err := build(t, map[string]string{"content/renamed-file.md": "---\ntitle: D\nid: interpol-d\n---\nbody\n"})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := out.Bytes("articles/interpol-d/index.html"); !ok {
			t.Errorf("no page at /articles/interpol-d/: %v", out.Paths())
		}
		if _, ok := out.Bytes("articles/renamed-file/index.html"); ok {
			t.Error("the file name made a URL although the article has an id")
		}
		if _, ok := out.Bytes(RedirectsFile); ok {
			t.Errorf("%s written without aliases", RedirectsFile)
		}
	})
	t.Run("slug wins over id", func(t *testing.T) {
		out, err := build(t, map[string]string{"content/x.md": "---\ntitle: D\nid: the-id\nslug: the-slug\n---\nbody\n"})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := out.Bytes("articles/the-slug/index.html"); !ok {
			t.Errorf("no page at /articles/the-slug/: %v", out.Paths())
		}
	})
	t.Run("aliases redirect", func(t *testing.T) {
		out, err := build(t, map[string]string{"content/x.md": "---\ntitle: D\nid: d\naliases: [/2019/11/old-d, articles/x/]\n---\nbody\n"},
			WithBaseURL("https://example.org/sub/"))
		if err != nil {
			t.Fatal(err)
		}
		red := page(t, out, RedirectsFile)
		for _, line := range []string{"/sub/2019/11/old-d/ /sub/articles/d/ 301!\n", "/sub/articles/x/ /sub/articles/d/ 301!\n"} {
			if !strings.Contains(red, line) {
				t.Errorf("%s lacks %q:\n%s", RedirectsFile, line, red)
			}
		}
		if n := strings.Count(red, " 301!\n"); n != 2 {
			t.Errorf("%s has %d redirects, want 2:\n%s", RedirectsFile, n, red)
		}
		if p := page(t, out, "2019/11/old-d/index.html"); !strings.Contains(p, "/sub/articles/d/") {
			t.Errorf("alias page does not point to the permalink:\n%s", p)
		}
	})
	t.Run("hostile aliases stay one line each", func(t *testing.T) {
		out, err := build(t, map[string]string{"content/x.md": "---\ntitle: D\naliases: [\"/old page/\", \"/a\\n/* /evil/ 200!\"]\n---\nbody\n"})
		if err != nil {
			t.Fatal(err)
		}
		red := page(t, out, RedirectsFile)
		lines := strings.Split(strings.TrimSpace(red), "\n")
		if len(lines) != 3 || strings.Contains(red, " /evil/ 200") {
			t.Fatalf("%s:\n%s", RedirectsFile, red)
		}
		if lines[1] != "/old%20page/ /articles/x/ 301!" {
			t.Errorf("line %q", lines[1])
		}
		for _, l := range lines[1:] {
			if f := strings.Fields(l); len(f) != 3 {
				t.Errorf("line %q has %d fields", l, len(f))
			}
		}
	})
	for _, tc := range []struct{ name, file, msg string }{
		{"id is another's slug", "---\ntitle: D\nid: a\n---\nbody\n", "also the slug of content/a.md"},
		{"alias claims an outlet page", "---\ntitle: D\naliases: [/outlets/reuters/]\n---\nbody\n", "two pages claim /outlets/reuters/index.html"},
		{"alias claims the home page", "---\ntitle: D\naliases: [/]\n---\nbody\n", "home page"},
		{"alias claims a seed page", "---\ntitle: D\naliases: [/seeds/001_a]\n---\nbody\n", "two pages claim /seeds/001_a/index.html"},
		{"two articles claim one alias", "---\ntitle: D\naliases: [/old/]\n---\nbody\n", "two pages claim /old/index.html"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"content/x.md": tc.file}
			if strings.Contains(tc.name, "two articles") {
				files["content/y.md"] = "---\ntitle: E\naliases: [old]\n---\nbody\n"
			}
			out, err := build(t, files)
			if err == nil {
				t.Fatalf("built %d files, want an error", out.Len())
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not say %q", err, tc.msg)
			}
		})
	}
}
