package site

import (
	"context"
	_ "embed"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
)

// inlineSingle is single.html as it was before layouts/fragments.html: a
// story's line and the "Shares passages with" entries written inline,
// evaluated on every page.
//
//go:embed testdata/single-inline.html
var inlineSingle []byte

// relatedFeature links every article to the others of the site, so that
// each entry stands on several pages.
func relatedFeature() *testFeature {
	return &testFeature{article: func(s *Site, a *Article) (ArticleAdditions, error) {
		var add ArticleAdditions
		for i, o := range s.Articles {
			if o != a {
				add.Related.Links = append(add.Related.Links, Link{Text: o.Title + ` <"&'>`, URL: o.URL + "?q=a b&c=\"d\"", Detail: plural(i+1, "passage", "passages")})
			}
		}
		add.Related.More = len(s.Articles) % 3
		return add, nil
	}}
}

func plural(n int, one, many string) string {
	s, _ := templateFuncs["plural"].(func(int, string, string) string)
	return s(n, one, many)
}

// TestFragmentsAsInline: the story lines and "Shares passages with"
// entries rendered once per build (fragments.html, Page.StoryLine and
// Page.RelatedItems) write on every page the bytes that single.html wrote
// when it evaluated them inline; a site whose own fragments.html renders
// them otherwise gets its own on every page.
func TestFragmentsAsInline(t *testing.T) {
	build := func(m fstest.MapFS) *Output {
		t.Helper()
		out, err := Build(context.Background(), m, WithFeatures(relatedFeature()))
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	got := build(storySite())
	m := storySite()
	m["layouts/single.html"] = &fstest.MapFile{Data: inlineSingle}
	want := build(m)
	sameOutput(t, got, want)
	lines, items := 0, 0
	for _, p := range got.Paths() {
		b, _ := got.Bytes(p)
		lines += strings.Count(string(b), `<p class="story-link">`)
		items += strings.Count(string(b), `&lt;&#34;&amp;&#39;&gt;</a> <span class="muted">`)
	}
	if lines < 3 || items < 6 {
		t.Errorf("%d story lines and %d related entries in the site, want at least 3 and 6", lines, items)
	}

	m = storySite()
	m["layouts/fragments.html"] = &fstest.MapFile{Data: []byte(`{{define "story-line"}}<p>Story {{.Title}}</p>{{end}}{{define "related-item"}}<li>See {{.Text}}</li>{{end}}`)}
	own := build(m)
	b, _ := own.Bytes("articles/d/index.html")
	for _, w := range []string{"<p>Story Second story</p>", "<li>See Article e &lt;&#34;&amp;&#39;&gt;</li>"} {
		if !strings.Contains(string(b), w) {
			t.Errorf("articles/d/index.html does not show the site's own fragment %q:\n%s", w, b)
		}
	}
}

// TestFragmentUncomparable: data that cannot be a map key (a map) is
// rendered on every call instead of panicking, as comparable data is.
func TestFragmentUncomparable(t *testing.T) {
	var mu sync.Mutex // Article runs on several goroutines
	var got, want string
	f := &testFeature{article: func(s *Site, a *Article) (ArticleAdditions, error) {
		h, err := s.Fragment(relatedItemLayout, map[string]string{"URL": "/x?a=<b>", "Text": "X & Y", "Detail": "2"})
		if err != nil {
			return ArticleAdditions{}, err
		}
		w, err := s.Fragment(relatedItemLayout, Link{URL: "/x?a=<b>", Text: "X & Y", Detail: "2"})
		mu.Lock()
		got, want = string(h), string(w)
		mu.Unlock()
		return ArticleAdditions{}, err
	}}
	if _, err := Build(context.Background(), storySite(), WithFeatures(f)); err != nil {
		t.Fatal(err)
	}
	if got != want || !strings.Contains(got, "X &amp; Y") {
		t.Errorf("from a map %q, from a Link %q", got, want)
	}
}

// TestFragmentOnce: FragmentOnce writes what Fragment writes and keeps
// nothing in Fragment's map.
func TestFragmentOnce(t *testing.T) {
	var mu sync.Mutex // Article runs on several goroutines
	var once, kept string
	var grew, frags int
	f := &testFeature{article: func(s *Site, a *Article) (ArticleAdditions, error) {
		l := Link{URL: "/once/" + a.Slug + "?a=<b>", Text: "X & Y", Detail: a.Title}
		h, err := s.FragmentOnce(relatedItemLayout, l)
		if err != nil {
			return ArticleAdditions{}, err
		}
		s.frags.mu.Lock()
		_, in := s.frags.m[fragmentKey{relatedItemLayout, l}] // l is this article's alone
		s.frags.mu.Unlock()
		w, err := s.Fragment(relatedItemLayout, l)
		mu.Lock()
		once, kept, frags = string(h), string(w), frags+1
		if in {
			grew++
		}
		mu.Unlock()
		return ArticleAdditions{}, err
	}}
	if _, err := Build(context.Background(), storySite(), WithFeatures(f)); err != nil {
		t.Fatal(err)
	}
	if frags == 0 || once != kept || !strings.Contains(once, "X &amp; Y") {
		t.Errorf("%d articles; FragmentOnce %q, Fragment %q", frags, once, kept)
	}
	if grew > 0 {
		t.Errorf("FragmentOnce added to Fragment's map %d times", grew)
	}
}
