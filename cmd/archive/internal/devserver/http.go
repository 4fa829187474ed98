package devserver

import (
	"bytes"
	_ "embed"
	"fmt"
	"html"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
)

// The server's own URLs live under this prefix, which no site uses.
const (
	eventsPath = "/_archive/events"
	scriptPath = "/_archive/live.js"
)

//go:embed live.js
var liveJS []byte

// ServeHTTP serves the last good build, the live-reload script and events.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case eventsPath:
		s.serveEvents(w, r)
		return
	case scriptPath:
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write(liveJS)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	s.mu.RLock()
	site, rules, gen, problems := s.site, s.rules, s.gen, s.problems
	s.mu.RUnlock()
	if site == nil {
		s.serveNoBuild(w, problems)
		return
	}
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if clean := path.Clean(p); clean != p && clean+"/" != p {
		localRedirect(w, r, clean, "", http.StatusMovedPermanently)
		return
	}
	page := &response{s: s, w: w, r: r, site: site, gen: gen}
	if s.basePath != "/" {
		// The site lives under the base URL's path, as it will in production.
		if p+"/" == s.basePath {
			http.Redirect(w, r, s.basePath, http.StatusMovedPermanently)
			return
		}
		rest, ok := strings.CutPrefix(p, s.basePath)
		if !ok {
			if !page.file("/404.html", http.StatusNotFound) {
				http.NotFound(w, r)
			}
			return
		}
		p = "/" + rest
	}
	rules.setHeaders(w.Header(), p)
	page.nonce = allowLiveReload(w.Header())

	// Netlify's order: forced rules, then files, then the other rules, then 404.
	if rd, to, ok := rules.find(p, true); ok && page.redirect(rd, to) {
		return
	}
	if page.file(p, http.StatusOK) {
		return
	}
	if !strings.HasSuffix(p, "/") && exists(site, strings.TrimPrefix(p, "/")+"/index.html") {
		localRedirect(w, r, r.URL.Path+"/", "", http.StatusMovedPermanently)
		return
	}
	if rd, to, ok := rules.find(p, false); ok && page.redirect(rd, to) {
		return
	}
	if page.file("/404.html", http.StatusNotFound) {
		return
	}
	http.NotFound(w, r)
}

// localRedirect redirects to the path p of this server (with query, if
// any), escaped: a Location is never read as another host ("/\\evil" and
// "//evil" are, by browsers).
func localRedirect(w http.ResponseWriter, r *http.Request, p, query string, code int) {
	to := "/" + strings.TrimLeft((&url.URL{Path: p}).EscapedPath(), "/")
	if query != "" {
		to += "?" + query
	}
	http.Redirect(w, r, to, code)
}

// response serves one request from one build.
type response struct {
	s     *Server
	w     http.ResponseWriter
	r     *http.Request
	site  fs.FS
	gen   int
	nonce string // the Content-Security-Policy nonce of the live-reload script, if any
}

// name is the file in the build that serves URL path p.
func name(p string) string {
	n := strings.TrimPrefix(p, "/")
	if n == "" || strings.HasSuffix(n, "/") {
		n += "index.html"
	}
	return n
}

// file serves the file for URL path p with status, if the build has it.
func (q *response) file(p string, status int) bool {
	n := name(p)
	data, err := readFile(q.site, n)
	if err != nil {
		return false
	}
	ctype := mime.TypeByExtension(path.Ext(n))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	if strings.HasPrefix(ctype, "text/html") {
		data = inject(data, q.s.instance, q.gen, urlOf(n), q.nonce)
	}
	h := q.w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	q.w.WriteHeader(status)
	if q.r.Method != http.MethodHead {
		q.w.Write(data)
	}
	return true
}

// redirect applies one [[redirects]] rule; false when a rewrite has no file.
func (q *response) redirect(rd redirect, to string) bool {
	if rd.status >= 300 && rd.status < 400 {
		query := ""
		if q.r.URL.RawQuery != "" && !strings.Contains(to, "?") {
			query = q.r.URL.RawQuery
		}
		if strings.HasPrefix(to, "/") {
			// A site path (a :splat may carry what the request had).
			p, toQuery, _ := strings.Cut(q.s.basePath+strings.TrimPrefix(to, "/"), "?")
			if toQuery != "" {
				query = toQuery
			}
			localRedirect(q.w, q.r, p, query, rd.status)
			return true
		}
		if query != "" {
			to += "?" + query
		}
		http.Redirect(q.w, q.r, to, rd.status) // an address netlify.toml gives
		return true
	}
	// 200 rewrites, 404 and other statuses serve the target's file.
	if strings.Contains(to, "://") {
		http.Error(q.w, "proxying to "+to+" is not emulated by archive serve", http.StatusBadGateway)
		return true
	}
	if i := strings.IndexAny(to, "?#"); i >= 0 {
		to = to[:i]
	}
	return q.file(to, rd.status)
}

// inject adds the live-reload script to an HTML page as served. page is
// the URL of the file served (which differs from the request's for 404s
// and rewrites); events name changed pages by that URL. nonce, if any, is
// the one the page's Content-Security-Policy allows the script by.
func inject(data []byte, instance string, gen int, page, nonce string) []byte {
	attr := ""
	if nonce != "" {
		attr = ` nonce="` + nonce + `"`
	}
	tag := fmt.Sprintf(`<script src="%s" data-instance="%s" data-build="%d" data-page="%s"%s defer></script>`,
		scriptPath, instance, gen, html.EscapeString(page), attr)
	i := lastIndexFold(data, []byte("</body>"))
	if i < 0 {
		i = lastIndexFold(data, []byte("</html>"))
	}
	if i < 0 {
		i = len(data)
	}
	out := make([]byte, 0, len(data)+len(tag))
	out = append(out, data[:i]...)
	out = append(out, tag...)
	return append(out, data[i:]...)
}

func lastIndexFold(s, sep []byte) int {
	for i := len(s) - len(sep); i >= 0; i-- {
		if bytes.EqualFold(s[i:i+len(sep)], sep) {
			return i
		}
	}
	return -1
}

// serveNoBuild answers every page while no build has succeeded yet.
func (s *Server) serveNoBuild(w http.ResponseWriter, problems []Problem) {
	var b strings.Builder
	b.WriteString("<!doctype html><html><head><meta charset=utf-8><title>Build failed</title></head><body>")
	b.WriteString("<h1>The site has not built yet</h1>")
	for _, p := range problems {
		b.WriteString("<pre>")
		if p.File != "" {
			b.WriteString(html.EscapeString(p.File))
			if p.Line > 0 {
				fmt.Fprintf(&b, ":%d", p.Line)
			}
			b.WriteString(": ")
		}
		b.WriteString(html.EscapeString(p.Message))
		if p.Fix != "" {
			b.WriteString("\nfix: " + html.EscapeString(p.Fix))
		}
		b.WriteString("</pre>")
	}
	b.WriteString("<p>This page reloads when the site builds.</p></body></html>")
	page := inject([]byte(b.String()), s.instance, 0, "", "")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusServiceUnavailable)
	w.Write(page)
}
