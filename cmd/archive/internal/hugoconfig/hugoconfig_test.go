package hugoconfig

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }

func TestNoConfig(t *testing.T) {
	c, err := Load(fstest.MapFS{"content/x.md": file("x")}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Files) != 0 || c.PagerSize != 10 || c.SummaryLength != 70 || !c.Goldmark.Footnote || !c.Goldmark.Typographer {
		t.Errorf("defaults: %+v", c)
	}
	if IsHugoSite(fstest.MapFS{"content/x.md": file("x")}) {
		t.Error("a folder without a Hugo config is not a Hugo site")
	}
}

func TestRootFile(t *testing.T) {
	fsys := fstest.MapFS{
		"config.toml": file(`baseURL = "https://example.org/"
Title = "My Site"
languageCode = "en-gb"
paginate = 3
uglyURLs = true
[params]
  Description = "A site."
  myKey = 1
[permalinks]
  post = "/:year/:month/:slug/"
  "/" = "/:filename/"
[taxonomies]
  tag = "tags"
  series = "series"
[markup.goldmark.renderer]
  unsafe = true
[markup.goldmark.extensions]
  typographer = false
`),
		"hugo.yaml": file("title: ignored, config.toml is not read when hugo.yaml is there\n"),
	}
	c, err := Load(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	// hugo.* is looked for first.
	if c.Title != "ignored, config.toml is not read when hugo.yaml is there" || len(c.Files) != 1 {
		t.Fatalf("hugo.yaml first: %q %v", c.Title, c.Files)
	}
	delete(fsys, "hugo.yaml")
	c, err = Load(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{Title: "My Site", BaseURL: "https://example.org/", LanguageCode: "en-gb", PagerSize: 3, UglyURLs: true,
		Description: "A site."}
	if c.Title != want.Title || c.BaseURL != want.BaseURL || c.LanguageCode != want.LanguageCode ||
		c.PagerSize != 3 || !c.UglyURLs || c.Description != want.Description {
		t.Errorf("got %+v", c)
	}
	if c.Params["mykey"] != int64(1) {
		t.Errorf("params are lower-cased: %v", c.Params)
	}
	if !reflect.DeepEqual(c.Permalinks, map[string]string{"post": "/:year/:month/:slug/", "": "/:filename/"}) {
		t.Errorf("permalinks %v", c.Permalinks)
	}
	if !reflect.DeepEqual(c.Taxonomies, []Taxonomy{{"series", "series"}, {"tag", "tags"}}) {
		t.Errorf("taxonomies %v", c.Taxonomies)
	}
	if !c.Goldmark.Unsafe || c.Goldmark.Typographer || !c.Goldmark.Footnote {
		t.Errorf("goldmark %+v", c.Goldmark)
	}
}

func TestConfigDir(t *testing.T) {
	fsys := fstest.MapFS{
		"hugo.toml":                         file("title = \"root\"\nbaseURL = \"https://a.example/\"\n[params]\nx = 1\ny = 1\n"),
		"config/_default/hugo.toml":         file("baseURL = \"https://b.example/\"\ndefaultContentLanguage = \"en\"\n[uglyURLs]\npost = true\n[pagination]\npagerSize = 5\npath = \"p\"\n"),
		"config/_default/params.toml":       file("y = 2\n"),
		"config/_default/languages.en.toml": file("title = \"English title\"\ncontentDir = \"content/en\"\n[params]\nz = 3\n"),
		"config/_default/languages.fr.toml": file("title = \"Titre\"\ncontentDir = \"content/fr\"\n"),
		"config/_default/menus.en.toml":     file("[[main]]\nname = \"Docs\"\n"),
		"config/development/hugo.toml":      file("baseURL = \"http://localhost/\"\n"),
		"config/production/params.yaml":     file("w: 4\n"),
		"config/_default/README.md":         file("not config"),
	}
	c, err := Load(fsys, "production")
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "English title" || c.BaseURL != "https://b.example/" || c.ContentDir != "content/en" {
		t.Errorf("got title %q baseURL %q contentDir %q", c.Title, c.BaseURL, c.ContentDir)
	}
	if c.Params["x"] != int64(1) || c.Params["y"] != int64(2) || c.Params["z"] != int64(3) || c.Params["w"] != 4 {
		t.Errorf("params merged: %v", c.Params)
	}
	if !c.UglyURLsSections["post"] || c.UglyURLs || c.PagerSize != 5 || c.PaginatePath != "p" {
		t.Errorf("ugly %v pager %d %q", c.UglyURLsSections, c.PagerSize, c.PaginatePath)
	}
	if !reflect.DeepEqual(c.Languages, []string{"fr"}) || c.LanguageDirs["fr"] != "content/fr" {
		t.Errorf("languages %v %v", c.Languages, c.LanguageDirs)
	}
	wantFiles := []string{"hugo.toml", "config/_default/hugo.toml", "config/_default/languages.en.toml",
		"config/_default/languages.fr.toml", "config/_default/menus.en.toml", "config/_default/params.toml",
		"config/production/params.yaml"}
	if !reflect.DeepEqual(c.Files, wantFiles) {
		t.Errorf("files %v", c.Files)
	}
	if !IsHugoSite(fstest.MapFS{"config/_default/hugo.toml": file("")}) {
		t.Error("config/_default makes a Hugo site")
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"toml syntax", fstest.MapFS{"hugo.toml": file("title = \"x\"\nbaseURL = https://x\n")}, "hugo.toml:2: config:"},
		{"yaml syntax", fstest.MapFS{"config.yaml": file("title: x\n  - y: [\n")}, "config.yaml:"},
		{"json syntax", fstest.MapFS{"config.json": file("{\n\"title\": \n}")}, "config.json:3: config:"},
		{"wrong type", fstest.MapFS{"hugo.toml": file("title = \"x\"\npaginate = \"ten\"\n")}, "hugo.toml:2: paginate must be a whole number"},
		{"wrong type in dir", fstest.MapFS{"hugo.toml": file("title = \"x\"\n"),
			"config/_default/hugo.toml": file("\nuglyURLs = 3\n")}, "config/_default/hugo.toml:2: uglyURLs must be"},
		{"heading ids", fstest.MapFS{"hugo.toml": file("[markup.goldmark.parser]\nautoHeadingIDType = \"mine\"\n")}, "autoHeadingIDType must be"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(tc.fsys, "")
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "fix:") {
				t.Errorf("got %v, want %q and a fix", err, tc.want)
			}
		})
	}
}

func TestEmptyTaxonomies(t *testing.T) {
	c, err := Load(fstest.MapFS{"hugo.toml": file("[taxonomies]\n")}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Taxonomies) != 0 {
		t.Errorf("an empty [taxonomies] table has none: %v", c.Taxonomies)
	}
	c, _ = Load(fstest.MapFS{"hugo.toml": file("disableKinds = [\"taxonomy\", \"taxonomyTerm\", \"term\"]\n")}, "")
	if !c.DisableKinds["taxonomy"] || !c.DisableKinds["term"] {
		t.Errorf("disableKinds %v", c.DisableKinds)
	}
}
