package annotate

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// buildIndex keeps only fingerprints that occur at least twice, and the
// same ones however many workers add them to the sketch. The sketch takes
// some fingerprints seen once for seen twice, and which ones depends on
// the order the workers added them: kept, they made Find's passages
// differ from run to run (3 runs in about 75 at hard/10k).
func TestBuildIndexKeepsOnlyRepeats(t *testing.T) {
	// 600 texts of 400 words from a vocabulary of 5,000, each with a
	// sentence of 20 words copied from one of 30.
	r := rand.New(rand.NewPCG(11, 12))
	word := func() string { return fmt.Sprintf("w%d", r.IntN(5000)) }
	quotes := make([]string, 30)
	for i := range quotes {
		ws := make([]string, 20)
		for j := range ws {
			ws[j] = word()
		}
		quotes[i] = strings.Join(ws, " ")
	}
	texts := make([]string, 600)
	for i := range texts {
		ws := make([]string, 400)
		for j := range ws {
			ws[j] = word()
		}
		ws[r.IntN(400)] = quotes[r.IntN(len(quotes))]
		texts[i] = strings.Join(ws, " ")
	}
	sc := newScanner(false, false)
	codes := make([][]wcode, len(texts))
	for i, text := range texts {
		c, _ := sc.codesMarks(text, nil, nil, nil, 0)
		codes[i] = slices.Clone(c)
	}
	k, w := ngramParams(defaults().minWords)
	var first []posting
	for _, workers := range []int{1, 2, 2, 4} {
		var all []posting
		for _, b := range buildIndex(codes, k, w, workers, func() error { return nil }) {
			for i := 0; i < len(b); {
				j := i + 1
				for j < len(b) && b[j].h == b[i].h {
					j++
				}
				if j-i < 2 {
					t.Fatalf("workers %d: fingerprint %x kept with %d posting", workers, b[i].h, j-i)
				}
				i = j
			}
			all = append(all, b...)
		}
		if first == nil {
			first = all
		} else if !slices.Equal(all, first) {
			t.Fatalf("workers %d: %d postings, unlike the %d of one worker", workers, len(all), len(first))
		}
	}
	if len(first) == 0 {
		t.Fatal("no postings: the corpus has shared passages")
	}
}
