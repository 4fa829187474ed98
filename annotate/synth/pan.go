package synth

import (
	"math"
	"slices"
	"unicode/utf8"

	"github.com/archive-project/archive/annotate"
)

// PAN holds the text-alignment measures of the PAN plagiarism-detection
// workshops (Potthast et al., 2010), at character level: for every two
// planted copies of a text (a case) and every two occurrences of a passage
// (a detection), the share of the characters of each that the other
// covers, and granularity, the number of detections per detected case.
type PAN struct {
	Precision, Recall, Granularity float64
	Cases, Detections              int
}

// Plagdet is PAN's single score: F1 over log2(1 + granularity).
func (p PAN) Plagdet() float64 {
	if p.Precision+p.Recall == 0 {
		return 0
	}
	f := 2 * p.Precision * p.Recall / (p.Precision + p.Recall)
	return f / math.Log2(1+p.Granularity)
}

// pairCase is a pair of byte ranges in two documents claimed (or planted)
// to be the same text.
type pairCase struct {
	a, b   int
	ra, rb [2]int
}

// PAN measures the passages ps of the kinds keep (all when nil) against the
// copies of the texts of those kinds.
func (c *Corpus) PAN(ps []annotate.Passage, keep func(annotate.Kind) bool) PAN {
	if keep == nil {
		keep = func(annotate.Kind) bool { return true }
	}
	var S []pairCase
	byText := map[int][]Copy{}
	for _, cp := range c.Copies {
		if keep(c.Texts[cp.Text].Kind) {
			byText[cp.Text] = append(byText[cp.Text], cp)
		}
	}
	texts := make([]int, 0, len(byText))
	for t := range byText {
		texts = append(texts, t)
	}
	slices.Sort(texts)
	for _, t := range texts {
		cps := byText[t]
		for i := range cps {
			for j := i + 1; j < len(cps); j++ {
				if s, ok := common(cps[i], cps[j]); ok {
					S = append(S, s)
				}
			}
		}
	}
	idx := make(map[string]int, len(c.Docs))
	for i, d := range c.Docs {
		idx[d.ID] = i
	}
	var R []pairCase
	for _, p := range ps {
		if !keep(p.Kind) {
			continue
		}
		for i, x := range p.Occurrences {
			for _, y := range p.Occurrences[i+1:] {
				a, b := idx[x.Doc], idx[y.Doc]
				ra, rb := [2]int{x.Start, x.End}, [2]int{y.Start, y.End}
				if a > b || a == b && ra[0] > rb[0] {
					a, b, ra, rb = b, a, rb, ra
				}
				R = append(R, pairCase{a, b, ra, rb})
			}
		}
	}
	return c.measure(S, R)
}

// common is the case two copies make: the words both contain, from the
// first to the last, in each document (ordered by document).
func common(x, y Copy) (pairCase, bool) {
	sx, ex, sy, ey := -1, -1, -1, -1
	for i := range x.Words {
		if x.Words[i][0] < 0 || y.Words[i][0] < 0 {
			continue
		}
		if sx < 0 {
			sx, sy = x.Words[i][0], y.Words[i][0]
		}
		ex, ey = x.Words[i][1], y.Words[i][1]
	}
	if sx < 0 {
		return pairCase{}, false
	}
	s := pairCase{x.Doc, y.Doc, [2]int{sx, ex}, [2]int{sy, ey}}
	if s.a > s.b || s.a == s.b && s.ra[0] > s.rb[0] {
		s.a, s.b, s.ra, s.rb = s.b, s.a, s.rb, s.ra
	}
	return s, true
}

func overlap(x, y [2]int) [2]int { return [2]int{max(x[0], y[0]), min(x[1], y[1])} }

func (s pairCase) detectedBy(r pairCase) bool {
	oa, ob := overlap(s.ra, r.ra), overlap(s.rb, r.rb)
	return s.a == r.a && s.b == r.b && oa[0] < oa[1] && ob[0] < ob[1]
}

// covered counts the characters of r that the ranges by cover.
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
func (c *Corpus) measure(S, R []pairCase) PAN {
	type key struct{ a, b int }
	sBy, rBy := map[key][]int{}, map[key][]int{}
	for i, s := range S {
		sBy[key{s.a, s.b}] = append(sBy[key{s.a, s.b}], i)
	}
	for i, r := range R {
		rBy[key{r.a, r.b}] = append(rBy[key{r.a, r.b}], i)
	}
	res := PAN{Cases: len(S), Detections: len(R)}
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
		ta, tb := c.Docs[s.a].Text, c.Docs[s.b].Text
		res.Recall += float64(covered(ta, s.ra, ca)+covered(tb, s.rb, cb)) / float64(chars(ta, s.ra)+chars(tb, s.rb))
	}
	for _, r := range R {
		var ca, cb [][2]int
		for _, si := range sBy[key{r.a, r.b}] {
			if s := S[si]; s.detectedBy(r) {
				ca, cb = append(ca, s.ra), append(cb, s.rb)
			}
		}
		ta, tb := c.Docs[r.a].Text, c.Docs[r.b].Text
		res.Precision += float64(covered(ta, r.ra, ca)+covered(tb, r.rb, cb)) / float64(chars(ta, r.ra)+chars(tb, r.rb))
	}
	if len(S) > 0 {
		res.Recall /= float64(len(S))
	}
	if len(R) > 0 {
		res.Precision /= float64(len(R))
	}
	res.Granularity = 1
	if detected > 0 {
		res.Granularity = float64(gran) / float64(detected)
	}
	return res
}
