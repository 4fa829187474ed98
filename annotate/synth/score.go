package synth

import (
	"fmt"
	"slices"
	"strings"

	"github.com/archive-project/archive/annotate"
)

// Score measures passages against a corpus's ground truth.
//
// The shown occurrences are those of passages of a shared kind (quote or
// reporting); the shown copies are the planted copies of texts of those
// kinds. An occurrence matches a copy in the same document when at least
// half of its bytes lie within the copy's extent; it is labelled with the
// copy's text (the copy with the largest overlap wins).
type Score struct {
	Shown   int // occurrences of quote and reporting passages
	Planted int // planted copies of quote and reporting texts

	// Precision is the share of shown occurrences that match a copy of a
	// quote or reporting text; Recall the share of such copies of which a
	// shown occurrence covers at least half.
	Precision, Recall float64

	// B-cubed precision (purity) and recall of the shown passages as
	// clusters of the matched occurrences (Bagga and Baldwin, 1998): for
	// each occurrence, the share of its passage that has its label, and
	// the share of the occurrences with its label that are in its passage.
	// An unmatched occurrence is a label of its own.
	BCubedPrecision, BCubedRecall float64

	// Kinds counts, for each kind of planted text, the kinds of passage
	// its copies were found in ("" when no occurrence covers half a copy).
	Kinds map[annotate.Kind]map[annotate.Kind]int
}

// Score scores the passages ps found in c.Docs.
func (c *Corpus) Score(ps []annotate.Passage) Score {
	docIdx := make(map[string]int, len(c.Docs))
	for i, d := range c.Docs {
		docIdx[d.ID] = i
	}
	byDoc := make([][]int, len(c.Docs)) // copies by document
	for i, cp := range c.Copies {
		if cp.Start >= 0 {
			byDoc[cp.Doc] = append(byDoc[cp.Doc], i)
		}
	}
	shownText := func(t int) bool { return c.Texts[t].Kind.Shared() }
	var s Score
	s.Kinds = map[annotate.Kind]map[annotate.Kind]int{}

	// Match every occurrence to its copy; remember, for every copy, the
	// kind of the passage that covers most of it.
	type found struct {
		kind    annotate.Kind
		overlap int
		shown   bool // covered at least half by a shown occurrence
	}
	cover := make([]found, len(c.Copies))
	type item struct {
		passage int
		label   int // copy's text, or -1-index when unmatched
	}
	var items []item
	for pi, p := range ps {
		for _, o := range p.Occurrences {
			d, ok := docIdx[o.Doc]
			if !ok {
				continue
			}
			best, bestOv := -1, 0
			for _, ci := range byDoc[d] {
				cp := c.Copies[ci]
				ov := min(o.End, cp.End) - max(o.Start, cp.Start)
				if ov <= 0 {
					continue
				}
				if ov > cover[ci].overlap {
					cover[ci].overlap, cover[ci].kind = ov, p.Kind
				}
				if p.Kind.Shared() && 2*ov >= cp.End-cp.Start {
					cover[ci].shown = true
				}
				if 2*ov >= o.End-o.Start && ov > bestOv {
					best, bestOv = ci, ov
				}
			}
			if !p.Kind.Shared() {
				continue
			}
			s.Shown++
			it := item{passage: pi, label: -1 - len(items)}
			if best >= 0 && shownText(c.Copies[best].Text) {
				it.label = c.Copies[best].Text
				s.Precision++
			}
			items = append(items, it)
		}
	}
	for ci, cp := range c.Copies {
		k := c.Texts[cp.Text].Kind
		if s.Kinds[k] == nil {
			s.Kinds[k] = map[annotate.Kind]int{}
		}
		f := cover[ci]
		if 2*f.overlap < cp.End-cp.Start {
			f.kind = ""
		}
		s.Kinds[k][f.kind]++
		if shownText(cp.Text) {
			s.Planted++
			if f.shown {
				s.Recall++
			}
		}
	}
	if s.Shown > 0 {
		s.Precision /= float64(s.Shown)
	}
	if s.Planted > 0 {
		s.Recall /= float64(s.Planted)
	}
	// B-cubed over the shown occurrences.
	type key struct{ passage, label int }
	inPassage := map[int]int{}
	withLabel := map[int]int{}
	both := map[key]int{}
	for _, it := range items {
		inPassage[it.passage]++
		withLabel[it.label]++
		both[key{it.passage, it.label}]++
	}
	for _, it := range items {
		n := float64(both[key{it.passage, it.label}])
		s.BCubedPrecision += n / float64(inPassage[it.passage])
		s.BCubedRecall += n / float64(withLabel[it.label])
	}
	if len(items) > 0 {
		s.BCubedPrecision /= float64(len(items))
		s.BCubedRecall /= float64(len(items))
	}
	return s
}

// String writes the score as a few lines of text.
func (s Score) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "shown occurrences %d, planted copies %d: precision %.4f, recall %.4f; B-cubed precision %.4f, recall %.4f\n",
		s.Shown, s.Planted, s.Precision, s.Recall, s.BCubedPrecision, s.BCubedRecall)
	var kinds []string
	for k := range s.Kinds {
		kinds = append(kinds, string(k))
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		m := s.Kinds[annotate.Kind(k)]
		var found []string
		for f := range m {
			found = append(found, string(f))
		}
		slices.Sort(found)
		fmt.Fprintf(&b, "  planted %-11s found as", k)
		for _, f := range found {
			name := f
			if name == "" {
				name = "(none)"
			}
			fmt.Fprintf(&b, " %s %d", name, m[annotate.Kind(f)])
		}
		b.WriteByte('\n')
	}
	return b.String()
}
