package search

import (
	"bytes"
	"flag"
	"fmt"
	"html/template"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

func TestTokens(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Interpol’s draft", "interpol draft"},
		{"Interpol's DRAFT", "interpol draft"},
		{"don’t ‘quote’ me", "dont quote me"},
		{"“Tech companies,” it said.", "tech companies it said"},
		{"Lyón café naïve", "lyon cafe naive"},
		{"Straße STRASSE", "strasse strasse"},
		{"ﬁnancial ＵＳ", "financial us"},
		{"U.S.-based 60 countries", "us based 60 countries"},
		{"the US and the U.S. and e.g. J.R.R. Tolkien", "the us and the us and eg jrr tolkien"},
		{"A. Smith, 3.5 per cent, a.m", "a smith 3 5 per cent am"},
		{"a b c. d", "a b c d"},
		{"ΣΟΦΟΣ σοφος", "σοφοσ σοφοσ"},
		{"  ", ""},
		{"'''", ""},
	} {
		if got := strings.Join(Tokens(tc.in), " "); got != tc.want {
			t.Errorf("Tokens(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSeparator(t *testing.T) {
	for _, tc := range []struct{ prev, next, want string }{
		{"apple", "banana", "b"},
		{"encrypt", "encryption", "encrypti"},
		{"ab", "abc", "abc"},
		{"zz", "é", "é"},
	} {
		got := separator(tc.prev, tc.next)
		if got != tc.want || !(got > tc.prev) || !strings.HasPrefix(tc.next, got) {
			t.Errorf("separator(%q, %q) = %q, want %q", tc.prev, tc.next, got, tc.want)
		}
	}
}

func date(s string) time.Time {
	d, _ := time.Parse(time.DateOnly, s)
	return d
}

var seedDocs = []Doc{
	{URL: "/articles/register/", Title: "Interpol: Strong encryption helps online predators", Kind: Article,
		Outlet: "The Register", Date: date("2019-11-18"),
		Text: "Multinational police agency Interpol is due to say that tech companies deploying strong encryption helps paedophiles."},
	{URL: "/articles/reuters/", Title: "Interpol plans to condemn encryption spread, citing predators", Kind: Article,
		Outlet: "Reuters", Date: date("2019-11-17"),
		Text: "The international police organization Interpol plans to condemn the spread of strong encryption in a statement Monday."},
	{URL: "/articles/techdirt/", Title: "Interpol joins the war on encryption", Kind: Article,
		Outlet: "Techdirt", Date: date("2019-11-19"),
		Text: "Another day, another law enforcement agency complaining about encryption. Backdoors are not safe."},
	{URL: "/passages/p-0123456789/", Title: "“Tech companies should include mechanisms…”", Kind: Passage,
		Text: "Tech companies should include mechanisms in the design of their encrypted products and services whereby governments can obtain access to data."},
	{URL: "/articles/reuters/#note-1", Title: "Note on “three people briefed”", Kind: Note, Outlet: "Reuters",
		Date: date("2019-11-17"), Text: "Reuters does not name the sources; The Register repeats the claim."},
}

func fetcher(files map[string][]byte) func(string) ([]byte, error) {
	return func(p string) ([]byte, error) {
		b, ok := files["search/"+p]
		if !ok {
			return nil, fmt.Errorf("no file %s", p)
		}
		return b, nil
	}
}

func urls(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.URL)
	}
	return out
}

func TestSearch(t *testing.T) {
	files, err := Build(seedDocs)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q    Query
		want []string // in rank order
	}{
		// equal scores: ties go to the lower doc ID (kind, outlet, date, URL order)
		{Query{Text: "interpol"}, []string{"/articles/reuters/", "/articles/techdirt/", "/articles/register/"}},
		{Query{Text: "INTERPOL’S"}, []string{"/articles/reuters/", "/articles/techdirt/", "/articles/register/"}},
		{Query{Text: "backdoors"}, []string{"/articles/techdirt/"}},
		{Query{Text: "backdoor"}, []string{"/articles/techdirt/"}}, // prefix of the last word
		{Query{Text: "backdoor "}, nil}, // a finished word is exact
		{Query{Text: "encr"}, []string{"/articles/techdirt/", "/articles/reuters/", "/articles/register/", "/passages/p-0123456789/"}},
		{Query{Text: "en"}, nil}, // too short to be a prefix
		{Query{Text: "strong encryption"}, []string{"/articles/register/", "/articles/reuters/"}},
		{Query{Text: "encryption", Outlet: "Reuters"}, []string{"/articles/reuters/"}},
		{Query{Text: "reuters", Kind: Note}, []string{"/articles/reuters/#note-1"}},
		{Query{Text: "companies", Kind: Passage}, []string{"/passages/p-0123456789/"}},
		{Query{Text: "companies", Kind: Article, Outlet: "Reuters"}, nil},
		{Query{Text: "interpol", Limit: 1}, []string{"/articles/reuters/"}},
		{Query{Text: "zebra"}, nil},
		{Query{Text: ""}, nil},
	} {
		res, err := Search(fetcher(files), tc.q)
		if err != nil {
			t.Fatalf("%+v: %v", tc.q, err)
		}
		if got := urls(res.Hits); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Search(%+v) = %q, want %q", tc.q, got, tc.want)
		}
	}
}

func TestSearchHitMetadata(t *testing.T) {
	files, err := Build(seedDocs)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Search(fetcher(files), Query{Text: "paedophiles"})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("hits %v, err %v", res.Hits, err)
	}
	want := DocMeta{URL: "/articles/register/", Title: "Interpol: Strong encryption helps online predators",
		Kind: Article, Outlet: "The Register", Date: "2019-11-18", Snippet: seedDocs[0].Text}
	if res.Hits[0].DocMeta != want {
		t.Errorf("hit = %+v, want %+v", res.Hits[0].DocMeta, want)
	}
}

// TestEveryTermFindsItsDocs checks the shard bounds: with tiny shards, every
// term of a corpus is found, in exactly the documents that contain it.
func TestEveryTermFindsItsDocs(t *testing.T) {
	docs := syntheticCorpus(60, 40, 3)
	docs = append(docs, seedDocs...)
	for _, shard := range []int{1, 200, 1000, 1 << 20} {
		files, err := Build(docs, WithShardBytes(shard), WithDocsPerShard(3))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string][]string{}
		for _, d := range docs {
			seen := map[string]bool{}
			for _, w := range append(Tokens(d.Title), Tokens(d.Text)...) {
				if !seen[w] {
					seen[w] = true
					want[w] = append(want[w], d.URL)
				}
			}
		}
		for w, us := range want {
			res, err := Search(fetcher(files), Query{Text: w + " ", Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			got := urls(res.Hits)
			sort.Strings(got)
			sort.Strings(us)
			if !reflect.DeepEqual(got, us) {
				t.Fatalf("shard %d: %q found in %q, want %q", shard, w, got, us)
			}
		}
	}
}

func TestStopTerms(t *testing.T) {
	files, err := Build(seedDocs, WithStopTerms(0.5, 1))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Search(fetcher(files), Query{Text: "the interpol backdoors"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Ignored, []string{"the", "interpol"}) {
		t.Errorf("ignored %q, want [the interpol]", res.Ignored)
	}
	if got := urls(res.Hits); !reflect.DeepEqual(got, []string{"/articles/techdirt/"}) {
		t.Errorf("hits %q", got)
	}
}

func TestBuildDeterministic(t *testing.T) {
	docs := append(syntheticCorpus(50, 100, 4), seedDocs...)
	a, err := Build(docs, WithShardBytes(500))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		shuffled := slices.Clone(docs)
		rand.New(rand.NewPCG(uint64(i), 1)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		b, err := Build(shuffled, WithShardBytes(500))
		if err != nil {
			t.Fatal(err)
		}
		if len(a) != len(b) {
			t.Fatalf("%d files, then %d", len(a), len(b))
		}
		for p := range a {
			if !bytes.Equal(a[p], b[p]) {
				t.Fatalf("%s differs when the input order changes", p)
			}
		}
	}
}

func TestBuildErrors(t *testing.T) {
	for _, tc := range []struct {
		docs []Doc
		want string
	}{
		{[]Doc{{URL: "/a/", Kind: "page"}}, `kind "page"`},
		{[]Doc{{Title: "x", Kind: Article}}, "no URL"},
		{[]Doc{{URL: "javascript:alert(1)", Kind: Article}}, "URL must start with /"},
		{[]Doc{{URL: "/a/", Kind: Article}, {URL: "/a/", Kind: Note}}, "two documents have the URL /a/"},
	} {
		_, err := Build(tc.docs)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Build(%v) error %v, want %q", tc.docs, err, tc.want)
		}
	}
	files, err := Build(nil)
	if err != nil {
		t.Fatal(err)
	}
	if res, err := Search(fetcher(files), Query{Text: "x"}); err != nil || len(res.Hits) != 0 {
		t.Errorf("empty index: %v, %v", res, err)
	}
}

// TestGolden records the seed index, so that a change to the format shows
// up as a reviewed diff (go test -update to re-record).
func TestGolden(t *testing.T) {
	files, err := Build(seedDocs, WithShardBytes(400), WithDocsPerShard(2))
	if err != nil {
		t.Fatal(err)
	}
	paths := slices.Sorted(func(yield func(string) bool) {
		for p := range files {
			if !yield(p) {
				return
			}
		}
	})
	var buf bytes.Buffer
	for _, p := range paths {
		fmt.Fprintf(&buf, "-- %s --\n%s", p, files[p])
	}
	golden := filepath.Join("testdata", "seed-index.txtar")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to record it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("index differs from %s (go test -update, then review the diff):\n%s", golden, buf.Bytes())
	}
}

func TestPageTemplate(t *testing.T) {
	base := `{{block "main" .}}{{end}}`
	tmpl := template.Must(template.Must(template.New("base").Parse(base)).ParseFiles(filepath.Join(layoutsDir, "search.html")))
	var b strings.Builder
	docs := append(slices.Clone(seedDocs), Doc{URL: "/x/", Kind: Article, Outlet: `<script>"&`})
	// The site renders the page with the search.Page as .Data.Search.
	data := struct{ Data struct{ Search Page } }{struct{ Search Page }{NewPage(docs, "/search/", "/search.js", Choice{"/#articles", "articles by title"}, Choice{"/outlets/", "outlets"})}}
	if err := tmpl.ExecuteTemplate(&b, "base", data); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{
		`<form class="search-form" role="search" method="get" action="/search/" data-index="/search/index.json">`,
		`<input id="search-q" type="search" name="q"`,
		`<select id="search-kind" name="kind">`,
		`<option value="passage">Shared passages</option>`,
		`<select id="search-outlet" name="outlet">`,
		`<option value="Reuters">Reuters</option>`,
		`<option value="&lt;script&gt;&#34;&amp;">&lt;script&gt;&#34;&amp;</option>`,
		`<a href="/#articles">articles by title</a>, <a href="/outlets/">outlets</a>.</p></noscript>`,
		`<script src="/search.js" defer></script>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("search page lacks %s\n%s", want, html)
		}
	}
	if strings.Contains(html, "<script>\"") {
		t.Error("outlet name not escaped")
	}
}

// TestNormalizeASCIIFastPath checks that the ASCII shortcut gives what the
// full pipeline gives.
func TestNormalizeASCIIFastPath(t *testing.T) {
	var all strings.Builder
	for r := rune(0); r < 128; r++ {
		all.WriteRune(r)
	}
	for _, s := range []string{all.String(), "Interpol's `draft` U.S. 60 MIXED case"} {
		full := norm.NFD.String(quoteFold.Replace(fold(norm.NFKC.String(s))))
		if got := Normalize(s); got != full {
			t.Errorf("Normalize(%q) = %q, full pipeline %q", s, got, full)
		}
	}
}

// TestNormalizePieces checks that Normalize, which lowers the ASCII and
// sends only the runs of other runes through the four passes, gives what
// the passes give on the whole text: for runes that combine with the
// letter before them (accents, Greek ypogegrammeni, Hangul jamo), runes
// that fold or decompose to several (ß, İ, ﬁ, full-width, …) and the quotes.
func TestNormalizePieces(t *testing.T) {
	full := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Mn, r) {
				return -1
			}
			return r
		}, norm.NFD.String(quoteFold.Replace(fold(norm.NFKC.String(s)))))
	}
	for _, s := range []string{
		"Interpol\u2019s \u201cdraft\u201d \u2014 Lyo\u0301n, Lyón, CAFE\u0301",
		"e\u0301\u0327x", "A\u0345", "\u0345A", "\u03a3\u0391\u03a3 \u03c2", "\u0130stanbul", "Stra\u00dfe", "\ufb01le",
		"\uff21\uff22c", "a\u00a0b\u2026", "\u1100\u1161\u11a8x", "\uac00\u11a8", "o\u0344", "`\u2018q\u2019`", "\u0301", "\u0301a",
	} {
		if got, want := Normalize(s), full(s); got != want {
			t.Errorf("Normalize(%q) = %q, the four passes %q", s, got, want)
		}
	}
	// Random texts over those runes, some runs longer than the cache keeps.
	alphabet := []rune("aAeEiIoOsSkK'` .\u0301\u0308\u0327\u0344\u0345\u0342\u03a3\u03c3\u03c2\u0399\u0130\u0131\u00df\u1e9e\ufb01\uff21" +
		"\u2018\u2019\u201c\u201d\u2014\u2026\u00a0\u00e9\u00c9\u1100\u1161\u11a8\uac00\u212a\u2126\u0587\u1f80\u0300")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		r := make([]rune, rng.IntN(24))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		s := string(r)
		if got, want := Normalize(s), full(s); got != want {
			t.Fatalf("Normalize(%q) = %q, the four passes %q", s, got, want)
		}
		// Long ASCII runs between them (lowered 8 bytes at a time), after
		// text in the buffer.
		s = strings.Repeat(s+"Mixed CASE Words` ", 3)
		if got, want := string(appendNormalized([]byte("x"), s)), "x"+full(s); got != want {
			t.Fatalf("appendNormalized(%q) = %q, the four passes %q", s, got, want)
		}
	}
}

// TestDocShardAsMarshal holds appendDocShard to encoding/json's encoding
// of the shard (marshal), for strings that need no escaping and strings
// that do: quotes, backslashes, control characters, HTML characters,
// U+2028 and U+2029, invalid UTF-8; with and without outlet and date.
func TestDocShardAsMarshal(t *testing.T) {
	strs := []string{"", "plain", "/articles/x/", "“Curly” — dash é", "a\"b", `back\slash`, "tab\tnew\nline\r\b\f\x01\x1f\x7f",
		"<a href='x'>&amp;</a>", "line\u2028sep\u2029", "bad \xff\xfe utf8 \xe2\x80", "\u2028", "emoji 🙂 ok"}
	var shard []DocMeta
	for i, s := range strs {
		shard = append(shard, DocMeta{URL: s, Title: strs[(i+1)%len(strs)], Kind: Article, Outlet: strs[(i+2)%len(strs)],
			Date: strs[(i+3)%len(strs)], Snippet: strs[(i+4)%len(strs)]})
	}
	for n := 0; n <= len(shard); n++ {
		want, err := marshal(shard[:n])
		if err != nil {
			t.Fatal(err)
		}
		if got := appendDocShard([]byte("x"), shard[:n]); string(got) != "x"+string(want) {
			t.Errorf("appendDocShard(%d docs) =\n%s\nmarshal:\n%s", n, got[1:], want)
		}
	}
}

// TestSnippetAsFields checks snippet against the way it was made before it
// collapsed whitespace itself: strings.Fields over the first 8n+8 bytes.
func TestSnippetAsFields(t *testing.T) {
	fields := func(text string, n int) string {
		cut := false
		if limit := 8*n + 8; len(text) > limit {
			for limit > 0 && !utf8.RuneStart(text[limit]) {
				limit--
			}
			text, cut = text[:limit], true
		}
		text = strings.Join(strings.Fields(text), " ")
		if !cut && utf8.RuneCountInString(text) <= n {
			return text
		}
		s := text
		for i := range text {
			if n == 0 {
				s = text[:i]
				break
			}
			n--
		}
		if sp := strings.LastIndexByte(s, ' '); sp > len(s)/2 {
			s = s[:sp]
		}
		return strings.TrimRight(s, " ,;:.") + "…"
	}
	alphabet := []string{"a", "bc", "Word", " ", "  ", "\n", "\t", "\u00a0", "\u2003", "é", "日本", ",", ".", ";", "\xff", "\u0085"}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(60) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		text, n := b.String(), rng.IntN(12)
		if got, want := snippet(text, n), fields(text, n); got != want {
			t.Fatalf("snippet(%q, %d) = %q, with strings.Fields %q", text, n, got, want)
		}
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("word ", 100)
	spaced := "start" + strings.Repeat(" ", 5000) + "end"
	for _, tc := range []struct {
		text string
		n    int
		want string
	}{
		{"short  text\n here", 20, "short text here"},
		{long, 12, "word word…"},
		{"Multinational police agency, Interpol", 30, "Multinational police agency…"},
		{spaced, 50, "start…"},
		{strings.Repeat("é", 40), 10, strings.Repeat("é", 10) + "…"},
	} {
		if got := snippet(tc.text, tc.n); got != tc.want {
			t.Errorf("snippet(%.20q…, %d) = %q, want %q", tc.text, tc.n, got, tc.want)
		}
	}
}
