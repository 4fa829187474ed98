package ingest

import (
	"regexp"
	"strings"
	"time"
)

var (
	reportingRE = regexp.MustCompile(`^(?:Reporting|Reported|Writing|Written) by ([^;()]+?)(?: in [\p{Lu}][\p{L}]+(?: [\p{Lu}][\p{L}]+)*)?(?:;.*|\.)?$`)
	datePrefix  = regexp.MustCompile(`^(?i:published|posted|first published|date)(?::| on)?\s+`)
	registerTS  = regexp.MustCompile(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{1,2} \w{3} \d{4}) // (\d{2}:\d{2}) UTC$`)
)

// inferAuthor reads the author from a credit line such as Reuters'
// "Reporting by Joseph Menn; editing by Diane Craft". The line stays in the
// body: it is the outlet's own text.
func (d *Doc) inferAuthor() {
	for k := len(d.Body) - 1; k >= 0 && k >= len(d.Body)-3; k-- {
		p := d.Body[k]
		if len(p.Lines) != 1 {
			continue
		}
		if m := reportingRE.FindStringSubmatch(p.Lines[0]); m != nil {
			d.set("author", strings.TrimSpace(m[1]), "reporting credit", &d.Author)
			return
		}
	}
}

// dateLayouts are whole-line date spellings that outlets print near the
// headline or the byline. Relative dates ("Monday") are not read.
var dateLayouts = []struct{ layout, out string }{
	{"2 January 2006", time.DateOnly},
	{"2 Jan 2006", time.DateOnly},
	{"January 2, 2006", time.DateOnly},
	{"Jan 2, 2006", time.DateOnly},
	{"Monday, January 2, 2006", time.DateOnly},
	{"Monday 2 January 2006", time.DateOnly},
	{"2006-01-02", time.DateOnly},
	{"January 2, 2006 3:04 PM", "2006-01-02T15:04:05"},
	{"January 2, 2006 15:04", "2006-01-02T15:04:05"},
	{"2 January 2006 15:04", "2006-01-02T15:04:05"},
	{time.RFC3339, time.RFC3339},
}

// parseDateLine reads a line that is only a date (optionally "Published: …")
// and returns it in a front-matter spelling.
func parseDateLine(s string) (string, bool) {
	if m := registerTS.FindStringSubmatch(s); m != nil {
		t, err := time.Parse("2 Jan 2006 15:04", m[1]+" "+m[2])
		if err == nil {
			return t.UTC().Format(time.RFC3339), true
		}
	}
	s = strings.TrimSuffix(datePrefix.ReplaceAllString(s, ""), ".")
	if len(s) > 40 {
		return "", false
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l.layout, s); err == nil {
			return t.Format(l.out), true
		}
	}
	return "", false
}
