package search

import (
	"strings"
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
