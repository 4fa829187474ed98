package shortcode

import (
	"bytes"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The goldmark side. Expand gives a page body in which every shortcode is
// a placeholder of the same length; the parser reads that source, so the
// offsets of everything else are the body's. The transformer below puts
// each call's output where its placeholder is: a Node where it was text
// (a Block when a paragraph holds only shortcodes, as Hugo drops the <p>
// around a shortcode on its own), the output text in link destinations and
// titles, and the renderers put it into raw HTML and code.

var expansionKey = parser.NewContextKey()

const metaKey = "archive.shortcodes"

// WithExpansion makes x known to the transformer for one document.
func WithExpansion(pc parser.Context, x *Expansion) {
	if x != nil && len(x.Calls) > 0 {
		pc.Set(expansionKey, x)
	}
}

// expansionOf returns the expansion the document was parsed with.
func expansionOf(n ast.Node) *Expansion {
	doc := n.OwnerDocument()
	if doc == nil {
		return nil
	}
	x, _ := doc.Meta()[metaKey].(*Expansion)
	return x
}

// KindNode and KindBlock are the node kinds of a call's output.
var (
	KindNode  = ast.NewNodeKind("Shortcode")
	KindBlock = ast.NewNodeKind("ShortcodeBlock")
)

// Node is a shortcode's output inside a paragraph, heading or link text.
type Node struct {
	ast.BaseInline
	Call *Expanded
}

func (n *Node) Kind() ast.NodeKind { return KindNode }
func (n *Node) Dump(src []byte, level int) {
	ast.DumpHelper(n, src, level, map[string]string{"Name": n.Call.Name}, nil)
}

// Block is a paragraph that held only shortcodes.
type Block struct {
	ast.BaseBlock
	Calls []*Expanded
}

func (n *Block) Kind() ast.NodeKind         { return KindBlock }
func (n *Block) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// Extension registers the transformer and renderers. Unsafe must be the
// renderer's own setting (raw HTML passes, else it is omitted).
type Extension struct{ Unsafe bool }

// Extend implements goldmark.Extender.
func (e Extension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(transformer{}, 100)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(nodeRenderer{unsafe: e.Unsafe}, 500)))
}

type transformer struct{}

func (transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	x, _ := pc.Get(expansionKey).(*Expansion)
	if x == nil {
		return
	}
	doc.AddMeta(metaKey, x)
	var texts []*ast.Text
	var links []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.Text:
			texts = append(texts, t)
		case *ast.Link, *ast.Image:
			links = append(links, t)
		}
		return ast.WalkContinue, nil
	})
	paras := map[ast.Node]bool{}
	for _, t := range texts {
		p := t.Parent()
		if splitText(t, x) && p != nil {
			paras[p] = true
		}
	}
	for _, l := range links {
		switch n := l.(type) {
		case *ast.Link:
			n.Destination, n.Title = substitute(n.Destination, x), substitute(n.Title, x)
		case *ast.Image:
			n.Destination, n.Title = substitute(n.Destination, x), substitute(n.Title, x)
		}
	}
	for p := range paras {
		para, ok := p.(*ast.Paragraph)
		if !ok || para.Parent() == nil {
			continue
		}
		var calls []*Expanded
		only := true
		for c := para.FirstChild(); c != nil; c = c.NextSibling() {
			switch n := c.(type) {
			case *Node:
				calls = append(calls, n.Call)
			case *ast.Text:
				if len(bytes.TrimSpace(n.Segment.Value(reader.Source()))) != 0 {
					only = false
				}
			default:
				only = false
			}
		}
		if only && len(calls) > 0 {
			b := &Block{Calls: calls}
			para.Parent().ReplaceChild(para.Parent(), para, b)
		}
	}
}

// splitText replaces the placeholders in a text node by Nodes and reports
// whether it found any.
func splitText(t *ast.Text, x *Expansion) bool {
	seg := t.Segment
	i := sort.Search(len(x.Calls), func(i int) bool { return x.Calls[i].End > seg.Start })
	if i == len(x.Calls) || x.Calls[i].Start >= seg.Stop {
		return false
	}
	parent := t.Parent()
	if parent == nil {
		return false
	}
	at := seg.Start
	for ; i < len(x.Calls) && x.Calls[i].Start < seg.Stop; i++ {
		c := x.Calls[i]
		if c.Start > at {
			parent.InsertBefore(parent, t, ast.NewTextSegment(text.NewSegment(at, c.Start)))
		}
		parent.InsertBefore(parent, t, &Node{Call: c})
		at = c.End
	}
	if at < seg.Stop {
		rest := ast.NewTextSegment(text.NewSegment(at, seg.Stop))
		rest.SetSoftLineBreak(t.SoftLineBreak())
		rest.SetHardLineBreak(t.HardLineBreak())
		parent.InsertBefore(parent, t, rest)
	}
	parent.RemoveChild(parent, t)
	return true
}

// substitute replaces placeholders in a link destination or title by the
// calls' text output.
func substitute(b []byte, x *Expansion) []byte {
	if len(b) == 0 || !bytes.Contains(b, []byte("Q")) {
		return b
	}
	s := string(b)
	for _, c := range x.Calls {
		if strings.Contains(s, c.Token) {
			s = strings.Replace(s, c.Token, c.Text, 1)
		}
	}
	return []byte(s)
}

// Text returns src[start:end] with the placeholders in it replaced by the
// calls' text output (escaped shortcodes as written): for code blocks,
// whose text the site highlights itself. n is any node of the document.
func Text(n ast.Node, src []byte, start, end int) []byte {
	return replaceRange(n, src, start, end, func(e *Expanded) string { return e.Text })
}

func replaceRange(n ast.Node, src []byte, start, end int, out func(*Expanded) string) []byte {
	x := expansionOf(n)
	if x == nil {
		return src[start:end]
	}
	i := sort.Search(len(x.Calls), func(i int) bool { return x.Calls[i].End > start })
	if i == len(x.Calls) || x.Calls[i].Start >= end {
		return src[start:end]
	}
	var b bytes.Buffer
	at := start
	for ; i < len(x.Calls) && x.Calls[i].Start < end; i++ {
		c := x.Calls[i]
		if c.Start > at {
			b.Write(src[at:c.Start])
		}
		if c.Start >= start && c.End <= end {
			b.WriteString(out(c))
		}
		at = max(at, min(c.End, end))
	}
	if at < end {
		b.Write(src[at:end])
	}
	return b.Bytes()
}

type nodeRenderer struct{ unsafe bool }

func (r nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindNode, r.renderNode)
	reg.Register(KindBlock, r.renderBlock)
	reg.Register(ast.KindRawHTML, r.renderRawHTML)
	reg.Register(ast.KindHTMLBlock, r.renderHTMLBlock)
	reg.Register(ast.KindCodeSpan, r.renderCodeSpan)
	reg.Register(ast.KindFencedCodeBlock, r.renderCode)
	reg.Register(ast.KindCodeBlock, r.renderCode)
}

// renderCodeSpan is goldmark's, for a code span whose text may hold
// shortcode outputs.
func (nodeRenderer) renderCodeSpan(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		_, _ = w.WriteString("</code>")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<code>")
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch t := c.(type) {
		case *ast.Text:
			v := t.Segment.Value(src)
			if bytes.HasSuffix(v, []byte("\n")) {
				_, _ = w.Write(util.EscapeHTML(v[:len(v)-1]))
				_ = w.WriteByte(' ')
			} else {
				_, _ = w.Write(util.EscapeHTML(v))
			}
		case *ast.String:
			_, _ = w.Write(util.EscapeHTML(t.Value))
		case *Node:
			_, _ = w.WriteString(t.Call.HTML)
		}
	}
	return ast.WalkSkipChildren, nil
}

// renderCode is goldmark's code block, with shortcode outputs in the text
// (a site that highlights code registers its own renderer and calls Text).
func (nodeRenderer) renderCode(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString("<pre><code")
	if f, ok := n.(*ast.FencedCodeBlock); ok && f.Info != nil {
		if lang := f.Language(src); len(lang) > 0 {
			_, _ = w.WriteString(` class="language-`)
			_, _ = w.Write(util.EscapeHTML(lang))
			_, _ = w.WriteString(`"`)
		}
	}
	_ = w.WriteByte('>')
	_, _ = w.Write(util.EscapeHTML(CodeText(n, src)))
	_, _ = w.WriteString("</code></pre>\n")
	return ast.WalkSkipChildren, nil
}

// CodeText is the text of a code block with shortcode outputs in place.
func CodeText(n ast.Node, src []byte) []byte {
	var b bytes.Buffer
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		s := lines.At(i)
		b.Write(Text(n, src, s.Start, s.Stop))
	}
	return b.Bytes()
}

func (nodeRenderer) renderNode(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		c := n.(*Node).Call
		h := c.HTML
		if c.Markdown {
			h = StripParagraph(h)
		}
		_, _ = w.WriteString(h)
	}
	return ast.WalkSkipChildren, nil
}

func (nodeRenderer) renderBlock(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		for _, c := range n.(*Block).Calls {
			_, _ = w.WriteString(strings.TrimRight(c.HTML, "\n"))
			_ = w.WriteByte('\n')
		}
	}
	return ast.WalkSkipChildren, nil
}

func htmlOf(n ast.Node, src []byte, start, end int) []byte {
	return replaceRange(n, src, start, end, func(e *Expanded) string { return e.HTML })
}

// renderRawHTML is goldmark's, with shortcode outputs in place.
func (r nodeRenderer) renderRawHTML(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	if !r.unsafe {
		_, _ = w.WriteString("<!-- raw HTML omitted -->")
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	for i := 0; i < n.Segments.Len(); i++ {
		s := n.Segments.At(i)
		_, _ = w.Write(htmlOf(n, src, s.Start, s.Stop))
	}
	return ast.WalkSkipChildren, nil
}

// renderHTMLBlock is goldmark's, with shortcode outputs in place.
func (r nodeRenderer) renderHTMLBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.HTMLBlock)
	if entering {
		if r.unsafe {
			for i := 0; i < n.Lines().Len(); i++ {
				s := n.Lines().At(i)
				_, _ = w.Write(htmlOf(n, src, s.Start, s.Stop))
			}
		} else {
			_, _ = w.WriteString("<!-- raw HTML omitted -->\n")
		}
	} else if n.HasClosure() && r.unsafe {
		c := n.ClosureLine
		_, _ = w.Write(htmlOf(n, src, c.Start, c.Stop))
	}
	return ast.WalkContinue, nil
}
