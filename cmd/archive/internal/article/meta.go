package article

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// dateLayouts are the spellings of date and captured that Parse accepts.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
}

// ParseDate reads a front-matter date in any of the accepted spellings.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot parse date %q", s)
}

// fill sets m's known keys on meta; line reports the file line of a key.
func (meta *Meta) fill(m map[string]any, line func(key string) int, page bool) error {
	if page {
		// A Hugo site's page may use the archive's keys for its own
		// things (notes: a link to the minutes): a value of another shape
		// is kept in Params for its templates, not an error.
		for _, k := range []string{"notes", "outlet", "subtitle", "seed", "seed_sha256", "source_url", "id", "captured", "summary", "unsafe_html", "language", "seed_record", "seed_uri"} {
			if v, ok := m[k]; ok && v != nil && !archiveShape(k, v) {
				if meta.Params == nil {
					meta.Params = map[string]any{}
				}
				meta.Params[k] = v
				delete(m, k)
			}
		}
	}
	bad := func(key, want string, v any) error {
		return &Error{Line: line(key), Err: fmt.Errorf("front matter: %s must be %s, not %v", key, want, v),
			Fix: "write " + key + " as " + want}
	}
	str := func(key string, dst *string) error {
		v, ok := m[key]
		if !ok || v == nil {
			return nil
		}
		switch t := v.(type) {
		case string:
			*dst = t
		case json.Number, int, int64, float64:
			*dst = fmt.Sprint(t)
		default:
			return bad(key, "a string", v)
		}
		return nil
	}
	boolean := func(key string, dst *bool) error {
		v, ok := m[key]
		if !ok || v == nil {
			return nil
		}
		b, ok := v.(bool)
		if !ok {
			return bad(key, "true or false", v)
		}
		*dst = b
		return nil
	}
	date := func(key string, dst *time.Time) error {
		v, ok := m[key]
		if !ok || v == nil {
			return nil
		}
		switch t := v.(type) {
		case time.Time:
			*dst = t
			return nil
		case string:
			d, err := ParseDate(t)
			if err != nil {
				return &Error{Line: line(key), Err: fmt.Errorf("front matter: %s: %w", key, err),
					Fix: "write " + key + " as 2019-11-18 or 2019-11-18T04:58:00+01:00"}
			}
			*dst = d
			return nil
		}
		return bad(key, "a date like 2019-11-18", v)
	}
	// author: a byline, or (as Hugo sites write it) a list of names.
	if list, ok := m["author"].([]any); ok {
		for _, x := range list {
			name, ok := x.(string)
			if !ok {
				return bad("author", "a name or a list of names", m["author"])
			}
			if name = strings.TrimSpace(name); name != "" {
				meta.Authors = append(meta.Authors, name)
			}
		}
		meta.Author = joinNames(meta.Authors)
		delete(m, "author")
	}
	for _, f := range []struct {
		key string
		dst *string
	}{
		{"title", &meta.Title}, {"subtitle", &meta.Subtitle}, {"outlet", &meta.Outlet},
		{"author", &meta.Author}, {"source_url", &meta.SourceURL}, {"seed", &meta.Seed},
		{"seed_sha256", &meta.SeedSHA256}, {"slug", &meta.Slug}, {"id", &meta.ID},
		{"summary", &meta.Summary}, {"seed_record", &meta.SeedRecord}, {"seed_uri", &meta.SeedURI},
		{"language", &meta.Language},
	} {
		if err := str(f.key, f.dst); err != nil {
			return err
		}
	}
	for _, err := range []error{
		boolean("draft", &meta.Draft), boolean("unsafe_html", &meta.UnsafeHTML),
		date("date", &meta.Date), date("captured", &meta.Captured),
	} {
		if err != nil {
			return err
		}
	}
	if v, ok := m["aliases"]; ok && v != nil {
		list, ok := v.([]any)
		if !ok {
			return bad("aliases", "a list of paths", v)
		}
		for _, a := range list {
			s, ok := a.(string)
			if !ok {
				return bad("aliases", "a list of paths", v)
			}
			meta.Aliases = append(meta.Aliases, s)
		}
	}
	if v, ok := m["notes"]; ok && v != nil {
		list, ok := v.([]any)
		if !ok {
			return bad("notes", "a list of {quote, note}", v)
		}
		for i, item := range list {
			n, ok := item.(map[string]any)
			if !ok {
				return bad("notes", "a list of {quote, note}", item)
			}
			var note Note
			for k, dst := range map[string]*string{"quote": &note.Quote, "prefix": &note.Prefix,
				"suffix": &note.Suffix, "note": &note.Note} {
				if s, ok := n[k].(string); ok {
					*dst = s
				}
			}
			if note.Quote == "" || note.Note == "" {
				return &Error{Line: line("notes"), Err: fmt.Errorf("front matter: note %d needs both quote and note", i+1),
					Fix: "give each note a quote: (words from the body) and a note: (your text)"}
			}
			meta.Notes = append(meta.Notes, note)
		}
	}
	var keys []string
	for k := range m {
		if !knownKeys[k] {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if meta.Params == nil {
			meta.Params = map[string]any{}
		}
		meta.Params[k] = m[k]
	}
	return nil
}

// knownKeys are the front matter keys that fill sets on a Meta; the others
// go to Params.
var knownKeys = map[string]bool{"title": true, "subtitle": true, "outlet": true, "author": true,
	"date": true, "draft": true, "source_url": true, "captured": true, "seed": true,
	"seed_sha256": true, "slug": true, "id": true, "aliases": true, "summary": true,
	"unsafe_html": true, "notes": true, "seed_record": true, "seed_uri": true, "language": true}

// joinNames writes names as a byline: "A", "A and B", "A, B and C".
func joinNames(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// archiveShape reports whether v is what the archive's key k holds.
func archiveShape(k string, v any) bool {
	switch k {
	case "notes":
		list, ok := v.([]any)
		if !ok {
			return false
		}
		for _, item := range list {
			n, ok := item.(map[string]any)
			if !ok {
				return false
			}
			if _, ok := n["quote"].(string); !ok {
				return false
			}
		}
		return true
	case "unsafe_html":
		_, ok := v.(bool)
		return ok
	case "captured":
		switch v.(type) {
		case string, time.Time:
			return true
		}
		return false
	}
	switch v.(type) {
	case string, json.Number, int, int64, float64:
		return true
	}
	return false
}
