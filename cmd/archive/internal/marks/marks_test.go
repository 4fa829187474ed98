package marks

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the want.html sections of testdata/*.txt")

// Each testdata/*.txt is a txtar archive: input.md, spans (one per line:
// a Go-quoted string that occurs in input.md, optionally followed by #N to
// take its N-th occurrence, then an id), and want.html.
func TestMarks(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) == 0 {
		t.Fatal("no test cases in testdata/")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			sec := map[string][]byte{}
			for _, f := range ar.Files {
				sec[f.Name] = f.Data
			}
			src := sec["input.md"]
			spans := parseSpans(t, src, string(sec["spans"]))
			md := goldmark.New(goldmark.WithExtensions(&Extension{}))
			var out bytes.Buffer
			if err := md.Convert(src, &out, WithSpans(spans)); err != nil {
				t.Fatal(err)
			}
			if *update {
				for i := range ar.Files {
					if ar.Files[i].Name == "want.html" {
						ar.Files[i].Data = out.Bytes()
					}
				}
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if !bytes.Equal(out.Bytes(), sec["want.html"]) {
				t.Errorf("input:\n%s\nspans:\n%s\nhave:\n%s\nwant:\n%s", src, sec["spans"], out.Bytes(), sec["want.html"])
			}
		})
	}
}

func parseSpans(t *testing.T, src []byte, spec string) []Span {
	var spans []Span
	for _, line := range strings.Split(strings.TrimSpace(spec), "\n") {
		if line == "" {
			continue
		}
		q, err := strconv.QuotedPrefix(line)
		if err != nil {
			t.Fatalf("spans line %q: %v", line, err)
		}
		needle, _ := strconv.Unquote(q)
		rest := strings.Fields(line[len(q):])
		nth := 1
		if len(rest) > 0 && strings.HasPrefix(rest[0], "#") {
			nth, _ = strconv.Atoi(rest[0][1:])
			rest = rest[1:]
		}
		at := -1
		for i, from := 0, 0; i < nth; i++ {
			k := bytes.Index(src[from:], []byte(needle))
			if k < 0 {
				t.Fatalf("span %q (#%d) not in input", needle, nth)
			}
			at, from = from+k, from+k+1
		}
		id := ""
		if len(rest) > 0 {
			id = rest[0]
		}
		spans = append(spans, Span{Start: at, End: at + len(needle), ID: id, Class: "q", After: "<sup>[" + id + "]</sup>"})
	}
	return spans
}

func TestNoSpansLeavesOutputAlone(t *testing.T) {
	src := []byte("A *b* [c](d) `e`\n\n> f\n")
	var plain, marked bytes.Buffer
	if err := goldmark.New().Convert(src, &plain); err != nil {
		t.Fatal(err)
	}
	if err := goldmark.New(goldmark.WithExtensions(&Extension{})).Convert(src, &marked); err != nil {
		t.Fatal(err)
	}
	if plain.String() != marked.String() {
		t.Errorf("have %q, want %q", marked.String(), plain.String())
	}
}

// Marks never change the text: with the <mark> tags and note references
// taken out, the output is the same as goldmark's without spans, for any
// spans at all.
func TestMarksKeepText(t *testing.T) {
	src := []byte("# Title *x*\n\nA **bold [link](/u) here** and `code` then\nsoft break.\n\n> quoted *text*\n> more\n\n- item one\n- item two\n\n```\nfenced\n```\n")
	var plain bytes.Buffer
	if err := goldmark.New().Convert(src, &plain); err != nil {
		t.Fatal(err)
	}
	strip := regexp.MustCompile(`<mark[^>]*>|</mark>|<sup>\[[^\]]*\]</sup>`)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 500; i++ {
		var spans []Span
		for k := rng.IntN(4); k >= 0; k-- {
			a, b := rng.IntN(len(src)+1), rng.IntN(len(src)+1)
			if a > b {
				a, b = b, a
			}
			id := fmt.Sprint("s", k)
			spans = append(spans, Span{Start: a, End: b, ID: id, After: "<sup>[" + id + "]</sup>"})
		}
		var out bytes.Buffer
		md := goldmark.New(goldmark.WithExtensions(&Extension{}))
		if err := md.Convert(src, &out, WithSpans(spans)); err != nil {
			t.Fatal(err)
		}
		if got := strip.ReplaceAllString(out.String(), ""); got != plain.String() {
			t.Fatalf("spans %+v changed the text:\nhave %s\nwant %s", spans, got, plain.String())
		}
		if n := strings.Count(out.String(), "<mark"); n != strings.Count(out.String(), "</mark>") {
			t.Fatalf("unbalanced marks in %s", out.String())
		}
		for _, s := range spans {
			ids := strings.Count(out.String(), `id="`+s.ID+`"`)
			refs := strings.Count(out.String(), "<sup>["+s.ID+"]</sup>")
			if ids > 1 || ids != refs {
				t.Fatalf("span %s: %d ids and %d note refs in %s", s.ID, ids, refs, out.String())
			}
		}
	}
}
