package shortcode

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// Set is the shortcodes a site can call: Hugo's built-in ones and the
// site's own templates, layouts/shortcodes/<name>.html (or
// layouts/_shortcodes/) in the site and then in each theme, which replace
// a built-in one of the same name. Templates are parsed when first called,
// so a theme's shortcode that the site never uses cannot break its build.
// A Set is safe for concurrent use.
type Set struct {
	fsys fs.FS
	opts options
	now  time.Time
	site *Site

	mu        sync.Mutex
	files     map[string]string // shortcode name -> template file
	partials  map[string]string // partial name -> file
	parsed    map[string]*parsedTemplate
	warnings  []string
	fileCache map[string][]byte
}

type parsedTemplate struct {
	t     *template.Template
	err   error
	inner bool
}

// An Option changes a Set.
type Option func(*options)

type options struct {
	layoutDirs         []string
	markdown           func(string) (string, error)
	highlight          func(code, lang string, opts map[string]string) (string, error)
	disablePathToLower bool
	inline             bool
	now                time.Time
	youtubeNoCookie    bool
}

// WithLayoutDirs sets the folders looked in for shortcodes/ and partials/,
// first wins: the site's layouts, then each theme's (default "layouts").
func WithLayoutDirs(dirs ...string) Option { return func(o *options) { o.layoutDirs = dirs } }

// WithMarkdown sets how Markdown is rendered (markdownify, {{% %}} output,
// .Inner of figure captions): the site's own goldmark.
func WithMarkdown(f func(string) (string, error)) Option { return func(o *options) { o.markdown = f } }

// WithHighlight sets how highlight renders code (the site's chroma
// formatter, so that its classes match the stylesheet).
func WithHighlight(f func(code, lang string, opts map[string]string) (string, error)) Option {
	return func(o *options) { o.highlight = f }
}

// WithPathCase keeps upper-case letters in urlize (disablePathToLower).
func WithPathCase(keep bool) Option { return func(o *options) { o.disablePathToLower = keep } }

// WithInlineShortcodes allows {{< name.inline >}} templates in content
// (Hugo's enableInlineShortcodes).
func WithInlineShortcodes(on bool) Option { return func(o *options) { o.inline = on } }

// WithNow sets the time that now returns (builds are deterministic: the
// site passes a fixed time).
func WithNow(t time.Time) Option { return func(o *options) { o.now = t } }

// NewSet finds the shortcode and partial templates of the site in fsys.
func NewSet(fsys fs.FS, opts ...Option) *Set {
	s := &Set{fsys: fsys, files: map[string]string{}, partials: map[string]string{}, parsed: map[string]*parsedTemplate{},
		site: NewSite(), fileCache: map[string][]byte{}}
	s.opts.layoutDirs = []string{"layouts"}
	for _, o := range opts {
		o(&s.opts)
	}
	s.now = s.opts.now
	// Later directories lose: walk them first, then overwrite.
	for i := len(s.opts.layoutDirs) - 1; i >= 0; i-- {
		dir := s.opts.layoutDirs[i]
		for _, sub := range []string{"shortcodes", "_shortcodes"} {
			s.collect(path.Join(dir, sub), s.files)
		}
		for _, sub := range []string{"partials", "_partials"} {
			s.collect(path.Join(dir, sub), s.partials)
		}
	}
	return s
}

// collect adds the *.html templates under dir to m by name (path under dir
// without .html; a language or output suffix such as .en.html or
// .html.html is dropped).
func (s *Set) collect(dir string, m map[string]string) {
	_ = fs.WalkDir(s.fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return nil
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, dir+"/"), ".html")
		name = strings.TrimSuffix(name, ".html")
		if strings.Contains(path.Base(name), ".") {
			// x.amp, x.en: variants for other outputs and languages.
			if _, ok := m[strings.SplitN(name, ".", 2)[0]]; ok {
				return nil
			}
			name = strings.SplitN(name, ".", 2)[0]
		}
		m[name] = p
		return nil
	})
}

// SetSite sets the site that templates see (.Site, site, ref): call it
// once per build, before expanding.
func (s *Set) SetSite(site *Site) {
	s.mu.Lock()
	s.site = site
	s.warnings = nil
	s.mu.Unlock()
}

// Warnings returns what templates said with warnf since SetSite.
func (s *Set) Warnings() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.warnings...)
}

func (s *Set) warn(msg string) {
	s.mu.Lock()
	s.warnings = append(s.warnings, msg)
	s.mu.Unlock()
}

// File is the template file of a site shortcode, or "" for a built-in one.
func (s *Set) File(name string) string { return s.files[name] }

// Names lists the site's own shortcodes.
func (s *Set) Names() []string {
	out := make([]string, 0, len(s.files))
	for n := range s.files {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

var innerRE = regexp.MustCompile(`\.Inner(Deindent)?\b`)

// Lookup says whether a shortcode exists and takes inner content.
func (s *Set) Lookup(name string) (exists, inner bool) {
	if f, ok := s.files[name]; ok {
		src, err := s.read(f)
		if err != nil {
			return true, false
		}
		return true, innerRE.Match(src)
	}
	if b, ok := builtins[name]; ok {
		return true, b.inner
	}
	return false, false
}

// Known lists where a shortcode was looked for, for an error message.
func (s *Set) lookedIn(name string) string {
	var places []string
	for _, d := range s.opts.layoutDirs {
		places = append(places, path.Join(d, "shortcodes", name+".html"))
	}
	return strings.Join(places, ", ")
}

func (s *Set) read(p string) ([]byte, error) {
	s.mu.Lock()
	b, ok := s.fileCache[p]
	s.mu.Unlock()
	if ok {
		return b, nil
	}
	b, err := fs.ReadFile(s.fsys, p)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.fileCache[p] = b
	s.mu.Unlock()
	return b, nil
}

// template parses (once) the template file p.
func (s *Set) template(p string) (*template.Template, error) {
	s.mu.Lock()
	pt, ok := s.parsed[p]
	s.mu.Unlock()
	if ok {
		return pt.t, pt.err
	}
	src, err := s.read(p)
	pt = &parsedTemplate{}
	if err != nil {
		pt.err = err
	} else {
		pt.t, pt.err = template.New(path.Base(p)).Funcs(s.funcMap()).Parse(string(src))
		if pt.err != nil {
			pt.err = templateParseError(p, pt.err)
		}
	}
	s.mu.Lock()
	s.parsed[p] = pt
	s.mu.Unlock()
	return pt.t, pt.err
}

var funcNotDefined = regexp.MustCompile(`function "([^"]+)" not defined`)

// templateParseError says which Hugo function the archive lacks when that
// is why a template does not parse.
func templateParseError(p string, err error) error {
	if m := funcNotDefined.FindStringSubmatch(err.Error()); m != nil {
		return fmt.Errorf("%s: template uses the function %q, which the archive does not provide (it runs shortcodes with a subset of Hugo's functions)", p, m[1])
	}
	return fmt.Errorf("%s: %w", p, err)
}

func (s *Set) exists(name string) bool {
	name = strings.TrimPrefix(strings.TrimSuffix(name, ".html"), "partials/")
	_, ok := s.partials[name]
	return ok
}

// partial executes layouts/partials/<name>.
func (s *Set) partial(name string, ctx ...any) (template.HTML, error) {
	key := strings.TrimSuffix(strings.TrimPrefix(name, "partials/"), ".html")
	f, ok := s.partials[key]
	if !ok {
		return "", fmt.Errorf("partial %q not found in %s", name, strings.Join(s.opts.layoutDirs, "/partials, ")+"/partials")
	}
	t, err := s.template(f)
	if err != nil {
		return "", err
	}
	var dot any
	if len(ctx) > 0 {
		dot = ctx[0]
	}
	var b bytes.Buffer
	if err := t.Execute(&b, dot); err != nil {
		return "", fmt.Errorf("partial %s: %w", f, err)
	}
	return template.HTML(b.String()), nil
}

// dirEntry is what readDir lists.
type dirEntry struct {
	Name    string
	Size    int64
	IsDir   bool
	ModTime time.Time
}

func (s *Set) sitePath(name any) string {
	return strings.TrimPrefix(path.Clean("/"+toString(name)), "/")
}

func (s *Set) readFile(name any) (string, error) {
	b, err := fs.ReadFile(s.fsys, s.sitePath(name))
	return string(b), err
}

func (s *Set) fileExists(name any) (bool, error) {
	_, err := fs.Stat(s.fsys, s.sitePath(name))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

func (s *Set) stat(name any) (dirEntry, error) {
	fi, err := fs.Stat(s.fsys, s.sitePath(name))
	if err != nil {
		return dirEntry{}, err
	}
	return dirEntry{Name: fi.Name(), Size: fi.Size(), IsDir: fi.IsDir()}, nil
}

func (s *Set) readDir(name any) ([]dirEntry, error) {
	ents, err := fs.ReadDir(s.fsys, s.sitePath(name))
	if err != nil {
		return nil, err
	}
	out := make([]dirEntry, 0, len(ents))
	for _, e := range ents {
		var size int64
		if fi, err := e.Info(); err == nil {
			size = fi.Size()
		}
		out = append(out, dirEntry{Name: e.Name(), Size: size, IsDir: e.IsDir()})
	}
	return out, nil
}

func (s *Set) highlightFunc(code any, lang string, opts ...any) (template.HTML, error) {
	o := map[string]string{}
	if len(opts) > 0 {
		switch x := opts[0].(type) {
		case string:
			o = parseHighlightOptions(x)
		case map[string]any:
			for k, v := range x {
				o[strings.ToLower(k)] = toString(v)
			}
		}
	}
	out, err := s.highlight(toString(code), lang, o)
	return template.HTML(out), err
}

// highlight renders code with the site's highlighter, or as escaped text.
func (s *Set) highlight(code, lang string, opts map[string]string) (string, error) {
	if s.opts.highlight != nil {
		return s.opts.highlight(code, lang, opts)
	}
	return "<pre><code>" + html.EscapeString(code) + "</code></pre>", nil
}

// parseHighlightOptions reads "linenos=table,hl_lines=8 15-17".
func parseHighlightOptions(s string) map[string]string {
	o := map[string]string{}
	for _, part := range strings.Split(s, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		if k != "" {
			o[strings.ToLower(strings.TrimSpace(k))] = strings.Trim(strings.TrimSpace(v), `"`)
		}
	}
	return o
}
