package ingest

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/archive-project/archive/cmd/archive/internal/article"
	"github.com/archive-project/archive/cmd/archive/internal/ingest/internal/readability"
	"golang.org/x/net/html"
)

// DefaultMaxPage is the largest HTML page import reads, in bytes. Real
// news pages are well under 5 MB; a larger one is skipped with a message
// rather than held in memory whole.
const DefaultMaxPage = 32 << 20

// quiet is a logger that drops messages before formatting them.
var quiet = slog.New(slog.DiscardHandler)

// MinWords is the fewest words of article text a page must have to become
// an article.
const MinWords = 25

// Page is one HTML page to import: a saved .html file, or the payload of a
// WARC record.
type Page struct {
	Seed        string    // slash path of the capture under seeds/
	SeedSHA256  string    // SHA-256 of the whole capture, hex
	Record      string    // WARC-Record-ID, "" for a saved page
	URL         string    // WARC-Target-URI, "" for a saved page
	Captured    time.Time // WARC-Date, zero for a saved page
	ContentType string    // the HTTP Content-Type, for its charset ("" if none)
	HTML        []byte
}

// where names the page in messages: the seed, and the record if any.
func (p *Page) where() string {
	if p.Record == "" {
		return p.Seed
	}
	return fmt.Sprintf("%s: record %s (%s)", p.Seed, p.Record, p.URL)
}

// PageError is a page that could not become an article.
type PageError struct {
	Where string // the seed, and the record
	Err   error
	Fix   string
}

func (e *PageError) Error() string {
	s := e.Where + ": " + e.Err.Error()
	if e.Fix != "" {
		s += "\n\tfix: " + e.Fix
	}
	return s
}
func (e *PageError) Unwrap() error { return e.Err }

// Warning is a problem import works around: it is said, and the article
// is written all the same.
type Warning struct{ Err error }

func (w *Warning) Error() string { return w.Err.Error() }
func (w *Warning) Unwrap() error { return w.Err }

// ErrNoText is the error for a page without article text.
var ErrNoText = fmt.Errorf("no article text")

// ConvertPage turns an HTML page into an article file: metadata from the
// page's own markup first (JSON-LD, OpenGraph, citation_*, article:*,
// <time>), then from its text; the article text found by Readability;
// reader comments in their own section, replies nested.
func ConvertPage(p Page) (*Result, error) {
	text, warning, err := decodeHTML(p.HTML, p.ContentType)
	if err != nil {
		return nil, &PageError{Where: p.where(), Err: err, Fix: "convert the page to UTF-8 (e.g. iconv -f <charset> -t utf-8) and import it again"}
	}
	doc, err := html.Parse(strings.NewReader(stripRaw(text)))
	if err != nil {
		return nil, &PageError{Where: p.where(), Err: err}
	}
	meta := readMeta(doc)
	comments := htmlComments(doc)
	var base *url.URL
	if u, err := url.Parse(p.URL); err == nil && p.URL != "" {
		base = u
	}
	keepEmbeds(doc)
	parser := readability.NewParser()
	parser.Logger = quiet     // its default logger formats every message, then discards it
	parser.KeepClasses = true // class names tell captions, credits and promotions from the text
	art, err := parser.ParseAndMutate(doc, base)
	if err != nil || art.Node == nil {
		return nil, &PageError{Where: p.where(), Err: ErrNoText, Fix: "this page holds no article (an index, a login or an error page?); nothing to import"}
	}
	d := &Doc{Why: map[string]string{}}
	if warning != "" {
		d.Warnings = append(d.Warnings, warning)
	}
	d.Comments = comments
	d.Body = htmlParas(art.Node)

	host := ""
	if u, err := url.Parse(firstNonEmpty(p.URL, first(meta.canonical))); err == nil {
		host = strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	d.pickOutlet(meta, art.SiteName(), host)
	d.pickTitle(meta, art.Title())
	d.cleanBody(comments, meta)
	d.pickAuthor(meta, art.Byline())
	d.pickDate(meta, p.URL)
	if len(meta.subtitles) > 0 {
		d.set("subtitle", first(meta.subtitles), "JSON-LD alternativeHeadline", &d.Subtitle)
	}
	canon := ""
	for _, c := range meta.canonical {
		if canon = resolveURL(p.URL, c); canon != "" {
			break
		}
	}
	if canon == "" {
		canon = resolveURL("", p.URL)
	}
	d.set("source_url", canon, "canonical link", &d.SourceURL)
	lang := first(meta.languages)
	if lang == "" {
		lang = art.Language()
	}
	d.Language = normLang(lang)

	if words(d.Body) < MinWords {
		return nil, &PageError{Where: p.where(), Err: ErrNoText, Fix: "this page holds no article (an index, a login or an error page?); nothing to import"}
	}
	if strings.TrimSpace(d.Title) == "" {
		return nil, &PageError{Where: p.where(), Err: fmt.Errorf("no title found"), Fix: "save the page with its headline, or import it as text with the headline as its first line"}
	}
	return d.result(p)
}

func firstNonEmpty(ss ...string) string { return first(ss) }

// result writes d as a content file for the page.
func (d *Doc) result(p Page) (*Result, error) {
	fields := []field{
		{"title", d.Title}, {"subtitle", d.Subtitle}, {"outlet", d.Outlet}, {"author", d.Author},
	}
	if d.Date != "" {
		fields = append(fields, field{"date", d.Date})
	}
	fields = append(fields, field{"source_url", d.SourceURL}, field{"language", d.Language})
	if !p.Captured.IsZero() {
		fields = append(fields, field{"captured", p.Captured.UTC().Format(time.RFC3339)})
	}
	fields = append(fields, field{"seed", p.Seed}, field{"seed_sha256", p.SeedSHA256})
	if p.Record != "" {
		fields = append(fields, field{"seed_record", p.Record}, field{"seed_uri", p.URL})
	}
	var b bytes.Buffer
	b.WriteString("---\n")
	var added []string
	for _, f := range fields {
		fmt.Fprintf(&b, "%s: %s\n", f.key, quote(f.value))
		added = append(added, f.key)
	}
	b.WriteString("---\n")
	if body := d.Markdown(); body != "" {
		b.WriteString("\n")
		b.WriteString(body)
	}
	slug := Slug(d.Title)
	if slug == "" {
		slug = "article"
	}
	r := &Result{Seed: p.Seed, Record: p.Record, Slug: slug, Path: ContentDir + "/" + slug + ".md", Doc: d, Added: added, Content: b.Bytes()}
	if _, err := article.Parse(r.Path, r.Content); err != nil {
		return nil, &PageError{Where: p.where(), Err: fmt.Errorf("import would write an unreadable article: %w", err)}
	}
	return r, nil
}

func words(ps []Para) int {
	n := 0
	for _, p := range ps {
		for _, l := range p.Lines {
			n += lineWords(l)
		}
	}
	return n
}

// lineWords counts the words of a line. Chinese, Japanese, Thai and the
// other scripts written without spaces between words put a sentence in
// one field; there a word is taken as two characters, the mean length of
// a Chinese or Japanese word, or a page of them has "no article text".
func lineWords(l string) int {
	n, unspaced, in := 0, 0, false
	end := func() {
		if in {
			n += max(1, (unspaced+1)/2)
		}
		in, unspaced = false, 0
	}
	for _, r := range l {
		if unicode.IsSpace(r) {
			end()
			continue
		}
		in = true
		// Every unspaced script lies above U+0E00 (Thai): the tables are
		// looked up only there.
		if r >= 0x0E00 && unicode.In(r, unspacedScripts...) {
			unspaced++
		}
	}
	end()
	return n
}

var unspacedScripts = []*unicode.RangeTable{unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar, unicode.Tibetan}

var langRE = regexp.MustCompile(`^[a-zA-Z]{2,3}(?:[-_][a-zA-Z0-9]{2,8})*$`)

// normLang spells a language tag as BCP 47 does: "en_us" → "en-US".
func normLang(s string) string {
	s = strings.TrimSpace(s)
	if !langRE.MatchString(s) {
		return ""
	}
	parts := strings.Split(strings.ReplaceAll(s, "_", "-"), "-")
	parts[0] = strings.ToLower(parts[0])
	for i := 1; i < len(parts); i++ {
		if len(parts[i]) == 2 {
			parts[i] = strings.ToUpper(parts[i])
		} else if len(parts[i]) == 4 {
			parts[i] = strings.ToUpper(parts[i][:1]) + strings.ToLower(parts[i][1:])
		}
	}
	return strings.Join(parts, "-")
}

// titleSeps split a <title> or og:title into the headline and the site's
// name.
var titleSepRE = regexp.MustCompile(`\s+(?:\||-|–|—|::|·|»|//|:)\s+`)

// simplify folds a name for comparison: lower case, letters and digits only,
// without a leading "the" or a trailing ".com".
func simplify(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "the")
	for _, suf := range []string{".com", ".co.uk", ".org", ".net", ".io"} {
		s = strings.TrimSuffix(s, suf)
	}
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// sameName reports whether a and b name the same outlet, allowing one to be
// a short form of the other ("BBC" / "BBC News", "The Hill" / "thehill.com").
func sameName(a, b string) bool {
	sa, sb := simplify(a), simplify(b)
	if sa == "" || sb == "" {
		return false
	}
	if len(sa) > len(sb) {
		sa, sb = sb, sa
	}
	return sa == sb || len(sa) >= 2 && strings.HasPrefix(sb, sa) && len(sb)-len(sa) <= 8 ||
		len(sa) >= 5 && strings.HasSuffix(sb, sa) && len(sb)-len(sa) <= 4
}

// splitSiteName cuts a site name off a title: "Headline | Outlet" →
// "Headline", "Outlet". names are the site names known from elsewhere; with
// none, the last part is taken as the site's name when the title has one
// separator and the last part is short.
func splitSiteName(t string, names []string) (string, string) {
	locs := titleSepRE.FindAllStringIndex(t, -1)
	if len(locs) == 0 {
		return t, ""
	}
	// Site name at the end: try the longest tail first.
	for _, l := range locs {
		head, tail := t[:l[0]], t[l[1]:]
		for _, n := range names {
			if sameName(tail, n) {
				return strings.TrimSpace(head), strings.TrimSpace(tail)
			}
		}
	}
	// At the start.
	for i := len(locs) - 1; i >= 0; i-- {
		l := locs[i]
		head, tail := t[:l[0]], t[l[1]:]
		for _, n := range names {
			if sameName(head, n) {
				return strings.TrimSpace(tail), strings.TrimSpace(head)
			}
		}
	}
	last := locs[len(locs)-1]
	tail := strings.TrimSpace(t[last[1]:])
	sep := strings.TrimSpace(t[last[0]:last[1]])
	if sep != ":" && (sep != "-" || titleCase(tail)) && len(strings.Fields(tail)) <= 4 && len(tail) < len(t)/2 {
		return strings.TrimSpace(t[:last[0]]), tail
	}
	return t, ""
}

// notTitle are texts that stand where a headline is looked for but are not one.
var notTitle = regexp.MustCompile(`(?i)^(?:skip to (?:main )?content|skip to navigation|jump to (?:main )?content|menu|search|home|advertisement|log ?in|sign ?in|subscribe|breaking news|404|page not found|access denied)$`)

var foldRE = regexp.MustCompile(`[^\p{L}\p{N}]+`)

// fold is s without case, punctuation or spacing, for comparing names.
func fold(s string) string { return foldRE.ReplaceAllString(strings.ToLower(s), "") }

// titleCase reports whether every word of s starts with a capital or a digit.
func titleCase(s string) bool {
	for _, w := range strings.Fields(s) {
		r := []rune(w)[0]
		if !unicode.IsUpper(r) && !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// platforms are blog hosts that pages name as their publisher; the blog
// is the outlet, not its host.
var platforms = map[string]bool{"blogger": true, "blogspot": true, "wordpress": true, "wordpress.com": true,
	"medium": true, "tumblr": true, "substack": true, "ghost": true, "wix": true, "squarespace": true}

// accounts are CMS user names that stand where a byline would.
var accountRE = regexp.MustCompile(`(?i)^(?:\w*admin|administrator|webmaster|editor|editorial|author|user\d*|guest|root|staff|opinion|news ?desk)$`)

// orgRE matches names of organisations that stand in bylines.
var orgRE = regexp.MustCompile(`(?i)\b(?:press|news|media|agency|service|associated|reuters|afp|bureau|wire|desk|staff|magazine|times|post|journal|network)\b|^(?:ap|cnn|bbc|pti|ians|upi)$`)

// titleHead reports whether t begins with the headline h followed by a
// separator, as "About bugs – Vortex Cannon" does; it returns the rest.
func titleHead(t, h string) (string, bool) {
	if h == "" || !strings.HasPrefix(t, h) {
		return "", false
	}
	rest := t[len(h):]
	if loc := titleSepRE.FindStringIndex(rest); loc != nil && loc[0] == 0 {
		return strings.TrimSpace(rest[loc[1]:]), true
	}
	return "", false
}

func (d *Doc) pickOutlet(m *pageMeta, siteName, host string) {
	// The site's name in the page title, when it is the host's name, is
	// the surest: "… - Reuters" on reuters.com (whose og:site_name is the
	// section, "U.S.").
	for _, t := range append([]string{m.docTitle}, m.titles...) {
		if _, site := splitSiteName(t, []string{host}); site != "" && sameName(site, host) {
			d.set("outlet", d.betterSpelling(site, m.outlets), "site name in the page title", &d.Outlet)
			return
		}
	}
	cands := append([]string{}, m.outlets...)
	cands = append(cands, siteName)
	for _, c := range cands {
		c = collapse(c)
		if c == "" || isURL(c) || len(c) > 60 || strings.HasPrefix(c, "@") || platforms[strings.ToLower(c)] {
			continue
		}
		// "Outlet - Tagline" → "Outlet"
		if parts := titleSepRE.Split(c, 2); len(parts) == 2 && len(parts[0]) >= 2 {
			c = parts[0]
		}
		d.set("outlet", d.betterSpelling(c, cands), "page metadata", &d.Outlet)
		return
	}
	for _, h := range m.h1 {
		if site, ok := titleHead(m.docTitle, h); ok && site != "" && len(strings.Fields(site)) <= 6 && !notTitle.MatchString(site) {
			d.set("outlet", site, "site name after the headline in the page title", &d.Outlet)
			return
		}
	}
	for _, t := range append([]string{m.docTitle}, m.titles...) {
		if _, site := splitSiteName(t, []string{host}); site != "" && !notTitle.MatchString(site) {
			d.set("outlet", site, "site name in the page title", &d.Outlet)
			return
		}
	}
	if host != "" {
		d.set("outlet", host, "the page's host name", &d.Outlet)
	}
}

// betterSpelling picks, among names that are the same as name, the one
// written for people: with capitals and spaces ("The Detroit News" over
// "detroitnews").
func (d *Doc) betterSpelling(name string, others []string) string {
	score := func(s string) int {
		n := 0
		if strings.ToLower(s) != s {
			n += 2
		}
		if strings.Contains(s, " ") {
			n++
		}
		if strings.Contains(s, ".") {
			n--
		}
		return n
	}
	best := name
	for _, o := range others {
		o = collapse(o)
		if o != "" && simplify(o) == simplify(name) && score(o) > score(best) && len(o) <= 60 {
			best = o
		}
	}
	return best
}

func (d *Doc) pickTitle(m *pageMeta, readTitle string) {
	names := []string{d.Outlet}
	clean := func(t string) string {
		t = collapse(t)
		if t == "" || notTitle.MatchString(t) || sameName(t, d.Outlet) && len(simplify(t)) <= len(simplify(d.Outlet))+2 {
			return ""
		}
		h, _ := splitSiteName(t, names)
		return h
	}
	var metaTitles []string
	for _, t := range append(append([]string{}, m.titles...), m.docTitle) {
		if c := clean(t); c != "" {
			metaTitles = append(metaTitles, c)
		}
	}
	// The headline on the page, when it agrees with the metadata, is the
	// one the reader saw.
	for _, h := range m.h1 {
		h = clean(h)
		if h == "" {
			continue
		}
		if _, ok := titleHead(m.docTitle, h); ok {
			d.set("title", h, "headline that the page title begins with", &d.Title)
			return
		}
		for _, t := range metaTitles {
			if similar(h, t) >= 0.6 {
				d.set("title", h, "headline that the metadata confirms", &d.Title)
				return
			}
		}
	}
	if len(metaTitles) > 0 {
		d.set("title", metaTitles[0], "page metadata", &d.Title)
		return
	}
	for _, t := range []string{readTitle, m.docTitle} {
		if c := clean(t); c != "" {
			d.set("title", c, "page title", &d.Title)
			return
		}
	}
	for _, h := range m.h1 {
		if c := clean(h); c != "" {
			d.set("title", c, "first headline", &d.Title)
			return
		}
	}
	// A page titled only with the site's name (a home page, an "about"
	// page): that name is all it gives.
	d.set("title", collapse(firstNonEmpty(m.docTitle, first(m.titles))), "page title", &d.Title)
}

// similar is the share of a's words that are in b (both folded).
func similar(a, b string) float64 {
	wa, wb := strings.Fields(strings.ToLower(a)), strings.Fields(strings.ToLower(b))
	if len(wa) == 0 {
		return 0
	}
	set := map[string]bool{}
	for _, w := range wb {
		set[strings.Trim(w, `.,:;!?"'“”‘’()`)] = true
	}
	n := 0
	for _, w := range wa {
		if set[strings.Trim(w, `.,:;!?"'“”‘’()`)] {
			n++
		}
	}
	return float64(n) / float64(max(len(wa), len(wb)))
}

func (d *Doc) pickAuthor(m *pageMeta, readByline string) {
	for _, names := range m.authors {
		var ok []string
		for _, n := range names {
			n = cleanName(n)
			if n == "" || sameName(n, d.Outlet) || isURL(n) || accountRE.MatchString(n) {
				continue
			}
			ok = append(ok, n)
		}
		ok = withoutOrgs(ok)
		if len(ok) > 0 {
			d.set("author", joinNames(dedupe(ok)), "page metadata", &d.Author)
			return
		}
	}
	if d.Author != "" {
		return // read from a byline line in the text
	}
	for _, t := range m.bylines {
		t = byPrefixRE.ReplaceAllString(t, "")
		by := parseByline("By "+t, d.Outlet)
		if by.author == "" {
			continue
		}
		var people []string
		for _, n := range splitNames(by.author) {
			// A byline in the page names people: "Vortex" or "The" alone
			// is a handle or a broken sentence, not a name.
			if n = cleanName(n); n != "" && !accountRE.MatchString(n) && !sameName(n, d.Outlet) && len(strings.Fields(n)) >= 2 {
				people = append(people, n)
			}
		}
		if people = withoutOrgs(dedupe(people)); len(people) > 0 {
			d.set("author", joinNames(people), "byline element", &d.Author)
			d.set("date", by.date, "byline element", &d.Date)
			return
		}
	}
	if by := parseByline(readByline, d.Outlet); by.author != "" && !accountRE.MatchString(by.author) && !sameName(by.author, d.Outlet) {
		var people []string
		for _, n := range splitNames(by.author) {
			if n = cleanName(n); n != "" && len(strings.Fields(n)) >= 2 {
				people = append(people, n)
			}
		}
		d.set("author", joinNames(withoutOrgs(people)), "byline element", &d.Author)
		if by.date != "" {
			d.set("date", by.date, "byline element", &d.Date)
		}
	}
}

var urlDateRE = regexp.MustCompile(`/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|-|\.|$)`)

func (d *Doc) pickDate(m *pageMeta, pageURL string) {
	for _, s := range m.dates {
		if v, ok := normDate(s); ok {
			d.set("date", v, "page metadata", &d.Date)
			return
		}
	}
	if d.Date != "" {
		return
	}
	for _, u := range append([]string{pageURL}, m.canonical...) {
		if mm := urlDateRE.FindStringSubmatch(u); mm != nil {
			d.set("date", mm[1]+"-"+mm[2]+"-"+mm[3], "date in the page's address", &d.Date)
			return
		}
	}
}

// withoutOrgs drops organisations from a list of several names: in "Jane
// Doe and John Roe, Associated Press" the agency is the source, not a third
// author. A lone name is kept ("Reuters" is a byline).
func withoutOrgs(names []string) []string {
	if len(names) < 2 {
		return names
	}
	var people []string
	for _, n := range names {
		if !orgRE.MatchString(n) {
			people = append(people, n)
		}
	}
	if len(people) == 0 {
		return names
	}
	return people
}

// joinNames writes names as a byline: "A", "A and B", "A, B and C".
func joinNames(ns []string) string {
	switch len(ns) {
	case 0:
		return ""
	case 1:
		return ns[0]
	}
	return strings.Join(ns[:len(ns)-1], ", ") + " and " + ns[len(ns)-1]
}

var (
	byPrefixRE = regexp.MustCompile(`^(?i:(?:written |posted |reported |analysis |opinion |story |words |text |photos? )?by)\s*:?\s+`)
	roleRE     = regexp.MustCompile(`(?i)[,|]?\s*(?:staff|senior|chief|contributing|special|political|technology|tech|business|science|foreign|economics|news)?\s*(?:writer|reporter|correspondent|editor|columnist|contributor|journalist|analyst)s?\b.*$`)
)

var (
	agencySuffixRE = regexp.MustCompile(`(?i)\s+(?:the\s+)?(?:associated press|ap|reuters|afp|bloomberg|cnn|usa today|canadian press|press association|pa media)\b.*$`)
	linkWordsRE    = regexp.MustCompile(`(?i)\s+(?:view|see|read|more|all|follow|email|contact)\s+(?:more\s+|all\s+)?(?:articles|stories|posts|by|from|on|me|author)\b.*$`)
	calendarWordRE = regexp.MustCompile(`\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b.*$|\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d.*$`)
)

// cleanName tidies one name from metadata: no "By", no role, no e-mail,
// no agency or date run on after it.
func cleanName(n string) string {
	n = collapse(n)
	n = byPrefixRE.ReplaceAllString(n, "")
	if m := agencySuffixRE.ReplaceAllString(n, ""); len(strings.Fields(m)) >= 2 {
		n = m
	}
	n = calendarWordRE.ReplaceAllString(n, "")
	n = linkWordsRE.ReplaceAllString(n, "")
	// "Jane Doe. Sputnik International": a sentence break ends the name.
	if i := strings.Index(n, ". "); i > 0 && len(strings.Fields(n[:i])) >= 2 && i-strings.LastIndex(n[:i], " ") > 2 {
		n = n[:i]
	}
	if i := strings.IndexAny(n, "@<"); i >= 0 {
		n = strings.TrimSpace(n[:i])
	}
	n = strings.TrimSpace(roleRE.ReplaceAllString(n, ""))
	// "Jane Doe, CNN", "Jane Doe, MS, RDN": the name is before the comma.
	if i := strings.Index(n, ","); i > 0 && nameRE.MatchString(strings.TrimSpace(n[:i])) && len(strings.Fields(n[:i])) >= 2 {
		n = n[:i]
	}
	n = strings.Trim(n, " ,;|-–—")
	if len(n) > 60 || len(strings.Fields(n)) > 6 || len(n) < 3 {
		return ""
	}
	return n
}

// htmlFurniture are one-line paragraphs of a page that are its widgets, not
// the article.
var htmlFurniture = regexp.MustCompile(`(?i)^(?:advertisement|ad|advert|sponsored(?: content)?|story continues (?:below|after) (?:this )?advertisement|continue reading(?: below)?|scroll to continue(?: with content)?|read more:?|see also:?|related:?|related (?:articles|stories|content|coverage|topics)|most (?:read|popular|viewed)|more from [\w .'-]{1,40}|trending(?: now)?|recommended(?: for you)?|share(?: this)?(?: (?:article|story|page))?:?|comments?|\d+ comments?|view comments|show comments|leave a comment|sign up(?: for [\w .'-]{1,60})?|subscribe(?: now| today)?|newsletter|follow us(?: on [\w ]+)?|listen to (?:this )?(?:article|story)|\d+ min(?:ute)? read|print|email|image|photo|video|getty images|ap photo|reuters|close|back to top|loading\.*|(?:(?:facebook|twitter|x|email|e-mail|print|whatsapp|linkedin|pinterest|reddit|share|copy link|flipboard|messenger|tumblr|telegram|sms|comments?|mail)\s*){2,})$`)

var (
	// tailHeading opens the list of other stories after an article.
	tailHeading = regexp.MustCompile(`(?i)^(?:you (?:may|might) (?:also )?like|don'?t miss|see also|more from [\w .'-]+|related (?:stories|articles|coverage|content|links|posts)|recommended(?: for you| stories)?|read more|want more stories like this|more stories|trending(?: now| stories)?|most (?:popular|read|viewed)|latest (?:news|stories)|more on this (?:story|topic)|more (?:great |top )?[\w'’]+ stories|related news|further reading|also read|around the web|from our partners|sponsored (?:stories|links))\W*$`)
	// boilerplateRE matches the paragraph about the company that closes a
	// press release: "Ascom is a global solutions provider …".
	boilerplateRE = regexp.MustCompile(`^(?:\p{Lu}[\w&.'’-]*\s){1,5}(?:\([^)]*\)\s)?(?:is|are) (?:a|an|the|one of the)\s`)
	// dateInTextRE finds a calendar date written out (in English, or "22 de
	// janeiro de 2018", "5. März 2019" in the languages of western Europe),
	// and timeOfDayRE a time.
	dateInTextRE = regexp.MustCompile(`(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\.?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{4}\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}\.?\s+(?:de\s+)?(?:janeiro|fevereiro|março|marco|abril|maio|junho|julho|agosto|setembro|outubro|novembro|dezembro|enero|febrero|marzo|mayo|junio|julio|septiembre|setiembre|octubre|noviembre|diciembre|janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|décembre|januar|jänner|februar|märz|juni|juli|oktober|dezember|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|januari|februari|maart|mei|augustus)\s+(?:de\s+)?\d{4}\b`)
	timeOfDayRE  = regexp.MustCompile(`(?i)\b\d{1,2}[:.h]\d{2}\s*(?:[ap]\.?m\b|[A-Z]{2,4}\b)|\b\d{1,2}[:.h]\d{2}\b`)
	// statusWordRE finds "published", "updated", "posted", in English and
	// in those languages ("publié", "atualizado", "aktualisiert").
	statusWordRE = regexp.MustCompile(`(?i)\b(?:published|updated|posted|publi[ée]e?|mis à jour|publicad[oa]|atualizad[oa]|actualizad[oa]|ver[öo]ffentlicht|aktualisiert|pubblicat[oa]|aggiornat[oa]|gepubliceerd|bijgewerkt)`)
	// aboutAuthorRE heads the author's bio after an article.
	aboutAuthorRE = regexp.MustCompile(`(?i)^(?:about the author|about [\w .'-]+|the author|author)$`)
)

// cleanBody drops what the extractor kept that is not the article: the
// headline repeated, byline and date lines (read into the front matter
// when the metadata lacked them), widgets, and any paragraph that is a
// reader comment.
func (d *Doc) cleanBody(comments []Comment, m *pageMeta) {
	authors := authorNames(m)
	if d.Author != "" {
		authors[fold(d.Author)] = true
	}
	inComments := map[string]bool{}
	for _, c := range comments {
		for _, p := range c.Paras {
			inComments[p.Text()] = true
		}
	}
	var out []Para
	body := d.Body
	for i := 0; i < len(body); i++ {
		p := body[i]
		t := collapse(p.Text())
		top := i < 6 && len(out) < 4
		if tail := len(t) < 60 && tailHeading.MatchString(t) || len(p.Lines) > 1 && tailHeading.MatchString(collapse(p.Lines[0])); tail ||
			i > len(body)/2 && p.Heading > 0 && (aboutAuthorRE.MatchString(t) || authors[fold(t)]) ||
			i > len(body)/2 && p.afterRule && boilerplateRE.MatchString(t) {
			// "You may also like…", "Don't miss": other stories follow.
			// When the article goes on after them, only they go.
			end := teaserRun(body, i+1)
			// The teasers may follow the heading, or share its paragraph
			// ("DON'T MISS" and three linked headlines, one per line).
			teasers := end > i+1 || len(p.Lines) > 1 && p.links >= 0.5
			// Late in the page, the article goes on after the heading only
			// if no linked headline (another story's) follows: "Read
			// More" is also the button that unfolds the rest of a story.
			if tail && proseWords(body[end:]) >= 50 && (teasers || i <= len(body)/2 || !linkedHeading(body[end:])) {
				for _, q := range body[i:end] {
					d.Removed = append(d.Removed, Removed{Rule: "related", Text: collapse(q.Text())})
				}
				i = end - 1
				continue
			}
			if i > len(body)/2 || proseWords(body[end:]) < 50 {
				for _, q := range body[i:] {
					d.Removed = append(d.Removed, Removed{Rule: "related", Text: collapse(q.Text())})
				}
				break
			}
		}
		// A run of other stories' headlines inside the article, under a
		// short heading ("More:") or not.
		if end := headlineRun(body, i); end-i >= 2 {
			for _, q := range body[i:end] {
				d.Removed = append(d.Removed, Removed{Rule: "related", Text: collapse(q.Text())})
			}
			if len(out) > 0 && len(strings.Fields(out[len(out)-1].Text())) <= 4 && (out[len(out)-1].Heading > 0 || strings.HasSuffix(out[len(out)-1].Text(), ":")) {
				d.Removed = append(d.Removed, Removed{Rule: "related", Text: collapse(out[len(out)-1].Text())})
				out = out[:len(out)-1]
			}
			i = end - 1
			continue
		}
		switch {
		case t == "":
			continue
		case len(t) < 200 && p.Heading == 0 && !p.Quote && shouting(t) && len(strings.Fields(t)) >= 6:
			d.Removed = append(d.Removed, Removed{Rule: "promo", Text: t})
			continue
		case len(t) < 300 && (numbersRE.MatchString(t) && !p.Cell || isURL(t) && !strings.Contains(t, " ") || furnitureLine(t)) &&
			!closingNotice(t, out, body[i+1:]):
			d.Removed = append(d.Removed, Removed{Rule: "furniture", Text: t})
			continue
		case top && (strings.EqualFold(t, d.Title) || p.Heading > 0 && similar(t, d.Title) > 0.8 || p.Heading > 0 && otherHeadline(t, m)):
			d.Removed = append(d.Removed, Removed{Rule: "headline", Text: t})
			continue
		case top && dateline(t):
			d.Removed = append(d.Removed, Removed{Rule: "dateline", Text: t})
			continue
		case len(p.Lines) == 1 && len(t) <= 80 && len(authors) > 0 && authors[fold(t)]:
			d.Removed = append(d.Removed, Removed{Rule: "byline", Text: t})
			continue
		case len(p.Lines) <= 2 && len(t) < 120 && htmlFurniture.MatchString(t):
			d.Removed = append(d.Removed, Removed{Rule: "widget", Text: t})
			continue
		case inComments[p.Text()]:
			d.Removed = append(d.Removed, Removed{Rule: "comment", Text: t})
			continue
		}
		if r, ok := match(banners, t, true); ok && top && len(p.Lines) == 1 {
			d.Removed = append(d.Removed, Removed{Rule: r.name, Text: t})
			continue
		}
		if r, ok := match(dropLines, t, true); ok && len(p.Lines) == 1 {
			d.Removed = append(d.Removed, Removed{Rule: r.name, Text: t})
			continue
		}
		if top && len(t) < 160 {
			if by := parseByline(t, d.Outlet); by.author != "" || by.date != "" && by.rest == "" {
				d.set("author", by.author, "byline line", &d.Author)
				d.set("date", by.date, "byline line", &d.Date)
				d.Removed = append(d.Removed, Removed{Rule: "byline", Text: t})
				continue
			}
			// "by Regan September 15, 2014": a name the metadata gives as
			// the author, and a date.
			if date, ok := knownByline(t, authors); ok {
				d.set("date", date, "byline line", &d.Date)
				d.Removed = append(d.Removed, Removed{Rule: "byline", Text: t})
				continue
			}
		}
		out = append(out, p)
	}
	// Other stories' headlines, all links, close the page.
	n := len(out)
	for n > 0 && out[n-1].links >= 0.6 && words(out[n-1:n]) <= 30 {
		n--
	}
	if len(out)-n >= 2 {
		for _, q := range out[n:] {
			d.Removed = append(d.Removed, Removed{Rule: "related", Text: collapse(q.Text())})
		}
		out = out[:n]
	}
	d.Body = out
}

// otherHeadline reports whether t is one of the headlines the metadata
// gives the article (a page may show its social headline above the text).
func otherHeadline(t string, m *pageMeta) bool {
	for _, h := range m.titles {
		if h != "" && similar(t, h) > 0.8 {
			return true
		}
	}
	return false
}

// dateline reports a short line that says when the article was published:
// "November 18, 2019 | 4:10pm", "Detroit News wire services Published
// 11:11 PM EST Nov 19, 2019".
func dateline(t string) bool {
	if len(strings.Fields(t)) > 14 {
		return false
	}
	loc := dateInTextRE.FindStringIndex(t)
	return loc != nil && (loc[0] == 0 || timeOfDayRE.MatchString(t) || statusWordRE.MatchString(t))
}

// teaserRun returns the end of the run of other stories' teasers that
// starts at i: headlines that are links, each perhaps with a short summary.
func teaserRun(body []Para, i int) int {
	for i < len(body) {
		p := body[i]
		switch {
		case p.links >= 0.6:
		case i > 0 && body[i-1].links >= 0.6 && len(body[i-1].Lines) == 1 && p.links < 0.3 && words(body[i:i+1]) <= 50 && words(body[i-1:i]) <= 25:
			// the summary under a headline
		default:
			return i
		}
		i++
	}
	return i
}

// headlineRun returns the end of the run of paragraphs from i that are
// each a short link and not a sentence: other stories' headlines, not a
// list of sources the article cites.
func headlineRun(body []Para, i int) int {
	for ; i < len(body); i++ {
		t := strings.TrimSpace(body[i].Text())
		if body[i].links < 0.9 || len(strings.Fields(t)) > 20 || strings.HasSuffix(t, ".") {
			return i
		}
	}
	return i
}

// proseWords counts the words of the paragraphs that read as article text:
// a dozen words or more, few of them links.
// rightsNoticeRE matches a rights notice: "© 2019 Associated Press. All
// Rights Reserved. This material may not be published …", "Copyright 2019
// Hawaii News Now. All rights reserved."
var rightsNoticeRE = regexp.MustCompile(`(?i)^(?:©|\(c\)|copyright)\s.{0,80}\ball rights reserved\b`)

// closingNotice reports a rights notice that closes the article's text
// (the prose kept so far is an article, none follows): the notice a wire
// or a station prints under its story is part of the story as published,
// as a credit or a site's footer in the text is not.
func closingNotice(t string, kept, after []Para) bool {
	return rightsNoticeRE.MatchString(t) && proseWords(after) == 0 && proseWords(kept) >= 50
}

// linkedHeading reports whether a heading that is a link (another
// story's headline) is among ps.
func linkedHeading(ps []Para) bool {
	for _, p := range ps {
		if p.Heading > 0 && p.links >= 0.5 {
			return true
		}
	}
	return false
}

func proseWords(ps []Para) int {
	n := 0
	for _, p := range ps {
		if w := words([]Para{p}); w >= 12 && p.links < 0.5 {
			n += w
		}
	}
	return n
}

// authorNames are the folded names of the people the metadata gives as
// the article's authors.
func authorNames(m *pageMeta) map[string]bool {
	out := map[string]bool{}
	for _, names := range m.authors {
		for _, n := range names {
			if n = cleanName(n); n != "" {
				out[fold(n)] = true
			}
		}
	}
	return out
}

// knownByline reads a line that is an author the metadata names, perhaps
// after "By", followed by a date or nothing.
func knownByline(t string, authors map[string]bool) (string, bool) {
	t = byPrefixRE.ReplaceAllString(t, "")
	fs := strings.Fields(t)
	for k := min(len(fs), 6); k >= 1; k-- {
		if !authors[fold(strings.Join(fs[:k], " "))] {
			continue
		}
		rest := strings.Trim(strings.Join(fs[k:], " "), " ,|·•-–—")
		if rest == "" {
			return "", true
		}
		if date, ok := parseDateText(rest); ok {
			return date, true
		}
		return "", false
	}
	return "", false
}
