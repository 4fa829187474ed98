package annotate

import (
	"math"
	"sync"
)

// Document frequency and rarity: what makes a stretch distinctive.
//
// Every word's document frequency (in how many documents it occurs) is
// counted, in a sample of at most dfSample documents (every k-th by ID), in
// a table of counters indexed by bits of the word's hash, about one counter
// for every two words of the sample up to 2^21 (two million), so that few
// words share a counter. A word's rarity weight is
//
//	w = clamp(ln(1/s) / ln(1/rareShare), 0, 1),  s = df / (N + priorDocs)
//
// for N documents (df and N scaled from the sample to the corpus): a word
// in at most rareShare of the documents counts as a
// whole word, one in every document counts nothing. The priorDocs pseudo
// documents (in which no word occurs) keep small corpora from calling every
// word common: among five articles about one story, all of which say
// "Interpol", the word is still rare. The weight of a stretch is the sum of
// its words' weights: its length in rare words.

const (
	dfMaxBits = 21

	// rareShare is the document share at and below which a word weighs 1.
	rareShare = 0.05
	// priorDocs is added to the number of documents when a share is taken.
	priorDocs = 100
	// dfSample is the most documents whose words are counted.
	dfSample = 2000
)

// dfSample's documents are numbered in 16 bits (dfCell).
var _ = [1]struct{}{}[dfSample>>16]

// dfBits is the number of bits of the counter table for a sample of text
// bytes: about one counter for every word (of some eight bytes each).
func dfBits(text int) uint {
	b := uint(10)
	for b < dfMaxBits && 1<<b < text/8 {
		b++
	}
	return b
}

func dfBucket(code uint32, bits uint) uint32 { return (code ^ code>>bits) & (1<<bits - 1) }

// dfCounter counts document frequencies for one worker: for bucket b,
// cells[b].count is how many of its documents have a word in b, and
// cells[b].stamp the last document (its number in the sample, plus one)
// that counted it (side by side: one cache line a word). The sample has
// at most dfSample documents, so both fit 16 bits: four bytes a cell,
// where eight made the table (two million cells) miss the cache more.
type dfCounter struct {
	bits  uint
	cells []dfCell
}

type dfCell struct{ stamp, count uint16 }

func newDFCounter(bits uint) *dfCounter {
	return &dfCounter{bits: bits, cells: make([]dfCell, 1<<bits)}
}

// add counts a word of the sample's document number doc.
func (c *dfCounter) add(doc int, code uint32) {
	cell := &c.cells[dfBucket(code, c.bits)]
	if cell.stamp != uint16(doc+1) {
		cell.stamp = uint16(doc + 1)
		cell.count++
	}
}

// rarity holds each bucket's weight in 256ths.
type rarity struct {
	bits uint
	w    []uint8
}

// newRarity sums the workers' counts over a sample of n of the corpus's
// total documents.
func newRarity(cs []*dfCounter, n, total int) rarity {
	r := rarity{bits: cs[0].bits, w: make([]uint8, len(cs[0].cells))}
	// Shares in the sample stand for shares in the corpus: df/n of total.
	denom := float64(n) * (float64(total) + priorDocs) / float64(total)
	full := math.Log(1 / rareShare)
	// The weight of every document frequency the sample can have.
	byDF := make([]uint8, n+1)
	for df := range byDF {
		w := 1.0
		if df > 0 {
			w = math.Log(denom/float64(df)) / full
		}
		byDF[df] = uint8(math.Round(255 * min(1, max(0, w))))
	}
	for b := range r.w {
		df := 0
		for _, c := range cs {
			df += int(c.cells[b].count)
		}
		r.w[b] = byDF[min(df, n)]
	}
	return r
}

// weight is the rarity of a word with hash code, in 256ths.
func (r rarity) weight(code uint32) uint8 { return r.w[dfBucket(code, r.bits)] }

// distinctShare is the share of the shortest passage (minWords) that a
// stretch must weigh, in rare words, to be distinctive.
const distinctShare = 0.35

// segWords holds, for the words of every segment, their codes, their
// rarity weights and whether they stand in quotation marks, with prefix
// sums every
// sumEvery words of a segment (a range's sum adds at most sumEvery-1
// weights to them): under 3 bytes a word, where a prefix sum for every
// word took 14, and segments hold a fifth of a large corpus's words.
type segWords struct {
	start []int    // segment -> index of its first word in c, w and q
	ck    []int    // segment -> index of its first prefix sum
	c     []wcode  // code
	w     []uint8  // weight in 256ths
	q     []bool   // quoted
	sums  []prefix // prefix sums at word 0, sumEvery, 2·sumEvery, ... of each segment
}

// prefix is the sum of the weights, of the quoted weights and the number
// of quoted words before a word of a segment.
type prefix struct{ w, wQ, nQ uint32 }

// sumEvery is how many words of a segment lie between two prefix sums.
const sumEvery = 16

// at returns the prefix sums of segment s before its word i (counted
// from the segment's start).
func (sw *segWords) at(s int32, i int) prefix {
	p := sw.sums[sw.ck[s]+i/sumEvery]
	base := sw.start[s]
	for j := base + i - i%sumEvery; j < base+i; j++ {
		x := uint32(sw.w[j])
		p.w += x
		if sw.q[j] {
			p.wQ += x
			p.nQ++
		}
	}
	return p
}

// quoteWindow is how far before a stretch its paragraph is read for an
// opening quotation mark.
const quoteWindow = 4096

// newSegWords lays out the words of the segments and copies their codes
// (codes: each document's); segmentWeights fills in the rest.
func newSegWords(segs []segment, codes [][]wcode) *segWords {
	sw := &segWords{start: make([]int, len(segs)), ck: make([]int, len(segs))}
	n, nck := 0, 0
	for i, s := range segs {
		sw.start[i], sw.ck[i] = n, nck
		n += int(s.end - s.start)
		nck += int(s.end-s.start)/sumEvery + 1
	}
	sw.c = make([]wcode, 0, n)
	for _, s := range segs {
		sw.c = append(sw.c, codes[s.doc][s.start:s.end]...)
	}
	sw.w, sw.q, sw.sums = make([]uint8, n), make([]bool, n), make([]prefix, nck)
	return sw
}

// segmentWeights reads the words of every segment again, from the mark
// before it, for their rarity weights and quotation: the segments of
// one document at a time, whose text is loaded once for them all.
func segmentWeights(sw *segWords, tx *texts, marks [][]uint32, segs []segment, rar rarity, workers int, stop func() error) error {
	var pool sync.Pool
	items := make([]uint32, len(segs))
	for i, s := range segs {
		items[i] = s.doc
	}
	return byDoc(len(tx.ds), items, workers, stop, func(doc int, idx []int32) error {
		text, err := tx.text(doc)
		if err != nil {
			return err
		}
		d := tx.ds[doc]
		d.Text = text
		sc, _ := pool.Get().(*segScratch)
		if sc == nil {
			sc = &segScratch{sc: newScanner(false, false)}
		}
		defer pool.Put(sc)
		for _, i := range idx {
			sc.st = segmentWeight(sw, d, marks[doc], segs[i], int(i), rar, sc.sc, sc.st[:0])
		}
		return nil
	})
}

// segScratch is a worker's scanner and word starts for segmentWeight.
type segScratch struct {
	sc *scanner
	st []int
}

// segmentWeight weighs the words of segment i, s, of document d.
func segmentWeight(sw *segWords, d Document, mk []uint32, s segment, i int, rar rarity, sc *scanner, st []int) []int {
	c := int(s.start / markEvery)
	from, to := int(mk[c]), len(d.Text)
	if e := int((s.end-1)/markEvery) + 1; e < len(mk) {
		to = int(mk[e])
	}
	w := uint32(c * markEvery)
	base := sw.start[i]
	lastEnd := 0
	sc.eachWord(d.Text[from:to], func(start, end int, code uint32) {
		if w >= s.start && w < s.end {
			if code != codeWild {
				sw.w[base+int(w-s.start)] = rar.weight(code)
			}
			st = append(st, from+start)
			lastEnd = from + end
		}
		w++
	})
	if len(st) > 0 {
		spans := quoteSpansAround(d.Text, st[0], lastEnd)
		spans = mergeSpans(append(spans, d.Quoted...))
		for j, at := range st {
			sw.q[base+j] = coveredBytes(spans, at, at+1) > 0
		}
	}
	var p prefix
	for j := 0; j < int(s.end-s.start); j++ {
		if j%sumEvery == 0 {
			sw.sums[sw.ck[i]+j/sumEvery] = p
		}
		x := uint32(sw.w[base+j])
		p.w += x
		if sw.q[base+j] {
			p.wQ += x
			p.nQ++
		}
	}
	if l := int(s.end - s.start); l%sumEvery == 0 {
		sw.sums[sw.ck[i]+l/sumEvery] = p
	}
	return st
}
