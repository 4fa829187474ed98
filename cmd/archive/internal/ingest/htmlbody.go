package ingest

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// blockAtoms start and end a paragraph; everything else is inline.
var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Section: true, atom.Article: true, atom.Main: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Li: true, atom.Ul: true, atom.Ol: true, atom.Dl: true, atom.Dt: true, atom.Dd: true,
	atom.Blockquote: true, atom.Pre: true, atom.Table: true, atom.Tr: true, atom.Td: true, atom.Th: true,
	atom.Header: true, atom.Footer: true, atom.Figure: true, atom.Hr: true, atom.Address: true,
	atom.Details: true, atom.Summary: true, atom.Center: true, atom.Body: true, atom.Html: true,
}

// skipAtoms are never article text.
var skipAtoms = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true, atom.Svg: true,
	atom.Iframe: true, atom.Object: true, atom.Embed: true, atom.Video: true, atom.Audio: true,
	atom.Canvas: true, atom.Img: true, atom.Picture: true, atom.Figcaption: true, atom.Button: true,
	atom.Form: true, atom.Input: true, atom.Select: true, atom.Textarea: true, atom.Nav: true,
	atom.Aside: true, atom.Head: true, atom.Math: true,
}

// paraWriter collects the paragraphs of an HTML tree.
type paraWriter struct {
	out     []Para
	lines   []string
	line    strings.Builder
	space   bool // a space is pending before the next word
	heading int  // level of the heading being read, 0 outside
	list    bool // inside <li>
	quote   int  // depth of <blockquote>
	pre     int  // depth of <pre>
	cell    int  // depth of <td>/<th>
	link    int  // depth of <a href>
	rule    bool // an <hr> stands before the next paragraph
	brs     int  // <br>s since the last text: two in a row end a paragraph
	// Characters of text in the paragraph being read, and of them those
	// inside links.
	chars, linkChars int
}

// htmlParas turns the article node into paragraphs of plain text: one per
// block element, <br> as a line break, headings, list items and quotations
// marked as such.
func htmlParas(n *html.Node) []Para {
	w := &paraWriter{}
	w.node(n)
	w.flush()
	return w.out
}

func (w *paraWriter) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.ElementNode, html.DocumentNode:
	default:
		return
	}
	if n.DataAtom == 0 && n.Type == html.ElementNode {
		// The elements Readability makes (a <p> for a run of text cut
		// by <br><br>, a <div> turned <p>) carry their name only: without
		// their atom they were read as inline, and their text ran into
		// the paragraph before.
		n.DataAtom = atom.Lookup([]byte(n.Data))
	}
	if skipAtoms[n.DataAtom] || hidden(n) || markedNotArticle(n) || teaserRail(n) {
		return
	}
	if n.DataAtom == atom.Br {
		// <br><br> is how many pages break paragraphs: the line above
		// (a dateline, a byline) is a paragraph of its own.
		if w.brs++; w.brs >= 2 && w.pre == 0 && strings.TrimSpace(w.line.String()) == "" {
			w.flush()
			return
		}
		w.endLine()
		return
	}
	if n.DataAtom == atom.Hr {
		w.flush()
		w.rule = true
		return
	}
	block := blockAtoms[n.DataAtom]
	if block {
		w.flush()
	} else if n.DataAtom != atom.A && popup(n) {
		return
	}
	heading, list, quote, pre, cell, link := w.heading, w.list, w.quote, w.pre, w.cell, w.link
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		w.heading = int(n.Data[1] - '0')
	case atom.Li:
		w.list = true
	case atom.Blockquote:
		w.quote++
	case atom.Pre:
		w.pre++
	case atom.Td, atom.Th:
		w.cell++
	case atom.A:
		w.link++
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
	if block {
		w.flush()
	}
	w.heading, w.list, w.quote, w.pre, w.cell, w.link = heading, list, quote, pre, cell, link
}

// notArticleWords are words in class names and ids that mark what is not
// the article's text, whatever the site: captions and photo credits, the
// copyright line, newsletter and promotion boxes, cookie notices, lists of
// related stories and the widgets that fill them, an author's bio.
var notArticleWords = map[string]bool{
	"caption": true, "captions": true, "credit": true, "credits": true, "copyright": true,
	"newsletter": true, "newsletters": true, "promo": true, "promos": true, "cookie": true,
	"cookies": true, "gdpr": true, "consent": true, "related": true, "recirc": true,
	"recirculation": true, "outbrain": true, "taboola": true, "bio": true, "biography": true,
}

// markedNotArticle reports an element whose class or id says it is not
// the article's text (see notArticleWords). Words are cut at -, _ and
// changes of case: "InlineImage-imageEmbedCaption" holds "caption".
func markedNotArticle(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" {
			continue
		}
		for _, v := range strings.Fields(a.Val) {
			// A BEM modifier says how the element looks, not what it
			// is: "content__header--no-promo" is a header.
			if i := strings.Index(v, "--"); i > 0 {
				v = v[:i]
			}
			if classWords(v) {
				return true
			}
		}
	}
	return false
}

// classWords reports whether a class name or id holds one of
// notArticleWords.
func classWords(v string) bool {
	start := -1
	for i := 0; i <= len(v); i++ {
		c := byte(0)
		if i < len(v) {
			c = v[i]
		}
		lower := c >= 'a' && c <= 'z'
		upper := c >= 'A' && c <= 'Z'
		// A word ends before a character that is not a letter, and
		// before a capital that follows a small letter.
		if start >= 0 && (!lower && !upper || upper && v[i-1] >= 'a' && v[i-1] <= 'z') {
			if w := strings.ToLower(v[start:i]); notArticleWords[w] || strings.HasPrefix(w, "related") {
				// "relatedposts", "relatedArticles" written as one word
				// (WordPress's Jetpack: "jp-relatedposts-post").
				return true
			}
			start = -1
		}
		if start < 0 && (lower || upper) {
			start = i
		}
	}
	return false
}

// teaserRail reports a box of other stories' teasers: three or more
// elements side by side with the same class, each a link (to the story,
// often around its picture) and a short text (a kicker, a headline),
// none of them a paragraph of prose.
func teaserRail(n *html.Node) bool {
	if n.Type != html.ElementNode || n.DataAtom == atom.Ul || n.DataAtom == atom.Ol {
		return false
	}
	class, items := "", 0
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) == "", c.Type == html.CommentNode:
			continue
		case c.Type != html.ElementNode:
			return false
		}
		cl := attr(c, "class")
		if cl == "" || class != "" && cl != class {
			return false
		}
		class = cl
		var links, words int
		long := false
		walk(c, func(k *html.Node) bool {
			switch {
			case k.DataAtom == atom.A:
				links++
			case k.Type == html.TextNode:
				w := len(strings.Fields(k.Data))
				words += w
				long = long || w > 30
			}
			return true
		})
		if links == 0 || words > 40 || long {
			return false
		}
		items++
	}
	return items >= 3
}

// popup reports an inline element in running text that is a box of links
// the page shows on hover or tap (a person's card with their latest
// stories, a list of tags): nearly all of its text is links, and it has an
// image or several links.
func popup(n *html.Node) bool {
	if n.Type != html.ElementNode || n.FirstChild == nil || n.FirstChild == n.LastChild && n.FirstChild.Type == html.TextNode {
		return false
	}
	var links, img, chars, linkChars int
	var count func(c *html.Node, inLink bool)
	count = func(c *html.Node, inLink bool) {
		switch c.Type {
		case html.TextNode:
			k := len(strings.TrimSpace(c.Data))
			chars += k
			if inLink {
				linkChars += k
			}
			return
		case html.ElementNode:
			switch c.DataAtom {
			case atom.A:
				links++
				inLink = true
			case atom.Img, atom.Picture:
				img++
			}
		}
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			count(k, inLink)
		}
	}
	count(n, false)
	return links >= 2 && (img > 0 || links >= 3) && float64(linkChars) >= 0.9*float64(chars)
}

// hidden reports elements a reader never sees.
func hidden(n *html.Node) bool {
	if _, ok := attrOK(n, "hidden"); ok {
		return true
	}
	if attr(n, "aria-hidden") == "true" {
		return true
	}
	st := strings.ReplaceAll(strings.ToLower(attr(n, "style")), " ", "")
	return strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden")
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func (w *paraWriter) text(s string) {
	if w.pre > 0 {
		parts := strings.Split(s, "\n")
		for i, p := range parts {
			if i > 0 {
				w.endLine()
			}
			w.line.WriteString(strings.TrimRight(p, " \t\r"))
		}
		return
	}
	for i, f := range strings.Fields(s) {
		if w.line.Len() > 0 && (i > 0 || w.space || startsWithSpace(s)) {
			w.line.WriteByte(' ')
		}
		w.line.WriteString(f)
		w.space = false
		w.brs = 0
		w.chars += len(f)
		if w.link > 0 {
			w.linkChars += len(f)
		}
	}
	if strings.TrimSpace(s) == "" {
		w.space = w.space || s != ""
	} else {
		w.space = endsWithSpace(s)
	}
}

func startsWithSpace(s string) bool {
	return s != "" && strings.ContainsRune(" \t\n\r\f\u00a0", rune(s[0]))
}
func endsWithSpace(s string) bool {
	return s != "" && strings.ContainsRune(" \t\n\r\f", rune(s[len(s)-1]))
}

func (w *paraWriter) endLine() {
	l := strings.TrimSpace(strings.ReplaceAll(w.line.String(), "\u00a0", " "))
	if w.pre > 0 {
		l = strings.TrimRight(w.line.String(), " \t")
	}
	if l != "" || (w.pre > 0 && len(w.lines) > 0) {
		w.lines = append(w.lines, l)
	}
	w.line.Reset()
	w.space = false
}

func (w *paraWriter) flush() {
	w.endLine()
	for len(w.lines) > 0 && strings.TrimSpace(w.lines[len(w.lines)-1]) == "" {
		w.lines = w.lines[:len(w.lines)-1]
	}
	chars, linkChars := w.chars, w.linkChars
	w.chars, w.linkChars = 0, 0
	if len(w.lines) == 0 {
		return
	}
	p := Para{Lines: w.lines, Quote: w.quote > 0, Heading: w.heading, Item: w.list, Pre: w.pre > 0, Cell: w.cell > 0}
	if chars > 0 {
		p.links = float64(linkChars) / float64(chars)
	}
	p.afterRule, w.rule = w.rule, false
	if p.Heading > 0 {
		p.Lines = []string{collapse(strings.Join(p.Lines, " "))}
	}
	w.out = append(w.out, p)
	w.lines = nil
}

// embedClassRE matches the class of a post quoted from a social network as
// its embed code writes it: <blockquote class="twitter-tweet">.
var embedClassRE = regexp.MustCompile(`(?i)^(?:twitter-tweet|twitter-video|instagram-media|tiktok-embed|bluesky-embed|text-post-media|reddit-embed-bq|mastodon-embed|fb-xfbml-parse-ignore)$`)

// keepEmbeds takes the posts a page quotes from social networks out of the
// boxes around them ("social-media-embed"), which Readability drops as
// widgets: a quoted post is part of the article, as a quotation.
func keepEmbeds(doc *html.Node) {
	var quotes []*html.Node
	walk(doc, func(n *html.Node) bool {
		if n.DataAtom == atom.Blockquote && anyToken(attr(n, "class"), embedClassRE) {
			quotes = append(quotes, n)
			return false
		}
		return true
	})
	for _, q := range quotes {
		for {
			box := q.Parent
			if box == nil || box.Type != html.ElementNode || box.Parent == nil || !embedBox(box, q) {
				break
			}
			box.RemoveChild(q)
			box.Parent.InsertBefore(q, box)
			box.Parent.RemoveChild(box)
		}
	}
}

// embedBox reports whether box holds nothing but the quoted post q and
// the scripts that draw it.
func embedBox(box, q *html.Node) bool {
	switch box.DataAtom {
	case atom.Div, atom.Figure, atom.Section, atom.Span, atom.Aside, atom.Center:
	default:
		return false
	}
	for c := box.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c == q, c.Type == html.CommentNode:
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) == "":
		case c.DataAtom == atom.Script || c.DataAtom == atom.Style || c.DataAtom == atom.Noscript:
		default:
			return false
		}
	}
	return true
}
