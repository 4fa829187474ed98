package search

import "sort"

// Page is the data layouts/search.html renders: the search form, its
// filter choices and the links offered to readers without JavaScript.
type Page struct {
	Action    string   // the form's action, the search page's URL: "/search/"
	IndexURL  string   // the manifest's URL: "/search/index.json"
	ScriptURL string   // where layouts/search.js is published, e.g. "/search.js"
	Kinds     []Choice // kind filter choices (see NewPage)
	Outlets   []Choice // outlet filter choices, sorted
	Browse    []Choice // no-JavaScript alternatives: Value is a URL, Label its text
}

// Choice is one <option> (or, in Browse, one link).
type Choice struct{ Value, Label string }

// kindLabels are the filter's words for each kind.
var kindLabels = map[string]string{Article: "Articles", Passage: "Shared passages", Note: "Notes"}

// NewPage returns the search page's data for an index built from docs,
// with the form at action ("/search/"), the manifest at action+"index.json"
// (the default WithPrefix), the script at scriptURL, and browse links.
func NewPage(docs []Doc, action, scriptURL string, browse ...Choice) Page {
	p := Page{Action: action, IndexURL: action + "index.json", ScriptURL: scriptURL, Browse: browse}
	hasKind, hasOutlet := map[string]bool{}, map[string]bool{}
	var outlets []string
	for _, d := range docs {
		hasKind[d.Kind] = true
		if d.Outlet != "" && !hasOutlet[d.Outlet] {
			hasOutlet[d.Outlet] = true
			outlets = append(outlets, d.Outlet)
		}
	}
	for _, k := range []string{Article, Passage, Note} {
		if hasKind[k] {
			p.Kinds = append(p.Kinds, Choice{k, kindLabels[k]})
		}
	}
	sort.Strings(outlets)
	for _, o := range outlets {
		p.Outlets = append(p.Outlets, Choice{o, o})
	}
	return p
}
