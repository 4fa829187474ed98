package reader

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/annotations"
	"github.com/archive-project/archive/cmd/archive/internal/cite"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// What the reader keeps between builds, so that a build that changed one
// article of many does not make every citation, list and page again:
//
//   - per article (artState), the fields the reader's pages and citations
//     show of it, compared with the build's article in analyze. Each time
//     they change the article gets a new generation number, unique within
//     the Reader, so a page's inputs are the generations of the articles
//     it shows (and, for passages, what the annotation layer says of them);
//   - per page (pageMemo), the Data made from those inputs and their
//     fingerprint, which is also the page's site.ExtraPage.Inputs: the site
//     then neither encodes nor hashes the Data.
//
// Passage citations are kept by the annotation layer, which asks for one
// again only when something it may read changed.
//
// Fingerprints use hash/maphash with a per-process seed: they are compared
// only within one process (a site.Builder's page cache).

// artState is what the reader read of one article in the last analysis.
type artState struct {
	entry entryKey
	eg    uint64 // generation of entry
	cite  citeKey
	work  cite.Work
	wg    uint64 // generation of work and set
	set   citeSet
	setv  any            // set, boxed
	extra map[string]any // the Article.Extra handed out with set
	seen  uint64         // the build that last saw the article
}

// entryKey is what lists show of an article (Entry) and what passage
// citations and the timeline name it by.
type entryKey struct {
	title, url, outlet, outletURL string
	date                          dateKey
}

func entryKeyOf(a *site.Article) entryKey {
	k := entryKey{title: a.Title, url: a.URL, date: dateKeyOf(a.Date)}
	if a.Outlet != nil {
		k.outlet, k.outletURL = a.Outlet.Name, a.Outlet.URL
	}
	return k
}

// citeKey is the rest of what Work reads of an article.
type citeKey struct {
	id, author, sourceURL, permalink string
	captured                         dateKey
}

func citeKeyOf(a *site.Article) citeKey {
	return citeKey{id: a.ID, author: a.Author, sourceURL: a.SourceURL, permalink: a.Permalink, captured: dateKeyOf(a.Src.Meta.Captured)}
}

// dateKey is a time as pages show it: the instant and the zone it is
// written in (time.Time's == also compares the *Location, which a file
// read again makes anew; Equal ignores the zone, which shows).
type dateKey struct {
	sec       int64
	nsec, off int32
	zone      string
}

func dateKeyOf(t time.Time) dateKey {
	name, off := t.Zone()
	return dateKey{sec: t.Unix(), nsec: int32(t.Nanosecond()), off: int32(off), zone: name}
}

// next returns a new generation number; r.mu is held.
func (r *Reader) next() uint64 {
	r.gen++
	return r.gen
}

// pageMemo is a page's Data as the last build made it.
type pageMemo struct {
	key    uint64 // fingerprint of its inputs; 0: none made yet
	data   any
	desc   string
	inputs [32]byte
}

// get returns the page's Data, description and Inputs for inputs key,
// making them with make only when key changed.
func (m *pageMemo) get(kind string, key uint64, make func() (any, string)) (any, string, [32]byte) {
	if m.key != key || m.key == 0 {
		m.data, m.desc = make()
		var b []byte
		b = fmt.Appendf(b, "reader %s %d %s", kind, key, m.desc)
		m.key, m.inputs = key, sha256.Sum256(b)
	}
	return m.data, m.desc, m.inputs
}

var fpSeed = maphash.MakeSeed()

// fp builds a fingerprint: length-prefixed strings and numbers.
type fp struct {
	h   maphash.Hash
	buf [8]byte
}

func newFP() *fp {
	f := &fp{}
	f.h.SetSeed(fpSeed)
	return f
}

func (f *fp) u64(v uint64) {
	binary.LittleEndian.PutUint64(f.buf[:], v)
	f.h.Write(f.buf[:])
}

func (f *fp) str(s string) {
	f.u64(uint64(len(s)))
	f.h.WriteString(s)
}

func (f *fp) sum() uint64 {
	if s := f.h.Sum64(); s != 0 {
		return s
	}
	return 1 // 0 means "none" in pageMemo
}

// gen is the entry generation of a, or a new number when a was not in
// this build's analysis (the page is then made again); r.mu is held.
func (r *Reader) entryGen(a *site.Article) uint64 {
	if st := r.byArt[a]; st != nil {
		return st.eg
	}
	return r.next()
}

// articlesKey fingerprints the build's articles in order, as lists show
// them; r.mu is held.
func (r *Reader) articlesKey(sd *site.SiteData) uint64 {
	f := newFP()
	f.str(sd.Home)
	f.u64(uint64(len(sd.Articles)))
	for _, a := range sd.Articles {
		f.u64(r.entryGen(a))
	}
	return f.sum()
}

// passagesKey fingerprints what the timeline shows of the passages, on top
// of the articles (articlesKey); r.mu is held.
func (r *Reader) passagesKey(ps []annotations.PassageInfo) uint64 {
	f := newFP()
	f.u64(uint64(len(ps)))
	for _, p := range ps {
		f.str(p.ID)
		f.str(p.URL)
		f.str(p.Canonical)
		f.str(p.Label)
		f.str(p.Class)
		f.u64(uint64(int64(p.Earliest)))
		f.u64(uint64(len(p.Occurrences)))
		for _, o := range p.Occurrences {
			f.u64(r.entryGen(o.Article))
			f.str(o.Mark)
		}
	}
	return f.sum()
}

// AppendFingerprint appends a fingerprint of the citation, made once
// (site.Fingerprinter).
func (pc *PassageCite) AppendFingerprint(b []byte) []byte {
	if pc.fp == nil {
		type plain PassageCite // without the fingerprint
		j, err := json.Marshal((*plain)(pc))
		if err != nil {
			return fmt.Appendf(b, "%#v", *pc)
		}
		sum := sha256.Sum256(j)
		pc.fp = fmt.Appendf(nil, `"%x"`, sum[:8])
	}
	return append(b, pc.fp...)
}

var (
	_ site.Fingerprinter = citeSet{}
	_ site.Fingerprinter = (*PassageCite)(nil)
)
