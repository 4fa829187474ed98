// Package watch reports changes to a site's source files in batches, one
// batch per rebuild.
//
// A Watcher is given a site root and the paths under it that feed the build
// (content/, layouts/, seeds/, archive.toml). It watches directories, not
// files: every directory under a watched path gets an fsnotify watch, the root
// itself is watched too (so that a config saved by rename, or a content/
// folder created after start, is seen), and folders created, moved in or
// renamed later are walked, watched, and their files reported as changed.
// Nothing outside the given paths is ever watched, so public/ is never seen.
//
// # Editor noise
//
// Events are filtered before they are batched:
//
//   - Chmod-only events are dropped (touch, chmod, a backup tool), unless
//     the file became readable or unreadable to this process (chmod 000,
//     then chmod 644): the build reads it differently then. A folder that
//     became readable again has its files reported as changed.
//   - Editor temporary names are dropped: vim's 4913 probe (any all-digit
//     name) and *.swp/*.swx swap files, backup files ending in ~, .bak or
//     .bck (Helix), Emacs lock files .#name and autosaves #name#, GNOME's
//     .goutputstream-*, JetBrains' *___jb_tmp___ and *___jb_old___, and
//     .DS_Store. Hidden names (.git/, .x.md.tmp) are ignored too.
//   - Every path in a batch is stat'ed again when the batch closes: a path
//     that does not exist and was never a known file is a temporary file
//     that came and went (an atomic write-then-rename save) and is dropped;
//     a known file that is gone is reported as changed (deleted).
//
// # Batches
//
// Events are coalesced by path. The first event opens a window that closes
// after a quiet period (default 10 ms) without further events, and at the
// latest after a maximum latency (default 1 s), so that a `git checkout` of
// hundreds of files is one batch and an atomic save is one path. Editors
// finish a save within a millisecond, so the quiet period is short: it is
// most of the edit-to-reload latency. When a batch would report a known
// file as gone, it stays open up to 100 ms longer, since an editor that
// renames the old file away (vim's backup, JetBrains' ___jb_old___) writes
// the new one right after; a deletion costs a little more latency, a save
// never shows a missing page. While the
// receiver is busy (rebuilding), new batches are merged into the one waiting
// to be received, so a slow rebuild never queues a backlog.
//
// Paths are slash paths relative to the root, sorted, e.g. "content/x.md".
//
// # Folders that cannot be watched
//
// A folder whose watch cannot be added (permission denied while `cp -a`
// copies it in; the system's limit on watches) is reported once on Errors
// and tried again: at once when an event names it (its permissions
// changed), else after 250 ms, doubling up to 5 s, until it is watched or
// gone. Once watched, its files are reported as changed.
//
// # Polling
//
// WithPoll replaces fsnotify by a stat walk every interval that compares
// modification time, size, inode and whether this process can read it;
// use it on file systems where inotify sees nothing (Docker bind mounts on
// macOS, WSL, network shares). The
// batches are the same; a batch closes at the first scan that finds nothing
// new. Polling cannot see a rewrite that keeps size and inode within the
// file system's timestamp granularity (a few milliseconds on Linux).
package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Option changes a Watcher's defaults.
type Option func(*options)

type options struct {
	quiet, max time.Duration
	grace      time.Duration // extra wait when a known file seems gone
	poll       time.Duration

	wrapAdd func(add func(string) error) func(string) error // tests: make adding a watch fail
}

// WithDebounce sets how long a batch stays open after the last event (quiet)
// and at most after its first event (max).
func WithDebounce(quiet, max time.Duration) Option {
	return func(o *options) { o.quiet, o.max = quiet, max }
}

// WithPoll makes the Watcher poll every interval instead of using fsnotify.
// An interval of 0 keeps fsnotify.
func WithPoll(interval time.Duration) Option {
	return func(o *options) { o.poll = interval }
}

// Watcher delivers batches of changed paths until Close.
type Watcher struct {
	root  string   // absolute, OS path
	paths []string // slash paths relative to root
	opts  options

	fsw     *fsnotify.Watcher // nil when polling
	batches chan []string
	errs    chan error
	done    chan struct{}
	wg      sync.WaitGroup
	once    sync.Once

	// Owned by the run goroutine after New returns.
	dirs    map[string]bool // watched (or polled) directories, relative
	files   map[string]bool // known regular files, relative
	pending map[string]bool // paths touched in the open window
	ready   map[string]bool // closed batches not yet received
	opened  time.Time       // when the open window got its first event
	timer   *time.Timer
	snap    map[string]stamp // poll mode: last scan

	failed     map[string]bool // folders whose watch could not be added, to try again
	retry      *time.Timer     // fires when failed folders are tried again
	backoff    time.Duration   // the retry timer's next delay
	unreadable map[string]bool // files and folders this process could not read when last seen

	addWatch func(name string) error // fsw.Add, unless a test wraps it
}

// Retry delays for folders that could not be watched.
const (
	retryFirst = 250 * time.Millisecond
	retryMax   = 5 * time.Second
)

// New starts watching paths (slash paths relative to root; missing ones are
// picked up when they appear).
func New(root string, paths []string, opts ...Option) (*Watcher, error) {
	o := options{quiet: 10 * time.Millisecond, grace: 100 * time.Millisecond, max: time.Second}
	for _, opt := range opts {
		opt(&o)
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	w := &Watcher{
		root:    abs,
		opts:    o,
		batches: make(chan []string),
		errs:    make(chan error, 16),
		done:    make(chan struct{}),
		dirs:    map[string]bool{},
		files:   map[string]bool{},
		pending: map[string]bool{},
		ready:   map[string]bool{},

		failed:     map[string]bool{},
		unreadable: map[string]bool{},
	}
	for _, p := range paths {
		w.paths = append(w.paths, path.Clean(filepath.ToSlash(p)))
	}
	w.timer = time.NewTimer(time.Hour)
	w.timer.Stop()
	w.retry = time.NewTimer(time.Hour)
	w.retry.Stop()

	if o.poll > 0 {
		w.snap = w.scan()
		for p, s := range w.snap {
			if s.dir {
				w.dirs[p] = true
			} else {
				w.files[p] = true
			}
		}
		w.wg.Add(1)
		go w.runPoll()
		return w, nil
	}

	w.fsw, err = fsnotify.NewWatcher()
	if err != nil {
		return nil, limitError("start watching", err)
	}
	w.addWatch = w.fsw.Add
	if o.wrapAdd != nil {
		w.addWatch = o.wrapAdd(w.addWatch)
	}
	if err := w.addWatch(w.root); err != nil {
		w.fsw.Close()
		return nil, limitError("watch "+w.root, err)
	}
	for _, p := range w.paths {
		if err := w.addTree(p, false); err != nil && isLimit(err) {
			w.fsw.Close()
			return nil, err // the fix is the user's: say it now
		}
	}
	w.surveyReadable()
	w.wg.Add(1)
	go w.runNotify()
	return w, nil
}

// Batches delivers the sorted changed paths of each batch.
func (w *Watcher) Batches() <-chan []string { return w.batches }

// Errors reports problems that do not stop watching, e.g. a new folder that
// could not be watched.
func (w *Watcher) Errors() <-chan error { return w.errs }

// Close stops watching and waits for the Watcher's goroutine to end.
func (w *Watcher) Close() error {
	var err error
	w.once.Do(func() {
		close(w.done)
		w.wg.Wait()
		if w.fsw != nil {
			err = w.fsw.Close()
		}
	})
	return err
}

// isLimit reports whether err is the system's limit on inotify watches or
// instances.
func isLimit(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EMFILE)
}

// limitError explains the inotify limits when err is one of them.
func limitError(what string, err error) error {
	switch {
	case errors.Is(err, syscall.ENOSPC):
		return fmt.Errorf("%s: the system limit on inotify watches is reached (%w); "+
			"raise it with `sudo sysctl fs.inotify.max_user_watches=524288` "+
			"or watch by polling with --poll 700ms", what, err)
	case errors.Is(err, syscall.EMFILE):
		return fmt.Errorf("%s: the system limit on inotify instances is reached (%w); "+
			"raise it with `sudo sysctl fs.inotify.max_user_instances=512`, "+
			"stop other watchers, or watch by polling with --poll 700ms", what, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// included reports whether rel lies under one of the watched paths and
// neither it nor a folder on its way is hidden (.git, an editor's .x.tmp).
func (w *Watcher) included(rel string) bool {
	for _, p := range w.paths {
		if rel == p {
			return true
		}
		if rest, ok := strings.CutPrefix(rel, p+"/"); ok {
			for _, part := range strings.Split(rest, "/") {
				if strings.HasPrefix(part, ".") {
					return false
				}
			}
			return true
		}
	}
	return false
}

// Ignored reports whether a file name is an editor's or the OS's temporary
// or backup file, whose events never cause a rebuild. It applies to files
// only: folders are never ignored by name (a folder may be called 2019).
func Ignored(name string) bool {
	switch {
	case name == ".DS_Store", name == "Thumbs.db":
		return true
	case allDigits(name): // vim's 4913 write probe (and its successors)
		return true
	case strings.HasSuffix(name, "~"),
		strings.HasSuffix(name, ".bak"), strings.HasSuffix(name, ".bck"):
		return true
	case strings.HasSuffix(name, ".swp"), strings.HasSuffix(name, ".swx"),
		strings.HasSuffix(name, ".swo"):
		return true
	case strings.HasPrefix(name, ".#"), len(name) > 1 && name[0] == '#' && name[len(name)-1] == '#':
		return true
	case strings.HasPrefix(name, ".goutputstream-"):
		return true
	case strings.HasSuffix(name, "___jb_tmp___"), strings.HasSuffix(name, "___jb_old___"):
		return true
	}
	return false
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func (w *Watcher) rel(name string) (string, bool) {
	r, err := filepath.Rel(w.root, name)
	if err != nil || r == "." || strings.HasPrefix(r, "..") {
		return "", false
	}
	return filepath.ToSlash(r), true
}

func (w *Watcher) abs(rel string) string { return filepath.Join(w.root, filepath.FromSlash(rel)) }

// addTree watches the directory rel and everything under it; when synth is
// set, the files found are marked as changed (a folder that appeared).
// A missing rel is not an error; a plain file is recorded as known. A
// folder that cannot be watched or listed is set aside to be tried again
// (see retryFailed), the rest is watched; such an error is reported on
// Errors when it is new, and the first one is returned.
func (w *Watcher) addTree(rel string, synth bool) error {
	var first error
	before := maps.Clone(w.failed)
	fail := func(r string, err error) {
		if first == nil {
			first = err
		}
		if !before[r] {
			w.report(fmt.Errorf("%w (trying again until it can be watched)", err))
		}
		w.failed[r] = true
		w.armRetry()
	}
	err := filepath.WalkDir(w.abs(rel), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			if r, ok := w.rel(p); ok && (d == nil || d.IsDir()) {
				fail(r, fmt.Errorf("watch %s: %w", r, err)) // cannot be listed
				if d == nil {
					return filepath.SkipAll
				}
				return filepath.SkipDir
			}
			return err
		}
		r, ok := w.rel(p)
		if !ok {
			return nil
		}
		if d.IsDir() {
			if r != rel && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if w.fsw != nil && !w.dirs[r] {
				// Watch first, then list: a file created in between is
				// seen by the walk or by the watch, never by neither.
				if err := w.addWatch(p); err != nil {
					if errors.Is(err, fs.ErrNotExist) {
						return filepath.SkipDir
					}
					fail(r, limitError("watch "+r, err))
					return filepath.SkipDir
				}
			}
			w.dirs[r] = true
			delete(w.failed, r)
			delete(w.unreadable, r)
			return nil
		}
		if Ignored(d.Name()) || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		if synth {
			w.pending[r] = true
		} else if d.Type().IsRegular() || d.Type()&fs.ModeSymlink != 0 {
			w.files[r] = true
		}
		return nil
	})
	if err != nil && first == nil {
		first = err
	}
	return first
}

// noteReadable records whether the file rel, whose Lstat is fi, can be
// read, so that a chmod that changes it is seen as a change.
func (w *Watcher) noteReadable(rel string, fi fs.FileInfo) {
	perm := uint32(fi.Mode().Perm())
	if fi.Mode()&fs.ModeSymlink != 0 {
		perm = 0 // ask about what it points to
	}
	if readable(w.abs(rel), perm, false) {
		delete(w.unreadable, rel)
	} else {
		w.unreadable[rel] = true
	}
}

// surveyReadable notes which known files cannot be read, so that a chmod
// 644 of one is seen. It runs in New, after the watches are in place and
// before the first build: a chmod meanwhile is either seen by the survey
// or its event compares with what the survey saw, and the build reads
// what the survey saw or newer. It costs a system call per file (about
// 10 µs each on a virtual machine: 0.2 s for 20,000 files), made several at
// a time.
func (w *Watcher) surveyReadable() {
	files := make([]string, 0, len(w.files))
	for rel := range w.files {
		files = append(files, rel)
	}
	const workers = 4
	bad := make([][]string, workers)
	var wg sync.WaitGroup
	for i := range workers {
		wg.Go(func() {
			for j := i; j < len(files); j += workers {
				if !readable(w.abs(files[j]), 0, false) {
					bad[i] = append(bad[i], files[j])
				}
			}
		})
	}
	wg.Wait()
	for _, l := range bad {
		for _, rel := range l {
			w.unreadable[rel] = true
		}
	}
}

// readableChanged reports whether the file or folder rel became readable
// or unreadable since it was last seen (a chmod that matters), and records
// what it is now. A folder that changed has its files marked pending
// (listed again when it became readable).
func (w *Watcher) readableChanged(rel string) bool {
	p := w.abs(rel)
	fi, err := os.Stat(p)
	if err != nil {
		return false
	}
	now := readable(p, uint32(fi.Mode().Perm()), fi.IsDir())
	if now == !w.unreadable[rel] {
		return false
	}
	if now {
		delete(w.unreadable, rel)
	} else {
		w.unreadable[rel] = true
	}
	if fi.IsDir() {
		if now {
			_ = w.addTree(rel, true) // reports its own errors
		} else {
			for f := range w.files {
				if strings.HasPrefix(f, rel+"/") {
					w.pending[f] = true
				}
			}
		}
	}
	return true
}

// armRetry starts the retry timer unless it is running.
func (w *Watcher) armRetry() {
	if w.backoff == 0 {
		w.backoff = retryFirst
		w.retry.Reset(w.backoff)
	}
}

// retryFailed tries again to watch the folders that could not be watched,
// and marks the files of those now watched as changed. It returns whether
// any was.
func (w *Watcher) retryFailed() bool {
	dirs := make([]string, 0, len(w.failed))
	for r := range w.failed {
		dirs = append(dirs, r)
	}
	sort.Strings(dirs)
	n := len(w.pending)
	for _, r := range dirs {
		if !w.failed[r] {
			continue // watched with a folder above it
		}
		if _, err := os.Lstat(w.abs(r)); errors.Is(err, fs.ErrNotExist) {
			delete(w.failed, r) // gone: a new one is seen when it is made
			continue
		}
		_ = w.addTree(r, true) // a new error is reported, the same one is not
	}
	return len(w.pending) > n
}

// retryTimeUp runs when the retry timer fires: another attempt, and the
// next one later, up to retryMax apart, while some folder still fails.
func (w *Watcher) retryTimeUp() {
	if w.retryFailed() {
		w.touch()
	}
	if len(w.failed) == 0 {
		w.backoff = 0
		return
	}
	w.backoff = min(2*w.backoff, retryMax)
	w.retry.Reset(w.backoff)
}

// dropTree forgets the directory rel (deleted or moved away): its watches
// are removed and its known files marked as changed.
func (w *Watcher) dropTree(rel string) {
	prefix := rel + "/"
	for d := range w.dirs {
		if d == rel || strings.HasPrefix(d, prefix) {
			delete(w.dirs, d)
			if w.fsw != nil {
				_ = w.fsw.Remove(w.abs(d)) // may already be gone with the inode
			}
		}
	}
	for f := range w.files {
		if strings.HasPrefix(f, prefix) {
			w.pending[f] = true
		}
	}
}

func (w *Watcher) runNotify() {
	defer w.wg.Done()
	for {
		var out chan []string
		if len(w.ready) > 0 {
			out = w.batches
		}
		select {
		case <-w.done:
			w.timer.Stop()
			w.retry.Stop()
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			w.handle(ev)
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were lost: treat everything as changed.
				for _, p := range w.paths {
					_ = w.addTree(p, true) // reports its own errors
				}
				w.touch()
			}
			w.report(err)
		case <-w.timer.C:
			w.timeUp()
		case <-w.retry.C:
			w.retryTimeUp()
		case out <- w.readyList():
			clear(w.ready)
		}
	}
}

func (w *Watcher) report(err error) {
	if err == nil {
		return
	}
	select {
	case w.errs <- err:
	default: // nobody listening; the next error will say the same
	}
}

// handle files one fsnotify event into the open window.
func (w *Watcher) handle(ev fsnotify.Event) {
	rel, ok := w.rel(ev.Name)
	if !ok || !w.included(rel) {
		return
	}
	if Ignored(path.Base(rel)) && !w.dirs[rel] {
		// Temp names are file names: a folder called 2019 is watched.
		if fi, err := os.Lstat(ev.Name); err != nil || !fi.IsDir() {
			return
		}
	}
	if w.failed[rel] { // its permissions changed, or it was made again
		if w.retryFailed() {
			w.touch()
		}
	}
	if ev.Op == fsnotify.Chmod && !w.readableChanged(rel) {
		return // touch, chmod +x: noise
	}
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		if w.dirs[rel] {
			w.dropTree(rel)
		}
	}
	if ev.Has(fsnotify.Create) {
		if fi, err := os.Lstat(ev.Name); err == nil && fi.IsDir() {
			_ = w.addTree(rel, true) // reports its own errors
		}
	}
	w.pending[rel] = true
	w.touch()
}

// touch opens the window or extends it, up to the maximum latency.
func (w *Watcher) touch() {
	now := time.Now()
	if w.opened.IsZero() {
		w.opened = now
	}
	deadline := now.Add(w.opts.quiet)
	if limit := w.opened.Add(w.opts.max); deadline.After(limit) {
		deadline = limit
	}
	w.timer.Reset(deadline.Sub(now))
}

// timeUp closes the window when its timer fires, unless a known file seems
// gone and the grace period (within the cap) has not passed.
func (w *Watcher) timeUp() {
	if w.seemsGone() {
		wait := min(w.opts.grace, w.opts.max) - time.Since(w.opened)
		if wait > 0 {
			w.timer.Reset(wait) // an event meanwhile re-arms it to quiet
			return
		}
	}
	w.flush()
}

// flush closes the window: every pending path is stat'ed again and the real
// changes move to ready.
func (w *Watcher) flush() {
	for rel := range w.pending {
		fi, err := os.Lstat(w.abs(rel))
		switch {
		case err == nil && fi.IsDir():
			// A folder's files were added one by one.
		case err == nil:
			w.files[rel] = true
			w.ready[rel] = true
			w.noteReadable(rel, fi)
		case w.files[rel]:
			delete(w.files, rel)
			w.ready[rel] = true
		default:
			// Came and went: an editor's temporary file.
		}
	}
	clear(w.pending)
	w.opened = time.Time{}
}

// seemsGone reports whether a pending path is a known file that is missing.
func (w *Watcher) seemsGone() bool {
	for rel := range w.pending {
		if w.files[rel] {
			if _, err := os.Lstat(w.abs(rel)); errors.Is(err, fs.ErrNotExist) {
				return true
			}
		}
	}
	return false
}

func (w *Watcher) readyList() []string {
	if len(w.ready) == 0 {
		return nil
	}
	l := make([]string, 0, len(w.ready))
	for p := range w.ready {
		l = append(l, p)
	}
	sort.Strings(l)
	return l
}
