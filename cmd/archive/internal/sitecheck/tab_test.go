package sitecheck

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// cspRecorder runs in every page before the page's own scripts (DevTools
// injects it, so the page's CSP does not apply to it) and records every
// securitypolicyviolation event.
const cspRecorder = `window.__csp = [];
document.addEventListener("securitypolicyviolation", e => window.__csp.push(
	e.effectiveDirective + " blocked " + (e.blockedURI || "?") + " at " + e.sourceFile + ":" + e.lineNumber +
	(e.sample ? " (" + e.sample + ")" : "")), true);`

// tabLog records what a tab reports while the tests drive it: browser log
// errors and CSP messages, console errors, uncaught exceptions and
// JavaScript dialogs (alert, confirm, prompt), which it dismisses.
type tabLog struct {
	mu      sync.Mutex
	console []string
	dialogs []string
}

// watchTab starts recording ctx's tab (which must have run once, as
// browsertest.New's has).
func watchTab(t *testing.T, ctx context.Context) *tabLog {
	t.Helper()
	l := &tabLog{}
	add := func(list *[]string, s string) {
		l.mu.Lock()
		*list = append(*list, s)
		l.mu.Unlock()
	}
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *page.EventJavascriptDialogOpening:
			add(&l.dialogs, fmt.Sprintf("%s(%q) on %s", ev.Type, ev.Message, ev.URL))
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		case *log.EventEntryAdded:
			e := ev.Entry
			if e.Level == log.EntryLevelError || strings.Contains(e.Text, "Content Security Policy") {
				add(&l.console, fmt.Sprintf("log %s %s: %s (%s:%d)", e.Source, e.Level, e.Text, e.URL, e.LineNumber))
			}
		case *runtime.EventExceptionThrown:
			d := ev.ExceptionDetails
			msg := d.Text
			if d.Exception != nil {
				msg += " " + d.Exception.Description
			}
			add(&l.console, fmt.Sprintf("exception: %s (%s:%d)", msg, d.URL, d.LineNumber))
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError {
				var args []string
				for _, a := range ev.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				add(&l.console, "console.error: "+strings.Join(args, " "))
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument,
		page.AddScriptToEvaluateOnNewDocumentParams{Source: cspRecorder}); err != nil {
		t.Fatal(err)
	}
	return l
}

// take returns and clears what the tab reported so far.
func (l *tabLog) take() (console, dialogs []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	console, dialogs = l.console, l.dialogs
	l.console, l.dialogs = nil, nil
	return console, dialogs
}

// settle waits for the page's late events (a script's fetches, a report
// the browser queues after load) and returns the CSP violations the page
// saw.
func settle(ctx context.Context) ([]string, error) {
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`new Promise(r => setTimeout(() => r(true), 150))`, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, err
	}
	return chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__csp || ["the CSP recorder did not run"]`))
}

// visit loads url in the tab, with a time limit.
func visit(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return chromedp.Do(ctx, chromedp.Navigate(url))
}
