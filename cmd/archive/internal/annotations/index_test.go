package annotations

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/archive-project/archive/annotate"
	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// loadSeedArchive reads the repository's own content/ and seeds/.
func loadSeedArchive(t *testing.T) []Doc {
	t.Helper()
	root := os.DirFS("../../../..")
	arts, err := article.LoadDir(root, "content")
	if err != nil {
		t.Fatal(err)
	}
	var docs []Doc
	for _, a := range arts {
		d := Doc{Key: a.Path, Body: string(a.Body), BodyLine: a.BodyLine, Date: a.Meta.Date,
			Outlet: a.Meta.Outlet, Notes: a.Meta.Notes}
		if a.Meta.Seed != "" {
			d.Seed, err = fs.ReadFile(root, a.Meta.Seed)
			if err != nil {
				t.Fatal(err)
			}
		}
		docs = append(docs, d)
	}
	return docs
}

func TestSeedArchive(t *testing.T) {
	docs := loadSeedArchive(t)
	ix, err := FindPassages(docs)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ix.Passages {
		t.Logf("%s %s docs=%d occs=%d %q", p.ID, p.Class, len(p.Docs), len(p.Occs), clip(p.Canonical, 70))
		for _, o := range p.Occs {
			t.Logf("   %s %s q=%v c=%v seed=%v sim=%.2f %q", o.ID, o.Doc, o.Quoted, o.InComments, o.SeedLines,
				p.Occurrences[o.N].Similarity, clip(o.P.Occurrences[o.N].Text, 50))
		}
	}
	for key, r := range ix.Docs {
		for i := 1; i < len(r.Occs); i++ {
			a, b := r.Occs[i-1], r.Occs[i]
			if b.SeedLines[0] != 0 && a.SeedLines[0] > b.SeedLines[0] {
				t.Errorf("%s: %s (body %d) maps to seed line %d, before %s's line %d", key, b.ID, b.Start, b.SeedLines[0], a.ID, a.SeedLines[0])
			}
		}
	}
	outletOf := map[string]string{}
	for _, d := range docs {
		outletOf[d.Key] = d.Outlet
	}
	for _, want := range []struct {
		words   string
		outlets []string
		class   Class
	}{
		{"developers and device manufacturers are developing and deploying", []string{"The Register", "Reuters", "ITPro"}, Source},
		{"whereby governments, acting with appropriate legal authority", []string{"The Register", "Reuters", "ITPro"}, Source},
		{"does not allow for the protection of the world", []string{"Techdirt", "Ars Technica"}, Source},
	} {
		var p *Passage
		for _, c := range ix.Passages {
			if strings.Contains(c.Canonical, want.words) {
				p = c
			}
		}
		if p == nil {
			t.Errorf("no passage holds %q", want.words)
			continue
		}
		have := map[string]bool{}
		for _, d := range p.Docs {
			have[outletOf[d]] = true
		}
		for _, o := range want.outlets {
			if !have[o] {
				t.Errorf("passage %q does not join %s (has %v)", want.words, o, have)
			}
		}
		if p.Class != want.class {
			t.Errorf("passage %q is %s, want %s", want.words, p.Class, want.class)
		}
		for _, o := range p.Occs {
			if o.SeedLines[0] == 0 {
				t.Errorf("occurrence %s in %s not found in its seed", o.ID, o.Doc)
			}
		}
	}
}

func TestNoteErrors(t *testing.T) {
	body := "Interpol said there were no plans at this time.\n\nIt had no plans at this time either.\n"
	for _, tc := range []struct {
		name  string
		note  article.Note
		want  string
		start int
	}{
		{"match", article.Note{Quote: "there were no plans", Note: "x", Line: 7}, "", strings.Index(body, "there were")},
		{"prefix disambiguates", article.Note{Quote: "no plans at this time", Prefix: "had ", Note: "x", Line: 7}, "", strings.Index(body, "no plans at this time either")},
		{"typography", article.Note{Quote: "Interpol said there were “no plans”", Note: "x", Line: 7}, "", 0},
		{"ambiguous", article.Note{Quote: "no plans at this time", Note: "x", Line: 7}, "lines 3, 5", 0},
		{"no match", article.Note{Quote: "Interpol denied every plan", Note: "x", Line: 7}, "nearest", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Doc{Key: "content/x.md", Body: body, BodyLine: 3, Notes: []article.Note{tc.note}}
			notes, err := anchorNotes(&d)
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if notes[0].Start != tc.start {
					t.Errorf("note at %d, want %d", notes[0].Start, tc.start)
				}
				return
			}
			var fe *article.Error
			if !errors.As(err, &fe) || fe.File != "content/x.md" || fe.Line != 7 || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v: want content/x.md:7 and %q", err, tc.want)
			}
		})
	}
}

func TestUpdateCarriesOccurrencesAndNotes(t *testing.T) {
	docs := []Doc{
		{Key: "a", Body: "Intro. He said that \"the quick brown fox jumps over the lazy dog by the river bank\" today.\n", BodyLine: 5,
			Notes: []article.Note{{Quote: "river bank", Note: "n"}}},
		{Key: "b", Body: "She wrote \"the quick brown fox jumps over the lazy dog by the river bank\", again.\n"},
	}
	ix, err := FindPassages(docs)
	if err != nil || len(ix.Passages) != 1 {
		t.Fatalf("build: %v, %d passages", err, len(ix.Passages))
	}
	before := ix.Docs["a"].Occs[0].ID
	// An edit before the quote moves it; Update finds it at its new place.
	docs[0].Body = "A much longer introduction goes here. " + docs[0].Body
	if err := ix.Update(docs[0]); err != nil {
		t.Fatal(err)
	}
	o := ix.Docs["a"].Occs[0]
	if o.ID != before || docs[0].Body[o.Start:o.End] != o.P.Occurrences[o.N].Text || !strings.Contains(o.P.Occurrences[o.N].Text, "quick brown fox") {
		t.Errorf("after update: id %s (was %s), text %q", o.ID, before, docs[0].Body[o.Start:o.End])
	}
	n := ix.Docs["a"].Notes[0]
	if docs[0].Body[n.Start:n.End] != "river bank" {
		t.Errorf("note at %q", docs[0].Body[n.Start:n.End])
	}
	// An edit inside the quote makes the index stale, and leaves it as it was.
	old := *o
	docs[0].Body = "He said nothing about foxes.\n"
	if err := ix.Update(docs[0]); !errors.Is(err, ErrStale) {
		t.Errorf("Update after the quote was deleted: %v, want ErrStale", err)
	}
	if *ix.Docs["a"].Occs[0] != old {
		t.Error("a failed Update changed the index")
	}
}

// TestRankAndKinds: passages rank by outlets, then articles; the class
// follows annotate's kind (a block quote in one of three places makes a
// quote, a source); repeats are hidden.
func TestRankAndKinds(t *testing.T) {
	x := "The minister said the reservoir would be drained before the monsoon so that engineers could inspect the cracked spillway and the gates that failed during the spring floods"
	y := "Engineers found hairline fractures along the northern abutment of the dam during a routine survey that the regional water board had ordered after the spring floods last year"
	live := "Residents downstream were told to keep their emergency bags packed and to listen for the sirens"
	filler := func(i int) string {
		return strings.Repeat("zq"+string(rune('a'+i))+"x ", 12)
	}
	docs := []Doc{
		{Key: "a1", Outlet: "Alpha", Body: filler(0) + "\n\n" + x + ".\n\n" + live + ".\n\nMore later.\n\n" + live + ".\n"},
		{Key: "a2", Outlet: "Alpha", Body: filler(1) + "\n\n" + x + ".\n"},
		{Key: "a3", Outlet: "Alpha", Body: filler(2) + "\n\n" + x + ".\n"},
		{Key: "b1", Outlet: "Beta", Body: filler(3) + "\n\n" + x + ".\n\n" + y + ".\n"},
		{Key: "c1", Outlet: "Gamma", Body: filler(4) + "\n\n> " + y + ".\n"},
		{Key: "d1", Outlet: "Delta", Body: filler(5) + "\n\n" + y + ".\n"},
	}
	ix, err := FindPassages(docs)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, p := range ix.Passages {
		order = append(order, fmt.Sprintf("%s/%s/%d", p.Canonical[:10], p.Class, len(p.Docs)))
	}
	want := []string{y[:10] + "/source/3", x[:10] + "/reporting/4"}
	if strings.Join(order, " ") != strings.Join(want, " ") {
		t.Errorf("passages %v, want %v (three outlets before two)", order, want)
	}
	if len(ix.Hidden) != 1 || ix.Hidden[0].Kind != annotate.Repeat {
		t.Errorf("hidden %d passages, want the repeat", len(ix.Hidden))
	}
}
