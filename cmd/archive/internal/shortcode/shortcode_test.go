package shortcode

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the want and errors files of testdata/*.txtar")

// testSite is the site every case runs in: a page at content/post/x.md
// (the one rendered), another post, an about page and a bundle.
func testSite(set *Set) (*Site, *Page) {
	site := NewSite()
	site.Title, site.BaseURL, site.Lang = "Test site", "https://example.org/sub/", "en"
	site.Params = map[string]any{"author": "Ann", "nested": map[string]any{"key": "deep"}}
	site.Data = map[string]any{"clients": map[string]any{"list": []any{map[string]any{"name": "certbot"}}}}
	site.SetI18n(map[string]any{"hello": map[string]any{"other": "Hello {{ .Count }} times", "one": "Hello once"}, "bye": "Bye"})
	add := func(file, kind, title, rel string) *Page {
		p := &Page{Title: title, Kind: kind, RelPermalink: "/sub" + rel, Permalink: "https://example.org/sub" + rel,
			File: NewFile(file), Params: map[string]any{}}
		p.Section = p.File.Section()
		site.AddPage(p)
		return p
	}
	add("_index.md", "home", "Home", "/")
	page := add("post/x.md", "page", "This page", "/post/x/")
	page.Params["subtitle"] = "A subtitle"
	add("post/other.md", "page", "Other post", "/post/other/")
	add("about.md", "page", "About", "/about/")
	b := add("post/bundle/index.md", "page", "A bundle", "/post/bundle/")
	b.Resources = Resources{NewResource("images/a.png", "/sub/post/bundle/images/a.png", "https://example.org/sub/post/bundle/images/a.png", nil)}
	add("post/_index.md", "section", "Posts", "/post/")
	set.SetSite(site)
	return site, page
}

func testMarkdown(unsafe bool, exts ...goldmark.Extender) goldmark.Markdown {
	var ro []renderer.Option
	if unsafe {
		ro = append(ro, gmhtml.WithUnsafe())
	}
	return goldmark.New(goldmark.WithExtensions(append([]goldmark.Extender{extension.GFM}, exts...)...),
		goldmark.WithRendererOptions(ro...))
}

// TestTxtar runs testdata/*.txtar: "input.md" is the page body, "want"
// the HTML, "errors" the errors (one a line), other files the site.
func TestTxtar(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(f)
			if err != nil {
				t.Fatal(err)
			}
			fsys := fstest.MapFS{}
			var input []byte
			unsafe := true
			for _, file := range ar.Files {
				switch file.Name {
				case "input.md":
					input = file.Data
				case "want", "errors":
				case "safe":
					unsafe = false
				default:
					fsys[file.Name] = &fstest.MapFile{Data: file.Data}
				}
			}
			got, errs := renderCase(fsys, input, unsafe)
			gotErrs := strings.Join(errs, "\n")
			if *update {
				var out []txtar.File
				for _, file := range ar.Files {
					if file.Name != "want" && file.Name != "errors" {
						out = append(out, file)
					}
				}
				out = append(out, txtar.File{Name: "want", Data: []byte(got)})
				if gotErrs != "" {
					out = append(out, txtar.File{Name: "errors", Data: []byte(gotErrs + "\n")})
				}
				ar.Files = out
				if err := os.WriteFile(f, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			var want, wantErrs string
			for _, file := range ar.Files {
				switch file.Name {
				case "want":
					want = string(file.Data)
				case "errors":
					wantErrs = strings.TrimSuffix(string(file.Data), "\n")
				}
			}
			if got != want {
				t.Errorf("input:\n%s\nhave:\n%s\nwant:\n%s", input, got, want)
			}
			if gotErrs != wantErrs {
				t.Errorf("errors:\nhave:\n%s\nwant:\n%s", gotErrs, wantErrs)
			}
		})
	}
}

func renderCase(fsys fstest.MapFS, input []byte, unsafe bool) (string, []string) {
	plain := testMarkdown(unsafe)
	mdFunc := func(s string) (string, error) {
		var b bytes.Buffer
		err := plain.Convert([]byte(s), &b)
		return b.String(), err
	}
	set := NewSet(fsys, WithMarkdown(mdFunc), WithLayoutDirs("layouts", "themes/t/layouts"), WithInlineShortcodes(true))
	_, page := testSite(set)
	x, errs := set.Expand(page, "content/post/x.md", 5, input)
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, strings.ReplaceAll(e.Error(), "\n", " "))
	}
	md := testMarkdown(unsafe, Extension{Unsafe: unsafe})
	pc := parser.NewContext()
	WithExpansion(pc, x)
	if len(x.Source) != len(input) {
		msgs = append(msgs, "BUG: the placeholders changed the length of the source")
	}
	doc := md.Parser().Parse(text.NewReader(x.Source), parser.WithContext(pc))
	var b bytes.Buffer
	if err := md.Renderer().Render(&b, x.Source, doc); err != nil {
		msgs = append(msgs, "render: "+err.Error())
	}
	return b.String(), msgs
}
