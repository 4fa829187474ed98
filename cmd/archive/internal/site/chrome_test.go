package site

import (
	"context"
	_ "embed"
	"strings"
	"testing"
	"testing/fstest"
)

// inlineBaseof is baseof.html as it was before layouts/chrome.html: the
// site's chrome written inline, evaluated on every page.
//
//go:embed testdata/baseof-inline.html
var inlineBaseof []byte

// navFeature adds links to the site's navigation.
type navFeature struct {
	testFeature
	links []NavLink
}

func (f *navFeature) Nav() []NavLink { return f.links }

// TestChromeAsInline: the chrome rendered once per build (chrome.html,
// Page.Chrome) writes on every page the bytes that baseof.html wrote when
// it evaluated the chrome inline, the nav link of the page itself marked
// current included; a site whose own baseof.html does not use .Chrome
// builds as before.
func TestChromeAsInline(t *testing.T) {
	for _, tc := range []struct {
		name string
		nav  []NavLink
	}{
		{"no nav", nil},
		{"nav", []NavLink{{Title: "Stories", URL: "/stories/"}, {Title: "Home <again>", URL: "/"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			build := func(m fstest.MapFS) *Output {
				t.Helper()
				out, err := Build(context.Background(), m, WithFeatures(&navFeature{links: tc.nav}))
				if err != nil {
					t.Fatal(err)
				}
				return out
			}
			got := build(storySite())
			m := storySite()
			m["layouts/baseof.html"] = &fstest.MapFile{Data: inlineBaseof}
			want := build(m)
			if g, w := strings.Join(got.Paths(), " "), strings.Join(want.Paths(), " "); g != w {
				t.Fatalf("paths\n%s\nwant\n%s", g, w)
			}
			current := 0
			for _, p := range want.Paths() {
				g, _ := got.Bytes(p)
				w, _ := want.Bytes(p)
				if string(g) != string(w) {
					t.Errorf("%s:\n%s\nwant\n%s", p, g, w)
				}
				current += strings.Count(string(g), `aria-current="page">Stories</a>`) + strings.Count(string(g), `aria-current="page">Home &lt;again&gt;</a>`)
			}
			if tc.nav != nil && current != 2 {
				t.Errorf("%d pages mark their nav link current, want the home page and the stories page", current)
			}
		})
	}
}
