package annotations

// The index: the passages annotate.Find reports, placed in the articles
// (element ids, quotation, reader comments, seed lines), the editor's
// notes anchored to their words, and for each article the others it
// shares passages with.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/archive-project/archive/annotate"
	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// Class tells quotations of a source document from shared reporting.
type Class string

const (
	// Source: a quote (annotate.Quote): the words stand inside quotation
	// marks or a block quote in at least a third of their places, so they
	// belong to a third document.
	Source Class = "source"
	// Reporting: shared unquoted text (annotate.Reporting): the articles
	// have the words as their own, such as wire copy.
	Reporting Class = "reporting"
)

// CommentsHeading starts the reader comments of an article body (see
// archive import).
const CommentsHeading = "## Reader comments"

// Doc is one article as FindPassages needs it.
type Doc struct {
	Key  string // content path, e.g. content/x.md; used in errors
	Body string // the Markdown body, as given to the renderer
	// Read, when set, gives the body instead of Body: FindPassages reads
	// each body when it needs it (annotate.FindFrom), a few times, and
	// never holds them all. Its errors are returned as they are.
	Read     func() (string, error)
	BodyLine int // line of the content file on which Body starts
	Date     time.Time
	Outlet   string
	Seed     []byte // the raw seed file, or nil
	Notes    []article.Note
}

// Index is the result of FindPassages.
type Index struct {
	Passages []*Passage // shown passages, most widely shared first (outlets, then articles)
	Hidden   []*Passage // passages of kinds that are not shown (site furniture ...)
	Docs     map[string]*Refs
}

// Passage is a shared passage with what pages need of it.
type Passage struct {
	annotate.Passage
	Class   Class
	Occs    []*Occ   // parallel to Occurrences
	Docs    []string // distinct article keys, in Occurrences order
	Outlets int      // distinct outlets of its articles
	Rank    int      // its place in Index.Passages
	// align is each occurrence's alignment, compact (Occurrences'
	// Alignment is dropped): see Alignment.
	align []*alignment
}

// Alignment is the word-level collation of the n-th occurrence against the
// canonical text, as annotate.Occurrence.Alignment was.
func (p *Passage) Alignment(n int) []annotate.Op {
	var ops []annotate.Op
	if n < len(p.align) {
		p.align[n].each(p.Canonical, func(op annotate.Op) { ops = append(ops, op) })
	}
	return ops
}

// Occ is one occurrence of a passage in an article.
type Occ struct {
	P          *Passage
	N          int    // index in P.Occurrences
	Doc        string // article key
	Start, End int    // byte offsets into the body
	ID         string // element id on the article page, e.g. q-1a2b3c4d5e or q-1a2b3c4d5e-2
	Quoted     bool   // inside quotation marks or a block quote
	InComments bool   // in the reader comments
	SeedLines  [2]int // 1-based first and last line in the raw seed; zero when not found
}

// Note is an editor note anchored in an article body.
type Note struct {
	article.Note
	Start, End int
	ID         string // element id, e.g. n-1a2b3c4d
}

// Refs is what one article page shows of the cross-references.
type Refs struct {
	Occs       []*Occ  // quote occurrences by position
	Notes      []*Note // by position
	Shares     []Share // other articles sharing passages, most first (at most maxShares)
	MoreShares int     // how many more articles share passages with it
}

// Share counts the passages two articles have in common.
type Share struct {
	Doc      string
	Passages int
}

// shownKind says which kinds of passage are marked in articles and listed
// on /passages/: quotes and shared reporting, not one outlet's furniture.
func shownKind(k annotate.Kind) bool { return k.Shared() }

// FindPassages finds the passages of docs and anchors their notes. A note
// whose quote does not match, or matches more than once, is an
// *article.Error naming the file, the note's line and the nearest
// candidates.
func FindPassages(docs []Doc, opts ...annotate.Option) (*Index, error) {
	return findPassages(context.Background(), docs, opts)
}

// findPassages is FindPassages, stopped once ctx is done (between the
// reads of bodies after annotate.Find; give Find the context too).
func findPassages(ctx context.Context, docs []Doc, opts []annotate.Option) (*Index, error) {
	in := make([]annotate.Document, len(docs))
	byKey := make(map[string]*Doc, len(docs))
	lazy := false
	for i := range docs {
		d := &docs[i]
		in[i] = annotate.Document{ID: d.Key, Date: d.Date, Source: d.Outlet}
		byKey[d.Key] = d
		lazy = lazy || d.Read != nil
	}
	var found []annotate.Passage
	var err error
	if lazy {
		found, err = annotate.FindFrom(in, func(i int) (string, []annotate.Span, error) {
			body, err := docs[i].body()
			if err != nil {
				return "", nil, err
			}
			return body, BlockQuotes(body), nil
		}, opts...)
	} else {
		for i, d := range docs {
			in[i].Text, in[i].Quoted = d.Body, BlockQuotes(d.Body)
		}
		found, err = annotate.Find(in, opts...)
	}
	if err != nil {
		return nil, err
	}
	ix := &Index{Docs: make(map[string]*Refs, len(docs))}
	for _, d := range docs {
		ix.Docs[d.Key] = &Refs{}
	}
	for _, ap := range found {
		p := &Passage{Passage: ap}
		detach(p, shownKind(ap.Kind)) // no page shows hidden passages' alignments
		if !shownKind(ap.Kind) {
			ix.Hidden = append(ix.Hidden, p)
			continue
		}
		ix.Passages = append(ix.Passages, p)
		rank := map[string]int{}
		seen := map[string]bool{}
		for n, o := range ap.Occurrences {
			rank[o.Doc]++
			id := "q-" + strings.TrimPrefix(ap.ID, "p-")
			if rank[o.Doc] > 1 {
				id += fmt.Sprintf("-%d", rank[o.Doc])
			}
			oc := &Occ{P: p, N: n, Doc: o.Doc, Start: o.Start, End: o.End, ID: id} // Quoted, InComments: see placeIn
			p.Occs = append(p.Occs, oc)
			ix.Docs[o.Doc].Occs = append(ix.Docs[o.Doc].Occs, oc)
			if !seen[o.Doc] {
				seen[o.Doc] = true
				p.Docs = append(p.Docs, o.Doc)
			}
		}
		p.Class = Source // the class follows annotate's kind (h11)
		if ap.Kind == annotate.Reporting {
			p.Class = Reporting
		}
		outlets := map[string]bool{}
		for _, d := range p.Docs {
			if o := byKey[d].Outlet; o != "" {
				outlets[o] = true
			}
		}
		p.Outlets = len(outlets)
	}
	sort.SliceStable(ix.Passages, func(i, j int) bool {
		a, b := ix.Passages[i], ix.Passages[j]
		if a.Outlets != b.Outlets {
			return a.Outlets > b.Outlets
		}
		if len(a.Docs) != len(b.Docs) {
			return len(a.Docs) > len(b.Docs)
		}
		if len(a.Occs) != len(b.Occs) {
			return len(a.Occs) > len(b.Occs)
		}
		return a.ID < b.ID
	})
	for i, p := range ix.Passages {
		p.Rank = i
	}
	shares := allShares(ix, docs)
	for _, d := range docs {
		r := ix.Docs[d.Key]
		sort.Slice(r.Occs, func(i, j int) bool {
			if r.Occs[i].Start != r.Occs[j].Start {
				return r.Occs[i].Start < r.Occs[j].Start
			}
			return r.Occs[i].ID < r.Occs[j].ID
		})
		r.Shares, r.MoreShares = shares[d.Key].Top, shares[d.Key].More
	}
	if err := eachBody(ctx, docs, func(d *Doc) bool {
		r := ix.Docs[d.Key]
		return len(r.Occs) > 0 || len(d.Notes) > 0
	}, func(d *Doc, body string) error {
		return placeIn(ix.Docs[d.Key], d, body)
	}); err != nil {
		return nil, err
	}
	return ix, nil
}

// placeIn finds what the occurrences of an article need of its body
// (quotation, reader comments, seed lines), and anchors its notes.
func placeIn(r *Refs, d *Doc, body string) error {
	for _, o := range r.Occs {
		o.Quoted, o.InComments = quoted(body, o.Start, o.End), inComments(body, o.Start)
	}
	locateInSeed(d.Seed, r.Occs)
	withBody := *d
	withBody.Body = body
	notes, err := anchorNotes(&withBody)
	if err != nil {
		return err
	}
	r.Notes = notes
	return nil
}

// body is the article's body: Body, or read (Read).
func (d *Doc) body() (string, error) {
	if d.Read != nil {
		return d.Read()
	}
	return d.Body, nil
}

// eachBody calls f with the body of each document of docs that need
// says needs it, a few at a time, and returns the error of the first
// document (in docs' order) that failed, or ctx's once it is done.
func eachBody(ctx context.Context, docs []Doc, need func(*Doc) bool, f func(d *Doc, body string) error) error {
	errs := make([]error, len(docs))
	var next atomic.Int64
	var failed atomic.Bool
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), 4) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(docs) || failed.Load() || ctx.Err() != nil {
					return
				}
				d := &docs[i]
				if !need(d) {
					continue
				}
				body, err := d.body()
				if err == nil {
					err = f(d, body)
				}
				if err != nil {
					errs[i] = err
					failed.Store(true)
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return ctx.Err()
}

// BlockQuotes returns the byte ranges of the Markdown block quotes of
// body: its lines that start with ">" (after up to three spaces), for
// annotate.Document.Quoted, so that annotate counts their words as quoted.
func BlockQuotes(body string) []annotate.Span {
	var out []annotate.Span
	for at := 0; at < len(body); {
		end := strings.IndexByte(body[at:], '\n')
		if end < 0 {
			end = len(body)
		} else {
			end += at
		}
		line := body[at:end]
		if t := strings.TrimLeft(line, " "); len(line)-len(t) <= 3 && strings.HasPrefix(t, ">") {
			if n := len(out); n > 0 && out[n-1].End == at-1 {
				out[n-1].End = end
			} else {
				out = append(out, annotate.Span{Start: at, End: end})
			}
		}
		at = end + 1
	}
	return out
}

// MaxShareFanout is the most articles a passage may be in and still count
// towards the articles an article page names as sharing passages with it.
// A passage that hundreds of articles carry (wire copy) would make every
// one of them "share" with every other, a count that grows with the square
// of the archive and tells a reader nothing; its page lists them.
const MaxShareFanout = 100

// maxShares caps the articles an article page names as sharing passages
// with it, most shared first; the rest are counted.
const maxShares = 12

// shareList is what an article page shows of the articles it shares
// passages with: the first maxShares, and how many more there are.
type shareList struct {
	Top  []Share
	More int
}

// allShares counts, for every article, the passages it has in common
// with each other article through passages in at most MaxShareFanout
// articles: time and memory in proportion to the occurrences, not their
// pairs.
func allShares(ix *Index, docs []Doc) map[string]shareList {
	index := make(map[string]int32, len(docs))
	for i, d := range docs {
		index[d.Key] = int32(i)
	}
	// The passages of each article, and each passage's articles, as indexes.
	of := make([][]int32, len(docs))
	members := make([][]int32, len(ix.Passages))
	for pi, p := range ix.Passages {
		if len(p.Docs) > MaxShareFanout || len(p.Docs) < 2 {
			continue
		}
		for _, d := range p.Docs {
			k := index[d]
			members[pi] = append(members[pi], k)
			of[k] = append(of[k], int32(pi))
		}
	}
	out := make(map[string]shareList, len(docs))
	count := make([]int32, len(docs))
	stamp := make([]int32, len(docs))
	for i := range stamp {
		stamp[i] = -1
	}
	var touched []int32
	for d := range docs {
		if len(of[d]) == 0 {
			continue
		}
		touched = touched[:0]
		for _, pi := range of[d] {
			for _, e := range members[pi] {
				if int(e) == d {
					continue
				}
				if stamp[e] != int32(d) {
					stamp[e], count[e] = int32(d), 0
					touched = append(touched, e)
				}
				count[e]++
			}
		}
		sort.Slice(touched, func(i, j int) bool {
			a, b := touched[i], touched[j]
			if count[a] != count[b] {
				return count[a] > count[b]
			}
			return docs[a].Key < docs[b].Key
		})
		l := shareList{More: max(0, len(touched)-maxShares)}
		for _, e := range touched[:min(len(touched), maxShares)] {
			l.Top = append(l.Top, Share{Doc: docs[e].Key, Passages: int(count[e])})
		}
		out[docs[d].Key] = l
	}
	return out
}

// quoted reports whether body[start:end] stands inside quotation marks or in
// a Markdown block quote.
func quoted(body string, start, end int) bool {
	lineStart := strings.LastIndexByte(body[:start], '\n') + 1
	if strings.HasPrefix(strings.TrimLeft(body[lineStart:start], " "), ">") {
		return true
	}
	before := strings.TrimRight(body[:start], " \t")
	for _, q := range []string{"“", "\"", "‘", "'", "«"} {
		if strings.HasSuffix(before, q) || strings.HasPrefix(body[start:end], q) {
			return true
		}
	}
	// An opening quotation mark earlier on the same line, not yet closed.
	line := body[lineStart:start]
	return strings.Count(line, "“") > strings.Count(line, "”")
}

func inComments(body string, at int) bool {
	i := strings.Index(body, CommentsHeading)
	return i >= 0 && at > i
}

// locateInSeed sets the seed lines of occs (sorted by Start). The importer
// keeps the seed's order of text, so each occurrence is searched for from
// where the previous one was found: a quote repeated in a reader comment
// maps to the comment's lines, not to the first place the words appear.
func locateInSeed(seed []byte, occs []*Occ) {
	if len(seed) == 0 {
		return
	}
	cursor := 0
	for _, o := range occs {
		start, end, ok := find(seed, cursor, o.P.Occurrences[o.N].Text) // the body's words at o
		if !ok {
			continue
		}
		cursor = start
		first := 1 + bytes.Count(seed[:start], []byte("\n"))
		o.SeedLines = [2]int{first, first + bytes.Count(seed[start:end], []byte("\n"))}
	}
}

// find locates text in seed[from:]: exactly, else through annotate's
// tolerant anchoring, else by its first and last words separately (the
// importer may have dropped furniture, such as a photo caption, from
// between them). Offsets are into seed.
func find(seed []byte, from int, text string) (start, end int, ok bool) {
	if i := bytes.Index(seed[from:], []byte(text)); i >= 0 {
		return from + i, from + i + len(text), true
	}
	if s, e, ok := anchorFirst(seed, from, text); ok {
		return s, e, true
	}
	words := strings.Fields(text)
	if len(words) < 12 {
		return 0, 0, false
	}
	s, _, ok1 := anchorFirst(seed, from, strings.Join(words[:6], " "))
	if !ok1 {
		return 0, 0, false
	}
	_, e, ok2 := anchorFirst(seed, s, strings.Join(words[len(words)-6:], " "))
	return s, e, ok2
}

func anchorFirst(seed []byte, from int, text string) (start, end int, ok bool) {
	sp, err := annotate.Anchor(string(seed[from:]), annotate.Selector{Exact: text})
	var amb *annotate.AmbiguousError
	switch {
	case err == nil:
	case errors.As(err, &amb) && len(amb.Spans) > 0:
		sp = amb.Spans[0]
	default:
		return 0, 0, false
	}
	return from + sp.Start, from + sp.End, true
}

// anchorNotes places d's editor notes, or says which one does not fit.
func anchorNotes(d *Doc) ([]*Note, error) {
	var out []*Note
	for _, n := range d.Notes {
		sp, err := annotate.Anchor(d.Body, annotate.Selector{Exact: n.Quote, Prefix: n.Prefix, Suffix: n.Suffix})
		if err != nil {
			return nil, noteError(d, n, err)
		}
		h := sha256.Sum256([]byte(n.Prefix + "\x00" + n.Quote + "\x00" + n.Suffix))
		out = append(out, &Note{Note: n, Start: sp.Start, End: sp.End, ID: "n-" + hex.EncodeToString(h[:4])})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out, nil
}

func noteError(d *Doc, n article.Note, err error) error {
	line := func(off int) int { return d.BodyLine + strings.Count(d.Body[:off], "\n") }
	var nm *annotate.NoMatchError
	var amb *annotate.AmbiguousError
	switch {
	case errors.As(err, &nm):
		fix := "change the note's quote: to words that appear in the article"
		if len(nm.Nearest) > 0 {
			var c []string
			for i, cand := range nm.Nearest {
				if i == 3 {
					break
				}
				c = append(c, fmt.Sprintf("line %d: %q", line(cand.Start), clip(cand.Text, 90)))
			}
			fix += "; nearest: " + strings.Join(c, "; ")
		}
		return &article.Error{File: d.Key, Line: n.Line, Err: fmt.Errorf("note: %w", err), Fix: fix}
	case errors.As(err, &amb):
		var at []string
		for _, s := range amb.Spans {
			at = append(at, fmt.Sprint(line(s.Start)))
		}
		return &article.Error{File: d.Key, Line: n.Line, Err: fmt.Errorf("note: %w", err),
			Fix: "add prefix: or suffix: (words just before or after) to choose one of the matches on lines " + strings.Join(at, ", ")}
	}
	return &article.Error{File: d.Key, Line: n.Line, Err: fmt.Errorf("note: %w", err), Fix: "give the note a quote: of at least one word"}
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// ErrStale says that Update could not carry the index over to a document's
// new text (an occurrence's words are gone): run Build again.
var ErrStale = errors.New("annotations: an edit removed a shared passage; the passages must be found again")

// Update carries the index over to d's new text without finding passages
// again: each of d's occurrences is found anew in d.Body (the same words,
// nearest to where they were), and d's notes are anchored again. Passages
// that the edit creates are not found; callers that need them call Build
// later. It returns ErrStale when an occurrence's words are no longer in
// the text, and note errors as Build does. On error the index is unchanged.
func (ix *Index) Update(d Doc) error {
	r := ix.Docs[d.Key]
	if r == nil {
		return ErrStale
	}
	body, err := d.body()
	if err != nil {
		return err
	}
	d.Body, d.Read = body, nil
	type moved struct {
		o          *Occ
		start, end int
	}
	var ms []moved
	for _, o := range r.Occs {
		s, e, ok := relocate(d.Body, o.P.Occurrences[o.N].Text, o.Start)
		if !ok {
			return ErrStale
		}
		ms = append(ms, moved{o, s, e})
	}
	notes, err := anchorNotes(&d)
	if err != nil {
		return err
	}
	for _, m := range ms {
		o, occ := m.o, &m.o.P.Occurrences[m.o.N]
		o.Start, o.End = m.start, m.end
		occ.Start, occ.End, occ.Text = m.start, m.end, strings.Clone(d.Body[m.start:m.end]) // not pinning the body
		o.Quoted, o.InComments = quoted(d.Body, m.start, m.end), inComments(d.Body, m.start)
		o.SeedLines = [2]int{}
	}
	sort.Slice(r.Occs, func(i, j int) bool {
		if r.Occs[i].Start != r.Occs[j].Start {
			return r.Occs[i].Start < r.Occs[j].Start
		}
		return r.Occs[i].ID < r.Occs[j].ID
	})
	locateInSeed(d.Seed, r.Occs)
	r.Notes = notes
	return nil
}

// relocate finds text in body: the exact words nearest to was, else the
// tolerant match (annotate.Anchor) nearest to it.
func relocate(body, text string, was int) (start, end int, ok bool) {
	best := -1
	for from := 0; ; {
		i := strings.Index(body[from:], text)
		if i < 0 {
			break
		}
		at := from + i
		if best < 0 || abs(at-was) < abs(best-was) {
			best = at
		}
		from = at + 1
	}
	if best >= 0 {
		return best, best + len(text), true
	}
	sp, err := annotate.Anchor(body, annotate.Selector{Exact: text})
	var amb *annotate.AmbiguousError
	switch {
	case err == nil:
		return sp.Start, sp.End, true
	case errors.As(err, &amb) && len(amb.Spans) > 0:
		sp = amb.Spans[0]
		for _, s := range amb.Spans[1:] {
			if abs(s.Start-was) < abs(sp.Start-was) {
				sp = s
			}
		}
		return sp.Start, sp.End, true
	}
	return 0, 0, false
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
