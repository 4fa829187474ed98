package ingest

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxSlug is the longest slug Slug returns, in bytes.
const MaxSlug = 60

// stopWords do not end a slug that had to be shortened.
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "and": true, "or": true, "of": true, "to": true,
	"in": true, "on": true, "for": true, "with": true, "by": true, "from": true, "at": true,
	"against": true, "as": true, "is": true, "its": true, "it": true, "but": true,
}

var sentenceEnd = regexp.MustCompile(`[.!?]\s`)

// Slug makes a short, readable file name from a headline: lower-case ASCII
// words joined by hyphens, at most MaxSlug bytes. A headline that is too
// long is cut at the end of its first sentence if that leaves at least four
// words, otherwise after the last whole word that fits, without a dangling
// "of", "the", "against"….
func Slug(title string) string {
	words := slugWords(title)
	full := strings.Join(words, "-")
	if len(full) <= MaxSlug {
		return full
	}
	if loc := sentenceEnd.FindStringIndex(title); loc != nil {
		if w := slugWords(title[:loc[0]]); len(w) >= 4 && len(strings.Join(w, "-")) <= MaxSlug {
			return strings.Join(w, "-")
		}
	}
	n, size := 0, -1
	for n < len(words) && size+1+len(words[n]) <= MaxSlug {
		size += 1 + len(words[n])
		n++
	}
	for n > 1 && stopWords[words[n-1]] {
		n--
	}
	if n == 0 { // one very long word
		return strings.Trim(full[:MaxSlug], "-")
	}
	return strings.Join(words[:n], "-")
}

// slugWords folds s to lower-case ASCII words: accents are dropped, an
// apostrophe joins ("It's" → "its"), anything else separates.
func slugWords(s string) []string {
	var words []string
	var w strings.Builder
	end := func() {
		if w.Len() > 0 {
			words = append(words, w.String())
			w.Reset()
		}
	}
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			w.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’':
		default:
			end()
		}
	}
	end()
	return words
}
