package annotations

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/archive-project/archive/annotate"
	"github.com/archive-project/archive/cmd/archive/internal/crossref"
	"github.com/archive-project/archive/cmd/archive/internal/site"
	"github.com/archive-project/archive/cmd/archive/internal/webanno"
)

// PassagePage is the .Data of /passages/<id>/ (layouts/passage.html).
type PassagePage struct {
	ID          string
	Canonical   string
	Class       string // source or reporting
	Label       string
	Outlets     int
	Occurrences []OccurrenceView // in date order
	// Extra is what OnPassagePage's function added (e.g. citations).
	Extra any
}

// OccurrenceView is one wording of a passage.
type OccurrenceView struct {
	Outlet, Title, Author  string
	Date                   time.Time
	URL                    string // the marked words on the article page
	InComments             bool
	First                  bool // earliest by date
	Similarity             int  // percent
	Text                   string
	Diff                   template.HTML // word-level comparison with the canonical text
	Same, Subst, Ins, Omit int
}

// PassagesPage is the .Data of /passages/ (layouts/passages.html).
type PassagesPage struct {
	Passages []PassageRef
	Total    int
}

// pageEntry is a passage page as the last build made it.
type pageEntry struct {
	pk, hk uint64     // the passage's page key, and what the hook read (0 without a hook)
	aligns []alignRef // the alignments its diffs were made from
	page   site.ExtraPage
	body   uint64 // of what the page shows but Extra
}

// indexEntry is /passages/ as the last build made it.
type indexEntry struct {
	key  uint64
	page site.ExtraPage
}

func (l *Layer) pages(sd *site.SiteData) ([]site.ExtraPage, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ix == nil {
		return nil, nil
	}
	var global uint64
	if l.passageExtra != nil {
		global = hookKey(sd)
	}
	out := make([]site.ExtraPage, 0, len(l.ix.Passages)+1)
	made := make(map[string]*pageEntry, len(l.ix.Passages))
	ih := newHasher()
	ih.int(len(l.ix.Passages))
	for _, p := range l.ix.Passages {
		pi := l.pinfo[p]
		ih.u64(pi.rk)
		e, err := l.passagePage(p, pi, global)
		if err != nil {
			return nil, err
		}
		made[p.ID] = e
		out = append(out, e.page)
	}
	l.pageData = made
	if key := ih.sum(); l.index == nil || l.index.key != key {
		idx := PassagesPage{Total: len(l.ix.Passages), Passages: make([]PassageRef, 0, len(l.ix.Passages))}
		for _, p := range l.ix.Passages {
			idx.Passages = append(idx.Passages, l.pinfo[p].ref)
		}
		desc := fmt.Sprintf("%d passages that the archived articles share, most widely quoted first.", len(l.ix.Passages))
		l.index = &indexEntry{key: key, page: site.ExtraPage{Path: "passages/index.html", Kind: "passages",
			Title: "Shared passages", Description: desc, Data: idx, Inputs: inputs(key)}}
	}
	out = append(out, l.index.page)
	return out, nil
}

// passagePage makes p's page, or takes it from the last build when
// nothing it shows changed; l.mu is held.
func (l *Layer) passagePage(p *crossref.Passage, pi *passInfo, global uint64) (*pageEntry, error) {
	old := l.pageData[p.ID]
	var hk uint64
	if l.passageExtra != nil {
		h := newHasher()
		h.u64(global)
		h.str(l.root)
		h.u64(pi.pk)
		hk = h.sum()
	}
	// The alignments of the occurrences on the page (pk covers which
	// those are).
	sameAligns := old != nil && old.pk == pi.pk
	if sameAligns {
		i := 0
		for _, o := range p.Occs {
			if l.art(o.Doc) == nil {
				continue
			}
			if i == len(old.aligns) || old.aligns[i] != alignOf(p.Occurrences[o.N].Alignment) {
				sameAligns = false
				break
			}
			i++
		}
		sameAligns = sameAligns && i == len(old.aligns)
	}
	if sameAligns && old.hk == hk {
		return old, nil
	}
	var aligns []alignRef
	if sameAligns {
		aligns = old.aligns
	} else {
		aligns = make([]alignRef, 0, len(p.Occs))
		for _, o := range p.Occs {
			if l.art(o.Doc) != nil {
				aligns = append(aligns, alignOf(p.Occurrences[o.N].Alignment))
			}
		}
	}
	e := &pageEntry{pk: pi.pk, hk: hk, aligns: aligns}
	var pg PassagePage
	if sameAligns {
		pg, e.body = old.page.Data.(PassagePage), old.body
	} else {
		pg = PassagePage{ID: p.ID, Canonical: p.Canonical, Class: string(p.Class), Label: classLabel(p.Class), Outlets: pi.ref.Outlets}
		h := newHasher()
		h.u64(pi.pk)
		h.int(pi.ref.Outlets)
		diffs := map[alignRef]OccurrenceView{} // occurrences with the same words share an alignment
		for _, o := range p.Occs {
			a := l.art(o.Doc)
			if a == nil {
				continue
			}
			occ := p.Occurrences[o.N]
			v := OccurrenceView{Title: a.Title, Author: a.Author, Date: a.Date, URL: a.URL + "#" + o.ID,
				InComments: o.InComments, First: o.N == p.Earliest, Similarity: int(occ.Similarity*100 + 0.5), Text: occ.Text}
			if a.Outlet != nil {
				v.Outlet = a.Outlet.Name
			}
			ar := alignOf(occ.Alignment)
			if d, ok := diffs[ar]; ok && ar.p != nil {
				v.Diff, v.Same, v.Subst, v.Ins, v.Omit = d.Diff, d.Same, d.Subst, d.Ins, d.Omit
			} else {
				v.Diff, v.Same, v.Subst, v.Ins, v.Omit = diffHTML(occ.Alignment)
				diffs[ar] = v
			}
			h.str(string(v.Diff))
			h.int(v.Same)
			h.int(v.Subst)
			h.int(v.Ins)
			h.int(v.Omit)
			pg.Occurrences = append(pg.Occurrences, v)
		}
		e.body = h.sum()
	}
	pg.Extra = nil
	if l.passageExtra != nil {
		if old != nil && old.hk == hk {
			pg.Extra = old.page.Data.(PassagePage).Extra
		} else {
			x, err := l.passageExtra(l.info(p))
			if err != nil {
				return nil, err
			}
			pg.Extra = x
		}
	}
	h := newHasher()
	h.u64(e.body)
	h.u64(hk)
	e.page = site.ExtraPage{Path: "passages/" + p.ID + "/index.html", Kind: "passage",
		Title: "Passage: " + Clip(p.Canonical, 60), Description: Clip(p.Canonical, 200), Data: pg, Inputs: inputs(h.sum())}
	return e, nil
}

// diffHTML renders a collation as text with omissions struck through and
// insertions underlined (<del>, <ins>), so it reads without colour.
func diffHTML(ops []annotate.Op) (h template.HTML, same, subst, ins, omit int) {
	var b strings.Builder
	esc := template.HTMLEscapeString
	glue := true // no space before the first token
	for _, op := range ops {
		tok := op.Witness
		if tok == "" {
			tok = op.Canonical
		}
		if !glue && !(op.Punct && !opensPhrase(tok)) {
			b.WriteByte(' ')
		}
		glue = op.Punct && (opensPhrase(tok) || joins(tok))
		switch op.Kind {
		case annotate.Same:
			same++
			b.WriteString(esc(op.Witness))
		case annotate.Subst:
			subst++
			fmt.Fprintf(&b, `<span class="v-subst"><del title="canonical wording">%s</del> <ins title="this wording">%s</ins></span>`, esc(op.Canonical), esc(op.Witness))
		case annotate.Insert:
			ins++
			fmt.Fprintf(&b, `<ins title="added here">%s</ins>`, esc(op.Witness))
		case annotate.Omit:
			omit++
			fmt.Fprintf(&b, `<del title="left out here">%s</del>`, esc(op.Canonical))
		}
	}
	return template.HTML(b.String()), same, subst, ins, omit
}

// files publishes the annotations as JSON-LD, and each article's body as
// the text the selectors point into.
func (l *Layer) files(sd *site.SiteData) (map[string][]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.pending && l.lastFiles != nil {
		// A carried-over build (archive serve) keeps the published data
		// for its follow-up, which finds the passages anew.
		return l.lastFiles, nil
	}
	out, err := l.buildFiles(sd)
	if err == nil {
		l.lastFiles = out
	}
	return out, err
}

// encoded is JSON-LD the layer keeps across builds under a key of what
// it was made from.
type encoded struct {
	key   uint64
	items []webanno.Encoded
}

// jsonldCache is the JSON-LD of the last full build (see buildFiles).
type jsonldCache struct {
	passages map[string]encoded // a passage's annotation, by passage id
	notes    map[string]encoded // an article's notes, by content path
	articles map[string]encoded // an article's collection (one item: the file), by content path
	all      encoded            // the site's collection
}

// buildFiles makes the JSON-LD and texts; l.mu is held. Each passage's
// and article's JSON-LD is kept under a key of what it shows: the site
// root, the passage, and its articles' artKeys (permalink, body) with the
// occurrences' places; for notes, the language and the notes.
func (l *Layer) buildFiles(sd *site.SiteData) (map[string][]byte, error) {
	if l.ix == nil {
		return map[string][]byte{}, nil
	}
	out := make(map[string][]byte, 2*len(sd.Articles)+1)
	old := l.jsonld
	if old == nil {
		old = &jsonldCache{}
	}
	c := &jsonldCache{passages: make(map[string]encoded, len(l.ix.Passages)), notes: map[string]encoded{},
		articles: make(map[string]encoded, len(sd.Articles))}
	type item struct {
		key uint64
		an  webanno.Encoded
	}
	// Each annotation is encoded once: a passage's belongs to every
	// article that quotes it and to the site's collection.
	perArticle := make(map[string][]item, len(sd.Articles))
	var all []item
	for _, p := range l.ix.Passages {
		h := newHasher()
		h.str(l.absRoot)
		h.str(p.ID)
		h.str(p.Canonical)
		for _, o := range p.Occs {
			if l.art(o.Doc) == nil {
				continue
			}
			h.str(o.Doc)
			h.u64(l.akeyOf(o.Doc))
			h.int(o.Start)
			h.int(o.End)
		}
		key := h.sum()
		e, ok := old.passages[p.ID]
		if !ok || e.key != key {
			var targets []webanno.Target
			for _, o := range p.Occs {
				a := l.art(o.Doc)
				if a == nil {
					continue
				}
				targets = append(targets, webanno.TextTarget(a.FilesURL()+"body.md", a.Permalink, l.arts[o.Doc].bodyString(), o.Start, o.End))
			}
			page := l.absPassageURL(p)
			an, err := webanno.Encode(webanno.Link(page, "Shared passage: "+Clip(p.Canonical, 80), page, targets))
			if err != nil {
				return nil, err
			}
			e = encoded{key: key, items: []webanno.Encoded{an}}
		}
		c.passages[p.ID] = e
		it := item{key, e.items[0]}
		all = append(all, it)
		for _, d := range p.Docs {
			perArticle[d] = append(perArticle[d], it)
		}
	}
	for _, a := range sd.Articles {
		refs := l.ix.Docs[a.Src.Path]
		if refs == nil {
			continue
		}
		if len(refs.Notes) > 0 {
			h := newHasher()
			h.u64(l.akeyOf(a.Src.Path))
			h.str(sd.Language)
			for _, n := range refs.Notes {
				h.str(n.ID)
				h.str(n.Note.Note)
				h.int(n.Start)
				h.int(n.End)
			}
			key := h.sum()
			e, ok := old.notes[a.Src.Path]
			if !ok || e.key != key {
				e = encoded{key: key}
				for _, n := range refs.Notes {
					an, err := webanno.Encode(webanno.Comment(a.Permalink+"#"+n.ID, n.Note.Note, sd.Language,
						webanno.TextTarget(a.FilesURL()+"body.md", a.Permalink, l.arts[a.Src.Path].bodyString(), n.Start, n.End)))
					if err != nil {
						return nil, err
					}
					e.items = append(e.items, an)
				}
			}
			c.notes[a.Src.Path] = e
			for i, an := range e.items {
				it := item{key + uint64(i), an} // the i-th of the notes under key
				all = append(all, it)
				perArticle[a.Src.Path] = append(perArticle[a.Src.Path], it)
			}
		}
		items := perArticle[a.Src.Path]
		if len(items) == 0 {
			continue // nothing points into this article's text
		}
		base := a.Dir()
		out[base+"body.md"] = a.Src.Body
		h := newHasher()
		h.u64(l.akeyOf(a.Src.Path))
		h.int(len(items))
		for _, it := range items {
			h.u64(it.key)
		}
		key := h.sum()
		e, ok := old.articles[a.Src.Path]
		if !ok || e.key != key {
			var buf bytes.Buffer
			id := a.FilesURL() + "annotations.jsonld"
			if err := webanno.WriteEncoded(&buf, webanno.NewCollection(id, "Annotations of "+a.Title, nil), encodedOf(items, func(it item) webanno.Encoded { return it.an })); err != nil {
				return nil, err
			}
			e = encoded{key: key, items: []webanno.Encoded{buf.Bytes()}}
		}
		c.articles[a.Src.Path] = e
		out[base+"annotations.jsonld"] = e.items[0]
	}
	h := newHasher()
	h.str(l.absRoot)
	h.str(sd.Title)
	h.int(len(all))
	for _, it := range all {
		h.u64(it.key)
	}
	key := h.sum()
	c.all = old.all
	if old.all.key != key || old.all.items == nil {
		var buf bytes.Buffer
		if err := webanno.WriteEncoded(&buf, webanno.NewCollection(l.absRoot+"annotations.jsonld", "All annotations of "+sd.Title, nil), encodedOf(all, func(it item) webanno.Encoded { return it.an })); err != nil {
			return nil, err
		}
		c.all = encoded{key: key, items: []webanno.Encoded{buf.Bytes()}}
	}
	out["annotations.jsonld"] = c.all.items[0]
	l.jsonld = c
	return out, nil
}

func encodedOf[T any](items []T, f func(T) webanno.Encoded) []webanno.Encoded {
	out := make([]webanno.Encoded, len(items))
	for i, it := range items {
		out[i] = f(it)
	}
	return out
}

func (l *Layer) absPassageURL(p *crossref.Passage) string {
	return l.absRoot + "passages/" + p.ID + "/"
}

// opensPhrase is punctuation that sticks to the word after it.
func opensPhrase(tok string) bool {
	return strings.ContainsAny(tok, "“‘([«\"'") && len([]rune(tok)) == 1
}

// joins is punctuation that sticks to the words on both sides.
func joins(tok string) bool { return tok == "-" || tok == "/" || tok == "‐" }
