package snapshot

import (
	"context"
	"runtime"
	"sync"
)

// orderedMap computes work(i) for i in [0, n) on up to GOMAXPROCS
// goroutines and hands the results to emit strictly in order, on the
// calling goroutine. At most window results wait to be emitted, so memory
// stays bounded. The first error (from work, emit or ctx) stops it.
func orderedMap[T any](ctx context.Context, n, window int, work func(i int) (T, error), emit func(i int, r T) error) error {
	type slot struct {
		i   int
		r   T
		err error
		ok  chan struct{}
	}
	workers := runtime.GOMAXPROCS(0)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan *slot)
	pending := make(chan *slot, window)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range jobs {
				if ctx.Err() == nil {
					s.r, s.err = work(s.i)
				} else {
					s.err = ctx.Err()
				}
				close(s.ok)
			}
		}()
	}
	go func() {
		defer close(pending)
		defer close(jobs)
		for i := range n {
			s := &slot{i: i, ok: make(chan struct{})}
			select {
			case pending <- s: // blocks while window results wait
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- s:
			case <-ctx.Done():
				s.err = ctx.Err()
				close(s.ok)
				return
			}
		}
	}()
	var err error
	for s := range pending {
		<-s.ok
		if err == nil {
			err = s.err
		}
		if err == nil {
			err = emit(s.i, s.r)
		}
		if err != nil {
			cancel()
		}
	}
	wg.Wait()
	if err == nil {
		err = ctx.Err()
	}
	return err
}
