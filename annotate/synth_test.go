package annotate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// A synthetic corpus with known ground truth: articles of Zipf-distributed
// made-up words, site furniture per outlet, and quotes planted in several
// articles each with the variations that real quoting makes.

type variant int

const (
	vVerbatim   variant = iota
	vTypography         // curly quotes and apostrophes, dashes, NBSP, line break
	vSpelling           // U.S. for US, changes of case
	vEditorial          // [a] for "the", [sic]
	vEllipsis           // words left out, "…" or "..."
	vCut                // cut short at the start or the end
	vParody             // a few words swapped
	vCompat             // NFKC: fullwidth letters, ligatures
	nVariants
)

var variantNames = [...]string{"verbatim", "typography", "spelling", "editorial", "ellipsis", "cut", "parody", "compat"}

// plant is one planted copy of a quote (or of furniture).
type plant struct {
	quote   int // index into corpus.quotes; -1-source for furniture
	doc     int
	v       variant
	words   [][2]int // byte range in the document of each quote word; {-1,-1} when left out
	lo, hi  int      // quote words present: [lo, hi)
	changed []bool   // words replaced (parody)
}

type synthCorpus struct {
	docs   []Document
	quotes [][]string
	plants []plant
}

type gen struct {
	r     *rand.Rand
	z     *rand.Zipf
	vocab []string
}

var functionWords = strings.Fields("the of and to a in that is for it as was with be by on not he I this are or his from at which but have an they you were her she there been one all we their has would when if so no will us more about up out who than into them only some could")

func newGen(seed uint64) *gen {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	syl := strings.Fields("ka lo mi ne ru ta vo si pe da fi go hu je ba zo wa xe qu ly tor man sel der pin gar col ven bri sta")
	seen := map[string]bool{}
	vocab := append([]string(nil), functionWords...)
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
	return &gen{r: r, z: rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1)), vocab: vocab}
}

func (g *gen) word() string { return g.vocab[g.z.Uint64()] }

func capitalize(w string) string {
	if w == "" || w[0] < 'a' || w[0] > 'z' {
		return w
	}
	return string(w[0]-'a'+'A') + w[1:]
}

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

// render writes one copy of quote q with variation v to b and returns the
// plant (byte ranges relative to b's start).
func (g *gen) render(b *strings.Builder, q []string, v variant) plant {
	n := len(q)
	p := plant{v: v, words: make([][2]int, n), lo: 0, hi: n, changed: make([]bool, n)}
	for i := range p.words {
		p.words[i] = [2]int{-1, -1}
	}
	omit0, omit1 := -1, -1
	switch v {
	case vEllipsis:
		if n >= 20 {
			omit0 = 6 + g.r.IntN(n-18)
			omit1 = omit0 + 3 + g.r.IntN(4)
		}
	case vCut:
		if g.r.IntN(2) == 0 {
			p.lo = 2 + g.r.IntN(3)
		} else {
			p.hi = n - 2 - g.r.IntN(3)
		}
	case vParody:
		for k := 0; k < max(1, n/12); k++ {
			i := 3 + g.r.IntN(n-6)
			p.changed[i] = true
		}
	}
	editorialThe := v == vEditorial
	sic := -1
	if v == vEditorial {
		sic = 1 + g.r.IntN(n-2)
	}
	runIn := g.r.IntN(3) == 0
	open, close := `"`, `"`
	if v == vTypography {
		open, close = "“", "”"
	}
	if !runIn {
		fmt.Fprintf(b, "%s %s: %s", capitalize(g.word()), g.word(), open)
	}
	first := true
	for i := p.lo; i < p.hi; i++ {
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
		if p.changed[i] {
			w = g.vocab[len(functionWords)+g.r.IntN(10000)]
		}
		switch v {
		case vTypography:
			w = strings.ReplaceAll(w, "'", "’")
			w = strings.ReplaceAll(w, "-", "–")
		case vSpelling:
			if w == "US" {
				w = "U.S."
			} else if g.r.IntN(4) == 0 {
				w = strings.ToUpper(w)
			}
		case vEditorial:
			if editorialThe && strings.EqualFold(w, "the") {
				w, editorialThe = "[a]", false
			}
		case vCompat:
			if g.r.IntN(5) == 0 {
				w = fullwidth(w)
			} else {
				w = strings.ReplaceAll(w, "fi", "ﬁ")
			}
		}
		if !first {
			sep := " "
			if v == vTypography && g.r.IntN(4) == 0 {
				sep = []string{"\u00a0", "\n", "  "}[g.r.IntN(3)]
			}
			b.WriteString(sep)
		}
		first = false
		p.words[i] = [2]int{b.Len(), b.Len() + len(w)}
		b.WriteString(w)
		if punct && i < p.hi-1 {
			b.WriteByte(',')
		}
		if i == sic {
			b.WriteString(" [sic]")
		}
	}
	if runIn {
		b.WriteString(". ")
		g.sentence(b)
	} else {
		fmt.Fprintf(b, ",%s %s %s.", close, g.word(), g.word())
	}
	return p
}

// genCorpus makes n articles of about words words each, from nSources
// outlets, with about one planted quote per three articles.
func genCorpus(n, words int, seed uint64) *synthCorpus {
	g := newGen(seed)
	c := &synthCorpus{}
	nSources := max(2, n/50)
	furniture := make([][]string, nSources)
	for s := range furniture {
		f := make([]string, 12+g.r.IntN(5))
		for i := range f {
			f[i] = g.word()
		}
		f[0] = capitalize(f[0])
		furniture[s] = f
	}
	// Which quotes go into which article, and how.
	type slot struct {
		quote int
		v     variant
	}
	slots := make([][]slot, n)
	if n >= 2 {
		for qi := 0; qi < max(1, n/3); qi++ {
			c.quotes = append(c.quotes, g.quote())
			copies := 2 + g.r.IntN(4)
			var docs []int
			if n <= 1000 {
				docs = g.r.Perm(n)[:min(copies, n)]
			} else {
				for len(docs) < copies {
					d := g.r.IntN(n)
					if !slices.Contains(docs, d) {
						docs = append(docs, d)
					}
				}
			}
			for k, d := range docs {
				v := variant(g.r.IntN(int(nVariants)))
				if k == 0 {
					v = vVerbatim // one faithful copy keeps every quote findable
				}
				slots[d] = append(slots[d], slot{qi, v})
			}
		}
	}
	base := time.Date(2019, 11, 1, 0, 0, 0, 0, time.UTC)
	for d := 0; d < n; d++ {
		var b strings.Builder
		b.Grow(words * 7)
		src := d % nSources
		count := 0
		for count < words {
			for s := 0; s < 3+g.r.IntN(4) && count < words; s++ {
				if s > 0 {
					b.WriteByte(' ')
				}
				count += g.sentence(&b)
				if len(slots[d]) > 0 && g.r.IntN(4) == 0 {
					sl := slots[d][0]
					slots[d] = slots[d][1:]
					b.WriteByte(' ')
					p := g.render(&b, c.quotes[sl.quote], sl.v)
					p.quote, p.doc = sl.quote, d
					c.plants = append(c.plants, p)
					count += len(c.quotes[sl.quote])
				}
			}
			b.WriteString("\n\n")
		}
		for _, sl := range slots[d] { // quotes that did not fit yet
			b.WriteString("\n\n")
			p := g.render(&b, c.quotes[sl.quote], sl.v)
			p.quote, p.doc = sl.quote, d
			c.plants = append(c.plants, p)
		}
		b.WriteString("\n\n")
		fp := plant{quote: -1 - src, doc: d, words: make([][2]int, len(furniture[src])), hi: len(furniture[src])}
		for i, w := range furniture[src] {
			if i > 0 {
				b.WriteByte(' ')
			}
			fp.words[i] = [2]int{b.Len(), b.Len() + len(w)}
			b.WriteString(w)
		}
		b.WriteString(".\n")
		c.plants = append(c.plants, fp)
		c.docs = append(c.docs, Document{
			ID:     fmt.Sprintf("doc%06d", d),
			Text:   b.String(),
			Date:   base.Add(time.Duration(g.r.IntN(30*24)) * time.Hour),
			Source: fmt.Sprintf("outlet%03d", src),
		})
	}
	return c
}

// pan holds the PAN text-alignment measures (Potthast et al., 2010) at
// character level.
type pan struct {
	precision, recall, granularity float64
	cases, detections              int
}

func (p pan) plagdet() float64 {
	if p.precision+p.recall == 0 {
		return 0
	}
	f := 2 * p.precision * p.recall / (p.precision + p.recall)
	return f / math.Log2(1+p.granularity)
}

// pairCase is a pair of ranges in two documents that are (or are claimed
// to be) the same text.
type pairCase struct {
	a, b   int
	ra, rb [2]int
	label  string // for ground truth: the variations of the two copies
}

// truth returns the ground-truth cases: for every two copies of a quote
// (or of one outlet's furniture), the words both copies contain, from the
// first to the last, in each document.
func (c *synthCorpus) truth() []pairCase {
	byQuote := map[int][]plant{}
	for _, p := range c.plants {
		byQuote[p.quote] = append(byQuote[p.quote], p)
	}
	keys := make([]int, 0, len(byQuote))
	for k := range byQuote {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []pairCase
	for _, k := range keys {
		ps := byQuote[k]
		for i := range ps {
			for j := i + 1; j < len(ps); j++ {
				x, y := ps[i], ps[j]
				lo, hi := max(x.lo, y.lo), min(x.hi, y.hi)
				rx, okx := extent(x, lo, hi)
				ry, oky := extent(y, lo, hi)
				if !okx || !oky {
					continue
				}
				if x.doc > y.doc {
					x, y, rx, ry = y, x, ry, rx
				}
				label := "furniture"
				if k >= 0 {
					label = variantNames[max(x.v, y.v)]
				}
				out = append(out, pairCase{x.doc, y.doc, rx, ry, label})
			}
		}
	}
	return out
}

func extent(p plant, lo, hi int) ([2]int, bool) {
	s, e := -1, -1
	for i := lo; i < hi; i++ {
		if p.words[i][0] < 0 {
			continue
		}
		if s < 0 {
			s = p.words[i][0]
		}
		e = p.words[i][1]
	}
	return [2]int{s, e}, s >= 0
}

// detections returns every pair of occurrences of every passage.
func detections(docs []Document, ps []Passage) []pairCase {
	idx := map[string]int{}
	for i, d := range docs {
		idx[d.ID] = i
	}
	var out []pairCase
	for _, p := range ps {
		for i, x := range p.Occurrences {
			for _, y := range p.Occurrences[i+1:] {
				a, b := idx[x.Doc], idx[y.Doc]
				ra, rb := [2]int{x.Start, x.End}, [2]int{y.Start, y.End}
				if a > b || (a == b && ra[0] > rb[0]) {
					a, b, ra, rb = b, a, rb, ra
				}
				out = append(out, pairCase{a, b, ra, rb, ""})
			}
		}
	}
	return out
}

func overlap(x, y [2]int) [2]int { return [2]int{max(x[0], y[0]), min(x[1], y[1])} }

func (s pairCase) detectedBy(r pairCase) bool {
	oa, ob := overlap(s.ra, r.ra), overlap(s.rb, r.rb)
	return s.a == r.a && s.b == r.b && oa[0] < oa[1] && ob[0] < ob[1]
}

// covered counts the characters of r in doc that the ranges cover.
func covered(text string, r [2]int, by [][2]int) int {
	slices.SortFunc(by, func(x, y [2]int) int { return x[0] - y[0] })
	n, end := 0, r[0]
	for _, b := range by {
		o := overlap(r, b)
		o[0] = max(o[0], end)
		if o[0] < o[1] {
			n += utf8.RuneCountInString(text[o[0]:o[1]])
			end = o[1]
		}
	}
	return n
}

func chars(text string, r [2]int) int { return utf8.RuneCountInString(text[r[0]:r[1]]) }

// measure computes the PAN measures of detections R against cases S.
func measure(docs []Document, S, R []pairCase) pan {
	type key struct{ a, b int }
	sBy, rBy := map[key][]int{}, map[key][]int{}
	for i, s := range S {
		sBy[key{s.a, s.b}] = append(sBy[key{s.a, s.b}], i)
	}
	for i, r := range R {
		rBy[key{r.a, r.b}] = append(rBy[key{r.a, r.b}], i)
	}
	res := pan{cases: len(S), detections: len(R)}
	detected, gran := 0, 0
	for _, s := range S {
		var ca, cb [][2]int
		n := 0
		for _, ri := range rBy[key{s.a, s.b}] {
			if r := R[ri]; s.detectedBy(r) {
				ca, cb = append(ca, r.ra), append(cb, r.rb)
				n++
			}
		}
		if n > 0 {
			detected++
			gran += n
		}
		ta, tb := docs[s.a].Text, docs[s.b].Text
		res.recall += float64(covered(ta, s.ra, ca)+covered(tb, s.rb, cb)) / float64(chars(ta, s.ra)+chars(tb, s.rb))
	}
	for _, r := range R {
		var ca, cb [][2]int
		for _, si := range sBy[key{r.a, r.b}] {
			if s := S[si]; s.detectedBy(r) {
				ca, cb = append(ca, s.ra), append(cb, s.rb)
			}
		}
		ta, tb := docs[r.a].Text, docs[r.b].Text
		res.precision += float64(covered(ta, r.ra, ca)+covered(tb, r.rb, cb)) / float64(chars(ta, r.ra)+chars(tb, r.rb))
	}
	if len(S) > 0 {
		res.recall /= float64(len(S))
	}
	if len(R) > 0 {
		res.precision /= float64(len(R))
	}
	res.granularity = 1
	if detected > 0 {
		res.granularity = float64(gran) / float64(detected)
	}
	return res
}
