package ingest

import (
	"regexp"
	"sort"
	"strings"
)

// scope is the part of a seed an outlet rule looks at. The scopes matter:
// outlets quote each other ("told Reuters", "seen by Reuters"), so a name in
// the article text is weak evidence, while an outlet's own furniture, its
// dateline or its sign-off is strong.
type scope int

const (
	inFirstPara  scope = iota // the first paragraph of the article (a dateline)
	inLastPara                // the end of the article's last paragraph (a sign-off)
	inBody                    // any paragraph of the article
	inFurniture               // lines import removed as furniture (navigation, widgets, image titles)
	inStandfirst              // the subtitle line
	inBio                     // an author bio block
)

// outletRule is one piece of evidence for an outlet.
type outletRule struct {
	outlet string
	weight int
	where  scope
	re     *regexp.Regexp
	why    string
}

// outletRules is the evidence table. The outlet with the greatest total
// weight of matching rules wins (each rule counts once); a tie, or no
// match, leaves outlet empty for the editor.
var outletRules = []outletRule{
	{"Reuters", 3, inFirstPara, regexp.MustCompile(`^[\p{Lu} .,'-]*\(Reuters\) [-–—] `), "Reuters dateline"},
	{"Reuters", 2, inFurniture, regexp.MustCompile(` - Reuters"?\)?$`), "image titled \"… - Reuters\""},
	{"The Register", 3, inLastPara, regexp.MustCompile(`\s®$`), "The Register's closing ®"},
	{"The Register", 1, inFurniture, regexp.MustCompile(`^Send us news$`), "The Register's \"Send us news\""},
	{"Techdirt", 3, inFurniture, regexp.MustCompile(`\bTechdirt\b`), "Techdirt furniture"},
	{"Techdirt", 2, inStandfirst, regexp.MustCompile(`^from the \S+ dept\.?$`), "Techdirt's dept line"},
	{"ITPro", 3, inBio, regexp.MustCompile(`\bITPro\b|\bIT Pro\b`), "ITPro in the author bio"},
	{"Ars Technica", 2, inBody, regexp.MustCompile(`\btold Ars\b`), "\"told Ars\" (Ars Technica's self-reference)"},
	{"Ars Technica", 1, inBody, regexp.MustCompile(`\b(?:viewed|seen|obtained|reviewed) by Ars Technica\b`), "\"viewed by Ars Technica\""},
}

// inferOutlet applies outletRules to the taken-apart seed.
func (d *Doc) inferOutlet() {
	texts := func(s scope) []string {
		switch s {
		case inFirstPara:
			if len(d.Body) > 0 {
				return []string{d.Body[0].Text()}
			}
		case inLastPara:
			if len(d.Body) > 0 {
				return []string{d.Body[len(d.Body)-1].Text()}
			}
		case inBody:
			var out []string
			for _, p := range d.Body {
				out = append(out, p.Text())
			}
			return out
		case inFurniture:
			var out []string
			for _, r := range d.Removed {
				if r.Rule != "author-bio" {
					out = append(out, r.Text)
				}
			}
			return out
		case inStandfirst:
			return []string{d.Subtitle}
		case inBio:
			return d.bio
		}
		return nil
	}
	score := map[string]int{}
	why := map[string][]string{}
	for _, r := range outletRules {
		for _, t := range texts(r.where) {
			if r.re.MatchString(t) {
				score[r.outlet] += r.weight
				why[r.outlet] = append(why[r.outlet], r.why)
				break
			}
		}
	}
	var names []string
	for n := range score {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool {
		if score[names[i]] != score[names[j]] {
			return score[names[i]] > score[names[j]]
		}
		return names[i] < names[j]
	})
	if len(names) == 0 || (len(names) > 1 && score[names[0]] == score[names[1]]) {
		return
	}
	d.set("outlet", names[0], strings.Join(why[names[0]], " + "), &d.Outlet)
}
