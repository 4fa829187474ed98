package annotations

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"sync"

	"github.com/archive-project/archive/cmd/archive/internal/article"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// Article gives an article page its marks (each occurrence of a passage,
// each editor's note, with its note), the articles it shares passages
// with, and the files its annotations point into (site.ArticleFeature).
func (f *Feature) Article(s *site.Site, a *site.Article) (site.ArticleAdditions, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	var add site.ArticleAdditions
	r := f.ix.Docs[a.Src.Path]
	if r == nil {
		return add, nil
	}
	for _, o := range r.Occs {
		note, err := f.passageNote(s, a, o)
		if err != nil {
			return add, err
		}
		class := "passage passage-" + string(o.P.Class)
		if o.P.Occurrences[o.N].Similarity < 0.9 {
			class += " passage-variant"
		}
		add.Marks = append(add.Marks, site.Mark{Start: o.Start, End: o.End, ID: o.ID, Class: class, Label: classLabel(o.P.Class), Note: note})
	}
	for _, n := range r.Notes {
		var buf bytes.Buffer
		if err := f.md.Convert([]byte(n.Note.Note), &buf); err != nil {
			return add, &article.Error{File: a.Src.Path, Line: n.Line, Err: fmt.Errorf("note: %w", err), Fix: "correct the note's Markdown"}
		}
		add.Marks = append(add.Marks, site.Mark{Start: n.Start, End: n.End, ID: n.ID, Class: "note", Label: "Editor's note",
			Note: template.HTML(inlineHTML(buf.String()))})
	}
	for _, sh := range r.Shares {
		o := s.Article(sh.Doc)
		if o == nil {
			continue
		}
		name := o.Title
		if o.Outlet != nil {
			name = o.Outlet.Name
		}
		add.Related.Links = append(add.Related.Links, site.Link{Text: name, URL: o.URL, Detail: plural(sh.Passages, "passage", "passages")})
	}
	add.Related.More = r.MoreShares
	if len(r.Occs) > 0 || len(r.Notes) > 0 {
		files, err := f.articleFiles(s, a, r)
		if err != nil {
			return add, err
		}
		add.Files = files
	}
	return add, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func classLabel(c Class) string {
	if c == Source {
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

// maxNoteLinks caps the other places a note names; it says how many more
// there are, and the passage page lists them all. Without a cap a passage
// quoted by k articles would put k links in each of its k notes.
const maxNoteLinks = 3

// PassageNote is what layouts/passage-note.html shows after an occurrence
// of a shared passage.
type PassageNote struct {
	Label      string
	Variant    bool        // a reworded variant (less than 90% alike the canonical wording)
	Similarity int         // percent alike the canonical wording
	Also       []site.Link // other articles it stands in, at most maxNoteLinks
	More       int         // how many more
	Here       []site.Link // the passage again on this page
	Compare    string      // the passage page
	Wordings   int         // how many occurrences its page compares with the canonical wording
	Quote      string      // the permalink of this occurrence

	// AlsoLinks are the links of Also, joined by ", ", and CompareLink
	// the link to Compare: each link rendered once per build (the
	// fragments "note-link" and "note-compare" of layouts/fragments.html,
	// site.Site.Fragment), as the notes of the passage's other
	// occurrences show it too.
	AlsoLinks   template.HTML
	CompareLink template.HTML
}

// Compare is what a note's link to its passage's page shows
// (layouts/fragments.html "note-compare").
type Compare struct {
	URL      string // the passage page
	Wordings int    // how many occurrences it compares with the canonical wording
}

// passageNoteLayout renders the note after an occurrence, and the
// fragments (layouts/fragments.html) its links to other occurrences and
// to the passage's page.
const (
	passageNoteLayout = "passage-note.html"
	noteLinkLayout    = "note-link"
	noteCompareLayout = "note-compare"
)

// passageNote is the HTML of the note after an occurrence: what kind of
// passage it is, where else it stands, and links to compare and to cite.
// It reads a few of the passage's occurrences, not all: a passage in
// thousands of articles has thousands of notes.
func (f *Feature) passageNote(s *site.Site, a *site.Article, o *Occ) (template.HTML, error) {
	pi := f.info[o.P]
	sim := o.P.Occurrences[o.N].Similarity
	n := PassageNote{Label: classLabel(o.P.Class), Variant: sim < 0.9, Similarity: int(sim*100 + 0.5),
		Compare: passageURL(s, o.P), Wordings: len(o.P.Occs), Quote: a.Permalink + "#" + o.ID}
	here := 0 // occurrences of the passage in this build's copy of the article
	for _, x := range f.ix.Docs[a.Src.Path].Occs {
		if x.P != o.P {
			continue
		}
		here++
		if x == o {
			continue
		}
		where := "the article"
		if x.InComments {
			where = "reader comment"
		}
		n.Here = append(n.Here, site.Link{Text: where, URL: "#" + x.ID})
	}
	also := make([]int, 0, maxNoteLinks) // the indexes of n.Also in pi.links
	for i, x := range o.P.Occs {
		if len(n.Also) == maxNoteLinks {
			break
		}
		if x.Doc != a.Src.Path && pi.links[i].URL != "" {
			n.Also = append(n.Also, pi.links[i])
			also = append(also, i)
		}
	}
	n.More = pi.linked - here - len(n.Also)
	var err error
	if n.AlsoLinks, n.CompareLink, err = pi.html.note(s, o.P, pi.links, also); err != nil {
		return "", err
	}
	return s.Render(passageNoteLayout, n)
}

// noteHTML is the HTML of a passage's links that notes show, each rendered
// once per build (the fragments "note-link" and "note-compare"): the
// notes of the passage's occurrences name the same few links, and every
// one links to its page. It is what site.Site.Fragment would return for
// them, without a look-up keyed by the whole link on every note (and
// without filling Fragment's map: site.Site.FragmentOnce). A new
// build (a new site.Site, whose layouts may differ) renders them again.
type noteHTML struct {
	mu      sync.Mutex
	site    *site.Site
	links   []template.HTML // by occurrence, as passInfo.links
	have    []bool          // links[i] is rendered
	compare template.HTML
}

// note returns the HTML of the links also (indexes in links) joined by
// ", ", and of the link to p's page.
func (h *noteHTML) note(s *site.Site, p *Passage, links []site.Link, also []int) (template.HTML, template.HTML, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.site != s {
		c, err := s.FragmentOnce(noteCompareLayout, Compare{URL: passageURL(s, p), Wordings: len(p.Occs)})
		if err != nil {
			return "", "", err
		}
		h.site, h.compare = s, c
		h.links, h.have = make([]template.HTML, len(links)), make([]bool, len(links))
	}
	n := 0
	for k, i := range also {
		if !h.have[i] {
			l, err := s.FragmentOnce(noteLinkLayout, links[i])
			if err != nil {
				return "", "", err
			}
			h.links[i], h.have[i] = l, true
		}
		if k > 0 {
			n += len(", ")
		}
		n += len(h.links[i])
	}
	var b strings.Builder
	b.Grow(n)
	for k, i := range also {
		if k > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(h.links[i]))
	}
	return template.HTML(b.String()), h.compare, nil
}
