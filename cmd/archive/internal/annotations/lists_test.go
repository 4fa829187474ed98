package annotations

import (
	"bytes"
	"html/template"
	"strings"
	"testing"
)

// TestListsEscapeAsTemplates: the lists written in Go are byte for byte
// what the layout's range wrote, also for titles, URLs and ids that need
// escaping.
func TestListsEscapeAsTemplates(t *testing.T) {
	const shares = `{{range .Shares}}<li><a href="{{.URL}}">{{or .Outlet .Title}}</a> <span class="muted">{{.Count}}</span></li>{{end}}{{with .MoreShares}}<li class="muted">and {{.}} more</li>{{end}}`
	const notes = `{{range .Notes}}<li id="end-{{.ID}}" value="{{.N}}"><span class="note-label">{{.Label}}.</span> {{.HTML}} <a role="doc-backlink" href="#{{.ID}}" aria-label="Back to the text of note {{.N}}">↩</a></li>{{end}}`
	tm := template.Must(template.New("").Parse(`<ul>` + shares + `</ul><ol>` + notes + `</ol>`))
	odd := []string{"plain", `Tom & Jerry's "news" <b>+</b>`, "Ünïcødé — ‘quotes’", "a\x00b", "100% (approx.)"}
	urls := []string{"/articles/a/", "/sub dir/articles/ä/", "/a?b=c&d=e+f#g", "/p/(x)/'y'/", "/%41/%zz/", "https://example.org/x y"}
	for i, u := range urls {
		an := &ArticleNotes{MoreShares: i % 2 * 3}
		for j, s := range odd {
			sh := Share{Title: s, URL: u, Count: odd[(j+1)%len(odd)]}
			if j%2 == 0 {
				sh.Outlet = odd[(j+2)%len(odd)]
			}
			an.Shares = append(an.Shares, sh)
			an.Notes = append(an.Notes, Note{N: j + 1, ID: "q-" + strings.ReplaceAll(s, " ", ""), Label: s, HTML: template.HTML("<b>" + s + "</b>")})
		}
		var want bytes.Buffer
		if err := tm.Execute(&want, an); err != nil {
			t.Fatal(err)
		}
		an.seal()
		got := "<ul>" + string(an.ShareItems) + "</ul><ol>" + string(an.EndnoteItems) + "</ol>"
		if got != want.String() {
			t.Errorf("url %q:\n got %s\nwant %s", u, got, want.String())
		}
	}
}
