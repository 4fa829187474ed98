package snapshot

import (
	"bytes"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// pageText returns the title and the text of an HTML page that is its
// own, with character references decoded and white space collapsed: what
// a reader searching the archive looks for, not the navigation around it
// (issue 12: pages.jsonl held every page's navigation, 73 MB at 601
// articles). When the page has a <main>, only what it holds counts (the
// site's header, menu and footer are outside it); and wherever they are,
// these are left out with all they hold: <nav> and <aside> (a story's
// previous and next articles, a list's pages, "shares passages with"),
// notes and their references (role doc-noteref, doc-footnote,
// doc-endnotes, doc-backlink: an article page's editor's notes), and the
// site's own furniture (class kicker, provenance, cite: the outlet and
// date line, the source and its hashes, "Cite this"). An article page's
// text is thus its title, standfirst, byline and body.
//
// It is a small tokenizer, not a full HTML5 parser: comments, doctypes,
// tags and the contents of script, style, template, noscript and svg are
// skipped, and block-level tags separate words. That is enough for the
// pages this program renders, and keeps golang.org/x/net out of the
// module.
func pageText(src []byte) (title, text string) {
	var titleBuf strings.Builder
	out := &spaceCollapser{}
	hasMain := hasElement(src, "main")
	inMain := false
	emit := func(s []byte) {
		if hasMain && !inMain {
			return
		}
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
		n := skipTag(rest)
		tag := rest[:n]
		i += n
		if blockTags[name] {
			out.space = true
		}
		if name == "main" {
			inMain = !closing
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
			continue
		}
		if furniture(name, tag) {
			i += elementEnd(src[i:], name)
			if blockTags[name] { // its end separates words as its start did
				out.space = true
			}
		}
	}
	return oneLine(titleBuf.String()), out.String()
}

// furniture reports whether the element that the start tag opens is not
// the page's own text (see pageText).
func furniture(name string, tag []byte) bool {
	if name == "nav" || name == "aside" {
		return true
	}
	if voidTags[name] || tag[len(tag)-2] == '/' && tag[len(tag)-1] == '>' {
		return false // holds nothing
	}
	switch attr(tag, "role") {
	case "doc-noteref", "doc-footnote", "doc-endnotes", "doc-backlink":
		return true
	}
	for _, c := range strings.Fields(attr(tag, "class")) {
		switch c {
		case "kicker", "provenance", "cite":
			return true
		}
	}
	return false
}

// elementEnd returns the length of b up to and including the end tag that
// closes an element named name whose start tag came just before b: same-
// named elements inside it are counted. Without one, it is len(b).
func elementEnd(b []byte, name string) int {
	depth := 1
	for i := 0; i < len(b); {
		lt := bytes.IndexByte(b[i:], '<')
		if lt < 0 {
			break
		}
		i += lt
		rest := b[i:]
		if bytes.HasPrefix(rest, []byte("<!--")) {
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 {
				break
			}
			i += 4 + end + 3
			continue
		}
		closing := len(rest) > 1 && rest[1] == '/'
		start := 1
		if closing {
			start = 2
		}
		n := skipTag(rest)
		switch tagName(rest[start:]) {
		case name:
			if closing {
				depth--
			} else if n < 2 || rest[n-2] != '/' {
				depth++
			}
			if depth == 0 {
				return i + n
			}
		}
		i += n
	}
	return len(b)
}

// hasElement reports whether src has a start tag of an element named
// name (outside comments and the raw text of script, style and the like).
func hasElement(src []byte, name string) bool {
	for i := 0; i < len(src); {
		lt := bytes.IndexByte(src[i:], '<')
		if lt < 0 {
			return false
		}
		i += lt
		rest := src[i:]
		if bytes.HasPrefix(rest, []byte("<!--")) {
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 {
				return false
			}
			i += 4 + end + 3
			continue
		}
		i += skipTag(rest)
		switch n := tagName(rest[1:]); n {
		case name:
			return true
		case "script", "style", "template", "noscript", "svg", "title", "textarea":
			end := indexFold(src[i:], "</"+n)
			if end < 0 {
				return false
			}
			i += end
		}
	}
	return false
}

// attr returns the value of the attribute named name (lower case) in a
// start tag, with character references left as they are: "" if it has
// none.
func attr(tag []byte, name string) string {
	i := 1 + len(tagName(tag[1:])) + 1 // after "<name"
	for i < len(tag) {
		for i < len(tag) && (tag[i] == ' ' || tag[i] == '\t' || tag[i] == '\n' || tag[i] == '\r' || tag[i] == '\f' || tag[i] == '/') {
			i++
		}
		k := i
		for i < len(tag) && tag[i] != '=' && tag[i] != '>' && tag[i] != ' ' && tag[i] != '\t' && tag[i] != '\n' && tag[i] != '\r' && tag[i] != '\f' && tag[i] != '/' {
			i++
		}
		key := tag[k:i]
		if i == k {
			return "" // ">"
		}
		val := []byte(nil)
		if i < len(tag) && tag[i] == '=' {
			i++
			if i < len(tag) && (tag[i] == '"' || tag[i] == '\'') {
				q := tag[i]
				end := bytes.IndexByte(tag[i+1:], q)
				if end < 0 {
					return ""
				}
				val, i = tag[i+1:i+1+end], i+1+end+1
			} else {
				v := i
				for i < len(tag) && tag[i] != ' ' && tag[i] != '>' && tag[i] != '\t' && tag[i] != '\n' {
					i++
				}
				val = tag[v:i]
			}
		}
		if strings.EqualFold(string(key), name) {
			return string(val)
		}
	}
	return ""
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

// voidTags are the elements that have no end tag.
var voidTags = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

func init() {
	for _, t := range strings.Fields(`address article aside blockquote body br dd details div dl dt
		figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hr html li main nav ol option
		p pre section summary table tbody td tfoot th thead title tr ul`) {
		blockTags[t] = true
	}
}
