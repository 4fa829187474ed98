package site

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"path"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// Article is an article as layouts see it (the .Article of a single page
// and the entries of every list).
type Article struct {
	Src       *article.Article
	Slug      string
	ID        string
	URL       string // site-relative, e.g. /articles/x/
	Permalink string // absolute
	Title     string
	Subtitle  string
	Author    string
	Date      time.Time // zero when unknown
	// Dated, ISODate and DateText are Date as layouts show it (what
	// `not .Date.IsZero`, `isodate .Date` and `date .Date` say), made once
	// per build: a page's template calls are most of its rendering time.
	Dated    bool
	ISODate  string // RFC 3339, "" when undated
	DateText string // "2 January 2006", "undated" when undated
	// Summary is the front matter's summary, else the subtitle, else the
	// first sentence of the body: known for lists once the article's page
	// has been rendered (a build renders articles before lists).
	Summary   string
	SourceURL string
	Outlet    *Outlet // nil when the article names none
	Seed      *Seed   // nil when the article names none
	Story     *Story
	Prev      *Article // previous in the story, by date
	Next      *Article
	Comments  int // number of reader comments
	Words     int
	// Content is the rendered body. It is set only while the article's own
	// page renders: a build holds the pages in flight, not the whole site.
	Content template.HTML
	// Item is the article as an entry of lists (layouts/item.html),
	// rendered once with its page.
	Item template.HTML

	hash   [32]byte  // of the content file
	src    *srcFile  // the file as read, which a build keeps while unchanged
	place  placement // where its page and the files beside it are (hugosite.go)
	hugo   *hugoPage // what a Hugo site adds; nil for the archive's articles
	linkFP Key       // of what links to it show: title, URL, outlet (prev/next)
	listFP Key       // of what list entries show; known after its page rendered
}

// Outlet is a publication and the articles of it in the archive.
type Outlet struct {
	Name     string
	Slug     string
	URL      string
	Articles []*Article
}

// Story is a set of articles about one event ("story" in front matter,
// archive.toml's story for the rest).
type Story struct {
	Title    string
	Slug     string
	URL      string // its page, /stories/<slug>/
	Articles []*Article
	Count    int // len(Articles), for layouts: a field, not a len call
}

// Seed is a raw archived file under seeds/.
type Seed struct {
	Name     string // file path under seeds/ without extension, e.g. 000_x
	File     string // site path, e.g. seeds/000_x.txt
	URL      string // the seed page, /seeds/000_x/
	RawURL   string // the file itself, /seeds/000_x.txt
	SHA256   string
	Size     int
	Lines    int
	Articles []*Article // content files made from it
	// Code is the seed's text with numbered, linkable lines, made while
	// its page renders.
	Code template.HTML

	data []byte
	hash [32]byte
}

// model is the whole site before rendering.
type model struct {
	cfg       Config
	base      string // scheme://host
	basePath  string // "/" or "/sub/"
	articles  []*Article
	bySlug    map[string]*Article
	byPath    map[string]*Article // by content path
	index     map[*Article]int    // place in articles
	sources   int                 // content files read, drafts included
	outlets   []*Outlet
	stories   []*Story
	seeds     []*Seed
	snapshots []*Snapshot
	latest    time.Time
	extra     []string   // absolute URLs of the pages added WithPages, for the sitemap
	hugo      *hugoModel // a Hugo site's sections and taxonomies (hugolists.go); nil for an archive
}

func (m *model) rel(p string) string { return m.basePath + strings.TrimPrefix(p, "/") }
func (m *model) abs(p string) string { return m.base + m.rel(p) }

// outputDir is the output folder of a page at the site-relative URL u
// (under basePath, ending in "/"): "articles/x/" for /articles/x/. An
// article's URL is made in one place (newArticle); its files follow it.
func (m *model) outputDir(u string) string { return strings.TrimPrefix(u, m.basePath) }

// slugify makes a URL segment of a name: lower-case letters and digits
// joined by single hyphens.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	return b.String()
}

// checkSegment rejects slugs that would escape their folder or make odd URLs.
func checkSegment(s string) error {
	switch {
	case s == "":
		return fmt.Errorf("is empty")
	case s == "." || s == ".." || strings.Contains(s, ".."):
		return fmt.Errorf("%q contains \"..\"", s)
	case strings.ContainsAny(s, "/\\"):
		return fmt.Errorf("%q contains a slash", s)
	case strings.HasPrefix(s, "."):
		return fmt.Errorf("%q starts with a dot", s)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || strings.ContainsRune("?#%\"'<> ", r) {
			return fmt.Errorf("%q contains %q", s, r)
		}
	}
	return nil
}

// checkSitePath validates a root-relative site path such as an alias.
func checkSitePath(p string) (string, error) {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if strings.Contains(p, "\\") || strings.Contains(p, "://") {
		return "", fmt.Errorf("%q is not a path on this site", p)
	}
	for _, seg := range strings.Split(strings.Trim(p, "/"), "/") {
		if seg == ".." || seg == "." {
			return "", fmt.Errorf("%q contains %q", p, seg)
		}
	}
	c := path.Clean(p)
	if c == "/" {
		return "", fmt.Errorf("%q is the home page", p)
	}
	return c, nil
}

// setDates sets the Date fields layouts show (Article.Dated, ISODate,
// DateText) from a.Date.
func (a *Article) setDates() {
	a.Dated = !a.Date.IsZero()
	a.ISODate, a.DateText = isoDate(a.Date), dateText(a.Date)
}

func sortByDate(list []*Article) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if a.Date.IsZero() != b.Date.IsZero() {
			return !a.Date.IsZero()
		}
		if !a.Date.Equal(b.Date) {
			return a.Date.Before(b.Date)
		}
		return a.Src.Path < b.Src.Path
	})
}

func hexHash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// Span says when the story's dated articles appeared: "18 November 2019",
// or "15 November 2019 to 19 November 2019"; "" when none is dated.
func (s *Story) Span() string {
	var first, last *Article
	for _, a := range s.Articles {
		if !a.Date.IsZero() {
			if first == nil {
				first = a
			}
			last = a
		}
	}
	if first == nil {
		return ""
	}
	f, l := first.Date.Format("2 January 2006"), last.Date.Format("2 January 2006")
	if f == l {
		return f
	}
	return f + " to " + l
}

// Bytes returns the seed file as archived. Callers must not modify it.
func (s *Seed) Bytes() []byte { return s.data }

// SnapshotsDir is the folder of the site root whose files (snapshot packages,
// as `archive snapshot --publish` writes them) are published as they are
// under /snapshots/ and listed on the home page.
const SnapshotsDir = "snapshots"

// Snapshot is a package of the site and its sources published with it.
type Snapshot struct {
	Name   string // file name, e.g. snapshot-2019-11-19.bag.tar
	File   string // site path, e.g. snapshots/snapshot-2019-11-19.bag.tar
	URL    string
	SHA256 string
	Size   int

	data []byte
}

// Body is the article's Markdown body, exactly Src.Body as the file was
// parsed. A build keeps the bodies it loaded while it runs; between builds
// (archive serve) Src.Body of an unchanged file is nil and Body reads the
// file again, failing, with an error that names the file, when it changed
// or vanished since it was loaded (the next build reads it anew).
// Features read bodies through Body, never Src.Body.
func (a *Article) Body() ([]byte, error) {
	if a.src == nil {
		return a.Src.Body, nil
	}
	return a.src.readBody()
}

// holdBody makes Body read a dropped body once until release is called:
// for the article's step of a build, whose page and the files features
// put beside it (annotations' body.md and annotations.jsonld) each read
// the body: one read of the file instead of two.
func (a *Article) holdBody() (release func()) {
	if a.src == nil {
		return func() {}
	}
	a.src.held.Store(&heldBody{})
	return func() { a.src.held.Store(nil) }
}

// bodyLen is len of the article's body, without reading it again.
func (a *Article) bodyLen() int {
	if a.src != nil && a.src.dropped {
		return a.src.bodyLen
	}
	return len(a.Src.Body)
}

// ContentHash is the SHA-256 of the article's content file as read.
func (a *Article) ContentHash() [32]byte { return a.hash }

// LinkKey is the Key of what a link to the article shows: its title, URL
// and outlet (see Key).
func (a *Article) LinkKey() Key { return a.linkFP }
