// Package features lists the parts of the archive that every build carries
// beyond the plain site: `archive build`, `archive serve` and `archive
// snapshot` use Options, and so do the tests that check the built site
// (package sitecheck), so that what is checked is what gets published.
//
// A new feature is added here, not in cmd/archive, or the site checks will
// not see it.
package features

import (
	"github.com/archive-project/archive/cmd/archive/internal/annotations"
	"github.com/archive-project/archive/cmd/archive/internal/search"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// Options returns fresh site options for one build or one Builder: shared
// passages, editor's notes and the timeline (package annotations), then
// search over the articles, passages and notes (package search). Each
// call makes new features, as a feature keeps the state of the builds it
// served.
func Options() []site.Option {
	return with(annotations.New())
}

// LiveOptions are Options for `archive serve`: the same pages, but an edit
// to a few articles is answered at once, carrying the shared passages over
// to the new text, and the passages and the search index are brought up to
// date by a follow-up build (site.Builder.Pending) a moment later.
func LiveOptions() []site.Option {
	return with(annotations.NewLive())
}

func with(ann *annotations.Feature) []site.Option {
	s := search.NewFeature(
		search.WithDocs(ann),
		search.WithBrowse(
			search.Choice{Value: "titles/", Label: "articles by title"},
			search.Choice{Value: "#outlets", Label: "by outlet"},
			search.Choice{Value: "timeline/", Label: "by date"},
			search.Choice{Value: "passages/", Label: "shared passages"}),
	)
	if ann.Live() {
		search.WithDeferWhile(ann.Pending)(s)
	}
	return []site.Option{site.WithFeatures(ann, s)}
}
