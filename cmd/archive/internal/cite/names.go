package cite

import (
	"strings"
	"unicode"
)

// Name is a person's name split the way CSL-JSON wants it, or Literal for
// an organisation (or anything that should not be split).
type Name struct {
	Family   string `json:"family,omitempty"`
	Given    string `json:"given,omitempty"`
	Particle string `json:"non-dropping-particle,omitempty"` // "van", "de", ...
	Suffix   string `json:"suffix,omitempty"`                // "Jr.", "III"
	Literal  string `json:"literal,omitempty"`
}

// particles are the lower-case name particles kept with the family name.
var particles = map[string]bool{"van": true, "von": true, "de": true, "da": true, "del": true,
	"della": true, "der": true, "den": true, "di": true, "du": true, "la": true, "le": true,
	"ten": true, "ter": true, "dos": true, "das": true, "al": true, "bin": true, "ibn": true}

var suffixes = map[string]bool{"jr": true, "jr.": true, "sr": true, "sr.": true, "ii": true,
	"iii": true, "iv": true, "phd": true, "ph.d.": true}

// orgWords mark a byline as an organisation, kept whole as a literal.
var orgWords = map[string]bool{"staff": true, "agency": true, "press": true, "news": true,
	"newsroom": true, "desk": true, "team": true, "editors": true, "editorial": true, "board": true,
	"associated": true, "service": true, "inc": true, "inc.": true, "ltd": true, "ltd.": true,
	"llc": true, "corporation": true, "company": true, "council": true, "committee": true,
	"department": true, "ministry": true, "office": true, "bureau": true, "association": true,
	"foundation": true, "institute": true, "university": true, "reuters": true, "afp": true,
	"reporters": true, "correspondent": true, "correspondents": true}

// ParseName splits one author's name. Rules, in order:
//
//   - "{Anything}" (BibTeX's way to protect a name) is a literal;
//   - a one-word name ("Reuters") or one with an organisation word
//     ("Reuters Staff", "The Associated Press") is a literal;
//   - "Family, Given" (and "Family, Jr., Given") is inverted;
//   - otherwise the last word is the family name, lower-case particles
//     before it ("van", "de") are its non-dropping particle, and a trailing
//     "Jr.", "III" (after a comma or not) is the suffix.
func ParseName(s string) Name {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return Name{}
	}
	if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
		return Name{Literal: strings.TrimSpace(s[1 : len(s)-1])}
	}
	words := strings.Fields(strings.ReplaceAll(s, ",", " "))
	if len(words) == 1 || isOrg(words) {
		return Name{Literal: s}
	}
	if parts := strings.Split(s, ","); len(parts) >= 2 && !isSuffix(parts[len(parts)-1]) {
		n := Name{Family: strings.TrimSpace(parts[0]), Given: strings.TrimSpace(parts[len(parts)-1])}
		if len(parts) == 3 {
			n.Suffix = strings.TrimSpace(parts[1])
		}
		n.Particle, n.Family = splitParticle(n.Family)
		return n
	}
	var n Name
	if last := words[len(words)-1]; isSuffix(last) && len(words) > 2 {
		n.Suffix = last
		words = words[:len(words)-1]
	}
	n.Family = words[len(words)-1]
	i := len(words) - 1
	for i > 1 && particles[words[i-1]] {
		i--
	}
	n.Particle = strings.Join(words[i:len(words)-1], " ")
	n.Given = strings.Join(words[:i], " ")
	return n
}

func splitParticle(family string) (particle, rest string) {
	w := strings.Fields(family)
	i := 0
	for i < len(w)-1 && particles[w[i]] {
		i++
	}
	return strings.Join(w[:i], " "), strings.Join(w[i:], " ")
}

func isSuffix(s string) bool { return suffixes[strings.ToLower(strings.TrimSpace(s))] }

func isOrg(words []string) bool {
	for _, w := range words {
		if orgWords[strings.ToLower(w)] {
			return true
		}
	}
	return false
}

// SplitAuthors splits a byline as front matter holds it ("Joseph Menn and
// Connor Jones", "By A, B & C", "Menn, Joseph") into one string per author.
// It splits on ";", " and ", " & " and on commas, except the comma of an
// inverted "Family, Given" name or before a suffix ("Jr.").
func SplitAuthors(byline string) []string {
	s := strings.Join(strings.Fields(byline), " ")
	if len(s) > 3 && strings.EqualFold(s[:3], "by ") {
		s = s[3:]
	}
	if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") && strings.Count(s, "{") == 1 {
		return []string{s}
	}
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' }) {
		part = strings.NewReplacer(" & ", " and ", ", and ", " and ").Replace(part)
		for _, p := range strings.Split(part, " and ") {
			out = append(out, splitCommas(p)...)
		}
	}
	var names []string
	for _, n := range out {
		n = strings.TrimFunc(n, func(r rune) bool { return unicode.IsSpace(r) || r == ',' })
		if n != "" {
			names = append(names, n)
		}
	}
	return names
}

func splitCommas(s string) []string {
	parts := strings.Split(s, ",")
	if len(parts) == 1 {
		return parts
	}
	if len(parts) == 2 && (isSuffix(parts[1]) || len(strings.Fields(parts[0])) == 1) {
		return []string{s} // "Joseph Menn, Jr." or "Menn, Joseph"
	}
	var out []string
	for i := 0; i < len(parts); i++ {
		if i > 0 && isRole(parts[i]) {
			// "Josh Aas, ISRG Executive Director": the role of the name
			// before it, not another author; citations name people.
			continue
		}
		if i+1 < len(parts) && isSuffix(parts[i+1]) {
			out = append(out, parts[i]+","+parts[i+1])
			i++
			continue
		}
		out = append(out, parts[i])
	}
	return out
}

// display is the name in reading order: "Joseph Menn", "Ludwig van
// Beethoven", "Martin Luther King Jr.", or the literal.
func (n Name) display() string {
	if n.Literal != "" {
		return n.Literal
	}
	return joinNonEmpty(" ", n.Given, n.Particle, n.Family, n.Suffix)
}

// inverted is "Family, Given" ("van Beethoven, Ludwig"; "King, Jr., Martin Luther").
func (n Name) inverted() string {
	if n.Literal != "" {
		return n.Literal
	}
	fam := joinNonEmpty(" ", n.Particle, n.Family)
	return joinNonEmpty(", ", fam, n.Suffix, n.Given)
}

func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

// roleWords are words of a job title that follows a name in a byline.
var roleWords = map[string]bool{
	"director": true, "editor": true, "executive": true, "reporter": true, "correspondent": true,
	"writer": true, "columnist": true, "officer": true, "chief": true, "president": true, "founder": true,
	"co-founder": true, "cofounder": true, "manager": true, "head": true, "lead": true, "engineer": true,
	"professor": true, "researcher": true, "analyst": true, "contributor": true, "staff": true, "chair": true,
	"chairman": true, "chairwoman": true, "ceo": true, "cto": true, "coo": true, "cfo": true, "vp": true,
	"secretary": true, "coordinator": true, "fellow": true, "intern": true, "producer": true,
	"photographer": true, "journalist": true, "developer": true, "maintainer": true, "member": true,
	"scientist": true, "student": true, "team": true, "advocate": true, "counsel": true, "specialist": true,
}

// isRole reports whether a part of a byline is a job title ("ISRG
// Executive Director", "Senior Reporter at Reuters", "CEO") rather than a
// name: it has a role word, a lower-case joining word, or an acronym.
func isRole(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 {
		return false
	}
	for _, w := range words {
		lw := strings.ToLower(strings.Trim(w, ".()"))
		switch {
		case roleWords[lw]:
			return true
		case lw == "of" || lw == "at" || lw == "for" || lw == "the":
			return true
		case len(lw) >= 2 && !strings.ContainsAny(w, ".") && strings.ToUpper(w) == w && strings.IndexFunc(w, unicode.IsLetter) >= 0 && !isSuffix(w):
			return true // an acronym: ISRG, EFF
		}
	}
	return false
}
