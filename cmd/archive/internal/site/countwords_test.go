package site

import (
	"bytes"
	"strings"
	"testing"
)

// countWordsBytes is countWords a byte at a time, as it was.
func countWordsBytes(b []byte) int {
	n, in := 0, false
	for _, c := range b {
		space := c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'
		if !space && !in {
			n++
		}
		in = !space
	}
	return n
}

func TestCountWords(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"", 0},
		{" ", 0},
		{"a", 1},
		{"a b", 2},
		{"  a  b  ", 2},
		{"one two three four", 4},               // crosses 8 bytes
		{"abcdefgh ijklmnop", 2},                // a word ends on a block's edge
		{"abcdefghijklmnop", 1},                 // a word goes on across blocks
		{"       a", 1},                         // the first word at byte 7
		{"        a", 1},                        // ... at byte 8
		{"a\tb\nc\vd\fe\rf g", 7},               // every ASCII space
		{"a\x08b\x0ec\x1fd!e", 1},               // 8, 14, 31 are not spaces
		{"caf\u00e9 na\u00efve \u00a0x", 3},     // non-ASCII bytes are letters, NBSP too
		{"\xa0\xa9\xad\xac\xa2\xaa\x89\x8d", 1}, // high bytes whose low bits are spaces
		{"\xa0 \x89 \x8d \x8e \x20 \x09 \x0d \x7f", 5},
		{strings.Repeat("word ", 100), 100},
	} {
		if got := countWords([]byte(tc.in)); got != tc.want {
			t.Errorf("countWords(%q) = %d, want %d", tc.in, got, tc.want)
		}
		if got := countWordsBytes([]byte(tc.in)); got != tc.want {
			t.Errorf("countWordsBytes(%q) = %d, want %d (the test is wrong)", tc.in, got, tc.want)
		}
	}
	// every byte value at every place of two blocks, between letters and
	// between spaces
	for c := 0; c < 256; c++ {
		for _, fill := range []byte{'x', ' '} {
			for i := 0; i < 17; i++ {
				b := bytes.Repeat([]byte{fill}, 17)
				b[i] = byte(c)
				if got, want := countWords(b), countWordsBytes(b); got != want {
					t.Fatalf("countWords(%q) = %d, want %d", b, got, want)
				}
			}
		}
	}
}

func FuzzCountWords(f *testing.F) {
	f.Add([]byte("one two\tthree\nfour  five"))
	f.Add([]byte("\xa0 \x89 \x8d \x8e \x20 \x09 \x0d \x7f x"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := countWords(b), countWordsBytes(b); got != want {
			t.Fatalf("countWords(%q) = %d, want %d", b, got, want)
		}
	})
}

func BenchmarkCountWords(b *testing.B) {
	body := []byte(strings.Repeat("The quick brown fox jumps over the lazy dog.\n\n", 200))
	b.SetBytes(int64(len(body)))
	for _, tc := range []struct {
		name string
		f    func([]byte) int
	}{{"words", countWords}, {"bytes", countWordsBytes}} {
		b.Run(tc.name, func(b *testing.B) {
			for range b.N {
				tc.f(body)
			}
		})
	}
}
