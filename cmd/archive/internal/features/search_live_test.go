package features_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/archive-project/archive/cmd/archive/internal/features"
	"github.com/archive-project/archive/cmd/archive/internal/search"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// TestLiveEditSearchable: in archive serve, the build that answers an edit
// (passages carried over, the index otherwise left for the follow-up)
// already finds the edited article by its new words, and no longer by the
// words it lost; the follow-up build is the full build.
func TestLiveEditSearchable(t *testing.T) {
	fsys, arts := testSite()
	b := site.NewBuilder(fsys, features.LiveOptions()...)
	ctx := context.Background()
	if _, _, err := b.Build(ctx, nil); err != nil {
		t.Fatal(err)
	}
	find := func(out *site.Output, word string) []string {
		t.Helper()
		res, err := search.Search(func(p string) ([]byte, error) {
			data, ok := out.Bytes("search/" + p)
			if !ok {
				return nil, fmt.Errorf("no search/%s", p)
			}
			return data, nil
		}, search.Query{Text: word + " "})
		if err != nil {
			t.Fatal(err)
		}
		var urls []string
		for _, h := range res.Hits {
			urls = append(urls, h.URL)
		}
		return urls
	}
	a := arts["content/b.md"]
	a.body[0] = "Beta begins with a xylophonist, not the bureau."
	arts["content/b.md"] = a
	fsys["content/b.md"] = a.file()
	out, _, err := b.Build(ctx, []string{"content/b.md"})
	if err != nil {
		t.Fatal(err)
	}
	if !b.Pending() {
		t.Fatal("the edit was not carried over: the test does not test the build that answers it")
	}
	if got := find(out, "xylophonist"); len(got) != 1 || got[0] != "/articles/b/" {
		t.Errorf("xylophonist finds %v, want /articles/b/", got)
	}
	if got := find(out, "fbi"); len(got) != 0 {
		t.Errorf("fbi, which the edit removed, finds %v", got)
	}
	if out, _, err = b.Build(ctx, []string{}); err != nil {
		t.Fatal(err)
	}
	fresh, err := site.Build(ctx, fsys, features.Options()...)
	if err != nil {
		t.Fatal(err)
	}
	if diff := diffOutputs(out, fresh); diff != "" {
		t.Errorf("the follow-up build is not the full build: %s", diff)
	}
}
