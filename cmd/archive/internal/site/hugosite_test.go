package site

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// hugoTestSite is a small Hugo site with a bit of everything the archive
// reads of one.
func hugoTestSite() fstest.MapFS {
	f := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	return fstest.MapFS{
		"hugo.toml": f(`baseURL = "https://blog.example.org/"
title = "A Hugo blog"
languageCode = "en-gb"
enableInlineShortcodes = true
[params]
  description = "Notes on <em>things</em>."
  author = "Ann"
[pagination]
  pagerSize = 2
[permalinks]
  post = "/:year/:month/:slug/"
[uglyURLs]
  notes = true
[taxonomies]
  tag = "tags"
  series = "series"
`),
		"layouts/index.html":               f(`{{ partial "hugo-only.html" . | fingerprint }}`),
		"layouts/404.html":                 f(`{{ define "main" }}{{ .Site.Params.nope | markdownify }}{{ end }}`),
		"layouts/shortcodes/note.html":     f(`<aside class="note">{{ .Inner | markdownify }}</aside>`),
		"layouts/shortcodes/who.html":      f(`{{ .Site.Params.author }} ({{ i18n "by" }})`),
		"i18n/en.toml":                     f("[by]\nother = \"written by\"\n"),
		"static/robots.txt":                f("User-agent: *\nDisallow: /drafts/\n"),
		"static/img/logo.png":              f("png"),
		"content/_index.md":                f("---\ntitle: Home\n---\nWelcome.\n"),
		"content/about.md":                 f("---\ntitle: About\naliases: [/who/, old-about]\n---\nAbout {{< who >}}.\n"),
		"content/post/_index.md":           f("---\ntitle: Posts\n---\nAll the posts.\n"),
		"content/post/first.md":            f("---\ntitle: First post\ndate: 2020-01-02\ntags: [Go, Hugo]\n---\nThe summary.\n<!--more-->\nThe rest, with a footnote[^1] and [a ref]({{< relref \"second\" >}}).\n\n{{< note >}}A *note*.{{< /note >}}\n\n[^1]: The footnote.\n"),
		"content/post/second.markdown":     f("---\ntitle: Second post\ndate: 2021-03-04\nslug: the-second\ntags: [go]\nseries: [Guide]\n---\n{{< figure src=\"cover.png\" caption=\"A cover\" >}}\n"),
		"content/post/bundle/index.md":     f("---\ntitle: A bundle\ndate: 2021-05-06\n---\n![pic](img/pic.png)\n"),
		"content/post/bundle/img/pic.png":  f("pic"),
		"content/post/headless/index.md":   f("---\nheadless: true\n---\nNot published.\n"),
		"content/post/headless/secret.png": f("secret"),
		"content/notes/n1.md":              f("---\ntitle: Note one\n---\nAn ugly URL.\n"),
		"content/docs/deep/page.md":        f("---\ntitle: Deep page\nurl: /custom/Path/\n---\nCustom URL.\n"),
		"content/docs/raw.html":            f("---\ntitle: Raw HTML\n---\n<p>Written in <b>HTML</b> by {{< who >}}.</p>\n"),
		"content/docs/nofront.md":          f("Just Markdown, no front matter.\n"),
		"content/docs/diagram.svg":         f("<svg/>"),
		"content/post/first.fr.md":         f("---\ntitle: Premier\n---\nFrench.\n"),
		"content/feeds/_index.md":          f("---\noutputs: [RSS, JSON]\n---\n"),
	}
}

func TestHugoSite(t *testing.T) {
	fsys := hugoTestSite()
	fsys["hugo.toml"].Data = append(fsys["hugo.toml"].Data, []byte("[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n")...)
	out, err := Build(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		"2020/01/first-post/index.html", "2021/03/the-second/index.html", "2021/05/a-bundle/index.html",
		"2021/05/a-bundle/img/pic.png", "notes/n1.html", "custom/Path/index.html", "docs/raw/index.html",
		"docs/nofront/index.html", "docs/diagram.svg", "about/index.html", "who/index.html", "old-about/index.html",
		"post/index.html", "post/page/2/index.html", "post/page/1/index.html", "notes/index.html", "docs/index.html",
		"tags/index.html", "tags/go/index.html", "tags/hugo/index.html", "series/guide/index.html", "series/index.html",
		"img/logo.png", "post/index.xml", "tags/go/index.xml", "en/index.html", "feeds/index.xml",
	} {
		if _, ok := out.Bytes(p); !ok {
			t.Errorf("no %s", p)
		}
	}
	for _, p := range []string{"post/headless/index.html", "post/headless/secret.png", "fr/2020/01/premier/index.html",
		"articles/first/index.html", "post/page/3/index.html", "feeds/index.html"} {
		if _, ok := out.Bytes(p); ok {
			t.Errorf("%s should not be there", p)
		}
	}
	has := func(p string, want ...string) {
		t.Helper()
		b, _ := out.Bytes(p)
		for _, w := range want {
			if !strings.Contains(string(b), w) {
				t.Errorf("%s lacks %q", p, w)
			}
		}
	}
	has("2020/01/first-post/index.html", "<title>First post · A Hugo blog</title>", `lang="en-gb"`,
		`href="https://blog.example.org/2020/01/first-post/"`, `role="doc-noteref"`, `<aside class="note">A <em>note</em>.</aside>`,
		`<a href="/2021/03/the-second/">a ref</a>`)
	has("2021/03/the-second/index.html", `<figure><img src="cover.png" alt="A cover">`)
	has("about/index.html", "About Ann (written by).")
	has("docs/raw/index.html", "<p>Written in <b>HTML</b> by Ann (written by).</p>")
	has("docs/nofront/index.html", "<h1", "Nofront", "Just Markdown")
	has("tags/go/index.html", `class="kind-term"`, "First post", "Second post")
	has("tags/index.html", `class="kind-taxonomy"`, `href="/tags/go/"`, `href="/tags/hugo/"`)
	has("post/index.html", `class="kind-section"`, "All the posts.", `href="/post/page/2/"`)
	has("robots.txt", "Disallow: /drafts/")
	has("index.xml", "A Hugo blog")
	has("index.html", "Notes on things.")
	// The summary is the text before <!--more-->.
	has("post/page/2/index.html", "The summary.")
	if b, _ := out.Bytes("post/page/2/index.html"); strings.Contains(string(b), "The rest, with") {
		t.Error("the list shows more than the summary")
	}
	// Nothing of the archive's news model on a site that has none of it:
	// no story, outlet or seed lists, no words about seeds or stories.
	for _, p := range out.Paths() {
		if strings.HasPrefix(p, "stories/") || strings.HasPrefix(p, "outlets/") || strings.HasPrefix(p, "seeds/") {
			t.Errorf("%s on a site without stories, outlets or seeds", p)
		}
		b, _ := out.Bytes(p)
		for _, w := range []string{"Archived news articles", "The story", "raw seed files", "Unknown outlet"} {
			if strings.Contains(string(b), w) {
				t.Errorf("%s says %q", p, w)
			}
		}
	}
	// Shortcodes never show as text, and their words are not the page's text.
	for _, p := range out.Paths() {
		if b, _ := out.Bytes(p); strings.Contains(string(b), "{{&lt;") || strings.Contains(string(b), "{{<") {
			t.Errorf("%s shows a shortcode as text", p)
		}
	}
}

func TestHugoSiteErrors(t *testing.T) {
	fsys := hugoTestSite()
	f := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	fsys["content/post/bad.md"] = f("---\ntitle: [\n---\n")
	fsys["content/post/worse.md"] = f("---\ntitle: Worse\ndate: someday\n---\n")
	fsys["content/post/unknown.md"] = f("---\ntitle: Unknown\n---\nText.\n\n{{< nosuch >}}\n\n{{% alsonot %}}\n")
	_, err := Build(context.Background(), fsys)
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{"content/post/bad.md:2:", "content/post/worse.md:3:", `content/post/unknown.md:6: shortcode "nosuch" not found`,
		`content/post/unknown.md:8: shortcode "alsonot" not found`} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
	if strings.Index(msg, "bad.md") > strings.Index(msg, "worse.md") {
		t.Errorf("errors are not in file order:\n%s", msg)
	}
}

func TestHugoSiteArchiveTomlWins(t *testing.T) {
	fsys := hugoTestSite()
	fsys["archive.toml"] = &fstest.MapFile{Data: []byte("title = \"The archive's own title\"\norganization = \"Org\"\n")}
	delete(fsys, "layouts/index.html")
	delete(fsys, "layouts/404.html")
	out, err := Build(context.Background(), fsys)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := out.Bytes("about/index.html")
	if !strings.Contains(string(b), "The archive&#39;s own title") || !strings.Contains(string(b), `https://blog.example.org/about/`) {
		t.Errorf("archive.toml's title and Hugo's baseURL:\n%s", b)
	}
}

// A Hugo site built to a folder (as archive build does) writes its pages
// and reports its warnings; the build to a folder has no Output to hold
// them (it panicked on a nil Output once).
func TestHugoSiteBuildTo(t *testing.T) {
	fsys := hugoTestSite()
	// Two pages with one URL: the second is left out, with a warning.
	fsys["content/post/twin.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Twin\nurl: /about/\n---\nSame URL.\n")}
	dir := filepath.Join(t.TempDir(), "public")
	rep, err := BuildTo(context.Background(), fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"2020/01/first-post/index.html", "2021/05/a-bundle/img/pic.png", "img/logo.png", "tags/go/index.html"} {
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p))); err != nil {
			t.Errorf("no %s: %v", p, err)
		}
	}
	if len(rep.Warnings) == 0 || !strings.Contains(strings.Join(rep.Warnings, "\n"), "twin.md") {
		t.Errorf("warnings: %q", rep.Warnings)
	}
}
