package annotate

import (
	"slices"
	"unicode"
	"unicode/utf8"
)

// Quotation: which stretches of a text stand in quotation marks.
//
// A quotation mark is any character with the Unicode property
// Quotation_Mark (the ASCII ' and ", “ ” ‘ ’ „ ‚ « » ‹ › 「 」 『 』 and
// their kin), and "<<" and ">>", which plain text writes for « and »; no
// language's conventions are assumed. Whether a mark opens
// or closes a quotation is read from what stands beside it: a mark with
// space (or the start of a paragraph, or an opening bracket) before it and
// a letter after it opens; a mark with a letter or punctuation before it
// and space or punctuation after it closes; an apostrophe between two
// letters ("don't") is neither. A mark standing alone between spaces (the
// French « mot ») opens when its general category is Pi or Ps and closes
// when it is Pf or Pe; a lone ASCII mark toggles. Marks of category Ps
// and Pe („ 「 」) open and close wherever they stand. Marks pair with the
// nearest open mark of their family (double: " “ ” „ « » and kin; single:
// ' ‘ ’ ‚ ‹ › and kin; corner brackets 「 」 『 』). A quotation still open
// at the end of its paragraph runs to that end: news writing reopens a long
// quotation at each new paragraph and closes it only once.

// quoteFamily groups quotation marks that pair with each other.
type quoteFamily uint8

const (
	qNone quoteFamily = iota
	qDouble
	qSingle
	qCorner
)

func familyOf(r rune) quoteFamily {
	if r < utf8.RuneSelf {
		switch r {
		case '"':
			return qDouble
		case '\'':
			return qSingle
		}
		return qNone
	}
	if !unicode.Is(unicode.Quotation_Mark, r) {
		return qNone
	}
	switch r {
	case '\u2018', '\u2019', '\u201A', '\u201B', '\u2039', '\u203A', '\uFF07':
		return qSingle
	case '\u300C', '\u300D', '\u300E', '\u300F', '\uFE41', '\uFE42', '\uFE43', '\uFE44', '\uFF62', '\uFF63':
		return qCorner
	}
	return qDouble
}

// quoteSpansAround returns the quotation spans of text that bear on the
// bytes [start, end): the text is read from the start of the paragraph that
// holds start (at most quoteWindow bytes before it) to end.
func quoteSpansAround(text string, start, end int) []Span {
	from := max(0, start-quoteWindow)
	for i := start - 1; i > from; i-- {
		if text[i] == '\n' && blankLineBefore(text, i) {
			from = i + 1
			break
		}
	}
	if from > 0 {
		// Start on a rune boundary.
		for from < start && !utf8.RuneStart(text[from]) {
			from++
		}
	}
	spans := quoteSpans(text[from:end])
	for i := range spans {
		spans[i].Start += from
		spans[i].End += from
	}
	return spans
}

// blankLineBefore reports whether the line break at i ends a line that
// holds nothing but spaces.
func blankLineBefore(text string, i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch text[j] {
		case ' ', '\t', '\r':
			continue
		case '\n':
			return true
		}
		return false
	}
	return false
}

// quoteSpans returns the byte ranges of text inside quotation marks, sorted
// and disjoint (the marks themselves are not included).
func quoteSpans(text string) []Span {
	var out []Span
	var stack []openMark
	endPara := func(at int) {
		if len(stack) > 0 {
			out = append(out, Span{stack[0].at, at})
		}
		stack = stack[:0]
	}
	prev := rune(-1) // -1: start of a paragraph
	for i := 0; i < len(text); {
		// The common case first: ASCII that is no quotation mark or line
		// break.
		c := text[i]
		if quotePlain[c] {
			j := i + 1
			for j < len(text) && quotePlain[text[j]] {
				j++
			}
			prev = rune(text[j-1])
			i = j
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		if c == '<' || c == '>' {
			// "<<" and ">>" stand for « and »; a lone < or > is no mark.
			if i+1 < len(text) && text[i+1] == c && (i+2 >= len(text) || text[i+2] != c) && (i == 0 || text[i-1] != c) {
				r, n = '«', 2
				if c == '>' {
					r = '»'
				}
			} else {
				prev = rune(c)
				i++
				continue
			}
		}
		if r == utf8.RuneError && n <= 1 {
			prev = ' '
			i += max(n, 1)
			continue
		}
		if r == '\n' && blankLineAt(text, i) {
			endPara(i)
			prev = -1
			i += n
			continue
		}
		fam := familyOf(r)
		if fam == qNone {
			prev = r
			i += n
			continue
		}
		next, _ := utf8.DecodeRuneInString(text[i+n:])
		if i+n >= len(text) {
			next = -1
		}
		left := prev < 0 || unicode.IsSpace(prev) || unicode.In(prev, unicode.Ps, unicode.Pi, unicode.Pd) || familyOf(prev) != qNone
		right := next < 0 || unicode.IsSpace(next) || unicode.IsPunct(next) && familyOf(next) == qNone && !unicode.In(next, unicode.Ps)
		letterBefore := prev >= 0 && (unicode.IsLetter(prev) || unicode.IsNumber(prev))
		letterAfter := next >= 0 && (unicode.IsLetter(next) || unicode.IsNumber(next))
		var opens, closes bool
		switch {
		case unicode.Is(unicode.Ps, r): // „ 「 『: they only ever open
			opens = true
		case unicode.Is(unicode.Pe, r):
			closes = true
		case letterBefore && letterAfter:
			// an apostrophe, or a mark inside a word: neither
		case left && !right:
			opens = true
		case !left && right:
			closes = true
		case left && right:
			switch {
			case unicode.In(r, unicode.Pi, unicode.Ps):
				opens = true
			case unicode.In(r, unicode.Pf, unicode.Pe):
				closes = true
			default:
				closes = hasOpen(stack, fam)
				opens = !closes
			}
		default: // a mark between punctuation and a letter, say
			closes = hasOpen(stack, fam)
			opens = !closes && fam == qDouble
		}
		if closes && !hasOpen(stack, fam) {
			closes = false // a closing mark with nothing to close: an apostrophe, say
		}
		switch {
		case closes:
			k := len(stack) - 1
			for stack[k].fam != fam {
				k--
			}
			if k == 0 {
				out = append(out, Span{stack[0].at, i})
			}
			stack = stack[:k]
		case opens:
			stack = append(stack, openMark{fam, i + n})
		}
		prev = r
		i += n
	}
	endPara(len(text))
	return mergeSpans(out)
}

// quotePlain marks the ASCII bytes that are no quotation mark, line break,
// "<" or ">": what quoteSpans passes over.
var quotePlain = func() (t [256]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\'' && c != '\n' && c != '<' && c != '>'
	}
	return t
}()

// openMark is a quotation mark not yet closed.
type openMark struct {
	fam quoteFamily
	at  int // the byte after the mark
}

func hasOpen(stack []openMark, fam quoteFamily) bool {
	for _, o := range stack {
		if o.fam == fam {
			return true
		}
	}
	return false
}

// blankLineAt reports whether the line break at i is followed by a line
// holding nothing but spaces: a paragraph break.
func blankLineAt(text string, i int) bool {
	for j := i + 1; j < len(text); j++ {
		switch text[j] {
		case ' ', '\t', '\r':
			continue
		case '\n':
			return true
		}
		return false
	}
	return true
}

// mergeSpans sorts spans and joins those that overlap or touch.
func mergeSpans(s []Span) []Span {
	slices.SortFunc(s, func(a, b Span) int { return a.Start - b.Start })
	out := s[:0]
	for _, x := range s {
		if x.End <= x.Start {
			continue
		}
		if n := len(out); n > 0 && x.Start <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, x.End)
			continue
		}
		out = append(out, x)
	}
	return out
}

// coveredBytes is how many bytes of [start, end) the sorted, disjoint
// spans cover.
func coveredBytes(spans []Span, start, end int) int {
	i, _ := slices.BinarySearchFunc(spans, start, func(s Span, at int) int {
		if s.End <= at {
			return -1
		}
		return 1
	})
	n := 0
	for ; i < len(spans) && spans[i].Start < end; i++ {
		n += min(end, spans[i].End) - max(start, spans[i].Start)
	}
	return n
}

// quotedAround returns the spans of d that stand in quotation marks or in
// d.Quoted and bear on text[start:end) and a little after it.
func quotedAround(d Document, start, end int) []Span {
	return mergeSpans(append(quoteSpansAround(d.Text, start, min(len(d.Text), end+quoteWindow/16)), d.Quoted...))
}

// attachedToQuote reports whether text[start:end) follows a closing
// quotation mark, or leads into an opening one (spans from quotedAround),
// with nothing but spaces and punctuation between: where attributions
// stand.
func attachedToQuote(text string, spans []Span, start, end int) bool {
	between := func(a, b int) bool { // only spaces and punctuation in text[a:b]
		if a > b {
			return false
		}
		for _, r := range text[a:b] {
			if !unicode.IsSpace(r) && !unicode.IsPunct(r) {
				return false
			}
		}
		return true
	}
	for _, s := range spans {
		if s.End <= start && between(s.End, start) || s.Start >= end && between(end, s.Start) {
			return true
		}
	}
	return false
}
