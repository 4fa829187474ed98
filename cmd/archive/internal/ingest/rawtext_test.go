package ingest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// sameTree reports whether stripRaw(src) parses to the tree src parses to,
// the text of scripts (but JSON ones) and style sheets and the comments
// left out of both (the text around a comment renders as one).
func sameTree(t *testing.T, name, src string) {
	t.Helper()
	render := func(s string) string {
		doc, err := html.Parse(strings.NewReader(s))
		if err != nil {
			t.Fatal(err)
		}
		walk(doc, func(n *html.Node) bool {
			if (n.DataAtom == atom.Script && !strings.Contains(strings.ToLower(attr(n, "type")), "json") || n.DataAtom == atom.Style) && n.FirstChild != nil {
				n.FirstChild, n.LastChild = nil, nil
			}
			if n.DataAtom == atom.Svg {
				n.FirstChild, n.LastChild = nil, nil
			}
			for c := n.FirstChild; c != nil; {
				next := c.NextSibling
				if c.Type == html.CommentNode {
					n.RemoveChild(c)
				}
				c = next
			}
			return true
		})
		var b bytes.Buffer
		html.Render(&b, doc)
		return b.String()
	}
	stripped := stripRaw(src)
	if want, got := render(src), render(stripped); want != got {
		i := 0
		for i < len(want) && i < len(got) && want[i] == got[i] {
			i++
		}
		t.Errorf("%s: trees differ at byte %d:\nwant …%.200q\n got …%.200q", name, i, want[max(0, i-80):], got[max(0, i-80):])
	}
}

func TestStripRaw(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		gone      []string // texts stripRaw must take out
	}{
		{"script and style", `<html><head><style>p{color:red}</style><script>var a = "<p>x</p>";</script></head><body><p>Text</p><script src=x.js></script></body></html>`,
			[]string{"color:red", "var a"}},
		{"JSON-LD kept", `<head><script type="application/ld+json">{"headline":"H"}</script><script>track()</script></head><body><p>T</p>`, []string{"track()"}},
		{"script in a comment", `<body><!-- <script> --><p>Real text</p><script>x()</script>`, []string{"x()"}},
		{"script in an attribute", `<body><a title="<script>">link</a><p>Real text</p><script>y()</script>`, []string{"y()"}},
		{"script in a title", `<head><title>About <script> tags</title></head><body><p>Real text</p>`, nil},
		{"escaped script data kept", `<body><script><!-- document.write("<script>z()</script>") --></script><p>Real text</p>`, nil},
		{"upper case and odd end tags", `<BODY><SCRIPT type=text/javascript>w()</SCRIPT ><STYLE>b{}</style
><p>Real text</p>`, []string{"w()", "b{}"}},
		{"end tag look-alike inside", `<body><script>var s = "</scripts>"; v()</script><p>Real text</p>`, []string{"v()"}},
		{"never closed", `<body><p>Real text</p><script>u()`, nil},
		{"textarea holds a script tag", `<body><textarea><script>t()</script></textarea><p>Real text</p>`, nil},
		{"plaintext", `<body><plaintext><script>p()</script>`, nil},
		{"comments", `<body><!-- a --><p>Real<!-- b --> text</p><!-- <script>c()</script> --><!--></p><p>kept<!--->d--></p>`,
			[]string{" a ", " b ", "c()"}},
		{"a comment that ends at --!>", `<body><!-- x --!><p>Real text</p><!-- y -->`, nil},
		{"a comment that would join a tag", `<body><p>Real text &lt<!-- x -->;<<!-- y -->p>z</p>`, nil},
		{"svg", `<body><p>Real <svg viewBox="0 0 2 2"><title>Share</title><path d="M0 0L2 2"/></svg> text</p><svg/><p>more</p>`,
			[]string{"M0 0L2 2", "Share"}},
		{"svg that a tag ends", `<body><svg><path d="M1"/><p>Real text</p></svg><svg><g></svg></g></svg>`, nil},
		{"svg nested, or with a comment", `<body><svg><svg><path d="M2"/></svg><path d="M3"/></svg><svg><!-- </svg> --></svg><p>Real text</p>`, nil},
		{"quoted > in attributes", `<body><script data-x="a>b" src='c>d'>q()</script><p>Real text</p>`, []string{"q()"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := stripRaw(tc.src)
			for _, g := range tc.gone {
				if strings.Contains(got, g) {
					t.Errorf("kept %q: %s", g, got)
				}
			}
			sameTree(t, tc.name, tc.src)
		})
	}
}

// TestStripRawRealPages checks on every real page that the tree is the
// same without the scripts' and styles' text.
func TestStripRawRealPages(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(realDir, "*.html"))
	if len(files) == 0 {
		t.Skip("no real pages: run sh cmd/archive/internal/ingest/testdata/fetch-real.sh (needs the mirrors it names)")
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text, _, err := decodeHTML(src, "")
		if err != nil {
			continue
		}
		sameTree(t, filepath.Base(f), text)
	}
}
