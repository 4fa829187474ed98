package annotate

import (
	"cmp"
	"container/heap"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSortSeeds: sortSeeds orders seed pairs as a comparison sort by (ab,
// p) does, with keys packed in 64 bits and when the numbers are too wide
// for that.
func TestSortSeeds(t *testing.T) {
	for _, tc := range []struct {
		name          string
		n             int
		docs, maxWord uint64
	}{
		{"empty", 0, 10, 100},
		{"one", 1, 10, 100},
		{"small", 50, 5, 30},
		{"bucket", 20000, 80, 2000},
		{"ties", 5000, 2, 4}, // many equal (ab, p): equal values
		{"wide", 3000, 1 << 31, 1 << 31},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(tc.n)))
			sp := make([]seedPair, tc.n)
			base := r.Uint64N(1 << 20)
			for i := range sp {
				a, b := base+r.Uint64N(tc.docs), r.Uint64N(tc.docs)
				sp[i] = seedPair{a<<32 | b, r.Uint64N(tc.maxWord)<<32 | r.Uint64N(tc.maxWord)}
			}
			want := slices.Clone(sp)
			slices.SortFunc(want, func(s, t seedPair) int {
				if c := cmp.Compare(s.ab, t.ab); c != 0 {
					return c
				}
				return cmp.Compare(s.p, t.p)
			})
			sortSeeds(sp, nil)
			if !slices.Equal(sp, want) {
				t.Errorf("sortSeeds differs from a comparison sort")
			}
			pos := slices.Clone(sp)
			r.Shuffle(len(pos), func(i, j int) { pos[i], pos[j] = pos[j], pos[i] })
			for i := range pos {
				pos[i].ab = 7
			}
			sortPositions(pos, nil)
			if !slices.IsSortedFunc(pos, func(s, t seedPair) int { return cmp.Compare(s.p, t.p) }) || len(pos) > 0 && pos[0].ab != 7 {
				t.Errorf("sortPositions: not sorted by p, or ab changed")
			}
		})
	}
}

// TestSortPostings: sortPostings orders a bucket's postings (one top byte
// of the hash) by hash, then location, as a comparison sort does.
func TestSortPostings(t *testing.T) {
	for _, n := range []int{0, 1, 100, 1023, 1024, 5000, 40000} {
		r := rand.New(rand.NewPCG(2, uint64(n)))
		m := make([]posting, n)
		for i := range m {
			// Few distinct hashes, so that groups of equal hashes are
			// ordered by location.
			h := 0xAB<<56 | r.Uint64N(uint64(n)/3+1)*0x9E3779B97F4A7C15>>8
			m[i] = posting{h, r.Uint64N(1000)<<32 | uint64(i)}
		}
		want := slices.Clone(m)
		slices.SortFunc(want, comparePostings)
		sortPostings(m)
		if !slices.Equal(m, want) {
			t.Errorf("%d postings: sortPostings differs from a comparison sort", n)
		}
	}
}

// TestWinnowSliding: winnow picks, in every window, the rightmost smallest
// hash, as a scan of each whole window does.
func TestWinnowSliding(t *testing.T) {
	naive := func(c []wcode, k, w int) []uint32 {
		n := len(c) - k + 1
		var pos []uint32
		if n <= 0 {
			return nil
		}
		hs, ok := make([]uint64, n), make([]bool, n)
		for p := range n {
			hs[p], ok[p] = ngram(c, p, k)
		}
		last := -1
		for r0 := 0; r0 < n; {
			if !ok[r0] {
				r0++
				continue
			}
			r1 := r0
			for r1 < n && ok[r1] {
				r1++
			}
			win := min(w, r1-r0)
			for s := r0; s+win <= r1; s++ {
				m := s
				for q := s + 1; q < s+win; q++ {
					if hs[q] <= hs[m] {
						m = q
					}
				}
				if m != last {
					pos = append(pos, uint32(m))
					last = m
				}
			}
			r0 = r1
		}
		return pos
	}
	for _, tc := range []struct {
		name  string
		words int
		vocab uint32
		wild  bool
	}{
		{"short", 6, 50, false},
		{"text", 3000, 2000, false},
		{"repetitive", 3000, 3, false}, // equal hashes in one window
		{"wildcards", 3000, 40, true},
	} {
		r := rand.New(rand.NewPCG(3, uint64(tc.words)))
		c := make([]wcode, tc.words)
		for i := range c {
			c[i] = wcode(r.Uint32N(tc.vocab) + 1)
			if tc.wild && r.IntN(20) == 0 {
				c[i] = wWild
			}
		}
		k, w := ngramParams(defaults().minWords)
		got, _, _ := winnow(c, k, w, nil, nil, nil)
		if want := naive(c, k, w); !slices.Equal(got, want) {
			t.Errorf("%s: winnow gives %d positions, a scan of each window %d (or others)", tc.name, len(got), len(want))
		}
	}
}

// boxedHeap is pieceHeap through container/heap, to compare with.
type boxedHeap struct{ pieceHeap }

func (h *boxedHeap) Push(x any) { h.pieceHeap = append(h.pieceHeap, x.(piece)) }
func (h *boxedHeap) Pop() any {
	n := len(h.pieceHeap) - 1
	p := h.pieceHeap[n]
	h.pieceHeap = h.pieceHeap[:n]
	return p
}

// TestPieceHeap: push and pop give pieces in container/heap's order,
// pieces that tie included.
func TestPieceHeap(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	var mine pieceHeap
	var boxed boxedHeap
	for step := range 20000 {
		if r.IntN(3) > 0 || len(mine) == 0 {
			// Few distinct values: many ties, pieces that differ only in hi.
			p := piece{seg: int32(r.IntN(4)), lo: uint32(r.IntN(3)), hi: uint32(r.IntN(100)), weight: uint32(r.IntN(3)), degree: r.IntN(2)}
			mine.push(p)
			heap.Push(&boxed, p)
			continue
		}
		if a, b := mine.pop(), heap.Pop(&boxed).(piece); a != b {
			t.Fatalf("step %d: pop gives %+v, container/heap %+v", step, a, b)
		}
	}
}
