package site

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// vanishingFS lists a file that is gone by the time it is read, as when an
// editor deletes it in the middle of a build.
type vanishingFS struct {
	fstest.MapFS
	gone string
}

func (v vanishingFS) Open(name string) (fs.File, error) {
	if name == v.gone {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return v.MapFS.Open(name)
}

func (v vanishingFS) ReadFile(name string) ([]byte, error) {
	if name == v.gone {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return v.MapFS.ReadFile(name)
}

func TestBuildErrors(t *testing.T) {
	good := "---\ntitle: X\n---\nbody\n"
	for _, tc := range []struct {
		name  string
		files map[string]string // added to testSite()
		fsys  func(fstest.MapFS) fs.FS
		file  string
		line  int
		msg   string
	}{
		{name: "yaml syntax", files: map[string]string{"content/x.md": "---\ntitle: A\nfoo: [1, 2\n---\nbody\n"}, file: "content/x.md", line: 3, msg: "yaml"},
		{name: "toml syntax", files: map[string]string{"content/x.md": "+++\ntitle = \"A\"\nfoo = = 3\n+++\nbody\n"}, file: "content/x.md", line: 3, msg: "toml"},
		{name: "json syntax", files: map[string]string{"content/x.md": "{\n\"title\": \"A\",\n\"x\": ,\n}\nbody\n"}, file: "content/x.md", line: 3, msg: "json"},
		{name: "front matter not a map", files: map[string]string{"content/x.md": "---\n- a\n- b\n---\nbody\n"}, file: "content/x.md", line: 2, msg: "not a map"},
		{name: "invalid utf-8", files: map[string]string{"content/x.md": "---\ntitle: A\n---\nbo\xffdy\n"}, file: "content/x.md", line: 4, msg: "invalid UTF-8"},
		{name: "bad date", files: map[string]string{"content/x.md": "---\ntitle: A\ndate: last tuesday\n---\nbody\n"}, file: "content/x.md", line: 3, msg: "cannot parse date"},
		{name: "same slug", files: map[string]string{"content/x.md": "---\ntitle: A\nslug: a\n---\nbody\n"}, file: "content/x.md", line: 3, msg: "also the slug of content/a.md"},
		{name: "same slug by file name", files: map[string]string{"content/more/a.md": good}, file: "content/more/a.md", line: 1, msg: "also the slug of content/a.md"},
		{name: "slug with dots", files: map[string]string{"content/x.md": "---\ntitle: A\nslug: ../../etc\n---\nbody\n"}, file: "content/x.md", line: 3, msg: `".."`},
		{name: "slug with slash", files: map[string]string{"content/x.md": "---\ntitle: A\nslug: a/b\n---\nbody\n"}, file: "content/x.md", line: 3, msg: "slash"},
		{name: "alias with dots", files: map[string]string{"content/x.md": "---\ntitle: A\naliases: [/old/../../x]\n---\nbody\n"}, file: "content/x.md", line: 3, msg: `".."`},
		{name: "alias claims a page", files: map[string]string{"content/x.md": "---\ntitle: A\naliases: [/articles/b]\n---\nbody\n"}, msg: "two pages claim /articles/b/index.html"},
		{name: "absolute seed path", files: map[string]string{"content/x.md": "---\ntitle: A\nseed: /etc/passwd\n---\nbody\n"}, file: "content/x.md", line: 3, msg: "not a path inside seeds/"},
		{name: "missing seed", files: map[string]string{"content/x.md": "---\ntitle: A\nseed: seeds/nope.txt\n---\nbody\n"}, file: "content/x.md", line: 3, msg: "not found"},
		{name: "seed sha mismatch", files: map[string]string{"content/x.md": "---\ntitle: A\nseed: seeds/001_a.txt\nseed_sha256: 00ff\n---\nbody\n"}, file: "content/x.md", line: 4, msg: "does not match seeds/001_a.txt"},
		{name: "unknown config key", files: map[string]string{"archive.toml": "title = \"T\"\n\ncolour = \"red\"\n"}, file: "archive.toml", line: 3, msg: `unknown key "colour"`},
		{name: "config syntax", files: map[string]string{"archive.toml": "title = \"T\n"}, file: "archive.toml", line: 1, msg: "config"},
		{name: "bad baseURL", files: map[string]string{"archive.toml": "baseURL = \"example.org\"\n"}, file: "archive.toml", line: 1, msg: "not an absolute"},
		{name: "broken layout", files: map[string]string{"layouts/home.html": "{{define \"main\"}}\n<h1>{{.Site.Title</h1>\n{{end}}\n"}, file: "layouts/home.html", line: 2, msg: "bad character"},
		{name: "missing template", files: map[string]string{"layouts/single.html": "{{define \"main\"}}\n\n{{template \"nav.html\" .}}\n{{end}}\n"}, file: "layouts/single.html", line: 3, msg: `no such template "nav.html"`},
		{name: "layout field error", files: map[string]string{"layouts/outlet.html": "{{define \"main\"}}\n{{.Outlet.Colour}}\n{{end}}\n"}, file: "layouts/outlet.html", line: 2, msg: "Colour"},
		{name: "file vanishes mid-build", fsys: func(m fstest.MapFS) fs.FS { return vanishingFS{m, "content/b.md"} }, file: "content/b.md", msg: "vanished"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := testSite()
			for p, s := range tc.files {
				m[p] = &fstest.MapFile{Data: []byte(s)}
			}
			var fsys fs.FS = m
			if tc.fsys != nil {
				fsys = tc.fsys(m)
			}
			out, err := Build(context.Background(), fsys)
			if err == nil {
				t.Fatalf("built %d files, want an error", out.Len())
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not say %q", err, tc.msg)
			}
			if tc.file == "" {
				return
			}
			var fe *article.Error
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T) does not name a file", err, err)
			}
			if fe.File != tc.file && !strings.HasPrefix(fe.File, tc.file+" ") || (tc.line > 0 && fe.Line != tc.line) {
				t.Errorf("error names %s:%d, want %s:%d\n%v", fe.File, fe.Line, tc.file, tc.line, err)
			}
			if fe.Fix == "" {
				t.Errorf("error %q says nothing about how to fix it", err)
			}
		})
	}
}
