package snapshot

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// testTime is the fixed time of test packages.
var testTime = time.Date(2019, 11, 21, 9, 30, 0, 0, time.UTC)

func testOptions(extra ...Option) []Option {
	return append([]Option{
		WithTime(testTime), WithBaseURL("https://archive.example.org/"), WithSoftware("archive-test 0.0"),
		WithTitle("Interpol and encryption"), WithOrganization("Archive Project"),
		WithContact("A. Archivist", "archivist@example.org"), WithRoot("bag"),
	}, extra...)
}

// testSources is a small site with its sources: pages, a stylesheet,
// annotations for one page, a 404 page, Markdown and seeds.
func testSources() Sources {
	page := func(title, body string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>` + title + `</title><style>body{color:#000}</style><script>var x = "<p>not text</p>";</script></head>
<body><nav><a href="/">Home</a></nav><main><h1>` + title + `</h1>` + body + `</main>
<!-- a comment --><footer>Archive &amp; annotations</footer></body></html>
`)}
	}
	return Sources{
		Site: fstest.MapFS{
			"index.html":                   page("Interpol &amp; encryption", "<p>Five articles.</p>"),
			"articles/register/index.html": page("Interpol to condemn encryption", "<p>Interpol is set to <em>condemn</em> end-to-end encryption.</p>"),
			"articles/reuters/index.html":  page("Exclusive: Interpol", "<p>The draft resolution&nbsp;says&hellip;</p>"),
			"404.html":                     page("Not found", "<p>No such page.</p>"),
			"style.0123abcd.css":           {Data: []byte("body { font-family: serif }\n")},
			"seeds/000.txt":                {Data: []byte("raw seed text\n")},
			"annotations.jsonld": {Data: []byte(`{"@context":"http://www.w3.org/ns/anno.jsonld","type":"AnnotationCollection",
"first":{"type":"AnnotationPage","items":[
 {"id":"https://archive.example.org/passages/p-1#a1","type":"Annotation","motivation":"linking",
  "body":{"type":"TextualBody","value":"Also in Reuters"},
  "target":{"source":"https://archive.example.org/articles/register/","selector":{"type":"TextQuoteSelector","exact":"condemn"}}},
 {"id":"https://archive.example.org/passages/p-1#a2","type":"Annotation","motivation":"linking",
  "target":{"source":"/articles/reuters/#t","selector":{"type":"TextQuoteSelector","exact":"draft"}}},
 {"id":"urn:x:scoped","type":"Annotation","target":[{"type":"SpecificResource","source":"https://archive.example.org/articles/reuters/body.md",
  "scope":"https://archive.example.org/articles/reuters/","selector":{"type":"TextPositionSelector","start":0,"end":5}}]},
 {"id":"urn:x:stray","type":"Annotation","target":"https://elsewhere.example.com/page"}
]}}
`)},
			"snapshots/old.wacz": {Data: []byte("an older snapshot that must not be packaged")},
		},
		Content: fstest.MapFS{
			"register.md":  {Data: []byte("---\ntitle: Interpol to condemn encryption\ndate: 2019-11-18\ncaptured: 2019-11-20T10:00:00Z\n---\nBody.\n")},
			"reuters.md":   {Data: []byte("---\ntitle: \"Exclusive: Interpol\"\ndate: 2019-11-19T08:00:00+01:00\n---\nBody.\n")},
			".DS_Store":    {Data: []byte("junk")},
			"_drafts/x.md": {Data: []byte("---\ntitle: draft\n---\n")},
		},
		Seeds: fstest.MapFS{
			"000_register.txt": {Data: []byte("Interpol is set to condemn end-to-end encryption.\n")},
			"001_reuters.txt":  {Data: []byte("The draft resolution says...\n")},
		},
	}
}

func writeBag(t testing.TB, src Sources, format string, opts ...Option) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w FileWriter
	switch format {
	case "tar":
		w = NewTarWriter(&buf)
	case "zip":
		w = NewZipWriter(&buf, 0)
	default:
		t.Fatalf("unknown format %s", format)
	}
	if _, err := WriteBag(context.Background(), w, src, opts...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeWACZ(t testing.TB, src Sources, opts ...Option) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := WriteWACZ(context.Background(), &buf, src, opts...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// untar reads a tar into a MapFS, keeping file contents only.
func untar(t testing.TB, b []byte) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return m
		}
		if err != nil {
			t.Fatal(err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		m[h.Name] = &fstest.MapFile{Data: data, Mode: 0o644}
	}
}

// unzipMembers reads every member of a ZIP.
func unzipMembers(t testing.TB, b []byte) (map[string][]byte, []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	var order []string
	for _, f := range zr.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = data
		order = append(order, f.Name)
	}
	return out, order
}

// rezip writes a new ZIP from members in order, storing .gz members.
func rezip(t testing.TB, members map[string][]byte, order []string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewZipWriter(&buf, 0)
	for _, name := range order {
		data, ok := members[name]
		if !ok {
			continue
		}
		if err := writeSmall(w, Header{Name: name, Size: int64(len(data)), Modified: testTime}, data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeTree writes a MapFS to a temporary folder.
func writeTree(t testing.TB, m fstest.MapFS) string {
	t.Helper()
	dir := t.TempDir()
	for name, f := range m {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func problemStrings(ps []Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}

// requireTool finds an external program, or skips the test with how to
// install it (fails instead under ARCHIVE_REQUIRE_BROWSER=1, as in CI).
func requireTool(t *testing.T, path, install string) string {
	t.Helper()
	if strings.Contains(path, "/") {
		if _, err := os.Stat(path); err == nil {
			return path
		}
	} else if p, err := exec.LookPath(path); err == nil {
		return p
	}
	msg := path + " not found: " + install
	if os.Getenv("ARCHIVE_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg + " (ARCHIVE_REQUIRE_BROWSER=1 forbids skipping)")
	}
	t.Skip(msg)
	return ""
}

// repoRoot is the folder holding go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's folder")
		}
		dir = parent
	}
}
