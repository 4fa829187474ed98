package webanno

import (
	"bytes"
	"encoding/json"
	"testing"
)

// encodeJSON is Encode as it was: encoding/json.
func encodeJSON(a Annotation) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(a); err != nil {
		panic(err)
	}
	return buf.String()
}

func TestEncodeAsJSON(t *testing.T) {
	one, two := 1, 22
	for _, a := range []Annotation{
		{},
		{Body: []Body{}, Target: []Target{}},
		{Context: "http://www.w3.org/ns/anno.jsonld", ID: "https://a.example/x/#q-1", Type: "Annotation", Motivation: "describing",
			Label: "Shared passage: <b> & \"quoted\"", Created: "2026-12-05",
			Body: []Body{{Type: "TextualBody"}, {ID: "https://a.example/p/", Type: "TextualBody", Value: "v\\al\nue", Format: "text/html", Language: "en", Purpose: "tagging"}},
			Target: []Target{{Type: "SpecificResource", Source: "s"},
				{Type: "SpecificResource", Source: "s", Scope: "sc", Selector: []Selector{}},
				{Type: "SpecificResource", Source: "s", Selector: []Selector{{Type: "TextQuoteSelector", Exact: "ex\x00\x08\x0c\x1f", Prefix: "p\u2028", Suffix: "\u2029s\xff"},
					{Type: "TextPositionSelector", Start: &one, End: &two}, {Type: "T", Start: &two}}}}},
	} {
		e, err := Encode(a)
		if err != nil {
			t.Fatal(err)
		}
		if want := encodeJSON(a); string(e) != want {
			t.Errorf("Encode(%+v) =\n%s\nwant\n%s", a, e, want)
		}
	}
}

func FuzzEncode(f *testing.F) {
	f.Add("id", "label <&>", "value\n", "exact \u2028", "prefix \xff", 3)
	f.Fuzz(func(t *testing.T, id, label, value, exact, prefix string, n int) {
		a := Annotation{ID: id, Type: "Annotation", Motivation: "describing", Label: label,
			Body:   []Body{{Type: "TextualBody", Value: value}},
			Target: []Target{{Type: "SpecificResource", Source: id, Selector: []Selector{{Type: "TextQuoteSelector", Exact: exact, Prefix: prefix}, {Type: "TextPositionSelector", Start: &n, End: &n}}}}}
		e, _ := Encode(a)
		if want := encodeJSON(a); string(e) != want {
			t.Fatalf("Encode(%+v) =\n%s\nwant\n%s", a, e, want)
		}
	})
}
