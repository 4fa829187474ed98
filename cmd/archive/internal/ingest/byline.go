package ingest

import (
	"regexp"
	"strings"
	"time"
)

// Bylines and datelines as outlets print them above or below a headline:
//
//	By Jane Doe
//	By Jane Doe and John Roe, Reuters
//	By Jane Doe | March 3, 2021, 10:14 AM EST
//	Posted by Jane Doe on 3/4/2021
//	Posted on March 3, 2021 by Jane Doe
//	Jane Doe | 3 March 2021
//	Published March 3, 2021 · Updated March 4, 2021
//
// parseByline reads the author and the date of such a line; rest is what
// is left of it when neither explains it all.

type byline struct {
	author, date, rest string
}

var (
	postedByOnRE = regexp.MustCompile(`^(?i:posted|written|published|filed)\s+by\s+(.+?)\s+(?i:on|at)\s+(.+)$`)
	postedOnByRE = regexp.MustCompile(`^(?i:posted|published|written|filed)?\s*(?i:on)?\s*(.+?)\s+(?i:by)\s+(.+)$`)
	byRE         = regexp.MustCompile(`^(?i:by)\s*:?\s+(.+)$`)
	bylineSepRE  = regexp.MustCompile(`\s*(?:\||·|•|—|–|/|\s-\s)\s*`)
	nameRE       = regexp.MustCompile(`^[\p{Lu}][\p{L}'’.-]*(?:\s+(?:[\p{Lu}][\p{L}'’.-]*|de|da|del|van|von|der|la|le|di|bin|al|el|ter|den))*$`)
	updatedRE    = regexp.MustCompile(`(?i)^(?:updated|last updated|modified)\b`)
	publishedRE  = regexp.MustCompile(`^(?i:published|posted|first published|originally published|date)(?:\s+on)?\s*:?\s*`)
)

// parseByline reads a byline or dateline; outlet is the outlet's name, which
// a byline may end with ("By Jane Doe, CNN") and which is not an author.
func parseByline(s, outlet string) byline {
	s = collapse(s)
	if s == "" || len(s) > 200 {
		return byline{rest: s}
	}
	if m := postedByOnRE.FindStringSubmatch(s); m != nil {
		if date, ok := parseDateText(m[2]); ok {
			if names := namesOf(m[1], outlet); names != "" {
				return byline{author: names, date: date}
			}
		}
	}
	if m := byRE.FindStringSubmatch(s); m != nil {
		parts := bylineSepRE.Split(m[1], -1)
		var by byline
		var rest []string
		for i, p := range parts {
			if i == 0 {
				// "Jane Doe, March 3, 2021" keeps its date after a comma.
				if j := strings.Index(p, ", "); j > 0 {
					if date, ok := parseDateText(p[j+2:]); ok {
						by.date, p = date, p[:j]
					}
				}
				by.author = namesOf(p, outlet)
				if by.author == "" {
					return byline{rest: s}
				}
				continue
			}
			if updatedRE.MatchString(p) {
				continue
			}
			if date, ok := parseDateText(p); ok {
				if by.date == "" {
					by.date = date
				}
				continue
			}
			if sameName(p, outlet) {
				continue
			}
			rest = append(rest, p)
		}
		by.rest = strings.Join(rest, " ")
		return by
	}
	if m := postedOnByRE.FindStringSubmatch(s); m != nil && publishedRE.MatchString(s) {
		if date, ok := parseDateText(m[1]); ok {
			if names := namesOf(m[2], outlet); names != "" {
				return byline{author: names, date: date}
			}
		}
	}
	// "Jane Doe | 3 March 2021" and date-only lines.
	parts := bylineSepRE.Split(s, -1)
	var by byline
	var rest []string
	for _, p := range parts {
		if updatedRE.MatchString(p) {
			continue
		}
		if date, ok := parseDateText(p); ok {
			if by.date == "" {
				by.date = date
			}
			continue
		}
		rest = append(rest, p)
	}
	if by.date != "" && len(rest) == 1 && len(parts) > 1 {
		if n := namesOf(rest[0], outlet); n != "" && len(strings.Fields(rest[0])) <= 4 {
			by.author, rest = n, nil
		}
	}
	by.rest = strings.Join(rest, " ")
	if by.date == "" {
		return byline{rest: s}
	}
	return by
}

var namesSplitRE = regexp.MustCompile(`\s*(?:,|;|\band\b|&)\s*`)

// namesOf reads the names in "Jane Doe and John Roe, Reuters", leaving out
// the outlet, roles and places; "" when something in it is not a name.
func namesOf(s, outlet string) string {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "."))
	var names []string
	for i, p := range namesSplitRE.Split(s, -1) {
		p = strings.TrimSpace(roleRE.ReplaceAllString(p, ""))
		if p == "" || sameName(p, outlet) {
			continue
		}
		if !nameRE.MatchString(p) || len(strings.Fields(p)) > 5 {
			if i > 0 && len(names) > 0 {
				break // "Jane Doe, in Washington" / ", a reporter for …"
			}
			return ""
		}
		names = append(names, p)
	}
	if len(names) == 0 {
		return ""
	}
	for _, n := range names {
		if len(strings.Fields(n)) < 2 && len(names) == 1 && !strings.ContainsAny(n, ".") {
			// A single word is a name only beside others ("By Mike").
			if len(n) < 3 {
				return ""
			}
		}
	}
	return joinNames(names)
}

// zones are the time-zone abbreviations news sites print.
var zones = map[string]string{
	"UTC": "+00:00", "GMT": "+00:00", "Z": "+00:00", "BST": "+01:00", "CET": "+01:00", "CEST": "+02:00",
	"EET": "+02:00", "EEST": "+03:00", "IST": "+05:30", "JST": "+09:00", "AEST": "+10:00", "AEDT": "+11:00",
	"EST": "-05:00", "EDT": "-04:00", "CST": "-06:00", "CDT": "-05:00", "MST": "-07:00", "MDT": "-06:00",
	"PST": "-08:00", "PDT": "-07:00", "ET": "-05:00", "PT": "-08:00",
}

var (
	weekdayRE = regexp.MustCompile(`^(?i:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?,?)\s+`)
	timeRE    = regexp.MustCompile(`(?i)[,\s]+(?:at\s+)?(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?\s*(?:\(?([A-Z]{1,4}|[+-]\d{2}:?\d{2})\)?)?\s*$`)
	ordinalRE = regexp.MustCompile(`(\d)(?:st|nd|rd|th)\b`)
)

// dayLayouts are the spellings of a calendar day, with the time removed.
var dayLayouts = []string{
	"January 2, 2006", "Jan 2, 2006", "Jan. 2, 2006", "January 2 2006", "2 January 2006", "2 Jan 2006",
	"2 Jan. 2006", "January 2006 2", "2006-01-02", "1/2/2006", "01/02/2006", "1/2/06", "2006/01/02",
	"2. January 2006", "02.01.2006", "2.1.2006", "January 2nd, 2006", "Jan 2 2006",
}

// parseDateText reads a human-written date (with or without a time and a
// zone) and spells it for front matter. Numeric dates with slashes are
// read month first, as the US sites that print them mean.
func parseDateText(s string) (string, bool) {
	s = collapse(s)
	s = publishedRE.ReplaceAllString(s, "")
	s = weekdayRE.ReplaceAllString(s, "")
	s = strings.TrimSuffix(strings.TrimSpace(s), ".")
	if s == "" || len(s) > 60 {
		return "", false
	}
	if d, ok := parseDateLine(s); ok {
		return d, true
	}
	hour, min, sec, zone := -1, 0, 0, ""
	if m := timeRE.FindStringSubmatchIndex(s); m != nil {
		g := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return s[m[2*i]:m[2*i+1]]
		}
		h := atoi(g(1))
		ampm := strings.ToLower(strings.ReplaceAll(g(4), ".", ""))
		if ampm == "pm" && h < 12 {
			h += 12
		} else if ampm == "am" && h == 12 {
			h = 0
		}
		if h <= 23 {
			hour, min, sec = h, atoi(g(2)), atoi(g(3))
			z := strings.ToUpper(g(5))
			if off, ok := zones[z]; ok {
				zone = off
			} else if strings.HasPrefix(z, "+") || strings.HasPrefix(z, "-") {
				zone = z
				if len(zone) == 5 {
					zone = zone[:3] + ":" + zone[3:]
				}
			}
			s = strings.TrimRight(s[:m[0]], " ,")
		}
	}
	s = ordinalRE.ReplaceAllString(s, "$1")
	for _, l := range dayLayouts {
		t, err := time.Parse(l, s)
		if err != nil || t.Year() < 1990 || t.Year() > 2100 {
			continue
		}
		if hour < 0 {
			return t.Format(time.DateOnly), true
		}
		ts := t.Format(time.DateOnly) + "T" + pad2(hour) + ":" + pad2(min) + ":" + pad2(sec)
		if zone != "" {
			return ts + zone, true
		}
		return ts, true
	}
	return "", false
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return n
		}
		n = n*10 + int(c-'0')
	}
	return n
}

func pad2(n int) string {
	if n < 10 {
		return "0" + string(rune('0'+n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}
