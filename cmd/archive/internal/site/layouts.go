package site

import (
	"errors"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/archive-project/archive/cmd/archive/internal/article"
	template "github.com/archive-project/archive/cmd/archive/internal/gotemplates/htmltemplate"
	"github.com/archive-project/archive/layouts"
)

// Layout lookup (Hugo's idea, kept small). The binary embeds a default for
// every file below (package layouts); a site's own layouts/<name> replaces
// the default of the same name. Each page kind is rendered by executing
// baseof.html with the kind's file parsed on top of it, so a kind file
// defines the blocks it fills ("title", "head", "main"). Every other *.html
// file is a partial, parsed into every kind and called with
// {{template "name.html" .}}. Scripts (*.js) are published at the site
// root under their own names. style.css is the site stylesheet; the build
// appends chroma's light and dark themes and publishes the result once, as
// /style.<hash>.css. Other files in layouts/ are ignored.
const baseLayout = "baseof.html"

// Page kinds and the layout file that renders each. Any other layout file
// that defines "main" is a page kind too (for pages added WithPages, such as
// search.html), and is not parsed into the other kinds as a partial.
var kinds = []string{"home", "single", "story", "stories", "outlet", "outlets", "seed", "seeds", "titles", "404", "alias"}

var definesMain = regexp.MustCompile(`\{\{-?\s*define\s+"main"`)

// itemLayout renders one article as an entry of lists.
const itemLayout = "item.html"

// StylesheetLayout is the site stylesheet in layouts/.
const StylesheetLayout = "style.css"

type layoutSet struct {
	kinds    map[string]*template.Template
	kindFP   map[string]Key    // fingerprint of the files each kind uses
	lists    map[string]bool   // the kind's files use the site-wide lists (.Site.Articles ...)
	counts   map[string]bool   // the kind's files use the lists' sizes or the latest snapshot
	css      []byte            // layouts style.css
	sources  map[string]string // file name -> "layouts/x" or "layouts/x (embedded default)"
	scripts  map[string][]byte // *.js, published at the site root as they are
	partials map[string]bool   // the partials' file names
}

// partial returns the partial layout name, or nil when there is none.
// Every kind's template set holds every partial; the 404 page's is used.
func (ls *layoutSet) partial(name string) *template.Template {
	if !ls.partials[name] {
		return nil
	}
	return ls.kinds["404"].Lookup(name)
}

// readLayouts gathers the layout files: defaults, then the site's overrides.
func readLayouts(defaults, site fs.FS) (map[string][]byte, map[string]string, error) {
	files := map[string][]byte{}
	origin := map[string]string{}
	add := func(fsys fs.FS, dir, label string) error {
		ents, err := fs.ReadDir(fsys, dir)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if ae, ok := article.AsError(err); ok { // a link out of the site
			return ae
		}
		if err != nil {
			return &article.Error{File: "layouts", Err: err, Fix: "check that layouts/ is a readable folder"}
		}
		for _, e := range ents {
			name := e.Name()
			if e.IsDir() || strings.HasPrefix(name, ".") || (path.Ext(name) != ".html" && path.Ext(name) != ".js" && name != StylesheetLayout) {
				continue
			}
			b, err := fs.ReadFile(fsys, path.Join(dir, name))
			if ae, ok := article.AsError(err); ok {
				return ae
			}
			if err != nil {
				return &article.Error{File: "layouts/" + name, Err: err, Fix: "check that the file is readable"}
			}
			files[name] = b
			origin[name] = "layouts/" + name + label
		}
		return nil
	}
	if err := add(defaults, ".", " (embedded default)"); err != nil {
		return nil, nil, err
	}
	if site != nil {
		if err := add(site, "layouts", ""); err != nil {
			return nil, nil, err
		}
	}
	return files, origin, nil
}

func defaultLayouts(o *options) fs.FS {
	if o.layouts != nil {
		return o.layouts
	}
	return layouts.FS
}

// parseLayouts compiles one template set per page kind.
func parseLayouts(files map[string][]byte, origin map[string]string, funcs template.FuncMap) (*layoutSet, error) {
	ls := &layoutSet{kinds: map[string]*template.Template{}, kindFP: map[string]Key{}, lists: map[string]bool{}, counts: map[string]bool{}, sources: origin}
	ls.css = files[StylesheetLayout]
	ls.scripts = map[string][]byte{}
	for name, b := range files {
		if path.Ext(name) == ".js" {
			ls.scripts[name] = b
		}
	}
	isKind := map[string]bool{baseLayout: true}
	all := append([]string(nil), kinds...)
	for _, k := range kinds {
		isKind[k+".html"] = true
	}
	var partials, extra []string
	for name := range files {
		switch {
		case path.Ext(name) != ".html" || isKind[name]:
		case definesMain.Match(files[name]):
			extra = append(extra, strings.TrimSuffix(name, ".html"))
		default:
			partials = append(partials, name)
		}
	}
	sort.Strings(partials)
	sort.Strings(extra)
	ls.partials = map[string]bool{}
	for _, p := range partials {
		ls.partials[p] = true
	}
	all = append(all, extra...)
	for _, kind := range all {
		need := append([]string{baseLayout}, partials...)
		need = append(need, kind+".html")
		h := NewHasher()
		var t *template.Template
		for _, name := range need {
			src, ok := files[name]
			if !ok {
				return nil, &article.Error{File: "layouts/" + name, Err: errors.New("layout missing"),
					Fix: "add layouts/" + name + " (copy the embedded default from the archive's layouts/ folder)"}
			}
			h.String(name).Bytes(src)
			if usesSiteLists.Match(src) {
				ls.lists[kind] = true
			}
			if usesSiteCounts.Match(src) {
				ls.counts[kind] = true
			}
			tname := name
			if t == nil {
				t = template.New(tname).Funcs(funcs)
			} else {
				t = t.New(tname)
			}
			if _, err := t.Parse(string(src)); err != nil {
				return nil, templateError(err, origin)
			}
		}
		ls.kinds[kind] = t.Lookup(baseLayout)
		ls.kindFP[kind] = h.Sum()
	}
	return ls, nil
}

// usesSiteLists spots layouts that show the site-wide lists; pages of their
// kind are fingerprinted with every list entry, so that incremental builds
// never leave them stale.
var usesSiteLists = regexp.MustCompile(`Site\.(?:Articles|Outlets|Stories|Seeds)\b|(?:with|range)\s+\$?\.Site\s*-?}}`)

// usesSiteCounts spots layouts that show the sizes of the lists or the
// latest snapshot: pages of their kind are fingerprinted with those, and
// others are not rendered again when an article is added.
var usesSiteCounts = regexp.MustCompile(`Site\.(?:Count|LatestSnapshot|Snapshots)\b`)

var templateErrRE = regexp.MustCompile(`template: ?([^:\s]+\.(?:html|css)):(\d+)(?::\d+)?:? ?`)

// templateError turns a text/template or html/template error into an
// *article.Error that names the layout file and line.
func templateError(err error, origin map[string]string) error {
	msg := err.Error()
	m := templateErrRE.FindStringSubmatchIndex(msg)
	if m == nil {
		return &article.Error{File: "layouts", Err: err, Fix: "correct the layout"}
	}
	file := msg[m[2]:m[3]]
	line, _ := strconv.Atoi(msg[m[4]:m[5]])
	if o, ok := origin[file]; ok {
		file = o
	} else {
		file = "layouts/" + file
	}
	rest := strings.TrimSpace(msg[m[1]:])
	fix := "correct the template syntax on that line (see https://pkg.go.dev/html/template)"
	if strings.Contains(rest, "no such template") {
		fix = "define that template in a layouts/*.html file or remove the call"
	} else if strings.Contains(rest, "can't evaluate field") {
		fix = "use a field the page data has (see the package documentation of cmd/archive/internal/site)"
	}
	return &article.Error{File: file, Line: line, Err: errors.New(rest), Fix: fix}
}
