package site

import (
	"path"
	"regexp"
	"sort"
	"strings"

	"github.com/archive-project/archive/cmd/archive/internal/hugoconfig"
)

// Hugo's content folder. Every file under it is one of:
//
//	a page           x.md, x.markdown, x.html …, or a leaf bundle's index.md
//	a branch page    _index.md: the content of a section, the home page,
//	                 a taxonomy or a term
//	a resource       any other file of a leaf bundle (its folder, all the
//	                 way down), or a non-content file beside an _index.md:
//	                 published beside its page
//	a loose file     any other file: published at its path, as Hugo does
//
// A file named for another configured language (x.fr.md, index.fr.md) is
// left out: the archive builds the default language.

// contentExts are the content formats the archive reads: Markdown and HTML.
var contentExts = map[string]bool{".md": true, ".markdown": true, ".mdown": true, ".mkd": true, ".mkdn": true,
	".html": true, ".htm": true}

// otherFormats are content formats Hugo reads through other tools.
var otherFormats = map[string]bool{".org": true, ".adoc": true, ".asciidoc": true, ".ad": true, ".rst": true,
	".pandoc": true, ".pdc": true}

func isHTMLContent(p string) bool {
	e := strings.ToLower(path.Ext(p))
	return e == ".html" || e == ".htm"
}

// contentTree is the content folder, classified.
type contentTree struct {
	pages     []string            // page content files (site-root paths), sorted
	branches  []string            // _index files
	resources map[string][]string // page or branch content file -> its resources, sorted
	owner     map[string]string   // resource -> its page or branch content file
	loose     []string            // files published at their own path
	other     []string            // content in formats the archive cannot read
	languages int                 // files left out: other languages
	ignored   int                 // files left out: ignoreFiles
}

// langOf splits "x.fr.md" into "x", "fr" when fr is a language of langs.
func langOf(name string, langs map[string]bool) (base, lang string) {
	stem := strings.TrimSuffix(name, path.Ext(name))
	if i := strings.LastIndexByte(stem, '.'); i > 0 {
		if l := strings.ToLower(stem[i+1:]); langs[l] {
			return stem[:i], l
		}
	}
	return stem, ""
}

// classifyContent sorts the files under dir (site-root slash paths).
func classifyContent(files []string, cfg *hugoconfig.Config) *contentTree {
	t := &contentTree{resources: map[string][]string{}, owner: map[string]string{}}
	langs := map[string]bool{cfg.DefaultContentLanguage: true}
	for _, l := range cfg.Languages {
		langs[l] = true
	}
	var ignore []*regexp.Regexp
	for _, re := range cfg.IgnoreFiles {
		if r, err := regexp.Compile(re); err == nil {
			ignore = append(ignore, r)
		}
	}
	var otherDirs []string
	for _, d := range cfg.LanguageDirs {
		if d != cfg.ContentDir && d != "" {
			otherDirs = append(otherDirs, d+"/")
		}
	}
	dir := cfg.ContentDir
	type entry struct {
		p, base, lang string
		content       bool
	}
	var kept []entry
	leaf := map[string]string{}   // folder -> its index file
	branch := map[string]string{} // folder -> its _index file
	for _, p := range files {
		skip := false
		for _, d := range otherDirs {
			skip = skip || strings.HasPrefix(p, d)
		}
		if skip {
			t.languages++
			continue
		}
		rel := strings.TrimPrefix(p, dir+"/")
		for _, r := range ignore {
			if r.MatchString(p) || r.MatchString(rel) {
				skip = true
				break
			}
		}
		if skip {
			t.ignored++
			continue
		}
		name := path.Base(p)
		ext := strings.ToLower(path.Ext(name))
		e := entry{p: p, content: contentExts[ext]}
		e.base, e.lang = langOf(name, langs)
		if strings.HasPrefix(name, "_index.") && e.base != "_index" {
			e.base = "_index" // _index.en.md.md is a branch bundle's page too, as Hugo reads it
		}
		if e.content && e.lang != "" && e.lang != cfg.DefaultContentLanguage {
			t.languages++
			continue
		}
		if otherFormats[ext] {
			t.other = append(t.other, p)
			continue
		}
		if e.content {
			switch e.base {
			case "index":
				if _, ok := leaf[path.Dir(p)]; !ok {
					leaf[path.Dir(p)] = p
				}
			case "_index":
				if _, ok := branch[path.Dir(p)]; !ok {
					branch[path.Dir(p)] = p
				}
			}
		}
		kept = append(kept, e)
	}
	// A leaf bundle's folder holds only its resources: no bundles inside.
	leafOf := func(p string) string {
		best := ""
		for d := path.Dir(p); d != "." && d != "/" && d != dir && strings.HasPrefix(d+"/", dir+"/"); d = path.Dir(d) {
			if idx, ok := leaf[d]; ok {
				best = idx
			}
		}
		if idx, ok := leaf[dir]; ok && best == "" && path.Dir(p) == dir {
			best = idx
		}
		return best
	}
	for _, e := range kept {
		if l := leafOf(e.p); l != "" {
			if e.p == l {
				t.pages = append(t.pages, e.p)
				continue
			}
			if e.content && (e.base == "index" || e.base == "_index") && path.Dir(e.p) == path.Dir(l) {
				continue // another spelling of the same bundle's page
			}
			t.resources[l] = append(t.resources[l], e.p)
			t.owner[e.p] = l
			continue
		}
		switch {
		case e.content && e.base == "_index":
			if branch[path.Dir(e.p)] == e.p {
				t.branches = append(t.branches, e.p)
			}
		case e.content:
			t.pages = append(t.pages, e.p)
		default:
			if b, ok := branch[path.Dir(e.p)]; ok {
				t.resources[b] = append(t.resources[b], e.p)
				t.owner[e.p] = b
			} else {
				t.loose = append(t.loose, e.p)
			}
		}
	}
	sort.Strings(t.pages)
	sort.Strings(t.branches)
	sort.Strings(t.loose)
	for _, r := range t.resources {
		sort.Strings(r)
	}
	return t
}
