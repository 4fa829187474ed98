package annotations

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
)

// The lists an article page shows of the layer are written here once per
// article, not by the layout: html/template's escapers cost a reflective
// call per value, and the shares list and endnotes of every annotated page
// were the largest part of what the layer added to a build (a third of a
// second at 10,000 articles). The escaping is html/template's own, so the
// page is byte for byte what the range in the layout wrote; layouts that
// want other markup still have Shares and Notes.

// htmlEsc escapes s as html/template does text and quoted attribute
// values.
var htmlEsc = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// attrURL escapes a URL for an href attribute as html/template does:
// bytes outside RFC 3986's reserved and unreserved sets are
// percent-encoded (a % too, unless it starts an escape), then the value is
// escaped for the attribute. html/template would also replace a URL with
// a scheme other than http(s) or mailto; the layer's URLs are site paths.
func attrURL(s string) string { return htmlEsc.Replace(percentEncode(s, "!#$&*+,/:;=?@[]")) }

// attrFragment escapes what follows "#" in an href attribute, as
// html/template does there: everything but unreserved bytes is
// percent-encoded.
func attrFragment(s string) string { return htmlEsc.Replace(percentEncode(s, "")) }

func percentEncode(s, keep string) string {
	isHex := func(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~", c) >= 0,
			strings.IndexByte(keep, c) >= 0,
			c == '%' && keep != "" && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02x", c)
		}
	}
	return b.String()
}

// renderLists writes ShareItems and EndnoteItems.
func (an *ArticleNotes) renderLists() {
	var b strings.Builder
	for _, s := range an.Shares {
		name := s.Outlet
		if name == "" {
			name = s.Title
		}
		b.WriteString(`<li><a href="`)
		b.WriteString(attrURL(s.URL))
		b.WriteString(`">`)
		b.WriteString(htmlEsc.Replace(name))
		b.WriteString(`</a> <span class="muted">`)
		b.WriteString(htmlEsc.Replace(s.Count))
		b.WriteString(`</span></li>`)
	}
	if an.MoreShares != 0 {
		b.WriteString(`<li class="muted">and `)
		b.WriteString(strconv.Itoa(an.MoreShares))
		b.WriteString(` more</li>`)
	}
	an.ShareItems = template.HTML(b.String())
	b.Reset()
	for _, n := range an.Notes {
		id, num := htmlEsc.Replace(n.ID), strconv.Itoa(n.N)
		b.WriteString(`<li id="end-`)
		b.WriteString(id)
		b.WriteString(`" value="`)
		b.WriteString(num)
		b.WriteString(`"><span class="note-label">`)
		b.WriteString(htmlEsc.Replace(n.Label))
		b.WriteString(`.</span> `)
		b.WriteString(string(n.HTML))
		b.WriteString(` <a role="doc-backlink" href="#`)
		b.WriteString(attrFragment(n.ID))
		b.WriteString(`" aria-label="Back to the text of note `)
		b.WriteString(num)
		b.WriteString(`">↩</a></li>`)
	}
	an.EndnoteItems = template.HTML(b.String())
}
