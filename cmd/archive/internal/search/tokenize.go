package search

import (
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
	// Mostly ASCII text with a few curly quotes and dashes: the ASCII is
	// lowered as above and only the runs of other runes go through the
	// four passes, each once per distinct run (normalizedRun). Every step
	// is the same on the pieces as on the whole because the text is cut
	// only before an ASCII character (a starter that combines with nothing
	// on its left in NFKC or NFD; folding, quote mapping and dropping
	// marks go rune by rune), and a run that could combine with the
	// character on its left (a combining accent after "e") takes that
	// character with it.
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] < utf8.RuneSelf {
			j++
		}
		if j == len(s) {
			writeLowerASCII(&b, s[i:])
			break
		}
		k := j
		for k < len(s) && s[k] >= utf8.RuneSelf {
			k++
		}
		from := j
		if j > i && !startsSegment(s[j:k]) {
			from = j - 1
		}
		writeLowerASCII(&b, s[i:from])
		b.WriteString(normalizedRun(s[from:k]))
		i = k
	}
	return b.String()
}

// writeLowerASCII writes the ASCII text s lowered, with backticks as
// apostrophes: Normalize's result for ASCII.
func writeLowerASCII(b *strings.Builder, s string) {
	from := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case c == '`':
			c = '\''
		default:
			continue
		}
		b.WriteString(s[from:i])
		b.WriteByte(c)
		from = i + 1
	}
	b.WriteString(s[from:])
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
		if _, loaded := runCache.LoadOrStore(strings.Clone(s), n); !loaded {
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

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
