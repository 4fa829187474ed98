package search

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

var md = goldmark.New()

// PlainText is the text of Markdown src without markup: the words a reader
// sees, blocks separated by newlines. Raw HTML and code blocks are left out.
func PlainText(src []byte) string {
	if t, ok := plainParagraphs(src); ok {
		return t
	}
	return parsedText(src)
}

// parsedText is PlainText through goldmark's parse.
func parsedText(src []byte) string {
	doc := md.Parser().Parse(text.NewReader(src))
	var b strings.Builder
	b.Grow(len(src)) // about the text's size: growing from empty allocated 680 MB at 30,000 articles
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.HTMLBlock, *ast.RawHTML, *ast.FencedCodeBlock, *ast.CodeBlock:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if entering {
				b.Write(n.Segment.Value(src))
				if n.SoftLineBreak() || n.HardLineBreak() {
					b.WriteByte(' ')
				}
			}
		case *ast.String:
			if entering {
				b.Write(n.Value)
			}
		case *ast.AutoLink:
			if entering {
				b.Write(n.URL(src))
			}
		}
		if !entering && n.Type() == ast.TypeBlock && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// plainParagraphs is PlainText of src when src is only paragraphs of
// text in which Markdown marks nothing, some of them quoted, and ok;
// otherwise ok is false. Most articles are (PlainText parsed each a second
// time, after its page: 0.5 CPU-s of a 10,000-article build). Then every
// line is text, the lines of a paragraph are joined by spaces and
// paragraphs by newlines, as the parse gives them (the tests and
// FuzzPlainText hold the two alike). Such src has:
//
//   - no character that begins an inline mark: \ ` * _ [ ] < & (links,
//     images, emphasis, code spans, raw HTML, autolinks, entities), and
//     no control character but the newline;
//   - lines that are empty or whose text begins with a letter, a
//     non-ASCII character, ( " or ' (never a block's mark: # > - + = * ~
//     a digit or an indent) and does not end in a space (a hard line
//     break). A line's text may follow "> ", a block quote's mark: a
//     quoted line after an unquoted one begins a paragraph; an unquoted
//     line after a quoted one goes on with its paragraph (a lazy
//     continuation line).
func plainParagraphs(src []byte) (string, bool) {
	var b strings.Builder
	b.Grow(len(src))
	inPara, quoted := false, false // in a paragraph; it is in a block quote
	for len(src) > 0 {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		if len(line) == 0 { // a blank line ends the paragraph
			if inPara {
				b.WriteByte('\n')
				inPara = false
			}
			continue
		}
		quote := len(line) > 2 && line[0] == '>' && line[1] == ' '
		if quote {
			line = line[2:]
		}
		switch c := line[0]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c >= utf8.RuneSelf, c == '(', c == '"', c == '\'':
		default:
			return "", false
		}
		if line[len(line)-1] == ' ' {
			return "", false
		}
		for _, c := range line {
			if !plainByte[c] {
				return "", false
			}
		}
		switch {
		case !inPara:
			inPara, quoted = true, quote
		case quote && !quoted: // a block quote begins
			b.WriteByte('\n')
			quoted = true
		default:
			b.WriteByte(' ')
		}
		b.Write(line)
	}
	return strings.TrimSpace(b.String()), true
}

// plainByte tells the bytes that may be in plainParagraphs' src.
var plainByte = func() (ok [256]bool) {
	for c := range ok {
		ok[c] = c >= ' ' && c != 0x7f && !strings.ContainsRune("\\`*_[]<&", rune(c))
	}
	return ok
}()
