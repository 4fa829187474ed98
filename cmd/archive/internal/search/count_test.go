package search

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// eachTokenCounts is what the indexer used to count with eachToken: the
// reference that termTable.scan must match.
func eachTokenCounts(text, title string, boost int32) (map[string]int32, int) {
	tf, n := map[string]int32{}, 0
	eachToken(text, func(t string) { tf[t]++; n++ })
	eachToken(title, func(t string) { tf[t] += boost; n++ })
	return tf, n
}

func tableCounts(tt *termTable, text, title string, boost int32) (map[string]int32, int) {
	tt.reset()
	tt.scan(text, 1)
	tt.scan(title, boost)
	tf := map[string]int32{}
	tt.each(func(t string, _, c int32) {
		if _, ok := tf[t]; ok {
			panic("term counted twice: " + t)
		}
		tf[t] = c
	})
	return tf, tt.n
}

// countCases are texts whose tokens take every path of eachToken.
var countCases = []string{
	"",
	"  ",
	"'''",
	"Interpol’s draft",
	"Interpol's DRAFT don't 'quote' me o'clock rock'n'roll ''a'' 's 'S",
	"“Tech companies,” it said.",
	"Lyón café naïve Straße STRASSE ﬁnancial ＵＳ ΣΟΦΟΣ σοφος",
	"U.S.-based 60 countries, the US and the U.S. and e.g. J.R.R. Tolkien",
	"A. Smith, 3.5 per cent, a.m",
	"a b c. d",
	"x.y..z a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p é.ü. Ä.Ö. é.e e.é",
	"a`b `c` d`s e's",
	"e\u0301 a\u0300b \u0301x ﬃ \u00b2 ½ Ⅻ 𝔘.𝔖. 中文字 ক্ষ हिन्दी",
	"\xff\xfe bad \xc3 utf8 \xe2\x80 end\xf0",
	"tab\tnew\nline\r\ncr 123abc abc123 1.2.3 a1.b2",
	strings.Repeat("word another Third 4th ", 200) + strings.Repeat("x.", 100),
	// Terms told apart by their first 16 bytes and length (termHeads)
	// or by the bytes after them.
	"abcdefg abcdefgh abcdefghi ABCDEFGH abcdefghijklmno abcdefghijklmnop abcdefghijklmnopq abcdefghijklmnopqr " +
		"abcdefghijklmnopqrs abcdefghijklmnopqrt abcdefghijklmnopq abcdefgh abcdefghijklmnopqrst'uv abcdefghijklmnopqrstuv",
	"ééééééééé ééééééééé caféscafés cafésscafés ünïcödéünïcödé ünïcödéünïcödéx",
}

func TestTermTableCounts(t *testing.T) {
	tt := newTermTable()
	for _, text := range countCases {
		for _, title := range []string{"", "A U.S. Title’s words", text} {
			want, wantN := eachTokenCounts(text, title, 5)
			got, gotN := tableCounts(tt, text, title, 5)
			if gotN != wantN || !maps.Equal(got, want) {
				t.Errorf("text %q title %q: scan counted %d tokens %v, eachToken %d %v", text, title, gotN, got, wantN, want)
			}
		}
	}
}

// TestLowerASCII holds appendLowerASCII, which lowers 8 bytes at a time,
// to lowering byte by byte, for every ASCII byte at every offset.
func TestLowerASCII(t *testing.T) {
	ref := func(s string) string {
		b := []byte(s)
		for i, c := range b {
			switch {
			case 'A' <= c && c <= 'Z':
				b[i] = c + 'a' - 'A'
			case c == '`':
				b[i] = '\''
			}
		}
		return string(b)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for c := range 128 {
		for off := range 17 {
			b := []byte(strings.Repeat("aZ", 10))
			b[off] = byte(c)
			if got, want := string(appendLowerASCII([]byte("x"), string(b))), "x"+ref(string(b)); got != want {
				t.Errorf("appendLowerASCII(%q) = %q, want %q", b, got, want)
			}
		}
	}
	for range 2000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = byte(rng.IntN(128))
		}
		if got, want := string(appendLowerASCII(nil, string(b))), ref(string(b)); got != want {
			t.Fatalf("appendLowerASCII(%q) = %q, want %q", b, got, want)
		}
		if got, want := asciiPrefix(string(b)+"é"+string(b)), len(b); got != want {
			t.Fatalf("asciiPrefix(%q) = %d, want %d", string(b)+"é", got, want)
		}
	}
}

// TestTermTableGrow counts more distinct terms than the table starts
// with, in two documents, so that it grows and is reset after growing.
func TestTermTableGrow(t *testing.T) {
	tt := newTermTable()
	var b strings.Builder
	for i := range 5000 {
		b.WriteString("t")
		for j := i; j > 0; j /= 26 {
			b.WriteByte(byte('a' + j%26))
		}
		b.WriteString(" common ")
	}
	for _, text := range []string{b.String(), "common Common COMMON", b.String()} {
		want, wantN := eachTokenCounts(text, "", 5)
		got, gotN := tableCounts(tt, text, "", 5)
		if gotN != wantN || !maps.Equal(got, want) {
			t.Errorf("%d distinct terms: scan counted %d tokens, %d terms; eachToken %d, %d", len(want), gotN, len(got), wantN, len(want))
		}
	}
}

// TestIndexerTermTables builds an index of more documents than are read
// at once (readChunk), so that the workers' tables know the IDs of terms
// from earlier chunks, with tables that keep every term and with tables
// that forget them every few documents; the files must be Build's as it
// was (referenceBuild).
func TestIndexerTermTables(t *testing.T) {
	opts := []Option{WithShardBytes(2000), WithDocsPerShard(5)}
	docs := append(syntheticCorpus(2*readChunk+50, 150, 4), seedDocs...)
	want, err := referenceBuild(docs, opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer func(n int) { maxLive = n }(maxLive)
	for _, keep := range []int{maxLive, 300} {
		maxLive = keep
		for _, once := range []bool{false, true} {
			o := opts
			if once {
				o = append(o, WithOneBuild())
			}
			got, err := NewIndexer(o...).Build(slices.Clone(docs))
			if err != nil {
				t.Fatal(err)
			}
			if diff := diffFiles(got, want); diff != "" {
				t.Errorf("tables of %d terms, one build %v: the files are not Build's: %s", keep, once, diff)
			}
		}
	}
}

func FuzzTermTableCounts(f *testing.F) {
	for _, c := range countCases {
		f.Add(c, "Title")
	}
	tt := newTermTable()
	f.Fuzz(func(t *testing.T, text, title string) {
		want, wantN := eachTokenCounts(text, title, 5)
		got, gotN := tableCounts(tt, text, title, 5)
		if gotN != wantN || !maps.Equal(got, want) {
			t.Errorf("text %q title %q: scan counted %d tokens %v, eachToken %d %v", text, title, gotN, got, wantN, want)
		}
	})
}

// BenchmarkTokenise tokenises 3,000 documents whose terms the dictionary
// has (as most are, after the first chunks of a build), with tables that
// keep up to maxLive terms.
func BenchmarkTokenise(b *testing.B) {
	docs := syntheticCorpus(3000, 800, 40)
	x := NewIndexer()
	if _, err := x.Build(docs); err != nil {
		b.Fatal(err)
	}
	defer func(n int) { maxLive = n }(maxLive)
	for _, keep := range []int{0, 1 << 10, 1 << 12, 1 << 14, 1 << 16} {
		b.Run(fmt.Sprint(keep), func(b *testing.B) {
			maxLive = keep
			for b.Loop() {
				tt := newTermTable()
				for _, d := range docs {
					x.tokenise(d, tt, nil)
				}
			}
		})
	}
}
