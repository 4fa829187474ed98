package site

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/archive-project/archive/cmd/archive/internal/marks"
	"github.com/archive-project/archive/cmd/archive/internal/shortcode"
)

var spansKey = parser.NewContextKey()

// spansFrom returns the marks of the article being parsed.
func spansFrom(pc parser.Context) []marks.Span {
	s, _ := pc.Get(spansKey).([]marks.Span)
	return s
}

// newMarkdown returns the goldmark instance for articles. GFM tables,
// strikethrough and linkify are on; the typographer is off so that text
// stays byte-faithful to the archived wording. Raw HTML is dropped unless
// unsafe is set (front matter unsafe_html: true).
func newMarkdown(unsafe bool, exts []goldmark.Extender) goldmark.Markdown {
	ropts := []renderer.Option{
		renderer.WithNodeRenderers(util.Prioritized(codeRenderer{}, 100), util.Prioritized(commentsRenderer{}, 100)),
	}
	if unsafe {
		ropts = append(ropts, gmhtml.WithUnsafe())
	}
	all := append([]goldmark.Extender{extension.Table, extension.Strikethrough, extension.Linkify,
		&marks.Extension{Spans: spansFrom}}, exts...)
	return articleMarkdown{plain: len(exts) == 0, Markdown: goldmark.New(
		goldmark.WithExtensions(all...),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(commentsTransformer{}, 500), util.Prioritized(headingTransformer{}, 510)),
		),
		goldmark.WithRendererOptions(ropts...),
	)}
}

// reservedIDs are element ids that the article layout uses; a heading in
// the body with the same text gets a numbered id instead.
var reservedIDs = []string{"main", "article-title"}

// renderMarkdown parses body (exactly Article.Body), marks the spans and
// renders it into out.
func renderMarkdown(md goldmark.Markdown, body []byte, spans []marks.Span, out *bytes.Buffer) (bodyFacts, error) {
	if am, ok := md.(articleMarkdown); ok && am.plain {
		if f, ok := renderPlain(body, spans, out); ok {
			return f, nil
		}
	}
	return renderMarkdownIn(md, body, spans, parser.NewContext(), out)
}

// renderMarkdownIn is renderMarkdown in a parser context made by the
// caller (a Hugo site's: its heading ids, its shortcodes' outputs).
func renderMarkdownIn(md goldmark.Markdown, body []byte, spans []marks.Span, pc parser.Context, out *bytes.Buffer) (bodyFacts, error) {
	for _, id := range reservedIDs {
		pc.IDs().Put([]byte(id))
	}
	if spans != nil {
		pc.Set(spansKey, spans)
	}
	doc := md.Parser().Parse(text.NewReader(body), parser.WithContext(pc))
	var f bodyFacts
	f.summary = firstSentence(doc, body)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && n.Kind() == KindComment {
			f.comments++
		}
		return ast.WalkContinue, nil
	})
	out.Grow(len(body) + len(body)/4)
	if err := md.Renderer().Render(bufferWriter{out}, body, doc); err != nil {
		return f, err
	}
	return f, nil
}

// bufferWriter is a bytes.Buffer as goldmark's util.BufWriter, which its
// renderer writes to directly: given any other writer it makes a 4 KB
// bufio.Writer for each page (126 MB at 30,000 articles) and copies the
// page through it.
type bufferWriter struct{ *bytes.Buffer }

func (bufferWriter) Buffered() int { return 0 }
func (bufferWriter) Flush() error  { return nil }

var _ util.BufWriter = bufferWriter{}

// firstSentence is the plain text of the first sentence of the first
// paragraph outside the reader comments, at most about 240 characters.
func firstSentence(doc ast.Node, src []byte) string {
	var s string // the first paragraph's text
	for c := doc.FirstChild(); c != nil && s == ""; c = c.NextSibling() {
		if c.Kind() == KindComments {
			break
		}
		_ = ast.Walk(c, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if entering && n.Kind() == ast.KindParagraph {
				if s = plainText(n, src); s != "" {
					return ast.WalkStop, nil
				}
			}
			return ast.WalkContinue, nil
		})
	}
	return sentence(s)
}

// sentence is the first sentence of a paragraph's plain text s, at most
// about 240 characters.
func sentence(s string) string {
	if s == "" {
		return ""
	}
	for i := 0; i < len(s); i++ {
		if (s[i] == '.' || s[i] == '?' || s[i] == '!') && i >= 40 && (i+1 == len(s) || s[i+1] == ' ') {
			return s[:i+1]
		}
	}
	return clip(s, 240)
}

// clip shortens s to at most n bytes at a word boundary, adding an ellipsis.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := strings.LastIndexByte(s[:n], ' ')
	if cut < n/2 {
		cut = n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimRight(s[:cut], " ,;:") + "…"
}

// plainText joins the text of n's inline descendants with single spaces.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch t := c.(type) {
		case *ast.Text:
			b.Write(t.Value(src))
			if t.SoftLineBreak() || t.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(t.Value)
		case *ast.AutoLink:
			b.Write(t.Label(src))
		case *ast.Image:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return collapseSpace(b.String())
}

// collapseSpace is strings.Join(strings.Fields(s), " "), without copying a
// text that has no whitespace to collapse (most paragraphs).
func collapseSpace(s string) string {
	clean := true
	for i := 0; i < len(s) && clean; {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) && (r != ' ' || i == 0 || i+size == len(s) || s[i+size] == ' ') {
			clean = false // not one plain space between two words
		}
		i += size
	}
	if clean {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// codeRenderer highlights fenced and indented code with chroma, writing CSS
// classes (the one stylesheet holds light and dark themes).
type codeRenderer struct{}

func (codeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, renderCode)
	reg.Register(ast.KindCodeBlock, renderCode)
}

var codeFormatter = chromahtml.New(chromahtml.WithClasses(true), chromahtml.PreventSurroundingPre(true))

func renderCode(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	var lang string
	if f, ok := n.(*ast.FencedCodeBlock); ok && f.Info != nil {
		lang = string(f.Language(src))
	}
	// The code's text, with the outputs of any shortcodes in it.
	if err := writeHighlighted(w, string(shortcode.CodeText(n, src)), lang); err != nil {
		return ast.WalkStop, err
	}
	return ast.WalkSkipChildren, nil
}

// writeHighlighted writes code highlighted by chroma with CSS classes.
func writeHighlighted(w io.Writer, code, lang string) error {
	lexer := lexers.Get(lang)
	if lexer == nil {
		lexer = lexers.Fallback
	}
	it, err := chroma.Coalesce(lexer).Tokenise(nil, code)
	if err != nil {
		return err
	}
	cls := ""
	if lang != "" {
		cls = fmt.Sprintf(` class="language-%s"`, html.EscapeString(lang))
	}
	fmt.Fprintf(w, `<pre class="chroma" tabindex="0"><code%s>`, cls)
	if err := codeFormatter.Format(w, chromaStyle, it); err != nil {
		return err
	}
	_, err = io.WriteString(w, "</code></pre>\n")
	return err
}

// headingTransformer keeps the page's one <h1> the article's title: a
// level-1 heading in the body becomes level 2.
type headingTransformer struct{}

func (headingTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level == 1 {
			h.Level = 2
		}
	}
}
