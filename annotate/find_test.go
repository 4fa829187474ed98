package annotate

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// filler returns unrelated made-up words, different for every n, so that
// documents share nothing but their quotes.
func filler(n int) string {
	var b strings.Builder
	for j := 0; j < 12; j++ {
		fmt.Fprintf(&b, "zq%dv%s ", n, strings.Repeat("x", j+1))
	}
	return strings.TrimSpace(b.String()) + "."
}

const base = "Technology providers must act and design their services in a way that protects user privacy on the one hand"

type findCase struct {
	name  string
	docs  []string // document i gets ID "d<i>"
	opts  []Option
	want  [][]string // per passage, occurrence texts in order of document then position
	kinds []Kind     // per passage; nil means text two documents share: not boilerplate or a repeat (short unquoted text is stock)
	sim   [2]float64 // every non-canonical occurrence's similarity lies in [sim[0], sim[1]]
}

func doc(i int, quote string) string {
	return filler(2*i) + " " + quote + " " + filler(2*i+1)
}

var findCases = []findCase{
	{
		name: "verbatim",
		docs: []string{doc(0, base+"."), doc(1, base+".")},
		want: [][]string{{base, base}},
		sim:  [2]float64{1, 1},
	},
	{
		name: "curly and straight quotes, apostrophes",
		docs: []string{
			doc(0, `He wrote: “The world’s providers must act and design their services in a way that protects user privacy.”`),
			doc(1, `He wrote: "The world's providers must act and design their services in a way that protects user privacy."`),
		},
		want: [][]string{{
			"He wrote: “The world’s providers must act and design their services in a way that protects user privacy",
			`He wrote: "The world's providers must act and design their services in a way that protects user privacy`,
		}},
		sim: [2]float64{1, 1},
	},
	{
		name: "dashes, non-breaking and repeated spaces, line breaks",
		docs: []string{
			doc(0, "the current path towards default end-to-end encryption with no provision for lawful access does not allow"),
			doc(1, "the current path towards default end\u2013to\u2013end encryption with\u00a0no   provision for\nlawful access does not allow"),
		},
		want: [][]string{{
			"the current path towards default end-to-end encryption with no provision for lawful access does not allow",
			"the current path towards default end\u2013to\u2013end encryption with\u00a0no   provision for\nlawful access does not allow",
		}},
		sim: [2]float64{0.9, 1},
	},
	{
		name: "Unicode compatibility forms (NFKC)",
		docs: []string{
			doc(0, `"providers must act and design their ﬁnal services in a way that protects ＵＳＥＲ privacy"`),
			doc(1, `"providers must act and design their final services in a way that protects user privacy"`),
		},
		want: [][]string{{
			"providers must act and design their ﬁnal services in a way that protects ＵＳＥＲ privacy",
			"providers must act and design their final services in a way that protects user privacy",
		}},
		sim: [2]float64{1, 1},
	},
	{
		name: "U.S. and US, case",
		docs: []string{
			doc(0, "a version of the resolution introduced by the U.S. Federal Bureau of Investigation would be released"),
			doc(1, "A VERSION of the resolution introduced by the US federal bureau of investigation would be released"),
		},
		want: [][]string{{
			"a version of the resolution introduced by the U.S. Federal Bureau of Investigation would be released",
			"A VERSION of the resolution introduced by the US federal bureau of investigation would be released",
		}},
		sim: [2]float64{1, 1},
	},
	{
		name: "editorial [a] and [sic]",
		docs: []string{
			doc(0, `said "an Interpol official said a version of [a] resolution introduced by the [sic] FBI would be released without a formal vote"`),
			doc(1, `an Interpol official said a version of the resolution introduced by the FBI would be released without a formal vote, the sources said.`),
		},
		want: [][]string{{
			"an Interpol official said a version of [a] resolution introduced by the [sic] FBI would be released without a formal vote",
			"an Interpol official said a version of the resolution introduced by the FBI would be released without a formal vote",
		}},
		sim: [2]float64{1, 1},
	},
	{
		name: "ellipsis keeps one quote whole",
		docs: []string{
			doc(0, "Failure to allow for lawful access on their platforms and products provides a safe haven to offenders utilizing these to sexually exploit children and inhibits our global law enforcement efforts to protect children."),
			doc(1, "“Failure to allow for lawful access on their platforms and products provides a safe haven … and inhibits our global law enforcement efforts to protect children,” it said."),
			doc(2, "“Failure to allow for lawful access on their platforms and products provides a safe haven... and inhibits our global law enforcement efforts to protect children,” they wrote."),
		},
		want: [][]string{{
			"Failure to allow for lawful access on their platforms and products provides a safe haven to offenders utilizing these to sexually exploit children and inhibits our global law enforcement efforts to protect children",
			"Failure to allow for lawful access on their platforms and products provides a safe haven … and inhibits our global law enforcement efforts to protect children",
			"Failure to allow for lawful access on their platforms and products provides a safe haven... and inhibits our global law enforcement efforts to protect children",
		}},
		sim: [2]float64{1, 1},
	},
	{
		name: "cut short at either end",
		docs: []string{
			doc(0, base+"."),
			doc(1, `"In a way that protects user privacy on the one hand," they said.`),
			doc(2, `"Technology providers must act and design their services in a way."`),
		},
		want: [][]string{{
			base,
			"In a way that protects user privacy on the one hand",
			"Technology providers must act and design their services in a way",
		}},
		sim: [2]float64{1, 1},
	},
	{
		name: "embedded in a longer sentence and run into the next",
		docs: []string{
			doc(0, "Officials said that "+strings.ToLower(base[:1])+base[1:]+" while providing user safety on the other hand."),
			doc(1, base+". Zebras graze quietly beyond the orchard fence."),
		},
		want: [][]string{{
			strings.ToLower(base[:1]) + base[1:],
			base,
		}},
		sim: [2]float64{1, 1},
	},
	{
		name: "parody with swapped words is a variant, not a passage",
		docs: []string{
			doc(0, "The current path towards default end-to-end encryption, with no provision for lawful access, does not allow for the protection of the world’s children from sexual exploitation."),
			doc(1, "The current path towards default end-to-end encryption, with no provision for lawful access, does not allow for the protection of the world’s children from sexual exploitation."),
			doc(2, "The current path towards default closed windows and locked doors, with no provision for lawful access, does not allow for the protection of the world’s children from sexual exploitation."),
		},
		want: [][]string{{
			"The current path towards default end-to-end encryption, with no provision for lawful access, does not allow for the protection of the world’s children from sexual exploitation",
			"The current path towards default end-to-end encryption, with no provision for lawful access, does not allow for the protection of the world’s children from sexual exploitation",
			"The current path towards default closed windows and locked doors, with no provision for lawful access, does not allow for the protection of the world’s children from sexual exploitation",
		}},
		sim: [2]float64{0.7, 0.9},
	},
	{
		name: "repeated in the same document",
		docs: []string{
			doc(0, base+". Then a reader wrote in the comments: \""+base+"\" and left."),
			doc(1, "Nothing of the sort is here at all, only unrelated words about gardens and kites."),
		},
		want:  [][]string{{base, base}},
		kinds: []Kind{Repeat},
		sim:   [2]float64{1, 1},
	},
	{
		name: "ordinary phrases are not passages",
		docs: []string{
			doc(0, "at the end of the day we went home"),
			doc(1, "at the end of the day they stayed"),
			doc(2, "on the one hand and on the other"),
		},
		want: nil,
	},
	{
		name: "minimum length is an option",
		docs: []string{doc(0, base), doc(1, base)},
		opts: []Option{WithMinWords(30)},
		want: nil,
	},
	{
		name: "empty and single documents",
		docs: []string{"", "   ", base},
		want: nil,
	},
}

func TestFindVariations(t *testing.T) {
	for _, tc := range findCases {
		t.Run(tc.name, func(t *testing.T) {
			docs := make([]Document, len(tc.docs))
			for i, text := range tc.docs {
				docs[i] = Document{ID: fmt.Sprintf("d%d", i), Text: text}
			}
			ps, err := Find(docs, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, docs, ps)
			var have [][]string
			for _, p := range ps {
				var texts []string
				for _, o := range p.Occurrences {
					texts = append(texts, o.Text)
				}
				have = append(have, texts)
			}
			if !reflect.DeepEqual(have, tc.want) {
				t.Fatalf("passages\nhave %q\nwant %q\ninput %q", have, tc.want, tc.docs)
			}
			for i, p := range ps {
				if tc.kinds == nil && (p.Kind == Boilerplate || p.Kind == Repeat) || tc.kinds != nil && p.Kind != tc.kinds[i] {
					t.Errorf("%s: kind %s, want %v (text two documents share when nil)", p.ID, p.Kind, tc.kinds)
				}
				for _, o := range p.Occurrences {
					if o.Text == p.Canonical {
						continue
					}
					if o.Similarity < tc.sim[0] || o.Similarity > tc.sim[1] {
						t.Errorf("%s in %s: similarity %.3f, want in %v\n%s", p.ID, o.Doc, o.Similarity, tc.sim, describeOps(o.Alignment))
					}
				}
			}
		})
	}
}

func describeOps(ops []Op) string {
	var b strings.Builder
	for _, op := range ops {
		if op.Kind != Same {
			fmt.Fprintf(&b, "%s(%q→%q) ", op.Kind, op.Canonical, op.Witness)
		}
	}
	return b.String()
}

// checkInvariants holds for every result: offsets are on UTF-8 boundaries
// and give the text, occurrences are ordered and do not overlap, words
// are trimmed, IDs are unique.
func checkInvariants(t testing.TB, docs []Document, ps []Passage) {
	t.Helper()
	byID := map[string]string{}
	for _, d := range docs {
		byID[d.ID] = d.Text
	}
	ids := map[string]bool{}
	type span struct {
		doc        string
		start, end int
	}
	var all []span
	for _, p := range ps {
		if ids[p.ID] {
			t.Errorf("duplicate passage ID %s", p.ID)
		}
		ids[p.ID] = true
		if len(p.ID) != 12 || !strings.HasPrefix(p.ID, "p-") {
			t.Errorf("passage ID %q is not p- and 10 hex digits", p.ID)
		}
		if len(p.Occurrences) < 2 {
			t.Errorf("%s has %d occurrences", p.ID, len(p.Occurrences))
		}
		for i, o := range p.Occurrences {
			text := byID[o.Doc]
			if o.Start < 0 || o.End > len(text) || o.Start >= o.End {
				t.Fatalf("%s: bad offsets [%d,%d) in %s (len %d)", p.ID, o.Start, o.End, o.Doc, len(text))
			}
			if text[o.Start:o.End] != o.Text {
				t.Errorf("%s: Text != doc.Text[Start:End]", p.ID)
			}
			if cutsRune(text, o.Start) || cutsRune(text, o.End) {
				t.Errorf("%s: offsets [%d,%d) not on rune boundaries", p.ID, o.Start, o.End)
			}
			first, _ := utf8.DecodeRuneInString(o.Text)
			last, _ := utf8.DecodeLastRuneInString(o.Text)
			if !isWordRune(first) && first != '[' {
				t.Errorf("%s: occurrence starts with %q: %q", p.ID, first, o.Text)
			}
			if !isWordRune(last) && last != ']' && last != '.' {
				t.Errorf("%s: occurrence ends with %q: %q", p.ID, last, o.Text)
			}
			if o.Similarity < 0 || o.Similarity > 1 {
				t.Errorf("%s: similarity %v", p.ID, o.Similarity)
			}
			if i > 0 {
				prev := p.Occurrences[i-1]
				if prev.Doc == o.Doc && prev.Start >= o.Start {
					t.Errorf("%s: occurrences out of order", p.ID)
				}
			}
			all = append(all, span{o.Doc, o.Start, o.End})
		}
		if p.Earliest >= len(p.Occurrences) {
			t.Errorf("%s: Earliest %d out of range", p.ID, p.Earliest)
		}
	}
	// No two occurrences of any passages overlap.
	for i := range all {
		for j := i + 1; j < len(all); j++ {
			a, b := all[i], all[j]
			if a.doc == b.doc && a.start < b.end && b.start < a.end {
				t.Errorf("occurrences overlap in %s: [%d,%d) and [%d,%d)", a.doc, a.start, a.end, b.start, b.end)
			}
		}
	}
}

// cutsRune reports whether offset i falls inside a valid multi-byte UTF-8
// encoding of text. (Offsets next to invalid bytes are fine.)
func cutsRune(text string, i int) bool {
	if i <= 0 || i >= len(text) {
		return false
	}
	j := i - 1
	for j > 0 && j > i-4 && !utf8.RuneStart(text[j]) {
		j--
	}
	r, size := utf8.DecodeRuneInString(text[j:])
	return r != utf8.RuneError && j+size > i
}

func TestFindBoilerplate(t *testing.T) {
	furniture := "Sign up for our daily newsletter and never miss a story from the newsroom again"
	quote := "Technology providers must act and design their services in a way that protects user privacy"
	docs := []Document{
		{ID: "a1", Source: "Alpha", Text: filler(100) + ` "` + quote + `." ` + furniture},
		{ID: "a2", Source: "Alpha", Text: filler(101) + " " + furniture},
		{ID: "a3", Source: "Alpha", Text: filler(102) + " " + furniture},
		{ID: "b1", Source: "Beta", Text: filler(103) + ` "` + quote + `."`},
	}
	ps, err := Find(docs)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, docs, ps)
	kinds := map[string]Kind{}
	for _, p := range ps {
		kinds[p.Occurrences[0].Text] = p.Kind
	}
	want := map[string]Kind{furniture: Boilerplate, quote: Quote}
	if !reflect.DeepEqual(kinds, want) {
		t.Fatalf("kinds %v, want %v", kinds, want)
	}
}

func TestFindOrderIndependent(t *testing.T) {
	docs := seedDocs(t)
	want, err := Find(docs)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 5; i++ {
		shuffled := append([]Document(nil), docs...)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		have, err := Find(shuffled, WithWorkers(1+i%3))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(have, want) {
			t.Fatalf("order %d: result differs", i)
		}
	}
}

func TestFindDuplicateID(t *testing.T) {
	_, err := Find([]Document{{ID: "x", Text: base}, {ID: "x", Text: base}})
	if err == nil || !strings.Contains(err.Error(), `"x"`) {
		t.Fatalf("err = %v, want one naming the duplicate ID", err)
	}
}

func TestCollation(t *testing.T) {
	docs := []Document{
		{ID: "a", Text: doc(0, "Providers must act and design their services in a way that protects user privacy, on the one hand.")},
		{ID: "b", Text: doc(1, "Providers must act and design their services in a way that protects user privacy, on the one hand.")},
		{ID: "c", Text: doc(2, "Providers must act and craft their services in a way that protects user privacy on the one hand.")},
	}
	ps, err := Find(docs)
	if err != nil || len(ps) != 1 {
		t.Fatalf("Find: %v, %d passages", err, len(ps))
	}
	p := ps[0]
	if want := "Providers must act and design their services in a way that protects user privacy, on the one hand"; p.Canonical != want {
		t.Errorf("canonical %q, want the most attested wording %q", p.Canonical, want)
	}
	if p.Earliest != -1 {
		t.Errorf("Earliest %d without dates, want -1", p.Earliest)
	}
	c := p.Occurrences[2]
	var diffs []Op
	for _, op := range c.Alignment {
		if op.Kind != Same {
			diffs = append(diffs, op)
		}
	}
	want := []Op{{Kind: Subst, Canonical: "design", Witness: "craft"}, {Kind: Omit, Canonical: ",", Punct: true}}
	if !reflect.DeepEqual(diffs, want) {
		t.Errorf("alignment differences %+v, want %+v", diffs, want)
	}
	// 17 of 18 words agree, and the comma (a quarter) is missing: 17/18.25.
	if w := 17 / 18.25; c.Similarity < w-1e-9 || c.Similarity > w+1e-9 {
		t.Errorf("similarity %v, want %v", c.Similarity, w)
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"The U.S. and US and u.s.", "the us and us and us"},
		{"world’s world's worldʼs", "worlds worlds worlds"},
		{"end-to-end end–to–end", "end to end end to end"},
		{"[T]he [a] resolution [sic] ok", "the [a] resolution ok"},
		{"ＦＵＬＬ ﬁne Straße", "full fine strasse"},
		{"a … b ... c [...] d", "a b c d"},
		{"[a link](https://example.org) here", "a link https example org here"},
		{"bad\xffbyte", "bad byte"},
	}
	for _, tc := range tests {
		var have []string
		sc := newScanner(false, true)
		sc.scan(tc.in, func(t tok) {
			if t.kind == tWord || t.kind == tWild {
				have = append(have, t.norm)
			}
		})
		if strings.Join(have, " ") != tc.want {
			t.Errorf("tokens(%q) = %q, want %q", tc.in, strings.Join(have, " "), tc.want)
		}
	}
}

// TestBandedCollation: a long passage with a few changed words is collated
// in a band around the diagonal, with the same result as the full table.
func TestBandedCollation(t *testing.T) {
	c := newCollator()
	var a, w strings.Builder
	for i := 0; i < 600; i++ {
		fmt.Fprintf(&a, "word%d ", i%97)
		switch {
		case i%50 == 7:
			w.WriteString("changed ")
		case i%80 == 3:
			// left out
		case i%90 == 5:
			fmt.Fprintf(&w, "word%d extra ", i%97)
		default:
			fmt.Fprintf(&w, "word%d ", i%97)
		}
	}
	at, wt := c.tokens(a.String(), nil), c.tokens(w.String(), nil)
	if bandFor(len(at), len(wt)) == 0 {
		t.Fatalf("%d and %d tokens: no band", len(at), len(wt))
	}
	banded := c.align(at, wt)
	full := c.dp(at, wt, nil)
	if !reflect.DeepEqual(banded, full) {
		t.Errorf("banded collation differs from the full table:\n%s\n%s", describeOps(banded), describeOps(full))
	}
	if s := similarity(banded); s < 0.9 || s > 0.99 {
		t.Errorf("similarity %.3f", s)
	}
}
