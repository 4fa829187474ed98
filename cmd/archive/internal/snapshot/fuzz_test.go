package snapshot

import (
	"archive/zip"
	"bytes"
	"context"
	"io/fs"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// Fuzz targets for verify: a package is a file from anywhere, so no bytes
// may crash it or keep it busy. Run one with, for example,
//
//	go test -run '^$' -fuzz '^FuzzVerifyBagTar$' -fuzztime 10m -parallel 1 ./cmd/archive/internal/snapshot
//
// The interesting inputs found are kept in testdata/fuzz/<target>/.

// fuzzSources is a site small enough that mutations reach every part of
// its package: one page, one article, one seed, annotations.
func fuzzSources() Sources {
	return Sources{
		Site: fstest.MapFS{
			"index.html":   {Data: []byte("<!doctype html><title>A</title><p>Interpol said no.</p>")},
			"a/index.html": {Data: []byte("<!doctype html><title>B</title><p>Reuters</p>")},
			"annotations.jsonld": {Data: []byte(`{"@context":"http://www.w3.org/ns/anno.jsonld","type":"AnnotationCollection",` +
				`"first":{"type":"AnnotationPage","items":[{"id":"urn:x:1","type":"Annotation",` +
				`"target":{"source":"https://archive.example.org/a/","selector":{"type":"TextQuoteSelector","exact":"Reuters"}}}]}}`)},
		},
		Content: fstest.MapFS{"a.md": {Data: []byte("---\ntitle: A\ndate: 2019-11-18\n---\nBody.\n")}},
		Seeds:   fstest.MapFS{"a.txt": {Data: []byte("Interpol said no.\n")}},
	}
}

// within fails the test if verify runs for longer than a package of this
// size can take: a loop on hostile input.
func within(t *testing.T, limit time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("verify ran for more than %s", limit)
	}
}

// bothWays runs verify in full and fast, each within the time a package
// of this size can take, and checks that every problem says something.
func bothWays(t *testing.T, verify func(fast bool) ([]Problem, error)) {
	for _, fast := range []bool{false, true} {
		within(t, 20*time.Second, func() {
			probs, _ := verify(fast)
			for _, p := range probs {
				if p.Msg == "" {
					t.Errorf("a problem without a message: %+v", p)
				}
			}
		})
	}
}

// verifyAll verifies a bag found in fsys, both ways.
func verifyAll(t *testing.T, fsys fs.FS) {
	bag, _, err := BagRoot(fsys)
	if err != nil {
		return
	}
	bothWays(t, func(fast bool) ([]Problem, error) { return VerifyBag(context.Background(), bag, fast) })
}

func FuzzVerifyBagTar(f *testing.F) {
	f.Add(writeBag(f, fuzzSources(), "tar", testOptions()...))
	f.Add(writeBag(f, fuzzSources(), "tar", testOptions(WithRoot(""))...))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys, err := TarFS(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		verifyAll(t, fsys)
	})
}

func FuzzVerifyBagZip(f *testing.F) {
	f.Add(writeBag(f, fuzzSources(), "zip", testOptions()...))
	f.Fuzz(func(t *testing.T, data []byte) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		verifyAll(t, zr)
	})
}

func FuzzVerifyWACZ(f *testing.F) {
	f.Add(writeWACZ(f, fuzzSources(), testOptions()...))
	f.Fuzz(func(t *testing.T, data []byte) {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		bothWays(t, func(fast bool) ([]Problem, error) { return VerifyWACZ(context.Background(), zr, fast) })
	})
}

// The seeds are valid packages: they verify without a problem, so that
// the fuzzer starts from the paths a good package takes.
func TestFuzzSeedsVerify(t *testing.T) {
	for _, format := range []string{"tar", "zip"} {
		b := writeBag(t, fuzzSources(), format, testOptions()...)
		var fsys fs.FS
		if format == "tar" {
			fsys, _ = TarFS(bytes.NewReader(b), int64(len(b)))
		} else {
			fsys, _ = zip.NewReader(bytes.NewReader(b), int64(len(b)))
		}
		bag, _, err := BagRoot(fsys)
		if err != nil {
			t.Fatal(err)
		}
		if probs, err := VerifyBag(context.Background(), bag, false); err != nil || len(probs) > 0 {
			t.Errorf("%s: %v %v", format, problemStrings(probs), err)
		}
	}
	b := writeWACZ(t, fuzzSources(), testOptions()...)
	zr, _ := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if probs, err := VerifyWACZ(context.Background(), zr, false); err != nil || len(probs) > 0 {
		t.Errorf("wacz: %v %v", problemStrings(probs), err)
	}
}

// declareSize rewrites the uncompressed size the ZIP's central directory
// gives the member name, as a hostile package would.
func declareSize(t *testing.T, b []byte, name string, size uint32) []byte {
	t.Helper()
	b = append([]byte(nil), b...)
	for i := 0; i+46 <= len(b); i++ {
		if string(b[i:i+4]) != "PK\x01\x02" {
			continue
		}
		n := int(b[i+28]) | int(b[i+29])<<8
		if i+46+n <= len(b) && string(b[i+46:i+46+n]) == name {
			b[i+24], b[i+25], b[i+26], b[i+27] = byte(size), byte(size>>8), byte(size>>16), byte(size>>24)
			return b
		}
	}
	t.Fatalf("no member %s", name)
	return nil
}

// allocated is how many bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A member whose declared size is 3 GB (found by FuzzVerifyBagZip: 60
// bytes of bagit.txt said 3,271,557,174) does not make verify allocate
// it: fs.ReadFile trusted the size and took seconds and gigabytes.
func TestVerifyIgnoresDeclaredSizes(t *testing.T) {
	bag := declareSize(t, writeBag(t, fuzzSources(), "zip", testOptions()...), "bag/bagit.txt", 3271557174)
	wacz := declareSize(t, writeWACZ(t, fuzzSources(), testOptions()...), "datapackage.json", 3271557174)
	for name, verify := range map[string]func(){
		"bag": func() {
			zr, err := zip.NewReader(bytes.NewReader(bag), int64(len(bag)))
			if err != nil {
				t.Fatal(err)
			}
			root, _, err := BagRoot(zr)
			if err != nil {
				t.Fatal(err)
			}
			probs, _ := VerifyBag(context.Background(), root, false)
			if len(probs) == 0 {
				t.Errorf("bag: a broken member passed")
			}
		},
		"wacz": func() {
			zr, err := zip.NewReader(bytes.NewReader(wacz), int64(len(wacz)))
			if err != nil {
				t.Fatal(err)
			}
			probs, _ := VerifyWACZ(context.Background(), zr, false)
			if len(probs) == 0 {
				t.Errorf("wacz: a broken member passed")
			}
		},
	} {
		if n := allocated(verify); n > 64<<20 {
			t.Errorf("%s: verify allocated %d MB for a package of a few kB", name, n>>20)
		}
	}
}

// A metadata member that inflates past maxSmallFile is a problem named
// as such, not read whole.
func TestVerifyCapsMetadata(t *testing.T) {
	defer func(n int) { maxSmallFile = n }(maxSmallFile)
	maxSmallFile = 64
	b := writeWACZ(t, fuzzSources(), testOptions()...)
	zr, _ := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	probs, _ := VerifyWACZ(context.Background(), zr, false)
	found := false
	for _, p := range problemStrings(probs) {
		found = found || strings.Contains(p, "is over")
	}
	if !found {
		t.Errorf("no problem says a member is too large: %v", problemStrings(probs))
	}
}
