package article

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

func TestParseFormats(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		format    Format
		title     string
		bodyLine  int
	}{
		{"yaml", "---\ntitle: 'A'\ndate: 2019-11-18T04:58:00+01:00\ndraft: false\n---\n\nBody\n", YAML, "A", 6},
		{"toml", "+++\ntitle = \"B\"\ndate = 2019-11-18\n+++\nBody\n", TOML, "B", 5},
		{"json", "{\n  \"title\": \"C\",\n  \"date\": \"2019-11-18\"\n}\nBody\n", JSON, "C", 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Parse("content/x.md", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			if a.Format != tc.format || a.Meta.Title != tc.title || a.Meta.Date.Year() != 2019 {
				t.Errorf("have %s %q %v, want %s %q 2019", a.Format, a.Meta.Title, a.Meta.Date, tc.format, tc.title)
			}
			if a.BodyLine != tc.bodyLine || !strings.Contains(string(a.Body), "Body") {
				t.Errorf("body line %d (want %d), body %q", a.BodyLine, tc.bodyLine, a.Body)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		line      int
		msg       string
	}{
		{"yaml syntax", "---\ntitle: A\nfoo: [1, 2\n---\nbody\n", 3, "yaml"},
		{"toml syntax", "+++\ntitle = \"A\"\nfoo = = 3\n+++\nbody\n", 3, "toml"},
		{"json syntax", "{\n\"title\": \"A\",\n\"x\": ,\n}\nbody\n", 3, "json"},
		{"not a map", "---\n- a\n- b\n---\nbody\n", 2, "not a map"},
		{"bad date", "---\ntitle: A\ndate: last tuesday\n---\nbody\n", 3, "cannot parse date"},
		{"no title", "---\ndate: 2019-11-18\n---\nbody\n", 1, "no title"},
		{"invalid utf8", "---\ntitle: A\n---\nbo\xffdy\n", 4, "invalid UTF-8"},
		{"no front matter", "just text\n", 1, "no front matter"},
		{"unclosed", "---\ntitle: A\nbody\n", 1, "front matter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("content/x.md", []byte(tc.src))
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not an *Error", err)
			}
			if fe.Line != tc.line || !strings.Contains(err.Error(), tc.msg) || fe.File != "content/x.md" {
				t.Errorf("have %q (line %d), want line %d containing %q", err, fe.Line, tc.line, tc.msg)
			}
			if !strings.Contains(err.Error(), "fix:") {
				t.Errorf("error %q says nothing about what to do", err)
			}
		})
	}
}

func TestNotes(t *testing.T) {
	src := "---\ntitle: A\nnotes:\n  - quote: \"no plans at this time\"\n    note: Interpol said so.\n---\nbody\n"
	a, err := Parse("content/x.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Meta.Notes) != 1 || a.Meta.Notes[0].Line != 4 || a.Meta.Notes[0].Quote != "no plans at this time" {
		t.Errorf("notes = %+v", a.Meta.Notes)
	}
}

func TestLoadDir(t *testing.T) {
	fsys := fstest.MapFS{
		"content/b.md":         {Data: []byte("---\ntitle: B\n---\nb\n")},
		"content/a/a.md":       {Data: []byte("+++\ntitle = \"A\"\n+++\na\n")},
		"content/.#a.md":       {Data: []byte("junk")},
		"content/_drafts/x.md": {Data: []byte("junk")},
		"content/notes.txt":    {Data: []byte("not markdown")},
	}
	arts, err := LoadDir(fsys, "content")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, a := range arts {
		got = append(got, a.Path+"="+a.Meta.Title)
	}
	if strings.Join(got, ",") != "content/a/a.md=A,content/b.md=B" {
		t.Errorf("loaded %v", got)
	}
	fsys["content/c.md"] = &fstest.MapFile{Data: []byte("---\ntitle: [\n---\n")}
	if _, err := LoadDir(fsys, "content"); err == nil || !strings.HasPrefix(err.Error(), "content/c.md:") {
		t.Errorf("error %v does not name content/c.md", err)
	}
}

func TestParsePage(t *testing.T) {
	a, err := ParsePage("content/x.md", []byte("Just *Markdown*, no front matter.\n"))
	if err != nil || a.Meta.Title != "" || string(a.Body) != "Just *Markdown*, no front matter.\n" || a.BodyLine != 1 {
		t.Errorf("no front matter: %+v %v", a, err)
	}
	a, err = ParsePage("content/_index.md", []byte("---\nheadless: true\n---\nBody.\n"))
	if err != nil || a.Meta.Title != "" || a.Meta.Params["headless"] != true || a.BodyLine != 4 {
		t.Errorf("no title: %+v %v", a, err)
	}
	if _, err := ParsePage("content/x.md", []byte("---\ntitle: [\n---\n")); err == nil {
		t.Error("malformed front matter is still an error")
	}
	if _, err := Parse("content/x.md", []byte("---\ndraft: true\n---\n")); err == nil {
		t.Error("Parse still needs a title")
	}
}

func TestAuthorList(t *testing.T) {
	a, err := ParsePage("content/x.md", []byte("---\ntitle: X\nauthor: [Karthik Ram, Scott Chamberlain, Ann]\n---\n"))
	if err != nil || a.Meta.Author != "Karthik Ram, Scott Chamberlain and Ann" || len(a.Meta.Authors) != 3 {
		t.Errorf("author list: %+v %v", a.Meta, err)
	}
	if _, err := Parse("content/x.md", []byte("---\ntitle: X\nauthor: [1, {a: b}]\n---\n")); err == nil {
		t.Error("an author list of non-names is an error")
	}
}

func TestParsePageKeepsOtherShapes(t *testing.T) {
	a, err := ParsePage("content/x.md", []byte("---\ntitle: X\nnotes: https://docs.example/minutes\noutlet: [a, b]\n---\n"))
	if err != nil || a.Meta.Params["notes"] != "https://docs.example/minutes" || len(a.Meta.Notes) != 0 || a.Meta.Outlet != "" {
		t.Errorf("%+v %v", a.Meta, err)
	}
	if _, err := Parse("content/x.md", []byte("---\ntitle: X\nnotes: https://docs.example/minutes\n---\n")); err == nil {
		t.Error("Parse still checks notes")
	}
	// The keys import added (a real Hugo site writes language: [English]).
	a, err = ParsePage("content/x.md", []byte("---\ntitle: X\nlanguage: [English]\nseed_record: [1]\nseed_uri: {a: b}\n---\n"))
	if err != nil {
		t.Fatal(err)
	}
	if a.Meta.Language != "" || a.Meta.Params["language"] == nil || a.Meta.Params["seed_record"] == nil || a.Meta.Params["seed_uri"] == nil {
		t.Errorf("%+v %v", a.Meta, err)
	}
}
