package ingest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// The pages nobody here tuned on: the news and blog articles among Mozilla
// Readability's test pages, extracted by testdata/fetch-real.sh into
// testdata/real/mozilla/<name>/ (git-ignored). The reference text is the
// article Readability.js keeps (expected.html), which Mozilla's maintainers
// review page by page; it keeps some furniture our rules drop (captions,
// credits, share rows), so it asks more of recall than a hand label does.
// The reference title is the one Readability.js finds, or where that is
// not the page's headline (it keeps the site's or the author's name, or
// takes the og:title written for sharing), the page's <h1> checked by
// hand, in testdata/mozilla.labels.json with any other headline the
// outlet gives the same article.
const mozillaDir = "testdata/real/mozilla"

// mozillaFloors are under the scores measured when the set was added: a
// change that loses accuracy on pages nobody tuned on fails here.
var mozillaFloors = map[string]float64{"title": 0.95, "text": 0.90}

func TestRealPagesMozilla(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join(mozillaDir, "*"))
	if len(dirs) == 0 {
		t.Skip("no Mozilla pages: run sh cmd/archive/internal/ingest/testdata/fetch-real.sh (needs the mirror of github:mozilla/readability)")
	}
	if raceEnabled {
		dirs = dirs[:min(len(dirs), 8)]
	}
	var fixed map[string]struct {
		Title      string   `json:"title"`
		TitlesAlso []string `json:"titles_also"`
	}
	if b, err := os.ReadFile("testdata/mozilla.labels.json"); err != nil {
		t.Fatal(err)
	} else if err := json.Unmarshal(b, &fixed); err != nil {
		t.Fatal(err)
	}
	s := newScore()
	for _, dir := range dirs {
		name := filepath.Base(dir)
		src, err := os.ReadFile(filepath.Join(dir, "source.html"))
		if err != nil {
			t.Fatal(err)
		}
		var meta struct{ Title string }
		if b, err := os.ReadFile(filepath.Join(dir, "expected-metadata.json")); err != nil {
			t.Fatal(err)
		} else if err := json.Unmarshal(b, &meta); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		want := expectedText(t, filepath.Join(dir, "expected.html"))
		r, err := ConvertPage(Page{Seed: "seeds/" + name + ".html", HTML: src})
		if err != nil {
			s.add("title", false, name+": "+err.Error())
			s.add("text", false, name+": "+err.Error())
			continue
		}
		titles := []string{meta.Title}
		if f, ok := fixed[name]; ok {
			titles = append([]string{f.Title}, f.TitlesAlso...)
		}
		titleOK := false
		for _, w := range titles {
			titleOK = titleOK || fold(r.Doc.Title) == fold(w)
		}
		s.add("title", titleOK, fmt.Sprintf("%s: have %q want %q", name, r.Doc.Title, titles[0]))
		p, rc := textPR(plainBody(r.Doc), want)
		if p+rc > 0 {
			s.f1 += 2 * p * rc / (p + rc)
		}
		s.add("text≥0.8", p >= 0.8 && rc >= 0.8, "")
		s.add("text", p >= textRight && rc >= textRight, fmt.Sprintf("%s: precision %.2f recall %.2f", name, p, rc))
	}
	t.Logf("Mozilla Readability's news and blog pages:\n%s", s)
	if testing.Verbose() {
		for _, f := range []string{"title", "text"} {
			for _, m := range s.misses[f] {
				t.Logf("  %s miss %s", f, m)
			}
		}
	}
	if raceEnabled {
		return
	}
	for f, min := range mozillaFloors {
		if s.rate(f) < min {
			t.Errorf("%s right on %.1f%% of Mozilla's pages, below the floor of %.0f%%", f, 100*s.rate(f), 100*min)
		}
	}
}

// expectedText is all the text of a Readability.js expected.html (the
// words are what is scored, so no layout is needed, and none of our own
// rules is applied to the reference).
func expectedText(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			out.WriteString(n.Data)
			out.WriteString(" ")
		}
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style") {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out.String()
}
