package cite

import (
	"html/template"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseName(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Name
	}{
		{"Joseph Menn", Name{Given: "Joseph", Family: "Menn"}},
		{"Connor Jones", Name{Given: "Connor", Family: "Jones"}},
		{"  Connor   Jones ", Name{Given: "Connor", Family: "Jones"}},
		{"Menn, Joseph", Name{Given: "Joseph", Family: "Menn"}},
		{"Mary Ann Smith", Name{Given: "Mary Ann", Family: "Smith"}},
		{"Ludwig van Beethoven", Name{Given: "Ludwig", Particle: "van", Family: "Beethoven"}},
		{"Jan van der Berg", Name{Given: "Jan", Particle: "van der", Family: "Berg"}},
		{"van Beethoven, Ludwig", Name{Given: "Ludwig", Particle: "van", Family: "Beethoven"}},
		{"Martin Luther King Jr.", Name{Given: "Martin Luther", Family: "King", Suffix: "Jr."}},
		{"Martin Luther King, Jr.", Name{Given: "Martin Luther", Family: "King", Suffix: "Jr."}},
		{"King, Jr., Martin Luther", Name{Given: "Martin Luther", Family: "King", Suffix: "Jr."}},
		{"Reuters", Name{Literal: "Reuters"}},
		{"Reuters Staff", Name{Literal: "Reuters Staff"}},
		{"The Associated Press", Name{Literal: "The Associated Press"}},
		{"{Tim Cushing and Friends}", Name{Literal: "Tim Cushing and Friends"}},
		{"", Name{}},
		{"   ", Name{}},
	} {
		if got := ParseName(tc.in); got != tc.want {
			t.Errorf("ParseName(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestSplitAuthors(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Joseph Menn", []string{"Joseph Menn"}},
		{"By Joseph Menn and Connor Jones", []string{"Joseph Menn", "Connor Jones"}},
		{"Joseph Menn & Connor Jones", []string{"Joseph Menn", "Connor Jones"}},
		{"A. Author, B. Author, and C. Author", []string{"A. Author", "B. Author", "C. Author"}},
		{"Menn, Joseph", []string{"Menn, Joseph"}},
		{"Joseph Menn, Connor Jones", []string{"Joseph Menn", "Connor Jones"}},
		{"Menn, Joseph; Jones, Connor", []string{"Menn, Joseph", "Jones, Connor"}},
		{"Martin Luther King, Jr. and Connor Jones", []string{"Martin Luther King, Jr.", "Connor Jones"}},
		{"{Smith and Wesson}", []string{"{Smith and Wesson}"}},
		{"", nil},
		{"by", []string{"by"}},
	} {
		if got := SplitAuthors(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("SplitAuthors(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

var reuters = Work{
	ID:        "interpol-reuters",
	Title:     "Interpol plans to condemn encryption spread, citing predators",
	Authors:   []string{"Joseph Menn"},
	Outlet:    "Reuters",
	Date:      day("2019-11-18"),
	SourceURL: "https://www.reuters.com/article/us-tech-encryption-interpol-idUSKBN1XR0S7",
	Permalink: "https://archive.example/articles/interpol-reuters/",
	Accessed:  day("2026-11-21"),
	Archive:   "Interpol Encryption Archive",
}

func TestNote(t *testing.T) {
	two := reuters
	two.Authors = []string{"Joseph Menn", "Connor Jones"}
	four := reuters
	four.Authors = []string{"A B", "C D", "E F", "G H"}
	question := reuters
	question.Title = `Is "encryption" bad?`
	bare := Work{Title: "Untitled"}
	noAuthor := reuters
	noAuthor.Authors = []string{""}
	for _, tc := range []struct {
		w    Work
		want string
	}{
		{reuters, "Joseph Menn, “Interpol plans to condemn encryption spread, citing predators,” Reuters, November 18, 2019, " +
			"https://www.reuters.com/article/us-tech-encryption-interpol-idUSKBN1XR0S7; archived in Interpol Encryption Archive, " +
			"https://archive.example/articles/interpol-reuters/, accessed November 21, 2026."},
		{two, "Joseph Menn and Connor Jones, “Interpol plans"},
		{four, "A B et al., “Interpol"},
		{question, "Joseph Menn, “Is ‘encryption’ bad?” Reuters, November 18, 2019"},
		{noAuthor, "“Interpol plans to condemn encryption spread, citing predators,” Reuters,"},
		{bare, "“Untitled”."},
		{Work{}, ""},
	} {
		if got := tc.w.Note(); !strings.HasPrefix(got, tc.want) {
			t.Errorf("Note() = %q\nwant prefix %q", got, tc.want)
		}
	}
}

// The note as layouts/cite.html writes it: every value escaped, the
// outlet in <i>, and http(s) URLs as links (other schemes stay text).
func TestNoteHTML(t *testing.T) {
	w := reuters
	w.Title = `<script>alert("x")</script> & more`
	w.Outlet = `The "Register" <b>`
	w.SourceURL = `javascript:alert(1)`
	w.Permalink = `https://archive.example/a/?x=1&y="2"`
	set, err := w.All()
	if err != nil {
		t.Fatal(err)
	}
	tm := template.Must(template.ParseFiles("../../../../layouts/cite.html"))
	var b strings.Builder
	if err := tm.Execute(&b, set); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	got = got[strings.Index(got, `<p class="cite-note">`):]
	got = got[:strings.Index(got, "</p>")]
	for _, want := range []string{
		"“&lt;script&gt;alert(‘x’)&lt;/script&gt; &amp; more,”",
		"<i>The &#34;Register&#34; &lt;b&gt;</i>",
		", javascript:alert(1);",
		`<a href="https://archive.example/a/?x=1&amp;y=%222%22">`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("NoteHTML lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, "<script") || strings.Contains(got, `href="javascript`) {
		t.Errorf("NoteHTML is unsafe: %s", got)
	}
}

func TestBibTeX(t *testing.T) {
	tricky := reuters
	tricky.Title = `50% of {braces} & "quotes" cost $5 #1 under_score ^~ \ “curly”`
	tricky.Authors = []string{"Joseph Menn", "Reuters Staff", "José Müller"}
	tricky.SourceURL = "https://example.com/a b%20{c}"
	noOutlet := reuters
	noOutlet.Outlet = ""
	noOutlet.Authors = nil
	for _, tc := range []struct {
		name string
		w    Work
		want string
	}{
		{"reuters", reuters, `@article{menn2019interpol,
  author = {Menn, Joseph},
  title = {{Interpol plans to condemn encryption spread, citing predators}},
  journal = {Reuters},
  date = {2019-11-18},
  year = {2019},
  url = {https://www.reuters.com/article/us-tech-encryption-interpol-idUSKBN1XR0S7},
  urldate = {2026-11-21},
  note = {Archived in Interpol Encryption Archive, \url{https://archive.example/articles/interpol-reuters/}},
  month = nov,
}
`},
		{"tricky", tricky, `@article{menn2019braces,
  author = {Menn, Joseph and {Reuters Staff} and Müller, José},
  title = {{50\% of \{braces\} \& ` + "``quotes''" + ` cost \$5 \#1 under\_score \textasciicircum{}\textasciitilde{} \textbackslash{} ` + "``curly''" + `}},
  journal = {Reuters},
  date = {2019-11-18},
  year = {2019},
  url = {https://example.com/a%20b%2520%7Bc%7D},
`},
		{"misc", noOutlet, `@misc{archive2019interpol,
  title = {{Interpol plans to condemn encryption spread, citing predators}},
  date = {2019-11-18},
  year = {2019},
  url = {https://www.reuters.com/article/us-tech-encryption-interpol-idUSKBN1XR0S7},
  howpublished = {\url{https://www.reuters.com/article/us-tech-encryption-interpol-idUSKBN1XR0S7}},
`},
	} {
		got := tc.w.BibTeX()
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("%s: BibTeX() =\n%s\nwant prefix\n%s", tc.name, got, tc.want)
		}
		if depth := braceDepth(got); depth != 0 {
			t.Errorf("%s: unbalanced braces (%d) in\n%s", tc.name, depth, got)
		}
	}
}

// braceDepth counts unescaped braces as BibTeX does (\{ does not count).
func braceDepth(s string) int {
	d := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) && (s[i+1] == '{' || s[i+1] == '}') {
				i++
			}
		case '{':
			d++
		case '}':
			d--
			if d < 0 {
				return d
			}
		}
	}
	return d
}

func TestScholar(t *testing.T) {
	w := reuters
	w.Authors = []string{"Joseph Menn", "Reuters Staff"}
	want := []Meta{
		{"citation_title", "Interpol plans to condemn encryption spread, citing predators"},
		{"citation_author", "Menn, Joseph"},
		{"citation_author", "Reuters Staff"},
		{"citation_publication_date", "2019/11/18"},
		{"citation_journal_title", "Reuters"},
		{"citation_fulltext_html_url", "https://archive.example/articles/interpol-reuters/"},
	}
	if got := w.Scholar(); !reflect.DeepEqual(got, want) {
		t.Errorf("Scholar() = %q, want %q", got, want)
	}
	if got := (Work{Title: "x"}).Scholar(); !reflect.DeepEqual(got, []Meta{{"citation_title", "x"}}) {
		t.Errorf("Scholar() of a bare work = %q", got)
	}
}

func TestCSLJSON(t *testing.T) {
	schema, err := os.ReadFile("testdata/csl-data.json")
	if err != nil {
		t.Fatal(err)
	}
	org := reuters
	org.Authors = []string{"Reuters Staff", "Ludwig van Beethoven", "Martin Luther King Jr."}
	org.Title = `{50%} & "quotes"`
	empty := Work{Permalink: "https://archive.example/x/"}
	undated := reuters
	undated.Date, undated.Accessed = time.Time{}, time.Time{}
	for _, tc := range []struct {
		name string
		w    Work
		want string
	}{
		{"reuters", reuters, `[
  {
    "type": "article-newspaper",
    "id": "interpol-reuters",
    "title": "Interpol plans to condemn encryption spread, citing predators",
    "author": [
      {
        "family": "Menn",
        "given": "Joseph"
      }
    ],
    "container-title": "Reuters",
    "issued": {
      "date-parts": [
        [
          2019,
          11,
          18
        ]
      ]
    },
    "URL": "https://www.reuters.com/article/us-tech-encryption-interpol-idUSKBN1XR0S7",
    "accessed": {
      "date-parts": [
        [
          2026,
          11,
          21
        ]
      ]
    },
    "archive": "Interpol Encryption Archive",
    "archive_location": "https://archive.example/articles/interpol-reuters/"
  }
]
`},
		{"organisation and particles", org, ""},
		{"empty", empty, ""},
		{"undated", undated, ""},
	} {
		b, err := tc.w.CSLJSON()
		if err != nil {
			t.Fatal(err)
		}
		if tc.want != "" && string(b) != tc.want {
			t.Errorf("%s: CSLJSON() =\n%s\nwant\n%s", tc.name, b, tc.want)
		}
		errs, err := validateCSL(schema, b)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range errs {
			t.Errorf("%s: CSL-JSON invalid: %s\n%s", tc.name, e, b)
		}
	}
	item := org.CSL()
	if want := []Name{{Literal: "Reuters Staff"}, {Given: "Ludwig", Particle: "van", Family: "Beethoven"},
		{Given: "Martin Luther", Family: "King", Suffix: "Jr."}}; !reflect.DeepEqual(item.Author, want) {
		t.Errorf("authors %+v, want %+v", item.Author, want)
	}
	if empty.CSL().ID != empty.Permalink {
		t.Errorf("id of a work without ID = %q, want the permalink", empty.CSL().ID)
	}
}

// TestValidatorRejects proves that the schema check can fail.
func TestValidatorRejects(t *testing.T) {
	schema, err := os.ReadFile("testdata/csl-data.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ doc, want string }{
		{`[{"type": "article-newspaper", "id": "x", "outlet": "Reuters"}]`, `unknown key "outlet"`},
		{`[{"type": "newspaper", "id": "x"}]`, "enum"},
		{`[{"type": "article-newspaper"}]`, `missing required key "id"`},
		{`[{"type": "article-newspaper", "id": true}]`, "not of type"},
		{`[{"type": "article-newspaper", "id": "x", "author": [{"name": "Joseph Menn"}]}]`, "anyOf"},
		{`[{"type": "article-newspaper", "id": "x", "issued": {"date-parts": [[2019, 11, 18, 1]]}}]`, "anyOf"},
		{`[{"type": "article-newspaper", "id": "x", "title": 5}]`, "not of type"},
		{`{"type": "article-newspaper", "id": "x"}`, "not of type [array]"},
	} {
		errs, err := validateCSL(schema, []byte(tc.doc))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(strings.Join(errs, "\n"), tc.want) {
			t.Errorf("%s: errors %q, want one with %q", tc.doc, errs, tc.want)
		}
	}
	if errs, _ := validateCSL([]byte(`{"type": "array", "uniqueItems": true}`), []byte(`[]`)); len(errs) == 0 {
		t.Error("an unsupported keyword passed silently")
	}
}

func TestAll(t *testing.T) {
	set, err := reuters.All()
	if err != nil {
		t.Fatal(err)
	}
	if set.Note != reuters.Note() || set.BibTeX != reuters.BibTeX() || !strings.Contains(set.CSLJSON, "article-newspaper") ||
		len(set.Scholar) != 5 || !slices.Contains(set.Parts, NotePart{Text: "Reuters", Italic: true}) {
		t.Errorf("All() = %+v", set)
	}
}
