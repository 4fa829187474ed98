package article

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// Every front-matter error names one line, the file's line of the fault,
// and says what is wrong there without the decoder's own line numbers.
func TestFrontMatterErrorLines(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      string // the error's first line
	}{
		{"unclosed yaml", "---\ntitle: A\nbody\n",
			"content/x.md:1: front matter: the --- that opens it on this line is never closed"},
		{"unclosed yaml after blank lines", "\n\n---\ntitle: A\n",
			"content/x.md:3: front matter: the --- that opens it on this line is never closed"},
		{"unclosed toml", "+++\ntitle = \"A\"\nbody\n",
			"content/x.md:1: front matter: the +++ that opens it on this line is never closed"},
		{"unclosed json", "{\n\"title\": \"A\",\n\"x\": {\"y\": 1}\n",
			"content/x.md:1: front matter: the { that opens it on this line is never closed"},
		{"yaml parser error", "---\ntitle: A\n- list\n---\nbody\n",
			"content/x.md:3: front matter (yaml): did not find expected key"},
		{"yaml scanner error", "---\ntitle: A\nfoo: bar: baz\n---\nbody\n",
			"content/x.md:3: front matter (yaml): mapping values are not allowed in this context"},
		{"yaml tab", "---\ntitle: A\n\tauthor: tab\n---\nbody\n",
			"content/x.md:3: front matter (yaml): found a tab character that violates indentation"},
		{"yaml bad indent", "---\ntitle: A\nauthor: x\n  bad: indent\ndate: 2019\n---\nbody\n",
			"content/x.md:4: front matter (yaml): mapping values are not allowed in this context"},
		{"yaml unclosed double quote", "---\ntitle: \"A\nauthor: x\n---\nbody\n",
			`content/x.md:2: front matter (yaml): the " that opens a quoted text on this line is never closed`},
		{"yaml unclosed single quote", "---\ntitle: A\nauthor: x\nkey: 'it''s\nother: 1\n---\nbody\n",
			`content/x.md:4: front matter (yaml): the ' that opens a quoted text on this line is never closed`},
		{"yaml apostrophe in plain text", "---\ntitle: Don't panic\nkey: \"x\nother: 1\n---\nbody\n",
			`content/x.md:3: front matter (yaml): the " that opens a quoted text on this line is never closed`},
		{"yaml unclosed [", "---\ntitle: A\nfoo: [1, 2\n---\nbody\n",
			"content/x.md:3: front matter (yaml): the [ on this line is never closed"},
		{"yaml unclosed {", "---\ntitle: A\nfoo: {a: 1\nbar: 2\n---\nbody\n",
			"content/x.md:3: front matter (yaml): the { on this line is never closed"},
		{"yaml block scalar with quotes", "---\ntitle: A\ndesc: |\n  It's \"quoted\n  more\nfoo: [1\nx: 2\n---\nbody\n",
			"content/x.md:6: front matter (yaml): the [ on this line is never closed"},
		{"yaml after blank lines", "\n\n---\ntitle: A\nfoo: bar: baz\n---\nbody\n",
			"content/x.md:5: front matter (yaml): mapping values are not allowed in this context"},
		{"yaml crlf", "---\r\ntitle: A\r\nfoo: [1, 2\r\n---\r\nbody\r\n",
			"content/x.md:3: front matter (yaml): the [ on this line is never closed"},
		{"yaml after a byte order mark", "\ufeff---\ntitle: A\nfoo: bar: baz\n---\nbody\n",
			"content/x.md:3: front matter (yaml): mapping values are not allowed in this context"},
		{"yaml unknown anchor", "---\ntitle: A\nx: *nosuch\n---\nbody\n",
			"content/x.md:3: front matter (yaml): unknown anchor 'nosuch' referenced"},
		{"yaml bad tag", "---\ntitle: A\nauthor: B\nx: !!int abc\n---\nbody\n",
			"content/x.md:4: front matter (yaml): cannot decode !!str `abc` as a !!int"},
		{"toml syntax", "+++\ntitle = \"A\"\nfoo = = 3\n+++\nbody\n",
			`content/x.md:3: front matter (toml): expected value but found '=' instead (after the key "foo")`},
		{"toml string with a newline", "+++\ntitle = \"A\"\n\nfoo = \"unterminated\n+++\nbody\n",
			`content/x.md:4: front matter (toml): strings cannot contain newlines (after the key "foo")`},
		{"toml unclosed multi-line string", "+++\ntitle = \"A\"\nfoo = \"\"\"\nmulti\nline\n+++\nbody\n",
			`content/x.md:3: front matter (toml): the """ that opens a multi-line string on this line is never closed`},
		{"json syntax", "{\n\"title\": \"A\",\n\"x\": ,\n}\nbody\n",
			"content/x.md:3: front matter (json): invalid character ',' looking for beginning of value"},
		{"json missing comma", "\n{\n\"title\": \"A\",\n\"x\": 1\n\"y\": 2\n}\nbody\n",
			`content/x.md:5: front matter (json): invalid character '"' after object key:value pair`},
		{"no title", "\n---\ndate: 2019-11-18\n---\nbody\n",
			"content/x.md:2: front matter has no title"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("content/x.md", []byte(tc.src))
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not an *Error", err)
			}
			first, _, _ := strings.Cut(err.Error(), "\n")
			if first != tc.want {
				t.Errorf("source %q\nhave %s\nwant %s", tc.src, first, tc.want)
			}
			if regexp.MustCompile(`line \d`).MatchString(err.Error()) {
				t.Errorf("%q names a second line number", err)
			}
			if fe.Fix == "" {
				t.Errorf("%q says nothing about what to do", err)
			}
		})
	}
}

// JSON front matter may be pretty-printed: a nested object's } alone on
// its line does not end it (it did, and the file failed with "unexpected
// end of JSON input").
func TestJSONFrontMatterNested(t *testing.T) {
	for _, tc := range []struct {
		src, body string
		line      int
	}{
		{"{\n  \"title\": \"A\",\n  \"params\": {\n    \"a\": 1\n  }\n}\n\nbody\n", "\nbody\n", 7},
		{"{\"title\": \"A\", \"x\": \"}\"}\nbody\n", "body\n", 2},
		{"\n{\n\"title\": \"A\"\n}\n", "", 5},
		{"{ \"title\": \"A\" }\n", "", 2},
	} {
		a, err := Parse("content/x.md", []byte(tc.src))
		if err != nil {
			t.Errorf("%q: %v", tc.src, err)
			continue
		}
		if a.Meta.Title != "A" || string(a.Body) != tc.body || a.BodyLine != tc.line {
			t.Errorf("%q: title %q, body %q on line %d; want %q on line %d", tc.src, a.Meta.Title, a.Body, a.BodyLine, tc.body, tc.line)
		}
	}
}

// A page that starts with a shortcode has no front matter (Hugo pages may
// have none): {{ does not open JSON.
func TestShortcodeIsNotJSON(t *testing.T) {
	src := "{{< youtube w7Ft2ymGmfc >}}\n\nBody.\n"
	a, err := ParsePage("content/x.md", []byte(src))
	if err != nil || string(a.Body) != src {
		t.Errorf("%q: %v, body %q", src, err, a.Body)
	}
}
