package benchgen

import (
	"fmt"
	"io"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/archive-project/archive/annotate/synth"
)

// Shape is a kind of generated archive. Each is a shape of real archives that
// made the build or the annotator slow or large (issue 12); a benchmark runs
// the shapes it is given, and a slow shape is a defect to fix, never a reason
// to leave the shape out.
type Shape string

const (
	// Stories is the first generator's archive (Archive): stories of eight
	// articles from twenty outlets, a made-up language with a Zipf word
	// frequency, and one 25-word statement that a story's articles quote.
	Stories Shape = "stories"
	// Wire is one news agency's feed: one outlet, no story key (so every
	// article is in archive.toml's one story), and package
	// annotate/synth's text with all its hard shapes: quotes in fixed
	// frames, attribution formulas, stock phrases in every article, wire
	// copy in hundreds of articles, the outlet's furniture on every article
	// and its editor's note on a third, repeats inside live blogs.
	Wire Shape = "wire"
	// Copied is synth's text in stories of eight from twenty outlets, with
	// one 90-word paragraph (a press release) copied into 5,000 articles
	// (half the archive when it has fewer than 10,000), some copies cut at
	// the start or the end and some with typographic quotes.
	Copied Shape = "copied"
	// Frames is synth's text (stock phrases and quotes in frames such as
	// `"..., we're not going to X on this," NAME said` and
	// `"...," said NAME, a spokesperson for the ORG` in every article) in
	// stories of eight from twenty outlets.
	Frames Shape = "frames"
	// Uniform draws every word uniformly from 70 English words (a small
	// uniform vocabulary, the first generator's first version), in stories of
	// eight from twenty outlets whose articles quote one shared statement.
	Uniform Shape = "uniform"
)

// Hard are the shapes of issue 12 (a)–(d); AllShapes adds Stories.
var (
	Hard      = []Shape{Wire, Copied, Frames, Uniform}
	AllShapes = append([]Shape{Stories}, Hard...)
)

// ParseShapes reads a comma-separated list of shape names ("all" is
// AllShapes, "hard" is Hard); "" gives def.
func ParseShapes(s string, def []Shape) ([]Shape, error) {
	if strings.TrimSpace(s) == "" {
		return def, nil
	}
	var out []Shape
	for _, f := range strings.Split(s, ",") {
		switch f = strings.TrimSpace(f); f {
		case "all":
			out = append(out, AllShapes...)
		case "hard":
			out = append(out, Hard...)
		case string(Stories), string(Wire), string(Copied), string(Frames), string(Uniform):
			out = append(out, Shape(f))
		default:
			return nil, fmt.Errorf("unknown shape %q (want one of all, hard, stories, wire, copied, frames, uniform)", f)
		}
	}
	return out, nil
}

// Gen generates the articles of one archive: Shape at N articles. Article i
// depends only on the shape, N and i, so an edit regenerates one article.
type Gen struct {
	Shape Shape
	N     int

	once   sync.Once
	corpus *synth.Corpus // the synth shapes' text, made at the first Article
}

// New returns the generator of shape at n articles.
func New(shape Shape, n int) *Gen { return &Gen{Shape: shape, N: n} }

// synthConfig is the corpus of package annotate/synth under each shape.
func (g *Gen) synthConfig() synth.Config {
	switch g.Shape {
	case Wire:
		return synth.Config{Articles: g.N, Outlets: 1, Seed: 1}
	case Copied:
		return synth.Config{Articles: g.N, Outlets: 20, Seed: 2}
	default:
		return synth.Config{Articles: g.N, Outlets: 20, Seed: 3}
	}
}

// Path is the slash path of the i-th article under the site root.
func (g *Gen) Path(i int) string { return Path(i) }

// WriteAll writes the N articles under dir (a site root: content/...).
func (g *Gen) WriteAll(dir string) error {
	for i := range g.N {
		if err := Write(dir, g.Path(i), g.Article(i, "")); err != nil {
			return err
		}
	}
	return nil
}

// Article is the i-th article, with edit added to its first paragraph.
func (g *Gen) Article(i int, edit string) string {
	switch g.Shape {
	case Stories, "":
		// The first generator draws from the caller's generator; a fixed
		// one per article makes it a function of i like the others.
		return Article(mrand.New(mrand.NewPCG(uint64(i), 1)), i, edit)
	case Uniform:
		return g.uniform(i, edit)
	}
	switch g.Shape {
	case Wire, Copied, Frames:
	default:
		panic("benchgen: unknown shape " + string(g.Shape))
	}
	g.once.Do(func() { g.corpus = synth.Generate(g.synthConfig()) })
	return g.synthArticle(i, edit)
}

// synthArticle is the i-th document of the synth corpus as a content
// file: its block quotes as Markdown block quotes, edit at the end of its
// first paragraph, and in the Copied shape the copied paragraph after the
// third.
func (g *Gen) synthArticle(i int, edit string) string {
	d := g.corpus.Docs[i]
	var b strings.Builder
	b.Grow(len(d.Text) + 1024)
	outlet, story := "Wire Agency", ""
	if g.Shape != Wire {
		k, _ := strconv.Atoi(strings.TrimPrefix(d.Source, "outlet"))
		outlet, story = fmt.Sprintf("Outlet %d", k), fmt.Sprintf("Story %d", i/8)
	}
	frontMatter(&b, g.corpus.Titles[i], outlet, "", d.Date.Add(time.Duration(i%60)*time.Minute), story)
	copyAt := -1
	if g.Shape == Copied {
		copies := min(5000, g.N/2)
		if g.N > 0 && (i*copies)/g.N != ((i+1)*copies)/g.N {
			copyAt = 2
		}
	}
	text, quoted := d.Text, d.Quoted
	para := 0
	for start := 0; start < len(text); {
		end := strings.Index(text[start:], "\n\n")
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		if p := strings.TrimSpace(text[start:end]); p != "" {
			for len(quoted) > 0 && quoted[0].End <= start {
				quoted = quoted[1:]
			}
			if len(quoted) > 0 && quoted[0].Start < end {
				b.WriteString("> ")
			}
			b.WriteString(p)
			if para == 0 {
				b.WriteString(edit)
			}
			b.WriteString("\n\n")
			if para == copyAt {
				b.WriteString(pressRelease(mrand.New(mrand.NewPCG(uint64(i), 0xc0b1))))
				b.WriteString("\n\n")
			}
			para++
		}
		start = end + 2
	}
	return b.String()
}

func capital(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func frontMatter(b *strings.Builder, title, outlet, author string, date time.Time, story string) {
	fmt.Fprintf(b, "---\ntitle: %q\noutlet: %q\nauthor: %q\ndate: %s\n", title, outlet, author, date.Format(time.RFC3339))
	if story != "" {
		fmt.Fprintf(b, "story: %q\n", story)
	}
	b.WriteString("---\n\n")
}

var epoch = time.Date(2015, 1, 1, 6, 0, 0, 0, time.UTC)

// release is the copied paragraph: 90 words of ordinary English.
const release = `"We are deeply committed to the safety of our passengers and crew, and we are working closely with the authorities to understand what happened," the company said in a statement. ` +
	`"The aircraft was inspected before departure and no fault was found. We will cooperate fully with the investigation and share what we learn with our customers and the public as soon as we are able to do so." ` +
	`The company said flights would resume on Monday once the review of its fleet was complete.`

// pressRelease is a copy of release: 70% verbatim, 15% cut at the start or
// the end, 15% with typographic quotes and an en dash.
func pressRelease(r *mrand.Rand) string {
	switch v := r.IntN(20); {
	case v < 14:
		return release
	case v < 17:
		w := strings.Fields(release)
		if v == 14 {
			return strings.Join(w[5+r.IntN(20):], " ")
		}
		return strings.Join(w[:len(w)-5-r.IntN(20)], " ")
	default:
		s := strings.Replace(release, `"We are`, "“We are", 1)
		s = strings.Replace(s, `happened,"`, "happened,”", 1)
		return strings.Replace(s, " and we are", " – and we are", 1)
	}
}

// uniformWords are 70 words, as in the first generator's first version.
var uniformWords = strings.Fields(`interpol encryption police agency statement resolution draft companies
technology services providers children protection lawful access backdoor security privacy government
officials reported sources briefed matter conference summit members countries vote platform messaging
users communications court warrants criminals investigators law enforcement debate industry critics
minister ministry report plan week month year evidence case network apps data attack
experts agreed rules phones hearing
said would could should the a of to and in`)

// uniform: every word drawn uniformly from uniformWords, stories of eight
// quoting one statement.
func (g *Gen) uniform(i int, edit string) string {
	r := mrand.New(mrand.NewPCG(uint64(i), 0x0417f))
	pick := func(r *mrand.Rand) string { return uniformWords[r.IntN(len(uniformWords))] }
	sentence := func(b *strings.Builder, r *mrand.Rand, k int) {
		for w := range k {
			s := pick(r)
			if w == 0 {
				s = capital(s)
			} else {
				b.WriteByte(' ')
			}
			b.WriteString(s)
		}
		b.WriteByte('.')
	}
	story := i / 8
	var title strings.Builder
	sentence(&title, r, 6)
	var b strings.Builder
	frontMatter(&b, strings.TrimSuffix(title.String(), "."), fmt.Sprintf("Outlet %d", i%20), "", epoch.Add(time.Duration(i)*37*time.Minute), fmt.Sprintf("Story %d", story))
	n := 5 + r.IntN(6)
	for k := range n {
		for s := range 2 + r.IntN(3) {
			if s > 0 {
				b.WriteByte(' ')
			}
			sentence(&b, r, 10+r.IntN(20))
		}
		if k == 0 {
			b.WriteString(edit)
		}
		if k == 2 { // the story's statement
			sr := mrand.New(mrand.NewPCG(uint64(story), 0x0417f))
			b.WriteString(` "`)
			sentence(&b, sr, 25)
			b.WriteString(`"`)
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

// HugoSite writes, under hugoDir, a Hugo site that builds the Markdown of
// the archive whose content folder is contentDir (an absolute path): the
// same articles as pages, a paginated home page, and a paginated list per
// outlet and per story (Hugo taxonomies), with minimal layouts. Hugo's
// files live outside the archive's site root, so neither reads the other's.
func HugoSite(hugoDir, contentDir string) error {
	files := map[string]string{
		"hugo.toml": fmt.Sprintf(`baseURL = "https://example.org/"
title = "Bench"
contentDir = %q
paginate = 10
[taxonomies]
  outlet = "outlet"
  story = "story"
`, contentDir),
		"layouts/_default/baseof.html": `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>` + "\n",
		"layouts/_default/single.html": `{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ with .Params.outlet }}<a href="{{ ("outlet/" | relURL) }}{{ . | urlize }}/">{{ . }}</a>{{ end }} {{ .Params.author }} <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>{{ .Content }}<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} {{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav></article>{{ end }}` + "\n",
		"layouts/_default/list.html":   `{{ define "main" }}<h1>{{ .Title }}</h1><ol>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.outlet }} {{ .Date.Format "2006-01-02" }}<p>{{ .Summary }}</p></li>{{ end }}</ol>{{ template "_internal/pagination.html" . }}{{ end }}` + "\n",
		"layouts/_default/terms.html":  `{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>{{ end }}</ul>{{ end }}` + "\n",
	}
	for p, s := range files {
		if err := Write(hugoDir, p, s); err != nil {
			return err
		}
	}
	return nil
}

// CountBytes returns the number of regular files under dir and their total
// size.
func CountBytes(dir string) (files int, bytes int64, err error) {
	err = filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			files++
			bytes += fi.Size()
		}
		return nil
	})
	return files, bytes, err
}

// Warm reads every file under dir, so that the build timed next finds its
// sources in the page cache, as a user's rebuild does, whichever program
// ran before it: a 100k corpus that other outputs had pushed out of the
// cache took 4.5 minutes to read back here, and its first reader paid it.
func Warm(dir string) (files int, bytes int64, err error) {
	buf := make([]byte, 1<<16)
	err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		for {
			n, err := f.Read(buf)
			bytes += int64(n)
			if err == io.EOF {
				files++
				return nil
			}
			if err != nil {
				return err
			}
		}
	})
	return files, bytes, err
}
