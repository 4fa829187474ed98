package cite_test

import (
	"fmt"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/cite"
)

func ExampleWork_All() {
	w := cite.Work{
		ID:        "interpol-reuters",
		Title:     "Interpol plans to condemn encryption spread, citing predators",
		Authors:   cite.SplitAuthors("Joseph Menn"),
		Outlet:    "Reuters",
		Date:      time.Date(2019, 11, 18, 4, 58, 0, 0, time.UTC),
		SourceURL: "https://www.reuters.com/article/idUSKBN1XR0S7",
		Permalink: "https://archive.example/articles/interpol-reuters/",
		Accessed:  time.Date(2019, 11, 20, 0, 0, 0, 0, time.UTC),
		Archive:   "Interpol Encryption Archive",
	}
	set, err := w.All()
	if err != nil {
		panic(err)
	}
	fmt.Println(set.Note)
	fmt.Print(set.BibTeX)
	for _, m := range set.Scholar {
		fmt.Printf("<meta name=%q content=%q>\n", m.Name, m.Content)
	}
	// Output:
	// Joseph Menn, “Interpol plans to condemn encryption spread, citing predators,” Reuters, November 18, 2019, https://www.reuters.com/article/idUSKBN1XR0S7; archived in Interpol Encryption Archive, https://archive.example/articles/interpol-reuters/, accessed November 20, 2019.
	// @article{menn2019interpol,
	//   author = {Menn, Joseph},
	//   title = {{Interpol plans to condemn encryption spread, citing predators}},
	//   journal = {Reuters},
	//   date = {2019-11-18},
	//   year = {2019},
	//   url = {https://www.reuters.com/article/idUSKBN1XR0S7},
	//   urldate = {2019-11-20},
	//   note = {Archived in Interpol Encryption Archive, \url{https://archive.example/articles/interpol-reuters/}},
	//   month = nov,
	// }
	// <meta name="citation_title" content="Interpol plans to condemn encryption spread, citing predators">
	// <meta name="citation_author" content="Menn, Joseph">
	// <meta name="citation_publication_date" content="2019/11/18">
	// <meta name="citation_journal_title" content="Reuters">
	// <meta name="citation_fulltext_html_url" content="https://archive.example/articles/interpol-reuters/">
}
