package annotations

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"strconv"

	"github.com/archive-project/archive/annotate"
	"github.com/archive-project/archive/cmd/archive/internal/crossref"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// The layer keeps what it made of each article and passage (notes, marks,
// passage pages, JSON-LD) from one build to the next, under a key of
// exactly what it read, so that a build costs what changed plus a pass of
// cheap hashes: an edit to one article of 10,000 must be answered in well
// under a second (archive serve). The keys are 64-bit maphashes with a
// per-process seed (fpSeed): they are compared only within one process.
//
// Coverage is the whole point: a key that misses an input leaves a note or
// page stale. Each key below lists what it covers next to the code that
// reads it; keys_test.go changes each input and checks that the output
// follows.

// hasher writes length-prefixed fields into a maphash.
type hasher struct{ h maphash.Hash }

func newHasher() *hasher {
	h := &hasher{}
	h.h.SetSeed(fpSeed)
	return h
}

func (h *hasher) u64(v uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	h.h.Write(b[:])
}
func (h *hasher) int(v int) { h.u64(uint64(v)) }
func (h *hasher) str(s string) {
	h.int(len(s))
	h.h.WriteString(s)
}
func (h *hasher) bool(b bool) {
	if b {
		h.h.WriteByte(1)
	} else {
		h.h.WriteByte(0)
	}
}
func (h *hasher) float(f float64) { h.u64(math.Float64bits(f)) }
func (h *hasher) sum() uint64     { return h.h.Sum64() }

// inputs turns a key into a site.ExtraPage's Inputs (never zero, which
// would mean "encode Data").
func inputs(k uint64) [32]byte {
	var b [32]byte
	binary.LittleEndian.PutUint64(b[:], k)
	copy(b[8:], "annotations")
	return b
}

// jsonFP is what the MarshalJSON methods below return: a fingerprint, not
// the value (see noteData.MarshalJSON).
func jsonFP(k uint64) []byte { return strconv.AppendUint(nil, k, 10) }

// artKey covers what the layer and the passage page hook read of an
// article: its file (front matter and body), path, URLs, the fields made
// from its front matter, and its outlet's name.
func artKey(a *site.Article) uint64 {
	h := newHasher()
	ch := a.ContentHash()
	h.h.Write(ch[:])
	h.str(a.Src.Path)
	h.str(a.URL)
	h.str(a.Permalink)
	h.str(a.Slug)
	h.str(a.ID)
	h.str(a.Title)
	h.str(a.Subtitle)
	h.str(a.Author)
	h.str(a.SourceURL)
	hashTime(h, a)
	h.bool(a.Outlet != nil)
	h.str(outletName(a))
	return h.sum()
}

func hashTime(h *hasher, a *site.Article) {
	name, off := a.Date.Zone()
	h.u64(uint64(a.Date.Unix()))
	h.int(a.Date.Nanosecond())
	h.int(off)
	h.str(name)
}

// docKey covers what crossref reads of an article (see docOf).
func docKey(a *site.Article) uint64 {
	h := newHasher()
	ch := a.ContentHash()
	h.h.Write(ch[:])
	h.int(a.Src.BodyLine)
	hashTime(h, a)
	h.str(outletName(a))
	h.str(seedSum(a))
	return h.sum()
}

// passInfo is what one build knows of a passage before its pages.
type passInfo struct {
	// nk covers what a note on any of the passage's occurrences reads of
	// the passage: its id, class, and each occurrence's id, article (its
	// artKey), place in the comments and similarity, in order.
	nk uint64
	// pk covers what its page shows but the alignments: nk, the canonical
	// text, the earliest occurrence, and each occurrence's text.
	pk uint64
	// rk covers its PassageRef (links on the index, outlet and seed pages).
	rk  uint64
	ref PassageRef
}

// passageInfo computes p's keys and ref; l.mu is held and l.arts is this
// build's.
func (l *Layer) passageInfo(p *crossref.Passage) *passInfo {
	h := newHasher()
	h.str(p.ID)
	h.str(string(p.Class))
	h.int(len(p.Occs))
	for _, x := range p.Occs {
		k, ok := l.akey(x.Doc)
		h.str(x.ID)
		h.str(x.Doc)
		h.bool(ok)
		h.u64(k)
		h.bool(x.InComments)
		h.int(x.N)
		h.float(p.Occurrences[x.N].Similarity)
	}
	nk := h.sum()
	h = newHasher()
	h.u64(nk)
	h.str(p.Canonical)
	h.int(p.Earliest)
	for _, x := range p.Occs {
		h.str(p.Occurrences[x.N].Text)
	}
	pk := h.sum()

	// Outlets: how many outlets carry the passage.
	var names []string
	for _, d := range p.Docs {
		a := l.art(d)
		if a == nil || a.Outlet == nil {
			continue
		}
		dup := false
		for _, n := range names {
			if n == a.Outlet.Name {
				dup = true
				break
			}
		}
		if !dup {
			names = append(names, a.Outlet.Name)
		}
	}
	h = newHasher()
	h.str(l.root)
	h.str(p.ID)
	h.str(p.Canonical)
	h.str(string(p.Class))
	h.int(len(names))
	rk := h.sum()
	pi := &passInfo{nk: nk, pk: pk, rk: rk}
	if e, ok := l.refCache[p.ID]; ok && e.rk == rk {
		pi.ref = e.ref
	} else {
		pi.ref = PassageRef{ID: p.ID, URL: l.passageURL(p.ID), Text: clip(p.Canonical, 160), Class: string(p.Class), Outlets: len(names)}
	}
	return pi
}

// notesKey covers what articleNotes reads for a: the site root, the
// article (artKey), its occurrences (place, id, passage notes key), its
// editor notes (place, id, text) and the articles it shares passages with
// (their artKeys and counts).
func (l *Layer) notesKey(a *site.Article, st *artState) uint64 {
	h := newHasher()
	h.str(l.root)
	h.str(a.Src.Path)
	h.u64(st.akey)
	refs := l.ix.Docs[a.Src.Path]
	if refs == nil {
		h.int(-1)
		return h.sum()
	}
	h.int(len(refs.Occs))
	for _, o := range refs.Occs {
		h.int(o.Start)
		h.int(o.End)
		h.int(o.N)
		h.str(o.ID)
		if pi := l.pinfo[o.P]; pi != nil {
			h.u64(pi.nk)
		} else {
			h.u64(0) // not a shared passage of this build: articleNotes fails alike
		}
	}
	h.int(len(refs.Notes))
	for _, n := range refs.Notes {
		h.int(n.Start)
		h.int(n.End)
		h.str(n.ID)
		h.str(n.Note.Note)
	}
	h.int(len(refs.Shares))
	for _, s := range refs.Shares {
		k, ok := l.akey(s.Doc)
		h.str(s.Doc)
		h.bool(ok)
		h.u64(k)
		h.int(s.Passages)
	}
	return h.sum()
}

// hookKey covers what OnPassagePage's function may read beyond the
// passage (see OnPassagePage): the site's configuration and home, and the
// newest article date.
func hookKey(sd *site.SiteData) uint64 {
	h := newHasher()
	fmt.Fprintf(&h.h, "%#v", sd.Config)
	h.str(sd.Home)
	var newest *site.Article
	for _, a := range sd.Articles {
		if newest == nil || a.Date.After(newest.Date) {
			newest = a
		}
	}
	h.int(len(sd.Articles))
	if newest != nil {
		hashTime(h, newest)
	}
	return h.sum()
}

// alignRef identifies an alignment by its array: the index never changes
// an alignment in place, and a cache entry that holds the pointer keeps
// the array from being reused.
type alignRef struct {
	p *annotate.Op
	n int
}

func alignOf(ops []annotate.Op) alignRef {
	if len(ops) == 0 {
		return alignRef{}
	}
	return alignRef{&ops[0], len(ops)}
}
