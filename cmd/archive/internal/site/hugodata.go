package site

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v2"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// Hugo's data/ and i18n/ folders, for shortcode templates: data/a/b.toml
// is .Site.Data.a.b (the site's own over its themes'), and i18n/<lang>.*
// holds the translations that i18n looks up.

// loadData reads the data folders, first wins (the site's, then each
// theme's). Keys keep their case, as Hugo's .Site.Data does.
func loadData(fsys fs.FS, dirs []string) (map[string]any, error) {
	out := map[string]any{}
	for i := len(dirs) - 1; i >= 0; i-- {
		dir := dirs[i]
		err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == dir && errors.Is(err, fs.ErrNotExist) {
					return fs.SkipAll
				}
				return err
			}
			if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
				return nil
			}
			v, err := readDataFile(fsys, p)
			if err != nil || v == nil {
				return err
			}
			rel := strings.TrimPrefix(p, dir+"/")
			keys := strings.Split(strings.TrimSuffix(rel, path.Ext(rel)), "/")
			m := out
			for _, k := range keys[:len(keys)-1] {
				sub, ok := m[k].(map[string]any)
				if !ok {
					sub = map[string]any{}
					m[k] = sub
				}
				m = sub
			}
			last := keys[len(keys)-1]
			if old, ok := m[last].(map[string]any); ok {
				if nv, ok := v.(map[string]any); ok {
					for k, x := range nv {
						old[k] = x
					}
					return nil
				}
			}
			m[last] = v
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// readDataFile decodes a data file by its extension (nil for others).
func readDataFile(fsys fs.FS, p string) (any, error) {
	ext := strings.ToLower(path.Ext(p))
	switch ext {
	case ".toml", ".yaml", ".yml", ".json":
	default:
		return nil, nil
	}
	src, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, &article.Error{File: p, Err: err, Fix: "check that the file is readable"}
	}
	var v any
	switch ext {
	case ".toml":
		var m map[string]any
		_, err = toml.Decode(string(src), &m)
		v = m
	case ".json":
		d := json.NewDecoder(bytes.NewReader(src))
		err = d.Decode(&v)
	default:
		err = yaml.Unmarshal(src, &v)
		v = stringKeys(v)
	}
	if err != nil {
		return nil, &article.Error{File: p, Err: fmt.Errorf("data: %w", err), Fix: "correct the file's syntax"}
	}
	return v, nil
}

// stringKeys turns YAML's map[any]any into map[string]any, all the way down.
func stringKeys(v any) any {
	switch t := v.(type) {
	case map[any]any:
		m := make(map[string]any, len(t))
		for k, x := range t {
			m[fmt.Sprint(k)] = stringKeys(x)
		}
		return m
	case map[string]any:
		for k, x := range t {
			t[k] = stringKeys(x)
		}
		return t
	case []any:
		for i, x := range t {
			t[i] = stringKeys(x)
		}
		return t
	}
	return v
}

// loadI18n reads the translations of lang from the i18n folders, first
// wins: i18n/<lang>.toml|yaml|json, in either of go-i18n's shapes (a table
// of id = "text" or id = {one, other}, or a list of {id, translation}).
// Ids are lower-cased, as Hugo looks them up.
func loadI18n(fsys fs.FS, dirs []string, lang string) (map[string]any, error) {
	out := map[string]any{}
	for i := len(dirs) - 1; i >= 0; i-- {
		ents, err := fs.ReadDir(fsys, dirs[i])
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		names := make([]string, 0, len(ents))
		for _, e := range ents {
			base := strings.TrimSuffix(e.Name(), path.Ext(e.Name()))
			if !e.IsDir() && strings.EqualFold(base, lang) {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		for _, n := range names {
			v, err := readDataFile(fsys, path.Join(dirs[i], n))
			if err != nil {
				return nil, err
			}
			switch t := v.(type) {
			case map[string]any:
				for k, x := range t {
					out[strings.ToLower(k)] = x
				}
			case []any:
				for _, item := range t {
					if m, ok := item.(map[string]any); ok {
						if id, ok := m["id"].(string); ok {
							out[strings.ToLower(id)] = m["translation"]
						}
					}
				}
			}
		}
	}
	return out, nil
}
