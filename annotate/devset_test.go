package annotate_test

import (
	"bufio"
	"flag"
	"fmt"
	"html"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/archive-project/archive/annotate"
)

// The real development set: public news articles and a mailing list whose
// replies quote each other, extracted by testdata/devset/extract.sh from
// the search tool's mirrors into testdata/devset/corpus/ (git-ignored: the
// texts' licences are unclear). Passages that Find reports were sampled
// and labelled by hand in testdata/devset/labels.tsv, which names them by
// document and byte offsets; README.md there gives the labelling rule.
//
//	sh annotate/testdata/devset/extract.sh
//	go test ./annotate -run DevSet -v                      # precision per kind
//	go test ./annotate -run DevSet -devset.sample 40       # passages to label, in sample.txt

var devSample = flag.Int("devset.sample", 0, "write this many passages of each kind and corpus to testdata/devset/sample.txt for labelling")

const devDir = "testdata/devset"

// devCorpora returns the development corpora by name, or skips.
func devCorpora(t *testing.T) map[string][]annotate.Document {
	t.Helper()
	if annotate.RaceEnabled {
		t.Skip("the development set is scored without the race detector")
	}
	dir := filepath.Join(devDir, "corpus")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no development set in %s: fetch github:dpacassi/dynamic-event-detection-in-data-streams, github:riceissa/everything-list-1998-2009 and github:cltl/ECB-parser with the search tool, then run sh annotate/testdata/devset/extract.sh", dir)
	}
	news, err := loadNews(filepath.Join(dir, "wikiref"))
	if err != nil {
		t.Fatal(err)
	}
	list, err := loadHypermail(filepath.Join(dir, "everything"))
	if err != nil {
		t.Fatal(err)
	}
	ecb, err := loadECB(filepath.Join(dir, "ecbplus"))
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]annotate.Document{"wikiref": news, "everything": list, "ecbplus": ecb}
}

// devNames are the development corpora in the order they are reported.
var devNames = []string{"wikiref", "ecbplus", "everything"}

var tokenRe = regexp.MustCompile(`<token t_id="\d+" sentence="(\d+)" number="\d+">([^<]*)</token>`)

// loadECB reads the ECB+ corpus: one tokenised news article a file, in
// folders by topic. An ECB+ article ("…ecbplus.xml") starts with its
// address, whose host is the Source, then its title; the older ECB
// articles have neither. The tokens are joined back into text as a
// newspaper prints it: no space before a comma or a closing quotation
// mark, none after an opening one; the tokeniser's “ and ” become “ and ”.
// A straight quotation mark standing alone as a token opens or closes as
// the words around it say (see below); one the tokeniser left on a word
// ("Very) keeps its place.
// The corpus keeps sentences but not paragraphs, so each sentence is a
// paragraph, unless a quotation mark left open runs on into the
// next (for at most four sentences: a mark never closed must not make the
// rest of the article a quotation).
func loadECB(dir string) ([]annotate.Document, error) {
	return loadFiles(filepath.Join(dir, "*", "*.xml"), func(f string, b []byte) (annotate.Document, bool) {
		d := annotate.Document{ID: filepath.Base(f)}
		plus := strings.HasSuffix(d.ID, "ecbplus.xml")
		var text, url strings.Builder
		sentence := ""
		open := false // a straight quotation mark is open
		openFor := 0  // sentences it has stayed open
		glue := false // the next token follows without a space
		toks := tokenRe.FindAllStringSubmatch(string(b), -1)
		prev := ""
		for i, m := range toks {
			tok := html.UnescapeString(m[2])
			next := ""
			if i+1 < len(toks) {
				next = html.UnescapeString(toks[i+1][2])
			}
			if plus && m[1] == "0" {
				url.WriteString(tok)
				continue
			}
			if m[1] != sentence {
				if sentence != "" {
					if open && openFor < 4 {
						openFor++
					} else {
						text.WriteString("\n\n")
						glue, open, openFor = true, false, 0
					}
				}
				sentence = m[1]
			}
			space := !glue && text.Len() > 0
			glue = false
			switch tok {
			case "``":
				tok, glue = "“", true
			case "''":
				tok, space = "”", false
			}
			switch tok {
			case "”":
				space, open = false, false
			case ",", ".", ";", ":", "!", "?", ")", "]", "%", "’", "'s", "n't", "'re", "'ve", "'ll", "'d", "'m", "’s":
				space = false
			case "(", "[", "$", "‘":
				glue = true
			case "“":
				glue, open, openFor = true, true, 0
			case "'":
				// After a plural, a possessive ("the Tar Heels' victory"),
				// which the tokeniser split off.
				if strings.HasSuffix(prev, "s") {
					space = false
				}
			case `"`:
				// Whether the mark opens or closes: punctuation after it,
				// or a lowercase word after punctuation ("…," she said),
				// closes; a colon or bracket before it opens; else it
				// toggles.
				r, _ := utf8.DecodeRuneInString(next)
				switch {
				case next == "" || strings.Contains(",.;:?!)", next):
					open = true
				case prev != "" && strings.Contains(",.?!", prev) && unicode.IsLower(r):
					open = true
				case prev == ":" || prev == "(":
					open = false
				}
				if open {
					space = false
				} else {
					glue = true
				}
				open = !open
				openFor = 0
			}
			if len(tok) > 1 {
				// A mark the tokeniser left on a word says which it is.
				if strings.HasPrefix(tok, `"`) {
					open, openFor = true, 0
				}
				if strings.HasSuffix(tok, `"`) {
					open = false
				}
			}
			if space {
				text.WriteByte(' ')
			}
			text.WriteString(tok)
			prev = tok
		}
		if u := url.String(); u != "" {
			host := strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://")
			host, _, _ = strings.Cut(host, "/")
			d.Source = strings.TrimPrefix(host, "www.")
		}
		d.Text = text.String()
		return d, true
	})
}

// loadNews reads one plain-text article a file. The outlets are not known.
func loadNews(dir string) ([]annotate.Document, error) {
	return loadFiles(filepath.Join(dir, "*.txt"), func(f string, b []byte) (annotate.Document, bool) {
		return annotate.Document{ID: filepath.Base(f), Text: string(b)}, true
	})
}

// loadFiles reads the files that match pattern and makes a document of
// each that read keeps.
func loadFiles(pattern string, read func(file string, b []byte) (annotate.Document, bool)) ([]annotate.Document, error) {
	files, err := filepath.Glob(pattern)
	if err != nil {
		return nil, err
	}
	var docs []annotate.Document
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if d, ok := read(f, b); ok {
			docs = append(docs, d)
		}
	}
	return docs, nil
}

var (
	metaRe  = regexp.MustCompile(`<meta name="(Author|Date)" content="([^"]*)"`)
	tagRe   = regexp.MustCompile(`<[^>]*>`)
	quoteRe = regexp.MustCompile(`^<em class="quotelev\d">`)
)

// loadHypermail reads one Hypermail message a file: the sender is the
// Source, the quoted lines (">") are Quoted, the headers and Hypermail's
// own lines are left out.
func loadHypermail(dir string) ([]annotate.Document, error) {
	return loadFiles(filepath.Join(dir, "*.html"), func(f string, b []byte) (annotate.Document, bool) {
		page := string(b)
		d := annotate.Document{ID: strings.TrimSuffix(filepath.Base(f), ".html")}
		for _, m := range metaRe.FindAllStringSubmatch(page, -1) {
			switch m[1] {
			case "Author":
				d.Source, _, _ = strings.Cut(html.UnescapeString(m[2]), " (")
			case "Date":
				d.Date, _ = time.Parse("2006-01-02", m[2])
			}
		}
		body, ok := between(page, "</address>", "<!-- body=\"end\" -->")
		if !ok {
			return d, false
		}
		if i := strings.Index(body, `<span id="received">`); i >= 0 {
			body = body[:i]
		}
		var text strings.Builder
		for _, line := range strings.Split(strings.ReplaceAll(body, "\n", ""), "<br />") {
			quoted := quoteRe.MatchString(line)
			line = strings.TrimRight(html.UnescapeString(tagRe.ReplaceAllString(line, "")), " ")
			// A line that starts with ">" quotes, whether or not Hypermail
			// saw it, as a mail reader would show it.
			quoted = quoted || strings.HasPrefix(strings.TrimLeft(line, " \t"), ">")
			start := text.Len()
			text.WriteString(line)
			if quoted && line != "" {
				d.Quoted = append(d.Quoted, annotate.Span{Start: start, End: text.Len()})
			}
			text.WriteByte('\n')
		}
		d.Text = strings.TrimRight(text.String(), "\n ")
		return d, true
	})
}

func between(s, from, to string) (string, bool) {
	i := strings.Index(s, from)
	if i < 0 {
		return "", false
	}
	s = s[i+len(from):]
	j := strings.Index(s, to)
	if j < 0 {
		return "", false
	}
	return s[:j], true
}

// label is one line of labels.tsv: a passage as it was reported, and what
// the labeller found it to be.
type label struct {
	corpus   string
	id       string
	reported annotate.Kind
	truth    string // a kind, or "none" (no passage: a chain, or chance)
	occ      []labelOcc
	note     string
}

type labelOcc struct {
	doc        string
	start, end int
}

func readLabels(t *testing.T) []label {
	t.Helper()
	f, err := os.Open(filepath.Join(devDir, "labels.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []label
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Split(line, "\t")
		if len(fs) < 5 {
			t.Fatalf("labels.tsv:%d: %d fields, want corpus, id, reported kind, truth, occurrences[, excerpt, note]", n, len(fs))
		}
		l := label{corpus: fs[0], id: fs[1], reported: annotate.Kind(fs[2]), truth: fs[3]}
		if len(fs) > 6 {
			l.note = fs[6]
		}
		for _, o := range strings.Split(fs[4], ";") {
			doc, rng, ok := strings.Cut(o, "@")
			a, b, ok2 := strings.Cut(rng, "-")
			s, err1 := strconv.Atoi(a)
			e, err2 := strconv.Atoi(b)
			if !ok || !ok2 || err1 != nil || err2 != nil {
				t.Fatalf("labels.tsv:%d: occurrence %q is not doc@start-end", n, o)
			}
			l.occ = append(l.occ, labelOcc{doc, s, e})
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// matchLabel finds the passage a label names: the one with its ID, else the
// one whose occurrences overlap most of the labelled ones.
func matchLabel(l label, ps []annotate.Passage) *annotate.Passage {
	for i := range ps {
		if ps[i].ID == l.id {
			return &ps[i]
		}
	}
	var best *annotate.Passage
	bestN := 0
	for i := range ps {
		n := 0
		for _, o := range ps[i].Occurrences {
			for _, lo := range l.occ {
				if o.Doc == lo.doc && o.Start < lo.end && lo.start < o.End {
					n++
				}
			}
		}
		if n > bestN {
			best, bestN = &ps[i], n
		}
	}
	if 2*bestN < len(l.occ) {
		return nil
	}
	return best
}

// TestDevSet scores Find on the labelled real passages: of the passages
// shown as quote or reporting, at least 90% must be what they are shown as.
func TestDevSet(t *testing.T) {
	corpora := devCorpora(t)
	found := map[string][]annotate.Passage{}
	for _, name := range devNames {
		docs := corpora[name]
		start := time.Now()
		ps, err := annotate.Find(docs)
		if err != nil {
			t.Fatal(err)
		}
		annotate.CheckInvariants(t, docs, ps)
		found[name] = ps
		count := map[annotate.Kind]int{}
		for _, p := range ps {
			count[p.Kind]++
		}
		t.Logf("%s: %d documents, %d passages in %v: %v", name, len(docs), len(ps), time.Since(start).Round(time.Millisecond), count)
	}
	if *devSample > 0 {
		writeSample(t, corpora, found, *devSample)
	}
	labels := readLabels(t)
	// Per corpus and kind: labelled passages still reported, and those
	// whose kind is right (a stock phrase is also right about text that is
	// no shared passage at all).
	type tally struct{ right, labelled int }
	per := map[string]map[annotate.Kind]*tally{}
	gone := 0
	for _, l := range labels {
		p := matchLabel(l, found[l.corpus])
		if p == nil {
			gone++
			continue
		}
		if per[l.corpus] == nil {
			per[l.corpus] = map[annotate.Kind]*tally{}
		}
		if per[l.corpus][p.Kind] == nil {
			per[l.corpus][p.Kind] = &tally{}
		}
		x := per[l.corpus][p.Kind]
		x.labelled++
		if l.truth == string(p.Kind) || p.Kind == annotate.Stock && l.truth == "none" {
			x.right++
		}
	}
	t.Logf("%d labels; %d name passages Find no longer reports", len(labels), gone)
	// What a reader is shown: the quote and reporting passages of each
	// corpus, each kind's sample standing for all the corpus's passages of
	// that kind (the samples are stratified by kind).
	var shownRight, shownAll, labelled float64
	for _, c := range devNames {
		count := map[annotate.Kind]int{}
		for _, p := range found[c] {
			count[p.Kind]++
		}
		var parts []string
		var cr, ca float64
		for _, k := range []annotate.Kind{annotate.Quote, annotate.Reporting, annotate.Boilerplate, annotate.Stock, annotate.Repeat} {
			x := per[c][k]
			if x == nil || x.labelled == 0 {
				continue
			}
			prec := float64(x.right) / float64(x.labelled)
			parts = append(parts, fmt.Sprintf("%s %d/%d = %.2f", k, x.right, x.labelled, prec))
			if k.Shared() {
				cr += prec * float64(count[k])
				ca += float64(count[k])
				labelled += float64(x.labelled)
			}
		}
		t.Logf("%-10s precision by kind (labelled sample): %s", c, strings.Join(parts, "; "))
		t.Logf("%-10s shown as quote or reporting: %d passages, precision %.3f (by kind, weighted by the passages of each kind)", c, int(ca), cr/ca)
		shownRight += cr
		shownAll += ca
	}
	p := shownRight / shownAll
	t.Logf("all corpora, shown as quote or reporting: %d passages, precision %.3f", int(shownAll), p)
	if labelled < 100 {
		t.Fatalf("only %.0f labelled passages are shown as quote or reporting; label more (-devset.sample)", labelled)
	}
	if p < 0.9 {
		t.Errorf("precision of what is shown as quote or reporting %.3f, want at least 0.9", p)
	}
}

// writeSample writes up to n random passages of each kind and corpus, with
// their occurrences in context, and a labels.tsv line to fill in for each.
func writeSample(t *testing.T, corpora map[string][]annotate.Document, found map[string][]annotate.Passage, n int) {
	var b strings.Builder
	for _, name := range devNames {
		text := map[string]string{}
		for _, d := range corpora[name] {
			text[d.ID] = d.Text
		}
		byKind := map[annotate.Kind][]annotate.Passage{}
		for _, p := range found[name] {
			byKind[p.Kind] = append(byKind[p.Kind], p)
		}
		r := rand.New(rand.NewPCG(11, uint64(len(name))))
		for _, k := range []annotate.Kind{annotate.Quote, annotate.Reporting, annotate.Boilerplate, annotate.Stock, annotate.Repeat} {
			ps := byKind[k]
			r.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
			for _, p := range ps[:min(n, len(ps))] {
				var occ []string
				for _, o := range p.Occurrences {
					occ = append(occ, fmt.Sprintf("%s@%d-%d", o.Doc, o.Start, o.End))
				}
				fmt.Fprintf(&b, "=== %s %s %s (%d occurrences)\n", name, p.ID, p.Kind, len(p.Occurrences))
				for i, o := range p.Occurrences {
					if i == 6 {
						fmt.Fprintf(&b, "  … %d more\n", len(p.Occurrences)-i)
						break
					}
					t := text[o.Doc]
					fmt.Fprintf(&b, "  %s %.2f q=%v: …%s[[%s]]%s…\n", o.Doc, o.Similarity, o.Quoted,
						oneLine(t[max(0, o.Start-150):o.Start]), oneLine(o.Text), oneLine(t[o.End:min(len(t), o.End+150)]))
				}
				fmt.Fprintf(&b, "LABEL\t%s\t%s\t%s\t?\t%s\t%s\t\n\n", name, p.ID, p.Kind, strings.Join(occ, ";"), oneLine(p.Canonical[:min(len(p.Canonical), 60)]))
			}
		}
	}
	out := filepath.Join(devDir, "sample.txt")
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s", out)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// TestHypermailQuoted keeps the mailing-list reader honest: quoted lines
// are Quoted, and Hypermail's lines are not text.
func TestHypermailQuoted(t *testing.T) {
	docs := devCorpora(t)["everything"]
	quoted := 0
	for _, d := range docs {
		for _, q := range d.Quoted {
			if !strings.HasPrefix(strings.TrimLeft(d.Text[q.Start:q.End], " \t"), ">") {
				t.Fatalf("%s: quoted line %q does not start with >", d.ID, d.Text[q.Start:q.End])
			}
			quoted++
		}
		if strings.Contains(d.Text, "Received on") || d.Source == "" {
			t.Fatalf("%s: Hypermail furniture in the text or no sender: %q", d.ID, d.Source)
		}
	}
	if quoted < 1000 || !slices.ContainsFunc(docs, func(d annotate.Document) bool { return !d.Date.IsZero() }) {
		t.Errorf("%d quoted lines, dates %v", quoted, docs[0].Date)
	}
}
