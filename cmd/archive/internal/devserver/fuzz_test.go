package devserver

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
)

// FuzzServeHTTP sends the dev server any request line and one header the
// HTTP parser accepts. Run it with
//
//	go test -run '^$' -fuzz '^FuzzServeHTTP$' -fuzztime 10m -parallel 1 ./cmd/archive/internal/devserver
//
// Whatever is asked: no panic; a redirect stays on this server (unless a
// netlify.toml rule names another); and the response headers are those of
// the same request without the header, so no header reaches a policy.
func FuzzServeHTTP(f *testing.F) {
	for _, seed := range [][2]string{
		{"/", "X-Forwarded-Host: evil.example; script-src *"},
		{"/articles/one", "Host: evil.example"},
		{"/old/one?x=1", "X-Forwarded-Proto: https"},
		{"/%5Cevil.example/.", "Forwarded: host=evil"},
		{"/go/%2F%2Fevil.example", "Origin: http://evil"},
		{"/a/x/raw", "Accept: */*"},
		{"/archive/articles/one/", "Cookie: a=b"},
		{"/nope/../../etc/passwd", "Referer: x"},
		{"/_archive/live.js", "X-Original-URL: /admin"},
		{"//evil.example/", "X-Forwarded-Host: a\tb"},
	} {
		f.Add(seed[0], seed[1])
	}
	site := testSite()
	site.files["netlify.toml"] = netlifyTOML + `
[[redirects]]
from = "/go/*"
to = "/:splat"
status = 302

[[redirects]]
from = "/away/*"
to = "https://elsewhere.example/:splat"
status = 301

[[headers]]
for = "/articles/*"
[headers.values]
Content-Security-Policy = "default-src 'none'; style-src 'self'"
`
	servers := map[string]*Server{"/": New(site), "/archive/": New(site, WithBasePath("archive"))}
	for _, s := range servers {
		if err := s.Rebuild(context.Background(), nil); err != nil {
			f.Fatal(err)
		}
	}
	canceled, cancel := context.WithCancel(context.Background())
	cancel() // the event stream ends at once
	f.Fuzz(func(t *testing.T, target, header string) {
		name, value, ok := strings.Cut(header, ":")
		if !ok || strings.ContainsAny(target, " \r\n") {
			return
		}
		plain := readRequest("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:1313\r\n\r\n")
		hostile := readRequest("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:1313\r\n" + name + ":" + value + "\r\n\r\n")
		if plain == nil || hostile == nil {
			return // the HTTP server would have refused it
		}
		for base, s := range servers {
			want := serve(s, plain.WithContext(canceled))
			got := serve(s, hostile.WithContext(canceled))
			if loc := want.Header().Get("Location"); loc != "" && !strings.HasPrefix(loc, "https://elsewhere.example/") {
				if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, "/\\") {
					t.Fatalf("base %s, GET %q: Location %q leaves the server", base, target, loc)
				}
			}
			if hostile.Host == plain.Host && headerLines(got) != headerLines(want) {
				t.Fatalf("base %s, GET %q with %q changed the response headers:\n%s\nwithout it:\n%s",
					base, target, header, headerLines(got), headerLines(want))
			}
		}
	})
}

func readRequest(s string) *http.Request {
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(s)))
	if err != nil {
		return nil
	}
	return r
}

func serve(s *Server, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// headerLines is the response's headers as sorted lines, nonces blanked.
func headerLines(w *httptest.ResponseRecorder) string {
	var lines []string
	for k, vs := range w.Header() {
		for _, v := range vs {
			lines = append(lines, k+": "+nonceRE.ReplaceAllString(v, "nonce"))
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
