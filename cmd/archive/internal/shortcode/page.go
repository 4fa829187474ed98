package shortcode

import (
	"bytes"
	"fmt"
	"html/template"
	"image"
	_ "image/gif" // image sizes for .Width and .Height
	_ "image/jpeg"
	_ "image/png"
	"mime"
	"path"
	"sort"
	"strings"
	"sync"
	"time"
)

// Site is what a shortcode sees of the site: .Site (and site) in its
// template. The archive fills it once per build from its pages.
type Site struct {
	Title        string
	BaseURL      string
	LanguageCode string
	Copyright    string
	Params       map[string]any // lower-cased keys
	Data         map[string]any // the data/ folder: data/a/b.toml is .Data.a.b
	Lang         string         // the language built, e.g. "en"

	pages  []*Page
	byRef  map[string][]*Page // lower-cased references: content paths with and without extension, base names
	home   *Page
	i18n   map[string]any
	config map[string]any
}

// NewSite returns a Site; add its pages with AddPage.
func NewSite() *Site {
	return &Site{Params: map[string]any{}, Data: map[string]any{}, byRef: map[string][]*Page{}}
}

// SetI18n sets the translations that i18n and T look up (the default
// language's i18n/<lang>.* files, merged).
func (s *Site) SetI18n(m map[string]any) { s.i18n = m }

// SetConfig sets what site.Config and .Site.Config return (Hugo's whole
// configuration, lower-cased keys).
func (s *Site) SetConfig(m map[string]any) { s.config = m }

// AddPage adds a page. Its File.Path (relative to the content folder)
// makes the references GetPage, ref and relref accept.
func (s *Site) AddPage(p *Page) {
	p.Site = s
	s.pages = append(s.pages, p)
	if p.Kind == "home" {
		s.home = p
	}
	if p.File == nil {
		return
	}
	fp := strings.ToLower(p.File.Path)
	noExt := strings.TrimSuffix(fp, path.Ext(fp))
	refs := []string{fp, noExt}
	base := path.Base(noExt)
	switch base {
	case "index", "_index":
		dir := path.Dir(noExt)
		if dir == "." {
			dir = ""
		}
		refs = append(refs, dir)
		if dir != "" {
			refs = append(refs, path.Base(dir))
		}
	default:
		refs = append(refs, base, path.Base(fp))
	}
	seen := map[string]bool{}
	for _, r := range refs {
		r = strings.Trim(r, "/")
		if seen[r] {
			continue
		}
		seen[r] = true
		s.byRef[r] = append(s.byRef[r], p)
	}
}

// Pages returns every page of the site.
func (s *Site) Pages() []*Page { return s.pages }

// RegularPages returns the pages of kind "page".
func (s *Site) RegularPages() []*Page {
	var out []*Page
	for _, p := range s.pages {
		if p.Kind == "page" {
			out = append(out, p)
		}
	}
	return out
}

// AllPages is Pages (the site builds one language).
func (s *Site) AllPages() []*Page { return s.pages }

// Home returns the home page, or nil.
func (s *Site) Home() *Page { return s.home }

// Language is the language built.
func (s *Site) Language() *Language {
	return &Language{Lang: s.Lang, LanguageCode: s.LanguageCode, Locale: s.LanguageCode}
}

// IsMultiLingual is false: the archive builds one language.
func (s *Site) IsMultiLingual() bool { return false }

// Config returns the site's configuration as a map.
func (s *Site) Config() map[string]any { return s.config }

// Sections returns the top-level section pages.
func (s *Site) Sections() []*Page {
	var out []*Page
	for _, p := range s.pages {
		if p.Kind == "section" && p.File != nil && !strings.Contains(strings.Trim(path.Dir(p.File.Path), "./"), "/") {
			out = append(out, p)
		}
	}
	return out
}

// GetPage finds a page by reference, as Hugo's .Site.GetPage: a path in
// the content folder with or without extension ("/post/x.md", "post/x",
// "/about"), a section ("/post"), or a unique file name ("x.md"). It
// returns nil when there is none.
func (s *Site) GetPage(ref ...string) *Page {
	if len(ref) == 0 {
		return nil
	}
	p, _ := s.lookup(nil, ref[len(ref)-1])
	return p
}

// lookup resolves ref from page from (nil: from the root). It reports an
// ambiguous reference as an error.
func (s *Site) lookup(from *Page, ref string) (*Page, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" || ref == "/" {
		if s.home == nil {
			return nil, nil
		}
		return s.home, nil
	}
	key := strings.ToLower(strings.Trim(ref, "/"))
	if from != nil && from.File != nil && !strings.HasPrefix(ref, "/") {
		// Relative to the page's folder first.
		dir := path.Dir(from.File.Path)
		if from.File.bundle {
			dir = path.Dir(from.File.Path)
		}
		rel := strings.ToLower(strings.Trim(path.Join(dir, ref), "/"))
		if l := s.byRef[rel]; len(l) == 1 {
			return l[0], nil
		}
	}
	l := s.byRef[key]
	if len(l) == 0 {
		return nil, nil
	}
	if len(l) > 1 {
		// A full path wins over a base name that others share.
		for _, p := range l {
			if p.File != nil && strings.Trim(strings.ToLower(strings.TrimSuffix(p.File.Path, path.Ext(p.File.Path))), "/") == strings.TrimSuffix(key, path.Ext(key)) {
				return p, nil
			}
		}
		var paths []string
		for _, p := range l {
			paths = append(paths, p.File.Path)
		}
		sort.Strings(paths)
		return nil, fmt.Errorf("%q is ambiguous: it could be %s", ref, strings.Join(paths, " or "))
	}
	return l[0], nil
}

// Language is a page's or the site's language.
type Language struct {
	Lang         string
	LanguageCode string
	Locale       string
	LanguageName string
	Direction    string
	Weight       int
}

// File is a page's content file.
type File struct {
	Path            string // relative to the content folder, e.g. post/x.md
	Dir             string // post/ (with the trailing slash, as Hugo's)
	LogicalName     string // x.md
	BaseFileName    string // x
	ContentBaseName string // x, or the bundle's folder name for index.md
	Ext             string // md
	Lang            string
	bundle          bool
}

// NewFile describes the content file at p (relative to the content folder).
func NewFile(p string) *File {
	f := &File{Path: p, LogicalName: path.Base(p), Ext: strings.TrimPrefix(path.Ext(p), ".")}
	f.Dir = path.Dir(p) + "/"
	if f.Dir == "./" {
		f.Dir = ""
	}
	f.BaseFileName = strings.TrimSuffix(f.LogicalName, path.Ext(f.LogicalName))
	f.ContentBaseName = f.BaseFileName
	if f.BaseFileName == "index" || f.BaseFileName == "_index" {
		f.bundle = true
		if d := path.Base(path.Dir(p)); d != "." {
			f.ContentBaseName = d
		}
	}
	return f
}

// TranslationBaseName is BaseFileName (one language).
func (f *File) TranslationBaseName() string { return f.BaseFileName }

// Filename is Path.
func (f *File) Filename() string { return f.Path }

// Section is the first folder of Path.
func (f *File) Section() string {
	if i := strings.IndexByte(f.Path, '/'); i >= 0 {
		return f.Path[:i]
	}
	return ""
}

// Page is what a shortcode sees of its page (.Page).
type Page struct {
	Title        string
	LinkTitle    string
	Description  string
	Kind         string // page, section, home, taxonomy, term
	Section      string
	Type         string
	Lang         string
	RelPermalink string
	Permalink    string
	Date         time.Time
	Lastmod      time.Time
	PublishDate  time.Time
	Draft        bool
	Params       map[string]any // front matter, lower-cased keys
	File         *File
	Resources    Resources
	Site         *Site

	mu      sync.Mutex
	scratch *Scratch
	store   *Scratch
}

// Scratch is the page's scratch pad, kept for the page's shortcodes.
func (p *Page) Scratch() *Scratch {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.scratch == nil {
		p.scratch = NewScratch()
	}
	return p.scratch
}

// Store is like Scratch.
func (p *Page) Store() *Scratch {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.store == nil {
		p.store = NewScratch()
	}
	return p.store
}

// ResetScratch forgets what the page's shortcodes stored: each rendering
// of the page starts afresh.
func (p *Page) ResetScratch() {
	p.mu.Lock()
	p.scratch, p.store = nil, nil
	p.mu.Unlock()
}

// Param looks up a page parameter, then a site parameter.
func (p *Page) Param(key string) any {
	k := strings.ToLower(key)
	if v, ok := lookupPath(p.Params, k); ok {
		return v
	}
	if p.Site != nil {
		if v, ok := lookupPath(p.Site.Params, k); ok {
			return v
		}
	}
	return nil
}

func lookupPath(m map[string]any, key string) (any, bool) {
	cur := any(m)
	for _, part := range strings.Split(key, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur, ok = mm[part]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

// GetPage resolves ref relative to the page.
func (p *Page) GetPage(ref string) *Page {
	if p.Site == nil {
		return nil
	}
	q, _ := p.Site.lookup(p, ref)
	return q
}

// Language is the page's language.
func (p *Page) Language() *Language {
	if p.Site != nil {
		return p.Site.Language()
	}
	return &Language{Lang: p.Lang}
}

// Translations is empty: the archive builds one language.
func (p *Page) Translations() []*Page { return nil }

// IsPage, IsSection, IsHome, IsNode report the page's kind.
func (p *Page) IsPage() bool    { return p.Kind == "page" }
func (p *Page) IsSection() bool { return p.Kind == "section" }
func (p *Page) IsHome() bool    { return p.Kind == "home" }
func (p *Page) IsNode() bool    { return p.Kind != "page" }

// Page is the page itself (a page in a range reads .Page.Params).
func (p *Page) Page() *Page { return p }

// Name is the page's title (Hugo's .Name).
func (p *Page) Name() string { return p.Title }

// Pages are the pages directly in a section page's folder (its regular
// pages and sub-sections); nil for other kinds.
func (p *Page) Pages() []*Page {
	if p.Site == nil || p.IsPage() {
		return nil
	}
	var out []*Page
	dir := ""
	if p.File != nil {
		dir = path.Dir(p.File.Path)
	}
	for _, q := range p.Site.pages {
		if q == p || q.File == nil {
			continue
		}
		qd := path.Dir(q.File.Path)
		if q.File.bundle {
			qd = path.Dir(qd)
		}
		if qd == dir || (p.IsHome() && qd == ".") {
			out = append(out, q)
		}
	}
	return out
}

// RegularPages are Pages of kind page.
func (p *Page) RegularPages() []*Page {
	var out []*Page
	for _, q := range p.Pages() {
		if q.IsPage() {
			out = append(out, q)
		}
	}
	return out
}

// Resources are a page bundle's files.
type Resources []*Resource

// Resource is one file of a page bundle.
type Resource struct {
	Name         string // path in the bundle, e.g. images/a.png
	Title        string
	RelPermalink string
	Permalink    string
	MediaType    MediaType
	ResourceType string // image, page, text, application, video, ...
	Params       map[string]any

	data func() []byte
	once sync.Once
	w, h int
}

// NewResource describes a bundle file published at relPermalink.
func NewResource(name, relPermalink, permalink string, data func() []byte) *Resource {
	mt := mediaType(name)
	return &Resource{Name: name, Title: name, RelPermalink: relPermalink, Permalink: permalink, MediaType: mt,
		ResourceType: mt.MainType, data: data, Params: map[string]any{}}
}

// MediaType is a resource's media type.
type MediaType struct {
	Type     string // image/png
	MainType string // image
	SubType  string // png
	Suffixes []string
}

func (m MediaType) String() string { return m.Type }

func mediaType(name string) MediaType {
	ext := strings.ToLower(path.Ext(name))
	t := mime.TypeByExtension(ext)
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	if t == "" {
		t = "application/octet-stream"
	}
	mt := MediaType{Type: t, Suffixes: []string{strings.TrimPrefix(ext, ".")}}
	mt.MainType, mt.SubType, _ = strings.Cut(t, "/")
	if ext == ".md" || ext == ".markdown" {
		mt.MainType = "page"
	}
	return mt
}

// Content is the file's text.
func (r *Resource) Content() string {
	if r.data == nil {
		return ""
	}
	return string(r.data())
}

func (r *Resource) size() {
	r.once.Do(func() {
		if r.data == nil {
			return
		}
		if cfg, _, err := image.DecodeConfig(bytes.NewReader(r.data())); err == nil {
			r.w, r.h = cfg.Width, cfg.Height
		}
	})
}

// Width and Height are an image's size in pixels (PNG, JPEG, GIF); 0 for
// other files.
func (r *Resource) Width() int  { r.size(); return r.w }
func (r *Resource) Height() int { r.size(); return r.h }

// Get returns the resource named name, or nil.
func (rs Resources) Get(name string) *Resource {
	for _, r := range rs {
		if strings.EqualFold(r.Name, name) {
			return r
		}
	}
	return nil
}

// GetMatch returns the first resource whose name matches the glob
// pattern (case-insensitive; ** matches across folders), or nil.
func (rs Resources) GetMatch(pattern string) *Resource {
	for _, r := range rs {
		if globMatch(pattern, r.Name) {
			return r
		}
	}
	return nil
}

// Match returns the resources whose names match the glob pattern.
func (rs Resources) Match(pattern string) Resources {
	var out Resources
	for _, r := range rs {
		if globMatch(pattern, r.Name) {
			out = append(out, r)
		}
	}
	return out
}

// ByType returns the resources of a main type ("image").
func (rs Resources) ByType(t string) Resources {
	var out Resources
	for _, r := range rs {
		if r.ResourceType == t {
			out = append(out, r)
		}
	}
	return out
}

// globMatch matches name against a glob pattern as Hugo does:
// case-insensitive, * within a folder, ** across folders.
func globMatch(pattern, name string) bool {
	pattern, name = strings.ToLower(strings.TrimPrefix(pattern, "/")), strings.ToLower(name)
	if !strings.Contains(pattern, "**") {
		ok, _ := path.Match(pattern, name)
		return ok
	}
	parts := strings.Split(pattern, "**")
	re := ""
	for i, part := range parts {
		if i > 0 {
			re += ".*"
		}
		for _, r := range part {
			switch r {
			case '*':
				re += "[^/]*"
			case '?':
				re += "[^/]"
			default:
				re += regexpQuote(string(r))
			}
		}
	}
	return matchRE("^"+re+"$", name)
}

// Scratch is Hugo's scratch pad: a map that templates write to.
type Scratch struct {
	mu sync.Mutex
	m  map[string]any
}

// NewScratch returns an empty Scratch (newScratch in templates).
func NewScratch() *Scratch { return &Scratch{m: map[string]any{}} }

// Set stores value under key and returns "" (so it prints nothing).
func (s *Scratch) Set(key string, value any) string {
	s.mu.Lock()
	s.m[key] = value
	s.mu.Unlock()
	return ""
}

// Get returns the value under key.
func (s *Scratch) Get(key string) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[key]
}

// Delete removes key.
func (s *Scratch) Delete(key string) string {
	s.mu.Lock()
	delete(s.m, key)
	s.mu.Unlock()
	return ""
}

// Values returns the whole map.
func (s *Scratch) Values() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m
}

// Add adds value to what key holds: numbers are summed, strings joined,
// lists appended.
func (s *Scratch) Add(key string, value any) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, ok := s.m[key]
	if !ok {
		s.m[key] = value
		return "", nil
	}
	sum, err := plus(cur, value)
	if err != nil {
		return "", err
	}
	s.m[key] = sum
	return "", nil
}

// SetInMap stores value under mapKey in the map under key.
func (s *Scratch) SetInMap(key, mapKey string, value any) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.m[key].(map[string]any)
	if !ok {
		m = map[string]any{}
		s.m[key] = m
	}
	m[mapKey] = value
	return ""
}

// GetSortedMapValues returns the values of the map under key, sorted by
// their keys.
func (s *Scratch) GetSortedMapValues(key string) any {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.m[key].(map[string]any)
	if !ok {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]any, len(keys))
	for i, k := range keys {
		out[i] = m[k]
	}
	return out
}

func plus(a, b any) (any, error) {
	switch x := a.(type) {
	case int:
		if y, ok := toInt(b); ok {
			return x + y, nil
		}
	case int64:
		if y, ok := toInt(b); ok {
			return int(x) + y, nil
		}
	case float64:
		if y, ok := toFloat(b); ok {
			return x + y, nil
		}
	case string:
		return x + fmt.Sprint(b), nil
	case template.HTML:
		return x + template.HTML(fmt.Sprint(b)), nil
	case []any:
		if y, ok := b.([]any); ok {
			return append(append([]any(nil), x...), y...), nil
		}
		return append(append([]any(nil), x...), b), nil
	}
	return nil, fmt.Errorf("cannot add %T to %T", b, a)
}
