package sitecheck

import (
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestFeaturesShared guards the premise of this package: the site it
// checks is built with features.Options, so cmd/archive's siteFeatures
// (used by build, serve and snapshot) must be exactly that list and
// nothing more. A layer added in cmd/archive alone would be published
// unchecked.
func TestFeaturesShared(t *testing.T) {
	file := filepath.Join(repoRoot, "cmd", "archive", "features.go")
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok || fn.Name.Name != "siteFeatures" {
			continue
		}
		var b strings.Builder
		printer.Fprint(&b, fset, fn.Body)
		if got := strings.Join(strings.Fields(b.String()), " "); got != "{ return features.Options() }" {
			t.Errorf("cmd/archive/features.go: siteFeatures is %s; want { return features.Options() }: "+
				"add feature layers in cmd/archive/internal/features, which the site checks build too", got)
		}
		return
	}
	t.Fatal("cmd/archive/features.go has no func siteFeatures")
}
