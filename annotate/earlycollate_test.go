package annotate_test

import (
	"reflect"
	"testing"

	"github.com/archive-project/archive/annotate"
	"github.com/archive-project/archive/annotate/synth"
)

// TestEarlyCollate collates tier 1's passages while tier 2 is grouped,
// none, some (a bound that stops partway) or all of them, and finds the
// same passages each time: a passage is collated once, whenever it is.
func TestEarlyCollate(t *testing.T) {
	c := synth.Generate(synth.Config{Articles: 600, Words: 300, Seed: 11})
	restore := annotate.EarlyCollate(0, nil)
	want, err := annotate.Find(c.Docs)
	restore()
	if err != nil {
		t.Fatal(err)
	}
	annotate.CheckInvariants(t, c.Docs, want)
	if len(want) == 0 {
		t.Fatal("no passages")
	}
	var all int
	for _, tc := range []struct {
		name  string
		bound int
	}{{"all", 1 << 30}, {"some", 40}, {"default", -1}} {
		t.Run(tc.name, func(t *testing.T) {
			bound := tc.bound // -1: the default
			var queued []int
			report := func(n int) { queued = append(queued, n) }
			defer annotate.EarlyCollate(bound, report)()
			for _, workers := range []int{1, 2, 3} {
				queued = queued[:0]
				have, err := annotate.Find(c.Docs, annotate.WithWorkers(workers))
				if err != nil {
					t.Fatal(err)
				}
				if len(queued) != 1 {
					t.Fatalf("%d workers: tier 1 handed over %d times, want once", workers, len(queued))
				}
				n := queued[0]
				t.Logf("%d workers: %d occurrences of tier 1 collated early", workers, n)
				switch {
				case tc.name == "all":
					all = n
					if n == 0 {
						t.Fatalf("%d workers: no occurrence of tier 1 collated before tier 2", workers)
					}
				case tc.name == "some" && (n == 0 || n > bound || n >= all):
					t.Fatalf("%d workers: %d occurrences queued under a bound of %d (all: %d)", workers, n, bound, all)
				}
				if !reflect.DeepEqual(have, want) {
					t.Fatalf("%d workers, %d occurrences collated early: passages differ from those collated after grouping", workers, n)
				}
			}
		})
	}
}
