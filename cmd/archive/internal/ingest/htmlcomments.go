package ingest

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Reader comments in a page. A comment is an element that says it is one:
// schema.org microdata (itemtype …/Comment), or a class or id such as
// WordPress's li.comment / #comment-12, Techdirt's and most CMSs'
// "comment" blocks. Within it the commenter is the first element marked as
// the author (itemprop=author, class fn / comment-author / author /
// username …) and the text is the element marked as the content
// (itemprop=text, class comment-content / comment-body / comment-text …).
// A comment inside another comment is a reply to it and keeps its depth.

var (
	commentItemRE = regexp.MustCompile(`(?i)^(?:comment|c-comment|comment-item|comment-thread-item|commentlist-item|comment-wrapper|js-comment|single-comment|media-comment|comment-container|comment_item)$`)
	commentIDRE   = regexp.MustCompile(`(?i)^(?:comment|li-comment|div-comment|c)[-_]?\d+$`)
	authorClassRE = regexp.MustCompile(`(?i)^(?:fn|comment-author|comment-author-name|comment__author|author|author-name|username|user-name|commenter|comment-user|name|c-author|comment_author)$`)
	textClassRE   = regexp.MustCompile(`(?i)^(?:comment-content|comment-body|comment-text|comment__body|comment__content|comment-entry|c-content|commentbody|comment_text|comment-message|text)$`)
	commentMetaRE = regexp.MustCompile(`(?i)^(?:comment-meta|comment-metadata|commentmetadata|comment-header|comment__header|reply|comment-reply|comment-actions|comment-footer|says)$`)
	saysRE        = regexp.MustCompile(`(?i)\s*(?:\((?:profile|verified)\))?\s*(?:says|said|wrote)?:?\s*$`)
	// commentFurniture are lines of a comment that are its widgets.
	commentFurniture = regexp.MustCompile(`(?i)^(?:reply|report|flag|share|like|dislike|permalink|link|\d+ (?:likes?|replies|points?)|report abuse|reply to this comment|log in to reply|upvote|downvote)$`)
)

func isComment(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if it := attr(n, "itemtype"); strings.HasSuffix(it, "/Comment") || strings.HasSuffix(it, "/UserComments") {
		return true
	}
	switch n.DataAtom {
	case atom.Li, atom.Article, atom.Div, atom.Section:
	default:
		return false
	}
	// Every name commentItemRE knows holds "comment"; every id
	// commentIDRE knows starts with "c" or holds "comment".
	if class := attr(n, "class"); containsAny(strings.ToLower(class), "comment") {
		for tok := range strings.FieldsSeq(class) {
			if commentItemRE.MatchString(tok) {
				return true
			}
		}
	}
	id := attr(n, "id")
	return id != "" && (id[0] == 'c' || id[0] == 'C' || containsAny(strings.ToLower(id), "comment")) && commentIDRE.MatchString(id)
}

// htmlComments finds the reader comments of a page, in page order, replies
// after the comment they answer with their depth.
func htmlComments(doc *html.Node) []Comment {
	var out []Comment
	var visit func(n *html.Node, depth int)
	visit = func(n *html.Node, depth int) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if skipAtoms[c.DataAtom] && c.DataAtom != atom.Aside && c.DataAtom != atom.Form {
				continue
			}
			if isComment(c) {
				if cm, ok := readComment(c, depth); ok {
					out = append(out, cm)
					visit(c, depth+1)
					continue
				}
			}
			visit(c, depth)
		}
	}
	visit(doc, 0)
	return out
}

// readComment reads one comment element's author, date and text, leaving
// out the replies inside it.
func readComment(n *html.Node, depth int) (Comment, bool) {
	var author, date string
	var texts []*html.Node
	var scan func(c *html.Node)
	scan = func(c *html.Node) {
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			if k.Type != html.ElementNode || isComment(k) {
				continue
			}
			ip := attr(k, "itemprop")
			if author == "" && (ip == "author" || ip == "creator" || anyToken(attr(k, "class"), authorClassRE)) {
				author = strings.TrimSpace(saysRE.ReplaceAllString(microdataName(k), ""))
			}
			if date == "" && k.DataAtom == atom.Time {
				date = collapse(textOf(k))
			}
			if ip == "text" || ip == "commentText" || anyToken(attr(k, "class"), textClassRE) {
				texts = append(texts, k)
			}
			scan(k)
		}
	}
	scan(n)
	// The innermost text element: "comment-body" often wraps the author
	// line and "comment-content".
	var text *html.Node
	for _, t := range texts {
		inner := true
		for _, u := range texts {
			if u != t && contains(t, u) {
				inner = false
			}
		}
		if inner {
			text = t
			break
		}
	}
	if text == nil || author == "" {
		return Comment{}, false
	}
	var paras []Para
	for _, p := range htmlParas(withoutComments(text)) {
		p.Heading = 0
		if len(p.Lines) == 1 && commentFurniture.MatchString(p.Lines[0]) {
			continue
		}
		paras = append(paras, p)
	}
	if len(paras) == 0 {
		return Comment{}, false
	}
	return Comment{Name: author, Depth: depth, Date: date, Paras: paras}, true
}

// contains reports whether d is a descendant of n.
func contains(n, d *html.Node) bool {
	for p := d.Parent; p != nil; p = p.Parent {
		if p == n {
			return true
		}
	}
	return false
}

func anyToken(list string, re *regexp.Regexp) bool {
	for _, tok := range strings.Fields(list) {
		if re.MatchString(tok) {
			return true
		}
	}
	return false
}

// withoutComments is a copy of n without the comment elements in it.
func withoutComments(n *html.Node) *html.Node {
	cp := &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Attr: n.Attr}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if isComment(c) || c.Type == html.ElementNode && (anyToken(attr(c, "class"), authorClassRE) || anyToken(attr(c, "class"), commentMetaRE)) {
			continue
		}
		cp.AppendChild(withoutComments(c))
	}
	return cp
}
