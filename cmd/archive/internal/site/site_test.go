package site

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
)

// testSite is a small site: two outlets, one story, a raw seed with YAML
// front matter, reader comments and a fenced code block.
func testSite() fstest.MapFS {
	seed := "---\ntitle: 'Raw'\ndate: 2019-11-18T04:58:00+01:00\n---\n\nFirst line of the raw text.\nSecond line.\n"
	return fstest.MapFS{
		"archive.toml":    {Data: []byte("title = \"Test archive\"\nbaseURL = \"https://archive.example.org/\"\norganization = \"Test Org\"\n")},
		"seeds/001_a.txt": {Data: []byte(seed)},
		"content/a.md":    {Data: []byte("---\ntitle: 'Alpha: the first'\noutlet: The Register\nauthor: Ann Author\ndate: 2019-11-18\nseed: seeds/001_a.txt\nseed_sha256: " + hexHash([]byte(seed)) + "\n---\n\nThe first paragraph of the alpha article, which is long enough to be a summary. Second sentence.\n\n```go\nfunc main() {}\n```\n\n## Reader comments\n\n### Jane Doe\n\nI disagree.\n\n### Bob\n\nMe too.\n")},
		"content/b.md":    {Data: []byte("+++\ntitle = \"Beta\"\noutlet = \"Reuters\"\ndate = 2019-11-19\n+++\n\nBeta body text here, plainly written for the test of the site build.\n")},
		"content/c.md":    {Data: []byte("{\n\"title\": \"Gamma\",\n\"outlet\": \"Reuters\",\n\"date\": \"2019-11-17\"\n}\nGamma body.\n")},
	}
}

func TestBuildPages(t *testing.T) {
	out, err := Build(context.Background(), testSite())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"404.html", "articles/a/index.html", "articles/b/index.html", "articles/c/index.html",
		"index.html", "index.xml", "outlets/reuters/index.html", "outlets/the-register/index.html", "robots.txt",
		"seeds/001_a.txt", "seeds/001_a/index.html", "sitemap.xml"}
	have := out.Paths()
	var got []string
	for _, p := range have {
		if !strings.HasPrefix(p, "style.") {
			got = append(got, p)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("paths:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
