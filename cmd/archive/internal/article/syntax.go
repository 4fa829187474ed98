package article

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// faultAt places a decoder's error on the 1-based line of raw where the
// fault is, and returns its message without the decoder's own line
// numbers, so that an error names one line: the file's.
func faultAt(f Format, raw []byte, err error) (line int, msg string) {
	switch f {
	case YAML:
		line, msg = yamlFault(raw, err)
	case TOML:
		line, msg = tomlFault(raw, err)
	default:
		line, msg = jsonFault(raw, err)
	}
	return max(1, min(line, lineCount(raw))), msg
}

// lineCount is the number of lines raw spans (at least 1).
func lineCount(raw []byte) int {
	n := bytes.Count(raw, []byte("\n"))
	if len(raw) > 0 && raw[len(raw)-1] != '\n' {
		n++
	}
	return max(n, 1)
}

var yamlLineRE = regexp.MustCompile(`(?s)^yaml: line (\d+): (.*)$`)

// yamlParserProblems are the errors of yaml.v2's parser (parserc.go), as
// opposed to its scanner's: for them it prints the 0-based line of the
// token it stopped at, for the scanner's the 1-based line.
var yamlParserProblems = map[string]bool{
	"did not find expected <stream-start>":   true,
	"did not find expected <document start>": true,
	"did not find expected node content":     true,
	"did not find expected key":              true,
	"did not find expected '-' indicator":    true,
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found duplicate %TAG directive":         true,
	"found undefined tag handle":             true,
}

func yamlFault(raw []byte, err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		if yamlParserProblems[msg] {
			line++
		}
	}
	if line == 1 {
		if l, ok := yamlDecodeFault(raw, msg); ok {
			line = l
		}
	}
	switch {
	case strings.Contains(msg, "found unexpected end of stream"):
		if l, q, ok := unclosedYAML(raw); ok && (q == '"' || q == '\'') {
			return l, fmt.Sprintf("the %c that opens a quoted text on this line is never closed", q)
		}
	case msg == "did not find expected ',' or ']'" || msg == "did not find expected ',' or '}'":
		if l, b, ok := unclosedYAML(raw); ok && (b == '[' || b == '{') {
			return l, fmt.Sprintf("the %c on this line is never closed", b)
		}
	}
	return line, msg
}

var (
	anchorRE = regexp.MustCompile(`^(unknown anchor|anchor) '([^']*)'`)
	tagRE    = regexp.MustCompile("^cannot decode !!\\w+ `(?s:.*)` as a (!!\\w+)$|^(!!\\w+) value")
)

// yamlDecodeFault finds the line of an error of yaml.v2's decoder, which
// names no line: by the anchor, tag or merge key it names.
func yamlDecodeFault(raw []byte, msg string) (int, bool) {
	var needles []string
	if m := anchorRE.FindStringSubmatch(msg); m != nil {
		if m[1] == "anchor" {
			needles = []string{"&" + m[2]}
		} else {
			needles = []string{"*" + m[2]}
		}
	} else if m := tagRE.FindStringSubmatch(msg); m != nil {
		needles = []string{m[1] + m[2]}
	} else if strings.HasPrefix(msg, "map merge") {
		needles = []string{"<<"}
	} else if strings.HasPrefix(msg, "invalid map key") {
		needles = []string{"? ", "?\t"}
	}
	for n, l := range strings.Split(string(raw), "\n") {
		for _, needle := range needles {
			if strings.Contains(l, needle) {
				return n + 1, true
			}
		}
	}
	return 0, false
}

// unclosedYAML finds the quote or flow bracket ([ or {) of raw that is
// never closed, and its 1-based line: the innermost one open at the end.
// It reads YAML only as far as that needs: comments, block scalars (| and
// >), quotes and brackets where a token may start.
func unclosedYAML(raw []byte) (line int, open byte, ok bool) {
	type opener struct {
		c    byte
		line int
	}
	var stack []opener
	var quote byte // the quote we are in, or 0
	quoteLine := 0
	blockIndent := -1 // in a block scalar: lines indented more than this are its text
	lines := strings.Split(string(raw), "\n")
	for n, l := range lines {
		if quote == 0 && len(stack) == 0 && blockIndent >= 0 {
			if ind := len(l) - len(strings.TrimLeft(l, " ")); strings.TrimSpace(l) == "" || ind > blockIndent {
				continue
			}
			blockIndent = -1
		}
		prev := byte('\n') // the last byte that is not a space, on this line
		for i := 0; i < len(l); i++ {
			c := l[i]
			if quote != 0 {
				switch {
				case quote == '"' && c == '\\':
					i++
				case c == quote && quote == '\'' && i+1 < len(l) && l[i+1] == '\'':
					i++
				case c == quote:
					quote = 0
					prev = c
				}
				continue
			}
			tokenStart := prev == '\n' || strings.IndexByte(":-,[{?", prev) >= 0
			switch {
			case c == ' ' || c == '\t' || c == '\r':
				continue
			case c == '#' && (i == 0 || l[i-1] == ' ' || l[i-1] == '\t'):
				i = len(l)
				continue
			case (c == '"' || c == '\'') && tokenStart:
				quote, quoteLine = c, n+1
			case (c == '[' || c == '{') && (tokenStart || len(stack) > 0):
				stack = append(stack, opener{c, n + 1})
			case (c == ']' || c == '}') && len(stack) > 0:
				stack = stack[:len(stack)-1]
			case (c == '|' || c == '>') && (prev == ':' || prev == '-') && len(stack) == 0:
				blockIndent = len(l) - len(strings.TrimLeft(l, " "))
				i = len(l)
				continue
			}
			prev = c
		}
	}
	switch {
	case quote != 0:
		return quoteLine, quote, true
	case len(stack) > 0:
		top := stack[len(stack)-1]
		return top.line, top.c, true
	}
	return 0, 0, false
}

func tomlFault(raw []byte, err error) (int, string) {
	var pe toml.ParseError
	if !errors.As(err, &pe) {
		return 1, err.Error()
	}
	msg := pe.Message
	if pe.LastKey != "" {
		msg += fmt.Sprintf(" (after the key %q)", pe.LastKey)
	}
	line := pe.Position.Line
	if strings.Contains(pe.Message, "EOF") {
		if l, q, ok := unclosedTOMLString(raw); ok {
			return l, "the " + q + " that opens a multi-line string on this line is never closed"
		}
	}
	return line, msg
}

// unclosedTOMLString finds a multi-line string (""" or ”') of raw that is
// never closed.
func unclosedTOMLString(raw []byte) (line int, quote string, ok bool) {
	s := string(raw)
	for i := 0; i < len(s); {
		j := strings.IndexAny(s[i:], `"'#`)
		if j < 0 {
			return 0, "", false
		}
		i += j
		switch {
		case s[i] == '#': // a comment, to the end of the line
			nl := strings.IndexByte(s[i:], '\n')
			if nl < 0 {
				return 0, "", false
			}
			i += nl + 1
		case strings.HasPrefix(s[i:], `"""`) || strings.HasPrefix(s[i:], `'''`):
			q := s[i : i+3]
			end := closeTOML(s[i+3:], q)
			if end < 0 {
				return 1 + strings.Count(s[:i], "\n"), q, true
			}
			i += 3 + end + 3
		default: // a one-line string
			q := s[i]
			k := i + 1
			for k < len(s) && s[k] != q && s[k] != '\n' {
				if q == '"' && s[k] == '\\' {
					k++
				}
				k++
			}
			i = k + 1
		}
	}
	return 0, "", false
}

// closeTOML is the index in s of the delimiter q that closes a multi-line
// string, or -1.
func closeTOML(s, q string) int {
	for k := 0; k+3 <= len(s); k++ {
		if q == `"""` && s[k] == '\\' {
			k++
			continue
		}
		if s[k:k+3] == q {
			return k
		}
	}
	return -1
}

func jsonFault(raw []byte, err error) (int, string) {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return 1 + bytes.Count(raw[:max(0, min(int(se.Offset)-1, len(raw)))], []byte("\n")), err.Error()
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return 1 + bytes.Count(raw[:max(0, min(int(te.Offset)-1, len(raw)))], []byte("\n")), err.Error()
	}
	return 1, err.Error()
}
