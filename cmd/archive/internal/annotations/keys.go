package annotations

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"time"

	"github.com/archive-project/archive/annotate"
	"github.com/archive-project/archive/cmd/archive/internal/crossref"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// The layer keeps what it made of each article and passage (notes, marks,
// passage pages, JSON-LD) from one build to the next, under a key of
// exactly what it read, so that a build costs what changed plus a pass of
// cheap hashes: an edit to one article of 10,000 must be answered in well
// under 150 ms (archive serve, issue 5). The keys are 64-bit maphashes with a
// per-process seed (fpSeed): they are compared only within one process.
//
// Coverage is the whole point: a key that misses an input leaves a note or
// page stale. Each key below lists what it covers next to the code that
// reads it; cache_test.go changes each input and checks that the output
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

// mix folds v into the key k. The hot keys below hash structs of their
// fields with maphash.Comparable (one call per struct, the map hasher per
// field) rather than field by field.
func mix[T comparable](k uint64, v T) uint64 {
	return maphash.Comparable(fpSeed, struct {
		k uint64
		v T
	}{k, v})
}

// when is a date as a key holds it.
type when struct {
	sec  int64
	nsec int
	off  int
	zone string
}

func whenOf(t time.Time) when {
	name, off := t.Zone()
	return when{t.Unix(), t.Nanosecond(), off, name}
}

// artKey covers what the layer and the passage page hook read of an
// article: its file (front matter and body), path, URLs, the fields made
// from its front matter, and its outlet's name.
func artKey(a *site.Article) uint64 {
	return maphash.Comparable(fpSeed, struct {
		content                                                         [32]byte
		path, url, permalink, slug, id, title, subtitle, author, source string
		date                                                            when
		hasOutlet                                                       bool
		outlet                                                          string
	}{a.ContentHash(), a.Src.Path, a.URL, a.Permalink, a.Slug, a.ID, a.Title, a.Subtitle, a.Author, a.SourceURL,
		whenOf(a.Date), a.Outlet != nil, outletName(a)})
}

// docKey covers what crossref reads of an article (see docOf).
func docKey(a *site.Article) uint64 {
	return maphash.Comparable(fpSeed, struct {
		content      [32]byte
		bodyLine     int
		date         when
		outlet, seed string
	}{a.ContentHash(), a.Src.BodyLine, whenOf(a.Date), outletName(a), seedSum(a)})
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
	type occ struct {
		id, doc    string
		known      bool
		akey       uint64
		inComments bool
		n          int
		sim        uint64
	}
	nk := mix(0, struct {
		id, class string
		n         int
	}{p.ID, string(p.Class), len(p.Occs)})
	for _, x := range p.Occs {
		k, ok := l.akey(x.Doc)
		nk = mix(nk, occ{x.ID, x.Doc, ok, k, x.InComments, x.N, math.Float64bits(p.Occurrences[x.N].Similarity)})
	}
	pk := mix(nk, struct {
		canonical string
		earliest  int
	}{p.Canonical, p.Earliest})
	for _, x := range p.Occs {
		pk = mix(pk, p.Occurrences[x.N].Text)
	}

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
	rk := mix(0, struct {
		root, id, canonical, class string
		outlets                    int
	}{l.root, p.ID, p.Canonical, string(p.Class), len(names)})
	pi := &passInfo{nk: nk, pk: pk, rk: rk}
	if e, ok := l.refCache[p.ID]; ok && e.rk == rk {
		pi.ref = e.ref
	} else {
		pi.ref = PassageRef{ID: p.ID, URL: l.passageURL(p.ID), Text: Clip(p.Canonical, 160), Class: string(p.Class), Outlets: len(names)}
	}
	return pi
}

// notesKey covers what articleNotes reads for a: the site root, the
// article (artKey), its occurrences (place, id, passage notes key), its
// editor notes (place, id, text) and the articles it shares passages with
// (their artKeys and counts).
func (l *Layer) notesKey(a *site.Article, st *artState) uint64 {
	refs := l.ix.Docs[a.Src.Path]
	n := -1
	if refs != nil {
		n = len(refs.Occs)
	}
	k := mix(0, struct {
		root, path string
		akey       uint64
		occs       int
	}{l.root, a.Src.Path, st.akey, n})
	if refs == nil {
		return k
	}
	type occ struct {
		start, end, n int
		id            string
		nk            uint64
	}
	for _, o := range refs.Occs {
		var nk uint64 // 0: not a shared passage of this build, and articleNotes fails alike
		if pi := l.pinfo[o.P]; pi != nil {
			nk = pi.nk
		}
		k = mix(k, occ{o.Start, o.End, o.N, o.ID, nk})
	}
	type note struct {
		start, end int
		id, note   string
	}
	k = mix(k, len(refs.Notes))
	for _, n := range refs.Notes {
		k = mix(k, note{n.Start, n.End, n.ID, n.Note.Note})
	}
	type share struct {
		doc      string
		known    bool
		akey     uint64
		passages int
	}
	k = mix(k, len(refs.Shares))
	for _, s := range refs.Shares {
		ak, ok := l.akey(s.Doc)
		k = mix(k, share{s.Doc, ok, ak, s.Passages})
	}
	return k
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
		h.u64(mix(0, whenOf(newest.Date)))
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
