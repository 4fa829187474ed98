package ingest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	kgzip "github.com/klauspost/compress/gzip"
	gowarc "github.com/nlnwa/gowarc/v3"
)

// Capture names a WARC or WACZ being imported.
type Capture struct {
	Seed    string // slash path under seeds/
	SHA256  string // of the whole file, hex
	MaxPage int64  // largest page read, in bytes; 0 means DefaultMaxPage
}

func (c Capture) maxPage() int64 {
	if c.MaxPage > 0 {
		return c.MaxPage
	}
	return DefaultMaxPage
}

// Stats counts what a WARC or WACZ held and what import made of it.
type Stats struct {
	Records    int // WARC records read
	Articles   int // pages that became articles
	Revisits   int // revisit records: the same page again, never a second article
	Duplicates int // later responses for a page already read
	NotHTML    int // responses and resources that are not web pages (images, scripts, styles, …)
	NotOK      int // HTTP responses other than 2xx (redirects, errors)
	NoText     int // web pages without article text
	TooLarge   int // pages over the size limit
	Other      int // warcinfo, request, metadata and other records
	Failed     int // records that could not be read
}

// String is the one-line summary import prints for a capture.
func (s Stats) String() string {
	parts := []string{fmt.Sprintf("%d records", s.Records), fmt.Sprintf("%d %s", s.Articles, plural(s.Articles, "article", "articles"))}
	add := func(n int, what string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, what))
		}
	}
	add(s.Revisits, "revisits")
	add(s.Duplicates, "repeat captures")
	add(s.NoText, "pages without article text")
	add(s.NotHTML, "not web pages")
	add(s.NotOK, "redirects or errors")
	add(s.TooLarge, "too large")
	add(s.Other, "requests and metadata")
	add(s.Failed, "unreadable")
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (s *Stats) add(o Stats) {
	s.Records += o.Records
	s.Articles += o.Articles
	s.Revisits += o.Revisits
	s.Duplicates += o.Duplicates
	s.NotHTML += o.NotHTML
	s.NotOK += o.NotOK
	s.NoText += o.NoText
	s.TooLarge += o.TooLarge
	s.Other += o.Other
	s.Failed += o.Failed
}

// A WARCError is a WARC that could not be read past a point: truncated or
// corrupt. What was read before it stands.
type WARCError struct {
	Seed   string
	Member string // the WARC inside a WACZ, "" for a WARC file
	Offset int64  // byte offset of the record that failed
	After  int    // records read before it
	Err    error
}

func (e *WARCError) Error() string {
	where := e.Seed
	if e.Member != "" {
		where += ": " + e.Member
	}
	return fmt.Sprintf("%s: unreadable after record %d, at byte %d: %v\n\tfix: the file is truncated or corrupt; the records before it were imported. Fetch a whole copy and import it again",
		where, e.After, e.Offset, e.Err)
}
func (e *WARCError) Unwrap() error { return e.Err }

// warcReader reads one WARC stream. Records are read one after the other;
// a page's record is cut from the stream whole and handed to a worker, one
// per core, which parses it (gowarc: headers, digests, HTTP framing) and
// converts the page; what each record comes to is taken in record order,
// so the output does not depend on timing. The records on their way
// through hold at most queueBytes between them (or one record, if larger),
// so memory stays bounded by the largest record.
type warcReader struct {
	mu      sync.Mutex // guards stats, seen and the callbacks
	jobs    chan *job
	pending chan *job // in record order
	drained chan struct{}
	queued  int64      // bytes held by the jobs in pending
	queueMu sync.Mutex // guards queued
	freed   *sync.Cond // on queueMu: queued went down
	c       Capture
	member  string
	seen    map[string]bool // target URIs read as pages (articles, or pages that failed)
	emit    func(*Result)
	warn    func(error)
	stats   Stats
	noSkim  bool // tests: every record through gowarc on the reading goroutine, as before skim
}

// ReadWARC reads the records of one WARC file (WARC 1.0 or 1.1, each
// record gzipped or none) from r. Every HTML page with article text
// becomes an article and is passed to emit, in record order. A record
// that cannot become an article for a reason the user should hear of (an
// unknown charset, a page over the size limit, an unreadable body) is
// passed to warn as an error naming the seed and the record, and reading
// goes on; a *Warning is a problem worked around (a digest that does not
// match, a charset guessed). Pages without article text are only counted. A truncated or corrupt file stops the
// reading with a *WARCError; the articles emitted before it stand.
func ReadWARC(r io.Reader, c Capture, emit func(*Result), warn func(error)) (Stats, error) {
	w := &warcReader{c: c, seen: map[string]bool{}, emit: emit, warn: warn}
	err := w.read(r)
	return w.stats, err
}

// cutMax is the largest record cut from the stream for a worker to read;
// larger ones are read by gowarc in place, through a temporary file.
const cutMax = 8 << 20

// queueBytes is how many bytes of records may wait for or be in the
// workers at once. Records are taken in record order, so while one worker
// is on a large page the others go on with the pages after it, up to this
// much: with only a few records in the queue (as before) they ran dry
// behind every large page, and a page-only WARC used one core of two.
const queueBytes = 16 << 20

// maxQueued is the most jobs in the queue at once, whatever their size.
const maxQueued = 256

func (w *warcReader) read(r io.Reader) error {
	// A WARC is gzipped record by record (each record a gzip member) or,
	// by some tools, as one stream; reading it as a multi-member stream
	// handles both the same way. Offsets in messages are then offsets in
	// the uncompressed WARC.
	var magic [2]byte
	k, _ := io.ReadFull(r, magic[:])
	r = io.MultiReader(bytes.NewReader(magic[:k]), r)
	if k == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := kgzip.NewReader(bufio.NewReaderSize(r, 64<<10))
		if err != nil {
			return &WARCError{Seed: w.c.Seed, Member: w.member, Err: err}
		}
		defer zr.Close()
		r = zr
	}
	cr := &countingReader{r: r}
	b := bufio.NewReaderSize(cr, 64<<10)
	// Records up to 8 MB are checked in memory, larger ones through a
	// temporary file: memory stays bounded whatever the record's size.
	u := newUnmarshaler()
	w.startWorkers()
	defer w.wait()
	for {
		off := cr.n - int64(b.Buffered())
		if !w.noSkim {
			h, done, err := w.skim(b, off)
			if err != nil {
				return err
			}
			if done {
				continue
			}
			if h.whole > 0 && h.whole <= cutMax {
				if err := w.cut(b, off, h); err != nil {
					return err
				}
				continue
			}
		}
		wr, skipped, validation, err := u.Unmarshal(b)
		rec := gowarc.Record{WarcRecord: wr, Offset: off + skipped, Validation: validation}
		if errors.Is(err, io.EOF) && wr == nil {
			return nil
		}
		if err != nil {
			if wr != nil {
				_ = wr.Close()
			}
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			w.mu.Lock()
			defer w.mu.Unlock()
			return &WARCError{Seed: w.c.Seed, Member: w.member, Offset: rec.Offset, After: w.stats.Records, Err: err}
		}
		w.mu.Lock()
		w.stats.Records++
		w.mu.Unlock()
		j := &job{done: make(chan struct{})}
		w.record(rec, j)
		_ = wr.Close()
		w.queue(j)
	}
}

// newUnmarshalerMu serialises gowarc.NewUnmarshaler, which sets a global
// of the uuid package each time (a data race between two workers).
var newUnmarshalerMu sync.Mutex

func newUnmarshaler() gowarc.Unmarshaler {
	newUnmarshalerMu.Lock()
	defer newUnmarshalerMu.Unlock()
	return gowarc.NewUnmarshaler(gowarc.WithBufferMaxMemBytes(8 << 20))
}

// cut reads the record at the head of b, whose header skim has read,
// whole into memory and queues it for a worker. A record the stream ends
// inside is counted and reported as gowarc's reading would.
func (w *warcReader) cut(b *bufio.Reader, off int64, h skimmed) error {
	w.reserve(h.whole)
	raw := make([]byte, h.whole, h.whole+int64(len(crlf2)))
	n, err := io.ReadFull(b, raw)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		w.mu.Lock()
		defer w.mu.Unlock()
		return &WARCError{Seed: w.c.Seed, Member: w.member, Offset: off, After: w.stats.Records, Err: err}
	}
	w.mu.Lock()
	w.stats.Records++
	w.mu.Unlock()
	j := &job{done: make(chan struct{}), cost: h.whole}
	if int64(n) < h.whole {
		j.tally = func(s *Stats) { s.Failed++ }
		j.warns = append(j.warns, &PageError{Where: w.where(h.id, h.uri),
			Err: fmt.Errorf("the record is cut short: %v", &gowarc.ContentLengthError{Expected: h.length, Actual: int64(max(0, n-h.start))}),
			Fix: "the WARC is truncated or corrupt here; fetch a whole copy and import it again"})
		w.queue(j)
		return nil
	}
	if p, _ := b.Peek(len(crlf2)); bytes.Equal(p, crlf2) {
		raw = append(raw, p...)
		_, _ = b.Discard(len(crlf2))
	}
	j.raw, j.off, j.id, j.uri = raw, off, h.id, h.uri
	if h.own {
		j.skim = &h
	}
	w.pending <- j
	w.jobs <- j
	return nil
}

// job is one record on its way through the workers: a record to read
// (raw), a page to convert, and what it comes to.
type job struct {
	raw     []byte   // the whole record, cut from the stream, for a worker to read
	off     int64    // where raw starts in the uncompressed WARC
	id, uri string   // raw's record ID and target, as skim read them
	skim    *skimmed // what skim read of raw, if a worker reads it without gowarc
	page    *Page    // the page to convert, if the record holds one
	key     string
	tally   func(*Stats) // what a record that holds no page counts as
	warns   []error      // what to tell of the record, in order
	res     *Result
	err     error
	done    chan struct{}
	cost    int64 // bytes reserved for it in the queue
}

// reserve waits until n more bytes fit in the queue, or the queue is
// empty, and counts them in.
func (w *warcReader) reserve(n int64) {
	w.queueMu.Lock()
	defer w.queueMu.Unlock()
	for w.queued > 0 && w.queued+n > queueBytes {
		w.freed.Wait()
	}
	w.queued += n
}

func (w *warcReader) release(n int64) {
	if n == 0 {
		return
	}
	w.queueMu.Lock()
	w.queued -= n
	w.queueMu.Unlock()
	w.freed.Broadcast()
}

func (w *warcReader) startWorkers() {
	n := runtime.GOMAXPROCS(0)
	w.jobs = make(chan *job, maxQueued)
	w.pending = make(chan *job, maxQueued)
	w.drained = make(chan struct{})
	w.freed = sync.NewCond(&w.queueMu)
	for range n {
		go func() {
			u := newUnmarshaler()
			br := bufio.NewReaderSize(nil, 64<<10)
			for j := range w.jobs {
				if j.raw != nil && (j.skim == nil || !w.readOwn(j)) {
					w.readCut(u, br, j)
				}
				// A page already read from an earlier record is not
				// converted again; done counts it.
				if j.page != nil && !w.isSeen(j.key) {
					j.res, j.err = ConvertPage(*j.page)
				}
				if j.page != nil {
					j.page.HTML = nil
				}
				close(j.done)
			}
		}()
	}
	go func() {
		for j := range w.pending {
			<-j.done
			w.done(j)
			w.release(j.cost)
		}
		close(w.drained)
	}()
}

// readCut parses a record cut from the stream, as the reading goroutine
// parses the others.
func (w *warcReader) readCut(u gowarc.Unmarshaler, br *bufio.Reader, j *job) {
	br.Reset(bytes.NewReader(j.raw))
	wr, skipped, validation, err := u.Unmarshal(br)
	j.raw = nil
	if err != nil {
		if wr != nil {
			_ = wr.Close()
		}
		j.tally = func(s *Stats) { s.Failed++ }
		j.warns = append(j.warns, &PageError{Where: w.where(j.id, j.uri), Err: fmt.Errorf("the record is unreadable: %v", err),
			Fix: "the WARC is corrupt here; fetch a whole copy and import it again"})
		return
	}
	w.record(gowarc.Record{WarcRecord: wr, Offset: j.off + skipped, Validation: validation}, j)
	_ = wr.Close()
}

// readOwn reads a record cut from the stream that skim found to be a
// response with an HTTP head, or a resource, with no digest to check, as
// record would read it through gowarc: without copying its block, nor
// hashing it for nothing. It reports false, and leaves the record to
// gowarc, if the record is not what skim took it for.
func (w *warcReader) readOwn(j *job) bool {
	h := j.skim
	block := j.raw[h.start : int64(h.start)+h.length]
	var contentType string
	var status int
	var hdr http.Header
	body := block
	if h.typ == "response" {
		// The head ends at the first line shorter than 3 bytes, as gowarc
		// reads it; one that does not end is left to gowarc's reading.
		end := 0
		for end < len(block) {
			i := bytes.IndexByte(block[end:], '\n')
			if i < 0 {
				end = -1
				break
			}
			end += i + 1
			if i+1 < 3 {
				break
			}
		}
		if end <= 0 {
			return false // not expected: skim read the head
		}
		head := block[:end]
		status, _ = statusCode(head)
		hdr = rawHeader(head)
		contentType = hdr.Get("Content-Type")
		body = block[end:]
	} else {
		contentType = h.ctype
		status = 200
	}
	j.raw, j.skim = nil, nil
	w.settle(j, h.id, h.uri, h.date, contentType, status, hdr, func(limit int64) ([]byte, error) {
		if int64(len(body)) > limit {
			return nil, ErrTooLarge
		}
		if hdr == nil {
			return body, nil
		}
		return httpEntity(hdr, body, limit)
	})
	return true
}

// queue passes a job on in record order: to a worker when it has a page
// to convert, straight to done when not.
func (w *warcReader) queue(j *job) {
	if j.page == nil {
		close(j.done)
		w.pending <- j
		return
	}
	if j.cost == 0 {
		j.cost = int64(len(j.page.HTML))
		w.reserve(j.cost)
	}
	w.pending <- j
	w.jobs <- j
}

// wait lets every queued page finish.
func (w *warcReader) wait() {
	close(w.jobs)
	close(w.pending)
	<-w.drained
}

func (w *warcReader) isSeen(key string) bool {
	if key == "" {
		return false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.seen[key]
}

// record reads one WARC record into j: the page in it to convert, or what
// it counts as; and what to tell of it. It touches no shared state but
// for a look at seen, so workers may call it.
func (w *warcReader) record(rec gowarc.Record, j *job) {
	wr := rec.WarcRecord
	h := wr.WarcHeader()
	uri := strings.Trim(h.Get(gowarc.WarcTargetURI), "<>")
	id := h.Get(gowarc.WarcRecordID) // as written, <urn:uuid:…>
	count := func(f func(*Stats)) { j.tally = f }
	for _, v := range rec.Validation {
		var cl *gowarc.ContentLengthError
		if errors.As(v, &cl) {
			count(func(s *Stats) { s.Failed++ })
			j.warns = append(j.warns, &PageError{Where: w.where(id, uri), Err: fmt.Errorf("the record is cut short: %v", v),
				Fix: "the WARC is truncated or corrupt here; fetch a whole copy and import it again"})
			return
		}
	}
	for _, v := range rec.Validation {
		var de *gowarc.DigestError
		if errors.As(v, &de) {
			j.warns = append(j.warns, &Warning{&PageError{Where: w.where(id, uri), Err: fmt.Errorf("the record's digest does not match its content (%v); imported as it is", v)}})
		}
	}
	var contentType string
	var status int
	var hdr http.Header
	switch wr.Type() {
	case gowarc.Revisit:
		count(func(s *Stats) { s.Revisits++ })
		return
	case gowarc.Response:
		blk, ok := wr.Block().(gowarc.HttpResponseBlock)
		if !ok {
			count(func(s *Stats) { s.NotHTML++ })
			return
		}
		// The status line and header lines as written: net/http's parse
		// drops Transfer-Encoding, which says whether the stored body is
		// still chunked, and fails on one bad field (statusCode).
		head := blk.ProtocolHeaderBytes()
		status, _ = statusCode(head)
		hdr = rawHeader(head)
		contentType = hdr.Get("Content-Type")
	case gowarc.Resource:
		contentType = h.Get(gowarc.ContentType)
		status = 200
	default:
		count(func(s *Stats) { s.Other++ })
		return
	}
	w.settle(j, id, uri, h.Get(gowarc.WarcDate), contentType, status, hdr, func(limit int64) ([]byte, error) {
		return payload(wr.Block(), hdr, limit)
	})
}

// settle decides what a response or resource record comes to, from its
// HTTP status and head (none for a resource) and its body, read by body
// up to a limit: the page to convert, or what it counts as.
func (w *warcReader) settle(j *job, id, uri, warcDate, contentType string, status int, hdr http.Header, body func(limit int64) ([]byte, error)) {
	count := func(f func(*Stats)) { j.tally = f }
	if status < 200 || status > 299 {
		count(func(s *Stats) { s.NotOK++ })
		return
	}
	if !maybeHTML(contentType, uri) {
		count(func(s *Stats) { s.NotHTML++ })
		return
	}
	key := pageKey(uri)
	if w.isSeen(key) {
		count(func(s *Stats) { s.Duplicates++ })
		return
	}
	page, err := body(w.c.maxPage())
	if err != nil {
		if errors.Is(err, ErrTooLarge) {
			count(func(s *Stats) { s.TooLarge++ })
			j.warns = append(j.warns, &PageError{Where: w.where(id, uri), Err: fmt.Errorf("page larger than %d MB; skipped", w.c.maxPage()>>20)})
			return
		}
		count(func(s *Stats) { s.Failed++ })
		j.warns = append(j.warns, &PageError{Where: w.where(id, uri), Err: err})
		return
	}
	if contentType == "" || !strings.Contains(strings.ToLower(contentType), "html") {
		if !sniffHTML(page) {
			count(func(s *Stats) { s.NotHTML++ })
			return
		}
	}
	date, _ := time.Parse(time.RFC3339Nano, warcDate)
	j.page = &Page{Seed: w.c.Seed, SeedSHA256: w.c.SHA256, Record: id, URL: uri,
		Captured: date, ContentType: contentType, HTML: page}
	j.key = key
}

// done takes what one record came to, in record order. Of the records
// that hold the same page the first that converts (or fails for a reason
// other than having no text) is the one: the later ones are duplicates,
// whatever the order in which the workers finished.
func (w *warcReader) done(j *job) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, e := range j.warns {
		w.warn(e)
	}
	if j.tally != nil {
		j.tally(&w.stats)
	}
	p := j.page
	if p == nil {
		return
	}
	if j.key != "" && w.seen[j.key] {
		w.stats.Duplicates++
		return
	}
	id, uri := p.Record, p.URL
	if j.err != nil {
		if errors.Is(j.err, ErrNoText) {
			w.stats.NoText++
			return // common and expected: index pages, error pages; counted, not warned; a later capture may have the text
		}
		if j.key != "" {
			w.seen[j.key] = true
		}
		w.stats.Failed++
		w.warn(j.err)
		return
	}
	if j.key != "" {
		w.seen[j.key] = true
	}
	w.stats.Articles++
	for _, warning := range j.res.Doc.Warnings {
		w.warn(&Warning{&PageError{Where: w.where(id, uri), Err: errors.New(warning)}})
	}
	w.emit(j.res)
}

func (w *warcReader) where(id, uri string) string {
	s := w.c.Seed
	if w.member != "" {
		s += ": " + w.member
	}
	return fmt.Sprintf("%s: record %s (%s)", s, id, uri)
}

// rawHeader reads the header fields of an HTTP message head as written.
func rawHeader(head []byte) http.Header {
	h := http.Header{}
	lines := strings.Split(string(head), "\n")
	for i, l := range lines {
		if i == 0 {
			continue // the status line
		}
		l = strings.TrimRight(l, "\r")
		if l == "" {
			break
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			continue
		}
		h.Add(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	return h
}

// pageKey identifies a page by its address without the fragment.
func pageKey(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || uri == "" {
		return uri
	}
	u.Fragment = ""
	return u.String()
}

// maybeHTML reports whether a record with this Content-Type (and address)
// could be a web page; a missing type is sniffed later.
func maybeHTML(contentType, uri string) bool {
	if contentType == "" {
		ext := strings.ToLower(path.Ext(strings.SplitN(uri, "?", 2)[0]))
		switch ext {
		case ".js", ".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".ico", ".woff", ".woff2", ".mp4", ".pdf", ".json":
			return false
		}
		return true
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0]))
	}
	return mt == "text/html" || mt == "application/xhtml+xml" || mt == "application/octet-stream" || mt == ""
}

// sniffHTML reports whether a body starts like an HTML document.
func sniffHTML(b []byte) bool {
	return strings.HasPrefix(http.DetectContentType(b[:min(len(b), 512)]), "text/html")
}

// payload reads a record's page, undoing HTTP framing and compression.
func payload(blk gowarc.Block, hdr http.Header, limit int64) ([]byte, error) {
	var r io.Reader
	var err error
	if pb, ok := blk.(gowarc.PayloadBlock); ok && hdr != nil {
		r, err = pb.PayloadBytes()
	} else {
		r, err = blk.RawBytes()
	}
	if err != nil {
		return nil, err
	}
	// Compressed bodies may be up to the limit once decoded; the stored
	// bytes are read up to the same limit.
	raw, err := readLimited(r, limit)
	if err != nil {
		return nil, err
	}
	if hdr == nil {
		return raw, nil
	}
	return httpEntity(hdr, raw, limit)
}

// ReadWACZ reads the WARC files packed in a WACZ (a zip with archive/*.warc
// or *.warc.gz), in name order, as ReadWARC does. A member that cannot be
// read past is reported with warn and the next member is read.
func ReadWACZ(ra io.ReaderAt, size int64, c Capture, emit func(*Result), warn func(error)) (Stats, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return Stats{}, &PageError{Where: c.Seed, Err: fmt.Errorf("not a WACZ (zip) file: %w", err), Fix: "check the file is a whole .wacz"}
	}
	var members []*zip.File
	for _, f := range zr.File {
		n := strings.ToLower(f.Name)
		if strings.HasPrefix(n, "archive/") && (strings.HasSuffix(n, ".warc") || strings.HasSuffix(n, ".warc.gz")) {
			members = append(members, f)
		}
	}
	if len(members) == 0 {
		return Stats{}, &PageError{Where: c.Seed, Err: errors.New("the WACZ holds no archive/*.warc or *.warc.gz"), Fix: "check the file is a WACZ made by a capture tool"}
	}
	sort.Slice(members, func(i, j int) bool { return members[i].Name < members[j].Name })
	var total Stats
	seen := map[string]bool{}
	for _, f := range members {
		rc, err := f.Open()
		if err != nil {
			warn(&WARCError{Seed: c.Seed, Member: f.Name, Err: err})
			continue
		}
		w := &warcReader{c: c, member: f.Name, seen: seen, emit: emit, warn: warn}
		err = w.read(rc)
		rc.Close()
		total.add(w.stats)
		if err != nil {
			warn(err)
		}
	}
	return total, nil
}

// IsWARC reports whether b starts like a WARC file, gzipped or not.
func IsWARC(b []byte) bool {
	return bytes.HasPrefix(b, []byte("WARC/")) || len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b
}
