package ingest

import (
	"regexp"
	"strings"
)

// line is one line of a seed: its 1-based number and its text with
// surrounding white space removed.
type line struct {
	n int
	s string
}

// Para is a paragraph of text: consecutive non-blank lines.
type Para struct {
	Line  int      // 1-based line in the seed where it starts
	Lines []string // the text, line by line
	Quote bool     // set off as a quotation: written as a block quote

	// From HTML only:
	Heading int  // 1-6: a heading inside the article
	Item    bool // a list item
	Pre     bool // preformatted: lines kept as they are
	Cell    bool // a table cell

	links     float64 // share of the text that is links (HTML only)
	afterRule bool    // a horizontal rule stands before it (HTML only)
}

// Text is the paragraph's lines joined by newlines.
func (p Para) Text() string { return strings.Join(p.Lines, "\n") }

// Comment is one reader comment.
type Comment struct {
	Line  int    // line of the "Name says:" line
	Name  string // the commenter as shown, without "(profile)"
	Title string // the comment's title line, "" when it had none
	Depth int    // 0 for a comment on the article, 1 for a reply to it, …
	Date  string // when it was posted, as the page gives it ("" if not)
	Paras []Para
}

// Removed is a furniture line that import leaves out.
type Removed struct {
	Line int
	Rule string // the rule that removed it, e.g. "rating-widget"
	Text string
}

// Doc is a seed taken apart: what was found, and where.
type Doc struct {
	Title, Subtitle string
	Author, Date    string
	SourceURL       string
	Outlet          string
	Language        string            // BCP 47 tag, from HTML only
	Warnings        []string          // what import should tell about this article
	Why             map[string]string // key -> the rule that inferred it
	Body            []Para
	Comments        []Comment
	Removed         []Removed
	bio             []string // text of an author bio block
	siteName        string   // a site's name above the headline
}

func (d *Doc) set(key, value, why string, dst *string) {
	if *dst != "" || value == "" {
		return
	}
	*dst = value
	d.Why[key] = why
}

func (d *Doc) drop(l line, rule string) {
	d.Removed = append(d.Removed, Removed{Line: l.n, Rule: rule, Text: l.s})
}

// splitLines cuts text into trimmed lines numbered from first.
func splitLines(text string, first int) []line {
	raw := strings.Split(text, "\n")
	out := make([]line, len(raw))
	for i, s := range raw {
		out[i] = line{n: first + i, s: strings.TrimSpace(s)}
	}
	return out
}

// Segment takes a seed's text (after any front matter) apart into headline,
// standfirst, body, comments and furniture. title is the headline the front
// matter already gives ("" if none); first is the seed line text starts on.
func Segment(text, title string, first int) *Doc {
	d := &Doc{Why: map[string]string{}}
	ls := splitLines(text, first)
	i := skipBlank(ls, 0)
	if title == "" {
		for i < len(ls) {
			r, ok := match(banners, ls[i].s, true)
			if !ok {
				break
			}
			d.drop(ls[i], r.name)
			i = skipBlank(ls, i+1)
		}
		// A byline or dateline above the headline ("Posted on March 5,
		// 2021 by Ann Smith").
		if i < len(ls) && alone(ls, i) {
			// A bare date is not enough: a headline may be one.
			if by := parseByline(ls[i].s, ""); (by.author != "" || by.date != "" && publishedRE.MatchString(ls[i].s)) && by.rest == "" && skipBlank(ls, i+1) < len(ls) {
				d.set("author", by.author, "byline above the headline", &d.Author)
				d.set("date", by.date, "byline above the headline", &d.Date)
				d.drop(ls[i], "byline")
				i = skipBlank(ls, i+1)
			}
		}
		if i < len(ls) {
			if j, ok := d.siteNameLine(ls, i); ok {
				d.drop(ls[i], "site-name")
				d.siteName = ls[i].s
				i = j
			}
			d.set("title", ls[i].s, "first line of text", &d.Title)
			i = skipBlank(ls, i+1)
		}
	} else if i < len(ls) && ls[i].s == title {
		d.drop(ls[i], "headline")
		i = skipBlank(ls, i+1)
	}
	i = d.header(ls, i, title == "")
	d.scan(ls, i)
	d.bioBlock()
	markQuotes(d.Body)
	for c := range d.Comments {
		markQuotes(d.Comments[c].Paras)
	}
	d.inferAuthor()
	d.inferOutlet()
	d.set("outlet", d.siteName, "site name above the headline", &d.Outlet)
	return d
}

// siteNameLine reports whether ls[i] is the site's name standing above the
// headline (as a blog's name does in a copied page): a short line with no
// sentence punctuation, then a longer line, then a byline or dateline
// (within two more lines). It returns where the headline is.
func (d *Doc) siteNameLine(ls []line, i int) (int, bool) {
	s := ls[i].s
	if len(strings.Fields(s)) > 4 || standfirstE.MatchString(s) || len(s) > 40 {
		return 0, false
	}
	j := skipBlank(ls, i+1)
	if j >= len(ls) || len(strings.Fields(ls[j].s)) < 4 || len(ls[j].s) <= len(s) {
		return 0, false
	}
	k := skipBlank(ls, j+1)
	for n := 0; n < 2 && k < len(ls); n++ {
		if by := parseByline(ls[k].s, s); by.author != "" || by.date != "" && by.rest == "" {
			return j, true
		}
		k = skipBlank(ls, k+1)
	}
	return 0, false
}

func skipBlank(ls []line, i int) int {
	for i < len(ls) && ls[i].s == "" {
		i++
	}
	return i
}

// alone reports whether ls[i] is a paragraph by itself.
func alone(ls []line, i int) bool {
	return (i == 0 || ls[i-1].s == "") && (i+1 >= len(ls) || ls[i+1].s == "")
}

var (
	deptRE      = regexp.MustCompile(`^from the \S+ dept\.?$`)
	standfirstE = regexp.MustCompile(`[.:;,!?"”’']$`)
	bylineRE    = regexp.MustCompile(`^[Bb]y ((?:[\p{Lu}][\p{L}'’.-]*)(?: (?:[\p{Lu}][\p{L}'’.-]*|and|&|de|van|von|der|la))*)(?:,.*| [|–—-] .*)?$`)
)

// header reads what stands between the headline and the article: images,
// a standfirst, a byline, a date line. It returns where the article starts.
// A standfirst is only looked for right under a headline taken from the text.
func (d *Doc) header(ls []line, i int, underHeadline bool) int {
	first := underHeadline // the next text paragraph is the first after the headline
	for i < len(ls) && alone(ls, i) {
		s := ls[i].s
		if r, ok := match(dropLines, s, true); ok {
			d.drop(ls[i], r.name)
		} else if m := bylineRE.FindStringSubmatch(s); m != nil {
			d.set("author", m[1], "byline", &d.Author)
			if by := parseByline(s, d.siteName); by.date != "" {
				d.set("date", by.date, "byline", &d.Date)
			}
			d.drop(ls[i], "byline")
		} else if date, ok := parseDateLine(s); ok {
			d.set("date", date, "date line", &d.Date)
			d.drop(ls[i], "date-line")
		} else if by := parseByline(s, d.siteName); by.author != "" || by.date != "" && by.rest == "" {
			// "By Jane Doe | March 3, 2021, 10:14 AM EST",
			// "Posted by Jane Doe on 3/4/2021"
			d.set("author", by.author, "byline", &d.Author)
			d.set("date", by.date, "byline", &d.Date)
			d.drop(ls[i], "byline")
		} else if first && deptRE.MatchString(s) {
			d.set("subtitle", s, "Techdirt dept line", &d.Subtitle)
			d.drop(ls[i], "standfirst")
		} else if first && len(s) <= 160 && !standfirstE.MatchString(s) && strings.Count(s, " ") >= 2 {
			d.set("subtitle", s, "short line under the headline", &d.Subtitle)
			d.drop(ls[i], "standfirst")
		} else {
			return i
		}
		first = false
		i = skipBlank(ls, i+1)
	}
	return i
}

// scan reads the article and, after it, the comments, dropping furniture.
func (d *Doc) scan(ls []line, i int) {
	var cur *Para    // paragraph being read
	var com *Comment // comment being read
	inComments := false
	brk := true // a paragraph break precedes the current line
	flush := func() {
		if cur == nil {
			return
		}
		if com != nil {
			com.Paras = append(com.Paras, *cur)
		} else {
			d.Body = append(d.Body, *cur)
		}
		cur = nil
	}
	for ; i < len(ls); i++ {
		l := ls[i]
		if l.s == "" {
			flush()
			brk = true
			continue
		}
		if r, ok := match(tailLines, l.s, true); ok {
			if m := r.re.FindStringSubmatch(l.s); r.name == "feed-footer" && m != nil {
				d.set("source_url", m[1], "feed footer link", &d.SourceURL)
			}
			flush()
			for ; i < len(ls); i++ {
				if ls[i].s != "" {
					d.drop(ls[i], r.name)
				}
			}
			break
		}
		if r, ok := match(dropLines, l.s, alone(ls, i)); ok {
			flush()
			d.drop(l, r.name)
			brk = true
			inComments = inComments || r.comments
			continue
		}
		if inComments && brk {
			if m := commenter.FindStringSubmatch(l.s); m != nil {
				flush()
				d.Comments = append(d.Comments, Comment{Line: l.n, Name: m[1]})
				com = &d.Comments[len(d.Comments)-1]
				d.drop(l, "commenter")
				brk = true
				continue
			}
		}
		if inComments && com == nil {
			d.drop(l, "comments-header")
			continue
		}
		brk = false
		if cur == nil {
			cur = &Para{Line: l.n}
		}
		cur.Lines = append(cur.Lines, l.s)
	}
	flush()
	for c := range d.Comments {
		commentTitle(&d.Comments[c])
	}
}

// commentTitle takes a comment's first paragraph as its title when it is a
// single line and more text follows.
func commentTitle(c *Comment) {
	if len(c.Paras) > 1 && len(c.Paras[0].Lines) == 1 && len(c.Paras[0].Lines[0]) <= 200 {
		c.Title = c.Paras[0].Lines[0]
		c.Paras = c.Paras[1:]
	}
}

var (
	nameLineRE = regexp.MustCompile(`^[\p{Lu}][\p{L}'’.-]+(?: [\p{Lu}][\p{L}'’.-]+){1,3}$`)
	roleLineRE = regexp.MustCompile(`^(?:[\p{L}&,'’-]+ ){0,6}(?i:editor|writer|reporter|correspondent|journalist|contributor|columnist|analyst)(?: [\p{L}&,'’-]+){0,6}$`)
)

// bioBlock finds an author bio among the last paragraphs of the body:
// a name line and a role line, then a paragraph that starts with the name.
// It removes the block and takes the name as author.
func (d *Doc) bioBlock() {
	for k := len(d.Body) - 2; k >= 0 && k >= len(d.Body)-4; k-- {
		p := d.Body[k]
		if len(p.Lines) != 2 || !nameLineRE.MatchString(p.Lines[0]) || !roleLineRE.MatchString(p.Lines[1]) {
			continue
		}
		name := p.Lines[0]
		bio := d.Body[k+1]
		if !strings.HasPrefix(bio.Text(), name+" ") {
			continue
		}
		d.set("author", name, "author bio", &d.Author)
		d.Removed = append(d.Removed,
			Removed{Line: p.Line, Rule: "author-bio", Text: p.Lines[0]},
			Removed{Line: p.Line + 1, Rule: "author-bio", Text: p.Lines[1]},
			Removed{Line: bio.Line, Rule: "author-bio", Text: bio.Text()})
		d.bio = append(d.bio, p.Text(), bio.Text())
		for _, q := range d.Body[k+2:] {
			if date, ok := parseDateLine(q.Text()); ok {
				d.set("date", date, "date line", &d.Date)
			}
			d.Removed = append(d.Removed, Removed{Line: q.Line, Rule: "author-bio", Text: q.Text()})
			d.bio = append(d.bio, q.Text())
		}
		d.Body = d.Body[:k]
		return
	}
}

var (
	obtained  = regexp.MustCompile(`\b(?:obtained|acquired|received|published) (?:a|an) (?:draft |leaked |full )?(?:copy|version|text) of\b`)
	quoteOpen = regexp.MustCompile(`^["“‘']`)
)

// markQuotes sets Quote on paragraphs the text sets off as quotations: the
// paragraph after one that ends with a colon, or after one that says a
// copy of a document was obtained; a quoted paragraph ending in a comma
// (a salutation) carries the quote on to the next.
func markQuotes(ps []Para) {
	for k := 1; k < len(ps); k++ {
		prev := ps[k-1].Text()
		intro := endsWithColon(prev) ||
			(obtained.MatchString(prev) && !quoteOpen.MatchString(ps[k].Text()))
		carry := ps[k-1].Quote && strings.HasSuffix(prev, ",")
		if (intro && !ps[k-1].Quote) || carry {
			ps[k].Quote = true
		}
	}
}

// endsWithColon reports whether s ends with a colon, perhaps inside a
// closing quotation mark.
func endsWithColon(s string) bool {
	for _, q := range []string{`"`, "”", "’", "'"} {
		s = strings.TrimSuffix(s, q)
	}
	return strings.HasSuffix(s, ":")
}
