package annotate

import (
	"cmp"
	"math/bits"
	"slices"
)

// Sorts of Find's largest arrays. slices.SortFunc with a comparison
// closure over 16-byte values was a seventh of Find's CPU; these sort the
// same values into the same order (every one of them is told apart by
// its key, or equal keys are equal values), by keys that the processor
// compares in one instruction.

// sortSeeds sorts seed pairs by (ab, p): by pair of documents, then by
// positions. When the four numbers of the bucket's pairs fit in 64 bits
// together (they do unless documents are millions of words long), each
// pair is packed into one key and the keys are sorted. keys is scratch
// space, returned for the next call.
func sortSeeds(sp []seedPair, keys []uint64) []uint64 {
	if len(sp) < 2 {
		return keys
	}
	amin, amax := uint64(math32), uint64(0)
	var bmax, pamax, pbmax uint64
	for _, s := range sp {
		a, b := s.ab>>32, s.ab&0xFFFFFFFF
		pa, pb := s.p>>32, s.p&0xFFFFFFFF
		amin, amax = min(amin, a), max(amax, a)
		bmax, pamax, pbmax = max(bmax, b), max(pamax, pa), max(pbmax, pb)
	}
	wa, wb, wpa, wpb := bits.Len64(amax-amin), bits.Len64(bmax), bits.Len64(pamax), bits.Len64(pbmax)
	if wa+wb+wpa+wpb > 64 {
		slices.SortFunc(sp, func(s, t seedPair) int {
			if c := cmp.Compare(s.ab, t.ab); c != 0 {
				return c
			}
			return cmp.Compare(s.p, t.p)
		})
		return keys
	}
	sb, spa := uint(wpa+wpb), uint(wpb)
	sa := sb + uint(wb)
	keys = slices.Grow(keys[:0], len(sp))[:len(sp)]
	for i, s := range sp {
		keys[i] = (s.ab>>32-amin)<<sa | (s.ab&0xFFFFFFFF)<<sb | (s.p>>32)<<spa | s.p&0xFFFFFFFF
	}
	slices.Sort(keys)
	ma, mb, mpa, mpb := uint64(1)<<wa-1, uint64(1)<<wb-1, uint64(1)<<wpa-1, uint64(1)<<wpb-1
	for i, k := range keys {
		sp[i] = seedPair{
			ab: (k>>sa&ma+amin)<<32 | k>>sb&mb,
			p:  (k>>spa&mpa)<<32 | k&mpb,
		}
	}
	return keys
}

const math32 = 1<<32 - 1

// sortPositions sorts seed pairs of one pair of documents by p (their ab
// are all the same).
func sortPositions(sp []seedPair, keys []uint64) []uint64 {
	keys = slices.Grow(keys[:0], len(sp))[:len(sp)]
	for i, s := range sp {
		keys[i] = s.p
	}
	slices.Sort(keys)
	for i, k := range keys {
		sp[i].p = k
	}
	return keys
}

// sortPostings sorts the postings of one bucket (whose hashes share their
// top byte) by hash, then location: they are spread by the hash's next
// byte first, and each of those 256 groups, a few postings for a bucket
// of thousands, sorted on its own. Postings are unique, so the order is
// the one a comparison sort gives.
func sortPostings(m []posting) {
	if len(m) < 1024 {
		slices.SortFunc(m, comparePostings)
		return
	}
	var at [257]int
	for _, p := range m {
		at[p.h>>48&0xFF+1]++
	}
	for i := 1; i < len(at); i++ {
		at[i] += at[i-1]
	}
	tmp := make([]posting, len(m))
	next := at
	for _, p := range m {
		d := p.h >> 48 & 0xFF
		tmp[next[d]] = p
		next[d]++
	}
	copy(m, tmp)
	for d := range 256 {
		g := m[at[d]:at[d+1]]
		if len(g) <= 12 {
			insertionSortPostings(g)
		} else {
			slices.SortFunc(g, comparePostings)
		}
	}
}

func comparePostings(x, y posting) int {
	if c := cmp.Compare(x.h, y.h); c != 0 {
		return c
	}
	return cmp.Compare(x.loc, y.loc)
}

func insertionSortPostings(g []posting) {
	for i := 1; i < len(g); i++ {
		p := g[i]
		j := i
		for ; j > 0 && (g[j-1].h > p.h || g[j-1].h == p.h && g[j-1].loc > p.loc); j-- {
			g[j] = g[j-1]
		}
		g[j] = p
	}
}
