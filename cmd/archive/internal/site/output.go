package site

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"sync"
	"time"
)

// Output is a built site: held in memory (Build), or in a store on disk
// (WithStore, for `archive serve`). It implements fs.FS (so that `archive
// serve` can hand it to http.FileServerFS) with directories synthesised
// from the file paths; modification times are zero so that nothing depends
// on the clock. An Output never changes once a build returned it.
type Output struct {
	files map[string][]byte // in memory; nil for a store's
	snap  *storeSnap        // in a store

	index sync.Once
	paths []string            // sorted
	dirs  map[string][]string // dir -> sorted child names
	warns []string            // what the build left out, and why (Warnings)
}

func newOutput(files map[string][]byte) *Output { return newOutputAfter(files, nil) }

// newOutputAfter is newOutput that shares the sorted paths and folders of
// last when files has the same paths, as after most edits: sorting and
// indexing 20,000 paths took a tenth of an edit's rebuild.
func newOutputAfter(files map[string][]byte, last *Output) *Output {
	if last != nil && last.files != nil && len(last.files) == len(files) {
		same := true
		for p := range files {
			if _, ok := last.files[p]; !ok {
				same = false
				break
			}
		}
		if same {
			last.indexPaths()
			o := &Output{files: files, paths: last.paths, dirs: last.dirs}
			o.index.Do(func() {})
			return o
		}
	}
	return &Output{files: files}
}

// indexPaths sorts the paths and lists the folders, once, when first asked.
func (o *Output) indexPaths() {
	o.index.Do(func() {
		if o.snap != nil {
			o.paths = o.snap.paths()
		} else {
			o.paths = make([]string, 0, len(o.files))
			for p := range o.files {
				o.paths = append(o.paths, p)
			}
		}
		sort.Strings(o.paths)
		o.dirs = map[string][]string{}
		seen := map[string]bool{}
		for _, p := range o.paths {
			for d, name := path.Dir(p), path.Base(p); ; d, name = path.Dir(d), path.Base(d) {
				key := d + "/" + name
				if !seen[key] {
					seen[key] = true
					o.dirs[d] = append(o.dirs[d], name)
				}
				if d == "." {
					break
				}
			}
		}
		for _, c := range o.dirs {
			sort.Strings(c)
		}
		if _, ok := o.dirs["."]; !ok {
			o.dirs["."] = nil
		}
	})
}

// Paths returns the slash paths of all files, sorted, e.g. "index.html",
// "articles/x/index.html".
func (o *Output) Paths() []string {
	o.indexPaths()
	return append([]string(nil), o.paths...)
}

// Bytes returns the content of the file at p (a path from Paths).
func (o *Output) Bytes(p string) ([]byte, bool) {
	if o.snap != nil {
		return o.snap.read(p)
	}
	b, ok := o.files[p]
	return b, ok
}

// Len is the number of files.
func (o *Output) Len() int {
	if o.snap != nil {
		o.indexPaths()
		return len(o.paths)
	}
	return len(o.files)
}

// Open implements fs.FS.
func (o *Output) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if o.snap != nil && o.snap.has(name) {
		return o.snap.open(name)
	}
	if b, ok := o.files[name]; ok {
		return &memFile{name: path.Base(name), data: b}, nil
	}
	o.indexPaths()
	if kids, ok := o.dirs[name]; ok {
		d := &memDir{name: path.Base(name)}
		for _, k := range kids {
			full := path.Join(name, k)
			if b, ok := o.Bytes(full); ok {
				d.entries = append(d.entries, fileInfo{name: k, size: int64(len(b))})
			} else {
				d.entries = append(d.entries, fileInfo{name: k, dir: true})
			}
		}
		return d, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// ReadFile implements fs.ReadFileFS.
func (o *Output) ReadFile(name string) ([]byte, error) {
	if b, ok := o.Bytes(name); ok {
		return append([]byte(nil), b...), nil
	}
	return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrNotExist}
}

type fileInfo struct {
	name string
	size int64
	dir  bool
}

func (fi fileInfo) Name() string { return fi.name }
func (fi fileInfo) Size() int64  { return fi.size }
func (fi fileInfo) Mode() fs.FileMode {
	if fi.dir {
		return fs.ModeDir | 0o755
	}
	return 0o644
}
func (fi fileInfo) ModTime() time.Time         { return time.Time{} }
func (fi fileInfo) IsDir() bool                { return fi.dir }
func (fi fileInfo) Sys() any                   { return nil }
func (fi fileInfo) Type() fs.FileMode          { return fi.Mode().Type() }
func (fi fileInfo) Info() (fs.FileInfo, error) { return fi, nil }

type memFile struct {
	name string
	data []byte
	off  int64
}

func (f *memFile) Stat() (fs.FileInfo, error) {
	return fileInfo{name: f.name, size: int64(len(f.data))}, nil
}
func (f *memFile) Close() error { return nil }
func (f *memFile) Read(p []byte) (int, error) {
	if f.off >= int64(len(f.data)) {
		return 0, io.EOF
	}
	n := copy(p, f.data[f.off:])
	f.off += int64(n)
	return n, nil
}

// Seek lets http.ServeContent serve ranges.
func (f *memFile) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		offset += f.off
	case io.SeekEnd:
		offset += int64(len(f.data))
	}
	if offset < 0 {
		return 0, errors.New("seek before start")
	}
	f.off = offset
	return offset, nil
}

type memDir struct {
	name    string
	entries []fileInfo
	off     int
}

func (d *memDir) Stat() (fs.FileInfo, error) { return fileInfo{name: d.name, dir: true}, nil }
func (d *memDir) Close() error               { return nil }
func (d *memDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.name, Err: errors.New("is a directory")}
}
func (d *memDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.off:]
	if n > 0 && len(rest) == 0 {
		return nil, io.EOF
	}
	if n > 0 && n < len(rest) {
		rest = rest[:n]
	}
	d.off += len(rest)
	out := make([]fs.DirEntry, len(rest))
	for i, e := range rest {
		out[i] = e
	}
	return out, nil
}

// Publish writes the site to dir atomically: everything goes into a new
// staging folder beside dir, which replaces dir only when all files were
// written. If anything fails, dir is left as it was. The staging folders
// of builds that were killed are removed first (see staging.go).
func (o *Output) Publish(dir string) (err error) {
	st, err := newStaging(dir)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			st.abort()
		}
	}()
	paths := o.Paths()
	err = parallel(context.Background(), len(paths), publishWorkers, func(i int) error {
		data, _ := o.Bytes(paths[i])
		return st.put(paths[i], data)
	})
	if err != nil {
		return err
	}
	_, err = st.finish(nil, nil)
	return err
}

// staging is a new folder beside a site's destination that a build
// writes into, file by file as pages are made, and that replaces the
// destination when the build succeeded (BuildTo, Output.Publish).
type staging struct {
	dir, tmp string
	unlock   func()
	mu       sync.Mutex
	made     map[string]bool // folders made, by slash path
	own      bool            // the site publishes a stagingMarker of its own
}

// newStaging makes the staging folder for dir (see staging.go), holding
// the lock on dir's parent until finish or abort.
func newStaging(dir string) (*staging, error) {
	dir = filepath.Clean(dir)
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, unlock, err := beginStaging(parent, base)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		unlock()
		return nil, err
	}
	return &staging{dir: dir, tmp: tmp, unlock: unlock, made: map[string]bool{".": true}}, nil
}

func (s *staging) put(p string, data []byte) error {
	if p == stagingMarker {
		s.mu.Lock()
		s.own = true
		s.mu.Unlock()
	}
	if err := s.mkdirs(path.Dir(p)); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(s.tmp, filepath.FromSlash(p)), data); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}

// mkdirs makes the folder d (a slash path) and its parents in the staging
// folder, once each.
func (s *staging) mkdirs(d string) error {
	s.mu.Lock()
	done := s.made[d]
	s.mu.Unlock()
	if done {
		return nil
	}
	// Mkdir first: MkdirAll would stat every folder before making it.
	err := os.Mkdir(filepath.Join(s.tmp, filepath.FromSlash(d)), 0o755)
	if errors.Is(err, fs.ErrNotExist) {
		if err := s.mkdirs(path.Dir(d)); err != nil {
			return err
		}
		err = os.Mkdir(filepath.Join(s.tmp, filepath.FromSlash(d)), 0o755)
	}
	if err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("publish: %w", err)
	}
	s.mu.Lock()
	for ; d != "." && !s.made[d]; d = path.Dir(d) {
		s.made[d] = true
	}
	s.mu.Unlock()
	return nil
}

func (s *staging) remove(string) {}
func (s *staging) widen()        {}

func (s *staging) finish(*state, *Output) (*Output, error) {
	defer s.unlock()
	if !s.own {
		if err := os.Remove(filepath.Join(s.tmp, stagingMarker)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			os.RemoveAll(s.tmp)
			return nil, fmt.Errorf("publish: %w", err)
		}
	}
	if err := swapDir(s.tmp, s.dir); err != nil {
		os.RemoveAll(s.tmp)
		return nil, err
	}
	return nil, nil
}

func (s *staging) abort() {
	os.RemoveAll(s.tmp)
	s.unlock()
}

// publishWorkers is how many files Publish writes at once.
const publishWorkers = 8

// swapDir puts tmp in dir's place. Where the system can exchange two paths
// in one step (Linux renameat2 RENAME_EXCHANGE), readers of dir see either
// the old site or the new one, never neither; elsewhere it falls back to
// two renames.
func swapDir(tmp, dir string) error {
	if fi, err := os.Lstat(dir); err == nil && fi.IsDir() {
		if exchange(tmp, dir) == nil {
			markStaging(tmp) // now the old site
			return os.RemoveAll(tmp)
		}
	}
	return swapDirRenames(tmp, dir)
}

// swapDirRenames moves tmp into dir's place, keeping the old dir until the
// new one is in, and restoring it if the second rename fails.
func swapDirRenames(tmp, dir string) error {
	old := ""
	if fi, err := os.Lstat(dir); err == nil {
		if !fi.IsDir() {
			return fmt.Errorf("publish: %s exists and is not a directory", dir)
		}
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("publish: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			_ = os.Rename(old, dir)
		}
		return fmt.Errorf("publish: %w", err)
	}
	if old != "" {
		markStaging(old)
		return os.RemoveAll(old)
	}
	return nil
}
