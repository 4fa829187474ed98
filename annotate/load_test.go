package annotate_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/archive-project/archive/annotate"
	"github.com/archive-project/archive/annotate/synth"
)

// loader serves documents' texts to FindFrom as a caller reading files
// would: each load a fresh copy. It counts the loads of each document and
// remembers where the copies lie in memory.
type loader struct {
	docs  []annotate.Document
	loads []atomic.Int32
	mu    sync.Mutex
	held  [][2]uintptr // the copies' byte ranges
	alive []string     // the copies, so that their memory is not reused
	// fail, when set, returns the error for the n-th load (from 1) of document i.
	fail func(i, n int) error
	// change, when set, returns a different text for the n-th load of document i.
	change func(i, n int) (string, bool)
}

func newLoader(docs []annotate.Document) *loader {
	return &loader{docs: docs, loads: make([]atomic.Int32, len(docs))}
}

// metas are the documents without their texts and quoted ranges.
func (l *loader) metas() []annotate.Document {
	out := make([]annotate.Document, len(l.docs))
	for i, d := range l.docs {
		out[i] = annotate.Document{ID: d.ID, Date: d.Date, Source: d.Source}
	}
	return out
}

func (l *loader) load(i int) (string, []annotate.Span, error) {
	n := int(l.loads[i].Add(1))
	if l.fail != nil {
		if err := l.fail(i, n); err != nil {
			return "", nil, err
		}
	}
	text := l.docs[i].Text
	if l.change != nil {
		if t, ok := l.change(i, n); ok {
			text = t
		}
	}
	c := strings.Clone(text)
	if len(c) > 0 {
		p := uintptr(unsafe.Pointer(unsafe.StringData(c)))
		l.mu.Lock()
		l.held = append(l.held, [2]uintptr{p, p + uintptr(len(c))})
		l.alive = append(l.alive, c)
		l.mu.Unlock()
	}
	return c, slices.Clone(l.docs[i].Quoted), nil
}

// within reports whether s lies in one of the loaded copies.
func (l *loader) within(s string) bool {
	if len(s) == 0 {
		return false
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	return slices.ContainsFunc(l.held, func(r [2]uintptr) bool { return p >= r[0] && p < r[1] })
}

// TestFindFrom: passages found from a loader are those found from held
// texts, whatever the order of the documents; each text is loaded at most
// three times; no passage keeps a loaded text.
func TestFindFrom(t *testing.T) {
	hard := synth.Generate(synth.Config{Articles: 600, Words: 400, Seed: 11}).Docs
	plain := synth.Generate(synth.Config{Articles: 300, Words: 400, Seed: 5, Plain: true}).Docs
	quoted := []annotate.Document{
		{ID: "a", Text: "Intro.\n> The draft resolution says that companies must give police access to encrypted messages.\nEnd.", Quoted: []annotate.Span{{Start: 7, End: 200}}},
		{ID: "b", Text: "Other words. The draft resolution says that companies must give police access to encrypted messages. More."},
		{ID: "c", Text: ""},
	}
	for name, docs := range map[string][]annotate.Document{"hard": hard, "plain": plain, "quoted": quoted} {
		t.Run(name, func(t *testing.T) {
			want, err := annotate.Find(docs)
			if err != nil || len(want) == 0 {
				t.Fatalf("Find: %d passages, %v", len(want), err)
			}
			rev := slices.Clone(docs)
			slices.Reverse(rev)
			for _, in := range [][]annotate.Document{docs, rev} {
				l := newLoader(in)
				got, err := annotate.FindFrom(l.metas(), l.load, annotate.WithWorkers(3))
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("FindFrom: %d passages, not those of Find (%d)", len(got), len(want))
				}
				for i := range l.loads {
					if n := l.loads[i].Load(); n < 1 || n > 3 {
						t.Errorf("document %s loaded %d times; want 1 to 3", in[i].ID, n)
					}
				}
				for _, p := range got {
					for _, o := range p.Occurrences {
						if l.within(o.Text) || l.within(p.Canonical) {
							t.Fatalf("passage %s: an occurrence's text is a substring of a loaded text", p.ID)
						}
						for _, op := range o.Alignment {
							if l.within(op.Canonical) || l.within(op.Witness) {
								t.Fatalf("passage %s: an alignment's word is a substring of a loaded text", p.ID)
							}
						}
					}
				}
			}
		})
	}
}

// TestFindFromErrors: a loader's error comes out of FindFrom as it is,
// whichever load fails; a text that changes length between loads is an
// error naming the document; a context done while texts are loaded stops
// FindFrom.
func TestFindFromErrors(t *testing.T) {
	docs := synth.Generate(synth.Config{Articles: 200, Words: 300, Seed: 3}).Docs
	gone := errors.New("content/x.md: the file vanished")
	for n := 1; n <= 3; n++ {
		for _, i := range []int{0, 57, len(docs) - 1} {
			l := newLoader(docs)
			l.fail = func(j, k int) error {
				if j == i && k == n {
					return gone
				}
				return nil
			}
			ps, err := annotate.FindFrom(l.metas(), l.load, annotate.WithWorkers(2))
			if l.loads[i].Load() < int32(n) {
				continue // the document is not loaded n times
			}
			if err != gone || ps != nil {
				t.Errorf("load %d of document %d fails: %d passages, %v; want none and the loader's error", n, i, len(ps), err)
			}
		}
	}
	l := newLoader(docs)
	l.change = func(i, n int) (string, bool) { return docs[i].Text + " more words", n == 2 }
	if ps, err := annotate.FindFrom(l.metas(), l.load); err == nil || ps != nil || !strings.Contains(err.Error(), "changed") {
		t.Errorf("texts that change between loads: %d passages, %v; want none and an error that says a document changed", len(ps), err)
	}
	for _, after := range []int64{0, 1, 50, 150, 199} {
		ctx, cancel := context.WithCancel(context.Background())
		var loads atomic.Int64
		l := newLoader(docs)
		l.fail = func(i, n int) error {
			if loads.Add(1) > after {
				cancel()
			}
			return nil
		}
		ps, err := annotate.FindFrom(l.metas(), l.load, annotate.WithContext(ctx), annotate.WithWorkers(2))
		if !errors.Is(err, context.Canceled) || ps != nil {
			t.Errorf("cancelled after %d loads: %d passages, %v; want none and context.Canceled", after, len(ps), err)
		}
		cancel()
	}
}
