package site

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// A store keeps the site `archive serve` serves (WithStore) in a private
// folder on disk instead of memory: memory holds the paths and the pages
// the last few edits changed, not the rendered site, whatever its size.
//
// The folder holds one generation of the site at a time (gen-1/, gen-2/
// ...). A build writes what it changed into memory (the overlay), and a
// good build's Output is the generation's files with the overlay on top,
// which never changes once handed out: a failed build changes nothing
// served. A build that writes a lot (the first, or one after a layout
// change), or one that finds the overlay grown past storeOverlayBytes,
// writes a new generation instead: its own files, and hard links to the
// unchanged files of the last one; the last generation is removed a little
// later, once requests that read it are done.
type store struct {
	root string
	mu   sync.Mutex
	gen  int
	cur  *storeSnap
}

// storeSnap is one build of the site in a store.
type storeSnap struct {
	dir  string            // the generation folder
	base map[string]bool   // the paths the generation folder holds
	over map[string][]byte // paths changed since: their bytes (nil: removed)
	size int64             // bytes in over
}

// storeOverlayBytes is how much the overlay may hold before the next build
// writes a new generation.
const storeOverlayBytes = 64 << 20

// storeSpillBytes is how much one build may put in the overlay before it
// writes a new generation instead.
const storeSpillBytes = 32 << 20

// WithStore keeps the built site in the folder dir (made if missing; the
// caller removes it with RemoveStore when done) instead of memory: see
// store.
func WithStore(dir string) Option { return func(o *options) { o.store = dir } }

// RemoveStore removes the store folder dir, its "pid" file last: a process
// killed while removing it leaves a folder CleanStores still recognises as
// a dead server's, not one that nothing ever removes (os.RemoveAll may
// remove the pid file first).
func RemoveStore(dir string) error {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range ents {
		if e.Name() == "pid" {
			continue
		}
		if err := removeAll(filepath.Join(dir, e.Name())); err != nil {
			return err // keep the pid file: CleanStores finishes the job
		}
	}
	return removeAll(dir)
}

// removeAll is os.RemoveAll; a test replaces it to stop a removal midway.
var removeAll = os.RemoveAll

// CleanStores removes the store folders under parent that were made for
// processes no longer running (a server killed before it could remove its
// own): folders named prefix+"*" holding a "pid" file naming a dead process.
func CleanStores(parent, prefix string) {
	ents, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		dir := filepath.Join(parent, e.Name())
		b, err := os.ReadFile(filepath.Join(dir, "pid"))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err != nil || pid <= 0 || pid == os.Getpid() {
			continue
		}
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			_ = RemoveStore(dir)
		}
	}
}

func newStore(root string) (*store, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(root, "pid"), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return nil, err
	}
	return &store{root: root}, nil
}

// begin starts a build's sink.
func (s *store) begin(narrow bool) sink {
	s.mu.Lock()
	cur := s.cur
	s.mu.Unlock()
	b := &storeBuild{s: s, cur: cur, puts: map[string][]byte{}, dels: map[string]bool{}}
	if cur == nil || cur.size > storeOverlayBytes {
		b.spillErr = b.startSpill()
	}
	return b
}

// storeBuild is one build going into a store.
type storeBuild struct {
	s   *store
	cur *storeSnap // the last good build's

	mu       sync.Mutex
	puts     map[string][]byte // into the overlay
	dels     map[string]bool
	size     int64
	spill    string // the new generation's folder, once the build writes one
	spillErr error
	made     map[string]bool // its folders
}

func (b *storeBuild) startSpill() error {
	b.s.mu.Lock()
	b.s.gen++
	dir := filepath.Join(b.s.root, "gen-"+strconv.Itoa(b.s.gen))
	b.s.mu.Unlock()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	b.spill, b.made = dir, map[string]bool{".": true}
	for p, data := range b.puts {
		if err := b.write(p, data); err != nil {
			return err
		}
	}
	b.puts, b.size = nil, 0
	return nil
}

// write writes a file of the new generation; b.mu is held.
func (b *storeBuild) write(p string, data []byte) error {
	if d := path.Dir(p); !b.made[d] {
		if err := os.MkdirAll(filepath.Join(b.spill, filepath.FromSlash(d)), 0o755); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		for ; d != "." && !b.made[d]; d = path.Dir(d) {
			b.made[d] = true
		}
	}
	if err := os.WriteFile(filepath.Join(b.spill, filepath.FromSlash(p)), data, 0o644); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

func (b *storeBuild) put(p string, data []byte) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.spillErr != nil {
		return b.spillErr
	}
	delete(b.dels, p)
	if b.spill != "" {
		return b.write(p, data)
	}
	if old, ok := b.puts[p]; ok {
		b.size -= int64(len(old))
	}
	b.puts[p] = bytes.Clone(data)
	b.size += int64(len(data))
	if b.size > storeSpillBytes {
		b.spillErr = b.startSpill()
		return b.spillErr
	}
	return nil
}

func (b *storeBuild) remove(p string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if old, ok := b.puts[p]; ok {
		b.size -= int64(len(old))
		delete(b.puts, p)
	}
	b.dels[p] = true
}

func (b *storeBuild) widen() {}

func (b *storeBuild) abort() {
	if b.spill != "" {
		_ = os.RemoveAll(b.spill)
	}
}

// finish makes the new snapshot: the overlay grown by this build's files,
// or the new generation with links to the last one's unchanged files.
func (b *storeBuild) finish(next *state, _ *Output) (*Output, error) {
	if b.spillErr != nil {
		b.abort()
		return nil, b.spillErr
	}
	cur := b.cur
	var snap *storeSnap
	if b.spill != "" {
		// Every file of the site that this build did not write comes
		// from the last build: a link to the generation's file, or the
		// overlay's bytes.
		base := make(map[string]bool, len(next.files))
		for p := range next.files {
			base[p] = true
			dst := filepath.Join(b.spill, filepath.FromSlash(p))
			if _, err := os.Lstat(dst); err == nil {
				continue
			}
			if cur == nil {
				b.abort()
				return nil, fmt.Errorf("serve: the first build did not write %s", p)
			}
			if err := b.carry(cur, p, dst); err != nil {
				b.abort()
				return nil, err
			}
		}
		snap = &storeSnap{dir: b.spill, base: base, over: map[string][]byte{}}
		if cur != nil {
			old := cur.dir
			time.AfterFunc(time.Minute, func() { _ = os.RemoveAll(old) }) // once its readers are done
		}
	} else {
		over := make(map[string][]byte, len(cur.over)+len(b.puts)+len(b.dels))
		size := cur.size
		for p, data := range cur.over {
			over[p] = data
		}
		for p, data := range b.puts {
			size += int64(len(data)) - int64(len(over[p]))
			over[p] = data
		}
		for p := range b.dels {
			size -= int64(len(over[p]))
			if cur.base[p] {
				over[p] = nil
			} else {
				delete(over, p)
			}
		}
		snap = &storeSnap{dir: cur.dir, base: cur.base, over: over, size: size}
	}
	b.s.mu.Lock()
	b.s.cur = snap
	b.s.mu.Unlock()
	return &Output{snap: snap}, nil
}

// carry gives the new generation the last build's file p.
func (b *storeBuild) carry(cur *storeSnap, p, dst string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if d := path.Dir(p); !b.made[d] {
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		for ; d != "." && !b.made[d]; d = path.Dir(d) {
			b.made[d] = true
		}
	}
	if data, ok := cur.over[p]; ok {
		if data == nil {
			return fmt.Errorf("serve: %s was removed but is still in the site", p)
		}
		return os.WriteFile(dst, data, 0o644)
	}
	src := filepath.Join(cur.dir, filepath.FromSlash(p))
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return os.WriteFile(dst, data, 0o644)
}

// has reports whether the snapshot holds p.
func (s *storeSnap) has(p string) bool {
	if data, ok := s.over[p]; ok {
		return data != nil
	}
	return s.base[p]
}

// read returns p's bytes.
func (s *storeSnap) read(p string) ([]byte, bool) {
	if data, ok := s.over[p]; ok {
		return data, data != nil
	}
	if !s.base[p] {
		return nil, false
	}
	data, err := os.ReadFile(filepath.Join(s.dir, filepath.FromSlash(p)))
	return data, err == nil
}

// open opens p.
func (s *storeSnap) open(p string) (fs.File, error) {
	if data, ok := s.over[p]; ok {
		if data == nil {
			return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
		}
		return &memFile{name: path.Base(p), data: data}, nil
	}
	if !s.base[p] {
		return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrNotExist}
	}
	return os.Open(filepath.Join(s.dir, filepath.FromSlash(p)))
}

// paths lists the snapshot's paths, unsorted.
func (s *storeSnap) paths() []string {
	out := make([]string, 0, len(s.base)+len(s.over))
	for p := range s.base {
		if data, ok := s.over[p]; !ok || data != nil {
			out = append(out, p)
		}
	}
	for p, data := range s.over {
		if data != nil && !s.base[p] {
			out = append(out, p)
		}
	}
	return out
}
