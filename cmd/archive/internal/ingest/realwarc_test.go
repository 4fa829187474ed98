package ingest

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// WARC and WACZ files written by capture tools (wget, wpull, warcio/pywb,
// Common Crawl's crawler, Webrecorder, py-wacz), extracted by
// testdata/fetch-real.sh. Each must be read to its end, or to the exact
// record where it is broken, without losing what came before.
func TestRealWARCs(t *testing.T) {
	files, _ := filepath.Glob("testdata/real/warcs/*")
	if len(files) == 0 {
		t.Skip("no real WARCs: run sh cmd/archive/internal/ingest/testdata/fetch-real.sh (needs the mirrors it names)")
	}
	sort.Strings(files)
	// What each file must give: articles, and whether reading stops early.
	want := map[string]struct {
		articles int
		broken   bool
	}{
		"warcio-trunc.warc":              {1, false}, // the payload is cut; the digests say so, and are reported
		"warcio-bad-non-chunked.warc.gz": {1, false}, // gzipped as one stream, not record by record
		"warcio-wrong-chunks.warc.gz":    {1, false}, // chunk sizes that lie
		"jwarc-commoncrawl.warc.gz":      {1, false}, // Common Crawl: bodies stored decoded, X-Crawler-* headers
		"pywacz-iana.warc":               {6, false},
		"pywb-iana.warc.gz":              {15, false}, // pywb wrote "Content-Length: -1" in the HTTP heads
		"pywb-wget-1-14.warc.gz":         {1, false},
		"pywb-wpull.warc.gz":             {1, false},
		"warcio-iana-chunked.warc":       {1, false},
		"warcio-resource.warc.gz":        {1, false}, // a resource record, not a response
		"pywb-valid_example_1.wacz":      {1, false},
		"pywacz-valid_example_2.wacz":    {1, false},
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var got []*Result
			var problems []string
			c := Capture{Seed: "seeds/" + name, SHA256: strings.Repeat("0", 64)}
			emit := func(r *Result) { got = append(got, r) }
			warn := func(err error) { problems = append(problems, err.Error()) }
			var st Stats
			if strings.HasSuffix(name, ".wacz") {
				st, err = ReadWACZ(bytes.NewReader(data), int64(len(data)), c, emit, warn)
			} else {
				st, err = ReadWARC(bytes.NewReader(data), c, emit, warn)
			}
			t.Logf("%s: %s (err %v)", name, st, err)
			for _, p := range problems {
				t.Logf("  %s", p)
			}
			for _, r := range got {
				t.Logf("  article %q from %s", r.Doc.Title, r.Record)
			}
			if st.Records == 0 && err == nil {
				t.Errorf("no records read and no error")
			}
			if w, ok := want[name]; ok {
				if (err != nil) != w.broken {
					t.Errorf("error %v, want broken=%v", err, w.broken)
				}
				if len(got) < w.articles {
					t.Errorf("%d articles, want at least %d", len(got), w.articles)
				}
			}
		})
	}
}
