package annotations

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// lazy is docs with their bodies given by Read (as a build gives them),
// each read a fresh copy, counted in reads.
func lazy(docs []Doc, reads *atomic.Int64, fail func(key string) error) []Doc {
	out := make([]Doc, len(docs))
	for i, d := range docs {
		body := d.Body
		d.Body = ""
		d.Read = func() (string, error) {
			reads.Add(1)
			if fail != nil {
				if err := fail(d.Key); err != nil {
					return "", err
				}
			}
			return strings.Clone(body), nil
		}
		out[i] = d
	}
	return out
}

// TestFindPassagesRead: bodies read when needed (Doc.Read) give the index
// that held bodies give: passages, occurrences with their quotation,
// reader comments and seed lines, notes, shares.
func TestFindPassagesRead(t *testing.T) {
	docs := loadSeedArchive(t)
	want, err := FindPassages(docs)
	if err != nil || len(want.Passages) == 0 {
		t.Fatalf("held bodies: %v, %d passages", err, len(want.Passages))
	}
	var reads atomic.Int64
	got, err := FindPassages(lazy(docs, &reads, nil))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("the index from bodies read when needed differs from that of held bodies")
	}
	if n := reads.Load(); n < int64(len(docs)) || n > 4*int64(len(docs)) {
		t.Errorf("%d reads of %d bodies; want each read once to four times", n, len(docs))
	}
}

// TestFindPassagesReadErrors: a body that cannot be read again (a file
// that vanished mid-build) fails FindPassages with the reader's error,
// whichever read fails; a done context stops it.
func TestFindPassagesReadErrors(t *testing.T) {
	docs := loadSeedArchive(t)
	held, err := FindPassages(docs)
	if err != nil || len(held.Passages) == 0 {
		t.Fatalf("held bodies: %v", err)
	}
	victim := held.Passages[0].Docs[0] // read by every step
	failed := 0
	gone := &article.Error{File: victim, Err: errors.New("the file vanished"), Fix: "run the build again"}
	for n := int64(1); n <= 4; n++ {
		var reads, ofVictim atomic.Int64
		ix, err := FindPassages(lazy(docs, &reads, func(key string) error {
			if key == victim && ofVictim.Add(1) == n {
				return gone
			}
			return nil
		}))
		if ofVictim.Load() < n {
			continue // not read n times
		}
		if err != gone || ix != nil {
			t.Errorf("read %d of %s fails: %v; want the reader's error", n, victim, err)
		}
		failed++
	}
	if failed < 3 {
		t.Errorf("%s read fewer than 3 times; want each step to read it", victim)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var reads atomic.Int64
	if ix, err := findPassages(ctx, lazy(docs, &reads, nil), nil); !errors.Is(err, context.Canceled) || ix != nil {
		t.Errorf("done context: %v; want context.Canceled", err)
	}
}
