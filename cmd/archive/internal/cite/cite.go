// Package cite turns an archived article's metadata into the citations a
// reader pastes: a Chicago-style note (plain text and HTML), BibTeX,
// CSL-JSON (item type article-newspaper, valid against the CSL data
// schema) and the Google Scholar citation_* meta tags.
//
// Every form names the original (author, title, outlet, date, source URL)
// and the archived copy (archive name, permalink, access date). A passage
// is cited as its article with the passage's permalink (…/#q-…).
package cite

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/archive-project/archive/cmd/archive/internal/jsonstr"
)

// Work is what is cited.
type Work struct {
	ID        string    // stable id (front matter id); CSL id; default Permalink
	Title     string    // headline as published
	Authors   []string  // one per author; SplitAuthors splits a front-matter byline
	Outlet    string    // the newspaper or site that published it
	Date      time.Time // publication date; zero = undated
	SourceURL string    // where it was published
	Permalink string    // absolute URL of the archived copy
	Accessed  time.Time // access date: when the archive captured it (or built the page)
	Archive   string    // the archive's name (site title)
}

// Set is every citation of one work, for a "Cite this" block.
type Set struct {
	Note    string     // plain text note
	Parts   []NotePart // the same in parts, for a layout to mark the outlet and link URLs
	BibTeX  string
	CSLJSON string // a one-item CSL-JSON array, indented
	Scholar []Meta // <meta name=… content=…> for the page head
}

// All returns every form, the authors' names parsed once and the note
// built once for Note and Parts. The error is always nil (CSL-JSON is no
// longer encoded by encoding/json); callers keep checking it.
func (w Work) All() (Set, error) {
	ns := w.names() // parsed once for every form
	j := w.csl(ns).appendJSON(make([]byte, 0, 512))
	ps := w.noteParts(ns) // once, for the note and its parts
	return Set{Note: noteText(ps), Parts: publicParts(ps), BibTeX: w.bibTeX(ns), CSLJSON: string(j), Scholar: w.scholar(ns)}, nil
}

func (w Work) names() []Name {
	var out []Name
	for _, a := range w.Authors {
		if n := ParseName(a); n != (Name{}) {
			out = append(out, n)
		}
	}
	return out
}

// authorList is "A", "A and B", "A, B, and C", or "A et al." for four or more
// (Chicago notes).
func authorList(ns []Name) string {
	switch len(ns) {
	case 0:
		return ""
	case 1:
		return ns[0].display()
	case 2:
		return ns[0].display() + " and " + ns[1].display()
	case 3:
		return ns[0].display() + ", " + ns[1].display() + ", and " + ns[2].display()
	}
	return ns[0].display() + " et al."
}

// longDate is "November 18, 2019".
func longDate(t time.Time) string { return t.Format("January 2, 2006") }

// nestQuotes turns double quotes inside a title into single curly ones,
// as a title is itself set in double quotes.
func nestQuotes(s string) string {
	if !strings.ContainsAny(s, "“”\"") && utf8.ValidString(s) {
		return s // the loop below would copy it as it is
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	open := true
	for _, r := range s {
		switch r {
		case '“':
			b.WriteRune('‘')
		case '”':
			b.WriteRune('’')
		case '"':
			if open {
				b.WriteRune('‘')
			} else {
				b.WriteRune('’')
			}
			open = !open
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// notePart is one piece of a note: text, or a URL (linked in HTML), or the
// outlet (italic in HTML).
type notePart struct {
	text        string
	url, italic bool
}

// NotePart is one piece of the note (Set.Parts): layouts/cite.html writes
// Italic parts (the outlet) in <i> and Link parts (http(s) URLs) as links.
type NotePart struct {
	Text         string
	Italic, Link bool
}

// NoteParts is the note in parts (see NotePart).
func (w Work) NoteParts() []NotePart { return publicParts(w.noteParts(w.names())) }

func publicParts(ps []notePart) []NotePart {
	out := make([]NotePart, len(ps))
	for i, p := range ps {
		out[i] = NotePart{Text: p.text, Italic: p.italic, Link: p.url && isHTTP(p.text)}
	}
	return out
}

// noteParts builds the Chicago-style note for a newspaper article read
// online, then the archived copy:
//
//	Joseph Menn, “Interpol Plans to Condemn Encryption,” Reuters, November
//	18, 2019, https://reuters.com/x; archived in The Archive,
//	https://archive.example/articles/x/, accessed November 21, 2026.
func (w Work) noteParts(ns []Name) []notePart {
	var ps []notePart
	text := func(s string) { ps = append(ps, notePart{text: s}) }
	var rest []notePart
	if w.Outlet != "" {
		rest = append(rest, notePart{text: w.Outlet, italic: true})
	}
	if !w.Date.IsZero() {
		rest = append(rest, notePart{text: longDate(w.Date)})
	}
	if w.SourceURL != "" {
		rest = append(rest, notePart{text: w.SourceURL, url: true})
	}
	if a := authorList(ns); a != "" {
		text(a)
	}
	if t := strings.TrimSpace(w.Title); t != "" {
		if len(ps) > 0 {
			text(", ")
		}
		t = nestQuotes(t)
		switch {
		case len(rest) == 0:
			text("“" + t + "”")
		case strings.ContainsAny(t[len(t)-1:], "?!"):
			text("“" + t + "” ")
		default:
			text("“" + t + ",” ")
		}
	} else if len(ps) > 0 && len(rest) > 0 {
		text(", ")
	}
	for i, p := range rest {
		if i > 0 {
			text(", ")
		}
		ps = append(ps, p)
	}
	if w.Archive != "" || w.Permalink != "" {
		if len(ps) > 0 {
			text("; ")
		}
		text("archived")
		if w.Archive != "" {
			text(" in " + w.Archive)
		}
		if w.Permalink != "" {
			text(", ")
			ps = append(ps, notePart{text: w.Permalink, url: true})
		}
	}
	if !w.Accessed.IsZero() {
		if len(ps) > 0 {
			text(", ")
		}
		text("accessed " + longDate(w.Accessed))
	}
	if len(ps) > 0 {
		text(".")
	}
	return ps
}

// Note is the citation as plain text.
func (w Work) Note() string { return noteText(w.noteParts(w.names())) }

func noteText(ps []notePart) string {
	n := 0
	for _, p := range ps {
		n += len(p.text)
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range ps {
		b.WriteString(p.text)
	}
	return b.String()
}

func isHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// CSL-JSON

// Item is one CSL-JSON item, with only keys the CSL data schema defines.
type Item struct {
	Type            string `json:"type"`
	ID              string `json:"id"`
	Title           string `json:"title,omitempty"`
	Author          []Name `json:"author,omitempty"`
	ContainerTitle  string `json:"container-title,omitempty"`
	Issued          *Date  `json:"issued,omitempty"`
	URL             string `json:"URL,omitempty"`
	Accessed        *Date  `json:"accessed,omitempty"`
	Archive         string `json:"archive,omitempty"`
	ArchiveLocation string `json:"archive_location,omitempty"`
}

// Date is a CSL date: {"date-parts": [[2019, 11, 18]]}.
type Date struct {
	DateParts [][]int `json:"date-parts"`
}

func cslDate(t time.Time) *Date {
	if t.IsZero() {
		return nil
	}
	return &Date{DateParts: [][]int{{t.Year(), int(t.Month()), t.Day()}}}
}

// CSL is the work as a CSL-JSON item of type article-newspaper: the source
// URL as URL, the archive's name as archive and the permalink as
// archive_location.
func (w Work) CSL() Item { return w.csl(w.names()) }

func (w Work) csl(ns []Name) Item {
	id := w.ID
	if id == "" {
		id = w.Permalink
	}
	return Item{Type: "article-newspaper", ID: id, Title: w.Title, Author: ns,
		ContainerTitle: w.Outlet, Issued: cslDate(w.Date), URL: w.SourceURL,
		Accessed: cslDate(w.Accessed), Archive: w.Archive, ArchiveLocation: w.Permalink}
}

// CSLJSON is a one-item CSL-JSON array (what Zotero and citeproc import),
// as json.MarshalIndent([]Item{w.CSL()}, "", "  ") and a newline, written
// without reflection (it was a third of the citations' CPU in a build);
// TestCSLJSONAsMarshal and FuzzCSLJSON hold it to encoding/json. The error
// is always nil.
func (w Work) CSLJSON() ([]byte, error) {
	return w.CSL().appendJSON(make([]byte, 0, 512)), nil
}

// appendJSON appends [it] as json.MarshalIndent does with indent "  ",
// and a newline.
func (it Item) appendJSON(b []byte) []byte {
	b = append(b, "[\n  {"...)
	first := true
	key := func(k string) {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, "\n    \""...)
		b = append(b, k...)
		b = append(b, "\": "...)
	}
	str := func(k, v string, omitEmpty bool) {
		if v == "" && omitEmpty {
			return
		}
		key(k)
		b = jsonstr.Append(b, v, true)
	}
	date := func(k string, d *Date) {
		if d == nil {
			return
		}
		key(k)
		b = append(b, "{\n      \"date-parts\": "...)
		switch {
		case d.DateParts == nil:
			b = append(b, "null"...)
		case len(d.DateParts) == 0:
			b = append(b, "[]"...)
		default:
			b = append(b, '[')
			for i, ps := range d.DateParts {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, "\n        "...)
				switch {
				case ps == nil:
					b = append(b, "null"...)
				case len(ps) == 0:
					b = append(b, "[]"...)
				default:
					b = append(b, '[')
					for j, p := range ps {
						if j > 0 {
							b = append(b, ',')
						}
						b = append(b, "\n          "...)
						b = strconv.AppendInt(b, int64(p), 10)
					}
					b = append(b, "\n        ]"...)
				}
			}
			b = append(b, "\n      ]"...)
		}
		b = append(b, "\n    }"...)
	}
	str("type", it.Type, false)
	str("id", it.ID, false)
	str("title", it.Title, true)
	if len(it.Author) > 0 {
		key("author")
		b = append(b, '[')
		for i, n := range it.Author {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, "\n      "...)
			nfirst := true
			field := func(k, v string) {
				if v == "" {
					return
				}
				if nfirst {
					b = append(b, '{')
				} else {
					b = append(b, ',')
				}
				nfirst = false
				b = append(b, "\n        \""...)
				b = append(b, k...)
				b = append(b, "\": "...)
				b = jsonstr.Append(b, v, true)
			}
			field("family", n.Family)
			field("given", n.Given)
			field("non-dropping-particle", n.Particle)
			field("suffix", n.Suffix)
			field("literal", n.Literal)
			if nfirst {
				b = append(b, "{}"...)
			} else {
				b = append(b, "\n      }"...)
			}
		}
		b = append(b, "\n    ]"...)
	}
	str("container-title", it.ContainerTitle, true)
	date("issued", it.Issued)
	str("URL", it.URL, true)
	date("accessed", it.Accessed)
	str("archive", it.Archive, true)
	str("archive_location", it.ArchiveLocation, true)
	return append(b, "\n  }\n]\n"...)
}

// Google Scholar

// Meta is one <meta name content> tag.
type Meta struct{ Name, Content string }

// Scholar is the Google Scholar (Highwire Press) tags: citation_title,
// one citation_author per author ("Family, Given"), citation_publication_date
// (YYYY/MM/DD), citation_journal_title for the outlet (Scholar and Zotero
// read it as the container's title; citation_publisher would name a
// publishing house, which we do not know), and citation_fulltext_html_url,
// the archived copy.
func (w Work) Scholar() []Meta { return w.scholar(w.names()) }

func (w Work) scholar(ns []Name) []Meta {
	var ms []Meta
	add := func(name, content string) {
		if content != "" {
			ms = append(ms, Meta{name, content})
		}
	}
	add("citation_title", w.Title)
	for _, n := range ns {
		add("citation_author", n.inverted())
	}
	if !w.Date.IsZero() {
		add("citation_publication_date", w.Date.Format("2006/01/02"))
	}
	add("citation_journal_title", w.Outlet)
	add("citation_fulltext_html_url", w.Permalink)
	return ms
}

// asciiFold drops accents and everything but ASCII letters and digits,
// lower-cased: "Müller-Lüdenscheidt" → "mullerludenscheidt".
func asciiFold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		r = unicode.ToLower(r)
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
