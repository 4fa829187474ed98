// Package marks places highlighted spans into Markdown as it is rendered.
//
// A span is a pair of byte offsets into the Markdown source, as the annotate
// package reports them. The goldmark AST transformer in this package finds
// the text nodes that a span covers and wraps exactly those bytes in Mark
// nodes, which render as HTML <mark> elements. A span that crosses emphasis,
// a link, a line break or a block boundary becomes several <mark> fragments:
// the first carries the span's id, every fragment carries its classes, and
// after the last one comes the span's After: HTML the caller made (from a
// template) to stand next to the marked words, such as a note reference.
//
// Nothing here looks at HTML: spans are placed on the AST, before rendering.
package marks

import (
	"sort"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Span is a stretch of the Markdown source to mark.
type Span struct {
	Start, End int    // byte offsets into the source, End exclusive
	ID         string // id attribute of the first fragment; "" for none
	Class      string // class attribute of every fragment
	After      string // HTML written after the span's last fragment, as it is
}

// Mark is an inline node wrapping the text of one fragment of a span.
type Mark struct {
	ast.BaseInline
	Span        *Span
	First, Last bool // first and last fragment of its span in document order
}

// KindMark is the node kind of Mark.
var KindMark = ast.NewNodeKind("Mark")

// Kind implements ast.Node.
func (n *Mark) Kind() ast.NodeKind { return KindMark }

// Dump implements ast.Node.
func (n *Mark) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"ID": n.Span.ID, "Class": n.Span.Class}, nil)
}

var spansKey = parser.NewContextKey()

// WithSpans returns a parse option that makes the spans known to the
// transformer for one document. Spans may nest or overlap.
func WithSpans(spans []Span) parser.ParseOption {
	ctx := parser.NewContext()
	ctx.Set(spansKey, spans)
	return parser.WithContext(ctx)
}

// Extension registers the transformer and the renderer of Mark nodes.
type Extension struct {
	// Spans, if set, says where the spans of the document being parsed
	// come from instead of WithSpans (a site passes its own).
	Spans func(pc parser.Context) []Span
}

// Extend implements goldmark.Extender.
func (e *Extension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(transformer{spans: e.Spans}, 1000)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(markRenderer{}, 500)))
}

type transformer struct {
	spans func(pc parser.Context) []Span
}

func (t transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	spans, _ := pc.Get(spansKey).([]Span)
	if t.spans != nil {
		spans = t.spans(pc)
	}
	if len(spans) == 0 {
		return
	}
	order := make([]*Span, len(spans))
	for i := range spans {
		order[i] = &spans[i]
	}
	// Outer spans first: earlier start, then longer.
	sort.SliceStable(order, func(i, j int) bool {
		if order[i].Start != order[j].Start {
			return order[i].Start < order[j].Start
		}
		return order[i].End > order[j].End
	})
	var texts []*ast.Text
	var codes []*ast.CodeSpan
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			texts = append(texts, n)
		case *ast.CodeSpan:
			// Code is marked whole: its renderer wants Text children only.
			codes = append(codes, n)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	var marks []*Mark
	for _, t := range texts {
		marks = append(marks, split(t, order)...)
	}
	for _, c := range codes {
		marks = append(marks, wrapWhole(c, order)...)
	}
	sort.SliceStable(marks, func(i, j int) bool { return markStart(marks[i]) < markStart(marks[j]) })
	first := map[*Span]*Mark{}
	last := map[*Span]*Mark{}
	for _, m := range marks {
		if first[m.Span] == nil {
			first[m.Span] = m
		}
		last[m.Span] = m
	}
	for _, m := range first {
		m.First = true
	}
	for _, m := range last {
		m.Last = true
	}
}

// split cuts text node t at the boundaries of the spans that overlap it and
// wraps the covered pieces in (nested) Mark nodes. It returns the marks made,
// in document order, outermost first.
func split(t *ast.Text, spans []*Span) []*Mark {
	seg := t.Segment
	if seg.Start >= seg.Stop {
		return nil // nothing to mark (a node that only carries a line break)
	}
	var cover []*Span
	cuts := []int{seg.Start, seg.Stop}
	for _, s := range spans {
		if s.Start < seg.Stop && s.End > seg.Start && s.End > s.Start {
			cover = append(cover, s)
			if s.Start > seg.Start {
				cuts = append(cuts, s.Start)
			}
			if s.End < seg.Stop {
				cuts = append(cuts, s.End)
			}
		}
	}
	if len(cover) == 0 {
		return nil
	}
	sort.Ints(cuts)
	parent := t.Parent()
	var made []*Mark
	prevStop := -1
	var lastText *ast.Text
	for i := 0; i+1 < len(cuts); i++ {
		a, b := cuts[i], cuts[i+1]
		if a == b || a == prevStop {
			continue
		}
		prevStop = a
		piece := ast.NewTextSegment(text.NewSegment(a, b))
		piece.SetRaw(t.IsRaw())
		lastText = piece
		var node ast.Node = piece
		for j := len(cover) - 1; j >= 0; j-- { // innermost wraps first
			s := cover[j]
			if s.Start <= a && s.End >= b {
				m := &Mark{Span: s}
				m.AppendChild(m, node)
				node = m
				made = append(made, m)
			}
		}
		parent.InsertBefore(parent, t, node)
	}
	if lastText != nil {
		lastText.SetSoftLineBreak(t.SoftLineBreak())
		lastText.SetHardLineBreak(t.HardLineBreak())
	}
	parent.RemoveChild(parent, t)
	return made
}

// wrapWhole wraps node c in a Mark for each span that overlaps its text.
func wrapWhole(c ast.Node, spans []*Span) []*Mark {
	start, stop := -1, -1
	for ch := c.FirstChild(); ch != nil; ch = ch.NextSibling() {
		if t, ok := ch.(*ast.Text); ok {
			if start < 0 {
				start = t.Segment.Start
			}
			stop = t.Segment.Stop
		}
	}
	if start < 0 {
		return nil
	}
	parent := c.Parent()
	var made []*Mark
	var node ast.Node = c
	for j := len(spans) - 1; j >= 0; j-- {
		s := spans[j]
		if s.Start < stop && s.End > start && s.End > s.Start {
			if node == c {
				parent.RemoveChild(parent, c) // re-inserted below, wrapped
			}
			m := &Mark{Span: s}
			m.AppendChild(m, node)
			node = m
			made = append([]*Mark{m}, made...)
		}
	}
	if node != c {
		insertAt(parent, node, start)
	}
	return made
}

// insertAt inserts node among parent's children in source order by pos.
func insertAt(parent, node ast.Node, pos int) {
	for ch := parent.FirstChild(); ch != nil; ch = ch.NextSibling() {
		if nodeStart(ch) > pos {
			parent.InsertBefore(parent, ch, node)
			return
		}
	}
	parent.AppendChild(parent, node)
}

func nodeStart(n ast.Node) int {
	if t, ok := n.(*ast.Text); ok {
		return t.Segment.Start
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if s := nodeStart(c); s >= 0 {
			return s
		}
	}
	return -1
}

func markStart(m *Mark) int { return nodeStart(m) }

type markRenderer struct{}

func (r markRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindMark, r.render)
}

func (r markRenderer) render(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	m := n.(*Mark)
	if entering {
		_, _ = w.WriteString("<mark")
		if m.First && m.Span.ID != "" {
			_, _ = w.WriteString(` id="`)
			_, _ = w.Write(util.EscapeHTML([]byte(m.Span.ID)))
			_ = w.WriteByte('"')
		}
		if m.Span.Class != "" {
			_, _ = w.WriteString(` class="`)
			_, _ = w.Write(util.EscapeHTML([]byte(m.Span.Class)))
			_ = w.WriteByte('"')
		}
		_ = w.WriteByte('>')
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("</mark>")
	if m.Last && m.Span.After != "" {
		_, _ = w.WriteString(m.Span.After)
	}
	return ast.WalkContinue, nil
}
