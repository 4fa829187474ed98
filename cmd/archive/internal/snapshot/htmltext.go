package snapshot

import (
	"bytes"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// pageText returns the title and the visible text of an HTML page, with
// character references decoded and white space collapsed. It is a small
// tokenizer, not a full HTML5 parser: comments, doctypes, tags and the
// contents of script, style, template, noscript and svg are skipped, and
// block-level tags separate words. That is enough for the pages this
// program renders, and keeps golang.org/x/net out of the module.
func pageText(src []byte) (title, text string) {
	var titleBuf strings.Builder
	out := &spaceCollapser{}
	emit := func(s []byte) {
		if bytes.IndexByte(s, '&') >= 0 {
			out.WriteString(html.UnescapeString(string(s)))
		} else {
			out.Write(s)
		}
	}
	i := 0
	for i < len(src) {
		lt := bytes.IndexByte(src[i:], '<')
		if lt < 0 {
			emit(src[i:])
			break
		}
		emit(src[i : i+lt])
		i += lt
		rest := src[i:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 {
				return oneLine(titleBuf.String()), out.String()
			}
			i += 4 + end + 3
			continue
		case len(rest) > 1 && (rest[1] == '!' || rest[1] == '?'):
			i += skipTag(rest)
			continue
		}
		closing := len(rest) > 1 && rest[1] == '/'
		start := 1
		if closing {
			start = 2
		}
		name := tagName(rest[start:])
		if name == "" { // a lone "<" is text
			emit(rest[:1])
			i++
			continue
		}
		i += skipTag(rest)
		if blockTags[name] {
			out.space = true
		}
		if closing {
			continue
		}
		switch name {
		case "script", "style", "template", "noscript", "svg", "title", "textarea":
			end := indexFold(src[i:], "</"+name)
			if end < 0 {
				end = len(src) - i
			}
			if name == "title" && titleBuf.Len() == 0 {
				titleBuf.WriteString(html.UnescapeString(string(src[i : i+end])))
			}
			if name == "textarea" {
				emit(src[i : i+end])
			}
			i += end
		}
	}
	return oneLine(titleBuf.String()), out.String()
}

// spaceCollapser keeps text with every run of white space (as
// unicode.IsSpace sees it) turned into one space, and none at either end.
type spaceCollapser struct {
	b     []byte
	space bool // white space seen since the last word
}

func (c *spaceCollapser) Write(p []byte) {
	for i := 0; i < len(p); {
		ch := p[i]
		if ch < utf8.RuneSelf {
			if ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v' {
				c.space = true
			} else {
				c.word()
				c.b = append(c.b, ch)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(p[i:])
		if unicode.IsSpace(r) {
			c.space = true
		} else {
			c.word()
			c.b = append(c.b, p[i:i+size]...)
		}
		i += size
	}
}

func (c *spaceCollapser) WriteString(s string) { c.Write([]byte(s)) }

func (c *spaceCollapser) word() {
	if c.space && len(c.b) > 0 {
		c.b = append(c.b, ' ')
	}
	c.space = false
}

func (c *spaceCollapser) String() string { return string(c.b) }

// tagName reads an element name at the start of b, lower-cased.
func tagName(b []byte) string {
	n := 0
	for n < len(b) && (isLetter(b[n]) || (n > 0 && (b[n] >= '0' && b[n] <= '9' || b[n] == '-'))) {
		n++
	}
	return strings.ToLower(string(b[:n]))
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// skipTag returns the length of the tag at the start of b, up to and
// including its ">", stepping over quoted attribute values.
func skipTag(b []byte) int {
	var quote byte
	for i := 1; i < len(b); i++ {
		switch c := b[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i + 1
		}
	}
	return len(b)
}

// indexFold finds an ASCII string in b, ignoring case.
func indexFold(b []byte, s string) int {
	for i := 0; i+len(s) <= len(b); i++ {
		if b[i] == '<' && strings.EqualFold(string(b[i:i+len(s)]), s) {
			return i
		}
	}
	return -1
}

var blockTags = map[string]bool{}

func init() {
	for _, t := range strings.Fields(`address article aside blockquote body br dd details div dl dt
		figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hr html li main nav ol option
		p pre section summary table tbody td tfoot th thead title tr ul`) {
		blockTags[t] = true
	}
}
