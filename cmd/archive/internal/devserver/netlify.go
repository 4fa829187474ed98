package devserver

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// netlify holds the rules of a netlify.toml that a browser can observe.
type netlify struct {
	redirects []redirect
	headers   []headerRule
}

type redirect struct {
	from   *pattern
	to     string
	status int
	force  bool
}

type headerRule struct {
	path   *pattern
	values [][2]string // name, value; in name order
}

// pattern is a Netlify path: :name matches one segment, * the rest.
type pattern struct {
	re    *regexp.Regexp
	names []string // placeholder names by capture group ("splat" for *)
}

// loadNetlify reads netlify.toml from the first of the file systems that
// has one; none is no rules.
func loadNetlify(fsyss ...fs.FS) (*netlify, error) {
	for _, fsys := range fsyss {
		if fsys == nil {
			continue
		}
		src, err := fs.ReadFile(fsys, "netlify.toml")
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("netlify.toml: %w", err)
		}
		return parseNetlify(src)
	}
	return &netlify{}, nil
}

func parseNetlify(src []byte) (*netlify, error) {
	var file struct {
		Redirects []struct {
			From   string `toml:"from"`
			To     string `toml:"to"`
			Status int    `toml:"status"`
			Force  bool   `toml:"force"`
		} `toml:"redirects"`
		Headers []struct {
			For    string            `toml:"for"`
			Values map[string]string `toml:"values"`
		} `toml:"headers"`
	}
	if _, err := toml.Decode(string(src), &file); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, article.Errorf("netlify.toml", pe.Position.Line, "fix the TOML syntax on that line",
				"%s", pe.Message)
		}
		return nil, &article.Error{File: "netlify.toml", Err: err,
			Fix: "[[redirects]] take from, to, status, force; [[headers]] take for and [headers.values]"}
	}
	n := &netlify{}
	for i, r := range file.Redirects {
		if !strings.HasPrefix(r.From, "/") || r.To == "" {
			return nil, article.Errorf("netlify.toml", 0, `write from = "/old/path" and to = "/new/path"`,
				"redirect %d needs a from that starts with / and a to", i+1)
		}
		if r.Status == 0 {
			r.Status = http.StatusMovedPermanently
		}
		n.redirects = append(n.redirects, redirect{from: compilePattern(r.From), to: r.To, status: r.Status, force: r.Force})
	}
	for i, h := range file.Headers {
		if !strings.HasPrefix(h.For, "/") {
			return nil, article.Errorf("netlify.toml", 0, `write for = "/*" (a path that starts with /)`,
				"headers rule %d needs a for path", i+1)
		}
		rule := headerRule{path: compilePattern(h.For)}
		for name, v := range h.Values {
			rule.values = append(rule.values, [2]string{name, joinLines(v)})
		}
		sort.Slice(rule.values, func(a, b int) bool { return rule.values[a][0] < rule.values[b][0] })
		n.headers = append(n.headers, rule)
	}
	return n, nil
}

// joinLines turns a multi-line TOML value into one header value, as Netlify does.
func joinLines(v string) string {
	var parts []string
	for _, l := range strings.Split(v, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, ", ")
}

var placeholder = regexp.MustCompile(`^:[A-Za-z_][A-Za-z0-9_]*`)

// compilePattern turns a Netlify path into a regexp. A trailing slash is
// optional on both sides, and /x/* also matches /x.
func compilePattern(p string) *pattern {
	pt := &pattern{}
	var b strings.Builder
	b.WriteString("^")
	if p != "/" {
		p = strings.TrimSuffix(p, "/")
	}
	for i := 0; i < len(p); {
		switch {
		case strings.HasSuffix(p, "/*") && i == len(p)-2:
			b.WriteString("(?:/(.*))?")
			pt.names = append(pt.names, "splat")
			i += 2
		case p[i] == '*':
			b.WriteString("(.*)")
			pt.names = append(pt.names, "splat")
			i++
		case p[i] == ':' && (i == 0 || p[i-1] == '/') && placeholder.MatchString(p[i:]):
			name := placeholder.FindString(p[i:])
			b.WriteString("([^/]+)")
			pt.names = append(pt.names, name[1:])
			i += len(name)
		default:
			b.WriteString(regexp.QuoteMeta(p[i : i+1]))
			i++
		}
	}
	if p != "/" {
		b.WriteString("/?")
	}
	b.WriteString("$")
	pt.re = regexp.MustCompile(b.String())
	return pt
}

// match returns the placeholder values when urlPath matches.
func (pt *pattern) match(urlPath string) (map[string]string, bool) {
	m := pt.re.FindStringSubmatch(urlPath)
	if m == nil {
		return nil, false
	}
	vals := map[string]string{}
	for i, name := range pt.names {
		vals[name] = m[i+1]
	}
	return vals, true
}

// find returns the first redirect for urlPath with the given force, and its
// target with placeholders filled in.
func (n *netlify) find(urlPath string, force bool) (redirect, string, bool) {
	if n == nil {
		return redirect{}, "", false
	}
	for _, r := range n.redirects {
		if r.force != force {
			continue
		}
		vals, ok := r.from.match(urlPath)
		if !ok {
			continue
		}
		to := r.to
		names := make([]string, 0, len(vals))
		for k := range vals {
			names = append(names, k)
		}
		sort.Slice(names, func(a, b int) bool { return len(names[a]) > len(names[b]) })
		for _, k := range names {
			to = strings.ReplaceAll(to, ":"+k, vals[k])
		}
		return r, to, true
	}
	return redirect{}, "", false
}

// setHeaders applies every [[headers]] rule that matches urlPath.
func (n *netlify) setHeaders(h http.Header, urlPath string) {
	h.Set("Cache-Control", "public, max-age=0, must-revalidate") // Netlify's default
	if n == nil {
		return
	}
	for _, rule := range n.headers {
		if _, ok := rule.path.match(urlPath); ok {
			for _, kv := range rule.values {
				h.Set(kv[0], kv[1])
			}
		}
	}
}

// allowLiveReload widens a Content-Security-Policy just enough for the
// live-reload script and its event stream, so that a strict policy does not
// silently turn live reload off, and returns the nonce the script must
// carry ("" when none is needed). Nothing in the request is used: no
// header can change the policy.
//
//   - script-src (or default-src, which it falls back to) gets a fresh
//     'nonce-…' for the one script, unless it already allows same-origin
//     scripts; where it relies on 'unsafe-inline' (which a nonce would
//     switch off), it gets 'self' instead;
//   - connect-src (or default-src) gets 'self' for the event stream,
//     unless it already allows same-origin connections.
func allowLiveReload(h http.Header) (nonce string) {
	csp := h.Get("Content-Security-Policy")
	if csp == "" {
		return ""
	}
	directives := map[string]int{}
	parts := strings.Split(csp, ";")
	for i, d := range parts {
		if f := strings.Fields(d); len(f) > 0 {
			directives[strings.ToLower(f[0])] = i
		}
	}
	for _, name := range []string{"script-src", "connect-src"} {
		i, ok := directives[name]
		if !ok {
			d, ok := directives["default-src"]
			if !ok {
				continue // not restricted
			}
			// The directive falls back to default-src: copy it, then widen.
			parts = append(parts, name+" "+strings.Join(strings.Fields(parts[d])[1:], " "))
			i = len(parts) - 1
		}
		src := cspSource(parts[i], name == "script-src")
		if src == "" {
			continue
		}
		if strings.HasPrefix(src, "'nonce-") {
			nonce = strings.TrimSuffix(strings.TrimPrefix(src, "'nonce-"), "'")
		}
		parts[i] = withSource(parts[i], src)
	}
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	h.Set("Content-Security-Policy", strings.Join(parts, "; "))
	return nonce
}

// cspSource is the source to add to directive so that it allows the live
// reload (script: a nonce where it can), or "" when it already does.
func cspSource(directive string, script bool) string {
	f := strings.Fields(strings.ToLower(directive))[1:]
	has := func(s string) bool { return slices.Contains(f, s) }
	nonceOrHash := slices.ContainsFunc(f, func(s string) bool {
		return strings.HasPrefix(s, "'nonce-") || strings.HasPrefix(s, "'sha")
	})
	if script && has("'strict-dynamic'") {
		return newNonce() // it ignores 'self' and hosts
	}
	if has("'self'") || has("*") {
		return ""
	}
	if script && (!has("'unsafe-inline'") || nonceOrHash) {
		return newNonce()
	}
	return "'self'"
}

// newNonce is a fresh CSP nonce source: 128 random bits.
func newNonce() string {
	var b [16]byte
	rand.Read(b[:])
	return "'nonce-" + base64.StdEncoding.EncodeToString(b[:]) + "'"
}

// withSource adds src to one directive ('none' cannot stand beside it).
func withSource(directive, src string) string {
	var f []string
	for _, w := range strings.Fields(directive) {
		if w != "'none'" {
			f = append(f, w)
		}
	}
	return strings.Join(append(f, src), " ")
}
