// Package annotations puts the archive's shared passages and editor notes on
// the site: inline marks with notes on article pages, a page per passage
// comparing its wordings, cross-links on outlet and seed pages, and the
// whole as W3C Web Annotation JSON-LD.
//
// It plugs into the site build through site options (see Layer.Options):
//
//   - WithAnalysis runs crossref (annotate.Find plus note anchoring) over all
//     articles once per build, reusing the last result while no article's
//     text, date, outlet or notes changed;
//   - WithSpans and WithMarkdown mark each occurrence and note where it
//     stands, as <mark id="q-…"> (passages) or <mark id="n-…"> (notes),
//     followed by a numbered note reference and the note itself;
//   - WithSeedLines highlights the raw seed lines that hold occurrences;
//   - WithPages adds /passages/ and /passages/<id>/;
//   - WithFiles adds /annotations.jsonld and, for each article that has
//     annotations, /articles/<slug>/annotations.jsonld and
//     /articles/<slug>/body.md, the exact text their selectors point into.
//
// # Live mode
//
// NewLive makes the layer `archive serve` uses. An edit to at most 8
// articles whose dates, outlets and seeds stay the same is answered without
// finding passages: each occurrence in an edited text is found again where
// its words now stand (crossref.Index.Update) and its notes are anchored
// again, while the JSON-LD and the search index (package reader) keep their
// last version. The layer then reports Pending, and serve builds again at
// once with no changes; that build finds the passages anew, so passages an
// edit creates or joins appear a moment later. An edit that removes an
// occurrence's words, or any larger change, finds passages at once.
//
// # Work in proportion to the change
//
// A layer keeps what it made for each article and passage (marks and
// notes, passage pages and what OnPassagePage added, JSON-LD) from build
// to build, under 64-bit keys of exactly what each read (keys.go), and
// gives the site fingerprints it does not have to encode: passage pages
// carry Inputs, and ArticleNotes, OutletNotes and SeedNotes fingerprint
// themselves once, when made. While the index stays the same (an edit
// carried over, or no change to what crossref reads), only the articles
// and passages an edited article reaches are looked at again.
// TestCachedBuildsMatchFreshBuilds checks each input against fresh builds;
// BenchmarkLayerRebuild times what is left per build.
//
// # Notes without JavaScript
//
// Each mark is followed by <a role="doc-noteref" href="#note-ID"> and the
// note, <span role="doc-footnote" id="note-ID">, with a doc-backlink to the
// reference. Wide screens show notes in the margin (sidenotes); narrow
// screens show a note when its reference is followed (:target), and print
// shows them all as endnotes. Passages that quote a source document (the
// draft resolution) and shared reporting are marked differently, by border
// style as well as colour.
package annotations

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"html/template"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/util"

	"github.com/archive-project/archive/annotate"
	"github.com/archive-project/archive/cmd/archive/internal/article"
	"github.com/archive-project/archive/cmd/archive/internal/crossref"
	"github.com/archive-project/archive/cmd/archive/internal/marks"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// Layer holds the passages of the last build. It is safe for one build at
// a time, as site.Builder serialises builds.
type Layer struct {
	opts []annotate.Option

	mu   sync.Mutex
	key  uint64 // of what crossref read of all articles (see fingerprint)
	ix   *crossref.Index
	arts map[string]*artState // the last build's articles, by content path
	gen  uint64               // counts analyses, to find articles that left
	// The site's root, site-relative ("/" or "/sub/") and absolute, taken
	// from the articles' URLs in analyze.
	root, absRoot string
	md            goldmark.Markdown // renders editor notes

	passageExtra func(PassageInfo) (any, error) // see OnPassagePage

	// What the layer made in the last build, kept under keys of what it
	// read (keys.go), so that a build redoes only what changed.
	pinfo map[*crossref.Passage]*passInfo // this build's, by passage
	links map[*crossref.Passage][]string  // this analysis's, see otherLinks
	// pinfo, refCache and sharedBy were computed for keysIx and keysRoot,
	// and are brought up to date article by article while they stay
	// (dirtyAfter); settled says the last analysis completed.
	sharedBy map[string][]string // content path -> articles that name it among their shares
	keysIx   *crossref.Index
	keysRoot string
	settled  bool
	// The outlets' and seeds' notes of the last attachOutletsAndSeeds, by
	// outlet slug and seed file, and whether dirtyAfter changed a ref.
	outletNotes map[string]*OutletNotes
	seedNotes   map[string]*SeedNotes
	refsChanged bool
	refCache    map[string]refEntry   // PassageRef by passage id
	pageData    map[string]*pageEntry // passage pages by passage id
	index       *indexEntry           // /passages/
	seedHL      map[string][][2]int   // seed lines to highlight, by seed file
	jsonld      *jsonldCache          // of the last full build

	// Live mode (archive serve): an edit to a few articles carries the
	// passages over to their new text at once (crossref.Index.Update) and
	// leaves finding passages anew to the follow-up build (Pending).
	live    bool
	pending bool
	// lastFiles is the JSON-LD and texts of the last full build, kept
	// while a carried-over build waits for its follow-up.
	lastFiles map[string][]byte
}

// New returns a layer that finds passages with opts.
func New(opts ...annotate.Option) *Layer {
	return &Layer{opts: opts, md: noteMarkdown()}
}

// NewLive returns a layer for `archive serve`: it answers an edit to a few
// articles without finding passages again, then finds them in the
// follow-up build that Pending asks for, so a save shows at once and the
// marks are exact a moment later.
func NewLive(opts ...annotate.Option) *Layer {
	l := New(opts...)
	l.live = true
	return l
}

// Pending reports whether the last build carried passages over instead of
// finding them, and another build should find them.
func (l *Layer) Pending() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.pending
}

// Live reports whether the layer was made by NewLive.
func (l *Layer) Live() bool { return l.live }

// noteMarkdown renders an editor's note, which stands inside a <span> in
// the article's paragraph: inline Markdown (emphasis, code, links) and
// paragraphs only, which inlineHTML flattens. Block syntax (headings,
// lists, quotes, code blocks, rules, HTML blocks) stays text, since a
// block element in a paragraph is invalid HTML that browsers restructure.
func noteMarkdown() goldmark.Markdown {
	return goldmark.New(goldmark.WithParser(parser.NewParser(
		parser.WithBlockParsers(util.Prioritized(noteParagraph{parser.NewParagraphParser()}, 1000)),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
	)))
}

// noteParagraph is goldmark's paragraph parser that also takes indented
// lines, which would otherwise be left to the code block parser that
// notes do without, and be lost.
type noteParagraph struct{ parser.BlockParser }

func (noteParagraph) CanAcceptIndentedLine() bool { return true }

// Options returns the site options that add the layer to a build.
func (l *Layer) Options() []site.Option {
	return []site.Option{
		site.WithAnalysis(l.analyze),
		site.WithSpans(l.spansOf),
		site.WithMarkdown(&marks.Extension{After: l.after, Spans: fromSite}),
		site.WithSeedLines(l.seedLines),
		site.WithPages(l.pages),
		site.WithFiles(l.files),
		site.WithPending(l.Pending),
	}
}

// ArticleNotes is what an article page shows of the layer (.Article.Annotations).
type ArticleNotes struct {
	Shares     []Share // other articles this one shares passages with, at most maxShares
	MoreShares int     // how many more share passages with it
	Notes      []Note  // every note on the page, in reading order
	Marked     int     // occurrences marked
	// ShareItems and EndnoteItems are the <li> entries of the shares list
	// and of the endnotes, as the default layout shows them (see lists.go).
	ShareItems, EndnoteItems template.HTML

	fp uint64 // see AppendFingerprint; made by seal
}

// Share is another article and how many passages this one has in common with it.
type Share struct {
	Title, URL, Outlet string
	Passages           int
	Count              string // "1 passage", "3 passages": made here, not by a template function per entry
}

// maxShares caps the articles an article page names as sharing passages
// with it, most shared first; MoreShares counts the rest.
const maxShares = 12

// Note is one numbered note of an article page.
type Note struct {
	N     int
	ID    string        // element id of the mark; the note is note-ID, its reference ref-ID
	Kind  string        // "source", "reporting" or "editor"
	Label string        // e.g. "Quoted source text"
	HTML  template.HTML // the note's content
}

// OutletNotes is what an outlet page shows (.Outlet.Annotations).
type OutletNotes struct {
	Passages []PassageRef

	fp uint64 // see AppendFingerprint
}

// SeedNotes is what a seed page shows (.Seed.Annotations).
type SeedNotes struct {
	Lines []SeedLine

	fp uint64 // see AppendFingerprint
}

// SeedLine links seed lines to the passage they hold.
type SeedLine struct {
	From, To int
	Passage  PassageRef
}

// PassageRef is a link to a passage page.
type PassageRef struct {
	ID, URL, Text, Class string
	Outlets              int
}

func fromSite(pc parser.Context) []marks.Span {
	in := site.SpansFrom(pc)
	out := make([]marks.Span, len(in))
	for i, s := range in {
		out[i] = marks.Span{Start: s.Start, End: s.End, ID: s.ID, Class: s.Class, Data: s.Data}
	}
	return out
}

// analyze finds the passages of all articles, unless nothing they depend
// on changed since the last build.
func (l *Layer) analyze(ctx context.Context, arts []*site.Article) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	settled := l.settled
	l.settled = false // until this analysis completes
	dkeys := make([]uint64, len(arts))
	for i, a := range arts {
		dkeys[i] = docKey(a)
	}
	key := fingerprint(arts, dkeys)
	bodies := make([]string, len(arts)) // as strings, made once per edit (see body)
	switch {
	case l.ix != nil && key == l.key && !l.pending:
		// Nothing crossref reads changed.
	case l.live && l.ix != nil && key != l.key && l.carryOver(arts, dkeys, bodies):
		// Edits in a row are all carried over; the follow-up build (no
		// change, pending) finds the passages once they stop.
		l.key, l.pending = key, true
	default:
		wasPending := l.pending
		l.pending = false // whatever happens, this build does the work
		docs := make([]crossref.Doc, len(arts))
		for i, a := range arts {
			docs[i] = docOf(a, l.body(a, bodies, i))
		}
		ix, err := crossref.Build(docs, append(slices.Clip(l.opts), annotate.WithContext(ctx))...)
		if err != nil {
			if ctx.Err() != nil && wasPending && key == l.key {
				// A follow-up build stopped for the next edit (archive
				// serve): the carried-over index stands, still pending.
				l.pending = true
			}
			return err
		}
		l.ix, l.key, l.pending = ix, key, false
	}
	l.gen++
	if l.arts == nil {
		l.arts = make(map[string]*artState, len(arts))
	}
	var changed []string // articles whose keys changed, or new
	sameShape := true    // no changed article has or had a seed, or changed outlet
	for i, a := range arts {
		st := l.arts[a.Src.Path]
		if st == nil {
			st = &artState{}
			l.arts[a.Src.Path] = st
		}
		ak := artKey(a)
		if st.a == nil || st.akey != ak || st.dkey != dkeys[i] {
			changed = append(changed, a.Src.Path)
			sameShape = sameShape && st.a != nil && st.a.Seed == nil && a.Seed == nil &&
				outletName(st.a) == outletName(a) && outletSlug(st.a) == outletSlug(a)
		}
		st.a, st.dkey, st.akey, st.gen = a, dkeys[i], ak, l.gen
		if st.src != a.Src && bodies[i] != "" {
			st.src, st.body = a.Src, bodies[i]
		}
	}
	if len(l.arts) != len(arts) {
		for p, st := range l.arts {
			if st.gen != l.gen {
				delete(l.arts, p)
			}
		}
	}
	l.root, l.absRoot = "/", "/"
	if len(arts) > 0 {
		a := arts[0]
		l.root = a.Home()
		l.absRoot = strings.TrimSuffix(a.Permalink, a.URL) + a.Home()
	}
	// dirty lists the articles whose notes must be looked at again; nil
	// means all of them.
	var dirty map[string]bool
	if settled && l.ix == l.keysIx && l.root == l.keysRoot && (len(changed) <= maxCarried || len(changed) < len(arts)/4) {
		dirty = l.dirtyAfter(changed)
	} else {
		l.allPassageInfo()
	}
	l.links = nil // of this analysis (see otherLinks)
	for _, a := range arts {
		st := l.arts[a.Src.Path]
		if dirty != nil && !dirty[a.Src.Path] && st.notes.an != nil {
			a.Annotations = st.notes.an
			continue
		}
		k := l.notesKey(a, st)
		if st.notes.an == nil || st.notes.key != k {
			spans, an, err := l.articleNotes(a)
			if err != nil {
				return err
			}
			st.notes = notesEntry{key: k, spans: spans, an: an}
		}
		a.Annotations = st.notes.an
	}
	l.links = nil
	if dirty != nil && sameShape && !l.refsChanged && l.outletNotes != nil {
		l.reattach(arts)
	} else {
		l.attachOutletsAndSeeds(arts)
	}
	l.settled = true
	return nil
}

func outletSlug(a *site.Article) string {
	if a.Outlet == nil {
		return ""
	}
	return a.Outlet.Slug
}

// allPassageInfo computes the keys of every passage, and which articles
// name each article among those they share passages with; l.mu is held.
func (l *Layer) allPassageInfo() {
	l.pinfo = make(map[*crossref.Passage]*passInfo, len(l.ix.Passages))
	refs := make(map[string]refEntry, len(l.ix.Passages))
	for _, p := range l.ix.Passages {
		pi := l.passageInfo(p)
		l.pinfo[p] = pi
		refs[p.ID] = refEntry{pi.rk, pi.ref}
	}
	l.refCache = refs
	l.sharedBy = map[string][]string{}
	for d, r := range l.ix.Docs {
		for _, s := range r.Shares {
			l.sharedBy[s.Doc] = append(l.sharedBy[s.Doc], d)
		}
	}
	l.keysIx, l.keysRoot = l.ix, l.root
}

// dirtyAfter brings the passage keys up to date after the articles in
// changed changed, while the index is the one they were computed for
// (possibly carried over, crossref.Index.Update, for some of changed), and
// returns the articles whose notes may have changed: those, the articles
// of the passages they hold, and those that name them among the articles
// they share passages with. Every other input of notesKey is the same as
// in the last analysis. l.mu is held.
func (l *Layer) dirtyAfter(changed []string) map[string]bool {
	l.refsChanged = false
	dirty := make(map[string]bool, 8*len(changed))
	for _, d := range changed {
		dirty[d] = true
		for _, s := range l.sharedBy[d] {
			dirty[s] = true
		}
		refs := l.ix.Docs[d]
		if refs == nil {
			continue
		}
		for _, o := range refs.Occs {
			p := o.P
			pi := l.passageInfo(p)
			if old := l.pinfo[p]; old == nil || old.rk != pi.rk {
				l.refsChanged = true
			}
			l.pinfo[p] = pi
			l.refCache[p.ID] = refEntry{pi.rk, pi.ref}
			for _, e := range p.Docs {
				dirty[e] = true
			}
		}
	}
	return dirty
}

// artState is what the layer knows of an article from build to build.
type artState struct {
	a     *site.Article // of the last build
	dkey  uint64        // docKey: what crossref read of it
	akey  uint64        // artKey: what notes and pages read of it
	notes notesEntry
	gen   uint64 // the analysis that last saw it
	// The body as a string, for crossref and JSON-LD: converting 10,000
	// bodies every build copied 60 MB. The index's texts share it.
	src  *article.Article // the file body is of; held, so never reused
	body string
}

// bodyString returns the body of the article as a string.
func (st *artState) bodyString() string {
	if st.src != st.a.Src {
		st.src, st.body = st.a.Src, string(st.a.Src.Body)
	}
	return st.body
}

// body returns a's body as a string, from the last build's state while
// its file is the same; bodies[i] keeps what it made for analyze.
func (l *Layer) body(a *site.Article, bodies []string, i int) string {
	if bodies[i] != "" {
		return bodies[i]
	}
	if st := l.arts[a.Src.Path]; st != nil && st.src == a.Src {
		bodies[i] = st.body
	} else {
		bodies[i] = string(a.Src.Body)
	}
	return bodies[i]
}

// art returns the last build's article at a content path, or nil.
func (l *Layer) art(path string) *site.Article {
	if st := l.arts[path]; st != nil {
		return st.a
	}
	return nil
}

func (l *Layer) akeyOf(path string) uint64 {
	k, _ := l.akey(path)
	return k
}

// akey returns the artKey of the article at a content path, and whether
// the last build has it.
func (l *Layer) akey(path string) (uint64, bool) {
	if st := l.arts[path]; st != nil {
		return st.akey, true
	}
	return 0, false
}

// notesEntry is what articleNotes made of an article, under notesKey.
type notesEntry struct {
	key   uint64
	spans []site.Span
	an    *ArticleNotes
}

type refEntry struct {
	rk  uint64
	ref PassageRef
}

func docOf(a *site.Article, body string) crossref.Doc {
	d := crossref.Doc{Key: a.Src.Path, Body: body, BodyLine: a.Src.BodyLine,
		Date: a.Date, Notes: a.Src.Meta.Notes}
	if a.Outlet != nil {
		d.Outlet = a.Outlet.Name
	}
	if a.Seed != nil {
		d.Seed = a.Seed.Bytes()
	}
	return d
}

// maxCarried is how many edited articles one build carries passages over
// for; a larger change (a git checkout) finds them again at once.
const maxCarried = 8

// carryOver updates the index for the articles whose text alone changed
// since the last build, and reports whether it could: not when articles
// were added or removed, their dates, outlets or seeds changed, too many
// changed, or an edit removed a shared passage's words. On false the index
// may hold some updated articles; the caller builds it anew.
func (l *Layer) carryOver(arts []*site.Article, dkeys []uint64, bodies []string) bool {
	if len(arts) != len(l.arts) {
		return false
	}
	var changed []int
	for i, a := range arts {
		st := l.arts[a.Src.Path]
		if st == nil {
			return false
		}
		if st.dkey != dkeys[i] {
			changed = append(changed, i)
		}
	}
	if len(changed) > maxCarried {
		return false
	}
	for _, i := range changed {
		a := arts[i]
		prev := l.art(a.Src.Path)
		if prev == nil || !prev.Date.Equal(a.Date) || outletName(prev) != outletName(a) || seedSum(prev) != seedSum(a) {
			return false
		}
		if err := l.ix.Update(docOf(a, l.body(a, bodies, i))); err != nil {
			return false // a note error is reported by the full build
		}
	}
	return true
}

func outletName(a *site.Article) string {
	if a.Outlet == nil {
		return ""
	}
	return a.Outlet.Name
}

func seedSum(a *site.Article) string {
	if a.Seed == nil {
		return ""
	}
	return a.Seed.SHA256
}

// fingerprint covers everything crossref reads of the articles, in order.
func fingerprint(arts []*site.Article, dkeys []uint64) uint64 {
	h := newHasher()
	h.int(len(arts))
	for i, a := range arts {
		h.str(a.Src.Path)
		h.u64(dkeys[i])
	}
	return h.sum()
}

// noteData is the Data of a span: what the note after the mark says.
type noteData struct {
	N    int
	HTML string
	fp   uint64 // of N and HTML, made with the note (see AppendFingerprint)
}

func newNoteData(n int, html string) noteData {
	h := newHasher()
	h.int(n)
	h.str(html)
	return noteData{N: n, HTML: html, fp: h.sum()}
}

// fpSeed seeds the fingerprints below; they are compared only within one
// process (a Builder's cache), so a per-process seed is enough.
var fpSeed = maphash.MakeSeed()

// The values the layer attaches fingerprint themselves for the site.
var (
	_ site.Fingerprinter = noteData{}
	_ site.Fingerprinter = (*ArticleNotes)(nil)
	_ site.Fingerprinter = (*OutletNotes)(nil)
	_ site.Fingerprinter = (*SeedNotes)(nil)
)

// AppendFingerprint gives the site (site.Fingerprinter) a short
// fingerprint of the note, made with it: encoding every note's HTML cost
// more than the rest of the layer's rendering.
func (d noteData) AppendFingerprint(b []byte) []byte {
	return binary.LittleEndian.AppendUint64(b, d.fp)
}

// AppendFingerprint implements site.Fingerprinter.
func (an *ArticleNotes) AppendFingerprint(b []byte) []byte {
	return binary.LittleEndian.AppendUint64(b, an.fingerprint())
}

// fingerprint is the fingerprint seal made; every ArticleNotes the layer
// hands out is sealed, and none is changed afterwards, so the site's
// parallel workers only read it.
func (an *ArticleNotes) fingerprint() uint64 { return an.fp }

// seal computes the fingerprint AppendFingerprint returns and the list
// entries; an is not changed afterwards.
func (an *ArticleNotes) seal() *ArticleNotes {
	h := newHasher()
	h.int(an.Marked)
	h.int(an.MoreShares)
	h.int(len(an.Shares))
	for _, s := range an.Shares {
		h.str(s.Title)
		h.str(s.URL)
		h.str(s.Outlet)
		h.int(s.Passages)
		h.str(s.Count)
	}
	h.int(len(an.Notes))
	for _, n := range an.Notes {
		h.int(n.N)
		h.str(n.ID)
		h.str(n.Kind)
		h.str(n.Label)
		h.str(string(n.HTML))
	}
	an.fp = h.sum()
	an.renderLists()
	return an
}

func (l *Layer) articleNotes(a *site.Article) ([]site.Span, *ArticleNotes, error) {
	refs := l.ix.Docs[a.Src.Path]
	an := &ArticleNotes{}
	if refs == nil {
		return nil, an.seal(), nil
	}
	type item struct {
		start, end int
		id, class  string
		kind       string
		label      string
		html       string
	}
	var items []item
	for _, o := range refs.Occs {
		html, err := l.passageNote(a, o)
		if err != nil {
			return nil, nil, err
		}
		kind := string(o.P.Class)
		class := "passage passage-" + kind
		if sim := o.P.Occurrences[o.N].Similarity; sim < 0.9 {
			class += " passage-variant"
		}
		items = append(items, item{o.Start, o.End, o.ID, class, kind, classLabel(o.P.Class), html})
	}
	for _, n := range refs.Notes {
		var buf bytes.Buffer
		if err := l.md.Convert([]byte(n.Note.Note), &buf); err != nil {
			return nil, nil, &article.Error{File: a.Src.Path, Line: n.Line, Err: fmt.Errorf("note: %w", err), Fix: "correct the note's Markdown"}
		}
		items = append(items, item{n.Start, n.End, n.ID, "note", "editor", "Editor's note", inlineHTML(buf.String())})
	}
	sort.SliceStable(items, func(i, j int) bool {
		if items[i].start != items[j].start {
			return items[i].start < items[j].start
		}
		return items[i].end > items[j].end
	})
	spans := make([]site.Span, len(items))
	for i, it := range items {
		spans[i] = site.Span{Start: it.start, End: it.end, ID: it.id, Class: it.class, Data: newNoteData(i+1, it.html)}
		an.Notes = append(an.Notes, Note{N: i + 1, ID: it.id, Kind: it.kind, Label: it.label, HTML: template.HTML(it.html)})
	}
	an.Marked = len(refs.Occs)
	for _, s := range refs.Shares {
		o := l.art(s.Doc)
		if o == nil {
			continue
		}
		if len(an.Shares) == maxShares {
			an.MoreShares++
			continue
		}
		sh := Share{Title: o.Title, URL: o.URL, Passages: s.Passages, Count: fmt.Sprintf("%d passages", s.Passages)}
		if s.Passages == 1 {
			sh.Count = "1 passage"
		}
		if o.Outlet != nil {
			sh.Outlet = o.Outlet.Name
		}
		an.Shares = append(an.Shares, sh)
	}
	return spans, an.seal(), nil
}

func classLabel(c crossref.Class) string {
	if c == crossref.Source {
		return "Quoted source text"
	}
	return "Shared reporting"
}

// inlineHTML turns rendered Markdown paragraphs into phrasing content, so a
// note can stand inside a paragraph.
func inlineHTML(s string) string {
	s = strings.TrimSpace(s)
	s = strings.ReplaceAll(s, "<p>", "")
	s = strings.ReplaceAll(s, "</p>", " ")
	return strings.TrimSpace(s)
}

type noteLink struct{ Name, URL string }

// maxNoteLinks caps the other occurrences a note names; the passage page
// lists them all. Without a cap a passage quoted by k articles would put
// k links in each of its k notes.
const maxNoteLinks = 8

// passageNote is the HTML of the note after an occurrence: what kind of
// passage it is, where else it stands, and links to compare and to cite.
func (l *Layer) passageNote(a *site.Article, o *crossref.Occ) (string, error) {
	links := l.otherLinks(o.P)
	var others []string
	var here []noteLink
	more := 0
	for i, x := range o.P.Occs {
		if x == o || links[i] == "" {
			continue // itself, or not in this build
		}
		if x.Doc == a.Src.Path {
			where := "the article"
			if x.InComments {
				where = "reader comment"
			}
			here = append(here, noteLink{Name: where, URL: "#" + x.ID})
			continue
		}
		if len(others) == maxNoteLinks {
			more++
			continue
		}
		others = append(others, links[i])
	}
	esc := template.HTMLEscapeString
	var b strings.Builder
	b.Grow(512)
	b.WriteString(`<span class="note-label">`)
	b.WriteString(esc(classLabel(o.P.Class)))
	b.WriteString(`</span>`)
	if sim := o.P.Occurrences[o.N].Similarity; sim < 0.9 {
		fmt.Fprintf(&b, ` <span class="note-sim">(a reworded variant, %d%% alike)</span>`, int(sim*100+0.5))
	}
	if len(others) > 0 {
		b.WriteString(" Also in: ")
		b.WriteString(strings.Join(others, ", "))
		if more > 0 {
			fmt.Fprintf(&b, " and %d more", more)
		}
		b.WriteString(".")
	}
	if len(here) > 0 {
		b.WriteString(" Again on this page: ")
		for i, x := range here {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(noteAnchor(x.URL, x.Name))
		}
		b.WriteString(".")
	}
	fmt.Fprintf(&b, "\n<a href=\"%s\">Compare the %d wordings</a>", esc(l.passageURL(o.P.ID)), len(o.P.Occs))
	fmt.Fprintf(&b, "\n<a class=\"quotelink\" href=\"%s\" rel=\"bookmark\" title=\"The permalink of this quote, to copy\">Link to this quote</a>",
		esc(a.Permalink+"#"+o.ID))
	return b.String(), nil
}

func noteAnchor(url, name string) string {
	return `<a href="` + template.HTMLEscapeString(url) + `">` + template.HTMLEscapeString(name) + `</a>`
}

// otherLinks returns, for each occurrence of p, the link a note on
// another article makes to it ("" when its article is not in the build);
// made once per passage and analysis, as each of a passage's k notes
// names up to 8 of the others. l.mu is held.
func (l *Layer) otherLinks(p *crossref.Passage) []string {
	if links, ok := l.links[p]; ok {
		return links
	}
	links := make([]string, len(p.Occs))
	for i, x := range p.Occs {
		xa := l.art(x.Doc)
		if xa == nil {
			continue
		}
		name := xa.Title
		if xa.Outlet != nil {
			name = xa.Outlet.Name
		}
		if x.InComments {
			name += " (a reader comment)"
		}
		links[i] = noteAnchor(xa.URL+"#"+x.ID, name)
	}
	if l.links == nil {
		l.links = map[*crossref.Passage][]string{}
	}
	l.links[p] = links
	return links
}

func (l *Layer) passageURL(id string) string { return l.root + "passages/" + id + "/" }

func (l *Layer) spansOf(src *article.Article) []site.Span {
	l.mu.Lock()
	defer l.mu.Unlock()
	if st := l.arts[src.Path]; st != nil {
		return st.notes.spans
	}
	return nil
}

// after writes the note reference and the note after a mark's last fragment.
func (l *Layer) after(w util.BufWriter, s *marks.Span) error {
	d, ok := s.Data.(noteData)
	if !ok {
		return nil
	}
	id := template.HTMLEscapeString(s.ID)
	_, err := fmt.Fprintf(w, `<a class="noteref" role="doc-noteref" id="ref-%s" href="#note-%s" aria-label="Note %d">%d</a>`+
		`<span class="sidenote" role="doc-footnote" id="note-%s"><span class="note-n">%d</span> %s <a class="backlink" role="doc-backlink" href="#ref-%s" aria-label="Back to the text of note %d">↩</a></span>`,
		id, id, d.N, d.N, id, d.N, d.HTML, id, d.N)
	return err
}

// seedLines highlights, in a raw seed, the lines that hold occurrences.
func (l *Layer) seedLines(file string, data []byte) [][2]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seedHL[file]
}

// OutletNotes and SeedNotes fingerprint themselves as ArticleNotes does.

// AppendFingerprint implements site.Fingerprinter.
func (n *OutletNotes) AppendFingerprint(b []byte) []byte {
	return binary.LittleEndian.AppendUint64(b, n.fp)
}

// AppendFingerprint implements site.Fingerprinter.
func (n *SeedNotes) AppendFingerprint(b []byte) []byte {
	return binary.LittleEndian.AppendUint64(b, n.fp)
}

// attachOutletsAndSeeds gives outlets and seeds the passages their
// articles hold, and notes which seed lines to highlight; l.mu is held.
func (l *Layer) attachOutletsAndSeeds(arts []*site.Article) {
	type outletAcc struct {
		n *OutletNotes
		h *hasher
	}
	type seedAcc struct {
		n    *SeedNotes
		keys []uint64 // rk of each line's passage
	}
	byOutlet := map[*site.Outlet]*outletAcc{}
	bySeed := map[*site.Seed]*seedAcc{}
	hl := map[string][][2]int{}
	var seen []*site.Outlet
	for _, p := range l.ix.Passages {
		pi := l.pinfo[p]
		seen = seen[:0]
		for _, o := range p.Occs {
			a := l.art(o.Doc)
			if a == nil {
				continue
			}
			if a.Outlet != nil && !slices.Contains(seen, a.Outlet) {
				seen = append(seen, a.Outlet)
				acc := byOutlet[a.Outlet]
				if acc == nil {
					acc = &outletAcc{n: &OutletNotes{}, h: newHasher()}
					byOutlet[a.Outlet] = acc
				}
				acc.n.Passages = append(acc.n.Passages, pi.ref)
				acc.h.u64(pi.rk)
			}
			if a.Seed != nil && o.SeedLines[0] > 0 {
				hl[a.Seed.File] = append(hl[a.Seed.File], o.SeedLines)
				acc := bySeed[a.Seed]
				if acc == nil {
					acc = &seedAcc{n: &SeedNotes{}}
					bySeed[a.Seed] = acc
				}
				acc.n.Lines = append(acc.n.Lines, SeedLine{From: o.SeedLines[0], To: o.SeedLines[1], Passage: pi.ref})
				acc.keys = append(acc.keys, pi.rk)
			}
		}
	}
	for _, lines := range hl {
		sort.Slice(lines, func(i, j int) bool {
			return lines[i][0] < lines[j][0] || lines[i][0] == lines[j][0] && lines[i][1] < lines[j][1]
		})
	}
	l.seedHL = hl
	for _, acc := range byOutlet {
		acc.n.fp = acc.h.sum()
	}
	for _, acc := range bySeed {
		n := acc.n
		idx := make([]int, len(n.Lines))
		for i := range idx {
			idx[i] = i
		}
		sort.SliceStable(idx, func(i, j int) bool { return n.Lines[idx[i]].From < n.Lines[idx[j]].From })
		lines := make([]SeedLine, len(idx))
		h := newHasher()
		for i, k := range idx {
			lines[i] = n.Lines[k]
			h.int(lines[i].From)
			h.int(lines[i].To)
			h.u64(acc.keys[k])
		}
		n.Lines = lines
		n.fp = h.sum()
	}
	l.outletNotes = make(map[string]*OutletNotes, len(byOutlet))
	for o, acc := range byOutlet {
		l.outletNotes[o.Slug] = acc.n
	}
	l.seedNotes = make(map[string]*SeedNotes, len(bySeed))
	for sd, acc := range bySeed {
		l.seedNotes[sd.File] = acc.n
	}
	l.reattach(arts)
}

// reattach gives this build's outlets and seeds the notes the last
// attachOutletsAndSeeds made: an edit that changes no article's outlet or
// seed and no passage's ref leaves them as they were. l.mu is held.
func (l *Layer) reattach(arts []*site.Article) {
	for _, a := range arts {
		if a.Outlet != nil {
			if n := l.outletNotes[a.Outlet.Slug]; n != nil {
				a.Outlet.Annotations = n
			} else {
				a.Outlet.Annotations = nil
			}
		}
		if a.Seed != nil {
			if n := l.seedNotes[a.Seed.File]; n != nil {
				a.Seed.Annotations = n
			} else {
				a.Seed.Annotations = nil
			}
		}
	}
}

// Clip shortens s to about n characters at a word boundary, with an
// ellipsis: how passage texts are cut short on pages, in the JSON-LD and,
// through package reader, in search results and the timeline.
func Clip(s string, n int) string {
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
