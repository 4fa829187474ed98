package site

import (
	"bytes"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/archive-project/archive/cmd/archive/internal/article"
	"github.com/archive-project/archive/cmd/archive/internal/marks"
)

// plainGoldmark is goldmark as articles use it, without renderPlain.
var plainGoldmark = newMarkdown(false, nil).(articleMarkdown).Markdown

// checkPlain renders body with spans through renderPlain and through
// goldmark, and fails t when renderPlain took the body and its HTML or
// facts differ. It reports whether renderPlain took it.
func checkPlain(t *testing.T, name string, body []byte, spans []marks.Span) bool {
	t.Helper()
	var fast, slow bytes.Buffer
	ff, ok := renderPlain(body, spans, &fast)
	if !ok {
		if fast.Len() != 0 {
			t.Errorf("%s: renderPlain declined %q but wrote %q", name, body, fast.String())
		}
		return false
	}
	sf, err := renderMarkdown(plainGoldmark, body, spans, &slow)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if fast.String() != slow.String() || ff != sf {
		t.Errorf("%s: renderPlain(%q, %+v)\n= %q, %+v\ngoldmark gives\n  %q, %+v", name, body, spans, fast.String(), ff, slow.String(), sf)
	}
	return true
}

func TestRenderPlain(t *testing.T) {
	sp := func(start, end int, id, class, after string) marks.Span {
		return marks.Span{Start: start, End: end, ID: id, Class: class, After: after}
	}
	for _, tc := range []struct {
		body  string
		spans []marks.Span
		fast  bool
	}{
		{"", nil, true},
		{"One line.", nil, true},
		{"One line.\n", nil, true},
		{"First line\nsecond line.\n\nNext paragraph.\n", nil, true},
		{"He said \"no\" (twice) and 'yes' > maybe!\n", nil, true},
		{"> Quoted line\n> goes on\nlazily.\n\nAfter.\n", nil, true},
		{"Before\n> quote interrupts\n\n> another quote\n", nil, true},
		{"Über café, naïve résumé — “quotes”.\n", nil, true},
		{"A long first sentence that goes on for more than forty bytes. Then more.\n", nil, true},
		{"Mark this sentence here.\n", []marks.Span{sp(5, 9, "n1", "hl", "<sup>1</sup>")}, true},
		{"Mark this sentence here.\n", []marks.Span{sp(0, 24, "n1", "a b", "<a>")}, true},
		{"Across the last space of a line.\n", []marks.Span{sp(20, 29, "x", "c", "")}, true},
		{"Across a line\nbreak and on.\n\nNext para.\n", []marks.Span{sp(9, 19, "x", "c", "!"), sp(3, 40, "", "outer", "")}, true},
		{"Nested and overlapping spans.\n", []marks.Span{sp(0, 10, "a", "", "A"), sp(4, 20, "b", "x\"y", "B"), sp(4, 8, "c", "z", "C")}, true},
		{"Same span twice.\n", []marks.Span{sp(0, 4, "a", "k", ""), sp(0, 4, "a", "k", "")}, true},
		{"> Quoted mark\n", []marks.Span{sp(0, 8, "q", "", "Q")}, true},
		{"Empty and outside spans.\n", []marks.Span{sp(3, 3, "e", "", "E"), sp(100, 120, "o", "", "O"), sp(7, 5, "r", "", "R")}, true},
		{"Some (paren) here!\n", []marks.Span{sp(4, 12, "p", "", "")}, true},
		{"*emphasis*", nil, false},
		{"a [link](x)", nil, false},
		{"# Heading", nil, false},
		{"- item", nil, false},
		{"1. item", nil, false},
		{"    code", nil, false},
		{"hard break  \nnext", nil, false},
		{"mail me@example.com", nil, false},
		{"see www.example.com", nil, false},
		{"see http://example.com", nil, false},
		{"a | b\n--- | ---", nil, false},
		{"~~gone~~", nil, false},
		{"a &amp; b", nil, false},
		{"a <b>", nil, false},
		{"tab\there", nil, false},
		{"crlf\r\n", nil, false},
		{">no space", nil, false},
		{"Title\n=====", nil, false},
	} {
		if got := checkPlain(t, "table", []byte(tc.body), tc.spans); got != tc.fast {
			t.Errorf("renderPlain(%q) took it: %v, want %v", tc.body, got, tc.fast)
		}
	}
}

// randomSpans makes n spans over body from rng: some at word edges, some
// anywhere, some nested, some empty.
func randomSpans(rng *rand.Rand, body []byte, n int) []marks.Span {
	if len(body) == 0 {
		return nil
	}
	var spans []marks.Span
	for i := range n {
		a := rng.IntN(len(body))
		b := a + rng.IntN(min(len(body)-a, 200)+1)
		if i%3 == 0 { // move both ends to word edges
			for a > 0 && body[a-1] != ' ' && body[a-1] != '\n' {
				a--
			}
			for b < len(body) && body[b] != ' ' && body[b] != '\n' {
				b++
			}
		}
		id := ""
		if rng.IntN(4) > 0 {
			id = fmt.Sprintf("m%d", i)
		}
		spans = append(spans, marks.Span{Start: a, End: b, ID: id, Class: []string{"", "hl", "note \"q\""}[rng.IntN(3)],
			After: []string{"", "<sup>1</sup>"}[rng.IntN(2)]})
	}
	return spans
}

// TestRenderPlainFiles holds renderPlain to goldmark on every article body
// of the benchmark corpora (/tmp/archive-bench, made by benchgen), of the
// bundled site and of the repository's testdata, each with no marks and
// with random ones; with -short or under the race detector, of one corpus.
func TestRenderPlainFiles(t *testing.T) {
	dirs := []string{"../../../../content", "testdata", "../article/testdata"}
	bench := 0
	for _, shape := range []string{"copied", "frames", "uniform", "wire"} {
		d := filepath.Join("/tmp/archive-bench", shape+"-10000", "site", "content")
		if _, err := os.Stat(d); err == nil {
			dirs = append(dirs, d)
			bench++
		}
	}
	if bench == 0 {
		t.Log("no benchmark corpora under /tmp/archive-bench (make them with benchgen's PrepareCorpus): only the bundled site and testdata are checked")
	}
	if (testing.Short() || raceEnabled) && bench > 0 {
		dirs = dirs[:len(dirs)-bench+1]
	}
	rng := rand.New(rand.NewPCG(12, 34))
	files, fast := 0, 0
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !article.IsContentFile(d.Name()) {
				return err
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			a, err := article.Parse(p, src)
			if err != nil || a == nil {
				return nil // the article package's tests hold its errors
			}
			files++
			if checkPlain(t, p, a.Body, nil) {
				fast++
				checkPlain(t, p, a.Body, randomSpans(rng, a.Body, 1+rng.IntN(12)))
			}
			if t.Failed() {
				return fs.SkipAll
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d articles, %d rendered without goldmark", files, fast)
	if fast == 0 {
		t.Error("no article was rendered without goldmark: the test holds nothing")
	}
}

func FuzzRenderPlain(f *testing.F) {
	for _, s := range []string{"", "a\nb\n\nc", "A (b) \"c\" 'd' e-f #g >h!", "x\n\n\n", "é\u00a0\n\u00a0é", "\xff\n\xc3", "a\ufeffb", "\ufeffa",
		"> q\nlazy\n> more\n\nnext", "a\n> b", "\u00a0\n\nSecond", "a!b(c d"} {
		f.Add(s, uint64(1))
	}
	f.Fuzz(func(t *testing.T, s string, seed uint64) {
		body := []byte(s)
		checkPlain(t, "fuzz", body, nil)
		rng := rand.New(rand.NewPCG(seed, 7))
		checkPlain(t, "fuzz", body, randomSpans(rng, body, int(seed%6)))
	})
}
