package ingest

import (
	"regexp"
	"strings"
	"unicode"
)

// Lines of a web page that are furniture, not the article: captions and
// credits, "Updated …" lines, calls to subscribe or follow, notices. Each
// paragraph of every page is tried against them, so they are written to be
// cheap: a regexp anchored at the start of the line fails at once, and one
// that could match anywhere is run only on a line holding one of the words
// it needs (a case-insensitive regexp run from every position of every
// paragraph cost more than Readability itself). An anchored regexp is
// written ^(?:a|b), not ^a|^b, which Go's regexp runs from every position.

var (
	// numbersRE matches lines that are only figures: stock tickers.
	numbersRE = regexp.MustCompile(`^[-+−]?[\d.,]+%?$`)
	// statusLineRE matches "Updated …", "Published 1 day ago" lines.
	statusLineRE = regexp.MustCompile(`(?i)^(?:published|updated|last updated|posted|first published|modified)\b.*(?:\d|ago)`)
	// captionStartRE matches image captions and credits by how they start.
	captionStartRE = regexp.MustCompile(`(?i)^(?:\((?:image|photo|picture)\s+(?:credit|courtesy)[^)]*\)$|(?:©|\(c\)\s)|(?:image|photo|slide)\s+\d+\s+(?:of\s*/?\s*\d+)?$|caption$|(?:photo|image|picture|credit)s?\s*(?::|by)\s|the contents of this site are)`)
	// captionParenRE matches a caption's closing credit in brackets:
	// "(AP Photo/Jane Doe)", "(Image: Getty)"; it is run on the text
	// after the last ")" but one.
	captionParenRE = regexp.MustCompile(`(?i)\((?:ap|afp|reuters|getty|ansa|epa|pa)?\s*photo(?:s)?\b[^)]*\)$|\(\s*(?:image|photo|picture|credit|pictured)s?\s*:[^)]*\)$`)
	// captionEndRE matches a credit or a rights line at the end.
	captionEndRE = regexp.MustCompile(`(?i)\b(?:getty images|shutterstock|istock(?:photo)?)$|all rights reserved\.?$`)
	// promoStartRE matches the outlet's calls to read, watch, sign up or
	// write in, by how they start.
	promoStartRE = regexp.MustCompile(`(?i)^(?:(?:see more|read more|watch|click here|also read|related|sign in|log in|more)\s*:|sign in$|(?:get|download) (?:the|our) [\w ]+ app\b|\(?(?:also on|also read|read also|leggi anche|lesen sie auch|lire aussi)\b|like this (?:story|article)\?|tell us what you think|(?:more (?:articles|stories) (?:from|by)|email [\w .'-]+ at \S+@|join our [\w ]+ (?:forums?|community)|follow us on)\b|(?:breaking news emails|get breaking news alerts)|have a (?:news )?tip\b|subscribe to\b|disclaimer\s*:|sources?\s*:\s*[\w ,.&'-]{1,60}$|post (?:a |your )?comment\b|filed under\s*:)`)
	// promoAnywhere are the calls that may stand anywhere in the line, with
	// the words each needs.
	promoAnywhere = []gated{
		{[]string{"clicking here"}, regexp.MustCompile(`(?i)clicking here\W*$`)},
		{[]string{"sign up", "subscribe"}, regexp.MustCompile(`(?i)\b(?:sign up|subscribe)\b.{0,120}\b(?:newsletters?|emails?|inbox|alerts|delivered)\b`)},
		{[]string{"be reached at"}, regexp.MustCompile(`(?i)\b(?:can|may) be reached at \S+@`)},
		{[]string{"inbox"}, regexp.MustCompile(`(?i)\binbox\b.{0,80}\bdelivered\b|\bdelivered\b.{0,80}\binbox\b`)},
		// A comment policy: "Comments are moderated …", "ATENÇÃO:
		// Comentários … não serão aprovados pelo moderador". It opens the
		// paragraph (after a label), and speaks of moderation, not of
		// moderates: "His comments … an opening for moderates" is news.
		{[]string{"moderat", "moderad", "modér", "moderi"}, regexp.MustCompile(`(?i)^(?:[\pL ]{1,24}:\s*)?(?:[\pL]+\s+){0,2}(?:comments?|coment[aá]rios?|commentaires?|kommentare?|commenti)\b.{0,160}\b(?:moderat(?:ed|ion|ors?|ore|i)|moderad(?:os?|as?|or|ores)|modér(?:és?|ées?|ation|ateurs?)|moderiert|moderator(?:en)?)(?:\P{L}|$)`)},
		{[]string{"follow "}, regexp.MustCompile(`(?i)\bfollow (?:him|her|them|me|us|[\w.'-]+(?: [\w.'-]+){0,3}) on (?:twitter|facebook|instagram|linkedin|youtube|tiktok|threads|bluesky|mastodon)\b`)},
	}
	// noticeRE matches the site's notices: cookies, JavaScript, affiliate
	// links.
	noticeRE = regexp.MustCompile(`(?i)^(?:(?:this (?:web)?site|we) uses? cookies\b|by (?:continuing to (?:use|browse)|using) (?:this|our) (?:web)?site\b|(?:this|the) [\w ]{1,30} requires javascript\b|(?:please )?enable javascript\b|(?:this|the) (?:post|article|page|story) (?:may )?contains? (?:affiliate|referral|sponsored)\b)`)
	// shortcodeRE matches a paragraph that is a CMS shortcode printed as
	// it is: "[button link=…] Send us YOUR kit review[/button]".
	shortcodeRE = regexp.MustCompile(`^\[([a-z_]+)(?:\s[^\]]*)?\](?:.*\[/([a-z_]+)\])?$`)
	// creditLineRE matches the sign-off that credits the reporting and
	// editing: "(Reporting by A; editing by B)".
	creditLineRE = regexp.MustCompile(`(?i)^\(?(?:reporting|writing|editing|additional reporting|compiled|produced) by\b`)
)

// gated is a regexp that can only match a line holding one of its words
// (in lower case): the words are looked for first.
type gated struct {
	words []string
	re    *regexp.Regexp
}

func (g gated) match(line, lower string) bool {
	for _, w := range g.words {
		if strings.Contains(lower, w) {
			return g.re.MatchString(line)
		}
	}
	return false
}

// furnitureLine reports a paragraph (collapsed, under 300 bytes) that is
// a caption or credit, a status line, a call to subscribe or follow, a
// notice, a shortcode or the reporting credit.
func furnitureLine(t string) bool {
	if captionStartRE.MatchString(t) || len(t) < 120 && statusLineRE.MatchString(t) ||
		promoStartRE.MatchString(t) || noticeRE.MatchString(t) || shortcodeRE.MatchString(t) || creditLineRE.MatchString(t) {
		return true
	}
	if strings.HasSuffix(t, ")") {
		// The credit in brackets is after the last ")" but one.
		tail := t
		if k := strings.LastIndexByte(t[:len(t)-1], ')'); k >= 0 {
			tail = t[k+1:]
		}
		if strings.IndexByte(tail, '(') >= 0 && captionParenRE.MatchString(tail) {
			return true
		}
	}
	lower := strings.ToLower(t)
	for _, end := range []string{"getty images", "shutterstock", "istock", "istockphoto", "all rights reserved", "all rights reserved."} {
		if strings.HasSuffix(lower, end) {
			if captionEndRE.MatchString(t) {
				return true
			}
			break
		}
	}
	for _, g := range promoAnywhere {
		if g.match(t, lower) {
			return true
		}
	}
	return false
}

// shouting reports a line in capitals: a promotion set in the text
// ("CLICK HERE TO GET THE … APP", another story's headline).
func shouting(t string) bool {
	upper := false
	for _, r := range t {
		if unicode.IsLower(r) {
			return false
		}
		upper = upper || unicode.IsUpper(r)
	}
	return upper
}
