package snapshot

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// line is one line of a tag file and its 1-based number.
type line struct {
	n    int
	text string
}

// tagLines splits a text tag file into lines and reports what is wrong with
// its encoding and line endings. RFC 8493 lets a line end in LF, CR or
// CRLF; it does not allow a byte-order mark, invalid UTF-8 or a last line
// without its line break. A file that mixes kinds of line ending, or ends
// lines in CR CR LF (text converted to CRLF twice, as a broken FTP or git
// setting leaves it), is reported too: every tool agrees on LF.
func tagLines(name string, b []byte) ([]line, []Problem) {
	var probs []Problem
	bad := func(n int, format string, args ...any) {
		probs = append(probs, Problem{File: fmt.Sprintf("%s:%d", name, n), Msg: fmt.Sprintf(format, args...)})
	}
	if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		bad(1, "starts with a UTF-8 byte-order mark, which RFC 8493 forbids: save the file as UTF-8 without BOM")
		b = b[3:]
	}
	var lines []line
	first := ""
	mixedReported := false
	for n := 1; len(b) > 0; n++ {
		i := bytes.IndexAny(b, "\r\n")
		if i < 0 {
			bad(n, "last line has no line break: end every line with LF")
			lines = append(lines, line{n, string(b)})
			break
		}
		text := b[:i]
		end := "LF"
		size := 1
		switch {
		case bytes.HasPrefix(b[i:], []byte("\r\r\n")):
			end, size = "CR CR LF", 3
			bad(n, "line ends in CR CR LF (converted to CRLF twice): end every line with LF")
		case bytes.HasPrefix(b[i:], []byte("\r\n")):
			end, size = "CRLF", 2
		case b[i] == '\r':
			end = "CR"
		}
		if !utf8.Valid(text) {
			bad(n, "is not valid UTF-8")
		}
		if first == "" {
			first = end
		} else if end != first && !mixedReported {
			bad(n, "line ends in %s but line 1 ends in %s: use one kind of line ending (LF)", end, first)
			mixedReported = true
		}
		lines = append(lines, line{n, string(text)})
		b = b[i+size:]
	}
	return lines, probs
}
