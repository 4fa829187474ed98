package site

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// markExt is the smallest annotation layer: it wraps the text of each span
// in <mark id=…>, splitting text nodes at span edges. It stands for what
// issue 4 builds, and proves that text segments are Article.Body offsets.
type markExt struct{}

var kindMark = ast.NewNodeKind("TestMark")

type markNode struct {
	ast.BaseInline
	id string
}

func (n *markNode) Kind() ast.NodeKind         { return kindMark }
func (n *markNode) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }
func (markExt) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(markExt{}, 900)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(markExt{}, 100)))
}
func (markExt) RegisterFuncs(r renderer.NodeRendererFuncRegisterer) {
	r.Register(kindMark, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			w.WriteString(`<mark id="` + n.(*markNode).id + `">`)
		} else {
			w.WriteString("</mark>")
		}
		return ast.WalkContinue, nil
	})
}

func (markExt) Transform(doc *ast.Document, r text.Reader, pc parser.Context) {
	spans := SpansFrom(pc)
	var texts []*ast.Text
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := n.(*ast.Text); ok && entering {
			texts = append(texts, t)
		}
		return ast.WalkContinue, nil
	})
	for _, sp := range spans {
		for _, t := range texts {
			seg := t.Segment
			lo, hi := max(seg.Start, sp.Start), min(seg.Stop, sp.End)
			if lo >= hi {
				continue
			}
			parent := t.Parent()
			if lo > seg.Start {
				parent.InsertBefore(parent, t, ast.NewTextSegment(text.NewSegment(seg.Start, lo)))
			}
			mk := &markNode{id: sp.ID}
			parent.InsertBefore(parent, t, mk)
			mk.AppendChild(mk, ast.NewTextSegment(text.NewSegment(lo, hi)))
			t.Segment = text.NewSegment(hi, seg.Stop)
		}
	}
}

func TestSpansExtensionPoint(t *testing.T) {
	m := testSite()
	m["content/x.md"] = &fstest.MapFile{Data: []byte("---\ntitle: X\n---\nSome *emphasised words* here.\n")}
	quote := "emphasised words* here"
	spans := func(a *article.Article) []Span {
		i := strings.Index(string(a.Body), quote)
		if a.Path != "content/x.md" || i < 0 {
			return nil
		}
		return []Span{{Start: i, End: i + len(quote), ID: "q-1"}}
	}
	out, err := Build(context.Background(), m, WithSpans(spans), WithMarkdown(markExt{}))
	if err != nil {
		t.Fatal(err)
	}
	s := page(t, out, "articles/x/index.html")
	want := `<p>Some <em><mark id="q-1">emphasised words</mark></em><mark id="q-1"> here</mark>.</p>`
	if !strings.Contains(s, want) {
		t.Errorf("marks not placed by body offsets:\nwant %s\nin   %s", want, s[strings.Index(s, `<div class="body">`):])
	}
}
