package ingest

import "strings"

// Kind is the sort of capture a file holds, by its name.
type Kind int

const (
	Unknown Kind = iota
	Text         // .txt: a plain-text seed
	HTML         // .html, .htm, .xhtml: a saved web page
	WARC         // .warc, .warc.gz: web archive records
	WACZ         // .wacz: WARCs packed with their indexes
)

func (k Kind) String() string {
	return [...]string{"unknown", "text", "HTML page", "WARC", "WACZ"}[k]
}

// KindOf tells a capture's kind by its file name.
func KindOf(name string) Kind {
	n := strings.ToLower(name)
	switch {
	case strings.HasSuffix(n, ".txt"):
		return Text
	case strings.HasSuffix(n, ".html"), strings.HasSuffix(n, ".htm"), strings.HasSuffix(n, ".xhtml"):
		return HTML
	case strings.HasSuffix(n, ".warc"), strings.HasSuffix(n, ".warc.gz"):
		return WARC
	case strings.HasSuffix(n, ".wacz"):
		return WACZ
	}
	return Unknown
}

// Kinds lists the file names import reads, for messages.
const Kinds = ".html, .htm, .warc, .warc.gz, .wacz or .txt"

// SafeSeedName turns a file name into one CheckSeedName accepts: letters,
// digits, '.', '_' and '-', other runs of characters folded to '-'.
func SafeSeedName(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range name {
		ok := r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
		if ok {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	s := strings.Trim(b.String(), "-.")
	if s == "" {
		s = "capture"
	}
	return s
}
