package sitefs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// tree makes tmp/site (the folder read), tmp/outside (secrets) and
// tmp/sitelink (a link to the site), and the links of the cases below.
func tree(t *testing.T) (tmp, site string) {
	t.Helper()
	tmp = t.TempDir()
	site = filepath.Join(tmp, "site")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"site/content/sub", "site/seeds/deep", "outside/dir"} {
		must(os.MkdirAll(filepath.Join(tmp, d), 0o755))
	}
	files := map[string]string{
		"site/content/a.md":       "article a",
		"site/seeds/s.txt":        "seed s",
		"site/seeds/deep/d.txt":   "deep d",
		"outside/secret.txt":      "SECRET",
		"outside/dir/secret2.txt": "SECRET2",
	}
	for p, s := range files {
		must(os.WriteFile(filepath.Join(tmp, p), []byte(s), 0o644))
	}
	must(os.Symlink(site, filepath.Join(tmp, "sitelink")))
	links := map[string]string{
		"content/in-rel.md":        "../seeds/s.txt",
		"content/in-abs.md":        filepath.Join(site, "seeds/s.txt"),
		"content/in-abs-via.md":    filepath.Join(tmp, "sitelink/seeds/s.txt"),
		"content/back-in.md":       "../../site/seeds/s.txt",
		"content/out-abs.md":       filepath.Join(tmp, "outside/secret.txt"),
		"content/out-rel.md":       "../../outside/secret.txt",
		"content/out-missing.md":   "/nonexistent/secret.md",
		"content/dirlink":          "../../outside/dir",
		"content/indir":            "../seeds",
		"content/deeplink":         "../seeds/deep",
		"content/dotdot.md":        "deeplink/../s.txt", // the kernel's way: seeds/s.txt
		"content/loop.md":          "loop.md",
		"content/dangling.md":      "missing.md",
		"content/sub/up.md":        "../../../outside/secret.txt",
		"content/sub/via-dir.md":   "../dirlink/secret2.txt",
		"content/chain0.md":        "chain1.md",
		"seeds/env":                "/proc/self/environ",
		"seeds/root-out":           "/",
		"content/sub/in-chain.md":  "../in-abs.md",
		"content/sub/out-chain.md": "../out-rel.md",
	}
	for i := 1; i < 12; i++ {
		links[fmt.Sprintf("content/chain%d.md", i)] = fmt.Sprintf("chain%d.md", i+1)
	}
	links["content/chain12.md"] = "a.md"
	for p, target := range links {
		must(os.Symlink(target, filepath.Join(site, p)))
	}
	return tmp, site
}

type want struct {
	text string // the content read, or
	link string // the link named in the error, or
	err  error  // an error it matches (errors.Is)
}

var cases = map[string]want{
	"content/a.md":                {text: "article a"},
	"content/in-rel.md":           {text: "seed s"},
	"content/in-abs.md":           {text: "seed s"},
	"content/in-abs-via.md":       {text: "seed s"},
	"content/back-in.md":          {text: "seed s"},
	"content/indir/s.txt":         {text: "seed s"},
	"content/indir/deep/d.txt":    {text: "deep d"},
	"content/dotdot.md":           {text: "seed s"},
	"content/chain0.md":           {text: "article a"},
	"content/sub/in-chain.md":     {text: "seed s"},
	"content/out-abs.md":          {link: "content/out-abs.md"},
	"content/out-rel.md":          {link: "content/out-rel.md"},
	"content/out-missing.md":      {link: "content/out-missing.md"},
	"content/dirlink/secret2.txt": {link: "content/dirlink"},
	"content/sub/up.md":           {link: "content/sub/up.md"},
	"content/sub/via-dir.md":      {link: "content/dirlink"},
	"content/sub/out-chain.md":    {link: "content/out-rel.md"},
	"seeds/env":                   {link: "seeds/env"},
	"seeds/root-out/etc/passwd":   {link: "seeds/root-out"},
	"content/loop.md":             {err: syscall.ELOOP},
	"content/dangling.md":         {err: fs.ErrNotExist},
	"content/nothing.md":          {err: fs.ErrNotExist},
	"nothing/at/all.md":           {err: fs.ErrNotExist},
}

// Every way to read a file (Open, ReadFile, Stat, and through fs.Sub)
// follows the links inside the folder and refuses those out of it, with
// an error naming the link and its target; also when the folder is opened
// by a path that is itself a link.
func TestLinks(t *testing.T) {
	tmp, site := tree(t)
	for _, dir := range []string{site, filepath.Join(tmp, "sitelink")} {
		fsys, err := Dir(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer fsys.Close()
		content, _ := fs.Sub(fsys, "content")
		for name, w := range cases {
			reads := map[string]func() ([]byte, error){
				"ReadFile": func() ([]byte, error) { return fsys.ReadFile(name) },
				"Open": func() ([]byte, error) {
					f, err := fsys.Open(name)
					if err != nil {
						return nil, err
					}
					defer f.Close()
					return io.ReadAll(f)
				},
				"Stat": func() ([]byte, error) {
					fi, err := fsys.Stat(name)
					if err != nil {
						return nil, err
					}
					if fi.Size() != int64(len(w.text)) {
						return nil, fmt.Errorf("size %d", fi.Size())
					}
					return []byte(w.text), nil
				},
			}
			if rest, ok := strings.CutPrefix(name, "content/"); ok {
				reads["Sub"] = func() ([]byte, error) { return fs.ReadFile(content, rest) }
			}
			for how, read := range reads {
				b, err := read()
				switch {
				case w.text != "":
					if err != nil || string(b) != w.text {
						t.Errorf("%s %s (folder %s): have %q, %v; want %q", how, name, dir, b, err, w.text)
					}
				case w.link != "":
					checkLinkError(t, how+" "+name, err, w.link)
				default:
					if !errors.Is(err, w.err) {
						t.Errorf("%s %s: have %q, %v; want %v", how, name, b, err, w.err)
					}
				}
				if strings.Contains(string(b), "SECRET") || (err != nil && strings.Contains(err.Error(), "SECRET")) {
					t.Errorf("%s %s read a file outside the folder", how, name)
				}
			}
		}
	}
}

func checkLinkError(t *testing.T, what string, err error, link string) {
	t.Helper()
	var le *LinkError
	var ae *article.Error
	if !errors.As(err, &le) || !errors.As(err, &ae) {
		t.Errorf("%s: have %v, want a link error for %s", what, err, link)
		return
	}
	if le.Link != link || ae.File != link {
		t.Errorf("%s: the error names %s (file %s), want %s", what, le.Link, ae.File, link)
	}
	msg := err.Error()
	for _, s := range []string{link + ": symbolic link to " + le.Target, "leads outside", "fix: copy the file into"} {
		if !strings.Contains(msg, s) {
			t.Errorf("%s: error %q does not say %q", what, msg, s)
		}
	}
	if !errors.Is(err, fs.ErrPermission) {
		t.Errorf("%s: a link error is not fs.ErrPermission", what)
	}
}

// The error for /proc/self/environ reads as a user sees it.
func TestLinkErrorMessage(t *testing.T) {
	_, site := tree(t)
	fsys, err := Dir(site)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	_, err = fsys.ReadFile("seeds/env")
	want := "seeds/env: symbolic link to /proc/self/environ leads outside " + site + ", and nothing outside it is read\n" +
		"\tfix: copy the file into " + site + " instead of linking to it (cp -L), or remove the link"
	if err == nil || err.Error() != want {
		t.Errorf("have\n%v\nwant\n%s", err, want)
	}
}

// Walking the folder lists links as links, and the files behind the links
// that stay inside read as fs.FS promises.
func TestFS(t *testing.T) {
	tmp := t.TempDir()
	os.MkdirAll(filepath.Join(tmp, "content"), 0o755)
	os.WriteFile(filepath.Join(tmp, "content/a.md"), []byte("a"), 0o644)
	os.Symlink("a.md", filepath.Join(tmp, "content/b.md"))
	os.Symlink(filepath.Join(tmp, "content/a.md"), filepath.Join(tmp, "content/c.md"))
	fsys, err := Dir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	if err := fstest.TestFS(fsys, "content/a.md", "content/b.md", "content/c.md"); err != nil {
		t.Error(err)
	}
}

// Lstat and ReadLink look at a link itself, but never through a link out.
func TestLstat(t *testing.T) {
	_, site := tree(t)
	fsys, err := Dir(site)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	if fi, err := fsys.Lstat("seeds/env"); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("Lstat seeds/env: %v, %v", fi, err)
	}
	if s, err := fsys.ReadLink("seeds/env"); err != nil || s != "/proc/self/environ" {
		t.Errorf("ReadLink seeds/env: %q, %v", s, err)
	}
	if fi, err := fsys.Lstat("content/indir/s.txt"); err != nil || fi.Size() != int64(len("seed s")) {
		t.Errorf("Lstat through a link inside: %v, %v", fi, err)
	}
	_, err = fsys.Lstat("content/dirlink/secret2.txt")
	checkLinkError(t, "Lstat content/dirlink/secret2.txt", err, "content/dirlink")
	_, err = fsys.ReadLink("seeds/root-out/etc/passwd")
	checkLinkError(t, "ReadLink seeds/root-out/etc/passwd", err, "seeds/root-out")
}

// BenchmarkReadFile compares reading content files through Dir with
// os.DirFS, which checks nothing.
func BenchmarkReadFile(b *testing.B) {
	dir := b.TempDir()
	os.MkdirAll(filepath.Join(dir, "content", "2019"), 0o755)
	var names []string
	for i := range 200 {
		n := fmt.Sprintf("content/2019/article-%03d.md", i)
		os.WriteFile(filepath.Join(dir, n), []byte(strings.Repeat("word ", 800)), 0o644)
		names = append(names, n)
	}
	safe, err := Dir(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer safe.Close()
	for _, c := range []struct {
		name string
		fsys fs.FS
	}{{"DirFS", os.DirFS(dir)}, {"sitefs", safe}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				for _, n := range names {
					if _, err := fs.ReadFile(c.fsys, n); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
