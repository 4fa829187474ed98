// Package synth generates corpora of news-like articles with known ground
// truth, to measure and benchmark annotate.Find on the shapes that fool a
// text-reuse finder. It is pure Go: no files, no I/O.
//
// The articles are sentences of made-up words with a Zipf frequency (as
// natural text has) from a vocabulary of 20,000 words plus English function
// words. Into them [Generate] plants, and records in [Corpus.Copies]:
//
//   - quotes ([annotate.Quote]): statements of 16 to 50 words, each
//     printed by 2 to 5 articles of at least two outlets, always inside
//     quotation marks or as a
//     block quote, with the variations real quoting makes (see [Variant]):
//     curly quotes, U.S./US, "[a]" and "[sic]", ellipses, cuts, a reader's
//     parody, fullwidth letters. Each copy sits in a frame: an introduction
//     ("Word word: “…”"), an attribution formula after it ("…," NAME said;
//     "…," said NAME, a spokesperson for the ORG), or a fixed phrase inside
//     the quotation marks ("…, we're not going to X on this," NAME said).
//     The frames recur across articles with other quotes; they are not part
//     of the quote.
//   - wire copy ([annotate.Reporting]): a few texts of about 250 words in
//     four paragraphs, each copied unquoted into hundreds of articles (a
//     third of a small corpus), whole or cut after a paragraph.
//   - stock phrases ([annotate.Stock]): a dozen formulas of 8 to 14 common
//     words ("NAME did not immediately respond to a request for comment"),
//     each in a third to two thirds of all articles.
//   - furniture ([annotate.Boilerplate]): a line every article of an outlet
//     ends with, and an editor's note the outlet appends to a third of its
//     articles.
//   - repeats ([annotate.Repeat]): one article in twenty repeats one of its
//     own paragraphs further down, as live blogs do.
//
// With [Config.Plain] only the quotes (with introductions, never other
// frames) and the furniture line are planted.
//
// The same Config always gives the same corpus. [Corpus.Score] measures a
// finder's passages against the ground truth.
package synth

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/archive-project/archive/annotate"
)

// Config says what corpus to generate. Zero fields take their defaults.
type Config struct {
	Articles int    // number of articles (default 1000)
	Words    int    // words of running text per article, about (default 800)
	Outlets  int    // number of outlets (default Articles/50, at least 2)
	Seed     uint64 // random seed
	Plain    bool   // only quotes and furniture: no frames, wire copy, stock phrases, notes or repeats
}

// Corpus is a generated corpus and its ground truth.
type Corpus struct {
	Docs   []annotate.Document
	Titles []string // parallel to Docs
	Texts  []Text   // every planted text
	Copies []Copy   // every planted copy, by document, then position
}

// Text is one planted text: what a finder should report as one passage.
type Text struct {
	Kind  annotate.Kind
	Words []string // as first written, punctuation attached
}

// Copy is one planted copy of a text in a document.
type Copy struct {
	Text       int // index into Corpus.Texts
	Doc        int // index into Corpus.Docs
	Variant    Variant
	Start, End int      // byte extent in the document: first to last word present
	Words      [][2]int // byte range of each word of the text; {-1, -1} where left out
	Changed    []bool   // words replaced by others (a parody)
	Quoted     bool     // inside quotation marks or a block quote
}

// Variant is how a copy differs from the text.
type Variant int

const (
	Verbatim   Variant = iota
	Typography         // curly quotes and apostrophes, dashes, NBSP, line breaks
	Spelling           // U.S. for US, changes of case
	Editorial          // "[a]" for "the", "[sic]"
	Ellipsis           // words left out, "…" or "..."
	Cut                // cut short at the start or the end
	Parody             // a few words swapped
	Compat             // NFKC: fullwidth letters, ligatures
	nVariants
)

var variantNames = [...]string{"verbatim", "typography", "spelling", "editorial", "ellipsis", "cut", "parody", "compat"}

func (v Variant) String() string {
	if v >= 0 && int(v) < len(variantNames) {
		return variantNames[v]
	}
	return fmt.Sprintf("variant(%d)", int(v))
}

// FunctionWords are the common English words the generated text draws on
// beside its made-up vocabulary.
var FunctionWords = strings.Fields("the of and to a in that is for it as was with be by on not he I this are or his from at which but have an they you were her she there been one all we their has would when if so no will us more about up out who than into them only some could")

// Generate makes the corpus cfg describes.
func Generate(cfg Config) *Corpus {
	if cfg.Articles <= 0 {
		cfg.Articles = 1000
	}
	if cfg.Words <= 0 {
		cfg.Words = 800
	}
	if cfg.Outlets <= 0 {
		cfg.Outlets = max(2, cfg.Articles/50)
	}
	g := newGen(cfg.Seed)
	return g.corpus(cfg)
}

type gen struct {
	r     *rand.Rand
	z     *rand.Zipf
	vocab []string
	names []string // people
	orgs  []string // organisations, parallel to names
}

func newGen(seed uint64) *gen {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	syl := strings.Fields("ka lo mi ne ru ta vo si pe da fi go hu je ba zo wa xe qu ly tor man sel der pin gar col ven bri sta")
	seen := map[string]bool{}
	vocab := append([]string(nil), FunctionWords...)
	for _, w := range vocab {
		seen[w] = true
	}
	vocab = append(vocab, "US", "world's", "don't", "end-to-end", "it's", "office")
	for len(vocab) < 20000 {
		n := 2 + r.IntN(3)
		var b strings.Builder
		for i := 0; i < n; i++ {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			vocab = append(vocab, w)
		}
	}
	g := &gen{r: r, z: rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1)), vocab: vocab}
	// People and the organisations they speak for: names recur across
	// articles, as spokespeople do.
	for i := 0; i < 300; i++ {
		g.names = append(g.names, capitalize(g.rare())+" "+capitalize(g.rare()))
		g.orgs = append(g.orgs, "Ministry of "+capitalize(g.rare()))
	}
	return g
}

func (g *gen) word() string { return g.vocab[g.z.Uint64()] }

// rare is a word from the long tail of the vocabulary.
func (g *gen) rare() string {
	return g.vocab[len(FunctionWords)+1000+g.r.IntN(len(g.vocab)-len(FunctionWords)-1000)]
}

// common is one of the few hundred commonest words.
func (g *gen) common() string { return g.vocab[g.r.IntN(len(FunctionWords)+300)] }

func capitalize(w string) string {
	if w == "" || w[0] < 'a' || w[0] > 'z' {
		return w
	}
	return string(w[0]-'a'+'A') + w[1:]
}

// sentence writes a sentence of 8 to 24 words and returns its length.
func (g *gen) sentence(b *strings.Builder) int {
	n := 8 + g.r.IntN(17)
	for i := 0; i < n; i++ {
		w := g.word()
		if i == 0 {
			w = capitalize(w)
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(w)
		if i < n-1 && g.r.IntN(9) == 0 {
			b.WriteByte(',')
		}
	}
	b.WriteString(".")
	return n
}

// quote returns the words of a new quote, punctuation attached.
func (g *gen) quote() []string {
	n := 16 + g.r.IntN(35)
	q := make([]string, n)
	for i := range q {
		q[i] = g.word()
		if i > 0 && i < n-1 && g.r.IntN(8) == 0 {
			q[i] += ","
		}
	}
	q[0] = capitalize(q[0])
	if g.r.IntN(3) == 0 {
		q[1+g.r.IntN(n-2)] = "US"
	}
	return q
}

// wire returns a wire text of four paragraphs of two or three sentences;
// the words of each paragraph end with "\n\n" attached to the last word.
func (g *gen) wire() []string {
	var ws []string
	for p := 0; p < 4; p++ {
		for s := 0; s < 2+g.r.IntN(2); s++ {
			var b strings.Builder
			g.sentence(&b)
			ws = append(ws, strings.Fields(b.String())...)
		}
		ws[len(ws)-1] += "\n\n"
	}
	return ws
}

// stockPhrase returns a formula of 8 to 14 common words, ending with a
// full stop.
func (g *gen) stockPhrase() []string {
	n := 8 + g.r.IntN(7)
	ws := make([]string, n)
	for i := range ws {
		ws[i] = g.common()
	}
	ws[0] = capitalize(ws[0])
	ws[n-1] += "."
	return ws
}

var fullwidth = func(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '!' && r <= '~' {
			r += 0xFEE0
		}
		b.WriteRune(r)
	}
	return b.String()
}

// frame is how a quote copy is set in its sentence.
type frame int

const (
	fIntro    frame = iota // Word word: "Q," word word.
	fSaid                  // "Q," NAME said.
	fSaidName              // "Q," said NAME, a spokesperson for the ORG.
	fNotGoing              // "Q, we're not going to X on this," NAME said.
	fBlock                 // Q as a paragraph of its own, marked as a block quote
	nFrames
)

var notGoing = strings.Fields("comment speculate apologise back_down negotiate")

// render writes one copy of quote q, spoken by person, with variation v in
// frame f to b and returns the copy (byte ranges relative to the start of
// b's content) and the block-quoted span, if any.
func (g *gen) render(b *strings.Builder, q []string, v Variant, f frame, person int) (Copy, annotate.Span) {
	n := len(q)
	c := Copy{Variant: v, Words: make([][2]int, n), Changed: make([]bool, n), Quoted: true}
	for i := range c.Words {
		c.Words[i] = [2]int{-1, -1}
	}
	lo, hi := 0, n
	omit0, omit1 := -1, -1
	switch v {
	case Ellipsis:
		if n >= 20 {
			omit0 = 6 + g.r.IntN(n-18)
			omit1 = omit0 + 3 + g.r.IntN(4)
		}
	case Cut:
		if g.r.IntN(2) == 0 {
			lo = 2 + g.r.IntN(3)
		} else {
			hi = n - 2 - g.r.IntN(3)
		}
	case Parody:
		for k := 0; k < max(1, n/12); k++ {
			c.Changed[3+g.r.IntN(n-6)] = true
		}
	}
	editorialThe := v == Editorial
	sic := -1
	if v == Editorial {
		sic = 1 + g.r.IntN(n-2)
	}
	open, close := `"`, `"`
	if v == Typography {
		open, close = "“", "”"
	}
	var block annotate.Span
	switch f {
	case fIntro:
		fmt.Fprintf(b, "%s %s: %s", capitalize(g.word()), g.word(), open)
	case fBlock:
		b.WriteString("\n\n")
		block.Start = b.Len()
	default:
		b.WriteString(open)
	}
	first := true
	for i := lo; i < hi; i++ {
		if i >= omit0 && i < omit1 {
			if i == omit0 {
				if g.r.IntN(2) == 0 {
					b.WriteString(" …")
				} else {
					b.WriteString("...")
				}
			}
			continue
		}
		w, punct := strings.CutSuffix(q[i], ",")
		if c.Changed[i] {
			w = g.vocab[len(FunctionWords)+g.r.IntN(10000)]
		}
		switch v {
		case Typography:
			w = strings.ReplaceAll(w, "'", "’")
			w = strings.ReplaceAll(w, "-", "–")
		case Spelling:
			if w == "US" {
				w = "U.S."
			} else if g.r.IntN(4) == 0 {
				w = strings.ToUpper(w)
			}
		case Editorial:
			if editorialThe && strings.EqualFold(w, "the") {
				w, editorialThe = "[a]", false
			}
		case Compat:
			if g.r.IntN(5) == 0 {
				w = fullwidth(w)
			} else {
				w = strings.ReplaceAll(w, "fi", "ﬁ")
			}
		}
		if !first {
			sep := " "
			if v == Typography && g.r.IntN(4) == 0 {
				sep = []string{"\u00a0", "\n", "  "}[g.r.IntN(3)]
			}
			b.WriteString(sep)
		}
		first = false
		c.Words[i] = [2]int{b.Len(), b.Len() + len(w)}
		b.WriteString(w)
		if punct && i < hi-1 {
			b.WriteByte(',')
		}
		if i == sic {
			b.WriteString(" [sic]")
		}
	}
	name, org := g.names[person], g.orgs[person]
	switch f {
	case fIntro:
		fmt.Fprintf(b, ",%s %s %s.", close, g.word(), g.word())
	case fSaid:
		fmt.Fprintf(b, ",%s %s said.", close, name)
	case fSaidName:
		fmt.Fprintf(b, ",%s said %s, a spokesperson for the %s.", close, name, org)
	case fNotGoing:
		x := strings.ReplaceAll(notGoing[g.r.IntN(len(notGoing))], "_", " ")
		fmt.Fprintf(b, ", we're not going to %s on this,%s %s said.", x, close, name)
	case fBlock:
		b.WriteString(".")
		block.End = b.Len()
		b.WriteString("\n\n")
	}
	c.Start, c.End = extent(c.Words)
	return c, block
}

// extent is the byte range from the first to the last word present.
func extent(ws [][2]int) (int, int) {
	s, e := -1, -1
	for _, w := range ws {
		if w[0] < 0 {
			continue
		}
		if s < 0 {
			s = w[0]
		}
		e = w[1]
	}
	return s, e
}

// writeWords writes words separated by spaces (a word ending in "\n\n"
// ends a paragraph) and returns each word's byte range.
func writeWords(b *strings.Builder, ws []string) [][2]int {
	out := make([][2]int, len(ws))
	for i, w := range ws {
		w, para := strings.CutSuffix(w, "\n\n")
		if i > 0 && !strings.HasSuffix(ws[i-1], "\n\n") {
			b.WriteByte(' ')
		}
		start := b.Len()
		b.WriteString(w)
		out[i] = [2]int{start, start + len(strings.TrimRight(w, ".,"))}
		if para && i < len(ws)-1 {
			b.WriteString("\n\n")
		}
	}
	return out
}

// slot is a text to plant in an article, and how.
type slot struct {
	text   int
	v      Variant
	f      frame
	person int
	upTo   int // wire copy: words up to here (a cut after a paragraph)
}

func (g *gen) corpus(cfg Config) *Corpus {
	n := cfg.Articles
	c := &Corpus{}
	slots := make([][]slot, n)
	newText := func(k annotate.Kind, ws []string) int {
		c.Texts = append(c.Texts, Text{Kind: k, Words: ws})
		return len(c.Texts) - 1
	}
	// pick chooses copies articles, of at least two outlets: what one
	// outlet prints in several of its articles is its own furniture.
	pick := func(copies int) []int {
		var docs []int
		for len(docs) < min(copies, n) {
			d := g.r.IntN(n)
			if slices.Contains(docs, d) {
				continue
			}
			if len(docs) == copies-1 && cfg.Outlets > 1 && !slices.ContainsFunc(docs, func(x int) bool { return x%cfg.Outlets != d%cfg.Outlets }) {
				continue
			}
			docs = append(docs, d)
		}
		return docs
	}
	// Quotes: about one for every three articles, in 2 to 5 of them.
	if n >= 2 {
		for qi := 0; qi < max(1, n/3); qi++ {
			t := newText(annotate.Quote, g.quote())
			person := g.r.IntN(len(g.names))
			for k, d := range pick(2 + g.r.IntN(4)) {
				v := Variant(g.r.IntN(int(nVariants)))
				if k == 0 {
					v = Verbatim // one faithful copy keeps every quote findable
				}
				f := fIntro
				if !cfg.Plain {
					f = frame(g.r.IntN(int(nFrames)))
				}
				slots[d] = append(slots[d], slot{text: t, v: v, f: f, person: person})
			}
		}
	}
	var stock []int
	if !cfg.Plain && n >= 2 {
		// Wire copy: one text for every 2,000 articles, in 200 to 400
		// articles each (at most a third of the corpus).
		for wi := 0; wi < 1+n/2000; wi++ {
			ws := g.wire()
			t := newText(annotate.Reporting, ws)
			paras := paragraphEnds(ws)
			for _, d := range pick(max(2, min(n/3, 200+g.r.IntN(201)))) {
				upTo := len(ws)
				if g.r.IntN(3) == 0 {
					upTo = paras[1+g.r.IntN(len(paras)-1)]
				}
				slots[d] = append(slots[d], slot{text: t, upTo: upTo})
			}
		}
		for si := 0; si < 12; si++ {
			stock = append(stock, newText(annotate.Stock, g.stockPhrase()))
		}
	}
	// Furniture: a line at the end of every article of an outlet, and an
	// editor's note appended to a third of them.
	furniture := make([]int, cfg.Outlets)
	notes := make([]int, cfg.Outlets)
	for s := range furniture {
		f := make([]string, 12+g.r.IntN(5))
		for i := range f {
			f[i] = g.word()
		}
		f[0] = capitalize(f[0])
		f[len(f)-1] += "."
		furniture[s] = newText(annotate.Boilerplate, f)
		if !cfg.Plain {
			nt := append(strings.Fields("Editor's note: this article was updated"), g.rare(), g.rare())
			for i := 0; i < 8; i++ {
				nt = append(nt, g.word())
			}
			nt[len(nt)-1] += "."
			notes[s] = newText(annotate.Boilerplate, nt)
		}
	}
	base := time.Date(2019, 11, 1, 0, 0, 0, 0, time.UTC)
	c.Docs = make([]annotate.Document, 0, n)
	for d := 0; d < n; d++ {
		src := d % cfg.Outlets
		var b strings.Builder
		b.Grow(cfg.Words * 8)
		var quoted []annotate.Span
		var paras [][2]int // byte ranges of the article's paragraphs with nothing planted
		// Each stock phrase the article uses follows one of its sentences,
		// chosen at random: formulas are scattered, not lined up.
		stockAt := map[int][]int{} // sentence number -> stock phrases after it
		if !cfg.Plain {
			sentences := max(1, cfg.Words/16)
			for _, t := range stock {
				if g.r.IntN(3) != 0 {
					at := g.r.IntN(sentences)
					for len(stockAt[at]) > 0 && len(stockAt) < sentences {
						at = g.r.IntN(sentences)
					}
					stockAt[at] = append(stockAt[at], t)
				}
			}
		}
		sentence := 0
		repeat := !cfg.Plain && g.r.IntN(20) == 0
		plant := func(sl slot) {
			t := c.Texts[sl.text]
			switch t.Kind {
			case annotate.Quote:
				cp, block := g.render(&b, t.Words, sl.v, sl.f, sl.person)
				cp.Text, cp.Doc = sl.text, d
				c.Copies = append(c.Copies, cp)
				if block.End > block.Start {
					quoted = append(quoted, block)
				}
			case annotate.Reporting:
				b.WriteString("\n\n")
				ws := writeWords(&b, t.Words[:sl.upTo])
				b.WriteString("\n\n")
				cp := Copy{Text: sl.text, Doc: d, Words: fill(ws, len(t.Words)), Changed: make([]bool, len(t.Words))}
				cp.Start, cp.End = extent(cp.Words)
				if sl.upTo < len(t.Words) {
					cp.Variant = Cut
				}
				c.Copies = append(c.Copies, cp)
			}
		}
		count, para := 0, 0
		for count < cfg.Words {
			start, plain := b.Len(), true
			for s := 0; s < 3+g.r.IntN(4) && count < cfg.Words; s++ {
				if s > 0 {
					b.WriteByte(' ')
				}
				count += g.sentence(&b)
				for _, t := range stockAt[sentence] {
					b.WriteByte(' ')
					c.addCopy(t, d, writeWords(&b, c.Texts[t].Words), false)
					plain = false
				}
				delete(stockAt, sentence)
				sentence++
				if len(slots[d]) > 0 && g.r.IntN(4) == 0 {
					sl := slots[d][0]
					slots[d] = slots[d][1:]
					b.WriteByte(' ')
					plant(sl)
					count += len(c.Texts[sl.text].Words)
					plain = false
				}
			}
			if plain {
				paras = append(paras, [2]int{start, b.Len()})
			}
			b.WriteString("\n\n")
			para++
			if repeat && para >= 6 && len(paras) >= 2 {
				// A live blog repeats one of its earlier paragraphs.
				p := paras[g.r.IntN(len(paras)-1)]
				text := b.String()[p[0]:p[1]]
				t := newText(annotate.Repeat, strings.Fields(text))
				c.addCopy(t, d, wordsAt(text, p[0]), false)
				c.addCopy(t, d, writeWords(&b, strings.Fields(text)), false)
				b.WriteString("\n\n")
				repeat = false
			}
		}
		for _, sl := range slots[d] { // texts that did not fit yet
			b.WriteString("\n\n")
			plant(sl)
		}
		for at := range sentence + max(1, cfg.Words/16) { // phrases after sentences the article did not reach
			for _, t := range stockAt[at] {
				b.WriteByte(' ')
				g.sentence(&b)
				b.WriteByte(' ')
				c.addCopy(t, d, writeWords(&b, c.Texts[t].Words), false)
			}
		}
		b.WriteString("\n\n")
		if !cfg.Plain && g.r.IntN(3) == 0 {
			c.addCopy(notes[src], d, writeWords(&b, c.Texts[notes[src]].Words), false)
			b.WriteString("\n\n")
		}
		c.addCopy(furniture[src], d, writeWords(&b, c.Texts[furniture[src]].Words), false)
		b.WriteString("\n")
		c.Docs = append(c.Docs, annotate.Document{
			ID:     fmt.Sprintf("doc%06d", d),
			Text:   b.String(),
			Date:   base.Add(time.Duration(g.r.IntN(30*24)) * time.Hour),
			Source: fmt.Sprintf("outlet%03d", src),
			Quoted: quoted,
		})
		c.Titles = append(c.Titles, capitalize(g.word())+" "+g.word()+" "+g.word())
	}
	return c
}

func (c *Corpus) addCopy(t, d int, ws [][2]int, quoted bool) {
	cp := Copy{Text: t, Doc: d, Words: fill(ws, len(c.Texts[t].Words)), Changed: make([]bool, len(c.Texts[t].Words)), Quoted: quoted}
	cp.Start, cp.End = extent(cp.Words)
	c.Copies = append(c.Copies, cp)
}

// fill pads ws with {-1, -1} to n words.
func fill(ws [][2]int, n int) [][2]int {
	for len(ws) < n {
		ws = append(ws, [2]int{-1, -1})
	}
	return ws
}

// wordsAt returns the byte ranges of the space-separated words of text,
// which starts at byte off of its document, without trailing punctuation.
func wordsAt(text string, off int) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); {
		for i < len(text) && text[i] == ' ' {
			i++
		}
		j := i
		for j < len(text) && text[j] != ' ' {
			j++
		}
		if j > i {
			w := strings.TrimRight(text[i:j], ".,")
			out = append(out, [2]int{off + i, off + i + len(w)})
		}
		i = j
	}
	return out
}

// paragraphEnds returns, for each paragraph of a wire text, the number of
// words up to its end.
func paragraphEnds(ws []string) []int {
	var out []int
	for i, w := range ws {
		if strings.HasSuffix(w, "\n\n") {
			out = append(out, i+1)
		}
	}
	return out
}
