package sitecheck

import (
	"bytes"
	"testing"

	"github.com/archive-project/archive/cmd/archive/internal/linkcheck"
)

// TestLinks checks every internal link and #fragment of the bundled
// archive, annotations included (passage and note marks, note references
// and back links, /passages/ pages), with links to the site's own base URL
// counted as internal.
func TestLinks(t *testing.T) {
	out, cfg := seedSite(t)
	// The check means something only if the annotated pages are there.
	var pages, marks, noterefs int
	for _, p := range htmlPages(out) {
		b, _ := out.Bytes(p)
		pages++
		marks += bytes.Count(b, []byte(`<mark id="`))
		noterefs += bytes.Count(b, []byte(`role="doc-noteref"`))
	}
	if marks == 0 || noterefs == 0 {
		t.Fatalf("the built archive has %d marks and %d note references: the annotation layer is missing", marks, noterefs)
	}
	problems := linkcheck.Check(out, linkcheck.WithBaseURL(cfg.BaseURL))
	for _, p := range problems {
		t.Error(p)
	}
	t.Logf("%d pages, %d marks with ids, %d note references: %d broken links", pages, marks, noterefs, len(problems))
}
