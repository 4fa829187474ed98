package annotate

import (
	"slices"
	"testing"
)

// TestSyntheticPAN plants quotes with every variation in a generated corpus
// and scores Find with the PAN text-alignment measures: character-level
// precision and recall, and granularity (how many pieces a case is found
// in). Precision and recall must be at least 0.95, granularity at most 1.05.
func TestSyntheticPAN(t *testing.T) {
	c := genCorpus(1000, 400, 7)
	ps, err := Find(c.docs)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, c.docs, ps)
	S, R := c.truth(), detections(c.docs, ps)
	m := measure(c.docs, S, R)
	t.Logf("%d docs, %d planted pairs, %d detected pairs, %d passages", len(c.docs), m.cases, m.detections, len(ps))
	t.Logf("all:    precision %.4f  recall %.4f  granularity %.4f  plagdet %.4f", m.precision, m.recall, m.granularity, m.plagdet())
	// Quotes alone, without the site furniture that dominates the pairs.
	var Sq []pairCase
	for _, s := range S {
		if s.label != "furniture" {
			Sq = append(Sq, s)
		}
	}
	var quotes []Passage
	for _, p := range ps {
		if p.Kind == Quote {
			quotes = append(quotes, p)
		}
	}
	mq := measure(c.docs, Sq, detections(c.docs, quotes))
	t.Logf("quotes: precision %.4f  recall %.4f  granularity %.4f  plagdet %.4f  (%d pairs)", mq.precision, mq.recall, mq.granularity, mq.plagdet(), mq.cases)
	// Recall per variation, to see which one is weak.
	by := map[string][]pairCase{}
	for _, s := range S {
		by[s.label] = append(by[s.label], s)
	}
	var labels []string
	for l := range by {
		labels = append(labels, l)
	}
	slices.Sort(labels)
	for _, l := range labels {
		mv := measure(c.docs, by[l], R)
		t.Logf("  %-10s %4d pairs  recall %.4f  granularity %.3f", l, len(by[l]), mv.recall, mv.granularity)
	}
	for _, x := range []pan{m, mq} {
		if x.precision < 0.95 || x.recall < 0.95 || x.granularity > 1.05 {
			t.Errorf("precision %.4f, recall %.4f, granularity %.4f; want ≥ 0.95, ≥ 0.95, ≤ 1.05", x.precision, x.recall, x.granularity)
		}
	}
	for _, p := range ps {
		furniture := p.Occurrences[0].Doc != "" && len(p.Occurrences) > 8
		if furniture && p.Kind != Boilerplate {
			t.Errorf("%s with %d occurrences %q: kind %s, want boilerplate", p.ID, len(p.Occurrences), clip(p.Canonical, 50), p.Kind)
		}
	}
}
