package annotations

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/archive-project/archive/annotate"
	"github.com/archive-project/archive/cmd/archive/internal/cite"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// PassagePage is the .Data of a page of /passages/<id>/ (layouts/
// passage.html): the passage, and one page of its occurrences in date
// order with the distinct wordings among them, each compared word by word
// with the canonical wording once, whatever the number of articles that
// print it.
type PassagePage struct {
	ID          string
	Canonical   string
	Class       string // source or reporting
	Label       string
	Outlets     int
	Occurrences int // in all
	Wordings    int // distinct wordings in all
	// Travel is this page's occurrences, in date order.
	Travel []OccurrenceView
	// Groups are the distinct wordings of this page's occurrences, in the
	// order they first appear, each with the occurrences that print it.
	Groups []Wording
	// Cite cites the passage as the article it first appeared in; on
	// every page of the passage.
	Cite *PassageCite
}

// OccurrenceView is one occurrence of a passage.
type OccurrenceView struct {
	Outlet, Title, Author string
	Date                  time.Time
	// Dated, ISODate and DateText are Date as the layout shows it
	// (site.Article's), and Name is Outlet, else Title: fields, not
	// template calls, in the page's longest ranges.
	Dated             bool
	ISODate, DateText string
	Name              string
	URL               string // the marked words on the article page
	InComments        bool
	First             bool   // earliest by date
	Wording           string // element id of its wording on the page, w-N
}

// Wording is one distinct wording of a passage, compared with the canonical.
type Wording struct {
	ID                     string // element id, w-1, w-2 ...
	Text                   string
	Similarity             int // percent
	Diff                   []DiffOp
	Same, Subst, Ins, Omit int
	Occurrences            []OccurrenceView // on this page, that print it
	// Only is the one occurrence when only one prints it, else nil;
	// Partial says Similarity is under 90, Changed that the wording
	// differs from the canonical (Subst, Ins or Omit): fields, not
	// template calls, for the layout.
	Only             *OccurrenceView
	Partial, Changed bool
}

// DiffOp is one word of a collation, or a run of words both wordings
// share, as layouts/collation.html shows it: omissions struck through and
// insertions underlined (<del>, <ins>), so it reads without colour. A run
// of "same" words is one DiffOp whose Witness (and Canonical) holds the
// words with the spaces between them: a passage copied into thousands of
// articles has a collation of thousands of words on each page, and the
// layout's few actions for each word were a tenth of a build's time.
type DiffOp struct {
	Kind      string // same, substituted, inserted, omitted (annotate.OpKind)
	Canonical string
	Witness   string
	Space     bool // a space goes before it
	// Shared, Substituted and Inserted say which Kind it is (none:
	// omitted), for layouts to test without an eq call per word: the
	// collations were the most executed actions of a build.
	Shared, Substituted, Inserted bool
}

// PassagesPage is the .Data of a page of /passages/ (layouts/passages.html).
type PassagesPage struct {
	Passages []site.Link // this page's passages, most widely shared first
	Total    int
}

// Emit adds the passage pages, /passages/, the timeline and the
// collection of annotations (site.Feature).
func (f *Feature) Emit(ctx context.Context, s *site.Site, out *site.Emitter) error {
	f.mu.RLock()
	defer f.mu.RUnlock()
	keys := make(map[string]site.Key, len(f.pageKeys))
	emit := func(p site.FeaturePage) error {
		keys[p.Path] = p.Key
		if err := ctx.Err(); err != nil {
			return err
		}
		return out.Page(p)
	}
	if s.Incremental() {
		// Only the passages of the edited articles changed (their
		// wordings); the lists and the collection did not.
		for _, p := range f.touched {
			if err := f.passagePages(s, p, emit); err != nil {
				return err
			}
		}
		return nil
	}
	for _, p := range f.ix.Passages {
		if err := f.passagePages(s, p, emit); err != nil {
			return err
		}
	}
	if err := f.passagesIndex(s, emit); err != nil {
		return err
	}
	if err := f.timeline(s, emit); err != nil {
		return err
	}
	f.pageKeys = keys
	return f.collection(s, out)
}

// passagePages emits the pages of p.
func (f *Feature) passagePages(s *site.Site, p *Passage, emit func(site.FeaturePage) error) error {
	var occs []*Occ // those whose article is in the build
	for _, o := range p.Occs {
		if s.Article(o.Doc) != nil {
			occs = append(occs, o)
		}
	}
	pi := f.info[p]
	firstArt := f.firstArticle(s, p)
	head := site.NewHasher().Key(pi.key).String(p.Canonical, s.Config.Title).Int(p.Outlets)
	if firstArt != nil {
		head.Key(firstArt.LinkKey()).String(firstArt.Author, firstArt.SourceURL, firstArt.ID).Time(firstArt.Date).Time(firstArt.Src.Meta.Captured)
	}
	hk := head.Sum()
	dir := "passages/" + p.ID + "/"
	var cite struct {
		once sync.Once
		c    *PassageCite
		err  error
	}
	citeOf := func() (*PassageCite, error) { // the same on every page: made once
		cite.once.Do(func() {
			if firstArt != nil {
				cite.c, cite.err = f.passageCite(s, p, firstArt)
			}
		})
		return cite.c, cite.err
	}
	pagers := s.Paginate(len(occs), dir)
	// The only build of its Builder (site.Site.Only: archive build) lets
	// go of the passage's alignments once each of its pages has read
	// them: only these pages show them (about 330 MB at 100,000 copied
	// articles, held through the search index, the build's peak).
	left := new(atomic.Int64)
	left.Store(int64(len(pagers)))
	for _, pgr := range pagers {
		page := occs[pgr.From:pgr.To]
		var read atomic.Bool // this page's data was made
		h := site.NewHasher().Key(hk).Int(pgr.Number).Int(pgr.Total)
		for _, o := range page {
			a := s.Article(o.Doc)
			h.Key(a.LinkKey()).String(a.Author, o.ID, p.Occurrences[o.N].Text).Time(a.Date).Bool(o.InComments).Bool(o.N == p.Earliest)
		}
		title := "Passage: " + Clip(p.Canonical, 60)
		if pgr.Number > 1 {
			title += fmt.Sprintf(" (page %d of %d)", pgr.Number, pgr.Total)
		}
		err := emit(site.FeaturePage{Path: pgr.Path(), Kind: "passage", Title: title, Description: Clip(p.Canonical, 200),
			Pager: pgr, Key: h.Sum(), Data: func() (any, error) {
				pg, err := f.passagePage(s, p, page, citeOf)
				if s.Only() && !read.Swap(true) && left.Add(-1) == 0 {
					for i := range p.Occurrences {
						p.Occurrences[i].Alignment = nil
					}
				}
				return pg, err
			}})
		if err != nil {
			return err
		}
	}
	return nil
}

// passagePage makes the data of one page of p's occurrences.
func (f *Feature) passagePage(s *site.Site, p *Passage, occs []*Occ, citeOf func() (*PassageCite, error)) (any, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	pg := PassagePage{ID: p.ID, Canonical: p.Canonical, Class: string(p.Class), Label: classLabel(p.Class), Outlets: p.Outlets,
		Occurrences: len(p.Occs), Wordings: f.info[p].wordings}
	pg.Travel = make([]OccurrenceView, 0, len(occs))
	group := map[string]int{} // wording text -> index in pg.Groups
	for _, o := range occs {
		a := s.Article(o.Doc)
		occ := p.Occurrences[o.N]
		g, ok := group[occ.Text]
		if !ok {
			g = len(pg.Groups)
			group[occ.Text] = g
			w := Wording{ID: fmt.Sprintf("w-%d", g+1), Text: occ.Text, Similarity: int(occ.Similarity*100 + 0.5)}
			w.Diff, w.Same, w.Subst, w.Ins, w.Omit = collationOf(p, o.N)
			w.Partial, w.Changed = w.Similarity < 90, w.Subst+w.Ins+w.Omit > 0
			pg.Groups = append(pg.Groups, w)
		}
		v := OccurrenceView{Title: a.Title, Author: a.Author, Date: a.Date, Dated: a.Dated, ISODate: a.ISODate, DateText: a.DateText,
			URL: a.URL + "#" + o.ID, InComments: o.InComments, First: o.N == p.Earliest, Wording: pg.Groups[g].ID}
		if a.Outlet != nil {
			v.Outlet = a.Outlet.Name
		}
		v.Name = v.Outlet
		if v.Name == "" {
			v.Name = v.Title
		}
		pg.Travel = append(pg.Travel, v)
		pg.Groups[g].Occurrences = append(pg.Groups[g].Occurrences, v)
	}
	for i := range pg.Groups {
		if g := &pg.Groups[i]; len(g.Occurrences) == 1 {
			g.Only = &g.Occurrences[0]
		}
	}
	c, err := citeOf()
	if err != nil {
		return nil, err
	}
	pg.Cite = c
	return pg, nil
}

// collation turns an alignment into the words layouts/collation.html
// shows, each run of words the wordings share as one DiffOp.
func collation(ops []annotate.Op) (diff []DiffOp, same, subst, ins, omit int) {
	c := collator{glue: true}
	for _, op := range ops {
		c.add(op)
	}
	c.finish()
	return c.diff, c.same, c.subst, c.ins, c.omit
}

// collationOf is collation(p.Alignment(n)) from the compact alignment
// itself: no slice of its steps, the DiffOps in one allocation at their
// number, the runs' words in another. The slices and builders of the
// collations were most of the data of a passage page.
func collationOf(p *Passage, n int) (diff []DiffOp, same, subst, ins, omit int) {
	c := collator{glue: true}
	if n < len(p.align) && p.align[n] != nil {
		al := p.align[n]
		if al.full == nil {
			ops, runs, runBytes, inRun := 0, 0, 0, false
			for _, o := range al.ops {
				if o.kind != 0 || p.Canonical[o.c:o.c+uint32(o.cn)] != al.text[o.w:o.w+uint32(o.wn)] {
					ops, inRun = ops+1, false
					continue
				}
				if !inRun {
					ops, runs, inRun = ops+1, runs+1, true
				}
				runBytes += int(o.wn) + 1
			}
			c.diff, c.runs, c.arena = make([]DiffOp, 0, ops), make([]int, 0, 3*runs), make([]byte, 0, runBytes)
		}
		al.each(p.Canonical, c.add)
	}
	c.finish()
	return c.diff, c.same, c.subst, c.ins, c.omit
}

// collator makes a collation a step at a time. The words of each run of
// shared words go into one arena; finish points each run's DiffOp at its
// part of it.
type collator struct {
	diff                   []DiffOp
	same, subst, ins, omit int
	glue                   bool // no space before the next token
	inRun                  bool // diff ends with a run of shared words
	arena                  []byte
	runs                   []int // diff index, arena start and end of each run
}

func (c *collator) add(op annotate.Op) {
	tok := op.Witness
	if tok == "" {
		tok = op.Canonical
	}
	d := DiffOp{Kind: string(op.Kind), Canonical: op.Canonical, Witness: op.Witness,
		Space:  !c.glue && !(op.Punct && !opensPhrase(tok)),
		Shared: op.Kind == annotate.Same, Substituted: op.Kind == annotate.Subst, Inserted: op.Kind == annotate.Insert}
	c.glue = op.Punct && (opensPhrase(tok) || joins(tok))
	switch op.Kind {
	case annotate.Same:
		c.same++
	case annotate.Subst:
		c.subst++
	case annotate.Insert:
		c.ins++
	case annotate.Omit:
		c.omit++
	}
	if op.Kind != annotate.Same || op.Canonical != op.Witness {
		c.endRun()
		c.diff = append(c.diff, d)
		return
	}
	if !c.inRun {
		c.diff = append(c.diff, d)
		c.runs = append(c.runs, len(c.diff)-1, len(c.arena), 0)
		c.inRun = true
	} else if d.Space {
		c.arena = append(c.arena, ' ')
	}
	c.arena = append(c.arena, d.Witness...)
}

func (c *collator) endRun() {
	if c.inRun {
		c.runs[len(c.runs)-1] = len(c.arena)
		c.inRun = false
	}
}

func (c *collator) finish() {
	c.endRun()
	// The arena is not written again: its strings need no copy.
	words := unsafe.String(unsafe.SliceData(c.arena), len(c.arena))
	for i := 0; i < len(c.runs); i += 3 {
		d := &c.diff[c.runs[i]]
		d.Witness = words[c.runs[i+1]:c.runs[i+2]]
		d.Canonical = d.Witness
	}
}

// opensPhrase is punctuation that sticks to the word after it.
func opensPhrase(tok string) bool {
	return strings.ContainsAny(tok, "“‘([«\"'") && len([]rune(tok)) == 1
}

// joins is punctuation that sticks to the words on both sides.
func joins(tok string) bool { return tok == "-" || tok == "/" || tok == "‐" }

// passagesIndex emits the pages of /passages/.
func (f *Feature) passagesIndex(s *site.Site, emit func(site.FeaturePage) error) error {
	all := f.ix.Passages
	desc := fmt.Sprintf("%d passages that the archived articles share, most widely quoted first.", len(all))
	for _, pgr := range s.Paginate(len(all), "passages/") {
		list := all[pgr.From:pgr.To]
		h := site.NewHasher().Int(len(all)).Int(pgr.Number).Int(pgr.Total)
		links := make([]site.Link, len(list))
		for i, p := range list {
			links[i] = f.passageLink(s, p)
			h.String(links[i].Text, links[i].URL, links[i].Detail, links[i].Class)
		}
		title := "Shared passages"
		if pgr.Number > 1 {
			title += fmt.Sprintf(", page %d of %d", pgr.Number, pgr.Total)
		}
		data := PassagesPage{Passages: links, Total: len(all)}
		err := emit(site.FeaturePage{Path: pgr.Path(), Kind: "passages", Title: title, Description: desc, Pager: pgr,
			Key: h.Sum(), Data: func() (any, error) { return data, nil }})
		if err != nil {
			return err
		}
	}
	return nil
}

// PassageCite is what a passage page says of how to cite it.
type PassageCite struct {
	Cite   cite.Set
	Title  string // the article cited: where the passage first appeared
	URL    string // the quote in it
	Outlet string
	// SameDay names the other articles that carry the passage on the same
	// day, when a bare date leaves unknown which came first.
	SameDay []string
}

// passageCite cites a passage as the article it first appeared in, at the
// quote's permalink.
func (f *Feature) passageCite(s *site.Site, p *Passage, a *site.Article) (*PassageCite, error) {
	var mark string
	for _, o := range p.Occs {
		if o.Doc == a.Src.Path && (p.Earliest < 0 || o.N == p.Earliest) {
			mark = o.ID
			break
		}
	}
	w := site.Work(a, s.Config.Title, time.Time{}) // accessed: the captured date, else none
	w.Permalink = a.Permalink + "#" + mark
	w.ID = a.ID + "#" + mark
	set, err := w.All()
	if err != nil {
		return nil, fmt.Errorf("passage %s: citation: %w", p.ID, err)
	}
	pc := &PassageCite{Cite: set, Title: a.Title, URL: a.URL + "#" + mark}
	if a.Outlet != nil {
		pc.Outlet = a.Outlet.Name
	}
	seen := map[*site.Article]bool{a: true}
	for _, o := range p.Occs { // in date order, undated last
		b := s.Article(o.Doc)
		if b != nil && !a.Date.IsZero() && b.Date.After(a.Date.AddDate(0, 0, 2)) {
			break // later days, and the undated, cannot be the same day
		}
		if b != nil && !seen[b] && sameDayUnsure(a.Date, b.Date) {
			seen[b] = true
			name := b.Title
			if b.Outlet != nil {
				name = b.Outlet.Name
			}
			pc.SameDay = append(pc.SameDay, name)
		}
	}
	return pc, nil
}

// sameDayUnsure says whether a and b fall on one calendar day while one of
// them is a bare date (midnight), so their order within the day is unknown.
func sameDayUnsure(a, b time.Time) bool {
	if a.IsZero() || b.IsZero() {
		return false
	}
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	bare := func(t time.Time) bool { return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 }
	return ay == by && am == bm && ad == bd && (bare(a) || bare(b))
}

// Clip shortens s to about n characters at a word boundary, with an
// ellipsis: how passage texts are cut short on pages, in the JSON-LD and
// in search results.
func Clip(s string, n int) string {
	if len(s) <= n { // no more runes than bytes
		return s
	}
	if !utf8.ValidString(s) {
		return clipRunes(s, n)
	}
	// at is where rune n begins, if s has more than n runes: s is walked
	// without a []rune copy (Clip was most of the CPU of an article's
	// annotation files).
	at, k := -1, 0
	for i := range s {
		if k == n {
			at = i
			break
		}
		k++
	}
	if at < 0 {
		return s
	}
	for cut := n; cut > n/2 && s[at] != ' '; cut-- {
		_, size := utf8.DecodeLastRuneInString(s[:at])
		at -= size
	}
	return strings.TrimRight(s[:at], " ,;:") + "…"
}

// clipRunes is Clip through a []rune, which turns invalid UTF-8 into
// U+FFFD as Clip always did.
func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := n
	for cut > n/2 && r[cut] != ' ' {
		cut--
	}
	return strings.TrimRight(string(r[:cut]), " ,;:") + "…"
}
