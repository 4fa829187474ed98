package annotate

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sync/atomic"
	"testing"
)

// TestFindContext: a done context stops Find with its error; a live one
// changes nothing.
func TestFindContext(t *testing.T) {
	docs := []Document{
		{ID: "a", Text: "Intro. The draft resolution says that companies must give police access to encrypted messages. End."},
		{ID: "b", Text: "Other words. The draft resolution says that companies must give police access to encrypted messages. More."},
	}
	want, err := Find(docs)
	if err != nil || len(want) == 0 {
		t.Fatalf("Find: %d passages, %v", len(want), err)
	}
	got, err := Find(docs, WithContext(context.Background()))
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("with a live context: %v, %v; want the passages found without one", got, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got, err := Find(docs, WithContext(ctx)); !errors.Is(err, context.Canceled) || got != nil {
		t.Errorf("with a done context: %d passages, %v; want none and context.Canceled", len(got), err)
	}
}

// countdown is a context whose Err turns to context.Canceled after n
// calls: a cancellation that arrives in the middle of a stage.
type countdown struct {
	context.Context
	n atomic.Int64
}

func (c *countdown) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

// TestFindCancelledMidway: whenever the cancellation arrives (after each
// of the checks of a full run in turn), Find returns context.Canceled and
// no passages.
func TestFindCancelledMidway(t *testing.T) {
	docs := append(sameDocuments(12, false), oneSentence(12)...)
	for i := range docs {
		docs[i].ID = fmt.Sprint(i, docs[i].ID)
	}
	full := &countdown{Context: context.Background()}
	full.n.Store(math.MaxInt64)
	want, err := Find(docs, WithContext(full), WithWorkers(2))
	if err != nil || len(want) == 0 {
		t.Fatalf("Find: %d passages, %v", len(want), err)
	}
	checks := math.MaxInt64 - full.n.Load()
	if checks < 10 {
		t.Fatalf("a full run checked the context %d times; want one check per stage at least", checks)
	}
	for n := range checks {
		ctx := &countdown{Context: context.Background()}
		ctx.n.Store(n)
		if got, err := Find(docs, WithContext(ctx), WithWorkers(2)); !errors.Is(err, context.Canceled) || got != nil {
			t.Fatalf("cancelled after %d of %d checks: %d passages, %v; want none and context.Canceled", n, checks, len(got), err)
		}
	}
}

// TestStagesStop: the serial-looking stages between the parallel ones
// give up as soon as their stop function fails, not after their work.
func TestStagesStop(t *testing.T) {
	cancelled := func() error { return context.Canceled }
	live := func() error { return nil }
	for _, tc := range []struct {
		name string
		run  func(stop func() error) bool // whether the stage returned results
	}{
		{"segments", func(stop func() error) bool {
			segs, of := segments([]match{{a: 0, b: 1, a0: 0, a1: 10, b0: 2, b1: 12}}, 2, stop)
			return segs != nil || of != nil
		}},
		{"seedPairs", func(stop func() error) bool {
			buckets := [][]posting{{{h: 7, loc: 0<<32 | 3}, {h: 7, loc: 1<<32 | 5}}, nil}
			var fp fpBits
			return seedPairs(buckets, 2, 2, &fp, []int{10, 10}, 2, stop) != nil
		}},
	} {
		if !tc.run(live) {
			t.Errorf("%s: no results without a cancellation", tc.name)
		}
		if tc.run(cancelled) {
			t.Errorf("%s: results after a cancellation; want nil", tc.name)
		}
	}
}
