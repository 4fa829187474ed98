package main

import (
	"github.com/archive-project/archive/cmd/archive/internal/features"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// siteFeatures are the parts of the archive that every build carries beyond
// the plain site (build, serve and snapshot alike, so that what editors see
// is what gets published): shared passages and editor notes, search,
// citations, the story timeline and the list by title. They are listed in
// package features, where the site checks (package sitecheck) build the
// same list: add new layers there, not here.
func siteFeatures() []site.Option {
	return features.Options()
}
