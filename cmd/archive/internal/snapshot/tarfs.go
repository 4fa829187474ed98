package snapshot

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"
)

// TarFS indexes the tar archive in r (size bytes) and returns it as an
// fs.FS whose files are read in place: nothing is extracted or held in
// memory but one index entry per file. Folders that have no entry of their
// own are implied by the files in them.
func TarFS(r io.ReaderAt, size int64) (fs.FS, error) {
	sr := io.NewSectionReader(r, 0, size)
	tr := tar.NewReader(sr)
	t := &tarFS{r: r, files: map[string]*tarEntry{}, dirs: map[string][]string{".": nil}}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("tar: %w", err)
		}
		name := path.Clean(strings.TrimPrefix(h.Name, "./"))
		if !fs.ValidPath(name) || name == "." {
			if h.Typeflag == tar.TypeDir && name == "." {
				continue
			}
			return nil, fmt.Errorf("tar: entry %q: unsafe path", h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			t.addDir(name)
		case tar.TypeReg:
			off, err := sr.Seek(0, io.SeekCurrent)
			if err != nil {
				return nil, err
			}
			if _, dup := t.files[name]; dup {
				return nil, fmt.Errorf("tar: %s: appears twice", name)
			}
			t.files[name] = &tarEntry{name: path.Base(name), off: off, size: h.Size, mod: h.ModTime}
			t.addDir(path.Dir(name))
			t.dirs[path.Dir(name)] = append(t.dirs[path.Dir(name)], name)
		default:
			// links and devices are not part of a bag; they are ignored
		}
	}
	for d := range t.dirs {
		sort.Strings(t.dirs[d])
	}
	return t, nil
}

type tarFS struct {
	r     io.ReaderAt
	files map[string]*tarEntry
	dirs  map[string][]string // folder -> the full names of its children
}

type tarEntry struct {
	name      string
	off, size int64
	mod       time.Time
	dir       bool
}

func (t *tarFS) addDir(d string) {
	if _, ok := t.dirs[d]; ok {
		return
	}
	t.dirs[d] = nil
	if d == "." {
		return
	}
	parent := path.Dir(d)
	t.addDir(parent)
	t.dirs[parent] = append(t.dirs[parent], d)
}

func (t *tarFS) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	if e, ok := t.files[name]; ok {
		return &tarFile{tarEntry: e, SectionReader: io.NewSectionReader(t.r, e.off, e.size)}, nil
	}
	if kids, ok := t.dirs[name]; ok {
		return &tarDir{fs: t, e: &tarEntry{name: path.Base(name), dir: true}, kids: kids}, nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func (e *tarEntry) Name() string { return e.name }
func (e *tarEntry) Size() int64  { return e.size }
func (e *tarEntry) Mode() fs.FileMode {
	if e.dir {
		return fs.ModeDir | 0o755
	}
	return 0o644
}
func (e *tarEntry) ModTime() time.Time         { return e.mod }
func (e *tarEntry) IsDir() bool                { return e.dir }
func (e *tarEntry) Sys() any                   { return nil }
func (e *tarEntry) Type() fs.FileMode          { return e.Mode().Type() }
func (e *tarEntry) Info() (fs.FileInfo, error) { return e, nil }

type tarFile struct {
	*tarEntry
	*io.SectionReader
}

func (f *tarFile) Stat() (fs.FileInfo, error) { return f.tarEntry, nil }
func (f *tarFile) Close() error               { return nil }

type tarDir struct {
	fs   *tarFS
	e    *tarEntry
	kids []string
	pos  int
}

func (d *tarDir) Stat() (fs.FileInfo, error) { return d.e, nil }
func (d *tarDir) Close() error               { return nil }
func (d *tarDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.e.name, Err: errors.New("is a directory")}
}

func (d *tarDir) ReadDir(n int) ([]fs.DirEntry, error) {
	var out []fs.DirEntry
	for d.pos < len(d.kids) && (n <= 0 || len(out) < n) {
		k := d.kids[d.pos]
		d.pos++
		if e, ok := d.fs.files[k]; ok {
			out = append(out, e)
		} else {
			out = append(out, &tarEntry{name: path.Base(k), dir: true})
		}
	}
	if n > 0 && len(out) == 0 {
		return nil, io.EOF
	}
	return out, nil
}
