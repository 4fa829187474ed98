package snapshot

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// warcMember is one gzip member of a WARC: where it is and what it holds.
type warcMember struct {
	offset, length int64
	data           []byte // decompressed record
}

func (m warcMember) header(name string) string {
	head, _, _ := strings.Cut(string(m.data), "\r\n\r\n")
	for _, l := range strings.Split(head, "\r\n") {
		if k, v, ok := strings.Cut(l, ": "); ok && k == name {
			return v
		}
	}
	return ""
}

// splitWARC splits a per-record gzip WARC into its members.
func splitWARC(t testing.TB, b []byte) []warcMember {
	t.Helper()
	var out []warcMember
	cr := &countingReader{r: bufio.NewReader(bytes.NewReader(b))}
	z := new(gzip.Reader)
	for {
		start := cr.n
		if _, err := cr.r.Peek(1); err == io.EOF {
			return out
		}
		if err := z.Reset(cr); err != nil {
			t.Fatal(err)
		}
		z.Multistream(false)
		data, err := io.ReadAll(z)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, warcMember{start, cr.n - start, data})
	}
}

func TestWACZGolden(t *testing.T) {
	b := writeWACZ(t, testSources(), testOptions()...)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	members, order := unzipMembers(t, b)
	var got strings.Builder
	got.WriteString("-- members --\n")
	for _, f := range zr.File {
		method := map[uint16]string{zip.Store: "stored", zip.Deflate: "deflated"}[f.Method]
		fmt.Fprintf(&got, "%s %s %s\n", f.Name, method, f.Modified.UTC().Format("2006-01-02T15:04:05Z"))
	}
	got.WriteString("-- archive/data.warc.gz (record headers) --\n")
	for _, m := range splitWARC(t, members[waczWARC]) {
		head, _, _ := strings.Cut(string(m.data), "\r\n\r\n")
		fmt.Fprintf(&got, "@%d+%d\n%s\n\n", m.offset, m.length, strings.ReplaceAll(head, "\r\n", "\n"))
	}
	for _, name := range order[1:] {
		got.WriteString("-- " + name + " --\n" + string(members[name]))
	}
	golden(t, "testdata/wacz.golden", got.String())
}

func TestWACZRecords(t *testing.T) {
	members, _ := unzipMembers(t, writeWACZ(t, testSources(), testOptions()...))
	recs := splitWARC(t, members[waczWARC])
	if typ := recs[0].header("WARC-Type"); typ != "warcinfo" {
		t.Fatalf("first record is %s, want warcinfo", typ)
	}
	ids := map[string]string{} // target URI -> response record ID
	types := map[string]int{}
	for _, r := range recs {
		typ, uri := r.header("WARC-Type"), r.header("WARC-Target-URI")
		types[typ]++
		for _, f := range []string{"WARC-Record-ID", "WARC-Date", "Content-Length", "WARC-Block-Digest"} {
			if r.header(f) == "" {
				t.Errorf("%s record %s has no %s", typ, uri, f)
			}
		}
		if !strings.HasPrefix(string(r.data), "WARC/1.1\r\n") || !strings.HasSuffix(string(r.data), "\r\n\r\n") {
			t.Errorf("record %s is not WARC/1.1 ... CRLF CRLF", uri)
		}
		switch typ {
		case "response":
			ids[uri] = r.header("WARC-Record-ID")
			if !strings.Contains(string(r.data), "\r\n\r\nHTTP/1.1 200 OK\r\n") {
				t.Errorf("response %s has no HTTP/1.1 header block", uri)
			}
		case "metadata":
			if ids[uri] == "" || r.header("WARC-Refers-To") != ids[uri] {
				t.Errorf("metadata for %s refers to %q, want the response just before it (%q)", uri, r.header("WARC-Refers-To"), ids[uri])
			}
		}
	}
	if want := map[string]int{"warcinfo": 1, "response": 7, "metadata": 3}; fmt.Sprint(types) != fmt.Sprint(want) {
		t.Errorf("record types %v, want %v (one response per site file, one metadata per annotated page)", types, want)
	}
	if _, ok := ids["https://archive.example.org/articles/register/"]; !ok {
		t.Errorf("index.html not captured at its folder URL: %v", ids)
	}
	for _, r := range recs {
		if r.header("WARC-Type") != "metadata" {
			continue
		}
		var page struct {
			Type  string
			Items []struct{ ID string }
		}
		_, body, _ := strings.Cut(string(r.data), "\r\n\r\n")
		want := 1
		if r.header("WARC-Target-URI") == "https://archive.example.org/articles/reuters/" {
			want = 2 // one by source, one by scope (its source, body.md, is not in the site)
		}
		if err := json.Unmarshal([]byte(body), &page); err != nil || page.Type != "AnnotationPage" || len(page.Items) != want {
			t.Errorf("metadata for %s: %v %+v, want an AnnotationPage with %d annotation(s)", r.header("WARC-Target-URI"), err, page, want)
		}
		if r.header("WARC-Target-URI") == "https://archive.example.org/annotations.jsonld" && page.Items[0].ID != "urn:x:stray" {
			t.Errorf("the annotation of a page not in the site should sit on annotations.jsonld, got %+v", page.Items)
		}
	}
}

func TestWACZMembers(t *testing.T) {
	b := writeWACZ(t, testSources(), testOptions()...)
	zr, _ := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	for _, f := range zr.File {
		want := uint16(zip.Deflate)
		if strings.HasSuffix(f.Name, ".gz") {
			want = zip.Store
		}
		if f.Method != want {
			t.Errorf("%s: method %d, want %d", f.Name, f.Method, want)
		}
	}
	members, _ := unzipMembers(t, b)
	var dp dataPackage
	if err := json.Unmarshal(members[waczPackage], &dp); err != nil {
		t.Fatal(err)
	}
	for _, r := range dp.Resources {
		sum := sha256.Sum256(members[r.Path])
		if r.Hash != "sha256:"+hex.EncodeToString(sum[:]) || r.Bytes != int64(len(members[r.Path])) {
			t.Errorf("datapackage.json resource %s: %s %d bytes, the member is %x %d bytes", r.Path, r.Hash, r.Bytes, sum, len(members[r.Path]))
		}
	}
	if len(dp.Resources) != 3 || dp.Profile != "wacz" || dp.Home == nil || dp.Home.URL != "https://archive.example.org/" {
		t.Errorf("datapackage.json = %+v", dp)
	}
	pages := strings.Split(strings.TrimSpace(string(members[waczPages])), "\n")
	if len(pages) != 4 { // header + three pages, not the 404 page
		t.Errorf("pages.jsonl has %d lines, want 4:\n%s", len(pages), members[waczPages])
	}
	if strings.Contains(string(members[waczPages]), "not text") || strings.Contains(string(members[waczPages]), "color:#000") {
		t.Errorf("pages.jsonl holds script or style text:\n%s", members[waczPages])
	}
}

func TestPageText(t *testing.T) {
	tests := []struct{ name, html, title, text string }{
		{"plain", "<title>T</title><p>Hello <b>world</b></p>", "T", "Hello world"},
		{"entities", "<title>A &amp; B</title><p>caf&eacute; &lt;tag&gt; &#8212;</p>", "A & B", "café <tag> —"},
		{"blocks separate words", "<p>one</p><p>two</p><li>three<br>four", "", "one two three four"},
		{"skipped elements", "<script>if (a < b) x()</script><style>p{}</style><template><p>t</p></template><p>kept</p>", "", "kept"},
		{"comments and doctype", "<!doctype html><!-- <p>hidden</p> --><p>shown</p>", "", "shown"},
		{"quoted >", `<a title="a > b" href='x'>link</a>`, "", "link"},
		{"upper case", "<TITLE>Up</TITLE><SCRIPT>x</SCRIPT><P>text", "Up", "text"},
		{"lone <", "<p>a < b</p>", "", "a < b"},
		{"unclosed comment", "<p>before</p><!-- never closed", "", "before"},
		{"svg skipped", "<p>a</p><svg><text>no</text></svg><p>b</p>", "", "a b"},
		// Only the page's own text (issue 12): <main>'s, without navigation,
		// notes or the site's furniture.
		{"main only", "<title>T</title><header><a>Site</a><nav>Menu</nav></header><main><p>own</p></main><footer>Kept by us</footer>", "T", "own"},
		{"no main: all but nav", "<nav>Menu</nav><p>text</p>", "", "text"},
		{"nested nav", "<main><nav>a<nav>b</nav>c</nav><p>d</p></main>", "", "d"},
		{"notes", `<main><div class="body"><p>Said so<mark>x</mark><a class="noteref" role="doc-noteref" href="#n">1</a><span class="sidenote" role="doc-footnote"><span>1</span> A note <a role="doc-backlink">↩</a></span>. Today.</p></div>` +
			`<section class="endnotes" role="doc-endnotes"><ol><li>A note</li></ol></section></main>`, "", "Said sox. Today."},
		{"furniture", `<main><article class="article"><header><p class="kicker"><a>Outlet</a> · 3 May</p><h1 id="article-title">Head</h1><p class="byline">By A</p></header>` +
			`<div class="provenance"><dl><dt>SHA-256</dt><dd>abc</dd></dl></div><aside class="shares"><h2>Shares passages with</h2></aside>` +
			`<div class="body"><p>Body.</p></div><details class="cite" id="cite"><summary>Cite this</summary>x</details></article>` +
			`<nav class="story"><a rel="prev">Earlier</a></nav></main>`, "", "Head By A Body."},
		{"class among others, single quotes", `<main><div class='x cite y'>no</div><div class="citenot">yes</div></main>`, "", "yes"},
		{"void and self-closed furniture", `<main><img class="cite" src="x">a<br class="kicker"/>b</main>`, "", "a b"},
		{"unclosed furniture", `<main><p>a</p><nav>b`, "", "a"},
		{"main in a comment", `<!-- <main> --><p>text</p>`, "", "text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			title, text := pageText([]byte(tt.html))
			if title != tt.title || text != tt.text {
				t.Errorf("pageText(%q) = %q, %q; want %q, %q", tt.html, title, text, tt.title, tt.text)
			}
		})
	}
}

func TestSURT(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://archive.example.org/", "org,example,archive)/"},
		{"https://www.Example.com/A/b.html", "com,example)/a/b.html"},
		{"http://www2.example.com:8080/x?b=2&a=1", "com,example:8080)/x?a=1&b=2"},
		{"https://example.com:443/", "com,example)/"},
		{"https://example.com", "com,example)/"},
		{"urn:x:y", "urn:x:y"},
	}
	for _, tt := range tests {
		if got := SURT(tt.in); got != tt.want {
			t.Errorf("SURT(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPublicURL(t *testing.T) {
	for p, want := range map[string]string{
		"index.html":              "https://x.org/",
		"articles/a/index.html":   "https://x.org/articles/a/",
		"404.html":                "https://x.org/404.html",
		"seeds/a b.txt":           "https://x.org/seeds/a%20b.txt",
		"notindex.html":           "https://x.org/notindex.html",
		"articles/myindex.html":   "https://x.org/articles/myindex.html",
		"style.0123abcd.css":      "https://x.org/style.0123abcd.css",
		"passages/p-1/index.html": "https://x.org/passages/p-1/",
	} {
		if got := publicURL("https://x.org/", p); got != want {
			t.Errorf("publicURL(%q) = %q, want %q", p, got, want)
		}
	}
}

func TestRecordID(t *testing.T) {
	a, b := recordID("response", "https://x/", "sha256:1"), recordID("response", "https://x/", "sha256:2")
	if a == b || a != recordID("response", "https://x/", "sha256:1") {
		t.Errorf("record IDs are not a function of their inputs: %s %s", a, b)
	}
	// <urn:uuid:xxxxxxxx-xxxx-8xxx-[89ab]xxx-xxxxxxxxxxxx>
	if len(a) != 47 || a[24] != '8' || !strings.ContainsAny(a[29:30], "89ab") {
		t.Errorf("%s is not a version 8, RFC 9562 variant UUID", a)
	}
}

// TestWACZLargeFile captures a file larger than maxBuffered, which is read
// twice instead of held in memory, and one larger than maxParallel, which
// is captured in its turn rather than ahead on another core.
func TestWACZLargeFile(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), (maxBuffered+4096)/16)
	mid := bytes.Repeat([]byte("abc"), (maxParallel+3000)/3) // captured in turn, from memory
	src := Sources{Site: fstest.MapFS{"index.html": {Data: []byte("<title>x</title>")}, "big.bin": {Data: big}, "mid.bin": {Data: mid}}}
	b := writeWACZ(t, src, testOptions()...)
	zr, _ := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	probs, err := VerifyWACZ(context.Background(), zr, false)
	if err != nil || len(probs) > 0 {
		t.Errorf("%v %v", problemStrings(probs), err)
	}
	members, _ := unzipMembers(t, b)
	recs := splitWARC(t, members[waczWARC])
	if !bytes.HasSuffix(recs[1].data, append(big, "\r\n\r\n"...)) {
		t.Error("the large file's record does not hold its bytes")
	}
	if !bytes.HasSuffix(recs[3].data, append(mid, "\r\n\r\n"...)) {
		t.Error("the middle-sized file's record does not hold its bytes")
	}
}

func TestVerifyOwnWACZ(t *testing.T) {
	b := writeWACZ(t, testSources(), testOptions()...)
	zr, _ := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	for _, fast := range []bool{false, true} {
		probs, err := VerifyWACZ(context.Background(), zr, fast)
		if err != nil || len(probs) > 0 {
			t.Errorf("fast=%v: %v %v", fast, problemStrings(probs), err)
		}
	}
}

// reseal recomputes datapackage.json and its digest after members changed,
// as someone covering their tracks would.
func reseal(t *testing.T, members map[string][]byte) {
	var dp dataPackage
	if err := json.Unmarshal(members[waczPackage], &dp); err != nil {
		t.Fatal(err)
	}
	for i, r := range dp.Resources {
		sum := sha256.Sum256(members[r.Path])
		dp.Resources[i].Hash, dp.Resources[i].Bytes = "sha256:"+hex.EncodeToString(sum[:]), int64(len(members[r.Path]))
	}
	members[waczPackage], _ = json.Marshal(dp)
	sum := sha256.Sum256(members[waczPackage])
	members[waczDigest], _ = json.Marshal(dataPackageDigest{Path: waczPackage, Hash: "sha256:" + hex.EncodeToString(sum[:])})
}

func TestWACZTamper(t *testing.T) {
	good := writeWACZ(t, testSources(), testOptions()...)
	goodMembers, order := unzipMembers(t, good)
	recs := splitWARC(t, goodMembers[waczWARC])
	last := recs[len(recs)-1]
	warcLen := len(goodMembers[waczWARC])
	regzip := func(data []byte) []byte {
		var buf bytes.Buffer
		z, _ := gzip.NewWriterLevel(&buf, warcGzipLevel)
		z.Write(data)
		z.Close()
		return buf.Bytes()
	}
	tests := []struct {
		name string
		// damage changes the members; raw, when set, damages the ZIP bytes instead
		damage func(m map[string][]byte) []string
		raw    func(b []byte) []string
		// loose: each wanted problem must start one of the problems, which
		// may be more (where a flipped bit lands in deflate data decides
		// what the decompressor sees next)
		loose bool
	}{{
		name: "flipped byte in a gzip trailer",
		raw: func(b []byte) []string {
			zr, _ := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			off, _ := zr.File[0].DataOffset()
			target := recs[4]                            // the response for articles/register/
			b[off+target.offset+target.length-6] ^= 0x01 // in the CRC-32 of the member
			return []string{
				fmt.Sprintf("archive/data.warc.gz: record 5 at offset %d (https://archive.example.org/articles/register/): damaged: gzip: invalid checksum; the rest of the file cannot be read", target.offset),
				"archive/data.warc.gz: does not match its ZIP CRC-32: its bytes changed after the ZIP was written",
				"archive/data.warc.gz: SHA-256 does not match datapackage.json: the file has ",
				fmt.Sprintf("indexes/index.cdxj: not checked past the damage in data.warc.gz at offset %d: 7 lines", target.offset),
			}
		},
	}, {
		name:  "flipped byte inside a record",
		loose: true,
		raw: func(b []byte) []string {
			zr, _ := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			off, _ := zr.File[0].DataOffset()
			target := recs[4]
			b[off+target.offset+target.length/2] ^= 0x40
			return []string{
				fmt.Sprintf("archive/data.warc.gz: record 5 at offset %d (https://archive.example.org/articles/register/): ", target.offset),
				"archive/data.warc.gz: SHA-256 does not match datapackage.json: the file has ",
			}
		},
	}, {
		name: "truncated WARC record",
		damage: func(m map[string][]byte) []string {
			m[waczWARC] = m[waczWARC][:last.offset+last.length/2]
			return []string{
				fmt.Sprintf("archive/data.warc.gz: is %d bytes but datapackage.json says %d", last.offset+last.length/2, warcLen),
				fmt.Sprintf("archive/data.warc.gz: record %d at offset %d: truncated: the record ends before its Content-Length and gzip trailer (unexpected EOF)", len(recs), last.offset),
				"archive/data.warc.gz: SHA-256 does not match datapackage.json",
				fmt.Sprintf("indexes/index.cdxj: not checked past the damage in data.warc.gz at offset %d: 1 line", last.offset),
			}
		},
	}, {
		name: "rewritten record, package resealed",
		damage: func(m map[string][]byte) []string {
			data := bytes.Replace(last.data, []byte("serif"), []byte("Serif"), 1)
			m[waczWARC] = append(m[waczWARC][:last.offset:last.offset], regzip(data)...)
			reseal(t, m)
			want := []string{
				fmt.Sprintf("archive/data.warc.gz: record %d at offset %d (https://archive.example.org/style.0123abcd.css): WARC-Block-Digest does not match the block", len(recs), last.offset),
				fmt.Sprintf("archive/data.warc.gz: record %d at offset %d (https://archive.example.org/style.0123abcd.css): WARC-Payload-Digest does not match the payload", len(recs), last.offset),
			}
			if n := int64(len(m[waczWARC])) - last.offset; n != last.length {
				want = append(want, fmt.Sprintf("indexes/index.cdxj:10: length %d, but the record at offset %d is %d bytes", last.length, last.offset, n))
			}
			return want
		},
	}, {
		name: "deleted member",
		damage: func(m map[string][]byte) []string {
			delete(m, waczPages)
			return []string{"pages/pages.jsonl: missing: listed in datapackage.json resources[2] but not in the ZIP"}
		},
	}, {
		name: "added member",
		damage: func(m map[string][]byte) []string {
			m["archive/extra.txt"] = []byte("smuggled")
			return []string{"archive/extra.txt: not listed in datapackage.json resources"}
		},
	}, {
		name: "edited datapackage.json",
		damage: func(m map[string][]byte) []string {
			m[waczPackage] = bytes.Replace(m[waczPackage], []byte(`"title": "Interpol`), []byte(`"title": "Europol`), 1)
			return []string{"datapackage-digest.json: hash sha256:"}
		},
	}, {
		name: "index points at the wrong offset",
		damage: func(m map[string][]byte) []string {
			m[waczIndex] = bytes.Replace(m[waczIndex], []byte(fmt.Sprintf(`"offset":"%d"`, last.offset)), []byte(`"offset":"17"`), 1)
			reseal(t, m)
			return []string{
				"indexes/index.cdxj:10: offset 17 is not the start of a record in data.warc.gz",
				fmt.Sprintf("archive/data.warc.gz: record at offset %d (https://archive.example.org/style.0123abcd.css) is not in indexes/index.cdxj", last.offset),
			}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b []byte
			var want []string
			if tt.raw != nil {
				b = bytes.Clone(good)
				want = tt.raw(b)
			} else {
				m := map[string][]byte{}
				for k, v := range goodMembers {
					m[k] = bytes.Clone(v)
				}
				want = tt.damage(m)
				b = rezip(t, m, append(order, "archive/extra.txt"))
			}
			zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatal(err)
			}
			probs, err := VerifyWACZ(context.Background(), zr, false)
			if err != nil {
				t.Fatal(err)
			}
			got := problemStrings(probs)
			if !tt.loose {
				checkProblems(t, got, want, false)
				return
			}
			for _, w := range want {
				if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
					t.Errorf("no problem starts with %q; problems:\n  %s", w, strings.Join(got, "\n  "))
				}
			}
		})
	}
}
