package shortcode

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"html/template"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Context is the dot of a shortcode template: .Get, .Params, .Inner,
// .Page, .Site, .Parent, .Ordinal, .Name, .Position, .IsNamedParams.
type Context struct {
	Name          string
	Params        any
	Inner         template.HTML
	RawInner      string
	Ordinal       int
	Parent        *Context
	Page          *Page
	IsNamedParams bool

	position Position
	set      *Set
	once     sync.Once
	scratch  *Scratch
}

// Position is where a shortcode is called: "content/x.md:12:1".
type Position struct {
	Filename     string
	LineNumber   int
	ColumnNumber int
}

func (p Position) String() string {
	return fmt.Sprintf("%s:%d:%d", p.Filename, p.LineNumber, p.ColumnNumber)
}

// Position says where the shortcode is called.
func (c *Context) Position() Position { return c.position }

// Site is the page's site.
func (c *Context) Site() *Site { return c.set.site }

// Scratch is the call's own scratch pad.
func (c *Context) Scratch() *Scratch {
	c.once.Do(func() { c.scratch = NewScratch() })
	return c.scratch
}

// InnerDeindent is Inner with its common indentation removed.
func (c *Context) InnerDeindent() template.HTML { return template.HTML(deindent(string(c.Inner))) }

// Get returns a parameter by name or position, as Hugo's .Get: "" for a
// missing one, nil when asked by name for positional ones or the reverse.
func (c *Context) Get(key any) any {
	if c.Params == nil {
		return nil
	}
	switch k := key.(type) {
	case string:
		m, ok := c.Params.(map[string]any)
		if !ok {
			return nil
		}
		v, ok := m[k]
		if !ok {
			return ""
		}
		return v
	default:
		i, ok := toInt(k)
		if !ok {
			return nil
		}
		l, ok := c.Params.([]any)
		if !ok {
			return nil
		}
		if i < 0 || i >= len(l) {
			return ""
		}
		return l[i]
	}
}

// Ref and RelRef resolve a page reference from the call's page.
func (c *Context) Ref(args map[string]any) (string, error) {
	return c.set.Resolve(c.Page, toString(args["path"]), false)
}
func (c *Context) RelRef(args map[string]any) (string, error) {
	return c.set.Resolve(c.Page, toString(args["path"]), true)
}

func deindent(s string) string {
	lines := strings.Split(s, "\n")
	indent := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " \t"))
		if indent < 0 || n < indent {
			indent = n
		}
	}
	if indent <= 0 {
		return s
	}
	for i, l := range lines {
		if len(l) >= indent {
			lines[i] = l[indent:]
		} else {
			lines[i] = strings.TrimLeft(l, " \t")
		}
	}
	return strings.Join(lines, "\n")
}

// Expansion is a page body with its shortcodes run.
type Expansion struct {
	// Source is the body with each top-level call replaced by a
	// placeholder of the same length (letters only, so Markdown reads it
	// as a word anywhere: in text, a link's destination, an attribute):
	// every other byte is at its offset in the body.
	Source []byte
	Calls  []*Expanded // top-level calls, in order
}

// Expanded is one top-level call and what it produced.
type Expanded struct {
	*Call
	Token    string // its placeholder in Source
	HTML     string // its output as HTML; for {{% %}} the Markdown rendered as blocks
	Text     string // its output as text (for code blocks and link destinations)
	Markdown bool   // HTML is rendered Markdown: strip <p> when the call is inline
}

// Mask returns body with every shortcode call blanked out (each byte a
// space, newlines kept): the text that analyses of the page's words see.
func Mask(body []byte, calls []*Call) []byte {
	if len(calls) == 0 {
		return body
	}
	out := bytes.Clone(body)
	for _, c := range calls {
		for i := c.Start; i < c.End && i < len(out); i++ {
			if out[i] != '\n' {
				out[i] = ' '
			}
		}
	}
	return out
}

// Token is the placeholder of the i-th top-level call, n bytes long:
// "Q" + the index in capital letters + "q" repeated.
func Token(i, n int) string {
	code := []byte{}
	for {
		code = append([]byte{byte('A' + i%26)}, code...)
		i /= 26
		if i == 0 {
			break
		}
	}
	t := "Q" + string(code)
	for len(t) < n {
		t += "q"
	}
	return t
}

// Expand parses body (of page, whose content file is file and whose body
// starts on line firstLine) and runs its shortcodes. Every problem is
// returned, each with its file line.
func (s *Set) Expand(page *Page, file string, firstLine int, body []byte) (*Expansion, []error) {
	calls, perrs := Parse(body, s.Lookup)
	var errs []error
	for _, e := range perrs {
		errs = append(errs, s.lineError(file, firstLine, e))
	}
	x := &Expansion{Source: body}
	if len(calls) == 0 {
		return x, errs
	}
	x.Source = bytes.Clone(body)
	r := &run{set: s, page: page, file: file, firstLine: firstLine, body: body, inline: map[string]*template.Template{}}
	for i, c := range calls {
		n := c.End - c.Start
		tok := Token(i, n)
		if len(tok) > n {
			// A call too short for its placeholder ({{<x>}} past the
			// 26th): give it the shortest one and pad with spaces.
			tok = tok[:n]
		}
		copy(x.Source[c.Start:c.End], tok)
		e := &Expanded{Call: c, Token: tok, Markdown: c.Markdown && c.Escaped == ""}
		out, err := r.exec(c, nil)
		if err != nil {
			errs = append(errs, err)
			out = ""
		}
		switch {
		case c.Escaped != "":
			e.Text = c.Escaped
			e.HTML = html.EscapeString(c.Escaped)
		case c.Markdown && s.opts.markdown != nil:
			e.Text = out
			h, err := s.opts.markdown(out)
			if err != nil {
				errs = append(errs, r.errorf(c, "shortcode %q: its Markdown output: %v", c.Name, err))
			}
			e.HTML = h
		default:
			e.Text, e.HTML = out, out
		}
		x.Calls = append(x.Calls, e)
	}
	sort.SliceStable(errs, func(i, j int) bool { return errLine(errs[i]) < errLine(errs[j]) })
	return x, errs
}

func errLine(err error) int {
	var le *LineError
	if errors.As(err, &le) {
		return le.Line
	}
	return 0
}

// LineError turns a parse error of a body that starts on line firstLine
// of file into a file:line error with its fix.
func (s *Set) LineError(file string, firstLine int, e *Error) error {
	return s.lineError(file, firstLine, e)
}

// lineError turns a parse error into a file:line error.
func (s *Set) lineError(file string, firstLine int, e *Error) error {
	err := &LineError{File: file, Line: firstLine + e.Line - 1, Msg: e.Msg, Fix: e.Fix, Name: e.Name}
	if err.Fix == "" && strings.HasSuffix(e.Msg, "not found") {
		err.Fix = fmt.Sprintf("add %s, use one of Hugo's built-in shortcodes (%s), or write {{</* %s */>}} to show it as text",
			s.lookedIn(e.Name), strings.Join(BuiltinNames(), ", "), e.Name)
	}
	return err
}

// LineError is a shortcode problem in a content file.
type LineError struct {
	File string
	Line int
	Name string
	Msg  string
	Fix  string
}

func (e *LineError) Error() string {
	s := e.File + ":" + strconv.Itoa(e.Line) + ": " + e.Msg
	if e.Fix != "" {
		s += "\n\tfix: " + e.Fix
	}
	return s
}

// run is the expansion of one page.
type run struct {
	set       *Set
	page      *Page
	file      string
	firstLine int
	body      []byte
	inline    map[string]*template.Template
}

func (r *run) errorf(c *Call, format string, args ...any) error {
	return &LineError{File: r.file, Line: r.firstLine + c.Line - 1, Name: c.Name, Msg: fmt.Sprintf(format, args...)}
}

// fixed sets the fix of a LineError.
func fixed(err error, fix string) error {
	if le, ok := err.(*LineError); ok {
		le.Fix = fix
	}
	return err
}

// builtinFix says how to call each built-in shortcode.
var builtinFix = map[string]string{
	"figure":    `write {{< figure src="image.png" caption="..." >}}`,
	"highlight": `write {{< highlight go "linenos=table" >}}code{{< /highlight >}}`,
	"param":     `add the key to the page's front matter or to [params] in the site's config`,
	"ref":       `link to a content file: {{< ref "post/other.md" >}}, {{< ref "/about" >}}, {{< ref "other.md#section" >}}`,
	"relref":    `link to a content file: {{< relref "post/other.md" >}}, {{< relref "/about" >}}`,
	"youtube":   `write {{< youtube VIDEO_ID >}}`,
	"vimeo":     `write {{< vimeo VIDEO_ID >}}`,
	"gist":      `write {{< gist user GIST_ID >}}`,
}

// inner is the call's inner content with its children's outputs in place.
func (r *run) inner(c *Call, ctx *Context) (string, error) {
	if c.InnerStart < 0 {
		return "", nil
	}
	var b strings.Builder
	at := c.InnerStart
	var errs []error
	for _, k := range c.Children {
		b.Write(r.body[at:k.Start])
		out, err := r.exec(k, ctx)
		if err != nil {
			errs = append(errs, err)
		}
		if k.Escaped != "" {
			out = k.Escaped
		}
		b.WriteString(out)
		at = k.End
	}
	b.Write(r.body[at:c.InnerEnd])
	return b.String(), errors.Join(errs...)
}

// exec runs one call (its children first) and returns its output.
func (r *run) exec(c *Call, parent *Context) (string, error) {
	if c.Escaped != "" {
		return c.Escaped, nil
	}
	if c.Unknown {
		return "", nil // reported by Parse
	}
	ctx := &Context{Name: c.Name, Params: c.Params, Ordinal: c.Ordinal, Parent: parent, Page: r.page,
		IsNamedParams: c.IsNamedParams(), set: r.set,
		position: Position{Filename: r.file, LineNumber: r.firstLine + c.Line - 1, ColumnNumber: column(r.body, c.Start)}}
	inner, err := r.inner(c, ctx)
	if err != nil {
		return "", err
	}
	ctx.RawInner, ctx.Inner = inner, template.HTML(inner)
	if c.Inline {
		if !r.set.opts.inline {
			return "", fixed(r.errorf(c, "inline shortcode %q: inline shortcodes are off", c.Name),
				"set enableInlineShortcodes = true in the site's config, or move the template to layouts/shortcodes/")
		}
		t, ok := r.inline[c.Name]
		if c.InnerStart >= 0 {
			t, err = template.New(c.Name).Funcs(r.set.funcMap()).Parse(string(r.body[c.InnerStart:c.InnerEnd]))
			if err != nil {
				return "", r.errorf(c, "inline shortcode %q: %v", c.Name, err)
			}
			r.inline[c.Name] = t
			ok = true
		}
		if !ok {
			return "", r.errorf(c, "inline shortcode %q has no earlier definition in this page", c.Name)
		}
		return r.execTemplate(c, t, ctx)
	}
	if f, ok := r.set.files[c.Name]; ok {
		t, err := r.set.template(f)
		if err != nil {
			return "", fixed(r.errorf(c, "shortcode %q: %v", c.Name, err), "correct "+f+", or take the shortcode out of the page")
		}
		return r.execTemplate(c, t, ctx)
	}
	b, ok := builtins[c.Name]
	if !ok {
		return "", r.errorf(c, "shortcode %q not found", c.Name)
	}
	out, err := b.run(r.set, ctx)
	if err != nil {
		fix := builtinFix[c.Name]
		if fix == "" {
			fix = "see https://gohugo.io/content-management/shortcodes/ for its parameters"
		}
		return "", fixed(r.errorf(c, "shortcode %q: %v", c.Name, err), fix)
	}
	return out, nil
}

func (r *run) execTemplate(c *Call, t *template.Template, ctx *Context) (string, error) {
	var b bytes.Buffer
	if err := t.Execute(&b, ctx); err != nil {
		var te *templateError
		if errors.As(err, &te) {
			return "", r.errorf(c, "shortcode %q: %s", c.Name, te.msg)
		}
		return "", fixed(r.errorf(c, "shortcode %q (%s): %v", c.Name, r.set.files[c.Name], cleanExecError(err)),
			"correct the template or the shortcode's parameters")
	}
	return b.String(), nil
}

// cleanExecError drops the template package's prefix from an error.
func cleanExecError(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "template: ")
	return s
}

func column(body []byte, at int) int {
	i := bytes.LastIndexByte(body[:at], '\n')
	return at - i
}

var _ = reflect.TypeOf
