package site

import (
	"reflect"
	"testing"

	"github.com/archive-project/archive/cmd/archive/internal/hugoconfig"
)

func TestClassifyContent(t *testing.T) {
	cfg := hugoconfig.Default()
	cfg.Languages = []string{"es", "fr"}
	cfg.LanguageDirs = map[string]string{"fr": "content/fr"}
	cfg.IgnoreFiles = []string{`\.Rmd$`}
	files := []string{
		"content/_index.md", "content/about.md", "content/root.txt",
		"content/post/_index.md", "content/post/a.md", "content/post/a.es.md", "content/post/cover.png",
		"content/post/images/x.png",
		"content/post/leaf/index.md", "content/post/leaf/index.es.md", "content/post/leaf/img/i.png",
		"content/post/leaf/sub/page.md", "content/post/leaf/data.json",
		"content/post/en-leaf/index.en.md", "content/post/en-leaf/p.jpg",
		"content/docs/deep/page.md", "content/docs/deep/notes.Rmd",
		"content/docs/page.org",
		"content/fr/about.md",
		"content/x.html",
	}
	tree := classifyContent(files, cfg)
	want := &contentTree{
		pages:    []string{"content/about.md", "content/docs/deep/page.md", "content/post/a.md", "content/post/en-leaf/index.en.md", "content/post/leaf/index.md", "content/x.html"},
		branches: []string{"content/_index.md", "content/post/_index.md"},
		resources: map[string][]string{
			"content/_index.md":                {"content/root.txt"},
			"content/post/_index.md":           {"content/post/cover.png"},
			"content/post/leaf/index.md":       {"content/post/leaf/data.json", "content/post/leaf/img/i.png", "content/post/leaf/sub/page.md"},
			"content/post/en-leaf/index.en.md": {"content/post/en-leaf/p.jpg"},
		},
		loose:     []string{"content/post/images/x.png"},
		other:     []string{"content/docs/page.org"},
		languages: 3,
		ignored:   1,
	}
	tree.owner = nil
	if !reflect.DeepEqual(tree, want) {
		t.Errorf("have %+v\nwant %+v", tree, want)
	}
}
