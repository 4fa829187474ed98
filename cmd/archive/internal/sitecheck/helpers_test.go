package sitecheck

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/archive-project/archive/cmd/archive/internal/features"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// repoRoot is the repository root, which is also the bundled site's root.
var repoRoot = filepath.Join("..", "..", "..", "..")

// seed is the bundled archive, built once per test binary.
var seed struct {
	once sync.Once
	out  *site.Output
	cfg  site.Config
	err  error
}

// seedSite builds the bundled archive in memory exactly as `archive build`
// does without flags: the site root's files, no drafts, every feature
// layer, archive.toml's baseURL.
func seedSite(t testing.TB) (*site.Output, site.Config) {
	t.Helper()
	seed.once.Do(func() {
		fsys := os.DirFS(repoRoot)
		seed.cfg, seed.err = site.LoadConfig(fsys)
		if seed.err != nil {
			return
		}
		seed.out, seed.err = site.Build(context.Background(), fsys, featureOptions()...)
	})
	if seed.err != nil {
		t.Fatalf("building the bundled archive: %v", seed.err)
	}
	return seed.out, seed.cfg
}

// featureOptions are the options of `archive build` without flags: no
// drafts, every feature layer (fresh ones for each build).
func featureOptions() []site.Option {
	return append([]site.Option{site.WithDrafts(false)}, features.Options()...)
}

// buildFS builds a site from fsys with the same options as seedSite.
func buildFS(t testing.TB, fsys fs.FS) *site.Output {
	t.Helper()
	out, err := site.Build(context.Background(), fsys, featureOptions()...)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return out
}

// publish writes out to a fresh temporary folder and returns it.
func publish(t testing.TB, out *site.Output) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "public")
	if err := out.Publish(dir); err != nil {
		t.Fatal(err)
	}
	return dir
}

// requireTools reports whether missing tools must fail the test (CI).
func requireTools() bool { return os.Getenv("ARCHIVE_REQUIRE_BROWSER") == "1" }

// skipOrFail skips with msg, or fails under ARCHIVE_REQUIRE_BROWSER=1.
func skipOrFail(t testing.TB, msg string) {
	t.Helper()
	if requireTools() {
		t.Fatal(msg + " (ARCHIVE_REQUIRE_BROWSER=1 forbids skipping)")
	}
	t.Skip(msg)
}

// npmFile returns the absolute path of rel under the repository's
// node_modules and a node binary, or skips (fails in CI) when either is
// missing.
func npmFile(t testing.TB, rel string) (node, file string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		skipOrFail(t, "no node on PATH: install Node.js (`sudo apt-get install -y nodejs npm`), then run `npm ci` at the repository root")
	}
	file, err = filepath.Abs(filepath.Join(repoRoot, "node_modules", filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(file); err != nil {
		skipOrFail(t, fmt.Sprintf("node_modules/%s is missing: run `npm ci` at the repository root (package.json pins it)", rel))
	}
	return node, file
}

// netlifyRule is one [[headers]] rule of netlify.toml.
type netlifyRule struct {
	For    string            `toml:"for"`
	Values map[string]string `toml:"values"`
	re     *regexp.Regexp
}

// netlifyHeaders reads netlify.toml's [[headers]] rules.
func netlifyHeaders(t testing.TB) []netlifyRule {
	t.Helper()
	var n struct {
		Headers []netlifyRule `toml:"headers"`
	}
	if _, err := toml.DecodeFile(filepath.Join(repoRoot, "netlify.toml"), &n); err != nil {
		t.Fatal(err)
	}
	for i := range n.Headers {
		// Netlify paths: * matches the rest, :name one segment.
		var b strings.Builder
		b.WriteString("^")
		for _, part := range regexp.MustCompile(`\*|:[A-Za-z0-9_]+|[^*:]+|:`).FindAllString(n.Headers[i].For, -1) {
			switch {
			case part == "*":
				b.WriteString(".*")
			case strings.HasPrefix(part, ":") && len(part) > 1:
				b.WriteString("[^/]+")
			default:
				b.WriteString(regexp.QuoteMeta(part))
			}
		}
		b.WriteString("$")
		n.Headers[i].re = regexp.MustCompile(b.String())
		for k, v := range n.Headers[i].Values {
			n.Headers[i].Values[k] = strings.Join(strings.Fields(v), " ")
		}
	}
	return n.Headers
}

// netlifyCSP is the Content-Security-Policy netlify.toml sends with pages.
func netlifyCSP(t testing.TB) string {
	t.Helper()
	for _, r := range netlifyHeaders(t) {
		if r.re.MatchString("/index.html") {
			if csp := r.Values["Content-Security-Policy"]; csp != "" {
				return csp
			}
		}
	}
	t.Fatal("netlify.toml sends no Content-Security-Policy with pages")
	return ""
}

// serveOptions change how serve answers.
type serveOptions struct {
	noCSP bool // leave out Content-Security-Policy (to prove escaping alone)
}

// serve serves a built site on 127.0.0.1 as Netlify does: folder URLs
// answer with their index.html (a URL without the slash is redirected),
// unknown paths with /404.html and status 404, text is gzipped for clients
// that accept it, and every response carries the headers of netlify.toml's
// matching [[headers]] rules.
func serve(t testing.TB, site fs.FS, so serveOptions) *httptest.Server {
	t.Helper()
	rules := netlifyHeaders(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for _, rule := range rules {
			if rule.re.MatchString(r.URL.Path) {
				for k, v := range rule.Values {
					if so.noCSP && k == "Content-Security-Policy" {
						continue
					}
					w.Header().Set(k, v)
				}
			}
		}
		name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
		if strings.HasSuffix(r.URL.Path, "/") {
			name = path.Join(name, "index.html")
		}
		if name == "" {
			name = "index.html"
		}
		status := http.StatusOK
		data, err := fs.ReadFile(site, name)
		if err != nil {
			if _, err := fs.Stat(site, path.Join(name, "index.html")); err == nil {
				http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
				return
			}
			name, status = "404.html", http.StatusNotFound
			if data, err = fs.ReadFile(site, name); err != nil {
				http.NotFound(w, r)
				return
			}
		}
		ctype := mime.TypeByExtension(path.Ext(name))
		switch path.Ext(name) {
		case ".jsonld":
			ctype = "application/ld+json"
		case ".md":
			ctype = "text/markdown; charset=utf-8"
		}
		if ctype == "" {
			ctype = http.DetectContentType(data)
		}
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Vary", "Accept-Encoding")
		if compressible(ctype) && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			data = gzipped(data)
			w.Header().Set("Content-Encoding", "gzip")
		}
		w.Header().Set("Content-Length", fmt.Sprint(len(data)))
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			w.Write(data)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "json") ||
		strings.Contains(ctype, "javascript") || strings.Contains(ctype, "xml")
}

// gzipped compresses b as a web server would (gzip's default level).
func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Bytes()
}

// samplePages are the URL paths of the pages the browser checks visit.
type samplePages struct {
	Home, Article, Passage, Outlet, Search string
}

// pick chooses the pages: the article with the most marks that has both
// shared passages and an editor's note, the passage page and the outlet
// page listed first, and /search/ when the site has it ("" otherwise).
func pick(t testing.TB, out *site.Output) samplePages {
	t.Helper()
	p := samplePages{Home: "/"}
	best := -1
	for _, name := range out.Paths() {
		b, _ := out.Bytes(name)
		dir := "/" + strings.TrimSuffix(name, "index.html")
		switch {
		case strings.HasPrefix(name, "articles/") && strings.HasSuffix(name, "/index.html"):
			q, n := bytes.Count(b, []byte(` id="q-`)), bytes.Count(b, []byte(` id="n-`))
			if q > 0 && n > 0 && q+n > best {
				best, p.Article = q+n, dir
			}
		case p.Passage == "" && strings.HasPrefix(name, "passages/p-") && strings.HasSuffix(name, "/index.html"):
			p.Passage = dir
		case p.Outlet == "" && strings.HasPrefix(name, "outlets/") && strings.HasSuffix(name, "/index.html"):
			p.Outlet = dir
		case name == "search/index.html":
			p.Search = "/search/"
		}
	}
	if p.Article == "" || p.Passage == "" || p.Outlet == "" {
		t.Fatalf("the bundled archive lacks a page to check: %+v (want an article with passages and a note, a passage and an outlet)", p)
	}
	return p
}

// htmlPages lists the .html paths of out.
func htmlPages(out *site.Output) []string {
	var ps []string
	for _, p := range out.Paths() {
		if strings.HasSuffix(p, ".html") {
			ps = append(ps, p)
		}
	}
	sort.Strings(ps)
	return ps
}

// urlPath turns an output file path into the URL path that serves it.
func urlPath(p string) string {
	if p == "index.html" {
		return "/"
	}
	if strings.HasSuffix(p, "/index.html") {
		return "/" + strings.TrimSuffix(p, "index.html")
	}
	return "/" + p
}
