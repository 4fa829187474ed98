package ingest

import (
	"fmt"
	"strings"
	"testing"
)

// prose is article text long enough for Readability to take the block
// holding it as the article: n paragraphs, each a distinct sentence pair.
func prose(from, n int) string {
	var b strings.Builder
	for i := from; i < from+n; i++ {
		fmt.Fprintf(&b, "<p>Paragraph %d of the story tells how the council met on Tuesday evening and voted on the budget, which had been argued over for months. "+
			"Residents who spoke at the meeting said the plan for item %d would cost more than the city could afford, and asked for a delay.</p>\n", i, i)
	}
	return b.String()
}

func page(head, article string) []byte {
	return []byte(`<!doctype html><html lang="en"><head><title>Council votes on budget - The Daily</title>
<meta property="og:site_name" content="The Daily">` + head + `</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<main><article><h1>Council votes on budget</h1>` + article + `</article></main>
<footer>© The Daily</footer></body></html>`)
}

// TestPageFurniture checks the rules that take what is not the article out
// of the text Readability finds: each case has text that must stay and
// text that must go.
func TestPageFurniture(t *testing.T) {
	for _, tc := range []struct {
		name       string
		head, body string
		keep, drop []string
		author     string
	}{
		{
			name: "caption and credit marked by class",
			body: `<div class="InlineImage-imageEmbed"><p class="InlineImage-imageEmbedCaption">The mayor at the council meeting on Tuesday night in the old hall</p>
<p class="InlineImage-imageEmbedCredit">Jane Roe | Getty</p></div>` + prose(1, 4),
			keep: []string{"Paragraph 1 of the story"},
			drop: []string{"The mayor at the council meeting", "Jane Roe"},
		},
		{
			name:   "a BEM modifier does not make a header a promotion",
			body:   `<header class="content__header content__header--no-promo"><p class="content__meta content__meta-byline">By Stefan Becket, Kathryn Watson, Grace Segers</p></header>` + prose(1, 4),
			keep:   []string{"Paragraph 4"},
			drop:   []string{"By Stefan Becket"},
			author: "Stefan Becket, Kathryn Watson and Grace Segers",
		},
		{
			name: "a person's card shown on hover",
			body: `<p>Gov. <a href="/people/kristi-noem">Kristi Noem</a><span class="rollover-people-block"><img src="x.jpg"><a href="/people/kristi-noem">Kristi Lynn Noem</a><a href="/a">South Dakota drops pipeline protest laws after lawsuit</a> <a href="/b">New law requiring sign to hang in public schools</a></span> said on Monday that the campaign was working.</p>` + prose(1, 4),
			keep: []string{"Gov. Kristi Noem said on Monday that the campaign was working."},
			drop: []string{"Kristi Lynn Noem", "pipeline protest"},
		},
		{
			name: "other stories inside the article, the article going on after them",
			body: prose(1, 3) + `<p><strong>DON'T MISS</strong></p><p><a href="/x">China furious at Macron for Hong Kong protest jibe</a></p><p><a href="/y">Lakers vs Nets: NBA make final decision</a></p>` + prose(4, 3),
			keep: []string{"Paragraph 1 of", "Paragraph 6 of"},
			drop: []string{"DON'T MISS", "China furious", "Lakers vs Nets"},
		},
		{
			name: "other stories at the end, under a heading",
			body: prose(1, 3) + `<p>You may also like...</p><p><a href="/x">Who will make the Rock Hall in 2020?</a></p><p><a href="/y">Fans really want The Doobie Brothers in the Rock Hall</a></p><p><a href="/z">25 worst Rock and Roll Hall of Fame inductees ever</a></p>`,
			keep: []string{"Paragraph 3 of"},
			drop: []string{"You may also like", "Who will make", "25 worst"},
		},
		{
			name: "Read More late in the story, the story going on after it",
			body: prose(1, 5) + `<div class="expand"><h3>Read More</h3></div>` + prose(6, 2),
			keep: []string{"Paragraph 5 of", "Paragraph 6 of", "Paragraph 7 of"},
			drop: []string{"Read More"},
		},
		{
			name: "a late heading over other stories' linked headlines",
			body: prose(1, 5) + `<h3>Want more stories like this?</h3><p>Every day we send an email with the top stories of the day to all of our readers.</p>` +
				`<div><h2><a href="/k">Watching This Koala Get Rescued From A Bushfire</a></h2><p>Dozens of bushfires are spreading across Australia, burning across more than two million acres and putting koalas in harm's way every day now.</p></div>` +
				`<div><h2><a href="/b">Can Babies Learn To Love Vegetables?</a></h2><p>No diet has been more obsessively studied, more fiercely controlled, or more anxiously stage-managed than baby food, and yet we still get it wrong.</p></div>`,
			keep: []string{"Paragraph 5 of"},
			drop: []string{"Want more stories", "Koala", "Dozens of bushfires", "Babies"},
		},
		{
			name: "a wire's rights notice closing the story",
			body: prose(1, 3) + `<p><em>© 2019 Associated Press. All Rights Reserved. This material may not be published, broadcast, rewritten, or redistributed.</em></p><div class="comments"><h3>Comments</h3></div>`,
			keep: []string{"Paragraph 3 of", "© 2019 Associated Press. All Rights Reserved."},
		},
		{
			name: "a rights line with the story going on after it",
			body: prose(1, 2) + `<p>© 2019 Jane Roe. All rights reserved.</p>` + prose(3, 2),
			keep: []string{"Paragraph 4 of"},
			drop: []string{"Jane Roe"},
		},
		{
			name: "a run of headlines under More:",
			body: prose(1, 2) + `<h4>More:</h4><ul><li><h4><a href="/a">Afghan woman politician sees talks as only hope</a></h4></li></ul><ul><li><h4><a href="/b">China invites officials for two-day talks</a></h4></li></ul>` + prose(3, 3),
			keep: []string{"Paragraph 2 of", "Paragraph 5 of"},
			drop: []string{"More:", "Afghan woman", "China invites"},
		},
		{
			name: "a post quoted from a social network is kept",
			body: prose(1, 3) + `<div class="social-media-embed"><blockquote class="twitter-tweet"><p lang="en">Yes this is real and yes the state spent nearly half a million dollars on it</p>— Dianna E. Anderson (@diannaeanderson) <a href="https://twitter.com/x/status/1">November 18, 2019</a></blockquote><script src="https://platform.twitter.com/widgets.js"></script></div>` + prose(4, 2),
			keep: []string{"Yes this is real and yes the state spent", "Paragraph 5 of"},
		},
		{
			name: "a press release's boilerplate after a rule",
			body: prose(1, 4) + `<hr><p>Ascom is a global solutions provider focused on healthcare ICT and mobile workflow solutions, with subsidiaries in 15 countries.</p>`,
			keep: []string{"Paragraph 4 of"},
			drop: []string{"Ascom is a global"},
		},
		{
			name: "notices, shortcodes, credits, datelines and promotions",
			body: `<p>November 18, 2019 | 4:10pm</p>` + prose(1, 3) +
				`<p>CLICK HERE TO GET THE DAILY NEWS APP</p>` + prose(4, 2) +
				`<p>[button link="http://example.com/submit/" type="big"] Send us YOUR review[/button]</p>
<p>This slideshow requires JavaScript.</p>
<p>(Reporting by Jane Roe; editing by John Doe)</p>
<p>Have a tip? Jane Roe may be reached at jroe@example.com.</p>
<p>This website uses cookies to improve your experience. We'll assume you're ok with this.</p>`,
			keep: []string{"Paragraph 1 of", "Paragraph 5 of"},
			drop: []string{"4:10pm", "CLICK HERE", "[button", "requires JavaScript", "Reporting by", "Have a tip", "uses cookies"},
		},
		{
			name: "a rail of teasers: same class, a link and a short text each",
			body: prose(1, 3) + `<div class="sun-row">` + strings.Repeat(`<div class="rail__item"><div class="rail__item-image"><a href="/s"><img src="s.jpg"></a></div><div class="rail__item-content"><h3>TIME TRAVELLER</h3><p><span>Conspiracy theorists say they have spotted a climate activist in an old picture</span></p></div></div>`, 4) + `</div>` + prose(4, 1),
			keep: []string{"Paragraph 4 of"},
			drop: []string{"TIME TRAVELLER", "Conspiracy theorists"},
		},
		{
			name: "teasers in the paragraph of their heading, the article going on after them",
			body: prose(1, 5) + `<p><strong>DON'T MISS</strong><br><a href="/a">Plague warning: CDC names eight deadly diseases</a><br><a href="/b">Black Death fears: holiday island on alert</a></p>` + prose(6, 2),
			keep: []string{"Paragraph 6 of", "Paragraph 7 of"},
			drop: []string{"DON'T MISS", "Plague warning"},
		},
		{
			name: "a short paragraph after teasers that share their heading's paragraph is the article's",
			body: prose(1, 5) + `<p><strong>DON'T MISS</strong><br><a href="/a">Plague warning: CDC names eight deadly diseases</a><br><a href="/b">Black Death fears: holiday island on alert</a></p><p>The council will meet again next week.</p>` + prose(6, 2),
			keep: []string{"The council will meet again next week.", "Paragraph 6 of"},
			drop: []string{"DON'T MISS", "Plague warning"},
		},
		{
			name: "datelines in other languages",
			body: `<p>segunda-feira, 22 de janeiro de 2018 às 0:13</p><p>Publié le 5 mars 2019 à 10h12</p><p>Aktualisiert am 5. März 2019, 10:12 Uhr</p><p>Publicado em 5 de março de 2019</p>` + prose(1, 4),
			keep: []string{"Paragraph 1 of", "Paragraph 4 of"},
			drop: []string{"janeiro", "mars 2019", "März", "março"},
		},
		{
			name: "comment policies, and news about comments and moderates",
			body: prose(1, 2) + `<p>His comments create a challenge for Warren and Sanders and an opening for moderates to attack.</p>
<p>YouTube said on Monday that comments on videos of children would be moderated by hand.</p>` + prose(3, 2) + `<p>ATENÇÃO: Comentários com textos ininteligíveis ou que faltem com respeito ao usuário não serão aprovados pelo moderador.</p>
<p>Comments are moderated and will appear once approved.</p><p>Les commentaires sont modérés.</p>`,
			keep: []string{"His comments create a challenge", "would be moderated by hand", "Paragraph 4 of"},
			drop: []string{"ATENÇÃO", "Comments are moderated", "Les commentaires"},
		},
		{
			name:   "the author's name: a byline under the headline, a bio after the text",
			head:   `<meta name="author" content="Regan">`,
			body:   `<p>by Regan September 15, 2014</p>` + prose(1, 4) + `<h5>Regan</h5><p>Regan is a Connecticut native now living in Massachusetts with her husband, two sons, and two cats.</p>`,
			keep:   []string{"Paragraph 4 of"},
			drop:   []string{"by Regan", "Connecticut native"},
			author: "Regan",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ConvertPage(Page{Seed: "seeds/x.html", HTML: page(tc.head, tc.body)})
			if err != nil {
				t.Fatal(err)
			}
			text := plainBody(r.Doc)
			flat := strings.Join(strings.Fields(text), " ")
			for _, k := range tc.keep {
				if !strings.Contains(flat, k) {
					t.Errorf("lost %q; text:\n%s", k, text)
				}
			}
			for _, d := range tc.drop {
				if strings.Contains(flat, d) {
					t.Errorf("kept %q; text:\n%s", d, text)
				}
			}
			if tc.author != "" && r.Doc.Author != tc.author {
				t.Errorf("author %q, want %q", r.Doc.Author, tc.author)
			}
		})
	}
}

// ConvertPage reads a UTF-8 page in place (decodeHTML does not copy it):
// nothing it returns may share the page's bytes, which the caller may
// reuse once it returns.
func TestConvertPageKeepsNoBytesOfThePage(t *testing.T) {
	for _, name := range []string{"utf-8", "no charset"} {
		head := `<title>Council votes on budget - The Daily</title><meta charset="utf-8">`
		if name == "no charset" {
			head = `<title>Council votes on budget - The Daily</title>`
		}
		src := page(head, "<h1>Council votes on budget</h1><p class=byline>By Jane Doe</p>"+prose(1, 6))
		r, err := ConvertPage(Page{Seed: "seeds/x.html", HTML: src})
		if err != nil {
			t.Fatal(err)
		}
		before := fmt.Sprintf("%q %+v", r.Content, *r.Doc)
		for i := range src {
			src[i] = 'x'
		}
		if after := fmt.Sprintf("%q %+v", r.Content, *r.Doc); after != before {
			t.Errorf("%s: the result changed with the page's bytes:\n%s\nwas\n%s", name, after, before)
		}
	}
}
