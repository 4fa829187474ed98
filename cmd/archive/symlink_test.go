package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// secretText is what a file outside the site holds; it must never appear
// in anything a command writes or prints.
const secretText = "SECRET-TOKEN-0f3c"

// linkSite is a small site (one seed, one article, archive.toml, a layout)
// beside a folder of secrets, with the link given by linkAt (a path in the
// site) pointing to target (a path, "$OUT/..." for the secrets folder).
func linkSite(t *testing.T, linkAt, target string) (dir string) {
	t.Helper()
	tmp := t.TempDir()
	dir = filepath.Join(tmp, "site")
	out := filepath.Join(tmp, "outside")
	files := map[string]string{
		"archive.toml":        "title = \"Links\"\n",
		"seeds/001_a.txt":     "Raw text of A.\n",
		"content/a.md":        "---\ntitle: A\noutlet: Reuters\ndate: 2019-11-18\nseed: seeds/001_a.txt\n---\n\nBody of A.\n",
		"layouts/partial.txt": "inside",
	}
	for p, s := range files {
		buildWriteFile(t, filepath.Join(dir, p), s)
	}
	buildWriteFile(t, filepath.Join(out, "secret.md"), "---\ntitle: "+secretText+"\n---\n\n"+secretText+"\n")
	buildWriteFile(t, filepath.Join(out, "secret.txt"), secretText+"\n")
	buildWriteFile(t, filepath.Join(out, "layout.html"), `{{define "main"}}`+secretText+`{{end}}`)
	buildWriteFile(t, filepath.Join(out, "archive.toml"), "title = \""+secretText+"\"\n")
	target = strings.Replace(target, "$OUT", out, 1)
	os.RemoveAll(filepath.Join(dir, linkAt))
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, linkAt)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, filepath.Join(dir, linkAt)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// noSecret fails if any file under dir holds the secret.
func noSecret(t *testing.T, what, dir string) {
	t.Helper()
	for p, s := range buildSnapshotDir(t, dir) {
		if strings.Contains(s, secretText) || strings.Contains(s, "PATH=") {
			t.Errorf("%s: %s holds a file from outside the site", what, p)
		}
	}
}

// serveRefusesLink fails unless archive serve on dir shows the error of a
// link out of the site, and nothing from outside.
func serveRefusesLink(t *testing.T, dir string) {
	t.Helper()
	s := startServe(t, dir)
	code, body := fetch(t, s.url+"/")
	if code == http.StatusOK || !strings.Contains(body, "leads outside") {
		t.Errorf("serve: %d, %.300q; want the link error", code, body)
	}
	if strings.Contains(body, secretText) {
		t.Errorf("serve showed the secret")
	}
}

var outLinks = []struct{ at, target string }{
	{"seeds/env.txt", "/proc/self/environ"},
	{"seeds/002_b.txt", "$OUT/secret.txt"},
	{"content/leak.md", "$OUT/secret.md"},
	{"content/rel.md", "../../outside/secret.md"},
	{"layouts/single.html", "$OUT/layout.html"},
	{"archive.toml", "$OUT/archive.toml"},
	{"seeds", "$OUT"},
}

// Every command that reads the site refuses a symbolic link out of it,
// with an error naming the link and its target, and writes nothing that
// came from outside.
func TestCommandsRefuseLinksOut(t *testing.T) {
	for _, l := range outLinks {
		t.Run(strings.ReplaceAll(l.at, "/", "_"), func(t *testing.T) {
			dir := linkSite(t, l.at, l.target)
			target := strings.Replace(l.target, "$OUT", filepath.Join(filepath.Dir(dir), "outside"), 1)
			link := l.at
			wantErr := func(what string, code int, stdout, stderr string) {
				t.Helper()
				if code == 0 {
					t.Errorf("%s succeeded through a link out of the site:\n%s", what, stdout)
				}
				if !strings.Contains(stderr, link+": symbolic link to "+target) || !strings.Contains(stderr, "outside") {
					t.Errorf("%s: the error does not name %s and %s:\n%s", what, link, target, stderr)
				}
				if strings.Contains(stdout+stderr, secretText) {
					t.Errorf("%s printed the secret", what)
				}
			}
			code, stdout, stderr := runBuild(t, "-s", dir)
			wantErr("build", code, stdout, stderr)
			if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
				noSecret(t, "build", filepath.Join(dir, "public"))
			}

			pkg := filepath.Join(t.TempDir(), "x.bag.tar")
			code, stdout, stderr = snapRun(t, nil, "snapshot", "-s", dir, "-o", pkg)
			wantErr("snapshot", code, stdout, stderr)
			if _, err := os.Stat(pkg); err == nil {
				t.Errorf("snapshot wrote %s", pkg)
			}

			if strings.HasPrefix(l.at, "content/") { // passages reads content/ only
				code, stdout, stderr = snapRun(t, nil, "passages", "-s", dir)
				wantErr("passages", code, stdout, stderr)
			}
			if strings.HasPrefix(l.at, "seeds/0") {
				code, stdout, stderr = runImport(t, "-s", dir)
				wantErr("import", code, stdout, stderr)
				noSecret(t, "import", filepath.Join(dir, "content"))
			}

			serveRefusesLink(t, dir)
		})
	}
}

// A snapshot of public/ as built (--from-public) does not follow a link
// out of public/.
func TestSnapshotFromPublicRefusesLinksOut(t *testing.T) {
	dir := linkSite(t, "public/leak.html", "$OUT/secret.txt")
	buildWriteFile(t, filepath.Join(dir, "public/index.html"), "<p>home</p>")
	pkg := filepath.Join(t.TempDir(), "x.bag.tar")
	code, _, stderr := snapRun(t, nil, "snapshot", "-s", dir, "--from-public", "-o", pkg)
	if code == 0 || !strings.Contains(stderr, "leak.html: symbolic link to ") {
		t.Errorf("snapshot --from-public: exit %d, %s", code, stderr)
	}
}

// Links that stay inside the site keep working: relative and absolute,
// a seed, a content file and a layout.
func TestCommandsFollowLinksInside(t *testing.T) {
	dir := linkSite(t, "seeds/002_b.txt", "001_a.txt")
	if err := os.Symlink(filepath.Join(dir, "content", "a.md"), filepath.Join(dir, "content", "b.md")); err != nil {
		t.Fatal(err)
	}
	buildWriteFile(t, filepath.Join(dir, "mine", "single.html"), `{{define "main"}}<p>my layout: {{.Article.Title}}</p>{{end}}`)
	if err := os.Symlink("../mine/single.html", filepath.Join(dir, "layouts", "single.html")); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runBuild(t, "-s", dir)
	if code != 0 {
		t.Fatalf("build with links inside: exit %d: %s%s", code, stdout, stderr)
	}
	pub := buildSnapshotDir(t, filepath.Join(dir, "public"))
	if !strings.Contains(pub["articles/b/index.html"], "my layout: A") {
		t.Errorf("the linked layout or content file was not used: %.300q", pub["articles/b/index.html"])
	}
	pkg := filepath.Join(t.TempDir(), "x.bag.tar")
	if code, stdout, stderr := snapRun(t, nil, "snapshot", "-s", dir, "-o", pkg); code != 0 {
		t.Errorf("snapshot with links inside: exit %d: %s%s", code, stdout, stderr)
	}
}

// `archive new content` reads no archetype through a link out of the site,
// and writes no file through one.
func TestNewContentRefusesLinksOut(t *testing.T) {
	for _, l := range []struct{ at, target, arg string }{
		{"archetypes/default.md", "$OUT/secret.md", "posts/a.md"},
		{"content/posts", "$OUT", "posts/b.md"},
		{"content/c.md", "$OUT/victim.md", "c.md"},
	} {
		dir := linkSite(t, l.at, l.target)
		victim := filepath.Join(filepath.Dir(dir), "outside", "victim.md")
		buildWriteFile(t, victim, "keep")
		code, stdout, stderr := snapRun(t, nil, "new", "content", "-s", dir, "--force", l.arg)
		if code == 0 || !strings.Contains(stderr, l.at+": symbolic link to ") {
			t.Errorf("new content %s with %s linked out: exit %d, %s%s", l.arg, l.at, code, stdout, stderr)
		}
		if b, _ := os.ReadFile(victim); string(b) != "keep" {
			t.Errorf("new content wrote through %s to %s", l.at, victim)
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "outside", "b.md")); err == nil {
			t.Errorf("new content wrote a file outside the site")
		}
	}
}

// `archive verify` of a bag folder does not follow a link out of it: a
// payload file replaced by a link to an identical copy elsewhere (its
// checksum still matches) is named as a link out, and the bag is not
// valid, since what it holds is not in it.
func TestVerifyBagFolderRefusesLinksOut(t *testing.T) {
	root := snapSite(t)
	dir := filepath.Join(t.TempDir(), "bag")
	if code, stdout, stderr := snapRun(t, nil, "snapshot", "-s", root, "--from-public", "--dir", dir); code != 0 {
		t.Fatalf("snapshot --dir: exit %d: %s%s", code, stdout, stderr)
	}
	if code, stdout, stderr := snapRun(t, nil, "verify", dir); code != 0 {
		t.Fatalf("verify of the bag as written: exit %d: %s%s", code, stdout, stderr)
	}
	var payload string
	for p := range buildSnapshotDir(t, filepath.Join(dir, "data")) {
		if strings.HasSuffix(p, "index.html") {
			payload = filepath.Join("data", filepath.FromSlash(p))
			break
		}
	}
	if payload == "" {
		t.Fatal("the bag has no page in data/")
	}
	copyOut := filepath.Join(t.TempDir(), "copy.html")
	b, err := os.ReadFile(filepath.Join(dir, payload))
	if err != nil {
		t.Fatal(err)
	}
	buildWriteFile(t, copyOut, string(b))
	if err := os.Remove(filepath.Join(dir, payload)); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(copyOut, filepath.Join(dir, payload)); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := snapRun(t, nil, "verify", dir)
	if code == 0 || strings.Contains(stdout, "valid") && !strings.Contains(stdout, "problem") {
		t.Errorf("verify passed a bag whose %s links out of it: exit %d, %s%s", payload, code, stdout, stderr)
	}
	if !strings.Contains(stdout+stderr, filepath.ToSlash(payload)) || !strings.Contains(stdout+stderr, copyOut) {
		t.Errorf("verify does not name the link %s and its target %s:\n%s%s", payload, copyOut, stdout, stderr)
	}
}

// A Hugo site's static/ files and a page bundle's resources are copied as
// they are: a link out of the site among them is refused by build and
// serve, named with its target, and nothing from outside is published.
func TestHugoSiteRefusesLinksOut(t *testing.T) {
	for _, at := range []string{"static/leak.txt", "static/css", "content/posts/bundle/leak.txt"} {
		t.Run(strings.ReplaceAll(at, "/", "_"), func(t *testing.T) {
			tmp := t.TempDir()
			dir := filepath.Join(tmp, "site")
			out := filepath.Join(tmp, "outside")
			for p, s := range map[string]string{
				"hugo.toml":                     "baseURL = \"https://example.org/\"\ntitle = \"Links\"\n",
				"content/posts/p.md":            "---\ntitle: P\n---\nBody of P.\n",
				"content/posts/bundle/index.md": "---\ntitle: Bundle\n---\nBody of the bundle.\n",
				"static/ok.txt":                 "inside\n",
			} {
				buildWriteFile(t, filepath.Join(dir, p), s)
			}
			buildWriteFile(t, filepath.Join(out, "secret.txt"), secretText+"\n")
			target := filepath.Join(out, "secret.txt")
			if !strings.HasSuffix(at, ".txt") {
				target = out
			}
			if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, at)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, filepath.Join(dir, at)); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := runBuild(t, "-s", dir)
			if code == 0 {
				t.Errorf("build succeeded through a link out of the site:\n%s", stdout)
			}
			if !strings.Contains(stderr, at+": symbolic link to "+target) {
				t.Errorf("build: the error does not name %s and %s:\n%s", at, target, stderr)
			}
			if _, err := os.Stat(filepath.Join(dir, "public")); err == nil {
				noSecret(t, "build", filepath.Join(dir, "public"))
			}
			serveRefusesLink(t, dir)
		})
	}
}
