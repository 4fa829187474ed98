package snapshot

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"testing/iotest"
)

func TestBagLayoutGolden(t *testing.T) {
	b := writeBag(t, testSources(), "tar", testOptions()...)
	m := untar(t, b)
	var got strings.Builder
	got.WriteString("-- files --\n")
	for _, name := range sortedKeys(m) {
		got.WriteString(name + "\n")
	}
	for _, tag := range []string{"bagit.txt", "bag-info.txt", "manifest-sha256.txt", "tagmanifest-sha256.txt"} {
		got.WriteString("-- " + tag + " --\n" + string(m["bag/"+tag].Data))
	}
	golden(t, "testdata/bag.golden", got.String())
}

func TestBagPayload(t *testing.T) {
	m := untar(t, writeBag(t, testSources(), "tar", testOptions()...))
	for _, want := range []string{
		"bag/data/site/index.html", "bag/data/site/articles/register/index.html", "bag/data/content/register.md",
		"bag/data/seeds/000_register.txt", "bag/data/annotations.jsonld", "bag/data/site/annotations.jsonld",
	} {
		if m[want] == nil {
			t.Errorf("%s missing from the bag", want)
		}
	}
	for _, unwanted := range []string{"bag/data/site/snapshots/old.wacz", "bag/data/content/.DS_Store"} {
		if m[unwanted] != nil {
			t.Errorf("%s should not be packaged", unwanted)
		}
	}
	if got, want := string(m["bag/data/seeds/000_register.txt"].Data), "Interpol is set to condemn end-to-end encryption.\n"; got != want {
		t.Errorf("seed bytes changed: %q", got)
	}
	manifest := string(m["bag/manifest-sha256.txt"].Data)
	lines := strings.Split(strings.TrimSuffix(manifest, "\n"), "\n")
	if !slices.IsSortedFunc(lines, func(a, b string) int { return strings.Compare(a[66:], b[66:]) }) {
		t.Errorf("manifest-sha256.txt is not sorted by path:\n%s", manifest)
	}
	payload := 0
	for name := range m {
		if strings.HasPrefix(name, "bag/data/") {
			payload++
		}
	}
	if len(lines) != payload {
		t.Errorf("manifest has %d lines for %d payload files", len(lines), payload)
	}
}

func TestBagInfoOptional(t *testing.T) {
	m := untar(t, writeBag(t, testSources(), "tar", WithTime(testTime), WithSoftware("x")))
	info := string(m["bag/bag-info.txt"].Data)
	for _, absent := range []string{"Source-Organization", "Contact-Name", "Contact-Email"} {
		if strings.Contains(info, absent) {
			t.Errorf("bag-info.txt has %s though none was configured:\n%s", absent, info)
		}
	}
	for _, present := range []string{"Bagging-Date: 2019-11-21\n", "Payload-Oxum: ", "External-Identifier: urn:sha256:", "External-Description: ", "Bag-Software-Agent: x\n"} {
		if !strings.Contains(info, present) {
			t.Errorf("bag-info.txt lacks %q:\n%s", present, info)
		}
	}
}

func TestSoftwareAgent(t *testing.T) {
	if got := SoftwareAgent(); !strings.HasPrefix(got, "archive ") {
		t.Errorf("SoftwareAgent() = %q, want it to start with the program name", got)
	}
}

func TestDeterministic(t *testing.T) {
	src := testSources()
	// The same files on disk, read through os.DirFS, must give the same bytes.
	disk := Sources{
		Site:    os.DirFS(writeTree(t, src.Site.(fstest.MapFS))),
		Content: os.DirFS(writeTree(t, src.Content.(fstest.MapFS))),
		Seeds:   os.DirFS(writeTree(t, src.Seeds.(fstest.MapFS))),
	}
	for _, format := range []string{"tar", "zip", "wacz"} {
		t.Run(format, func(t *testing.T) {
			write := func(s Sources, opts ...Option) []byte {
				if format == "wacz" {
					return writeWACZ(t, s, opts...)
				}
				return writeBag(t, s, format, opts...)
			}
			a, b, c := write(src, testOptions()...), write(src, testOptions()...), write(disk, testOptions()...)
			if !bytes.Equal(a, b) {
				t.Error("two runs over the same sources differ")
			}
			if !bytes.Equal(a, c) {
				t.Error("the same sources from MapFS and from disk differ")
			}
			if d := write(src, testOptions(WithTime(testTime.AddDate(0, 0, 1)))...); bytes.Equal(a, d) {
				t.Error("a different timestamp gave the same bytes: the time is not used")
			}
		})
	}
}

func TestSourceDate(t *testing.T) {
	got, err := SourceDate(testSources().Content)
	if err != nil {
		t.Fatal(err)
	}
	if want := "2019-11-20T10:00:00Z"; got.Format("2006-01-02T15:04:05Z07:00") != want {
		t.Errorf("SourceDate = %v, want the newest capture date %s", got, want)
	}
	if got, _ := SourceDate(fstest.MapFS{}); !got.Equal(DefaultTime) {
		t.Errorf("SourceDate(empty) = %v, want DefaultTime", got)
	}
	_, err = SourceDate(fstest.MapFS{"bad.md": {Data: []byte("---\ndate: yesterday\n---\n")}})
	if err == nil || !strings.Contains(err.Error(), "bad.md:2") {
		t.Errorf("SourceDate with a bad date: err = %v, want it to name bad.md:2", err)
	}
}

func TestProgress(t *testing.T) {
	var last Progress
	calls := 0
	writeBag(t, testSources(), "tar", testOptions(WithProgress(func(p Progress) { last = p; calls++ }))...)
	if calls != last.TotalFiles || last.Files != last.TotalFiles || last.Bytes != last.TotalBytes || last.TotalBytes == 0 {
		t.Errorf("after %d calls the last progress is %+v, want every file and byte counted", calls, last)
	}
}

func TestPercentEncodedPaths(t *testing.T) {
	src := Sources{Site: fstest.MapFS{
		"100%.html":         {Data: []byte("<title>percent</title>")},
		"line\nbreak.txt":   {Data: []byte("lf")},
		"carriage\rret.txt": {Data: []byte("cr")},
		"plain.txt":         {Data: []byte("plain")},
	}}
	b := writeBag(t, src, "tar", testOptions()...)
	m := untar(t, b)
	manifest := string(m["bag/manifest-sha256.txt"].Data)
	for _, want := range []string{"  data/site/100%25.html\n", "  data/site/line%0Abreak.txt\n", "  data/site/carriage%0Dret.txt\n", "  data/site/plain.txt\n"} {
		if !strings.Contains(manifest, want) {
			t.Errorf("manifest lacks %q:\n%s", want, manifest)
		}
	}
	fsys, err := TarFS(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	bag, _, err := BagRoot(fsys)
	if err != nil {
		t.Fatal(err)
	}
	probs, err := VerifyBag(context.Background(), bag, false)
	if err != nil || len(probs) > 0 {
		t.Errorf("a bag with encoded names does not verify: %v %v", problemStrings(probs), err)
	}
}

func TestPathEncodingRoundTrip(t *testing.T) {
	for _, p := range []string{"plain", "a%b", "%0A", "a\nb\rc", "100%25", "\r\n%"} {
		if got := DecodePath(EncodePath(p)); got != p {
			t.Errorf("DecodePath(EncodePath(%q)) = %q", p, got)
		}
		if strings.ContainsAny(EncodePath(p), "\r\n") {
			t.Errorf("EncodePath(%q) = %q still has a line break", p, EncodePath(p))
		}
	}
}

// TestVerifyOwnBags checks that every form of bag we write verifies clean,
// fully and fast.
func TestVerifyOwnBags(t *testing.T) {
	tarBytes := writeBag(t, testSources(), "tar", testOptions()...)
	zipBytes := writeBag(t, testSources(), "zip", testOptions()...)
	tarFS, err := TarFS(bytes.NewReader(tarBytes), int64(len(tarBytes)))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(zipBytes), int64(len(zipBytes)))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(writeTree(t, untar(t, tarBytes)), "bag")
	for name, fsys := range map[string]fs.FS{"tar": tarFS, "zip": zr, "folder": os.DirFS(dir)} {
		for _, fast := range []bool{false, true} {
			bag, root, err := BagRoot(fsys)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if name != "folder" && root != "bag" {
				t.Errorf("%s: bag root %q, want \"bag\"", name, root)
			}
			probs, err := VerifyBag(context.Background(), bag, fast)
			if err != nil || len(probs) > 0 {
				t.Errorf("%s (fast=%v): %v %v", name, fast, problemStrings(probs), err)
			}
		}
	}
}

// TestBagTamper damages a good bag the ways copies get damaged and checks
// that each damage is reported, precisely, and what --fast still sees.
func TestBagTamper(t *testing.T) {
	good := untar(t, writeBag(t, testSources(), "tar", testOptions()...))
	sub := func(m fstest.MapFS) fs.FS { s, _ := fs.Sub(m, "bag"); return s }
	clone := func() fstest.MapFS {
		m := fstest.MapFS{}
		for k, v := range good {
			m[k] = &fstest.MapFile{Data: bytes.Clone(v.Data), Mode: v.Mode}
		}
		return m
	}
	oxum := func(m fstest.MapFS) string {
		for _, l := range strings.Split(string(m["bag/bag-info.txt"].Data), "\n") {
			if strings.HasPrefix(l, "Payload-Oxum: ") {
				return strings.TrimPrefix(l, "Payload-Oxum: ")
			}
		}
		return ""
	}
	sha := func(m fstest.MapFS, alg, p string) string {
		for _, l := range strings.Split(string(m["bag/manifest-"+alg+".txt"].Data), "\n") {
			if strings.HasSuffix(l, "  "+p) {
				return l[:16]
			}
		}
		return ""
	}
	g := good
	// oxumAfter is the payload's Oxum once bytes and files were added (or,
	// negative, removed), as verify words it.
	oxumAfter := func(bytes, files int) string {
		var b, f int
		fmt.Sscanf(oxum(g), "%d.%d", &b, &f)
		b, f = b+bytes, f+files
		return fmt.Sprintf("%d.%d (%d bytes in %d files)", b, f, b, f)
	}
	tests := []struct {
		name       string
		damage     func(m fstest.MapFS)
		want, fast []string
	}{{
		name: "flipped byte",
		damage: func(m fstest.MapFS) {
			m["bag/data/site/articles/reuters/index.html"].Data[40] ^= 0x01
		},
		want: []string{
			"data/site/articles/reuters/index.html: sha256 checksum does not match manifest-sha256.txt line 10: the file has ",
			"data/site/articles/reuters/index.html: sha512 checksum does not match manifest-sha512.txt line 10: the file has ",
		},
	}, {
		name:   "deleted file",
		damage: func(m fstest.MapFS) { delete(m, "bag/data/seeds/001_reuters.txt") },
		want: []string{
			"bag-info.txt:7: Payload-Oxum is " + oxum(g) + " but the payload is " + oxumAfter(-len("The draft resolution says...\n"), -1),
			"data/seeds/001_reuters.txt: missing: listed in manifest-sha256.txt line 6 but not in the bag",
			"data/seeds/001_reuters.txt: missing: listed in manifest-sha512.txt line 6 but not in the bag",
		},
	}, {
		name:   "added file",
		damage: func(m fstest.MapFS) { m["bag/data/site/extra.html"] = &fstest.MapFile{Data: []byte("<p>new</p>")} },
		want: []string{
			"bag-info.txt:7: Payload-Oxum is " + oxum(g) + " but the payload is " + oxumAfter(len("<p>new</p>"), +1),
			"data/site/extra.html: not listed in manifest-sha256.txt: every payload file must be in every payload manifest",
			"data/site/extra.html: not listed in manifest-sha512.txt: every payload file must be in every payload manifest",
		},
	}, {
		name: "edited manifest",
		damage: func(m fstest.MapFS) {
			f := m["bag/manifest-sha256.txt"]
			f.Data = bytes.Replace(f.Data, []byte(sha(g, "sha256", "data/seeds/000_register.txt")), []byte("0000000000000000"), 1)
		},
		want: []string{
			"data/seeds/000_register.txt: sha256 checksum does not match manifest-sha256.txt line 5: the file has " + sha(g, "sha256", "data/seeds/000_register.txt") + "…, the manifest says 0000000000000000…",
			"manifest-sha256.txt: sha256 checksum does not match tagmanifest-sha256.txt line 3: the file has ",
			"manifest-sha256.txt: sha512 checksum does not match tagmanifest-sha512.txt line 3: the file has ",
		},
	}, {
		name:   "deleted tag manifest",
		damage: func(m fstest.MapFS) { delete(m, "bag/tagmanifest-sha256.txt") },
		want: []string{
			"tagmanifest-sha256.txt: missing: manifest-sha256.txt has no tag manifest of the same algorithm, so bagit.txt, bag-info.txt and the manifests themselves are not checked (RFC 8493 §2.2.1)",
		},
	}, {
		name:   "no bagit.txt",
		damage: func(m fstest.MapFS) { delete(m, "bag/bagit.txt") },
		want:   []string{"bagit.txt: missing: every bag starts with bagit.txt (BagIt-Version and Tag-File-Character-Encoding)"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := clone()
			tt.damage(m)
			for _, fast := range []bool{false, true} {
				probs, err := VerifyBag(context.Background(), sub(m), fast)
				if err != nil {
					t.Fatal(err)
				}
				want := tt.want
				if fast {
					want = nil
					for _, w := range tt.want {
						if !strings.Contains(w, "checksum does not match") {
							want = append(want, w)
						}
					}
				}
				checkProblems(t, problemStrings(probs), want, fast)
			}
		})
	}
}

// checkProblems compares problems with wanted ones, each of which must be
// a prefix of exactly one problem, with nothing left over.
func checkProblems(t *testing.T, got, want []string, fast bool) {
	t.Helper()
	ok := len(got) == len(want)
	for i := 0; ok && i < len(got); i++ {
		ok = strings.HasPrefix(got[i], want[i])
	}
	if !ok {
		t.Errorf("fast=%v: problems:\n  %s\nwant:\n  %s", fast, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestBagTamperTar(t *testing.T) {
	b := writeBag(t, testSources(), "tar", testOptions()...)
	i := bytes.Index(b, []byte("Interpol is set to condemn end-to-end encryption.\n"))
	if i < 0 {
		t.Fatal("seed text not found in the tar")
	}
	b[i] = 'X'
	fsys, err := TarFS(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	bag, _, _ := BagRoot(fsys)
	probs, _ := VerifyBag(context.Background(), bag, false)
	checkProblems(t, problemStrings(probs), []string{
		"data/seeds/000_register.txt: sha256 checksum does not match manifest-sha256.txt line 5",
		"data/seeds/000_register.txt: sha512 checksum does not match manifest-sha512.txt line 5",
	}, false)
}

// TestFixtureBags reads the hand-made bags under testdata/bags (see
// make.sh), each wrong in one way, and compares the problems with the
// .want file beside it.
func TestFixtureBags(t *testing.T) {
	wants, err := filepath.Glob("testdata/bags/*.want")
	if err != nil || len(wants) == 0 {
		t.Fatalf("no fixture bags: %v", err)
	}
	for _, wantFile := range wants {
		name := strings.TrimSuffix(filepath.Base(wantFile), ".want")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			if s := strings.TrimSuffix(string(raw), "\n"); s != "" {
				want = strings.Split(s, "\n")
			}
			probs, err := VerifyBag(context.Background(), os.DirFS(filepath.Join("testdata/bags", name)), false)
			if err != nil {
				t.Fatal(err)
			}
			if got := problemStrings(probs); !slices.Equal(got, want) {
				t.Errorf("problems:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}

func TestBagRootNotABag(t *testing.T) {
	_, _, err := BagRoot(fstest.MapFS{"a/x.txt": {}, "b/y.txt": {}})
	if err == nil || !strings.Contains(err.Error(), "not a BagIt bag") {
		t.Errorf("BagRoot of a non-bag: %v", err)
	}
}

// golden compares got with a file under testdata, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to record it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (review with go test -update && git diff):\n--- got ---\n%s\n--- want ---\n%s", path, got, want)
	}
}

// TestVerifyManifestLines feeds the manifest parser the lines that hand
// edits and other tools produce.
func TestVerifyManifestLines(t *testing.T) {
	hello := "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03" // sha256("hello\n")
	bag := func(manifest string, extra fstest.MapFS) fstest.MapFS {
		m := fstest.MapFS{
			"bagit.txt":           {Data: []byte(bagitTxt)},
			"data/hello.txt":      {Data: []byte("hello\n")},
			"manifest-sha256.txt": {Data: []byte(manifest)},
		}
		tm := ""
		for _, p := range []string{"bagit.txt", "manifest-sha256.txt"} {
			sum := sha256.Sum256(m[p].Data)
			tm += hex.EncodeToString(sum[:]) + "  " + p + "\n"
		}
		m["tagmanifest-sha256.txt"] = &fstest.MapFile{Data: []byte(tm)}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name, manifest string
		extra          fstest.MapFS
		want           []string
	}{
		{"good", hello + "  data/hello.txt\n", nil, nil},
		{"tab separator and upper-case hex", strings.ToUpper(hello) + "\tdata/hello.txt\n", nil, nil},
		{"no path", hello + "\n", nil, []string{
			"data/hello.txt: not listed in manifest-sha256.txt: every payload file must be in every payload manifest",
			`manifest-sha256.txt:1: is "` + hello + `", want "<checksum> <path>"`}},
		{"short checksum", "abc  data/hello.txt\n", nil, []string{
			"data/hello.txt: not listed in manifest-sha256.txt: every payload file must be in every payload manifest",
			`manifest-sha256.txt:1: "abc" is not a sha256 checksum (64 hex digits)`}},
		{"outside data", hello + "  data/hello.txt\n" + hello + "  bagit.txt\n", nil, []string{
			`manifest-sha256.txt:2: path "bagit.txt" is outside data/: a payload manifest lists payload files only`}},
		{"escape", hello + "  data/hello.txt\n" + hello + "  data/../../etc/passwd\n", nil, []string{
			`manifest-sha256.txt:2: path "data/../../etc/passwd" is not a relative slash path inside the bag`}},
		{"duplicate", hello + "  data/hello.txt\n" + hello + "  data/hello.txt\n", nil, []string{
			"manifest-sha256.txt:2: lists data/hello.txt again (first on line 1)"}},
		{"unknown algorithm", hello + "  data/hello.txt\n", fstest.MapFS{"manifest-crc32.txt": {Data: []byte("1234  data/hello.txt\n")}}, []string{
			`manifest-crc32.txt: unknown checksum algorithm "crc32": use sha256 or sha512`}},
		{"no data folder", "", fstest.MapFS{}, nil}, // replaced below
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := bag(tt.manifest, tt.extra)
			if tt.name == "no data folder" {
				delete(m, "data/hello.txt")
				tt.want = []string{"data: missing: the payload folder data/ must exist, even when empty"}
			}
			probs, err := VerifyBag(context.Background(), m, false)
			if err != nil {
				t.Fatal(err)
			}
			if got := problemStrings(probs); !slices.Equal(got, tt.want) {
				t.Errorf("problems:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

// TestScanTagLines reads tag files one byte at a time, so that every line
// ending is split across reads.
func TestScanTagLines(t *testing.T) {
	tests := []struct {
		in    string
		lines []string
		probs []string
	}{
		{"a\nb\n", []string{"a", "b"}, nil},
		{"a\r\nb\r\n", []string{"a", "b"}, nil},
		{"a\rb\r", []string{"a", "b"}, nil},
		{"a\r\r\nb\n", []string{"a", "b"}, []string{
			"x:1: line ends in CR CR LF (converted to CRLF twice): end every line with LF",
			"x:2: line ends in LF but line 1 ends in CR CR LF: use one kind of line ending (LF)"}},
		{"a\nb", []string{"a", "b"}, []string{"x:2: last line has no line break: end every line with LF"}},
		{"\xef\xbb\xbfa\n", []string{"a"}, []string{"x:1: starts with a UTF-8 byte-order mark, which RFC 8493 forbids: save the file as UTF-8 without BOM"}},
		{"\xff\n", []string{"\xff"}, []string{"x:1: is not valid UTF-8"}},
		{"", nil, nil},
	}
	for _, tt := range tests {
		var lines []string
		probs := scanTagLines("x", iotest.OneByteReader(strings.NewReader(tt.in)), func(l line) { lines = append(lines, l.text) })
		if !slices.Equal(lines, tt.lines) || !slices.Equal(problemStrings(probs), tt.probs) {
			t.Errorf("%q: lines %q, problems %q; want %q, %q", tt.in, lines, problemStrings(probs), tt.lines, tt.probs)
		}
	}
}
