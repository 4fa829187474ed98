package site

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"

	"github.com/archive-project/archive/cmd/archive/internal/hugoconfig"
)

func renderHugo(t *testing.T, g hugoconfig.Goldmark, src string) string {
	t.Helper()
	md := goldmark.New(goldmark.WithExtensions(append(hugoExtensions(g), moreExtension{})...),
		goldmark.WithParserOptions(hugoParserOptions(g)...), goldmark.WithRendererOptions(hugoRendererOptions(g)...))
	pc := parser.NewContext(parser.WithIDs(newHeadingIDs(g.AutoHeadingIDType)))
	doc := md.Parser().Parse(text.NewReader([]byte(src)), parser.WithContext(pc))
	var b bytes.Buffer
	if err := md.Renderer().Render(&b, []byte(src), doc); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestHugoMarkdown(t *testing.T) {
	g := hugoconfig.Default().Goldmark
	src := "Summary \"quoted\" -- here.\n\n<!--more-->\n\n## Hello, World! _Go_\n\n## Hello, World! _Go_\n\n## Custom {#my-id .big}\n\nA note[^1].\n\n- [x] done\n\nTerm\n: Definition\n\n~~gone~~ www.example.org\n\n[^1]: The note.\n"
	got := renderHugo(t, g, src)
	for _, want := range []string{
		"<p>Summary &ldquo;quoted&rdquo; &ndash; here.</p>",
		`<h2 id="hello-world-_go_">`, `<h2 id="hello-world-_go_-1">`, `<h2 id="my-id" class="big">Custom</h2>`,
		`<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup>`,
		`<input checked="" disabled="" type="checkbox"`, "<dl>\n<dt>Term</dt>\n<dd>Definition</dd>", "<del>gone</del>",
		`<a href="http://www.example.org">`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "more") || strings.Contains(got, "omitted") {
		t.Errorf("the <!--more--> divider shows:\n%s", got)
	}
	g.AutoHeadingIDType = "blackfriday"
	if got := renderHugo(t, g, "## Hello, World! _Go_\n"); !strings.Contains(got, `id="hello-world-go"`) {
		t.Errorf("blackfriday: %s", got)
	}
	if got := renderHugo(t, g, "## Ünïcode & ‘quotes’\n"); !strings.Contains(got, `id="ünïcode-quotes"`) {
		t.Errorf("blackfriday unicode: %s", got)
	}
	g.AutoHeadingIDType = "github"
	if got := renderHugo(t, g, "## Ünïcode & Co\n"); !strings.Contains(got, `id="ünïcode--co"`) {
		t.Errorf("github unicode: %s", got)
	}
	if summaryAt([]byte(src)) != strings.Index(src, "<!--more-->") {
		t.Error("summaryAt")
	}
}
