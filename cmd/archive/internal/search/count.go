package search

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"math/rand/v2"
	"slices"
	"unicode"
	"unicode/utf8"
)

// termTable counts one document's terms: the indexer's hot path, which
// eachToken and a map[string]int32 per document made 14% of a 10,000-
// article build. It reads the tokens as eachToken does (the tests hold
// the two to the same counts), with ASCII bytes classed by a table and
// no call per token, and counts them in an open-addressing table that a
// worker keeps from one document to the next. The table also keeps the
// terms' IDs (settle): a term met in an earlier document is not looked
// up in the dictionary again, which was half the cost left.
//
// A slot holds the first 16 bytes of its term (termHeads) and the term's
// length, so that a token is told from the terms in its way without
// reading their keys (kept apart, in keys): most terms are 16 bytes or
// shorter, and the slots are half the size that slots with the keys' bytes
// elsewhere were, for fewer cache misses in a table of ~20,000 terms.
type termTable struct {
	seed  uint64
	shift uint       // 64 - log2(len(slots)): a hash's top bits are a slot's index
	slots []termSlot // a power of two long; a zero length is an empty slot
	keys  []string   // by slot: the term, a string of its own or the dictionary's
	used  []int32    // the document's slots, in the order its terms came
	live  int        // slots with a key
	n     int        // tokens counted since reset

	src     []byte // the document's text, when the Indexer makes it (Doc.Load)
	text    []byte // scan's text, normalised, with padding (see termHeads)
	abbr    []byte // scan's abbreviation being read ("U.S."), as in eachToken
	abbrEnd int
	term    []byte // word's term without apostrophes
}

// A termSlot is a term, by its heads and length, with its ID (-1 while
// the table does not know it) and its count in the document (0: not met
// in it yet).
type termSlot struct {
	h1, h2 uint64
	len    int32
	id     int32
	n      int32
}

// padding is how many bytes a termTable's buffers keep beyond their
// length, so that termHeads can load 16 bytes from any term in them.
const padding = 16

// termHeads packs the first 16 bytes of the term s[start:end] in two
// words, little-endian, the bytes past the term's end as zeros; s's
// capacity must reach 16 bytes past start.
func termHeads(s []byte, start, end int) (h1, h2 uint64) {
	p := s[start : start+16 : start+16]
	n := end - start
	h1, h2 = binary.LittleEndian.Uint64(p), binary.LittleEndian.Uint64(p[8:])
	switch {
	case n >= 16:
	case n > 8:
		h2 &= ^uint64(0) >> (128 - 8*n)
	default:
		h1 &= ^uint64(0) >> (64 - 8*n)
		h2 = 0
	}
	return h1, h2
}

// hash mixes a term's heads and length.
func (t *termTable) hash(h1, h2 uint64, n int) uint64 {
	const m = 0x9e3779b97f4a7c15
	h := (h1 ^ t.seed) * m
	return (bits.RotateLeft64(h, 31) ^ h2 ^ uint64(n)) * m
}

// maxLive is how many terms a termTable keeps from one document to the
// next: past it, reset forgets them (a table of at most 10 MB). A variable for the
// tests.
var maxLive = 1 << 16

func newTermTable() *termTable {
	const size = 1024
	return &termTable{seed: rand.Uint64(), shift: 64 - 10, slots: make([]termSlot, size), keys: make([]string, size)}
}

// reset begins a document: the counts are forgotten, the terms and IDs
// kept (up to maxLive).
func (t *termTable) reset() {
	if t.live > maxLive {
		clear(t.slots)
		clear(t.keys)
		t.live = 0
	} else {
		for _, i := range t.used {
			t.slots[i].n = 0
		}
	}
	t.used, t.n = t.used[:0], 0
}

// add counts w more for the term s[start:end] (a copy is kept of a new
// one); s has the padding termHeads needs.
func (t *termTable) add(s []byte, start, end int, w int32) {
	t.n++
	n := end - start
	h1, h2 := termHeads(s, start, end)
	mask := uint64(len(t.slots) - 1)
	for i := t.hash(h1, h2, n) >> t.shift; ; i = (i + 1) & mask {
		sl := &t.slots[i]
		if sl.h1 == h1 && sl.h2 == h2 && sl.len == int32(n) && (n <= 16 || t.keys[i][16:] == string(s[start+16:end])) {
			if sl.n == 0 {
				t.used = append(t.used, int32(i))
			}
			sl.n += w
			return
		}
		if sl.len == 0 {
			*sl = termSlot{h1: h1, h2: h2, len: int32(n), id: -1, n: w}
			t.keys[i] = string(s[start:end])
			t.used = append(t.used, int32(i))
			t.live++
			if 4*t.live > 3*len(t.slots) {
				t.grow()
			}
			return
		}
	}
}

// grow doubles the table, keeping the document's terms' order in used.
func (t *termTable) grow() {
	old, oldKeys := t.slots, t.keys
	t.slots, t.keys = make([]termSlot, 2*len(old)), make([]string, 2*len(old))
	t.shift--
	mask := uint64(len(t.slots) - 1)
	moved := make(map[int32]int32, len(t.used))
	for j, sl := range old {
		if sl.len == 0 {
			continue
		}
		i := t.hash(sl.h1, sl.h2, int(sl.len)) >> t.shift
		for t.slots[i].len != 0 {
			i = (i + 1) & mask
		}
		t.slots[i], t.keys[i] = sl, oldKeys[j]
		if sl.n != 0 {
			moved[int32(j)] = int32(i)
		}
	}
	for k, j := range t.used {
		t.used[k] = moved[j]
	}
}

// settle gives the document's terms their IDs in ids, whose keys are
// terms (the dictionary's strings, which the table then shares).
func (t *termTable) settle(ids map[string]int32, terms []string) {
	for _, i := range t.used {
		sl := &t.slots[i]
		if sl.id >= 0 {
			continue
		}
		if id, ok := ids[t.keys[i]]; ok {
			sl.id, t.keys[i] = id, terms[id]
		}
	}
}

// asciiWord classes the 8 bytes of x, little-endian, by their high bits:
// word has the ASCII bytes that isWordRune accepts (letters, digits and
// the apostrophe), apos the apostrophes, high the bytes beyond ASCII
// (parts of runes that scan decodes). With the high bits cleared, no byte
// in the sums below carries into the next.
func asciiWord(x uint64) (word, apos, high uint64) {
	high = x & highBits
	y := x &^ highBits
	// A byte in [lo, hi] has its high bit set in y+(0x80-lo) and clear
	// in y+(0x7f-hi).
	lower := (y + (0x80-'a')*lowBits) &^ (y + (0x7f-'z')*lowBits)
	upper := (y + (0x80-'A')*lowBits) &^ (y + (0x7f-'Z')*lowBits)
	digit := (y + (0x80-'0')*lowBits) &^ (y + (0x7f-'9')*lowBits)
	q := y ^ '\''*lowBits
	apos = ^((q + 0x7f*lowBits) | q) // a zero byte of q has its high bit clear in both
	word = (lower | upper | digit | apos) &^ x & highBits
	return word, apos &^ x & highBits, high
}

// scan counts the tokens of text (eachToken's), each w times. The text is
// normalised into a buffer (Normalize's result, without making a string
// of it), then read 8 bytes at a time: a word's end, or the next word's
// start, is found in one step instead of a branch per byte.
func (t *termTable) scan(text string, w int32) {
	t.text = appendNormalized(t.text[:0], text)
	n := len(t.text)
	t.text = slices.Grow(t.text, padding)
	s := t.text[:n+8] // the padding: loads past the end, masked
	t.abbr, t.abbrEnd = t.abbr[:0], -1
	for i := 0; i < n; {
		word, _, high := asciiWord(binary.LittleEndian.Uint64(s[i:]))
		if rest := n - i; rest < 8 {
			word &= 1<<(8*rest) - 1
			high &= 1<<(8*rest) - 1
		}
		m := word | high
		if m == 0 {
			i += 8
			continue
		}
		i += bits.TrailingZeros64(m) / 8
		if s[i] >= utf8.RuneSelf {
			if r, size := utf8.DecodeRune(s[i:n]); !isWordRune(r) {
				i += size
				continue
			}
		}
		start, apos := i, false
		for i < n { // to the word's end
			word, ap, _ := asciiWord(binary.LittleEndian.Uint64(s[i:]))
			if rest := n - i; rest < 8 {
				word &= 1<<(8*rest) - 1
			}
			stop := ^word & highBits
			if stop == 0 {
				apos = apos || ap != 0
				i += 8
				continue
			}
			k := bits.TrailingZeros64(stop)
			apos = apos || ap&(1<<k-1) != 0
			i += k / 8
			if i < n && s[i] >= utf8.RuneSelf {
				if r, size := utf8.DecodeRune(s[i:n]); isWordRune(r) {
					i += size
					continue
				}
			}
			break
		}
		t.word(s[:n], start, i, apos, w)
	}
	t.flush(w)
}

// word is eachToken's emit for the word s[start:end]; apos tells whether
// it has an apostrophe.
func (t *termTable) word(s []byte, start, end int, apos bool, w int32) {
	tok := s[start:end]
	letter := false
	if len(tok) == 1 {
		c := tok[0]
		letter = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
	} else if tok[0] >= utf8.RuneSelf && len(tok) <= utf8.UTFMax {
		r, n := utf8.DecodeRune(tok)
		letter = n == len(tok) && unicode.IsLetter(r)
	}
	if letter {
		if !(t.abbrEnd >= 0 && start == t.abbrEnd+1 && s[t.abbrEnd] == '.') {
			t.flush(w)
		}
		t.abbr = append(t.abbr, tok...)
		t.abbrEnd = end
		return
	}
	t.flush(w)
	t.abbrEnd = -1
	if apos { // term's
		tok = bytes.Trim(tok, "'")
		tok = bytes.TrimSuffix(tok, []byte("'s"))
		t.term = t.term[:0]
		for _, c := range tok {
			if c != '\'' {
				t.term = append(t.term, c)
			}
		}
		if len(t.term) > 0 {
			t.term = slices.Grow(t.term, padding)
			t.add(t.term, 0, len(t.term), w)
		}
		return
	}
	t.add(s, start, end, w)
}

// flush counts a pending single letter or abbreviation.
func (t *termTable) flush(w int32) {
	if len(t.abbr) > 0 {
		t.abbr = slices.Grow(t.abbr, padding)
		t.add(t.abbr, 0, len(t.abbr), w)
		t.abbr = t.abbr[:0]
	}
}

// each calls f with every term counted since reset, its ID (as settle
// left it) and its count, in the order the terms came; the term is ""
// when the ID is known (its key is read only when it is needed: another
// cache miss per term and document).
func (t *termTable) each(f func(term string, id, n int32)) {
	for _, i := range t.used {
		sl := &t.slots[i]
		if sl.id >= 0 {
			f("", sl.id, sl.n)
		} else {
			f(t.keys[i], sl.id, sl.n)
		}
	}
}
