package snapshot

import (
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/archive-project/archive/cmd/archive/internal/jsonstr"
)

// WACZ member names.
const (
	waczWARC       = "archive/data.warc.gz"
	waczIndex      = "indexes/index.cdxj"
	waczPages      = "pages/pages.jsonl"
	waczPackage    = "datapackage.json"
	waczDigest     = "datapackage-digest.json"
	warcFileName   = "data.warc.gz"
	maxPageTextLen = 16 << 20 // HTML read for pages.jsonl; the rest of a larger page is not indexed
)

// waczResource is one entry of datapackage.json's resources.
type waczResource struct {
	Name  string `json:"name"`
	Path  string `json:"path"`
	Hash  string `json:"hash"`
	Bytes int64  `json:"bytes"`
}

type waczHome struct {
	URL string `json:"url"`
	TS  string `json:"ts"`
}

type dataPackage struct {
	Profile      string         `json:"profile"`
	Resources    []waczResource `json:"resources"`
	Title        string         `json:"title,omitempty"`
	Description  string         `json:"description,omitempty"`
	Created      string         `json:"created"`
	Modified     string         `json:"modified"`
	Software     string         `json:"software"`
	Home         *waczHome      `json:"home,omitempty"`
	MainPageURL  string         `json:"mainPageUrl,omitempty"`
	MainPageDate string         `json:"mainPageDate,omitempty"`
}

type dataPackageDigest struct {
	Path string `json:"path"`
	Hash string `json:"hash"`
}

// WriteWACZ writes the built site in src.Site as a WACZ 1.2 package to w.
// Content and Seeds are not used: the WACZ holds the site as the web sees
// it (the raw seeds are in it at their /seeds/ URLs).
func WriteWACZ(ctx context.Context, w io.Writer, src Sources, opts ...Option) (*Summary, error) {
	o := newOptions(opts)
	files, err := siteFiles(src.Site, "")
	if err != nil {
		return nil, err
	}
	sort.Slice(files, func(i, j int) bool { return files[i].dst < files[j].dst })
	sum := &Summary{Files: len(files)}
	for _, f := range files {
		sum.Bytes += f.size
	}
	captured := make(map[string]bool, len(files))
	for _, f := range files {
		captured[publicURL(o.baseURL, f.dst)] = true
	}
	annotations, err := annotationsByPage(src.Site, o.baseURL, captured)
	if err != nil {
		return nil, err
	}

	zw := NewZipWriter(w, flate.BestSpeed) // pages.jsonl holds all the text: favour speed, as for the WARC
	var resources []waczResource
	member := func(name string) (*hashCounter, error) {
		fw, err := zw.Create(Header{Name: name, Size: -1, Modified: o.time})
		if err != nil {
			return nil, err
		}
		return &hashCounter{w: fw, h: sha256.New()}, nil
	}
	done := func(name string, hc *hashCounter) {
		resources = append(resources, waczResource{
			Name: name[strings.LastIndex(name, "/")+1:], Path: name,
			Hash: "sha256:" + hex.EncodeToString(hc.h.Sum(nil)), Bytes: hc.n,
		})
	}

	hc, err := member(waczWARC)
	if err != nil {
		return nil, err
	}
	cdx, err := writeWARC(ctx, hc, files, annotations, o, sum)
	if err != nil {
		return nil, err
	}
	done(waczWARC, hc)

	if hc, err = member(waczIndex); err != nil {
		return nil, err
	}
	sort.Slice(cdx, func(i, j int) bool { return cdx[i].String() < cdx[j].String() })
	for _, l := range cdx {
		if _, err := io.WriteString(hc, l.String()+"\n"); err != nil {
			return nil, err
		}
	}
	done(waczIndex, hc)

	if hc, err = member(waczPages); err != nil {
		return nil, err
	}
	hasHome, err := writePages(ctx, hc, files, o)
	if err != nil {
		return nil, err
	}
	done(waczPages, hc)

	ts := o.time.Format("2006-01-02T15:04:05Z")
	dp := dataPackage{
		Profile: "wacz", Resources: resources, Title: o.title, Description: description(o, waczContents),
		Created: ts, Modified: ts, Software: o.software,
	}
	if hasHome {
		dp.Home = &waczHome{URL: o.baseURL, TS: ts}
		dp.MainPageURL, dp.MainPageDate = o.baseURL, ts
	}
	dpJSON, err := json.MarshalIndent(dp, "", "  ")
	if err != nil {
		return nil, err
	}
	dpJSON = append(dpJSON, '\n')
	if err := writeSmall(zw, Header{Name: waczPackage, Size: int64(len(dpJSON)), Modified: o.time}, dpJSON); err != nil {
		return nil, err
	}
	d := sha256.Sum256(dpJSON)
	dig, _ := json.MarshalIndent(dataPackageDigest{Path: waczPackage, Hash: "sha256:" + hex.EncodeToString(d[:])}, "", "  ")
	dig = append(dig, '\n')
	if err := writeSmall(zw, Header{Name: waczDigest, Size: int64(len(dig)), Modified: o.time}, dig); err != nil {
		return nil, err
	}
	return sum, zw.Close()
}

// writeWARC writes the warcinfo record, then one response record per site
// file (each followed by a metadata record when the page has annotations),
// and returns the index lines. Records are read, hashed and compressed on
// all cores (see orderedMap) and written in file order.
func writeWARC(ctx context.Context, out io.Writer, files []file, annotations map[string][]any, o *options, sum *Summary) ([]cdxLine, error) {
	ow := &offsetWriter{w: out}
	date := warcDate(o.time)
	ts := o.time.Format("20060102150405")

	info := warcInfo(o)
	infoID := recordID("warcinfo", digest(info))
	if err := newRecordWriter().write(ow, []field{
		{"WARC-Type", "warcinfo"}, {"WARC-Record-ID", infoID}, {"WARC-Date", date},
		{"WARC-Filename", warcFileName}, {"Content-Type", "application/warc-fields"},
		{"WARC-Block-Digest", digest(info)},
	}, info, nil, 0); err != nil {
		return nil, fmt.Errorf("%s: %w", waczWARC, err)
	}

	// A captured file: its response record and the metadata record for
	// its annotations, compressed; or, for a file over maxParallel, nothing
	// yet, as it is captured when its turn comes, so that at most 16 records
	// of at most maxParallel bytes wait in memory.
	type captured struct {
		resp, meta    bytes.Buffer
		payloadDigest string
		stream        bool
	}
	writers := sync.Pool{New: func() any { return newRecordWriter() }}
	capture := func(i int, rw *recordWriter, dst io.Writer, c *captured) error {
		f := files[i]
		u := publicURL(o.baseURL, f.dst)
		head := []byte(fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n", mimeType(f.dst), f.size))
		body, blockDigest, payloadDigest, err := rw.capture(f, head)
		if err != nil {
			return err
		}
		id := recordID("response", u, blockDigest)
		err = rw.write(dst, []field{
			{"WARC-Type", "response"}, {"WARC-Record-ID", id}, {"WARC-Warcinfo-ID", infoID},
			{"WARC-Date", date}, {"WARC-Target-URI", u},
			{"Content-Type", "application/http; msgtype=response"},
			{"WARC-Block-Digest", blockDigest}, {"WARC-Payload-Digest", payloadDigest},
		}, head, body, f.size)
		if c, ok := body.(io.Closer); ok {
			c.Close()
		}
		if err != nil {
			return fmt.Errorf("%s: %s: %w", waczWARC, f.dst, err)
		}
		c.payloadDigest = payloadDigest
		if items := annotations[u]; len(items) > 0 {
			block, err := annotationPageJSON(u, items)
			if err != nil {
				return err
			}
			bd := digest(block)
			return rw.write(&c.meta, []field{
				{"WARC-Type", "metadata"}, {"WARC-Record-ID", recordID("metadata", u, bd)},
				{"WARC-Warcinfo-ID", infoID}, {"WARC-Date", date}, {"WARC-Target-URI", u},
				{"WARC-Refers-To", id}, {"Content-Type", "application/ld+json"}, {"WARC-Block-Digest", bd},
			}, block, nil, 0)
		}
		return nil
	}

	cdx := make([]cdxLine, 0, len(files))
	var done int64
	err := orderedMap(ctx, len(files), 16, func(i int) (*captured, error) {
		c := &captured{}
		if files[i].size > maxParallel {
			c.stream = true
			return c, nil
		}
		rw := writers.Get().(*recordWriter)
		defer writers.Put(rw)
		c.resp.Grow(int(files[i].size/3) + 512)
		return c, capture(i, rw, &c.resp, c)
	}, func(i int, c *captured) error {
		f := files[i]
		u := publicURL(o.baseURL, f.dst)
		off := ow.n
		if c.stream {
			if err := capture(i, newRecordWriter(), ow, c); err != nil {
				return err
			}
		} else if _, err := ow.Write(c.resp.Bytes()); err != nil {
			return fmt.Errorf("%s: %w", waczWARC, err)
		}
		mimeBase, _, _ := strings.Cut(mimeType(f.dst), ";")
		cdx = append(cdx, cdxLine{SURT(u), ts, cdxJSON(u, mimeBase, 200, c.payloadDigest, ow.n-off, off, warcFileName)})
		if c.meta.Len() > 0 {
			off := ow.n
			if _, err := ow.Write(c.meta.Bytes()); err != nil {
				return fmt.Errorf("%s: %w", waczWARC, err)
			}
			cdx = append(cdx, cdxLine{SURT(u), ts, cdxJSON(u, "application/ld+json", 0, "", ow.n-off, off, warcFileName)})
		}
		done += f.size
		if o.progress != nil {
			o.progress(Progress{Files: i + 1, TotalFiles: len(files), Bytes: done, TotalBytes: sum.Bytes, Path: f.dst})
		}
		return nil
	})
	return cdx, err
}

// capture reads a site file for its response record and computes the
// record's block digest (HTTP head + body) and payload digest (body). Small
// files are held in a reused buffer; larger ones are hashed in a first read
// and streamed from a second one.
func (w *recordWriter) capture(f file, head []byte) (body io.Reader, blockDigest, payloadDigest string, err error) {
	r, err := f.fsys.Open(f.src)
	if err != nil {
		return nil, "", "", fmt.Errorf("%s: %w", f.dst, err)
	}
	if f.size <= maxBuffered {
		defer r.Close()
		if int64(cap(w.buf)) < f.size+1 {
			w.buf = make([]byte, f.size+1)
		}
		n, err := io.ReadFull(r, w.buf[:f.size+1])
		if short := err == io.EOF || err == io.ErrUnexpectedEOF; !short || int64(n) != f.size {
			if err == nil || short {
				err = fmt.Errorf("changed while being packaged (%d bytes, expected %d): run again when nothing writes to it", n, f.size)
			}
			return nil, "", "", fmt.Errorf("%s: %w", f.dst, err)
		}
		data := w.buf[:n]
		return bytes.NewReader(data), digest(head, data), digest(data), nil
	}
	block, payload := sha256.New(), sha256.New()
	block.Write(head)
	n, err := io.CopyBuffer(io.MultiWriter(block, payload), r, w.copyBf)
	r.Close()
	if err != nil {
		return nil, "", "", fmt.Errorf("%s: %w", f.dst, err)
	}
	if n != f.size {
		return nil, "", "", fmt.Errorf("%s: changed while being packaged (%d bytes, expected %d)", f.dst, n, f.size)
	}
	r2, err := f.fsys.Open(f.src)
	if err != nil {
		return nil, "", "", fmt.Errorf("%s: %w", f.dst, err)
	}
	return r2, "sha256:" + hex.EncodeToString(block.Sum(nil)), "sha256:" + hex.EncodeToString(payload.Sum(nil)), nil
}

// warcInfo is the block of the warcinfo record (application/warc-fields).
func warcInfo(o *options) []byte {
	var b bytes.Buffer
	put := func(k, v string) {
		if v = oneLine(v); v != "" {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	put("software", o.software)
	put("format", "WARC File Format 1.1")
	put("conformsTo", "http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/")
	put("isPartOf", o.title)
	put("description", description(o, waczContents))
	put("operator", o.organization)
	return b.Bytes()
}

// writePages writes pages.jsonl: a header line, then one line per HTML
// page (the 404 page left out) with its title and visible text. It
// reports whether the site has a home page.
func writePages(ctx context.Context, w io.Writer, files []file, o *options) (bool, error) {
	if _, err := io.WriteString(w, `{"format":"json-pages-1.0","id":"pages","title":"All Pages"}`+"\n"); err != nil {
		return false, err
	}
	ts := o.time.Format("2006-01-02T15:04:05Z")
	home := false
	var pages []int
	for i, f := range files {
		if strings.HasPrefix(mimeType(f.dst), "text/html") && f.dst != "404.html" {
			pages = append(pages, i)
			home = home || f.dst == "index.html"
		}
	}
	bufs := sync.Pool{New: func() any { return new([]byte) }}
	err := orderedMap(ctx, len(pages), 16, func(k int) ([]byte, error) {
		f := files[pages[k]]
		buf := bufs.Get().(*[]byte)
		defer bufs.Put(buf)
		src, err := readInto((*buf)[:0], f, maxPageTextLen)
		if err != nil {
			return nil, err
		}
		*buf = src
		title, text := pageText(src)
		u := publicURL(o.baseURL, f.dst)
		id := sha256.Sum256([]byte(u))
		// {"id":…,"url":…,"ts":…,"title":…,"text":…}, empty title and text left out
		line := append(make([]byte, 0, 128+len(text)), `{"id":"`...)
		line = hex.AppendEncode(line, id[:8])
		line = append(line, `","url":`...)
		line = jsonstr.Append(line, u, false)
		line = append(line, `,"ts":"`+ts+`"`...)
		if title != "" {
			line = jsonstr.Append(append(line, `,"title":`...), title, false)
		}
		if text != "" {
			line = jsonstr.Append(append(line, `,"text":`...), text, false)
		}
		return append(line, "}\n"...), nil
	}, func(_ int, line []byte) error {
		_, err := w.Write(line)
		return err
	})
	if err != nil {
		return false, err
	}
	return home, nil
}

// readInto reads up to limit bytes of a file into buf, reusing its space.
func readInto(buf []byte, f file, limit int64) ([]byte, error) {
	r, err := f.fsys.Open(f.src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.dst, err)
	}
	defer r.Close()
	if n := min(f.size, limit); int64(cap(buf)) < n+512 {
		buf = make([]byte, 0, n+512)
	}
	for int64(len(buf)) < limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):min(int64(cap(buf)), limit)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.dst, err)
		}
	}
	return buf, nil
}

// hashCounter passes writes on while counting and hashing them.
type hashCounter struct {
	w io.Writer
	h hash.Hash
	n int64
}

func (c *hashCounter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.h.Write(p[:n])
	c.n += int64(n)
	return n, err
}
