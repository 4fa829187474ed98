package ingest

import (
	"strings"
	"testing"
)

// lines joins its arguments with newlines, so cases read like seeds.
func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

func TestInferTitleAndStandfirst(t *testing.T) {
	for _, tc := range []struct {
		name, seed      string
		title, subtitle string
		firstPara       string
	}{
		{"banner is not the title",
			lines("This article is more than 1 year old", "", "Real headline here", "", "Body text that is long enough to be a body paragraph, with a full stop."),
			"Real headline here", "", "Body text that is long enough to be a body paragraph, with a full stop."},
		{"story banner in other words",
			lines("This story is more than 2 years old", "Headline", "", "Body."),
			"Headline", "", "Body."},
		{"standfirst: short line without a full stop",
			lines("Headline", "", "Multinational cop agency reportedly set to issue statement", "", "Body."),
			"Headline", "Multinational cop agency reportedly set to issue statement", "Body."},
		{"a sentence with a full stop is body, not standfirst",
			lines("Headline", "", "International police body Interpol has joined the list.", "", "More."),
			"Headline", "", "International police body Interpol has joined the list."},
		{"Techdirt dept line",
			lines("Headline", "", "from the wait-that-sounded-better dept", "", "Body."),
			"Headline", "from the wait-that-sounded-better dept", "Body."},
		{"image alt text between headline and body is neither",
			lines("Headline", "", "Abstract image showing two hands holding phones", "", "Short line no stop here either", "", "Body."),
			"Headline", "", "Short line no stop here either"},
		{"two words are too few for a standfirst",
			lines("Headline", "", "Breaking news", "", "Body."),
			"Headline", "", "Breaking news"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Segment(tc.seed, "", 1)
			if d.Title != tc.title || d.Subtitle != tc.subtitle {
				t.Errorf("title %q subtitle %q, want %q %q\nseed:\n%s", d.Title, d.Subtitle, tc.title, tc.subtitle, tc.seed)
			}
			if len(d.Body) == 0 || d.Body[0].Text() != tc.firstPara {
				t.Errorf("body %+v, want first paragraph %q", d.Body, tc.firstPara)
			}
		})
	}
}

func TestInferAuthorDateSource(t *testing.T) {
	for _, tc := range []struct {
		name, seed                string
		author, date, source, why string
	}{
		{"reporting credit",
			lines("H", "", "Body.", "", "Reporting by Joseph Menn; editing by Diane Craft"),
			"Joseph Menn", "", "", "reporting credit"},
		{"reporting credit with a city",
			lines("H", "", "Body.", "", "Reporting by Jane Doe in London; Editing by Bob Roe"),
			"Jane Doe", "", "", "reporting credit"},
		{"byline under the headline",
			lines("H", "", "By Sean Gallagher", "", "Body."),
			"Sean Gallagher", "", "", "byline"},
		{"byline with a role",
			lines("H", "", "By Connor Jones, News and Analysis Editor", "", "Body."),
			"Connor Jones", "", "", "byline"},
		{"author bio block",
			lines("H", "", "Body.", "", "Connor Jones", "News and Analysis Editor", "", "Connor Jones has been at the forefront of news."),
			"Connor Jones", "", "", "author bio"},
		{"bio must start with the name",
			lines("H", "", "Body.", "", "Connor Jones", "News and Analysis Editor", "", "Somebody else has been here."),
			"", "", "", ""},
		{"date line under the headline",
			lines("H", "", "18 November 2019", "", "Body."),
			"", "2019-11-18", "", "date line"},
		{"published date line",
			lines("H", "", "Published: November 18, 2019", "", "Body."),
			"", "2019-11-18", "", "date line"},
		{"The Register's timestamp",
			lines("H", "", "Mon 18 Nov 2019 // 11:33 UTC", "", "Body."),
			"", "2019-11-18T11:33:00Z", "", "date line"},
		{"relative days are not dates",
			lines("H", "", "Body that says the statement comes Monday.", "", "Sunday"),
			"", "", "", ""},
		{"feed footer link",
			lines("H", "", "Body.", "", "from Hacker News https://ift.tt/32TRMOy"),
			"", "", "https://ift.tt/32TRMOy", "feed footer link"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Segment(tc.seed, "", 1)
			if d.Author != tc.author || d.Date != tc.date || d.SourceURL != tc.source {
				t.Errorf("author %q date %q source %q, want %q %q %q\nseed:\n%s", d.Author, d.Date, d.SourceURL,
					tc.author, tc.date, tc.source, tc.seed)
			}
			if tc.why != "" {
				found := false
				for _, w := range d.Why {
					found = found || w == tc.why
				}
				if !found {
					t.Errorf("why = %v, want a key inferred by %q", d.Why, tc.why)
				}
			}
			for _, p := range d.Body {
				if tc.why != "" && strings.Contains(p.Text(), "Connor Jones") || strings.Contains(p.Text(), "Hacker News") ||
					strings.HasPrefix(p.Text(), "By ") || strings.Contains(p.Text(), "2019") {
					t.Errorf("furniture left in the body: %q", p.Text())
				}
			}
		})
	}
}

func TestInferOutlet(t *testing.T) {
	for _, tc := range []struct {
		name, seed, outlet string
	}{
		{"Reuters dateline", lines("H", "", "SAN FRANCISCO (Reuters) - Interpol plans things.", "", "More."), "Reuters"},
		{"Register sign-off", lines("H", "", "Body.", "", "Last words of the piece. ®"), "The Register"},
		{"Techdirt furniture", lines("H", "", "Body.", "", "Add Your Comment", "", "Follow Techdirt"), "Techdirt"},
		{"Techdirt dept line", lines("H", "", "from the oops dept", "", "Body."), "Techdirt"},
		{"ITPro in an author bio", lines("H", "", "Body.", "", "Connor Jones", "Staff Writer", "",
			"Connor Jones has appeared on the ITPro Podcast."), "ITPro"},
		{"told Ars", lines("H", "", "Attendees told Ars that it was so.", "", "More."), "Ars Technica"},
		{"quoting another outlet is not evidence",
			lines("H", "", "Three people told financial newswire Reuters yesterday.", "", "A draft seen by Reuters said so."), ""},
		{"naming Ars Technica's reporter is not evidence",
			lines("H", "", "Sean Gallagher of Ars Technica obtained a draft copy.", "", "Quote."), ""},
		{"a tie leaves it empty",
			lines("H", "", "SAN FRANCISCO (Reuters) - Words.", "", "Last. ®"), ""},
		{"nothing leaves it empty", lines("H", "", "Body."), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Segment(tc.seed, "", 1)
			if d.Outlet != tc.outlet {
				t.Errorf("outlet %q (%s), want %q\nseed:\n%s", d.Outlet, d.Why["outlet"], tc.outlet, tc.seed)
			}
		})
	}
}

func TestParseDateLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"18 November 2019", "2019-11-18"},
		{"Nov 18, 2019", "2019-11-18"},
		{"Monday, November 18, 2019", "2019-11-18"},
		{"posted on 2019-11-18", "2019-11-18"},
		{"November 18, 2019 4:58 AM", "2019-11-18T04:58:00"},
		{"2019-11-18T04:58:00+01:00", "2019-11-18T04:58:00+01:00"},
		{"Mon 18 Nov 2019 // 11:33 UTC", "2019-11-18T11:33:00Z"},
		{"Monday", ""},
		{"The event took place on November 12", ""},
		{"18 Novembre 2019", ""},
	} {
		have, ok := parseDateLine(tc.in)
		if have != tc.want || ok != (tc.want != "") {
			t.Errorf("parseDateLine(%q) = %q, %v; want %q", tc.in, have, ok, tc.want)
		}
	}
}

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ title, want string }{
		{"Interpol: Strong encryption helps online predators. Build backdoors", "interpol-strong-encryption-helps-online-predators"},
		{"Interpol Confirms, Denies It's Against Strong Encryption", "interpol-confirms-denies-its-against-strong-encryption"},
		{"Think of the children: FBI sought Interpol statement against end-to-end crypto", "think-of-the-children-fbi-sought-interpol-statement"},
		{"Ça coûte cher: l’Élysée répond", "ca-coute-cher-lelysee-repond"},
		{"Short", "short"},
		{"U.S. and E.U. agree. Big news", "u-s-and-e-u-agree-big-news"},
		{"   ", ""},
		{strings.Repeat("x", 80), strings.Repeat("x", MaxSlug)},
	} {
		have := Slug(tc.title)
		if have != tc.want {
			t.Errorf("Slug(%q) = %q, want %q", tc.title, have, tc.want)
		}
		if len(have) > MaxSlug {
			t.Errorf("Slug(%q) is %d bytes, over %d", tc.title, len(have), MaxSlug)
		}
	}
}
