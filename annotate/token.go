package annotate

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// tokKind tells words from the other things the scanner reports.
type tokKind uint8

const (
	tWord   tokKind = iota // a word: letters, digits and marks, inner apostrophes dropped
	tWild                  // an editorial bracket such as "[a]": stands for any one word
	tPunct                 // punctuation (only reported when the scanner is asked for it)
	tIgnore                // an editorial aside such as "[sic]": matches nothing, costs nothing
)

// Token codes are 32-bit hashes of the normalised word. Two values are
// reserved, and the top bit marks a token that follows an ellipsis.
const (
	codeWild uint32 = 1
	gapBit   uint32 = 1 << 31 // an ellipsis comes before this word
	sentBit  uint32 = 1 << 30 // this word starts a sentence or paragraph
	codeMask        = sentBit - 1
)

// tok is one scanned token. start and end are byte offsets into the text.
type tok struct {
	start, end int
	code       uint32 // normalised hash (without gapBit)
	kind       tokKind
	gap        bool   // an ellipsis ("…", "...", "[…]") comes before this token
	sent       bool   // the token starts a sentence or a paragraph
	norm       string // normalised form, only when the scanner records it
}

// scanner splits text into tokens. It is not safe for concurrent use.
type scanner struct {
	punct bool // report punctuation and editorial asides too
	norm  bool // fill tok.norm
	fold  cases.Caser
	buf   []byte
	pend  []tok // codesMarks: the tokens of one step
	// codesMarks: the codes of a sampled document's words, counted
	// once it is scanned.
	dfCodes []uint32
	// nthWord's scan state, and the putter of its steps, made once.
	nst  scanState
	nput func(tok)
}

func newScanner(punct, norm bool) *scanner {
	return &scanner{punct: punct, norm: norm, fold: cases.Fold()}
}

var asciiWord [128]bool

func init() {
	for c := '0'; c <= '9'; c++ {
		asciiWord[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		asciiWord[c] = true
		asciiWord[c-'a'+'A'] = true
	}
}

func isWordRune(r rune) bool {
	if r < 0 {
		return false
	}
	if r < utf8.RuneSelf {
		return asciiWord[r]
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

func isApostrophe(r rune) bool { return r == '\'' || r == '\u2019' || r == '\u02BC' || r == '\u2018' }

func runeAt(s string, i int) (rune, int) {
	if i >= len(s) {
		return -1, 0
	}
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	r, n := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError && n == 1 {
		return -1, 1 // invalid byte: a separator
	}
	return r, n
}

// scan reports the tokens of text in order.
func (s *scanner) scan(text string, emit func(tok)) {
	st := scanState{sent: true}
	put := st.putter(emit)
	for i := 0; i < len(text); {
		i = s.step(text, i, &st, put)
	}
}

// scanState is what scan carries from one token to the next: whether an
// ellipsis came before the next token, and whether it starts a sentence.
type scanState struct{ gap, sent bool }

// putter returns the function that stamps a token with the state and
// hands it to emit.
func (st *scanState) putter(emit func(tok)) func(tok) {
	return func(t tok) {
		t.gap, t.sent = st.gap, st.sent
		st.gap = false
		if t.kind == tWord || t.kind == tWild {
			st.sent = false
		}
		emit(t)
	}
}

// step scans what starts at text[i], reporting its tokens through put,
// and returns the index after it.
func (s *scanner) step(text string, i int, st *scanState, put func(tok)) int {
	if c := text[i]; c < utf8.RuneSelf && (asciiWord[c] || c == ' ') {
		// The common cases first: a space, or an ASCII letter or
		// digit starting a word.
		if c == ' ' {
			return i + 1
		}
		return s.word(text, i, put)
	}
	r, n := runeAt(text, i)
	switch {
	case r < 0:
		i += n
	case isWordRune(r) && !isApostrophe(r):
		i = s.word(text, i, put)
	case r == '.' && strings.HasPrefix(text[i:], "..."):
		j := i
		for j < len(text) && (text[j] == '.' || (text[j] == ' ' && j+1 < len(text) && text[j+1] == '.')) {
			j++
		}
		if s.punct {
			put(tok{start: i, end: j, kind: tPunct, norm: "...", code: hashString("...")})
		}
		st.gap = true
		i = j
	case r == '\u2026':
		if s.punct {
			put(tok{start: i, end: i + n, kind: tPunct, norm: "...", code: hashString("...")})
		}
		st.gap = true
		i += n
	case r == '[':
		i = s.bracket(text, i, put, &st.gap)
	case r == '\n':
		j := i + 1
		for j < len(text) && (text[j] == ' ' || text[j] == '\t' || text[j] == '\r') {
			j++
		}
		if j < len(text) && text[j] == '\n' {
			st.sent = true // a blank line: new paragraph
		}
		i = j
	case unicode.IsSpace(r) || unicode.Is(unicode.Cf, r):
		i += n
	default:
		if r == '.' || r == '!' || r == '?' {
			st.sent = true
		}
		if s.punct {
			p := punctNorm(r)
			put(tok{start: i, end: i + n, kind: tPunct, norm: p, code: hashString(p)})
		}
		i += n
	}
	return i
}

// bracket handles "[": editorial asides and substitutions, "[…]" ellipses,
// "[T]he" capitals, or a plain bracket (Markdown links) otherwise.
func (s *scanner) bracket(text string, i int, put func(tok), gap *bool) int {
	j := strings.IndexByte(text[i+1:min(len(text), i+42)], ']')
	plain := func() int {
		if s.punct {
			put(tok{start: i, end: i + 1, kind: tPunct, norm: "[", code: hashString("[")})
		}
		return i + 1
	}
	if j < 0 {
		return plain()
	}
	inner := text[i+1 : i+1+j]
	end := i + 2 + j
	if strings.ContainsAny(inner, "[\n") {
		return plain()
	}
	next, _ := runeAt(text, end)
	if next == '(' || next == '[' || next == ':' {
		return plain() // a Markdown link or reference
	}
	trimmed := strings.TrimSpace(inner)
	switch strings.ToLower(trimmed) {
	case "sic", "sic!":
		if s.punct {
			put(tok{start: i, end: end, kind: tIgnore, norm: "[sic]"})
		}
		return end
	case "...", "…", ". . .", "":
		if s.punct {
			put(tok{start: i, end: end, kind: tPunct, norm: "...", code: hashString("...")})
		}
		*gap = true
		return end
	}
	if isWordRune(next) && utf8.RuneCountInString(trimmed) <= 2 {
		// "[T]he": an editor changed the case of a letter; the word goes on.
		return s.word(text, i, put)
	}
	put(tok{start: i, end: end, kind: tWild, code: codeWild, norm: "[" + strings.ToLower(trimmed) + "]"})
	return end
}

// word scans one word starting at i and returns the index after it.
func (s *scanner) word(text string, i int, put func(tok)) int {
	// Fast path: a plain ASCII word, hashed as it is read.
	if j, code, ok := plainWord(text, i); ok {
		t := tok{start: i, end: j, kind: tWord, code: code}
		if s.norm {
			t.norm = strings.ToLower(text[i:j])
		}
		put(t)
		return j
	}
	// Abbreviations written with points, "U.S." or "e.g.", are one word.
	if end, ok := abbreviation(text, i); ok {
		s.buf = s.buf[:0]
		for k := i; k < end; {
			r, n := runeAt(text, k)
			if r != '.' {
				s.buf = utf8.AppendRune(s.buf, r)
			}
			k += n
		}
		put(s.finish(i, end, true))
		return end
	}
	s.buf = s.buf[:0]
	ascii := true
	j := i
	for j < len(text) {
		c := text[j]
		if c < utf8.RuneSelf && asciiWord[c] {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			s.buf = append(s.buf, c)
			j++
			continue
		}
		if c == '[' && j+2 < len(text) && j == i {
			// "[T]he" at the start of a word.
			k := strings.IndexByte(text[j:min(len(text), j+8)], ']')
			if k > 0 {
				for _, r := range text[j+1 : j+k] {
					s.buf = utf8.AppendRune(s.buf, r)
					if r >= utf8.RuneSelf {
						ascii = false
					}
				}
				j += k + 1
				continue
			}
		}
		r, n := runeAt(text, j)
		if r < 0 {
			break
		}
		if isWordRune(r) && !isApostrophe(r) {
			ascii = false
			s.buf = utf8.AppendRune(s.buf, r)
			j += n
			continue
		}
		if isApostrophe(r) && j > i {
			if r2, _ := runeAt(text, j+n); r2 >= 0 && isWordRune(r2) {
				j += n // "world’s" == "world's" == "worlds"
				continue
			}
		}
		break
	}
	if j == i { // nothing of a word here after all
		_, n := runeAt(text, i)
		return i + max(1, n)
	}
	put(s.finish(i, j, ascii))
	return j
}

// plainWord reads the word at text[i] when it is plain ASCII letters and
// digits, ended by neither an apostrophe nor (after one letter) a point
// nor a non-ASCII rune: its end and code, hashed as it is read, and true;
// otherwise false (word reads it the long way).
func plainWord(text string, i int) (int, uint32, bool) {
	h := uint32(2166136261)
	j := i
	for j < len(text) {
		c := text[j]
		if c >= utf8.RuneSelf || !asciiWord[c] {
			break
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h = (h ^ uint32(c)) * 16777619
		j++
	}
	if j > i && (j == len(text) || (text[j] < utf8.RuneSelf && text[j] != '\'' && (text[j] != '.' || j > i+1))) {
		return j, fixCode(h), true
	}
	return j, 0, false
}

// finish turns s.buf, the raw letters of text[i:j], into a token.
func (s *scanner) finish(i, j int, ascii bool) tok {
	if !ascii {
		b := norm.NFKC.Bytes(s.buf)
		b = s.fold.Bytes(b)
		s.buf = append(s.buf[:0], b...)
	} else {
		for k, c := range s.buf {
			if 'A' <= c && c <= 'Z' { // abbreviations arrive unfolded
				s.buf[k] = c + 'a' - 'A'
			}
		}
	}
	t := tok{start: i, end: j, kind: tWord, code: hashBytes(s.buf)}
	if s.norm {
		t.norm = string(s.buf)
	}
	return t
}

// abbreviation reports whether text[i:] starts with single letters joined
// by points ("U.S.", "e.g."), and where it ends (after the last point).
func abbreviation(text string, i int) (int, bool) {
	letters := 0
	k := i
	end := i
	for {
		r, n := runeAt(text, k)
		if r < 0 || !unicode.IsLetter(r) {
			break
		}
		if r2, _ := runeAt(text, k+n); r2 >= 0 && (isWordRune(r2) || isApostrophe(r2)) {
			break
		}
		letters++
		k += n
		end = k
		if k < len(text) && text[k] == '.' && !strings.HasPrefix(text[k:], "...") {
			k++
			end = k
			continue
		}
		break
	}
	if letters < 2 {
		return 0, false
	}
	return end, true
}

func punctNorm(r rune) string {
	switch r {
	case '"', '\u201C', '\u201D', '\u201E', '\u201F', '\u00AB', '\u00BB', '\u2033':
		return `"`
	case '\'', '\u2018', '\u2019', '\u201A', '\u201B', '\u2039', '\u203A', '\u2032':
		return "'"
	case '-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
		return "-"
	}
	return norm.NFKC.String(string(r))
}

// hashBytes is FNV-1a, kept clear of the reserved codes.
func hashBytes(b []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range b {
		h ^= uint32(c)
		h *= 16777619
	}
	return fixCode(h)
}

func hashString(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return fixCode(h)
}

func fixCode(h uint32) uint32 {
	h &= codeMask
	if h <= codeWild {
		h += 2
	}
	return h
}

// codes returns the word codes of text, with gapBit set on a word that
// follows an ellipsis. Punctuation and asides are not included.
func (s *scanner) codes(text string, dst []uint32) []uint32 {
	s.scan(text, func(t tok) {
		if t.kind != tWord && t.kind != tWild {
			return
		}
		c := t.code
		if t.gap {
			c |= gapBit
		}
		if t.sent {
			c |= sentBit
		}
		dst = append(dst, c)
	})
	return dst
}

// markEvery is how many words lie between two marks of codesMarks.
const markEvery = 16

// wcode is a word as Find keeps it in memory for every word of every
// document: 14 bits of its hash (0 and 1 reserved, 1 = wildcard) and two
// flags. Two different words share a wcode with odds of 1 in 16,384; that
// can at most let a match run one word further, since seeds are 64-bit
// hashes of five words and a passage needs minWords matching words.
type wcode = uint16

const (
	wWild wcode = 1
	wGap  wcode = 1 << 15 // an ellipsis comes before this word
	wSent wcode = 1 << 14 // this word starts a sentence or paragraph
	wMask       = wSent - 1
)

// pack turns a token's 32-bit code and flags into a wcode.
func pack(t tok) wcode {
	if t.kind == tWild {
		return flagW(wWild, t.gap, t.sent)
	}
	return flagW(wordW(t.code), t.gap, t.sent)
}

// wordW is the wcode of a word's 32-bit code, without flags.
func wordW(h uint32) wcode {
	c := wcode((h ^ h>>14 ^ h>>28) & uint32(wMask))
	if c <= wWild {
		c += 2
	}
	return c
}

// flagW sets a wcode's flags.
func flagW(c wcode, gap, sent bool) wcode {
	if gap {
		c |= wGap
	}
	if sent {
		c |= wSent
	}
	return c
}

// sameW reports whether two wcodes stand for the same word; a wildcard
// matches any word.
func sameW(x, y wcode) bool {
	x &= wMask
	y &= wMask
	return x == y || x == wWild || y == wWild
}

// codesMarks appends the wcodes of the words of text to dst, and to marks
// the byte offset of every markEvery-th word (words 0, markEvery, ...).
// When df is not nil it counts the 32-bit code of every word (not
// wildcards) as the sample's document doc's. It reads plain ASCII words itself (most
// words) and the rest through step: the same words as scan.
func (s *scanner) codesMarks(text string, dst []wcode, marks []uint32, df *dfCounter, doc int) ([]wcode, []uint32) {
	st := &scanState{sent: true}
	put := st.putter(func(t tok) { s.pend = append(s.pend, t) })
	for i := 0; i < len(text); {
		c := text[i]
		if c == ' ' {
			i++
			continue
		}
		if c < utf8.RuneSelf && asciiWord[c] {
			if j, code, ok := plainWord(text, i); ok {
				if len(dst)%markEvery == 0 {
					marks = append(marks, uint32(i))
				}
				dst = append(dst, flagW(wordW(code), st.gap, st.sent))
				st.gap, st.sent = false, false
				if df != nil {
					s.dfCodes = append(s.dfCodes, code)
				}
				i = j
				continue
			}
		}
		s.pend = s.pend[:0]
		i = s.step(text, i, st, put)
		for _, t := range s.pend {
			if t.kind != tWord && t.kind != tWild {
				continue
			}
			if len(dst)%markEvery == 0 {
				marks = append(marks, uint32(t.start))
			}
			dst = append(dst, pack(t))
			if t.kind == tWord && df != nil {
				s.dfCodes = append(s.dfCodes, t.code)
			}
		}
	}
	if df != nil {
		// Counted after the scan, in a loop of its own: each count
		// misses the cache, and with nothing else between them the
		// processor waits for several misses at once. (A document's
		// words count once whatever their order.)
		for _, code := range s.dfCodes {
			df.add(doc, code)
		}
		s.dfCodes = s.dfCodes[:0]
	}
	return dst, marks
}

// eachWord calls f with the byte range of every word and wildcard of
// text, in order, and the word's code (codeWild for a wildcard): the
// words of scan, with plain ASCII words read without making tokens.
func (s *scanner) eachWord(text string, f func(start, end int, code uint32)) {
	st := &scanState{sent: true}
	put := st.putter(func(t tok) { s.pend = append(s.pend, t) })
	for i := 0; i < len(text); {
		c := text[i]
		if c == ' ' {
			i++
			continue
		}
		if c < utf8.RuneSelf && asciiWord[c] {
			if j, code, ok := plainWord(text, i); ok {
				st.gap, st.sent = false, false
				f(i, j, code)
				i = j
				continue
			}
		}
		s.pend = s.pend[:0]
		i = s.step(text, i, st, put)
		for _, t := range s.pend {
			switch t.kind {
			case tWord:
				f(t.start, t.end, t.code)
			case tWild:
				f(t.start, t.end, codeWild)
			}
		}
	}
}

// nthWord returns the byte range of word n (counting from 0) of text, as
// eachWord reports it, or false when text has fewer words; it stops
// there, and makes nothing on the heap.
func (s *scanner) nthWord(text string, n int) (int, int, bool) {
	st := &s.nst
	*st = scanState{sent: true}
	if s.nput == nil {
		s.nput = st.putter(func(t tok) { s.pend = append(s.pend, t) })
	}
	for i := 0; i < len(text); {
		c := text[i]
		if c == ' ' {
			i++
			continue
		}
		if c < utf8.RuneSelf && asciiWord[c] {
			if j, _, ok := plainWord(text, i); ok {
				if n == 0 {
					return i, j, true
				}
				n--
				st.gap, st.sent = false, false
				i = j
				continue
			}
		}
		s.pend = s.pend[:0]
		i = s.step(text, i, st, s.nput)
		for _, t := range s.pend {
			if t.kind == tWord || t.kind == tWild {
				if n == 0 {
					return t.start, t.end, true
				}
				n--
			}
		}
	}
	return 0, 0, false
}

// words returns the word and wildcard tokens of text with their offsets.
func (s *scanner) words(text string) []tok {
	var out []tok
	s.scan(text, func(t tok) {
		if t.kind == tWord || t.kind == tWild {
			out = append(out, t)
		}
	})
	return out
}

// same reports whether two codes stand for the same word; a wildcard
// matches any word.
func same(x, y uint32) bool {
	x &= codeMask
	y &= codeMask
	return x == y || x == codeWild || y == codeWild
}
