package cite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// validate checks v (decoded with UseNumber) against a JSON schema, for the
// keywords that the CSL data schema uses: type, enum, required, properties,
// additionalProperties (false or a schema), items, anyOf, $ref to
// #/definitions/…, minItems, maxItems and pattern. Annotation keywords are
// ignored; any other keyword is an error, so that a schema this validator
// does not understand cannot pass silently.
type validator struct{ root map[string]any }

var annotations = map[string]bool{"description": true, "$schema": true, "$id": true, "title": true,
	"examples": true, "definitions": true}

func (vd validator) check(schema map[string]any, v any, path string) []string {
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, path+": "+fmt.Sprintf(format, args...)) }
	keys := make([]string, 0, len(schema))
	for k := range schema {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		rule := schema[k]
		switch k {
		case "$ref":
			ref := rule.(string)
			name, ok := strings.CutPrefix(ref, "#/definitions/")
			def, found := vd.root["definitions"].(map[string]any)[name].(map[string]any)
			if !ok || !found {
				fail("unresolvable $ref %s", ref)
				continue
			}
			errs = append(errs, vd.check(def, v, path)...)
		case "type":
			var types []string
			switch t := rule.(type) {
			case string:
				types = []string{t}
			case []any:
				for _, x := range t {
					types = append(types, x.(string))
				}
			}
			if !hasType(v, types) {
				fail("%s is not of type %v", show(v), types)
			}
		case "enum":
			found := false
			for _, e := range rule.([]any) {
				if fmt.Sprint(e) == fmt.Sprint(v) {
					found = true
				}
			}
			if !found {
				fail("%s is not one of the enum values", show(v))
			}
		case "required":
			if obj, ok := v.(map[string]any); ok {
				for _, r := range rule.([]any) {
					if _, ok := obj[r.(string)]; !ok {
						fail("missing required key %q", r)
					}
				}
			}
		case "properties":
			if obj, ok := v.(map[string]any); ok {
				props := rule.(map[string]any)
				for _, name := range sortedKeys(obj) {
					if p, ok := props[name]; ok {
						errs = append(errs, vd.check(p.(map[string]any), obj[name], path+"."+name)...)
					}
				}
			}
		case "additionalProperties":
			obj, ok := v.(map[string]any)
			if !ok {
				continue
			}
			props, _ := schema["properties"].(map[string]any)
			for _, name := range sortedKeys(obj) {
				if _, known := props[name]; known {
					continue
				}
				switch a := rule.(type) {
				case bool:
					if !a {
						fail("unknown key %q", name)
					}
				case map[string]any:
					errs = append(errs, vd.check(a, obj[name], path+"."+name)...)
				}
			}
		case "items":
			if arr, ok := v.([]any); ok {
				for i, x := range arr {
					errs = append(errs, vd.check(rule.(map[string]any), x, fmt.Sprintf("%s[%d]", path, i))...)
				}
			}
		case "minItems", "maxItems":
			arr, ok := v.([]any)
			if !ok {
				continue
			}
			n, _ := rule.(json.Number).Int64()
			if k == "minItems" && int64(len(arr)) < n || k == "maxItems" && int64(len(arr)) > n {
				fail("%d items, %s is %d", len(arr), k, n)
			}
		case "pattern":
			if s, ok := v.(string); ok && !regexp.MustCompile(rule.(string)).MatchString(s) {
				fail("%q does not match %s", s, rule)
			}
		case "anyOf":
			var all []string
			ok := false
			for _, alt := range rule.([]any) {
				e := vd.check(alt.(map[string]any), v, path)
				if len(e) == 0 {
					ok = true
					break
				}
				all = append(all, e...)
			}
			if !ok {
				fail("matches no anyOf alternative: %s", strings.Join(all, "; "))
			}
		default:
			if !annotations[k] {
				fail("validator does not support the keyword %q", k)
			}
		}
	}
	return errs
}

func hasType(v any, types []string) bool {
	for _, t := range types {
		switch v.(type) {
		case string:
			if t == "string" {
				return true
			}
		case json.Number:
			if t == "number" {
				return true
			}
		case bool:
			if t == "boolean" {
				return true
			}
		case []any:
			if t == "array" {
				return true
			}
		case map[string]any:
			if t == "object" {
				return true
			}
		case nil:
			if t == "null" {
				return true
			}
		}
	}
	return false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func show(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func decode(b []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// validateCSL validates CSL-JSON bytes against testdata/csl-data.json.
func validateCSL(schemaJSON, doc []byte) ([]string, error) {
	s, err := decode(schemaJSON)
	if err != nil {
		return nil, err
	}
	v, err := decode(doc)
	if err != nil {
		return nil, err
	}
	root := s.(map[string]any)
	return validator{root}.check(root, v, "$"), nil
}
