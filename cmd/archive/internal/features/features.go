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

// LiveOptions are Options for `archive serve`: the same pages, but an edit
// to a few articles is answered at once, carrying the shared passages over
// to the new text, and the passages and the search index are brought up to
// date by a follow-up build (site.Builder.Pending) a moment later.
func LiveOptions() []site.Option {
	ann := annotations.NewLive()
	return append(ann.Options(), reader.New(ann).Options()...)
}
