package main

import (
	"github.com/archive-project/archive/cmd/archive/internal/annotations"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// siteFeatures are the parts of the archive that every build carries beyond
// the plain site (build, serve and snapshot alike, so that what editors see
// is what gets published): shared passages and editor notes.
func siteFeatures() []site.Option {
	return annotations.New().Options()
}
