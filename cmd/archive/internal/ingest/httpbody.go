package ingest

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httputil"
	"regexp"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/zstd"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// ErrTooLarge is returned for a page larger than the page limit.
var ErrTooLarge = errors.New("page too large")

// readLimited reads r to the end, or fails with ErrTooLarge past limit bytes.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return b, err
	}
	if int64(len(b)) > limit {
		return nil, ErrTooLarge
	}
	return b, nil
}

// httpEntity undoes an HTTP message's transfer and content codings:
// chunked framing (when the body really is chunked: some capture tools store
// it de-chunked but keep the header), then gzip, deflate, br and zstd, in the
// reverse of the order they were applied. It never returns more than limit
// bytes.
func httpEntity(h http.Header, raw []byte, limit int64) ([]byte, error) {
	body := raw
	if strings.Contains(strings.ToLower(h.Get("Transfer-Encoding")), "chunked") && looksChunked(body) {
		if d, err := readLimited(httputil.NewChunkedReader(bytes.NewReader(body)), limit); err == nil {
			body = d
		} else if errors.Is(err, ErrTooLarge) {
			return nil, err
		}
		// A broken chunk framing is read as it is: the page may still be whole.
	}
	codings := strings.Split(strings.ToLower(h.Get("Content-Encoding")), ",")
	for i := len(codings) - 1; i >= 0; i-- {
		c := strings.TrimSpace(codings[i])
		d, err := decode(c, body, limit)
		if err != nil {
			return nil, fmt.Errorf("content-encoding %s: %w", c, err)
		}
		body = d
	}
	return body, nil
}

var chunkHead = regexp.MustCompile(`^[0-9a-fA-F]{1,8}[ \t]*(?:;[^\r\n]*)?\r?\n`)

func looksChunked(b []byte) bool { return chunkHead.Match(b[:min(len(b), 64)]) }

func decode(coding string, b []byte, limit int64) ([]byte, error) {
	var r io.Reader
	switch coding {
	case "", "identity", "none":
		return b, nil
	case "gzip", "x-gzip":
		if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
			return b, nil // stored decoded, header kept
		}
		z, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		r = z
	case "deflate":
		if z, err := zlib.NewReader(bytes.NewReader(b)); err == nil {
			r = z
		} else {
			r = flate.NewReader(bytes.NewReader(b))
		}
	case "br":
		if looksLikeText(b) {
			return b, nil
		}
		r = brotli.NewReader(bytes.NewReader(b))
	case "zstd":
		if looksLikeText(b) {
			return b, nil
		}
		z, err := zstd.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, err
		}
		defer z.Close()
		r = z
	default:
		return nil, fmt.Errorf("unknown coding")
	}
	d, err := readLimited(r, limit)
	if err != nil && !errors.Is(err, ErrTooLarge) && len(d) > 0 && errors.Is(err, io.ErrUnexpectedEOF) {
		return d, nil // a truncated capture: keep what arrived
	}
	return d, err
}

// looksLikeText reports whether b starts like markup or text rather than a
// compressed stream (for bodies stored decoded under a Content-Encoding).
func looksLikeText(b []byte) bool {
	s := bytes.TrimLeft(b[:min(len(b), 512)], " \t\r\n\ufeff")
	return len(s) > 0 && (s[0] == '<' || utf8.Valid(s) && bytes.IndexByte(s, 0) < 0 && bytes.Count(s, []byte{'<'}) > 0)
}

var metaCharsetRE = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_.:\-]+)`)

// decodeHTML turns a page's bytes into UTF-8. The charset is the one the
// byte order mark, the HTTP header or the page's <meta> declares; with
// none declared, UTF-8 when the bytes are UTF-8 and windows-1252 otherwise
// (as browsers do). A page declared as a single-byte charset whose bytes
// are valid multi-byte UTF-8 is UTF-8: saved pages are often re-encoded
// without their <meta> being changed. An unknown charset is an error
// unless the bytes are UTF-8, which is then used with a warning. A page
// that is UTF-8 already is not copied: text is then b's memory, and b
// must not change while text is in use.
func decodeHTML(b []byte, contentType string) (text string, warning string, err error) {
	if e, name, certain := charset.DetermineEncoding(b, ""); certain && name != "" && hasBOM(b) {
		return transform(e, b)
	}
	label := ""
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		label = strings.TrimSpace(params["charset"])
	} else if i := strings.Index(strings.ToLower(contentType), "charset="); i >= 0 {
		label = strings.Trim(strings.TrimSpace(contentType[i+len("charset="):]), `"'; `)
	}
	if label == "" {
		if m := metaCharsetRE.FindSubmatch(b[:min(len(b), 4096)]); m != nil {
			label = string(m[1])
		}
	}
	valid := utf8.Valid(b)
	if label == "" {
		if valid {
			return view(b), "", nil
		}
		return transform(charsetLookup("windows-1252"), b)
	}
	e := charsetLookup(label)
	if e == nil {
		if valid {
			return view(b), fmt.Sprintf("unknown charset %q; the page is valid UTF-8 and was read as UTF-8", label), nil
		}
		return "", "", fmt.Errorf("unknown charset %q", label)
	}
	if e == unicode.UTF8 || e == encoding.Nop {
		if valid {
			return view(b), "", nil
		}
		t, _, err := transform(e, b)
		return t, "invalid UTF-8 in a page declared as UTF-8; bad bytes were replaced", err
	}
	if valid && hasMultibyte(b) && singleByte(label) {
		return view(b), "", nil
	}
	return transform(e, b)
}

func hasBOM(b []byte) bool {
	return bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) || bytes.HasPrefix(b, []byte("\xfe\xff")) || bytes.HasPrefix(b, []byte("\xff\xfe"))
}

func hasMultibyte(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

func singleByte(label string) bool {
	l := strings.ToLower(label)
	return strings.Contains(l, "8859") || strings.Contains(l, "1252") || strings.Contains(l, "latin") || l == "ascii" || l == "us-ascii"
}

func charsetLookup(label string) encoding.Encoding {
	e, err := htmlindex.Get(label)
	if err != nil {
		return nil
	}
	return e
}

func transform(e encoding.Encoding, b []byte) (string, string, error) {
	out, err := io.ReadAll(e.NewDecoder().Reader(bufio.NewReader(bytes.NewReader(b))))
	if err != nil {
		return "", "", fmt.Errorf("charset: %w", err)
	}
	return strings.ToValidUTF8(string(out), "\ufffd"), "", nil
}

// view is b as a string, without a copy. A page is read once, by stripRaw
// and the HTML parse, which copy what they keep; copying it first was an
// eighth of the bytes a page allocates.
func view(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
