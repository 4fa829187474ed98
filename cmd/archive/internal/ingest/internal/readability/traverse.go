package readability

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// hasTextContent reports whether a node or any of its descendants have text content other than spaces.
func hasTextContent(node *html.Node) bool {
	if node.Type == html.TextNode {
		return hasContent(node.Data)
	}
	for child := range node.ChildNodes() {
		if hasTextContent(child) {
			return true
		}
	}
	return false
}

type charCounter struct {
	Total int

	lastCharWasSpace bool
	seenNonSpace     bool
}

// Count keeps a number of total characters (runes) it was passed. Leading and trailing whitespace
// are ignored, and consecutive runs of whitespace between words are counted as a single space.
func (c *charCounter) Count(r rune) {
	if unicode.IsSpace(r) {
		c.lastCharWasSpace = true
		return
	}
	if c.lastCharWasSpace && c.seenNonSpace {
		c.Total += 2
	} else {
		c.Total += 1
	}
	c.lastCharWasSpace = false
	c.seenNonSpace = true
}

// CountString counts the runes of s as Count would one by one (fork: the
// per-rune call through an interface and unicode.IsSpace were a tenth of
// a page's CPU). ASCII, most of most pages, is counted a byte at a time (asciiSpace
// holds the ASCII runes unicode.IsSpace reports);
// other runes are decoded as a range over s decodes them.
func (c *charCounter) CountString(s string) {
	for i := 0; i < len(s); {
		b := s[i]
		if b >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			c.Count(r)
			i += n
			continue
		}
		i++
		if asciiSpace[b] != 0 {
			c.lastCharWasSpace = true
			continue
		}
		if c.lastCharWasSpace && c.seenNonSpace {
			c.Total += 2
		} else {
			c.Total++
		}
		c.lastCharWasSpace = false
		c.seenNonSpace = true
		// The rest of a run of non-space ASCII counts one each.
		for i < len(s) && s[i] < utf8.RuneSelf && asciiSpace[s[i]] == 0 {
			c.Total++
			i++
		}
	}
}

func (c *charCounter) ResetContext() *charCounter {
	c.lastCharWasSpace = false
	c.seenNonSpace = false
	return c
}

type commaCounter struct {
	Total int
}

func (c *commaCounter) Count(r rune) {
	switch r {
	// Commas as used in Latin, Sindhi, Chinese and various other scripts.
	// see: https://en.wikipedia.org/wiki/Comma#Comma_variants
	case '\u002C', '\u060C', '\uFE50', '\uFE10', '\uFE11', '\u2E41', '\u2E34', '\u2E32', '\uFF0C':
		c.Total++
	}
}

// CountString counts the commas of s as Count would one by one (fork).
// Every comma but ',' is outside ASCII.
func (c *commaCounter) CountString(s string) {
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b == ',' {
				c.Total++
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		c.Count(r)
		i += n
	}
}

// countCharsAndCommas returns counts for both characters and commas in a node's
// text. Leading and trailing whitespace is not counted, nor are consecutive
// runs of whitespace.
func countCharsAndCommas(node *html.Node) (int, int) {
	chars := &charCounter{}
	commas := &commaCounter{}

	// Walk the node and its descendants to count all non-space characters and
	// different comma variants separately.
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			chars.CountString(n.Data)
			commas.CountString(n.Data)
			return
		}
		for child := range n.ChildNodes() {
			walk(child)
		}
	}
	walk(node)

	return chars.Total, commas.Total
}
