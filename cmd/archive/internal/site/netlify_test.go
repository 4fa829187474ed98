package site

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// repoRoot is the repository root, seen from this package.
var repoRoot = filepath.Join("..", "..", "..", "..")

type netlifyFile struct {
	Build struct {
		Command     string            `toml:"command"`
		Publish     string            `toml:"publish"`
		Environment map[string]string `toml:"environment"`
	} `toml:"build"`
	Redirects []struct {
		From   string `toml:"from"`
		To     string `toml:"to"`
		Status int    `toml:"status"`
	} `toml:"redirects"`
	Headers []struct {
		For    string            `toml:"for"`
		Values map[string]string `toml:"values"`
	} `toml:"headers"`
}

func readNetlify(t *testing.T) netlifyFile {
	t.Helper()
	var n netlifyFile
	md, err := toml.DecodeFile(filepath.Join(repoRoot, "netlify.toml"), &n)
	if err != nil {
		t.Fatal(err)
	}
	if und := md.Undecoded(); len(und) > 0 {
		t.Errorf("netlify.toml keys this test does not know: %v", und)
	}
	return n
}

func TestNetlifyConfig(t *testing.T) {
	n := readNetlify(t)
	gomod, err := os.ReadFile(filepath.Join(repoRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(gomod)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	if have, want := n.Build.Environment["GO_VERSION"], string(m[1]); have != want {
		t.Errorf("netlify.toml GO_VERSION = %q, go.mod says go %s", have, want)
	}
	if n.Build.Command != `go run ./cmd/archive build --baseURL "$URL"` || n.Build.Publish != "public" {
		t.Errorf("build = %q, publish = %q", n.Build.Command, n.Build.Publish)
	}
	var all, assets map[string]string
	for _, h := range n.Headers {
		switch h.For {
		case "/*":
			all = h.Values
		case "/style.*":
			assets = h.Values
		}
		if strings.Contains(h.Values["Cache-Control"], "immutable") && h.For != "/style.*" {
			t.Errorf("long-lived caching for %s, which is not fingerprinted", h.For)
		}
	}
	for _, k := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
		if all[k] == "" {
			t.Errorf("no %s header for /*", k)
		}
	}
	if assets["Cache-Control"] != "public, max-age=31536000, immutable" {
		t.Errorf("fingerprinted assets are not cached for a year: %q", assets["Cache-Control"])
	}
	csp := all["Content-Security-Policy"]
	for _, bad := range []string{"'unsafe-inline'", "'unsafe-eval'", "*;"} {
		if strings.Contains(csp, bad) {
			t.Errorf("CSP allows %s: %s", bad, csp)
		}
	}
	// The stylesheet the build names must match the immutable rule.
	_, name := stylesheet([]byte("x"))
	if !regexp.MustCompile(`^style\.[0-9a-f]{10}\.css$`).MatchString(name) {
		t.Errorf("stylesheet name %q does not match /style.*", name)
	}
	has404 := false
	for _, r := range n.Redirects {
		has404 = has404 || (r.To == "/404.html" && r.Status == 404)
	}
	if !has404 {
		t.Error("netlify.toml does not serve /404.html for unknown paths")
	}
}
