package search

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// commonWords are the most frequent English words, in rank order; the
// synthetic corpus draws words by a Zipf law over this list, then topical
// words, then made-up words, so that term frequencies look like news text.
var commonWords = strings.Fields(`the of and to a in that is was he for it with as his on be at by
i this had not are but from or have an they which one you were her all she there would their we
him been has when who will more no if out so said what up its about into than them can only other
new some could time these two may then do first any my now such like our over man me even most made
after also did many before must through back years where much your way well down should because
each just those people how too little state good very make world still own see men work long get
here between both life being under never day same another know while last might us great old year
off come since against go came right used take three`)

// topicalWords are inserted at Zipf ranks 300, 330, 360, ..., so they are
// frequent (in a few percent to a quarter of the articles) but not stop terms.
var topicalWords = strings.Fields(`police encryption interpol government companies children
security data access law technology predators backdoor resolution statement draft officials
agency reuters privacy apple google facebook messaging enforcement court warrant lawmakers
minister surveillance devices providers platforms abuse exploitation sexual online internet`)

// syntheticCorpus returns n articles of about words words each, from a
// fixed seed, over outlets outlets.
func syntheticCorpus(n, words, outlets int) []Doc {
	r := rand.New(rand.NewPCG(7, 11))
	vocab := append([]string{}, commonWords...)
	syll := strings.Fields("ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo fu ga ge gi go gu la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu za ze zi zo zu tion ment ness ing er ly al")
	for len(vocab) < 60000 {
		k := 2 + r.IntN(3)
		var w strings.Builder
		for range k {
			w.WriteString(syll[r.IntN(len(syll))])
		}
		vocab = append(vocab, w.String())
	}
	for i, w := range topicalWords {
		vocab[300+30*i] = w
	}
	zipf := rand.NewZipf(r, 1.07, 2, uint64(len(vocab)-1))
	start := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	docs := make([]Doc, n)
	for i := range docs {
		var b strings.Builder
		for w := range words {
			if w > 0 {
				if w%17 == 0 {
					b.WriteString(". ")
				} else {
					b.WriteByte(' ')
				}
			}
			b.WriteString(vocab[zipf.Uint64()])
		}
		title := vocab[zipf.Uint64()] + " " + vocab[zipf.Uint64()] + " " + vocab[zipf.Uint64()]
		docs[i] = Doc{
			URL:    fmt.Sprintf("/articles/a%05d/", i),
			Title:  strings.ToUpper(title[:1]) + title[1:],
			Kind:   Article,
			Outlet: fmt.Sprintf("Outlet %02d", i%outlets),
			Date:   start.AddDate(0, 0, i/3),
			Text:   b.String(),
		}
	}
	return docs
}
