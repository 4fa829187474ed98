package site

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestCollapseSpace checks collapseSpace against what it stands for,
// strings.Join(strings.Fields(s), " "), on texts with and without
// whitespace to collapse.
func TestCollapseSpace(t *testing.T) {
	for _, s := range []string{"", " ", "one", "one two", " one", "one ", "one  two", "one\ntwo", "one\u00a0two", "a \nb", "\xff \xff"} {
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	}
	alphabet := []string{"a", "Word", " ", " ", " ", "\n", "\t", "\u00a0", "\u2003", "é", "\xff", "\u0085"}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		if got, want := collapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Fatalf("collapseSpace(%q) = %q, want %q", s, got, want)
		}
	}
}
