package linkcheck

import (
	"reflect"
	"testing"
	"testing/fstest"
)

func site(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, body := range files {
		m[name] = &fstest.MapFile{Data: []byte(body)}
	}
	return m
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		opts  []Option
		want  []string
	}{
		{
			name: "all good",
			files: map[string]string{
				"index.html": `<!doctype html><link rel="stylesheet" href="/style.abc.css"><a href="articles/x/">x</a>
<a href="/articles/x/#q-1">quote</a> <a href="articles/x/index.html#top">top</a> <a href="#main">skip</a>
<main id="main"><img src="img/a%20b.png" srcset="img/a%20b.png 1x, /img/c.png 2x" alt=""></main>
<a href="https://example.com/nope">ext</a> <a href="mailto:a@b.c">mail</a> <a href="tel:+1">tel</a>
<img src="data:image/png;base64,AAAA" alt=""> <a href="//cdn.example/x.js">cdn</a> <a href="">self</a> <a href="#">top</a>`,
				"style.abc.css":         "body{}",
				"img/a b.png":           "png",
				"img/c.png":             "png",
				"articles/x/index.html": `<h1 id="top">x</h1><p><mark id="q-1">q</mark> <a href="../../">home</a> <a href="../../y">y</a> <a name="old">`,
				"y/index.html":          `<a href="/articles/x/#old">named anchor</a> <a href="/articles/x/#:~:text=q">text fragment</a>`,
			},
		},
		{
			name: "broken link",
			files: map[string]string{
				"index.html": "<p>\n<a href=\"/articles/gone/\">gone</a>\n<a href=\"missing.html\">missing</a>",
			},
			want: []string{
				"index.html:2: /articles/gone/: no such file articles/gone/index.html",
				"index.html:3: missing.html: no such file missing.html",
			},
		},
		{
			name: "missing anchor",
			files: map[string]string{
				"index.html":   `<a href="a/#q-2">a</a><a href="#nowhere">b</a><p id="here"><a href="#here">c</a>`,
				"a/index.html": `<p id="q-1"><a name="q-3" id="x">`,
			},
			want: []string{
				`index.html:1: a/#q-2: no element with id "q-2" in a/index.html`,
				`index.html:1: #nowhere: no element with id "nowhere" in index.html`,
			},
		},
		{
			name: "relative paths",
			files: map[string]string{
				"a/b/index.html": `<a href="../c/">up</a><a href="../../d.html">root</a><a href="./e.html">here</a>` +
					`<a href="../../../../d.html">clamped at root</a><a href="f">folder without slash</a><a href="..">dotdot</a>`,
				"a/c/index.html":   "c",
				"d.html":           "d",
				"a/b/e.html":       "e",
				"a/b/f/index.html": "f",
				"a/index.html":     "a",
			},
		},
		{
			name: "relative path broken",
			files: map[string]string{
				"a/b/index.html": `<a href="../x/">x</a><img src="pic.png" alt="">`,
			},
			want: []string{
				"a/b/index.html:1: ../x/: no such file a/x/index.html",
				"a/b/index.html:1: pic.png: no such file a/b/pic.png",
			},
		},
		{
			name: "percent-encoded paths",
			files: map[string]string{
				"index.html":            `<a href="/seeds/caf%C3%A9%201.txt">ok</a><a href="/seeds/caf%C3%A9%202.txt">missing</a><a href="/seeds/%zz">bad</a>`,
				"seeds/café 1.txt":      "x",
				"passages/é/index.html": `<p id="ü">`,
			},
			want: []string{
				"index.html:1: /seeds/caf%C3%A9%202.txt: no such file seeds/café 2.txt",
				`index.html:1: /seeds/%zz: malformed URL: parse "/seeds/%zz": invalid URL escape "%zz"`,
			},
		},
		{
			name: "percent-encoded fragment",
			files: map[string]string{
				"index.html":            `<a href="/passages/%C3%A9/#%C3%BC">ok</a><a href="/passages/é/#ü">raw</a><a href="/passages/%C3%A9/#%C3%BD">no</a>`,
				"passages/é/index.html": `<p id="ü">`,
			},
			want: []string{`index.html:1: /passages/%C3%A9/#%C3%BD: no element with id "ý" in passages/é/index.html`},
		},
		{
			name: "query strings",
			files: map[string]string{
				"index.html":        `<a href="/search/?q=interpol&amp;kind=article">s</a><a href="/search/?q=x#results">r</a><a href="/nope/?q=1">n</a>`,
				"search/index.html": `<ol id="results">`,
			},
			want: []string{"index.html:1: /nope/?q=1: no such file nope/index.html"},
		},
		{
			name: "own base URL is internal",
			files: map[string]string{
				"index.html":   `<link rel="canonical" href="https://archive.example/"><a href="https://archive.example/a/#x">a</a><a href="https://archive.example/b/">b</a><a href="https://other.example/b/">other</a>`,
				"a/index.html": `<p id="x">`,
			},
			opts: []Option{WithBaseURL("https://archive.example")},
			want: []string{"index.html:1: https://archive.example/b/: no such file b/index.html"},
		},
		{
			name: "base href",
			files: map[string]string{
				"x/index.html":   `<base href="/docs/"><a href="page.html">p</a><a href="gone.html">g</a>`,
				"docs/page.html": "p",
			},
			want: []string{"x/index.html:1: gone.html: no such file docs/gone.html"},
		},
		{
			name: "links in scripts and comments are not links",
			files: map[string]string{
				"index.html": `<script>var s = '<a href="/nope/">';</script><!-- <a href="/gone/"> --><template><p id="t"></p></template><textarea><a href="/nope/"></textarea>`,
			},
		},
		{
			name: "form, srcset, video poster and link icon",
			files: map[string]string{
				"index.html": `<form action="/search/"></form><link rel="icon" href="/favicon.ico"><video poster="/p.jpg" src="/v.mp4"></video>` +
					"\n" + `<img src="/a.png" srcset="/a.png 1x, /a2.png 2x" alt="">`,
				"a.png": "a",
			},
			want: []string{
				"index.html:1: /search/: no such file search/index.html",
				"index.html:1: /favicon.ico: no such file favicon.ico",
				"index.html:1: /p.jpg: no such file p.jpg",
				"index.html:1: /v.mp4: no such file v.mp4",
				"index.html:2: /a2.png: no such file a2.png",
			},
		},
		{
			name: "style sheets",
			files: map[string]string{
				"index.html": "<style>\n.a { background: url('img/ok.png') }\n.b { background: url(img/gone.png) }\n</style>" +
					`<p style="background-image: url(&quot;/img/also-gone.png&quot;)">`,
				"css/site.css": "/* url(commented-out.png) */\n@import \"print.css\";\n@font-face { src: url(../fonts/a.woff2) format(\"woff2\"), url(data:font/woff2;base64,AAAA) }\n" +
					".c { fill: url(#grad); background: url( \"../img/ok.png\" ) }\n.d { background: url(/img/missing.svg#icon) }",
				"css/print.css": "",
				"img/ok.png":    "png",
			},
			want: []string{
				"css/site.css:3: ../fonts/a.woff2: no such file fonts/a.woff2",
				"css/site.css:5: /img/missing.svg#icon: no such file img/missing.svg",
				"index.html:3: img/gone.png: no such file img/gone.png",
				"index.html:4: /img/also-gone.png: no such file img/also-gone.png",
			},
		},
		{
			name: "alias redirects",
			files: map[string]string{
				"old/index.html":  `<meta http-equiv="refresh" content="0; url=/new/">`,
				"old2/index.html": `<meta http-equiv="Refresh" content="0;URL='/gone/'">`,
				"old3/index.html": `<meta http-equiv="refresh" content="30"><meta name="x" content="0; url=/not-a-link/">`,
				"new/index.html":  "new",
			},
			want: []string{"old2/index.html:1: /gone/: no such file gone/index.html"},
		},
		{
			name: "fragment into a non-HTML file is not checked",
			files: map[string]string{
				"index.html": `<a href="/f.pdf#page=2">pdf</a>`,
				"f.pdf":      "%PDF",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range Check(site(tc.files), tc.opts...) {
				got = append(got, p.String())
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("problems:\n%q\nwant:\n%q", got, tc.want)
			}
		})
	}
}
