package annotate

import (
	"cmp"
	"math"
	"slices"
)

// Grouping pairwise matches into passages around a centre.
//
// The matches are pairs of word ranges that align. Overlapping ranges of
// one document are merged into segments, and segments joined by a match
// form components (union-find): only segments of one component can belong
// to one passage. Joining whole components would chain: a stock phrase
// links every article that has it, and with them whatever else each
// article shares. So within a component passages are built one at a time
// around a centre, a stretch of one segment, taken in order of their
// rarity weight (distinctive text first), then of how many matches touch
// them. From the centre the passage grows along the matches: a segment
// reached by a match from the centre or from a member is aligned with the
// centre itself, and only the stretch that aligns (at least minWords
// words, at least the minimum similarity) joins, and only if it is
// distinctive enough when the centre is: a stretch that shares nothing
// but a stock phrase with a distinctive centre stays out. The centre's
// occurrence is the part of it that its members align with. What a
// passage takes is carved out of its segments; what is left of them can
// become other passages.

// commonness is how many times dMin a passage in docs documents must weigh
// to be distinctive: the more documents share a stretch, the more rare
// words it must hold, as a phrase becomes a formula by recurring (IDF
// applied to the passage itself). Up to storyDocs documents, the outlets
// that cover one story, once dMin.
func commonness(docs int) float64 {
	if docs <= storyDocs {
		return 1
	}
	return 1 + math.Log(float64(docs)/storyDocs)
}

// storyDocs is how many documents share a passage without its being
// common: about the outlets that cover one story.
const storyDocs = 8

// segment is a merged range of one document's words.
type segment struct {
	doc        uint32
	start, end uint32
}

// edge is a match seen from one of its segments: the range on this side,
// and the other segment and range. 20 bytes: a large corpus has millions.
type edge struct {
	lo, hi   uint32
	olo, ohi uint32
	oc       uint32 // the other segment << 1, | 1 when the match rests on common n-grams only (see tiers)
}

func newEdge(lo, hi uint32, other int32, olo, ohi uint32, common bool) edge {
	e := edge{lo: lo, hi: hi, olo: olo, ohi: ohi, oc: uint32(other) << 1}
	if common {
		e.oc |= 1
	}
	return e
}

// other is the segment at the other end of e.
func (e edge) other() int32 { return int32(e.oc >> 1) }

// common reports whether e's match rests on common n-grams only.
func (e edge) common() bool { return e.oc&1 != 0 }

// graph holds every segment's edges, those of s at es[at[s]:at[s+1]]:
// one array, where a slice for each segment took 24 bytes a segment.
type graph struct {
	at []int32
	es []edge
}

// of returns the edges of segment s.
func (g *graph) of(s int32) []edge { return g.es[g.at[s]:g.at[s+1]:g.at[s+1]] }

// n is the number of segments.
func (g *graph) n() int { return len(g.at) - 1 }

// group is a passage in word positions: occurrences (the centre first) and
// whether the centre is distinctive. Once built, a group keeps only
// distinct and done: its occurrences are done's.
type group struct {
	occ      []interval
	seg      []int32 // the segment of each occurrence
	distinct bool
	done     *collated // its passage, filled in by the collation (see collation)
}

// grouper holds what the centre clustering needs of the corpus.
type grouper struct {
	stop     func() error // asked now and then: once it returns an error, cluster returns what it has (Find returns the error)
	x        aligner
	minWords int
	dMin     uint32 // the weight, in 256ths, of a distinctive stretch
	segs     []segment
	sw       *segWords // the words of the segments
	adj      *graph
	// free holds what is left of each segment (nil: all of it); a
	// clusterer reads and writes only the segments of its component.
	free [][][2]uint32
	// long tells the segments with a free stretch of minWords or more
	// (kept with free by setFree): a grow's candidates are mostly
	// segments taken in full or nearly, and this answers for them in a
	// byte a segment, where reading the free list was a fifth of the
	// stock phrases' component, grown on one goroutine.
	long   []bool
	compOf []int32 // the component of each segment in the current tier, or -1
	// found, when set, is handed each group as it is built (from the
	// clustering goroutines): the collation starts on it while the
	// clustering goes on.
	found func(*collated)
	// tier1, when set, is handed the groups of tier 1 once they are all
	// built, before tier 2 starts (from the goroutine that calls
	// cluster): tier 2 is mostly one goroutine's work, and the others
	// may collate them meanwhile.
	tier1 func([]group)
}

// Tiers: stock phrases and wire copy recur in so many documents that their
// matches would join nearly every segment into one component, and one
// component is clustered by one goroutine. So passages are built in two
// tiers. A match is common when most of the repeated fingerprints in its
// range belong to groups of more than commonGroup (32) documents, more than
// a story's outlets share. First the components over the other matches,
// in parallel; then the components over the other matches, the common
// ones, that hold text left (stock phrases, wire copy, anything widely
// shared), in parallel too: each stock phrase or wire text is a component
// of its own.

// cluster builds the passages of all segments, in two tiers.
func (g *grouper) cluster(workers int) []group {
	g.free = make([][][2]uint32, len(g.segs))
	g.long = make([]bool, len(g.segs))
	cs := make([]*clusterer, max(1, workers))
	for i := range cs {
		cs[i] = newClusterer(g)
	}
	var out []group
	g.compOf = make([]int32, len(g.segs))
	run := func(comps [][]int32, tier2 bool) {
		for i := range g.compOf {
			g.compOf[i] = -1
		}
		for i, comp := range comps {
			for _, s := range comp {
				g.compOf[s] = int32(i)
			}
		}
		per := make([][]group, len(comps))
		parallel(len(comps), workers, func(wk, i int) {
			if g.stop != nil && g.stop() != nil {
				return
			}
			cs[wk].tier2 = tier2
			per[i] = cs[wk].component(comps[i])
		})
		for _, p := range per {
			out = append(out, p...)
		}
	}
	run(components(g.adj, func(e edge) bool { return !e.common() }, nil), false)
	if g.stop != nil && g.stop() != nil {
		return out
	}
	if g.tier1 != nil {
		g.tier1(out)
	}
	left := func(s int32) bool {
		if g.free[s] == nil {
			return true
		}
		for _, f := range g.free[s] {
			if int(f[1]-f[0]) >= g.minWords {
				return true
			}
		}
		return false
	}
	// Tier 2: the components over common matches that hold text left
	// after tier 1; segments taken whole in tier 1 still pass the matches
	// on (see grow).
	var c2 [][]int32
	for _, comp := range components(g.adj, func(e edge) bool { return e.common() }, nil) {
		if slices.ContainsFunc(comp, left) {
			c2 = append(c2, comp)
		}
	}
	run(c2, true)
	return out
}

// segments merges the overlapping ranges of each document into segments
// and returns them with the segment of each match's sides (of[2*i+side];
// nil, nil once stop returns an error).
func segments(ms []match, workers int, stop func() error) ([]segment, []int32) {
	// The sides (2*match + side) are placed by document (a counting sort),
	// then each document's few are sorted by start and merged into its
	// segments, in parallel: linear, where one sort of them all was the
	// largest single-threaded step of Find. A side is four bytes until
	// its document's turn: the matches' sides held at once were a tenth of
	// Find's heap at 100,000 hard articles.
	ndocs := 0
	for _, m := range ms {
		ndocs = max(ndocs, int(m.a)+1, int(m.b)+1)
	}
	at := make([]int, ndocs+1)
	for _, m := range ms {
		at[m.a+1]++
		at[m.b+1]++
	}
	for d := 1; d <= ndocs; d++ {
		at[d] += at[d-1]
	}
	sides := make([]int32, 2*len(ms))
	next := slices.Clone(at[:ndocs])
	for i, m := range ms {
		sides[next[m.a]] = int32(2 * i)
		next[m.a]++
		sides[next[m.b]] = int32(2*i + 1)
		next[m.b]++
	}
	next = nil
	if stop() != nil {
		return nil, nil
	}
	workers = max(1, workers)
	// Each document's sides are sorted by start, then side, as keys of
	// start<<32 | side: one comparison each, where a comparison function
	// over structs was most of the stage.
	keys, local := make([][]uint64, workers), make([][]segment, workers)
	per := make([][]segment, ndocs) // each document's segments
	of := make([]int32, 2*len(ms))  // a side's segment, first within its document
	parallel(ndocs, workers, func(wk, d int) {
		if d%64 == 0 && stop() != nil {
			return // the check after the stage returns nil
		}
		ks := keys[wk][:0]
		for _, x := range sides[at[d]:at[d+1]] {
			m := &ms[x/2]
			start := m.a0
			if x%2 != 0 {
				start = m.b0
			}
			ks = append(ks, uint64(start)<<32|uint64(uint32(x)))
		}
		slices.Sort(ks)
		ss := local[wk][:0]
		for _, k := range ks {
			x := int32(uint32(k))
			m := &ms[x/2]
			start, end := m.a0, m.a1
			if x%2 != 0 {
				start, end = m.b0, m.b1
			}
			n := len(ss)
			if n > 0 && start < ss[n-1].end {
				ss[n-1].end = max(ss[n-1].end, end)
			} else {
				ss = append(ss, segment{uint32(d), start, end})
				n++
			}
			of[x] = int32(n - 1)
		}
		per[d] = slices.Clone(ss)
		keys[wk], local[wk] = ks, ss
	})
	keys, local = nil, nil
	if stop() != nil {
		return nil, nil
	}
	// Number the segments across documents, in order.
	base := make([]int32, ndocs+1)
	for d, ss := range per {
		base[d+1] = base[d] + int32(len(ss))
	}
	segs := make([]segment, 0, base[ndocs])
	for d, ss := range per {
		segs = append(segs, ss...)
		per[d] = nil
	}
	parallel(ndocs, workers, func(_, d int) {
		for _, x := range sides[at[d]:at[d+1]] {
			of[x] += base[d]
		}
	})
	if stop() != nil {
		return nil, nil
	}
	return segs, of
}

// edges returns each segment's edges: the matches ms seen from the
// segments of their sides (of, from segments), those within one segment
// left out.
func edges(ms []match, of []int32, nsegs int) *graph {
	// Every segment's edges are a slice of one array, sized by a count
	// first: appending to each would leave a trail of outgrown slices.
	deg := make([]int32, nsegs+1)
	for i := range ms {
		if a, b := of[2*i], of[2*i+1]; a != b {
			deg[a+1]++
			deg[b+1]++
		}
	}
	for i := 1; i < len(deg); i++ {
		deg[i] += deg[i-1]
	}
	// deg[s] is where the next edge of s goes: after the edges are placed,
	// where those of s end.
	all := make([]edge, deg[nsegs])
	for i, m := range ms {
		a, b := of[2*i], of[2*i+1]
		if a == b {
			continue
		}
		all[deg[a]] = newEdge(m.a0, m.a1, b, m.b0, m.b1, m.common)
		deg[a]++
		all[deg[b]] = newEdge(m.b0, m.b1, a, m.a0, m.a1, m.common)
		deg[b]++
	}
	// Where the edges of s end is where those of s+1 begin.
	copy(deg[1:], deg[:nsegs])
	deg[0] = 0
	return &graph{at: deg, es: all}
}

// components returns the connected components of the segment graph, over
// the edges use accepts between segments include accepts (nil: all), with
// two or more segments, each sorted, in order of their first segment.
func components(adj *graph, use func(edge) bool, include func(int32) bool) [][]int32 {
	uf := newUnionFind(adj.n())
	linked := make([]bool, adj.n())
	for a := range adj.n() {
		if include != nil && !include(int32(a)) {
			continue
		}
		for _, e := range adj.of(int32(a)) {
			if use(e) && (include == nil || include(e.other())) {
				uf.union(a, int(e.other()))
				linked[a], linked[e.other()] = true, true
			}
		}
	}
	idx := map[int]int{}
	var out [][]int32
	for s := range adj.n() {
		if !linked[s] {
			continue
		}
		r := uf.find(s)
		i, ok := idx[r]
		if !ok {
			i = len(out)
			idx[r] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], int32(s))
	}
	return out
}

// words returns the codes of words [lo, hi) of segment s (positions in
// its document).
func (g *grouper) words(s int32, lo, hi uint32) []wcode {
	i := g.sw.start[s] + int(lo-g.segs[s].start)
	j := i + int(hi-lo)
	return g.sw.c[i:j:j]
}

// quoted reports whether most words [lo, hi) of segment s stand in
// quotation marks.
func (g *grouper) quoted(s int32, lo, hi uint32) bool {
	off := g.segs[s].start
	return 2*(g.sw.at(s, int(hi-off)).nQ-g.sw.at(s, int(lo-off)).nQ) >= hi-lo
}

// weight is the rarity weight, in 256ths, of words [lo, hi) of segment s:
// of the quoted ones only when most of them are quoted (a quote is its
// quoted words, not the attribution around them).
func (g *grouper) weight(s int32, lo, hi uint32) uint32 {
	off := g.segs[s].start
	a, b := g.sw.at(s, int(lo-off)), g.sw.at(s, int(hi-off))
	if 2*(b.nQ-a.nQ) >= hi-lo {
		return b.wQ - a.wQ
	}
	return b.w - a.w
}

// sharedWeight is the weight of the words [c0, c1) of the centre segment c
// (its quoted words only when quoted says so) that also occur among the
// words X of a member: what the member shares with the centre, not the
// words it has in their place.
func (c *clusterer) sharedWeight(cs int32, c0, c1 uint32, quoted bool, X []wcode) uint32 {
	g := c.g
	if c.stamp == nil {
		c.stamp = make([]uint32, wMask+1)
	}
	c.round++
	if c.round == 0 {
		clear(c.stamp)
		c.round = 1
	}
	for _, w := range X {
		c.stamp[w&wMask] = c.round
	}
	base, off := g.sw.start[cs], g.segs[cs].start
	var n uint32
	for i := c0; i < c1; i++ {
		j := base + int(i-off)
		if (!quoted || g.sw.q[j]) && c.stamp[g.sw.c[j]&wMask] == c.round {
			n += uint32(g.sw.w[j])
		}
	}
	return n
}

// piece is a free stretch of a segment, a candidate centre.
type piece struct {
	seg    int32
	lo, hi uint32
	weight uint32
	degree int
}

type pieceHeap []piece

func (h pieceHeap) Len() int { return len(h) }
func (h pieceHeap) Less(i, j int) bool {
	a, b := h[i], h[j]
	if a.weight != b.weight {
		return a.weight > b.weight
	}
	if a.degree != b.degree {
		return a.degree > b.degree
	}
	if a.seg != b.seg {
		return a.seg < b.seg
	}
	return a.lo < b.lo
}
func (h pieceHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }

// push and pop are container/heap's Push and Pop, step for step (pieces
// that tie come out in the same order), without boxing each piece in an
// interface: an allocation for every push and pop.
func (h *pieceHeap) push(p piece) {
	*h = append(*h, p)
	h.up(len(*h) - 1)
}

func (h *pieceHeap) pop() piece {
	n := len(*h) - 1
	h.Swap(0, n)
	h.down(0, n)
	old := *h
	p := old[n]
	*h = old[:n]
	return p
}

// up moves the piece at j towards the root while it sorts before its
// parent.
func (h pieceHeap) up(j int) {
	for j > 0 {
		parent := (j - 1) / 2
		if !h.Less(j, parent) {
			return
		}
		h.Swap(parent, j)
		j = parent
	}
}

// down moves the piece at i towards the leaves of h[:n] while a child
// sorts before it, swapping it with the child that sorts first (the left
// one when neither does).
func (h pieceHeap) down(i, n int) {
	for {
		child := 2*i + 1
		if child >= n {
			return
		}
		if right := child + 1; right < n && h.Less(right, child) {
			child = right
		}
		if !h.Less(child, i) {
			return
		}
		h.Swap(i, child)
		i = child
	}
}

// clusterer is one worker's scratch space for clustering components.
type clusterer struct {
	g       *grouper
	heap    pieceHeap
	tab     gramTable // the centre's n-grams: first position
	next    []int32   // next position with the same n-gram
	seeds   []seedPair
	keys    []uint64 // sortPositions's scratch
	aligned [][4]int // align's result, valid until the next align
	open    []chain  // the aligner's open chains
	// The free stretches a grow has aligned with the centre: seenLo[seg]
	// when seenAt[seg] == relRound, and in seenMore the others of
	// segments that have several (few do).
	seenAt   []uint32
	seenLo   []uint32
	seenMore map[[2]uint32]bool
	undo     undoLog  // free stretches before the passage being grown took its members
	relayed  []uint32 // segments whose matches were passed on: relayed[seg] == relRound
	relRound uint32
	docAt    []uint32 // centre's set of documents: docAt[doc] == docRound
	docRound uint32
	nRelayed int // how many segments passed their matches on in this grow
	queue    []cand
	occ      []interval // grow's occurrences
	occSeg   []int32    // and their segments
	stamp    []uint32   // sharedWeight's set of words: stamp[w] == round
	round    uint32
	tier2    bool  // matches on common n-grams may be followed
	comp     int32 // the component being clustered
}

// cand is a segment that a match leads to, and the match's range in it.
type cand struct {
	seg      int32
	olo, ohi uint32
}

// usable reports whether the clustering follows e: within the component,
// and in tier 1 only if it is not common. Callers test whether the edge's
// range overlaps theirs first: the component is a look-up far away in
// memory, and most of a hub's edges fail on the range.
func (c *clusterer) usable(e edge) bool {
	return c.g.compOf[e.other()] == c.comp && (c.tier2 || !e.common())
}

func newClusterer(g *grouper) *clusterer {
	return &clusterer{g: g, seenMore: map[[2]uint32]bool{}}
}

func (c *clusterer) degree(s int32, lo, hi uint32) int {
	n := 0
	for _, e := range c.g.adj.of(s) {
		if e.lo < hi && lo < e.hi && c.usable(e) {
			n++
		}
	}
	return n
}

func (c *clusterer) push(s int32, lo, hi uint32) {
	if int(hi-lo) < c.g.minWords {
		return
	}
	c.heap.push(piece{s, lo, hi, c.g.weight(s, lo, hi), c.degree(s, lo, hi)})
}

// isFree reports whether [lo, hi) is exactly a free stretch of s.
func (c *clusterer) isFree(s int32, lo, hi uint32) bool {
	for _, f := range c.g.free[s] {
		if f[0] == lo && f[1] == hi {
			return true
		}
	}
	return false
}

// setFree makes fs the free stretches of s.
func (g *grouper) setFree(s int32, fs [][2]uint32) {
	g.free[s] = fs
	long := false
	for _, f := range fs {
		long = long || int(f[1]-f[0]) >= g.minWords
	}
	g.long[s] = long
}

// freeAround returns the free stretch of s that overlaps [lo, hi) most.
func (c *clusterer) freeAround(s int32, lo, hi uint32) ([2]uint32, bool) {
	best, bestOv := [2]uint32{}, uint32(0)
	for _, f := range c.g.free[s] {
		if f[0] < hi && lo < f[1] {
			if ov := min(hi, f[1]) - max(lo, f[0]); ov > bestOv {
				best, bestOv = f, ov
			}
		}
	}
	return best, bestOv > 0
}

// carve takes [lo, hi) out of s's free stretches (it must lie within one)
// and queues what is left as candidate centres.
func (c *clusterer) carve(s int32, lo, hi uint32) bool {
	fs := c.g.free[s]
	for i, f := range fs {
		if f[0] <= lo && hi <= f[1] {
			if !c.undo.has(s) {
				// The first change since the passage began: keep the old
				// list for undoing, and change a copy of it from now on.
				c.undo.add(s, fs)
				// Room for the split below: one stretch in two.
				fs = append(make([][2]uint32, 0, len(fs)+1), fs...)
			}
			fs = slices.Delete(fs, i, i+1)
			if f[0] < lo {
				fs = append(fs, [2]uint32{f[0], lo})
				c.push(s, f[0], lo)
			}
			if hi < f[1] {
				fs = append(fs, [2]uint32{hi, f[1]})
				c.push(s, hi, f[1])
			}
			c.g.setFree(s, fs)
			return true
		}
	}
	return false
}

// component builds the passages of one component.
func (c *clusterer) component(segs []int32) []group {
	g := c.g
	c.heap = c.heap[:0]
	c.comp = g.compOf[segs[0]]
	for _, s := range segs {
		if g.free[s] == nil {
			sg := g.segs[s]
			g.setFree(s, [][2]uint32{{sg.start, sg.end}})
		}
	}
	for _, s := range segs {
		for _, f := range g.free[s] {
			c.push(s, f[0], f[1])
		}
	}
	var out []group
	for c.heap.Len() > 0 {
		p := c.heap.pop()
		if !c.isFree(p.seg, p.lo, p.hi) {
			continue // carved since it was queued
		}
		if gr, ok := c.centre(p); ok {
			// gr's occurrences are the grow's scratch space: the
			// collation gets a copy of its size.
			done := &collated{occ: slices.Clone(gr.occ)}
			if c.g.found != nil {
				c.g.found(done)
			}
			c.dropTails(gr)
			out = append(out, group{distinct: gr.distinct, done: done})
		}
	}
	return out
}

// dropTails carves away the short stretches that two occurrences of a
// passage share right before or after it, beyond what they share with its
// centre: two articles that print a quote with the same attribution
// ("…," said NAME, a spokesperson for the ORG) share the attribution too,
// but it is not a passage of its own. Stretches longer than twice the
// shortest passage are left to become passages, and so are stretches that
// other segments share too (text that follows the passage in some articles
// and stands alone in others).
func (c *clusterer) dropTails(gr group) {
	maxTail := uint32(2 * c.g.minWords)
	at := make(map[int32]int, len(gr.seg)) // segment -> occurrence
	for i, s := range gr.seg {
		at[s] = i
	}
	private := func(s int32, lo, hi uint32) bool {
		for _, e := range c.g.adj.of(s) {
			if _, ok := at[e.other()]; !ok && e.lo < hi && lo < e.hi { // any tier: others share it
				return false
			}
		}
		return true
	}
	for i, s := range gr.seg {
		o := gr.occ[i]
		for _, e := range c.g.adj.of(s) {
			j, ok := at[e.other()]
			if !ok || !c.usable(e) {
				continue
			}
			o2 := gr.occ[j]
			// After both occurrences.
			if e.lo <= o.end && o.end < e.hi && e.olo <= o2.end && o2.end < e.ohi &&
				e.hi-o.end <= maxTail && e.ohi-o2.end <= maxTail &&
				private(s, o.end, e.hi) && private(e.other(), o2.end, e.ohi) {
				c.dropFree(s, o.end, e.hi)
				c.dropFree(e.other(), o2.end, e.ohi)
			}
			// Before both.
			if e.lo < o.start && o.start <= e.hi && e.olo < o2.start && o2.start <= e.ohi &&
				o.start-e.lo <= maxTail && o2.start-e.olo <= maxTail &&
				private(s, e.lo, o.start) && private(e.other(), e.olo, o2.start) {
				c.dropFree(s, e.lo, o.start)
				c.dropFree(e.other(), e.olo, o2.start)
			}
		}
	}
}

// dropFree carves what is free of [lo, hi) in s.
func (c *clusterer) dropFree(s int32, lo, hi uint32) {
	for _, f := range slices.Clone(c.g.free[s]) {
		if a, b := max(lo, f[0]), min(hi, f[1]); a < b {
			c.carve(s, a, b)
		}
	}
}

// centre grows a passage around the free stretch p. When another member
// has a better claim to be the centre (see betterCentre), the passage is
// grown again around it.
func (c *clusterer) centre(p piece) (group, bool) {
	c.undo.reset(len(c.g.segs))
	gr, hull := c.grow(p)
	if len(gr.occ) == 0 {
		return group{}, false
	}
	if b := c.betterCentre(gr.occ, gr.seg); b > 0 {
		m := gr.occ[b]
		seg := c.segOf(m)
		var np piece
		for _, f := range c.undo.get(seg) {
			if f[0] <= m.start && m.end <= f[1] {
				np = piece{seg: seg, lo: f[0], hi: f[1]}
			}
		}
		if np.hi > np.lo {
			c.undo.restore(c.g)
			np.weight = c.g.weight(np.seg, np.lo, np.hi)
			if gr2, hull2 := c.grow(np); len(gr2.occ) > 0 {
				gr, hull, p = gr2, hull2, np
			} else {
				c.undo.restore(c.g)
				gr, hull = c.grow(p)
			}
		}
	}
	c.carve(p.seg, hull[0], hull[1])
	gr.occ[0] = interval{c.g.segs[p.seg].doc, hull[0], hull[1]}
	gr.seg[0] = p.seg
	gr.distinct = float64(c.g.weight(p.seg, hull[0], hull[1])) >= float64(c.g.dMin)*commonness(c.countDocs(gr.occ))
	return gr, true
}

// reset empties a scratch map. Clearing a map costs as much as the most
// it ever held, so one that held a stock phrase's thousands of members is
// replaced rather than cleared for every small passage after it.
func reset[K comparable, V any](m map[K]V) map[K]V {
	if len(m) > 1024 {
		return map[K]V{}
	}
	clear(m)
	return m
}

// segOf returns the segment that holds an interval.
func (c *clusterer) segOf(iv interval) int32 {
	segs := c.g.segs
	i, _ := slices.BinarySearchFunc(segs, iv, func(s segment, iv interval) int {
		if c := cmp.Compare(s.doc, iv.doc); c != 0 {
			return c
		}
		if s.end <= iv.start {
			return -1
		}
		if s.start > iv.start {
			return 1
		}
		return 0
	})
	return int32(i)
}

// betterCentre returns the index of the member of occ (the centre first;
// segs holds the segment of each) with the best claim to be the centre, or 0 for the centre itself: by the
// rules that choose the canonical wording (see the package comment), a
// wording without editorial marks, then the most attested, then the
// fullest.
func (c *clusterer) betterCentre(occ []interval, segs []int32) int {
	type claim struct {
		edited   bool
		attested int
		words    int
	}
	keys := make([]uint64, len(occ))
	count := make(map[uint64]int, len(occ))
	edited := make([]bool, len(occ))
	for i, iv := range occ {
		h := uint64(14695981039346656037)
		for _, w := range c.g.words(segs[i], iv.start, iv.end) {
			if w&wGap != 0 || w&wMask == wWild {
				edited[i] = true
			}
			h = (h ^ uint64(w&wMask)) * 1099511628211
		}
		keys[i] = h
		count[h]++
	}
	better := func(i, j int) bool { // i has a better claim than j
		if edited[i] != edited[j] {
			return !edited[i]
		}
		if count[keys[i]] != count[keys[j]] {
			return count[keys[i]] > count[keys[j]]
		}
		return occ[i].end-occ[i].start > occ[j].end-occ[j].start
	}
	best := 0
	for i := 1; i < len(occ); i++ {
		if better(i, best) {
			best = i
		}
	}
	return best
}

// grow gathers the members of a passage around the free stretch p,
// carving them out of their segments (c.undo records what they were). It
// returns the occurrences (a placeholder for the centre first) and the
// stretch of the centre that the members align with.
func (c *clusterer) grow(p piece) (group, [2]uint32) {
	g := c.g
	doc := g.segs[p.seg].doc
	C := g.words(p.seg, p.lo, p.hi)
	c.index(C)
	distinct := p.weight >= g.dMin
	quoted := g.quoted(p.seg, p.lo, p.hi)
	queue := c.queue[:0]
	defer func() { c.queue = queue[:0] }()
	for _, e := range g.adj.of(p.seg) {
		if e.lo < p.hi && p.lo < e.hi && c.usable(e) {
			queue = append(queue, cand{e.other(), e.olo, e.ohi})
		}
	}
	// A round number marks the segments that passed their matches on
	// and those aligned with the centre: a map cleared for every grow
	// cost a twentieth of grouping.
	if c.relayed == nil {
		c.relayed = make([]uint32, len(g.segs))
		c.seenAt, c.seenLo = make([]uint32, len(g.segs)), make([]uint32, len(g.segs))
	}
	c.relRound++
	if c.relRound == 0 {
		clear(c.relayed)
		clear(c.seenAt)
		c.relRound = 1
	}
	if len(c.seenMore) > 0 {
		c.seenMore = reset(c.seenMore)
	}
	c.nRelayed = 0
	// The occurrences and their segments are gathered in scratch space
	// (the result is valid until the next grow): a stock phrase's
	// thousands would leave a trail of outgrown slices.
	occ := append(c.occ[:0], interval{doc, p.lo, p.hi})
	segs := append(c.occSeg[:0], p.seg)
	defer func() { c.occ, c.occSeg = occ[:0], segs[:0] }()
	h0, h1 := p.hi, p.lo // the centre's stretch that members align with
	for next := 0; next < len(queue); next++ {
		q := queue[next]
		if q.seg == p.seg {
			continue
		}
		var f [2]uint32
		ok := g.long[q.seg] // else no free stretch is long enough
		if ok {
			f, ok = c.freeAround(q.seg, q.olo, q.ohi)
		}
		if !ok || int(f[1]-f[0]) < g.minWords {
			// Nothing left here to take, but the matches of a stretch
			// that another passage took still lead to text like it: the
			// segment passes them on (once), and what they lead to is
			// aligned with the centre as always. A passage may pass on
			// through a few such segments more than twice its members,
			// so that a centre that gathers nothing costs little.
			if c.relayed[q.seg] != c.relRound && c.nRelayed < 8+2*len(occ) {
				c.relayed[q.seg] = c.relRound
				c.nRelayed++
				// At most as many of its matches as the passage could
				// still use: a stock phrase's hub has tens of thousands.
				budget := 64 + 2*len(occ)
				for _, e := range g.adj.of(q.seg) {
					if e.lo < q.ohi && q.olo < e.hi && c.usable(e) {
						queue = append(queue, cand{e.other(), e.olo, e.ohi})
						if budget--; budget == 0 {
							break
						}
					}
				}
			}
			continue
		}
		if c.seenAt[q.seg] != c.relRound {
			c.seenAt[q.seg], c.seenLo[q.seg] = c.relRound, f[0]
		} else if key := [2]uint32{uint32(q.seg), f[0]}; c.seenLo[q.seg] == f[0] || c.seenMore[key] {
			continue
		} else {
			c.seenMore[key] = true
		}
		xdoc := g.segs[q.seg].doc
		X := g.words(q.seg, f[0], f[1])
		for _, m := range c.align(C, X) {
			x0, x1 := f[0]+uint32(m[2]), f[0]+uint32(m[3])
			if distinct && c.sharedWeight(p.seg, p.lo+uint32(m[0]), p.lo+uint32(m[1]), quoted, X[m[2]:m[3]]) < g.dMin {
				continue // shares only common words (or an attribution) with a distinctive centre
			}
			if !c.carve(q.seg, x0, x1) {
				continue
			}
			occ = append(occ, interval{xdoc, x0, x1})
			segs = append(segs, q.seg)
			h0, h1 = min(h0, p.lo+uint32(m[0])), max(h1, p.lo+uint32(m[1]))
			for _, e := range g.adj.of(q.seg) {
				if e.lo < x1 && x0 < e.hi && c.usable(e) {
					queue = append(queue, cand{e.other(), e.olo, e.ohi})
				}
			}
		}
	}
	if len(occ) == 1 {
		return group{}, [2]uint32{}
	}
	occ[0] = interval{doc, h0, h1}
	return group{occ: occ, seg: segs}, [2]uint32{h0, h1}
}

// index fills the n-gram table of the centre C.
func (c *clusterer) index(C []wcode) {
	c.tab.reset(len(C))
	k := c.g.x.k
	c.next = slices.Grow(c.next[:0], len(C))[:len(C)]
	for i := len(C) - k; i >= 0; i-- {
		c.next[i] = -1
		h, ok := ngram(C, i, k)
		if !ok {
			continue
		}
		c.next[i] = c.tab.put(h, int32(i))
	}
}

// maxSeedsPerGram bounds how many places of the centre one n-gram of a
// candidate seeds (text that repeats inside the centre).
const maxSeedsPerGram = 8

// align aligns the centre C (indexed) with X and returns the matches:
// word ranges [c0, c1) of C and [x0, x1) of X, valid until the next
// align.
func (c *clusterer) align(C, X []wcode) [][4]int {
	k := c.g.x.k
	c.seeds = c.seeds[:0]
	for j := 0; j+k <= len(X); j++ {
		h, ok := ngram(X, j, k)
		if !ok {
			continue
		}
		i, ok := c.tab.get(h)
		for n := 0; ok && i >= 0 && n < maxSeedsPerGram; n++ {
			c.seeds = append(c.seeds, seedPair{p: uint64(i)<<32 | uint64(j)})
			i = c.next[i]
		}
	}
	if len(c.seeds) == 0 {
		return nil
	}
	c.keys = sortPositions(c.seeds, c.keys)
	out := c.aligned[:0]
	c.open = c.g.x.pair(C, X, false, c.seeds, c.open, func(a0, a1, b0, b1 int) {
		out = append(out, [4]int{a0, a1, b0, b1})
	})
	c.aligned = out
	return out
}

// gramTable maps the n-grams of a centre to a position: an open-addressing
// table, as a centre has a few hundred n-grams at most and is looked up
// with every n-gram of every candidate (a map look-up was most of the
// alignment's time in a grow).
type gramTable struct {
	keys  []uint64
	vals  []int32 // -1: an empty slot
	shift uint
}

// reset empties the table and sizes it for n n-grams.
func (t *gramTable) reset(n int) {
	size, bits := 16, uint(4)
	for size < 2*n {
		size, bits = 2*size, bits+1
	}
	if cap(t.keys) < size {
		t.keys, t.vals = make([]uint64, size), make([]int32, size)
	}
	t.keys, t.vals = t.keys[:size], t.vals[:size]
	for i := range t.vals {
		t.vals[i] = -1
	}
	t.shift = 64 - bits
}

// get returns the position of n-gram h.
func (t *gramTable) get(h uint64) (int32, bool) {
	mask := len(t.keys) - 1
	for i := int((h * 0x9E3779B97F4A7C15) >> t.shift); ; i = (i + 1) & mask {
		switch v := t.vals[i]; {
		case v < 0:
			return 0, false
		case t.keys[i] == h:
			return v, true
		}
	}
}

// put sets the position of n-gram h to v and returns its position before,
// or -1.
func (t *gramTable) put(h uint64, v int32) int32 {
	mask := len(t.keys) - 1
	for i := int((h * 0x9E3779B97F4A7C15) >> t.shift); ; i = (i + 1) & mask {
		switch old := t.vals[i]; {
		case old < 0:
			t.keys[i], t.vals[i] = h, v
			return -1
		case t.keys[i] == h:
			t.vals[i] = v
			return old
		}
	}
}

// countDocs returns the number of documents that occ is in.
func (c *clusterer) countDocs(occ []interval) int {
	if c.docAt == nil {
		n := 0
		if len(c.g.segs) > 0 {
			n = int(c.g.segs[len(c.g.segs)-1].doc) + 1
		}
		c.docAt = make([]uint32, n)
	}
	c.docRound++
	if c.docRound == 0 {
		clear(c.docAt)
		c.docRound = 1
	}
	n := 0
	for _, iv := range occ {
		if c.docAt[iv.doc] != c.docRound {
			c.docAt[iv.doc] = c.docRound
			n++
		}
	}
	return n
}

// undoLog keeps the free stretches of the segments that a passage being
// grown changed, as they were before (c.undo): a set of round-stamped
// segments and a list, where a map, cleared for every centre, cost a
// tenth of grouping.
type undoLog struct {
	at    []uint32 // at[s] == round: s is in the log, at idx[s]
	idx   []int32
	round uint32
	old   []undoEntry
}

type undoEntry struct {
	seg int32
	fs  [][2]uint32
}

// reset empties the log (of a corpus of n segments).
func (u *undoLog) reset(n int) {
	if u.at == nil {
		u.at, u.idx = make([]uint32, n), make([]int32, n)
	}
	u.round++
	if u.round == 0 {
		clear(u.at)
		u.round = 1
	}
	clear(u.old) // let the old lists go
	u.old = u.old[:0]
}

func (u *undoLog) has(s int32) bool { return u.at[s] == u.round }

// add records fs as what s held before.
func (u *undoLog) add(s int32, fs [][2]uint32) {
	u.at[s], u.idx[s] = u.round, int32(len(u.old))
	u.old = append(u.old, undoEntry{s, fs})
}

// get returns what s held before, or nil when it did not change.
func (u *undoLog) get(s int32) [][2]uint32 {
	if !u.has(s) {
		return nil
	}
	return u.old[u.idx[s]].fs
}

// restore gives the changed segments back what they held and empties the
// log.
func (u *undoLog) restore(g *grouper) {
	for _, e := range u.old {
		g.setFree(e.seg, e.fs)
	}
	u.round++
	if u.round == 0 {
		clear(u.at)
		u.round = 1
	}
	clear(u.old)
	u.old = u.old[:0]
}
