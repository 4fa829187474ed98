package annotations

import (
	"sort"
	"strings"

	"github.com/archive-project/archive/cmd/archive/internal/search"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// SearchDocs are the search documents of the last build's passages (the
// canonical wording and the other wordings; its outlet, for the filter, is
// the outlet where it first appeared) and editor's notes (the note and the
// words it is about, at the mark's URL /articles/<slug>/#n-…): what
// package search indexes beside the articles.
func (f *Feature) SearchDocs(s *site.Site) []search.Doc {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.ix == nil {
		return nil
	}
	var docs []search.Doc
	for _, p := range f.ix.Passages {
		first := f.firstArticle(s, p)
		if first == nil {
			continue
		}
		d := search.Doc{URL: passageURL(s, p), Title: "“" + Clip(p.Canonical, 100) + "”", Kind: search.Passage,
			Date: first.Date}
		if first.Outlet != nil {
			d.Outlet = first.Outlet.Name
		}
		seen := map[string]bool{p.Canonical: true}
		var text strings.Builder // not +=: a passage copied into thousands of articles has thousands of wordings
		text.WriteString(p.Canonical)
		for _, o := range p.Occs {
			t := p.Occurrences[o.N].Text
			if s.Article(o.Doc) != nil && !seen[t] {
				seen[t] = true
				text.WriteString("\n")
				text.WriteString(t)
			}
		}
		d.Text = text.String()
		docs = append(docs, d)
	}
	paths := make([]string, 0, len(f.ix.Docs))
	for k, r := range f.ix.Docs {
		if len(r.Notes) > 0 {
			paths = append(paths, k)
		}
	}
	sort.Strings(paths)
	for _, k := range paths {
		a := s.Article(k)
		if a == nil {
			continue
		}
		for _, n := range f.ix.Docs[k].Notes {
			d := search.Doc{URL: a.URL + "#" + n.ID, Title: "Editor's note on “" + Clip(a.Title, 80) + "”", Kind: search.Note,
				Date: a.Date, Text: search.PlainText([]byte(n.Note.Note)) + "\n“" + n.Quote + "”"}
			if a.Outlet != nil {
				d.Outlet = a.Outlet.Name
			}
			docs = append(docs, d)
		}
	}
	return docs
}

// SearchKinds are the kinds of SearchDocs: passages when there are any,
// notes when an article has one.
func (f *Feature) SearchKinds(s *site.Site) []string {
	f.mu.RLock()
	defer f.mu.RUnlock()
	var kinds []string
	if f.ix != nil && len(f.ix.Passages) > 0 {
		kinds = append(kinds, search.Passage)
	}
	for _, a := range s.Articles {
		if len(a.Src.Meta.Notes) > 0 {
			return append(kinds, search.Note)
		}
	}
	return kinds
}
