package search

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
)

// Patch updates the last build's files for documents whose text alone
// changed since it (the same URL, title, kind, outlet and date; Text or
// Load gives the new text), and returns the files it changed. `archive
// serve` answers an edit with it while the passages are being found
// again (WithDeferWhile): the edited article is found by its new words at
// once, not only after the follow-up build.
//
// A patched index is close to, not the same as, the one Build would make:
// the weights keep the last build's average document length, a term's
// document count may cross the stop-term line unnoticed, and a shard may
// grow past its size. The next Build writes every file again, exactly.
// ok is false, and nothing changed, when a document is new, gone or
// moved in the order (its title, kind, outlet or date changed), or there
// was no last build: the caller keeps the last index until a full Build.
func (x *Indexer) Patch(docs []Doc) (files map[string][]byte, ok bool, err error) {
	return x.PatchFrom(docs, nil)
}

// PatchFrom is Patch for an Indexer that let go of its last files' bytes
// (LetGo): read gives those of the shards it patches (archive serve reads
// them back from the site it serves). When read has not got one, the
// Indexer is left as after a failed build (the next Build writes every
// file), and ok is false: the caller keeps the last index.
func (x *Indexer) PatchFrom(docs []Doc, read func(p string) ([]byte, bool)) (files map[string][]byte, ok bool, err error) {
	if x.err != nil || x.last == nil || x.pos == nil {
		return nil, false, nil
	}
	type edit struct {
		e  *docEntry
		id int32
		d  Doc
	}
	var edits []edit
	for _, d := range docs {
		e := x.docs[d.URL]
		id, known := x.pos[d.URL]
		if e == nil || !known || e.seen != x.build || e.d.Title != d.Title || e.d.Kind != d.Kind ||
			e.d.Outlet != d.Outlet || !sameDate(e.d.Date, d.Date) {
			return nil, false, nil
		}
		if textKey(d) != e.text {
			edits = append(edits, edit{e, id, d})
		}
	}
	if len(edits) == 0 {
		return map[string][]byte{}, true, nil
	}
	// What each term shard and doc shard gains and loses.
	terms := map[int]map[string][]change{} // shard -> term -> changes
	metas := map[int]map[int32]string{}    // doc shard -> doc ID -> snippet
	tt := newTermTable()
	x.patched = true // the entries move on: the next Build writes every file
	for _, ed := range edits {
		old := map[int32]int32{}
		oldNorm := bm25Norm(ed.e.length, x.avg)
		ed.e.terms.each(func(id, n int32) { old[id] = bm25Weight(n, oldNorm) })
		x.keep(ed.e, x.tokenise(ed.d, tt, nil), ed.d)
		newNorm := bm25Norm(ed.e.length, x.avg)
		add := func(id, w int32) {
			t := x.terms[id]
			if x.stop[t] {
				return
			}
			k := x.termShard(t)
			if terms[k] == nil {
				terms[k] = map[string][]change{}
			}
			terms[k][t] = append(terms[k][t], change{ed.id, w})
		}
		ed.e.terms.each(func(id, n int32) {
			w := bm25Weight(n, newNorm)
			if ow, had := old[id]; !had || ow != w {
				add(id, w)
			}
			delete(old, id)
		})
		for id := range old {
			add(id, 0)
		}
		k := int(ed.id) / x.o.docsPerShard
		if metas[k] == nil {
			metas[k] = map[int32]string{}
		}
		metas[k][ed.id] = ed.e.snippet
	}
	lost := false
	last := func(p string) []byte {
		b, had := x.last[p]
		if had && b == nil {
			if read != nil {
				b, had = read(p)
			}
			lost = lost || !had
		}
		return b
	}
	files = map[string][]byte{}
	for k, byTerm := range terms {
		p := x.o.prefix + "t/" + strconv.Itoa(k) + ".json"
		old := last(p)
		if lost {
			x.last = nil // the entries moved on: the next build writes again
			return nil, false, nil
		}
		b, err := patchTermShard(old, byTerm)
		if err != nil {
			return nil, false, fmt.Errorf("search: patching %s: %w", p, err)
		}
		files[p] = b
	}
	for k, snippets := range metas {
		p := x.o.prefix + "d/" + strconv.Itoa(k) + ".json"
		var shard []DocMeta
		old := last(p)
		if lost {
			x.last = nil
			return nil, false, nil
		}
		if err := json.Unmarshal(old, &shard); err != nil {
			return nil, false, fmt.Errorf("search: patching %s: %w", p, err)
		}
		for id, s := range snippets {
			shard[int(id)%x.o.docsPerShard].Snippet = s
		}
		files[p] = appendDocShard(make([]byte, 0, len(old)+256), shard)
	}
	for p, b := range files {
		x.last[p] = b
	}
	return files, true, nil
}

// LetGo lets go of the bytes of the last build's files, keeping their
// paths: archive serve's site holds them once its build is good, and
// PatchFrom reads back the few an edit patches (about 200 MB at 100,000
// articles, held beside every follow-up build's search for passages).
func (x *Indexer) LetGo() {
	for p := range x.last {
		x.last[p] = nil
	}
}

// change is a document's new weight in a term's posting list; 0 when the
// document no longer has the term.
type change struct{ doc, weight int32 }

// termShard is the term shard t belongs in: the last whose bound is ≤ t.
func (x *Indexer) termShard(t string) int {
	return sort.Search(len(x.bounds), func(i int) bool { return x.bounds[i] > t })
}

// patchTermShard applies changes to the posting lists of one term shard
// ({"term":[d0,w0,d1-d0,w1,...],\n...}), adding a term it lacks.
func patchTermShard(shard []byte, byTerm map[string][]change) ([]byte, error) {
	lists := map[string][]int32{}
	if len(shard) > 0 {
		if err := json.Unmarshal(shard, &lists); err != nil {
			return nil, err
		}
	}
	for t, changes := range byTerm {
		var ps []posting
		var d int32
		l := lists[t]
		for i := 0; i+1 < len(l); i += 2 {
			d += l[i]
			ps = append(ps, posting{d, l[i+1]})
		}
		for _, c := range changes {
			i := sort.Search(len(ps), func(i int) bool { return ps[i].doc >= c.doc })
			switch {
			case i < len(ps) && ps[i].doc == c.doc && c.weight == 0:
				ps = append(ps[:i], ps[i+1:]...)
			case i < len(ps) && ps[i].doc == c.doc:
				ps[i].weight = c.weight
			case c.weight != 0:
				ps = append(ps[:i], append([]posting{{c.doc, c.weight}}, ps[i:]...)...)
			}
		}
		if len(ps) == 0 {
			delete(lists, t)
			continue
		}
		enc := make([]int32, 0, 2*len(ps))
		var last int32
		for _, p := range ps {
			enc = append(enc, p.doc-last, p.weight)
			last = p.doc
		}
		lists[t] = enc
	}
	keys := make([]string, 0, len(lists))
	for t := range lists {
		keys = append(keys, t)
	}
	sort.Strings(keys)
	out := []byte("{")
	var entry []byte
	for i, t := range keys {
		if i > 0 {
			out = append(out, ",\n"...)
		}
		l := lists[t]
		ps := make([]posting, 0, len(l)/2)
		var d int32
		for j := 0; j+1 < len(l); j += 2 {
			d += l[j]
			ps = append(ps, posting{d, l[j+1]})
		}
		entry = appendEntry(entry[:0], t, ps)
		out = append(out, entry...)
	}
	return append(out, "}\n"...), nil
}
