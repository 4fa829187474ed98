package ingest

import (
	"fmt"
	"github.com/archive-project/archive/cmd/archive/internal/ingest/internal/readability"
	"golang.org/x/net/html"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRealPagesDiff prints, for each page of the development half whose
// text misses, each paragraph kept with the share of its words found in
// the reference, and the reference lines left out. INGEST_DIFF=dev.
func TestRealPagesDiff(t *testing.T) {
	devBar := textRight
	if os.Getenv("INGEST_BAR") != "" {
		devBar = 0.97
	}
	which := os.Getenv("INGEST_DIFF")
	if which == "" {
		t.Skip("set INGEST_DIFF=dev (or a page id prefix)")
	}
	labels, bodies := loadReal(t)
	for _, l := range labels {
		if which == "dev" && !devHalf(l.ID) || which != "dev" && !strings.HasPrefix(l.ID, which) {
			continue
		}
		src, _ := os.ReadFile(filepath.Join(realDir, l.ID+".html"))
		r, err := ConvertPage(Page{Seed: "x.html", HTML: src})
		if err != nil {
			t.Logf("%s: %v", l.ID[:8], err)
			continue
		}
		body := bodies[l.ID]
		p, rc := textPR(plainBody(r.Doc), body)
		if which == "dev" && p >= devBar && rc >= devBar {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "=== %s %s P %.2f R %.2f\n", l.ID[:8], l.URL, p, rc)
		fmt.Fprintf(&b, "  title %q author %q date %q outlet %q\n", r.Doc.Title, r.Doc.Author, r.Doc.Date, r.Doc.Outlet)
		if os.Getenv("INGEST_REMOVED") != "" {
			for _, x := range r.Doc.Removed {
				fmt.Fprintf(&b, "  - %s %.120q\n", x.Rule, x.Text)
			}
		}
		ref := map[string]bool{}
		for _, w := range wordRE.FindAllString(strings.ToLower(body), -1) {
			ref[w] = true
		}
		have := map[string]bool{}
		for _, q := range r.Doc.Body {
			ws := wordRE.FindAllString(strings.ToLower(q.Text()), -1)
			in := 0
			for _, w := range ws {
				have[w] = true
				if ref[w] {
					in++
				}
			}
			mark := " "
			if len(ws) > 0 && float64(in)/float64(len(ws)) < 0.7 {
				mark = "X"
			}
			if q.afterRule {
				fmt.Fprintf(&b, "   ----- hr\n")
			}
			fmt.Fprintf(&b, " %s h%d L%.1f %3d/%3d %.160q\n", mark, q.Heading, q.links, in, len(ws), q.Text())
		}
		for _, line := range strings.Split(body, "\n") {
			ws := wordRE.FindAllString(strings.ToLower(line), -1)
			miss := 0
			for _, w := range ws {
				if !have[w] {
					miss++
				}
			}
			if miss > 2 {
				fmt.Fprintf(&b, "   MISSING %d/%d %.160q\n", miss, len(ws), line)
			}
		}
		t.Log(b.String())
	}
}

// TestRealPagesOutline prints the tree Readability keeps for one page:
// INGEST_OUTLINE=<id prefix>.
func TestRealPagesOutline(t *testing.T) {
	which := os.Getenv("INGEST_OUTLINE")
	if which == "" {
		t.Skip("set INGEST_OUTLINE=<page id prefix>")
	}
	files, _ := filepath.Glob(filepath.Join(realDir, which+"*.html"))
	for _, f := range files {
		src, _ := os.ReadFile(f)
		text, _, _ := decodeHTML(src, "")
		doc, _ := html.Parse(strings.NewReader(text))
		rp := readability.NewParser()
		rp.KeepClasses = true
		art, err := rp.ParseAndMutate(doc, nil)
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		var out func(n *html.Node, depth int)
		out = func(n *html.Node, depth int) {
			if n.Type == html.TextNode {
				if t := collapse(n.Data); t != "" {
					fmt.Fprintf(&b, "%s#text %.100q\n", strings.Repeat("  ", depth), t)
				}
				return
			}
			if n.Type != html.ElementNode {
				return
			}
			own := strings.TrimSpace(collapse(textOf(n)))
			fmt.Fprintf(&b, "%s<%s class=%q id=%q> %d %.100q\n", strings.Repeat("  ", depth), n.Data, attr(n, "class"), attr(n, "id"), len(strings.Fields(own)), own)
			if blockAtoms[n.DataAtom] || n.DataAtom == 0 {
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					out(c, depth+1)
				}
			}
		}
		out(art.Node, 0)
		t.Log("\n" + b.String())
	}
}
