package site

import (
	"testing"
	"time"
)

func TestStorySpan(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2019, 11, d, 9, 0, 0, 0, time.UTC) }
	art := func(d time.Time) *Article { return &Article{Date: d} }
	for _, c := range []struct {
		name  string
		dates []time.Time
		want  string
	}{
		{"none", nil, ""},
		{"undated", []time.Time{{}, {}}, ""},
		{"one day", []time.Time{day(18), day(18)}, "18 November 2019"},
		{"range", []time.Time{day(15), day(17), day(19)}, "15 November 2019 to 19 November 2019"},
		{"undated at the ends", []time.Time{{}, day(15), day(19), {}}, "15 November 2019 to 19 November 2019"},
	} {
		s := &Story{}
		for _, d := range c.dates {
			s.Articles = append(s.Articles, art(d))
		}
		if got := s.Span(); got != c.want {
			t.Errorf("%s: Span() = %q, want %q", c.name, got, c.want)
		}
	}
}
