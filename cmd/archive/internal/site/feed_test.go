package site

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"testing"
	"testing/fstest"
)

// TestFeedNewest: the feed carries the FeedEntries newest articles, newest
// first, and an edit to an older article leaves it alone.
func TestFeedNewest(t *testing.T) {
	n := FeedEntries + 7
	m := fstest.MapFS{}
	for i := range n {
		m[fmt.Sprintf("content/a%03d.md", i)] = &fstest.MapFile{Data: fmt.Appendf(nil,
			"---\ntitle: Article %d\ndate: 2020-01-01T%02d:%02d:00Z\n---\n\nText of article %d.\n", i, i/60, i%60, i)}
	}
	ctx := context.Background()
	b := NewBuilder(m)
	out, _, err := b.Build(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	feed, _ := out.Bytes("index.xml")
	var got []string
	for _, s := range regexp.MustCompile(`<title>Article (\d+)</title>`).FindAllSubmatch(feed, -1) {
		got = append(got, string(s[1]))
	}
	var want []string
	for i := n - 1; i >= n-FeedEntries; i-- {
		want = append(want, fmt.Sprint(i))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("feed entries %v, want %v", got, want)
	}

	for _, step := range []struct {
		file     string
		wantFeed bool
	}{
		{"content/a000.md", false}, // too old for the feed
		{fmt.Sprintf("content/a%03d.md", n-1), true},
	} {
		m[step.file] = &fstest.MapFile{Data: append(m[step.file].Data, "\nEdited, and with a new title below.\n"...)}
		m[step.file].Data = regexp.MustCompile(`title: Article`).ReplaceAll(m[step.file].Data, []byte("title: Retitled article"))
		_, rep, err := b.Build(ctx, []string{step.file})
		if err != nil {
			t.Fatal(err)
		}
		if has := slices.Contains(rep.Changed, "index.xml"); has != step.wantFeed {
			t.Errorf("edit of %s: feed changed %v, want %v (changed: %v)", step.file, has, step.wantFeed, rep.Changed)
		}
		if slices.Contains(rep.Changed, "sitemap.xml") {
			t.Errorf("edit of %s: the sitemap changed, but it shows no titles", step.file)
		}
	}
}

// TestFeedUndated: undated articles, which sort last, never push the
// newest dated articles out of the feed.
func TestFeedUndated(t *testing.T) {
	for _, c := range []struct{ dated, undated, wantDated, wantUndated int }{
		{5, 55, 5, 45},
		{40, 30, 40, 10},
		{60, 20, FeedEntries, 0},
		{3, 2, 3, 2},
	} {
		m := fstest.MapFS{}
		for i := range c.dated {
			m[fmt.Sprintf("content/d%03d.md", i)] = &fstest.MapFile{Data: fmt.Appendf(nil,
				"---\ntitle: Dated %d\ndate: 2020-01-01T%02d:%02d:00Z\n---\n\nText.\n", i, i/60, i%60)}
		}
		for i := range c.undated {
			m[fmt.Sprintf("content/u%03d.md", i)] = &fstest.MapFile{Data: fmt.Appendf(nil, "---\ntitle: Undated %d\n---\n\nText.\n", i)}
		}
		out, err := Build(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		feed, _ := out.Bytes("index.xml")
		var dated []string
		for _, s := range regexp.MustCompile(`<title>Dated (\d+)</title>`).FindAllSubmatch(feed, -1) {
			dated = append(dated, string(s[1]))
		}
		undated := len(regexp.MustCompile(`<title>Undated \d+</title>`).FindAll(feed, -1))
		if len(dated) != c.wantDated || undated != c.wantUndated {
			t.Errorf("%d dated, %d undated: the feed has %d dated, %d undated; want %d, %d",
				c.dated, c.undated, len(dated), undated, c.wantDated, c.wantUndated)
		}
		if len(dated) > 0 && dated[0] != fmt.Sprint(c.dated-1) {
			t.Errorf("%d dated, %d undated: the first dated entry is %s, want the newest, %d", c.dated, c.undated, dated[0], c.dated-1)
		}
	}
}
