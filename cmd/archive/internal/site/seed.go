package site

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
)

// Seed pages show the raw file exactly as archived: every line numbered
// and linkable (#L12), front matter (YAML ---, TOML +++, JSON {…})
// highlighted in its language and the rest as plain text.

var (
	chromaStyle     = styles.Get("github")
	chromaDarkStyle = styles.Get("github-dark")
)

// frontMatterEnd finds the front matter at the start of src: the lexer name
// for it, where its opening delimiter line ends, where its body ends and
// where the closing delimiter line ends. ok is false when there is none.
func frontMatterEnd(src []byte) (lang string, open, body, end int, ok bool) {
	line := func(at int) (string, int) {
		i := bytes.IndexByte(src[at:], '\n')
		if i < 0 {
			return string(src[at:]), len(src)
		}
		return string(bytes.TrimRight(src[at:at+i], "\r")), at + i + 1
	}
	first, next := line(0)
	var delim string
	switch first {
	case "---":
		lang, delim = "yaml", "---"
	case "+++":
		lang, delim = "toml", "+++"
	case "{":
		lang, delim = "json", "}"
	default:
		return "", 0, 0, 0, false
	}
	for at := next; at < len(src); {
		l, n := line(at)
		if l == delim {
			if lang == "json" {
				return lang, 0, n, n, true
			}
			return lang, next, at, n, true
		}
		at = n
	}
	return "", 0, 0, 0, false
}

// maxListedSeed is the largest seed shown line by line on its page; a
// larger one (a WARC of a whole crawl) or a binary one (gzipped WARC,
// WACZ) is offered for download only.
const maxListedSeed = 4 << 20

// listable reports whether a seed is text short enough to list by line.
func listable(src []byte) bool {
	head := src[:min(len(src), 64<<10)]
	if len(src) > maxListedSeed || bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	// The head may end inside a character: trim up to three bytes.
	for i := 0; i < 4 && len(head) > 0; i++ {
		if utf8.Valid(head) {
			return true
		}
		head = head[:len(head)-1]
	}
	return false
}

// highlightSeed renders src as one code block with linkable line numbers,
// or, for a seed too large or not text, a line saying so.
func highlightSeed(src []byte, highlight [][2]int) ([]byte, error) {
	if !listable(src) {
		return []byte(`<p class="seed-binary">This capture is a binary or very large file (` +
			strconv.Itoa(len(src)) + ` bytes): it is not listed line by line here. Download it to read it with a WARC or archive tool; the articles read from it are listed above.</p>`), nil
	}
	plain := lexers.Get("plaintext")
	var iters []chroma.Iterator
	tok := func(l chroma.Lexer, s []byte) error {
		if len(s) == 0 {
			return nil
		}
		it, err := l.Tokenise(&chroma.TokeniseOptions{State: "root"}, string(s))
		if err != nil {
			return err
		}
		iters = append(iters, it)
		return nil
	}
	lit := func(t chroma.TokenType, s []byte) {
		if len(s) > 0 {
			iters = append(iters, chroma.Literator(chroma.Token{Type: t, Value: string(s)}))
		}
	}
	if lang, open, body, end, ok := frontMatterEnd(src); ok {
		l := lexers.Get(lang)
		lit(chroma.CommentPreproc, src[:open])
		if err := tok(chroma.Coalesce(l), src[open:body]); err != nil {
			return nil, err
		}
		lit(chroma.CommentPreproc, src[body:end])
		src = src[end:]
	}
	lit(chroma.Text, src)
	_ = plain
	f := chromahtml.New(chromahtml.WithClasses(true), chromahtml.WithLineNumbers(true),
		chromahtml.WithLinkableLineNumbers(true, "L"), chromahtml.HighlightLines(highlight), chromahtml.WithPreWrapper(seedPre{}))
	var buf bytes.Buffer
	if err := f.Format(&buf, chromaStyle, chroma.Concaterator(iters...)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

var chromaCSS = sync.OnceValue(func() []byte {
	var buf bytes.Buffer
	f := chromahtml.New(chromahtml.WithClasses(true), chromahtml.WithLineNumbers(true), chromahtml.WithCSSComments(false))
	buf.WriteString("\n/* Code and seed highlighting (chroma github / github-dark) */\n")
	_ = f.WriteCSS(&buf, chromaStyle)
	buf.WriteString("@media (prefers-color-scheme: dark) {\n")
	_ = f.WriteCSS(&buf, chromaDarkStyle)
	buf.WriteString("}\n")
	return buf.Bytes()
})

// stylesheet is the site's one stylesheet (layouts style.css followed by
// chroma's light and dark themes) and its fingerprinted file name.
func stylesheet(site []byte) ([]byte, string) {
	css := append(append([]byte(nil), site...), chromaCSS()...)
	h := sha256.Sum256(css)
	return css, "style." + hex.EncodeToString(h[:5]) + ".css"
}

// seedPre makes the seed's <pre> focusable, so that keyboard users can
// scroll it (axe: scrollable-region-focusable).
type seedPre struct{}

func (seedPre) Start(code bool, _ string) string {
	if code {
		return `<pre class="chroma" tabindex="0"><code>`
	}
	return `<pre class="chroma" tabindex="0">`
}

func (seedPre) End(code bool) string {
	if code {
		return "</code></pre>"
	}
	return "</pre>"
}
