package main

import (
	"bytes"
	"context"
	"testing"
)

// TestBuildPrefersHugePages: archive build asks for huge pages for its
// heap unless ARCHIVE_HUGEPAGES=off.
func TestBuildPrefersHugePages(t *testing.T) {
	site := buildSite(t)
	for _, tc := range []struct {
		env  string
		want []int
	}{
		{"", []int{preferHuge}},
		{"off", nil},
	} {
		var got []int
		defer func(f func(int) int) { preferHugePages = f }(preferHugePages)
		preferHugePages = func(n int) int { got = append(got, n); return 0 }
		var out, errb bytes.Buffer
		getenv := func(k string) string {
			if k == "ARCHIVE_HUGEPAGES" {
				return tc.env
			}
			return ""
		}
		if code := run(context.Background(), []string{"build", "-s", site, "-d", t.TempDir() + "/public"},
			&env{stdout: &out, stderr: &errb, getenv: getenv}); code != 0 {
			t.Fatalf("ARCHIVE_HUGEPAGES=%q: build exit %d: %s", tc.env, code, errb.String())
		}
		if len(got) != len(tc.want) || (len(got) == 1 && got[0] != tc.want[0]) {
			t.Errorf("ARCHIVE_HUGEPAGES=%q: Prefer called with %v, want %v", tc.env, got, tc.want)
		}
	}
}
