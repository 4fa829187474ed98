package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
)

// annotationsByPage reads the site's annotations.jsonld (W3C Web
// Annotation JSON-LD) and groups its annotations by the page they target:
// the key is the page's public URL (target source resolved against base,
// fragment dropped). Any object whose "type" or "@type" is "Annotation"
// counts, wherever it sits (a bare list, an AnnotationCollection's items
// or first.items, a JSON-LD @graph). Each group is kept in file order.
// A site without the file has no annotations.
func annotationsByPage(site fs.FS, base string) (map[string][]any, error) {
	src, err := fs.ReadFile(site, AnnotationsFile)
	if err != nil {
		if _, statErr := fs.Stat(site, AnnotationsFile); statErr != nil {
			return nil, nil
		}
		return nil, fmt.Errorf("%s: %w", AnnotationsFile, err)
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: not valid JSON: %w (rebuild the site)", AnnotationsFile, err)
	}
	baseURL, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("base URL %q: %w", base, err)
	}
	groups := map[string][]any{}
	var walk func(v any)
	walk = func(v any) {
		switch t := v.(type) {
		case []any:
			for _, x := range t {
				walk(x)
			}
		case map[string]any:
			if isAnnotation(t) {
				page := annotationPage(t["target"], baseURL)
				groups[page] = append(groups[page], t)
				return
			}
			keys := make([]string, 0, len(t))
			for k := range t {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(t[k])
			}
		}
	}
	walk(doc)
	return groups, nil
}

func isAnnotation(m map[string]any) bool {
	for _, k := range []string{"type", "@type"} {
		switch t := m[k].(type) {
		case string:
			if t == "Annotation" || t == "oa:Annotation" {
				return true
			}
		case []any:
			for _, x := range t {
				if x == "Annotation" || x == "oa:Annotation" {
					return true
				}
			}
		}
	}
	return false
}

// annotationPage finds the page URL an annotation's target points at; ""
// when it has none.
func annotationPage(target any, base *url.URL) string {
	var src string
	switch t := target.(type) {
	case string:
		src = t
	case map[string]any:
		for _, k := range []string{"source", "id", "@id"} {
			if s, ok := t[k].(string); ok {
				src = s
				break
			}
		}
	case []any:
		for _, x := range t {
			if p := annotationPage(x, base); p != "" {
				return p
			}
		}
	}
	if src == "" {
		return ""
	}
	u, err := base.Parse(src)
	if err != nil {
		return ""
	}
	u.Fragment, u.RawFragment = "", ""
	return u.String()
}

// annotationPageJSON renders one page's annotations as a W3C AnnotationPage.
func annotationPageJSON(page string, items []any) ([]byte, error) {
	doc := map[string]any{
		"@context": "http://www.w3.org/ns/anno.jsonld",
		"type":     "AnnotationPage",
		"partOf":   page,
		"items":    items,
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// jsonString quotes s as JSON without escaping <, > and &.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return string(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}
