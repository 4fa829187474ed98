package snapshot

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"unicode/utf8"
)

// line is one line of a tag file and its 1-based number.
type line struct {
	n    int
	text string
}

// maxTagLine is the longest line a tag file may have (a manifest line is a
// checksum and a path, far shorter).
const maxTagLine = 1 << 20

// tagLines splits a small text tag file into lines; see scanTagLines.
func tagLines(name string, b []byte) ([]line, []Problem) {
	var lines []line
	probs := scanTagLines(name, bytes.NewReader(b), func(l line) { lines = append(lines, l) })
	return lines, probs
}

// scanTagLines reads a text tag file line by line, calling fn for each,
// and reports what is wrong with its encoding and line endings. RFC 8493
// lets a line end in LF, CR or CRLF; it does not allow a byte-order mark,
// invalid UTF-8 or a last line without its line break. A file that mixes
// kinds of line ending, or ends lines in CR CR LF (text converted to CRLF
// twice, as a broken FTP or git setting leaves it), is reported too: every
// tool agrees on LF. Only one line is held at a time, so a manifest of a
// million files is read in little memory.
func scanTagLines(name string, r io.Reader, fn func(line)) []Problem {
	var probs []Problem
	bad := func(n int, format string, args ...any) {
		probs = append(probs, Problem{File: fmt.Sprintf("%s:%d", name, n), Msg: fmt.Sprintf(format, args...)})
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxTagLine)
	sc.Split(splitTagLine)
	first := ""
	mixedReported := false
	n := 0
	for sc.Scan() {
		n++
		tok := sc.Bytes()
		if n == 1 && bytes.HasPrefix(tok, []byte("\xef\xbb\xbf")) {
			bad(1, "starts with a UTF-8 byte-order mark, which RFC 8493 forbids: save the file as UTF-8 without BOM")
			tok = tok[3:]
		}
		text, end := cutLineEnd(tok)
		if !utf8.Valid(text) {
			bad(n, "is not valid UTF-8")
		}
		switch {
		case end == "":
			bad(n, "last line has no line break: end every line with LF")
		case end == "CR CR LF":
			bad(n, "line ends in CR CR LF (converted to CRLF twice): end every line with LF")
		}
		if end != "" {
			if first == "" {
				first = end
			} else if end != first && !mixedReported {
				bad(n, "line ends in %s but line 1 ends in %s: use one kind of line ending (LF)", end, first)
				mixedReported = true
			}
		}
		fn(line{n, string(text)})
	}
	if err := sc.Err(); err != nil {
		bad(n+1, "cannot be read: %v", err)
	}
	return probs
}

// splitTagLine is a bufio.SplitFunc returning lines with their ending
// (LF, CR, CRLF or CR CR LF) still attached.
func splitTagLine(data []byte, atEOF bool) (int, []byte, error) {
	i := bytes.IndexAny(data, "\r\n")
	if i < 0 {
		if atEOF && len(data) > 0 {
			return len(data), data, nil
		}
		return 0, nil, nil
	}
	if data[i] == '\n' {
		return i + 1, data[:i+1], nil
	}
	if i+2 >= len(data) && !atEOF {
		return 0, nil, nil // need to see what follows the CR
	}
	switch {
	case bytes.HasPrefix(data[i:], []byte("\r\r\n")):
		return i + 3, data[:i+3], nil
	case bytes.HasPrefix(data[i:], []byte("\r\n")):
		return i + 2, data[:i+2], nil
	}
	return i + 1, data[:i+1], nil
}

// cutLineEnd splits a token from splitTagLine into text and the name of
// its line ending ("" for none).
func cutLineEnd(tok []byte) ([]byte, string) {
	switch {
	case bytes.HasSuffix(tok, []byte("\r\r\n")):
		return tok[:len(tok)-3], "CR CR LF"
	case bytes.HasSuffix(tok, []byte("\r\n")):
		return tok[:len(tok)-2], "CRLF"
	case bytes.HasSuffix(tok, []byte("\n")):
		return tok[:len(tok)-1], "LF"
	case bytes.HasSuffix(tok, []byte("\r")):
		return tok[:len(tok)-1], "CR"
	}
	return tok, ""
}
