package site

import (
	"path"
	"strconv"
	"strings"
)

// Pagination. Every list the site shows (home, a story, an outlet, the
// stories, outlets, seeds and titles, and the lists features add such as
// the passages and the timeline) is cut into pages of Config.Paginate
// entries at stable URLs, as Hugo does: the first page at the list's own
// URL, the others under page/N/:
//
//	/                 /page/2/              /page/3/ …
//	/outlets/reuters/ /outlets/reuters/page/2/ …
//
// A page of a list shows only its entries, so every page is bounded by its
// own content however large the archive grows.

// DefaultPaginate is how many entries a page of a list shows when the
// configuration does not say.
const DefaultPaginate = 50

// Pager is one page of a paginated list (.Pager in layouts).
type Pager struct {
	Number int    // this page, from 1
	Total  int    // how many pages the list has (at least 1)
	Items  int    // how many entries the whole list has
	From   int    // the entries on this page are [From, To) of the list
	To     int    //
	URL    string // site-relative URL of this page
	first  string // site-relative URL of page 1
	dir    string // output folder of page 1, e.g. "outlets/reuters/"
	size   int    // entries per page
	// A Hugo site's settings: pathSeg is pagination.path ("page"), file
	// the output file of page 1 when it is not dir+index.html (uglyURLs).
	pathSeg, file string
}

// Paginate cuts a list of n entries into pages of size entries, the first
// at the site-relative URL first, whose output folder is dir ("" for the
// site root, else ending in "/"). A list with no entries has one page.
func Paginate(n, size int, first, dir string) []*Pager {
	if size < 1 {
		size = DefaultPaginate
	}
	total := max(1, (n+size-1)/size)
	out := make([]*Pager, total)
	for i := range out {
		p := &Pager{Number: i + 1, Total: total, Items: n, From: i * size, To: min(n, (i+1)*size), first: first, dir: dir, size: size}
		p.URL = p.urlOf(i + 1)
		out[i] = p
	}
	return out
}

func (p *Pager) urlOf(n int) string {
	if n <= 1 {
		return p.first
	}
	return strings.TrimSuffix(p.first, path.Base(p.file)) + p.seg() + "/" + strconv.Itoa(n) + "/"
}

func (p *Pager) seg() string {
	if p.pathSeg != "" {
		return p.pathSeg
	}
	return "page"
}

// Path is the output path of this page, e.g. "outlets/reuters/page/2/index.html".
func (p *Pager) Path() string {
	if p.Number <= 1 {
		if p.file != "" {
			return p.file
		}
		return p.dir + "index.html"
	}
	return p.dir + p.seg() + "/" + strconv.Itoa(p.Number) + "/index.html"
}

// First and Last are the URLs of the list's first and last pages.
func (p *Pager) First() string { return p.first }

// Last is the URL of the list's last page.
func (p *Pager) Last() string { return p.urlOf(p.Total) }

// Prev is the URL of the page before this one, "" on the first.
func (p *Pager) Prev() string {
	if p.Number <= 1 {
		return ""
	}
	return p.urlOf(p.Number - 1)
}

// Next is the URL of the page after this one, "" on the last.
func (p *Pager) Next() string {
	if p.Number >= p.Total {
		return ""
	}
	return p.urlOf(p.Number + 1)
}

// URLOf is the URL of the page that holds the i-th entry (0-based) of
// the list.
func (p *Pager) URLOf(i int) string { return p.urlOf(i/p.size + 1) }

// PagerLink is one link of a page-number navigation.
type PagerLink struct {
	Number  int    // 0 for a gap (…)
	URL     string // "" for the current page and gaps
	Current bool
}

// Links are the page numbers a navigation shows: the first and last
// pages, this one and two on either side, with gaps between: at most
// nine links however long the list.
func (p *Pager) Links() []PagerLink {
	if p.Total <= 1 {
		return nil
	}
	var out []PagerLink
	last := 0
	show := []int{1}
	for n := max(2, p.Number-2); n <= min(p.Total-1, p.Number+2); n++ {
		show = append(show, n)
	}
	show = append(show, p.Total)
	for _, n := range show {
		if last != 0 && n > last+1 {
			out = append(out, PagerLink{})
		}
		l := PagerLink{Number: n, Current: n == p.Number}
		if !l.Current {
			l.URL = p.urlOf(n)
		}
		out = append(out, l)
		last = n
	}
	return out
}
