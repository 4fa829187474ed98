package article

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// block is the front matter found at the start of a file.
type block struct {
	format   Format
	raw      []byte // the front matter's text: without delimiters for YAML and TOML, the whole object for JSON
	open     int    // 1-based line of the opening delimiter (JSON: of the opening brace)
	first    int    // 1-based line raw starts on
	body     []byte // what follows the block, sharing src's memory
	bodyLine int    // 1-based line body starts on
}

// delimiters opens and closes YAML and TOML front matter, each on a line of
// its own (spaces around it allowed). ;;;json ... ;;;json is JSON.
var delimiters = []struct {
	line   string
	format Format
}{{"---", YAML}, {"+++", TOML}, {";;;json", JSON}}

// unclosedError is front matter whose opening delimiter is never matched.
type unclosedError struct {
	line  int
	delim string
}

func (e *unclosedError) Error() string {
	if e.delim == "{" {
		return "front matter: the { that opens it on this line is never closed"
	}
	return "front matter: the " + e.delim + " that opens it on this line is never closed"
}

func (e *unclosedError) fix() string {
	if e.delim == "{" {
		return "close the JSON object with its } (check the braces and quotes above it)"
	}
	return "end the front matter with a line holding only " + e.delim + ", before the body"
}

// jsonSyntaxError is a JSON front matter that is not valid JSON.
type jsonSyntaxError struct {
	line int // 1-based, in the file
	err  error
}

func (e *jsonSyntaxError) Error() string { return "front matter (json): " + e.err.Error() }

// split finds the front matter at the start of src, as Hugo does: after any
// blank lines, a line holding only --- (YAML) or +++ (TOML) up to the next
// such line, or a JSON object that starts with {. It returns nil when src
// has none, an *unclosedError when it is never closed, and a
// *jsonSyntaxError when the JSON object is not valid.
func split(src []byte) (*block, error) {
	line, off := 1, 0
	for off < len(src) {
		end := bytes.IndexByte(src[off:], '\n')
		next := len(src)
		if end >= 0 {
			next = off + end + 1
		}
		text := bytes.TrimSpace(src[off:next])
		switch {
		case len(text) == 0:
			off, line = next, line+1
			continue
		case text[0] == '{' && jsonStart(text):
			return splitJSON(src, off+bytes.IndexByte(src[off:next], '{'), line)
		}
		for _, d := range delimiters {
			if string(text) == d.line {
				return splitDelimited(src, next, line, d.line, d.format)
			}
		}
		return nil, nil
	}
	return nil, nil
}

// jsonStart reports whether a line starting with { opens a JSON object: {
// then a key, the closing }, or the end of the line. A body that starts
// with a shortcode ({{< youtube x >}}) does not.
func jsonStart(line []byte) bool {
	rest := bytes.TrimLeft(line[1:], " \t")
	return len(rest) == 0 || rest[0] == '"' || rest[0] == '}'
}

// splitDelimited finds the line closing the block whose text starts at
// off, on line open+1.
func splitDelimited(src []byte, off, open int, delim string, f Format) (*block, error) {
	b := &block{format: f, open: open, first: open + 1}
	line := open + 1
	for start := off; start < len(src); line++ {
		end := bytes.IndexByte(src[start:], '\n')
		next := len(src)
		if end >= 0 {
			next = start + end + 1
		}
		if string(bytes.TrimSpace(src[start:next])) == delim {
			b.raw = src[off:start]
			b.body, b.bodyLine = src[next:], 1+bytes.Count(src[:next], []byte("\n"))
			return b, nil
		}
		start = next
	}
	return nil, &unclosedError{line: open, delim: delim}
}

// splitJSON reads the JSON object that starts at src[off] on line open.
// The body starts after it: the rest of its last line, when only spaces,
// is skipped.
func splitJSON(src []byte, off, open int) (*block, error) {
	d := json.NewDecoder(bytes.NewReader(src[off:]))
	var raw json.RawMessage
	if err := d.Decode(&raw); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, &unclosedError{line: open, delim: "{"}
		}
		at := len(src) - off
		var se *json.SyntaxError
		if errors.As(err, &se) {
			at = int(se.Offset)
			if at > 0 {
				at-- // the offset is after the byte that did not fit
			}
		}
		return nil, &jsonSyntaxError{line: open + bytes.Count(src[off:off+min(at, len(src)-off)], []byte("\n")), err: err}
	}
	end := off + int(d.InputOffset())
	b := &block{format: JSON, raw: src[off:end], open: open, first: open}
	rest := end
	if nl := bytes.IndexByte(src[end:], '\n'); nl >= 0 && len(bytes.TrimSpace(src[end:end+nl])) == 0 {
		rest = end + nl + 1
	} else if nl < 0 && len(bytes.TrimSpace(src[end:])) == 0 {
		rest = len(src)
	}
	b.body = src[rest:]
	b.bodyLine = open + bytes.Count(src[off:rest], []byte("\n"))
	return b, nil
}
