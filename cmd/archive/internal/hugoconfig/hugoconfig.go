// Package hugoconfig reads a Hugo site's configuration, so that a folder
// that Hugo builds is built by the archive as its authors expect.
//
// # Where the configuration is
//
// As Hugo 0.111 looks for it: the first of hugo.toml, hugo.yaml, hugo.yml,
// hugo.json, config.toml, config.yaml, config.yml, config.json at the site
// root; then every file of config/_default/ and of config/<environment>/
// (production for a build), each merged over what came before. In the
// folder a file's name says where its keys go: hugo.* and config.* at the
// root, params.toml under params, menus.en.toml under languages.en.menus,
// languages.fr.toml under languages.fr. Keys are case-insensitive (they are
// lower-cased as Hugo does), and a later file replaces a key of an earlier
// one, tables merged key by key.
//
// # What the archive uses
//
// title, baseURL, languageCode, copyright, params (with params.description
// as the site's description), permalinks, uglyURLs (true, or by section),
// taxonomies (default tag = "tags", category = "categories"; an empty table
// for none), disableKinds, paginate / pagination.pagerSize and
// pagination.path, summaryLength, contentDir, staticDir, theme and
// themesDir, defaultContentLanguage and the default language's table of
// languages (its contentDir, title and params win), disablePathToLower,
// removePathAccents, buildDrafts, buildFuture, buildExpired,
// enableInlineShortcodes, and markup.goldmark: renderer.unsafe,
// renderer.hardWraps, the extensions (typographer, footnote, definitionList,
// table, strikethrough, linkify, taskList), parser.autoHeadingID,
// parser.autoHeadingIDType and parser.attribute. Every other key is kept in
// Raw for shortcode templates (.Site.Params, site.Config) and otherwise left
// to Hugo: the archive renders with its own layouts, not Hugo's.
package hugoconfig

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v2"
)

// RootNames are the configuration files Hugo reads at the site root, in the
// order it looks for them: the first found is read.
var RootNames = []string{"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json",
	"config.toml", "config.yaml", "config.yml", "config.json"}

// Dir is the folder of split configuration files.
const Dir = "config"

// Config is what the archive reads of a Hugo site's configuration.
type Config struct {
	// Files are the files read, in the order they were merged (slash
	// paths from the site root). Empty when the site has no Hugo
	// configuration: it is not a Hugo site.
	Files []string

	Title        string
	BaseURL      string
	LanguageCode string
	Copyright    string
	Description  string         // params.description
	Params       map[string]any // keys lower-cased

	// Permalinks are URL patterns by section ("" is the root of content/)
	// and by taxonomy (for its term pages), e.g. post: /:year/:month/:slug/.
	Permalinks map[string]string
	// UglyURLs makes /post/x.html instead of /post/x/: for every page, or
	// for the sections named in UglyURLsSections.
	UglyURLs         bool
	UglyURLsSections map[string]bool
	// Taxonomies are the taxonomies of the site, singular and plural
	// ("tag", "tags"), sorted by plural.
	Taxonomies []Taxonomy
	// DisableKinds are Hugo's page kinds the site does not publish
	// (lower-case: "taxonomy", "term", "section", "rss", "sitemap", ...).
	DisableKinds map[string]bool

	PagerSize     int    // pages per list page (default 10)
	PaginatePath  string // "page": /post/page/2/
	SummaryLength int    // words in a summary without <!--more--> (default 70)

	ContentDir string   // "content", or the default language's contentDir
	StaticDirs []string // "static"
	Themes     []string // theme names, first wins
	ThemesDir  string   // "themes"

	DefaultContentLanguage string
	// Languages are the keys of [languages] other than the default one:
	// their content (files named x.<lang>.md or their contentDir) is not
	// built, the archive builds one language.
	Languages          []string
	LanguageDirs       map[string]string // other languages' contentDir, by key
	DisablePathToLower bool
	RemovePathAccents  bool

	// IgnoreFiles are regular expressions: content files whose path
	// (from the site root) matches one are not read.
	IgnoreFiles []string

	BuildDrafts, BuildFuture, BuildExpired bool
	EnableInlineShortcodes                 bool

	Goldmark Goldmark

	// Raw is the whole merged configuration, keys lower-cased.
	Raw map[string]any
}

// Taxonomy is one taxonomy: tags = "tags" front matter makes /tags/<term>/.
type Taxonomy struct {
	Singular string // "tag"
	Plural   string // "tags": the front-matter key and the URL segment
}

// Goldmark is markup.goldmark: how Hugo renders Markdown.
type Goldmark struct {
	Unsafe    bool
	HardWraps bool

	Typographer, Footnote, DefinitionList, Table, Strikethrough, Linkify, TaskList bool

	AutoHeadingID     bool
	AutoHeadingIDType string // "github", "github-ascii", "blackfriday"
	AttributeTitle    bool   // {#id .class} after headings
	AttributeBlock    bool   // {.class} after blocks
}

// Default is the configuration of a Hugo site whose files set nothing:
// Hugo 0.111's defaults.
func Default() *Config {
	return &Config{
		Params:                 map[string]any{},
		Permalinks:             map[string]string{},
		UglyURLsSections:       map[string]bool{},
		Taxonomies:             []Taxonomy{{"category", "categories"}, {"tag", "tags"}},
		DisableKinds:           map[string]bool{},
		PagerSize:              10,
		PaginatePath:           "page",
		SummaryLength:          70,
		ContentDir:             "content",
		StaticDirs:             []string{"static"},
		ThemesDir:              "themes",
		LanguageDirs:           map[string]string{},
		DefaultContentLanguage: "en",
		Goldmark: Goldmark{
			Typographer: true, Footnote: true, DefinitionList: true, Table: true,
			Strikethrough: true, Linkify: true, TaskList: true,
			AutoHeadingID: true, AutoHeadingIDType: "github", AttributeTitle: true,
		},
		Raw: map[string]any{},
	}
}

// Error is a problem in a configuration file, with its line when known.
type Error struct {
	File string
	Line int
	Err  error
	Fix  string
}

func (e *Error) Error() string {
	s := e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	s += ": " + e.Err.Error()
	if e.Fix != "" {
		s += "\n\tfix: " + e.Fix
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Load reads the Hugo configuration of the site at the root of fsys for an
// environment ("production" for builds, "development" for the server; ""
// means production). A site without one gets Default with no Files.
func Load(fsys fs.FS, environment string) (*Config, error) {
	if environment == "" {
		environment = "production"
	}
	raw := map[string]any{}
	var files []string
	for _, name := range RootNames {
		m, err := readFile(fsys, name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		merge(raw, m)
		files = append(files, name)
		break
	}
	for _, dir := range []string{Dir + "/_default", Dir + "/" + environment} {
		names, err := dirFiles(fsys, dir)
		if err != nil {
			return nil, err
		}
		for _, p := range names {
			m, err := readFile(fsys, p)
			if err != nil {
				return nil, err
			}
			merge(raw, placeDirFile(path.Base(p), m))
			files = append(files, p)
		}
	}
	c := Default()
	c.Files = files
	if len(files) == 0 {
		return c, nil
	}
	if err := c.fill(raw); err != nil {
		file, line := locate(fsys, files, keyOf(err))
		return nil, &Error{File: file, Line: line, Err: err,
			Fix: "correct the value; see https://gohugo.io/getting-started/configuration/"}
	}
	return c, nil
}

// IsHugoSite reports whether the site at the root of fsys has a Hugo
// configuration.
func IsHugoSite(fsys fs.FS) bool {
	for _, name := range RootNames {
		if fi, err := fs.Stat(fsys, name); err == nil && !fi.IsDir() {
			return true
		}
	}
	names, _ := dirFiles(fsys, Dir+"/_default")
	return len(names) > 0
}

// dirFiles lists the configuration files of a config folder, sorted, with
// hugo.* and config.* first as Hugo merges them under the others.
func dirFiles(fsys fs.FS, dir string) ([]string, error) {
	ents, err := fs.ReadDir(fsys, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &Error{File: dir, Err: err, Fix: "check that the folder is readable"}
	}
	var root, other []string
	for _, e := range ents {
		if e.IsDir() || !isConfigName(e.Name()) {
			continue
		}
		base := strings.TrimSuffix(e.Name(), path.Ext(e.Name()))
		if base == "hugo" || base == "config" {
			root = append(root, dir+"/"+e.Name())
		} else {
			other = append(other, dir+"/"+e.Name())
		}
	}
	sort.Strings(root)
	sort.Strings(other)
	return append(root, other...), nil
}

func isConfigName(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".toml", ".yaml", ".yml", ".json":
		return !strings.HasPrefix(name, ".")
	}
	return false
}

// placeDirFile puts the keys of config/_default/<name> where Hugo does:
// params.toml under params, menus.en.toml under languages.en.menus.
func placeDirFile(name string, m map[string]any) map[string]any {
	base := strings.TrimSuffix(name, path.Ext(name))
	if base == "hugo" || base == "config" {
		return m
	}
	key, lang := base, ""
	if i := strings.LastIndexByte(base, '.'); i >= 0 {
		key, lang = base[:i], base[i+1:]
	}
	key = strings.ToLower(key)
	if key == "menu" {
		key = "menus"
	}
	if lang == "" {
		return map[string]any{key: m}
	}
	inner := map[string]any(m)
	switch key {
	case "menus", "params":
		inner = map[string]any{key: m}
	}
	return map[string]any{"languages": map[string]any{strings.ToLower(lang): inner}}
}

// readFile decodes one configuration file into a map with lower-cased keys.
func readFile(fsys fs.FS, p string) (map[string]any, error) {
	src, err := fs.ReadFile(fsys, p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, &Error{File: p, Err: err, Fix: "check that the file is readable"}
	}
	var v any
	switch strings.ToLower(path.Ext(p)) {
	case ".toml":
		var m map[string]any
		if _, err := toml.Decode(string(src), &m); err != nil {
			line := 0
			var pe toml.ParseError
			if errors.As(err, &pe) {
				line, err = pe.Position.Line, errors.New(pe.Message)
			}
			return nil, &Error{File: p, Line: line, Err: fmt.Errorf("config: %w", err), Fix: "correct the TOML syntax on that line"}
		}
		v = m
	case ".yaml", ".yml":
		if err := yaml.Unmarshal(src, &v); err != nil {
			return nil, &Error{File: p, Line: yamlLine(err), Err: fmt.Errorf("config: %w", err), Fix: "correct the YAML syntax on that line"}
		}
	case ".json":
		d := json.NewDecoder(bytes.NewReader(src))
		if err := d.Decode(&v); err != nil {
			line := 0
			var se *json.SyntaxError
			if errors.As(err, &se) {
				line = 1 + bytes.Count(src[:min(int(se.Offset), len(src))], []byte("\n"))
			}
			return nil, &Error{File: p, Line: line, Err: fmt.Errorf("config: %w", err), Fix: "correct the JSON syntax on that line"}
		}
	}
	if v == nil {
		return map[string]any{}, nil
	}
	m, ok := lower(v).(map[string]any)
	if !ok {
		return nil, &Error{File: p, Line: 1, Err: errors.New("config: the file is not a table of keys"), Fix: "write key = value lines"}
	}
	return m, nil
}

// yamlLine finds "line N" in a yaml.v2 error.
func yamlLine(err error) int {
	s := err.Error()
	if i := strings.Index(s, "line "); i >= 0 {
		j := i + 5
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		n, _ := strconv.Atoi(s[i+5 : j])
		return n
	}
	return 0
}

// lower turns YAML's map[any]any into map[string]any and lower-cases every
// map key, as Hugo's configuration is case-insensitive.
func lower(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[strings.ToLower(k)] = lower(x)
		}
		return m
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[strings.ToLower(fmt.Sprint(k))] = lower(x)
		}
		return m
	case []map[string]any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = lower(x)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = lower(x)
		}
		return out
	}
	return v
}

// merge sets src's keys on dst, merging tables key by key.
func merge(dst, src map[string]any) {
	for k, v := range src {
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				merge(dm, sm)
				continue
			}
			cp := map[string]any{}
			merge(cp, sm)
			dst[k] = cp
			continue
		}
		dst[k] = v
	}
}

// keyError is a value of the wrong type, naming its key path.
type keyError struct {
	key  string
	want string
	got  any
}

func (e *keyError) Error() string {
	return fmt.Sprintf("%s must be %s, not %v", e.key, e.want, e.got)
}

func keyOf(err error) string {
	var ke *keyError
	if errors.As(err, &ke) {
		k := ke.key
		if i := strings.LastIndexByte(k, '.'); i >= 0 {
			k = k[i+1:]
		}
		return k
	}
	return ""
}

// locate finds the last file in files that assigns key (the one whose
// value won) and the line, or the first file and 0.
func locate(fsys fs.FS, files []string, key string) (string, int) {
	if key == "" {
		return files[0], 0
	}
	key = strings.ToLower(key)
	for j := len(files) - 1; j >= 0; j-- {
		f := files[j]
		src, err := fs.ReadFile(fsys, f)
		if err != nil {
			continue
		}
		for i, l := range strings.Split(string(src), "\n") {
			t := strings.ToLower(strings.TrimLeft(l, " \t\"'"))
			if strings.HasPrefix(t, key) {
				r := strings.TrimLeft(t[len(key):], " \t\"'")
				if strings.HasPrefix(r, "=") || strings.HasPrefix(r, ":") {
					return f, i + 1
				}
			}
		}
	}
	return files[0], 0
}
