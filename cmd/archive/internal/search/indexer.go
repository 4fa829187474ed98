package search

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"unsafe"
)

// Indexer builds indexes as Build does, and keeps what it read of each
// document (its terms and snippet) for the next build: a build in which a
// few documents changed tokenises only those, and one in which none
// changed returns the last files. What every build still does is sort the
// documents, count and weigh the postings (the weights depend on the
// average document length) and write the shards: no map by term.
//
// An Indexer is for one sequence of builds at a time (not concurrent use).
type Indexer struct {
	o   options
	err error // of the options

	docs  map[string]*docEntry // by URL, as of the last build
	ids   map[string]int32     // term IDs
	terms []string             // by ID
	order []int32              // term IDs in term order (byte order)
	build uint64
	last  map[string][]byte // the files of the last build
	// Of the last write, for Patch (incremental.go): each document's ID,
	// the average length, the stop terms, the term shards' bounds.
	pos     map[string]int32
	avg     float64
	stop    map[string]bool
	bounds  []string
	patched bool // Patch changed the last files: the next Build writes them all
	// inv holds, WithOneBuild, the documents' term counts, a chunk of
	// documents at a time as they are read, instead of their term lists;
	// df counts each term's documents, by term ID. write turns them
	// into postings (weigh).
	inv []invChunk
	df  []int32
	// begun holds what Begin read, until Finish.
	begun *begun
}

// docEntry is what the Indexer read of one document.
type docEntry struct {
	d       Doc      // as last built, without its text
	text    uint64   // the text's key (textKey)
	terms   termList // its terms, a title word counting titleBoost times
	length  int      // tokens, title and text
	snippet string
	seen    uint64 // the last build that had it
}

type termCount struct{ id, n int32 }

type posting struct{ doc, weight int32 }

// invChunk is the term counts of documents read together (readAll's
// chunk), in one array: document docs[k]'s are counts[ends[k-1]:ends[k]],
// each term as a uvarint of its ID << 1 | 1 when the count is not 1, then
// the count as a uvarint when it is not 1 (termList's code, without the
// sort by ID): about 2.5 bytes a term instead of 8. Fresh memory is what
// makes the counts dear: a page touched for the first time cost ~14 µs
// on the 2-core machine (20 MB: 70 ms).
type invChunk struct {
	docs   []int32
	ends   []int32
	counts []byte
}

// countHead is the uvarint that begins tc in an invChunk.
func countHead(tc termCount) uint64 {
	v := uint64(tc.id) << 1
	if tc.n != 1 {
		v |= 1
	}
	return v
}

// NewIndexer returns an Indexer with Build's options.
func NewIndexer(opts ...Option) *Indexer {
	o := options{prefix: "search/", shardBytes: 12000, docsPerShard: 4, maxDocFrac: 0.3,
		minStopDocs: 500, titleBoost: 5, snippetRunes: 180}
	for _, f := range opts {
		f(&o)
	}
	x := &Indexer{o: o, docs: map[string]*docEntry{}, ids: map[string]int32{}}
	if o.shardBytes < 1 || o.docsPerShard < 1 || o.titleBoost < 1 {
		x.err = fmt.Errorf("search: shard sizes and title boost must be positive")
	}
	return x
}

// Build indexes docs and returns the files to publish, keyed by slash path
// (see the package comment). The output depends only on the set of docs,
// not on their order, and is Build's. When no document changed since the
// last call, it returns the same map as that call; callers must not
// modify it.
func (x *Indexer) Build(docs []Doc) (map[string][]byte, error) {
	return x.BuildContext(context.Background(), docs)
}

// BuildContext is Build, stopped when ctx is done: `archive serve` stops a
// follow-up build for the next edit, which waited for the index's files
// to be written (about 2.5 s at 100,000 articles). A stopped build returns
// ctx's error and leaves the Indexer as a failed one does: what it read
// of the documents stays, and the next build writes every file again
// (Patch declines until then).
func (x *Indexer) BuildContext(ctx context.Context, docs []Doc) (map[string][]byte, error) {
	if x.err != nil {
		return nil, x.err
	}
	docs, err := sortDocs(docs)
	if err != nil {
		return nil, err
	}
	x.build++
	changed := x.last == nil || len(docs) != len(x.docs)
	ents := make([]*docEntry, len(docs))
	var toRead []int // documents to tokenise
	for i, d := range docs {
		e := x.docs[d.URL]
		switch {
		case e == nil:
			e = &docEntry{}
			x.docs[d.URL] = e
			toRead = append(toRead, i)
			changed = true
		case e.d.Title != d.Title || textKey(d) != e.text:
			toRead = append(toRead, i)
			changed = true
		case e.d.Kind != d.Kind || e.d.Outlet != d.Outlet || !sameDate(e.d.Date, d.Date):
			changed = true
		}
		ents[i] = e
	}
	if err := x.readAll(ctx, docs, ents, toRead); err != nil {
		x.last = nil // some entries moved on: the next build writes again
		return nil, err
	}
	x.settle(docs, ents)
	if len(x.docs) > len(docs) {
		for u, e := range x.docs {
			if e.seen != x.build {
				delete(x.docs, u)
			}
		}
	}
	if !changed && !x.patched {
		return x.last, nil
	}
	x.patched = false
	files, err := x.write(ctx, docs, ents)
	if x.o.once { // the entries were let go of (write): read everything again next time
		x.forget()
		return files, err
	}
	if err != nil {
		x.last = nil // the entries moved on: the next build writes again
		return nil, err
	}
	x.last = files
	return files, nil
}

// settle records docs, read into ents, as the build's documents.
func (x *Indexer) settle(docs []Doc, ents []*docEntry) {
	for i, d := range docs {
		d.Text, d.Load = "", nil // read into the entry's terms and snippet; not kept
		ents[i].d, ents[i].seen = d, x.build
	}
}

// forget lets go of everything a one-build Indexer read.
func (x *Indexer) forget() {
	x.docs, x.ids, x.terms, x.order, x.last, x.inv, x.df = map[string]*docEntry{}, map[string]int32{}, nil, nil, nil, nil, nil
	x.pos, x.stop, x.bounds, x.begun = nil, nil, nil, nil
}

// begun is what Begin read, for Finish.
type begun struct {
	docs []Doc // sorted
	ents []*docEntry
}

// Begin reads docs, the first documents of an index, into a one-build
// Indexer (WithOneBuild) that has not built yet, before the others are
// known: Finish adds those and writes the index, which is Build's of all
// of them. The site's search reads and tokenises the articles while
// annotations finds the shared passages, whose documents sort after every
// article (Kind). A document given to Finish that sorts among docs makes
// Finish read every document again, as Build would.
func (x *Indexer) Begin(ctx context.Context, docs []Doc) error {
	if x.err != nil {
		return x.err
	}
	if !x.o.once || x.begun != nil || len(x.terms) > 0 {
		return errors.New("search: Begin needs a new Indexer made WithOneBuild")
	}
	docs, err := sortDocs(docs)
	if err != nil {
		return err
	}
	ents := make([]*docEntry, len(docs))
	which := make([]int, len(docs))
	for i := range docs {
		ents[i], which[i] = &docEntry{}, i
	}
	if err := x.readAll(ctx, docs, ents, which); err != nil {
		x.forget()
		return err
	}
	x.begun = &begun{docs: docs, ents: ents}
	return nil
}

// Finish adds rest to the documents Begin read and returns the index's
// files, as Build of them all does. The Indexer is then a new one's.
func (x *Indexer) Finish(ctx context.Context, rest []Doc) (map[string][]byte, error) {
	bg := x.begun
	if bg == nil {
		return nil, errors.New("search: Finish without a Begin that succeeded")
	}
	x.begun = nil
	all := make([]Doc, 0, len(bg.docs)+len(rest))
	all = append(append(all, bg.docs...), rest...)
	docs, err := sortDocs(all)
	if err != nil {
		x.forget()
		return nil, err
	}
	for i, d := range bg.docs {
		if docs[i].URL != d.URL { // one of rest sorts among the first: term IDs and postings follow the order
			x.forget()
			return x.BuildContext(ctx, all)
		}
	}
	x.build++
	ents := append(make([]*docEntry, 0, len(docs)), bg.ents...)
	which := make([]int, 0, len(rest))
	for i := len(bg.docs); i < len(docs); i++ {
		ents = append(ents, &docEntry{})
		which = append(which, i)
	}
	if err := x.readAll(ctx, docs, ents, which); err != nil {
		x.forget()
		return nil, err
	}
	x.settle(docs, ents)
	files, err := x.write(ctx, docs, ents)
	x.forget()
	return files, err
}

// readChunk is how many documents are tokenised at once, several at a
// time, before their terms get their IDs: enough to keep every core busy,
// few enough that their term counts take little memory.
const readChunk = 256

// readAll tokenises docs[i] into ents[i] for each i in which, several at a
// time (making a document's text, Doc.Load, and tokenising it are most of
// an index's cost), then gives new terms their IDs in document order, so
// that the IDs are the same whatever the scheduling.
//
// Each worker counts a document's terms in a table it keeps from one
// document to the next (termTable; a new map per document grew and
// rehashed from empty each time), and looks up the IDs of terms already known itself:
// the dictionary is only read while workers run, and only written between
// chunks. What is left for the one goroutine that writes it is the
// document's new terms. A new term is copied out of the text, which it
// would otherwise keep alive for as long as the dictionary holds it.
func (x *Indexer) readAll(ctx context.Context, docs []Doc, ents []*docEntry, which []int) error {
	workers := min(runtime.GOMAXPROCS(0), 8)
	tts := make([]*termTable, workers)
	for i := range tts {
		tts[i] = newTermTable()
	}
	out := make([]read, readChunk)
	for from := 0; from < len(which); from += readChunk {
		if err := ctx.Err(); err != nil {
			return err
		}
		chunk := which[from:min(len(which), from+readChunk)]
		var next atomic.Int64
		var wg sync.WaitGroup
		for w := range min(workers, len(chunk)) {
			wg.Add(1)
			go func(tt *termTable) {
				defer wg.Done()
				for {
					k := int(next.Add(1)) - 1
					if k >= len(chunk) {
						return
					}
					out[k] = x.tokenise(docs[chunk[k]], tt, out[k].known)
				}
			}(tts[w])
		}
		wg.Wait()
		if x.o.once {
			x.invert(docs, ents, chunk, out)
		}
		for k, i := range chunk {
			if !x.o.once {
				x.keep(ents[i], out[k], docs[i])
			}
			out[k] = read{known: out[k].known[:0]} // its array, for the next chunk's document k
		}
	}
	return nil
}

// read is what tokenise read of a document.
type read struct {
	known   []termCount // terms with an ID
	fresh   []string    // terms without one, sorted, copied
	counts  []int32     // fresh terms' counts
	n       int
	snippet string
}

// tokenise reads d's text (Load makes it when it is not given, in tt's
// buffer) into its terms, counted in tt; it only reads the dictionary.
// The known terms go in known's array when it is large enough.
func (x *Indexer) tokenise(d Doc, tt *termTable, known []termCount) read {
	text := d.Text
	if text == "" && d.Load != nil {
		tt.src = d.Load(tt.src[:0])
		// A view of the buffer, for as long as this call: what is kept
		// of the text (the snippet, new terms, normalizedRun's cache) is
		// copied out of it.
		text = unsafe.String(unsafe.SliceData(tt.src), len(tt.src))
	}
	tt.reset()
	tt.scan(text, 1)
	tt.scan(d.Title, int32(x.o.titleBoost))
	r := read{known: slices.Grow(known[:0], len(tt.used)), n: tt.n, snippet: snippet(text, x.o.snippetRunes)}
	tt.settle(x.ids, x.terms)
	type freshTerm struct {
		key string
		n   int32
	}
	var fresh []freshTerm
	tt.each(func(t string, id, c int32) {
		if id >= 0 {
			r.known = append(r.known, termCount{id, c})
		} else {
			fresh = append(fresh, freshTerm{t, c})
		}
	})
	slices.SortFunc(fresh, func(a, b freshTerm) int { return strings.Compare(a.key, b.key) }) // new terms get IDs in a fixed order
	r.fresh, r.counts = make([]string, len(fresh)), make([]int32, len(fresh))
	for i, f := range fresh {
		r.fresh[i], r.counts[i] = f.key, f.n // the table's own string
	}
	return r
}

// keep stores r, what tokenise read of d, in e, giving new terms their
// IDs.
func (x *Indexer) keep(e *docEntry, r read, d Doc) {
	e.terms = makeTermList(x.termCounts(r))
	e.length, e.snippet, e.text = r.n, r.snippet, textKey(d)
}

// termCounts gives r's new terms their IDs and returns all its terms.
func (x *Indexer) termCounts(r read) []termCount {
	tcs := r.known
	for j, t := range r.fresh {
		id, ok := x.ids[t] // an earlier document may have added it
		if !ok {
			id = int32(len(x.terms))
			x.ids[t] = id
			x.terms = append(x.terms, t)
		}
		tcs = append(tcs, termCount{id, r.counts[j]})
	}
	return tcs
}

// invert is keep for a one-build Indexer, of a chunk of documents
// (docs[i] for i in which, read into out): their term counts go in one
// chunk of inv, which write turns into postings, and the entries keep no
// term lists. The counts are kept apart from the postings, which are made
// once every term's document count is known: a posting list per term
// grown by append as the documents came cost a fifth of the index's CPU
// (its copies, the clearing of the new arrays' slack and their page
// faults), and held that slack, about a third more, until the end.
func (x *Indexer) invert(docs []Doc, ents []*docEntry, which []int, out []read) {
	size := 0
	for k := range which {
		r := &out[k]
		r.known = x.termCounts(*r) // termCounts may have grown its array: keep the larger one
		for _, tc := range r.known {
			size += uvarintLen(countHead(tc))
			if tc.n != 1 {
				size += uvarintLen(uint64(tc.n))
			}
		}
	}
	if len(x.df) < len(x.terms) {
		x.df = append(x.df, make([]int32, len(x.terms)-len(x.df))...)
	}
	c := invChunk{docs: make([]int32, len(which)), ends: make([]int32, len(which)), counts: make([]byte, 0, size)}
	for k, i := range which {
		r := out[k]
		for _, tc := range r.known {
			x.df[tc.id]++
			c.counts = binary.AppendUvarint(c.counts, countHead(tc))
			if tc.n != 1 {
				c.counts = binary.AppendUvarint(c.counts, uint64(tc.n))
			}
		}
		c.docs[k], c.ends[k] = int32(i), int32(len(c.counts))
		e := ents[i]
		e.length, e.snippet, e.text = r.n, r.snippet, textKey(docs[i])
	}
	x.inv = append(x.inv, c)
}

var textSeed = maphash.MakeSeed()

// textKey fingerprints a document's text: its TextKey, else a hash.
func textKey(d Doc) uint64 {
	if d.TextKey != 0 {
		return d.TextKey
	}
	return maphash.String(textSeed, d.Text)
}

// write makes the files of the sorted docs.
func (x *Indexer) write(ctx context.Context, docs []Doc, ents []*docEntry) (map[string][]byte, error) {
	o := x.o
	files := map[string][]byte{}
	m := Manifest{Format: Format, Docs: len(docs), DocsPerShard: o.docsPerShard,
		DocPath: "d/{n}.json", TermPath: "t/{n}.json", Stop: []string{}, Kinds: []string{}, Outlets: []string{}}
	m.Groups, m.Kinds, m.Outlets = groups(docs)

	x.pos = make(map[string]int32, len(docs))
	for i, d := range docs {
		x.pos[d.URL] = int32(i)
	}
	var shard []DocMeta
	for n := 0; n*o.docsPerShard < len(docs); n++ {
		if n%stopEvery == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		end := min((n+1)*o.docsPerShard, len(docs))
		shard = shard[:0]
		size := 0
		for i := n * o.docsPerShard; i < end; i++ {
			shard = append(shard, metaWith(docs[i], ents[i].snippet))
			size += len(docs[i].URL) + len(docs[i].Title) + len(ents[i].snippet) + 64
		}
		files[o.prefix+"d/"+strconv.Itoa(n)+".json"] = appendDocShard(make([]byte, 0, size), shard)
	}
	if o.once {
		for _, e := range ents {
			e.snippet = ""
		}
	}

	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var df []int32
	if o.once {
		df = x.df
		x.df = nil
		if len(df) < len(x.terms) { // as long as the dictionary, even with nothing read
			df = append(df, make([]int32, len(x.terms)-len(df))...)
		}
	} else {
		df = x.docFreqs(ents)
	}
	df = x.compact(ents, df)
	var stop []string
	for id, n := range df {
		if int(n) > o.minStopDocs && float64(n) > o.maxDocFrac*float64(len(docs)) {
			stop = append(stop, x.terms[id])
			df[id] = 0 // not indexed
		}
	}
	sort.Strings(stop)
	if stop != nil {
		m.Stop = stop
	}
	x.stop = make(map[string]bool, len(stop))
	for _, t := range stop {
		x.stop[t] = true
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var post [][]posting
	if o.once {
		post = x.weigh(ents, df)
	} else {
		post = x.postings(ents, df)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var (
		cur     []byte // the shard being made: its own array, which files keeps
		prev    string
		shardNo int
		bounds  []string
		entry   []byte
	)
	flush := func() {
		if len(cur) == 0 {
			return
		}
		files[o.prefix+"t/"+strconv.Itoa(shardNo)+".json"] = append(cur, "}\n"...)
		cur = nil
		shardNo++
	}
	first := true
	for i, id := range x.order {
		if i%stopEvery == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if df[id] == 0 {
			continue
		}
		t := x.terms[id]
		entry = appendEntry(entry[:0], t, post[id])
		if o.once {
			post[id] = nil // in the shard now
		}
		if len(cur) > 0 && len(cur)+len(entry) > o.shardBytes {
			flush()
		}
		if len(cur) == 0 {
			if !first {
				bounds = append(bounds, separator(prev, t))
			}
			cur = make([]byte, 0, max(o.shardBytes, len(entry))+16)
			cur = append(cur, '{')
		} else {
			cur = append(cur, ",\n"...)
		}
		cur = append(cur, entry...)
		prev, first = t, false
	}
	flush()
	m.Shards = shardNo
	m.Bounds = strings.Join(bounds, " ")
	x.bounds = bounds
	b, err := marshal(m)
	if err != nil {
		return nil, err
	}
	files[o.prefix+"index.json"] = b
	return files, nil
}

// stopEvery is how many doc shards or terms write makes between two
// checks of its context.
const stopEvery = 1024

// docFreqs counts the documents of each term, by term ID.
func (x *Indexer) docFreqs(ents []*docEntry) []int32 {
	df := make([]int32, len(x.terms))
	for _, e := range ents {
		l, id := e.terms, int32(0)
		for j := 0; j < len(l); { // termList.each, inline (see postings)
			v := uint64(l[j])
			j++
			if v >= 0x80 {
				v, j = uvarintAt(l, j-1)
			}
			id += int32(v >> 1)
			df[id]++
			if v&1 != 0 { // skip the count
				for l[j] >= 0x80 {
					j++
				}
				j++
			}
		}
	}
	return df
}

// postings returns every term's posting list (doc IDs ascending), by term
// ID; df is the terms' document frequencies, 0 for terms left out. The weight is the BM25
// term-frequency part (see the package comment), computed as Build always
// has.
func (x *Indexer) postings(ents []*docEntry, df []int32) [][]posting {
	total, n := 0, 0
	for _, e := range ents {
		total += e.length
	}
	for _, c := range df {
		n += int(c)
	}
	avg := 1.0
	if len(ents) > 0 && total > 0 {
		avg = float64(total) / float64(len(ents))
	}
	x.avg = avg
	all := make([]posting, n) // one allocation, carved per term
	post := make([][]posting, len(x.terms))
	off := 0
	for id, c := range df {
		post[id] = all[off : off : off+int(c)]
		off += int(c)
	}
	for i, e := range ents {
		norm := bm25Norm(e.length, avg)
		l, id := e.terms, int32(0)
		for j := 0; j < len(l); { // termList.each, inline: a call per term cost a third more
			v := uint64(l[j])
			j++
			if v >= 0x80 {
				v, j = uvarintAt(l, j-1)
			}
			id += int32(v >> 1)
			n := int32(1)
			if v&1 != 0 {
				c := uint64(l[j])
				j++
				if c >= 0x80 {
					c, j = uvarintAt(l, j-1)
				}
				n = int32(c)
			}
			if df[id] == 0 { // a stop term
				continue
			}
			post[id] = append(post[id], posting{int32(i), bm25Weight(n, norm)})
		}
	}
	return post
}

// weigh turns the counts of inv (WithOneBuild) into postings, weighed as
// postings weighs them, and returns them by term ID (nil for the terms df
// leaves out); the Indexer no longer holds them. As postings does, it
// carves every list out of one array, sized by df, and fills the lists
// document by document (inv's chunks are in document order).
func (x *Indexer) weigh(ents []*docEntry, df []int32) [][]posting {
	total := 0
	for _, e := range ents {
		total += e.length
	}
	avg := 1.0
	if len(ents) > 0 && total > 0 {
		avg = float64(total) / float64(len(ents))
	}
	norms := make([]float64, len(ents)) // bm25Norm of each document
	for i, e := range ents {
		norms[i] = bm25Norm(e.length, avg)
	}
	next := make([]int32, len(df)) // where each term's next posting goes in all
	n := 0
	for id, c := range df {
		next[id] = int32(n)
		n += int(c)
	}
	if n > math.MaxInt32 {
		panic("search: more than 2^31 postings") // 100,000 articles have ~30 million
	}
	all := make([]posting, n)
	chunks := x.inv
	x.inv = nil
	for ci, c := range chunks {
		l, j := c.counts, 0
		for k, i := range c.docs {
			norm := norms[i]
			for end := int(c.ends[k]); j < end; {
				v := uint64(l[j])
				j++
				if v >= 0x80 {
					v, j = uvarintAt(l, j-1)
				}
				id, n := int32(v>>1), int32(1)
				if v&1 != 0 {
					u := uint64(l[j])
					j++
					if u >= 0x80 {
						u, j = uvarintAt(l, j-1)
					}
					n = int32(u)
				}
				if df[id] == 0 { // a stop term
					continue
				}
				all[next[id]] = posting{i, bm25Weight(n, norm)}
				next[id]++
			}
		}
		chunks[ci] = invChunk{} // let go of it
	}
	post := make([][]posting, len(df))
	for id, c := range df {
		if c > 0 {
			end := next[id]
			post[id] = all[end-c : end : end]
		}
	}
	return post
}

// BM25's parameters (see the package comment).
const k1, b = 1.2, 0.75

// bm25Norm is the length part of BM25 for a document of length tokens.
func bm25Norm(length int, avg float64) float64 {
	return k1 * (1 - b + b*float64(length)/avg)
}

// bm25Weight is the weight of a term counted n times in a document of
// norm bm25Norm.
func bm25Weight(n int32, norm float64) int32 {
	w := float64(n) * (k1 + 1) / (float64(n) + norm)
	return int32(max(1, int(math.Round(w*10))))
}

// compact drops the terms that no document has any more (df 0) once they
// are most of the dictionary, and brings the term order up to date. It
// returns df by the new term IDs.
func (x *Indexer) compact(ents []*docEntry, df []int32) []int32 {
	unused := 0
	for _, n := range df {
		if n == 0 {
			unused++
		}
	}
	if unused > 1024 && unused > len(x.terms)/2 {
		remap := make([]int32, len(x.terms))
		terms := make([]string, 0, len(x.terms)-unused)
		ids := make(map[string]int32, len(x.terms)-unused)
		ndf := make([]int32, 0, len(x.terms)-unused)
		for id, t := range x.terms {
			if df[id] > 0 {
				remap[id] = int32(len(terms))
				ids[t] = int32(len(terms))
				terms = append(terms, t)
				ndf = append(ndf, df[id])
			}
		}
		var buf []termCount
		for _, e := range ents { // every entry left: Build dropped the others
			e.terms, buf = e.terms.remap(remap, buf)
		}
		x.terms, x.ids, x.order, df = terms, ids, nil, ndf
	}
	if len(x.order) < len(x.terms) { // new terms: sort them, merge them in
		added := make([]int32, 0, len(x.terms)-len(x.order))
		for id := len(x.order); id < len(x.terms); id++ {
			added = append(added, int32(id))
		}
		if x.order == nil { // all of them: the order was dropped or never made
			added = added[:0]
			for id := range x.terms {
				added = append(added, int32(id))
			}
		}
		sort.Slice(added, func(i, j int) bool { return x.terms[added[i]] < x.terms[added[j]] })
		order := make([]int32, 0, len(x.terms))
		i, j := 0, 0
		for i < len(x.order) && j < len(added) {
			if x.terms[x.order[i]] < x.terms[added[j]] {
				order = append(order, x.order[i])
				i++
			} else {
				order = append(order, added[j])
				j++
			}
		}
		order = append(append(order, x.order[i:]...), added[j:]...)
		x.order = order
	}
	return df
}

func metaWith(d Doc, snippet string) DocMeta {
	m := DocMeta{URL: d.URL, Title: d.Title, Kind: d.Kind, Outlet: d.Outlet, Snippet: snippet}
	if !d.Date.IsZero() {
		m.Date = d.Date.Format("2006-01-02")
	}
	return m
}

// appendEntry appends "term":[d0,w0,d1-d0,w1,...] to b.
func appendEntry(b []byte, t string, ps []posting) []byte {
	b = appendTerm(b, t)
	b = append(b, ":["...)
	var last int32
	for i, p := range ps {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendInt(b, p.doc-last)
		b = append(b, ',')
		b = appendInt(b, p.weight)
		last = p.doc
	}
	return append(b, ']')
}

// appendInt appends v in decimal: most gaps and weights are a digit or
// two.
func appendInt(b []byte, v int32) []byte {
	switch {
	case 0 <= v && v < 10:
		return append(b, byte('0'+v))
	case 10 <= v && v < 100:
		return append(b, byte('0'+v/10), byte('0'+v%10))
	}
	return strconv.AppendInt(b, int64(v), 10)
}

// appendTerm appends t as a JSON string, as json.Marshal writes it.
func appendTerm(b []byte, t string) []byte {
	for i := 0; i < len(t); i++ {
		if c := t[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			j, _ := json.Marshal(t) // a string always encodes
			return append(b, j...)
		}
	}
	b = append(b, '"')
	b = append(b, t...)
	return append(b, '"')
}

// sameDate reports whether two dates sort and show alike in the index: the
// same instant with the same offset (the day is shown in the date's own
// zone). A date read again from a file has a new *time.Location, which
// == would count as a change and rewrite the whole index.
func sameDate(a, b time.Time) bool {
	_, oa := a.Zone()
	_, ob := b.Zone()
	return a.Equal(b) && oa == ob
}
