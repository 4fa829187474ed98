package shortcode

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Call is one shortcode in a page: {{< name params >}}, with its closing
// tag and inner content when it has them.
type Call struct {
	Name     string
	Markdown bool // {{% %}}: the output is Markdown
	// Start and End are the byte offsets in the page body of the whole
	// call, from "{{" of the opening tag to "}}" of the closing tag.
	Start, End int
	// InnerStart and InnerEnd delimit the inner content (between the
	// tags); both are -1 when the call has no closing tag.
	InnerStart, InnerEnd int
	Params               any // map[string]any (named) or []any (positional) or nil
	Children             []*Call
	Parent               *Call
	Ordinal              int    // index among its siblings
	Line                 int    // 1-based line in the body of the opening tag
	Escaped              string // for {{</* x */>}}: the text to show, {{< x >}}
	Inline               bool   // name.inline: the inner content is the template
	Indent               string // the spaces before the opening tag on its line
	Unknown              bool   // no such shortcode (an error was reported)
}

// IsNamedParams reports whether the call's parameters are named.
func (c *Call) IsNamedParams() bool {
	_, ok := c.Params.(map[string]any)
	return ok
}

// Error is a shortcode problem at a line of a page body.
type Error struct {
	Line int // 1-based in the body
	Name string
	Msg  string
	Fix  string
}

func (e *Error) Error() string { return e.Msg }

// Lookup says whether a shortcode exists and whether it takes inner
// content (its template uses .Inner), as Hugo decides whether an opening
// tag waits for a closing one.
type Lookup func(name string) (exists, inner bool)

// Parse finds the shortcodes of a page body. It returns the top-level calls
// in order and every problem it found (it goes on after an error where it
// can, so that one run reports them all).
func Parse(src []byte, lookup Lookup) ([]*Call, []*Error) {
	p := &scanner{src: src, lookup: lookup}
	p.scan()
	var calls []*Call
	for p.i < len(p.toks) {
		t := p.toks[p.i]
		if t.closing {
			p.errf(t, t.name, fmt.Sprintf("closing tag of shortcode %q has no opening tag", t.name),
				fmt.Sprintf("remove {{< /%s >}}, or add {{< %s >}} before it", t.name, t.name))
			p.i++
			continue
		}
		c := p.call(nil, len(calls))
		if c != nil {
			calls = append(calls, c)
		}
	}
	return calls, p.errs
}

// token is one tag: an opening, closing or self-closing shortcode tag, or
// an escaped one ({{</* */>}}).
type token struct {
	start, end int
	markdown   bool
	name       string
	closing    bool // {{< /name >}}
	selfClose  bool // {{< name />}}
	escaped    string
	params     any
	line       int
	inline     bool
	err        string
}

type scanner struct {
	src    []byte
	lookup Lookup
	toks   []token
	i      int
	errs   []*Error
}

func (p *scanner) errf(t token, name, msg, fix string) {
	p.errs = append(p.errs, &Error{Line: t.line, Name: name, Msg: msg, Fix: fix})
}

// call builds the call that starts at token p.i, with its inner calls.
func (p *scanner) call(parent *Call, ordinal int) *Call {
	t := p.toks[p.i]
	p.i++
	c := &Call{Name: t.name, Markdown: t.markdown, Start: t.start, End: t.end, InnerStart: -1, InnerEnd: -1,
		Params: t.params, Parent: parent, Ordinal: ordinal, Line: t.line, Escaped: t.escaped, Inline: t.inline,
		Indent: indentBefore(p.src, t.start)}
	if t.err != "" {
		p.errs = append(p.errs, &Error{Line: t.line, Name: t.name, Msg: t.err,
			Fix: "write shortcodes as {{< name param \"quoted value\" >}} or {{< name key=\"value\" >}}"})
		return nil
	}
	if t.escaped != "" {
		return c
	}
	exists, inner := p.lookup(t.name)
	if t.inline {
		exists, inner = true, true
	}
	if !exists {
		p.errs = append(p.errs, &Error{Line: t.line, Name: t.name, Msg: fmt.Sprintf("shortcode %q not found", t.name)})
		c.Unknown = true
		// Skip to a closing tag of the same name, if any, so that its
		// inner content is not reported again.
		if j := p.findClose(t.name); j >= 0 {
			c.End = p.toks[j].end
			p.i = j + 1
		}
		return c
	}
	if t.selfClose || !inner {
		if !inner && !t.selfClose {
			// A closing tag right after a shortcode without inner content.
			if p.i < len(p.toks) && p.toks[p.i].closing && p.toks[p.i].name == t.name && !t.inline {
				ct := p.toks[p.i]
				p.errf(ct, t.name, fmt.Sprintf("shortcode %q takes no inner content (its template does not use .Inner), yet a closing tag was provided", t.name),
					fmt.Sprintf("remove {{< /%s >}}", t.name))
				p.i++
			}
		}
		return c
	}
	c.InnerStart = t.end
	rewind, nerrs := p.i, len(p.errs)
	n := 0
	for p.i < len(p.toks) {
		u := p.toks[p.i]
		if u.closing {
			if u.name == t.name {
				c.InnerEnd, c.End = u.start, u.end
				if u.markdown != t.markdown {
					p.errf(u, t.name, fmt.Sprintf("closing tag of shortcode %q uses other delimiters than its opening tag on line %d", t.name, t.line),
						fmt.Sprintf("close {{%% %s %%}} with {{%% /%s %%}} and {{< %s >}} with {{< /%s >}}", t.name, t.name, t.name, t.name))
				}
				p.i++
				return c
			}
			// The closing tag of an outer call: this one is unclosed.
			break
		}
		if k := p.call(c, n); k != nil {
			c.Children = append(c.Children, k)
			n++
		}
	}
	// Unclosed: report it, and parse what follows it again as its
	// siblings, so that their own problems are reported once.
	p.i, p.errs = rewind, p.errs[:nerrs]
	p.errs = append(p.errs, &Error{Line: t.line, Name: t.name,
		Msg: fmt.Sprintf("shortcode %q must be closed or self-closed", t.name),
		Fix: fmt.Sprintf("add {{< /%s >}} after its content, or write {{< %s ... />}}", t.name, t.name)})
	c.InnerStart, c.Children = -1, nil
	return c
}

// findClose returns the index of the next closing tag of name, or -1.
func (p *scanner) findClose(name string) int {
	depth := 0
	for j := p.i; j < len(p.toks); j++ {
		t := p.toks[j]
		switch {
		case t.name == name && t.closing && depth == 0:
			return j
		case t.name == name && t.closing:
			depth--
		case t.name == name && !t.selfClose && t.escaped == "":
			depth++
		}
	}
	return -1
}

func indentBefore(src []byte, at int) string {
	i := at
	for i > 0 && (src[i-1] == ' ' || src[i-1] == '\t') {
		i--
	}
	if i == 0 || src[i-1] == '\n' {
		return string(src[i:at])
	}
	return ""
}

// scan finds every shortcode tag in src.
func (p *scanner) scan() {
	src := p.src
	line := 1
	last := 0
	for i := 0; i+2 < len(src); {
		j := bytes.Index(src[i:], []byte("{{"))
		if j < 0 {
			break
		}
		i += j
		if i+2 >= len(src) || (src[i+2] != '<' && src[i+2] != '%') {
			i += 2
			continue
		}
		line += bytes.Count(src[last:i], []byte("\n"))
		last = i
		t, end := lexTag(src, i)
		t.line = line
		p.toks = append(p.toks, t)
		if end <= i {
			end = i + 3
		}
		i = end
	}
}

var (
	boolRe  = regexp.MustCompile(`^(true|false)$`)
	intRe   = regexp.MustCompile(`^[-+]?\d+$`)
	floatRe = regexp.MustCompile(`^[-+]?\d*\.\d+$`)
)

// typed gives an unquoted parameter value its type, as Hugo does.
func typed(s string) any {
	switch {
	case boolRe.MatchString(s):
		return s == "true"
	case intRe.MatchString(s):
		if n, err := strconv.Atoi(s); err == nil {
			return n
		}
	case floatRe.MatchString(s):
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	}
	return s
}

// lexTag reads the tag that starts at src[at] ("{{<" or "{{%") and returns
// it and the offset after it. A malformed tag has err set.
func lexTag(src []byte, at int) (token, int) {
	t := token{start: at, markdown: src[at+2] == '%'}
	right := ">}}"
	if t.markdown {
		right = "%}}"
	}
	i := at + 3
	fail := func(format string, args ...any) (token, int) {
		t.err = fmt.Sprintf(format, args...)
		// Resume after the tag's end when there is one.
		if k := bytes.Index(src[i:], []byte(right)); k >= 0 {
			t.end = i + k + 3
		} else {
			t.end = len(src)
		}
		return t, t.end
	}
	skip := func() {
		for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
			i++
		}
	}
	skip()
	if strings.HasPrefix(string(src[i:min(i+2, len(src))]), "/*") {
		endMark := "*/" + right
		k := bytes.Index(src[i:], []byte(endMark))
		if k < 0 {
			return fail("shortcode comment {{%s/* ... */%s}} is not closed", src[at+2:at+3], right[:1])
		}
		inner := string(src[i+2 : i+k])
		t.escaped = "{{" + string(src[at+2]) + string(src[at+3:i]) + inner + right
		t.name = "/*"
		t.end = i + k + len(endMark)
		return t, t.end
	}
	if i < len(src) && src[i] == '/' {
		t.closing = true
		i++
		skip()
	}
	// The name.
	ns := i
	for i < len(src) {
		r, n := utf8.DecodeRune(src[i:])
		if isAlnumHyphen(r) || r == '/' {
			i += n
			continue
		}
		if r == '.' && strings.HasPrefix(string(src[i:min(i+7, len(src))]), ".inline") {
			t.inline = true
			i += 7
			continue
		}
		break
	}
	t.name = string(src[ns:i])
	if t.name == "" {
		return fail("shortcode has no name")
	}
	if t.closing {
		skip()
		if !bytes.HasPrefix(src[i:], []byte(right)) {
			return fail("closing tag of shortcode %q is not closed with %s", t.name, right)
		}
		t.end = i + 3
		return t, t.end
	}
	var named map[string]any
	var pos []any
	for {
		skip()
		if i >= len(src) {
			return fail("shortcode %q is not closed with %s", t.name, right)
		}
		if bytes.HasPrefix(src[i:], []byte(right)) {
			t.end = i + 3
			break
		}
		if bytes.HasPrefix(src[i:], []byte("/"+right)) {
			t.selfClose = true
			t.end = i + 4
			break
		}
		if src[i] == '{' && bytes.HasPrefix(src[i:], []byte("{{")) {
			return fail("shortcode %q is not closed with %s before the next shortcode", t.name, right)
		}
		// A parameter: "quoted", `raw`, key=value or a bare word.
		var key string
		var val any
		switch src[i] {
		case '"', '`':
			s, n, err := quoted(src[i:])
			if err != "" {
				return fail("shortcode %q: %s", t.name, err)
			}
			val, i = s, i+n
		default:
			ws := i
			for i < len(src) {
				r, n := utf8.DecodeRune(src[i:])
				if !isAlnumHyphen(r) && r != '.' {
					break
				}
				i += n
			}
			word := string(src[ws:i])
			// key=value, with spaces around = allowed, as Hugo's lexer does.
			eq := i
			for eq < len(src) && (src[eq] == ' ' || src[eq] == '\t') {
				eq++
			}
			if eq < len(src) && src[eq] == '=' && word != "" {
				key = word
				i = eq + 1
				for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
					i++
				}
				if i < len(src) && (src[i] == '"' || src[i] == '`') {
					s, n, err := quoted(src[i:])
					if err != "" {
						return fail("shortcode %q: parameter %s: %s", t.name, key, err)
					}
					val, i = s, i+n
				} else {
					vs := i
					for i < len(src) && !isSpaceByte(src[i]) && !bytes.HasPrefix(src[i:], []byte(right)) &&
						!bytes.HasPrefix(src[i:], []byte("/"+right)) {
						i++
					}
					val = typed(string(src[vs:i]))
				}
			} else if word == "" {
				r, _ := utf8.DecodeRune(src[i:])
				return fail("shortcode %q: unrecognized character %q; parameters with characters other than letters, digits, - and . must be quoted", t.name, r)
			} else {
				val = typed(word)
			}
		}
		if key != "" {
			if pos != nil {
				return fail("shortcode %q: named parameter %q after positional ones: cannot mix named and positional parameters", t.name, key)
			}
			if named == nil {
				named = map[string]any{}
			}
			named[key] = val
		} else {
			if named != nil {
				return fail("shortcode %q: positional parameter %q after named ones: cannot mix named and positional parameters", t.name, fmt.Sprint(val))
			}
			pos = append(pos, val)
		}
	}
	if named != nil {
		t.params = named
	} else if pos != nil {
		t.params = pos
	}
	return t, t.end
}

// quoted reads a "quoted" (with \" escapes) or `raw` string at the start
// of b and returns its value and length.
func quoted(b []byte) (string, int, string) {
	if b[0] == '`' {
		k := bytes.IndexByte(b[1:], '`')
		if k < 0 {
			return "", 0, "unterminated raw string"
		}
		return string(b[1 : 1+k]), k + 2, ""
	}
	var s strings.Builder
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			if i+1 < len(b) && b[i+1] == '"' {
				s.WriteByte('"')
				i++
				continue
			}
			s.WriteByte('\\')
		case '"':
			return s.String(), i + 1, ""
		case '\n':
			return "", 0, "unterminated quoted string"
		default:
			s.WriteByte(b[i])
		}
	}
	return "", 0, "unterminated quoted string"
}

func isAlnumHyphen(r rune) bool {
	return r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
