package site

import (
	"fmt"
	"strconv"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/cite"
	template "github.com/archive-project/archive/cmd/archive/internal/gotemplates/htmltemplate"
	"github.com/archive-project/archive/cmd/archive/internal/jsonstr"
)

// Page is the data every layout is executed with.
type Page struct {
	Kind        string // home, single, story, stories, outlet, outlets, seed, seeds, titles, 404, alias, or a feature's
	Title       string // the page's own title (the site title is added by baseof)
	Description string
	URL         string // site-relative URL of the page
	Permalink   string // absolute URL (canonical)
	Site        *SiteData
	Article     *Article // single
	Outlet      *Outlet  // outlet
	Story       *Story   // story
	Seed        *Seed    // seed
	Target      string   // alias: the URL it redirects to
	Data        any      // a feature's page: what its FeaturePage.Data made
	JSONLD      *NewsArticle

	// Pager is the page of a list this page is (home, story, outlet,
	// stories, outlets, seeds, titles, and features' lists), else nil.
	Pager *Pager
	// Items are the list entries (Article.Item) of the articles on this
	// page of a list, in order: what {{range .List}}{{.Item}}{{end}}
	// writes, without a template action per entry.
	Items template.HTML
	List  []*Article // the articles on this page of a list
	// Stories, Outlets and Seeds are the entries on this page of the
	// stories, outlets and seeds lists; on the home page's first page,
	// the first few of each (HomeSections), with Pager-less links to the
	// whole lists.
	Stories []*Story
	Outlets []*Outlet
	Seeds   []*Seed
	Titles  []TitleGroup // titles: this page's entries, by first letter
	Letters []Letter     // titles: every letter, with the page it starts on

	// What features add (see ArticleFeature, OutletFeature, SeedFeature).
	Notes   []Note     // single: the marks' notes, numbered in reading order
	Related *Related   // single, outlet: a short list of links; nil when empty
	Lines   []SeedLine // seed: highlighted lines and what they hold
	Cite    *cite.Set  // single: how to cite the article

	// Pieces of an article page that many pages show alike, each rendered
	// once per build from layouts/fragments.html (see Site.Fragment):
	// RelatedItems are the <li> of Related.Links ("related-item"),
	// StoryLine is the link to the article's story ("story-line"),
	// OutletLink the link to its outlet ("outlet-link"). Empty when the
	// layouts do not define them.
	RelatedItems template.HTML
	StoryLine    template.HTML
	OutletLink   template.HTML

	// Chrome is what the page shows of the site alone, rendered once per
	// build from layouts/chrome.html.
	Chrome *Chrome
}

// Chrome is the site's chrome as baseof.html writes it: the head's links
// to the stylesheet and the feed, the site's header and navigation, and
// the footer's lines about the site. A build renders each once (the
// header once more for each page of the nav, marked current) instead of
// once per page: their template actions were a third of a page's.
type Chrome struct {
	Head   template.HTML // layouts/chrome.html "chrome-head"
	Header template.HTML // "chrome-header"
	Footer template.HTML // "chrome-footer"
}

// SiteData is what every page knows of the site.
type SiteData struct {
	Config
	Home       string // site-relative URL of the home page
	Stylesheet string // site-relative URL of the fingerprinted stylesheet
	Feed       string // site-relative URL of the Atom feed
	// The whole lists. A layout that ranges over them makes every page
	// of its kind depend on every entry; the default layouts use Count
	// and the page's own entries (.List, .Stories ...).
	Articles  []*Article
	Outlets   []*Outlet
	Stories   []*Story
	Seeds     []*Seed
	Count     Counts
	Snapshots []*Snapshot // packages published with the site, by name
	Nav       []NavLink   // links that features add to the site's navigation (NavFeature)
	// HasOutlets and HasSeeds say whether the site has any: a site
	// without (a Hugo site) shows no empty lists of them.
	HasOutlets, HasSeeds bool
}

// Counts are the sizes of the site's lists.
type Counts struct{ Articles, Outlets, Stories, Seeds int }

// NavLink is a link of the site's navigation.
type NavLink struct {
	Title string
	URL   string // site-relative
}

// LatestSnapshot is the last snapshot by name (names start with their
// date), or nil.
func (s *SiteData) LatestSnapshot() *Snapshot {
	if len(s.Snapshots) == 0 {
		return nil
	}
	return s.Snapshots[len(s.Snapshots)-1]
}

var templateFuncs = template.FuncMap{
	"date":    dateText,
	"isodate": isoDate,
	"shortdate": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2006-01-02")
	},
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return fmt.Sprintf("%d %s", n, one)
		}
		return fmt.Sprintf("%d %s", n, many)
	},
}

// dateText is t as pages show it (the layouts' date function).
func dateText(t time.Time) string {
	if t.IsZero() {
		return "undated"
	}
	return t.Format("2 January 2006")
}

// isoDate is t as RFC 3339, "" when zero (the layouts' isodate function).
func isoDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// NewsArticle is the schema.org NewsArticle of an article page (its
// <script type="application/ld+json">). Fields are in the order of their
// JSON names.
type NewsArticle struct {
	Context            string       `json:"@context"`
	Type               string       `json:"@type"`
	Author             *schemaThing `json:"author,omitempty"`
	DatePublished      string       `json:"datePublished,omitempty"`
	Description        string       `json:"description,omitempty"`
	Headline           string       `json:"headline"`
	InLanguage         string       `json:"inLanguage"`
	IsBasedOn          string       `json:"isBasedOn,omitempty"`
	MainEntityOfPage   string       `json:"mainEntityOfPage"`
	Publisher          *schemaThing `json:"publisher,omitempty"`
	SameAs             string       `json:"sameAs,omitempty"`
	SourceOrganization *schemaThing `json:"sourceOrganization,omitempty"`
	URL                string       `json:"url"`
	WordCount          int          `json:"wordCount,omitempty"`
}

type schemaThing struct {
	Type string `json:"@type"`
	Name string `json:"name"`
}

// MarshalJSON writes d as json.Marshal does by reflection (fields in
// order, omitempty), without it: the layout's {{$.JSONLD}} marshals one
// for every article page. TestNewsArticleAsStd holds it to encoding/json.
func (d *NewsArticle) MarshalJSON() ([]byte, error) {
	return d.AppendJSON(make([]byte, 0, 512)), nil
}

// AppendJSON appends d's JSON as MarshalJSON writes it (for the layouts'
// script actions: htmltemplate.JSONAppender).
func (d *NewsArticle) AppendJSON(b []byte) []byte {
	start := len(b)
	field := func(name, v string, omitEmpty bool) {
		if omitEmpty && v == "" {
			return
		}
		if len(b) > start+1 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, '"', ':')
		b = jsonstr.Append(b, v, true)
	}
	thing := func(name string, t *schemaThing) {
		if t == nil {
			return
		}
		b = append(b, ',', '"')
		b = append(b, name...)
		b = append(b, `":{"@type":`...)
		b = jsonstr.Append(b, t.Type, true)
		b = append(b, `,"name":`...)
		b = jsonstr.Append(b, t.Name, true)
		b = append(b, '}')
	}
	b = append(b, '{')
	field("@context", d.Context, false)
	field("@type", d.Type, false)
	thing("author", d.Author)
	field("datePublished", d.DatePublished, true)
	field("description", d.Description, true)
	field("headline", d.Headline, false)
	field("inLanguage", d.InLanguage, false)
	field("isBasedOn", d.IsBasedOn, true)
	field("mainEntityOfPage", d.MainEntityOfPage, false)
	thing("publisher", d.Publisher)
	field("sameAs", d.SameAs, true)
	thing("sourceOrganization", d.SourceOrganization)
	field("url", d.URL, false)
	if d.WordCount != 0 {
		b = append(b, `,"wordCount":`...)
		b = strconv.AppendInt(b, int64(d.WordCount), 10)
	}
	return append(b, '}')
}

// newsArticle is the schema.org NewsArticle of an article page.
func newsArticle(m *model, a *Article) *NewsArticle {
	d := &NewsArticle{Context: "https://schema.org", Type: "NewsArticle", Headline: a.Title, URL: a.Permalink,
		MainEntityOfPage: a.Permalink, InLanguage: m.cfg.Language, Description: a.Summary, IsBasedOn: a.SourceURL,
		SameAs: a.SourceURL, WordCount: a.Words}
	if !a.Date.IsZero() {
		d.DatePublished = a.Date.Format(time.RFC3339)
	}
	if a.Author != "" {
		d.Author = &schemaThing{Type: "Person", Name: a.Author}
	}
	if a.Outlet != nil {
		d.Publisher = &schemaThing{Type: "NewsMediaOrganization", Name: a.Outlet.Name}
	}
	if m.cfg.Organization != "" {
		d.SourceOrganization = &schemaThing{Type: "Organization", Name: m.cfg.Organization}
	}
	return d
}
