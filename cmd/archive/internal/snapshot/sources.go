package snapshot

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// Sources are the trees a snapshot packages. Site is required; Content and
// Seeds may be nil.
type Sources struct {
	Site    fs.FS // the built site (public/)
	Content fs.FS // the content/ folder
	Seeds   fs.FS // the seeds/ folder
}

// AnnotationsFile is the path of the annotations JSON-LD in the built site.
const AnnotationsFile = "annotations.jsonld"

// PublishDir is the site folder published snapshots go to; it is never
// packaged itself, so snapshots do not nest.
const PublishDir = "snapshots"

// file is one file to package: where it is read from and where it goes.
type file struct {
	fsys fs.FS
	src  string // path in fsys
	dst  string // slash path in the package, relative to the payload root
	size int64
}

// list walks fsys and returns its regular files under prefix, skipping
// names that start with "." and any folder in skip.
func list(fsys fs.FS, prefix string, skip map[string]bool) ([]file, error) {
	var out []file
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", path.Join(prefix, p), err)
		}
		if p == "." {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") || skip[p] {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		info, err := fs.Stat(fsys, p)           // follows symbolic links, as Open will
		if ae, ok := article.AsError(err); ok { // a link out of the site names itself
			return ae
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path.Join(prefix, p), err)
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		// src shares dst's bytes: one string per file, not two
		dst := p
		if prefix != "" {
			dst = prefix + "/" + p
		}
		out = append(out, file{fsys: fsys, src: dst[len(dst)-len(p):], dst: dst, size: info.Size()})
		return nil
	})
	return out, err
}

// siteFiles lists the built site, without its published snapshots.
func siteFiles(site fs.FS, prefix string) ([]file, error) {
	if site == nil {
		return nil, errors.New("snapshot: no built site to package")
	}
	return list(site, prefix, map[string]bool{PublishDir: true})
}

// payload lists every file of a bag's payload, sorted by destination path.
func payload(src Sources) ([]file, error) {
	files, err := siteFiles(src.Site, "site")
	if err != nil {
		return nil, err
	}
	for _, t := range []struct {
		fsys   fs.FS
		prefix string
	}{{src.Content, "content"}, {src.Seeds, "seeds"}} {
		if t.fsys == nil {
			continue
		}
		more, err := list(t.fsys, t.prefix, nil)
		if err != nil {
			return nil, err
		}
		files = append(files, more...)
	}
	if info, err := fs.Stat(src.Site, AnnotationsFile); err == nil && info.Mode().IsRegular() {
		files = append(files, file{fsys: src.Site, src: AnnotationsFile, dst: AnnotationsFile, size: info.Size()})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].dst < files[j].dst })
	return files, nil
}

// SourceDate returns the newest date or capture date among the articles in
// content (an fs.FS of the content/ folder), in UTC: a timestamp that
// changes only when the sources do. With no dated article it returns
// DefaultTime. Errors name the file and line of the article that failed.
func SourceDate(content fs.FS) (time.Time, error) {
	if content == nil {
		return DefaultTime, nil
	}
	arts, err := article.LoadDir(content, ".")
	if err != nil {
		return time.Time{}, err
	}
	var newest time.Time
	for _, a := range arts {
		for _, t := range []time.Time{a.Meta.Date, a.Meta.Captured} {
			if t.After(newest) {
				newest = t
			}
		}
	}
	if newest.IsZero() {
		return DefaultTime, nil
	}
	return newest.UTC().Truncate(time.Second), nil
}
