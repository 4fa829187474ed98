package snapshot

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
)

// VerifyWACZ checks a WACZ and returns every problem found: that
// datapackage.json parses and lists every member once with its size and,
// unless fast, its SHA-256; that datapackage-digest.json holds the hash of
// datapackage.json; that WARC files are stored, not compressed again; and,
// unless fast, that every WARC record parses, has the Content-Length it
// claims and matching WARC-Block-Digest and WARC-Payload-Digest, and that
// every CDXJ line points at the offset, length, URL and digest of a real
// record while every response record is indexed.
func VerifyWACZ(ctx context.Context, zr *zip.Reader, fast bool) ([]Problem, error) {
	v := &waczVerifier{zr: zr, members: map[string]*zip.File{}, records: map[string]map[int64]*warcRecord{}, damagedAt: map[string]int64{}}
	if err := v.run(ctx, fast); err != nil {
		return nil, err
	}
	return v.probs, nil
}

type waczVerifier struct {
	zr      *zip.Reader
	members map[string]*zip.File
	records map[string]map[int64]*warcRecord // WARC file name -> offset -> record
	// damagedAt is where a WARC file stopped being readable: index lines
	// past it are counted, not reported one by one.
	damagedAt map[string]int64
	probs     []Problem
}

func (v *waczVerifier) bad(file, format string, args ...any) {
	v.probs = append(v.probs, Problem{File: file, Msg: fmt.Sprintf(format, args...)})
}

func (v *waczVerifier) run(ctx context.Context, fast bool) error {
	for _, f := range v.zr.File {
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		if _, dup := v.members[f.Name]; dup {
			v.bad(f.Name, "appears twice in the ZIP")
		}
		v.members[f.Name] = f
	}
	raw, err := v.read(waczPackage)
	if errors.Is(err, errMissing) {
		v.bad(waczPackage, "missing: a WACZ describes its members in datapackage.json")
		return nil
	}
	if err != nil {
		v.bad(waczPackage, "cannot be read: %v", err)
		return nil
	}
	var dp struct {
		Profile   string `json:"profile"`
		Resources []struct {
			Name, Path, Hash string
			Bytes            int64
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &dp); err != nil {
		v.bad(waczPackage, "is not valid JSON: %v", err)
		return nil
	}
	if dp.Profile != "wacz" && dp.Profile != "data-package" {
		v.bad(waczPackage, "profile is %q, want \"wacz\" (WACZ 1.2) or \"data-package\" (1.1)", dp.Profile)
	}
	v.checkDigest(raw)

	listed := map[string]bool{waczPackage: true, waczDigest: true}
	for i, r := range dp.Resources {
		at := fmt.Sprintf("%s: resources[%d] (%s)", waczPackage, i, r.Path)
		if listed[r.Path] {
			v.bad(waczPackage, "resources[%d]: %s is listed twice", i, r.Path)
			continue
		}
		listed[r.Path] = true
		f := v.members[r.Path]
		if f == nil {
			v.bad(r.Path, "missing: listed in %s resources[%d] but not in the ZIP", waczPackage, i)
			continue
		}
		if int64(f.UncompressedSize64) != r.Bytes {
			v.bad(r.Path, "is %d bytes but %s says %d", f.UncompressedSize64, waczPackage, r.Bytes)
		}
		isWARC := strings.HasPrefix(r.Path, "archive/")
		if (isWARC || strings.HasSuffix(r.Path, ".gz")) && f.Method != zip.Store {
			v.bad(r.Path, "is compressed again in the ZIP (method %d): WACZ stores archive files so they can be read at an offset", f.Method)
		}
		alg, want, ok := strings.Cut(r.Hash, ":")
		if !ok || alg != "sha256" || len(want) != 64 {
			v.bad(waczPackage, "%s hash %q is not \"sha256:<64 hex digits>\"", at, r.Hash)
			want = ""
		}
		if fast {
			continue
		}
		got, err := v.hashMember(ctx, f, isWARC)
		if err != nil {
			v.bad(r.Path, "cannot be read: %v", err)
			continue
		}
		if want != "" && got != strings.ToLower(want) {
			v.bad(r.Path, "SHA-256 does not match %s: the file has %s, datapackage.json says %s", waczPackage, short(got), short(want))
		}
	}
	for _, name := range sortedKeys(v.members) {
		if !listed[name] {
			v.bad(name, "not listed in %s resources", waczPackage)
		}
	}
	if v.countPrefix("archive/") == 0 {
		v.bad("archive/", "missing: a WACZ holds at least one WARC file under archive/")
	}
	if v.members[waczPages] != nil {
		v.checkPages()
	} else if !listed[waczPages] {
		v.bad(waczPages, "missing: a WACZ lists its pages in pages/pages.jsonl")
	}
	if !fast && v.countPrefix("indexes/") == 0 {
		v.bad("indexes/", "missing: a WACZ holds a CDXJ index under indexes/")
	}
	if fast {
		return nil
	}
	for _, name := range sortedKeys(v.members) {
		if strings.HasPrefix(name, "indexes/") && strings.HasSuffix(name, ".cdxj") {
			v.checkIndex(name)
		}
	}
	return ctx.Err()
}

func (v *waczVerifier) countPrefix(prefix string) int {
	n := 0
	for name := range v.members {
		if strings.HasPrefix(name, prefix) {
			n++
		}
	}
	return n
}

// errMissing is a member the WACZ does not have.
var errMissing = errors.New("missing")

func (v *waczVerifier) read(name string) ([]byte, error) {
	f := v.members[name]
	if f == nil {
		return nil, errMissing
	}
	r, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return readSmall(r)
}

func (v *waczVerifier) checkDigest(dp []byte) {
	raw, err := v.read(waczDigest)
	if errors.Is(err, errMissing) {
		v.bad(waczDigest, "missing: it holds the hash that makes datapackage.json, and so the whole WACZ, checkable")
		return
	}
	if err != nil {
		v.bad(waczDigest, "cannot be read: %v", err)
		return
	}
	var d dataPackageDigest
	if err := json.Unmarshal(raw, &d); err != nil {
		v.bad(waczDigest, "is not valid JSON: %v", err)
		return
	}
	if d.Path != waczPackage {
		v.bad(waczDigest, "path is %q, want %q", d.Path, waczPackage)
	}
	sum := sha256.Sum256(dp)
	if got := "sha256:" + hex.EncodeToString(sum[:]); !strings.EqualFold(d.Hash, got) {
		v.bad(waczDigest, "hash %s does not match datapackage.json (%s)", short(d.Hash), short(got))
	}
}

// hashMember returns the SHA-256 of a member; for a WARC file it also
// parses every record on the way.
func (v *waczVerifier) hashMember(ctx context.Context, f *zip.File, isWARC bool) (string, error) {
	r, err := f.Open()
	if err != nil {
		return "", err
	}
	defer r.Close()
	h := sha256.New()
	tee := io.TeeReader(r, h)
	if isWARC {
		if strings.HasSuffix(f.Name, ".warc.gz") {
			base := path.Base(f.Name)
			v.records[base] = v.readWARC(ctx, f.Name, tee, base)
		} else {
			v.bad(f.Name, "not checked record by record: this verifier reads per-record gzip WARC files (.warc.gz)")
		}
	}
	if _, err := io.Copy(h, r); errors.Is(err, zip.ErrChecksum) {
		v.bad(f.Name, "does not match its ZIP CRC-32: its bytes changed after the ZIP was written")
	} else if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// warcRecord is what the index check needs to know of a record.
type warcRecord struct {
	offset, length int64
	typ, uri, date string
	contentType    string
	payloadDigest  string
	indexed        bool
}

// countingReader counts the bytes taken from a bufio.Reader; handing it to
// gzip (it is an io.ByteReader) keeps gzip from reading ahead, so the count
// is exactly where each gzip member ends.
type countingReader struct {
	r *bufio.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

// readWARC parses a per-record gzip WARC and returns its records by offset.
func (v *waczVerifier) readWARC(ctx context.Context, name string, r io.Reader, base string) map[int64]*warcRecord {
	recs := map[int64]*warcRecord{}
	cr := &countingReader{r: bufio.NewReaderSize(r, 256<<10)}
	z := new(gzip.Reader)
	br := bufio.NewReaderSize(nil, 64<<10)
	for i := 1; ctx.Err() == nil; i++ {
		start := cr.n
		if _, err := cr.r.Peek(1); err == io.EOF {
			break
		}
		where := fmt.Sprintf("record %d at offset %d", i, start)
		if err := z.Reset(cr); err != nil {
			v.bad(name, "%s: not a gzip member (%v): the rest of the file cannot be read", where, err)
			v.damagedAt[base] = start
			break
		}
		z.Multistream(false)
		br.Reset(z)
		rec, err := v.readRecord(name, where, br)
		if rec != nil && rec.uri != "" {
			where += " (" + rec.uri + ")"
		}
		if err == nil {
			var extra int64
			extra, err = io.Copy(io.Discard, br)
			if err == nil && extra > 0 {
				v.bad(name, "%s: %d bytes after the record in the same gzip member: write one record per member", where, extra)
			}
		}
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				v.bad(name, "%s: truncated: the record ends before its Content-Length and gzip trailer (%v)", where, err)
			} else {
				v.bad(name, "%s: damaged: %v; the rest of the file cannot be read", where, err)
			}
			v.damagedAt[base] = start
			break
		}
		rec.offset, rec.length = start, cr.n-start
		recs[start] = rec
	}
	return recs
}

// readRecord reads one WARC record and checks its digests. A nil error with
// problems reported means the record was damaged but the file readable.
func (v *waczVerifier) readRecord(name, where string, br *bufio.Reader) (*warcRecord, error) {
	first, err := br.ReadString('\n')
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(first, "WARC/1.") {
		return nil, fmt.Errorf("starts with %q, not a WARC/1.x version line", strings.TrimSpace(first))
	}
	rec := &warcRecord{}
	fields := map[string]string{}
	for {
		l, err := br.ReadString('\n')
		if err != nil {
			return rec, err
		}
		l = strings.TrimRight(l, "\r\n")
		if l == "" {
			break
		}
		k, val, ok := strings.Cut(l, ":")
		if !ok {
			return rec, fmt.Errorf("header line %q has no colon", l)
		}
		fields[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(val)
	}
	rec.typ, rec.uri, rec.date = fields["warc-type"], fields["warc-target-uri"], fields["warc-date"]
	rec.contentType, rec.payloadDigest = fields["content-type"], fields["warc-payload-digest"]
	if rec.uri != "" {
		where += " (" + rec.uri + ")"
	}
	for _, k := range []string{"warc-record-id", "warc-date", "warc-type"} {
		if fields[k] == "" {
			v.bad(name, "%s: no %s field (WARC 1.1 requires it)", where, k)
		}
	}
	length, err := strconv.ParseInt(fields["content-length"], 10, 64)
	if err != nil || length < 0 {
		return rec, fmt.Errorf("Content-Length %q is not a number of bytes", fields["content-length"])
	}
	blockHash, blockWant, blockErr := parseDigest(fields["warc-block-digest"])
	payloadHash, payloadWant, payloadErr := parseDigest(rec.payloadDigest)
	if fields["warc-block-digest"] == "" {
		v.bad(name, "%s: no WARC-Block-Digest", where)
	} else if blockErr != nil {
		v.bad(name, "%s: WARC-Block-Digest: %v", where, blockErr)
	}
	if rec.payloadDigest != "" && payloadErr != nil {
		v.bad(name, "%s: WARC-Payload-Digest: %v", where, payloadErr)
	}
	if rec.typ == "response" && rec.payloadDigest == "" {
		v.bad(name, "%s: response record has no WARC-Payload-Digest", where)
	}

	block := io.LimitReader(br, length)
	var bw io.Writer = io.Discard
	if blockHash != nil {
		bw = blockHash
	}
	counted := &hashCounter{w: bw, h: nopHash{}}
	tee := io.TeeReader(block, counted)
	isHTTP := strings.HasPrefix(rec.contentType, "application/http")
	if isHTTP && payloadHash != nil {
		hb := bufio.NewReader(tee)
		for {
			l, err := hb.ReadString('\n')
			if err != nil {
				return rec, fmt.Errorf("HTTP header block: %w", io.ErrUnexpectedEOF)
			}
			if l == "\r\n" || l == "\n" {
				break
			}
		}
		if _, err := io.Copy(payloadHash, hb); err != nil {
			return rec, err
		}
	} else {
		if _, err := io.Copy(io.Discard, tee); err != nil {
			return rec, err
		}
	}
	if counted.n != length {
		return rec, fmt.Errorf("block is %d bytes, Content-Length says %d: %w", counted.n, length, io.ErrUnexpectedEOF)
	}
	var tail [4]byte
	if _, err := io.ReadFull(br, tail[:]); err != nil {
		return rec, err
	}
	if string(tail[:]) != "\r\n\r\n" {
		v.bad(name, "%s: block is not followed by CRLF CRLF: Content-Length is wrong", where)
	}
	if blockHash != nil && !bytes.Equal(blockHash.Sum(nil), blockWant) {
		v.bad(name, "%s: WARC-Block-Digest does not match the block (%s)", where, fields["warc-block-digest"])
	}
	if isHTTP && payloadHash != nil && !bytes.Equal(payloadHash.Sum(nil), payloadWant) {
		v.bad(name, "%s: WARC-Payload-Digest does not match the payload (%s)", where, rec.payloadDigest)
	}
	return rec, nil
}

// nopHash lets hashCounter count without hashing twice.
type nopHash struct{}

func (nopHash) Write(p []byte) (int, error) { return len(p), nil }
func (nopHash) Sum(b []byte) []byte         { return b }
func (nopHash) Reset()                      {}
func (nopHash) Size() int                   { return 0 }
func (nopHash) BlockSize() int              { return 1 }

// parseDigest reads "alg:value" with value in hex or base32, as WARC
// writers use both (sha1:BASE32 traditionally, sha256:hex today).
func parseDigest(s string) (hash.Hash, []byte, error) {
	if s == "" {
		return nil, nil, nil
	}
	alg, val, ok := strings.Cut(s, ":")
	if !ok {
		return nil, nil, fmt.Errorf("%q is not <algorithm>:<value>", s)
	}
	newHash, ok := checksumAlgorithms[strings.ToLower(strings.ReplaceAll(alg, "-", ""))]
	if !ok {
		return nil, nil, fmt.Errorf("unknown algorithm %q", alg)
	}
	h := newHash()
	if b, err := hex.DecodeString(val); err == nil && len(b) == h.Size() {
		return h, b, nil
	}
	if b, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.TrimRight(strings.ToUpper(val), "=")); err == nil && len(b) == h.Size() {
		return h, b, nil
	}
	return nil, nil, fmt.Errorf("%q is neither hex nor base32 of a %s digest", val, alg)
}

// checkIndex checks every line of a CDXJ index against the parsed records.
func (v *waczVerifier) checkIndex(name string) {
	raw, err := v.read(name)
	if err != nil {
		v.bad(name, "cannot be read: %v", err)
		return
	}
	prev := ""
	skipped := map[string]int{}
	for i, l := range strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n") {
		at := fmt.Sprintf("%s:%d", name, i+1)
		if l < prev {
			v.bad(at, "is out of order: CDXJ lines must be sorted so readers can binary-search them")
		}
		prev = l
		key, rest, ok1 := strings.Cut(l, " ")
		ts, js, ok2 := strings.Cut(rest, " ")
		var e map[string]any
		if !ok1 || !ok2 || json.Unmarshal([]byte(js), &e) != nil {
			v.bad(at, "is not \"<surt> <timestamp> {json}\"")
			continue
		}
		str := func(k string) string {
			switch x := e[k].(type) {
			case string:
				return x
			case float64:
				return strconv.FormatInt(int64(x), 10)
			}
			return ""
		}
		u, filename := str("url"), str("filename")
		offset, err1 := strconv.ParseInt(str("offset"), 10, 64)
		length, err2 := strconv.ParseInt(str("length"), 10, 64)
		if err1 != nil || err2 != nil {
			v.bad(at, "offset %q or length %q is not a number", str("offset"), str("length"))
			continue
		}
		if key != SURT(u) {
			v.bad(at, "key %q is not the SURT of %s (%q)", key, u, SURT(u))
		}
		recs, ok := v.records[filename]
		if !ok {
			v.bad(at, "filename %q is not a WARC file in archive/", filename)
			continue
		}
		rec := recs[offset]
		if damage, ok := v.damagedAt[filename]; ok && offset >= damage && rec == nil {
			skipped[filename]++
			continue
		}
		if rec == nil {
			v.bad(at, "offset %d is not the start of a record in %s", offset, filename)
			continue
		}
		rec.indexed = true
		if rec.length != length {
			v.bad(at, "length %d, but the record at offset %d is %d bytes", length, offset, rec.length)
		}
		if rec.uri != u {
			v.bad(at, "url %s, but the record at offset %d is for %s", u, offset, rec.uri)
		}
		if want := strings.ReplaceAll(rec.date, "-", ""); len(ts) != 14 || !strings.HasPrefix(strings.NewReplacer(":", "", "T", "").Replace(want), ts) {
			v.bad(at, "timestamp %s does not match the record's WARC-Date %s", ts, rec.date)
		}
		if d := str("digest"); d != "" && rec.payloadDigest != "" {
			_, recHex, _ := strings.Cut(rec.payloadDigest, ":")
			if !strings.EqualFold(strings.TrimPrefix(d, "sha256:"), recHex) {
				v.bad(at, "digest %s does not match the record's WARC-Payload-Digest %s", short(d), rec.payloadDigest)
			}
		}
	}
	for _, file := range sortedKeys(skipped) {
		v.bad(name, "not checked past the damage in %s at offset %d: %s", file, v.damagedAt[file], plural(skipped[file], "line"))
	}
	for _, file := range sortedKeys(v.records) {
		offsets := make([]int64, 0, len(v.records[file]))
		for off := range v.records[file] {
			offsets = append(offsets, off)
		}
		sort.Slice(offsets, func(i, j int) bool { return offsets[i] < offsets[j] })
		for _, off := range offsets {
			if rec := v.records[file][off]; rec.typ == "response" && !rec.indexed {
				v.bad("archive/"+file, "record at offset %d (%s) is not in %s", off, rec.uri, name)
			}
		}
	}
}

// checkPages checks pages.jsonl's header line and that each page has a URL.
func (v *waczVerifier) checkPages() {
	raw, err := v.read(waczPages)
	if err != nil {
		v.bad(waczPages, "cannot be read: %v", err)
		return
	}
	for i, l := range strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n") {
		at := fmt.Sprintf("%s:%d", waczPages, i+1)
		var e map[string]any
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			v.bad(at, "is not JSON: %v", err)
			continue
		}
		if i == 0 {
			if e["format"] != "json-pages-1.0" {
				v.bad(at, "the first line must be the header {\"format\": \"json-pages-1.0\", ...}")
			}
			continue
		}
		if u, _ := e["url"].(string); u == "" {
			v.bad(at, "page has no url")
		}
	}
}
