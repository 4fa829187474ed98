package webanno

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

func TestTextTargetCountsCodePoints(t *testing.T) {
	text := "“Tech companies should include mechanisms” — it said."
	start := len("“")
	end := start + len("Tech companies")
	tg := TextTarget("/a.md", "/a/", text, start, end)
	q, p := tg.Selector[0], tg.Selector[1]
	if q.Exact != "Tech companies" || q.Prefix != "“" || q.Suffix != text[end:end+len(" should include mechanisms” — it")] {
		t.Errorf("quote selector %+v", q)
	}
	if *p.Start != 1 || *p.End != 15 {
		t.Errorf("position %d..%d, want 1..15 (code points, not bytes)", *p.Start, *p.End)
	}
	if got := string([]rune(text)[*p.Start:*p.End]); got != q.Exact {
		t.Errorf("positions select %q, want %q", got, q.Exact)
	}
	if utf8.RuneCountInString(q.Suffix) != ContextLen {
		t.Errorf("suffix has %d characters, want %d", utf8.RuneCountInString(q.Suffix), ContextLen)
	}
}

func TestCollectionShape(t *testing.T) {
	text := "Interpol said there were no plans at this time to issue a statement."
	i := bytes.Index([]byte(text), []byte("no plans"))
	c := NewCollection("https://example.org/annotations.jsonld", "All annotations", []Annotation{
		Link("https://example.org/passages/p-1/", "shared passage", "https://example.org/passages/p-1/",
			[]Target{TextTarget("/a.md", "/a/", text, 0, 8), TextTarget("/b.md", "/b/", text, 0, 8)}),
		Comment("https://example.org/articles/a/#n-1", "Interpol later *denied* it.", "en",
			TextTarget("/a.md", "/a/", text, i, i+len("no plans"))),
	})
	var buf bytes.Buffer
	if err := Write(&buf, c); err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	if bad := validateMap(v); len(bad) > 0 {
		t.Errorf("invalid annotation collection:\n%s\n%v", buf.String(), bad)
	}
	// The validator must catch a broken shape.
	delete(v["first"].(map[string]any)["items"].([]any)[0].(map[string]any), "target")
	if bad := validateMap(v); len(bad) == 0 {
		t.Error("validator accepted an annotation without a target")
	}
}
