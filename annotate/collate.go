package annotate

import (
	"cmp"
	"slices"
	"strings"
)

// ctok is a token for collation: its original text, its normalised form
// and its kind.
type ctok struct {
	text, norm string
	kind       tokKind
}

func (t ctok) weight() float64 {
	switch t.kind {
	case tWord, tWild:
		return 1
	case tPunct:
		return punctWeight
	}
	return 0
}

// punctWeight is what a punctuation mark counts for, against 1 for a word.
const punctWeight = 0.25

// collator collates the occurrences of a passage. Not safe for concurrent use.
type collator struct {
	sc    *scanner
	arena []ctok
	dirs  []uint8
	cost  []int32
}

func newCollator() *collator { return &collator{sc: newScanner(true, true)} }

// tokens appends the collation tokens of text to out.
func (c *collator) tokens(text string, out []ctok) []ctok {
	c.sc.scan(text, func(t tok) {
		out = append(out, ctok{text: text[t.start:t.end], norm: t.norm, kind: t.kind})
	})
	return out
}

// wordsKey hashes the normalised words (FNV-1a 64), to tell wordings apart.
func wordsKey(ts []ctok) uint64 {
	h := uint64(14695981039346656037)
	for _, t := range ts {
		if t.kind != tWord && t.kind != tWild {
			continue
		}
		for i := 0; i < len(t.norm); i++ {
			h = (h ^ uint64(t.norm[i])) * 1099511628211
		}
		h = (h ^ ' ') * 1099511628211
	}
	return h
}

func wordsOf(ts []ctok) []string {
	var w []string
	for _, t := range ts {
		if t.kind == tWord || t.kind == tWild {
			w = append(w, t.norm)
		}
	}
	return w
}

// passage chooses the canonical text, collates every occurrence against
// it and orders the occurrences. docOf gives the document of an
// occurrence, and rank where that document comes in the order of
// (undated last, date, ID): see dateRanks.
func (c *collator) passage(occ []Occurrence, docOf func(int) Document, rank func(int) int32) Passage {
	// Occurrences with the same text (site furniture, a quote copied
	// exactly) are tokenised and collated once.
	// Tokens live in the collator's arena until the next passage.
	toks := make([][]ctok, len(occ))
	span := make([][2]int, len(occ))
	keys := make([]uint64, len(occ)) // hash of the normalised words
	attested := map[uint64]int{}
	firstWith := map[string]int{}
	first := make([]int, len(occ)) // the first occurrence with the same text
	c.arena = c.arena[:0]
	for i := range occ {
		if j, ok := firstWith[occ[i].Text]; ok {
			span[i], keys[i], first[i] = span[j], keys[j], j
		} else {
			firstWith[occ[i].Text], first[i] = i, i
			from := len(c.arena)
			c.arena = c.tokens(occ[i].Text, c.arena)
			span[i] = [2]int{from, len(c.arena)}
			keys[i] = wordsKey(c.arena[from:])
		}
		attested[keys[i]]++
	}
	for i := range occ {
		toks[i] = c.arena[span[i][0]:span[i][1]:span[i][1]]
	}
	type ref struct {
		i    int
		rank int32 // of the document (see dateRanks)
	}
	refs := make([]ref, len(occ))
	for i := range occ {
		refs[i] = ref{i, rank(i)}
	}
	// By document date (undated last), then ID, then offset.
	byDate := func(x, y ref) int {
		if c := cmp.Compare(x.rank, y.rank); c != 0 {
			return c
		}
		return cmp.Compare(occ[x.i].Start, occ[y.i].Start)
	}
	// Canonical: a wording without editorial marks (ellipses, brackets)
	// before one with them, then the most attested wording, then the
	// fullest (most words), then the earliest.
	full := make([]int, len(occ))
	edited := make([]bool, len(occ))
	for i := range occ {
		for _, t := range toks[i] {
			switch {
			case t.kind == tWord:
				full[i]++
			case t.kind == tWild || t.kind == tIgnore || t.norm == "...":
				edited[i] = true
			}
		}
	}
	canon := slices.MinFunc(refs, func(x, y ref) int {
		if edited[x.i] != edited[y.i] {
			if edited[x.i] {
				return 1
			}
			return -1
		}
		if c := cmp.Compare(attested[keys[y.i]], attested[keys[x.i]]); c != 0 {
			return c
		}
		if c := cmp.Compare(full[y.i], full[x.i]); c != 0 {
			return c
		}
		return byDate(x, y)
	}).i
	ct := toks[canon]
	for i := range occ {
		if j := first[i]; j != i {
			occ[i].Alignment, occ[i].Similarity = occ[j].Alignment, occ[j].Similarity
			continue
		}
		if first[i] == first[canon] {
			occ[i].Alignment, occ[i].Similarity = identity(ct), 1
			continue
		}
		occ[i].Alignment = c.align(ct, toks[i])
		occ[i].Similarity = similarity(occ[i].Alignment)
	}
	slices.SortFunc(refs, byDate)
	sorted := make([]Occurrence, len(occ))
	for i, r := range refs {
		sorted[i] = occ[r.i]
	}
	earliest := -1
	if !docOf(refs[0].i).Date.IsZero() {
		earliest = 0
	}
	return Passage{
		ID:          passageID(wordsOf(ct)),
		Canonical:   occ[canon].Text,
		Occurrences: sorted,
		Earliest:    earliest,
	}
}

func identity(ts []ctok) []Op {
	ops := make([]Op, 0, len(ts))
	for _, t := range ts {
		ops = append(ops, Op{Kind: Same, Canonical: t.text, Witness: t.text, Punct: t.kind == tPunct || t.kind == tIgnore})
	}
	return ops
}

// Costs of the collation, in quarters of a word.
const (
	costWord  = 4
	costPunct = 1
	costWild  = 1
	costNever = 1 << 20
)

func indelCost(t ctok) int32 {
	switch t.kind {
	case tWord, tWild:
		return costWord
	case tPunct:
		return costPunct
	}
	return 0
}

func substCost(x, y ctok) int32 {
	wx, wy := x.kind == tWord || x.kind == tWild, y.kind == tWord || y.kind == tWild
	switch {
	case x.kind == tIgnore || y.kind == tIgnore:
		return costNever
	case wx != wy:
		return costNever
	case x.norm == y.norm:
		return 0
	case x.kind == tWild || y.kind == tWild:
		return costWild
	case wx:
		return costWord
	}
	return costPunct
}

// maxCells bounds the dynamic-programming table of one collation; longer
// passages are collated in pieces.
const maxCells = 1 << 22

// align collates witness w against canonical a, word by word, in the
// manner of an edit distance where punctuation costs a quarter of a word.
func (c *collator) align(a, w []ctok) []Op {
	// Common prefix and suffix need no table.
	p := 0
	for p < len(a) && p < len(w) && substCost(a[p], w[p]) == 0 {
		p++
	}
	s := 0
	for s < len(a)-p && s < len(w)-p && substCost(a[len(a)-1-s], w[len(w)-1-s]) == 0 {
		s++
	}
	ops := make([]Op, 0, max(len(a), len(w)))
	for i := 0; i < p; i++ {
		ops = append(ops, sameOp(a[i], w[i]))
	}
	ma, mw := a[p:len(a)-s], w[p:len(w)-s]
	// A witness that quotes a short part of a long canonical text (or the
	// reverse) is aligned within the stretch where it lies, the rest of
	// the longer side omitted (or inserted) around it.
	if len(ma)*len(mw) > 4096 && (2*len(mw) < len(ma) || 2*len(ma) < len(mw)) {
		if a0, a1, w0, w1, ok := locate(ma, mw); ok {
			for _, t := range ma[:a0] {
				ops = append(ops, Op{Kind: Omit, Canonical: t.text, Punct: t.kind != tWord && t.kind != tWild})
			}
			for _, t := range mw[:w0] {
				ops = append(ops, Op{Kind: Insert, Witness: t.text, Punct: t.kind != tWord && t.kind != tWild})
			}
			ops = c.alignMiddle(ma[a0:a1], mw[w0:w1], ops)
			for _, t := range ma[a1:] {
				ops = append(ops, Op{Kind: Omit, Canonical: t.text, Punct: t.kind != tWord && t.kind != tWild})
			}
			for _, t := range mw[w1:] {
				ops = append(ops, Op{Kind: Insert, Witness: t.text, Punct: t.kind != tWord && t.kind != tWild})
			}
			for i := 0; i < s; i++ {
				ops = append(ops, sameOp(a[len(a)-s+i], w[len(w)-s+i]))
			}
			return ops
		}
	}
	ops = c.alignMiddle(ma, mw, ops)
	for i := 0; i < s; i++ {
		ops = append(ops, sameOp(a[len(a)-s+i], w[len(w)-s+i]))
	}
	return ops
}

// locate finds where the shorter of a and w lies in the longer: the first
// and the last run of three tokens of the shorter that occur in the longer,
// widened by bandSlack tokens; it returns the stretches [a0, a1) and
// [w0, w1) to align (one of them whole).
func locate(a, w []ctok) (a0, a1, w0, w1 int, ok bool) {
	long, short := a, w
	swapped := false
	if len(w) > len(a) {
		long, short, swapped = w, a, true
	}
	key := func(ts []ctok, i int) string { return ts[i].norm + "\x00" + ts[i+1].norm + "\x00" + ts[i+2].norm }
	at := map[string]int{}
	for i := 0; i+3 <= len(long); i++ {
		if _, dup := at[key(long, i)]; !dup {
			at[key(long, i)] = i
		}
	}
	first, last := -1, -1
	for j := 0; j+3 <= len(short); j++ {
		if i, hit := at[key(short, j)]; hit {
			first = i - j
			break
		}
	}
	for j := len(short) - 3; j >= 0; j-- {
		if i, hit := at[key(short, j)]; hit {
			last = i + (len(short) - j)
			break
		}
	}
	if first < -len(short) || last < 0 {
		return 0, 0, 0, 0, false
	}
	l0, l1 := max(0, first-bandSlack), min(len(long), max(last, first+len(short))+bandSlack)
	if l0 >= l1 {
		return 0, 0, 0, 0, false
	}
	if swapped {
		return 0, len(a), l0, l1, true
	}
	return l0, l1, 0, len(w), true
}

// alignMiddle aligns what is left between the common prefix and suffix.
func (c *collator) alignMiddle(ma, mw []ctok, ops []Op) []Op {
	if band := bandFor(len(ma), len(mw)); band > 0 {
		ops = c.banded(ma, mw, band, ops)
	} else if (len(ma)+1)*(len(mw)+1) <= maxCells {
		ops = c.dp(ma, mw, ops)
	} else {
		// Too long for one table: cut both sides into proportional pieces.
		pieces := (len(ma)*len(mw))/maxCells + 1
		for i := 0; i < pieces; i++ {
			a0, a1 := len(ma)*i/pieces, len(ma)*(i+1)/pieces
			w0, w1 := len(mw)*i/pieces, len(mw)*(i+1)/pieces
			ops = c.dp(ma[a0:a1], mw[w0:w1], ops)
		}
	}
	return ops
}

func sameOp(x, y ctok) Op {
	return Op{Kind: Same, Canonical: x.text, Witness: y.text, Punct: x.kind == tPunct}
}

// traceOp is the step of a collation's trace back from cell (i, j) in
// direction dir, which it moves i and j past.
func traceOp(dir uint8, a, w []ctok, i, j *int) Op {
	switch dir {
	case dDiag:
		x, y := a[*i-1], w[*j-1]
		*i, *j = *i-1, *j-1
		op := Op{Kind: Subst, Canonical: x.text, Witness: y.text, Punct: x.kind == tPunct}
		if x.norm == y.norm {
			op.Kind = Same
		}
		return op
	case dUp:
		*i--
		t := a[*i]
		return Op{Kind: Omit, Canonical: t.text, Punct: t.kind != tWord && t.kind != tWild}
	}
	*j--
	t := w[*j]
	return Op{Kind: Insert, Witness: t.text, Punct: t.kind != tWord && t.kind != tWild}
}

// bandFor returns the half-width of the diagonal band within which two
// long token sequences of n and m tokens are aligned, or 0 for a full
// table: the band follows the diagonal from corner to corner, wide enough
// for the difference in length and bandSlack tokens either side, so that
// a long quote with a few changed words costs O(n·band), not O(n·m).
func bandFor(n, m int) int {
	w := abs(n-m) + bandSlack
	if (n+1)*(m+1) <= 2*(n+1)*(2*w+1) {
		return 0 // the full table is not much bigger
	}
	return w
}

const bandSlack = 32

// banded is dp restricted to the cells within band of the diagonal from
// (0, 0) to (n, m); cells outside it cost as if unreachable.
func (c *collator) banded(a, w []ctok, band int, ops []Op) []Op {
	n, m := len(a), len(w)
	width := 2*band + 1
	// Row i holds columns lo(i) .. lo(i)+width-1.
	lo := func(i int) int { return i*m/max(n, 1) - band }
	const inf = int32(1 << 30)
	c.dirs = slices.Grow(c.dirs[:0], (n+1)*width)[:(n+1)*width]
	c.cost = slices.Grow(c.cost[:0], 2*width)[:2*width]
	prev, cur := c.cost[:width], c.cost[width:]
	at := func(row []int32, i, j int) int32 {
		k := j - lo(i)
		if k < 0 || k >= width || j < 0 || j > m {
			return inf
		}
		return row[k]
	}
	for k := range prev {
		prev[k] = inf
	}
	for k := 0; k < width; k++ {
		j := lo(0) + k
		if j < 0 || j > m {
			continue
		}
		if j == 0 {
			prev[k] = 0
		} else if v := at(prev, 0, j-1); v < inf {
			prev[k] = v + indelCost(w[j-1])
			c.dirs[k] = dLeft
		}
	}
	for i := 1; i <= n; i++ {
		base := lo(i)
		for k := 0; k < width; k++ {
			j := base + k
			cur[k] = inf
			if j < 0 || j > m {
				continue
			}
			best, dir := inf, dUp
			if v := at(prev, i-1, j); v < inf {
				best, dir = v+indelCost(a[i-1]), dUp
			}
			if j > 0 {
				if v := at(prev, i-1, j-1); v < inf && v+substCost(a[i-1], w[j-1]) < best {
					best, dir = v+substCost(a[i-1], w[j-1]), dDiag
				}
				if k > 0 && cur[k-1] < inf && cur[k-1]+indelCost(w[j-1]) < best {
					best, dir = cur[k-1]+indelCost(w[j-1]), dLeft
				}
			}
			cur[k] = best
			c.dirs[i*width+k] = dir
		}
		prev, cur = cur, prev
	}
	from := len(ops)
	for i, j := n, m; i > 0 || j > 0; {
		k := j - lo(i)
		dir := dLeft
		switch {
		case i == 0:
		case j == 0 || k < 0 || k >= width:
			dir = dUp
		default:
			dir = c.dirs[i*width+k]
		}
		ops = append(ops, traceOp(dir, a, w, &i, &j))
	}
	slices.Reverse(ops[from:])
	return ops
}

const (
	dDiag uint8 = iota
	dUp         // canonical token omitted
	dLeft       // witness token inserted
)

func (c *collator) dp(a, w []ctok, ops []Op) []Op {
	n, m := len(a), len(w)
	cols := m + 1
	c.dirs = slices.Grow(c.dirs[:0], (n+1)*cols)[:(n+1)*cols]
	c.cost = slices.Grow(c.cost[:0], 2*cols)[:2*cols]
	prev, cur := c.cost[:cols], c.cost[cols:]
	prev[0] = 0
	for j := 1; j <= m; j++ {
		prev[j] = prev[j-1] + indelCost(w[j-1])
		c.dirs[j] = dLeft
	}
	for i := 1; i <= n; i++ {
		cur[0] = prev[0] + indelCost(a[i-1])
		c.dirs[i*cols] = dUp
		for j := 1; j <= m; j++ {
			best, dir := prev[j-1]+substCost(a[i-1], w[j-1]), dDiag
			if v := prev[j] + indelCost(a[i-1]); v < best {
				best, dir = v, dUp
			}
			if v := cur[j-1] + indelCost(w[j-1]); v < best {
				best, dir = v, dLeft
			}
			cur[j] = best
			c.dirs[i*cols+j] = dir
		}
		prev, cur = cur, prev
	}
	from := len(ops)
	for i, j := n, m; i > 0 || j > 0; {
		dir := dLeft
		switch {
		case i > 0 && j == 0:
			dir = dUp
		case i > 0:
			dir = c.dirs[i*cols+j]
		}
		ops = append(ops, traceOp(dir, a, w, &i, &j))
	}
	slices.Reverse(ops[from:]) // the trace ran backwards
	return ops
}

// similarity is the weighted share of the witness's aligned tokens that
// agree with the canonical text. Words weigh 1, punctuation 1/4. Not
// counted: omissions and insertions at either end (a quote cut short or
// run on is not a different wording), words left out where the witness
// has an ellipsis, and editorial asides such as "[sic]". An editorial
// substitution such as "[a]" for "the" counts as agreeing.
func similarity(ops []Op) float64 {
	lo, hi := 0, len(ops)
	for lo < hi && (ops[lo].Kind == Omit || ops[lo].Kind == Insert) {
		lo++
	}
	for hi > lo && (ops[hi-1].Kind == Omit || ops[hi-1].Kind == Insert) {
		hi--
	}
	elided := make([]bool, len(ops))
	for i := lo; i < hi; i++ {
		// An ellipsis on one side declares the words the other side has there.
		var other OpKind
		switch {
		case ops[i].Kind == Insert && isEllipsis(ops[i].Witness):
			other = Omit
		case ops[i].Kind == Omit && isEllipsis(ops[i].Canonical):
			other = Insert
		default:
			continue
		}
		elided[i] = true
		for j := i - 1; j >= lo && ops[j].Kind == other; j-- {
			elided[j] = true
		}
		for j := i + 1; j < hi && ops[j].Kind == other; j++ {
			elided[j] = true
		}
	}
	var num, den float64
	for i := lo; i < hi; i++ {
		op := ops[i]
		if elided[i] || isAside(op.Witness) || isAside(op.Canonical) {
			continue
		}
		wt := 1.0
		if op.Punct {
			wt = punctWeight
		}
		den += wt
		if op.Kind == Same || (op.Kind == Subst && (strings.HasPrefix(op.Witness, "[") || strings.HasPrefix(op.Canonical, "["))) {
			num += wt
		}
	}
	if den == 0 {
		return 0
	}
	return num / den
}

func isEllipsis(s string) bool {
	return s == "…" || strings.HasPrefix(s, "...") || s == "[…]" || s == "[...]"
}

func isAside(s string) bool {
	l := strings.ToLower(s)
	return l == "[sic]" || l == "[sic!]"
}

// dateRanks returns the place of each document of ds (sorted by ID) in
// the order occurrences are given in: by date, undated ones last, then
// by ID. Comparing two ranks is one instruction, where comparing dates
// and IDs was a tenth of the collation.
func dateRanks(ds []Document) []int32 {
	order := make([]int32, len(ds))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int {
		dx, dy := ds[x].Date, ds[y].Date
		if dx.IsZero() != dy.IsZero() {
			if dx.IsZero() {
				return 1
			}
			return -1
		}
		if c := dx.Compare(dy); c != 0 {
			return c
		}
		return cmp.Compare(x, y) // ds is sorted by ID
	})
	rank := make([]int32, len(ds))
	for r, d := range order {
		rank[d] = int32(r)
	}
	return rank
}
