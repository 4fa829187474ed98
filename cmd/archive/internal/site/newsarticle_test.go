package site

import (
	"bytes"
	"encoding/json"
	stdtemplate "html/template"
	"reflect"
	"strings"
	"testing"

	template "github.com/archive-project/archive/cmd/archive/internal/gotemplates/htmltemplate"
)

// TestNewsArticleAsStd: NewsArticle's MarshalJSON writes what
// encoding/json writes by reflection for the same fields, empty ones
// left out, escapes (HTML, U+2028, invalid UTF-8) included, alone and
// through json.Marshal (as the layout's {{$.JSONLD}} calls it).
func TestNewsArticleAsStd(t *testing.T) {
	type plain NewsArticle // the same fields without the method
	full := NewsArticle{Context: "https://schema.org", Type: "NewsArticle",
		Author: &schemaThing{Type: "Person", Name: "Ana <Ruiz> & \"co\""}, DatePublished: "2024-01-02T03:04:05Z",
		Description: "line\nbreak\t\u2028 \xff end", Headline: "A </script> headline", InLanguage: "en",
		IsBasedOn: "https://example.com/a?b=1&c=2", MainEntityOfPage: "https://archive.example/a/",
		Publisher:          &schemaThing{Type: "NewsMediaOrganization", Name: "The Daily"},
		SameAs:             "https://example.com/a?b=1&c=2",
		SourceOrganization: &schemaThing{Type: "Organization", Name: "Archive \\ Org"},
		URL:                "https://archive.example/a/", WordCount: 1234}
	// MarshalJSON names each field: one added to NewsArticle must be set
	// here, so that the comparison below shows whether it is written.
	v := reflect.ValueOf(full)
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Fatalf("the full case leaves NewsArticle.%s empty: set it here, and write it in MarshalJSON", v.Type().Field(i).Name)
		}
	}
	for _, tc := range []struct {
		name string
		d    NewsArticle
	}{
		{"full", full},
		{"empty", NewsArticle{}},
		{"required only", NewsArticle{Context: "https://schema.org", Type: "NewsArticle", Headline: "h", InLanguage: "fr",
			MainEntityOfPage: "u", URL: "u"}},
		{"publisher only", NewsArticle{Context: "c", Publisher: &schemaThing{Name: "p"}}},
		{"negative words", NewsArticle{Context: "c", WordCount: -3}},
		{"empty things", NewsArticle{Author: &schemaThing{}, Publisher: &schemaThing{}, SourceOrganization: &schemaThing{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := json.Marshal(plain(tc.d))
			if err != nil {
				t.Fatal(err)
			}
			have, err := tc.d.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(have, want) {
				t.Errorf("MarshalJSON\n%s\nwant\n%s", have, want)
			}
			viaStd, err := json.Marshal(&tc.d)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(viaStd, want) {
				t.Errorf("json.Marshal(&d)\n%s\nwant\n%s", viaStd, want)
			}
			if have := tc.d.AppendJSON([]byte("x,")); string(have) != "x,"+string(want) {
				t.Errorf("AppendJSON after x,\n%s\nwant x,%s", have, want)
			}
			// In a script element, as single.html shows it: the fork
			// (AppendJSON, no json.Marshal) as the standard library.
			const script = `<script type="application/ld+json">{{.}}</script>`
			var fork, std strings.Builder
			if err := template.Must(template.New("").Parse(script)).Execute(&fork, &tc.d); err != nil {
				t.Fatal(err)
			}
			if err := stdtemplate.Must(stdtemplate.New("").Parse(script)).Execute(&std, (*plain)(&tc.d)); err != nil {
				t.Fatal(err)
			}
			if fork.String() != std.String() {
				t.Errorf("in a script element\n%s\nwant\n%s", fork.String(), std.String())
			}
		})
	}
}
