package annotate_test

import (
	"testing"

	"github.com/archive-project/archive/annotate"
	"github.com/archive-project/archive/annotate/synth"
)

// TestSyntheticHardShapes runs Find over a generated corpus with the shapes
// that fool a reuse finder (see package synth: quotes in attribution
// frames, wire copy in hundreds of articles, stock phrases in most
// articles, outlet furniture and notes, repeats) and scores what it shows,
// the quotes and shared reporting: occurrence precision and recall and
// B-cubed precision (cluster purity; a chain of unrelated quotes lowers it)
// and recall must each be at least 0.97.
func TestSyntheticHardShapes(t *testing.T) {
	n := 2000
	if testing.Short() || annotate.RaceEnabled {
		n = 1000
	}
	c := synth.Generate(synth.Config{Articles: n, Words: 400, Seed: 7})
	ps, err := annotate.Find(c.Docs)
	if err != nil {
		t.Fatal(err)
	}
	annotate.CheckInvariants(t, c.Docs, ps)
	s := c.Score(ps)
	t.Logf("%d articles, %d passages\n%s", n, len(ps), s)
	shown := func(k annotate.Kind) bool { return k.Shared() }
	pan := c.PAN(ps, shown)
	t.Logf("PAN, quotes and reporting: precision %.4f recall %.4f granularity %.4f plagdet %.4f (%d cases, %d detections)",
		pan.Precision, pan.Recall, pan.Granularity, pan.Plagdet(), pan.Cases, pan.Detections)
	for name, v := range map[string]float64{"precision": s.Precision, "recall": s.Recall,
		"B-cubed precision": s.BCubedPrecision, "B-cubed recall": s.BCubedRecall} {
		if v < 0.97 {
			t.Errorf("%s %.4f, want at least 0.97", name, v)
		}
	}
	// Stock phrases, furniture and repeats are never shown.
	for _, k := range []annotate.Kind{annotate.Stock, annotate.Boilerplate, annotate.Repeat} {
		m, total := s.Kinds[k], 0
		for _, v := range m {
			total += v
		}
		if wrong := m[annotate.Quote] + m[annotate.Reporting]; float64(wrong) > 0.01*float64(total) {
			t.Errorf("%d of %d copies of %s texts shown as quote or reporting", wrong, total, k)
		}
	}
}

// TestSyntheticPAN plants quotes with every variation in a plain corpus
// (quotes and furniture only) and scores Find with the PAN text-alignment
// measures: character-level precision and recall at least 0.95,
// granularity (pieces per case) at most 1.05, for all planted text and for
// the quotes alone.
func TestSyntheticPAN(t *testing.T) {
	c := synth.Generate(synth.Config{Articles: 1000, Words: 400, Seed: 7, Plain: true})
	ps, err := annotate.Find(c.Docs)
	if err != nil {
		t.Fatal(err)
	}
	annotate.CheckInvariants(t, c.Docs, ps)
	all := c.PAN(ps, nil)
	quotes := c.PAN(ps, func(k annotate.Kind) bool { return k == annotate.Quote })
	for name, m := range map[string]synth.PAN{"all": all, "quotes": quotes} {
		t.Logf("%-6s precision %.4f recall %.4f granularity %.4f plagdet %.4f (%d cases, %d detections)",
			name, m.Precision, m.Recall, m.Granularity, m.Plagdet(), m.Cases, m.Detections)
		if m.Precision < 0.95 || m.Recall < 0.95 || m.Granularity > 1.05 {
			t.Errorf("%s: precision %.4f, recall %.4f, granularity %.4f; want ≥ 0.95, ≥ 0.95, ≤ 1.05", name, m.Precision, m.Recall, m.Granularity)
		}
	}
	if s := c.Score(ps); s.Kinds[annotate.Boilerplate][annotate.Boilerplate] != len(c.Docs) {
		t.Errorf("furniture found as %v, want boilerplate in all %d articles", s.Kinds[annotate.Boilerplate], len(c.Docs))
	}
}
