package devserver

import (
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// hostile are request headers a proxy, a browser extension or an attacker
// may send; none may change any response header but the Date.
var hostile = map[string]string{
	"X-Forwarded-Host":  "evil.example; script-src *",
	"X-Forwarded-Proto": "https",
	"X-Forwarded-For":   "203.0.113.9",
	"Forwarded":         "host=evil.example;proto=https",
	"X-Original-Url":    "/evil",
	"X-Rewrite-Url":     "/evil",
	"Origin":            "http://evil.example",
	"Referer":           "http://evil.example/",
	"Accept":            "text/evil",
	"Accept-Language":   "evil; script-src *",
	"Cookie":            "a=b; script-src *",
	"User-Agent":        "evil; script-src *",
}

var nonceRE = regexp.MustCompile(`nonce-[A-Za-z0-9+/=]+|nonce="[^"]*"`)

// responseHeaders fetches path with the given request headers (and Host)
// and returns its headers as sorted "Name: value" lines, nonces blanked.
func responseHeaders(t *testing.T, url, host string, req map[string]string) string {
	t.Helper()
	r, _ := http.NewRequest("GET", url, nil)
	for k, v := range req {
		r.Header.Set(k, v)
	}
	if host != "" {
		r.Host = host
	}
	resp, err := (&http.Client{CheckRedirect: noRedirect}).Do(r)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	var lines []string
	for k, vs := range resp.Header {
		if k == "Date" {
			continue
		}
		for _, v := range vs {
			lines = append(lines, k+": "+nonceRE.ReplaceAllString(v, "nonce"))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// No request header changes a response header (X-Forwarded-Host reached
// the Content-Security-Policy: "evil.example; script-src *" widened it to
// every script): not on pages, 404s, redirects, the script, or with a
// strict policy.
func TestRequestHeadersDoNotChangeResponseHeaders(t *testing.T) {
	site := testSite()
	site.files["netlify.toml"] = netlifyTOML + `
[[headers]]
for = "/articles/*"
[headers.values]
Content-Security-Policy = "default-src 'none'; style-src 'self'"
`
	_, hs := newServer(t, site)
	for _, p := range []string{"/", "/articles/one/", "/articles/one", "/nope/", "/old/one?x=1", "/forced", "/_archive/live.js"} {
		plain := responseHeaders(t, hs.URL+p, "", nil)
		for name, value := range hostile {
			if got := responseHeaders(t, hs.URL+p, "", map[string]string{name: value}); got != plain {
				t.Errorf("GET %s with %s: %s changed the response headers:\n%s\nwithout it:\n%s", p, name, value, got, plain)
			}
		}
		if got := responseHeaders(t, hs.URL+p, "evil.example", nil); got != plain {
			t.Errorf("GET %s with Host: evil.example changed the response headers:\n%s\nwithout it:\n%s", p, got, plain)
		}
		if strings.Contains(plain, "evil") || strings.Contains(plain, "script-src *") {
			t.Errorf("GET %s: %s", p, plain)
		}
	}
}

// The nonce in the policy is the one on the injected script.
func TestNonceMatchesScript(t *testing.T) {
	site := testSite()
	site.files["netlify.toml"] = "[[headers]]\nfor = \"/*\"\n[headers.values]\nContent-Security-Policy = \"default-src 'none'\"\n"
	_, hs := newServer(t, site)
	resp, err := http.Get(hs.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`'nonce-([^']+)'`).FindStringSubmatch(resp.Header.Get("Content-Security-Policy"))
	if m == nil || !strings.Contains(string(body), `src="/_archive/live.js"`) || !strings.Contains(string(body), `nonce="`+m[1]+`"`) {
		t.Errorf("policy %q, script in %s", resp.Header.Get("Content-Security-Policy"), body)
	}
}

// A redirect never leads to another host, whatever the path asked for:
// browsers read "/\evil" and "//evil" as the host evil.
func TestRedirectsStayLocal(t *testing.T) {
	site := testSite()
	site.files["netlify.toml"] = "[[redirects]]\nfrom = \"/go/*\"\nto = \"/:splat\"\nstatus = 302\n"
	site.files["articles/one/index.html"] = page("One", "")
	_, hs := newServer(t, site)
	for _, p := range []string{"/%5Cevil.example/.", "/%5C%5Cevil.example/..", "/go/%5Cevil.example", "/go//evil.example",
		"/./%2F%2Fevil.example", "/articles/one", "/%09/evil.example/.", "/go/%2F%2Fevil.example"} {
		r, _ := http.NewRequest("GET", hs.URL+p, nil)
		resp, err := (&http.Client{CheckRedirect: noRedirect}).Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc := resp.Header.Get("Location")
		if loc == "" {
			continue
		}
		if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") || strings.ContainsAny(loc, "\\\t") {
			t.Errorf("GET %s: Location %q leaves the site", p, loc)
		}
	}
}
