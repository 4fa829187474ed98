// Package devserver serves a site being edited: the last good build from
// memory, live reload over Server-Sent Events, an error overlay, and the
// headers and redirects of the site's netlify.toml.
//
// # Builds
//
// The Server asks a Builder for a build on Rebuild (the caller passes the
// changed source paths, e.g. from package watch). A good build is swapped in
// atomically and only then are browsers told about it, so a reload never
// fetches a half-built site. A failed build changes nothing that is served:
// the last good build stays, every open page shows an overlay with the file,
// line and message of each problem, and the same text goes to the log. The
// overlay clears by itself after the next good build. If the very first
// build fails, every URL answers with a page that shows the error and
// reloads once the site builds.
//
// # Live reload
//
// Every HTML response (never the build output itself) gets one script tag,
// /_archive/live.js, before </body>. The script opens an EventSource on
// /_archive/events and, after each good build:
//
//   - reloads the page, keeping the scroll position, only if the build
//     changed this page's bytes (the Report's Changed list);
//   - swaps stylesheets in place when a build changed only CSS: a page whose
//     only change is the fingerprinted stylesheet URL is not reloaded;
//   - reconnects after the server restarts and reloads if the server it
//     finds is a new process or has built while it was away.
//
// # Production behaviour
//
// Unknown paths get 404.html with status 404. /a/b answers with a redirect
// to /a/b/ when a/b/index.html exists. The [[redirects]] and [[headers]] of
// netlify.toml (from the build output, else from the site source) apply as
// on Netlify: forced redirects before files, others only where no file
// exists; status 200 rewrites and 404 serves a custom page; :name and *
// (:splat) placeholders; every matching [[headers]] rule adds its values,
// and Cache-Control defaults to Netlify's "public, max-age=0,
// must-revalidate". Query and country conditions are not emulated. A
// Content-Security-Policy is widened just enough for live reload, so that a
// strict policy cannot silently switch it off: script-src by a fresh nonce
// that only the injected script carries, connect-src by 'self' for its
// event stream (see allowLiveReload).
//
// No request header changes a response header: neither Host nor the
// X-Forwarded-* of a proxy reach the policy, and a redirect's Location is
// an escaped path of this server, never read as another host.
package devserver

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Report says what one build did; it mirrors site.Report.
type Report struct {
	Changed  []string // output paths whose bytes changed (added, changed or removed); nil = unknown, assume all
	Rendered int      // pages rendered
	Reused   int      // pages reused from the last build
	Duration time.Duration
}

// Builder builds the site; changed are the source paths changed since the
// last call (nil: everything).
type Builder interface {
	Build(ctx context.Context, changed []string) (fs.FS, *Report, error)
}

// ErrStale marks a build error that says the build is out of date, not that
// the site is broken: a source file changed while it ran (a save during a
// long build). A Builder wraps it in such an error (errors.Is). Rebuild
// then keeps the last good build and the problems shown as they are, tells
// no browser, and logs one line; the change's own Rebuild comes next.
var ErrStale = errors.New("a source file changed during the build")

// BuilderFunc adapts a function to Builder.
type BuilderFunc func(ctx context.Context, changed []string) (fs.FS, *Report, error)

// Build calls f.
func (f BuilderFunc) Build(ctx context.Context, changed []string) (fs.FS, *Report, error) {
	return f(ctx, changed)
}

// Option changes a Server's defaults.
type Option func(*Server)

// WithLog sends the one line per rebuild, and errors, to w (default: discard).
func WithLog(w io.Writer) Option { return func(s *Server) { s.log = w } }

// WithSource gives the site source, where netlify.toml is looked for when
// the build output has none.
func WithSource(fsys fs.FS) Option { return func(s *Server) { s.source = fsys } }

// WithBasePath serves the site under a path, e.g. "/archive/" for a base
// URL of https://example.org/archive/ (default "/").
func WithBasePath(p string) Option {
	return func(s *Server) {
		s.basePath = "/"
		if p := strings.Trim(path.Clean("/"+p), "/"); p != "" {
			s.basePath = "/" + p + "/"
		}
	}
}

// Server is an http.Handler that serves the current build.
type Server struct {
	b        Builder
	log      io.Writer
	source   fs.FS
	basePath string // "/" or "/x/": where the site is mounted
	instance string // tells a restarted server from the one a page came from

	buildMu sync.Mutex // one build at a time, events in build order

	mu       sync.RWMutex
	site     fs.FS // last good build; nil before the first
	rules    *netlify
	gen      int       // good builds so far
	problems []Problem // of the last build; nil when it was good
	clients  map[chan []byte]struct{}

	quit     chan struct{} // closed on shutdown: ends event streams
	quitOnce sync.Once
}

// New returns a Server that builds with b. Call Rebuild(ctx, nil) for the
// first build.
func New(b Builder, opts ...Option) *Server {
	var id [6]byte
	_, _ = rand.Read(id[:])
	s := &Server{b: b, log: io.Discard, basePath: "/", instance: hex.EncodeToString(id[:]),
		clients: map[chan []byte]struct{}{}, quit: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Rebuild builds the site with the changed source paths, swaps a good build
// in, then tells every browser. It returns the build error, if any, after
// logging it and showing it in the browsers (a stale build's, ErrStale, is
// only logged).
func (s *Server) Rebuild(ctx context.Context, changed []string) error {
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	start := time.Now()
	out, rep, err := s.b.Build(ctx, changed)
	var rules *netlify
	if err == nil {
		rules, err = loadNetlify(out, s.source)
	}
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		if errors.Is(err, ErrStale) {
			fmt.Fprintf(s.log, "%s build dropped after %s (%s): a file changed while it ran; its own build follows\n",
				time.Now().Format("15:04:05"), round(time.Since(start)), describe(changed))
			return err
		}
		problems := Problems(err)
		s.mu.Lock()
		s.problems = problems
		msg := s.eventLocked("build", nil)
		s.mu.Unlock()
		// The terminal first: whoever sees the overlay may look there.
		fmt.Fprintf(s.log, "%s build failed after %s (%s):\n%v\n", time.Now().Format("15:04:05"),
			round(time.Since(start)), describe(changed), err)
		s.broadcast(msg)
		return err
	}
	if rep == nil {
		rep = &Report{}
	}
	s.mu.Lock()
	old := s.site
	s.site, s.rules, s.problems = out, rules, nil
	s.gen++
	s.mu.Unlock()

	// The new build is in place: only now may browsers reload.
	ch := diff(old, out, rep.Changed)
	for i := range ch.CSS { // stylesheet URLs as the pages link them
		ch.CSS[i].From = s.basePath + strings.TrimPrefix(ch.CSS[i].From, "/")
		ch.CSS[i].To = s.basePath + strings.TrimPrefix(ch.CSS[i].To, "/")
	}
	s.mu.RLock()
	msg := s.eventLocked("build", ch)
	s.mu.RUnlock()
	fmt.Fprintf(s.log, "%s rebuilt in %s: %s; %d pages rendered, %d reused; %d output files changed\n",
		time.Now().Format("15:04:05"), round(time.Since(start)), describe(changed),
		rep.Rendered, rep.Reused, len(rep.Changed))
	s.broadcast(msg)
	return nil
}

func round(d time.Duration) time.Duration {
	if d > 10*time.Millisecond {
		return d.Round(time.Millisecond)
	}
	return d.Round(10 * time.Microsecond)
}

// describe names what changed for the log line.
func describe(changed []string) string {
	switch len(changed) {
	case 0:
		if changed == nil {
			return "full build"
		}
		return "nothing changed"
	case 1:
		return changed[0] + " changed"
	default:
		return fmt.Sprintf("%s and %d more changed", changed[0], len(changed)-1)
	}
}

// Listen listens on bind:port, trying the next ports when one is taken
// (tries in all); it says on w which ports were taken.
func Listen(bind string, port, tries int, w io.Writer) (net.Listener, error) {
	if tries < 1 || port == 0 {
		tries = 1
	}
	var err error
	for i := range tries {
		addr := net.JoinHostPort(bind, strconv.Itoa(port+i))
		var ln net.Listener
		ln, err = net.Listen("tcp", addr)
		if err == nil {
			return ln, nil
		}
		if !addrInUse(err) {
			return nil, err
		}
		if i+1 < tries {
			fmt.Fprintf(w, "port %d is in use, trying %d\n", port+i, port+i+1)
		}
	}
	return nil, fmt.Errorf("ports %d to %d are all in use (%w); pick a free one with --port", port, port+tries-1, err)
}

// addrInUse reports whether listening failed because the port is taken.
func addrInUse(err error) bool {
	const wsaeaddrinuse = 10048 // Windows reports its own errno
	var errno syscall.Errno
	return errors.Is(err, syscall.EADDRINUSE) || errors.As(err, &errno) && errno == wsaeaddrinuse
}

// URL is the address to print for a listener.
func URL(ln net.Listener) string {
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return "http://" + host + ":" + port + "/"
}

// Serve serves on ln until ctx is done, then shuts down: event streams end,
// open requests get a few seconds to finish.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		s.Close()
		return err
	case <-ctx.Done():
	}
	s.Close()
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := hs.Shutdown(sctx)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

// Close ends all event streams (Serve calls it on shutdown).
func (s *Server) Close() { s.quitOnce.Do(func() { close(s.quit) }) }
