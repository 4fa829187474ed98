package site

import (
	"reflect"
	"testing"
	"testing/fstest"
)

func TestLoadData(t *testing.T) {
	fsys := fstest.MapFS{
		"data/clients.yaml":          {Data: []byte("categories: [a, b]\nlist:\n  - name: certbot\n")},
		"data/logs/ct.json":          {Data: []byte(`{"logs": [1, 2]}`)},
		"themes/t/data/clients.yaml": {Data: []byte("categories: [theme]\nextra: 1\n")},
		"themes/t/data/theme.toml":   {Data: []byte("x = 1\n")},
		"i18n/en.toml":               {Data: []byte("[Hello]\nother = \"Hello\"\n[bye]\none = \"Bye\"\nother = \"Byes\"\n")},
		"themes/t/i18n/en.yaml":      {Data: []byte("- id: hello\n  translation: theme hello\n- id: only_theme\n  translation: only theme\n")},
		"themes/t/i18n/fr.yaml":      {Data: []byte("- id: hello\n  translation: bonjour\n")},
	}
	data, err := loadData(fsys, []string{"data", "themes/t/data"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"clients": map[string]any{"categories": []any{"a", "b"}, "list": []any{map[string]any{"name": "certbot"}}, "extra": 1},
		"logs":    map[string]any{"ct": map[string]any{"logs": []any{float64(1), float64(2)}}},
		"theme":   map[string]any{"x": int64(1)},
	}
	if !reflect.DeepEqual(data, want) {
		t.Errorf("data:\n%#v\nwant\n%#v", data, want)
	}
	tr, err := loadI18n(fsys, []string{"i18n", "themes/t/i18n"}, "en")
	if err != nil {
		t.Fatal(err)
	}
	if tr["hello"].(map[string]any)["other"] != "Hello" || tr["only_theme"] != "only theme" || tr["bye"] == nil {
		t.Errorf("i18n: %#v", tr)
	}
	if _, err := loadData(fstest.MapFS{"data/x.toml": {Data: []byte("x = \n")}}, []string{"data"}); err == nil {
		t.Error("a malformed data file is an error")
	}
}
