package article

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

// FuzzParse feeds the front-matter parser any bytes. Run it with
//
//	go test -run '^$' -fuzz '^FuzzParse$' -fuzztime 10m -parallel 1 ./cmd/archive/internal/article
//
// It checks what every answer promises: an error is an *Error naming the
// file and a line of it, with one line number and a fix; an article's body
// is the end of the file and starts on the line it says.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: A\noutlet: Reuters\ndate: 2019-11-18\nseed: seeds/a.txt\n---\n\nBody of A.\n",
		"+++\ntitle = \"B\"\ndate = 2019-11-19\naliases = [\"/old/\"]\n+++\nBody.\n",
		"{\n  \"title\": \"C\",\n  \"params\": {\"a\": [1, 2]}\n}\n\nBody.\n",
		"---\ntitle: A\nnotes:\n  - quote: \"no plans\"\n    note: said so\n---\nbody\n",
		"---\ntitle: A\ndesc: |\n  It's \"quoted\n  more\nfoo: [1\n---\nbody\n",
		"---\ntitle: \"A\nauthor: x\n---\nbody\n",
		"+++\ntitle = \"A\"\nfoo = \"\"\"\nmulti\n+++\nbody\n",
		"\ufeff\n\n---\r\ntitle: A\r\n---\r\nbody\r\n",
		"---\ntitle: A\nx: *nosuch\ny: !!int abc\n---\n",
		"{\"title\": \"A\", \"x\": \"}\"}\nbody\n",
		";;;json\n{\"title\": \"J\"}\n;;;json\nbody\n",
		"no front matter\n",
	} {
		f.Add([]byte(s))
	}
	lineNumber := regexp.MustCompile(`line \d`)
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, page := range []bool{false, true} {
			var a *Article
			var err error
			done := make(chan struct{})
			go func() { defer close(done); a, err = parse("content/x.md", src, page) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatalf("%q: parsing took more than 5 s", src)
			}
			if err != nil {
				checkError(t, src, err, lineNumber)
				continue
			}
			checkArticle(t, src, a)
		}
	})
}

func checkError(t *testing.T, src []byte, err error, lineNumber *regexp.Regexp) {
	t.Helper()
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("%q: error %v is not an *Error", src, err)
	}
	lines := 1 + bytes.Count(src, []byte("\n"))
	if fe.File != "content/x.md" || fe.Line < 1 || fe.Line > lines {
		t.Fatalf("%q: error names %s:%d; the file has %d lines", src, fe.File, fe.Line, lines)
	}
	if fe.Fix == "" {
		t.Fatalf("%q: error %q has no fix", src, err)
	}
	if msg := fe.Err.Error(); lineNumber.MatchString(msg) && !strings.Contains(string(src), "line") {
		t.Fatalf("%q: error %q names a second line number", src, err)
	}
}

func checkArticle(t *testing.T, src []byte, a *Article) {
	t.Helper()
	text := bytes.TrimPrefix(src, []byte("\ufeff"))
	if !bytes.HasSuffix(text, a.Body) {
		t.Fatalf("%q: body %q is not the end of the file", src, a.Body)
	}
	head := text[:len(text)-len(a.Body)]
	if want := 1 + bytes.Count(head, []byte("\n")); a.BodyLine != want {
		t.Fatalf("%q: body starts on line %d, says %d", src, want, a.BodyLine)
	}
	if a.Front != nil && !bytes.Contains(head, a.Front) {
		t.Fatalf("%q: front matter %q is not before the body", src, a.Front)
	}
}
