package annotate

import (
	"fmt"
	"math"
	"strings"
	"sync"
)

// texts gives Find the text of a document: held in Document.Text (Find),
// or loaded each time it is needed (FindFrom).
type texts struct {
	ds   []Document // sorted by ID
	load Loader     // nil: the texts are held
	orig []int      // ds[d] is the caller's orig[d]-th document
	lens []int      // with a loader: each text's length at its first load
}

// first loads document d's text for the scan: its length and quoted
// ranges are kept; d is written by one goroutine.
func (t *texts) first(d int) (string, error) {
	text, quoted, err := t.load(t.orig[d])
	if err != nil {
		return "", err
	}
	if err := tooLong(t.ds[d].ID, len(text)); err != nil {
		return "", err
	}
	if len(quoted) > 0 {
		t.ds[d].Quoted = clampSpans(quoted, len(text))
	}
	t.lens[d] = len(text)
	return text, nil
}

// text is document d's text, held or loaded again.
func (t *texts) text(d int) (string, error) {
	if t.load == nil {
		return t.ds[d].Text, nil
	}
	text, _, err := t.load(t.orig[d])
	if err != nil {
		return "", err
	}
	if len(text) != t.lens[d] {
		return "", fmt.Errorf("annotate: document %q changed while Find read it (%d bytes, then %d); find the passages again once it stays the same", t.ds[d].ID, t.lens[d], len(text))
	}
	return text, nil
}

// tooLong says whether a text is past the 4 GiB that offsets can hold.
func tooLong(id string, n int) error {
	if n >= math.MaxUint32 {
		return fmt.Errorf("annotate: document %q is %d bytes; the limit is 4 GiB", id, n)
	}
	return nil
}

// firstError is the first error of errs (by document: deterministic), or nil.
func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// byDoc calls f for each document that items are in, in parallel, with
// the indexes of its items: at[doc] lists them. It stops once stop
// returns an error, and returns the error of the lowest document that f
// failed on, else stop's.
func byDoc(ndocs int, items []uint32, workers int, stop func() error, f func(doc int, idx []int32) error) error {
	at := make([]int32, ndocs+1)
	for _, d := range items {
		at[d+1]++
	}
	var docs []int32 // the documents that have items
	for d := range ndocs {
		if at[d+1] > 0 {
			docs = append(docs, int32(d))
		}
		at[d+1] += at[d]
	}
	idx := make([]int32, len(items))
	next := make([]int32, ndocs)
	copy(next, at[:ndocs])
	for i, d := range items {
		idx[next[d]] = int32(i)
		next[d]++
	}
	next = nil
	errs := make([]error, len(docs))
	var mu sync.Mutex
	failed := false
	parallel(len(docs), workers, func(_, i int) {
		mu.Lock()
		skip := failed
		mu.Unlock()
		if skip || i%16 == 0 && stop() != nil {
			return
		}
		d := docs[i]
		if err := f(int(d), idx[at[d]:at[d+1]]); err != nil {
			errs[i] = err
			mu.Lock()
			failed = true
			mu.Unlock()
		}
	})
	if err := firstError(errs); err != nil {
		return err
	}
	return stop()
}

// resolve finds, with a loader, the byte offsets, texts and quotation of
// the groups' occurrences, reading each document that holds some once:
// what the collation (collation.one) finds from held texts. An
// occurrence's text is a copy, one for all occurrences of equal words.
func resolve(groups []group, tx *texts, marks [][]uint32, o options) error {
	var items []uint32 // each occurrence's document
	var refs [][2]int32
	for gi, g := range groups {
		r := g.done
		r.pre, r.preAtt = make([]Occurrence, len(r.occ)), make([]bool, len(r.occ))
		for j, iv := range r.occ {
			items = append(items, iv.doc)
			refs = append(refs, [2]int32{int32(gi), int32(j)})
		}
	}
	var mu sync.Mutex
	copies := map[string]string{}
	keep := func(s string) string {
		mu.Lock()
		defer mu.Unlock()
		c, ok := copies[s]
		if !ok {
			c = strings.Clone(s)
			copies[s] = c
		}
		return c
	}
	var pool sync.Pool
	return byDoc(len(tx.ds), items, o.workers, o.stopped, func(doc int, idx []int32) error {
		text, err := tx.text(doc)
		if err != nil {
			return err
		}
		d := tx.ds[doc]
		d.Text = text
		sc, _ := pool.Get().(*scanner)
		if sc == nil {
			sc = newScanner(false, false)
		}
		defer pool.Put(sc)
		var at [][2]int
		for _, k := range idx {
			ref := refs[k]
			r := groups[ref[0]].done
			iv := r.occ[ref[1]]
			at = wordOffsets(sc, text, marks[doc], []uint32{iv.start, iv.end - 1}, at[:0])
			s, e := at[0][0], at[len(at)-1][1]
			spans := quotedAround(d, s, e)
			oc := Occurrence{Doc: d.ID, Start: s, End: e, Text: keep(text[s:e]), Quoted: 2*coveredBytes(spans, s, e) >= e-s}
			r.pre[ref[1]] = oc
			r.preAtt[ref[1]] = !oc.Quoted && attachedToQuote(text, spans, s, e)
		}
		return nil
	})
}
