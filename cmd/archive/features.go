package main

import (
	"github.com/archive-project/archive/cmd/archive/internal/features"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// siteFeatures are the parts of the archive that every build carries beyond
// the plain site (build, serve and snapshot alike, so that what editors see
// is what gets published). They are listed in package features, where the
// site checks (package sitecheck) find the same list: add new layers there.
func siteFeatures() []site.Option {
	return features.Options()
}
