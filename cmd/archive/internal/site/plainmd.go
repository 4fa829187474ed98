package site

import (
	"bytes"
	"sort"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/util"

	"github.com/archive-project/archive/cmd/archive/internal/marks"
)

// articleMarkdown is the goldmark instance of articles (newMarkdown) and
// whether renderPlain may stand in for it: not when the site adds
// extensions of its own (WithMarkdown), whose syntax renderPlain does not
// know.
type articleMarkdown struct {
	goldmark.Markdown
	plain bool
}

// renderPlain renders body with its marks into out as goldmark, our
// extensions and the marks transformer do (renderMarkdown), when body is
// made only of paragraphs of text in which Markdown marks nothing, some of
// them in block quotes, and reports whether it did; otherwise it writes
// nothing. Most articles are (the parse was 1.0 CPU-s of a 10,000-article
// build). TestRenderPlain, TestRenderPlainFiles and FuzzRenderPlain hold it
// to goldmark. Such a body has:
//
//   - no byte that begins inline syntax: \ ` * _ [ ] < & (links, images,
//     emphasis, code spans, raw HTML, autolinks, entities), ~
//     (strikethrough), | (tables), @ (linkify's e-mail addresses), no
//     "www." and no "tp:" or "tps:" (linkify's http:, https:, ftp:), and
//     no control character but the newline;
//   - lines that are empty or whose text begins with a letter, a
//     non-ASCII byte, ( " or ' (never a block's mark: # > - + = * ~ a
//     digit or an indent) and does not end in a space (a hard line
//     break). A line's text may follow "> ", a block quote's mark: a
//     quoted line after an unquoted one begins a block quote; an unquoted
//     line after a quoted one goes on with its paragraph (a lazy
//     continuation line); a blank line ends both.
//
// Goldmark makes each line's text two Text nodes, cut at the last space,
// ( or ! after its first byte (inline parsers' triggers: the text before
// the last one is merged, the rest is appended); a mark is cut at a text
// node's edges, so renderPlain cuts its texts there too.
func renderPlain(body []byte, spans []marks.Span, out *bytes.Buffer) (bodyFacts, bool) {
	var texts []plainSeg
	var paras []plainPara
	inPara := false
	for pos := 0; pos < len(body); {
		start, end := pos, len(body)
		if i := bytes.IndexByte(body[pos:], '\n'); i >= 0 {
			end = pos + i
		}
		pos = end + 1
		if start == end { // a blank line ends the paragraph (and its quote)
			inPara = false
			continue
		}
		quote := end-start > 2 && body[start] == '>' && body[start+1] == ' '
		if quote {
			start += 2
		}
		line := body[start:end]
		switch c := line[0]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c >= 0x80, c == '(', c == '"', c == '\'':
		default:
			return bodyFacts{}, false
		}
		if line[len(line)-1] == ' ' {
			return bodyFacts{}, false
		}
		cut := 0 // the last trigger after the first byte
		for i, c := range line {
			switch plainClass[c] {
			case plainNo:
				return bodyFacts{}, false
			case plainTrigger:
				if i > 0 {
					cut = i
				}
			case plainLook: // linkify's www. http: https: ftp:
				if c == '.' && i >= 3 && string(line[i-3:i]) == "www" ||
					c == ':' && (i >= 2 && string(line[i-2:i]) == "tp" || i >= 3 && string(line[i-3:i]) == "tps") {
					return bodyFacts{}, false
				}
			}
		}
		switch {
		case !inPara:
			inPara = true
			paras = append(paras, plainPara{quoted: quote, first: len(texts)})
		case quote && !paras[len(paras)-1].quoted: // a block quote interrupts the paragraph
			paras = append(paras, plainPara{quoted: true, first: len(texts)})
		default: // the paragraph goes on: its last line breaks softly
			texts[len(texts)-1].soft = true
		}
		if cut > 0 {
			texts = append(texts, plainSeg{start: start, stop: start + cut})
			start += cut
		}
		texts = append(texts, plainSeg{start: start, stop: end})
	}
	for i := range paras {
		if i+1 < len(paras) {
			paras[i].end = paras[i+1].first
		} else {
			paras[i].end = len(texts)
		}
	}

	var f bodyFacts
	var s []byte
	for _, p := range paras {
		s = s[:0]
		for _, t := range texts[p.first:p.end] {
			s = append(s, body[t.start:t.stop]...)
			if t.soft {
				s = append(s, ' ')
			}
		}
		if f.summary = collapseSpace(string(s)); f.summary != "" {
			break
		}
	}
	f.summary = sentence(f.summary)

	m := newPlainMarks(body, spans, texts)
	out.Grow(len(body) + len(body)/4)
	for _, p := range paras {
		if p.quoted {
			out.WriteString("<blockquote>\n")
		}
		out.WriteString("<p>")
		for i := p.first; i < p.end; i++ {
			m.write(out, body, texts[i])
		}
		out.WriteString("</p>\n")
		if p.quoted {
			out.WriteString("</blockquote>\n")
		}
	}
	return f, true
}

// plainSeg is one Text node of a paragraph: its bytes in the body and
// whether a soft line break follows it.
type plainSeg struct {
	start, stop int
	soft        bool
}

// plainPara is a paragraph, texts[first:end], perhaps in a block quote.
type plainPara struct {
	quoted     bool
	first, end int
}

// The classes of a byte of a line's text.
const (
	plainOK      = iota
	plainNo      // renderPlain leaves the body to goldmark
	plainTrigger // text that an inline parser tries (and fails) to parse
	plainLook    // . or :, which may end a start of linkify's
)

var plainClass = func() (cl [256]uint8) {
	for c := range cl {
		switch {
		case c < ' ' || c == 0x7f || bytes.IndexByte([]byte("\\`*_[]<&~|@"), byte(c)) >= 0:
			cl[c] = plainNo
		case c == ' ' || c == '(' || c == '!':
			cl[c] = plainTrigger
		case c == '.' || c == ':':
			cl[c] = plainLook
		}
	}
	return cl
}()

// writePlain writes text escaped as goldmark's renderer does: of the bytes
// renderPlain lets through, only " and > are escaped.
func writePlain(out *bytes.Buffer, text []byte) {
	last := 0
	for i, c := range text {
		if c == '"' || c == '>' {
			out.Write(text[last:i])
			if c == '"' {
				out.WriteString("&quot;")
			} else {
				out.WriteString("&gt;")
			}
			last = i + 1
		}
	}
	out.Write(text[last:])
}

// plainMarks places marks on texts as the marks package's transformer
// does: each text is cut at the edges of the spans over it, and each piece
// is wrapped in a <mark> for each span over it, outer (earlier, then
// longer) spans outside; a span's first fragment carries its id, and its
// After follows its last.
type plainMarks struct {
	order       []*marks.Span
	first, last map[*marks.Span]int // the pieces (counted in document order) of a span's first and last fragments
	piece       int                 // pieces written so far
	cover       []*marks.Span
	cuts        []int
}

func newPlainMarks(body []byte, spans []marks.Span, texts []plainSeg) *plainMarks {
	m := &plainMarks{}
	if len(spans) == 0 {
		return m
	}
	m.order = make([]*marks.Span, len(spans))
	for i := range spans {
		m.order[i] = &spans[i]
	}
	sort.SliceStable(m.order, func(i, j int) bool {
		if m.order[i].Start != m.order[j].Start {
			return m.order[i].Start < m.order[j].Start
		}
		return m.order[i].End > m.order[j].End
	})
	m.first, m.last = map[*marks.Span]int{}, map[*marks.Span]int{}
	for _, t := range texts {
		m.pieces(t, func(a, b int, in []*marks.Span) {
			for _, s := range in {
				if _, ok := m.first[s]; !ok {
					m.first[s] = m.piece
				}
				m.last[s] = m.piece
			}
			m.piece++
		})
	}
	m.piece = 0
	return m
}

// pieces calls f for each piece of t that spans cut it into, with the
// spans over the piece, outer first; f is not called for a text no span
// is over.
func (m *plainMarks) pieces(t plainSeg, f func(a, b int, in []*marks.Span)) {
	m.cover, m.cuts = m.cover[:0], append(m.cuts[:0], t.start, t.stop)
	for _, s := range m.order {
		if s.Start < t.stop && s.End > t.start && s.End > s.Start {
			m.cover = append(m.cover, s)
			if s.Start > t.start {
				m.cuts = append(m.cuts, s.Start)
			}
			if s.End < t.stop {
				m.cuts = append(m.cuts, s.End)
			}
		}
	}
	if len(m.cover) == 0 {
		return
	}
	sort.Ints(m.cuts)
	var in []*marks.Span
	prevStop := -1
	for i := 0; i+1 < len(m.cuts); i++ {
		a, b := m.cuts[i], m.cuts[i+1]
		if a == b || a == prevStop {
			continue
		}
		prevStop = a
		in = in[:0]
		for _, s := range m.cover {
			if s.Start <= a && s.End >= b {
				in = append(in, s)
			}
		}
		f(a, b, in)
	}
}

// write writes text t with its marks.
func (m *plainMarks) write(out *bytes.Buffer, body []byte, t plainSeg) {
	if m.order == nil {
		writePlain(out, body[t.start:t.stop])
		if t.soft {
			out.WriteByte('\n')
		}
		return
	}
	wrote := false
	m.pieces(t, func(a, b int, in []*marks.Span) {
		wrote = true
		for _, s := range in {
			out.WriteString("<mark")
			if m.first[s] == m.piece && s.ID != "" {
				out.WriteString(` id="`)
				out.Write(util.EscapeHTML([]byte(s.ID)))
				out.WriteByte('"')
			}
			if s.Class != "" {
				out.WriteString(` class="`)
				out.Write(util.EscapeHTML([]byte(s.Class)))
				out.WriteByte('"')
			}
			out.WriteByte('>')
		}
		writePlain(out, body[a:b])
		if t.soft && b == t.stop {
			out.WriteByte('\n')
		}
		for j := len(in) - 1; j >= 0; j-- {
			out.WriteString("</mark>")
			if s := in[j]; m.last[s] == m.piece && s.After != "" {
				out.WriteString(s.After)
			}
		}
		m.piece++
	})
	if !wrote {
		writePlain(out, body[t.start:t.stop])
		if t.soft {
			out.WriteByte('\n')
		}
	}
}
