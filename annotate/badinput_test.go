package annotate

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestFindEmpty(t *testing.T) {
	for _, docs := range [][]Document{
		nil,
		{},
		{{ID: "a"}},
		{{ID: "a"}, {ID: "b"}},
		{{ID: "a", Text: base}},
		{{ID: "a", Text: "\n\n \t"}, {ID: "b", Text: "…"}, {ID: "c", Text: "[sic] [a] ..."}},
	} {
		ps, err := Find(docs)
		if err != nil || len(ps) != 0 {
			t.Errorf("Find(%v) = %v, %v; want no passages", docs, ps, err)
		}
	}
}

func TestFindInvalidUTF8(t *testing.T) {
	q := "providers must act and design their \xff services in a way that protects user privacy"
	docs := []Document{
		{ID: "a", Text: "\xfe\xff" + q + "\xc3"},
		{ID: "b", Text: "intro " + strings.ReplaceAll(q, "\xff", "\xc0\xaf") + " \xe2\x80"},
	}
	ps, err := Find(docs)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, docs, ps)
	if len(ps) != 1 || len(ps[0].Occurrences) != 2 {
		t.Fatalf("want one passage in both documents, got %+v", ps)
	}
}

// TestFindRepeatedSentence: ten thousand copies of one sentence, in one
// document and in ten thousand documents. Each copy is an occurrence; the
// work stays linear.
func TestFindRepeatedSentence(t *testing.T) {
	const n = 10000
	sentence := "The current path towards default encryption does not allow for the protection of children. "
	t.Run("one document", func(t *testing.T) {
		docs := []Document{{ID: "a", Source: "Site", Text: strings.Repeat(sentence, n)}}
		ps, err := Find(docs)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, docs, ps)
		if len(ps) != 1 || len(ps[0].Occurrences) != n {
			t.Fatalf("%d passages (first with %d occurrences), want 1 with %d", len(ps), occurrences(ps), n)
		}
		if ps[0].Kind != Boilerplate {
			t.Errorf("kind %s, want boilerplate (one text repeated on one page)", ps[0].Kind)
		}
	})
	// Eight words said ten thousand times are each an eighth of the text:
	// chance alone would give each 5-gram about three times, but it is
	// there ten thousand times, so it is a repeat, not chance.
	t.Run("short sentence", func(t *testing.T) {
		docs := []Document{{ID: "a", Text: strings.Repeat("Stop the harm now to all the children. ", n)}}
		ps, err := Find(docs)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 1 || len(ps[0].Occurrences) != n {
			t.Fatalf("%d passages (first with %d occurrences), want 1 with %d", len(ps), occurrences(ps), n)
		}
	})
	t.Run("many documents", func(t *testing.T) {
		docs := oneSentence(n)
		ps, err := Find(docs)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 1 || len(ps[0].Occurrences) != n {
			t.Fatalf("%d passages (first with %d occurrences), want 1 with %d", len(ps), occurrences(ps), n)
		}
	})
}

// oneSentence returns n documents that share one sentence and nothing else.
func oneSentence(n int) []Document {
	const sentence = "The current path towards default encryption does not allow for the protection of children. "
	docs := make([]Document, n)
	for i := range docs {
		docs[i] = Document{ID: fmt.Sprintf("d%05d", i), Text: fmt.Sprintf("Item %d. %s Signed %d.", i, sentence, i)}
	}
	return docs
}

func occurrences(ps []Passage) int {
	if len(ps) == 0 {
		return 0
	}
	return len(ps[0].Occurrences)
}

// TestFindLargeDocument: a 50 MB document that quotes a passage of a small
// one. It is found, and the heap stays within a small multiple of the input.
func TestFindLargeDocument(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("50 MB document: not in -short or -race runs")
	}
	r := rand.New(rand.NewPCG(3, 4))
	z := rand.NewZipf(r, 1.1, 2, 19999)
	sentence := func(b *strings.Builder) {
		for i := range 8 + r.IntN(17) {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(b, "w%d", z.Uint64())
		}
		b.WriteString(". ")
	}
	var b strings.Builder
	b.Grow(52 << 20)
	for b.Len() < 50<<20 {
		sentence(&b)
		if r.IntN(1000) == 0 {
			b.WriteString("\n\n")
		}
	}
	mid := b.Len()
	b.WriteString("Failure to allow for lawful access on their platforms provides a safe haven to offenders. ")
	for b.Len() < mid+1<<20 {
		sentence(&b)
	}
	docs := []Document{
		{ID: "big", Text: b.String()},
		{ID: "small", Text: "As the draft put it, failure to allow for lawful access on their platforms provides a safe haven to offenders, they said."},
	}
	start := time.Now()
	var ps []Passage
	var err error
	extra := heapGrowth(func() { ps, err = Find(docs) })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d MB in %v, heap +%d MB, %d passages", len(docs[0].Text)>>20, time.Since(start).Round(time.Millisecond), extra>>20, len(ps))
	var found bool
	for _, p := range ps {
		for _, o := range p.Occurrences {
			if o.Doc == "small" && strings.HasPrefix(o.Text, "failure to allow") {
				found = true
			}
		}
	}
	if !found {
		t.Error("the quoted passage was not found")
	}
	if extra > 20*uint64(len(docs[0].Text)) {
		t.Errorf("heap grew by %d MB for a %d MB document", extra>>20, len(docs[0].Text)>>20)
	}
}

// lowVocabWords are English function words, commonest first.
var lowVocabWords = strings.Fields("the of and to a in that is for it as was with be by on not he I this are or his from at which but have an they you were her she there been one all we their has would when if so no will us more about up out who than into them only some could")

// lowVocabulary returns n documents of about 800 words each drawn
// uniformly from the first vocab function words, in sentences of 8 to 40.
func lowVocabulary(n, vocab int, seed uint64) []Document {
	r := rand.New(rand.NewPCG(seed, 11))
	words := lowVocabWords[:vocab]
	docs := make([]Document, n)
	for i := range docs {
		var b strings.Builder
		for w, end := 0, 0; w < 800; w++ {
			if w == end {
				if w > 0 {
					b.WriteString(". ")
				}
				first := words[r.IntN(len(words))]
				b.WriteString(strings.ToUpper(first[:1]) + first[1:])
				end = w + 8 + r.IntN(33)
				continue
			}
			b.WriteByte(' ')
			b.WriteString(words[r.IntN(len(words))])
		}
		b.WriteByte('.')
		docs[i] = Document{ID: fmt.Sprintf("d%05d", i), Text: b.String()}
	}
	return docs
}

// TestFindLowVocabulary: text drawn at random from a small vocabulary
// shares many minWords-word stretches by chance alone, more with the square
// of the corpus. Fingerprints that recur no more than chance explains give
// no seeds (see "Chance repeats" in the package comment), so the heap stays
// within a bound proportional to the words and chance does not make
// passages. Before, these 2,000 documents of 12 words grew the heap by
// 127 MB and made 5,221 passages covering 44% of the words.
func TestFindLowVocabulary(t *testing.T) {
	n := 2000
	if testing.Short() {
		n = 1000
	}
	for _, tc := range []struct {
		name  string
		vocab int
		share float64 // the most of all words that occurrences may cover
	}{
		// Every 5-gram is expected about 3-6 times by chance: all masked.
		{"12 words", 12, 0},
		// About at the masking threshold: chance passages, but few.
		{"20 words", 20, 0.1},
		// Chance 5-grams are rare; hardly any chance passages.
		{"function words", len(lowVocabWords), 0.001},
	} {
		t.Run(tc.name, func(t *testing.T) {
			docs := lowVocabulary(n, tc.vocab, 1)
			text, words := 0, 0
			for _, d := range docs {
				text += len(d.Text)
				words += len(strings.Fields(d.Text))
			}
			var ps []Passage
			var err error
			extra := heapGrowth(func() { ps, err = Find(docs) })
			if err != nil {
				t.Fatal(err)
			}
			covered := 0
			for _, p := range ps {
				for _, o := range p.Occurrences {
					covered += len(strings.Fields(o.Text))
				}
			}
			t.Logf("%d documents, %d KB: heap +%d KB, %d passages covering %d of %d words", n, text>>10, extra>>10, len(ps), covered, words)
			if limit := 32*uint64(words) + 16<<20; extra > limit {
				t.Errorf("heap grew by %d MB for %d words; want at most %d MB (32 bytes a word and 16 MB)", extra>>20, words, limit>>20)
			}
			if float64(covered) > tc.share*float64(words) {
				t.Errorf("%d passages cover %d of %d words; want at most %.1f%% from chance", len(ps), covered, words, 100*tc.share)
			}
		})
	}
}

func FuzzFind(f *testing.F) {
	f.Add(base+". "+base, "x "+base, uint8(8))
	f.Add("a … b [sic] [T]he U.S. c d e f g h", "a b the us c d e f g h", uint8(3))
	f.Add("\xff\xfe[a]] [[...]", "“‘’” — –", uint8(2))
	f.Fuzz(func(t *testing.T, a, b string, minWords uint8) {
		docs := []Document{{ID: "a", Text: a}, {ID: "b", Text: b}, {ID: "c", Text: a + " " + b}}
		ps, err := Find(docs, WithMinWords(int(minWords%20)))
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, docs, ps)
	})
}

// TestFindQuotedOutOfRange: a caller's Quoted ranges past the text, empty
// or inverted are cut or ignored, never trusted.
func TestFindQuotedOutOfRange(t *testing.T) {
	docs := []Document{
		{ID: "a", Text: filler(1) + " " + base + ".", Quoted: []Span{{Start: -5, End: 1 << 20}, {Start: 9, End: 3}}},
		{ID: "b", Text: base + ". " + filler(2), Quoted: []Span{{Start: 1000, End: 2000}}},
	}
	ps, err := Find(docs)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, docs, ps)
	if len(ps) != 1 || !ps[0].Occurrences[0].Quoted && !ps[0].Occurrences[1].Quoted {
		t.Fatalf("passages %+v, want one, quoted in a", ps)
	}
}

// TestFindSingleLineQuotesItself (issue 15, item 7): an article of 20,000
// words on a single line, which repeats 28 of its own sentences further on
// (a live blog flattened into one line). Repeating itself is not quoting:
// its 28 passages are repeats, none is shown as a quote or reporting.
// (Before passages had kinds, all 28 were quotes.)
func TestFindSingleLineQuotesItself(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 7))
	z := rand.NewZipf(r, 1.1, 2, 19999)
	sentence := func() string {
		var b strings.Builder
		for i := range 12 + r.IntN(12) {
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "w%d", z.Uint64())
		}
		return b.String() + "."
	}
	var said []string
	var line strings.Builder
	words := 0
	for words < 10000 { // the first half: 28 of its sentences are kept
		s := sentence()
		if len(said) < 28 && r.IntN(15) == 0 {
			said = append(said, s)
		}
		line.WriteString(s + " ")
		words += len(strings.Fields(s))
	}
	for words < 20000 { // the second half says them again, among others
		s := sentence()
		if len(said) > 0 && r.IntN(8) == 0 {
			s, said = said[0], said[1:]
		}
		line.WriteString(s + " ")
		words += len(strings.Fields(s))
	}
	if len(said) > 0 {
		t.Fatalf("%d sentences not said again", len(said))
	}
	docs := []Document{
		{ID: "liveblog", Source: "Outlet", Text: line.String()},
		{ID: "other", Source: "Other", Text: filler(1) + " " + filler(2)},
	}
	if strings.Contains(docs[0].Text, "\n") {
		t.Fatal("the article must be one line")
	}
	ps, err := Find(docs)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, docs, ps)
	if len(ps) != 28 {
		t.Errorf("%d passages, want the article's 28 repeated sentences", len(ps))
	}
	for _, p := range ps {
		if p.Kind.Shared() || p.Kind != Repeat {
			t.Errorf("%s %q: kind %s, want repeat (one article repeating itself)", p.ID, clip(p.Canonical, 60), p.Kind)
		}
	}
}

// sameDocuments returns n copies of one 300-word article, from one outlet or each from its own.
func sameDocuments(n int, oneSource bool) []Document {
	r := rand.New(rand.NewPCG(5, 6))
	var b strings.Builder
	for i := range 300 {
		switch {
		case i == 0:
		case i%15 == 0:
			b.WriteString(". ")
		default:
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "w%d", r.IntN(5000))
	}
	b.WriteByte('.')
	text := b.String()
	docs := make([]Document, n)
	for i := range docs {
		src := fmt.Sprintf("outlet%d", i)
		if oneSource {
			src = "outlet"
		}
		docs[i] = Document{ID: fmt.Sprintf("d%05d", i), Source: src, Text: text}
	}
	return docs
}

// TestFindAllSame: every document is the same article. That is one
// passage with an occurrence in each document, boilerplate when one outlet
// wrote them all; from many outlets it is stock, as text in every document
// of the corpus is common by its document frequency (passim's maxDF would
// drop it). The heap stays within a small multiple of the input. (Its
// time is BenchmarkFindDegenerate's.)
func TestFindAllSame(t *testing.T) {
	n := 10000
	if testing.Short() || raceEnabled {
		n = 2000
	}
	for _, tc := range []struct {
		name      string
		oneSource bool
		kind      Kind
	}{{"many outlets", false, Stock}, {"one outlet", true, Boilerplate}} {
		t.Run(tc.name, func(t *testing.T) {
			docs := sameDocuments(n, tc.oneSource)
			var ps []Passage
			var err error
			start := time.Now()
			extra := heapGrowth(func() { ps, err = Find(docs) })
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, docs, ps)
			t.Logf("%d documents of %d bytes: %d passages in %v, heap +%d MB", n, len(docs[0].Text), len(ps), time.Since(start).Round(time.Millisecond), extra>>20)
			if len(ps) != 1 || len(ps[0].Occurrences) != n {
				t.Fatalf("%d passages (first with %d occurrences), want 1 with %d", len(ps), occurrences(ps), n)
			}
			if ps[0].Kind != tc.kind {
				t.Errorf("kind %s, want %s", ps[0].Kind, tc.kind)
			}
			for _, o := range ps[0].Occurrences {
				if o.Start != 0 || o.End != len(docs[0].Text)-1 && o.End != len(docs[0].Text) {
					t.Fatalf("occurrence %s@%d-%d, want the whole text (%d bytes)", o.Doc, o.Start, o.End, len(docs[0].Text))
				}
			}
			if in := uint64(n * len(docs[0].Text)); extra > 30*in {
				t.Errorf("heap grew by %d MB for %d MB of text", extra>>20, in>>20)
			}
		})
	}
}
