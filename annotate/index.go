package annotate

import (
	"math"
	"math/bits"
	"slices"
	"sync"
	"sync/atomic"
)

// posting is one fingerprint: an n-gram hash and where it starts.
type posting struct {
	h   uint64
	loc uint64 // doc<<32 | word position
}

// seedPair says that the n-grams at word pa of doc a and word pb of doc b
// have the same hash. (a, pa) < (b, pb).
type seedPair struct {
	ab uint64 // a<<32 | b
	p  uint64 // pa<<32 | pb
}

// positions returns the two word positions of a seed.
func (s seedPair) positions() (pa, pb int) { return int(s.p >> 32), int(s.p & 0xFFFFFFFF) }

// commonGroup is the size of a group of equal fingerprints above which its
// n-gram is common: more documents than a story's outlets share it.
const commonGroup = 4 * storyDocs

// fpBits marks, for each document, the word positions where a repeated
// fingerprint starts (all) and those whose n-gram is common, so that a
// match can tell whether it rests on common text (see "Tiers").
type fpBits struct{ all, common [][]uint64 }

// count returns the number of bits set in [lo, hi) of b.
func countBits(b []uint64, lo, hi int) int {
	n := 0
	for i := lo; i < hi && i/64 < len(b); {
		if i%64 == 0 && i+64 <= hi {
			n += bits.OnesCount64(b[i/64])
			i += 64
			continue
		}
		if b[i/64]&(1<<(i%64)) != 0 {
			n++
		}
		i++
	}
	return n
}

// common reports whether most repeated fingerprints in words [lo, hi) of
// document d are common.
func (f *fpBits) commonIn(d uint32, lo, hi int) bool {
	c := countBits(f.common[d], lo, hi)
	return c > 0 && 2*c > countBits(f.all[d], lo, hi)
}

// ngramParams picks the n-gram length k and winnowing window w so that any
// match of minWords words leaves at least one common fingerprint
// (k + w - 1 == minWords, Schleimer et al.'s guarantee threshold).
func ngramParams(minWords int) (k, w int) {
	k = min(5, minWords)
	return k, minWords - k + 1
}

// ngram hashes the k words at p. A wildcard anywhere, or an ellipsis
// inside, makes the n-gram unusable: it would not match the source.
func ngram(c []wcode, p, k int) (uint64, bool) {
	h := uint64(0x9E3779B97F4A7C15)
	for i := 0; i < k; i++ {
		x := c[p+i]
		if i > 0 && x&wGap != 0 {
			return 0, false
		}
		x &= wMask
		if x == wWild {
			return 0, false
		}
		h = (h ^ uint64(x)) * 0xff51afd7ed558ccd
		h ^= h >> 29
	}
	h ^= h >> 32
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 29
	return h, true
}

// winnow returns the positions of the fingerprints of one document: in
// every window of w consecutive usable n-grams the rightmost smallest hash.
// A run of usable n-grams shorter than w still gives its smallest.
func winnow(c []wcode, k, w int, pos []uint32, hs []uint64, ok []bool) ([]uint32, []uint64, []bool) {
	n := len(c) - k + 1
	if n <= 0 {
		return pos, hs, ok
	}
	hs = slices.Grow(hs[:0], n)[:n]
	ok = slices.Grow(ok[:0], n)[:n]
	for p := 0; p < n; p++ {
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
		m := -1
		for s := r0; s+win <= r1; s++ {
			if m >= s {
				// The window slid by one: only its new n-gram can
				// take the minimum's place.
				if q := s + win - 1; hs[q] <= hs[m] {
					m = q
				}
			} else {
				m = s
				for q := s + 1; q < s+win; q++ {
					if hs[q] <= hs[m] {
						m = q
					}
				}
			}
			if m != last {
				pos = append(pos, uint32(m))
				last = m
			}
		}
		r0 = r1
	}
	return pos, hs, ok
}

// sketch remembers, for each hash, whether it was seen once and whether
// twice: a blocked Bloom filter whose two probe bits lie in one 64-bit
// "once" word, next to its "twice" word, so that each look-up touches one
// cache line. It lets fingerprints seen only once be dropped before the
// exact index is built, and is safe for concurrent use. A false "twice"
// only costs a little memory.
type sketch struct {
	words []uint64 // once, twice, once, twice, ...
	n     uint64   // number of word pairs
	sink  atomic.Uint64
}

func newSketch(items int) *sketch {
	n := uint64(1 << 14)
	for n*64 < uint64(8*items) && n < 1<<28 {
		n <<= 1
	}
	return &sketch{words: make([]uint64, 2*n), n: n}
}

func (s *sketch) probe(h uint64) (int, uint64) {
	i := int(h&(s.n-1)) * 2
	return i, 1<<(h>>52&63) | 1<<(h>>58&63)
}

// addAll adds the hashes of one document. Each add misses the cache, and
// an atomic read-modify-write waits for its miss before the next can
// start; so the words are first read with plain (atomic) loads, which the
// processor overlaps, and the adds then find them in the cache.
func (s *sketch) addAll(hs []uint64) {
	var touch uint64
	for _, h := range hs {
		i, _ := s.probe(h)
		touch |= atomic.LoadUint64(&s.words[i])
	}
	s.sink.Store(touch)
	for _, h := range hs {
		i, m := s.probe(h)
		if old := atomic.OrUint64(&s.words[i], m); old&m == m {
			atomic.OrUint64(&s.words[i+1], m)
		}
	}
}

// seenTwice sets twice[i] to whether hs[i] was seen twice. The loads are
// independent of each other, so their cache misses overlap.
func (s *sketch) seenTwice(hs []uint64, twice []bool) []bool {
	twice = slices.Grow(twice[:0], len(hs))[:len(hs)]
	for j, h := range hs {
		i, m := s.probe(h)
		twice[j] = s.words[i+1]&m == m
	}
	return twice
}

// parallel runs f(i) for i in [0, n) on up to workers goroutines.
func parallel(n, workers int, f func(worker, i int)) {
	workers = max(1, min(workers, n))
	if workers == 1 {
		for i := 0; i < n; i++ {
			f(0, i)
		}
		return
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := 0
	// Batches of 16 items make the lock cheap when there are many; few
	// items (the 128 buckets of the align stage) are handed out one by
	// one, or the last batches leave a worker idle for seconds.
	batch := max(1, min(16, n/(64*workers)))
	for wk := 0; wk < workers; wk++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next += batch
				mu.Unlock()
				if i >= n {
					return
				}
				for j := i; j < min(i+batch, n); j++ {
					f(wk, j)
				}
			}
		}()
	}
	wg.Wait()
}

// buildIndex returns the fingerprints that occur at least twice, more
// often than chance explains (see chanceModel), sorted by hash, then
// document, then position, in buckets by the hash's top byte (in order: a
// bucket's hashes are all below the next one's).
//
// stop is asked now and then; once it returns an error buildIndex returns
// at once with nothing, and the caller returns that error.
func buildIndex(codes [][]wcode, k, w, workers int, stop func() error) [][]posting {
	words := 0
	for _, c := range codes {
		words += len(c)
	}
	// Winnowing keeps about 2/(w+1) of the n-grams.
	sk := newSketch(2*words/(w+1) + 1)
	fps := make([][]uint64, len(codes)) // a bit per word: a fingerprint starts here
	type scratch struct {
		pos   []uint32
		hs    []uint64
		ok    []bool
		fh    []uint64 // the fingerprints' hashes
		twice []bool
	}
	scr := make([]scratch, max(1, workers))
	parallel(len(codes), workers, func(wk, d int) {
		if d%64 == 0 && stop() != nil {
			return
		}
		sc := &scr[wk]
		sc.pos, sc.hs, sc.ok = winnow(codes[d], k, w, sc.pos[:0], sc.hs, sc.ok)
		if len(sc.pos) == 0 {
			return
		}
		bm := make([]uint64, (len(codes[d])+63)/64)
		sc.fh = sc.fh[:0]
		for _, q := range sc.pos {
			sc.fh = append(sc.fh, sc.hs[q])
			bm[q/64] |= 1 << (q % 64)
		}
		sk.addAll(sc.fh)
		fps[d] = bm
	})
	if stop() != nil {
		return nil
	}
	chance := newChanceModel(codes, k, workers)
	// Each worker appends the fingerprints seen twice to its buckets (by
	// the hash's top byte) in chunks, which grow without being copied.
	const nb = 256
	buckets := make([][nb]chunks[posting], max(1, workers))
	parallel(len(codes), workers, func(wk, d int) {
		if d%16 == 0 && stop() != nil {
			return
		}
		sc := &scr[wk]
		sc.pos = sc.pos[:0]
		sc.fh = sc.fh[:0]
		for wi, word := range fps[d] {
			for ; word != 0; word &= word - 1 {
				p := wi*64 + bits.TrailingZeros64(word)
				h, _ := ngram(codes[d], p, k)
				sc.pos = append(sc.pos, uint32(p))
				sc.fh = append(sc.fh, h)
			}
		}
		sc.twice = sk.seenTwice(sc.fh, sc.twice)
		for j, h := range sc.fh {
			if sc.twice[j] {
				buckets[wk][h>>56].add(posting{h, uint64(d)<<32 | uint64(sc.pos[j])})
			}
		}
		fps[d] = nil
	})
	scr, sk = nil, nil
	if stop() != nil {
		return nil
	}
	merged := make([][]posting, nb)
	parallel(nb, workers, func(_, b int) {
		if stop() != nil {
			return
		}
		n := 0
		for wk := range buckets {
			n += buckets[wk][b].n
		}
		m := make([]posting, 0, n)
		for wk := range buckets {
			for _, c := range buckets[wk][b].cs {
				m = append(m, c...)
			}
			buckets[wk][b] = chunks[posting]{}
		}
		sortPostings(m)
		// Keep the groups of equal fingerprints that are evidence of
		// copying, not of chance.
		kept := m[:0]
		for i := 0; i < len(m); {
			j := i + 1
			for j < len(m) && m[j].h == m[i].h {
				j++
			}
			// A fingerprint alone is one the sketch took for seen
			// twice (a false positive): which ones it takes depends on
			// the order in which the workers added them, so each run
			// kept others, and their marks in fpBits could change a
			// match's tier and the passages.
			if j-i >= 2 && !chance.chance(m[i:j]) {
				kept = append(kept, m[i:j]...)
			}
			i = j
		}
		if len(kept) < len(m)/2 {
			kept = slices.Clone(kept) // let the rest go
		}
		merged[b] = kept
	})
	if stop() != nil {
		return nil
	}
	return merged
}

// chunks is a list (of postings, of matches) kept in chunks that double in
// size up to maxChunk values: appending never copies what is there.
type chunks[T any] struct {
	cs [][]T
	n  int
}

const maxChunk = 1 << 14

func (c *chunks[T]) add(p T) {
	if len(c.cs) == 0 || len(c.cs[len(c.cs)-1]) == cap(c.cs[len(c.cs)-1]) {
		size := 64
		if len(c.cs) > 0 {
			size = min(2*cap(c.cs[len(c.cs)-1]), maxChunk)
		}
		c.cs = append(c.cs, make([]T, 0, size))
	}
	last := &c.cs[len(c.cs)-1]
	*last = append(*last, p)
	c.n++
}

// allPairsMax is the largest group of equal fingerprints whose members are
// all compared with each other; larger groups (common phrases, repeated
// sentences) are linked as a chain plus a star, so the number of pairs
// stays linear in the number of postings.
const allPairsMax = 8

// seedPairs turns groups of equal fingerprints into pairs to align,
// bucketed by the first document so that buckets can be aligned in parallel,
// and marks in fp where repeated and common fingerprints are (words holds
// the number of words of each document). The posting buckets are read in
// parallel, twice: the pairs are counted first, so that each pair bucket is
// allocated once and each posting bucket writes its pairs at the place
// where a serial pass would (the same pairs, in the same order). It
// returns nil once stop returns an error.
func seedPairs(buckets [][]posting, ndocs, nbuckets int, fp *fpBits, words []int, workers int, stop func() error) [][]seedPair {
	fp.all, fp.common = docBits(words[:ndocs]), docBits(words[:ndocs])
	bucketOf := func(a uint64) int { return int(a * uint64(nbuckets) / uint64(max(ndocs, 1))) }
	count := make([][]int, len(buckets)) // of each posting bucket, the pairs in each pair bucket
	parallel(len(buckets), workers, func(_, bi int) {
		if stop() != nil {
			return
		}
		n := make([]int, nbuckets)
		eachGroup(buckets[bi], func(g []posting) {
			for _, x := range g {
				setBit(fp.all, x.loc)
				if len(g) > commonGroup {
					setBit(fp.common, x.loc)
				}
			}
			groupPairs(g, func(x, _ uint64) { n[bucketOf(x>>32)]++ })
		})
		count[bi] = n
	})
	if stop() != nil {
		return nil
	}
	out := make([][]seedPair, nbuckets)
	for bk := range out {
		n := 0
		for bi := range count {
			n, count[bi][bk] = n+count[bi][bk], n // count becomes where bi's pairs start
		}
		out[bk] = make([]seedPair, n)
	}
	parallel(len(buckets), workers, func(_, bi int) {
		if stop() != nil {
			return
		}
		at := count[bi]
		eachGroup(buckets[bi], func(g []posting) {
			groupPairs(g, func(x, y uint64) {
				a, b := x>>32, y>>32
				bk := bucketOf(a)
				out[bk][at[bk]] = seedPair{a<<32 | b, (x&0xFFFFFFFF)<<32 | y&0xFFFFFFFF}
				at[bk]++
			})
		})
		buckets[bi] = nil
	})
	if stop() != nil {
		return nil
	}
	return out
}

// docBits returns a bit per word of each document, in one array.
func docBits(words []int) [][]uint64 {
	n := 0
	for _, w := range words {
		n += (w + 63) / 64
	}
	all := make([]uint64, n)
	out := make([][]uint64, len(words))
	for d, w := range words {
		out[d], all = all[:(w+63)/64:(w+63)/64], all[(w+63)/64:]
	}
	return out
}

// setBit sets the bit of location loc (document, word) in bits; other
// goroutines may be setting bits of the same document.
func setBit(bits [][]uint64, loc uint64) {
	d, p := loc>>32, loc&0xFFFFFFFF
	atomic.OrUint64(&bits[d][p/64], 1<<(p%64))
}

// eachGroup calls f with every group of equal hashes of ps (sorted).
func eachGroup(ps []posting, f func(g []posting)) {
	for i := 0; i < len(ps); {
		j := i + 1
		for j < len(ps) && ps[j].h == ps[i].h {
			j++
		}
		f(ps[i:j])
		i = j
	}
}

// groupPairs emits the locations of the seed pairs of one group of equal
// fingerprints.
func groupPairs(g []posting, emit func(x, y uint64)) {
	add := func(x, y uint64) {
		if x != y {
			emit(x, y)
		}
	}
	if len(g) <= allPairsMax {
		for x := range g {
			for y := x + 1; y < len(g); y++ {
				// Within one document only neighbours are paired: a
				// sentence said three times is three occurrences, not
				// one occurrence overlapping itself.
				if g[x].loc>>32 == g[y].loc>>32 && y != x+1 {
					continue
				}
				add(g[x].loc, g[y].loc)
			}
		}
		return
	}
	first := g[0].loc
	for x := 1; x < len(g); x++ {
		add(g[x-1].loc, g[x].loc)
		if g[x].loc>>32 != g[x-1].loc>>32 && g[x].loc>>32 != first>>32 && x > 1 {
			add(first, g[x].loc)
		}
	}
}

// chanceModel says whether a group of equal fingerprints is evidence of
// copying or could be chance. Under a model of text as words drawn
// independently with the corpus's own word frequencies, an n-gram of words
// w1..wk is expected E = P·f(w1)·…·f(wk) times among the corpus's P n-gram
// positions. When E < maxChance the n-gram is not expected to recur at all,
// and a repeat is evidence. When E >= maxChance (in text drawn from a few
// dozen words every n-gram is) its repeats are evidence only if there are
// far more of them than chance gives, at least chanceExcess·E +
// chanceMargin (a Poisson count with mean E exceeds that with probability
// below 1e-8 for any E >= 1): a sentence copied many times, not words that
// happen to recur. Seeding from chance repeats would make the seed pairs,
// the alignments and the passages grow with the square of the corpus; BLAST
// masks low-complexity sequence before seeding for the same reason.
type chanceModel struct {
	logf  [wMask + 1]float64 // log2 of each word code's share of all words
	logP  float64            // log2 of the number of n-gram positions
	k     int
	codes [][]wcode
}

const (
	// maxChance is the expected number of chance occurrences of an n-gram
	// in the corpus from which its repeats must exceed chance.
	maxChance    = 1.0
	logMaxChance = 0 // log2(maxChance)
	chanceExcess = 4
	chanceMargin = 16
)

func newChanceModel(codes [][]wcode, k, workers int) *chanceModel {
	counts := make([][wMask + 1]uint32, max(1, workers))
	parallel(len(codes), workers, func(wk, d int) {
		cs := &counts[wk]
		for _, c := range codes[d] {
			cs[c&wMask]++
		}
	})
	var total [wMask + 1]uint64
	words, positions := 0.0, 0.0
	for wk := range counts {
		for c, n := range counts[wk] {
			total[c] += uint64(n)
			words += float64(n)
		}
	}
	for _, c := range codes {
		positions += float64(max(0, len(c)-k+1))
	}
	m := &chanceModel{logP: math.Log2(max(positions, 1)), k: k, codes: codes}
	for c, n := range total {
		if n > 0 {
			m.logf[c] = math.Log2(float64(n) / words)
		}
	}
	return m
}

// logExpected returns the log2 of how often chance alone would give the
// n-gram at loc.
func (m *chanceModel) logExpected(loc uint64) float64 {
	c := m.codes[loc>>32]
	p := int(loc & 0xFFFFFFFF)
	s := m.logP
	for _, w := range c[p : p+m.k] {
		s += m.logf[w&wMask]
	}
	return s
}

// chance reports whether a group of equal fingerprints is no more than
// chance would give.
func (m *chanceModel) chance(g []posting) bool {
	s := m.logExpected(g[0].loc)
	if s < logMaxChance {
		return false
	}
	e := math.Exp2(s)
	return float64(len(g)) < chanceExcess*e+chanceMargin
}
