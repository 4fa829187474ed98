package ingest

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// keysInOrder lists the top-level keys of a content file's front matter.
func keysInOrder(t *testing.T, content []byte) []string {
	t.Helper()
	fr, err := splitFront("x", content)
	if err != nil {
		t.Fatal(err)
	}
	return fr.order
}

func TestFrontMatterKeptInOrder(t *testing.T) {
	body := "\nHeadline in the text\n\nBody. ®\n"
	for _, tc := range []struct {
		name, front string
		format      article.Format
		keys        []string // expected order: the seed's, then appended
	}{
		{"yaml", "---\ntitle: 'Kept title'\ndate: 2019-11-18T04:58:00+01:00\n# a comment stays\nzeta: 1\ndraft: false\n---\n", article.YAML,
			[]string{"title", "date", "zeta", "draft", "subtitle", "outlet", "author", "source_url", "seed", "seed_sha256"}},
		{"yaml without title", "---\nzeta: [1, 2]\nalpha: x\n---\n", article.YAML,
			[]string{"zeta", "alpha", "title", "subtitle", "outlet", "author", "source_url", "seed", "seed_sha256"}},
		{"toml", "+++\nzeta = 1\ntitle = \"Kept title\"\nalpha = 2019-11-18\n+++\n", article.TOML,
			[]string{"zeta", "title", "alpha", "subtitle", "outlet", "author", "source_url", "seed", "seed_sha256"}},
		{"toml with a table", "+++\ntitle = \"Kept title\"\n[params]\nzeta = 1\n+++\n", article.TOML,
			[]string{"title", "subtitle", "outlet", "author", "source_url", "seed", "seed_sha256", "params"}},
		{"json", "{\n    \"zeta\": {\"a\": 1},\n    \"title\": \"Kept title\",\n    \"alpha\": [1]\n}\n", article.JSON,
			[]string{"zeta", "title", "alpha", "subtitle", "outlet", "author", "source_url", "seed", "seed_sha256"}},
		{"json empty", "{\n}\n", article.JSON,
			[]string{"title", "subtitle", "outlet", "author", "source_url", "seed", "seed_sha256"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := tc.front + body
			r, err := Convert("seeds/x.txt", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			out := string(r.Content)
			// The seed's own block is copied byte for byte (up to where keys are added).
			keep := strings.TrimSuffix(strings.TrimSuffix(tc.front, "---\n"), "+++\n")
			if tc.format == article.JSON {
				keep = strings.TrimRight(strings.TrimSuffix(tc.front, "}\n"), " \n")
			}
			if tc.name == "toml with a table" {
				keep = "+++\ntitle = \"Kept title\"\n"
			}
			if !strings.HasPrefix(out, keep) {
				t.Errorf("front matter not kept byte for byte:\n%s", out)
			}
			if have := strings.Join(keysInOrder(t, r.Content), ","); have != strings.Join(tc.keys, ",") {
				t.Errorf("keys %s, want %s\n%s", have, strings.Join(tc.keys, ","), out)
			}
			a, err := article.Parse(r.Path, r.Content)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			if a.Format != tc.format || a.Meta.Outlet != "The Register" || a.Meta.Seed != "seeds/x.txt" {
				t.Errorf("format %s outlet %q seed %q\n%s", a.Format, a.Meta.Outlet, a.Meta.Seed, out)
			}
			wantTitle := "Kept title"
			if !strings.Contains(tc.front, "Kept title") {
				wantTitle = "Headline in the text"
			}
			if a.Meta.Title != wantTitle {
				t.Errorf("title %q, want %q", a.Meta.Title, wantTitle)
			}
			if strings.Contains(string(a.Body), "Headline in the text") != (wantTitle != "Headline in the text") {
				t.Errorf("body %q: the headline belongs in the body only when front matter has its own title", a.Body)
			}
		})
	}
}

func TestValuesAreQuotedSafely(t *testing.T) {
	for _, title := range []string{`Say "no": yes # not a comment`, `back\slash`, "tab\there", "yes", "2019-11-18", "[a] {b}"} {
		for _, open := range []string{"---\nx: 1\n---\n", "+++\nx = 1\n+++\n", "{\n\"x\": 1\n}\n", ""} {
			src := open + title + "\n\nBody.\n"
			r, err := Convert("seeds/q.txt", []byte(src))
			if err != nil {
				t.Errorf("%q: %v", src, err)
				continue
			}
			a, err := article.Parse(r.Path, r.Content)
			if err != nil || a.Meta.Title != title {
				t.Errorf("title %q read back as %q (%v)\n%s", title, a.Meta.Title, err, r.Content)
			}
		}
	}
}

func TestConvertErrors(t *testing.T) {
	for _, tc := range []struct {
		name, seed, src string
		line            int
		msg             string
	}{
		{"invalid UTF-8", "seeds/a.txt", "Headline\n\nBo\xffdy\n", 3, "invalid UTF-8 at column 3"},
		{"unsafe name", "../etc/passwd", "x\n", 0, "unsafe seed name"},
		{"absolute name", "/etc/passwd", "x\n", 0, "unsafe seed name"},
		{"name with spaces", "seeds/a b.txt", "x\n", 0, "unsafe seed name"},
		{"hidden name", "seeds/.x.txt", "x\n", 0, "unsafe seed name"},
		{"unclosed yaml", "seeds/a.txt", "---\ntitle: x\n\nbody\n", 1, "not closed"},
		{"bad yaml", "seeds/a.txt", "---\ntitle: [x\n---\nbody\n", 2, "front matter (yaml)"},
		{"bad toml", "seeds/a.txt", "+++\ntitle = \n+++\nbody\n", 2, "front matter (toml)"},
		{"bad json", "seeds/a.txt", "{\n\"title\": ,\n}\nbody\n", 2, "front matter (json)"},
		{"front matter not a map", "seeds/a.txt", "---\n- a\n---\nbody\n", 2, "front matter (yaml)"},
		{"empty seed", "seeds/a.txt", "\n\n", 1, "no text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Convert(tc.seed, []byte(tc.src))
			var fe *article.Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %v is not an *article.Error", err)
			}
			if fe.File != tc.seed || fe.Line != tc.line || !strings.Contains(err.Error(), tc.msg) || fe.Fix == "" {
				t.Errorf("have %q (file %q line %d), want %s line %d containing %q and a fix", err, fe.File, fe.Line, tc.seed, tc.line, tc.msg)
			}
		})
	}
}

func TestConvertFSDuplicateSlug(t *testing.T) {
	fsys := fstest.MapFS{
		"seeds/a.txt": {Data: []byte("Same headline\n\nBody one.\n")},
		"seeds/b.txt": {Data: []byte("Same headline\n\nBody two.\n")},
	}
	_, err := ConvertFS(fsys, []string{"seeds/a.txt", "seeds/b.txt"})
	if err == nil || !strings.Contains(err.Error(), "seeds/b.txt") || !strings.Contains(err.Error(), "seeds/a.txt") {
		t.Errorf("error %v should name both seeds", err)
	}
	if _, err := ConvertFS(fsys, []string{"seeds/missing.txt"}); err == nil || !strings.HasPrefix(err.Error(), "seeds/missing.txt") {
		t.Errorf("error %v should name the missing seed", err)
	}
}

func TestDecide(t *testing.T) {
	r, err := Convert("seeds/a.txt", []byte("A headline for this\n\nBody.\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		fsys   fstest.MapFS
		force  bool
		action Action
	}{
		{"missing file is created", fstest.MapFS{}, false, Create},
		{"identical file is unchanged", fstest.MapFS{r.Path: {Data: r.Content}}, false, Unchanged},
		{"identical file is unchanged even when forced", fstest.MapFS{r.Path: {Data: r.Content}}, true, Unchanged},
		{"edited file is skipped", fstest.MapFS{r.Path: {Data: append(append([]byte(nil), r.Content...), "Editor's line.\n"...)}}, false, Skip},
		{"edited file is overwritten when forced", fstest.MapFS{r.Path: {Data: []byte("---\ntitle: mine\n---\n")}}, true, Overwrite},
	} {
		t.Run(tc.name, func(t *testing.T) {
			have, err := Decide(tc.fsys, r, tc.force)
			if err != nil || have != tc.action {
				t.Errorf("Decide = %q, %v; want %q", have, err, tc.action)
			}
		})
	}
}

func TestContentBySeed(t *testing.T) {
	fsys := fstest.MapFS{
		"content/renamed.md":     {Data: []byte("---\ntitle: A\nseed: seeds/a.txt\n---\n")},
		"content/sub/b.md":       {Data: []byte("+++\ntitle = \"B\"\nseed = \"seeds/b.txt\"\n+++\n")},
		"content/broken.md":      {Data: []byte("---\ntitle: [\n---\n")},
		"content/no-seed.md":     {Data: []byte("---\ntitle: C\n---\n")},
		"content/z-duplicate.md": {Data: []byte("---\ntitle: A2\nseed: seeds/a.txt\n---\n")},
	}
	have := ContentBySeed(fsys)
	if len(have) != 2 || have["seeds/a.txt"] != "content/renamed.md" || have["seeds/b.txt"] != "content/sub/b.md" {
		t.Errorf("ContentBySeed = %v", have)
	}
}
