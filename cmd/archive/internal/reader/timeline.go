package reader

import (
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/annotations"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// TimelinePage is the .Data of /timeline/ (layouts/timeline.html): the
// articles in date order (undated last), each with the shared passages that
// first appear in it and where each went next.
type TimelinePage struct {
	Articles []TimelineArticle
	Passages int // shared passages placed on the timeline
	Undated  int // articles without a date, at the end
}

// TimelineArticle is one article on the timeline.
type TimelineArticle struct {
	Entry
	First []FirstAppearance // passages that first appear here, most widely shared first
}

// FirstAppearance is a shared passage where it first appeared.
type FirstAppearance struct {
	ID, Text, Label, Class string
	Quote                  string // URL of the marked words in the article
	Passage                string // URL of the passage page
	Dated                  bool   // false: no occurrence is dated, so "first" is only the first listed
	Later                  []Link // its later occurrences in other articles, in date order
}

// Link is a named URL.
type Link struct {
	Name, URL string
	// SameDay: published the same calendar day as the first appearance,
	// and at least one of the two dates has no time of day, so which came
	// first that day is not known.
	SameDay bool
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

// Timeline places every article, and every shared passage at its earliest
// occurrence, in date order (sd.Articles is in date order).
func (r *Reader) Timeline(sd *site.SiteData) TimelinePage {
	var passages []annotations.PassageInfo
	if r.ann != nil {
		passages = r.ann.Passages()
	}
	return r.timeline1(sd, passages)
}

// timeline1 is Timeline with the build's passages.
func (r *Reader) timeline1(sd *site.SiteData, passages []annotations.PassageInfo) TimelinePage {
	var tp TimelinePage
	index := map[*site.Article]int{}
	for _, a := range sd.Articles {
		index[a] = len(tp.Articles)
		tp.Articles = append(tp.Articles, TimelineArticle{Entry: entry(a)})
		if a.Date.IsZero() {
			tp.Undated++
		}
	}
	if r.ann == nil {
		return tp
	}
	for _, p := range passages {
		first := p.First()
		i, ok := index[first.Article]
		if !ok {
			continue
		}
		fa := FirstAppearance{ID: p.ID, Text: annotations.Clip(p.Canonical, 220), Label: p.Label, Class: p.Class,
			Quote: first.Article.URL + "#" + first.Mark, Passage: p.URL, Dated: p.Earliest >= 0}
		seen := map[*site.Article]bool{first.Article: true}
		for _, o := range p.Occurrences {
			if seen[o.Article] {
				continue
			}
			seen[o.Article] = true
			name := o.Article.Title
			if o.Article.Outlet != nil {
				name = o.Article.Outlet.Name
			}
			fa.Later = append(fa.Later, Link{Name: name, URL: o.Article.URL + "#" + o.Mark,
				SameDay: sameDayUnsure(first.Article.Date, o.Article.Date)})
		}
		tp.Articles[i].First = append(tp.Articles[i].First, fa)
		tp.Passages++
	}
	return tp
}
