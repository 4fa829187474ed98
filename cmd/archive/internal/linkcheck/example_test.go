package linkcheck_test

import (
	"fmt"
	"testing/fstest"

	"github.com/archive-project/archive/cmd/archive/internal/linkcheck"
)

// A build (site.Output is an fs.FS) is checked before it is published.
func ExampleCheck() {
	site := fstest.MapFS{
		"index.html":            {Data: []byte(`<a href="/articles/x/#q-1">quote</a> <a href="/outlets/gone/">outlet</a>`)},
		"articles/x/index.html": {Data: []byte(`<p id="q-2">`)},
	}
	for _, p := range linkcheck.Check(site, linkcheck.WithBaseURL("https://archive.example/")) {
		fmt.Println(p)
	}
	// Output:
	// index.html:1: /articles/x/#q-1: no element with id "q-1" in articles/x/index.html
	// index.html:1: /outlets/gone/: no such file outlets/gone/index.html
}
