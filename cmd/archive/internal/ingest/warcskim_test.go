package ingest

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// skimWARC writes records as a crawler does, each gzipped or not.
func skimWARC(gz bool, recs [][3]string) []byte {
	var out bytes.Buffer
	for i, r := range recs {
		typ, head, block := r[0], r[1], r[2]
		var b bytes.Buffer
		fmt.Fprintf(&b, "WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%08d-0000-4000-8000-000000000000>\r\nWARC-Date: 2021-03-04T12:00:00Z\r\n%sContent-Length: %d\r\n\r\n%s\r\n\r\n",
			typ, i, head, len(block), block)
		if !gz {
			out.Write(b.Bytes())
			continue
		}
		zw := gzip.NewWriter(&out)
		zw.Write(b.Bytes())
		zw.Close()
	}
	return out.Bytes()
}

func skimPage(headline string) string {
	return "<html><head><title>" + headline + "</title></head><body><article><h1>" + headline + "</h1>" + prose(1, 5) + "</article></body></html>"
}

// skimRecords has every kind of record skim skips, the ones a worker
// reads without gowarc (pages, chunked or not; a response whose HTTP head
// is refused by net/http), and the ones left to gowarc: a page with a
// digest, a header folded over two lines, a resource without a type.
func skimRecords() [][3]string {
	const resp = "WARC-Target-URI: %s\r\nContent-Type: application/http; msgtype=response\r\n"
	u := func(path string) string { return fmt.Sprintf(resp, "https://daily.example/"+path) }
	page := skimPage("Council votes on budget")
	return [][3]string{
		{"warcinfo", "Content-Type: application/warc-fields\r\n", "software: test\r\n"},
		{"request", "WARC-Target-URI: https://daily.example/a\r\nContent-Type: application/http; msgtype=request\r\n", "GET /a HTTP/1.1\r\nHost: daily.example\r\n\r\n"},
		{"response", u("a"), "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + page},
		{"revisit", u("a"), "HTTP/1.1 200 OK\r\n\r\n"},
		{"response", u("logo.png"), "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n" + strings.Repeat("\x00\xff", 50<<10)},
		{"response", u("app.js"), "HTTP/1.1 200 OK\r\nContent-Type: application/javascript\r\n\r\nvar a = 1;"},
		{"response", u("old"), "HTTP/1.1 301 Moved Permanently\r\nLocation: /a\r\nContent-Type: text/html\r\n\r\n<a href=/a>moved</a>"},
		{"response", u("gone"), "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>not here</p>"},
		{"resource", "WARC-Target-URI: https://daily.example/photo.jpg\r\nContent-Type: image/jpeg\r\n", "\xff\xd8\xff\xe0"},
		{"metadata", "WARC-Target-URI: https://daily.example/a\r\nContent-Type: application/warc-fields\r\n", "outlink: https://daily.example/b\r\n"},
		// pywb wrote "Content-Length: -1" beside chunked bodies: net/http
		// refuses the head, and gowarc gave the status as 0.
		{"response", u("b"), "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: -1\r\n\r\n" + skimPage("Police ask for a key to encrypted chats")},
		{"resource", "WARC-Target-URI: https://daily.example/c\r\nContent-Type: text/html\r\n", skimPage("Café owners protest")},
		// A chunked body, read by a worker without gowarc; a page with a
		// digest that does not match, read by gowarc, which checks it.
		{"response", u("f"), "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(skimPage("Bridge closed for repairs"))},
		{"response", u("g") + "WARC-Block-Digest: sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\n", "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + skimPage("Library opens late")},
		{"response", "WARC-Target-URI: https://daily.example/d.css\r\nContent-Type:\r\n application/http; msgtype=response\r\n", "HTTP/1.1 200 OK\r\nContent-Type: text/css\r\n\r\np{}"},
		{"resource", "WARC-Target-URI: https://daily.example/e.png\r\n", "\x89PNG\r\n\x1a\n"},
	}
}

// chunked frames s as an HTTP body in chunks of 100 bytes.
func chunked(s string) string {
	var b strings.Builder
	for len(s) > 0 {
		n := min(len(s), 100)
		fmt.Fprintf(&b, "%x\r\n%s\r\n", n, s[:n])
		s = s[n:]
	}
	return b.String() + "0\r\n\r\n"
}

type skimRun struct {
	stats    Stats
	err      string
	articles []string
	contents []string // the articles' files
	warnings []string
}

func readSkim(t *testing.T, data []byte, noSkim bool) skimRun {
	t.Helper()
	var run skimRun
	w := &warcReader{c: Capture{Seed: "seeds/x.warc", SHA256: strings.Repeat("0", 64)}, seen: map[string]bool{}, noSkim: noSkim,
		emit: func(r *Result) {
			run.articles = append(run.articles, r.Record+" "+r.Doc.Title)
			run.contents = append(run.contents, string(r.Content))
		},
		warn: func(err error) { run.warnings = append(run.warnings, err.Error()) }}
	if err := w.read(bytes.NewReader(data)); err != nil {
		run.err = err.Error()
	}
	run.stats = w.stats
	return run
}

// TestSkimAgreesWithGowarc reads the same WARCs with skim and with every
// record through gowarc: the counts, the articles and the messages must
// be the same, whole or cut short.
func TestSkimAgreesWithGowarc(t *testing.T) {
	for _, gz := range []bool{false, true} {
		data := skimWARC(gz, skimRecords())
		// Cut inside the PNG (the fifth record), inside the last record,
		// and in the middle of a WARC header.
		png := bytes.Index(data, []byte("\x89PNG"))
		if gz {
			png = len(data) / 3
		}
		for _, tc := range []struct {
			name string
			data []byte
		}{
			{"whole", data},
			{"cut in a skipped record", data[:png+1000]},
			{"cut in the last record", data[:len(data)-3]},
			{"cut in a header", data[:len(data)-len(skimWARC(gz, skimRecords()[len(skimRecords())-1:]))+30]},
		} {
			t.Run(fmt.Sprintf("gzip=%v/%s", gz, tc.name), func(t *testing.T) {
				skim, all := readSkim(t, tc.data, false), readSkim(t, tc.data, true)
				if !reflect.DeepEqual(skim, all) {
					t.Errorf("skim:\n%+v\nall through gowarc:\n%+v", skim, all)
				}
				if tc.name == "whole" {
					want := Stats{Records: 16, Articles: 5, Revisits: 1, NotHTML: 5, NotOK: 2, Other: 3}
					if skim.stats != want || skim.err != "" || len(skim.warnings) != 1 || !strings.Contains(skim.warnings[0], "digest does not match") {
						t.Errorf("stats %+v (err %q, warnings %q), want %+v", skim.stats, skim.err, skim.warnings, want)
					}
				}
				t.Logf("%s (err %q) %d warnings", skim.stats, skim.err, len(skim.warnings))
			})
		}
	}
}

// TestRepeatCapturesInRecordOrder: of the captures of one page the first
// with article text becomes the article and the later ones are repeats,
// however the workers finish; a capture without text does not stand in
// the way of a later one. Read many times, in both ways of reading.
func TestRepeatCapturesInRecordOrder(t *testing.T) {
	const resp = "WARC-Target-URI: %s\r\nContent-Type: application/http; msgtype=response\r\n"
	u := func(path string) string { return fmt.Sprintf(resp, "https://daily.example/"+path) }
	html := "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"
	recs := [][3]string{
		{"response", u("x"), html + "<html><head><title>Loading</title></head><body><p>Please wait.</p></body></html>"},
		{"response", u("x"), html + skimPage("Mayor resigns over budget")},
		{"response", u("x#comments"), html + skimPage("Mayor resigns over budget, updated")},
		{"response", u("y"), html + skimPage("Council votes on budget")},
		{"response", u("x"), html + skimPage("Mayor resigns over budget, again")},
	}
	want := skimRun{
		stats:    Stats{Records: 5, Articles: 2, Duplicates: 2, NoText: 1},
		articles: []string{"<urn:uuid:00000001-0000-4000-8000-000000000000> Mayor resigns over budget", "<urn:uuid:00000003-0000-4000-8000-000000000000> Council votes on budget"},
	}
	for _, gz := range []bool{false, true} {
		data := skimWARC(gz, recs)
		for _, noSkim := range []bool{false, true} {
			for range 20 {
				got := readSkim(t, data, noSkim)
				got.contents = nil
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("gzip=%v noSkim=%v:\n got %+v\nwant %+v", gz, noSkim, got, want)
				}
			}
		}
	}
}

// The queue of records on their way through the workers holds at most
// queueBytes, or one record larger than that when nothing else waits.
func TestQueueBudget(t *testing.T) {
	w := &warcReader{}
	w.freed = sync.NewCond(&w.queueMu)
	w.reserve(queueBytes + 1) // alone in the queue: taken, however large
	w.release(queueBytes + 1)
	w.reserve(queueBytes / 2)
	w.reserve(queueBytes / 2) // fills it to the byte
	in := make(chan struct{})
	go func() {
		w.reserve(1)
		close(in)
	}()
	select {
	case <-in:
		t.Fatalf("a byte past the budget was let in with %d bytes queued", queueBytes)
	case <-time.After(50 * time.Millisecond):
	}
	w.release(queueBytes / 2)
	select {
	case <-in:
	case <-time.After(10 * time.Second):
		t.Fatal("a record waits although the queue has room")
	}
	w.queueMu.Lock()
	defer w.queueMu.Unlock()
	if want := int64(queueBytes/2 + 1); w.queued != want {
		t.Fatalf("queued %d bytes, want %d", w.queued, want)
	}
}
