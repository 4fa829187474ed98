package annotate

import (
	"cmp"
	"slices"
)

// maxElided is how many words an ellipsis in a selector may stand for.
const maxElided = 60

// Anchor finds the span of text that sel quotes. Matching is by words
// after normalisation, so curly and straight quotes, dashes, spacing, line
// breaks, case, "U.S."/"US" and editorial marks do not matter; an ellipsis
// in sel.Exact stands for up to 60 left-out words. The span runs from the
// first to the last word of the quote (surrounding quote marks and
// punctuation are not included).
//
// When the quote occurs more than once, Prefix and Suffix (text just
// before and after it) choose the occurrence whose surroundings agree
// best; if they cannot decide, Anchor returns *AmbiguousError with every
// equally good span. When the quote does not occur, it returns
// *NoMatchError with up to three nearest stretches of text.
func Anchor(text string, sel Selector) (Span, error) {
	sc := newScanner(false, false)
	q := sc.codes(sel.Exact, nil)
	if len(q) == 0 {
		return Span{}, ErrEmptySelector
	}
	tt := sc.words(text)
	tc := make([]uint32, len(tt))
	for i, t := range tt {
		tc[i] = t.code
	}
	var hits [][2]int
	for i := range tc {
		if end, ok := matchAt(tc, q, i); ok {
			hits = append(hits, [2]int{i, end})
		}
	}
	span := func(h [2]int) Span { return Span{tt[h[0]].start, tt[h[1]-1].end} }
	switch len(hits) {
	case 0:
		return Span{}, &NoMatchError{Exact: sel.Exact, Nearest: nearest(text, tt, tc, q)}
	case 1:
		return span(hits[0]), nil
	}
	pre := sc.codes(sel.Prefix, nil)
	suf := sc.codes(sel.Suffix, nil)
	scores := make([]int, len(hits))
	for i, h := range hits {
		for j := 1; j <= len(pre) && h[0]-j >= 0 && same(pre[len(pre)-j], tc[h[0]-j]); j++ {
			scores[i]++
		}
		for j := 0; j < len(suf) && h[1]+j < len(tc) && same(suf[j], tc[h[1]+j]); j++ {
			scores[i]++
		}
	}
	best := slices.Max(scores)
	var spans []Span
	for i, h := range hits {
		if scores[i] == best {
			spans = append(spans, span(h))
		}
	}
	if len(spans) == 1 {
		return spans[0], nil
	}
	return Span{}, &AmbiguousError{Exact: sel.Exact, Spans: spans}
}

// matchAt reports whether quote q matches the words of t starting at i,
// and where the match ends. After an ellipsis the next stretch of q (up to
// the next ellipsis) is looked for up to maxElided words further on; the
// first place it matches is taken, without backtracking.
func matchAt(t, q []uint32, i int) (int, bool) {
	for j := 0; j < len(q); {
		e := j + 1
		for e < len(q) && q[e]&gapBit == 0 {
			e++
		}
		seg := q[j:e]
		skip, found := 0, false
		for ; skip <= maxElided && (skip == 0 || j > 0); skip++ {
			if segmentAt(t, seg, i+skip) {
				found = true
				break
			}
		}
		if !found {
			return 0, false
		}
		i += skip + len(seg)
		j = e
	}
	return i, true
}

func segmentAt(t, seg []uint32, i int) bool {
	if i+len(seg) > len(t) {
		return false
	}
	for k, c := range seg {
		if !same(c, t[i+k]) {
			return false
		}
	}
	return true
}

// nearest returns up to three stretches of text that match most of q, by
// a semi-global alignment of q against the text (match +1, mismatch and
// gap -1). Texts too long for that get no suggestions.
func nearest(text string, tt []tok, tc, q []uint32) []Candidate {
	m, n := len(q), len(tc)
	if n == 0 || m*n > 1<<25 {
		return nil
	}
	type cell struct{ score, matches, start int }
	prev := make([]cell, m+1)
	cur := make([]cell, m+1)
	ends := make([]cell, n) // best cell ending at each text word
	for i := range prev {
		prev[i] = cell{score: -i}
	}
	for j := 1; j <= n; j++ {
		cur[0] = cell{start: j}
		for i := 1; i <= m; i++ {
			d := prev[i-1]
			c := cell{score: d.score - 1, matches: d.matches, start: d.start}
			if same(q[i-1], tc[j-1]) {
				c = cell{score: d.score + 1, matches: d.matches + 1, start: d.start}
			}
			if u := cur[i-1]; u.score-1 > c.score {
				c = cell{score: u.score - 1, matches: u.matches, start: u.start}
			}
			if l := prev[i]; l.score-1 > c.score {
				c = cell{score: l.score - 1, matches: l.matches, start: l.start}
			}
			cur[i] = c
		}
		ends[j-1] = cur[m]
		prev, cur = cur, prev
		prev[0] = cell{start: j}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		if c := cmp.Compare(ends[y].matches, ends[x].matches); c != 0 {
			return c
		}
		return cmp.Compare(ends[y].score, ends[x].score)
	})
	var out []Candidate
	var taken [][2]int
	for _, j := range order {
		e := ends[j]
		if len(out) == 3 || e.matches == 0 {
			break
		}
		s := min(e.start, j)
		overlaps := false
		for _, t := range taken {
			if s <= t[1] && j >= t[0] {
				overlaps = true
			}
		}
		if overlaps {
			continue
		}
		taken = append(taken, [2]int{s, j})
		sp := Span{tt[s].start, tt[j].end}
		out = append(out, Candidate{Span: sp, Text: text[sp.Start:sp.End], Score: float64(e.matches) / float64(m)})
	}
	return out
}
