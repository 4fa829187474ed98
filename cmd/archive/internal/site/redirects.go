package site

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
)

// RedirectsFile is the Netlify redirects file the build writes at the site
// root when any article has aliases: one line per front-matter alias,
// "/old/path/ /articles/slug/ 301!".
const RedirectsFile = "_redirects"

// writeRedirects lists every alias with the permalink it moved to, as a
// permanent redirect. The "!" makes Netlify redirect even though the alias
// has its own page (the meta-refresh page that `archive serve` and other
// hosts serve), so browsers and crawlers get a real 301. Aliases are in
// article date order, then as written; paths are under baseURL's path.
func writeRedirects(w *bytes.Buffer, m *model) error {
	w.WriteString("# Moved pages: each front-matter alias redirects to its article's permalink.\n")
	for _, a := range m.articles {
		for _, p := range a.aliases() {
			// Escaped, so that a space or line break in an alias cannot
			// split the line or add a rule of its own.
			from := (&url.URL{Path: m.rel(strings.TrimPrefix(strings.TrimSuffix(aliasFile(p), "index.html"), "/"))}).EscapedPath()
			to := (&url.URL{Path: a.URL}).EscapedPath()
			fmt.Fprintf(w, "%s %s 301!\n", from, to)
		}
	}
	return nil
}

// aliasFP fingerprints every article's aliases (not part of list entries).
func aliasFP(m *model) Key {
	h := NewHasher()
	for _, a := range m.articles {
		h.String(a.URL).Int(len(a.Src.Meta.Aliases)).String(a.Src.Meta.Aliases...)
	}
	return h.Sum()
}

func hasAliases(m *model) bool {
	for _, a := range m.articles {
		if len(a.Src.Meta.Aliases) > 0 {
			return true
		}
	}
	return false
}
