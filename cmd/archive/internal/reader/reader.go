// Package reader adds what a reader of the archive needs beyond the pages
// themselves: search, citations, a story timeline and a list by title. It
// plugs into the site build through site options, after the annotations
// layer whose passages and notes it uses (see Reader.Options).
//
// # URLs
//
//	/search/                  the search page (layouts/search.html), with
//	                          kind and outlet filters; the static index is
//	                          under /search/ (package search), the client is
//	                          /search.js (layouts/search.js)
//	/timeline/                the story's articles in date order, each with
//	                          the shared passages that first appear in it
//	                          (layouts/timeline.html)
//	/titles/                  every article by title, for browsing without
//	                          JavaScript (layouts/titles.html)
//
// # Citations
//
// Every article gets .Article.Extra.cite, a cite.Set: the formatted
// citation, BibTeX, CSL-JSON and the Google Scholar citation_* meta tags
// (layouts/single.html). Every passage page gets .Data.Extra.Cite: the
// passage cited as the article it first appeared in, at the quote's own
// permalink (…/#q-…). The access date is the article's captured date, or
// else the newest article date of the build: never the clock, so builds are
// reproducible.
//
// # Search documents
//
// One document per article (title; the body's text, subtitle and byline),
// per shared passage (its canonical wording and the other wordings; its
// outlet, for the filter, is the outlet where it first appeared) and per
// editor's note (the note and the words it is about, at the mark's URL
// /articles/<slug>/#n-…).
package reader

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/annotations"
	"github.com/archive-project/archive/cmd/archive/internal/article"
	"github.com/archive-project/archive/cmd/archive/internal/cite"
	"github.com/archive-project/archive/cmd/archive/internal/search"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// Reader holds what one build's hooks share. Builds are serialised by
// site.Builder; the mutex covers the hooks of one build.
type Reader struct {
	ann *annotations.Layer

	mu      sync.Mutex
	archive string                      // the site's title
	works   map[string]cite.Work        // by content path
	sets    map[string]citeSet          // their citations, made again only when the work changes
	texts   map[*article.Article]string // plain text of bodies, kept while unchanged

	ixMu     sync.Mutex        // covers the index fields, apart from mu (see Docs)
	index    map[string][]byte // the last search index built
	indexKey [32]byte          // of the documents it was built from
	deferIx  bool              // this build keeps the last index (see files)
}

// New returns the reader features for a site whose passages and notes come
// from ann (nil: articles only).
func New(ann *annotations.Layer) *Reader {
	return &Reader{ann: ann, works: map[string]cite.Work{}, texts: map[*article.Article]string{}}
}

// Options returns the site options that add the reader features. They go
// after the annotation layer's options, so that its analysis runs first.
func (r *Reader) Options() []site.Option {
	if r.ann != nil {
		r.ann.OnPassagePage(r.passageCite)
	}
	return []site.Option{
		site.WithNav(site.NavLink{Title: "Timeline", URL: "timeline/"}, site.NavLink{Title: "Search", URL: "search/"}),
		site.WithSiteAnalysis(r.analyze),
		site.WithPages(r.pages),
		site.WithFiles(r.files),
	}
}

// CiteKey is the name of an article's citations in Article.Extra.
const CiteKey = "cite"

// analyze makes every article's citations.
func (r *Reader) analyze(ctx context.Context, cfg site.Config, arts []*site.Article) error {
	// While the annotation layer answers an edit without finding passages
	// (archive serve), the search index waits for the follow-up build too.
	// Asked before taking r.mu: the layer calls back into r under its lock.
	annPending := r.ann != nil && r.ann.Live() && r.ann.Pending()
	r.ixMu.Lock()
	r.deferIx = r.index != nil && annPending
	r.ixMu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	var newest time.Time
	for _, a := range arts {
		if a.Date.After(newest) {
			newest = a.Date
		}
	}
	r.archive = cfg.Title
	works := make(map[string]cite.Work, len(arts))
	sets := make(map[string]citeSet, len(arts))
	for _, a := range arts {
		w := Work(a, cfg.Title, newest)
		set, ok := r.sets[a.Src.Path]
		if old, had := r.works[a.Src.Path]; !ok || !had || !sameWork(old, w) {
			s, err := w.All()
			if err != nil {
				return fmt.Errorf("%s: citation: %w", a.Src.Path, err)
			}
			if set, err = newCiteSet(s); err != nil {
				return fmt.Errorf("%s: citation: %w", a.Src.Path, err)
			}
		}
		works[a.Src.Path], sets[a.Src.Path] = w, set
		if a.Extra == nil {
			a.Extra = map[string]any{}
		}
		a.Extra[CiteKey] = set
	}
	r.works, r.sets = works, sets
	return ctx.Err()
}

// Work is what a citation of a says: the original (author, title, outlet,
// date, source URL) and the archived copy (archive, permalink, access
// date). The access date is the captured date, else fallback.
func Work(a *site.Article, archive string, fallback time.Time) cite.Work {
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

// PassageCite is the .Data.Extra of a passage page.
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
func (r *Reader) passageCite(p annotations.PassageInfo) (any, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	first := p.First()
	a := first.Article
	w, ok := r.works[a.Src.Path]
	if !ok {
		return nil, nil
	}
	w.Permalink = a.Permalink + "#" + first.Mark
	w.ID = a.ID + "#" + first.Mark
	set, err := w.All()
	if err != nil {
		return nil, fmt.Errorf("passage %s: citation: %w", p.ID, err)
	}
	pc := &PassageCite{Cite: set, Title: a.Title, URL: a.URL + "#" + first.Mark}
	if a.Outlet != nil {
		pc.Outlet = a.Outlet.Name
	}
	seen := map[*site.Article]bool{a: true}
	for _, o := range p.Occurrences {
		if b := o.Article; !seen[b] && sameDayUnsure(a.Date, b.Date) {
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

// Docs returns the search documents of a build: articles, passages and notes.
func (r *Reader) Docs(sd *site.SiteData) []search.Doc {
	// r.mu covers the text cache only: the annotation layer's accessors
	// take its own lock, which it holds while it calls passageCite.
	r.mu.Lock()
	docs := make([]search.Doc, 0, len(sd.Articles))
	texts := make(map[*article.Article]string, len(sd.Articles))
	for _, a := range sd.Articles {
		body, ok := r.texts[a.Src]
		if !ok {
			body = PlainText(a.Src.Body)
		}
		texts[a.Src] = body
		d := search.Doc{URL: a.URL, Title: a.Title, Kind: search.Article, Date: a.Date,
			Text: joinNonEmpty("\n", body, a.Subtitle, a.Author)} // the snippet is the text's start
		if a.Outlet != nil {
			d.Outlet = a.Outlet.Name
		}
		docs = append(docs, d)
	}
	r.texts = texts
	r.mu.Unlock()
	if r.ann == nil {
		return docs
	}
	for _, p := range r.ann.Passages() {
		first := p.First()
		d := search.Doc{URL: p.URL, Title: "“" + clip(p.Canonical, 100) + "”", Kind: search.Passage,
			Date: first.Article.Date, Text: p.Canonical}
		if first.Article.Outlet != nil {
			d.Outlet = first.Article.Outlet.Name
		}
		seen := map[string]bool{p.Canonical: true}
		for _, o := range p.Occurrences {
			if !seen[o.Text] {
				seen[o.Text] = true
				d.Text += "\n" + o.Text
			}
		}
		docs = append(docs, d)
	}
	for _, n := range r.ann.Notes() {
		a := n.Article
		d := search.Doc{URL: a.URL + "#" + n.Mark, Title: "Editor's note on “" + clip(a.Title, 80) + "”", Kind: search.Note,
			Date: a.Date, Text: PlainText([]byte(n.Note)) + "\n“" + n.Quote + "”"}
		if a.Outlet != nil {
			d.Outlet = a.Outlet.Name
		}
		docs = append(docs, d)
	}
	return docs
}

// SearchPage is the .Data of /search/ (layouts/search.html).
type SearchPage struct {
	Search search.Page
}

// pages adds /search/, /timeline/ and /titles/.
func (r *Reader) pages(sd *site.SiteData) ([]site.ExtraPage, error) {
	home := sd.Home
	docs := r.Docs(sd)
	sp := SearchPage{Search: search.NewPage(docs, home+"search/", home+"search.js",
		search.Choice{Value: home + "titles/", Label: "articles by title"},
		search.Choice{Value: home + "#outlets", Label: "by outlet"},
		search.Choice{Value: home + "timeline/", Label: "by date"},
	)}
	if r.ann != nil {
		sp.Search.Browse = append(sp.Search.Browse, search.Choice{Value: home + "passages/", Label: "shared passages"})
	}
	tl := r.Timeline(sd)
	return []site.ExtraPage{
		{Path: "search/index.html", Kind: "search", Title: "Search",
			Description: "Search the archive's articles, shared passages and editor's notes.", Data: sp},
		{Path: "timeline/index.html", Kind: "timeline", Title: "Timeline",
			Description: fmt.Sprintf("The %d archived articles in date order, and where each of %d shared passages first appeared.", len(sd.Articles), tl.Passages),
			Data:        tl},
		{Path: "titles/index.html", Kind: "titles", Title: "Articles by title",
			Description: fmt.Sprintf("All %d archived articles, by title.", len(sd.Articles)), Data: Titles(sd)},
	}, nil
}

// files publishes the search index. It is built again only when the
// documents changed, and not at all in a build that answers an edit at
// once (deferIx): the follow-up build brings it up to date.
func (r *Reader) files(sd *site.SiteData) (map[string][]byte, error) {
	r.ixMu.Lock()
	defer r.ixMu.Unlock()
	if r.deferIx {
		return r.index, nil
	}
	docs := r.Docs(sd)
	key := docsKey(docs)
	if r.index != nil && key == r.indexKey {
		return r.index, nil
	}
	files, err := search.Build(docs)
	if err != nil {
		return nil, err
	}
	r.index, r.indexKey = files, key
	return files, nil
}

func docsKey(docs []search.Doc) [32]byte {
	h := sha256.New()
	for _, d := range docs {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%d\x00", d.URL, d.Title, d.Kind, d.Outlet, d.Date.Format(time.RFC3339Nano), len(d.Text))
		h.Write([]byte(d.Text))
	}
	return [32]byte(h.Sum(nil))
}

// TitlesPage is the .Data of /titles/ (layouts/titles.html).
type TitlesPage struct {
	Groups []TitleGroup
}

// TitleGroup is the articles whose titles start with one letter.
type TitleGroup struct {
	Letter   string
	ID       string // element id, "t-a"
	Articles []Entry
}

// Entry is an article in a list.
type Entry struct {
	Title, URL        string
	Outlet, OutletURL string
	Date              time.Time
}

func entry(a *site.Article) Entry {
	e := Entry{Title: a.Title, URL: a.URL, Date: a.Date}
	if a.Outlet != nil {
		e.Outlet, e.OutletURL = a.Outlet.Name, a.Outlet.URL
	}
	return e
}

// Titles lists the articles by title (ignoring case and leading quotes),
// grouped by first letter.
func Titles(sd *site.SiteData) TitlesPage {
	arts := append([]*site.Article(nil), sd.Articles...)
	key := func(a *site.Article) string {
		return strings.ToLower(strings.TrimLeft(a.Title, "\"'“‘«([ "))
	}
	sort.SliceStable(arts, func(i, j int) bool {
		ki, kj := key(arts[i]), key(arts[j])
		if ki != kj {
			return ki < kj
		}
		return arts[i].URL < arts[j].URL
	})
	var tp TitlesPage
	for _, a := range arts {
		letter := "#"
		for _, c := range key(a) {
			if c >= 'a' && c <= 'z' {
				letter = strings.ToUpper(string(c))
			}
			break
		}
		if n := len(tp.Groups); n == 0 || tp.Groups[n-1].Letter != letter {
			id := "t-" + strings.ToLower(letter)
			if letter == "#" {
				id = "t-other"
			}
			tp.Groups = append(tp.Groups, TitleGroup{Letter: letter, ID: id})
		}
		g := &tp.Groups[len(tp.Groups)-1]
		g.Articles = append(g.Articles, entry(a))
	}
	return tp
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// clip shortens s to about n runes at a word boundary.
func clip(s string, n int) string {
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

// sameWork reports whether two works cite alike (Work holds a slice, so it
// is not comparable with ==).
func sameWork(a, b cite.Work) bool {
	if len(a.Authors) != len(b.Authors) {
		return false
	}
	for i := range a.Authors {
		if a.Authors[i] != b.Authors[i] {
			return false
		}
	}
	a.Authors, b.Authors = nil, nil
	return a.ID == b.ID && a.Title == b.Title && a.Outlet == b.Outlet && a.Date.Equal(b.Date) &&
		a.SourceURL == b.SourceURL && a.Permalink == b.Permalink && a.Accessed.Equal(b.Accessed) && a.Archive == b.Archive
}

// citeSet is an article's citations as layouts see them (.Extra.cite: the
// fields of cite.Set), with the fingerprint the site takes of an article's
// Extra made once, when the citations are made, instead of every build.
type citeSet struct {
	cite.Set
	fp []byte
}

func newCiteSet(s cite.Set) (citeSet, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return citeSet{}, err
	}
	sum := sha256.Sum256(b)
	return citeSet{Set: s, fp: fmt.Appendf(nil, "%q", fmt.Sprintf("%x", sum))}, nil
}

// MarshalJSON is the fingerprint, for the site's page fingerprints.
func (c citeSet) MarshalJSON() ([]byte, error) { return c.fp, nil }
