// Package article is the format of one file under content/: front matter
// plus a Markdown body. It is the only contract between `archive import`
// (which writes these files) and `archive build` (which reads them).
//
// # File format
//
// A content file starts (after blank lines, if any) with front matter in
// one of Hugo's three spellings:
//
//	---            YAML, closed by a line holding only ---
//	+++            TOML, closed by a line holding only +++
//	{              JSON: one object, on as many lines as it needs
//
// followed by the article body in CommonMark Markdown. A file without front
// matter is an error: every article needs at least a title. So is front
// matter that is never closed, reported at its opening line; a syntax
// error is reported at the file's line of the fault.
//
// # Front-matter keys
//
//	title        the headline (required)
//	subtitle     the standfirst, one sentence under the headline
//	outlet       the publication, e.g. "The Register"; one page per outlet
//	author       the byline, e.g. "Joseph Menn", or a list of names
//	date         publication date: RFC 3339, or YYYY-MM-DD, or "YYYY-MM-DD HH:MM"
//	draft        true keeps the article out of the build
//	source_url   the address the article was archived from (Hugo reserves url)
//	captured     when the raw text was captured (same formats as date)
//	seed         path of the raw archived file, e.g. seeds/000_x.txt
//	seed_sha256  SHA-256 of that file, hex; the build checks it
//	seed_record  for a seed that is a WARC or WACZ: the WARC-Record-ID of the
//	             record the article was read from, e.g. "<urn:uuid:…>"
//	seed_uri     for such a seed: the record's WARC-Target-URI
//	language     the article's language as a BCP 47 tag, e.g. "en-GB"
//	slug         the last part of the page's URL (default: file name)
//	id           a stable identifier for permalinks (default: slug)
//	aliases      old URLs of this page, each redirected to the current one
//	summary      one line for lists (default: the subtitle or first sentence)
//	unsafe_html  true lets raw HTML in this file's Markdown through
//	notes        editor notes: a list of {quote, prefix, suffix, note}
//
// Unknown keys are kept in Params so that layouts may use them.
package article

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v2"
)

// Format is the spelling of a file's front matter.
type Format string

const (
	YAML Format = "yaml"
	TOML Format = "toml"
	JSON Format = "json"
)

// Article is one parsed content file.
type Article struct {
	Path     string // slash path relative to the site root, e.g. content/x.md
	Format   Format
	Meta     Meta
	Front    []byte // the front matter as written, without delimiters
	Body     []byte // the Markdown after the front matter
	BodyLine int    // 1-based line of the file on which Body starts
}

// Meta holds the front-matter keys the archive knows.
type Meta struct {
	Title      string
	Subtitle   string
	Outlet     string
	Author     string
	Authors    []string // author as a list of names (a Hugo site's author = [...]); Author joins them
	Date       time.Time
	Draft      bool
	SourceURL  string
	Captured   time.Time
	Seed       string
	SeedSHA256 string
	SeedRecord string // WARC-Record-ID within the seed, "" when the seed is not a WARC
	SeedURI    string // WARC-Target-URI of that record
	Language   string
	Slug       string
	ID         string
	Aliases    []string
	Summary    string
	UnsafeHTML bool
	Notes      []Note
	Params     map[string]any // keys the archive does not know, as decoded
}

// Note is an editor's note anchored to a quote in the body, in the manner of
// a W3C Web Annotation TextQuoteSelector.
type Note struct {
	Quote  string
	Prefix string
	Suffix string
	Note   string // Markdown
	Line   int    // line in the content file where the note starts (best effort)
}

// Error is a problem in a user's file: which file, which line, what is wrong
// and what to do about it.
type Error struct {
	File string // slash path as the user knows it
	Line int    // 1-based; 0 when unknown
	Err  error
	Fix  string // what to do, one sentence
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":")
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	if e.Fix != "" {
		b.WriteString("\n\tfix: ")
		b.WriteString(e.Fix)
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// AsError returns the *Error that err is or wraps, if any: a problem
// already named with its file and fix, to pass on as it is.
func AsError(err error) (*Error, bool) {
	var ae *Error
	ok := errors.As(err, &ae)
	return ae, ok
}

// Errorf returns an *Error for file:line.
func Errorf(file string, line int, fix, format string, args ...any) *Error {
	return &Error{File: file, Line: line, Err: fmt.Errorf(format, args...), Fix: fix}
}

// Parse reads one content file. path is used in errors and kept in Path.
// The article's Body shares src's memory.
func Parse(path string, src []byte) (*Article, error) { return parse(path, src, false) }

// ParsePage reads a content file as Hugo does for the pages of a Hugo
// site: front matter is optional (a file without it is all body) and so is
// the title (Meta.Title is then empty; the site names the page from its
// file). Everything else is checked as Parse checks it.
func ParsePage(path string, src []byte) (*Article, error) { return parse(path, src, true) }

func parse(path string, src []byte, page bool) (*Article, error) {
	if !utf8.Valid(src) {
		line, col := InvalidUTF8At(src)
		return nil, Errorf(path, line, "save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)",
			"invalid UTF-8 at column %d", col)
	}
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	b, err := split(src)
	var ue *unclosedError
	var je *jsonSyntaxError
	switch {
	case errors.As(err, &ue):
		return nil, &Error{File: path, Line: ue.line, Err: ue, Fix: ue.fix()}
	case errors.As(err, &je):
		return nil, &Error{File: path, Line: je.line, Err: je, Fix: "correct the JSON syntax on that line"}
	case err != nil:
		return nil, &Error{File: path, Line: 1, Err: err}
	case b == nil && page:
		return &Article{Path: path, Format: YAML, Body: src, BodyLine: 1}, nil
	case b == nil:
		return nil, Errorf(path, 1, "start the file with a front matter block: ---, title: \"...\", ---",
			"no front matter")
	}
	a := &Article{Path: path, Format: b.format, Front: b.raw, Body: b.body, BodyLine: b.bodyLine}
	firstLine := b.first
	m, err := decode(b.format, b.raw)
	if err != nil {
		line, msg := faultAt(b.format, b.raw, err)
		return nil, &Error{File: path, Line: firstLine + line - 1, Err: fmt.Errorf("front matter (%s): %s", b.format, msg),
			Fix: "correct the " + strings.ToUpper(string(b.format)) + " syntax on that line"}
	}
	if err := a.Meta.fill(m, func(key string) int { return firstLine + keyLine(b.raw, key) }, page); err != nil {
		var fe *Error
		if errors.As(err, &fe) {
			fe.File = path
			return nil, fe
		}
		return nil, &Error{File: path, Line: 1, Err: err}
	}
	for i := range a.Meta.Notes {
		a.Meta.Notes[i].Line = firstLine + noteLine(b.raw, a.Meta.Notes[i].Quote, i)
	}
	if strings.TrimSpace(a.Meta.Title) == "" && !page {
		return nil, Errorf(path, b.open, "add a title: key to the front matter", "front matter has no title")
	}
	return a, nil
}

func decode(f Format, raw []byte) (map[string]any, error) {
	var v any
	var err error
	switch f {
	case YAML:
		if m, ok := simpleYAML(raw); ok {
			return m, nil
		}
		err = yaml.Unmarshal(raw, &v)
		if err == nil {
			v, err = yamlToJSONish(v)
		}
	case TOML:
		var m map[string]any
		_, err = toml.Decode(string(raw), &m)
		v = m
	case JSON:
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		err = d.Decode(&v)
	}
	if err != nil {
		return nil, err
	}
	if v == nil {
		return map[string]any{}, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("front matter is a %s, not a map of keys", kindOf(v))
	}
	return m, nil
}

func kindOf(v any) string {
	switch v.(type) {
	case []any:
		return "list"
	case string:
		return "string"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// yamlToJSONish turns yaml.v2's map[interface{}]interface{} into map[string]any.
func yamlToJSONish(v any) (any, error) {
	switch t := v.(type) {
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, val := range t {
			ks, ok := k.(string)
			if !ok {
				ks = fmt.Sprint(k)
			}
			c, err := yamlToJSONish(val)
			if err != nil {
				return nil, err
			}
			m[ks] = c
		}
		return m, nil
	case []any:
		out := make([]any, len(t))
		for i, val := range t {
			c, err := yamlToJSONish(val)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	return v, nil
}

// keyLine is the 0-based line within raw on which key is defined, or 0.
func keyLine(raw []byte, key string) int {
	for i, l := range strings.Split(string(raw), "\n") {
		t := strings.TrimLeft(l, " \t\"")
		if strings.HasPrefix(t, key) {
			r := strings.TrimLeft(t[len(key):], " \t\"")
			if strings.HasPrefix(r, ":") || strings.HasPrefix(r, "=") {
				return i
			}
		}
	}
	return 0
}

// noteLine is the 0-based line within raw where the i-th note's quote is written.
func noteLine(raw []byte, quote string, i int) int {
	lines := strings.Split(string(raw), "\n")
	probe := quote
	if len(probe) > 20 {
		probe = probe[:20]
	}
	seen := 0
	for n, l := range lines {
		if strings.Contains(l, "quote") && (probe == "" || strings.Contains(l, probe) ||
			(n+1 < len(lines) && strings.Contains(lines[n+1], probe))) {
			if seen == i || probe != "" {
				return n
			}
			seen++
		}
	}
	return keyLine(raw, "notes")
}

// InvalidUTF8At is the 1-based line and column of the first byte of b that
// is not UTF-8 (for errors that say where to look).
func InvalidUTF8At(b []byte) (line, col int) {
	line, col = 1, 1
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		b = b[n:]
	}
	return line, col
}
