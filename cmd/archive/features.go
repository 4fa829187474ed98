package main

import (
	"github.com/archive-project/archive/cmd/archive/internal/annotations"
	"github.com/archive-project/archive/cmd/archive/internal/reader"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// siteFeatures are the parts of the archive that every build carries beyond
// the plain site (build, serve and snapshot alike, so that what editors see
// is what gets published): shared passages and editor notes, then what
// readers use of them: search (/search/), citations on article and passage
// pages, the story timeline (/timeline/) and the list by title (/titles/).
func siteFeatures() []site.Option {
	ann := annotations.New()
	return append(ann.Options(), reader.New(ann).Options()...)
}
