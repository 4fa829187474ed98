package search

import (
	"bytes"
	"slices"
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
	return string(appendPlainText(make([]byte, 0, len(src)), src))
}

// appendPlainText appends PlainText(src) to dst: the index makes each
// article's text in a buffer it keeps from one article to the next (a new
// string per article, 60 MB at 10,000 articles, cost more to allocate and
// fill than to tokenise).
func appendPlainText(dst, src []byte) []byte {
	if b, ok := appendPlainParagraphs(dst, src); ok {
		return b
	}
	return appendParsedText(dst, src)
}

// parsedText is PlainText through goldmark's parse.
func parsedText(src []byte) string { return string(appendParsedText(nil, src)) }

// appendParsedText appends parsedText(src) to dst.
func appendParsedText(dst, src []byte) []byte {
	doc := md.Parser().Parse(text.NewReader(src))
	start := len(dst)
	b := slices.Grow(dst, len(src)) // about the text's size: growing from empty allocated 680 MB at 30,000 articles
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.HTMLBlock, *ast.RawHTML, *ast.FencedCodeBlock, *ast.CodeBlock:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if entering {
				b = append(b, n.Segment.Value(src)...)
				if n.SoftLineBreak() || n.HardLineBreak() {
					b = append(b, ' ')
				}
			}
		case *ast.String:
			if entering {
				b = append(b, n.Value...)
			}
		case *ast.AutoLink:
			if entering {
				b = append(b, n.URL(src)...)
			}
		}
		if !entering && n.Type() == ast.TypeBlock && len(b) > start && b[len(b)-1] != '\n' {
			b = append(b, '\n')
		}
		return ast.WalkContinue, nil
	})
	return trimSpaceFrom(b, start)
}

// trimSpaceFrom trims the white space (strings.TrimSpace's) around
// b[start:], in place.
func trimSpaceFrom(b []byte, start int) []byte {
	t := bytes.TrimSpace(b[start:])
	return b[:start+copy(b[start:], t)]
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
	b, ok := appendPlainParagraphs(nil, src)
	return string(b), ok
}

// appendPlainParagraphs appends plainParagraphs(src) to dst when it is
// ok; otherwise it returns dst as it was (its array past len(dst) may
// have been written).
func appendPlainParagraphs(dst, src []byte) ([]byte, bool) {
	start := len(dst)
	b := slices.Grow(dst, len(src))
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
				b = append(b, '\n')
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
			return dst, false
		}
		if line[len(line)-1] == ' ' {
			return dst, false
		}
		for _, c := range line {
			if !plainByte[c] {
				return dst, false
			}
		}
		switch {
		case !inPara:
			inPara, quoted = true, quote
		case quote && !quoted: // a block quote begins
			b = append(b, '\n')
			quoted = true
		default:
			b = append(b, ' ')
		}
		b = append(b, line...)
	}
	return trimSpaceFrom(b, start), true
}

// plainByte tells the bytes that may be in plainParagraphs' src.
var plainByte = func() (ok [256]bool) {
	for c := range ok {
		ok[c] = c >= ' ' && c != 0x7f && !strings.ContainsRune("\\`*_[]<&", rune(c))
	}
	return ok
}()
