package annotations

import (
	"context"
	"encoding/json"
	"errors"
	"html/template"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/archive-project/archive/annotate"
	"github.com/archive-project/archive/cmd/archive/internal/article"
	"github.com/archive-project/archive/cmd/archive/internal/linkcheck"
	"github.com/archive-project/archive/cmd/archive/internal/site"
	"github.com/archive-project/archive/cmd/archive/internal/webanno"
)

const repoRoot = "../../../.."

// buildBundled builds the repository's own archive with the layer.
func buildBundled(t testing.TB) *site.Output {
	t.Helper()
	out, err := site.Build(context.Background(), os.DirFS(repoRoot),
		append([]site.Option{site.WithBaseURL("https://archive.example.org/")}, site.WithFeatures(New()))...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func page(t testing.TB, out *site.Output, p string) string {
	t.Helper()
	b, ok := out.Bytes(p)
	if !ok {
		t.Fatalf("no %s in the build", p)
	}
	return string(b)
}

var markRE = regexp.MustCompile(`<mark id="(q-[0-9a-f]+(?:-\d+)?)" class="passage[^"]*">`)

// The two draft-resolution sentences that The Register, Reuters and ITPro
// quote are marked on all three pages, and each note links the other two.
func TestDraftSentencesJoinThreeOutlets(t *testing.T) {
	out := buildBundled(t)
	pages := map[string]string{
		"The Register": "articles/interpol-strong-encryption-helps-online-predators/index.html",
		"Reuters":      "articles/interpol-plans-to-condemn-encryption-spread-citing-predators/index.html",
		"ITPro":        "articles/interpol-to-support-the-breaking-of-end-to-end-encryption/index.html",
	}
	for _, sentence := range []string{"Service providers, application developers", "Tech companies should include mechanisms"} {
		ids := map[string]string{}
		for outlet, p := range pages {
			html := page(t, out, p)
			i := strings.Index(html, sentence)
			if i < 0 {
				t.Fatalf("%s: %q not on the page", outlet, sentence)
			}
			open := strings.LastIndex(html[:i], "<mark")
			close := strings.LastIndex(html[:i], "</mark>")
			if open < 0 || close > open {
				t.Errorf("%s: %q is not inside a <mark>", outlet, sentence)
				continue
			}
			// The id sits on the first fragment of the occurrence.
			m := markRE.FindAllStringSubmatch(html[:i+len(sentence)], -1)
			if m == nil {
				t.Errorf("%s: no passage mark before %q", outlet, sentence)
				continue
			}
			ids[outlet] = m[len(m)-1][1]
		}
		for outlet, p := range pages {
			html := page(t, out, p)
			for other, id := range ids {
				if other == outlet {
					continue
				}
				href := strings.TrimSuffix("/"+pages[other], "index.html") + "#" + id
				if !strings.Contains(html, `href="`+href+`"`) {
					t.Errorf("%s does not link %s's occurrence %s", outlet, other, href)
				}
			}
			if !strings.Contains(html, `role="doc-noteref"`) || !strings.Contains(html, `role="doc-footnote"`) || !strings.Contains(html, `role="doc-backlink"`) {
				t.Errorf("%s: notes lack their DPUB-ARIA roles", outlet)
			}
		}
	}
}

// Every link and #fragment of the annotated site resolves.
func TestLinksResolve(t *testing.T) {
	out := buildBundled(t)
	for _, p := range linkcheck.Check(out, linkcheck.WithBaseURL("https://archive.example.org/")) {
		t.Error(p)
	}
}

// The published annotations have the Web Annotation shape: the site's
// collection names its first and last pages, each article's page of
// annotations names the next, the pages hold every annotation once, each
// targets only its own article, and every target's selectors pick out the
// quoted text in the published body.md.
func TestWebAnnotations(t *testing.T) {
	out := buildBundled(t)
	const base = "https://archive.example.org/"
	data := []byte(page(t, out, "annotations.jsonld"))
	for _, bad := range webanno.Validate(data) {
		t.Error(bad)
	}
	var c webanno.PagedCollection
	if err := json.Unmarshal(data, &c); err != nil {
		t.Fatal(err)
	}
	var items []webanno.Annotation
	pages := 0
	for next, prev := c.First, ""; next != ""; pages++ {
		if pages > 100 {
			t.Fatal("the pages do not end")
		}
		var pg webanno.PageDoc
		if err := json.Unmarshal([]byte(page(t, out, strings.TrimPrefix(next, base))), &pg); err != nil {
			t.Fatal(err)
		}
		if pg.ID != next || pg.PartOf != c.ID || pg.Prev != prev {
			t.Errorf("page %s: id %s, partOf %s, prev %s (want %s)", next, pg.ID, pg.PartOf, pg.Prev, prev)
		}
		scope := strings.TrimSuffix(next, "annotations.jsonld")
		for _, a := range pg.Items {
			for _, tg := range a.Target {
				if tg.Scope != scope {
					t.Errorf("%s holds an annotation of %s", next, tg.Scope)
				}
			}
		}
		items = append(items, pg.Items...)
		if pg.Next == "" && next != c.Last {
			t.Errorf("the pages end at %s, the collection's last is %s", next, c.Last)
		}
		prev, next = next, pg.Next
	}
	if len(items) != c.Total || pages == 0 {
		t.Errorf("%d annotations on %d pages, the collection says %d", len(items), pages, c.Total)
	}
	motivations := map[string]int{}
	for _, a := range items {
		motivations[a.Motivation]++
		for _, tg := range a.Target {
			rel := strings.TrimPrefix(tg.Source, "https://archive.example.org/")
			body := page(t, out, rel)
			q, pos := tg.Selector[0], tg.Selector[1]
			runes := []rune(body)
			if *pos.End > len(runes) || string(runes[*pos.Start:*pos.End]) != q.Exact {
				t.Errorf("%s: position %d..%d does not select %q", tg.Source, *pos.Start, *pos.End, q.Exact)
			}
			if !strings.Contains(body, q.Prefix+q.Exact+q.Suffix) {
				t.Errorf("%s: prefix+exact+suffix not in the text", tg.Source)
			}
		}
	}
	if motivations["linking"] < 3 || motivations["commenting"] < 1 {
		t.Errorf("motivations %v: want passage joins (linking) and editor notes (commenting)", motivations)
	}
	for _, p := range out.Paths() {
		if strings.HasSuffix(p, "/annotations.jsonld") {
			b, _ := out.Bytes(p)
			for _, bad := range webanno.Validate(b) {
				t.Errorf("%s: %s", p, bad)
			}
		}
	}
}

// The passage page compares each wording with the canonical text; the
// parodies in Techdirt's comments are variants with their similarity.
func TestPassagePage(t *testing.T) {
	out := buildBundled(t)
	var found bool
	for _, p := range out.Paths() {
		if !strings.HasPrefix(p, "passages/p-") {
			continue
		}
		html := page(t, out, p)
		if !strings.Contains(html, "The current path towards default") {
			continue
		}
		found = true
		for _, want := range []string{"Ars Technica", "Techdirt", "reader comment", "reworded or partial variant",
			"<del", "<ins", `class="travel"`, "first"} {
			if !strings.Contains(html, want) {
				t.Errorf("%s lacks %q", p, want)
			}
		}
	}
	if !found {
		t.Fatal("no passage page for the draft resolution block quote")
	}
	idx := page(t, out, "passages/index.html")
	if strings.Count(idx, `class="passage-item`) < 3 {
		t.Errorf("passage index lists too few passages:\n%s", idx)
	}
}

// Seed pages highlight the lines that hold occurrences and link them to
// the passage page; outlet pages list their passages.
func TestSeedAndOutletCrossLinks(t *testing.T) {
	out := buildBundled(t)
	seed := page(t, out, "seeds/001_8669e8adb286f4d1/index.html")
	if !strings.Contains(seed, "Shared passages in this file") || !strings.Contains(seed, `href="/passages/p-`) {
		t.Error("the Reuters seed page does not link its lines to passage pages")
	}
	outlet := page(t, out, "outlets/reuters/index.html")
	if !strings.Contains(outlet, "Passages its articles share") {
		t.Error("the Reuters outlet page does not list its passages")
	}
	art := page(t, out, "articles/interpol-plans-to-condemn-encryption-spread-citing-predators/index.html")
	if !strings.Contains(art, "Shares passages with") {
		t.Error("the Reuters article does not say which articles it shares passages with")
	}
}

// The editor note in the Techdirt article is marked where its quote stands.
func TestEditorNote(t *testing.T) {
	out := buildBundled(t)
	html := page(t, out, "articles/interpol-confirms-denies-its-against-strong-encryption/index.html")
	if !regexp.MustCompile(`<mark id="n-[0-9a-f]{8}" class="note">`).MatchString(html) {
		t.Error("the Techdirt editor note is not marked")
	}
	if !strings.Contains(html, "Editor&#39;s note") {
		t.Error("the Techdirt page has no editor's note text")
	}
}

// A note whose quote does not match fails the build with file, note line
// and the nearest candidate.
func TestBrokenNoteIsABuildError(t *testing.T) {
	fsys := fstest.MapFS{
		"content/a.md": {Data: []byte("---\ntitle: A\ndate: 2019-11-18\nnotes:\n  - quote: \"Interpol denied every plan\"\n    note: context\n---\n\nInterpol said it had no plans at this time to issue a statement.\n")},
	}
	_, err := site.Build(context.Background(), fsys, site.WithFeatures(New()))
	var fe *article.Error
	if !errors.As(err, &fe) || fe.File != "content/a.md" || fe.Line != 5 || !strings.Contains(err.Error(), "nearest") {
		t.Fatalf("error %v: want content/a.md:5 with the nearest candidates", err)
	}
}

// Marks survive an unrelated edit: the same passage keeps its element id.
func TestStableIDs(t *testing.T) {
	body := func(extra string) []byte {
		return []byte("---\ntitle: T\n---\n\n" + extra + "He said \"the quick brown fox jumps over the lazy dog near the river bank\" today.\n")
	}
	mk := func(extra string) fstest.MapFS {
		return fstest.MapFS{
			"content/a.md": {Data: body(extra)},
			"content/b.md": {Data: []byte("---\ntitle: U\n---\n\nShe wrote that \"the quick brown fox jumps over the lazy dog near the river bank\", again.\n")},
		}
	}
	ids := func(fsys fstest.MapFS) []string {
		out, err := site.Build(context.Background(), fsys, site.WithFeatures(New()))
		if err != nil {
			t.Fatal(err)
		}
		var all []string
		for _, m := range markRE.FindAllStringSubmatch(page(t, out, "articles/a/index.html"), -1) {
			all = append(all, m[1])
		}
		return all
	}
	before, after := ids(mk("")), ids(mk("An unrelated new first paragraph.\n\n"))
	if len(before) == 0 || strings.Join(before, ",") != strings.Join(after, ",") {
		t.Errorf("ids before %v, after an unrelated edit %v", before, after)
	}
}

func TestCollation(t *testing.T) {
	ops := []annotate.Op{
		{Kind: annotate.Same, Canonical: "end", Witness: "end"},
		{Kind: annotate.Same, Canonical: "-", Witness: "-", Punct: true},
		{Kind: annotate.Same, Canonical: "to", Witness: "to"},
		{Kind: annotate.Subst, Canonical: "user", Witness: "homeowner"},
		{Kind: annotate.Insert, Witness: "<b>"},
		{Kind: annotate.Omit, Canonical: "privacy"},
		{Kind: annotate.Same, Canonical: ",", Witness: ",", Punct: true},
	}
	diff, same, subst, ins, omit := collation(ops)
	tm := template.Must(template.ParseFiles(filepath.Join(repoRoot, "layouts", "collation.html")))
	var b strings.Builder
	if err := tm.Execute(&b, diff); err != nil {
		t.Fatal(err)
	}
	want := `end-to <span class="v-subst"><del title="canonical wording">user</del> <ins title="this wording">homeowner</ins></span> <ins title="added here">&lt;b&gt;</ins> <del title="left out here">privacy</del>,`
	if b.String() != want || same != 4 || subst != 1 || ins != 1 || omit != 1 {
		t.Errorf("have %s (%d %d %d %d)\nwant %s", b.String(), same, subst, ins, omit, want)
	}
}

// TestCollationRuns: a collation whose runs of shared words are one
// DiffOp each reads exactly as one with a DiffOp for every word.
func TestCollationRuns(t *testing.T) {
	tm := template.Must(template.ParseFiles(filepath.Join(repoRoot, "layouts", "collation.html")))
	render := func(diff []DiffOp) string {
		var b strings.Builder
		if err := tm.Execute(&b, diff); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	same := func(w string) annotate.Op {
		return annotate.Op{Kind: annotate.Same, Canonical: w, Witness: w, Punct: strings.Trim(w, "“‘([«\"'-/,.") == ""}
	}
	words := []annotate.Op{same("The"), same("minister"), same(","), same("“"), same("it"), same("-"), same("is"),
		same("<b>&"), same("("), same("said"), same(")"),
		{Kind: annotate.Same, Canonical: "the", Witness: "THE"},
		{Kind: annotate.Subst, Canonical: "user", Witness: "homeowner"},
		{Kind: annotate.Insert, Witness: "<i>"}, {Kind: annotate.Omit, Canonical: "privacy"},
		{Kind: annotate.Insert, Witness: ",", Punct: true}, {Kind: annotate.Omit, Canonical: "“", Punct: true}}
	for i, c := range []struct {
		ops     []int // indices into words
		wantOps int
	}{
		{nil, 0},
		{[]int{0}, 1},
		{[]int{0, 1, 2, 3, 4, 5, 6, 7}, 1},
		{[]int{3, 4, 5, 6, 2, 8, 9, 10, 0}, 1},
		{[]int{0, 1, 11, 1, 0}, 3},
		{[]int{12, 0, 1, 13, 2, 3, 14, 15, 4, 16, 5}, 9},
		{[]int{16, 4, 4, 15, 12, 12, 0, 11, 11, 1, 8, 9}, 9},
	} {
		var ops []annotate.Op
		for _, j := range c.ops {
			ops = append(ops, words[j])
		}
		diff, s, sub, in, om := collation(ops)
		// One DiffOp a word: each op alone (a collation of one op has
		// no run), with the space the whole collation gave it.
		var each []DiffOp
		var ws, wsub, win, wom int
		glue := true
		for _, op := range ops {
			d, s1, sub1, in1, om1 := collation([]annotate.Op{op})
			tok := op.Witness
			if tok == "" {
				tok = op.Canonical
			}
			d[0].Space = !glue && !(op.Punct && !opensPhrase(tok))
			glue = op.Punct && (opensPhrase(tok) || joins(tok))
			each = append(each, d[0])
			ws, wsub, win, wom = ws+s1, wsub+sub1, win+in1, wom+om1
		}
		if have, want := render(diff), render(each); have != want {
			t.Errorf("%d: runs read\n%s\nword by word\n%s", i, have, want)
		}
		if len(diff) != c.wantOps || s != ws || sub != wsub || in != win || om != wom {
			t.Errorf("%d: %d ops (%d %d %d %d), want %d (%d %d %d %d)", i, len(diff), s, sub, in, om, c.wantOps, ws, wsub, win, wom)
		}
	}
}
