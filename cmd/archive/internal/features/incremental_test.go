package features_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/archive-project/archive/cmd/archive/internal/features"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// Sentences that several test articles share, long enough to be passages.
const (
	shared1 = "\"The international police organization plans to condemn the spread of strong encryption in a statement on Monday.\""
	shared2 = "\"Three people briefed on the matter said the resolution was drafted by officials from the United States government.\""
)

type testArticle struct {
	title, outlet, date, captured, author, slug, note string
	body                                              []string
}

func (a testArticle) file() *fstest.MapFile {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %q\n", a.title)
	for _, kv := range [][2]string{{"outlet", a.outlet}, {"date", a.date}, {"captured", a.captured}, {"author", a.author}, {"slug", a.slug}} {
		if kv[1] != "" {
			fmt.Fprintf(&b, "%s: %s\n", kv[0], kv[1])
		}
	}
	if a.note != "" {
		fmt.Fprintf(&b, "notes:\n  - quote: %q\n    note: \"An editor's note.\"\n", a.note)
	}
	b.WriteString("---\n\n")
	for _, p := range a.body {
		b.WriteString(p + "\n\n")
	}
	return &fstest.MapFile{Data: []byte(b.String())}
}

func testSite() (fstest.MapFS, map[string]testArticle) {
	arts := map[string]testArticle{
		"content/a.md": {title: "Alpha report", outlet: "Reuters", date: "2019-11-18", author: "Ann Author",
			body: []string{"Alpha opens with words of its own about the meeting in Lyon.", shared1, shared2}},
		"content/b.md": {title: "Beta story", outlet: "Ars Technica", date: "2019-11-19",
			body: []string{"Beta begins somewhere else entirely, with the FBI.", shared1}},
		"content/c.md": {title: "“Gamma” column", outlet: "The Register", date: "2019-11-19T10:00:00Z",
			body: []string{"Gamma has a view of its own on these matters.", shared1, shared2}},
		"content/d.md": {title: "delta, undated", outlet: "Techdirt",
			body: []string{"Delta was never dated by anyone who kept it.", shared2}},
	}
	fsys := fstest.MapFS{"archive.toml": {Data: []byte("title = \"T\"\nbaseURL = \"https://example.org/\"\n")}}
	for p, a := range arts {
		fsys[p] = a.file()
	}
	return fsys, arts
}

// TestIncrementalPagesFollow changes, one at a time, each input the
// reader's pages and citations read, and checks that an incremental build
// (site.Builder, which reuses what the reader kept) is byte for byte the
// build made from scratch, and that the pages that show the input changed.
func TestIncrementalPagesFollow(t *testing.T) {
	for _, live := range []bool{false, true} {
		t.Run(fmt.Sprintf("live=%v", live), func(t *testing.T) {
			fsys, arts := testSite()
			opts := func(live bool) []site.Option {
				if live {
					return features.LiveOptions()
				}
				return features.Options()
			}
			b := site.NewBuilder(fsys, opts(live)...)
			prev, _, err := b.Build(context.Background(), nil)
			carried := 0
			if err != nil {
				t.Fatal(err)
			}
			edit := func(p string, f func(*testArticle)) func() []string {
				return func() []string {
					a := arts[p]
					f(&a)
					arts[p] = a
					fsys[p] = a.file()
					return []string{p}
				}
			}
			for _, tc := range []struct {
				name   string
				change func() []string
				want   []string // pages that must change
			}{
				{"title", edit("content/b.md", func(a *testArticle) { a.title = "A beta story, renamed" }),
					[]string{"titles/index.html", "timeline/index.html", "passages/p-*"}},
				{"body only", edit("content/b.md", func(a *testArticle) { a.body[0] = "Beta begins elsewhere, with the FBI and others." }),
					nil},
				{"date moves the first appearance", edit("content/c.md", func(a *testArticle) { a.date = "2019-11-17" }),
					[]string{"titles/index.html", "timeline/index.html", "passages/p-*"}},
				{"outlet", edit("content/a.md", func(a *testArticle) { a.outlet = "Reuters World" }),
					[]string{"titles/index.html", "timeline/index.html", "search/index.html"}},
				{"time of day", edit("content/b.md", func(a *testArticle) { a.date = "2019-11-19T04:30:00Z" }),
					[]string{"titles/index.html", "timeline/index.html", "articles/b/index.html"}},
				{"same instant, another zone", edit("content/b.md", func(a *testArticle) { a.date = "2019-11-18T23:30:00-05:00" }),
					[]string{"titles/index.html", "timeline/index.html", "articles/b/index.html"}},
				{"same day, bare date", edit("content/a.md", func(a *testArticle) { a.date = "2019-11-17" }),
					[]string{"timeline/index.html"}},
				{"captured", edit("content/a.md", func(a *testArticle) { a.captured = "2019-12-01" }),
					[]string{"articles/a/index.html", "passages/p-*"}},
				{"author", edit("content/c.md", func(a *testArticle) { a.author = "Carl Columnist" }),
					[]string{"articles/c/index.html"}},
				{"slug", edit("content/c.md", func(a *testArticle) { a.slug = "gamma" }),
					[]string{"titles/index.html", "timeline/index.html", "articles/gamma/index.html"}},
				{"passage leaves its first article", edit("content/c.md", func(a *testArticle) { a.body = a.body[:1] }),
					[]string{"timeline/index.html"}},
				{"passage moves between articles", func() []string {
					for p, f := range map[string]func(*testArticle){
						"content/b.md": func(a *testArticle) { a.body = a.body[:1] },
						"content/d.md": func(a *testArticle) { a.body = append(a.body, shared1) },
					} {
						edit(p, f)()
					}
					return []string{"content/b.md", "content/d.md"}
				}, []string{"timeline/index.html", "passages/p-*"}},
				{"editor's note", edit("content/d.md", func(a *testArticle) { a.note = "never dated by anyone" }),
					[]string{"search/index.html"}},
				{"new article, new outlet", func() []string {
					arts["content/e.md"] = testArticle{title: "Epsilon", outlet: "Wired", date: "2019-11-20", body: []string{"Epsilon adds one more.", shared2}}
					fsys["content/e.md"] = arts["content/e.md"].file()
					return []string{"content/e.md"}
				}, []string{"titles/index.html", "timeline/index.html", "search/index.html", "articles/b/index.html"}},
				{"newest date", edit("content/e.md", func(a *testArticle) { a.date = "2019-11-25" }),
					[]string{"articles/e/index.html"}},
				{"article removed", func() []string {
					delete(arts, "content/e.md")
					delete(fsys, "content/e.md")
					return []string{"content/e.md"}
				}, []string{"titles/index.html", "timeline/index.html", "search/index.html"}},
				{"archive title", func() []string {
					fsys["archive.toml"] = &fstest.MapFile{Data: []byte("title = \"The archive\"\nbaseURL = \"https://example.org/\"\n")}
					return []string{"archive.toml"}
				}, []string{"articles/a/index.html"}},
			} {
				changed := tc.change()
				out, _, err := b.Build(context.Background(), changed)
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				fresh, err := site.Build(context.Background(), fsys, opts(false)...)
				if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				if live && b.Pending() {
					carried++
					// The build that answers the edit has the pages that do
					// not depend on passages up to date already.
					for _, p := range []string{"titles/index.html", "search/index.html"} {
						x, _ := out.Bytes(p)
						y, _ := fresh.Bytes(p)
						if !bytes.Equal(x, y) {
							t.Errorf("%s: %s is not up to date in the build that answers the edit", tc.name, p)
						}
					}
					if out, _, err = b.Build(context.Background(), []string{}); err != nil {
						t.Fatalf("%s, follow-up: %v", tc.name, err)
					}
				}
				if diff := diffOutputs(out, fresh); diff != "" {
					t.Errorf("%s: the incremental build is not the full build: %s", tc.name, diff)
				}
				for _, p := range tc.want {
					if pre, ok := strings.CutSuffix(p, "*"); ok {
						if !changedUnder(prev, out, pre) {
							t.Errorf("%s: no page under %s changed", tc.name, pre)
						}
						continue
					}
					x, _ := prev.Bytes(p)
					y, ok := out.Bytes(p)
					if !ok {
						t.Errorf("%s: no %s", tc.name, p)
					} else if bytes.Equal(x, y) {
						t.Errorf("%s: %s did not change", tc.name, p)
					}
				}
				prev = out
			}
			if live && carried == 0 {
				t.Error("no edit was carried over: live mode was not tested")
			}
		})
	}
}

// changedUnder reports whether a page under prefix differs between builds.
func changedUnder(a, b *site.Output, prefix string) bool {
	for _, p := range b.Paths() {
		if strings.HasPrefix(p, prefix) && strings.HasSuffix(p, "/index.html") {
			x, _ := a.Bytes(p)
			y, _ := b.Bytes(p)
			if !bytes.Equal(x, y) {
				return true
			}
		}
	}
	return false
}

// diffOutputs names the first paths where two builds differ.
func diffOutputs(a, b *site.Output) string {
	var diff []string
	ap, bp := strings.Join(a.Paths(), "\n"), strings.Join(b.Paths(), "\n")
	if ap != bp {
		diff = append(diff, fmt.Sprintf("paths differ:\n%s\nvs\n%s", ap, bp))
	}
	for _, p := range a.Paths() {
		x, _ := a.Bytes(p)
		y, ok := b.Bytes(p)
		if ok && !bytes.Equal(x, y) {
			diff = append(diff, p)
		}
	}
	if len(diff) > 5 {
		diff = append(diff[:5], "…")
	}
	return strings.Join(diff, ", ")
}
