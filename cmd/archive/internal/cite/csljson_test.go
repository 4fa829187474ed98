package cite

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// marshalCSL is CSLJSON as it was: encoding/json.
func marshalCSL(it Item) string {
	b, err := json.MarshalIndent([]Item{it}, "", "  ")
	if err != nil {
		panic(err)
	}
	return string(append(b, '\n'))
}

// TestCSLJSONAsMarshal: the hand-written CSL-JSON is encoding/json's,
// byte for byte, for works and for items CSL never makes (empty names,
// dates without parts).
func TestCSLJSONAsMarshal(t *testing.T) {
	day := time.Date(2019, 11, 18, 0, 0, 0, 0, time.UTC)
	works := []Work{
		{},
		{ID: "x", Title: "T"},
		{Title: `Quotes "here" & <there> \ back`, Authors: []string{"Joseph Menn", "Ludwig van Beethoven Jr.", "Reuters Staff"},
			Outlet: "Reuters", Date: day, SourceURL: "https://x.example/a?b=1&c=2", Permalink: "https://archive.example/a/",
			Accessed: day.AddDate(7, 0, 3), Archive: "The Archive"},
		{Title: "ctl \x00\x01\x08\x0c\n\r\t\x1f\x7f end", Outlet: "Le Monde – “été”"},
		{Title: "bad \xff\xfe utf-8 \u2028 \u2029 \U0001F600", Permalink: "p"},
	}
	for _, w := range works {
		b, err := w.CSLJSON()
		if err != nil {
			t.Fatal(err)
		}
		if want := marshalCSL(w.CSL()); string(b) != want {
			t.Errorf("CSLJSON(%+v) =\n%s\nwant\n%s", w, b, want)
		}
	}
	for _, it := range []Item{
		{Type: "t", ID: "i", Author: []Name{{}, {Literal: "L"}, {Family: "F", Given: "G", Particle: "van", Suffix: "Jr."}}},
		{Type: "t", ID: "i", Issued: &Date{}, Accessed: &Date{DateParts: [][]int{}}},
		{Type: "t", ID: "i", Issued: &Date{DateParts: [][]int{nil, {}, {2020}, {-1, 2}}}},
	} {
		if got, want := string(it.appendJSON(nil)), marshalCSL(it); got != want {
			t.Errorf("appendJSON(%+v) =\n%s\nwant\n%s", it, got, want)
		}
	}
}

func FuzzCSLJSON(f *testing.F) {
	f.Add("Joseph Menn", "Interpol <Plans> & \"more\"", "Reuters", "https://x/?a&b", "The Archive", int64(1574035200))
	f.Add("\xff", "\u2028", "\x00", "", "", int64(0))
	f.Fuzz(func(t *testing.T, author, title, outlet, url, archive string, sec int64) {
		var d time.Time
		if sec != 0 {
			d = time.Unix(sec%(1<<40), 0).UTC()
		}
		w := Work{ID: url, Title: title, Authors: SplitAuthors(author), Outlet: outlet, Date: d, SourceURL: url,
			Permalink: archive + url, Accessed: d, Archive: archive}
		b, _ := w.CSLJSON()
		if want := marshalCSL(w.CSL()); string(b) != want {
			t.Fatalf("CSLJSON(%+v) =\n%s\nwant\n%s", w, b, want)
		}
	})
}

// TestAllAsEachForm: All, which parses names and builds the note once, is
// the forms made one by one.
func TestAllAsEachForm(t *testing.T) {
	day := time.Date(2019, 11, 18, 0, 0, 0, 0, time.UTC)
	for _, w := range []Work{
		{},
		{Title: "Why?", Outlet: "The Times", Permalink: "https://a.example/x/"},
		{Title: "Interpol Plans", Authors: []string{"Joseph Menn", "Ludwig van Beethoven Jr.", "Reuters Staff", "A B", "C D"},
			Outlet: "Reuters", Date: day, SourceURL: "https://reuters.com/x", Permalink: "https://archive.example/x/",
			Accessed: day.AddDate(0, 0, 3), Archive: "The Archive"},
	} {
		set, err := w.All()
		if err != nil {
			t.Fatal(err)
		}
		j, _ := w.CSLJSON()
		want := Set{Note: w.Note(), Parts: w.NoteParts(), BibTeX: w.BibTeX(), CSLJSON: string(j), Scholar: w.Scholar()}
		if !reflect.DeepEqual(set, want) {
			t.Errorf("All(%+v) =\n%#v\nwant\n%#v", w, set, want)
		}
	}
}
