package ingest

import (
	"regexp"
	"strings"
)

// CommentsHeading opens the reader-comment section of a content file; each
// comment under it is a level-3 heading with the commenter's name, and a
// reply is a heading one level deeper than the comment it answers (level 6
// at most).
const CommentsHeading = "## Reader comments"

// Markdown writes the body and the comments of d.
func (d *Doc) Markdown() string {
	var b strings.Builder
	writeParas(&b, d.Body)
	if len(d.Comments) > 0 {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		b.WriteString(CommentsHeading + "\n")
		for _, c := range d.Comments {
			b.WriteString("\n" + strings.Repeat("#", min(3+c.Depth, 6)) + " " + escapeHeading(c.Name) + "\n")
			if c.Date != "" {
				b.WriteString("\n*" + escapeLine(c.Date) + "*\n")
			}
			if c.Title != "" {
				b.WriteString("\n**" + escapeLine(c.Title) + "**\n")
			}
			if len(c.Paras) > 0 {
				b.WriteString("\n")
				writeParas(&b, c.Paras)
			}
		}
	}
	return b.String()
}

func writeParas(b *strings.Builder, ps []Para) {
	for k, p := range ps {
		if k > 0 {
			b.WriteString("\n")
		}
		prefix := ""
		switch {
		case p.Heading > 0:
			b.WriteString(strings.Repeat("#", min(max(p.Heading, 2), 4)) + " " + escapeHeading(p.Text()) + "\n")
			continue
		case p.Pre:
			writeFence(b, p)
			continue
		case p.Item:
			prefix = "- "
		}
		if p.Quote {
			prefix = "> " + prefix
			if k > 0 && ps[k-1].Quote {
				// Two quoted paragraphs in a row are one quotation.
				trimLastNewline(b)
				b.WriteString(">\n")
			}
		}
		for i, l := range p.Lines {
			if i > 0 && p.Item {
				prefix = strings.Replace(prefix, "- ", "  ", 1)
			}
			b.WriteString(prefix)
			b.WriteString(escapeLine(l))
			if i < len(p.Lines)-1 {
				b.WriteString("\\") // keep the seed's line break: a hard break
			}
			b.WriteString("\n")
		}
	}
}

// writeFence writes preformatted lines as a fenced code block, with a
// fence longer than any run of backticks in them.
func writeFence(b *strings.Builder, p Para) {
	fence := "```"
	for _, l := range p.Lines {
		for strings.Contains(l, fence) {
			fence += "`"
		}
	}
	b.WriteString(fence + "\n")
	for _, l := range p.Lines {
		b.WriteString(l + "\n")
	}
	b.WriteString(fence + "\n")
}

func trimLastNewline(b *strings.Builder) {
	s := b.String()
	if strings.HasSuffix(s, "\n\n") {
		b.Reset()
		b.WriteString(s[:len(s)-1])
	}
}

var (
	// Line starts that Markdown would read as a block: heading, quote,
	// list item, thematic break or setext underline, fence, table row.
	orderedRE  = regexp.MustCompile(`^(\d{1,9})([.)])(\s|$)`)
	bulletRE   = regexp.MustCompile(`^[-+*](\s|$)`)
	ruleLineRE = regexp.MustCompile(`^[-=_*+ \t]+$`)
	pipeRowRE  = regexp.MustCompile(`^\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?$`)
	// Inline text that Markdown would read as a tag, an autolink or an entity.
	tagRE    = regexp.MustCompile(`^<[A-Za-z/!?]`)
	entityRE = regexp.MustCompile(`^&#?[A-Za-z0-9]+;`)
	linkRE   = regexp.MustCompile(`\]\(|\]\[|^\[[^\]]*\]:`)
)

var urlRE = regexp.MustCompile(`\b(?:https?://|www\.)[^\s<>"]+[^\s<>".,;:!?)\]'’”]`)

// escapeLine backslash-escapes what would otherwise be read as Markdown
// markup in one line of plain text, and nothing else. Web addresses are
// left alone: Markdown (with GFM's autolinks) reads them as links whole,
// and an escape inside one would change the address.
func escapeLine(s string) string {
	var b strings.Builder
	escLink := strings.Contains(s, "]") && linkRE.MatchString(s)
	var urls [][]int
	if strings.Contains(s, "://") || strings.Contains(s, "www.") {
		urls = urlRE.FindAllStringIndex(s, -1)
	}
	for i := 0; i < len(s); i++ {
		if len(urls) > 0 && i == urls[0][0] {
			b.WriteString(s[i:urls[0][1]])
			i = urls[0][1] - 1
			urls = urls[1:]
			continue
		}
		c := s[i]
		switch c {
		case '\\', '*', '_', '`', '~':
			b.WriteByte('\\')
		case '[', ']':
			if escLink {
				b.WriteByte('\\')
			}
		case '<':
			if tagRE.MatchString(s[i:]) {
				b.WriteByte('\\')
			}
		case '&':
			if entityRE.MatchString(s[i:]) {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
	}
	out := b.String()
	if out == "" || !strings.ContainsRune("#>-+=_*|\t 0123456789", rune(out[0])) {
		return out
	}
	switch {
	case strings.HasPrefix(out, "#"), strings.HasPrefix(out, ">"):
		out = `\` + out
	case bulletRE.MatchString(out), ruleLineRE.MatchString(out) && !strings.HasPrefix(out, `\`):
		out = `\` + out
	case orderedRE.MatchString(out):
		out = orderedRE.ReplaceAllString(out, `$1\$2$3`)
	case pipeRowRE.MatchString(out) && strings.Contains(out, "|"):
		out = strings.ReplaceAll(out, "|", `\|`)
	}
	return out
}

// escapeHeading escapes a heading's text; trailing #s would close it.
func escapeHeading(s string) string {
	out := escapeLine(s)
	if strings.HasSuffix(out, "#") {
		out = out[:len(out)-1] + `\#`
	}
	return out
}
