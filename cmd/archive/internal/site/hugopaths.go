package site

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/shortcode"
)

// Hugo's URLs. A page of a Hugo site is published where Hugo 0.111
// publishes it (resources/page/page_paths.go), so that links the authors
// wrote and links from elsewhere keep working:
//
//	url: in front matter      as written (/custom/Path/, /a/file.html)
//	[permalinks] section = …  the pattern, expanded (:year/:month/:slug …)
//	otherwise                 /<folders>/<slug or file name>/, or the bundle's folder
//	uglyURLs                  /<folders>/<name>.html instead
//
// Paths are lower-cased unless disablePathToLower, and made of letters,
// digits and . _ ~ - @ # + (spaces become hyphens, other characters are
// dropped), as Hugo's MakePathSanitized makes them.

// hugoTarget describes a page for hugoPaths.
type hugoTarget struct {
	Kind     string   // "page", "section", "home", "taxonomy", "term"
	Sections []string // section, taxonomy and term pages: their path segments
	Dir      string   // content folder of a page, "" or ending in "/"; a bundle's parent
	BaseName string   // slug, else file name without extension, else bundle folder
	URL      string   // url: from front matter
	Expanded string   // the permalink pattern expanded, "" when none applies
	Ugly     bool
	KeepCase bool // disablePathToLower
}

// hugoPaths returns the output file of a page ("post/x/index.html"), its
// site-relative link ("/post/x/") and the folder its resources are
// published in ("post/x/").
func hugoPaths(d hugoTarget) (file, link, resDir string) {
	const slash = "/"
	pagePath := slash
	var pagePathDir, linkDir string
	needsBase := true
	isUgly := d.Ugly
	if d.Expanded == "" && d.BaseName == "index" {
		isUgly = true
	}
	if d.Kind != "page" && d.URL == "" && len(d.Sections) > 0 {
		if d.Expanded != "" {
			pagePath = pjoin(pagePath, d.Expanded)
		} else {
			pagePath = pjoin(d.Sections...)
		}
		needsBase = false
	}
	switch {
	case d.Kind != "home" && d.URL != "":
		pagePath = pjoin(pagePath, d.URL)
		pagePathDir = pagePath
		link = pagePath
		hasDot := strings.Contains(d.URL, ".")
		hasSlash := strings.HasSuffix(d.URL, slash)
		if hasSlash || !hasDot {
			pagePath = pjoin(pagePath, "index.html")
		} else {
			pagePathDir = path.Dir(pagePathDir)
		}
		if !strings.HasSuffix(pagePath, "/index.html") {
			link = pagePath
		} else if !hasSlash {
			link += slash
		}
		linkDir = pagePathDir
	case d.Kind == "page":
		if d.Expanded != "" {
			pagePath = pjoin(pagePath, d.Expanded)
		} else {
			if d.Dir != "" {
				pagePath = pjoin(pagePath, d.Dir)
			}
			if d.BaseName != "" {
				pagePath = pjoin(pagePath, d.BaseName)
			}
		}
		link = pagePath
		if d.BaseName == "index" && d.Expanded == "" {
			link = strings.TrimSuffix(link, d.BaseName)
		}
		pagePathDir = link
		link += slash
		linkDir = pagePathDir
		if isUgly {
			pagePath = strings.Trim(pagePath, slash) + ".html"
		} else {
			pagePath = pjoin(pagePath, "index.html")
		}
		if !strings.HasSuffix(pagePath, "/index.html") {
			link = pagePath
		}
	default:
		base := ""
		if needsBase || !isUgly {
			base = "index"
		}
		pagePathDir = pagePath
		link = pagePath
		linkDir = pagePathDir
		if base != "" {
			pagePath = path.Join(pagePath, base+".html")
		} else {
			pagePath = strings.Trim(pagePath, slash) + ".html"
		}
		if !strings.HasSuffix(pagePath, "/index.html") {
			link = pagePath
		} else {
			link += slash
		}
	}
	pagePath = pjoin(slash, pagePath)
	pagePathDir = strings.TrimSuffix(path.Join(slash, pagePathDir), slash)
	hadSlash := strings.HasSuffix(link, slash)
	link = strings.Trim(link, slash)
	if hadSlash {
		link += slash
	}
	if !strings.HasPrefix(link, slash) {
		link = slash + link
	}
	linkDir = strings.TrimSuffix(path.Join(slash, linkDir), slash)
	if d.Kind != "page" || d.URL == "" {
		pagePath = sanitizePath(pagePath, d.KeepCase)
		pagePathDir = sanitizePath(pagePathDir, d.KeepCase)
		link = sanitizePath(link, d.KeepCase)
		_ = linkDir
	}
	if u, err := url.Parse(link); err == nil {
		link = u.String()
	}
	if link == "" {
		link = slash
	}
	file = strings.TrimPrefix(pagePath, slash)
	resDir = strings.TrimPrefix(pagePathDir, slash)
	if resDir != "" {
		resDir += slash
	}
	return file, link, resDir
}

// pjoin is path.Join keeping one trailing slash.
func pjoin(elem ...string) string {
	hadSlash := strings.HasSuffix(elem[len(elem)-1], "/")
	joined := path.Join(elem...)
	if hadSlash && !strings.HasSuffix(joined, "/") {
		return joined + "/"
	}
	return joined
}

// sanitizePath is Hugo's MakePathSanitized.
func sanitizePath(p string, keepCase bool) string {
	s := shortcode.MakePath(p)
	if !keepCase {
		s = strings.ToLower(s)
	}
	return s
}

// permalinkAttr matches :name and :sections[…] in a permalink pattern.
var permalinkAttr = regexp.MustCompile(`:\w+(\[.+?\])?`)

// permalinkPage is what a permalink pattern reads of a page.
type permalinkPage struct {
	Date     time.Time
	Title    string
	Slug     string
	FileName string // file name without extension; the folder for a bundle's index
	Section  string
	Sections []string // of the page's current section
	KeepCase bool
}

var referenceTime = time.Date(2019, time.November, 9, 23, 1, 42, 1, time.UTC)

// checkPermalink reports an unknown attribute or an ill-formed pattern.
func checkPermalink(pattern string) error {
	if !strings.HasPrefix(pattern, "/") && !strings.HasPrefix(pattern, ":") {
		// Hugo accepts patterns without the leading slash.
	}
	frags := strings.Split(strings.TrimPrefix(pattern, "/"), "/")
	for i, f := range frags {
		if f == "" && i != len(frags)-1 {
			return fmt.Errorf("permalink %q is ill-formed (an empty segment)", pattern)
		}
		for _, m := range permalinkAttr.FindAllString(f, -1) {
			attr := m[1:]
			if !knownAttr(attr) {
				return fmt.Errorf("permalink %q: unknown attribute :%s", pattern, attr)
			}
		}
	}
	return nil
}

func knownAttr(attr string) bool {
	switch attr {
	case "year", "month", "monthname", "day", "weekday", "weekdayname", "yearday", "section", "sections",
		"title", "slug", "slugorfilename", "filename":
		return true
	}
	if strings.HasPrefix(attr, "sections[") {
		return true
	}
	return referenceTime.Format(attr) != attr
}

// expandPermalink expands a checked pattern for a page.
func expandPermalink(pattern string, p permalinkPage) string {
	out := pattern
	for _, m := range permalinkAttr.FindAllString(pattern, -1) {
		attr := m[1:]
		var v string
		switch attr {
		case "year":
			v = strconv.Itoa(p.Date.Year())
		case "month":
			v = fmt.Sprintf("%02d", int(p.Date.Month()))
		case "monthname":
			v = p.Date.Month().String()
		case "day":
			v = fmt.Sprintf("%02d", p.Date.Day())
		case "weekday":
			v = strconv.Itoa(int(p.Date.Weekday()))
		case "weekdayname":
			v = p.Date.Weekday().String()
		case "yearday":
			v = strconv.Itoa(p.Date.YearDay())
		case "section":
			v = p.Section
		case "sections":
			v = path.Join(p.Sections...)
		case "title":
			v = shortcode.URLize(p.Title, p.KeepCase)
		case "slug":
			if p.Slug != "" {
				v = shortcode.URLize(p.Slug, p.KeepCase)
			} else {
				v = shortcode.URLize(p.Title, p.KeepCase)
			}
		case "slugorfilename":
			if p.Slug != "" {
				v = shortcode.URLize(p.Slug, p.KeepCase)
			} else {
				v = shortcode.URLize(p.FileName, p.KeepCase)
			}
		case "filename":
			v = shortcode.URLize(p.FileName, p.KeepCase)
		default:
			if strings.HasPrefix(attr, "sections[") {
				v = path.Join(sliceSections(strings.TrimPrefix(attr, "sections"), p.Sections)...)
			} else {
				v = p.Date.Format(attr)
			}
		}
		out = strings.Replace(out, m, v, 1)
	}
	if u, err := url.QueryUnescape(out); err == nil {
		out = u
	}
	return out
}

// sliceSections applies [n], [n:m], [last] to a page's sections.
func sliceSections(cut string, s []string) []string {
	cut = strings.ToLower(strings.TrimSpace(cut))
	if len(cut) < 3 || cut[0] != '[' || cut[len(cut)-1] != ']' || len(s) == 0 {
		return nil
	}
	idx := func(v string, low bool) int {
		switch v {
		case "":
			if low {
				return 0
			}
			return len(s)
		case "last":
			return len(s) - 1
		}
		n, _ := strconv.Atoi(v)
		return max(0, min(n, len(s)))
	}
	inner := cut[1 : len(cut)-1]
	a, b, colon := strings.Cut(inner, ":")
	if !colon {
		i := idx(a, true)
		if i >= len(s) {
			return nil
		}
		return []string{s[i]}
	}
	lo, hi := idx(a, true), idx(b, false)
	if lo > hi {
		return nil
	}
	return s[lo:hi]
}
