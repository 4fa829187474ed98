package article

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// LoadDir parses every Markdown file (*.md, *.markdown) under dir in fsys,
// in lexical path order. Files and folders whose names start with "." or "_"
// are skipped, as editors and Hugo leave them. It returns the first error,
// which names the file and line.
func LoadDir(fsys fs.FS, dir string) ([]*Article, error) {
	var paths []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if ae, ok := AsError(err); ok {
				return ae
			}
			return &Error{File: p, Err: err, Fix: "check that the path exists and is readable"}
		}
		name := d.Name()
		if p != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && IsContentFile(name) {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	out := make([]*Article, 0, len(paths))
	for _, p := range paths {
		a, err := ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// ReadFile reads and parses one content file from fsys.
func ReadFile(fsys fs.FS, p string) (*Article, error) {
	src, err := fs.ReadFile(fsys, p)
	if err != nil {
		if ae, ok := AsError(err); ok { // e.g. a link out of the site
			return nil, ae
		}
		return nil, &Error{File: p, Err: fmt.Errorf("read: %w", err), Fix: "check that the file exists and is readable"}
	}
	return Parse(p, src)
}

// IsContentFile reports whether a file name is an article (by extension).
func IsContentFile(name string) bool {
	ext := path.Ext(name)
	return ext == ".md" || ext == ".markdown"
}
