package cite

import (
	"strings"
	"testing"
)

func TestSplitAuthorsRoles(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Josh Aas, ISRG Executive Director", []string{"Josh Aas"}},
		{"Josh Aas, ISRG Executive Director, and Sarah Gran, VP Communications", []string{"Josh Aas", "Sarah Gran"}},
		{"Jane Doe, Senior Reporter at Reuters", []string{"Jane Doe"}},
		{"Josh Aas, Sarah Gran", []string{"Josh Aas", "Sarah Gran"}},
		{"Joseph Menn, Jr.", []string{"Joseph Menn, Jr."}},
	} {
		if got := SplitAuthors(tc.in); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("SplitAuthors(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
