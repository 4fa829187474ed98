package search

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPlainText(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		fast           bool // plainParagraphs gives it, without the parse
	}{
		{"empty", "", "", true},
		{"paragraphs", "One line\nand its next.\n\n\nTwo: “quoted” — café 3.5%!\n", "One line and its next.\nTwo: “quoted” — café 3.5%!", true},
		{"no final newline", "A (b) \"c\" 'd' e-f #g >h", "A (b) \"c\" 'd' e-f #g >h", true},
		{"blank lines first", "\n\nText", "Text", true},
		{"inner spaces kept", "a  b", "a  b", true},
		{"quotes", "Text\n> quoted\n> on\nlazy\n> more\n\n> Next\n\nEnd", "Text\nquoted on lazy more\nNext\nEnd", true},
		{"quote first", "> a\nb", "a b", true},
		{"quote mark alone", "> a\n>\n> b", "a\nb", false},
		{"quote without space", ">a", "a", false},
		{"nested quote", "> > a", "a", false},
		{"emphasis", "An *emphasised* _word_", "An emphasised word", false},
		{"link", "A [link](http://x) here", "A link here", false},
		{"entity", "Fish &amp; chips", "Fish &amp; chips", false}, // as the source has it
		{"code span", "a `b` c", "a b c", false},
		{"raw html", "a <b>bold</b> c", "a bold c", false},
		{"heading", "# Title\n\nText", "Title\nText", false},
		{"setext heading", "Title\n===\n\nText", "Title\nText", false},
		{"list", "- one\n- two", "one\ntwo", false},
		{"ordered list", "Text\n1. one", "Text\none", false},
		{"digit first", "2019 was a year", "2019 was a year", false},
		{"quote block", "> quoted", "quoted", true},
		{"indented code", "    code\n\nText", "Text", false},
		{"fenced code", "~~~\ncode\n~~~\nText", "Text", false},
		{"hard break", "a  \nb", "a b", false},
		{"leading space", " a\n b", "a b", false},
		{"tab", "a\tb", "a\tb", false},
		{"carriage return", "a\r\nb", "a b", false},
		{"html block", "<div>\nx\n</div>\n\nText", "Text", false},
		{"no-break spaces trimmed", "\u00a0a b\u00a0\n\n\u00a0", "a b", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := PlainText([]byte(tc.in)); got != tc.want {
				t.Errorf("PlainText(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if got := parsedText([]byte(tc.in)); got != tc.want {
				t.Errorf("parsedText(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if _, ok := plainParagraphs([]byte(tc.in)); ok != tc.fast {
				t.Errorf("plainParagraphs(%q) ok = %v, want %v", tc.in, ok, tc.fast)
			}
			// Appended after other text (the index's buffer), with
			// room to spare: the text before stays, the trimming is of
			// the new text only.
			dst := append(make([]byte, 0, 64), "  before "...)
			if got := string(appendPlainText(dst, []byte(tc.in))); got != "  before "+tc.want {
				t.Errorf("appendPlainText(%q, %q) = %q", dst, tc.in, got)
			}
			if got := string(appendParsedText(dst, []byte(tc.in))); got != "  before "+tc.want {
				t.Errorf("appendParsedText(%q, %q) = %q", dst, tc.in, got)
			}
		})
	}
}

// TestPlainTextFiles holds plainParagraphs to the parse on the bodies of
// the bundled site and the Markdown under the repository's testdata, and
// on those under the directories of ARCHIVE_PLAINTEXT_DIRS (a list, as
// PATH; for instance a benchgen corpus or the real Hugo sites of package
// hugosites).
func TestPlainTextFiles(t *testing.T) {
	dirs := []string{"../../../../content", "../../../../cmd", "../../../../annotate"}
	dirs = append(dirs, filepath.SplitList(os.Getenv("ARCHIVE_PLAINTEXT_DIRS"))...)
	files, fast := 0, 0
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
				return err
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			body := withoutFrontMatter(src)
			files++
			got, ok := plainParagraphs(body)
			if !ok {
				return nil
			}
			fast++
			if want := parsedText(body); got != want {
				t.Errorf("%s: plainParagraphs gives %q, the parse %q", p, got, want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d Markdown files, %d read without the parse", files, fast)
	if fast == 0 {
		t.Error("no file was read without the parse: the test holds nothing")
	}
}

// withoutFrontMatter is src after a front matter between --- lines.
func withoutFrontMatter(src []byte) []byte {
	if rest, ok := bytes.CutPrefix(src, []byte("---\n")); ok {
		if i := bytes.Index(rest, []byte("\n---\n")); i >= 0 {
			return rest[i+len("\n---\n"):]
		}
	}
	return src
}

func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"", "a\nb\n\nc", "A (b) \"c\" 'd' e-f #g >h", "x\n\n\n", "é\u00a0\n\u00a0é", "\xff\n\xc3", "a\ufeffb", "\ufeffa"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := plainParagraphs([]byte(s))
		if !ok {
			return
		}
		if want := parsedText([]byte(s)); got != want {
			t.Errorf("plainParagraphs(%q) = %q, the parse %q", s, got, want)
		}
	})
}

func BenchmarkPlainText(b *testing.B) {
	docs := syntheticCorpus(100, 800, 40)
	b.ResetTimer()
	for b.Loop() {
		for _, d := range docs {
			PlainText([]byte(d.Text))
		}
	}
}
