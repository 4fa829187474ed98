package ingest

import (
	"fmt"
	"strings"
	"testing"
)

// summary writes a Doc as short lines a test can compare: body paragraphs
// (Q for a quotation), comments, and the rules that removed lines.
func summary(d *Doc) string {
	var b strings.Builder
	for _, p := range d.Body {
		q := "P"
		if p.Quote {
			q = "Q"
		}
		fmt.Fprintf(&b, "%s %s\n", q, strings.ReplaceAll(p.Text(), "\n", "|"))
	}
	for _, c := range d.Comments {
		fmt.Fprintf(&b, "C %s [%s]\n", c.Name, c.Title)
		for _, p := range c.Paras {
			q := "  P"
			if p.Quote {
				q = "  Q"
			}
			fmt.Fprintf(&b, "%s %s\n", q, strings.ReplaceAll(p.Text(), "\n", "|"))
		}
	}
	for _, r := range d.Removed {
		fmt.Fprintf(&b, "- %s\n", r.Rule)
	}
	return b.String()
}

func TestFurnitureAndComments(t *testing.T) {
	for _, tc := range []struct {
		name, seed, want string
	}{
		{"Register tail",
			lines("H", "", "Body. ®", "", "More about", "", "", "Send us news", "", "Other stories you might like"),
			"P Body. ®\n- more-about\n- more-about\n- more-about\n"},
		{"image and photo caption",
			lines("H", "", "![](https://x/y.jpg \"t\")  ", "", "Body.", "", "FILE PHOTO: A man passes a logo. REUTERS/X", "", "End."),
			"P Body.\nP End.\n- image\n- photo-caption\n"},
		{"photo caption must stand alone",
			lines("H", "", "Body.", "Photo: inline mention in a paragraph"),
			"P Body.|Photo: inline mention in a paragraph\n"},
		{"read the rest",
			lines("H", "", "Body wa ..", "", "Support the originator by clicking the read the rest link below."),
			"P Body wa ..\n- read-the-rest\n"},
		{"feed footer after blank lines with spaces",
			lines("H", "", "Body.", "  ", "  ", "from Hacker News https://ift.tt/x"),
			"P Body.\n- feed-footer\n"},
		{"Techdirt comments",
			lines("H", "", "Body.", "", "Filed Under: , ,", "", "Rate this comment as insightful", "Flag this comment as abusive/trolling/spam",
				"", "Comments on “H”", "", "Subscribe: RSS Leave a comment", "2 Comments",
				"This comment has been deemed insightful by the community.", "That One Guy (profile) says:", "",
				"'Title one'", "", "First para.", "", "Second para.", "",
				"Anonymous Coward says:", "", "line one ,", "line two .", "",
				"Eldakka (profile) says:", "", "Quibble title", "", "One quibble:", "", "The latest law enforcement agency", "", "Not so.", "",
				"Add Your Comment", "", "Follow Techdirt"),
			"P Body.\n" +
				"C That One Guy ['Title one']\n  P First para.\n  P Second para.\n" +
				"C Anonymous Coward []\n  P line one ,|line two .\n" +
				"C Eldakka [Quibble title]\n  P One quibble:\n  Q The latest law enforcement agency\n  P Not so.\n" +
				"- filed-under\n- rating-widget\n- rating-widget\n- comments-heading\n- comment-subscribe\n- comment-count\n" +
				"- comment-badge\n- commenter\n- commenter\n- commenter\n- add-comment\n- add-comment\n"},
		{"says: in the article is not a commenter",
			lines("H", "", "If you can’t read the tweet, it says:", "", "Dear Ms Perlroth,", "", "As per our statement.", "", "After."),
			"P If you can’t read the tweet, it says:\nQ Dear Ms Perlroth,\nQ As per our statement.\nP After.\n"},
		{"a quotation after 'obtained a draft copy of'",
			lines("H", "", "Sean Gallagher of Ars Technica obtained a draft copy of the resolution, which adds more.", "",
				"The current path towards default end-to-end encryption.", "", "Encryption does not “provide safe havens”."),
			"P Sean Gallagher of Ars Technica obtained a draft copy of the resolution, which adds more.\n" +
				"Q The current path towards default end-to-end encryption.\nP Encryption does not “provide safe havens”.\n"},
		{"a paragraph already in quotation marks is not a block quote after 'obtained'",
			lines("H", "", "Reuters obtained a copy of the text.", "", "“Quoted,” it said.", "", "After."),
			"P Reuters obtained a copy of the text.\nP “Quoted,” it said.\nP After.\n"},
		{"colon inside a sentence does not introduce",
			lines("H", "", "It continued: \"Tech companies should.\"", "", "Next."),
			"P It continued: \"Tech companies should.\"\nP Next.\n"},
		{"newsletter, podcast and discord blocks end the article",
			lines("H", "", "Body.", "", "Techdirt Daily Newsletter", "", "Ctrl-Alt-Speech"),
			"P Body.\n- newsletter\n- newsletter\n"},
		{"comment count in the article text is kept",
			lines("H", "", "34 Comments were posted.", "", "1. Not a list"),
			"P 34 Comments were posted.\nP 1. Not a list\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			have := summary(Segment(tc.seed, "", 1))
			if have != tc.want {
				t.Errorf("seed:\n%s\nhave:\n%s\nwant:\n%s", tc.seed, have, tc.want)
			}
		})
	}
}

func TestFrontMatterTitleLineDropped(t *testing.T) {
	d := Segment(lines("Same headline", "", "Body."), "Same headline", 6)
	if len(d.Body) != 1 || d.Body[0].Text() != "Body." || d.Body[0].Line != 8 {
		t.Errorf("body %+v: the repeated headline should go, line numbers count from 6", d.Body)
	}
}

func TestMarkdownEscapes(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain “curly” text – kept ®", "plain “curly” text – kept ®"},
		{"a *starred* word and snake_case", `a \*starred\* word and snake\_case`},
		{"# not a heading", `\# not a heading`},
		{"> not a quote", `\> not a quote`},
		{"- not a list", `\- not a list`},
		{"+ not a list", `\+ not a list`},
		{"1. not a list", `1\. not a list`},
		{"2019) not a list", `2019\) not a list`},
		{"34 Comments", "34 Comments"},
		{"---", `\---`},
		{"===", `\===`},
		{"`code`", "\\`code\\`"},
		{`back\slash`, `back\\slash`},
		{"a <b>tag</b> and 1 < 2", `a \<b>tag\</b> and 1 < 2`},
		{"&amp; stays text, & too", `\&amp; stays text, & too`},
		{"[a] resolution", "[a] resolution"},
		{"[link](http://x)", `\[link\](http://x)`},
		{"[ref]: http://x", `\[ref\]: http://x`},
		{"~~struck~~", `\~\~struck\~\~`},
		{"|---|---|", `\|---\|---\|`},
		{"see https://example.com/a_b*c and www.x.org/_y_.", "see https://example.com/a_b*c and www.x.org/_y_."},
	} {
		if have := escapeLine(tc.in); have != tc.want {
			t.Errorf("escapeLine(%q) = %q, want %q", tc.in, have, tc.want)
		}
	}
}

func TestMarkdownShape(t *testing.T) {
	d := &Doc{
		Body: []Para{{Lines: []string{"Intro:"}}, {Lines: []string{"Dear X,"}, Quote: true},
			{Lines: []string{"As per."}, Quote: true}, {Lines: []string{"a", "b"}}},
		Comments: []Comment{{Name: "That One Guy", Title: "'Next'", Paras: []Para{{Lines: []string{"Text *here*."}}}},
			{Name: "Anonymous Coward", Paras: []Para{{Lines: []string{"one"}}}}},
	}
	want := "Intro:\n\n> Dear X,\n>\n> As per.\n\na\\\nb\n\n## Reader comments\n\n### That One Guy\n\n**'Next'**\n\nText \\*here\\*.\n\n### Anonymous Coward\n\none\n"
	if have := d.Markdown(); have != want {
		t.Errorf("have:\n%s\nwant:\n%s", have, want)
	}
}

// Text copied from real pages, as a new user pastes it: the navigation, the
// site's name, bylines and datelines in the common forms, share buttons,
// "Most read" and reader comments around the article.
func TestCapturedText(t *testing.T) {
	for _, tc := range []struct {
		name, text                  string
		title, author, date, outlet string
		comments                    int
		notInBody                   []string
	}{
		{"newspaper page", `Skip to main content

Home News Sport Business Tech

Police chiefs want a key to encrypted apps

By Jane Doe | March 3, 2021, 10:14 AM EST

Police chiefs from forty countries said on Tuesday that messaging apps should let investigators read messages.

Critics said any such key would weaken everyone's security.

Facebook Twitter Email

Most read

Another story entirely

A third story
`, "Police chiefs want a key to encrypted apps", "Jane Doe", "2021-03-03T10:14:00-05:00", "", 0,
			[]string{"Skip to main content", "Home News", "Facebook Twitter", "Most read", "Another story"}},
		{"blog post", `Crypto Notes

Why the police want your keys

Posted by John Roe on 3/4/2021

The debate over encryption has come back, and this time the police are asking nicely.

It will not end well for anyone who values privacy.

2 Comments

Alice Reader says:

This is worrying.

Bob Answer says:

Agreed.
`, "Why the police want your keys", "John Roe", "2021-03-04", "Crypto Notes", 2,
			[]string{"Crypto Notes", "Posted by", "Comments", "says:"}},
		{"dateline first", `Posted on March 5, 2021 by Ann Smith

Interpol backs encryption backdoors

Interpol's members backed a statement against encryption that hides child abuse.
`, "Interpol backs encryption backdoors", "Ann Smith", "2021-03-05", "", 0, []string{"Posted on"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Convert("seeds/x.txt", []byte(tc.text))
			if err != nil {
				t.Fatal(err)
			}
			d := r.Doc
			for _, c := range [][3]string{{"title", d.Title, tc.title}, {"author", d.Author, tc.author},
				{"date", d.Date, tc.date}, {"outlet", d.Outlet, tc.outlet}} {
				if c[1] != c[2] {
					t.Errorf("%s: have %q, want %q (why: %v)", c[0], c[1], c[2], d.Why)
				}
			}
			if len(d.Comments) != tc.comments {
				t.Errorf("%d comments, want %d", len(d.Comments), tc.comments)
			}
			body := d.Markdown()
			if i := strings.Index(body, CommentsHeading); i >= 0 {
				body = body[:i]
			}
			for _, f := range tc.notInBody {
				if strings.Contains(body, f) {
					t.Errorf("%q left in the body:\n%s", f, body)
				}
			}
		})
	}
}
