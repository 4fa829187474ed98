// Package sitefs reads a folder without following a symbolic link out of
// it: the site root for build, serve, import and snapshot (content/,
// seeds/, layouts/, static/, page resources, archive.toml), or a folder a
// user names for import.
//
// A site is often built from sources someone else wrote: a pull request's
// preview build runs on a machine with secrets. A link in seeds/ to
// /proc/self/environ, or in content/ to ~/.ssh/id_ed25519 renamed x.md,
// would publish them. Dir returns an fs.FS like os.DirFS, except that:
//
//   - a symbolic link is followed only when it resolves (every link on the
//     way included, relative or absolute) to a place inside the folder;
//     links that stay inside keep working, as with os.DirFS;
//   - one that leads out is an error naming the link and its target, an
//     *article.Error (with the fix) wrapping a *LinkError;
//   - every file is opened through an os.Root, so that even a link changed
//     between the check and the open cannot lead out.
//
// os.Root alone refuses absolute links (also to a place inside) and chains
// of more than eight; Dir resolves those itself, then opens the resolved
// path through the os.Root. Hard links, bind mounts and /proc are outside
// its reach, as they are os.Root's.
package sitefs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// maxLinks is how many symbolic links one name may go through (Linux's limit).
const maxLinks = 40

// FS is a folder read through an os.Root. It implements fs.FS,
// fs.ReadFileFS, fs.ReadDirFS and fs.StatFS; it is safe for concurrent use.
type FS struct {
	root  *os.Root
	rfs   fs.FS
	fast  beneath  // the folder again, for ReadFile's one-call reads
	dir   string   // the folder as given, for messages
	homes []string // absolute spellings of the folder: as given, and with links resolved
	real  string   // the folder's absolute path with links resolved, where ".." goes from
}

// Dir opens the folder dir. Close it when done.
func Dir(dir string) (*FS, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	f := &FS{root: root, rfs: root.FS(), dir: dir}
	if abs, err := filepath.Abs(dir); err == nil {
		f.homes = append(f.homes, abs)
	}
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		if real, err = filepath.Abs(real); err == nil && (len(f.homes) == 0 || real != f.homes[0]) {
			f.homes = append(f.homes, real)
		}
	}
	if len(f.homes) == 0 {
		root.Close()
		return nil, fmt.Errorf("%s: cannot tell the folder's absolute path", dir)
	}
	f.real = f.homes[len(f.homes)-1]
	f.fast = openBeneath(dir)
	return f, nil
}

// Close releases the folder.
func (f *FS) Close() error {
	f.fast.close()
	return f.root.Close()
}

// Open implements fs.FS.
func (f *FS) Open(name string) (fs.File, error) {
	file, err := f.rfs.Open(name)
	if err == nil {
		return file, nil
	}
	alt, rerr := f.retry(name, err)
	if rerr != nil {
		return nil, rerr
	}
	file, err = f.rfs.Open(alt)
	if err != nil {
		return nil, err
	}
	if osf, ok := file.(*os.File); ok {
		return &renamedFile{osf, path.Base(name)}, nil
	}
	return file, nil
}

// ReadFile implements fs.ReadFileFS.
func (f *FS) ReadFile(name string) ([]byte, error) {
	if b, ok := f.fast.read(name); ok {
		return b, nil
	}
	b, err := fs.ReadFile(f.rfs, name)
	if err == nil {
		return b, nil
	}
	alt, rerr := f.retry(name, err)
	if rerr != nil {
		return nil, rerr
	}
	return fs.ReadFile(f.rfs, alt)
}

// ReadDir implements fs.ReadDirFS. Entries that are links are listed as
// links (as os.ReadDir does); opening them is checked.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	ents, err := fs.ReadDir(f.rfs, name)
	if err == nil {
		return ents, nil
	}
	alt, rerr := f.retry(name, err)
	if rerr != nil {
		return nil, rerr
	}
	return fs.ReadDir(f.rfs, alt)
}

// Stat implements fs.StatFS; it follows links, as Open does.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	fi, err := fs.Stat(f.rfs, name)
	if err == nil {
		return fi, nil
	}
	alt, rerr := f.retry(name, err)
	if rerr != nil {
		return nil, rerr
	}
	fi, err = fs.Stat(f.rfs, alt)
	if err != nil {
		return nil, err
	}
	return renamedInfo{fi, path.Base(name)}, nil
}

// Lstat implements fs.ReadLinkFS: a link itself, not what it points to.
func (f *FS) Lstat(name string) (fs.FileInfo, error) {
	fi, err := fs.Lstat(f.rfs, name)
	if err == nil {
		return fi, nil
	}
	alt, rerr := f.retryParent(name, err)
	if rerr != nil {
		return nil, rerr
	}
	return fs.Lstat(f.rfs, alt)
}

// ReadLink implements fs.ReadLinkFS: the text of the link at name.
func (f *FS) ReadLink(name string) (string, error) {
	t, err := fs.ReadLink(f.rfs, name)
	if err == nil {
		return t, nil
	}
	alt, rerr := f.retryParent(name, err)
	if rerr != nil {
		return "", rerr
	}
	return fs.ReadLink(f.rfs, alt)
}

// retryParent is retry for an operation that does not follow the last
// component of name.
func (f *FS) retryParent(name string, err error) (string, error) {
	if !fs.ValidPath(name) || name == "." {
		return "", err
	}
	dir, base := path.Split(name)
	if dir == "" {
		return "", err
	}
	alt, rerr := f.retry(strings.TrimSuffix(dir, "/"), err)
	if rerr != nil {
		return "", rerr
	}
	return path.Join(alt, base), nil
}

// renamedInfo is the FileInfo of a file reached through links, under the
// name it was asked for (as os.Stat gives it).
type renamedInfo struct {
	fs.FileInfo
	name string
}

func (r renamedInfo) Name() string { return r.name }

// renamedFile is a file reached through links, whose Stat gives the name
// it was opened by.
type renamedFile struct {
	*os.File
	name string
}

func (r *renamedFile) Stat() (fs.FileInfo, error) {
	fi, err := r.File.Stat()
	if err != nil {
		return nil, err
	}
	return renamedInfo{fi, r.name}, nil
}

// retry is called when the os.Root refused name with err. It resolves the
// links on the way itself: a link out of the folder gives its error; a
// path the os.Root could not follow (an absolute link inside, a long chain)
// gives the resolved name to open through the os.Root again. Anything else
// returns err as it was.
func (f *FS) retry(name string, err error) (string, error) {
	if !fs.ValidPath(name) {
		return "", err
	}
	alt, lerr := f.resolve(name)
	if lerr != nil {
		return "", lerr
	}
	if alt == name {
		return "", err
	}
	return alt, nil
}

// resolve follows the links in name, each checked, and returns the path
// relative to the folder with no links left on the way, or the error of
// the first link that leads out. Link texts are followed as the kernel
// does: ".." after a link goes up from where the link led. A missing
// component ends the walk: the rest is appended as it is, for the open to
// report.
func (f *FS) resolve(name string) (string, error) {
	todo := strings.Split(name, "/")
	var done []string       // resolved components: no links among them
	var link, target string // the last link followed, and its text
	links := 0
	for len(todo) > 0 {
		part := todo[0]
		todo = todo[1:]
		switch part {
		case ".", "":
			continue
		case "..":
			if len(done) > 0 {
				done = done[:len(done)-1]
				continue
			}
			// A relative link climbed out of the folder: it may come back
			// in by another way (../site/x); else it leads out.
			abs := filepath.Join(filepath.Dir(f.real), filepath.FromSlash(path.Join(todo...)))
			rel, ok := f.inside(abs)
			if !ok {
				return "", f.outside(name, link, target)
			}
			todo, done = strings.Split(rel, "/"), done[:0]
			continue
		}
		here := path.Join(append(done, part)...)
		fi, err := f.root.Lstat(here)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			done = append(done, part)
			if err != nil { // missing or unreadable: the open will say so
				return path.Join(append(done, todo...)...), nil
			}
			continue
		}
		if links++; links > maxLinks {
			return "", &article.Error{File: name, Err: &fs.PathError{Op: "open", Path: name, Err: syscall.ELOOP},
				Fix: "a symbolic link on the way points back to itself: fix or remove it"}
		}
		t, err := f.root.Readlink(here)
		if err != nil {
			return path.Join(append(append(done, part), todo...)...), nil
		}
		link, target = here, t
		if !filepath.IsAbs(t) {
			todo = append(strings.Split(filepath.ToSlash(t), "/"), todo...)
			continue // from the link's folder, done
		}
		rel, ok := f.inside(t)
		if !ok {
			return "", f.outside(name, link, target)
		}
		todo, done = append(strings.Split(rel, "/"), todo...), done[:0]
	}
	if len(done) == 0 {
		return ".", nil
	}
	return path.Join(done...), nil
}

// inside returns abs as a slash path relative to the folder, and whether
// it is inside the folder: with its links resolved (outside the folder
// only link texts are read, never a file), or as written when it does not
// exist.
func (f *FS) inside(abs string) (string, bool) {
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return f.under(real)
	}
	return f.under(filepath.Clean(abs))
}

// under returns abs relative to the folder when it is inside it.
func (f *FS) under(abs string) (string, bool) {
	for _, home := range f.homes {
		rel, err := filepath.Rel(home, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
			continue
		}
		return filepath.ToSlash(rel), true
	}
	return "", false
}

// outside is the error for the link at link (on the way to name) whose
// text target leads outside the folder.
func (f *FS) outside(name, link, target string) error {
	abs := target
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(f.homes[0], filepath.FromSlash(path.Dir(link)), target)
	}
	le := &LinkError{Name: name, Link: link, Target: target, Resolved: abs, Root: f.homes[0]}
	return &article.Error{File: link, Err: le,
		Fix: "copy the file into " + f.dir + " instead of linking to it (cp -L), or remove the link"}
}

// LinkError is a symbolic link that leads out of the folder being read.
type LinkError struct {
	Name     string // the path that was opened, relative to the folder
	Link     string // the link found on the way, relative to the folder
	Target   string // the link's text
	Resolved string // the absolute path it points to
	Root     string // the folder, absolute
}

func (e *LinkError) Error() string {
	s := fmt.Sprintf("symbolic link to %s leads outside %s, and nothing outside it is read", e.Target, e.Root)
	if e.Resolved != e.Target {
		s += " (it points to " + e.Resolved + ")"
	}
	if e.Name != e.Link {
		s += " (while opening " + e.Name + ")"
	}
	return s
}

// Is makes errors.Is(err, fs.ErrPermission) true: the file may not be read.
func (e *LinkError) Is(target error) bool { return target == fs.ErrPermission }

// IsLinkError reports whether err is (or wraps) a *LinkError.
func IsLinkError(err error) bool {
	var le *LinkError
	return errors.As(err, &le)
}
