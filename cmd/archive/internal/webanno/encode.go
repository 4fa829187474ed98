package webanno

import (
	"strconv"
	"unicode/utf8"
)

// appendAnnotation appends a as json.Encoder with SetEscapeHTML(false)
// encodes it (compact, then a newline), without reflection: Encode was
// most of the CPU of an article's annotations.jsonld. TestEncodeAsJSON and
// FuzzEncode hold it to encoding/json byte for byte.
func appendAnnotation(b []byte, a Annotation) []byte {
	b = append(b, '{')
	if a.Context != "" {
		b = append(b, `"@context":`...)
		b = appendString(b, a.Context)
		b = append(b, ',')
	}
	b = append(b, `"id":`...)
	b = appendString(b, a.ID)
	b = append(b, `,"type":`...)
	b = appendString(b, a.Type)
	b = append(b, `,"motivation":`...)
	b = appendString(b, a.Motivation)
	if a.Label != "" {
		b = append(b, `,"label":`...)
		b = appendString(b, a.Label)
	}
	if a.Created != "" {
		b = append(b, `,"created":`...)
		b = appendString(b, a.Created)
	}
	b = append(b, `,"body":`...)
	if a.Body == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, x := range a.Body {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendBody(b, x)
		}
		b = append(b, ']')
	}
	b = append(b, `,"target":`...)
	if a.Target == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, t := range a.Target {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendTarget(b, t)
		}
		b = append(b, ']')
	}
	return append(b, "}\n"...)
}

func appendBody(b []byte, x Body) []byte {
	b = append(b, '{')
	if x.ID != "" {
		b = append(b, `"id":`...)
		b = appendString(b, x.ID)
		b = append(b, ',')
	}
	b = append(b, `"type":`...)
	b = appendString(b, x.Type)
	for _, f := range [...]struct{ k, v string }{{`,"value":`, x.Value}, {`,"format":`, x.Format},
		{`,"language":`, x.Language}, {`,"purpose":`, x.Purpose}} {
		if f.v != "" {
			b = append(b, f.k...)
			b = appendString(b, f.v)
		}
	}
	return append(b, '}')
}

func appendTarget(b []byte, t Target) []byte {
	b = append(b, `{"type":`...)
	b = appendString(b, t.Type)
	b = append(b, `,"source":`...)
	b = appendString(b, t.Source)
	if t.Scope != "" {
		b = append(b, `,"scope":`...)
		b = appendString(b, t.Scope)
	}
	b = append(b, `,"selector":`...)
	if t.Selector == nil {
		return append(b, "null}"...)
	}
	b = append(b, '[')
	for i, s := range t.Selector {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"type":`...)
		b = appendString(b, s.Type)
		for _, f := range [...]struct{ k, v string }{{`,"exact":`, s.Exact}, {`,"prefix":`, s.Prefix}, {`,"suffix":`, s.Suffix}} {
			if f.v != "" {
				b = append(b, f.k...)
				b = appendString(b, f.v)
			}
		}
		if s.Start != nil {
			b = append(b, `,"start":`...)
			b = strconv.AppendInt(b, int64(*s.Start), 10)
		}
		if s.End != nil {
			b = append(b, `,"end":`...)
			b = strconv.AppendInt(b, int64(*s.End), 10)
		}
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// appendString appends s as a JSON string as encoding/json does without
// HTML escaping: quote, backslash and control characters escaped (\b \f
// \n \r \t by name), U+2028 and U+2029 escaped, invalid UTF-8 as \ufffd.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
