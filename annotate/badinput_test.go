package annotate

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestFindEmpty(t *testing.T) {
	for _, docs := range [][]Document{
		nil,
		{},
		{{ID: "a"}},
		{{ID: "a"}, {ID: "b"}},
		{{ID: "a", Text: base}},
		{{ID: "a", Text: "\n\n \t"}, {ID: "b", Text: "…"}, {ID: "c", Text: "[sic] [a] ..."}},
	} {
		ps, err := Find(docs)
		if err != nil || len(ps) != 0 {
			t.Errorf("Find(%v) = %v, %v; want no passages", docs, ps, err)
		}
	}
}

func TestFindInvalidUTF8(t *testing.T) {
	q := "providers must act and design their \xff services in a way that protects user privacy"
	docs := []Document{
		{ID: "a", Text: "\xfe\xff" + q + "\xc3"},
		{ID: "b", Text: "intro " + strings.ReplaceAll(q, "\xff", "\xc0\xaf") + " \xe2\x80"},
	}
	ps, err := Find(docs)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, docs, ps)
	if len(ps) != 1 || len(ps[0].Occurrences) != 2 {
		t.Fatalf("want one passage in both documents, got %+v", ps)
	}
}

// TestFindRepeatedSentence: ten thousand copies of one sentence, in one
// document and in ten thousand documents. Each copy is an occurrence; the
// work stays linear.
func TestFindRepeatedSentence(t *testing.T) {
	const n = 10000
	sentence := "The current path towards default encryption does not allow for the protection of children. "
	t.Run("one document", func(t *testing.T) {
		docs := []Document{{ID: "a", Source: "Site", Text: strings.Repeat(sentence, n)}}
		ps, err := Find(docs)
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, docs, ps)
		if len(ps) != 1 || len(ps[0].Occurrences) != n {
			t.Fatalf("%d passages (first with %d occurrences), want 1 with %d", len(ps), occurrences(ps), n)
		}
		if ps[0].Kind != Boilerplate {
			t.Errorf("kind %s, want boilerplate (one text repeated on one page)", ps[0].Kind)
		}
	})
	t.Run("many documents", func(t *testing.T) {
		docs := make([]Document, n)
		for i := range docs {
			docs[i] = Document{ID: fmt.Sprintf("d%05d", i), Text: fmt.Sprintf("Item %d. %s Signed %d.", i, sentence, i)}
		}
		ps, err := Find(docs)
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 1 || len(ps[0].Occurrences) != n {
			t.Fatalf("%d passages (first with %d occurrences), want 1 with %d", len(ps), occurrences(ps), n)
		}
	})
}

func occurrences(ps []Passage) int {
	if len(ps) == 0 {
		return 0
	}
	return len(ps[0].Occurrences)
}

// TestFindLargeDocument: a 50 MB document that quotes a passage of a small
// one. It is found, and the heap stays within a small multiple of the input.
func TestFindLargeDocument(t *testing.T) {
	if testing.Short() {
		t.Skip("50 MB document")
	}
	g := newGen(3)
	r := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	b.Grow(52 << 20)
	for b.Len() < 50<<20 {
		g.sentence(&b)
		b.WriteByte(' ')
		if r.IntN(1000) == 0 {
			b.WriteString("\n\n")
		}
	}
	mid := b.Len()
	b.WriteString("Failure to allow for lawful access on their platforms provides a safe haven to offenders. ")
	for b.Len() < mid+1<<20 {
		g.sentence(&b)
		b.WriteByte(' ')
	}
	docs := []Document{
		{ID: "big", Text: b.String()},
		{ID: "small", Text: "As the draft put it, failure to allow for lawful access on their platforms provides a safe haven to offenders, they said."},
	}
	runtime.GC()
	before := heapInUse()
	var peak uint64
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			peak = max(peak, heapInUse())
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	start := time.Now()
	ps, err := Find(docs)
	close(stop)
	<-done
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d MB in %v, heap +%d MB, %d passages", len(docs[0].Text)>>20, time.Since(start).Round(time.Millisecond), (peak-min(peak, before))>>20, len(ps))
	var found bool
	for _, p := range ps {
		for _, o := range p.Occurrences {
			if o.Doc == "small" && strings.HasPrefix(o.Text, "failure to allow") {
				found = true
			}
		}
	}
	if !found {
		t.Error("the quoted passage was not found")
	}
	if extra := peak - min(peak, before); extra > 20*uint64(len(docs[0].Text)) {
		t.Errorf("heap grew by %d MB for a %d MB document", extra>>20, len(docs[0].Text)>>20)
	}
}

func FuzzFind(f *testing.F) {
	f.Add(base+". "+base, "x "+base, uint8(8))
	f.Add("a … b [sic] [T]he U.S. c d e f g h", "a b the us c d e f g h", uint8(3))
	f.Add("\xff\xfe[a]] [[...]", "“‘’” — –", uint8(2))
	f.Fuzz(func(t *testing.T, a, b string, minWords uint8) {
		docs := []Document{{ID: "a", Text: a}, {ID: "b", Text: b}, {ID: "c", Text: a + " " + b}}
		ps, err := Find(docs, WithMinWords(int(minWords%20)))
		if err != nil {
			t.Fatal(err)
		}
		checkInvariants(t, docs, ps)
	})
}
