package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	neturl "net/url"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/devserver"
	"github.com/archive-project/archive/cmd/archive/internal/features"
	"github.com/archive-project/archive/cmd/archive/internal/memlimit"
	"github.com/archive-project/archive/cmd/archive/internal/site"
	"github.com/archive-project/archive/cmd/archive/internal/sitefs"
	"github.com/archive-project/archive/cmd/archive/internal/watch"
)

func init() {
	register("serve", "build, serve, and rebuild and reload on every save", func(e *env) command {
		return &serveCmd{env: e}
	})
}

// serveCmd is `archive serve`: the site built into a private folder and served for
// editors, rebuilt on each save and reloaded in the browser.
type serveCmd struct{ env *env }

// watched are the site paths that feed the build (netlify.toml feeds the
// server's headers and redirects). public/ is never among them.
var watched = []string{"content", "layouts", "seeds", site.ConfigFile, "netlify.toml"}

func (c *serveCmd) Usage() string {
	return `Usage: archive serve [flags]

Builds the site and serves it for editing. Every save under
content/, layouts/, seeds/ or to archive.toml rebuilds what changed and
reloads the browser pages it changed (a stylesheet is swapped in place).
A broken file never stops the server: the last good build stays up with the
error shown on top of the page and in the terminal until the file is fixed.
The site is kept in a private temporary folder, removed when the server
stops; 'archive build' writes public/.

Unknown paths get 404.html with status 404, and the [[headers]] and
[[redirects]] of netlify.toml apply as in production.

The server keeps its memory within 1.25 times the site it holds (at least
768 MiB), and within 1.9 GiB while that is more than 1.05 times it, by
collecting garbage more often; set GOMEMLIMIT to choose.

Flags:
  -s, --source DIR      site root holding archive.toml, content/, layouts/, seeds/ (default ".")
      --bind ADDR       interface to listen on (default "127.0.0.1"; 0.0.0.0 for all)
  -p, --port N          port; if taken, the next 9 are tried (default 1313)
      --watch           rebuild on file changes (default true; --watch=false serves one build)
      --poll DURATION   poll for changes every DURATION instead of using inotify, e.g. 700ms
                        (for Docker bind mounts, WSL, network file systems)
      --baseURL URL     absolute URL in links and feeds (default: the server's own address);
                        a path in it (http://host:1313/archive/) is where the site is served
  -D, --drafts          include articles marked draft: true

Examples:
  archive serve
  archive serve -s ~/archives/interpol -p 8080
  archive serve --bind 0.0.0.0 --baseURL http://192.168.1.20:1313/
  archive serve --poll 700ms        # inside Docker on macOS
`
}

func (c *serveCmd) Run(ctx context.Context, args []string) error {
	fset := newFlagSet("serve", c.Usage)
	var src, bind, baseURL string
	var port int
	var watchOn, drafts bool
	var poll time.Duration
	fset.StringVar(&src, "s", ".", "site root")
	fset.StringVar(&src, "source", ".", "site root")
	fset.StringVar(&bind, "bind", "127.0.0.1", "interface")
	fset.IntVar(&port, "p", 1313, "port")
	fset.IntVar(&port, "port", 1313, "port")
	fset.BoolVar(&watchOn, "watch", true, "watch")
	fset.DurationVar(&poll, "poll", 0, "poll interval")
	fset.StringVar(&baseURL, "baseURL", "", "base URL")
	fset.BoolVar(&drafts, "D", false, "include drafts")
	fset.BoolVar(&drafts, "drafts", false, "include drafts")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	switch {
	case fset.NArg() > 0:
		return usagef("archive serve --help", "unexpected argument %q", fset.Arg(0))
	case port < 0 || port > 65535:
		return usagef("archive serve -p 1313", "port %d is not between 0 and 65535", port)
	case poll < 0:
		return usagef("archive serve --poll 700ms", "--poll %s is negative", poll)
	}
	if fi, err := os.Stat(src); err != nil || !fi.IsDir() {
		return usagef("archive serve -s path/to/site", "source %q is not a folder", src)
	}

	ln, err := devserver.Listen(bind, port, 10, c.env.stderr)
	if err != nil {
		return err
	}
	url := devserver.URL(ln)
	basePath := "/"
	if baseURL == "" {
		baseURL = url
	} else if u, err := neturl.Parse(baseURL); err == nil {
		if p := strings.Trim(u.Path, "/"); p != "" {
			basePath = "/" + p + "/" // serve where the links point, e.g. /archive/
			url += p + "/"
		}
	}
	fsys, err := sitefs.Dir(src)
	if err != nil {
		ln.Close()
		return err
	}
	defer fsys.Close()
	// The built site lives in a private folder, not in memory: an
	// archive of 100,000 articles renders to gigabytes. Folders left by
	// servers that were killed are removed first.
	site.CleanStores(os.TempDir(), storePrefix)
	store, err := os.MkdirTemp("", storePrefix)
	if err != nil {
		ln.Close()
		return fmt.Errorf("serve: %w", err)
	}
	defer site.RemoveStore(store) // its pid file last: see site.CleanStores
	builder := site.NewBuilder(fsys, append([]site.Option{site.WithBaseURL(baseURL), site.WithDrafts(drafts), site.WithStore(store)},
		features.LiveOptions()...)...)
	srv := devserver.New(siteBuilder{builder}, devserver.WithLog(c.env.stderr), devserver.WithSource(fsys),
		devserver.WithBasePath(basePath))

	// Watch before the first build, so that a save during it is not lost.
	var w *watch.Watcher
	if watchOn || poll > 0 {
		w, err = watch.New(src, watched, watch.WithPoll(poll))
		if err != nil {
			ln.Close()
			return err
		}
		defer w.Close()
	}
	// The memory limit follows the heap the server holds, during builds
	// as well as between them: set once before the first build, it stayed
	// at its floor (768 MB) while 100,000 articles held 1.3 GB, and the
	// collector ran back to back (518 CPU-s and counting, against 234 for
	// `archive build`). Its multiple is archive build's (1.25, not the
	// default 1.6): RSS is what an archive's server costs its machine, and
	// at 100,000 articles it was 1.37x the heap in use between edits
	// (3.55 GB RSS): the collector's extra work falls on the builds, not
	// on the edits, whose narrow builds allocate little.
	mem := memlimit.New(c.env.getenv).WithFactor(servedHeapFactor).WithCap(servedCap, servedLeast)
	defer mem.Follow(250 * time.Millisecond)()
	_ = srv.Rebuild(ctx, nil) // a failed first build is shown in the browser
	mem.Adjust()
	how := "not watching for changes"
	if w != nil {
		how = "watching content/, layouts/, seeds/, archive.toml"
		if poll > 0 {
			how += " (polling every " + poll.String() + ")"
		}
	}
	fmt.Fprintf(c.env.stdout, "Serving %s at %s\n%s; press Ctrl-C to stop\n", src, url, how)

	var wg sync.WaitGroup
	stop := make(chan struct{})
	if w != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rebuildOnChange(ctx, stop, w, srv, builder, mem, c.env)
		}()
	}
	err = srv.Serve(ctx, ln)
	close(stop)
	wg.Wait()
	builder.Wait() // a stopped follow-up's search for passages
	if err == nil {
		fmt.Fprintln(c.env.stdout, "stopped")
	}
	return err
}

// rebuildOnChange rebuilds once per batch of changes until stop. A build
// that put work off (site.Builder.Pending: passages carried over to an
// edited text) is followed at once by one that finishes it, unless more
// changes are already waiting, which then go first; changes that arrive
// while it runs stop it, so that an editor who saves again is answered
// at once, and it runs again after them. After each build the memory
// limit follows the heap the server now holds (package memlimit).
func rebuildOnChange(ctx context.Context, stop <-chan struct{}, w *watch.Watcher, srv *devserver.Server, b *site.Builder,
	mem *memlimit.Tuner, e *env) {
	// failed: the last build failed, and a follow-up would fail the same
	// way (it ran in a loop, logging and broadcasting each failure, until
	// the file was fixed): the next build waits for a change.
	//
	// stale: the last build was dropped because a file was saved while it
	// read it again (devserver.ErrStale). That is no failure: the save's
	// batch is due from the watcher. A follow-up before it would be dropped
	// the same way, over and over, so it waits for that batch, or for
	// staleWait if the watcher missed the save.
	failed, stale := false, false
	var release releaser
	defer release.wait()
	rebuild := func(batch []string) {
		err := srv.Rebuild(ctx, batch) // errors are logged and shown by the server
		stale = errors.Is(err, devserver.ErrStale)
		failed = err != nil && !stale
	}
	for {
		mem.Adjust()
		select {
		case <-stop:
			return
		case <-ctx.Done():
			return
		default:
		}
		if b.Pending() && !failed && !stale {
			select {
			case batch := <-w.Batches():
				rebuild(batch)
			default:
				batch, ok, err := followUp(ctx, stop, w, srv)
				stale = errors.Is(err, devserver.ErrStale)
				failed = err != nil && !stale && ctx.Err() == nil
				if ok {
					rebuild(batch)
				}
			}
			continue
		}
		// Nothing to do until the next save; or, after a stale build, until
		// that save's batch (retry fires if the watcher missed it).
		var retry <-chan time.Time
		if b.Pending() && !failed {
			retry = time.After(staleWait)
		} else {
			release.idle()
		}
		select {
		case <-stop:
			return
		case <-ctx.Done():
			return
		case batch := <-w.Batches():
			rebuild(batch)
		case err := <-w.Errors():
			fmt.Fprintf(e.stderr, "watch: %v\n", strings.TrimSpace(err.Error()))
		case <-retry:
			stale = false
		}
	}
}

// followUp runs the build that finishes what the last one put off, and
// stops it when a batch of changes arrives, which it returns (ok) for the
// caller to build first. err is the follow-up build's own error.
func followUp(ctx context.Context, stop <-chan struct{}, w *watch.Watcher, srv *devserver.Server) ([]string, bool, error) {
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- srv.Rebuild(fctx, []string{}) // no changes: the layers finish their work
	}()
	select {
	case err := <-done:
		return nil, false, err
	case batch := <-w.Batches():
		cancel()
		<-done
		return batch, true, nil
	case <-stop:
	case <-ctx.Done():
	}
	cancel()
	<-done
	return nil, false, nil
}

// releaser gives the system back the memory that a big build (the first,
// a follow-up's analysis) used and freed, once the server is idle. The Go
// runtime keeps freed pages for the next allocations and returns them
// slowly: at 10,000 articles a server that held 83 MB of live heap between
// edits kept 306 MB resident after a follow-up (209 MB free but not
// returned); 140 MB with this. An editor's machine pays for the resident
// set, and a narrow build needs little of it. The collection FreeOSMemory
// forces runs beside the next edit's build, not before it.
type releaser struct {
	wg   sync.WaitGroup // the release running, if any
	busy atomic.Bool
	base atomic.Uint64 // held just after the last release: about the live heap
}

// releaseMin is the least growth of the memory held since the last release
// worth a forced collection; half of what was held then is the other
// bound, so that the garbage of narrow builds, which the memory limit
// (servedHeapFactor) bounds, does not collect the whole heap after every
// edit. (The live heap of the last collection is no measure: it may have
// run in the middle of the big build.)
const releaseMin = 64 << 20

func (r *releaser) idle() {
	base := r.base.Load()
	if heldMemory() < base+max(releaseMin, base/2) || !r.busy.CompareAndSwap(false, true) {
		return
	}
	r.wg.Go(func() {
		defer r.busy.Store(false)
		debug.FreeOSMemory()
		r.base.Store(heldMemory())
	})
}

// wait returns when the release running, if any, has.
func (r *releaser) wait() { r.wg.Wait() }

// heldMemory is what the runtime has from the system and keeps: the heap's
// objects, live or garbage, its free pages, stacks and the runtime's own.
func heldMemory() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64() - s[1].Value.Uint64()
}

// staleWait is how long a follow-up waits, after a build dropped as stale,
// for the watcher's batch with the save that made it stale.
const staleWait = 2 * time.Second

// servedHeapFactor is the memory limit of archive serve as a multiple of
// its live heap (package memlimit).
const servedHeapFactor = 1.25

// servedCap is the memory limit archive serve keeps to as long as
// servedLeast × its live heap allows (memlimit.WithCap): issue 12's
// 2 GB for a server of 100,000 articles, less what the runtime's limit
// does not cover (the program's text, memory outside Go's heap). Its
// follow-up builds find every passage again beside the site the server
// holds, and peaked at 2.6 GB with the factor alone.
const (
	servedCap   = 1900 << 20
	servedLeast = 1.05
)

// storePrefix names the folders under the system's temporary folder where
// servers keep the site they serve.
const storePrefix = "archive-serve-"

// siteBuilder lets the dev server use a site.Builder.
type siteBuilder struct{ b *site.Builder }

func (s siteBuilder) Build(ctx context.Context, changed []string) (fs.FS, *devserver.Report, error) {
	out, rep, err := s.b.Build(ctx, changed)
	if site.Stale(err) {
		// A file was saved while the build read it again: the save's
		// own batch from the watcher builds next (rebuildOnChange).
		return nil, nil, fmt.Errorf("%w: %w", devserver.ErrStale, err)
	}
	if err != nil {
		return nil, nil, err
	}
	changed = rep.Changed
	if changed == nil {
		changed = []string{} // site reports exactly: nil here means nothing changed
	}
	return out, &devserver.Report{Changed: changed, Rendered: rep.Rendered, Reused: rep.Reused,
		Duration: rep.Duration}, nil
}
