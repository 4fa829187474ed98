package ingest

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestParasOfMadeElements: elements made by Readability (a <p> for a run
// of text between <br><br>) carry a name but no atom, and are paragraphs
// all the same.
func TestParasOfMadeElements(t *testing.T) {
	div := &html.Node{Type: html.ElementNode, Data: "div"}
	for _, s := range []string{"05/10/2018 - Publicado por: Clarissa Borba", "A equipe do Serviço registrou o arrombamento."} {
		p := &html.Node{Type: html.ElementNode, Data: "p"} // as dom.CreateElement makes it
		p.AppendChild(&html.Node{Type: html.TextNode, Data: s})
		div.AppendChild(p)
	}
	var have []string
	for _, p := range htmlParas(div) {
		have = append(have, p.Text())
	}
	want := []string{"05/10/2018 - Publicado por: Clarissa Borba", "A equipe do Serviço registrou o arrombamento."}
	if strings.Join(have, "|") != strings.Join(want, "|") {
		t.Errorf("have %q\nwant %q", have, want)
	}
}

// TestParasBrBr: two <br> in a row end a paragraph; one is a line break.
func TestParasBrBr(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`<div>a line<br>the next line</div>`, "a line\nthe next line"},
		{`<div><small>Posted by Jane</small><br><br>The story.</div>`, "Posted by Jane|The story."},
		{`<div><small>Posted by Jane</small><br> <br>The story.</div>`, "Posted by Jane|The story."},
		{`<pre>a<br><br>b</pre>`, "a\n\nb"},
	} {
		doc, err := html.Parse(strings.NewReader(tc.in))
		if err != nil {
			t.Fatal(err)
		}
		var have []string
		for _, p := range htmlParas(doc) {
			have = append(have, p.Text())
		}
		if strings.Join(have, "|") != tc.want {
			t.Errorf("%s:\nhave %q\nwant %q", tc.in, strings.Join(have, "|"), tc.want)
		}
	}
}

// TestLineWords: scripts written without spaces count a word per two
// characters; others a word per field.
func TestLineWords(t *testing.T) {
	for _, tc := range []struct {
		line string
		want int
	}{
		{"The council met on Tuesday.", 5},
		{"先日、不正に改造したiPhoneを販売した", 7},
		{"商標法違反", 3},
		{"ข่าวการเมือง วันนี้", 9},
		{"", 0},
	} {
		if have := lineWords(tc.line); have != tc.want {
			t.Errorf("lineWords(%q) = %d, want %d", tc.line, have, tc.want)
		}
	}
}

// TestClassWords: a class or id names what is not the article by a word
// in it, cut at -, _ and changes of case.
func TestClassWords(t *testing.T) {
	for _, tc := range []struct {
		class string
		want  bool
	}{
		{"InlineImage-imageEmbedCaption", true},
		{"jp-relatedposts-post", true},
		{"relatedArticles", true},
		{"story-body", false},
		{"correlated", false},
		{"bionic-reader", false},
	} {
		if have := classWords(tc.class); have != tc.want {
			t.Errorf("classWords(%q) = %v, want %v", tc.class, have, tc.want)
		}
	}
}
