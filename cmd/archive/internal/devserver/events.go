package devserver

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strings"
	"time"
)

// change is what a good build means for open pages.
type change struct {
	All    bool      `json:"all,omitempty"`    // reload every page
	Reload []string  `json:"reload,omitempty"` // URL paths of pages whose bytes changed
	CSS    []cssSwap `json:"css,omitempty"`    // stylesheets to swap in place
}

// cssSwap replaces the stylesheet at URL path From by To (the same path when
// an unfingerprinted stylesheet changed).
type cssSwap struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// message is the data of one event.
type message struct {
	Instance string    `json:"instance"`
	Build    int       `json:"build"`              // good builds so far
	Problems []Problem `json:"problems,omitempty"` // the last build failed
	change
}

// pageAssets are the kinds of files that pages load by a URL that does not
// change with their content.
var pageAssets = map[string]bool{".js": true, ".mjs": true, ".png": true, ".jpg": true, ".jpeg": true,
	".gif": true, ".svg": true, ".webp": true, ".avif": true, ".ico": true, ".woff": true, ".woff2": true}

// maxReload is how many pages an event names before it says "all".
const maxReload = 2000

// eventLocked formats an event; s.mu must be held.
func (s *Server) eventLocked(name string, ch *change) []byte {
	m := message{Instance: s.instance, Build: s.gen, Problems: s.problems}
	if ch != nil {
		m.change = *ch
	}
	data, _ := json.Marshal(m)
	var b bytes.Buffer
	b.WriteString("event: ")
	b.WriteString(name)
	b.WriteString("\ndata: ")
	b.Write(data)
	b.WriteString("\n\n")
	return b.Bytes()
}

func (s *Server) subscribe() (chan []byte, []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := make(chan []byte, 16)
	s.clients[ch] = struct{}{}
	return ch, s.eventLocked("hello", nil)
}

func (s *Server) unsubscribe(ch chan []byte) {
	s.mu.Lock()
	delete(s.clients, ch)
	s.mu.Unlock()
}

// broadcast queues msg for every browser; one that is 16 events behind
// misses this one and catches up through its next reconnect.
func (s *Server) broadcast(msg []byte) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for ch := range s.clients {
		select {
		case ch <- msg:
		default:
		}
	}
}

// Clients is how many browsers are listening for events.
func (s *Server) Clients() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.clients)
}

// serveEvents is the Server-Sent Events stream at /_archive/events.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx and friends: do not buffer
	ch, hello := s.subscribe()
	defer s.unsubscribe(ch)
	io.WriteString(w, "retry: 500\n\n")
	w.Write(hello)
	fl.Flush()
	ping := time.NewTicker(20 * time.Second) // keeps proxies from closing an idle stream
	defer ping.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.quit:
			return
		case m := <-ch:
			if _, err := w.Write(m); err != nil {
				return
			}
			fl.Flush()
		case <-ping.C:
			io.WriteString(w, ": ping\n\n")
			fl.Flush()
		}
	}
}

// urlOf is the URL path at which an output path is served.
func urlOf(p string) string {
	if p == "index.html" {
		return "/"
	}
	if strings.HasSuffix(p, "/index.html") {
		return "/" + strings.TrimSuffix(p, "index.html")
	}
	return "/" + p
}

// fingerprint matches a fingerprinted stylesheet name, e.g. style.3f2a9c01.css.
var fingerprint = regexp.MustCompile(`^(.*)\.[0-9a-fA-F]{6,}\.css$`)

func stem(name string) string {
	if m := fingerprint.FindStringSubmatch(name); m != nil {
		return m[1] + ".css"
	}
	return name
}

func exists(fsys fs.FS, name string) bool {
	if b, ok := fsys.(byteser); ok {
		_, ok := b.Bytes(name)
		return ok
	}
	_, err := fs.Stat(fsys, name)
	return err == nil
}

// byteser is a build output that hands out its files without copying them
// (site.Output does); the server never changes the bytes.
type byteser interface {
	Bytes(name string) ([]byte, bool)
}

// readFile reads a file of a build, without a copy when the build allows.
func readFile(fsys fs.FS, name string) ([]byte, error) {
	if b, ok := fsys.(byteser); ok {
		if data, ok := b.Bytes(name); ok {
			return data, nil
		}
		return nil, &fs.PathError{Op: "read", Path: name, Err: fs.ErrNotExist}
	}
	return fs.ReadFile(fsys, name)
}

// diff works out, from the output paths a build changed, which pages must
// reload and which stylesheets can be swapped without a reload.
func diff(old, cur fs.FS, changed []string) *change {
	if old == nil || changed == nil {
		return &change{All: true}
	}
	var html, other []string
	var added, removed []string
	ch := &change{}
	for _, p := range changed {
		switch {
		case strings.HasSuffix(p, ".html"):
			html = append(html, p)
		case strings.HasSuffix(p, ".css"):
			inOld, inNew := exists(old, p), exists(cur, p)
			switch {
			case inOld && inNew:
				ch.CSS = append(ch.CSS, cssSwap{urlOf(p), urlOf(p)})
			case inNew:
				added = append(added, p)
			case inOld:
				removed = append(removed, p)
			}
		case pageAssets[path.Ext(p)]:
			// A script, image or font may be used by any page.
			return &change{All: true}
		default:
			other = append(other, p)
		}
	}
	// Pair each new fingerprinted stylesheet with the one it replaces.
	var pairs [][2]string
	for _, a := range added {
		from := ""
		for _, r := range removed {
			if path.Dir(r) == path.Dir(a) && stem(path.Base(r)) == stem(path.Base(a)) {
				from = r
				break
			}
		}
		if from == "" {
			continue // a new stylesheet: the pages that use it changed and reload
		}
		ch.CSS = append(ch.CSS, cssSwap{urlOf(from), urlOf(a)})
		pairs = append(pairs, [2]string{path.Base(from), path.Base(a)})
	}
	for _, p := range html {
		if len(pairs) > 0 && onlyRenamed(old, cur, p, pairs) {
			continue
		}
		ch.Reload = append(ch.Reload, urlOf(p))
	}
	for _, p := range other {
		ch.Reload = append(ch.Reload, urlOf(p))
	}
	if len(ch.Reload) > maxReload {
		return &change{All: true}
	}
	return ch
}

// onlyRenamed reports whether page p differs between old and cur only in
// the stylesheet names of pairs.
func onlyRenamed(old, cur fs.FS, p string, pairs [][2]string) bool {
	a, err := readFile(old, p)
	if err != nil {
		return false
	}
	b, err := readFile(cur, p)
	if err != nil {
		return false
	}
	return equalExcept(a, b, pairs)
}

// equalExcept reports whether a, with each pair's first string replaced by
// its second, equals b.
func equalExcept(a, b []byte, pairs [][2]string) bool {
	for {
		i := commonPrefix(a, b)
		if i == len(a) && i == len(b) {
			return true
		}
		matched := false
		for _, p := range pairs {
			from, to := p[0], p[1]
			// a and b agree up to i, so both names must start at one offset j <= i.
			for j := i; j >= 0 && j >= i-max(len(from), len(to)); j-- {
				if bytes.HasPrefix(a[j:], []byte(from)) && bytes.HasPrefix(b[j:], []byte(to)) {
					a, b = a[j+len(from):], b[j+len(to):]
					matched = true
					break
				}
			}
			if matched {
				break
			}
		}
		if !matched {
			return false
		}
	}
}

func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+64 <= n && bytes.Equal(a[i:i+64], b[i:i+64]) {
		i += 64
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
}
