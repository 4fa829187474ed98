package synth

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/archive-project/archive/annotate"
)

// TestGenerateShape keeps the corpus honest: about the words asked for,
// every kind of text planted, and every recorded word where it says.
func TestGenerateShape(t *testing.T) {
	for _, plain := range []bool{false, true} {
		c := Generate(Config{Articles: 600, Words: 400, Seed: 3, Plain: plain})
		if len(c.Docs) != 600 || len(c.Titles) != 600 {
			t.Fatalf("%d docs, %d titles", len(c.Docs), len(c.Titles))
		}
		words := 0
		for _, d := range c.Docs {
			words += len(strings.Fields(d.Text))
			if !utf8.ValidString(d.Text) {
				t.Errorf("%s: invalid UTF-8", d.ID)
			}
		}
		if avg := words / len(c.Docs); avg < 400 || avg > 700 {
			t.Errorf("plain %v: %d words an article, want about 400 and the planted texts", plain, avg)
		}
		kinds := map[annotate.Kind]int{}
		for _, cp := range c.Copies {
			kinds[c.Texts[cp.Text].Kind]++
		}
		want := []annotate.Kind{annotate.Quote, annotate.Reporting, annotate.Stock, annotate.Boilerplate, annotate.Repeat}
		if plain {
			want = []annotate.Kind{annotate.Quote, annotate.Boilerplate}
		}
		for _, k := range want {
			if kinds[k] < 2 {
				t.Errorf("plain %v: %d copies of kind %s", plain, kinds[k], k)
			}
		}
		if len(kinds) != len(want) {
			t.Errorf("plain %v: kinds planted %v, want %v", plain, kinds, want)
		}
		for _, cp := range c.Copies {
			text := c.Docs[cp.Doc].Text
			if cp.Start < 0 || cp.End > len(text) || cp.Start >= cp.End {
				t.Fatalf("copy of text %d in doc %d: extent [%d,%d)", cp.Text, cp.Doc, cp.Start, cp.End)
			}
			if cp.Variant != Verbatim {
				continue
			}
			for i, w := range cp.Words {
				if w[0] < 0 {
					continue
				}
				want := strings.TrimRight(c.Texts[cp.Text].Words[i], ".,\n")
				if have := text[w[0]:w[1]]; have != want {
					t.Fatalf("copy of text %d (%s) in doc %d: word %d is %q, want %q", cp.Text, c.Texts[cp.Text].Kind, cp.Doc, i, have, want)
				}
			}
		}
	}
}

// TestGenerateStockInMostArticles: the stock phrases are where a finder
// must not see shared reporting, so they must be everywhere.
func TestGenerateStockInMostArticles(t *testing.T) {
	c := Generate(Config{Articles: 300, Words: 300, Seed: 1})
	docs := map[int]map[int]bool{}
	for _, cp := range c.Copies {
		if c.Texts[cp.Text].Kind == annotate.Stock {
			if docs[cp.Text] == nil {
				docs[cp.Text] = map[int]bool{}
			}
			docs[cp.Text][cp.Doc] = true
		}
	}
	if len(docs) < 10 {
		t.Fatalf("%d stock phrases planted", len(docs))
	}
	for tx, ds := range docs {
		if len(ds) < 300/4 {
			t.Errorf("stock phrase %q in %d of 300 articles", strings.Join(c.Texts[tx].Words, " "), len(ds))
		}
	}
}

func TestGenerateDeterministic(t *testing.T) {
	a := Generate(Config{Articles: 50, Words: 200, Seed: 9})
	b := Generate(Config{Articles: 50, Words: 200, Seed: 9})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two corpora from one Config differ")
	}
	if c := Generate(Config{Articles: 50, Words: 200, Seed: 10}); reflect.DeepEqual(a.Docs, c.Docs) {
		t.Fatal("another seed gives the same corpus")
	}
}

// TestScore scores made-up answers: the truth itself, a chain that joins
// two quotes, and a stock phrase shown as a quote.
func TestScore(t *testing.T) {
	c := Generate(Config{Articles: 200, Words: 200, Seed: 4})
	truth := func(keep func(tx int) bool) []annotate.Passage {
		by := map[int][]annotate.Occurrence{}
		var order []int
		for _, cp := range c.Copies {
			if !keep(cp.Text) {
				continue
			}
			if by[cp.Text] == nil {
				order = append(order, cp.Text)
			}
			d := c.Docs[cp.Doc]
			by[cp.Text] = append(by[cp.Text], annotate.Occurrence{Doc: d.ID, Start: cp.Start, End: cp.End, Text: d.Text[cp.Start:cp.End]})
		}
		var ps []annotate.Passage
		for _, tx := range order {
			ps = append(ps, annotate.Passage{Kind: c.Texts[tx].Kind, Occurrences: by[tx]})
		}
		return ps
	}
	shown := func(tx int) bool { return c.Texts[tx].Kind.Shared() }
	perfect := c.Score(truth(shown))
	if perfect.Precision != 1 || perfect.Recall != 1 || perfect.BCubedPrecision != 1 || perfect.BCubedRecall != 1 {
		t.Errorf("the truth scores %s", perfect)
	}
	// Join every two quotes into one passage: purity falls, recall holds.
	ps := truth(shown)
	var chained []annotate.Passage
	for i := 0; i+1 < len(ps); i += 2 {
		p := ps[i]
		p.Occurrences = append(p.Occurrences, ps[i+1].Occurrences...)
		chained = append(chained, p)
	}
	ch := c.Score(chained)
	if ch.BCubedPrecision > 0.75 || ch.BCubedRecall < 0.99 || ch.Precision != 1 {
		t.Errorf("a chain of two quotes scores %s", ch)
	}
	// A stock phrase shown as a quote lowers precision.
	all := truth(func(int) bool { return true })
	for i := range all {
		if all[i].Kind == annotate.Stock {
			all[i].Kind = annotate.Quote
		}
	}
	st := c.Score(all)
	if st.Precision > 0.9 {
		t.Errorf("stock phrases shown as quotes score %s", st)
	}
	if st.Kinds[annotate.Stock][annotate.Quote] == 0 {
		t.Errorf("kind table %v", st.Kinds)
	}
}
