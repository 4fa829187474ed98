package readability

import (
	"testing"
	"unicode/utf8"
)

// CountString must count as Count does rune by rune (the fork's
// counters take a text node's string whole).
func TestCountStringAgreesWithCount(t *testing.T) {
	for _, s := range countCases {
		checkCountString(t, s)
	}
}

var countCases = []string{
	"",
	" ",
	"word",
	"  two  words  ",
	"a,b, c，d、e",
	"tab\tnew\nline\rcr\vvt\fff end",
	"nbsp\u00a0between\u0085nel",
	"ideographic\u3000space and\u2003em space",
	"日本語の文章、句読点。",
	"bad \xff\xfe utf-8 \xc3",
	"mixed é ü ß and ascii, with commas,,",
	"trailing space at the end   ",
	"\n\n\nleading newlines",
}

func checkCountString(t *testing.T, s string) {
	t.Helper()
	// Two halves, to check the state carried from one text to the next.
	for cut := 0; cut <= len(s); cut += max(1, len(s)/3) {
		var one, whole charCounter
		var c1, cw commaCounter
		for _, r := range s {
			one.Count(r)
			c1.Count(r)
		}
		whole.CountString(s[:cut])
		whole.CountString(s[cut:])
		cw.CountString(s[:cut])
		cw.CountString(s[cut:])
		if utf8.ValidString(s[:cut]) && (one.Total != whole.Total || one.seenNonSpace != whole.seenNonSpace || one.lastCharWasSpace != whole.lastCharWasSpace) {
			t.Errorf("%q cut at %d: CountString %+v, Count %+v", s, cut, whole, one)
		}
		if utf8.ValidString(s[:cut]) && c1.Total != cw.Total {
			t.Errorf("%q cut at %d: commas %d, want %d", s, cut, cw.Total, c1.Total)
		}
	}
}

func FuzzCountString(f *testing.F) {
	for _, s := range countCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var one, whole charCounter
		var c1, cw commaCounter
		for _, r := range s {
			one.Count(r)
			c1.Count(r)
		}
		whole.CountString(s)
		cw.CountString(s)
		if one != whole || c1 != cw {
			t.Errorf("%q: CountString %+v %+v, Count %+v %+v", s, whole, cw, one, c1)
		}
	})
}
