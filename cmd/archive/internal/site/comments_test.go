package site

import (
	"bytes"
	"strings"
	"testing"
)

// A reply (a heading one level deeper) is a comment inside the comment it
// answers; the next level-3 heading is a comment on the article again.
func TestNestedComments(t *testing.T) {
	src := "Text.\n\n## Reader comments\n\n### Alice\n\nFirst.\n\n#### Bob\n\nA reply.\n\n##### Carol\n\nA reply to the reply.\n\n### Dan\n\nSecond.\n"
	var out bytes.Buffer
	f, err := renderMarkdown(newMarkdown(false, nil), []byte(src), nil, &out)
	if err != nil {
		t.Fatal(err)
	}
	if f.comments != 4 {
		t.Errorf("%d comments counted, want 4", f.comments)
	}
	html := out.String()
	flat := strings.Join(strings.Fields(strings.NewReplacer("\n", " ").Replace(html)), " ")
	want := `<article class="comment"> <h3 id="alice">Alice</h3> <p>First.</p> <article class="comment"> <h4 id="bob">Bob</h4> <p>A reply.</p> <article class="comment"> <h5 id="carol">Carol</h5> <p>A reply to the reply.</p> </article> </article> </article> <article class="comment"> <h3 id="dan">Dan</h3> <p>Second.</p> </article> </section>`
	if !strings.Contains(flat, want) {
		t.Errorf("nested comments:\n%s\nwant\n%s", flat, want)
	}
}
