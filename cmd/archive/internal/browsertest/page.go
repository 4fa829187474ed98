package browsertest

import (
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/chromedp/chromedp"
)

// ProductionCSP is the Content-Security-Policy that the netlify.toml in
// the folder root sends with every page ("/*").
func ProductionCSP(t testing.TB, root string) string {
	t.Helper()
	var n struct {
		Headers []struct {
			For    string
			Values map[string]string
		}
	}
	if _, err := toml.DecodeFile(filepath.Join(root, "netlify.toml"), &n); err != nil {
		t.Fatal(err)
	}
	for _, h := range n.Headers {
		if h.For == "/*" && h.Values["Content-Security-Policy"] != "" {
			return h.Values["Content-Security-Policy"]
		}
	}
	t.Fatal("netlify.toml sets no Content-Security-Policy for /*")
	return ""
}

// Serve serves site on 127.0.0.1 with the Content-Security-Policy csp (none
// if empty) until the test ends.
func Serve(t testing.TB, site fs.FS, csp string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if csp != "" {
			w.Header().Set("Content-Security-Policy", csp)
		}
		http.FileServerFS(site).ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Console collects what a page reports as going wrong: console errors,
// uncaught exceptions and Content-Security-Policy violations.
type Console struct {
	cancel context.CancelFunc
	done   chan struct{}
	msgs   []string
}

// WatchConsole starts collecting from the page of ctx.
func WatchConsole(ctx context.Context) *Console {
	cctx, cancel := context.WithCancel(ctx)
	c := &Console{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		for msg, err := range chromedp.Console(cctx) {
			if err != nil {
				return
			}
			if msg.Type == chromedp.ConsoleError || msg.Type == chromedp.ConsoleException ||
				strings.Contains(msg.Text, "Content Security Policy") {
				c.msgs = append(c.msgs, msg.Text)
			}
		}
	}()
	return c
}

// Stop stops collecting (after a moment for late messages) and returns
// what was collected.
func (c *Console) Stop() []string {
	time.Sleep(100 * time.Millisecond)
	c.cancel()
	<-c.done
	return c.msgs
}

// Poll evaluates js until it is true, for up to 10 s; an error while the
// page is navigating counts as not yet.
func Poll(ctx context.Context, js string) bool {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		if err == nil && ok {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}
