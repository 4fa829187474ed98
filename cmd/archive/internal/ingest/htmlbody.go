package ingest

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blockAtoms start and end a paragraph; everything else is inline.
var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Li: true, atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Blockquote: true, atom.Pre: true, atom.Table: true, atom.Tr: true, atom.Td: true, atom.Th: true,
	atom.Header: true, atom.Footer: true, atom.Figure: true, atom.Hr: true, atom.Address: true,
	atom.Details: true, atom.Summary: true, atom.Center: true, atom.Body: true, atom.Html: true,
}

// skipAtoms are never article text.
var skipAtoms = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Svg: true,
	atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Video: true, atom.Audio: true,
	atom.Canvas: true, atom.Img: true, atom.Picture: true, atom.Figcaption: true, atom.Button: true,
	atom.Form: true, atom.Input: true, atom.Select: true, atom.Textarea: true, atom.Nav: true,
	atom.Aside: true, atom.Head: true, atom.Math: true,
}

// paraWriter collects the paragraphs of an HTML tree.
type paraWriter struct {
	out     []Para
	lines   []string
	line    strings.Builder
	space   bool // a space is pending before the next word
	heading int  // level of the heading being read, 0 outside
	list    bool // inside <li>
	quote   int  // depth of <blockquote>
	pre     int  // depth of <pre>
	cell    int  // depth of <td>/<th>
}

// htmlParas turns the article node into paragraphs of plain text: one per
// block element, <br> as a line break, headings, list items and quotations
// marked as such.
func htmlParas(n *html.Node) []Para {
	w := &paraWriter{}
	w.node(n)
	w.flush()
	return w.out
}

func (w *paraWriter) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode, html.DocumentNode:
	default:
		return
	}
	if skipAtoms[n.DataAtom] || hidden(n) {
		return
	}
	if n.DataAtom == atom.Br {
		w.endLine()
		return
	}
	block := blockAtoms[n.DataAtom]
	if block {
		w.flush()
	}
	heading, list, quote, pre, cell := w.heading, w.list, w.quote, w.pre, w.cell
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		w.heading = int(n.Data[1] - '0')
	case atom.Li:
		w.list = true
	case atom.Blockquote:
		w.quote++
	case atom.Pre:
		w.pre++
	case atom.Td, atom.Th:
		w.cell++
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
	if block {
		w.flush()
	}
	w.heading, w.list, w.quote, w.pre, w.cell = heading, list, quote, pre, cell
}

// hidden reports elements a reader never sees.
func hidden(n *html.Node) bool {
	if _, ok := attrOK(n, "hidden"); ok {
		return true
	}
	if attr(n, "aria-hidden") == "true" {
		return true
	}
	st := strings.ReplaceAll(strings.ToLower(attr(n, "style")), " ", "")
	return strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden")
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func (w *paraWriter) text(s string) {
	if w.pre > 0 {
		parts := strings.Split(s, "\n")
		for i, p := range parts {
			if i > 0 {
				w.endLine()
			}
			w.line.WriteString(strings.TrimRight(p, " \t\r"))
		}
		return
	}
	for i, f := range strings.Fields(s) {
		if w.line.Len() > 0 && (i > 0 || w.space || startsWithSpace(s)) {
			w.line.WriteByte(' ')
		}
		w.line.WriteString(f)
		w.space = false
	}
	if strings.TrimSpace(s) == "" {
		w.space = w.space || s != ""
	} else {
		w.space = endsWithSpace(s)
	}
}

func startsWithSpace(s string) bool {
	return s != "" && strings.ContainsRune(" \t\n\r\f\u00a0", rune(s[0]))
}
func endsWithSpace(s string) bool {
	return s != "" && strings.ContainsRune(" \t\n\r\f", rune(s[len(s)-1]))
}

func (w *paraWriter) endLine() {
	l := strings.TrimSpace(strings.ReplaceAll(w.line.String(), "\u00a0", " "))
	if w.pre > 0 {
		l = strings.TrimRight(w.line.String(), " \t")
	}
	if l != "" || (w.pre > 0 && len(w.lines) > 0) {
		w.lines = append(w.lines, l)
	}
	w.line.Reset()
	w.space = false
}

func (w *paraWriter) flush() {
	w.endLine()
	for len(w.lines) > 0 && strings.TrimSpace(w.lines[len(w.lines)-1]) == "" {
		w.lines = w.lines[:len(w.lines)-1]
	}
	if len(w.lines) == 0 {
		return
	}
	p := Para{Lines: w.lines, Quote: w.quote > 0, Heading: w.heading, Item: w.list, Pre: w.pre > 0, Cell: w.cell > 0}
	if p.Heading > 0 {
		p.Lines = []string{collapse(strings.Join(p.Lines, " "))}
	}
	w.out = append(w.out, p)
	w.lines = nil
}
