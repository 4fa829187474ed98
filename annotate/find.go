package annotate

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
)

// Find returns the passages that the documents share: stretches of at
// least the minimum number of words that occur two or more times, in
// different documents or twice in one. The result does not depend on the
// order of docs. Document IDs must be unique.
func Find(docs []Document, opts ...Option) ([]Passage, error) {
	o := defaults()
	for _, f := range opts {
		f(&o)
	}
	if o.workers <= 0 {
		o.workers = runtime.GOMAXPROCS(0)
	}
	ds := slices.Clone(docs)
	slices.SortStableFunc(ds, func(x, y Document) int { return strings.Compare(x.ID, y.ID) })
	for i := 1; i < len(ds); i++ {
		if ds[i].ID == ds[i-1].ID {
			return nil, fmt.Errorf("annotate: two documents have the ID %q; give each document its own ID", ds[i].ID)
		}
	}
	for _, d := range ds {
		if len(d.Text) >= math.MaxUint32 {
			return nil, fmt.Errorf("annotate: document %q is %d bytes; the limit is 4 GiB", d.ID, len(d.Text))
		}
	}
	if len(ds) == 0 {
		return nil, nil
	}
	if err := o.stopped(); err != nil {
		return nil, err
	}

	codes := make([][]wcode, len(ds))
	scanners := make([]*scanner, o.workers)
	for i := range scanners {
		scanners[i] = newScanner(false, false)
	}
	// Beside the word hashes, the byte offset of every markEvery-th word,
	// from which the offsets of occurrences are found at the end.
	marks := make([][]uint32, len(ds))
	bufs := make([][]wcode, o.workers)
	mbufs := make([][]uint32, o.workers)
	parallel(len(ds), o.workers, func(wk, d int) {
		if d%64 == 0 && o.stopped() != nil {
			return // the check after the stage returns the error
		}
		bufs[wk], mbufs[wk] = scanners[wk].codesMarks(ds[d].Text, bufs[wk][:0], mbufs[wk][:0])
		codes[d] = slices.Clone(bufs[wk])
		marks[d] = slices.Clone(mbufs[wk])
	})
	bufs, mbufs = nil, nil
	if err := o.stopped(); err != nil {
		return nil, err
	}

	k, w := ngramParams(o.minWords)
	ps := buildIndex(codes, k, w, o.workers, o.stopped)
	if err := o.stopped(); err != nil {
		return nil, err
	}
	nb := min(len(ds), 64*o.workers)
	pairs := seedPairs(ps, len(ds), nb)
	ps = nil

	x := aligner{k: k, minWords: o.minWords, maxGap: o.maxGap}
	found := make([][]match, nb)
	parallel(nb, o.workers, func(_, bk int) {
		sp := pairs[bk]
		slices.SortFunc(sp, func(s, t seedPair) int { return cmp.Compare(s.ab, t.ab) })
		for i := 0; i < len(sp); {
			j := i + 1
			for j < len(sp) && sp[j].ab == sp[i].ab {
				j++
			}
			a, b := uint32(sp[i].ab>>32), uint32(sp[i].ab)
			x.pair(codes[a], codes[b], a == b, sp[i:j], func(a0, a1, b0, b1 int) {
				found[bk] = append(found[bk], match{a, b, uint32(a0), uint32(a1), uint32(b0), uint32(b1)})
			})
			i = j
		}
		pairs[bk] = nil
	})
	var ms []match
	for _, f := range found {
		ms = append(ms, f...)
	}
	codes, pairs, found = nil, nil, nil // the word hashes are not needed any more
	if err := o.stopped(); err != nil {
		return nil, err
	}
	groups := group(ms)
	ms = nil
	return build(ds, marks, groups, o), nil
}

// interval is an occurrence in word positions.
type interval struct {
	doc        uint32
	start, end uint32
}

// group merges overlapping word ranges of one document into occurrences
// and joins occurrences that matched each other (union-find), so that each
// group is one passage. Groups and their members are sorted by position,
// which makes the result independent of the order in which matches were
// found.
func group(ms []match) [][]interval {
	type span struct {
		iv  interval
		idx int // 2*match + side
	}
	spans := make([]span, 0, 2*len(ms))
	for i, m := range ms {
		spans = append(spans, span{interval{m.a, m.a0, m.a1}, 2 * i}, span{interval{m.b, m.b0, m.b1}, 2*i + 1})
	}
	slices.SortFunc(spans, func(x, y span) int {
		if c := cmp.Compare(x.iv.doc, y.iv.doc); c != 0 {
			return c
		}
		if c := cmp.Compare(x.iv.start, y.iv.start); c != 0 {
			return c
		}
		return cmp.Compare(x.idx, y.idx)
	})
	var ivs []interval
	of := make([]int32, 2*len(ms)) // span -> interval
	for _, s := range spans {
		n := len(ivs)
		if n > 0 && ivs[n-1].doc == s.iv.doc && s.iv.start < ivs[n-1].end {
			ivs[n-1].end = max(ivs[n-1].end, s.iv.end)
		} else {
			ivs = append(ivs, s.iv)
			n++
		}
		of[s.idx] = int32(n - 1)
	}
	uf := newUnionFind(len(ivs))
	for i := range ms {
		uf.union(int(of[2*i]), int(of[2*i+1]))
	}
	members := make(map[int][]interval)
	var roots []int
	for i, iv := range ivs {
		r := uf.find(i)
		if _, ok := members[r]; !ok {
			roots = append(roots, r)
		}
		members[r] = append(members[r], iv)
	}
	var out [][]interval
	for _, r := range roots { // roots in order of their first interval
		if len(members[r]) >= 2 {
			out = append(out, members[r])
		}
	}
	return out
}

type unionFind struct{ parent, rank []int32 }

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n), rank: make([]int32, n)}
	for i := range u.parent {
		u.parent[i] = int32(i)
	}
	return u
}

func (u *unionFind) find(x int) int {
	for int(u.parent[x]) != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = int(u.parent[x])
	}
	return x
}

func (u *unionFind) union(x, y int) {
	x, y = u.find(x), u.find(y)
	if x == y {
		return
	}
	if u.rank[x] < u.rank[y] {
		x, y = y, x
	}
	u.parent[y] = int32(x)
	if u.rank[x] == u.rank[y] {
		u.rank[x]++
	}
}

// build turns groups of word ranges into passages: byte offsets, collation,
// kind, ID and order.
func build(ds []Document, marks [][]uint32, groups [][]interval, o options) []Passage {
	// Byte offsets of the words at the edges of occurrences.
	need := make([][]uint32, len(ds))
	for _, g := range groups {
		for _, iv := range g {
			need[iv.doc] = append(need[iv.doc], iv.start, iv.end-1)
		}
	}
	var docs []int
	for d := range need {
		if len(need[d]) > 0 {
			slices.Sort(need[d])
			need[d] = slices.Compact(need[d])
			docs = append(docs, d)
		}
	}
	offs := make([][][2]int, len(ds))
	scanners := make([]*scanner, o.workers)
	for i := range scanners {
		scanners[i] = newScanner(false, false)
	}
	parallel(len(docs), o.workers, func(wk, i int) {
		d := docs[i]
		offs[d] = wordOffsets(scanners[wk], ds[d].Text, marks[d], need[d])
	})
	offset := func(d, word uint32) [2]int {
		i, _ := slices.BinarySearch(need[d], word)
		return offs[d][i]
	}
	perSource := map[string]int{}
	for _, d := range ds {
		perSource[d.Source]++
	}

	out := make([]Passage, len(groups))
	colls := make([]*collator, o.workers)
	for i := range colls {
		colls[i] = newCollator()
	}
	parallel(len(groups), o.workers, func(wk, gi int) {
		g := groups[gi]
		occ := make([]Occurrence, len(g))
		for i, iv := range g {
			s, e := offset(iv.doc, iv.start)[0], offset(iv.doc, iv.end-1)[1]
			occ[i] = Occurrence{Doc: ds[iv.doc].ID, Start: s, End: e, Text: ds[iv.doc].Text[s:e]}
		}
		docOf := func(i int) Document { return ds[g[i].doc] }
		out[gi] = colls[wk].passage(occ, docOf)
		out[gi].Kind = kindOf(g, ds, perSource, out[gi].Occurrences)
	})
	slices.SortStableFunc(out, func(x, y Passage) int {
		a, b := x.Occurrences[0], y.Occurrences[0]
		if c := strings.Compare(a.Doc, b.Doc); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Start, b.Start); c != 0 {
			return c
		}
		return strings.Compare(x.ID, y.ID)
	})
	seen := map[string]int{}
	for i := range out {
		id := out[i].ID
		if n := seen[id]; n > 0 {
			out[i].ID = fmt.Sprintf("%s-%d", id, n+1)
		}
		seen[id]++
	}
	return out
}

// wordOffsets returns the byte ranges of the words numbered want (sorted),
// scanning only the stretch of text from the mark before each.
func wordOffsets(sc *scanner, text string, marks, want []uint32) [][2]int {
	got := make([][2]int, 0, len(want))
	for _, w := range want {
		c := int(w / markEvery)
		from, to := int(marks[c]), len(text)
		if c+1 < len(marks) {
			to = int(marks[c+1])
		}
		n, skip := 0, int(w%markEvery)
		found := false
		sc.scan(text[from:to], func(t tok) {
			if t.kind != tWord && t.kind != tWild {
				return
			}
			if n == skip {
				got = append(got, [2]int{from + t.start, from + t.end})
				found = true
			}
			n++
		})
		if !found { // cannot happen; scan the whole text rather than fail
			n = 0
			sc.scan(text, func(t tok) {
				if t.kind == tWord || t.kind == tWild {
					if n == int(w) {
						got = append(got, [2]int{t.start, t.end})
					}
					n++
				}
			})
		}
	}
	return got
}

// kindOf says whether a passage is site furniture: all its occurrences are
// in documents of one (named) Source, and either in at least two of them
// and in at least half of that Source's documents, or three or more times
// word for word (a label repeated down one page).
func kindOf(g []interval, ds []Document, perSource map[string]int, occ []Occurrence) Kind {
	src := ds[g[0].doc].Source
	if src == "" {
		return Quote
	}
	docs := map[uint32]bool{}
	for _, iv := range g {
		if ds[iv.doc].Source != src {
			return Quote
		}
		docs[iv.doc] = true
	}
	if len(docs) >= 2 && 2*len(docs) >= perSource[src] {
		return Boilerplate
	}
	if len(occ) >= 3 {
		for _, o := range occ {
			if o.Similarity < 1 || len(o.Text) != len(occ[0].Text) {
				return Quote
			}
		}
		return Boilerplate
	}
	return Quote
}

// passageID is "p-" and 10 hex digits of the SHA-256 of the normalised words.
func passageID(words []string) string {
	sum := sha256.Sum256([]byte(strings.Join(words, " ")))
	return "p-" + hex.EncodeToString(sum[:5])
}
