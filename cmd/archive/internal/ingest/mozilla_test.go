package ingest

import (
	"bytes"
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

// mozillaPage is one page of the set with what it is scored against.
type mozillaPage struct {
	name   string
	src    []byte
	titles []string // the headline, and any other the outlet gives
	text   string
}

// TestRealPagesMozilla imports the pages as saved .html files, and again
// inside a WARC and a WACZ as crawlers write them, and scores each.
func TestRealPagesMozilla(t *testing.T) {
	pages := loadMozilla(t)
	// In a WARC the pages are labelled as buildWARC wants them: an id per
	// page (its record ID is made from it) and an address.
	var labels []pageLabel
	srcs := map[string][]byte{}
	byID := map[string]mozillaPage{}
	for i, p := range pages {
		id := fmt.Sprintf("%020x", i+1)
		labels = append(labels, pageLabel{ID: id, URL: "https://example.org/" + p.name})
		srcs[id] = p.src
		byID[recordIDFor(id)] = p
	}
	warc := buildWARC(t, labels, srcs, "1.1", true)
	for _, tc := range []struct {
		name string
		read func(emit func(*Result)) error
	}{
		{"saved pages", nil},
		{"WARC 1.1, gzip per record", func(emit func(*Result)) error {
			_, err := ReadWARC(bytes.NewReader(warc), Capture{Seed: "seeds/x.warc.gz"}, emit, func(error) {})
			return err
		}},
		{"WACZ", func(emit func(*Result)) error {
			wacz := buildWACZ(t, warc)
			_, err := ReadWACZ(bytes.NewReader(wacz), int64(len(wacz)), Capture{Seed: "seeds/x.wacz"}, emit, func(error) {})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newScore()
			if tc.read == nil {
				for _, p := range pages {
					r, err := ConvertPage(Page{Seed: "seeds/" + p.name + ".html", HTML: p.src})
					scoreMozilla(s, p, r, err)
				}
			} else {
				got := map[string]*Result{}
				if err := tc.read(func(r *Result) { got[r.Record] = r }); err != nil {
					t.Fatal(err)
				}
				for id, p := range byID {
					r, ok := got[id]
					var err error
					if !ok {
						err = fmt.Errorf("no article from the record")
					}
					scoreMozilla(s, p, r, err)
				}
			}
			reportScoreAgainst(t, "Mozilla Readability's news and blog pages, "+tc.name, s, mozillaFloors, "title", "text")
		})
	}
}

func loadMozilla(t *testing.T) []mozillaPage {
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
	var pages []mozillaPage
	for _, dir := range dirs {
		p := mozillaPage{name: filepath.Base(dir)}
		var err error
		if p.src, err = os.ReadFile(filepath.Join(dir, "source.html")); err != nil {
			t.Fatal(err)
		}
		var meta struct{ Title string }
		if b, err := os.ReadFile(filepath.Join(dir, "expected-metadata.json")); err != nil {
			t.Fatal(err)
		} else if err := json.Unmarshal(b, &meta); err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		p.titles = []string{meta.Title}
		if f, ok := fixed[p.name]; ok {
			p.titles = append([]string{f.Title}, f.TitlesAlso...)
		}
		p.text = expectedText(t, filepath.Join(dir, "expected.html"))
		pages = append(pages, p)
	}
	return pages
}

// scoreMozilla scores the title and the text of one page.
func scoreMozilla(s *score, p mozillaPage, r *Result, err error) {
	if err != nil {
		s.add("title", false, p.name+": "+err.Error())
		s.add("text", false, p.name+": "+err.Error())
		return
	}
	titleOK := false
	for _, w := range p.titles {
		titleOK = titleOK || fold(r.Doc.Title) == fold(w)
	}
	s.add("title", titleOK, fmt.Sprintf("%s: have %q want %q", p.name, r.Doc.Title, p.titles[0]))
	pr, rc := textPR(plainBody(r.Doc), p.text)
	if pr+rc > 0 {
		s.f1 += 2 * pr * rc / (pr + rc)
	}
	s.add("text≥0.8", pr >= 0.8 && rc >= 0.8, "")
	s.add("text", pr >= textRight && rc >= textRight, fmt.Sprintf("%s: precision %.2f recall %.2f", p.name, pr, rc))
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
