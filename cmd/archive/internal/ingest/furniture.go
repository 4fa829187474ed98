package ingest

import "regexp"

// A lineRule recognises one kind of site furniture by the whole line
// (leading and trailing white space removed).
type lineRule struct {
	name string
	re   *regexp.Regexp
	// alone: the line must be a paragraph by itself (blank lines around),
	// for patterns that could also begin a sentence of the article.
	alone bool
	// comments: the line opens the reader-comment section.
	comments bool
}

func rule(name, pattern string) lineRule {
	return lineRule{name: name, re: regexp.MustCompile(pattern)}
}

// banners come before the headline and are not it.
var banners = []lineRule{
	rule("age-banner", `^(?i:this (?:article|story|page) is more than \d+ (?:years?|months?|days?) old)$`),
	rule("archived-banner", `^(?i:this (?:article|story) (?:is|was) archived|archived (?:article|story))\.?$`),
	rule("skip-link", `^(?i:skip to (?:the )?(?:main |primary )?(?:content|navigation|article|search)|jump to (?:main )?(?:content|navigation)|skip navigation)$`),
	rule("menu", `^(?i:menu|search|sign in|log in|subscribe|register|advertisement|close|toggle navigation|main menu|navigation)$`),
	rule("nav-row", `^(?:(?:Home|News|World|UK|US|U\.S\.|Politics|Business|Tech|Technology|Science|Sport|Sports|Culture|Opinion|Lifestyle|Travel|Health|Entertainment|Video|Podcasts|Newsletters|More|Local|Weather|Money|Arts|Books|Food|Style)(?:\s+|\s*[|·•]\s*)){2,}(?:Home|News|World|UK|US|U\.S\.|Politics|Business|Tech|Technology|Science|Sport|Sports|Culture|Opinion|Lifestyle|Travel|Health|Entertainment|Video|Podcasts|Newsletters|More|Local|Weather|Money|Arts|Books|Food|Style)$`),
}

// dropLines are furniture lines that are removed wherever they stand.
var dropLines = []lineRule{
	rule("image", `^!\[[^\]]*\]\([^)]*\)$`),
	{name: "photo-caption", re: regexp.MustCompile(`^(?:FILE PHOTO|PHOTO|Photo|Image|IMAGE|Picture)(?: credit)?:\s`), alone: true},
	{name: "image-alt", re: regexp.MustCompile(`^(?i:(?:abstract |stock |an? )?(?:image|photo|photograph|picture|illustration) (?:of|showing|shows|depicting)) [^.]{0,200}$`), alone: true},
	rule("filed-under", `^Filed Under:`),
	rule("tags", `^(?:Tags|Topics|Companies):`),
	rule("rating-widget", `^(?:Rate this comment as|You have rated this comment as|Flag this comment as|You have flagged this comment|The (?:first|last) word has already been claimed|Insightful Lightbulb icon)`),
	rule("share-widget", `^(?i:share (?:this (?:article|story)|on (?:facebook|twitter|linkedin|reddit))|tweet this|copy link|print this (?:article|page))$`),
	rule("share-row", `(?i)^(?:(?:share|facebook|twitter|x|email|e-mail|whatsapp|linkedin|pinterest|reddit|print|copy link|messenger|flipboard|tumblr|telegram)(?:\s+|\s*[|·•]\s*)){1,}(?:share|facebook|twitter|x|email|e-mail|whatsapp|linkedin|pinterest|reddit|print|copy link|messenger|flipboard|tumblr|telegram)$`),
	{name: "comment-count", re: regexp.MustCompile(`^(?i:\d+ (?:comments?|responses?|replies)(?: (?:on|to) .*)?|comments \(\d+\)|leave a comment|join the conversation)$`), comments: true},
	{name: "comment-badge", re: regexp.MustCompile(`^This comment has been (?:deemed|flagged) (?:insightful|funny|abusive)[^.]*\.$`), comments: true},
	{name: "comments-heading", re: regexp.MustCompile(`^Comments on [“"].*[”"]$`), comments: true},
	{name: "comment-subscribe", re: regexp.MustCompile(`^Subscribe: RSS(?: Leave a comment)?$`), comments: true},
	{name: "comment-count", re: regexp.MustCompile(`^\d+ Comments?$`), comments: true},
	rule("loading", `^Loading\.\.\.$`),
}

// tailLines start furniture that runs to the end of the seed: everything
// from such a line on is dropped.
var tailLines = []lineRule{
	rule("more-about", `^More about$`),
	rule("send-us-news", `^Send us news$`),
	rule("other-stories", `^Other stories you might like$`),
	rule("related", `^(?:Related (?:articles|stories|content|posts)|Read (?:more|next)|Recommended(?: for you)?)$`),
	rule("most-read", `^(?:Most (?:read|popular|viewed|shared|commented)|Trending(?: now)?|More stories|More from [\w .'-]{1,40}|You (?:may|might) also like\W*|Don'?t miss)$`),
	rule("add-comment", `^(?:Add Your Comment|Leave a Reply|Post a comment)$`),
	rule("read-the-rest", `^Support the originator by clicking`),
	rule("feed-footer", `^from [A-Z][\w .'-]{0,40} (https?://\S+)$`),
	rule("follow", `^Follow (?:us|[A-Z]\w+)(?: on \w+)?$`),
	rule("newsletter", `^(?:[A-Z][\w-]* )*(?:Daily |Weekly )?Newsletter$`),
	rule("subscribe-now", `^Subscribe now to .*$`),
	rule("discord", `^(?:[A-Z][\w-]* )*Discord(?: channel)?$`),
}

// commenter matches the line that opens one reader comment.
var commenter = regexp.MustCompile(`^([^\s,:;.!?][^,:;!?]{0,58}?)(?: \((?:profile|verified)\))? says:$`)

// match returns the first rule in rules that line satisfies.
func match(rules []lineRule, line string, alone bool) (lineRule, bool) {
	for _, r := range rules {
		if r.alone && !alone {
			continue
		}
		if r.re.MatchString(line) {
			return r, true
		}
	}
	return lineRule{}, false
}
