package site

import (
	"context"
	"fmt"
	"html/template"
	"strings"
	"testing"
	"testing/fstest"
)

// testFeature is a Feature made of functions, for tests.
type testFeature struct {
	analyze func(s *Site) error
	article func(s *Site, a *Article) (ArticleAdditions, error)
	outlet  func(s *Site, o *Outlet) (OutletAdditions, error)
	seed    func(s *Site, sd *Seed) (SeedAdditions, error)
	emit    func(s *Site, out *Emitter) error
}

func (f *testFeature) Analyze(ctx context.Context, s *Site) error {
	if f.analyze == nil {
		return nil
	}
	return f.analyze(s)
}

func (f *testFeature) Emit(ctx context.Context, s *Site, out *Emitter) error {
	if f.emit == nil {
		return nil
	}
	return f.emit(s, out)
}

func (f *testFeature) Article(s *Site, a *Article) (ArticleAdditions, error) {
	if f.article == nil {
		return ArticleAdditions{}, nil
	}
	return f.article(s, a)
}

func (f *testFeature) Outlet(s *Site, o *Outlet) (OutletAdditions, error) {
	if f.outlet == nil {
		return OutletAdditions{}, nil
	}
	return f.outlet(s, o)
}

func (f *testFeature) Seed(s *Site, sd *Seed) (SeedAdditions, error) {
	if f.seed == nil {
		return SeedAdditions{}, nil
	}
	return f.seed(s, sd)
}

// Marks are placed by byte offsets into the body (Article.Body), across inline
// markup, each followed by its note (layouts/noteref.html); the notes are
// numbered in reading order and listed again as endnotes.
func TestMarksByBodyOffsets(t *testing.T) {
	m := testSite()
	m["content/x.md"] = &fstest.MapFile{Data: []byte("---\ntitle: X\n---\nSome *emphasised words* here, and more words.\n")}
	quote, other := "emphasised words* here", "more"
	f := &testFeature{article: func(s *Site, a *Article) (ArticleAdditions, error) {
		b, err := a.Body()
		if err != nil {
			return ArticleAdditions{}, err
		}
		body := string(b)
		i, j := strings.Index(body, quote), strings.Index(body, other)
		if a.Src.Path != "content/x.md" || i < 0 {
			return ArticleAdditions{}, nil
		}
		note, err := s.Render("noteref.html", Note{N: 7, ID: "ignored"}) // a partial, as features render their notes
		if err != nil || !strings.Contains(string(note), `aria-label="Note 7"`) {
			return ArticleAdditions{}, fmt.Errorf("render a partial: %q, %v", note, err)
		}
		return ArticleAdditions{Marks: []Mark{
			{Start: j, End: j + len(other), ID: "q-2", Class: "q", Label: "Second", Note: template.HTML("<b>two</b>")},
			{Start: i, End: i + len(quote), ID: "q-1", Class: "q", Label: "First", Note: "one"},
		}}, nil
	}}
	out, err := Build(context.Background(), m, WithFeatures(f))
	if err != nil {
		t.Fatal(err)
	}
	s := page(t, out, "articles/x/index.html")
	for _, want := range []string{
		`<p>Some <em><mark id="q-1" class="q">emphasised words</mark></em><mark class="q"> here</mark>` +
			`<a class="noteref" role="doc-noteref" id="ref-q-1" href="#note-q-1" aria-label="Note 1">1</a>` +
			`<span class="sidenote" role="doc-footnote" id="note-q-1"><span class="note-n">1</span> one <a class="backlink" role="doc-backlink" href="#ref-q-1" aria-label="Back to the text of note 1">↩</a></span>`,
		`<mark id="q-2" class="q">more</mark><a class="noteref" role="doc-noteref" id="ref-q-2" href="#note-q-2" aria-label="Note 2">2</a>`,
		`<li id="end-q-2" value="2"><span class="note-label">Second.</span> <b>two</b> <a role="doc-backlink" href="#q-2"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("want %s\nin %s", want, s[strings.Index(s, `<div class="body">`):])
		}
	}
	bad := &testFeature{article: func(s *Site, a *Article) (ArticleAdditions, error) {
		body, err := a.Body()
		return ArticleAdditions{Marks: []Mark{{Start: 0, End: len(body) + 1}}}, err
	}}
	if _, err := Build(context.Background(), m, WithFeatures(bad)); err == nil || !strings.Contains(err.Error(), "a feature marks bytes") {
		t.Errorf("a mark past the end of the body: %v", err)
	}
}
