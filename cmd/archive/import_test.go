package main

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// runImport runs `archive import args...` and returns status, stdout, stderr.
func runImport(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"import"}, args...),
		&env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

// importSite makes a site root with two seeds.
func importSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(dir, "seeds"), 0o755))
	must(os.WriteFile(filepath.Join(dir, "seeds", "001_a.txt"),
		[]byte("---\ntitle: 'Kept headline'\ndraft: false\n---\n\nSAN FRANCISCO (Reuters) - Body.\n\nReporting by Joseph Menn; editing by Diane Craft\n"), 0o644))
	must(os.WriteFile(filepath.Join(dir, "seeds", "000_b.txt"),
		[]byte("This article is more than 1 year old\n\nA headline from the text\n\nBody text. ®\n\nMore about\n"), 0o644))
	return dir
}

func TestImportLifecycle(t *testing.T) {
	dir := importSite(t)
	kept := filepath.Join(dir, "content", "kept-headline.md")
	fromText := filepath.Join(dir, "content", "a-headline-from-the-text.md")

	code, out, errs := runImport(t, "-s", dir, "--dry-run")
	if code != 0 || !strings.Contains(out, "would be created  content/kept-headline.md  ← seeds/001_a.txt") {
		t.Fatalf("dry run: %d %q %q", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "content")); err == nil {
		t.Fatal("--dry-run wrote content/")
	}

	code, out, _ = runImport(t, "--source", dir)
	want := "created           content/a-headline-from-the-text.md  ← seeds/000_b.txt\n" +
		"created           content/kept-headline.md  ← seeds/001_a.txt\n"
	if code != 0 || out != want {
		t.Fatalf("first import: %d\n%s\nwant\n%s", code, out, want)
	}
	data, err := os.ReadFile(kept)
	if err != nil || !strings.HasPrefix(string(data), "---\ntitle: 'Kept headline'\ndraft: false\nsubtitle: \"\"\noutlet: \"Reuters\"\n") ||
		!strings.Contains(string(data), "author: \"Joseph Menn\"") {
		t.Fatalf("content file:\n%s (%v)", data, err)
	}

	code, out, _ = runImport(t, "-s", dir)
	if code != 0 || strings.Count(out, "unchanged ") != 2 {
		t.Fatalf("second import should change nothing: %d\n%s", code, out)
	}

	edited := append(data, "An editor's note.\n"...)
	if err := os.WriteFile(kept, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runImport(t, "-s", dir)
	if code != 0 || !strings.Contains(out, "skipped (edited)  content/kept-headline.md") || !strings.Contains(out, "use --force to overwrite") {
		t.Fatalf("edited file: %d\n%s", code, out)
	}
	if have, _ := os.ReadFile(kept); !bytes.Equal(have, edited) {
		t.Fatal("import changed an edited file without --force")
	}

	code, out, _ = runImport(t, "-s", dir, "--force", filepath.Join(dir, "seeds", "001_a.txt"))
	if code != 0 || out != "overwritten       content/kept-headline.md  ← seeds/001_a.txt\n" {
		t.Fatalf("--force: %d\n%s", code, out)
	}
	if have, _ := os.ReadFile(kept); !bytes.Equal(have, data) {
		t.Fatal("--force did not restore the imported file")
	}
	if _, err := os.Stat(fromText); err != nil {
		t.Fatal(err)
	}
	ents, _ := os.ReadDir(filepath.Join(dir, "content"))
	if len(ents) != 2 {
		t.Errorf("content/ holds %d entries, want 2 (temp files left behind?)", len(ents))
	}

	// An editor renames a file: import finds it by its seed: key.
	renamed := filepath.Join(dir, "content", "better-name.md")
	if err := os.Rename(kept, renamed); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runImport(t, "-s", dir)
	if code != 0 || !strings.Contains(out, "unchanged         content/better-name.md  ← seeds/001_a.txt") {
		t.Fatalf("renamed file: %d\n%s", code, out)
	}
	if _, err := os.Stat(kept); err == nil {
		t.Error("import wrote a second article for a renamed one")
	}
}

func TestImportErrors(t *testing.T) {
	dir := importSite(t)
	bad := filepath.Join(dir, "seeds", "002_bad.txt")
	if err := os.WriteFile(bad, []byte("Headline\n\nline two \xff\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	unsafe := filepath.Join(t.TempDir(), "seeds")
	if err := os.MkdirAll(unsafe, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(unsafe, "a b.txt"), []byte("Headline\n\nText.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"invalid UTF-8 names file and line", []string{"-s", dir}, 1, "seeds/002_bad.txt:3: invalid UTF-8"},
		{"a file that is not a capture", []string{"-s", dir, "/etc/hostname"}, 2, "not a capture import reads"},
		{"an unsafe name in seeds/", []string{"-s", filepath.Dir(unsafe)}, 1, "unsafe seed name"},
		{"a missing file", []string{"-s", dir, filepath.Join(dir, "seeds", "nope.txt")}, 1, "nope.txt"},
		{"no seeds folder", []string{"-s", t.TempDir()}, 2, "no seeds/ folder"},
		{"unknown flag", []string{"--frce"}, 2, "flag provided but not defined"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errs := runImport(t, tc.args...)
			if code != tc.code || !strings.Contains(errs, tc.msg) {
				t.Errorf("status %d, stderr %q; want %d and %q", code, errs, tc.code, tc.msg)
			}
		})
	}
	// The bad seed stopped nothing else: the two good seeds were imported.
	ents, _ := os.ReadDir(filepath.Join(dir, "content"))
	if len(ents) != 2 {
		t.Errorf("content/ holds %d files, want the 2 good seeds' articles", len(ents))
	}
}

// The committed content/ is the archive's edited state: every file must
// parse, point at its seed with the right hash, name its outlet, and anchor
// its notes to words that are in its body.
func TestCommittedContent(t *testing.T) {
	root := os.DirFS("../..")
	arts, err := article.LoadDir(root, "content")
	if err != nil {
		t.Fatal(err)
	}
	if len(arts) != 5 {
		t.Errorf("%d articles in content/, want the 5 seeds' articles", len(arts))
	}
	notes := 0
	for _, a := range arts {
		notes += len(a.Meta.Notes)
		seed, err := fs.ReadFile(root, a.Meta.Seed)
		if err != nil {
			t.Errorf("%s: seed %q: %v", a.Path, a.Meta.Seed, err)
			continue
		}
		if sum := sha256.Sum256(seed); hex.EncodeToString(sum[:]) != a.Meta.SeedSHA256 {
			t.Errorf("%s: seed_sha256 does not match %s", a.Path, a.Meta.Seed)
		}
		if a.Meta.Outlet == "" {
			t.Errorf("%s: no outlet", a.Path)
		}
		body := strings.Join(strings.Fields(string(a.Body)), " ")
		for _, n := range a.Meta.Notes {
			if !strings.Contains(body, strings.Join(strings.Fields(n.Quote), " ")) {
				t.Errorf("%s:%d: note quote %q is not in the body", a.Path, n.Line, n.Quote)
			}
		}
	}
	if notes == 0 {
		t.Error("no editor notes in content/; the Techdirt article has one")
	}
}

// testPage is a news page as a browser saves it: navigation, share
// buttons, JSON-LD, the article, and WordPress-style nested comments.
func testPage(headline, charsetMeta string) string {
	return `<!DOCTYPE html><html lang="en-GB"><head>` + charsetMeta + `
<title>` + headline + ` | The Daily Example</title>
<meta property="og:site_name" content="The Daily Example">
<link rel="canonical" href="https://daily.example/2021/03/03/` + strings.ToLower(strings.ReplaceAll(headline, " ", "-")) + `">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"` + headline + `",
"author":{"@type":"Person","name":"Jane Doe"},"datePublished":"2021-03-03T10:14:00-05:00","publisher":{"@type":"Organization","name":"The Daily Example"}}</script>
</head><body>
<a href="#main">Skip to main content</a>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/tech">Tech</a></li></ul></nav>
<main id="main"><article>
<h1>` + headline + `</h1>
<p class="byline">By Jane Doe | March 3, 2021, 10:14 AM EST</p>
<div class="share"><a>Facebook</a> <a>Twitter</a> <a>Email</a></div>
<p>The police agency said on Tuesday that strong encryption helps criminals hide, and that technology companies should build ways for investigators to read messages when a court allows it.</p>
<p>Critics answered that any such access would weaken the security of every user, since a door built for the police can be found and opened by others, including hostile governments and thieves.</p>
<p>The statement follows similar calls by ministers in several countries over the past year, none of which has yet become law, and it was welcomed by groups that work against child abuse.</p>
<p>Companies that make messaging apps said they would not change their designs, and one of them called the proposal a gift to the criminals it claims to fight.</p>
</article>
<aside><h2>Most read</h2><ul><li><a>Another story</a></li><li><a>A third story</a></li></ul></aside>
<section id="comments" class="comments-area"><h2>3 comments</h2>
<ol class="comment-list">
<li id="comment-1" class="comment"><article class="comment-body"><footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Alice Reader</b> <span class="says">says:</span></div><div class="comment-metadata"><time datetime="2021-03-03T11:00:00">March 3, 2021 at 11:00 am</time></div></footer>
<div class="comment-content"><p>This would make everyone less safe.</p></div><div class="reply"><a>Reply</a></div></article>
<ol class="children"><li id="comment-2" class="comment"><article class="comment-body"><footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Bob Answer</b> <span class="says">says:</span></div></footer>
<div class="comment-content"><p>Agreed, and it would not stop the criminals either.</p></div></article></li></ol>
</li>
<li id="comment-3" class="comment"><article class="comment-body"><footer class="comment-meta"><div class="comment-author vcard"><b class="fn">Carol Third</b></div></footer>
<div class="comment-content"><p>The police have a hard job too.</p></div></article></li>
</ol></section>
<footer><p>© 2021 The Daily Example. All rights reserved.</p></footer>
</body></html>`
}

// testWARC writes records (type, target URI, HTTP head, body) as a WARC
// 1.1 file, each record gzipped.
func testWARC(t *testing.T, recs [][4]string) []byte {
	t.Helper()
	var out bytes.Buffer
	for i, r := range recs {
		block := r[2] + "\r\n" + r[3]
		ctype := "application/http; msgtype=response"
		if r[0] == "request" {
			ctype = "application/http; msgtype=request"
		}
		head := "WARC/1.1\r\nWARC-Type: " + r[0] + "\r\nWARC-Record-ID: <urn:uuid:0000000" + strconv.Itoa(i) +
			"-0000-4000-8000-000000000000>\r\nWARC-Date: 2021-03-04T12:00:00Z\r\nWARC-Target-URI: " + r[1] +
			"\r\nContent-Type: " + ctype + "\r\nContent-Length: " + strconv.Itoa(len(block)) + "\r\n\r\n"
		zw := gzip.NewWriter(&out)
		zw.Write([]byte(head + block + "\r\n\r\n"))
		zw.Close()
	}
	return out.Bytes()
}

func gz(s string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.String()
}

func chunked(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		n := min(len(s), 700)
		b.WriteString(strconv.FormatInt(int64(n), 16) + "\r\n" + s[:n] + "\r\n")
		s = s[n:]
	}
	return b.String() + "0\r\n\r\n"
}

func putFile(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			out[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return out
}

func TestImportSavedPage(t *testing.T) {
	site := t.TempDir()
	putFile(t, filepath.Join(site, "seeds", ".keep"), nil)
	page := filepath.Join(t.TempDir(), "Saved page (1).html")
	putFile(t, page, []byte(testPage("Police ask for a key to encrypted chats", `<meta charset="utf-8">`)))

	code, out, errs := runImport(t, "-s", site, page)
	if code != 0 {
		t.Fatalf("import: %d\n%s\n%s", code, out, errs)
	}
	tree := readTree(t, site)
	seed, ok := tree["seeds/Saved-page-1-.html"]
	if !ok || seed != testPage("Police ask for a key to encrypted chats", `<meta charset="utf-8">`) {
		t.Fatalf("the page was not kept byte for byte in seeds/: %v", keys(tree))
	}
	md, ok := tree["content/police-ask-for-a-key-to-encrypted-chats.md"]
	if !ok {
		t.Fatalf("no article: %v\n%s", keys(tree), out)
	}
	a, err := article.Parse("x.md", []byte(md))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(seed))
	m := a.Meta
	for _, c := range [][2]string{
		{m.Title, "Police ask for a key to encrypted chats"}, {m.Outlet, "The Daily Example"}, {m.Author, "Jane Doe"},
		{m.Date.Format(time.RFC3339), "2021-03-03T10:14:00-05:00"}, {m.Language, "en-GB"}, {m.Seed, "seeds/Saved-page-1-.html"},
		{m.SeedSHA256, hex.EncodeToString(sum[:])},
		{m.SourceURL, "https://daily.example/2021/03/03/police-ask-for-a-key-to-encrypted-chats"},
	} {
		if c[0] != c[1] {
			t.Errorf("have %q, want %q", c[0], c[1])
		}
	}
	body := string(a.Body)
	for _, furniture := range []string{"Skip to main content", "Home", "Facebook", "Most read", "All rights reserved", "By Jane Doe"} {
		if strings.Contains(body, furniture) {
			t.Errorf("furniture %q in the body:\n%s", furniture, body)
		}
	}
	wantComments := "## Reader comments\n\n### Alice Reader\n\n*March 3, 2021 at 11:00 am*\n\nThis would make everyone less safe.\n\n" +
		"#### Bob Answer\n\nAgreed, and it would not stop the criminals either.\n\n### Carol Third\n\nThe police have a hard job too.\n"
	if !strings.HasSuffix(body, wantComments) {
		t.Errorf("comments: have\n%s\nwant it to end with\n%s", body, wantComments)
	}

	// Again: nothing changes, the seed is not copied twice.
	code, out, _ = runImport(t, "-s", site, page)
	if code != 0 || !strings.Contains(out, "unchanged") || strings.Contains(out, "kept") {
		t.Errorf("second import: %d\n%s", code, out)
	}
	if again := readTree(t, site); len(again) != len(tree) {
		t.Errorf("second import changed the site: %v then %v", keys(tree), keys(again))
	}
	// And with no path: seeds/ is imported again, unchanged.
	code, out, _ = runImport(t, "-s", site)
	if code != 0 || !strings.Contains(out, "unchanged") {
		t.Errorf("import of seeds/: %d\n%s", code, out)
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestImportWARC(t *testing.T) {
	site := t.TempDir()
	putFile(t, filepath.Join(site, "seeds", ".keep"), nil)
	good := testPage("Police ask for a key to encrypted chats", "")
	latin := strings.ReplaceAll(testPage("Café owners protest", `<meta charset="windows-1252">`), "Café", "Caf\xe9")
	warc := testWARC(t, [][4]string{
		{"request", "https://daily.example/a", "GET /a HTTP/1.1\r\nHost: daily.example\r\n", ""},
		{"response", "https://daily.example/a", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", chunked(gz(good))},
		{"revisit", "https://daily.example/a", "HTTP/1.1 200 OK\r\n", ""},
		{"response", "https://daily.example/logo.png", "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n", "\x89PNG\r\n\x1a\n"},
		{"response", "https://daily.example/b", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n", latin},
		{"response", "https://daily.example/c", "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=x-klingon\r\n", "<html><body><p>\xff\xfe</p></body></html>"},
		{"response", "https://daily.example/", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n", "<html><head><title>Home</title></head><body><nav><a>News</a></nav></body></html>"},
		{"response", "https://daily.example/old", "HTTP/1.1 301 Moved\r\nLocation: /a\r\n", ""},
	})
	src := filepath.Join(t.TempDir(), "crawl.warc.gz")
	putFile(t, src, warc)

	code, out, errs := runImport(t, "-s", site, src)
	if code != 1 {
		t.Errorf("status %d, want 1 for the record with an unknown charset\n%s\n%s", code, out, errs)
	}
	if !strings.Contains(errs, "urn:uuid:00000005") || !strings.Contains(errs, `unknown charset "x-klingon"`) {
		t.Errorf("the error should name the record and the charset:\n%s", errs)
	}
	if !strings.Contains(out, "seeds/crawl.warc.gz: 8 records, 2 articles, 1 revisits, 1 pages without article text, 1 not web pages, 1 redirects or errors, 1 requests and metadata, 1 unreadable") {
		t.Errorf("summary line:\n%s", out)
	}
	tree := readTree(t, site)
	if tree["seeds/crawl.warc.gz"] != string(warc) {
		t.Fatalf("the WARC was not kept whole: %v", keys(tree))
	}
	cafe, ok := tree["content/cafe-owners-protest.md"]
	if !ok || !strings.Contains(cafe, `title: "Café owners protest"`) {
		t.Errorf("windows-1252 page: %v\n%s", keys(tree), cafe)
	}
	md := tree["content/police-ask-for-a-key-to-encrypted-chats.md"]
	for _, want := range []string{`seed: "seeds/crawl.warc.gz"`, `seed_record: "<urn:uuid:00000001-0000-4000-8000-000000000000>"`,
		`seed_uri: "https://daily.example/a"`, `captured: "2021-03-04T12:00:00Z"`, "Critics answered"} {
		if !strings.Contains(md, want) {
			t.Errorf("article from the WARC lacks %q:\n%s", want, md)
		}
	}

	// The same capture again changes nothing.
	code, out, _ = runImport(t, "-s", site, src)
	if again := readTree(t, site); !equalTrees(again, tree) {
		t.Errorf("second import changed the site (%d):\n%s", code, out)
	}

	// Truncated: what was read before the cut is imported, the cut named.
	site2 := t.TempDir()
	putFile(t, filepath.Join(site2, "seeds", ".keep"), nil)
	cut := filepath.Join(t.TempDir(), "cut.warc.gz")
	putFile(t, cut, warc[:len(warc)-40])
	code, out, errs = runImport(t, "-s", site2, cut)
	if code != 1 || !strings.Contains(errs, "seeds/cut.warc.gz: unreadable after record 7") {
		t.Errorf("truncated WARC: %d\n%s\n%s", code, out, errs)
	}
	if _, ok := readTree(t, site2)["content/police-ask-for-a-key-to-encrypted-chats.md"]; !ok {
		t.Errorf("the records before the cut were not imported:\n%s", out)
	}

	// A WACZ with the WARC inside.
	var z bytes.Buffer
	zw := zip.NewWriter(&z)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "archive/data.warc.gz", Method: zip.Store})
	w.Write(warc)
	zw.Close()
	site3 := t.TempDir()
	putFile(t, filepath.Join(site3, "seeds", ".keep"), nil)
	wacz := filepath.Join(t.TempDir(), "pack.wacz")
	putFile(t, wacz, z.Bytes())
	code, out, errs = runImport(t, "-s", site3, wacz)
	if !strings.Contains(out, "seeds/pack.wacz: 8 records, 2 articles") {
		t.Errorf("WACZ: %d\n%s\n%s", code, out, errs)
	}
}

func equalTrees(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestImportLimitsAndLinks(t *testing.T) {
	site := t.TempDir()
	putFile(t, filepath.Join(site, "seeds", ".keep"), nil)
	outside := t.TempDir()
	secret := filepath.Join(t.TempDir(), "secret.txt")
	putFile(t, secret, []byte("Secret headline\n\nThe build machine's secrets.\n"))
	putFile(t, filepath.Join(outside, "page.html"), []byte(testPage("Police ask for a key to encrypted chats", "")))
	big := strings.Repeat("<p>word word word word word word word word.</p>\n", 50000) // 2.4 MB
	putFile(t, filepath.Join(outside, "big.html"), []byte("<html><body>"+big+"</body></html>"))
	if err := os.Symlink(secret, filepath.Join(outside, "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "page.html"), filepath.Join(outside, "inside.htm")); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runImport(t, "-s", site, "--max-page", "1", outside)
	if code != 1 {
		t.Errorf("status %d, want 1", code)
	}
	for _, want := range []string{"link.txt: symbolic link to " + secret + ", outside the folder you named: not read",
		"big.html: larger than 1 MB"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	tree := readTree(t, site)
	for p, data := range tree {
		if strings.Contains(data, "secrets") {
			t.Errorf("%s holds the linked file's text", p)
		}
	}
	if _, ok := tree["content/police-ask-for-a-key-to-encrypted-chats.md"]; !ok {
		t.Errorf("the good page was not imported: %v\n%s", keys(tree), out)
	}
	// The link inside the folder to a page inside it is read, and the
	// same bytes are kept once.
	n := 0
	for p := range tree {
		if strings.HasPrefix(p, "seeds/") && strings.HasSuffix(p, ".htm") || strings.HasSuffix(p, ".html") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d copies of the page in seeds/, want 1: %v", n, keys(tree))
	}

	// A link in seeds/ to a file outside the site: an error naming both.
	if err := os.Symlink(secret, filepath.Join(site, "seeds", "env.txt")); err != nil {
		t.Fatal(err)
	}
	code, _, errs = runImport(t, "-s", site)
	if code != 1 || !strings.Contains(errs, "seeds/env.txt: symbolic link to "+secret+", outside the site") {
		t.Errorf("link out of seeds/: %d\n%s", code, errs)
	}
	for p, data := range readTree(t, filepath.Join(site, "content")) {
		if strings.Contains(data, "secrets") {
			t.Errorf("content/%s holds the linked file's text", p)
		}
	}
}
