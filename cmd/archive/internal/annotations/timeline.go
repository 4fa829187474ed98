package annotations

import (
	"fmt"
	"html/template"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// TimelinePage is the .Data of a page of /timeline/ (layouts/timeline.html):
// the articles in date order (undated last), each with the shared passages
// that first appear in it and where each went next.
type TimelinePage struct {
	Articles []TimelineArticle // this page's
	Total    int               // articles in all
	Passages int               // shared passages placed on the timeline, in all
	Undated  int               // articles without a date, in all, listed last
}

// TimelineArticle is one article on the timeline.
type TimelineArticle struct {
	Title, URL        string
	Outlet, OutletURL string
	OutletLink        template.HTML // <a href=OutletURL>Outlet</a>, rendered once per build for all the outlet's articles
	Date              time.Time
	Dated             bool              // as site.Article's: Date as the layout shows it
	ISODate, DateText string            // RFC 3339 and "2 January 2006"; "" and "undated" when undated
	First             []FirstAppearance // passages that first appear here, most widely shared first
}

// FirstAppearance is a shared passage where it first appeared.
type FirstAppearance struct {
	ID, Text, Label, Class string
	Quote                  string // URL of the marked words in the article
	Passage                string // URL of the passage page
	Dated                  bool   // false: no occurrence is dated, so "first" is only the first listed
	Later                  []Later
	More                   int // later occurrences not listed; the passage page lists them
}

// Later is a later occurrence of a passage in another article.
type Later struct {
	Name, URL string
	// SameDay: published the same calendar day as the first appearance,
	// and at least one of the two dates has no time of day, so which came
	// first that day is not known.
	SameDay bool
}

// maxLater is how many later occurrences the timeline names per passage.
const maxLater = 5

// timeline emits the pages of /timeline/.
func (f *Feature) timeline(s *site.Site, emit func(site.FeaturePage) error) error {
	undated, placed := 0, 0
	for _, a := range s.Articles {
		if a.Date.IsZero() {
			undated++
		}
		placed += len(f.first[a])
	}
	desc := fmt.Sprintf("The %d archived articles in date order, and where each of %d shared passages first appeared.", len(s.Articles), placed)
	for _, pgr := range s.Paginate(len(s.Articles), "timeline/") {
		arts := s.Articles[pgr.From:pgr.To]
		h := site.NewHasher().Int(len(s.Articles)).Int(placed).Int(undated).Int(pgr.Number).Int(pgr.Total)
		for _, a := range arts {
			h.Key(a.LinkKey()).Time(a.Date)
			for _, p := range f.first[a] {
				h.Key(f.info[p].key)
				for _, o := range p.Occs {
					if b := s.Article(o.Doc); b != nil {
						h.Time(b.Date)
					}
				}
			}
		}
		title := "Timeline"
		if pgr.Number > 1 {
			title += fmt.Sprintf(", page %d of %d", pgr.Number, pgr.Total)
		}
		err := emit(site.FeaturePage{Path: pgr.Path(), Kind: "timeline", Title: title, Description: desc, Pager: pgr, Key: h.Sum(),
			Data: func() (any, error) {
				f.mu.RLock()
				defer f.mu.RUnlock()
				tp := TimelinePage{Total: len(s.Articles), Passages: placed, Undated: undated}
				for _, a := range arts {
					ta, err := f.timelineArticle(s, a)
					if err != nil {
						return nil, err
					}
					tp.Articles = append(tp.Articles, ta)
				}
				return tp, nil
			}})
		if err != nil {
			return err
		}
	}
	return nil
}

// timelineArticle is a on the timeline with the passages that first
// appear in it.
func (f *Feature) timelineArticle(s *site.Site, a *site.Article) (TimelineArticle, error) {
	ta := TimelineArticle{Title: a.Title, URL: a.URL, Date: a.Date, Dated: a.Dated, ISODate: a.ISODate, DateText: a.DateText}
	if a.Outlet != nil {
		ta.Outlet, ta.OutletURL = a.Outlet.Name, a.Outlet.URL
		var err error
		if ta.OutletLink, err = s.Fragment(outletLinkLayout, a.Outlet); err != nil {
			return ta, err
		}
	}
	for _, p := range f.first[a] {
		var mark string
		for _, o := range p.Occs {
			if o.Doc == a.Src.Path && (p.Earliest < 0 || o.N == p.Earliest) {
				mark = o.ID
				break
			}
		}
		fa := FirstAppearance{ID: p.ID, Text: Clip(p.Canonical, 220), Label: classLabel(p.Class), Class: string(p.Class),
			Quote: a.URL + "#" + mark, Passage: passageURL(s, p), Dated: p.Earliest >= 0}
		seen := map[string]bool{a.Src.Path: true}
		for _, o := range p.Occs {
			b := s.Article(o.Doc)
			if b == nil || seen[o.Doc] {
				continue
			}
			seen[o.Doc] = true
			if len(fa.Later) == maxLater {
				fa.More++
				continue
			}
			name := b.Title
			if b.Outlet != nil {
				name = b.Outlet.Name
			}
			fa.Later = append(fa.Later, Later{Name: name, URL: b.URL + "#" + o.ID, SameDay: sameDayUnsure(a.Date, b.Date)})
		}
		ta.First = append(ta.First, fa)
	}
	return ta, nil
}

// outletLinkLayout renders the link to an outlet's page, once per build
// (layouts/fragments.html, site.Site.Fragment).
const outletLinkLayout = "outlet-link"
