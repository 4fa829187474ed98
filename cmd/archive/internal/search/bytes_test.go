package search

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"testing"
)

func gzipSize(b []byte) int {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Len()
}

// TestQueryBytes10k checks the budget: a query on a 10,000-article
// archive downloads under 100 KB (counted uncompressed; the gzip size that
// Netlify would send is logged too). Skipped with -short: building the
// index takes a few seconds.
func TestQueryBytes10k(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10,000-article index")
	}
	docs := syntheticCorpus(10000, 800, 40)
	files, err := Build(docs)
	if err != nil {
		t.Fatal(err)
	}
	total, terms, docShards := 0, 0, 0
	for p, b := range files {
		total += len(b)
		switch {
		case bytes.Contains([]byte(p), []byte("/t/")):
			terms++
		case bytes.Contains([]byte(p), []byte("/d/")):
			docShards++
		}
	}
	var m Manifest
	json.Unmarshal(files["search/index.json"], &m)
	t.Logf("stop terms: %d; bounds: %d", len(m.Stop), m.Shards)
	t.Logf("index: %d files (%d term shards, %d doc shards), %d bytes; manifest %d bytes (%d gzip)",
		len(files), terms, docShards, total, len(files["search/index.json"]), gzipSize(files["search/index.json"]))
	const budget = 100_000
	for _, q := range []Query{
		{Text: "interpol"},
		{Text: "encryption backdoor"},
		{Text: "police encryption children"},
		{Text: "the encryption of data"},
		{Text: "encr"},
		{Text: "interpol predators", Outlet: "Outlet 07"},
		{Text: "government statement", Kind: Article},
		{Text: "surveillance warrant"},
	} {
		raw, gz := 0, 0
		fetch := func(p string) ([]byte, error) {
			b, ok := files["search/"+p]
			if !ok {
				return nil, fmt.Errorf("no file %s", p)
			}
			raw += len(b)
			gz += gzipSize(b)
			return b, nil
		}
		res, err := Search(fetch, q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		t.Logf("%-40q outlet=%-9q → %5d hits, %2d files, %6d bytes (%5d gzip), ignored %v",
			q.Text, q.Outlet, res.Total, len(res.Fetched), raw, gz, res.Ignored)
		if res.Total == 0 {
			t.Errorf("%q: no hits", q.Text)
		}
		if raw > budget {
			t.Errorf("%q: downloads %d bytes, want under %d (files %v)", q.Text, raw, budget, res.Fetched)
		}
	}
}

// BenchmarkBuild10k builds the index of 10,000 articles of 800 words.
func BenchmarkBuild10k(b *testing.B) {
	docs := syntheticCorpus(10000, 800, 40)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Build(docs); err != nil {
			b.Fatal(err)
		}
	}
}
