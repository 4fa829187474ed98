package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/archive-project/archive/cmd/archive/internal/snapshot"
)

// snapSite writes a small site root: archive.toml, one article, one seed,
// and a public/ folder as if built.
func snapSite(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for p, s := range map[string]string{
		"archive.toml":        "title = \"Test archive\"\nbaseURL = \"https://test.example.org/\"\norganization = \"Test Org\"\ncontact = \"Ed\"\ncontact_email = \"ed@example.org\"\n",
		"content/a.md":        "---\ntitle: An article\noutlet: Example\ndate: 2019-11-19T10:00:00Z\nseed: a.txt\n---\nInterpol is set to condemn end-to-end encryption.\n",
		"seeds/a.txt":         "Interpol is set to condemn end-to-end encryption.\n",
		"public/index.html":   "<!doctype html><title>Home</title><p>Hello</p>",
		"public/a/index.html": "<!doctype html><title>An article</title><p>Interpol</p>",
	} {
		p = filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// snapRun runs one archive command line and returns its exit status and output.
func snapRun(t *testing.T, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &env{stdout: &out, stderr: &errOut, getenv: func(k string) string { return vars[k] }})
	return code, out.String(), errOut.String()
}

func TestSnapshotBagAndVerify(t *testing.T) {
	root := snapSite(t)
	for _, name := range []string{"x.bag.tar", "x.bag.zip"} {
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), name)
			code, stdout, stderr := snapRun(t, nil, "snapshot", "-s", root, "--from-public", "-o", out)
			if code != 0 {
				t.Fatalf("snapshot exit %d: %s%s", code, stdout, stderr)
			}
			if !strings.Contains(stdout, "BagIt 1.0, 4 files") || !strings.Contains(stdout, "dated 2019-11-19T10:00:00Z") {
				t.Errorf("snapshot said %q", stdout)
			}
			if stderr != "" {
				t.Errorf("snapshot wrote to stderr when it is not a terminal: %q", stderr)
			}
			// The same sources give the same bytes.
			again := filepath.Join(t.TempDir(), name)
			snapRun(t, nil, "snapshot", "-s", root, "--from-public", "-o", again)
			a, _ := os.ReadFile(out)
			b, _ := os.ReadFile(again)
			if !bytes.Equal(a, b) {
				t.Error("two snapshots of the same sources differ")
			}
			code, stdout, _ = snapRun(t, nil, "verify", out)
			if code != 0 || !strings.Contains(stdout, "valid BagIt bag, fully checked") {
				t.Errorf("verify: exit %d, %q", code, stdout)
			}
			if name != "x.bag.tar" {
				return
			}
			// One changed byte in a seed: exit 1, the file named.
			i := bytes.Index(a, []byte("condemn end-to-end"))
			a[i] = 'C'
			if err := os.WriteFile(out, a, 0o644); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr = snapRun(t, nil, "verify", out)
			if code != 1 || !strings.Contains(stdout, "data/") || !strings.Contains(stdout, "sha256 checksum does not match manifest-sha256.txt") ||
				!strings.Contains(stderr, "problem(s) in this BagIt bag") {
				t.Errorf("verify of a damaged bag: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			code, stdout, _ = snapRun(t, nil, "verify", "--fast", out)
			if code != 0 || !strings.Contains(stdout, "(--fast)") {
				t.Errorf("verify --fast cannot see a changed byte and should pass: exit %d, %q", code, stdout)
			}
		})
	}
}

func TestSnapshotSourceDateEpoch(t *testing.T) {
	root := snapSite(t)
	out := filepath.Join(t.TempDir(), "x.bag.tar")
	code, stdout, stderr := snapRun(t, map[string]string{"SOURCE_DATE_EPOCH": "1574294400"}, "snapshot", "-s", root, "--from-public", "-o", out)
	if code != 0 || !strings.Contains(stdout, "dated 2019-11-21T00:00:00Z") {
		t.Errorf("exit %d: %s%s", code, stdout, stderr)
	}
	code, _, stderr = snapRun(t, map[string]string{"SOURCE_DATE_EPOCH": "yesterday"}, "snapshot", "-s", root, "--from-public", "-o", out)
	if code != 1 || !strings.Contains(stderr, "SOURCE_DATE_EPOCH") {
		t.Errorf("a bad SOURCE_DATE_EPOCH: exit %d, %q", code, stderr)
	}
}

func TestSnapshotWACZPublish(t *testing.T) {
	root := snapSite(t)
	out := filepath.Join(t.TempDir(), "site.wacz")
	code, stdout, stderr := snapRun(t, nil, "snapshot", "-s", root, "--from-public", "--format", "wacz", "--publish", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	published := filepath.Join(root, "public", "snapshots", "site.wacz")
	a, _ := os.ReadFile(out)
	b, err := os.ReadFile(published)
	if err != nil || !bytes.Equal(a, b) {
		t.Fatalf("--publish did not copy the package to public/snapshots: %v", err)
	}
	// It is a source of the site now: the next build keeps it and the home
	// page links it with its SHA-256.
	if code, _, stderr := snapRun(t, nil, "build", "-s", root); code != 0 {
		t.Fatalf("build after publish: %s", stderr)
	}
	home, _ := os.ReadFile(filepath.Join(root, "public", "index.html"))
	sum := sha256.Sum256(a)
	if !strings.Contains(string(home), `href="/snapshots/site.wacz"`) || !strings.Contains(string(home), hex.EncodeToString(sum[:])) {
		t.Error("the home page does not link the published snapshot with its SHA-256")
	}
	if _, err := os.Stat(published); err != nil {
		t.Errorf("a build after --publish lost the package: %v", err)
	}
	code, stdout, _ = snapRun(t, nil, "verify", published)
	if code != 0 || !strings.Contains(stdout, "valid WACZ") {
		t.Errorf("verify: exit %d, %q", code, stdout)
	}
	// A second snapshot leaves the published one out of the package.
	second := filepath.Join(t.TempDir(), "site.wacz")
	snapRun(t, nil, "snapshot", "-s", root, "--from-public", "--format", "wacz", "-o", second)
	zr, err := zip.OpenReader(second)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	idx, _ := zr.Open("indexes/index.cdxj")
	var buf bytes.Buffer
	buf.ReadFrom(idx)
	if strings.Contains(buf.String(), "snapshots/") {
		t.Errorf("the published snapshot was packaged again:\n%s", buf.String())
	}
	if c, _ := os.ReadFile(second); bytes.Equal(a, c) {
		t.Error("the next snapshot does not hold the home page that links the published one")
	}
}

func TestSnapshotBuildsSite(t *testing.T) {
	root := snapSite(t)
	os.RemoveAll(filepath.Join(root, "public"))
	out := filepath.Join(t.TempDir(), "built.wacz")
	code, stdout, stderr := snapRun(t, nil, "snapshot", "-s", root, "--format", "wacz", "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	zr, err := zip.OpenReader(out)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	probs, err := snapshot.VerifyWACZ(context.Background(), &zr.Reader, false)
	if err != nil || len(probs) > 0 {
		t.Errorf("%v %v", probs, err)
	}
	idx, _ := zr.Open("indexes/index.cdxj")
	var buf bytes.Buffer
	buf.ReadFrom(idx)
	if !strings.Contains(buf.String(), `"url":"https://test.example.org/"`) {
		t.Errorf("the built home page is not captured at the configured base URL:\n%s", buf.String())
	}
}

func TestSnapshotDir(t *testing.T) {
	root := snapSite(t)
	dir := filepath.Join(t.TempDir(), "bag")
	code, stdout, stderr := snapRun(t, nil, "snapshot", "-s", root, "--from-public", "--dir", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	info, err := os.ReadFile(filepath.Join(dir, "bag-info.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Source-Organization: Test Org\n", "Contact-Name: Ed\n", "Contact-Email: ed@example.org\n", "Payload-Oxum: "} {
		if !strings.Contains(string(info), want) {
			t.Errorf("bag-info.txt lacks %q:\n%s", want, info)
		}
	}
	code, stdout, _ = snapRun(t, nil, "verify", dir)
	if code != 0 {
		t.Errorf("verify %s: exit %d, %q", dir, code, stdout)
	}
	os.WriteFile(filepath.Join(dir, "data", "stray.txt"), []byte("x"), 0o644)
	code, stdout, _ = snapRun(t, nil, "verify", dir)
	if code != 1 || !strings.Contains(stdout, "data/stray.txt: not listed in manifest-sha256.txt") {
		t.Errorf("verify with an unlisted file: exit %d, %q", code, stdout)
	}
	code, _, stderr = snapRun(t, nil, "snapshot", "-s", root, "--from-public", "--dir", dir)
	if code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("--dir over an existing folder: exit %d, %q", code, stderr)
	}
}

func TestSnapshotUsageErrors(t *testing.T) {
	root := snapSite(t)
	for _, args := range [][]string{
		{"snapshot", "-s", root, "--format", "warc"},
		{"snapshot", "-s", root, "-o", "x.txt"},
		{"snapshot", "-s", root, "--format", "wacz", "-o", "x.zip"},
		{"snapshot", "-s", root, "--format", "wacz", "--dir", "x"},
		{"snapshot", "-s", filepath.Join(root, "nope")},
		{"verify"},
		{"verify", "a.tar", "b.tar"},
		{"verify", filepath.Join(root, "archive.toml")},
	} {
		if code, _, stderr := snapRun(t, nil, args...); code != 2 || !strings.Contains(stderr, "Try:") {
			t.Errorf("%v: exit %d, %q; want a usage error", args, code, stderr)
		}
	}
}

func TestVerifyNotABag(t *testing.T) {
	code, stdout, _ := snapRun(t, nil, "verify", t.TempDir())
	if code != 1 || !strings.Contains(stdout, "bagit.txt: not found") {
		t.Errorf("exit %d, %q", code, stdout)
	}
}

func TestSnapshotProgressLine(t *testing.T) {
	got := snapshotProgressLine(snapshot.Progress{Files: 5, TotalFiles: 10, Bytes: 512, TotalBytes: 1024}, 10)
	if want := "[#####.....]  50%  5/10 files  512 bytes/1.0 kB "; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestSnapshotSeedHashOnArticlePage checks the provenance chain a reader
// follows: the SHA-256 an article page shows for its seed is the one on the
// seed's line in the bag's manifest.
func TestSnapshotSeedHashOnArticlePage(t *testing.T) {
	root := snapSite(t)
	os.RemoveAll(filepath.Join(root, "public"))
	dir := filepath.Join(t.TempDir(), "bag")
	if code, stdout, stderr := snapRun(t, nil, "snapshot", "-s", root, "--dir", dir); code != 0 {
		t.Fatalf("exit %d: %s%s", code, stdout, stderr)
	}
	manifest, err := os.ReadFile(filepath.Join(dir, "manifest-sha256.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var seedHash string
	for _, l := range strings.Split(string(manifest), "\n") {
		if strings.HasSuffix(l, "  data/seeds/a.txt") {
			seedHash = l[:64]
		}
	}
	if seedHash == "" {
		t.Fatalf("no manifest line for data/seeds/a.txt:\n%s", manifest)
	}
	pages, _ := filepath.Glob(filepath.Join(dir, "data/site/articles/*/index.html"))
	if len(pages) != 1 {
		t.Fatalf("want one article page in the bag, found %v", pages)
	}
	page, _ := os.ReadFile(pages[0])
	if !strings.Contains(string(page), seedHash) {
		t.Errorf("%s does not show the seed's SHA-256 %s from manifest-sha256.txt", pages[0], seedHash)
	}
}
