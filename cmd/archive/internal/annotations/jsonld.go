package annotations

import (
	"bytes"
	"sort"

	"github.com/archive-project/archive/cmd/archive/internal/site"
	"github.com/archive-project/archive/cmd/archive/internal/webanno"
)

// The annotations as W3C Web Annotation JSON-LD (package webanno). Each
// annotated article publishes beside its page:
//
//	body.md             the Markdown text that selectors point into
//	annotations.jsonld  an AnnotationPage of that article's own annotations:
//	                    one "linking" annotation per occurrence of a shared
//	                    passage, whose body is the passage's page and whose
//	                    target is those words of this article, and one
//	                    "commenting" annotation per editor's note
//
// /annotations.jsonld is the AnnotationCollection of them all: its pages
// are the articles' annotations.jsonld, in article date order, each naming
// the one before and after (prev, next). No file grows with the archive.

// AnnotationsFile is the site's collection, and each article's page of it.
const AnnotationsFile = "annotations.jsonld"

// articleFiles makes the files published beside a's page; f.mu is held.
func (f *Feature) articleFiles(s *site.Site, a *site.Article, r *Refs) ([]site.File, error) {
	md, err := a.Body()
	if err != nil {
		return nil, err
	}
	body := bodyString(md)
	var items []webanno.Encoded
	type at struct {
		start int
		an    webanno.Annotation
	}
	var list []at
	for _, o := range r.Occs {
		page := s.AbsURL("passages/" + o.P.ID + "/")
		list = append(list, at{o.Start, webanno.Link(a.Permalink+"#"+o.ID, "Shared passage: "+Clip(o.P.Canonical, 80), page,
			[]webanno.Target{webanno.TextTarget(a.Permalink+"body.md", a.Permalink, body, o.Start, o.End)})})
	}
	for _, n := range r.Notes {
		list = append(list, at{n.Start, webanno.Comment(a.Permalink+"#"+n.ID, n.Note.Note, s.Config.Language,
			webanno.TextTarget(a.Permalink+"body.md", a.Permalink, body, n.Start, n.End))})
	}
	sort.SliceStable(list, func(i, j int) bool { return list[i].start < list[j].start })
	for _, x := range list {
		e, err := webanno.Encode(x.an)
		if err != nil {
			return nil, err
		}
		items = append(items, e)
	}
	page := webanno.PageDoc{ID: a.Permalink + AnnotationsFile, PartOf: s.AbsURL(AnnotationsFile)}
	n := f.chain[a.Src.Path]
	if p := s.Article(n.prev); p != nil {
		page.Prev = p.Permalink + AnnotationsFile
	}
	if p := s.Article(n.next); p != nil {
		page.Next = p.Permalink + AnnotationsFile
	}
	var buf bytes.Buffer
	if err := webanno.WritePage(&buf, page, items); err != nil {
		return nil, err
	}
	return []site.File{{Name: "body.md", Data: md}, {Name: AnnotationsFile, Data: buf.Bytes()}}, nil
}

// collection emits /annotations.jsonld, which names the articles' pages.
func (f *Feature) collection(s *site.Site, out *site.Emitter) error {
	total := 0
	var first, last string
	for _, a := range s.Articles {
		r := f.ix.Docs[a.Src.Path]
		if r == nil || len(r.Occs)+len(r.Notes) == 0 {
			continue
		}
		total += len(r.Occs) + len(r.Notes)
		if first == "" {
			first = a.Permalink + AnnotationsFile
		}
		last = a.Permalink + AnnotationsFile
	}
	c := webanno.NewPagedCollection(s.AbsURL(AnnotationsFile), "All annotations of "+s.Config.Title, total, first, last)
	key := site.NewHasher().String(c.ID, c.Label, first, last).Int(total).Sum()
	return out.File(site.FeatureFile{Path: AnnotationsFile, Key: key, Data: func() ([]byte, error) {
		var buf bytes.Buffer
		err := webanno.WriteCollection(&buf, c)
		return buf.Bytes(), err
	}})
}
