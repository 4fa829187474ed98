package search

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
)

// beginCorpus is articles (read by Begin) and passages and notes, which
// sort after every article (given to Finish).
func beginCorpus() (articles, rest []Doc) {
	docs := syntheticCorpus(900, 50, 3)
	for i := range docs {
		switch {
		case i%5 == 1:
			docs[i].Kind, docs[i].Outlet, docs[i].URL = Passage, "", fmt.Sprintf("/passages/p%05d/", i)
			rest = append(rest, docs[i])
		case i%11 == 2:
			docs[i].Kind, docs[i].URL = Note, fmt.Sprintf("/notes/n%05d/", i)
			rest = append(rest, docs[i])
		default:
			articles = append(articles, docs[i])
		}
	}
	return articles, rest
}

// TestBeginFinish: an index begun with the first documents (Begin) and
// finished with the rest (Finish) is Build's of them all, byte for byte,
// in whatever order each part comes; a document of the rest that sorts
// among the first makes Finish read everything again, to the same files.
func TestBeginFinish(t *testing.T) {
	articles, rest := beginCorpus()
	shuffled := slices.Clone(articles)
	slices.Reverse(shuffled)
	for _, tc := range []struct {
		name        string
		first, rest []Doc
		rereads     bool // Finish reads the first documents again
	}{
		{name: "articles, then passages and notes", first: articles, rest: rest},
		{name: "in any order", first: shuffled, rest: reversed(rest)},
		{name: "nothing after", first: articles},
		{name: "nothing first", rest: rest},
		{name: "an article among the rest", first: articles[:len(articles)-40], rest: append(slices.Clone(rest), articles[len(articles)-40:]...), rereads: true},
		{name: "a passage among the first", first: append(slices.Clone(articles), rest[0]), rest: rest[1:], rereads: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			all := append(slices.Clone(tc.first), tc.rest...)
			want, err := Build(all)
			if err != nil {
				t.Fatal(err)
			}
			var loads atomic.Int64 // Load runs on several workers
			first := slices.Clone(tc.first)
			for i := range first {
				text := first[i].Text
				first[i].Text, first[i].Load = "", func(dst []byte) []byte { loads.Add(1); return append(dst, text...) }
			}
			x := NewIndexer(WithOneBuild())
			if err := x.Begin(context.Background(), first); err != nil {
				t.Fatal(err)
			}
			if int(loads.Load()) != len(first) {
				t.Fatalf("Begin loaded %d texts of %d", loads.Load(), len(first))
			}
			got, err := x.Finish(context.Background(), slices.Clone(tc.rest))
			if err != nil {
				t.Fatal(err)
			}
			if d := diffFiles(got, want); d != "" {
				t.Fatalf("differs from Build:\n%s", d)
			}
			if reread := int(loads.Load()) > len(first); reread != tc.rereads {
				t.Errorf("Finish read the first documents again: %v, want %v", reread, tc.rereads)
			}
			// The Indexer is a new one's again.
			if err := x.Begin(context.Background(), articles[:1]); err != nil {
				t.Errorf("Begin after Finish: %v", err)
			}
		})
	}
}

func reversed(d []Doc) []Doc {
	d = slices.Clone(d)
	slices.Reverse(d)
	return d
}

func TestBeginFinishErrors(t *testing.T) {
	articles, rest := beginCorpus()
	ctx := context.Background()
	if err := NewIndexer().Begin(ctx, articles); err == nil {
		t.Error("Begin of an Indexer not made WithOneBuild: no error")
	}
	if _, err := NewIndexer(WithOneBuild()).Finish(ctx, rest); err == nil {
		t.Error("Finish without Begin: no error")
	}
	x := NewIndexer(WithOneBuild())
	if err := x.Begin(ctx, articles); err != nil {
		t.Fatal(err)
	}
	if err := x.Begin(ctx, articles); err == nil {
		t.Error("Begin twice: no error")
	}
	dup := append(slices.Clone(rest), Doc{URL: articles[3].URL, Title: "Again", Kind: Passage, Text: "again"})
	if files, err := x.Finish(ctx, dup); err == nil || files != nil {
		t.Errorf("a URL in both parts: %d files, %v; want an error", len(files), err)
	}
	if _, err := x.Finish(ctx, rest); err == nil {
		t.Error("Finish after a Finish that failed: no error")
	}
	bad := append(slices.Clone(articles[:3]), Doc{URL: "/x/", Kind: "essay"})
	if err := NewIndexer(WithOneBuild()).Begin(ctx, bad); err == nil {
		t.Error("a document of no known kind: no error")
	}
}

// TestBeginFinishStopped: Begin or Finish stopped at any check of the
// context returns its error and no files, and the Indexer begins again
// afresh to the files Build writes.
func TestBeginFinishStopped(t *testing.T) {
	articles, rest := beginCorpus()
	want, err := Build(append(slices.Clone(articles), rest...))
	if err != nil {
		t.Fatal(err)
	}
	stops := 0
	for after := 0; ; after++ {
		x := NewIndexer(WithOneBuild())
		ctx := &stopAfter{Context: context.Background(), after: after}
		err := x.Begin(ctx, articles)
		var files map[string][]byte
		if err == nil {
			files, err = x.Finish(ctx, rest)
		}
		if err == nil {
			if d := diffFiles(files, want); d != "" {
				t.Fatalf("not stopped (%d checks): differs from Build:\n%s", ctx.calls, d)
			}
			break
		}
		stops++
		if !errors.Is(err, context.Canceled) || files != nil {
			t.Fatalf("stopped at check %d: %d files, %v; want none and context.Canceled", after+1, len(files), err)
		}
		if err := x.Begin(context.Background(), articles); err != nil {
			t.Fatalf("stopped at check %d: Begin again: %v", after+1, err)
		}
		files, err = x.Finish(context.Background(), rest)
		if err != nil {
			t.Fatal(err)
		}
		if d := diffFiles(files, want); d != "" {
			t.Fatalf("stopped at check %d: the next index differs from Build:\n%s", after+1, d)
		}
	}
	if stops < 5 {
		t.Errorf("Begin and Finish checked their context %d times; want checks while they read and while they write", stops)
	}
}
