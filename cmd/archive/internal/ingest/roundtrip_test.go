package ingest

import (
	"os"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// paragraphs parses Markdown the way the site does (CommonMark + GFM) and
// returns the plain text of every paragraph, in order, and of every heading.
func paragraphs(md string) (paras, headings []string) {
	src := []byte(md)
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))
	var plain func(n ast.Node, b *strings.Builder)
	plain = func(n ast.Node, b *strings.Builder) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch t := c.(type) {
			case *ast.Text:
				b.Write(util.UnescapePunctuations(t.Segment.Value(src)))
				if t.HardLineBreak() || t.SoftLineBreak() {
					b.WriteString("\n")
				}
			case *ast.String:
				b.Write(t.Value)
			case *ast.AutoLink:
				b.Write(t.Label(src))
			default:
				plain(c, b)
			}
		}
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var b strings.Builder
		switch n.Kind() {
		case ast.KindParagraph:
			plain(n, &b)
			paras = append(paras, b.String())
			return ast.WalkSkipChildren, nil
		case ast.KindHeading:
			plain(n, &b)
			headings = append(headings, b.String())
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return paras, headings
}

// Whatever import writes must read back, through a Markdown parser, as the
// seed's own words: escapes and hard breaks may not change the text.
func TestMarkdownKeepsTheText(t *testing.T) {
	check := func(t *testing.T, d *Doc) {
		var want, wantHeadings []string
		for _, p := range d.Body {
			want = append(want, p.Text())
		}
		if len(d.Comments) > 0 {
			wantHeadings = append(wantHeadings, "Reader comments")
		}
		for _, c := range d.Comments {
			wantHeadings = append(wantHeadings, c.Name)
			if c.Title != "" {
				want = append(want, c.Title)
			}
			for _, p := range c.Paras {
				want = append(want, p.Text())
			}
		}
		have, headings := paragraphs(d.Markdown())
		if strings.Join(headings, "\n") != strings.Join(wantHeadings, "\n") {
			t.Errorf("headings %q, want %q", headings, wantHeadings)
		}
		if len(have) != len(want) {
			t.Fatalf("%d paragraphs, want %d:\n%s", len(have), len(want), d.Markdown())
		}
		for i := range want {
			if have[i] != want[i] {
				t.Errorf("paragraph %d reads back as\n%q\nwant\n%q", i, have[i], want[i])
			}
		}
	}
	ents, err := os.ReadDir(seedDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		t.Run(e.Name(), func(t *testing.T) {
			src, err := os.ReadFile(seedDir + "/" + e.Name())
			if err != nil {
				t.Fatal(err)
			}
			r, err := Convert("seeds/"+e.Name(), src)
			if err != nil {
				t.Fatal(err)
			}
			check(t, r.Doc)
		})
	}
	t.Run("markup characters", func(t *testing.T) {
		seed := lines("Headline", "", "# hash", "", "> angle", "", "- dash", "", "1. one", "", "a *b* _c_ `d` ~~e~~ \\f",
			"<b>tag</b> &amp; [x](y) [z]: w", "", "---", "", "| a | b |", "|---|---|", "", "https://example.com/a_b*c",
			"", "Name says:", "", "C *t*", "", "Text.", "", "Comments on “H”", "", "O_o says:", "", "## Title #", "", "* item")
		check(t, Segment(seed, "", 1))
	})
}
