package template

// archive: tests of the faster htmlReplacer (html.go) against the
// standard library's.

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// stdHTMLReplacer is Go 1.26.8's htmlReplacer, rune by rune.
func stdHTMLReplacer(s string, replacementTable []string, badRunes bool) string {
	written, b := 0, new(strings.Builder)
	r, w := rune(0), 0
	for i := 0; i < len(s); i += w {
		r, w = utf8.DecodeRuneInString(s[i:])
		if int(r) < len(replacementTable) {
			if repl := replacementTable[r]; len(repl) != 0 {
				if written == 0 {
					b.Grow(len(s))
				}
				b.WriteString(s[written:i])
				b.WriteString(repl)
				written = i + w
			}
		} else if badRunes {
			// No-op.
		} else if 0xfdd0 <= r && r <= 0xfdef || 0xfff0 <= r && r <= 0xffff {
			if written == 0 {
				b.Grow(len(s))
			}
			fmt.Fprintf(b, "%s&#x%x;", s[written:i], r)
			written = i + w
		}
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

var replacementTables = map[string][]string{
	"html":        htmlReplacementTable,
	"htmlNorm":    htmlNormReplacementTable,
	"nospace":     htmlNospaceReplacementTable,
	"nospaceNorm": htmlNospaceNormReplacementTable,
}

// TestReplacementTablesASCII: htmlReplacer looks up ASCII bytes only.
func TestReplacementTablesASCII(t *testing.T) {
	for name, table := range replacementTables {
		if len(table) > utf8.RuneSelf {
			t.Errorf("%s has %d entries: htmlReplacer would miss runes from U+0080", name, len(table))
		}
	}
}

func TestHTMLReplacerAsStd(t *testing.T) {
	inputs := []string{
		"", "plain words", "<a href=\"x\">&'`=</a>", "\x00 nul", "tab\tnew\nline",
		"é ü 中文 🙂", "bad \xff byte", "\xc3", "\xc3(", "truncated \xe2\x82",
		"\ufdd0\ufdef\ufff0\ufffd\uffff\U00010000", "x\ufdd0<", "<\xff>", "a\x80\x80b'",
		strings.Repeat("quote \" and <tag> ", 50),
	}
	for _, in := range inputs {
		for name, table := range replacementTables {
			for _, bad := range []bool{true, false} {
				want := stdHTMLReplacer(in, table, bad)
				if got := htmlReplacer(in, table, bad); got != want {
					t.Errorf("htmlReplacer(%q, %s, %v) = %q, want %q", in, name, bad, got, want)
				}
			}
		}
	}
}

func FuzzHTMLReplacer(f *testing.F) {
	for _, s := range []string{"", "<a>", "é\xff\ufdd0\ufffe\"'", "plain"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for name, table := range replacementTables {
			for _, bad := range []bool{true, false} {
				if got, want := htmlReplacer(in, table, bad), stdHTMLReplacer(in, table, bad); got != want {
					t.Fatalf("htmlReplacer(%q, %s, %v) = %q, want %q", in, name, bad, got, want)
				}
			}
		}
	})
}

// TestHTMLReplacerAllocs: nothing to replace allocates nothing; something
// to replace one string.
func TestHTMLReplacerAllocs(t *testing.T) {
	for _, c := range []struct {
		in   string
		want float64
	}{{"Nothing to escape here, é", 0}, {"Tom & Jerry's <b>", 1}} {
		if n := testing.AllocsPerRun(100, func() { htmlReplacer(c.in, htmlReplacementTable, true) }); n != c.want {
			t.Errorf("htmlReplacer(%q) made %v allocations, want %v", c.in, n, c.want)
		}
	}
}

func BenchmarkHTMLReplacer(b *testing.B) {
	in := strings.Repeat("The minister said \"we will not\" & left. ", 20)
	for b.Loop() {
		htmlReplacer(in, htmlReplacementTable, true)
	}
}
