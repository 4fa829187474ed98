package hugosites

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/archive-project/archive/cmd/archive/internal/features"
	"github.com/archive-project/archive/cmd/archive/internal/hugoconfig"
	"github.com/archive-project/archive/cmd/archive/internal/linkcheck"
	"github.com/archive-project/archive/cmd/archive/internal/site"
	"github.com/archive-project/archive/cmd/archive/internal/sitefs"
)

// realSites are the sites fetch-sites.sh extracts, with what each tests.
var realSites = []struct {
	name string
	what string
}{
	{"basic", "Hugo's own basic example: built-in shortcodes, _index.md, a headless bundle, taxonomies with series, aliases, paginate"},
	{"letsencrypt", "a non-profit's site: config/_default with languages, contentDir, 122 posts with permalinks and uglyURLs by section, .html content, theme shortcodes"},
	{"ropensci", "a research community's site: hundreds of page bundles with images, permalinks, site and theme shortcodes, pagination.pagerSize, translations by file name"},
	{"jvns", "a personal blog: .markdown files, custom taxonomies, a theme, no shortcodes"},
}

func siteDir(t *testing.T, name string) string {
	t.Helper()
	if os.Getenv("ARCHIVE_REAL_SITES") == "" {
		t.Skip("builds real Hugo sites for minutes: run with ARCHIVE_REAL_SITES=1 (go test -timeout 30m ./cmd/archive/internal/hugosites/)")
	}
	dir := filepath.Join("testdata", "real", name)
	if _, err := os.Stat(filepath.Join(dir, ".commit")); err != nil {
		t.Skipf("%s is not extracted: fetch its mirror with the search tool's fetch verb, then run cmd/archive/internal/hugosites/fetch-sites.sh %s", name, name)
	}
	return dir
}

// build builds a site as `archive build` does (through the symlink-safe
// site folder, written to a folder by BuildTo) and reads what it wrote.
func build(t *testing.T, dir string) (string, published) {
	t.Helper()
	start := time.Now()
	root, err := sitefs.Dir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	pub := filepath.Join(t.TempDir(), "public")
	rep, err := site.BuildTo(context.Background(), root, pub, features.Options()...)
	if err != nil {
		t.Fatalf("archive build of %s failed:\n%v", dir, err)
	}
	t.Logf("archive build: %d pages, %d files in %s; %d warnings", rep.Pages, rep.Files, time.Since(start).Round(time.Millisecond), len(rep.Warnings))
	for _, w := range rep.Warnings[:min(5, len(rep.Warnings))] {
		t.Logf("  warning: %s", w)
	}
	out := published{}
	err = filepath.WalkDir(pub, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(pub, p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return pub, out
}

// published is a built site's files by slash path.
type published map[string][]byte

func (o published) Bytes(p string) ([]byte, bool) { b, ok := o[p]; return b, ok }

func (o published) Paths() []string {
	ps := make([]string, 0, len(o))
	for p := range o {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}

func TestRealSites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds real sites; skipped with -short")
	}
	for _, s := range realSites {
		t.Run(s.name, func(t *testing.T) {
			dir := siteDir(t, s.name)
			t.Logf("%s: %s", s.name, s.what)
			pub, out := build(t, dir)
			hugo, err := exec.LookPath("hugo")
			ref := ""
			if err == nil {
				ref = hugoBuild(t, hugo, dir)
			}
			if lit := shortcodeText(t, out, ref); len(lit) > 0 {
				t.Errorf("%d pages show a shortcode as text, e.g.:\n%s", len(lit), strings.Join(lit[:min(10, len(lit))], "\n"))
			}
			// Links broken in Hugo's own build of the same content are the
			// site's (a typo, a page only a redirect serves): counted, not
			// blamed on the archive.
			theirs := map[string]bool{}
			if ref != "" {
				for _, p := range linkcheck.Check(os.DirFS(ref)) {
					theirs[p.Page+" "+p.Link] = true
				}
			}
			probs := linkcheck.Check(os.DirFS(pub))
			cfg, err := hugoconfig.Load(os.DirFS(dir), "")
			if err != nil {
				t.Fatal(err)
			}
			otherLang := func(p linkcheck.Problem) bool {
				m := noFile.FindStringSubmatch(p.Problem)
				for _, l := range cfg.Languages {
					if m != nil && strings.HasPrefix(m[1], l+"/") {
						return true
					}
				}
				return false
			}
			var mine []string
			own, copied, langs := 0, 0, 0
			for _, p := range probs {
				switch {
				case !rendered(out, p.Page):
					copied++
				case otherLang(p):
					langs++ // the archive builds the default language only
				case theirs[p.Page+" "+p.Link] || sitesOwn(dir, ref, p):
					own++
				default:
					mine = append(mine, p.String())
				}
			}
			t.Logf("links: %d broken as the site wrote them (in Hugo's build too, or to files the site does not have), %d in files copied as they are, %d to pages in the site's other languages (not built)", own, copied, langs)
			if dir := os.Getenv("ARCHIVE_HUGOSITES_REPORT"); dir != "" {
				_ = os.WriteFile(filepath.Join(dir, s.name+"-links.txt"), []byte(strings.Join(mine, "\n")+"\n"), 0o644)
			}
			if len(mine) > 0 {
				t.Errorf("%d local links do not resolve, e.g.:\n%s", len(mine), strings.Join(mine[:min(20, len(mine))], "\n"))
			}
			t.Logf("links: %d broken by the archive", len(mine))
			compareWithHugo(t, dir, pub, ref)
		})
	}
}

// rendered reports whether the archive rendered a page (rather than
// copying it from static/ or a bundle, where links are the site's).
func rendered(out published, p string) bool {
	b, ok := out.Bytes(p)
	return ok && bytes.Contains(b, []byte(`<body class="kind-`))
}

// shortcodeText finds pages whose text (outside <pre>, <code>) holds
// {{< or {{%, but for the pages whose Hugo build (in ref) shows it too:
// {{</* x */>}} is written to show a shortcode as text.
func shortcodeText(t *testing.T, out published, ref string) []string {
	var hits []string
	for _, p := range out.Paths() {
		if !strings.HasSuffix(p, ".html") || !rendered(out, p) {
			continue
		}
		if ref != "" {
			if h, err := os.ReadFile(filepath.Join(ref, filepath.FromSlash(p))); err == nil &&
				(bytes.Contains(h, []byte("{{&lt;")) || bytes.Contains(h, []byte("{{%")) || bytes.Contains(h, []byte("{{<"))) {
				continue
			}
		}
		b, _ := out.Bytes(p)
		z := html.NewTokenizer(bytes.NewReader(b))
		code := 0
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			switch tt {
			case html.StartTagToken, html.EndTagToken:
				name, _ := z.TagName()
				if string(name) == "pre" || string(name) == "code" || string(name) == "script" {
					if tt == html.StartTagToken {
						code++
					} else if code > 0 {
						code--
					}
				}
			case html.TextToken:
				if code > 0 {
					continue
				}
				txt := z.Text()
				if i := bytes.Index(txt, []byte("{{<")); i >= 0 {
					hits = append(hits, p+": "+snippet(txt, i))
				} else if i := bytes.Index(txt, []byte("{{%")); i >= 0 {
					hits = append(hits, p+": "+snippet(txt, i))
				}
			}
		}
	}
	return hits
}

func snippet(b []byte, i int) string {
	return strings.TrimSpace(string(b[max(0, i-20):min(len(b), i+60)]))
}

// pageKinds reads the kind of every HTML page of a published folder from
// the marker its layouts write: Hugo's reference layouts write
// <meta name="kind">, the archive's <body class="kind-…">; an alias is a
// page with a meta refresh.
func pageKinds(t *testing.T, dir string) map[string]string {
	t.Helper()
	kinds := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		kind := ""
		switch {
		case bytes.Contains(b, []byte(`http-equiv="refresh"`)) || bytes.Contains(b, []byte(`kind-alias`)):
			kind = "alias"
		case bytes.Contains(b, []byte(`<meta name="kind" content="`)):
			i := bytes.Index(b, []byte(`<meta name="kind" content="`)) + len(`<meta name="kind" content="`)
			kind = string(b[i : i+bytes.IndexByte(b[i:], '"')])
		case bytes.Contains(b, []byte(`<body class="kind-`)):
			i := bytes.Index(b, []byte(`<body class="kind-`)) + len(`<body class="kind-`)
			kind = string(b[i : i+bytes.IndexAny(b[i:], `" `)])
		}
		kinds[rel] = kind
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return kinds
}

// archiveKind maps the archive's page kinds onto Hugo's.
var archiveKind = map[string]string{"single": "page", "section": "section", "taxonomy": "taxonomy", "term": "term",
	"home": "home", "alias": "alias", "404": "404"}

func compareWithHugo(t *testing.T, dir, pub, ref string) {
	if ref == "" {
		t.Log("no Hugo build: URLs not compared (apt-get install hugo)")
		return
	}
	want, got := pageKinds(t, ref), pageKinds(t, pub)
	// Files of static folders (the site's and its themes'; Hugo's build
	// here has no theme) are copied, not made: not compared.
	for _, base := range append([]string{dir}, themeDirs(dir)...) {
		st := filepath.Join(base, "static")
		_ = filepath.WalkDir(st, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(st, p)
				delete(want, filepath.ToSlash(rel))
				delete(got, filepath.ToSlash(rel))
			}
			return nil
		})
	}
	// The archive builds the default language: leave out Hugo's other
	// languages, published under /<lang>/.
	cfg, err := hugoconfig.Load(os.DirFS(dir), "")
	if err != nil {
		t.Fatal(err)
	}
	other := 0
	for p := range want {
		for _, l := range cfg.Languages {
			if strings.HasPrefix(p, l+"/") {
				delete(want, p)
				other++
				break
			}
		}
	}
	if other > 0 {
		t.Logf("Hugo's pages in the site's %d other languages (%d) are not compared: the archive builds %s", len(cfg.Languages), other, cfg.DefaultContentLanguage)
	}
	byKind := func(m map[string]string, mapKind map[string]string) map[string][]string {
		out := map[string][]string{}
		for p, k := range m {
			if mapKind != nil {
				k = mapKind[k]
			}
			if k != "" {
				out[k] = append(out[k], p)
			}
		}
		return out
	}
	w, g := byKind(want, nil), byKind(got, archiveKind)
	for _, kind := range []string{"page", "section", "taxonomy", "term", "alias"} {
		have := map[string]bool{}
		for _, p := range g[kind] {
			have[p] = true
		}
		for p, k := range got {
			if k != "" {
				have[p] = have[p] || archiveKind[k] != ""
			}
		}
		var missing []string
		for _, p := range w[kind] {
			if _, ok := got[p]; !ok {
				missing = append(missing, p)
			}
		}
		wantSet := map[string]bool{}
		for _, p := range w[kind] {
			wantSet[p] = true
		}
		var extra []string
		for _, p := range g[kind] {
			if !wantSet[p] {
				extra = append(extra, p)
			}
		}
		twice := 0 // pages of Hugo's lists made longer by a term listed twice
		if kind == "taxonomy" {
			n := len(missing)
			missing = hugoDuplicates(t, ref, missing)
			twice = n - len(missing)
		}
		sort.Strings(missing)
		sort.Strings(extra)
		t.Logf("%-8s Hugo %4d, archive %4d, same URL %4d, missing %d (and %d Hugo lengthens by listing a term twice), extra %d", kind, len(w[kind]), len(g[kind]),
			len(w[kind])-len(missing)-twice, len(missing), twice, len(extra))
		if len(missing) > 0 {
			t.Errorf("%d %s URLs that Hugo writes are missing, e.g. %s", len(missing), kind, strings.Join(missing[:min(8, len(missing))], " "))
		}
		if kind != "page" && len(extra) > 0 {
			t.Logf("  %s URLs only the archive writes (its own lists may differ): %s", kind, strings.Join(extra[:min(8, len(extra))], " "))
		}
		if kind == "page" && len(extra) > 0 {
			t.Errorf("%d content pages at URLs Hugo does not use, e.g. %s", len(extra), strings.Join(extra[:min(8, len(extra))], " "))
		}
	}
}

// hugoBuild builds dir with Hugo and minimal layouts that mark each page's
// kind, and returns the published folder ("" when Hugo cannot build it).
func hugoBuild(t *testing.T, hugo, dir string) string {
	t.Helper()
	tmp := t.TempDir()
	layouts := filepath.Join(tmp, "layouts")
	files := map[string]string{
		"_default/single.html": `<meta name="kind" content="{{ .Kind }}">{{ .Content }}`,
		"_default/list.html":   `<meta name="kind" content="{{ .Kind }}">{{ .Content }}{{ range .Paginator.Pages }}<a href="{{ .RelPermalink }}"></a>{{ end }}`,
		"index.html":           `<meta name="kind" content="home">{{ .Content }}{{ range .Paginator.Pages }}<a href="{{ .RelPermalink }}"></a>{{ end }}`,
		"404.html":             `<meta name="kind" content="404">`,
	}
	// Shortcodes: the site's and its themes' as stubs (the real ones need
	// newer Hugos), and the built-ins that fetch from the network.
	stubs := map[string]bool{}
	for _, sub := range []string{"layouts/shortcodes", "layouts/_shortcodes"} {
		for _, base := range append([]string{dir}, themeDirs(dir)...) {
			_ = filepath.WalkDir(filepath.Join(base, sub), func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
					return nil
				}
				rel, _ := filepath.Rel(filepath.Join(base, sub), p)
				b, _ := os.ReadFile(p)
				stubs[filepath.ToSlash(rel)] = stubs[filepath.ToSlash(rel)] || bytes.Contains(b, []byte(".Inner"))
				return nil
			})
		}
	}
	for _, n := range []string{"tweet", "twitter", "twitter_simple", "instagram", "instagram_simple", "x", "x_simple"} {
		stubs[n+".html"] = stubs[n+".html"] || false
	}
	for name, inner := range stubs {
		body := ""
		if inner {
			body = "{{ .Inner }}"
		}
		files["shortcodes/"+name] = body
	}
	for name, body := range files {
		p := filepath.Join(layouts, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	themes := filepath.Join(tmp, "themes")
	if err := os.MkdirAll(filepath.Join(themes, "none"), 0o755); err != nil {
		t.Fatal(err)
	}
	pub := filepath.Join(tmp, "public")
	abs, _ := filepath.Abs(dir)
	cmd := exec.Command(hugo, "--quiet", "--source", abs, "--destination", pub, "--layoutDir", layouts,
		"--themesDir", themes, "--theme", "none", "--cacheDir", filepath.Join(tmp, "cache"))
	cmd.Env = append(os.Environ(), hugoEnv(dir)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Errorf("hugo could not build %s for the comparison: %v\n%s", dir, err, stderr.String())
		return ""
	}
	t.Logf("hugo build (minimal layouts): %s", time.Since(start).Round(time.Millisecond))
	return pub
}

// hugoEnv passes Hugo 0.111 the settings it reads under older names.
func hugoEnv(dir string) []string {
	b, _ := os.ReadFile(filepath.Join(dir, "config.toml"))
	if i := bytes.Index(b, []byte("pagerSize")); i >= 0 {
		var n int
		if _, err := fmt.Sscanf(strings.TrimLeft(string(b[i+len("pagerSize"):]), " ="), "%d", &n); err == nil && n > 0 {
			return []string{fmt.Sprintf("HUGO_PAGINATE=%d", n)}
		}
	}
	return nil
}

func themeDirs(dir string) []string {
	ents, _ := os.ReadDir(filepath.Join(dir, "themes"))
	var out []string
	for _, e := range ents {
		if e.IsDir() {
			out = append(out, filepath.Join(dir, "themes", e.Name()))
		}
	}
	return out
}

// TestHugoReference builds each site with Hugo alone and logs how many
// pages of each kind it writes: the numbers the archive must match.
func TestHugoReference(t *testing.T) {
	if testing.Short() {
		t.Skip("builds real sites with Hugo; skipped with -short")
	}
	hugo, err := exec.LookPath("hugo")
	if err != nil {
		t.Skip("no hugo on PATH (apt-get install hugo)")
	}
	for _, s := range realSites {
		t.Run(s.name, func(t *testing.T) {
			dir := siteDir(t, s.name)
			ref := hugoBuild(t, hugo, dir)
			if ref == "" {
				return
			}
			n := map[string]int{}
			for _, k := range pageKinds(t, ref) {
				n[k]++
			}
			t.Logf("Hugo writes %v", n)
		})
	}
}

var (
	noFile = regexp.MustCompile(`^no such file (.+)$`)
	noID   = regexp.MustCompile(`^no element with id "([^"]*)" in (.+)$`)
)

// sitesOwn reports whether a broken link is the site's own: to a file that
// neither Hugo's build (ref) nor the site's static folders have, or to an
// id that Hugo's build of the page lacks too (the archive's own ids, a
// passage's q-… and a note's, are never the site's).
func sitesOwn(dir, ref string, p linkcheck.Problem) bool {
	if ref == "" {
		return false
	}
	exists := func(f string) bool {
		for _, base := range append([]string{ref, filepath.Join(dir, "static")}, staticOfThemes(dir)...) {
			if _, err := os.Stat(filepath.Join(base, filepath.FromSlash(f))); err == nil {
				return true
			}
		}
		return false
	}
	if m := noFile.FindStringSubmatch(p.Problem); m != nil {
		return !exists(m[1]) && !exists(strings.TrimSuffix(m[1], "index.html"))
	}
	if m := noID.FindStringSubmatch(p.Problem); m != nil {
		id, page := m[1], m[2]
		if strings.HasPrefix(id, "q-") || strings.HasPrefix(id, "note-") || strings.HasPrefix(id, "ref-") || strings.HasPrefix(id, "end-") {
			return false
		}
		b, err := os.ReadFile(filepath.Join(ref, filepath.FromSlash(page)))
		return err != nil || !bytes.Contains(b, []byte(`id="`+id+`"`)) && !bytes.Contains(b, []byte(`id=`+id+`>`)) && !bytes.Contains(b, []byte(`id=`+id+` `))
	}
	return false
}

func staticOfThemes(dir string) []string {
	var out []string
	for _, t := range themeDirs(dir) {
		out = append(out, filepath.Join(t, "static"))
	}
	return out
}

// pagedList matches a list's page after the first: <list>/page/N/index.html.
var pagedList = regexp.MustCompile(`^(.*)/page/[0-9]+/index\.html$`)

// hugoDuplicates leaves out of missing the last pages of taxonomy lists
// that Hugo makes longer by listing a term twice: two spellings whose
// keys differ ("Kelly O'Briant", "kelly-obriant") but whose URL is the
// same, one page that Hugo writes twice and the archive once.
func hugoDuplicates(t *testing.T, ref string, missing []string) []string {
	t.Helper()
	var keep []string
	for _, p := range missing {
		m := pagedList.FindStringSubmatch(p)
		if m == nil {
			keep = append(keep, p)
			continue
		}
		seen, dups := map[string]bool{}, []string{}
		files, _ := filepath.Glob(filepath.Join(ref, filepath.FromSlash(m[1]), "page", "*", "index.html"))
		files = append(files, filepath.Join(ref, filepath.FromSlash(m[1]), "index.html"))
		for _, f := range files {
			b, _ := os.ReadFile(f)
			for _, h := range hrefRE.FindAllSubmatch(b, -1) {
				if seen[string(h[1])] {
					dups = append(dups, string(h[1]))
				}
				seen[string(h[1])] = true
			}
		}
		if len(dups) == 0 {
			keep = append(keep, p)
			continue
		}
		sort.Strings(dups)
		t.Logf("  %s: Hugo's list is longer by %d terms it lists twice (one URL, two spellings): %s", p, len(dups), strings.Join(dups, " "))
	}
	return keep
}

var hrefRE = regexp.MustCompile(`href="([^"]+)"`)
