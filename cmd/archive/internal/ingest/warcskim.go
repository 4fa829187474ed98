package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	gowarc "github.com/nlnwa/gowarc/v3"
)

// Most of a crawler's WARC is not pages: images, scripts, styles, requests,
// revisits. gowarc reads every record whole before it returns it: it
// copies the block into a buffer and hashes it (with SHA-256 even when the
// record carries no digest to check), which was most of the reading time
// of such a WARC. skim looks at a record's WARC header and, for a response,
// its HTTP header, in the read buffer without consuming it; a record that
// cannot be a page is counted and its block skipped unread. Everything
// else, and anything skim does not fully understand (folded header lines,
// a header longer than its window, a missing length), is left to gowarc.

// skimWindow is how much of a record skim looks at: its WARC header and
// the HTTP header at the start of its block must fit.
const skimWindow = 32 << 10

var (
	crlf2 = []byte("\r\n\r\n")
	lf2   = []byte("\n\n")
)

// skimmed is what skim read of a record that may be a page.
type skimmed struct {
	whole   int64 // header and block, in bytes; 0 if not known
	start   int   // where the block starts
	length  int64 // the block's Content-Length
	id, uri string
	// own: the record is a response with an HTTP head skim read, or a
	// resource, and states no digest: a worker reads it without gowarc
	// (readOwn). gowarc would copy its block and hash it twice with
	// SHA-256, for no digest to check.
	own   bool
	typ   string // WARC-Type, lower case
	ctype string // the WARC Content-Type
	date  string // WARC-Date
}

// skim handles the record at the head of b if it cannot be a page: it
// counts it, skips it and reports true. A record that may be a page is
// left in b, and what skim read of it returned. off is the record's
// offset in the uncompressed WARC. A stream that fails inside the record
// is a *WARCError; one that ends inside it is a record cut short, counted
// and reported as gowarc's reading would.
func (w *warcReader) skim(b *bufio.Reader, off int64) (skimmed, bool, error) {
	var none skimmed
	head, _ := b.Peek(skimWindow) // fewer bytes near the end; errors surface in Discard or in gowarc
	if !bytes.HasPrefix(head, []byte("WARC/")) {
		return none, false, nil
	}
	end := bytes.Index(head, crlf2)
	if end < 0 {
		return none, false, nil
	}
	var typ, ctype, uri, id, date string
	digest := false
	length := int64(-1)
	lines := bytes.Split(head[:end], []byte("\r\n"))
	for _, l := range lines[1:] {
		if len(l) == 0 || l[0] == ' ' || l[0] == '\t' {
			return none, false, nil // folded: gowarc's parser
		}
		k, v, ok := bytes.Cut(l, []byte(":"))
		if !ok {
			return none, false, nil
		}
		val := string(bytes.TrimSpace(v))
		switch strings.ToLower(string(bytes.TrimSpace(k))) {
		case "warc-type":
			typ = strings.ToLower(val)
		case "content-type":
			ctype = val
		case "warc-target-uri":
			uri = strings.Trim(val, "<>")
		case "warc-record-id":
			id = val
		case "warc-date":
			date = val
		case "warc-block-digest", "warc-payload-digest":
			digest = true
		case "content-length":
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil || n < 0 {
				return none, false, nil
			}
			length = n
		}
	}
	if length < 0 {
		return none, false, nil
	}
	start := end + len(crlf2)
	page := skimmed{whole: int64(start) + length, start: start, length: length, id: id, uri: uri, typ: typ, ctype: ctype, date: date}
	block := head[start:]
	if int64(len(block)) > length {
		block = block[:length]
	}
	var count *int
	switch typ {
	case "revisit":
		count = &w.stats.Revisits
	case "request", "warcinfo", "metadata", "conversion", "continuation":
		count = &w.stats.Other
	case "response":
		if !strings.HasPrefix(strings.ToLower(ctype), "application/http") {
			return page, false, nil
		}
		status, hctype, ok := httpHead(block)
		switch {
		case !ok:
			return page, false, nil
		case status < 200 || status > 299:
			count = &w.stats.NotOK
		case !maybeHTML(hctype, uri):
			count = &w.stats.NotHTML
		default:
			page.own = !digest
			return page, false, nil // a page, perhaps: a worker reads it
		}
	case "resource":
		if ctype == "" || maybeHTML(ctype, uri) {
			page.own = !digest
			return page, false, nil
		}
		count = &w.stats.NotHTML
	default:
		return none, false, nil
	}
	total := int64(start) + length
	n, err := discard(b, total)
	w.mu.Lock()
	if err != nil && !errors.Is(err, io.EOF) {
		defer w.mu.Unlock()
		return none, true, &WARCError{Seed: w.c.Seed, Member: w.member, Offset: off, After: w.stats.Records, Err: err}
	}
	w.stats.Records++
	if n < total {
		w.mu.Unlock()
		// Told in record order, after what the records before it came to.
		w.queue(&job{done: make(chan struct{}), tally: func(s *Stats) { s.Failed++ },
			warns: []error{&PageError{Where: w.where(id, uri), Err: fmt.Errorf("the record is cut short: %v", &gowarc.ContentLengthError{Expected: length, Actual: n - int64(start)}),
				Fix: "the WARC is truncated or corrupt here; fetch a whole copy and import it again"}}})
		return none, true, nil
	}
	*count++
	w.mu.Unlock()
	if p, _ := b.Peek(len(crlf2)); bytes.Equal(p, crlf2) {
		_, _ = b.Discard(len(crlf2))
	}
	return none, true, nil
}

// discard skips n bytes of b, which may be more than an int holds.
func discard(b *bufio.Reader, n int64) (int64, error) {
	var done int64
	for done < n {
		step := int(min(n-done, 1<<30))
		k, err := b.Discard(step)
		done += int64(k)
		if err != nil {
			return done, err
		}
	}
	return done, nil
}

// httpHead reads the status and Content-Type of the HTTP response at the
// start of block; ok is false when its head is not all there or is not an
// HTTP response.
func httpHead(block []byte) (status int, ctype string, ok bool) {
	end := bytes.Index(block, crlf2)
	if end < 0 {
		if end = bytes.Index(block, lf2); end < 0 {
			return 0, "", false
		}
	}
	status, ok = statusCode(block[:end])
	if !ok {
		return 0, "", false
	}
	return status, rawHeader(block[:end+2]).Get("Content-Type"), true
}

// statusCode reads the status code of an HTTP response's status line
// ("HTTP/1.1 200 OK"), at the start of head. It asks nothing else of the
// head: net/http's parser, which gowarc uses, refuses a whole response
// for one bad field (pywb wrote "Content-Length: -1" beside chunked
// bodies), and gowarc then gives its status as 0.
func statusCode(head []byte) (int, bool) {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 2 || !strings.HasPrefix(f[0], "HTTP/") {
		return 0, false
	}
	status, err := strconv.Atoi(f[1])
	return status, err == nil && status >= 100 && status <= 999
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
