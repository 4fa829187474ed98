package annotate

import (
	"cmp"
	"slices"
)

// match is one aligned pair of word ranges: words [a0, a1) of document a
// and [b0, b1) of document b.
type match struct {
	a, b           uint32
	a0, a1, b0, b1 uint32
}

type chain struct {
	a0, b0, la, lb int // first seed, last seed
	covered        int // words of a covered by seeds
}

// aligner extends chains of seeds between two documents into matches.
type aligner struct {
	k, minWords, maxGap int
}

// hasGap reports whether an ellipsis lies among c[from..to].
func hasGap(c []uint32, from, to int) bool {
	for i := max(from, 0); i <= to && i < len(c); i++ {
		if c[i]&gapBit != 0 {
			return true
		}
	}
	return false
}

// pair aligns documents A and B (the same slice when same is true, then
// every seed has pa < pb) from their common fingerprints, and emits the
// matches found, in the order of A.
func (x *aligner) pair(A, B []uint32, same bool, seeds []seedPair, emit func(a0, a1, b0, b1 int)) {
	k := x.k
	slices.SortFunc(seeds, func(s, t seedPair) int { return cmp.Compare(s.p, t.p) })
	var open []chain
	flush := func(c chain) { x.finish(A, B, same, c, emit) }
	for _, s := range seeds {
		pa, pb := int(s.p>>32), int(s.p&0xFFFFFFFF)
		if same && pa+k > pb {
			continue // overlaps itself
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
}

// finish extends a chain at both ends and emits it if it is long enough.
func (x *aligner) finish(A, B []uint32, same bool, c chain, emit func(a0, a1, b0, b1 int)) {
	a0, b0, a1, b1 := c.a0, c.b0, c.la+x.k, c.lb+x.k
	maxA := len(A) - a1
	if same {
		maxA = b0 - a1
	}
	ea, eb, mr := extend(A, B, a1, b1, 1, maxA, len(B)-b1)
	a1 += ea
	b1 += eb
	maxB := b0
	if same {
		maxB = b0 - a1
	}
	ea, eb, ml := extend(A, B, a0-1, b0-1, -1, a0, maxB)
	a0 -= ea
	b0 -= eb
	matched := c.covered + mr + ml
	la, lb := a1-a0, b1-b0
	if la < x.minWords || lb < x.minWords || matched < x.minWords || 2*matched < max(la, lb) {
		return
	}
	emit(a0, a1, b0, b1)
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
func extend(A, B []uint32, ia, ib, dir, maxA, maxB int) (ea, eb, matches int) {
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
				if same(A[ia+dir*(i-1)], B[ib+dir*(j-1)]) {
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
