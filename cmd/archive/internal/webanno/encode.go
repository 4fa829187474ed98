package webanno

import (
	"strconv"

	"github.com/archive-project/archive/cmd/archive/internal/jsonstr"
)

// appendAnnotation appends a as json.Encoder with SetEscapeHTML(false)
// encodes it (compact, then a newline), without reflection: Encode was
// most of the CPU of an article's annotations.jsonld. TestEncodeAsJSON and
// FuzzEncode hold it to encoding/json byte for byte.
func appendAnnotation(b []byte, a Annotation) []byte {
	b = append(b, '{')
	if a.Context != "" {
		b = append(b, `"@context":`...)
		b = jsonstr.Append(b, a.Context, false)
		b = append(b, ',')
	}
	b = append(b, `"id":`...)
	b = jsonstr.Append(b, a.ID, false)
	b = append(b, `,"type":`...)
	b = jsonstr.Append(b, a.Type, false)
	b = append(b, `,"motivation":`...)
	b = jsonstr.Append(b, a.Motivation, false)
	if a.Label != "" {
		b = append(b, `,"label":`...)
		b = jsonstr.Append(b, a.Label, false)
	}
	if a.Created != "" {
		b = append(b, `,"created":`...)
		b = jsonstr.Append(b, a.Created, false)
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
		b = jsonstr.Append(b, x.ID, false)
		b = append(b, ',')
	}
	b = append(b, `"type":`...)
	b = jsonstr.Append(b, x.Type, false)
	for _, f := range [...]struct{ k, v string }{{`,"value":`, x.Value}, {`,"format":`, x.Format},
		{`,"language":`, x.Language}, {`,"purpose":`, x.Purpose}} {
		if f.v != "" {
			b = append(b, f.k...)
			b = jsonstr.Append(b, f.v, false)
		}
	}
	return append(b, '}')
}

func appendTarget(b []byte, t Target) []byte {
	b = append(b, `{"type":`...)
	b = jsonstr.Append(b, t.Type, false)
	b = append(b, `,"source":`...)
	b = jsonstr.Append(b, t.Source, false)
	if t.Scope != "" {
		b = append(b, `,"scope":`...)
		b = jsonstr.Append(b, t.Scope, false)
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
		b = jsonstr.Append(b, s.Type, false)
		for _, f := range [...]struct{ k, v string }{{`,"exact":`, s.Exact}, {`,"prefix":`, s.Prefix}, {`,"suffix":`, s.Suffix}} {
			if f.v != "" {
				b = append(b, f.k...)
				b = jsonstr.Append(b, f.v, false)
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
