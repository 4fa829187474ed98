package search

import (
	"bytes"
	"hash/maphash"
	"unicode"
	"unicode/utf8"
)

// termTable counts one document's terms: the indexer's hot path, which
// eachToken and a map[string]int32 per document made 14% of a 10,000-
// article build. It reads the tokens as eachToken does (the tests hold
// the two to the same counts), with ASCII runes classed by a table and
// no call per token, and counts them in an open-addressing table that a
// worker keeps from one document to the next. The table also keeps the
// terms' IDs (settle): a term met in an earlier document is not looked
// up in the dictionary again, which was half the cost left.
type termTable struct {
	seed  maphash.Seed
	slots []termSlot // a power of two long; an empty key is an empty slot
	used  []int32    // the document's slots, in the order its terms came
	live  int        // slots with a key
	doc   uint32     // the document's stamp
	n     int        // tokens counted since reset

	text    []byte // scan's text, normalised
	abbr    []byte // scan's abbreviation being read ("U.S."), as in eachToken
	abbrEnd int
	term    []byte // word's term without apostrophes
}

// A termSlot is a term and its count in the document doc. Its key is a
// string of its own, the dictionary's once its id is known (>= 0; else -1).
type termSlot struct {
	key  string
	id   int32
	n    int32
	doc  uint32
	hash uint32 // the key's hash's high bits: most slots that are not the key's are told without reading it
}

// maxLive is how many terms a termTable keeps from one document to the
// next: past it, reset forgets them (a table of at most 10 MB). A variable for the
// tests.
var maxLive = 1 << 16

func newTermTable() *termTable {
	return &termTable{seed: maphash.MakeSeed(), slots: make([]termSlot, 1024)}
}

// reset begins a document: the counts are forgotten, the terms and IDs
// kept (up to maxLive).
func (t *termTable) reset() {
	t.doc++
	if t.live > maxLive || t.doc == 0 {
		clear(t.slots)
		t.live, t.doc = 0, 1
	}
	t.used, t.n = t.used[:0], 0
}

// add counts w more for the term s (a copy is kept of a new one).
func (t *termTable) add(s []byte, w int32) {
	t.n++
	mask := uint64(len(t.slots) - 1)
	h := maphash.Bytes(t.seed, s)
	for i := h & mask; ; i = (i + 1) & mask {
		sl := &t.slots[i]
		if sl.hash == uint32(h>>32) && sl.key == string(s) {
			if sl.doc != t.doc {
				sl.doc, sl.n = t.doc, 0
				t.used = append(t.used, int32(i))
			}
			sl.n += w
			return
		}
		if sl.key == "" {
			*sl = termSlot{key: string(s), id: -1, n: w, doc: t.doc, hash: uint32(h >> 32)}
			t.used = append(t.used, int32(i))
			t.live++
			if 2*t.live > len(t.slots) {
				t.grow()
			}
			return
		}
	}
}

// grow doubles the table, keeping the document's terms' order in used.
func (t *termTable) grow() {
	old := t.slots
	t.slots = make([]termSlot, 2*len(old))
	mask := uint64(len(t.slots) - 1)
	moved := make(map[int32]int32, len(t.used))
	for j, sl := range old {
		if sl.key == "" {
			continue
		}
		i := maphash.String(t.seed, sl.key) & mask // maphash.Bytes's: a hash's low bits, not kept
		for t.slots[i].key != "" {
			i = (i + 1) & mask
		}
		t.slots[i] = sl
		if sl.doc == t.doc {
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
		if id, ok := ids[sl.key]; ok {
			sl.id, sl.key = id, terms[id]
		}
	}
}

// wordByte tells the ASCII bytes that isWordRune accepts.
var wordByte = func() (w [utf8.RuneSelf]bool) {
	for c := range w {
		w[c] = isWordRune(rune(c))
	}
	return w
}()

// scan counts the tokens of text (eachToken's), each w times. Its ASCII
// text is lowered into a buffer (Normalize's result, without making a
// string of it).
func (t *termTable) scan(text string, w int32) {
	if isASCII(text) {
		t.text = appendLowerASCII(t.text[:0], text)
	} else {
		t.text = append(t.text[:0], Normalize(text)...)
	}
	s := t.text
	t.abbr, t.abbrEnd = t.abbr[:0], -1
	start, apos := -1, false
	for i := 0; i < len(s); {
		c, size := s[i], 1
		var word bool
		if c < utf8.RuneSelf {
			word = wordByte[c]
		} else {
			var r rune
			r, size = utf8.DecodeRune(s[i:])
			word = isWordRune(r)
		}
		if word {
			if start < 0 {
				start, apos = i, false
			}
			apos = apos || c == '\''
		} else if start >= 0 {
			t.word(s, start, i, apos, w)
			start = -1
		}
		i += size
	}
	if start >= 0 {
		t.word(s, start, len(s), apos, w)
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
		if tok = t.term; len(tok) == 0 {
			return
		}
	}
	t.add(tok, w)
}

// appendLowerASCII appends the ASCII text s lowered, with backticks as
// apostrophes: Normalize's result for ASCII.
func appendLowerASCII(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case c == '`':
			c = '\''
		}
		b = append(b, c)
	}
	return b
}

// flush counts a pending single letter or abbreviation.
func (t *termTable) flush(w int32) {
	if len(t.abbr) > 0 {
		t.add(t.abbr, w)
		t.abbr = t.abbr[:0]
	}
}

// each calls f with every term counted since reset, its ID (as settle
// left it) and its count, in the order the terms came.
func (t *termTable) each(f func(term string, id, n int32)) {
	for _, i := range t.used {
		sl := &t.slots[i]
		f(sl.key, sl.id, sl.n)
	}
}
