package site

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Reader comments. `archive import` writes the comments readers left under
// an article after a level-2 heading "Reader comments", one level-3 heading
// per commenter:
//
//	## Reader comments
//	### Jane Doe
//	What she wrote.
//	#### John Roe
//	His reply to her.
//
// commentsTransformer gathers that heading and everything after it into a
// Comments node, and each commenter's heading and text into a Comment node,
// so that they render as <section class="comments"> holding one
// <article class="comment"> per commenter: visibly not the article's text. A
// heading one level deeper (4 to 6) is a reply, nested inside the comment
// it answers.

// CommentsHeading is the heading text (compared without case) that starts
// the reader comments.
const CommentsHeading = "Reader comments"

// KindComments and KindComment are the node kinds of the comments section and
// of one comment.
var (
	KindComments = ast.NewNodeKind("Comments")
	KindComment  = ast.NewNodeKind("Comment")
)

// Comments is the reader-comments section of an article.
type Comments struct{ ast.BaseBlock }

func (n *Comments) Kind() ast.NodeKind         { return KindComments }
func (n *Comments) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }
func (n *Comment) Kind() ast.NodeKind          { return KindComment }
func (n *Comment) Dump(src []byte, level int)  { ast.DumpHelper(n, src, level, nil, nil) }

// Comment is one reader's comment: their name heading and what they wrote.
type Comment struct{ ast.BaseBlock }

type commentsTransformer struct{}

func (t commentsTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var start ast.Node
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		if h, ok := c.(*ast.Heading); ok && h.Level == 2 &&
			strings.EqualFold(plainText(h, src), CommentsHeading) {
			start = c
			break
		}
	}
	if start == nil {
		return
	}
	sec := &Comments{}
	doc.InsertBefore(doc, start, sec)
	// open[d] is the comment at depth d (open[0] the section): a level-4
	// heading is a reply to the level-3 comment above it, and so on to 6.
	open := []ast.Node{sec}
	for n := start; n != nil; {
		next := n.NextSibling()
		doc.RemoveChild(doc, n)
		if h, ok := n.(*ast.Heading); ok && h.Level >= 3 {
			depth := min(h.Level-2, len(open))
			open = open[:depth]
			c := &Comment{}
			open[depth-1].AppendChild(open[depth-1], c)
			open = append(open, c)
		} else if ok && h.Level <= 2 && n != start {
			open = open[:1]
		}
		cur := open[len(open)-1]
		cur.AppendChild(cur, n)
		n = next
	}
}

type commentsRenderer struct{}

func (commentsRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindComments, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			id := ""
			if h, ok := n.FirstChild().(*ast.Heading); ok {
				if v, ok := h.AttributeString("id"); ok {
					if b, ok := v.([]byte); ok {
						id = string(util.EscapeHTML(b))
					}
				}
			}
			if id != "" {
				_, _ = w.WriteString(`<section class="comments" aria-labelledby="` + id + `">` + "\n")
			} else {
				_, _ = w.WriteString(`<section class="comments">` + "\n")
			}
		} else {
			_, _ = w.WriteString("</section>\n")
		}
		return ast.WalkContinue, nil
	})
	reg.Register(KindComment, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(`<article class="comment">` + "\n")
		} else {
			_, _ = w.WriteString("</article>\n")
		}
		return ast.WalkContinue, nil
	})
}
