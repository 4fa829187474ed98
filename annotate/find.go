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
	"sync"
	"sync/atomic"
)

// Find returns the passages that the documents share: stretches of at
// least the minimum number of words that occur two or more times, in
// different documents or twice in one. The result does not depend on the
// order of docs. Document IDs must be unique.
func Find(docs []Document, opts ...Option) ([]Passage, error) {
	return find(docs, nil, opts)
}

// Loader returns the text of the i-th document given to FindFrom, and the
// ranges of it that are quoted without quotation marks (as
// Document.Quoted). It is called from several goroutines at once.
type Loader func(i int) (text string, quoted []Span, err error)

// FindFrom is Find for documents whose texts are read when Find needs
// them, so that it never holds them all: docs hold each document's ID,
// Date and Source (their Text and Quoted are not read), and load gives
// its text and quoted ranges. Find loads every text once to scan it, and
// again, one at a time, those that hold shared words when it weighs them
// and those that hold passages when it collates them; it keeps none.
// The texts of occurrences are copies, not substrings of loaded texts.
// An error from load is returned as it is; a text whose length changed
// between two loads is an error.
func FindFrom(docs []Document, load Loader, opts ...Option) ([]Passage, error) {
	return find(docs, load, opts)
}

func find(docs []Document, load Loader, opts []Option) ([]Passage, error) {
	o := defaults()
	for _, f := range opts {
		f(&o)
	}
	if o.workers <= 0 {
		o.workers = runtime.GOMAXPROCS(0)
	}
	orig := make([]int, len(docs)) // ds[i] is docs[orig[i]]
	for i := range orig {
		orig[i] = i
	}
	slices.SortStableFunc(orig, func(x, y int) int { return strings.Compare(docs[x].ID, docs[y].ID) })
	ds := make([]Document, len(docs))
	for i, j := range orig {
		ds[i] = docs[j]
	}
	for i := 1; i < len(ds); i++ {
		if ds[i].ID == ds[i-1].ID {
			return nil, fmt.Errorf("annotate: two documents have the ID %q; give each document its own ID", ds[i].ID)
		}
	}
	tx := &texts{ds: ds, load: load, orig: orig}
	if load == nil {
		for i, d := range ds {
			if err := tooLong(d.ID, len(d.Text)); err != nil {
				return nil, err
			}
			if len(d.Quoted) > 0 {
				ds[i].Quoted = clampSpans(d.Quoted, len(d.Text))
			}
		}
	} else {
		tx.lens = make([]int, len(ds))
		for i := range ds {
			ds[i].Text, ds[i].Quoted = "", nil
		}
	}
	if len(ds) == 0 {
		return nil, nil
	}
	if err := o.stopped(); err != nil {
		return nil, err
	}

	tr := newTrace()
	codes := make([][]wcode, len(ds))
	scanners := make([]*scanner, o.workers)
	// Document frequencies are counted on a sample of at most dfSample
	// documents, every step-th by ID: shares, not counts, make weights.
	dfs := make([]*dfCounter, o.workers)
	step := (len(ds) + dfSample - 1) / dfSample
	// With a loader the sample's texts are loaded first, for its size
	// (the counters' table is made for it), and kept until scanned.
	var sample []string
	if load != nil {
		sample = make([]string, (len(ds)+step-1)/step)
		errs := make([]error, len(sample))
		parallel(len(sample), o.workers, func(_, i int) {
			if i%16 == 0 && o.stopped() != nil {
				return
			}
			sample[i], errs[i] = tx.first(i * step)
		})
		if err := o.stopped(); err != nil {
			return nil, err
		}
		if err := firstError(errs); err != nil {
			return nil, err
		}
	}
	text := 0
	for d := 0; d < len(ds); d += step {
		if load != nil {
			text += len(sample[d/step])
		} else {
			text += len(ds[d].Text)
		}
	}
	for i := range scanners {
		scanners[i] = newScanner(false, false)
		dfs[i] = newDFCounter(dfBits(text))
	}
	// Beside the word hashes, the byte offset of every markEvery-th word,
	// from which the offsets of occurrences are found at the end.
	marks := make([][]uint32, len(ds))
	bufs := make([][]wcode, o.workers)
	mbufs := make([][]uint32, o.workers)
	var errs []error
	var failed atomic.Bool
	if load != nil {
		errs = make([]error, len(ds))
	}
	parallel(len(ds), o.workers, func(wk, d int) {
		if d%16 == 0 && o.stopped() != nil || failed.Load() {
			return // the check after the stage returns the error
		}
		var df *dfCounter
		if d%step == 0 {
			df = dfs[wk]
		}
		t := ds[d].Text
		switch {
		case load == nil:
		case d%step == 0:
			t, sample[d/step] = sample[d/step], ""
		default:
			var err error
			if t, err = tx.first(d); err != nil {
				errs[d] = err
				failed.Store(true)
				return
			}
		}
		bufs[wk], mbufs[wk] = scanners[wk].codesMarks(t, bufs[wk][:0], mbufs[wk][:0], df, d/step)
		codes[d] = slices.Clone(bufs[wk])
		marks[d] = slices.Clone(mbufs[wk])
	})
	bufs, mbufs, sample = nil, nil, nil
	if err := o.stopped(); err != nil {
		return nil, err
	}
	if err := firstError(errs); err != nil {
		return nil, err
	}
	tr.mark("scan")
	rar := newRarity(dfs, (len(ds)+step-1)/step, len(ds))
	dfs = nil

	k, w := ngramParams(o.minWords)
	ps := buildIndex(codes, k, w, o.workers, o.stopped)
	if err := o.stopped(); err != nil {
		return nil, err
	}
	tr.mark("index")
	nb := min(len(ds), 64*o.workers)
	nwords := make([]int, len(ds))
	for d := range codes {
		nwords[d] = len(codes[d])
	}
	var fp fpBits
	pairs := seedPairs(ps, len(ds), nb, &fp, nwords, o.workers, o.stopped)
	ps = nil
	if err := o.stopped(); err != nil {
		return nil, err
	}

	x := aligner{k: k, minWords: o.minWords, maxGap: o.maxGap, floor: o.minSimilarity}
	// Each bucket's matches in chunks: appending to one slice copied them
	// again at every doubling (a twentieth of Find's CPU at 30,000
	// articles).
	found := make([]chunks[match], nb)
	keys := make([][]uint64, o.workers) // each worker's scratch for sortSeeds
	parallel(nb, o.workers, func(wk, bk int) {
		if o.stopped() != nil {
			return // the check after the stage returns the error
		}
		sp := pairs[bk]
		var open []chain
		keys[wk] = sortSeeds(sp, keys[wk])
		for i := 0; i < len(sp); {
			j := i + 1
			for j < len(sp) && sp[j].ab == sp[i].ab {
				j++
			}
			if i%256 == 0 && i > 0 && o.stopped() != nil {
				break
			}
			a, b := uint32(sp[i].ab>>32), uint32(sp[i].ab)
			open = x.pair(codes[a], codes[b], a == b, sp[i:j], open, func(a0, a1, b0, b1 int) {
				found[bk].add(match{a, b, uint32(a0), uint32(a1), uint32(b0), uint32(b1), fp.commonIn(a, a0, a1)})
			})
			i = j
		}
		pairs[bk] = nil
	})
	nm := 0
	for _, f := range found {
		nm += f.n
	}
	ms := make([]match, 0, nm)
	for i, f := range found {
		for _, c := range f.cs {
			ms = append(ms, c...)
		}
		found[i] = chunks[match]{}
	}
	pairs, found, fp, keys = nil, nil, fpBits{}, nil
	if err := o.stopped(); err != nil {
		return nil, err
	}
	// The seed pairs and the matches' chunks are garbage now: collected at
	// once (a few milliseconds: the heap is mostly pointer-free), the
	// segments are made under a goal of twice what they start from, not
	// of twice what the alignment held when a collection last ran.
	runtime.GC()
	tr.mark("align")
	segs, of := segments(ms, o.workers, o.stopped)
	if err := o.stopped(); err != nil {
		return nil, err
	}
	// Grouping reads only the words of segments, a fifth of a large
	// corpus's: they are copied out, and the word codes of all texts
	// (two bytes a word) go before the edges are made.
	sw := newSegWords(segs, codes)
	codes = nil
	adj := edges(ms, of, len(segs))
	ms, of = nil, nil
	// The matches and the word codes are garbage now: collected at once,
	// grouping starts under a goal of twice what it holds, not of twice
	// what the segments' making held when a collection last ran, which
	// grouping's garbage would fill (at 100,000 hard articles, Find's
	// peak moved by 300 to 500 MB with when that collection ran).
	runtime.GC()
	gr := &grouper{x: x, minWords: o.minWords, segs: segs, adj: adj, sw: sw,
		dMin: uint32(math.Ceil(256 * distinctShare * float64(o.minWords))), stop: o.stopped}
	tr.mark("segments")
	if err := segmentWeights(sw, tx, marks, segs, rar, o.workers, o.stopped); err != nil {
		return nil, err
	}
	tr.mark("weights")
	if err := o.stopped(); err != nil {
		return nil, err
	}
	rar = rarity{}
	// Grouping is mostly one goroutine's work (a stock phrase is one
	// passage, grown by one goroutine); the passages of many occurrences
	// that it has finished are collated on the other workers meanwhile
	// (see overlapOcc).
	col := newCollation(ds, marks, o)
	defer col.wait()
	if load == nil {
		// With a loader the occurrences' texts are read once grouping
		// is done, a document at a time (resolve).
		gr.found = func(r *collated) {
			if len(r.occ) >= overlapOcc {
				r.queued = true
				col.add(r)
			}
		}
		// The passages of few occurrences that tier 1 built are
		// collated on the other workers while tier 2 is grouped, up
		// to earlyCollateOcc occurrences.
		gr.tier1 = func(gs []group) {
			n := 0
			for _, g := range gs {
				if r := g.done; !r.queued && n+len(r.occ) <= earlyCollateOcc {
					n += len(r.occ)
					r.queued = true
					col.add(r)
				}
			}
			if traceEarlyCollate != nil {
				traceEarlyCollate(n)
			}
		}
	}
	groups := gr.cluster(o.workers)
	gr, sw, segs, adj = nil, nil, nil, nil // not needed any more
	tr.mark("group")
	if err := o.stopped(); err != nil {
		return nil, err
	}
	// The segments, their words and edges, most of what Find holds, are
	// garbage now. Collecting them at once sets the heap's next
	// goal at twice what the collation holds, not twice what grouping
	// held: at 100,000 articles that is a gigabyte less at the peak, for
	// one collection of a heap that is mostly pointer-free text.
	runtime.GC()
	tr.mark("gc")
	if load != nil {
		if err := resolve(groups, tx, marks, o); err != nil {
			return nil, err
		}
		tr.mark("resolve")
	}
	for _, g := range groups {
		if !g.done.queued {
			col.add(g.done)
		}
	}
	col.wait()
	tr.mark("collate")
	if err := o.stopped(); err != nil {
		return nil, err
	}
	out := build(ds, col.rank, groups, o)
	tr.mark("build")
	if err := o.stopped(); err != nil {
		return nil, err
	}
	return out, nil
}

// interval is an occurrence in word positions.
type interval struct {
	doc        uint32
	start, end uint32
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

// collated is a group's passage (before the passages are merged and
// their kinds told), and the (doc, start) of its unquoted occurrences next
// to a quotation.
type collated struct {
	occ    []interval
	queued bool // handed to the collation while grouping went on
	// With a loader: the occurrences of occ, and whether each is
	// attached to a quotation (see resolve).
	pre      []Occurrence
	preAtt   []bool
	p        Passage
	attached [][2]int
}

// overlapOcc is how many occurrences a passage has for it to be collated
// while grouping goes on. Those of many occurrences (stock phrases, wire
// copy) are most of the collation's work (at 30,000 hard articles the 32
// of 64 or more, 80% of it) but little of what it holds, as most of their
// occurrences are word for word the same; the thousands of passages of
// a few occurrences hold most of it (93 of 120 MB at 30,000), and are
// collated once grouping is done and what it held is collected, so that
// the peak of the heap does not rise.
const overlapOcc = 16

// earlyCollateOcc is how many occurrences of tier 1's passages of few
// occurrences (under overlapOcc) are collated while tier 2 is grouped.
// Tier 2's stock phrases and wire copy are one component at 10,000
// articles, grown on one goroutine for ~0.5 s, which left the other
// workers only the passages of many occurrences it finished. Tier 1's
// passages at 10,000 articles have 11,000 to 20,000 occurrences, all
// collated meanwhile; a larger corpus collates the rest once grouping is
// done, as before, so that grouping's peak holds no more than these.
var earlyCollateOcc = 1 << 15 // a variable for the tests

// traceEarlyCollate, when set (by the tests), is told how many occurrences
// of tier 1's passages were queued for collation before tier 2.
var traceEarlyCollate func(occ int)

// collation collates groups as they are handed to it (add), on up to
// workers-1 goroutines while the grouping goes on and on all workers
// once wait is called; wait returns when all are collated. Once Find's
// context is done it skips the work (Find returns the error).
type collation struct {
	ds       []Document
	rank     []int32 // of each document (see dateRanks)
	marks    [][]uint32
	o        options
	mu       sync.Mutex
	more     sync.Cond
	queue    []*collated
	closed   bool
	running  sync.WaitGroup
	waitOnce sync.Once
}

func newCollation(ds []Document, marks [][]uint32, o options) *collation {
	c := &collation{ds: ds, rank: dateRanks(ds), marks: marks, o: o}
	c.more.L = &c.mu
	for range o.workers - 1 {
		c.start()
	}
	return c
}

func (c *collation) start() {
	c.running.Add(1)
	go func() {
		defer c.running.Done()
		sc, coll := newScanner(false, false), newCollator()
		for {
			c.mu.Lock()
			for len(c.queue) == 0 && !c.closed {
				c.more.Wait()
			}
			if len(c.queue) == 0 {
				c.mu.Unlock()
				return
			}
			r := c.queue[0]
			c.queue[0] = nil
			c.queue = c.queue[1:]
			c.mu.Unlock()
			if c.o.stopped() == nil {
				c.one(sc, coll, r)
			}
		}
	}()
}

// add queues a group's passage for collation.
func (c *collation) add(r *collated) {
	c.mu.Lock()
	c.queue = append(c.queue, r)
	c.mu.Unlock()
	c.more.Signal()
}

// wait collates what is queued on all workers and returns once all is done.
func (c *collation) wait() {
	c.waitOnce.Do(func() {
		c.mu.Lock()
		c.closed = true
		c.mu.Unlock()
		c.more.Broadcast()
		c.start() // the grouping's worker is free now
		c.running.Wait()
	})
}

// one finds the byte offsets of a group's occurrences and collates them.
func (c *collation) one(sc *scanner, coll *collator, r *collated) {
	ds := c.ds
	occ := make([]Occurrence, len(r.occ))
	var at [][2]int
	for i, iv := range r.occ {
		if r.pre != nil {
			occ[i] = r.pre[i]
			if !occ[i].Quoted && r.preAtt[i] {
				r.attached = append(r.attached, [2]int{int(iv.doc), occ[i].Start})
			}
			continue
		}
		at = wordOffsets(sc, ds[iv.doc].Text, c.marks[iv.doc], []uint32{iv.start, iv.end - 1}, at[:0])
		s, e := at[0][0], at[len(at)-1][1]
		d := ds[iv.doc]
		spans := quotedAround(d, s, e)
		occ[i] = Occurrence{Doc: d.ID, Start: s, End: e, Text: d.Text[s:e], Quoted: 2*coveredBytes(spans, s, e) >= e-s}
		if !occ[i].Quoted && attachedToQuote(d.Text, spans, s, e) {
			r.attached = append(r.attached, [2]int{int(iv.doc), s})
		}
	}
	docOf := func(i int) Document { return ds[r.occ[i].doc] }
	p := coll.passage(occ, docOf, func(i int) int32 { return c.rank[r.occ[i].doc] })
	// Every occurrence aligns with the canonical wording at least as
	// well as the floor; those that do not (the canonical need not be
	// the centre they were aligned with) are left out.
	kept := p.Occurrences[:0]
	for _, oc := range p.Occurrences {
		if oc.Similarity >= c.o.minSimilarity {
			kept = append(kept, oc)
		}
	}
	p.Occurrences = kept
	r.p = p
	r.occ, r.pre, r.preAtt = nil, nil, nil // not needed any more
}

// build turns the collated groups into passages: merged, with kind, ID and
// order.
func build(ds []Document, rank []int32, groups []group, o options) []Passage {
	out := make([]Passage, len(groups))
	attachedIn := make([][][2]int, len(groups)) // (doc, start) of unquoted occurrences next to a quotation
	for gi, g := range groups {
		out[gi], attachedIn[gi] = g.done.p, g.done.attached
		groups[gi].done = nil
	}
	index := make(map[string]int, len(ds))
	for i, d := range ds {
		index[d.ID] = i
	}
	docOf := func(id string) Document { return ds[index[id]] }
	attached := map[[2]int]bool{} // no two occurrences start at one place
	for _, a := range attachedIn {
		for _, k := range a {
			attached[k] = true
		}
	}
	// Passages with the same canonical wording (a formula that the centres
	// reached in pieces) are one passage.
	distinct := make([]bool, len(out))
	merged := make([]bool, len(out))
	byID := map[string]int{}
	for gi := range out {
		distinct[gi] = groups[gi].distinct
		if len(out[gi].Occurrences) == 0 {
			continue
		}
		id := out[gi].ID
		if first, ok := byID[id]; ok {
			out[first].Occurrences = append(out[first].Occurrences, out[gi].Occurrences...)
			distinct[first] = distinct[first] || distinct[gi]
			merged[first] = true
			out[gi].Occurrences = nil
			continue
		}
		byID[id] = gi
	}
	parallel(len(out), o.workers, func(_, gi int) {
		p := &out[gi]
		if len(p.Occurrences) < 2 {
			return
		}
		if merged[gi] {
			sortOccurrences(p.Occurrences, index, rank)
			p.Earliest = earliestOf(p.Occurrences, docOf)
		}
		docs := make([]Document, len(p.Occurrences)) // each occurrence's, looked up once
		for i, oc := range p.Occurrences {
			docs[i] = ds[index[oc.Doc]]
		}
		att := make([]bool, len(p.Occurrences))
		for i, oc := range p.Occurrences {
			att[i] = attached[[2]int{index[oc.Doc], oc.Start}]
		}
		p.Kind = kindOf(p, att, docs, distinct[gi], o.minWords)
	})
	out = slices.DeleteFunc(out, func(p Passage) bool { return len(p.Occurrences) < 2 })
	replies(out, index, ds)
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

// clampSpans returns the parts of spans that lie within [0, n), sorted and
// disjoint: a caller's ranges past the end of a text are cut, not trusted.
func clampSpans(spans []Span, n int) []Span {
	out := make([]Span, 0, len(spans))
	for _, s := range spans {
		s.Start, s.End = max(0, s.Start), min(n, s.End)
		if s.Start < s.End {
			out = append(out, s)
		}
	}
	return mergeSpans(out)
}

// sortOccurrences orders occurrences by document date (unknown dates
// last), then document ID (rank, from dateRanks, holds both), then offset.
func sortOccurrences(occ []Occurrence, index map[string]int, rank []int32) {
	type keyed struct {
		rank int32
		o    Occurrence
	}
	ks := make([]keyed, len(occ))
	for i, o := range occ {
		ks[i] = keyed{rank[index[o.Doc]], o}
	}
	slices.SortFunc(ks, func(x, y keyed) int {
		if c := cmp.Compare(x.rank, y.rank); c != 0 {
			return c
		}
		return cmp.Compare(x.o.Start, y.o.Start)
	})
	for i := range ks {
		occ[i] = ks[i].o
	}
}

// earliestOf is the index of the first dated occurrence (they are sorted
// with dated ones first), or -1.
func earliestOf(occ []Occurrence, doc func(string) Document) int {
	if len(occ) > 0 && !doc(occ[0].Doc).Date.IsZero() {
		return 0
	}
	return -1
}

// kindOf says what a passage is (see "Kinds" in the package comment).
func kindOf(p *Passage, attached []bool, docOf []Document, distinct bool, minWords int) Kind {
	occ := p.Occurrences
	oneDoc := true
	src := docOf[0].Source
	for i, o := range occ {
		oneDoc = oneDoc && o.Doc == occ[0].Doc
		if docOf[i].Source != src {
			src = ""
		}
	}
	if oneDoc {
		// A label said three or more times word for word down one page
		// of an outlet is furniture; anything else said again in one
		// document is a repeat.
		if src != "" && len(occ) >= 3 && !slices.ContainsFunc(occ, func(o Occurrence) bool { return o.Similarity < 1 || len(o.Text) != len(occ[0].Text) }) {
			return Boilerplate
		}
		return Repeat
	}
	if src != "" {
		return Boilerplate // one outlet's own text in several of its documents
	}
	// One source's text in three or more of its documents, quoted by
	// others (a sender's signature in replies that quote the sender).
	own := ""
	ownDocs := map[string]bool{}
	for i, o := range occ {
		if o.Quoted {
			continue
		}
		s := docOf[i].Source
		if s == "" || own != "" && s != own {
			own = ""
			ownDocs = nil
			break
		}
		own = s
		ownDocs[o.Doc] = true
	}
	if own != "" && len(ownDocs) >= 3 {
		return Boilerplate
	}
	if !distinct {
		return Stock
	}
	quoted, attributions := 0, 0
	for i, o := range occ {
		if o.Quoted {
			quoted++
		}
		if attached[i] && !o.Quoted {
			attributions++
		}
	}
	if attributions == len(occ) && wordCount(p.Canonical) < 2*minWords {
		// Unquoted words that follow (or lead into) a quotation in every
		// document, different quotations: an attribution formula ("…,"
		// said NAME, a spokesperson for the ORG).
		return Stock
	}
	if 3*quoted >= len(occ) {
		// Quoted in a third of its places or more: the others are the
		// source, or copies that lost their quotation marks.
		return Quote
	}
	if sharedWords(occ) < reportingWords*minWords {
		// Unquoted and short where it is shared: news shares its
		// phrasings, names and formulas ("not far from the Place de la
		// République") more often than it copies so short a stretch
		// without quotation marks. The length is that of the passage in
		// the document that holds the second most of it, as two documents
		// at least hold it: a long sentence of one document whose few
		// words the others share is no long copy.
		return Stock
	}
	return Reporting
}

// replies makes quotes of the reporting passages whose documents quote
// one another elsewhere: a document that holds, in quotation, words that
// another holds as its own (a Quote passage) is a reply to it, and
// unquoted text that the two share is the reply quoting without marks
// (a top-posted reply with the message below it, quoting markers a mail
// reader or an archive dropped, lines interleaved with the answer). A
// reporting passage is a quote when each of its documents quotes, or is
// quoted by, another of them this way, and each occurrence copies the
// words (see replySimilarity). Wire copy is printed by outlets
// that do not quote one another, so it stays reporting. The rule reads
// only the corpus's own passages: no words, no markers of one language
// or one mail reader.
func replies(ps []Passage, index map[string]int, ds []Document) {
	quotes := map[[2]int]bool{} // (quoting document, quoted document)
	for _, p := range ps {
		if p.Kind != Quote {
			continue
		}
		var in, out []int // documents that hold it quoted, and as their own
		for _, o := range p.Occurrences {
			d := index[o.Doc]
			if 2*coveredBytes(ds[d].Quoted, o.Start, o.End) >= o.End-o.Start {
				in = append(in, d)
			} else if !o.Quoted {
				out = append(out, d)
			}
		}
		if len(in)*len(out) > maxReplyPairs {
			continue // a formula or a widely quoted line: no reply
		}
		for _, x := range in {
			for _, y := range out {
				if x != y {
					quotes[[2]int{x, y}] = true
				}
			}
		}
	}
	if len(quotes) == 0 {
		return
	}
	for i := range ps {
		p := &ps[i]
		if p.Kind != Reporting {
			continue
		}
		docs := make([]int, 0, len(p.Occurrences))
		for _, o := range p.Occurrences {
			docs = append(docs, index[o.Doc])
		}
		slices.Sort(docs)
		docs = slices.Compact(docs)
		linked := func(d int) bool {
			for _, e := range docs {
				if e != d && (quotes[[2]int{d, e}] || quotes[[2]int{e, d}]) {
					return true
				}
			}
			return false
		}
		faithful := !slices.ContainsFunc(p.Occurrences, func(o Occurrence) bool { return o.Similarity < replySimilarity })
		if faithful && len(docs) <= maxReplyDocs && !slices.ContainsFunc(docs, func(d int) bool { return !linked(d) }) {
			p.Kind = Quote
		}
	}
}

// replySimilarity is the least similarity of every occurrence of a
// passage that replies read as quoting: a reply copies the words it
// quotes, while two messages of one thread that say a thing in their own
// words share some of them (a paraphrase, at similarity 0.5-0.6).
const replySimilarity = 0.8

// maxReplyPairs and maxReplyDocs bound the work of replies: a quote held
// by more documents than a thread's replies, and a passage in more, are
// not read as replies.
const (
	maxReplyPairs = 256
	maxReplyDocs  = 64
)

// sharedWords is the number of words the passage has in the document
// that holds the second most of it (counting all its occurrences there: a
// document may hold a passage in pieces).
func sharedWords(occ []Occurrence) int {
	per := map[string]int{}
	for _, o := range occ {
		per[o.Doc] += wordCount(o.Text)
	}
	first, second := 0, 0
	for _, n := range per {
		switch {
		case n > first:
			first, second = n, first
		case n > second:
			second = n
		}
	}
	return second
}

// reportingWords is how many times the shortest passage unquoted shared
// text must be to be reporting: on the labelled news of the development
// set, unquoted passages of under 24 words were more often shared
// phrasing than copies (see testdata/devset/README.md).
const reportingWords = 3

// wordCount is the number of words of s, roughly.
func wordCount(s string) int { return len(strings.Fields(s)) }

// wordOffsets returns the byte ranges of the words numbered want (sorted),
// scanning only the stretch of text from the mark before each.
func wordOffsets(sc *scanner, text string, marks, want []uint32, got [][2]int) [][2]int {
	for _, w := range want {
		c := int(w / markEvery)
		from, to := int(marks[c]), len(text)
		if c+1 < len(marks) {
			to = int(marks[c+1])
		}
		start, end, found := sc.nthWord(text[from:to], int(w%markEvery))
		if found {
			got = append(got, [2]int{from + start, from + end})
		}
		if !found { // cannot happen; scan the whole text rather than fail
			n := 0
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

// passageID is "p-" and 10 hex digits of the SHA-256 of the normalised words.
func passageID(words []string) string {
	sum := sha256.Sum256([]byte(strings.Join(words, " ")))
	return "p-" + hex.EncodeToString(sum[:5])
}
