package search_test

import (
	"fmt"
	"slices"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/search"
)

// The site builds one Doc per article, shared passage and note, publishes
// the files at their paths and renders layouts/search.html with a Page.
func ExampleBuild() {
	docs := []search.Doc{
		{URL: "/articles/reuters/", Title: "Interpol plans to condemn encryption spread", Kind: search.Article,
			Outlet: "Reuters", Date: time.Date(2019, 11, 18, 0, 0, 0, 0, time.UTC),
			Text: "The international police organization Interpol plans to condemn the spread of strong encryption."},
		{URL: "/passages/p-0123456789/", Title: "“Tech companies should include mechanisms…”", Kind: search.Passage,
			Text: "Tech companies should include mechanisms in the design of their encrypted products."},
		{URL: "/articles/reuters/#note-1", Title: "Note", Kind: search.Note, Outlet: "Reuters",
			Text: "Reuters does not name its three sources."},
	}
	files, err := search.Build(docs)
	if err != nil {
		panic(err)
	}
	for _, p := range slices.Sorted(func(yield func(string) bool) {
		for p := range files {
			if !yield(p) {
				return
			}
		}
	}) {
		fmt.Println(p) // publish files[p] at "/" + p
	}
	page := search.NewPage(docs, "/search/", "/search.js", search.Choice{Value: "/#articles", Label: "articles by title"})
	fmt.Println(page.IndexURL, page.Kinds, page.Outlets)
	// Output:
	// search/d/0.json
	// search/index.json
	// search/t/0.json
	// /search/index.json [{article Articles} {passage Shared passages} {note Notes}] [{Reuters Reuters}]
}
