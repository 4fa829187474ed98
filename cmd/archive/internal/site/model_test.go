package site

import (
	"bytes"
	"html/template"
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

// TestItems: Story.Items and Outlet.Items write what a range over the
// articles' items writes.
func TestItems(t *testing.T) {
	list := []*Article{{Item: "<li>a &amp; b</li>"}, {Item: ""}, {Item: "<li>c</li>\n"}}
	tm := template.Must(template.New("").Parse(`{{range .Articles}}{{.Item}}{{end}}|{{.Items}}`))
	for _, v := range []any{&Story{Articles: list}, &Outlet{Articles: list}, &Story{}} {
		var b bytes.Buffer
		if err := tm.Execute(&b, v); err != nil {
			t.Fatal(err)
		}
		ranged, joined, _ := bytes.Cut(b.Bytes(), []byte("|"))
		if !bytes.Equal(ranged, joined) {
			t.Errorf("%T: Items() = %q, the range writes %q", v, joined, ranged)
		}
	}
}
