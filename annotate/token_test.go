package annotate

import (
	"reflect"
	"testing"
)

// TestFastWordPaths: codesMarks and eachWord read plain ASCII words
// themselves and the rest through step; they must report exactly the words,
// codes, flags and offsets that scan does, and the document frequencies
// must count the same words.
func TestFastWordPaths(t *testing.T) {
	tests := []string{
		"",
		" ",
		"plain words only",
		"The U.S. and US and u.s. e.g. i.e.",
		"world’s world's worldʼs don't 'quoted' rock 'n' roll",
		"end-to-end end–to–end 3.14 1,000 A.",
		"[T]he [a] resolution [sic] ok [...] [ ] [link](x) [b]ut",
		"ＦＵＬＬ ﬁne Straße Ünïcödé naïve café",
		"a … b ... c [...] d. . . e",
		"bad\xffbyte \xc3 trailing\xe2\x80",
		"First sentence. Second one! Third? yes\n\nNew paragraph\n  \nand \"quotes\" too",
		"x.y a.b.c. I.B.M. U.S.A.'s",
		"tab\tseparated\rcarriage\u00a0nbsp\u200bzero-width",
		"word",
		"ends with apostrophe' and point.",
	}
	// Every markEvery-th word is marked; a long text crosses several marks.
	long := ""
	for _, s := range tests {
		long += s + " "
	}
	tests = append(tests, long+long+long)
	for _, text := range tests {
		sc := newScanner(false, false)
		var want []wcode
		var wantMarks []uint32
		type word struct {
			start, end int
			code       uint32
		}
		var wantWords []word
		var wantCodes []uint32
		sc.scan(text, func(t tok) {
			if t.kind != tWord && t.kind != tWild {
				return
			}
			if len(want)%markEvery == 0 {
				wantMarks = append(wantMarks, uint32(t.start))
			}
			want = append(want, pack(t))
			code := t.code
			if t.kind == tWild {
				code = codeWild
			} else {
				wantCodes = append(wantCodes, t.code)
			}
			wantWords = append(wantWords, word{t.start, t.end, code})
		})
		df, wantDF := newDFCounter(10), newDFCounter(10)
		for _, c := range wantCodes {
			wantDF.add(3, c)
		}
		have, haveMarks := newScanner(false, false).codesMarks(text, nil, nil, df, 3)
		if !reflect.DeepEqual(have, want) || !reflect.DeepEqual(haveMarks, wantMarks) {
			t.Errorf("codesMarks(%q) = %v, %v; scan gives %v, %v", text, have, haveMarks, want, wantMarks)
		}
		if !reflect.DeepEqual(df.cells, wantDF.cells) {
			t.Errorf("codesMarks(%q) counted other words than scan reports", text)
		}
		var haveWords []word
		newScanner(false, false).eachWord(text, func(start, end int, code uint32) {
			haveWords = append(haveWords, word{start, end, code})
		})
		if !reflect.DeepEqual(haveWords, wantWords) {
			t.Errorf("eachWord(%q) = %v; scan gives %v", text, haveWords, wantWords)
		}
		for n := 0; n <= len(wantWords); n++ {
			start, end, ok := sc.nthWord(text, n)
			if n == len(wantWords) {
				if ok {
					t.Errorf("nthWord(%q, %d) = %d, %d; scan gives %d words", text, n, start, end, n)
				}
			} else if w := wantWords[n]; !ok || start != w.start || end != w.end {
				t.Errorf("nthWord(%q, %d) = %d, %d, %v; scan gives %d, %d", text, n, start, end, ok, w.start, w.end)
			}
		}
	}
}
