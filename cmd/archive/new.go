package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"text/template"
	"time"
	"unicode"

	"github.com/archive-project/archive/cmd/archive/internal/hugoconfig"
	"github.com/archive-project/archive/cmd/archive/internal/sitefs"
)

func init() {
	register("new", "create a content file from its archetype, as 'hugo new content' does", func(e *env) command { return &newCmd{env: e} })
}

// newCmd is `archive new content PATH` (and Hugo's older `archive new PATH`).
type newCmd struct{ env *env }

func (c *newCmd) Usage() string {
	return `Usage: archive new content [flags] PATH

Creates content/PATH from an archetype, as 'hugo new content' does: the
first of archetypes/<section>.md, archetypes/<kind>.md (--kind),
archetypes/default.md and the theme's archetypes, else a file with a title
made from the file name, today's date and draft: true. An archetype is a
Go text template that sees .Name (the file or bundle name), .Date, .Type
(the section), .Site.Title, .Site.Params and .File (.Path, .Dir,
.BaseFileName, .ContentBaseName), with the functions title, replace, lower,
upper, now, urlize, humanize and default. An existing file is never
overwritten unless --force is given.

PATH is relative to the content folder (contentDir of a Hugo config, else
content/); a leading "content/" is dropped. PATH/index.md makes a page
bundle. 'archive new PATH' is the same as 'archive new content PATH'.

Flags:
  -s, --source DIR   site root (default ".")
  -k, --kind KIND    archetype to use instead of the section's
  -f, --force        overwrite PATH if it exists

Examples:
  archive new content posts/my-first-post.md
  archive new content posts/a-bundle/index.md
  archive new content --kind interview posts/jane-doe.md
`
}

func (c *newCmd) Run(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "content" {
		args = args[1:]
	} else if len(args) > 0 && (args[0] == "site" || args[0] == "theme") {
		return usagef("archive help new", "'archive new %s' is not supported: the archive builds with its own layouts; make a folder with content/ and run 'archive new content'", args[0])
	}
	fset := newFlagSet("new", c.Usage)
	var src, kind string
	var force bool
	fset.StringVar(&src, "s", ".", "site root")
	fset.StringVar(&src, "source", ".", "site root")
	fset.StringVar(&kind, "k", "", "archetype")
	fset.StringVar(&kind, "kind", "", "archetype")
	fset.BoolVar(&force, "f", false, "overwrite")
	fset.BoolVar(&force, "force", false, "overwrite")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if fset.NArg() != 1 {
		return usagef("archive new content posts/my-first-post.md", "give one content path")
	}
	rel, err := contentPath(fset.Arg(0))
	if err != nil {
		return usagef("archive new content posts/my-first-post.md", "%v", err)
	}
	site, err := sitefs.Dir(src) // archetypes and config never through a link out of the site
	if err != nil {
		return err
	}
	defer site.Close()
	cfg, err := hugoconfig.Load(site, "development")
	if err != nil {
		return err
	}
	rel = strings.TrimPrefix(rel, cfg.ContentDir+"/")
	target := filepath.Join(src, filepath.FromSlash(cfg.ContentDir), filepath.FromSlash(rel))
	if _, err := os.Stat(target); err == nil && !force {
		return fmt.Errorf("%s already exists\n\tfix: choose another name, or add --force to overwrite it", target)
	}
	text, from, err := renderArchetype(site, cfg, rel, kind, c.env.clock())
	if err != nil {
		return err
	}
	// Written through an os.Root: never through a link to a file outside the site.
	root, err := os.OpenRoot(src)
	if err != nil {
		return err
	}
	defer root.Close()
	inRoot := filepath.Join(filepath.FromSlash(cfg.ContentDir), filepath.FromSlash(rel))
	if _, err := site.Stat(filepath.ToSlash(inRoot)); sitefs.IsLinkError(err) {
		return err // names the link and where it leads
	}
	if err := root.MkdirAll(filepath.Dir(inRoot), 0o755); err != nil {
		return fmt.Errorf("%s: %w", target, err)
	}
	if err := root.WriteFile(inRoot, text, 0o644); err != nil {
		return fmt.Errorf("%s: %w", target, err)
	}
	fmt.Fprintf(c.env.stdout, "created %s from %s\n", target, from)
	return nil
}

// contentPath checks a content path given on the command line.
func contentPath(p string) (string, error) {
	p = filepath.ToSlash(p)
	clean := path.Clean(strings.TrimPrefix(p, "./"))
	if path.IsAbs(clean) || clean == "." || strings.HasPrefix(clean, "../") || clean == ".." {
		return "", fmt.Errorf("%q is not a path inside the content folder", p)
	}
	switch path.Ext(clean) {
	case ".md", ".markdown", ".html":
	default:
		return "", fmt.Errorf("%q needs a content extension: .md, .markdown or .html (a bundle is dir/index.md)", p)
	}
	if strings.HasPrefix(clean, "content/") && clean != "content/" {
		clean = strings.TrimPrefix(clean, "content/")
	}
	return clean, nil
}

// defaultArchetype is Hugo's built-in archetype.
const defaultArchetype = `---
title: "{{ replace .Name "-" " " | title }}"
date: {{ .Date }}
draft: true
---

`

// renderArchetype finds and executes the archetype of a new content file;
// from says which one was used.
func renderArchetype(site fs.FS, cfg *hugoconfig.Config, rel, kind string, now time.Time) ([]byte, string, error) {
	section := ""
	if i := strings.IndexByte(rel, '/'); i >= 0 {
		section = rel[:i]
	}
	ext := path.Ext(rel)
	var candidates []string
	for _, dir := range archetypeDirs(cfg) {
		for _, name := range []string{kind, section, "default"} {
			if name != "" {
				candidates = append(candidates, dir+"/"+name+ext, dir+"/"+name+".md")
			}
		}
	}
	src, from := []byte(defaultArchetype), "Hugo's default archetype"
	for _, p := range candidates {
		b, err := fs.ReadFile(site, p)
		if err == nil {
			src, from = b, p
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, "", fmt.Errorf("%s: %w", p, err)
		}
	}
	if kind != "" && !strings.Contains(from, "/"+kind+".") {
		return nil, "", fmt.Errorf("no archetype %q: looked for %s\n\tfix: add archetypes/%s.md or leave out --kind", kind, strings.Join(candidates[:2], ", "), kind)
	}
	name := strings.TrimSuffix(path.Base(rel), ext)
	if name == "index" || name == "_index" {
		name = path.Base(path.Dir(rel))
	}
	typ := section
	if typ == "" {
		typ = "page"
	}
	data := map[string]any{
		"Name": name,
		"Date": now.Format(time.RFC3339),
		"Type": typ,
		"Kind": "page",
		"Site": map[string]any{"Title": cfg.Title, "Params": cfg.Params, "BaseURL": cfg.BaseURL},
		"File": map[string]any{"Path": rel, "Dir": path.Dir(rel) + "/", "BaseFileName": strings.TrimSuffix(path.Base(rel), ext),
			"ContentBaseName": name, "Ext": strings.TrimPrefix(ext, "."), "Section": section},
	}
	t, err := template.New(from).Option("missingkey=zero").Funcs(archetypeFuncs(now)).Parse(string(src))
	if err != nil {
		return nil, "", fmt.Errorf("%s: %w\n\tfix: correct the template", from, err)
	}
	var out bytes.Buffer
	if err := t.Execute(&out, data); err != nil {
		return nil, "", fmt.Errorf("%s: %w\n\tfix: correct the template", from, err)
	}
	return out.Bytes(), from, nil
}

func archetypeDirs(cfg *hugoconfig.Config) []string {
	dirs := []string{"archetypes"}
	for _, t := range cfg.Themes {
		dirs = append(dirs, path.Join(cfg.ThemesDir, t, "archetypes"))
	}
	return dirs
}

func archetypeFuncs(now time.Time) template.FuncMap {
	return template.FuncMap{
		"title": titleCase,
		"replace": func(s any, old, new string) string {
			return strings.ReplaceAll(fmt.Sprint(s), old, new)
		},
		"lower":    func(s any) string { return strings.ToLower(fmt.Sprint(s)) },
		"upper":    func(s any) string { return strings.ToUpper(fmt.Sprint(s)) },
		"now":      func() time.Time { return now },
		"urlize":   func(s any) string { return strings.ToLower(strings.Join(strings.Fields(fmt.Sprint(s)), "-")) },
		"humanize": func(s any) string { return titleCase(strings.ReplaceAll(fmt.Sprint(s), "-", " ")) },
		"default": func(def any, v ...any) any {
			if len(v) == 0 || v[0] == nil || v[0] == "" {
				return def
			}
			return v[0]
		},
	}
}

// titleCase upper-cases the first letter of each word, as Hugo's title.
func titleCase(s any) string {
	words := strings.Fields(fmt.Sprint(s))
	for i, w := range words {
		r := []rune(w)
		r[0] = unicode.ToUpper(r[0])
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}
