package annotate

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// seedDocs reads the real seed articles, one Document per file.
func seedDocs(t testing.TB) []Document {
	t.Helper()
	files, err := filepath.Glob("../seeds/*.txt")
	if err != nil || len(files) == 0 {
		t.Skip("no seed texts in ../seeds")
	}
	sort.Strings(files)
	meta := map[string]struct {
		source string
		date   string
	}{
		"000": {"The Register", "2019-11-18T10:00:00Z"},
		"001": {"Reuters", "2019-11-18T03:58:00Z"},
		"002": {"Techdirt", "2019-11-19T12:00:00Z"},
		"003": {"ITPro", "2019-11-18T12:00:00Z"},
		"004": {"Ars Technica", "2019-11-18T18:00:00Z"},
	}
	var docs []Document
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(f)
		m := meta[name[:3]]
		d, _ := time.Parse(time.RFC3339, m.date)
		docs = append(docs, Document{ID: "seeds/" + name, Text: string(b), Date: d, Source: m.source})
	}
	return docs
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// goldenPassage is what the golden file records of a passage.
type goldenPassage struct {
	ID          string             `json:"id"`
	Kind        Kind               `json:"kind"`
	Canonical   string             `json:"canonical"`
	Earliest    int                `json:"earliest"`
	Occurrences []goldenOccurrence `json:"occurrences"`
}

type goldenOccurrence struct {
	Doc        string  `json:"doc"`
	Start      int     `json:"start"`
	End        int     `json:"end"`
	Similarity float64 `json:"similarity"`
	Changes    string  `json:"changes,omitempty"`
	Text       string  `json:"text"`
}

// TestSeedsGolden runs Find over the five seed articles and compares the
// passages with testdata/seeds.golden.json (go test -run SeedsGolden -update
// rewrites it; review the diff).
func TestSeedsGolden(t *testing.T) {
	docs := seedDocs(t)
	ps, err := Find(docs)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, docs, ps)
	var g []goldenPassage
	for _, p := range ps {
		gp := goldenPassage{ID: p.ID, Kind: p.Kind, Canonical: p.Canonical, Earliest: p.Earliest}
		for _, o := range p.Occurrences {
			gp.Occurrences = append(gp.Occurrences, goldenOccurrence{
				Doc: o.Doc, Start: o.Start, End: o.End, Text: o.Text,
				Similarity: math.Round(o.Similarity*1000) / 1000,
				Changes:    describeOps(o.Alignment),
			})
		}
		g = append(g, gp)
	}
	have, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	have = append(have, '\n')
	golden := filepath.Join("testdata", "seeds.golden.json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, have, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -run SeedsGolden -update to record it)", err)
	}
	if !bytes.Equal(have, want) {
		t.Errorf("passages differ from %s; run with -update and review the diff", golden)
	}
}

// TestSeedsQuotes checks the passages a reader of the seed articles can
// see for themselves.
func TestSeedsQuotes(t *testing.T) {
	docs := seedDocs(t)
	ps, err := Find(docs)
	if err != nil {
		t.Fatal(err)
	}
	text := map[string]string{}
	for _, d := range docs {
		text[d.ID] = d.Text
	}
	const (
		register = "seeds/000_d7a4d76aec2aac4c.txt"
		reuters  = "seeds/001_8669e8adb286f4d1.txt"
		techdirt = "seeds/002_ceac8cbe711f858c.txt"
		itpro    = "seeds/003_fa4ba791fd8f09f2.txt"
		ars      = "seeds/004_3494a448202d99d2.txt"
	)
	// passageAt returns the passage with an occurrence in doc that covers
	// the nth (0-based) appearance of needle, and that occurrence.
	passageAt := func(doc, needle string, nth int) (*Passage, *Occurrence) {
		t.Helper()
		s, from := -1, 0
		for i := 0; i <= nth; i++ {
			j := strings.Index(text[doc][from:], needle)
			if j < 0 {
				t.Fatalf("%q not %d times in %s", needle, nth+1, doc)
			}
			s, from = from+j, from+j+len(needle)
		}
		for pi := range ps {
			for oi, o := range ps[pi].Occurrences {
				if o.Doc == doc && o.Start <= s && s+len(needle) <= o.End {
					return &ps[pi], &ps[pi].Occurrences[oi]
				}
			}
		}
		t.Errorf("no passage covers %q (#%d) in %s", needle, nth+1, doc)
		return nil, nil
	}
	type place struct {
		doc string
		nth int
	}
	// The raw captures keep quotation marks but not block quotes. The
	// draft resolution that Reuters and others print in quotation marks is
	// a quote; so are Reuters' own words, which The Register quotes in
	// quotation marks, and the resolution text that Ars and Techdirt set
	// as block quotes (plain paragraphs here) and a reader quotes again:
	// quoted in at least a third of their places.
	joined := []struct {
		needle string
		in     []place
		kind   Kind
	}{
		{"Service providers, application developers and device manufacturers are developing and deploying products and services with encryption which effectively conceals sexual exploitation of children occurring on their platforms",
			[]place{{register, 0}, {reuters, 0}, {itpro, 0}}, Quote},
		{"Tech companies should include mechanisms in the design of their encrypted products and services whereby governments, acting with appropriate legal authority, can obtain access to data in a readable and useable format",
			[]place{{register, 0}, {reuters, 0}, {itpro, 0}}, Quote},
		{"The current path towards default end-to-end encryption, with no provision for lawful access, does not allow for the protection of the world’s children from sexual exploitation",
			[]place{{ars, 0}, {techdirt, 0}, {techdirt, 1}}, Quote},
		{"an Interpol official said a version of", []place{{register, 0}, {reuters, 0}, {techdirt, 0}}, Quote},
		{"resolution introduced by the", []place{{register, 0}, {reuters, 0}, {techdirt, 0}}, Quote},
	}
	for _, j := range joined {
		var first *Passage
		for _, pl := range j.in {
			p, _ := passageAt(pl.doc, j.needle, pl.nth)
			if p == nil {
				continue
			}
			if first == nil {
				first = p
			} else if p.ID != first.ID {
				t.Errorf("%q: %s is in passage %s, %s in %s; want one passage", clip(j.needle, 40), j.in[0].doc, first.ID, pl.doc, p.ID)
			}
			if p.Kind != j.kind {
				t.Errorf("%s: kind %s, want %s", p.ID, p.Kind, j.kind)
			}
		}
	}
	// The reader parodies are low-similarity variants of the Ars block quote.
	block, _ := passageAt(ars, "The current path towards default end-to-end encryption", 0)
	for _, parody := range []string{"The current path towards default closed windows", "The current path towards default privacy"} {
		p, o := passageAt(techdirt, parody, 0)
		if p == nil {
			continue
		}
		if p.ID != block.ID {
			t.Errorf("parody %q is passage %s, want a variant of %s", parody, p.ID, block.ID)
		}
		if o.Similarity >= 0.95 || o.Similarity < 0.5 {
			t.Errorf("parody %q: similarity %.2f, want a low-similarity variant (0.5..0.95)", parody, o.Similarity)
		}
	}
	// Every passage is one a reader can confirm; none is made of ordinary
	// phrases.
	known := []string{
		"Interpol plans to condemn encryption spread, citing predators", // Reuters' title, again in its image caption
		"The international police organization Interpol plans",          // Reuters' lede, in Techdirt and a comment
		"At the group’s conference in Lyon",                             // Reuters, Techdirt, The Register
		"Service providers, application developers",                     // the draft resolution via Reuters
		"The current path towards default end-to-end encryption",        // the draft resolution via Ars
		"This comment has been deemed insightful by the community",      // Techdirt's comment badge
	}
	for _, p := range ps {
		ok := false
		for _, k := range known {
			ok = ok || strings.HasPrefix(p.Canonical, k)
		}
		if !ok {
			t.Errorf("unexpected passage %s %q", p.ID, clip(p.Canonical, 80))
		}
		if strings.HasPrefix(p.Canonical, "This comment") != (p.Kind == Boilerplate) {
			t.Errorf("%s %q: kind %s", p.ID, clip(p.Canonical, 40), p.Kind)
		}
	}
	if len(ps) != len(known) {
		t.Errorf("%d passages, want %d", len(ps), len(known))
	}
}
