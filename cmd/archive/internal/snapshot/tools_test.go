package snapshot

// Tests against independent tools: coreutils sha256sum/sha512sum and GNU
// tar read our bags, Info-ZIP unzip tests our ZIPs, and warcio.js (npm,
// pinned in the repository's package.json) parses and indexes our WARCs.
// Each skips with the install command when its tool is missing, and fails
// instead under ARCHIVE_REQUIRE_BROWSER=1, as CI runs.

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
)

func run(t *testing.T, dir, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestToolsChecksumManifests extracts a bag with tar and with unzip and has
// sha256sum -c and sha512sum -c check every manifest; then damages one
// payload byte to show the same tools then fail.
func TestToolsChecksumManifests(t *testing.T) {
	tarTool := requireTool(t, "tar", "apt-get install tar")
	unzipTool := requireTool(t, "unzip", "apt-get install unzip")
	sha256sum := requireTool(t, "sha256sum", "apt-get install coreutils")
	sha512sum := requireTool(t, "sha512sum", "apt-get install coreutils")

	for _, format := range []string{"tar", "zip"} {
		t.Run(format, func(t *testing.T) {
			dir := t.TempDir()
			pkg := filepath.Join(dir, "bag."+format)
			if err := os.WriteFile(pkg, writeBag(t, testSources(), format, testOptions()...), 0o644); err != nil {
				t.Fatal(err)
			}
			var out string
			var err error
			if format == "tar" {
				out, err = run(t, dir, tarTool, "-xf", pkg)
			} else {
				out, err = run(t, dir, unzipTool, "-q", pkg)
			}
			if err != nil {
				t.Fatalf("extracting: %v\n%s", err, out)
			}
			bag := filepath.Join(dir, "bag")
			for _, c := range [][2]string{
				{sha256sum, "manifest-sha256.txt"}, {sha512sum, "manifest-sha512.txt"},
				{sha256sum, "tagmanifest-sha256.txt"}, {sha512sum, "tagmanifest-sha512.txt"},
			} {
				out, err := run(t, bag, c[0], "--strict", "-c", c[1])
				if err != nil {
					t.Errorf("%s -c %s: %v\n%s", filepath.Base(c[0]), c[1], err, out)
				}
				if n := strings.Count(out, ": OK\n"); n < 4 {
					t.Errorf("%s -c %s checked only %d files:\n%s", filepath.Base(c[0]), c[1], n, out)
				}
			}
			// The same tools must reject a damaged payload.
			victim := filepath.Join(bag, "data/seeds/000_register.txt")
			if err := os.WriteFile(victim, []byte("Interpol is set to condone end-to-end encryption.\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err = run(t, bag, sha256sum, "-c", "--quiet", "manifest-sha256.txt")
			if err == nil || !strings.Contains(out, "data/seeds/000_register.txt: FAILED") {
				t.Errorf("sha256sum -c accepted a damaged file: %v\n%s", err, out)
			}
		})
	}
}

// TestToolsUnzip has Info-ZIP's unzip -t test every member's CRC in a WACZ
// and in a zipped bag.
func TestToolsUnzip(t *testing.T) {
	unzipTool := requireTool(t, "unzip", "apt-get install unzip")
	dir := t.TempDir()
	for name, b := range map[string][]byte{
		"site.wacz":   writeWACZ(t, testSources(), testOptions()...),
		"bag.zip":     writeBag(t, testSources(), "zip", testOptions()...),
		"damaged.zip": nil,
	} {
		if b == nil {
			b = writeWACZ(t, testSources(), testOptions()...)
			zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatal(err)
			}
			off, _ := zr.File[0].DataOffset() // the stored WARC
			b[off+100] ^= 0xff
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := run(t, dir, unzipTool, "-t", p)
		if name == "damaged.zip" {
			if err == nil {
				t.Errorf("unzip -t accepted a damaged WACZ:\n%s", out)
			}
			continue
		}
		if err != nil || !strings.Contains(out, "No errors detected") {
			t.Errorf("unzip -t %s: %v\n%s", name, err, out)
		}
	}
}

// warcio finds node and the warcio package that `npm ci` installs.
func warcio(t *testing.T) (node, root string) {
	t.Helper()
	root = repoRoot(t)
	node = requireTool(t, "node", "apt-get install nodejs npm")
	requireTool(t, filepath.Join(root, "node_modules/warcio/package.json"), "run `npm ci` at the repository root (package.json pins warcio)")
	return node, root
}

// TestToolsWarcioIndex has warcio.js index our WARC (warcio cdx-index) and
// compares its lines with our index.cdxj: same records, offsets, lengths,
// digests and SURT keys.
func TestToolsWarcioIndex(t *testing.T) {
	node, root := warcio(t)
	dir := t.TempDir()
	members, _ := unzipMembers(t, writeWACZ(t, testSources(), testOptions()...))
	if err := os.WriteFile(filepath.Join(dir, warcFileName), members[waczWARC], 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(node, filepath.Join(root, "node_modules/warcio/dist/cli.js"), "cdx-index", filepath.Join(dir, warcFileName)).Output()
	if err != nil {
		t.Fatalf("warcio cdx-index: %v", err)
	}
	theirs := strings.Split(strings.TrimSpace(strings.ReplaceAll(string(out), filepath.Join(dir, warcFileName), warcFileName)), "\n")
	sort.Strings(theirs)
	ours := strings.Split(strings.TrimSpace(string(members[waczIndex])), "\n")
	if !slices.Equal(theirs, ours) {
		t.Errorf("warcio cdx-index differs from index.cdxj\nwarcio:\n  %s\nours:\n  %s", strings.Join(theirs, "\n  "), strings.Join(ours, "\n  "))
	}
	if len(ours) != 10 {
		t.Errorf("index has %d lines, want 10 (7 responses, 3 metadata)", len(ours))
	}
}

// TestToolsWarcioParse parses every record with warcio.js's WARCParser
// (testdata/warcio-check.mjs), which recomputes payload and block digests
// with node's crypto, and compares the records with ours.
func TestToolsWarcioParse(t *testing.T) {
	node, _ := warcio(t)
	dir := t.TempDir()
	members, _ := unzipMembers(t, writeWACZ(t, testSources(), testOptions()...))
	warc := filepath.Join(dir, warcFileName)
	if err := os.WriteFile(warc, members[waczWARC], 0o644); err != nil {
		t.Fatal(err)
	}
	script, _ := filepath.Abs("testdata/warcio-check.mjs")
	out, err := exec.Command(node, script, warc).Output()
	if err != nil {
		t.Fatalf("warcio-check.mjs: %v\n%s", err, out)
	}
	type rec struct {
		Type, URI, SURT, ID, RefersTo string
		Status                        int
		Length                        int64
		PayloadOK, BlockOK            *bool
	}
	var theirs []rec
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		var r rec
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		theirs = append(theirs, r)
	}
	ours := splitWARC(t, members[waczWARC])
	if len(theirs) != len(ours) {
		t.Fatalf("warcio read %d records, we wrote %d", len(theirs), len(ours))
	}
	for i, r := range theirs {
		o := ours[i]
		if r.Type != o.header("WARC-Type") || r.URI != o.header("WARC-Target-URI") || r.ID != o.header("WARC-Record-ID") ||
			r.RefersTo != o.header("WARC-Refers-To") || r.Length != atoi(o.header("Content-Length")) {
			t.Errorf("record %d: warcio read %+v, we wrote %s", i+1, r, o.data[:min(len(o.data), 400)])
		}
		if r.URI != "" && r.SURT != SURT(r.URI) {
			t.Errorf("record %d: warcio's SURT %q, ours %q", i+1, r.SURT, SURT(r.URI))
		}
		if (r.PayloadOK != nil && !*r.PayloadOK) || (r.BlockOK != nil && !*r.BlockOK) {
			t.Errorf("record %d (%s %s): warcio's parse and node's SHA-256 disagree with our digest header", i+1, r.Type, r.URI)
		}
		if r.Type == "response" && r.Status != 200 {
			t.Errorf("record %d: HTTP status %d", i+1, r.Status)
		}
	}
}

func atoi(s string) int64 {
	var n int64
	for _, c := range s {
		n = n*10 + int64(c-'0')
	}
	return n
}
