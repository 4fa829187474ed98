package ingest

import "strings"

// stripRaw returns the page without the text of its scripts and style
// sheets, which is half the bytes of a news page and which nothing reads:
// Readability and the article writer drop both. The HTML tokenizer reads
// that text a byte at a time; here it is skipped with a search for the
// closing tag, and the parse that follows is a third faster.
//
// Comments go too (a few percent of a page's nodes, which Readability
// only removes again), when taking one out cannot change what the
// tokenizer reads around it; and the content of inline <svg> (icons'
// path data), when it cannot end the <svg> early.
//
// The tags themselves stay, so the tree is the same but for those texts
// and the comments.
// Kept whole: JSON-LD and any script whose type says JSON (the metadata is
// read from them), and a script holding "<!--", whose end the tokenizer
// finds by rules (script data escaping) this scan does not follow. To find
// only real <script> and <style> tags, the scan steps over comments,
// declarations, end tags, the attributes of every start tag (quoted
// values may hold "<script>") and the raw text of <textarea>, <title>,
// <noscript>, <iframe>, <xmp>, <noembed> and <noframes>; at <plaintext>,
// or anything it cannot close, it stops and leaves the rest as it is.
func stripRaw(s string) string {
	var b strings.Builder
	// The result is never longer than s: one buffer, not a doubling
	// series of them (which was a fifth of the bytes a page allocates).
	cut := func(from, to int) {
		if b.Cap() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[from:to])
	}
	last := 0 // s[last:i] is not yet written to b
	i := 0
	for i < len(s) {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			break
		}
		i += j
		rest := s[i:]
		switch {
		case strings.HasPrefix(rest, "<!--"):
			k := strings.Index(rest[4:], "-->")
			if k < 0 {
				i = len(s)
				continue
			}
			// A comment is taken out whole when it ends where the
			// tokenizer ends it: at the first "-->", with no "--!>"
			// before it and not opened as "<!-->" or "<!--->"; and
			// when what it separates cannot join into a tag or a
			// character reference ("<<!---->p", "&amp<!---->;").
			if c := rest[4 : 4+k]; !strings.HasPrefix(c, ">") && !strings.HasPrefix(c, "->") && !strings.Contains(c, "--!>") && !joins(s[:i]) {
				cut(last, i)
				last = i + 4 + k + 3
			}
			i += 4 + k + 3
			continue
		case strings.HasPrefix(rest, "<!") || strings.HasPrefix(rest, "<?") || strings.HasPrefix(rest, "</"):
			k := strings.IndexByte(rest, '>')
			if k < 0 {
				i = len(s)
				continue
			}
			i += k + 1
			continue
		case len(rest) < 2 || !isASCIILetter(rest[1]):
			i++
			continue
		}
		n := 1
		for n < len(rest) && !tagNameEnd(rest[n]) {
			n++
		}
		name := strings.ToLower(rest[1:n])
		end := startTagEnd(rest, n)
		if end < 0 {
			break
		}
		switch name {
		case "script", "style":
		case "textarea", "title", "noscript", "iframe", "xmp", "noembed", "noframes":
			k := closeTag(rest[end:], name)
			if k < 0 {
				i = len(s)
				continue
			}
			i += end + k
			continue
		case "plaintext":
			i = len(s)
			continue
		case "svg":
			// An inline icon or chart: nothing reads what it holds
			// (the article writer skips <svg>), and its path data is
			// a twentieth of a page's bytes. Its content goes, the
			// tags stay, when the content cannot end the <svg> early
			// or hold another.
			if end >= 2 && rest[end-2] == '/' {
				i += end
				continue
			}
			k := closeTag(rest[end:], name)
			if k < 0 || !plainSVG(rest[end:end+k]) {
				i += end
				continue
			}
			cut(last, i+end)
			last = i + end + k
			i = last
			continue
		default:
			i += end
			continue
		}
		k := closeTag(rest[end:], name)
		if k < 0 {
			break // never closed: the parser takes the rest as its text
		}
		body := rest[end : end+k]
		if name == "script" && (strings.Contains(strings.ToLower(rest[:end]), "json") || strings.Contains(body, "<!--")) || body == "" {
			i += end + k
			continue
		}
		cut(last, i+end)
		last = i + end + k
		i = last
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// svgBreakout are the start tags that end an <svg> they stand in (the
// parser's rules for foreign content), and svg, which would nest.
var svgBreakout = map[string]bool{
	"b": true, "big": true, "blockquote": true, "body": true, "br": true, "center": true, "code": true,
	"dd": true, "div": true, "dl": true, "dt": true, "em": true, "embed": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "head": true, "hr": true, "i": true, "img": true,
	"li": true, "listing": true, "menu": true, "meta": true, "nobr": true, "ol": true, "p": true,
	"pre": true, "ruby": true, "s": true, "small": true, "span": true, "strong": true, "strike": true,
	"sub": true, "sup": true, "table": true, "tt": true, "u": true, "ul": true, "var": true,
	"font": true, "svg": true, "math": true,
}

// plainSVG reports whether the content of an <svg> can be taken out
// without changing the tree around it: no tag in it that ends the <svg>
// (nor </p>, </br>), no nested <svg>, no comment or CDATA section that
// could hide its end tag.
func plainSVG(body string) bool {
	if strings.Contains(body, "<!") {
		return false
	}
	for i := 0; ; {
		j := strings.IndexByte(body[i:], '<')
		if j < 0 {
			return true
		}
		i += j + 1
		end := i < len(body) && body[i] == '/'
		if end {
			i++
		}
		n := i
		for n < len(body) && !tagNameEnd(body[n]) {
			n++
		}
		name := strings.ToLower(body[i:n])
		if !end && svgBreakout[name] || end && (name == "p" || name == "br") {
			return false
		}
	}
}

// joins reports whether text before a comment could join what follows it
// into a tag or a character reference, were the comment taken out.
func joins(before string) bool {
	if strings.HasSuffix(before, "<") {
		return true
	}
	tail := before[max(0, len(before)-32):]
	k := strings.LastIndexByte(tail, '&')
	return k >= 0 && !strings.ContainsAny(tail[k:], "; \t\n\r\f<>")
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// tagNameEnd reports the bytes that end a tag name.
func tagNameEnd(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '/' || c == '>'
}

// startTagEnd returns the index just past the '>' that closes the start
// tag in s whose name ends at n, stepping over quoted attribute values;
// -1 if it does not close.
func startTagEnd(s string, n int) int {
	for k := n; k < len(s); k++ {
		switch s[k] {
		case '>':
			return k + 1
		case '=':
			k++
			for k < len(s) && (s[k] == ' ' || s[k] == '\t' || s[k] == '\n' || s[k] == '\r' || s[k] == '\f') {
				k++
			}
			if k < len(s) && (s[k] == '"' || s[k] == '\'') {
				q := strings.IndexByte(s[k+1:], s[k])
				if q < 0 {
					return -1
				}
				k += 1 + q
			} else {
				k-- // an unquoted value: read on
			}
		}
	}
	return -1
}

// closeTag returns the index in s of the end tag </name that closes raw
// text (followed by white space, '/' or '>', any case), -1 if none.
func closeTag(s, name string) int {
	from := 0
	for {
		k := strings.Index(s[from:], "</")
		if k < 0 {
			return -1
		}
		k += from
		t := s[k+2:]
		if len(t) > len(name) && strings.EqualFold(t[:len(name)], name) && tagNameEnd(t[len(name)]) {
			return k
		}
		from = k + 2
	}
}
