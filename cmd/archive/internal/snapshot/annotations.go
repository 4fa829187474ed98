package snapshot

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strings"
)

// annotationsByPage reads the site's annotations.jsonld (W3C Web
// Annotation JSON-LD) and groups its annotations by the captured URL they
// belong to. Any object whose "type" or "@type" is "Annotation" counts,
// wherever it sits (a bare list, an AnnotationCollection's items or
// first.items, a JSON-LD @graph). An annotation belongs to the first of
// its target's "scope" (the page the text was seen in), "source" (the
// annotated resource itself) or "id" that is a captured URL, resolved
// against base with the fragment dropped; one whose target is not in the
// site belongs to annotations.jsonld itself, so every annotation is in the
// WARC. Each group is kept in file order. A site without the file has none.
//
// A paged collection (whose "first" is the URL of an AnnotationPage
// published as a file of its own, as the archive publishes each article's
// annotations beside its page) is read page by page, following "next",
// for the pages that are files of the site.
func annotationsByPage(site fs.FS, base string, captured map[string]bool) (map[string][]any, error) {
	doc, err := readJSONLD(site, AnnotationsFile)
	if err != nil || doc == nil {
		return nil, err
	}
	docs := []any{doc}
	if c, ok := doc.(map[string]any); ok {
		next, _ := c["first"].(string)
		seen := map[string]bool{}
		for next != "" && !seen[next] {
			seen[next] = true
			rel, ok := strings.CutPrefix(next, base)
			if !ok || !fs.ValidPath(rel) {
				break // a page outside the site
			}
			page, err := readJSONLD(site, rel)
			if err != nil {
				return nil, err
			}
			pm, ok := page.(map[string]any)
			if !ok {
				break
			}
			docs = append(docs, pm)
			next, _ = pm["next"].(string)
		}
	}
	baseURL, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("base URL %q: %w", base, err)
	}
	home := publicURL(base, AnnotationsFile)
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
				page := home
				for _, u := range targetURLs(t["target"], baseURL) {
					if captured[u] {
						page = u
						break
					}
				}
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
	for _, d := range docs {
		walk(d)
	}
	return groups, nil
}

// readJSONLD decodes the JSON file p of the site; a missing file is nil.
func readJSONLD(site fs.FS, p string) (any, error) {
	src, err := fs.ReadFile(site, p)
	if err != nil {
		if _, statErr := fs.Stat(site, p); statErr != nil {
			return nil, nil
		}
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: not valid JSON: %w (rebuild the site)", p, err)
	}
	return doc, nil
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

// targetURLs lists the URLs an annotation's target names, best first:
// for each target its scope, source and id, resolved against base,
// fragments dropped.
func targetURLs(target any, base *url.URL) []string {
	var out []string
	add := func(s string) {
		if u, err := base.Parse(s); err == nil && s != "" {
			u.Fragment, u.RawFragment = "", ""
			out = append(out, u.String())
		}
	}
	switch t := target.(type) {
	case string:
		add(t)
	case map[string]any:
		for _, k := range []string{"scope", "source", "id", "@id"} {
			if s, ok := t[k].(string); ok {
				add(s)
			}
		}
	case []any:
		for _, x := range t {
			out = append(out, targetURLs(x, base)...)
		}
	}
	return out
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
