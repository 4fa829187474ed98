package shortcode

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"math"
	"net/url"
	"path"
	"reflect"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// funcMap is the functions that shortcode and partial templates may use:
// the part of Hugo's template functions that makes sense without Hugo's
// asset pipeline. A template that calls another is a parse error naming
// the function, which the build reports with the file.
func (s *Set) funcMap() template.FuncMap {
	strs := stringsNS{}
	coll := collectionsNS{}
	m := mathNS{}
	fm := template.FuncMap{
		// strings
		"lower": func(v any) string { return strings.ToLower(toString(v)) },
		"upper": func(v any) string { return strings.ToUpper(toString(v)) },
		"title": strs.Title, "trim": strs.Trim, "chomp": strs.Chomp, "replace": strs.Replace,
		"replaceRE": strs.ReplaceRE, "findRE": strs.FindRE, "split": strs.Split, "substr": strs.Substr,
		"truncate": strs.Truncate, "hasPrefix": strs.HasPrefix, "hasSuffix": strs.HasSuffix,
		"plainify": plainify, "htmlEscape": func(v any) string { return html.EscapeString(toString(v)) },
		"htmlUnescape": func(v any) string { return html.UnescapeString(toString(v)) },
		"humanize":     humanize, "urlize": s.urlize, "anchorize": anchorize,
		"markdownify": s.markdownify, "emojify": func(v any) template.HTML { return template.HTML(toString(v)) },
		"countwords": strs.CountWords, "countrunes": strs.CountRunes,
		"print": fmt.Sprint, "printf": fmt.Sprintf, "println": fmt.Sprintln,
		"string": toString, "int": castInt, "float": castFloat,
		"safeHTML":     func(v any) template.HTML { return template.HTML(toString(v)) },
		"safeHTMLAttr": func(v any) template.HTMLAttr { return template.HTMLAttr(toString(v)) },
		"safeURL":      func(v any) template.URL { return template.URL(toString(v)) },
		"safeJS":       func(v any) template.JS { return template.JS(toString(v)) },
		"safeCSS":      func(v any) template.CSS { return template.CSS(toString(v)) },
		"strings":      func() stringsNS { return strs },
		// collections
		"dict": coll.Dictionary, "slice": coll.Slice, "first": coll.First, "last": coll.Last,
		"after": coll.After, "in": coll.In, "where": coll.Where, "sort": coll.Sort, "seq": coll.Seq,
		"append": coll.Append, "delimit": coll.Delimit, "isset": coll.IsSet, "default": dfault,
		"uniq": coll.Uniq, "intersect": coll.Intersect, "union": coll.Union, "complement": coll.Complement,
		"collections": func() collectionsNS { return coll },
		// math
		"add": m.Add, "sub": m.Sub, "mul": m.Mul, "div": m.Div, "mod": m.Mod,
		"modBool": func(a, b any) (bool, error) { r, err := m.Mod(a, b); return r == 0, err },
		"math":    func() mathNS { return m },
		// logic and errors
		"cond": func(c bool, a, b any) any {
			if c {
				return a
			}
			return b
		},
		"errorf": func(format string, args ...any) (string, error) {
			return "", &templateError{msg: fmt.Sprintf(format, args...)}
		},
		"erroridf": func(id, format string, args ...any) (string, error) {
			return "", &templateError{msg: fmt.Sprintf(format, args...)}
		},
		"warnf":   func(format string, args ...any) string { s.warn(fmt.Sprintf(format, args...)); return "" },
		"warnidf": func(id, format string, args ...any) string { s.warn(fmt.Sprintf(format, args...)); return "" },
		"fmt":     func() fmtNS { return fmtNS{s} },
		"i18n":    s.translate,
		"T":       s.translate,
		"lang":    func() langNS { return langNS{s} },
		"now":     func() time.Time { return s.now },
		"time": func(args ...any) (any, error) {
			if len(args) == 0 {
				return timeNS{}, nil
			}
			return asTime(args[0])
		},
		"index":         index,
		"dateFormat":    func(layout string, v any) (string, error) { return timeNS{}.Format(layout, v) },
		"partial":       s.partial,
		"partialCached": func(name string, ctx any, _ ...any) (template.HTML, error) { return s.partial(name, ctx) },
		// URLs
		"relURL": s.relURL, "absURL": s.absURL, "relLangURL": s.relURL, "absLangURL": s.absURL,
		"ref": s.refFunc(false), "relref": s.refFunc(true),
		"urls": func() urlsNS { return urlsNS{s} },
		"path": func() pathNS { return pathNS{} },
		// data and files
		"jsonify": func(args ...any) (template.HTML, error) {
			b, err := json.Marshal(args[len(args)-1])
			return template.HTML(b), err
		},
		"base64Encode": func(v any) string { return base64.StdEncoding.EncodeToString([]byte(toString(v))) },
		"base64Decode": func(v any) (string, error) {
			b, err := base64.StdEncoding.DecodeString(toString(v))
			return string(b), err
		},
		"md5":      func(v any) string { h := md5.Sum([]byte(toString(v))); return hex.EncodeToString(h[:]) },
		"sha1":     func(v any) string { h := sha1.Sum([]byte(toString(v))); return hex.EncodeToString(h[:]) },
		"sha256":   func(v any) string { h := sha256.Sum256([]byte(toString(v))); return hex.EncodeToString(h[:]) },
		"readFile": s.readFile, "fileExists": s.fileExists, "readDir": s.readDir,
		"os":          func() osNS { return osNS{s} },
		"getenv":      func(string) string { return "" },
		"site":        func() *Site { return s.site },
		"hugo":        func() hugoNS { return hugoNS{s} },
		"newScratch":  NewScratch,
		"transform":   func() transformNS { return transformNS{s} },
		"highlight":   s.highlightFunc,
		"safe":        func() safeNS { return safeNS{} },
		"crypto":      func() cryptoNS { return cryptoNS{} },
		"encoding":    func() encodingNS { return encodingNS{} },
		"inflect":     func() inflectNS { return inflectNS{} },
		"humanizeFn":  humanize,
		"resources":   func() resourcesNS { return resourcesNS{} },
		"images":      func() resourcesNS { return resourcesNS{} },
		"templates":   func() templatesNS { return templatesNS{s} },
		"try":         func(v any) tryResult { return tryResult{Value: v} },
		"debug":       func() debugNS { return debugNS{} },
		"getJSON":     unsupported("getJSON (remote data)"),
		"getCSV":      unsupported("getCSV (remote data)"),
		"imageConfig": unsupported("imageConfig"),
	}
	return fm
}

// templateError is an error a template raised itself (errorf).
type templateError struct{ msg string }

func (e *templateError) Error() string { return e.msg }

func unsupported(name string) func(...any) (string, error) {
	return func(...any) (string, error) {
		return "", fmt.Errorf("%s is not supported by the archive's shortcodes", name)
	}
}

type tryResult struct {
	Value any
	Err   error
}

func castInt(v any) (int, error) {
	if s, ok := v.(string); ok {
		s = strings.TrimSpace(s)
		if f, ok := toFloat(s); ok {
			return int(f), nil
		}
	}
	if n, ok := toInt(v); ok {
		return n, nil
	}
	return 0, fmt.Errorf("cannot convert %v to int", v)
}

func castFloat(v any) (float64, error) {
	if f, ok := toFloat(v); ok {
		return f, nil
	}
	return 0, fmt.Errorf("cannot convert %v to float", v)
}

func dfault(def any, given ...any) any {
	if len(given) == 0 || !truth(given[0]) {
		return def
	}
	return given[0]
}

func asTime(v any, _ ...any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x, nil
	case int:
		return time.Unix(int64(x), 0).UTC(), nil
	case int64:
		return time.Unix(x, 0).UTC(), nil
	case float64:
		return time.Unix(int64(x), 0).UTC(), nil
	case string:
		for _, l := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02", "2 January 2006"} {
			if t, err := time.Parse(l, strings.TrimSpace(x)); err == nil {
				return t, nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("cannot read %v as a time", v)
}

// plainify strips HTML tags.
func plainify(v any) string {
	s := toString(v)
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// humanize makes "my-first-post" "My first post" (and 1 "1st").
func humanize(v any) string {
	if n, ok := v.(int); ok {
		return ordinal(n)
	}
	s := strings.TrimSpace(strings.NewReplacer("-", " ", "_", " ").Replace(toString(v)))
	if s == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + strings.ToLower(s[n:])
}

func ordinal(n int) string {
	suf := "th"
	switch n % 100 {
	case 11, 12, 13:
	default:
		switch n % 10 {
		case 1:
			suf = "st"
		case 2:
			suf = "nd"
		case 3:
			suf = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suf)
}

// anchorize makes a heading's id as Hugo's anchorize (GitHub style).
func anchorize(v any) string { return GitHubID(toString(v), false) }

// GitHubID makes an id of a heading's text as GitHub (and Hugo's "github"
// autoHeadingIDType) do: each space or hyphen a hyphen; letters, digits
// and _ lower-cased; everything else dropped. ascii drops non-ASCII
// letters too ("github-ascii").
func GitHubID(s string, ascii bool) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case ascii && r >= utf8.RuneSelf:
		case r == '-' || r == ' ':
			b.WriteByte('-')
		case r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// BlackfridayID makes an id as Blackfriday did (Hugo's "blackfriday"
// autoHeadingIDType): letters and digits kept, every run of other
// characters one hyphen, none at the ends.
func BlackfridayID(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	return b.String()
}

// urlize makes a URL segment as Hugo's urlize.
func (s *Set) urlize(v any) string { return URLize(toString(v), s.opts.disablePathToLower) }

// MakePath is Hugo's UnicodeSanitize: letters, digits, marks and . / \ _ #
// + ~ - @ kept, %XX escapes kept, each run of spaces one hyphen, every
// other character dropped.
func MakePath(s string) string {
	src := []rune(s)
	out := make([]rune, 0, len(src))
	prependHyphen, wasHyphen := false, false
	for i, r := range src {
		ok := strings.ContainsRune("./\\_#+~-@", r) || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) ||
			(r == '%' && i+2 < len(src) && isHex(src[i+1]) && isHex(src[i+2]))
		if ok {
			wasHyphen = r == '-'
			if prependHyphen {
				if !wasHyphen {
					out = append(out, '-')
				}
				prependHyphen = false
			}
			out = append(out, r)
		} else if len(out) > 0 && !wasHyphen && unicode.IsSpace(r) {
			prependHyphen = true
		}
	}
	return string(out)
}

func isHex(r rune) bool {
	return (r >= '0' && r <= '9') || (r >= 'a' && r <= 'f') || (r >= 'A' && r <= 'F')
}

// URLize is Hugo's urlize: MakePath, lower-cased unless keepCase, then
// escaped as a URL path.
func URLize(s string, keepCase bool) string {
	p := MakePath(s)
	if !keepCase {
		p = strings.ToLower(p)
	}
	u, err := url.Parse(p)
	if err != nil {
		return (&url.URL{Path: p}).String()
	}
	return u.String()
}

func (s *Set) markdownify(v any) (template.HTML, error) {
	if s.opts.markdown == nil {
		return template.HTML(html.EscapeString(toString(v))), nil
	}
	out, err := s.opts.markdown(toString(v))
	if err != nil {
		return "", err
	}
	return template.HTML(StripParagraph(out)), nil
}

// StripParagraph removes the <p> around HTML that is one paragraph, as
// Hugo's markdownify does.
func StripParagraph(h string) string {
	t := strings.TrimSpace(h)
	if strings.HasPrefix(t, "<p>") && strings.HasSuffix(t, "</p>") && strings.Count(t, "<p>") == 1 {
		return t[3 : len(t)-4]
	}
	return h
}

func (s *Set) relURL(v any) template.URL {
	in := toString(v)
	if strings.Contains(in, "://") || strings.HasPrefix(in, "//") {
		return template.URL(in)
	}
	base := "/"
	if u, err := url.Parse(s.site.BaseURL); err == nil && u.Path != "" {
		base = u.Path
	}
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	if strings.HasPrefix(in, base) {
		return template.URL(in)
	}
	return template.URL(base + strings.TrimPrefix(in, "/"))
}

func (s *Set) absURL(v any) template.URL {
	in := toString(v)
	if strings.Contains(in, "://") || strings.HasPrefix(in, "//") {
		return template.URL(in)
	}
	rel := string(s.relURL(in))
	u, err := url.Parse(s.site.BaseURL)
	if err != nil || u.Host == "" {
		return template.URL(rel)
	}
	return template.URL(u.Scheme + "://" + u.Host + rel)
}

// refFunc is ref/relref as functions: {{ relref . "x.md" }}.
func (s *Set) refFunc(rel bool) func(ctx any, ref any) (string, error) {
	return func(ctx any, ref any) (string, error) {
		var from *Page
		switch c := ctx.(type) {
		case *Page:
			from = c
		case *Context:
			from = c.Page
		}
		r := ""
		switch x := ref.(type) {
		case string:
			r = x
		case map[string]any:
			r = toString(x["path"])
		}
		return s.Resolve(from, r, rel)
	}
}

// Resolve gives the URL of the page ref names, with its #fragment, as
// ref (absolute) and relref do.
func (s *Set) Resolve(from *Page, ref string, rel bool) (string, error) {
	target, frag, _ := strings.Cut(ref, "#")
	var p *Page
	if target == "" {
		p = from
	} else {
		var err error
		p, err = s.site.lookup(from, target)
		if err != nil {
			return "", err
		}
	}
	if p == nil {
		return "", fmt.Errorf("REF_NOT_FOUND: page %q not found", ref)
	}
	u := p.Permalink
	if rel {
		u = p.RelPermalink
	}
	if frag != "" {
		u += "#" + frag
	}
	return u, nil
}

func (s *Set) translate(id any, args ...any) (string, error) {
	key := strings.ToLower(toString(id))
	v, ok := s.site.i18n[key]
	if !ok {
		return "", nil
	}
	var arg any
	if len(args) > 0 {
		arg = args[0]
	}
	count := 0
	if n, ok := toInt(arg); ok {
		count = n
	} else if m, ok := arg.(map[string]any); ok {
		count, _ = toInt(m["Count"])
	}
	text := ""
	switch x := v.(type) {
	case string:
		text = x
	case map[string]any:
		if count == 1 {
			if o, ok := x["one"].(string); ok {
				text = o
			}
		}
		if text == "" {
			text = toString(x["other"])
		}
		if t, ok := x["translation"]; ok && text == "" {
			switch tt := t.(type) {
			case string:
				text = tt
			case map[string]any:
				text = toString(tt["other"])
				if count == 1 && tt["one"] != nil {
					text = toString(tt["one"])
				}
			}
		}
	}
	if !strings.Contains(text, "{{") {
		return text, nil
	}
	t, err := template.New(key).Parse(text)
	if err != nil {
		return text, nil
	}
	data := arg
	if n, ok := toInt(arg); ok {
		data = map[string]any{"Count": n}
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return text, nil
	}
	return html.UnescapeString(b.String()), nil
}

type stringsNS struct{}

func (stringsNS) Title(v any) string {
	words := strings.Fields(toString(v))
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(words, " ")
}
func (stringsNS) Trim(v any, cut string) string { return strings.Trim(toString(v), cut) }
func (stringsNS) TrimLeft(cut string, v any) string {
	return strings.TrimLeft(toString(v), cut)
}
func (stringsNS) TrimRight(cut string, v any) string {
	return strings.TrimRight(toString(v), cut)
}
func (stringsNS) TrimPrefix(prefix string, v any) string {
	return strings.TrimPrefix(toString(v), prefix)
}
func (stringsNS) TrimSuffix(suffix string, v any) string {
	return strings.TrimSuffix(toString(v), suffix)
}
func (stringsNS) TrimSpace(v any) string { return strings.TrimSpace(toString(v)) }
func (stringsNS) Chomp(v any) string     { return strings.TrimRight(toString(v), "\r\n") }
func (stringsNS) Replace(v any, old, new any, limit ...int) string {
	n := -1
	if len(limit) > 0 {
		n = limit[0]
	}
	return strings.Replace(toString(v), toString(old), toString(new), n)
}
func (stringsNS) ReplaceRE(pattern, repl string, v any, limit ...int) (string, error) {
	re, err := compileRE(pattern)
	if err != nil {
		return "", err
	}
	s := toString(v)
	if len(limit) == 0 || limit[0] < 0 {
		return re.ReplaceAllString(s, repl), nil
	}
	n := limit[0]
	return re.ReplaceAllStringFunc(s, func(m string) string {
		if n <= 0 {
			return m
		}
		n--
		return re.ReplaceAllString(m, repl)
	}), nil
}
func (stringsNS) FindRE(pattern string, v any, limit ...int) ([]string, error) {
	re, err := compileRE(pattern)
	if err != nil {
		return nil, err
	}
	n := -1
	if len(limit) > 0 {
		n = limit[0]
	}
	return re.FindAllString(toString(v), n), nil
}
func (stringsNS) FindRESubmatch(pattern string, v any, limit ...int) ([][]string, error) {
	re, err := compileRE(pattern)
	if err != nil {
		return nil, err
	}
	n := -1
	if len(limit) > 0 {
		n = limit[0]
	}
	return re.FindAllStringSubmatch(toString(v), n), nil
}
func (stringsNS) Split(v any, sep string) []string { return strings.Split(toString(v), sep) }
func (stringsNS) Substr(v any, start int, length ...int) string {
	r := []rune(toString(v))
	if start < 0 {
		start += len(r)
	}
	start = max(0, min(start, len(r)))
	end := len(r)
	if len(length) > 0 {
		if length[0] < 0 {
			end = max(start, len(r)+length[0])
		} else {
			end = min(len(r), start+length[0])
		}
	}
	return string(r[start:end])
}
func (stringsNS) Truncate(n int, args ...any) (template.HTML, error) {
	if len(args) == 0 {
		return "", errors.New("truncate needs a text")
	}
	ellipsis, text := " …", toString(args[len(args)-1])
	if len(args) == 2 {
		ellipsis = toString(args[0])
	}
	r := []rune(plainify(text))
	if len(r) <= n {
		return template.HTML(text), nil
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > 0 {
		cut = cut[:i]
	}
	return template.HTML(html.EscapeString(cut) + ellipsis), nil
}
func (stringsNS) HasPrefix(v any, p any) bool { return strings.HasPrefix(toString(v), toString(p)) }
func (stringsNS) HasSuffix(v any, p any) bool { return strings.HasSuffix(toString(v), toString(p)) }
func (stringsNS) Contains(v any, p any) bool  { return strings.Contains(toString(v), toString(p)) }
func (stringsNS) ContainsAny(v any, p any) bool {
	return strings.ContainsAny(toString(v), toString(p))
}
func (stringsNS) CountWords(v any) int { return len(strings.Fields(plainify(v))) }
func (stringsNS) CountRunes(v any) int {
	return utf8.RuneCountInString(strings.Join(strings.Fields(plainify(v)), ""))
}
func (stringsNS) ToLower(v any) string { return strings.ToLower(toString(v)) }
func (stringsNS) ToUpper(v any) string { return strings.ToUpper(toString(v)) }
func (stringsNS) Repeat(n int, v any) string {
	return strings.Repeat(toString(v), max(n, 0))
}
func (stringsNS) FirstUpper(v any) string {
	s := toString(v)
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
func (stringsNS) RuneCount(v any) int { return utf8.RuneCountInString(toString(v)) }

type collectionsNS struct{}

func (collectionsNS) Dictionary(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, errors.New("dict needs key and value pairs")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		m[toString(kv[i])] = kv[i+1]
	}
	return m, nil
}
func (collectionsNS) Slice(v ...any) []any { return v }
func (collectionsNS) First(n any, list any) (any, error) {
	k, ok := toInt(n)
	if !ok {
		return nil, fmt.Errorf("first: %v is not a number", n)
	}
	l, err := items(list)
	if err != nil {
		return nil, err
	}
	return l[:min(max(k, 0), len(l))], nil
}
func (collectionsNS) Last(n any, list any) (any, error) {
	k, _ := toInt(n)
	l, err := items(list)
	if err != nil {
		return nil, err
	}
	return l[len(l)-min(max(k, 0), len(l)):], nil
}
func (collectionsNS) After(n any, list any) (any, error) {
	k, _ := toInt(n)
	l, err := items(list)
	if err != nil {
		return nil, err
	}
	return l[min(max(k, 0), len(l)):], nil
}
func (collectionsNS) In(list any, v any) bool {
	if s, ok := list.(string); ok {
		return strings.Contains(s, toString(v))
	}
	l, _ := items(list)
	for _, x := range l {
		if reflect.DeepEqual(x, v) || toString(x) == toString(v) {
			return true
		}
	}
	return false
}
func (collectionsNS) IsSet(c any, key any) bool {
	rv := reflect.ValueOf(c)
	switch rv.Kind() {
	case reflect.Map:
		return rv.MapIndex(reflect.ValueOf(toString(key))).IsValid()
	case reflect.Slice, reflect.Array:
		k, _ := toInt(key)
		return k >= 0 && k < rv.Len()
	}
	return false
}
func (c collectionsNS) Append(args ...any) ([]any, error) {
	if len(args) < 2 {
		return nil, errors.New("append needs a list and values")
	}
	l, err := items(args[len(args)-1])
	if err != nil {
		return nil, err
	}
	out := append([]any(nil), l...)
	return append(out, args[:len(args)-1]...), nil
}
func (collectionsNS) Delimit(list any, sep any, last ...any) (template.HTML, error) {
	l, err := items(list)
	if err != nil {
		return "", err
	}
	parts := make([]string, len(l))
	for i, x := range l {
		parts[i] = toString(x)
	}
	if len(last) > 0 && len(parts) > 1 {
		return template.HTML(strings.Join(parts[:len(parts)-1], toString(sep)) + toString(last[0]) + parts[len(parts)-1]), nil
	}
	return template.HTML(strings.Join(parts, toString(sep))), nil
}
func (collectionsNS) Seq(args ...any) ([]int, error) {
	var nums []int
	for _, a := range args {
		n, ok := toInt(a)
		if !ok {
			return nil, fmt.Errorf("seq: %v is not a number", a)
		}
		nums = append(nums, n)
	}
	first, inc, last := 1, 1, 0
	switch len(nums) {
	case 1:
		last = nums[0]
		if last < 0 {
			first, inc = -1, -1
		}
	case 2:
		first, last = nums[0], nums[1]
		if last < first {
			inc = -1
		}
	case 3:
		first, inc, last = nums[0], nums[1], nums[2]
	default:
		return nil, errors.New("seq needs 1 to 3 numbers")
	}
	if inc == 0 || (last-first)/inc > 100000 {
		return nil, errors.New("seq: too many numbers")
	}
	var out []int
	for i := first; (inc > 0 && i <= last) || (inc < 0 && i >= last); i += inc {
		out = append(out, i)
	}
	return out, nil
}
func (collectionsNS) Uniq(list any) ([]any, error) {
	l, err := items(list)
	if err != nil {
		return nil, err
	}
	var out []any
	seen := map[string]bool{}
	for _, x := range l {
		k := fmt.Sprintf("%T:%v", x, x)
		if !seen[k] {
			seen[k] = true
			out = append(out, x)
		}
	}
	return out, nil
}
func (c collectionsNS) Intersect(a, b any) ([]any, error) {
	la, err := items(a)
	if err != nil {
		return nil, err
	}
	var out []any
	for _, x := range la {
		if c.In(b, x) && !c.In(out, x) {
			out = append(out, x)
		}
	}
	return out, nil
}
func (c collectionsNS) Union(a, b any) ([]any, error) {
	la, err := items(a)
	if err != nil {
		return nil, err
	}
	lb, err := items(b)
	if err != nil {
		return nil, err
	}
	var out []any
	for _, x := range append(la, lb...) {
		if !c.In(out, x) {
			out = append(out, x)
		}
	}
	return out, nil
}
func (c collectionsNS) Complement(args ...any) ([]any, error) {
	if len(args) < 2 {
		return nil, errors.New("complement needs lists")
	}
	l, err := items(args[len(args)-1])
	if err != nil {
		return nil, err
	}
	var out []any
	for _, x := range l {
		in := false
		for _, other := range args[:len(args)-1] {
			if c.In(other, x) {
				in = true
			}
		}
		if !in {
			out = append(out, x)
		}
	}
	return out, nil
}

// field reads a dotted key ("Params.tags", ".Title") of a value.
func field(v any, key string) any {
	for _, part := range strings.Split(strings.TrimPrefix(key, "."), ".") {
		if v == nil {
			return nil
		}
		rv := reflect.ValueOf(v)
		if rv.Kind() == reflect.Map {
			x := rv.MapIndex(reflect.ValueOf(part))
			if !x.IsValid() {
				x = rv.MapIndex(reflect.ValueOf(strings.ToLower(part)))
			}
			if !x.IsValid() {
				return nil
			}
			v = x.Interface()
			continue
		}
		if m := rv.MethodByName(part); m.IsValid() && m.Type().NumIn() == 0 && m.Type().NumOut() >= 1 {
			v = m.Call(nil)[0].Interface()
			continue
		}
		for rv.Kind() == reflect.Pointer {
			if rv.IsNil() {
				return nil
			}
			rv = rv.Elem()
		}
		if rv.Kind() != reflect.Struct {
			return nil
		}
		f := rv.FieldByName(part)
		if !f.IsValid() {
			return nil
		}
		v = f.Interface()
	}
	return v
}

// Where filters a list by a field: where list "Section" "post", or with an
// operator: where list ".Params.tags" "intersect" (slice "a").
func (c collectionsNS) Where(list any, key string, args ...any) ([]any, error) {
	l, err := items(list)
	if err != nil {
		return nil, err
	}
	op, want := "eq", any(nil)
	switch len(args) {
	case 1:
		want = args[0]
	case 2:
		op, want = toString(args[0]), args[1]
	default:
		return nil, errors.New("where needs a key and a value")
	}
	var out []any
	for _, x := range l {
		got := field(x, key)
		ok := false
		switch op {
		case "eq", "=", "==":
			ok = equal(got, want)
		case "ne", "!=", "<>":
			ok = !equal(got, want)
		case "in":
			ok = c.In(want, got)
		case "not in":
			ok = !c.In(want, got)
		case "intersect":
			in, _ := c.Intersect(got, want)
			ok = len(in) > 0
		case ">", ">=", "<", "<=", "gt", "ge", "lt", "le":
			a, aok := toFloat(got)
			b, bok := toFloat(want)
			if aok && bok {
				switch op {
				case ">", "gt":
					ok = a > b
				case ">=", "ge":
					ok = a >= b
				case "<", "lt":
					ok = a < b
				default:
					ok = a <= b
				}
			} else {
				sa, sb := toString(got), toString(want)
				switch op {
				case ">", "gt":
					ok = sa > sb
				case ">=", "ge":
					ok = sa >= sb
				case "<", "lt":
					ok = sa < sb
				default:
					ok = sa <= sb
				}
			}
		case "like":
			ok = matchRE(toString(want), toString(got))
		default:
			return nil, fmt.Errorf("where: operator %q is not supported", op)
		}
		if ok {
			out = append(out, x)
		}
	}
	return out, nil
}

func equal(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if fa, ok := toFloat(a); ok {
		if fb, ok := toFloat(b); ok {
			if _, sa := a.(string); !sa {
				if _, sb := b.(string); !sb {
					return fa == fb
				}
			}
		}
	}
	return reflect.DeepEqual(a, b) || toString(a) == toString(b)
}

func (collectionsNS) Sort(list any, args ...any) ([]any, error) {
	l, err := items(list)
	if err != nil {
		return nil, err
	}
	out := append([]any(nil), l...)
	key, desc := "", false
	if len(args) > 0 {
		key = toString(args[0])
		if key == "value" {
			key = ""
		}
	}
	if len(args) > 1 {
		desc = strings.EqualFold(toString(args[1]), "desc")
	}
	val := func(x any) any {
		if key == "" {
			return x
		}
		return field(x, key)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := val(out[i]), val(out[j])
		var less bool
		fa, aok := toFloat(a)
		fb, bok := toFloat(b)
		if ta, ok := a.(time.Time); ok {
			tb, _ := b.(time.Time)
			less = ta.Before(tb)
		} else if aok && bok {
			less = fa < fb
		} else {
			less = toString(a) < toString(b)
		}
		if desc {
			return !less && toString(a) != toString(b)
		}
		return less
	})
	return out, nil
}

type mathNS struct{}

func arith(a, b any, op func(x, y float64) float64, iop func(x, y int) int) (any, error) {
	ia, aok := a.(int)
	ib, bok := b.(int)
	if aok && bok && iop != nil {
		return iop(ia, ib), nil
	}
	if sa, ok := a.(string); ok {
		if sb, ok := b.(string); ok && iop != nil {
			return sa + sb, nil
		}
	}
	fa, ok1 := toFloat(a)
	fb, ok2 := toFloat(b)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("cannot do arithmetic on %v and %v", a, b)
	}
	return op(fa, fb), nil
}

func (mathNS) Add(a, b any) (any, error) {
	return arith(a, b, func(x, y float64) float64 { return x + y }, func(x, y int) int { return x + y })
}
func (mathNS) Sub(a, b any) (any, error) {
	return arith(a, b, func(x, y float64) float64 { return x - y }, func(x, y int) int { return x - y })
}
func (mathNS) Mul(a, b any) (any, error) {
	return arith(a, b, func(x, y float64) float64 { return x * y }, func(x, y int) int { return x * y })
}
func (mathNS) Div(a, b any) (any, error) {
	if fb, ok := toFloat(b); ok && fb == 0 {
		return nil, errors.New("division by zero")
	}
	return arith(a, b, func(x, y float64) float64 { return x / y }, func(x, y int) int { return x / y })
}
func (mathNS) Mod(a, b any) (int, error) {
	x, ok1 := toInt(a)
	y, ok2 := toInt(b)
	if !ok1 || !ok2 || y == 0 {
		return 0, fmt.Errorf("cannot take %v modulo %v", a, b)
	}
	return x % y, nil
}
func (mathNS) Round(v any) (float64, error) {
	f, ok := toFloat(v)
	if !ok {
		return 0, fmt.Errorf("%v is not a number", v)
	}
	return math.Round(f), nil
}
func (mathNS) Floor(v any) (float64, error) {
	f, _ := toFloat(v)
	return math.Floor(f), nil
}
func (mathNS) Ceil(v any) (float64, error) {
	f, _ := toFloat(v)
	return math.Ceil(f), nil
}
func (mathNS) Max(a, b any) float64 {
	x, _ := toFloat(a)
	y, _ := toFloat(b)
	return math.Max(x, y)
}
func (mathNS) Min(a, b any) float64 {
	x, _ := toFloat(a)
	y, _ := toFloat(b)
	return math.Min(x, y)
}

type fmtNS struct{ s *Set }

func (fmtNS) Printf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
func (fmtNS) Print(args ...any) string                 { return fmt.Sprint(args...) }
func (fmtNS) Println(args ...any) string               { return fmt.Sprintln(args...) }
func (fmtNS) Errorf(format string, args ...any) (string, error) {
	return "", &templateError{msg: fmt.Sprintf(format, args...)}
}
func (f fmtNS) Warnf(format string, args ...any) string {
	f.s.warn(fmt.Sprintf(format, args...))
	return ""
}

type langNS struct{ s *Set }

func (l langNS) Translate(id any, args ...any) (string, error) { return l.s.translate(id, args...) }
func (langNS) FormatNumber(prec int, v any) string {
	f, _ := toFloat(v)
	return fmt.Sprintf("%.*f", prec, f)
}
func (langNS) NumFmt(prec int, v any, _ ...any) string {
	f, _ := toFloat(v)
	return fmt.Sprintf("%.*f", prec, f)
}

type urlsNS struct{ s *Set }

func (u urlsNS) RelURL(v any) template.URL { return u.s.relURL(v) }
func (u urlsNS) AbsURL(v any) template.URL { return u.s.absURL(v) }
func (u urlsNS) Parse(v any) (*url.URL, error) {
	return url.Parse(toString(v))
}
func (u urlsNS) Anchorize(v any) string { return anchorize(v) }
func (u urlsNS) URLize(v any) string    { return u.s.urlize(v) }
func (u urlsNS) Ref(ctx any, ref any) (string, error) {
	return u.s.refFunc(false)(ctx, ref)
}
func (u urlsNS) RelRef(ctx any, ref any) (string, error) {
	return u.s.refFunc(true)(ctx, ref)
}

type pathNS struct{}

func (pathNS) Base(v any) string  { return path.Base(toString(v)) }
func (pathNS) Dir(v any) string   { return path.Dir(toString(v)) }
func (pathNS) Ext(v any) string   { return path.Ext(toString(v)) }
func (pathNS) Clean(v any) string { return path.Clean(toString(v)) }
func (pathNS) Join(parts ...any) string {
	s := make([]string, len(parts))
	for i, p := range parts {
		s[i] = toString(p)
	}
	return path.Join(s...)
}
func (pathNS) BaseName(v any) string {
	b := path.Base(toString(v))
	return strings.TrimSuffix(b, path.Ext(b))
}

type osNS struct{ s *Set }

func (o osNS) ReadFile(name any) (string, error)    { return o.s.readFile(name) }
func (o osNS) FileExists(name any) (bool, error)    { return o.s.fileExists(name) }
func (o osNS) ReadDir(name any) ([]dirEntry, error) { return o.s.readDir(name) }
func (o osNS) Getenv(string) string                 { return "" }
func (o osNS) Stat(name any) (dirEntry, error)      { return o.s.stat(name) }

type hugoNS struct{ s *Set }

func (hugoNS) Version() string        { return "0.111.3" }
func (hugoNS) Environment() string    { return "production" }
func (hugoNS) IsProduction() bool     { return true }
func (hugoNS) IsServer() bool         { return false }
func (hugoNS) IsExtended() bool       { return false }
func (h hugoNS) Data() map[string]any { return h.s.site.Data }

// Sites is the sites of every language: the archive builds one.
func (h hugoNS) Sites() []*Site { return []*Site{h.s.site} }
func (hugoNS) Generator() template.HTML {
	return `<meta name="generator" content="archive">`
}

type transformNS struct{ s *Set }

func (t transformNS) Markdownify(v any) (template.HTML, error) { return t.s.markdownify(v) }
func (transformNS) Plainify(v any) string                      { return plainify(v) }
func (transformNS) HTMLEscape(v any) string                    { return html.EscapeString(toString(v)) }
func (transformNS) HTMLUnescape(v any) string                  { return html.UnescapeString(toString(v)) }
func (t transformNS) Highlight(code any, lang string, opts ...any) (template.HTML, error) {
	return t.s.highlightFunc(code, lang, opts...)
}
func (transformNS) Emojify(v any) template.HTML { return template.HTML(toString(v)) }
func (transformNS) Unmarshal(args ...any) (any, error) {
	var v any
	err := json.Unmarshal([]byte(toString(args[len(args)-1])), &v)
	return v, err
}

type safeNS struct{}

func (safeNS) HTML(v any) template.HTML         { return template.HTML(toString(v)) }
func (safeNS) HTMLAttr(v any) template.HTMLAttr { return template.HTMLAttr(toString(v)) }
func (safeNS) URL(v any) template.URL           { return template.URL(toString(v)) }
func (safeNS) JS(v any) template.JS             { return template.JS(toString(v)) }
func (safeNS) CSS(v any) template.CSS           { return template.CSS(toString(v)) }

type cryptoNS struct{}

func (cryptoNS) MD5(v any) string { h := md5.Sum([]byte(toString(v))); return hex.EncodeToString(h[:]) }
func (cryptoNS) SHA1(v any) string {
	h := sha1.Sum([]byte(toString(v)))
	return hex.EncodeToString(h[:])
}
func (cryptoNS) SHA256(v any) string {
	h := sha256.Sum256([]byte(toString(v)))
	return hex.EncodeToString(h[:])
}

type encodingNS struct{}

func (encodingNS) Jsonify(args ...any) (template.HTML, error) {
	b, err := json.Marshal(args[len(args)-1])
	return template.HTML(b), err
}
func (encodingNS) Base64Encode(v any) string {
	return base64.StdEncoding.EncodeToString([]byte(toString(v)))
}
func (encodingNS) Base64Decode(v any) (string, error) {
	b, err := base64.StdEncoding.DecodeString(toString(v))
	return string(b), err
}

type inflectNS struct{}

func (inflectNS) Humanize(v any) string { return humanize(v) }
func (inflectNS) Pluralize(v any) string {
	s := toString(v)
	switch {
	case strings.HasSuffix(s, "y") && !strings.HasSuffix(s, "ay") && !strings.HasSuffix(s, "ey") && !strings.HasSuffix(s, "oy"):
		return s[:len(s)-1] + "ies"
	case strings.HasSuffix(s, "s") || strings.HasSuffix(s, "x") || strings.HasSuffix(s, "ch") || strings.HasSuffix(s, "sh"):
		return s + "es"
	}
	return s + "s"
}
func (inflectNS) Singularize(v any) string {
	s := toString(v)
	switch {
	case strings.HasSuffix(s, "ies"):
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "ses") || strings.HasSuffix(s, "xes"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "s"):
		return s[:len(s)-1]
	}
	return s
}

type resourcesNS struct{}

func (resourcesNS) Get(v any) (*Resource, error) {
	return nil, fmt.Errorf("resources.Get %q: Hugo's asset pipeline (assets/, image processing) is not supported by the archive; put the file in static/ or the page bundle", toString(v))
}
func (r resourcesNS) GetMatch(v any) (*Resource, error) { return r.Get(v) }

type templatesNS struct{ s *Set }

func (t templatesNS) Exists(name string) bool { return t.s.exists(name) }

type debugNS struct{}

func (debugNS) Dump(v any) string {
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// index is Hugo's index: nil (not an error) for a missing key or an index
// out of range.
func index(item any, keys ...any) (any, error) {
	v := item
	for _, k := range keys {
		if v == nil {
			return nil, nil
		}
		rv := reflect.ValueOf(v)
		for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
			if rv.IsNil() {
				return nil, nil
			}
			rv = rv.Elem()
		}
		switch rv.Kind() {
		case reflect.Slice, reflect.Array, reflect.String:
			i, ok := toInt(k)
			if !ok {
				return nil, fmt.Errorf("index of %T with %v", v, k)
			}
			if i < 0 || i >= rv.Len() {
				return nil, nil
			}
			v = rv.Index(i).Interface()
		case reflect.Map:
			kv := reflect.ValueOf(k)
			if !kv.IsValid() {
				return nil, nil
			}
			if kv.Type() != rv.Type().Key() {
				if !kv.Type().ConvertibleTo(rv.Type().Key()) {
					return nil, nil
				}
				kv = kv.Convert(rv.Type().Key())
			}
			x := rv.MapIndex(kv)
			if !x.IsValid() {
				return nil, nil
			}
			v = x.Interface()
		default:
			return nil, fmt.Errorf("cannot index %T", v)
		}
	}
	return v, nil
}

// timeNS is Hugo's time namespace.
type timeNS struct{}

func (timeNS) AsTime(v any, _ ...any) (time.Time, error) { return asTime(v) }
func (timeNS) Now() time.Time                            { return time.Unix(0, 0).UTC() }
func (timeNS) ParseDuration(s string) (time.Duration, error) {
	return time.ParseDuration(s)
}

// Format formats a time with a Go layout or one of Hugo's localized
// layouts (:date_long, :time_short ...).
func (timeNS) Format(layout string, v any) (string, error) {
	t, err := asTime(v)
	if err != nil {
		return "", err
	}
	if l, ok := hugoLayouts[layout]; ok {
		layout = l
	}
	return t.Format(layout), nil
}

var hugoLayouts = map[string]string{
	":date_full": "Monday, January 2, 2006", ":date_long": "January 2, 2006", ":date_medium": "Jan 2, 2006",
	":date_short": "1/2/06", ":time_full": "3:04:05 pm MST", ":time_long": "3:04:05 pm MST",
	":time_medium": "3:04:05 pm", ":time_short": "3:04 pm",
}
