package snapshot

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestOrderedMap(t *testing.T) {
	var got []int
	err := orderedMap(context.Background(), 200, 4, func(i int) (int, error) {
		if i%7 == 0 {
			time.Sleep(time.Millisecond) // finish out of order
		}
		return i * i, nil
	}, func(i, r int) error {
		if r != i*i {
			t.Errorf("result for %d is %d", i, r)
		}
		got = append(got, i)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("emitted out of order: %v", got)
		}
	}
	if len(got) != 200 {
		t.Fatalf("emitted %d of 200", len(got))
	}
}

func TestOrderedMapStops(t *testing.T) {
	boom := errors.New("boom")
	var worked atomic.Int32
	var emitted []int
	err := orderedMap(context.Background(), 1000, 4, func(i int) (int, error) {
		worked.Add(1)
		if i == 10 {
			return 0, boom
		}
		return i, nil
	}, func(i, _ int) error {
		emitted = append(emitted, i)
		return nil
	})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want boom", err)
	}
	if len(emitted) != 10 {
		t.Errorf("emitted %v, want 0..9 only", emitted)
	}
	if n := worked.Load(); n > 10+4+8 {
		t.Errorf("%d items worked on after the error at 10: the window does not bound work", n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := orderedMap(ctx, 10, 4, func(i int) (int, error) { return i, nil }, func(int, int) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("with a cancelled context: err = %v", err)
	}
}
