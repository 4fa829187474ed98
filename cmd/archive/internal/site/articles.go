package site

import (
	"bytes"
	"fmt"
	"html/template"
	"slices"
	"sort"
	"strings"
	"time"
	"unsafe"

	"github.com/archive-project/archive/cmd/archive/internal/article"
	"github.com/archive-project/archive/cmd/archive/internal/cite"
	"github.com/archive-project/archive/cmd/archive/internal/marks"
)

// additions are what the build's features add to one article's page.
type additions struct {
	marks   []Mark // sorted in reading order
	notes   []Note // the marks' notes, numbered
	related Related
	files   []File
	key     Key
}

// articleAdditions asks every ArticleFeature for a's additions.
func (r *run) articleAdditions(a *Article) (*additions, error) {
	add := &additions{}
	for _, f := range r.b.o.features {
		af, ok := f.(ArticleFeature)
		if !ok {
			continue
		}
		x, err := af.Article(r.site, a)
		if err != nil {
			return nil, err
		}
		add.marks = append(add.marks, x.Marks...)
		add.related.Links = append(add.related.Links, x.Related.Links...)
		add.related.More += x.Related.More
		add.files = append(add.files, x.Files...)
	}
	sort.SliceStable(add.marks, func(i, j int) bool {
		if add.marks[i].Start != add.marks[j].Start {
			return add.marks[i].Start < add.marks[j].Start
		}
		return add.marks[i].End > add.marks[j].End
	})
	h := NewHasher().Int(len(add.marks))
	for i, m := range add.marks {
		if m.Start < 0 || m.End > a.bodyLen() || m.Start > m.End {
			return nil, &article.Error{File: a.Src.Path, Err: fmt.Errorf("a feature marks bytes %d to %d of a body of %d bytes", m.Start, m.End, a.bodyLen()),
				Fix: "report this as a bug"}
		}
		add.notes = append(add.notes, Note{N: i + 1, ID: m.ID, Label: m.Label, HTML: m.Note})
		h.Int(m.Start).Int(m.End).String(m.ID, m.Class, m.Label, string(m.Note))
	}
	hashRelated(h, add.related)
	h.Int(len(add.files))
	for _, f := range add.files {
		h.String(f.Name).Bytes(f.Data)
	}
	add.key = h.Sum()
	return add, nil
}

func hashRelated(h *Hasher, r Related) {
	h.Int(len(r.Links)).Int(r.More)
	for _, l := range r.Links {
		h.String(l.Text, l.URL, l.Detail, l.Class)
	}
}

// linkKey covers what a link to a shows (previous and next on article
// pages, seed pages): its title, URL and outlet.
func linkKey(a *Article) Key {
	h := NewHasher().String(a.Title, a.URL)
	if a.Outlet != nil {
		h.String(a.Outlet.Name, a.Outlet.URL)
	}
	return h.Sum()
}

// listKey covers everything a list entry of a shows (layouts/item.html).
func listKey(a *Article) Key {
	h := NewHasher().String(a.Slug, a.ID, a.URL, a.Title, a.Subtitle, a.Author, a.Summary, a.SourceURL).Time(a.Date)
	if a.Outlet != nil {
		h.String(a.Outlet.Name, a.Outlet.URL)
	}
	if a.Seed != nil {
		h.String(a.Seed.URL, a.Seed.SHA256)
	}
	if a.Story != nil {
		h.String(a.Story.Title, a.Story.URL)
	}
	return h.Sum()
}

// articleKey covers everything a's page shows but its features' additions.
func (r *run) articleKey(a *Article, add Key) Key {
	h := NewHasher().Bytes(a.hash[:]).String(a.Src.Path, a.URL, a.Permalink).Key(add)
	if a.hugo != nil {
		h.Key(a.hugo.key) // what its shortcodes made
	}
	for _, o := range []*Article{a.Prev, a.Next} {
		if o != nil {
			h.Key(o.linkFP)
		} else {
			h.Key(0)
		}
	}
	if a.Story != nil {
		h.String(a.Story.Title, a.Story.URL).Int(len(a.Story.Articles))
	}
	if a.Outlet != nil {
		h.String(a.Outlet.Name, a.Outlet.URL)
	}
	if a.Seed != nil {
		h.String(a.Seed.File, a.Seed.URL, a.Seed.SHA256)
	}
	return h.Sum()
}

// article renders a's page, list entry and aliases, and publishes the
// files features put beside its page.
func (r *run) article(w *worker, a *Article) error {
	p, dir := a.outPath(), a.Dir()
	what := "the article " + a.Src.Path
	st := r.lastArt(a.Src.Path)
	next := &artState{src: a.src}
	if a.Seed != nil {
		next.seedSHA = a.Seed.SHA256
	}
	dirty := r.site.full || st == nil || st.src != a.src || r.site.invalidated(a)
	defer a.holdBody()()
	var add *additions
	if dirty {
		var err error
		if add, err = r.articleAdditions(a); err != nil {
			return err
		}
		next.add = add.key
	} else {
		next.add = st.add
	}
	key := r.pageKey("single", r.articleKey(a, next.add))
	if err := r.claim(p, what); err != nil {
		return err
	}
	if st != nil && a.src.body != nil && r.keep(p, key, true) {
		for _, f := range st.files {
			if err := r.claim(f, what); err != nil {
				return err
			}
			r.unchanged(f, r.lastFile(f).key)
		}
		next.files = st.files
	} else {
		if add == nil {
			var err error
			if add, err = r.articleAdditions(a); err != nil {
				return err
			}
		}
		if err := r.articlePage(w, a, add, p, key); err != nil {
			return err
		}
		for _, f := range add.files {
			fp := dir + f.Name
			if err := r.claim(fp, what); err != nil {
				return err
			}
			if !r.unchanged(fp, NewHasher().Key(add.key).String(f.Name).Sum()) {
				if err := r.store(fp, NewHasher().Key(add.key).String(f.Name).Sum(), f.Data, false); err != nil {
					return err
				}
			}
			next.files = append(next.files, fp)
		}
	}
	// Its list entry, made once for every list.
	next.listFP = listKey(a)
	a.listFP = next.listFP
	itemKey := NewHasher().Key(r.ls.kindFP["home"]).Key(next.listFP).Sum()
	if st != nil && st.itemKey == itemKey && !r.site.full {
		a.Item, next.item = st.item, st.item
	} else if t := r.ls.kinds["home"].Lookup(itemLayout); t != nil {
		w.buf.Reset()
		if err := t.Execute(&w.buf, a); err != nil {
			return templateError(err, r.ls.sources)
		}
		a.Item = template.HTML(w.buf.String())
		next.item = a.Item
	}
	next.itemKey = itemKey
	for _, ap := range a.aliases() {
		if err := r.page(w, aliasFile(ap), "an alias of "+a.Src.Path, "alias",
			NewHasher().String(a.URL, a.Title, a.Permalink).Sum(),
			&Page{Title: a.Title, Target: a.URL, URL: r.m.rel(ap + "/"), Permalink: a.Permalink}); err != nil {
			return err
		}
	}
	if st != nil {
		for _, f := range st.files { // files features no longer put beside it
			if !slices.Contains(next.files, f) {
				r.remove(f)
			}
		}
	}
	r.mu.Lock()
	r.setArt(a.Src.Path, next)
	if st == nil || st.listFP != next.listFP {
		r.listChanged = append(r.listChanged, a)
	}
	r.mu.Unlock()
	return nil
}

func trimSlash(p string) string {
	for len(p) > 0 && p[0] == '/' {
		p = p[1:]
	}
	return p
}

// articlePage renders a's Markdown with its marks and notes, then its page.
func (r *run) articlePage(w *worker, a *Article, add *additions, p string, key Key) error {
	spans, err := r.noteRefs(w, add)
	if err != nil {
		return err
	}
	md := r.b.mdSafe
	if a.Src.Meta.UnsafeHTML {
		md = r.b.mdUnsafe
	}
	body, err := a.Body()
	if err != nil {
		return err
	}
	w.md.Reset()
	var facts bodyFacts
	if a.hugo != nil {
		facts, err = r.m.hugo.renderPage(a, spans, &w.md)
	} else {
		facts, err = renderMarkdown(md, body, spans, &w.md)
	}
	if err != nil {
		return &article.Error{File: a.Src.Path, Line: a.Src.BodyLine, Err: fmt.Errorf("markdown: %w", err), Fix: "correct the Markdown"}
	}
	facts.words = countWords(body)
	a.src.body = &facts
	if a.Src.Meta.Summary == "" && a.Subtitle == "" {
		a.Summary = facts.summary
	}
	a.Words, a.Comments = facts.words, facts.comments
	a.Content = pageHTML(&w.md, r.m.hugo == nil)
	defer func() { a.Content = "" }() // the page holds it; the build does not
	set, err := r.citation(a)
	if err != nil {
		return err
	}
	pg := &Page{Title: a.Title, Description: a.Summary, Article: a, JSONLD: newsArticle(r.m, a), Notes: add.notes, Cite: &set}
	if len(add.related.Links) > 0 {
		pg.Related = &add.related
		items := make([]template.HTML, len(add.related.Links))
		n := 0
		for i, l := range add.related.Links {
			if items[i], err = r.site.Fragment(relatedItemLayout, l); err != nil {
				return err
			}
			n += len(items[i])
		}
		// One allocation at the length, not a doubling chain of them.
		var b strings.Builder
		b.Grow(n)
		for _, li := range items {
			b.WriteString(string(li))
		}
		pg.RelatedItems = template.HTML(b.String())
	}
	if a.Story != nil {
		if pg.StoryLine, err = r.site.Fragment(storyLineLayout, a.Story); err != nil {
			return err
		}
	}
	if a.Outlet != nil {
		if pg.OutletLink, err = r.site.Fragment(outletLinkLayout, a.Outlet); err != nil {
			return err
		}
	}
	return r.renderPage(w, p, "single", key, pg)
}

// noteRefs are the spans of add's marks, each with its note's reference
// and sidenote (noteref.html) after it. In an archive the notes are
// rendered one after the other into w.buf and the spans' After are parts
// of it, not a string apiece: the spans live only until the Markdown is
// rendered into w.md, and w.buf is not written again before then
// (renderPage resets it after). Hugo sites get copies (Site.Render).
func (r *run) noteRefs(w *worker, add *additions) ([]marks.Span, error) {
	spans := make([]marks.Span, len(add.marks))
	if r.m.hugo != nil {
		for i, m := range add.marks {
			after, err := r.site.Render(noteRefLayout, add.notes[i])
			if err != nil {
				return nil, err
			}
			spans[i] = marks.Span{Start: m.Start, End: m.End, ID: m.ID, Class: m.Class, After: string(after)}
		}
		return spans, nil
	}
	if len(add.marks) == 0 {
		return spans, nil
	}
	w.buf.Reset()
	for i := range add.marks {
		if err := r.site.renderTo(&w.buf, noteRefLayout, add.notes[i]); err != nil {
			return nil, err
		}
		spans[i].End = w.buf.Len() // where its HTML ends, for now
	}
	all := unsafe.String(unsafe.SliceData(w.buf.Bytes()), w.buf.Len())
	start := 0
	for i, m := range add.marks {
		end := spans[i].End
		spans[i] = marks.Span{Start: m.Start, End: m.End, ID: m.ID, Class: m.Class, After: all[start:end]}
		start = end
	}
	return spans, nil
}

// pageHTML is the HTML in b as the Content of the page being rendered.
// With alias set it is b's bytes themselves, not a copy: an article's
// Content lives only while its page renders (articlePage clears it) and
// the worker does not write b again before then, so the copy (an article's
// size in fresh memory for every page, 130 MB at 10,000 articles) bought
// nothing. Hugo sites get a copy: their templates can keep strings past
// the page (.Scratch, partialCached).
func pageHTML(b *bytes.Buffer, alias bool) template.HTML {
	if !alias || b.Len() == 0 {
		return template.HTML(b.String())
	}
	return template.HTML(unsafe.String(unsafe.SliceData(b.Bytes()), b.Len()))
}

// renderPage stores a page rendered from its kind's layout (the caller
// checked that its key changed).
func (r *run) renderPage(w *worker, p, kind string, key Key, pg *Page) error {
	r.fill(kind, p, pg)
	w.buf.Reset()
	if err := r.ls.kinds[kind].Execute(&w.buf, pg); err != nil {
		return templateError(err, r.ls.sources)
	}
	return r.store(p, key, w.buf.Bytes(), true)
}

// citation is how readers cite a: its original (author, title, outlet,
// date, source URL) and the archived copy (archive, permalink, access
// date). The access date is the captured date; without one the citation
// has none (never the clock, so builds are reproducible, and never a
// made-up date such as the newest article's).
func (r *run) citation(a *Article) (cite.Set, error) {
	s, err := Work(a, r.m.cfg.Title, time.Time{}).All()
	if err != nil {
		return cite.Set{}, fmt.Errorf("%s: citation: %w", a.Src.Path, err)
	}
	return s, nil
}

// Work is what a citation of a says (see cite.Work); fallback is the
// access date when a has no captured date.
func Work(a *Article, archive string, fallback time.Time) cite.Work {
	w := cite.Work{ID: a.ID, Title: a.Title, Authors: cite.SplitAuthors(a.Author), Date: a.Date,
		SourceURL: a.SourceURL, Permalink: a.Permalink, Accessed: fallback, Archive: archive}
	if a.Outlet != nil {
		w.Outlet = a.Outlet.Name
	}
	if c := a.Src.Meta.Captured; !c.IsZero() {
		w.Accessed = c
	}
	return w
}

// noteRefLayout renders a note's reference and the note itself after its
// mark (a sidenote; print and narrow screens show the endnotes).
const noteRefLayout = "noteref.html"

// seed renders a raw seed's page.
func (r *run) seed(w *worker, s *Seed) error {
	p := "seeds/" + s.Name + "/index.html"
	st := r.lastSeed(s.File)
	dirty := r.site.full || st == nil || st.hash != s.hash || r.site.seedInvalidated(s)
	var add *SeedAdditions
	var addKey Key
	if dirty || st == nil {
		x, k, err := r.seedAdditions(s)
		if err != nil {
			return err
		}
		add, addKey = &x, k
	} else {
		addKey = st.add
	}
	h := NewHasher().Bytes(s.hash[:]).String(s.Name, s.File).Key(addKey)
	for _, a := range s.Articles {
		h.Key(a.linkFP)
	}
	kind := "seed"
	key := r.pageKey(kind, h.Sum())
	r.mu.Lock()
	r.setSeed(s.File, &seedState{hash: s.hash, add: addKey})
	r.mu.Unlock()
	what := "the seed page of " + s.File
	if err := r.claim(p, what); err != nil {
		return err
	}
	if r.keep(p, key, true) {
		return nil
	}
	if add == nil {
		x, _, err := r.seedAdditions(s)
		if err != nil {
			return err
		}
		add = &x
	}
	var hl [][2]int
	for _, l := range add.Lines {
		hl = append(hl, [2]int{l.From, l.To})
	}
	sort.Slice(hl, func(i, j int) bool { return hl[i][0] < hl[j][0] || hl[i][0] == hl[j][0] && hl[i][1] < hl[j][1] })
	code, err := highlightSeed(s.data, hl)
	if err != nil {
		return &article.Error{File: s.File, Err: err, Fix: "report this as a bug: the seed could not be highlighted"}
	}
	cp := *s
	cp.Code = template.HTML(code)
	pg := &Page{Title: "Seed " + s.Name, Description: "The raw archived text of " + s.File + ", exactly as captured.", Seed: &cp, Lines: add.Lines}
	return r.renderPage(w, p, kind, key, pg)
}

// seedAdditions asks every SeedFeature for a seed's additions.
func (r *run) seedAdditions(s *Seed) (SeedAdditions, Key, error) {
	var add SeedAdditions
	for _, f := range r.b.o.features {
		sf, ok := f.(SeedFeature)
		if !ok {
			continue
		}
		x, err := sf.Seed(r.site, s)
		if err != nil {
			return add, 0, err
		}
		add.Lines = append(add.Lines, x.Lines...)
	}
	sort.SliceStable(add.Lines, func(i, j int) bool { return add.Lines[i].From < add.Lines[j].From })
	h := NewHasher().Int(len(add.Lines))
	for _, l := range add.Lines {
		h.Int(l.From).Int(l.To).String(l.Link.Text, l.Link.URL, l.Link.Detail, l.Link.Class)
	}
	return add, h.Sum(), nil
}

// outletAdditions asks every OutletFeature for an outlet's additions.
func (r *run) outletAdditions(o *Outlet) (Related, Key, error) {
	var rel Related
	for _, f := range r.b.o.features {
		of, ok := f.(OutletFeature)
		if !ok {
			continue
		}
		x, err := of.Outlet(r.site, o)
		if err != nil {
			return rel, 0, err
		}
		rel.Links = append(rel.Links, x.Related.Links...)
		rel.More += x.Related.More
	}
	h := NewHasher()
	hashRelated(h, rel)
	return rel, h.Sum(), nil
}
