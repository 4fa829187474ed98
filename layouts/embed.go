// Package layouts holds the archive's default layouts: html/template files
// and the site stylesheet. They are the bundled archive's layouts/ folder
// and, embedded, the defaults of every `archive build`: a site's own
// layouts/<name> replaces the file of the same name here. See the package
// documentation of cmd/archive/internal/site for the lookup rules and the
// data each layout receives.
package layouts

import "embed"

// FS holds the default layouts at its root (baseof.html, home.html, ...,
// style.css and scripts).
//
//go:embed *.html *.css *.js
var FS embed.FS
