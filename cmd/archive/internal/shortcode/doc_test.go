package shortcode

import (
	"go/parser"
	gotoken "go/token"
	"os"
	"strings"
	"testing"
)

// TestPackageComment checks that the package says what it holds (go doc).
func TestPackageComment(t *testing.T) {
	ents, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var docs []string
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(gotoken.NewFileSet(), e.Name(), nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if f.Doc != nil {
			docs = append(docs, e.Name())
			if !strings.HasPrefix(f.Doc.Text(), "Package shortcode ") {
				t.Errorf("%s: the package comment should start \"Package shortcode \"", e.Name())
			}
		}
	}
	if len(docs) != 1 {
		t.Errorf("want one package comment, found it in %d files: %v", len(docs), docs)
	}
}
