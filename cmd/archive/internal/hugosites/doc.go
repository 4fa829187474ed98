// Package hugosites checks the archive against real Hugo sites: each one
// builds with `archive build`, no shortcode shows as text, every local link
// and image resolves (package linkcheck), and its pages are at the URLs
// Hugo 0.111 gives them.
//
// The sites are public repositories, pinned by commit in fetch-sites.sh,
// which extracts them from fetched git mirrors into testdata/real/ (not
// committed: their text is theirs). Without them the tests skip and say
// how to get them. Hugo's own build for the comparison runs /usr/bin/hugo
// with minimal layouts (the sites' themes need newer Hugos): it gives the
// URL of every page, section, taxonomy, term, alias and list page.
//
// The builds take minutes, so the tests run only when asked:
//
//	cmd/archive/internal/hugosites/fetch-sites.sh
//	ARCHIVE_REAL_SITES=1 go test -timeout 30m -v ./cmd/archive/internal/hugosites/
//
// ARCHIVE_HUGOSITES_REPORT=DIR also writes each site's unresolved links
// to DIR/<site>-links.txt.
package hugosites
