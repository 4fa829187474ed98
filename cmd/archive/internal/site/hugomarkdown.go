package site

import (
	"bytes"
	"strconv"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/archive-project/archive/cmd/archive/internal/hugoconfig"
	"github.com/archive-project/archive/cmd/archive/internal/marks"
	"github.com/archive-project/archive/cmd/archive/internal/shortcode"
)

// Markdown as Hugo renders it. A Hugo site's pages are rendered with the
// goldmark extensions Hugo 0.111 turns on unless markup.goldmark says
// otherwise: tables, strikethrough, linkify, task lists, definition lists,
// footnotes and the typographer (“smart” quotes and dashes); heading ids
// as GitHub makes them (or Blackfriday did, autoHeadingIDType), with
// {#id .class} after a heading. The archive's own articles keep the
// archive's Markdown, whose text stays byte-faithful to the archived
// wording (no typographer), with footnotes.

// hugoExtensions are the goldmark extensions of markup.goldmark.
func hugoExtensions(g hugoconfig.Goldmark) []goldmark.Extender {
	var exts []goldmark.Extender
	for _, e := range []struct {
		on  bool
		ext goldmark.Extender
	}{
		{g.Table, extension.Table}, {g.Strikethrough, extension.Strikethrough}, {g.Linkify, extension.Linkify},
		{g.TaskList, extension.TaskList}, {g.DefinitionList, extension.DefinitionList},
		{g.Footnote, extension.NewFootnote()}, {g.Typographer, extension.Typographer},
	} {
		if e.on {
			exts = append(exts, e.ext)
		}
	}
	return exts
}

// hugoParserOptions are the parser options of markup.goldmark.
func hugoParserOptions(g hugoconfig.Goldmark) []parser.Option {
	var o []parser.Option
	if g.AutoHeadingID {
		o = append(o, parser.WithAutoHeadingID())
	}
	if g.AttributeTitle {
		o = append(o, parser.WithHeadingAttribute())
	}
	return o
}

// hugoRendererOptions are the renderer options of markup.goldmark.
func hugoRendererOptions(g hugoconfig.Goldmark) []renderer.Option {
	var o []renderer.Option
	if g.Unsafe {
		o = append(o, gmhtml.WithUnsafe())
	}
	if g.HardWraps {
		o = append(o, gmhtml.WithHardWraps())
	}
	return o
}

// headingIDs makes heading ids as Hugo does for an autoHeadingIDType;
// a repeated id gets -1, -2 …, and an empty one is "heading".
type headingIDs struct {
	kind string
	seen map[string]bool
}

func newHeadingIDs(kind string) *headingIDs { return &headingIDs{kind: kind, seen: map[string]bool{}} }

func (ids *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	var id string
	switch ids.kind {
	case "blackfriday":
		id = shortcode.BlackfridayID(string(value))
	default:
		id = shortcode.GitHubID(string(value), ids.kind == "github-ascii")
	}
	if id == "" {
		id = "id"
		if kind == ast.KindHeading {
			id = "heading"
		}
	}
	if ids.seen[id] {
		for i := 1; ; i++ {
			c := id + "-" + strconv.Itoa(i)
			if !ids.seen[c] {
				id = c
				break
			}
		}
	}
	ids.seen[id] = true
	return []byte(id)
}

func (ids *headingIDs) Put(value []byte) { ids.seen[string(value)] = true }

// moreDivider is the summary divider of Hugo's content.
var moreDivider = []byte("<!--more-->")

// summaryAt returns the offset of <!--more--> in a body (as written, on a
// line of its own or inline, outside code), or -1.
func summaryAt(body []byte) int {
	i := bytes.Index(body, moreDivider)
	return i
}

// moreTransformer drops the <!--more--> divider from the document, so that
// it shows neither as a comment nor as "raw HTML omitted".
type moreTransformer struct{}

func (moreTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var drop []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.HTMLBlock:
			if l := t.Lines(); l.Len() == 1 && bytes.Equal(bytes.TrimSpace(segmentValue(l.At(0), src)), moreDivider) {
				drop = append(drop, t)
			}
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			if seg := t.Segments; seg.Len() == 1 && bytes.Equal(segmentValue(seg.At(0), src), moreDivider) {
				drop = append(drop, t)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, n := range drop {
		if p := n.Parent(); p != nil {
			p.RemoveChild(p, n)
		}
	}
}

// moreExtension registers moreTransformer.
type moreExtension struct{}

func (moreExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(moreTransformer{}, 90)))
}

func segmentValue(s text.Segment, src []byte) []byte { return s.Value(src) }

// newHugoMarkdown is newMarkdown for a Hugo site's pages: Hugo's goldmark
// settings, its shortcodes in place, and the <!--more--> divider dropped.
func newHugoMarkdown(g hugoconfig.Goldmark, exts []goldmark.Extender) goldmark.Markdown {
	ropts := append([]renderer.Option{
		renderer.WithNodeRenderers(util.Prioritized(codeRenderer{}, 100), util.Prioritized(commentsRenderer{}, 100)),
	}, hugoRendererOptions(g)...)
	all := append(hugoExtensions(g), shortcode.Extension{Unsafe: g.Unsafe}, moreExtension{}, &marks.Extension{Spans: spansFrom})
	all = append(all, exts...)
	popts := append(hugoParserOptions(g),
		parser.WithASTTransformers(util.Prioritized(commentsTransformer{}, 500), util.Prioritized(headingTransformer{}, 510)))
	return goldmark.New(goldmark.WithExtensions(all...), goldmark.WithParserOptions(popts...), goldmark.WithRendererOptions(ropts...))
}
