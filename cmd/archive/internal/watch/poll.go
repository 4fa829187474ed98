package watch

import (
	"io/fs"
	"path/filepath"
	"strings"
	"time"
)

// stamp is what polling compares between two scans of one path.
type stamp struct {
	mtime      int64 // Unix nanoseconds
	size       int64
	ino        uint64
	dir        bool
	unreadable bool // to this process: a chmod that changes it is a change
}

// scan stats every directory and file under the watched paths.
func (w *Watcher) scan() map[string]stamp {
	snap := map[string]stamp{}
	for _, p := range w.paths {
		_ = filepath.WalkDir(w.abs(p), func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // vanished while walking, or unreadable: not a change we can see
			}
			rel, ok := w.rel(name)
			if !ok {
				return nil
			}
			if d.IsDir() && rel != p && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if !d.IsDir() && (Ignored(d.Name()) || strings.HasPrefix(d.Name(), ".")) {
				return nil
			}
			fi, err := d.Info()
			if err != nil {
				return nil
			}
			s := stamp{mtime: fi.ModTime().UnixNano(), size: fi.Size(), ino: inode(fi), dir: d.IsDir()}
			perm := uint32(fi.Mode().Perm())
			if d.Type()&fs.ModeSymlink != 0 {
				perm = 0 // ask about what it points to
			}
			s.unreadable = !readable(name, perm, d.IsDir())
			if s.dir {
				s.mtime, s.size = 0, 0 // a folder changes through its files
			}
			snap[rel] = s
			return nil
		})
	}
	return snap
}

func (w *Watcher) runPoll() {
	defer w.wg.Done()
	tick := time.NewTicker(w.opts.poll)
	defer tick.Stop()
	for {
		var out chan []string
		if len(w.ready) > 0 {
			out = w.batches
		}
		select {
		case <-w.done:
			return
		case <-tick.C:
			w.poll()
		case out <- w.readyList():
			clear(w.ready)
		}
	}
}

// poll compares a new scan with the last and marks the differences pending.
func (w *Watcher) poll() {
	snap := w.scan()
	changed := false
	for p, s := range snap {
		if old, ok := w.snap[p]; !ok || old != s {
			if !s.dir {
				w.pending[p] = true
				changed = true
			}
		}
	}
	for p, old := range w.snap {
		if _, ok := snap[p]; !ok && !old.dir {
			w.pending[p] = true
			changed = true
		}
	}
	w.snap = snap
	// The window closes at the first scan that finds nothing new (so a
	// checkout spread over several scans is one batch), or at the cap.
	switch {
	case changed && w.opened.IsZero():
		w.opened = time.Now()
	case len(w.pending) == 0:
	case time.Since(w.opened) >= w.opts.max:
		w.flush()
	case !changed && !(w.seemsGone() && time.Since(w.opened) < w.opts.grace):
		w.flush()
	}
}
