package hugoconfig

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// fill sets c's fields from the merged configuration raw.
func (c *Config) fill(raw map[string]any) error {
	c.Raw = raw
	lang := strings.ToLower(str(raw, "defaultcontentlanguage"))
	if lang != "" {
		c.DefaultContentLanguage = lang
	}
	// The default language's table wins over the root keys it repeats.
	if langs, ok := raw["languages"].(map[string]any); ok {
		keys := make([]string, 0, len(langs))
		for k := range langs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			lm, _ := langs[k].(map[string]any)
			if k != c.DefaultContentLanguage {
				c.Languages = append(c.Languages, k)
				if d := str(lm, "contentdir"); d != "" {
					c.LanguageDirs[k] = strings.Trim(d, "/")
				}
				continue
			}
			eff := map[string]any{}
			merge(eff, raw)
			merge(eff, lm)
			raw = eff
		}
	}
	for _, f := range []struct {
		key string
		dst *string
	}{
		{"title", &c.Title}, {"baseurl", &c.BaseURL}, {"languagecode", &c.LanguageCode},
		{"copyright", &c.Copyright}, {"themesdir", &c.ThemesDir}, {"contentdir", &c.ContentDir},
	} {
		v, err := stringAt(raw, f.key)
		if err != nil {
			return err
		}
		if v != "" {
			*f.dst = v
		}
	}
	c.ContentDir = strings.Trim(c.ContentDir, "/")
	if c.ContentDir == "" {
		c.ContentDir = "content"
	}
	if p, ok := raw["params"].(map[string]any); ok {
		c.Params = p
	}
	if d, ok := c.Params["description"].(string); ok {
		c.Description = strings.TrimSpace(d)
	}
	if v, ok := raw["permalinks"]; ok {
		m, ok := v.(map[string]any)
		if !ok {
			return &keyError{"permalinks", "a table of section = pattern", v}
		}
		for k, p := range m {
			s, ok := p.(string)
			if !ok {
				// Hugo 0.112's permalinks.page / permalinks.section tables.
				if inner, ok := p.(map[string]any); ok && k == "page" {
					for ik, ip := range inner {
						if s, ok := ip.(string); ok {
							c.Permalinks[strings.Trim(ik, " /")] = s
						}
					}
					continue
				}
				if _, ok := p.(map[string]any); ok {
					continue
				}
				return &keyError{"permalinks." + k, "a URL pattern such as \"/:year/:month/:slug/\"", p}
			}
			c.Permalinks[strings.Trim(k, " /")] = s
		}
	}
	switch v := raw["uglyurls"].(type) {
	case nil:
	case bool:
		c.UglyURLs = v
	case string:
		c.UglyURLs, _ = strconv.ParseBool(v)
	case map[string]any:
		for k, x := range v {
			if b, ok := x.(bool); ok && b {
				c.UglyURLsSections[k] = true
			}
		}
	default:
		return &keyError{"uglyURLs", "true, false or a table of section = true", v}
	}
	if v, ok := raw["taxonomies"]; ok {
		m, ok := v.(map[string]any)
		if !ok {
			return &keyError{"taxonomies", "a table of singular = \"plural\"", v}
		}
		c.Taxonomies = nil
		for k, p := range m {
			s, ok := p.(string)
			if !ok || s == "" {
				return &keyError{"taxonomies." + k, "a plural name such as \"tags\"", p}
			}
			c.Taxonomies = append(c.Taxonomies, Taxonomy{Singular: k, Plural: strings.ToLower(s)})
		}
		sort.Slice(c.Taxonomies, func(i, j int) bool { return c.Taxonomies[i].Plural < c.Taxonomies[j].Plural })
	}
	if v, ok := raw["disablekinds"]; ok {
		list, ok := v.([]any)
		if !ok {
			return &keyError{"disableKinds", "a list such as [\"taxonomy\", \"term\"]", v}
		}
		for _, k := range list {
			s := strings.ToLower(fmt.Sprint(k))
			// Hugo's older names.
			switch s {
			case "taxonomyterm":
				s = "taxonomy"
			}
			c.DisableKinds[s] = true
		}
	}
	if n, ok, err := intAt(raw, "paginate"); err != nil {
		return err
	} else if ok && n > 0 {
		c.PagerSize = n
	}
	if s := str(raw, "paginatepath"); s != "" {
		c.PaginatePath = s
	}
	if pg, ok := raw["pagination"].(map[string]any); ok {
		if n, ok, err := intAt(pg, "pagersize"); err != nil {
			return err
		} else if ok && n > 0 {
			c.PagerSize = n
		}
		if s := str(pg, "path"); s != "" {
			c.PaginatePath = s
		}
	}
	if n, ok, err := intAt(raw, "summarylength"); err != nil {
		return err
	} else if ok && n >= 0 {
		c.SummaryLength = n
	}
	switch v := raw["staticdir"].(type) {
	case string:
		c.StaticDirs = []string{strings.Trim(v, "/")}
	case []any:
		c.StaticDirs = nil
		for _, d := range v {
			c.StaticDirs = append(c.StaticDirs, strings.Trim(fmt.Sprint(d), "/"))
		}
	}
	if v, ok := raw["ignorefiles"]; ok {
		list, ok := v.([]any)
		if !ok {
			return &keyError{"ignoreFiles", "a list of regular expressions", v}
		}
		for _, x := range list {
			re := fmt.Sprint(x)
			if _, err := regexp.Compile(re); err != nil {
				return &keyError{"ignoreFiles", "a list of regular expressions", re}
			}
			c.IgnoreFiles = append(c.IgnoreFiles, re)
		}
	}
	switch v := raw["theme"].(type) {
	case string:
		if v != "" {
			c.Themes = []string{v}
		}
	case []any:
		for _, t := range v {
			c.Themes = append(c.Themes, fmt.Sprint(t))
		}
	}
	for _, f := range []struct {
		key string
		dst *bool
	}{
		{"disablepathtolower", &c.DisablePathToLower}, {"removepathaccents", &c.RemovePathAccents},
		{"builddrafts", &c.BuildDrafts}, {"buildfuture", &c.BuildFuture}, {"buildexpired", &c.BuildExpired},
		{"enableinlineshortcodes", &c.EnableInlineShortcodes},
	} {
		b, err := boolAt(raw, f.key)
		if err != nil {
			return err
		}
		if b != nil {
			*f.dst = *b
		}
	}
	return c.fillGoldmark(raw)
}

func (c *Config) fillGoldmark(raw map[string]any) error {
	gm := table(table(raw, "markup"), "goldmark")
	g := &c.Goldmark
	set := func(m map[string]any, key string, dst *bool) error {
		b, err := boolAt(m, key)
		if b != nil {
			*dst = *b
		}
		return err
	}
	r, ext, p := table(gm, "renderer"), table(gm, "extensions"), table(gm, "parser")
	for _, f := range []struct {
		m   map[string]any
		key string
		dst *bool
	}{
		{r, "unsafe", &g.Unsafe}, {r, "hardwraps", &g.HardWraps},
		{ext, "typographer", &g.Typographer}, {ext, "footnote", &g.Footnote},
		{ext, "definitionlist", &g.DefinitionList}, {ext, "table", &g.Table},
		{ext, "strikethrough", &g.Strikethrough}, {ext, "linkify", &g.Linkify},
		{ext, "tasklist", &g.TaskList},
		{p, "autoheadingid", &g.AutoHeadingID},
		{table(p, "attribute"), "title", &g.AttributeTitle}, {table(p, "attribute"), "block", &g.AttributeBlock},
	} {
		if err := set(f.m, f.key, f.dst); err != nil {
			return err
		}
	}
	// Hugo 0.111 allows typographer = false only as a bool; newer Hugo
	// has a table of its own settings: present means on unless disable.
	if t, ok := ext["typographer"].(map[string]any); ok {
		d, _ := boolAt(t, "disable")
		g.Typographer = d == nil || !*d
	}
	if s := strings.ToLower(str(p, "autoheadingidtype")); s != "" {
		switch s {
		case "github", "github-ascii", "blackfriday":
			g.AutoHeadingIDType = s
		default:
			return &keyError{"markup.goldmark.parser.autoHeadingIDType", "github, github-ascii or blackfriday", s}
		}
	}
	return nil
}

func table(m map[string]any, key string) map[string]any {
	t, _ := m[key].(map[string]any)
	return t
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

func stringAt(m map[string]any, key string) (string, error) {
	switch v := m[key].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case int64, int, float64:
		return fmt.Sprint(v), nil
	default:
		return "", &keyError{key, "a string", v}
	}
}

func boolAt(m map[string]any, key string) (*bool, error) {
	switch v := m[key].(type) {
	case nil:
		return nil, nil
	case bool:
		return &v, nil
	case string:
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, &keyError{key, "true or false", v}
		}
		return &b, nil
	default:
		return nil, &keyError{key, "true or false", v}
	}
}

func intAt(m map[string]any, key string) (int, bool, error) {
	switch v := m[key].(type) {
	case nil:
		return 0, false, nil
	case int64:
		return int(v), true, nil
	case int:
		return v, true, nil
	case float64:
		return int(v), true, nil
	case string:
		n, err := strconv.Atoi(v)
		if err != nil {
			return 0, false, &keyError{key, "a whole number", v}
		}
		return n, true, nil
	default:
		return 0, false, &keyError{key, "a whole number", v}
	}
}
