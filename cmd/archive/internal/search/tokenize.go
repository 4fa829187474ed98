package search

import (
	"encoding/binary"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// fold is Unicode full case folding. A cases.Caser keeps state, so each
// call makes its own (they are cheap).
func fold(s string) string { return cases.Fold().String(s) }

// quoteFold maps the apostrophe look-alikes that typesetting and OCR
// produce to the ASCII apostrophe, so "Interpol’s" and "Interpol's" match.
var quoteFold = strings.NewReplacer(
	"\u2018", "'", "\u2019", "'", "\u02bc", "'", "\u2032", "'", "`", "'",
	"\u201c", `"`, "\u201d", `"`, "\u201e", `"`, "\u00ab", `"`, "\u00bb", `"`,
)

// Normalize is the text normalisation shared by the index and the client
// (layouts/search.js does the same steps, in the same order):
//
//  1. NFKC (ligatures, full-width forms and compatibility characters);
//  2. Unicode case folding (ß → ss, final sigma → σ);
//  3. curly quotes and apostrophe look-alikes → ASCII ' and ";
//  4. NFD, then combining marks (category Mn) dropped, so "Lyon" matches
//     "Lyón" and "cafe" matches "café".
func Normalize(s string) string {
	if isASCII(s) { // the same result, without four passes over the text
		return strings.ReplaceAll(strings.ToLower(s), "`", "'")
	}
	return string(appendNormalized(make([]byte, 0, len(s)), s))
}

// appendNormalized appends Normalize(s) to b.
func appendNormalized(b []byte, s string) []byte {
	// Mostly ASCII text with a few curly quotes and dashes: the ASCII is
	// lowered as above and only the runs of other runes go through the
	// four passes, each once per distinct run (normalizedRun). Every step
	// is the same on the pieces as on the whole because the text is cut
	// only before an ASCII character (a starter that combines with nothing
	// on its left in NFKC or NFD; folding, quote mapping and dropping
	// marks go rune by rune), and a run that could combine with the
	// character on its left (a combining accent after "e") takes that
	// character with it.
	for i := 0; i < len(s); {
		j := i + asciiPrefix(s[i:])
		if j == len(s) {
			return appendLowerASCII(b, s[i:])
		}
		k := j
		for k < len(s) && s[k] >= utf8.RuneSelf {
			k++
		}
		from := j
		if j > i && !startsSegment(s[j:k]) {
			from = j - 1
		}
		b = appendLowerASCII(b, s[i:from])
		b = append(b, normalizedRun(s[from:k])...)
		i = k
	}
	return b
}

// Masks of SWAR: each byte's high bit; a 1 in each byte.
const (
	highBits = 0x8080808080808080
	lowBits  = 0x0101010101010101
)

// asciiPrefix is the length of s's longest prefix of ASCII bytes.
func asciiPrefix(s string) int {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		if loadString(s[i:])&highBits != 0 {
			break
		}
	}
	for i < len(s) && s[i] < utf8.RuneSelf {
		i++
	}
	return i
}

// loadString is the first 8 bytes of s, little-endian.
func loadString(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// appendLowerASCII appends the ASCII text s lowered, with backticks as
// apostrophes: Normalize's result for ASCII. It lowers 8 bytes at a time:
// in a word x of ASCII bytes, x+(0x80-'A') has a byte's high bit set
// where the byte is >= 'A', x+(0x7f-'Z') where it is > 'Z', and no sum
// carries into the next byte.
func appendLowerASCII(b []byte, s string) []byte {
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := loadString(s[i:])
		// A backtick (0x60) is a zero byte of y, found exactly: for
		// bytes < 0x80, y-1 borrows out of a byte only when it is zero.
		y := x ^ '`'*lowBits
		if (y-lowBits)&^y&highBits != 0 {
			break // byte by byte from here
		}
		upper := (x + (0x80-'A')*lowBits) &^ (x + (0x7f-'Z')*lowBits) & highBits
		b = binary.LittleEndian.AppendUint64(b, x|upper>>2)
	}
	for ; i < len(s); i++ {
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

// startsSegment reports whether s begins with a rune that combines with
// nothing on its left in NFKC and in NFD.
func startsSegment(s string) bool {
	return norm.NFKC.PropertiesString(s).BoundaryBefore() && norm.NFD.PropertiesString(s).BoundaryBefore()
}

// runCache holds normalizedRun's results for short runs (a curly quote,
// a dash, an accented letter with the letter before it): an archive has
// few distinct ones, met again and again.
var runCache struct {
	sync.Map
	n atomic.Int32
}

const (
	runCacheMax   = 4096 // entries
	runCacheBytes = 16   // the longest run kept
)

// normalizedRun is normalize of a piece of text that the four passes treat
// apart from its neighbours.
func normalizedRun(s string) string {
	if len(s) > runCacheBytes {
		return normalize(s)
	}
	if v, ok := runCache.Load(s); ok {
		return v.(string)
	}
	n := normalize(s)
	if runCache.n.Load() < runCacheMax {
		// Copies: s may be a view of a buffer that the Indexer uses
		// again (tokenise), and n could be s itself if no pass changed
		// it (quoteFold's Replace happens to copy).
		if _, loaded := runCache.LoadOrStore(strings.Clone(s), strings.Clone(n)); !loaded {
			runCache.n.Add(1)
		}
	}
	return n
}

// normalize is Normalize's four passes.
func normalize(s string) string {
	s = norm.NFKC.String(s)
	s = fold(s)
	s = quoteFold.Replace(s)
	s = norm.NFD.String(s)
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, s)
}

// Tokens splits text into index terms: Normalize, then maximal runs of
// letters, digits, spacing marks (Mc) and apostrophes; apostrophes at either
// end are trimmed, a final possessive "'s" is dropped and inner apostrophes
// removed ("Interpol's" → interpol, "don't" → dont). Single letters joined
// by points are one word, as in annotate: "U.S." → us, like "US".
//
// Beyond annotate's normalisation, search also drops accents and the
// possessive "'s", so that a reader's query finds more, not less.
func Tokens(text string) []string {
	var out []string
	eachToken(text, func(t string) { out = append(out, t) })
	return out
}

// eachToken calls fn with each token of text, in order, without building
// the list (the indexer's hot path).
func eachToken(text string, fn func(string)) {
	s := Normalize(text)
	var abbr []byte // letters of an abbreviation being read ("U.S.")
	abbrEnd := -1   // where its last letter ended
	emit := func(w string, start, end int) {
		if r, n := utf8.DecodeRuneInString(w); n == len(w) && unicode.IsLetter(r) {
			if abbrEnd >= 0 && start == abbrEnd+1 && s[abbrEnd] == '.' {
				abbr = append(abbr, w...)
				abbrEnd = end
				return
			}
			flush(&abbr, fn)
			abbr = append(abbr, w...)
			abbrEnd = end
			return
		}
		flush(&abbr, fn)
		abbrEnd = -1
		if t := term(w); t != "" {
			fn(t)
		}
	}
	start := -1
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			emit(s[start:i], start, i)
			start = -1
		}
	}
	if start >= 0 {
		emit(s[start:], start, len(s))
	}
	flush(&abbr, fn)
}

// flush emits a pending single letter or abbreviation.
func flush(abbr *[]byte, fn func(string)) {
	if len(*abbr) > 0 {
		fn(string(*abbr))
		*abbr = (*abbr)[:0]
	}
}

func isWordRune(r rune) bool {
	return r == '\'' || unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mc, r)
}

func term(w string) string {
	w = strings.Trim(w, "'")
	w = strings.TrimSuffix(w, "'s")
	return strings.ReplaceAll(w, "'", "")
}

func isASCII(s string) bool { return asciiPrefix(s) == len(s) }
