package annotations

import (
	"strings"
	"testing"
)

func TestClip(t *testing.T) {
	for _, tc := range []struct {
		s    string
		n    int
		want string
	}{
		{"", 10, ""},
		{"short", 10, "short"},
		{"exactly ten", 11, "exactly ten"},
		{"one two three four", 10, "one two…"}, // cut back to a space
		{"one two, three four", 9, "one two…"}, // trailing , trimmed
		{"abcdefghijklmnop", 10, "abcde…"},     // no space after n/2: cut at n/2
		{"abc defghijklmnop", 10, "abc d…"},    // a space before n/2 is not looked for
		{"ünïcödé wörds hére", 10, "ünïcödé…"}, // runes, not bytes
		{"ééééé", 5, "ééééé"},                  // 10 bytes, 5 runes
		{"ééééé é", 5, "ééééé…"},
		{"“quoted” words here and there", 12, "“quoted”…"},
		{"bad \xff\xfe bytes here and more", 12, "bad \ufffd\ufffd bytes…"}, // invalid UTF-8 as before
	} {
		if got := Clip(tc.s, tc.n); got != tc.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.want)
		}
		if got := clipRunes(tc.s, tc.n); got != tc.want {
			t.Errorf("clipRunes(%q, %d) = %q, want %q (the test is wrong)", tc.s, tc.n, got, tc.want)
		}
	}
}

func FuzzClip(f *testing.F) {
	f.Add("one two three four", 10)
	f.Add("ünïcödé wörds hére, and so on", 12)
	f.Add(strings.Repeat("word ", 50), 80)
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || n > 1000 {
			return
		}
		if got, want := Clip(s, n), clipRunes(s, n); got != want {
			t.Fatalf("Clip(%q, %d) = %q, want %q", s, n, got, want)
		}
	})
}
