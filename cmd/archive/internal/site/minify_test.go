package site

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestMinify(t *testing.T) {
	plain, err := Build(context.Background(), testSite())
	if err != nil {
		t.Fatal(err)
	}
	small, err := Build(context.Background(), testSite(), WithMinify(true))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(plain.Paths(), " ") != strings.Join(small.Paths(), " ") {
		t.Fatalf("minify changed the files:\n%v\n%v", plain.Paths(), small.Paths())
	}
	var shrunk []string
	for _, p := range small.Paths() {
		a, _ := plain.Bytes(p)
		b, _ := small.Bytes(p)
		switch {
		case p == "seeds/001_a.txt":
			if !bytes.Equal(a, b) {
				t.Errorf("%s: a seed is published as it is, never minified", p)
			}
		case len(b) > len(a):
			t.Errorf("%s grew from %d to %d bytes", p, len(a), len(b))
		case len(b) < len(a):
			shrunk = append(shrunk, p)
		}
	}
	for _, want := range []string{"index.html", "articles/a/index.html", "sitemap.xml", "index.xml"} {
		found := false
		for _, p := range shrunk {
			found = found || p == want
		}
		if !found {
			t.Errorf("%s was not minified (minified: %v)", want, shrunk)
		}
	}
	css := false
	for _, p := range shrunk {
		css = css || strings.HasPrefix(p, "style.") && strings.HasSuffix(p, ".css")
	}
	if !css {
		t.Errorf("the stylesheet was not minified: %v", shrunk)
	}
	// What the page says stays: the text, and code keeps its lines.
	a := page(t, small, "articles/a/index.html")
	for _, want := range []string{"The first paragraph of the alpha article", "Jane Doe", "func</span>"} {
		if !strings.Contains(a, want) {
			t.Errorf("minified page lost %q", want)
		}
	}
	if !strings.Contains(a, "<pre") {
		t.Error("no <pre> left")
	}
	// Deterministic.
	again, _ := Build(context.Background(), testSite(), WithMinify(true))
	for _, p := range small.Paths() {
		x, _ := small.Bytes(p)
		y, _ := again.Bytes(p)
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs between two minified builds", p)
		}
	}
}
