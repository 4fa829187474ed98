// Package features lists the parts of the archive that every build carries
// beyond the plain site: `archive build`, `archive serve` and `archive
// snapshot` use Options, and so do the tests that check the built site
// (package sitecheck), so that what is checked is what gets published.
//
// A new layer is added here, not in cmd/archive, or the site checks will
// not see it.
package features

import (
	"github.com/archive-project/archive/cmd/archive/internal/annotations"
	"github.com/archive-project/archive/cmd/archive/internal/reader"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// Options returns fresh site options for one build or one Builder: shared
// passages and editor notes (package annotations), then what readers use
// of them (package reader): search (/search/), citations on article and
// passage pages, the story timeline (/timeline/) and the list by title
// (/titles/). Each call makes new layers, as a layer keeps the state of the
// builds it served.
func Options() []site.Option {
	ann := annotations.New()
	return append(ann.Options(), reader.New(ann).Options()...)
}
