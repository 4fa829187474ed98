package site

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"time"
)

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title     string      `xml:"title"`
	ID        string      `xml:"id"`
	Link      atomLink    `xml:"link"`
	Published string      `xml:"published,omitempty"`
	Updated   string      `xml:"updated"`
	Author    *atomPerson `xml:"author,omitempty"`
	Summary   string      `xml:"summary,omitempty"`
	Source    string      `xml:"source>title,omitempty"`
}

type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr,omitempty"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	ID       string      `xml:"id"`
	Links    []atomLink  `xml:"link"`
	Updated  string      `xml:"updated"`
	Author   atomPerson  `xml:"author"`
	Entries  []atomEntry `xml:"entry"`
}

func atomTime(t time.Time) string {
	if t.IsZero() {
		t = time.Unix(0, 0)
	}
	return t.UTC().Format(time.RFC3339)
}

// FeedEntries is how many articles the Atom feed carries, the newest. A
// feed tells subscribers what is new; the sitemap, the home page and
// /titles/ list everything. (A feed of every article was 9 MB at 10,000
// articles and had to be written again after any edit.)
const FeedEntries = 50

// feedArticles returns the articles of the feed: the FeedEntries newest
// dated ones, or undated ones too when there are fewer, in the order of
// the full list reversed (newest first, undated on top).
func feedArticles(m *model) []*Article {
	n := len(m.articles)
	if n <= FeedEntries {
		out := make([]*Article, 0, n)
		for i := n - 1; i >= 0; i-- {
			out = append(out, m.articles[i])
		}
		return out
	}
	// The list is sorted by date with the undated last: the newest dated
	// articles stand just before them.
	dated := n
	for dated > 0 && m.articles[dated-1].Date.IsZero() {
		dated--
	}
	take := min(dated, FeedEntries)
	undated := min(n-dated, FeedEntries-take)
	out := make([]*Article, 0, FeedEntries)
	for i := dated + undated - 1; i >= dated; i-- {
		out = append(out, m.articles[i])
	}
	for i := dated - 1; i >= dated-take; i-- {
		out = append(out, m.articles[i])
	}
	return out
}

// feedFP covers what the feed shows.
func feedFP(m *model, siteFP Key) Key {
	h := NewHasher().Key(siteFP).String(atomTime(m.latest))
	for _, a := range feedArticles(m) {
		h.Key(a.listFP)
	}
	return h.Sum()
}

// writeFeed writes the Atom feed of the newest FeedEntries articles,
// newest first. Its updated time is the newest article's date, never the
// clock.
func writeFeed(w *bytes.Buffer, m *model) error {
	return writeAtom(w, m, m.cfg.Title, m.abs(""), m.abs("index.xml"), feedArticles(m))
}

// writeAtom writes an Atom feed of list (newest first) whose page is at
// the absolute URL home and which is itself at self.
func writeAtom(w *bytes.Buffer, m *model, title, home, self string, list []*Article) error {
	author := m.cfg.Organization
	if author == "" {
		author = m.cfg.Title
	}
	updated := time.Time{}
	for _, a := range list {
		if a.Date.After(updated) {
			updated = a.Date
		}
	}
	if home == m.abs("") {
		updated = m.latest
	}
	f := atomFeed{Lang: m.cfg.Language, Title: title, Subtitle: m.cfg.Description, ID: home,
		Links: []atomLink{{Href: self, Rel: "self", Type: "application/atom+xml"},
			{Href: home, Rel: "alternate", Type: "text/html"}},
		Updated: atomTime(updated), Author: atomPerson{Name: author}}
	for _, a := range list {
		e := atomEntry{Title: a.Title, ID: a.Permalink, Link: atomLink{Href: a.Permalink}, Updated: atomTime(a.Date), Summary: a.Summary}
		if !a.Date.IsZero() {
			e.Published = atomTime(a.Date)
		}
		if a.Author != "" {
			e.Author = &atomPerson{Name: a.Author}
		}
		if a.Outlet != nil {
			e.Source = a.Outlet.Name
		}
		f.Entries = append(f.Entries, e)
	}
	return writeXML(w, f)
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

type sitemap struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

// SitemapURLs is how many URLs one sitemap file lists at most (the
// protocol's limit); a larger site gets a sitemap index at /sitemap.xml
// and the lists at /sitemap-1.xml, /sitemap-2.xml ...
const SitemapURLs = 50000

// sitemapURLs lists the pages a sitemap names: the home page, every
// article, story, outlet and seed page, and the features' pages (their
// lists' first pages), and the first pages of the site's own lists.
func sitemapURLs(m *model) []sitemapURL {
	urls := make([]sitemapURL, 0, 1+len(m.articles)+len(m.stories)+len(m.outlets)+len(m.seeds)+len(m.extra))
	urls = append(urls, sitemapURL{Loc: m.abs(""), LastMod: day(m.latest)})
	for _, a := range m.articles {
		urls = append(urls, sitemapURL{Loc: a.Permalink, LastMod: day(a.Date)})
	}
	for _, s := range m.stories {
		urls = append(urls, sitemapURL{Loc: m.base + s.URL})
	}
	for _, o := range m.outlets {
		urls = append(urls, sitemapURL{Loc: m.base + o.URL})
	}
	for _, sd := range m.seeds {
		urls = append(urls, sitemapURL{Loc: m.base + sd.URL})
	}
	for _, list := range []string{"stories/", "outlets/", "seeds/", "titles/"} {
		urls = append(urls, sitemapURL{Loc: m.abs(list)})
	}
	for _, u := range m.extra {
		urls = append(urls, sitemapURL{Loc: u})
	}
	return urls
}

// sitemaps writes /sitemap.xml, and the numbered sitemaps of an index
// when the site has more than SitemapURLs pages.
func (r *run) sitemaps(w *worker) error {
	urls := sitemapURLs(r.m)
	key := func(list []sitemapURL) Key {
		h := NewHasher().Key(r.siteFP).Int(len(list))
		for _, u := range list {
			h.String(u.Loc, u.LastMod)
		}
		return h.Sum()
	}
	if len(urls) <= SitemapURLs {
		return r.file(w, "sitemap.xml", "the sitemap", key(urls), func(b *bytes.Buffer) error {
			return writeXML(b, sitemap{URLs: urls})
		})
	}
	var index sitemapIndex
	for i := 0; i*SitemapURLs < len(urls); i++ {
		part := urls[i*SitemapURLs : min(len(urls), (i+1)*SitemapURLs)]
		name := fmt.Sprintf("sitemap-%d.xml", i+1)
		index.Sitemaps = append(index.Sitemaps, sitemapRef{Loc: r.m.abs(name)})
		if err := r.file(w, name, "the sitemap "+name, key(part), func(b *bytes.Buffer) error {
			return writeXML(b, sitemap{URLs: part})
		}); err != nil {
			return err
		}
	}
	return r.file(w, "sitemap.xml", "the sitemap index", NewHasher().Key(r.siteFP).Int(len(index.Sitemaps)).Sum(),
		func(b *bytes.Buffer) error { return writeXML(b, index) })
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapRef `xml:"sitemap"`
}

type sitemapRef struct {
	Loc string `xml:"loc"`
}

func writeXML(w *bytes.Buffer, v any) error {
	w.WriteString(xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	w.WriteString("\n")
	return nil
}
