package search

import (
	"encoding/binary"
	"slices"
)

// termList is one document's terms, compact: its term IDs ascending, each
// as a uvarint of (the gap from the last ID << 1 | 1 when the count is
// not 1), the count after it as a uvarint when it is not 1. A document of
// 500 distinct terms, most of them once, takes about 1 KB instead of the
// 4 KB of an []termCount: at 100,000 articles `archive serve` keeps every
// document's terms between builds (for the next incremental index), and
// they were its second-largest holding (414 MB).
type termList []byte

// makeTermList encodes tcs, sorting them by ID (tcs is reused), in a
// slice of the size it needs: it is kept for as long as the document is.
func makeTermList(tcs []termCount) termList {
	slices.SortFunc(tcs, func(a, b termCount) int { return int(a.id) - int(b.id) })
	size, last := 0, int32(0)
	for _, c := range tcs {
		size += uvarintLen(termHead(c, last))
		if c.n != 1 {
			size += uvarintLen(uint64(c.n))
		}
		last = c.id
	}
	b := make([]byte, 0, size)
	last = 0
	for _, c := range tcs {
		b = binary.AppendUvarint(b, termHead(c, last))
		if c.n != 1 {
			b = binary.AppendUvarint(b, uint64(c.n))
		}
		last = c.id
	}
	return b
}

// termHead is the uvarint that starts c in a termList after the ID last.
func termHead(c termCount, last int32) uint64 {
	v := uint64(c.id-last) << 1
	if c.n != 1 {
		v |= 1
	}
	return v
}

// uvarintLen is the length of v as a uvarint.
func uvarintLen(v uint64) int {
	n := 1
	for v >= 0x80 {
		v >>= 7
		n++
	}
	return n
}

// each calls f with every term's ID and count, IDs ascending. The loops
// over every document's terms (Indexer.docFreqs, postings) have it inline.
func (l termList) each(f func(id, n int32)) {
	var id int32
	for j := 0; j < len(l); {
		var v, c uint64
		v, j = uvarintAt(l, j)
		id += int32(v >> 1)
		c = 1
		if v&1 != 0 {
			c, j = uvarintAt(l, j)
		}
		f(id, int32(c))
	}
}

// remap gives every term its new ID (remap must keep the IDs' order, as
// Indexer.compact's does).
func (l termList) remap(remap []int32, buf []termCount) (termList, []termCount) {
	buf = buf[:0]
	l.each(func(id, n int32) { buf = append(buf, termCount{remap[id], n}) })
	return makeTermList(buf), buf
}

// uvarintAt reads the uvarint at l[i:] and returns it and the index after it.
func uvarintAt(l termList, i int) (uint64, int) {
	v, k := binary.Uvarint(l[i:])
	return v, i + k
}
