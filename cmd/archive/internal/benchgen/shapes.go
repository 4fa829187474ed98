package benchgen

import (
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
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
	// article is in archive.toml's one story), English function words and a
	// Zipf vocabulary, a dateline and a reporting credit on every story, and
	// a fifth of the stories an update of an earlier one that repeats most
	// of its paragraphs (as agencies send UPDATE 1, UPDATE 2...).
	Wire Shape = "wire"
	// Copied has one 90-word paragraph (a press release) copied into 5,000
	// articles (half the archive when it has fewer than 10,000), some copies
	// cut at the start or the end and some with typographic quotes, across
	// stories of eight from twenty outlets.
	Copied Shape = "copied"
	// Frames has stock phrases and quote frames in every article: quotes in
	// `"..., we're not going to X on this," NAME said` and
	// `..., said NAME, a spokesperson for the ORG.`, "did not immediately
	// respond to a request for comment", "who spoke on condition of
	// anonymity", "In a filing with the Securities and Exchange Commission";
	// each story's articles share three quotes (two to eight articles each)
	// and every article has quotes of its own in the same frames.
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
}

// New returns the generator of shape at n articles.
func New(shape Shape, n int) *Gen { return &Gen{Shape: shape, N: n} }

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
	t := newText(g.Shape, i)
	var b strings.Builder
	switch g.Shape {
	case Wire:
		g.wire(t, &b, i, edit)
	case Copied:
		g.copied(t, &b, i, edit)
	case Frames:
		g.frames(t, &b, i, edit)
	default:
		panic("benchgen: unknown shape " + string(g.Shape))
	}
	return b.String()
}

// text draws English-like words: function words at the top of a Zipf
// distribution over 20,000 made-up content words, names and places.
type text struct {
	r *mrand.Rand
	z *mrand.Zipf
}

const vocabSize = 20000

var functionWords = strings.Fields(`the of and to a in that is for it as was with be by on not he this are or
his from at which but have an they were her she there been one all we their has would when if so no will
more about up out who than into them only some could after over its also new last first two year years
said says government people company market percent million officials state week told`)

func newText(shape Shape, i int) *text {
	seed := uint64(len(shape))<<56 ^ uint64(shape[0])<<48
	r := mrand.New(mrand.NewPCG(seed^uint64(i), 0x5eed))
	return &text{r: r, z: mrand.NewZipf(r, 1.07, 2, vocabSize-1)}
}

// vocab is the k-th word of the generated vocabulary.
func vocab(k int) string {
	if k < len(functionWords) {
		return functionWords[k]
	}
	return word(k + 20) // skip the one-syllable words
}

func (t *text) word() string { return vocab(int(t.z.Uint64())) }

// sentence writes a sentence of k words with a capital letter and a full stop.
func (t *text) sentence(b *strings.Builder, k int) {
	for w := range k {
		s := t.word()
		if w == 0 {
			s = strings.ToUpper(s[:1]) + s[1:]
		} else {
			b.WriteByte(' ')
			if t.r.IntN(25) == 0 {
				s = t.name()
			}
		}
		b.WriteString(s)
	}
	b.WriteByte('.')
}

// paragraph writes one to four sentences.
func (t *text) paragraph(b *strings.Builder) {
	for s := range 1 + t.r.IntN(4) {
		if s > 0 {
			b.WriteByte(' ')
		}
		t.sentence(b, 8+t.r.IntN(22))
	}
}

func capital(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// name is a person's name from a pool of about 10,000.
func (t *text) name() string {
	return capital(word(20+t.r.IntN(400))) + " " + capital(word(420+t.r.IntN(600)))
}

// org is an organisation from a pool of 300.
func org(k int) string { return "Ministry of " + capital(word(1100+k)) }

func (t *text) title() string {
	var b strings.Builder
	for w := range 5 + t.r.IntN(6) {
		if w > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.word())
	}
	return capital(b.String())
}

func frontMatter(b *strings.Builder, title, outlet, author string, date time.Time, story string) {
	fmt.Fprintf(b, "---\ntitle: %q\noutlet: %q\nauthor: %q\ndate: %s\n", title, outlet, author, date.Format(time.RFC3339))
	if story != "" {
		fmt.Fprintf(b, "story: %q\n", story)
	}
	b.WriteString("---\n\n")
}

var epoch = time.Date(2015, 1, 1, 6, 0, 0, 0, time.UTC)

// wire: one agency, no story key, datelines, credits, and updates.
func (g *Gen) wire(t *text, b *strings.Builder, i int, edit string) {
	date := epoch.Add(time.Duration(i) * 23 * time.Minute)
	// A fifth of the stories update one sent two to twenty stories before
	// (or its original): the original's paragraphs, most of them kept.
	src := wireOriginal(i)
	base := newText(Wire, src)
	title := base.title()
	city := strings.ToUpper(word(1500 + base.r.IntN(200)))
	var paras []string
	for range 5 + base.r.IntN(10) {
		var p strings.Builder
		base.paragraph(&p)
		paras = append(paras, p.String())
	}
	if src != i {
		title = "UPDATE " + fmt.Sprint(1+t.r.IntN(3)) + "-" + title
		for k := range paras {
			if k%3 == 1 && t.r.IntN(2) == 0 { // rewritten
				var p strings.Builder
				t.paragraph(&p)
				paras[k] = p.String()
			}
		}
		var p strings.Builder
		t.paragraph(&p)
		paras = append([]string{p.String()}, paras...) // the new lead
	}
	frontMatter(b, title, "Wire Agency", "", date, "")
	fmt.Fprintf(b, "%s, %s (Wire Agency) - ", city, date.Format("January 2"))
	for k, p := range paras {
		b.WriteString(p)
		if k == 0 {
			b.WriteString(edit)
		}
		b.WriteString("\n\n")
	}
	fmt.Fprintf(b, "(Reporting by %s; Editing by %s)\n", t.name(), t.name())
}

// wireOriginal is the story that the i-th wire story updates (i itself
// when it is an original).
func wireOriginal(i int) int {
	for i >= 20 {
		r := mrand.New(mrand.NewPCG(uint64(i), 0xdec1))
		if r.IntN(5) != 0 {
			break
		}
		i -= 2 + r.IntN(19)
	}
	return i
}

// copied: stories of eight, and one paragraph in 5,000 articles.
func (g *Gen) copied(t *text, b *strings.Builder, i int, edit string) {
	story := i / 8
	frontMatter(b, t.title(), fmt.Sprintf("Outlet %d", i%20), t.name(), epoch.Add(time.Duration(i)*37*time.Minute), fmt.Sprintf("Story %d", story))
	copies := min(5000, g.N/2)
	has := g.N > 0 && (i*copies)/g.N != ((i+1)*copies)/g.N
	n := 4 + t.r.IntN(8)
	at := 1 + t.r.IntN(n-1)
	for k := range n {
		if has && k == at {
			b.WriteString(pressRelease(t.r))
			b.WriteString("\n\n")
		}
		t.paragraph(b)
		if k == 0 {
			b.WriteString(edit)
		}
		b.WriteString("\n\n")
	}
}

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

// frames: stock phrases and quotes in fixed frames in every article.
func (g *Gen) frames(t *text, b *strings.Builder, i int, edit string) {
	story := i / 8
	frontMatter(b, t.title(), fmt.Sprintf("Outlet %d", i%20), t.name(), epoch.Add(time.Duration(i)*37*time.Minute), fmt.Sprintf("Story %d", story))
	// The story's three shared quotes: quote q is in the articles of the
	// story whose position p has bit q set in the story's mask (each of
	// them in two to eight of its articles).
	sr := mrand.New(mrand.NewPCG(uint64(story), 0xf4a3e5))
	var shared []string
	for q := range 3 {
		mask := sr.Uint32() & 0xff
		for mask&(mask-1) == 0 { // fewer than two articles
			mask = sr.Uint32() & 0xff
		}
		quote := storyQuote(sr)
		if mask&(1<<(i%8)) != 0 {
			shared = append(shared, frame(t, quote, q))
		}
	}
	stock := []string{
		"%s did not immediately respond to a request for comment.",
		"A person familiar with the matter, who spoke on condition of anonymity because the talks were private, said %s had been told.",
		"In a filing with the Securities and Exchange Commission, %s said the review would take several weeks.",
		"%s declined to comment on the report.",
		"The announcement comes as %s faces growing pressure from lawmakers, according to a statement.",
	}
	n := 5 + t.r.IntN(8)
	own := 0
	for k := range n {
		t.paragraph(b)
		if k == 0 {
			b.WriteString(edit)
		}
		b.WriteString("\n\n")
		switch {
		case k < len(shared):
			b.WriteString(shared[k])
		case k%2 == 1 || own < 2:
			b.WriteString(frame(t, ownQuote(t), own%3))
			own++
		default:
			fmt.Fprintf(b, stock[t.r.IntN(len(stock))], org(t.r.IntN(300)))
		}
		b.WriteString("\n\n")
	}
	fmt.Fprintf(b, stock[0]+"\n", org(t.r.IntN(300)))
}

// storyQuote is a quote of 12 to 30 words.
func storyQuote(r *mrand.Rand) string {
	t := &text{r: r, z: mrand.NewZipf(r, 1.07, 2, vocabSize-1)}
	var b strings.Builder
	for w := range 12 + r.IntN(19) {
		if w > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.word())
	}
	return capital(b.String())
}

func ownQuote(t *text) string { return storyQuote(t.r) }

// frame puts a quote in one of three frames.
func frame(t *text, quote string, kind int) string {
	switch kind {
	case 0:
		return fmt.Sprintf("\"%s, we're not going to %s on this,\" %s said.", quote, t.word(), t.name())
	case 1:
		return fmt.Sprintf("\"%s,\" said %s, a spokesperson for the %s.", quote, t.name(), org(t.r.IntN(300)))
	default:
		return fmt.Sprintf("%s told reporters: \"%s.\"", t.name(), quote)
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
