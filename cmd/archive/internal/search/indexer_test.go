package search

import (
	"bytes"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestIndexerFollowsChanges builds with one Indexer while documents change,
// one kind of change at a time, and checks every build against
// referenceBuild (Build as it was, with nothing kept between builds). An
// Indexer WithOneBuild, which lets go of what it read, builds beside it and
// must make the same files every time, keeping nothing.
func TestIndexerFollowsChanges(t *testing.T) {
	opts := []Option{WithShardBytes(700), WithDocsPerShard(3), WithStopTerms(0.3, 5)}
	docs := append(syntheticCorpus(120, 60, 4), seedDocs...)
	x := NewIndexer(opts...)
	once := NewIndexer(append(opts, WithOneBuild())...)
	at := func(url string) int {
		for i, d := range docs {
			if d.URL == url {
				return i
			}
		}
		t.Fatalf("no document %s", url)
		return -1
	}
	edit := func(url string, f func(*Doc)) func() {
		return func() { f(&docs[at(url)]) }
	}
	first := docs[0].URL
	var last map[string][]byte
	for _, tc := range []struct {
		name   string
		change func()
		same   bool // the files are the last build's
	}{
		{"first build", func() {}, false},
		{"nothing", func() {}, true},
		{"same text, new string", edit(first, func(d *Doc) { d.Text = strings.Clone(d.Text) }), true},
		{"text", edit(first, func(d *Doc) { d.Text += " zyzzyva" }), false},
		{"title", edit("/articles/register/", func(d *Doc) { d.Title = "Interpol: a new title" }), false},
		{"outlet", edit("/articles/register/", func(d *Doc) { d.Outlet = "El Reg" }), false},
		{"date", edit("/articles/register/", func(d *Doc) { d.Date = date("2019-11-30") }), false},
		{"kind", edit("/articles/register/", func(d *Doc) { d.Kind = Note }), false},
		{"removed", func() { docs = slices.Delete(docs, 3, 5) }, false},
		{"added", func() {
			docs = append(docs, Doc{URL: "/articles/new/", Title: "Brand new", Kind: Article, Text: "Words never seen before: quixotic xylophones."})
		}, false},
		{"a stop term stops being one", func() {
			for i := range docs[:len(docs)/2] {
				docs[i].Text = "replaced text"
			}
		}, false},
		{"most documents go: the dictionary is compacted", func() { docs = docs[len(docs)-10:] }, false},
		{"all go", func() { docs = nil }, false},
		{"some come back", func() { docs = append(syntheticCorpus(30, 60, 4), seedDocs[:2]...) }, false},
	} {
		tc.change()
		got, err := x.Build(slices.Clone(docs))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		want, err := referenceBuild(docs, opts...)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if diff := diffFiles(got, want); diff != "" {
			t.Errorf("%s: the Indexer's files are not Build's: %s", tc.name, diff)
		}
		gotOnce, err := once.Build(slices.Clone(docs))
		if err != nil {
			t.Fatalf("%s: one build: %v", tc.name, err)
		}
		if diff := diffFiles(gotOnce, want); diff != "" {
			t.Errorf("%s: the one-build Indexer's files are not Build's: %s", tc.name, diff)
		}
		if len(once.docs) > 0 || len(once.terms) > 0 || once.last != nil {
			t.Errorf("%s: the one-build Indexer kept %d documents, %d terms", tc.name, len(once.docs), len(once.terms))
		}
		if same := last != nil && reflect.ValueOf(got).Pointer() == reflect.ValueOf(last).Pointer(); same != tc.same {
			t.Errorf("%s: reused the last files = %v, want %v", tc.name, same, tc.same)
		}
		last = got
	}
	if len(x.terms) > 4096 {
		t.Errorf("the dictionary kept %d terms", len(x.terms))
	}
}

func TestIndexerBadOptions(t *testing.T) {
	if _, err := NewIndexer(WithShardBytes(0)).Build(seedDocs); err == nil {
		t.Error("no error for a shard size of 0")
	}
	x := NewIndexer()
	if _, err := x.Build([]Doc{{URL: "/a/", Kind: "page"}}); err == nil {
		t.Error("no error for a bad kind")
	}
	if _, err := x.Build(seedDocs); err != nil {
		t.Errorf("after an error: %v", err)
	}
}

// TestAppendTerm checks the fast JSON string against encoding/json.
func TestAppendTerm(t *testing.T) {
	for _, s := range []string{"interpol", "lyón", "σοφοσ", "a<b", "x&y", "q\"", "b\\s", "\u2028", "\x01", "\xff", ""} {
		j := appendTerm(nil, s)
		want, _ := jsonString(s)
		if string(j) != want {
			t.Errorf("appendTerm(%q) = %s, want %s", s, j, want)
		}
	}
}

func jsonString(s string) (string, error) {
	var b bytes.Buffer
	b.Write(refEncodeEntry(s, nil))
	return strings.TrimSuffix(b.String(), ":[]"), nil
}

func diffFiles(a, b map[string][]byte) string {
	var diff []string
	for p := range a {
		if _, ok := b[p]; !ok {
			diff = append(diff, "only the first has "+p)
		} else if !bytes.Equal(a[p], b[p]) {
			diff = append(diff, fmt.Sprintf("%s:\n%s\nvs\n%s", p, a[p], b[p]))
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			diff = append(diff, "only the second has "+p)
		}
	}
	slices.Sort(diff)
	if len(diff) > 3 {
		diff = append(diff[:3], "…")
	}
	return strings.Join(diff, "\n")
}

// BenchmarkIndexerEdit10k builds the index of 10,000 articles of 800 words
// again after one article's text changed (what the follow-up build of an
// edit in `archive serve` asks of the index), with the Indexer of the last
// build; BenchmarkBuild10k is the same from nothing. held-MB is the heap
// the Indexer keeps between builds (its documents' terms and snippets, the
// dictionary, the last files), which `archive serve` holds while it waits.
func BenchmarkIndexerEdit10k(b *testing.B) {
	docs := syntheticCorpus(10000, 800, 40)
	before := liveHeap()
	x := NewIndexer()
	if _, err := x.Build(docs); err != nil {
		b.Fatal(err)
	}
	held := liveHeap() - before
	i := 0
	for b.Loop() {
		d := &docs[i*97%len(docs)]
		d.Text += fmt.Sprintf(" edit%d", i)
		i++
		if _, err := x.Build(docs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(held)/(1<<20), "held-MB")
}

// liveHeap is the heap in use after a collection.
func liveHeap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// TestIndexerSameDate: a date read again (a new *time.Location, the same
// instant and offset) is no change, and the last files come back; a new
// offset that moves the shown day is one.
func TestIndexerSameDate(t *testing.T) {
	doc := func(loc *time.Location) []Doc {
		return []Doc{{URL: "/a/", Title: "A", Kind: Article, Text: "some words here",
			Date: time.Date(2019, 11, 18, 23, 30, 0, 0, loc)}}
	}
	x := NewIndexer()
	first, err := x.Build(doc(time.FixedZone("CET", 3600)))
	if err != nil {
		t.Fatal(err)
	}
	again, err := x.Build(doc(time.FixedZone("CET", 3600)))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%p", again) != fmt.Sprintf("%p", first) {
		t.Error("the same date in a new *time.Location rewrote the index")
	}
	moved, err := x.Build(doc(time.FixedZone("EET", 2*3600)))
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%p", moved) == fmt.Sprintf("%p", first) {
		t.Error("a new offset kept the old index")
	}
}

// TestIndexerLoads builds documents whose texts Load appends to the
// Indexer's buffer, which it uses again for the next document: the files
// must be those of the same documents with their Text, kept or not
// (WithOneBuild), whatever the buffer held before.
func TestIndexerLoads(t *testing.T) {
	opts := []Option{WithShardBytes(2000), WithDocsPerShard(5)}
	docs := append(syntheticCorpus(readChunk+40, 150, 4), seedDocs...)
	docs = append(docs, Doc{URL: "/articles/echo/", Title: "Echo", Kind: Article,
		Text: strings.Repeat("echo “curly” ᚠᚢᚦ ", 200)}) // counts over 127; runs of other runes
	want, err := referenceBuild(docs, opts...)
	if err != nil {
		t.Fatal(err)
	}
	loaded := slices.Clone(docs)
	for i := range loaded {
		text := loaded[i].Text
		loaded[i].Text, loaded[i].TextKey = "", uint64(i+1)
		loaded[i].Load = func(dst []byte) []byte { return append(dst, text...) }
	}
	for _, once := range []bool{false, true} {
		o := opts
		if once {
			o = append(o, WithOneBuild())
		}
		got, err := NewIndexer(o...).Build(slices.Clone(loaded))
		if err != nil {
			t.Fatal(err)
		}
		if diff := diffFiles(got, want); diff != "" {
			t.Errorf("one build %v: the files are not Build's of the texts: %s", once, diff)
		}
	}
}
