// Package features lists the parts of the archive that every build carries
// beyond the plain site: `archive build`, `archive serve` and `archive
// snapshot` use Options, and so do the tests that check the built site
// (package sitecheck), so that what is checked is what gets published.
//
// A new layer (search, citations, a timeline) is added here, not in
// cmd/archive, or the site checks will not see it.
package features

import (
	"github.com/archive-project/archive/cmd/archive/internal/annotations"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// Options returns fresh site options for one build or one Builder: shared
// passages and editor notes (package annotations). Each call makes new
// layers, as a layer keeps the state of the builds it served.
func Options() []site.Option {
	return annotations.New().Options()
}
