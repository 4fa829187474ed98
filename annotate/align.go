package annotate

// match is one aligned pair of word ranges: words [a0, a1) of document a
// and [b0, b1) of document b.
type match struct {
	a, b           uint32
	a0, a1, b0, b1 uint32
	common         bool // most seeds of it were common n-grams
}

type chain struct {
	a0, b0, la, lb int // first seed, last seed
	covered        int // words of a covered by seeds
	seeds, rare    int // seeds, and those that are not common n-grams
}

// aligner extends chains of seeds between two documents into matches.
type aligner struct {
	k, minWords, maxGap int
	floor               float64 // the least share of matching words
}

// hasGap reports whether an ellipsis lies among c[from..to].
func hasGap(c []wcode, from, to int) bool {
	for i := max(from, 0); i <= to && i < len(c); i++ {
		if c[i]&wGap != 0 {
			return true
		}
	}
	return false
}

// pair aligns documents A and B (the same slice when same is true, then
// every seed has pa < pb) from their common fingerprints (sorted by
// position, p), and emits the
// matches found, in the order of A. open is scratch space for the open
// chains (a pair's own was a twelfth of the alignment's time); pair
// returns it for the next call.
func (x *aligner) pair(A, B []wcode, same bool, seeds []seedPair, open []chain, emit func(a0, a1, b0, b1 int)) []chain {
	k := x.k
	open = open[:0]
	flush := func(c chain) { x.finish(A, B, same, c, emit) }
	for _, s := range seeds {
		pa, pb := s.positions()
		if same && pa+k > pb {
			continue // overlaps itself
		}
		if same && straddles(open, pa, k) {
			continue
		}
		// Close chains that can no longer grow.
		kept := open[:0]
		for _, c := range open {
			if pa > c.la+k+3*x.maxGap {
				flush(c)
			} else {
				kept = append(kept, c)
			}
		}
		open = kept
		best, bestDiff := -1, 0
		for i, c := range open {
			if pa <= c.la || pb <= c.lb {
				continue
			}
			gapA, gapB := pa-(c.la+k), pb-(c.lb+k)
			limit := x.maxGap
			if (gapA > 0 || gapB > 0) && (hasGap(A, c.la+k, pa) || hasGap(B, c.lb+k, pb)) {
				limit = 3 * x.maxGap
			}
			if gapA > limit || gapB > limit {
				continue
			}
			if same && pa+k > c.b0 {
				continue
			}
			diff := abs((pb - pa) - (c.lb - c.la))
			if best < 0 || diff < bestDiff {
				best, bestDiff = i, diff
			}
		}
		if best >= 0 {
			c := &open[best]
			c.covered += min(k, pa-c.la)
			c.la, c.lb = pa, pb
			continue
		}
		if len(open) >= 64 {
			flush(open[0])
			open = append(open[:0], open[1:]...)
		}
		open = append(open, chain{a0: pa, b0: pb, la: pa, lb: pb, covered: k})
	}
	for _, c := range open {
		flush(c)
	}
	return open[:0]
}

// straddles reports whether, within one document, a seed at pa would run
// from the earlier copy of an open chain into the later one; such seeds are
// skipped so that the next chain starts where the later copy does.
func straddles(open []chain, pa, k int) bool {
	for _, c := range open {
		if pa > c.la && pa < c.b0 && pa+k > c.b0 {
			return true
		}
	}
	return false
}

// finish extends a chain at both ends and emits it if it is long enough.
// After each extension it looks for a short exact run nearby in the same
// sentence (a rescue: the winnowed seeds miss runs shorter than minWords,
// such as the first words of a parody before its swapped words) and, if
// one is found, continues from there.
func (x *aligner) finish(A, B []wcode, same bool, c chain, emit func(a0, a1, b0, b1 int)) {
	a0, b0, a1, b1 := c.a0, c.b0, c.la+x.k, c.lb+x.k
	matched := c.covered
	// A piece of fewer than crossMatches words of a neighbouring sentence at
	// either end of the seeds (an n-gram may run across a boundary) is not
	// taken in: extension starts from the boundary instead.
	for d := 1; d < crossMatches && a0+d < a1 && b0+d < b1; d++ {
		if A[a0+d]&wSent != 0 || B[b0+d]&wSent != 0 {
			a0, b0, matched = a0+d, b0+d, matched-d
			break
		}
	}
	for d := 1; d < crossMatches && a1-d > a0 && b1-d > b0; d++ {
		if A[a1-d]&wSent != 0 || B[b1-d]&wSent != 0 {
			a1, b1, matched = a1-d, b1-d, matched-d
			break
		}
	}
	// Left first: in one document the earlier copy must end before the
	// later begins, and growing leftward first keeps copies in phase with
	// their sentences.
	for {
		maxB := b0
		if same {
			maxB = max(0, b0-a0-1) // the later copy still starts after the earlier
		}
		ea, eb, m := extendSentences(A, B, a0-1, b0-1, -1, a0, maxB, !same)
		a0, b0, matched = a0-ea, b0-eb, matched+m
		i, j, n := rescue(A, B, a0, b0, -1, x.maxGap, a0, maxB-eb)
		if n == 0 {
			break
		}
		a0, b0, matched = i, j, matched+n
	}
	if same && a1 > b0 {
		// A repeat right after itself: both copies shifted left, so the
		// earlier one now ends where the later one starts.
		d := a1 - b0
		a1, b1, matched = a1-d, b1-d, matched-d
	}
	for {
		maxA := len(A) - a1
		if same {
			maxA = b0 - a1
		}
		ea, eb, m := extendSentences(A, B, a1, b1, 1, maxA, len(B)-b1, !same)
		a1, b1, matched = a1+ea, b1+eb, matched+m
		i, j, n := rescue(A, B, a1, b1, 1, x.maxGap, maxA-ea, len(B)-b1)
		if n == 0 {
			break
		}
		a1, b1, matched = i+n, j+n, matched+n
	}
	la, lb := a1-a0, b1-b0
	if la < x.minWords || lb < x.minWords || matched < x.minWords || float64(matched) < x.floor*float64(max(la, lb)) {
		return
	}
	emit(a0, a1, b0, b1)
}

// rescueMin is the shortest exact run a rescue accepts.
const rescueMin = 3

// rescue looks within gap words beyond the edge (a, b) of a match (after it
// when dir is 1, before it when -1), within the sentence on both sides, for
// a run of at least rescueMin matching words, and returns the run nearest
// to the edge: its start in A and B and its length (0 when none).
func rescue(A, B []wcode, a, b, dir, gap, maxA, maxB int) (int, int, int) {
	wa, wb := min(gap, maxA), min(gap, maxB)
	// The window is [lo, hi) on each side; it stops at a sentence boundary.
	var aLo, aHi, bLo, bHi int
	if dir > 0 {
		aLo, aHi = a, a+sentenceLimit(A, a, 1, wa, true)
		bLo, bHi = b, b+sentenceLimit(B, b, 1, wb, true)
	} else {
		aLo, aHi = a-sentenceLimit(A, a-1, -1, wa, true), a
		bLo, bHi = b-sentenceLimit(B, b-1, -1, wb, true), b
	}
	bi, bj, bn, bd := 0, 0, 0, 0
	for i := aLo; i < aHi; i++ {
		for j := bLo; j < bHi; j++ {
			if i > aLo && j > bLo && sameW(A[i-1], B[j-1]) {
				continue // not the start of a run
			}
			n := 0
			for i+n < aHi && j+n < bHi && sameW(A[i+n], B[j+n]) {
				n++
			}
			if n < rescueMin {
				continue
			}
			d := (i - aLo) + (j - bLo) // distance from the edge
			if dir < 0 {
				d = (aHi - i - n) + (bHi - j - n)
			}
			if bn == 0 || d < bd || (d == bd && n > bn) {
				bi, bj, bn, bd = i, j, n, d
			}
		}
	}
	return bi, bj, bn
}

// extendSentences extends like extend, sentence by sentence: up to a
// sentence or paragraph boundary freely, beyond one only when cross is set,
// the first crossMatches words beyond it agree exactly, and at least
// crossMatches more words match, so that common words ("of
// the.") before or after a passage are not taken into it by chance. Within
// one document boundaries are not crossed: a sentence said twice in a row
// is two copies of one sentence, not one copy shifted.
func extendSentences(A, B []wcode, ia, ib, dir, maxA, maxB int, cross bool) (ea, eb, matches int) {
	for first := true; first || cross; first = false {
		if !first && !exactRun(A, B, ia+dir*ea, ib+dir*eb, dir, min(maxA-ea, maxB-eb)) {
			return
		}
		limA := sentenceLimit(A, ia+dir*ea, dir, maxA-ea, first)
		limB := sentenceLimit(B, ib+dir*eb, dir, maxB-eb, first)
		a, b, m := extend(A, B, ia+dir*ea, ib+dir*eb, dir, limA, limB)
		if !first && m < crossMatches {
			return
		}
		ea, eb, matches = ea+a, eb+b, matches+m
		if a < limA && b < limB {
			return
		}
	}
	return
}

const crossMatches = 3

// exactRun reports whether the crossMatches words from A[ia], B[ib] (going
// dir) are the same: chance matches of common words, found by a gapped
// alignment, do not carry a passage across a sentence boundary.
func exactRun(A, B []wcode, ia, ib, dir, room int) bool {
	if room < crossMatches {
		return false
	}
	for t := 0; t < crossMatches; t++ {
		if !sameW(A[ia+dir*t], B[ib+dir*t]) {
			return false
		}
	}
	return true
}

// sentenceLimit counts the words from i (going dir) before a sentence
// boundary, at most max. With first false a boundary right at i is crossed.
func sentenceLimit(C []wcode, i, dir, max int, first bool) int {
	for s := 1; s <= max; s++ {
		var starts bool
		if dir > 0 {
			starts = C[i+s-1]&wSent != 0
		} else {
			k := i - (s - 1) + 1
			starts = k < len(C) && C[k]&wSent != 0
		}
		if starts && (first || s > 1) {
			return s - 1
		}
	}
	return max
}

const (
	xBand = 3 // how far the extension may drift off the diagonal
	xDrop = 4 // how far the score may fall below its best before giving up
)

// extend aligns A and B outward from A[ia], B[ib] (going forward when dir
// is 1, backward when -1) with a banded local alignment (match +1,
// mismatch and gap -1) and stops when the score falls xDrop below its
// best. It returns how many words of each side the best alignment covers
// and how many of them match.
func extend(A, B []wcode, ia, ib, dir, maxA, maxB int) (ea, eb, matches int) {
	if maxA <= 0 || maxB <= 0 {
		return 0, 0, 0
	}
	const width = 2*xBand + 1
	const neg = -1 << 30
	var prevS, prevM, curS, curM [width]int
	for d := range width {
		prevS[d] = neg
	}
	// Row 0: only gaps in A.
	for j := 0; j <= xBand && j <= maxB; j++ {
		prevS[j+xBand] = -j
	}
	best := 0
	for i := 1; i <= maxA; i++ {
		rowBest := neg
		for d := range width {
			curS[d], curM[d] = neg, 0
		}
		for d := 0; d < width; d++ {
			j := i + d - xBand
			if j < 0 || j > maxB {
				continue
			}
			s, m := neg, 0
			if j > 0 && prevS[d] > neg {
				sc, mm := -1, 0
				if sameW(A[ia+dir*(i-1)], B[ib+dir*(j-1)]) {
					sc, mm = 1, 1
				}
				s, m = prevS[d]+sc, prevM[d]+mm
			}
			if d+1 < width && prevS[d+1] > neg && prevS[d+1]-1 > s {
				s, m = prevS[d+1]-1, prevM[d+1]
			}
			if d > 0 && curS[d-1] > neg && curS[d-1]-1 > s {
				s, m = curS[d-1]-1, curM[d-1]
			}
			curS[d], curM[d] = s, m
			if s > rowBest {
				rowBest = s
			}
			if s > best {
				best, ea, eb, matches = s, i, j, m
			}
		}
		if rowBest < best-xDrop {
			break
		}
		prevS, prevM = curS, curM
	}
	return ea, eb, matches
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
