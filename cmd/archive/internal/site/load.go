package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// srcFile is one file of content/ or seeds/ as last read.
type srcFile struct {
	hash [32]byte
	data []byte           // seeds only
	art  *article.Article // content only
	err  error            // a problem to report while the file stays as it is
	// body is what rendering the article's Markdown learnt (its first
	// sentence, words, reader comments), kept with the file so that lists
	// know it in builds that do not render the article again.
	body *bodyFacts
	// written is a Hugo page's body as written, when art.Body has its
	// shortcodes and markup blanked (hugosite.go pageText).
	written []byte
	// Where to read the body again once the build that loaded it is over
	// (dropBodies, Article.Body): the file system, and the body's offset
	// in the file; dropped is set when art.Body was let go.
	fsys             fs.FS
	bodyOff, bodyLen int
	dropped          bool
	// bodyMu orders dropBody with readBody: a feature's early work
	// (EarlyFeature) may read a body while the build lets it go.
	bodyMu sync.Mutex
	// held, while the article's step of a build runs (Article.holdBody),
	// is the body read again once for the step: its page and the files
	// features put beside it (body.md, annotations.jsonld) read the file
	// once, not once each.
	held atomic.Pointer[heldBody]
}

// heldBody is a dropped body read again for one step, on its first use.
type heldBody struct {
	mu   sync.Mutex
	read bool
	body []byte
	err  error
}

// bodyFacts are what lists and feeds need of a rendered body.
type bodyFacts struct {
	summary         string
	words, comments int
}

// walkFiles lists the regular files under dir whose names do not start with
// "." or "_" (editor and Hugo convention), sorted. A missing dir is empty.
func walkFiles(fsys fs.FS, dir string, keep func(name string) bool) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			if ae, ok := article.AsError(err); ok { // e.g. a link out of the site
				return ae
			}
			return &article.Error{File: p, Err: err, Fix: "check that the path exists and is readable"}
		}
		name := d.Name()
		if p != dir && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && keep(name) {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

func isSeedFile(name string) bool {
	return !strings.HasSuffix(name, "~") && !strings.HasSuffix(name, ".swp")
}
func isContentFile(name string) bool { return article.IsContentFile(name) }

// readSource reads one source file and makes its srcFile with newFile,
// reusing prev when the bytes are the same, so an unchanged file is
// neither parsed nor copied again.
func readSource(fsys fs.FS, p string, prev *srcFile, newFile func(src []byte, h [32]byte) *srcFile) (*srcFile, error) {
	src, err := fs.ReadFile(fsys, p)
	if err != nil {
		return nil, err
	}
	h := sha256.Sum256(src)
	if prev != nil && prev.hash == h {
		return prev, nil
	}
	return newFile(src, h), nil
}

// readContent reads and parses one content file.
func readContent(fsys fs.FS, p string, prev *srcFile) (*srcFile, error) {
	return readSource(fsys, p, prev, func(src []byte, h [32]byte) *srcFile {
		f := &srcFile{hash: h, bodyOff: -1}
		f.art, f.err = article.Parse(p, src)
		if f.art != nil && len(f.art.Body) > 0 && &src[len(src)-len(f.art.Body)] == &f.art.Body[0] {
			f.fsys, f.bodyOff = fsys, len(src)-len(f.art.Body) // the body ends the file
		}
		return f
	})
}

// dropBody lets go of f's body and the file's bytes once the build that
// read them is over: `archive serve` kept every content file whole between
// edits (587 MB at 100,000 articles), for the few pages an edit renders
// again. Its front matter, which errors quote, is kept apart; Article.Body
// reads the body again when a later build needs it.
func (f *srcFile) dropBody() {
	if f.dropped || f.art == nil || f.bodyOff < 0 || f.fsys == nil {
		return
	}
	f.bodyMu.Lock()
	f.art.Front = bytes.Clone(f.art.Front)
	f.bodyLen, f.art.Body = len(f.art.Body), nil
	f.dropped = true
	f.bodyMu.Unlock()
}

// errChanged is the error of a body read again whose file changed since
// it was loaded, errVanished of a file that went while the site was being
// built: `archive serve` builds again with the new file (Stale).
var (
	errChanged  = errors.New("the file changed while the site was being built")
	errVanished = errors.New("the file vanished while the site was being built")
)

// Stale reports whether err is, or holds, a build's failure to read a
// content file that changed or went after the build began (a save during
// it): the build is out of date, not the site broken, and the save's own
// build is due. `archive serve` drops such a build without showing it as
// the site's problem; `archive build` reports it.
func Stale(err error) bool {
	return errors.Is(err, errChanged) || errors.Is(err, errVanished)
}

// readBody is f's body: art.Body, or the file read again when it was dropped,
// which fails when the file is no longer the one loaded.
func (f *srcFile) readBody() ([]byte, error) {
	f.bodyMu.Lock()
	dropped, body := f.dropped, f.art.Body
	f.bodyMu.Unlock()
	if !dropped {
		return body, nil
	}
	if h := f.held.Load(); h != nil {
		h.mu.Lock()
		defer h.mu.Unlock()
		if !h.read {
			h.body, h.err = f.readDropped()
			h.read = true
		}
		return h.body, h.err
	}
	return f.readDropped()
}

// readDropped reads the dropped body of f again from its file.
func (f *srcFile) readDropped() ([]byte, error) {
	src, err := fs.ReadFile(f.fsys, f.art.Path)
	if err != nil {
		return nil, vanished(f.art.Path, err)
	}
	if sha256.Sum256(src) != f.hash || len(src)-f.bodyOff != f.bodyLen {
		return nil, &article.Error{File: f.art.Path, Err: errChanged,
			Fix: "save it again once it is as it should be, or run the build again once the files have stopped changing"}
	}
	return src[f.bodyOff:], nil
}

// readSeed reads one raw seed file as it is.
func readSeed(fsys fs.FS, p string, prev *srcFile) (*srcFile, error) {
	return readSource(fsys, p, prev, func(src []byte, h [32]byte) *srcFile {
		return &srcFile{hash: h, data: src}
	})
}

// vanished is the error for a file listed a moment ago that cannot be read now.
func vanished(p string, err error) error {
	if ae, ok := article.AsError(err); ok { // e.g. a link out of the site
		return ae
	}
	if errors.Is(err, fs.ErrNotExist) {
		return &article.Error{File: p, Err: errVanished,
			Fix: "run the build again once the files have stopped changing"}
	}
	return &article.Error{File: p, Err: fmt.Errorf("read: %w", err), Fix: "check that the file is readable"}
}

// readAll reads paths with n workers; read errors are fatal (vanished files).
func readAll(ctx context.Context, fsys fs.FS, paths []string, prev map[string]*srcFile, n int,
	read func(fs.FS, string, *srcFile) (*srcFile, error)) (map[string]*srcFile, error) {
	out := make(map[string]*srcFile, len(paths))
	res := make([]*srcFile, len(paths))
	err := parallel(ctx, len(paths), n, func(i int) error {
		f, err := read(fsys, paths[i], prev[paths[i]])
		if err != nil {
			return vanished(paths[i], err)
		}
		res[i] = f
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i, p := range paths {
		out[p] = res[i]
	}
	return out, nil
}

// parallel runs f(0..n-1) on up to workers goroutines and returns the error
// of the lowest index that failed, so that errors are deterministic too.
func parallel(ctx context.Context, n, workers int, f func(i int) error) error {
	if n == 0 {
		return ctx.Err()
	}
	if workers > n {
		workers = n
	}
	if workers < 1 {
		workers = 1
	}
	errs := make([]error, n)
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	var failed bool
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				stop := failed
				mu.Unlock()
				if i >= n || stop {
					return
				}
				if err := ctx.Err(); err != nil {
					errs[i] = err
				} else {
					errs[i] = f(i)
				}
				if errs[i] != nil {
					mu.Lock()
					failed = true
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// refreshTree brings cache up to date for the changed path p under root:
// a vanished path drops its entries, a folder is walked again.
func refreshTree(fsys fs.FS, cache map[string]*srcFile, p string, keep func(string) bool,
	read func(fs.FS, string, *srcFile) (*srcFile, error)) {
	drop := func() {
		for k := range cache {
			if k == p || strings.HasPrefix(k, p+"/") {
				delete(cache, k)
			}
		}
	}
	fi, err := fs.Stat(fsys, p)
	if errors.Is(err, fs.ErrNotExist) {
		drop()
		return
	}
	if err != nil {
		cache[p] = &srcFile{err: vanished(p, err)}
		return
	}
	if !fi.IsDir() {
		name := path.Base(p)
		if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || !keep(name) || hiddenDir(p) {
			return
		}
		f, err := read(fsys, p, cache[p])
		if errors.Is(err, fs.ErrNotExist) {
			delete(cache, p)
			return
		}
		if err != nil {
			f = &srcFile{err: vanished(p, err)}
		}
		cache[p] = f
		return
	}
	paths, err := walkFiles(fsys, p, keep)
	if err != nil {
		cache[p] = &srcFile{err: err}
		return
	}
	fresh := map[string]bool{}
	for _, q := range paths {
		if hiddenDir(q) {
			continue
		}
		fresh[q] = true
		f, err := read(fsys, q, cache[q])
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				delete(fresh, q)
				continue
			}
			f = &srcFile{err: vanished(q, err)}
		}
		cache[q] = f
	}
	for k := range cache {
		if (k == p || strings.HasPrefix(k, p+"/")) && !fresh[k] {
			delete(cache, k)
		}
	}
}

// hiddenDir reports whether a path goes through a folder that walks skip.
func hiddenDir(p string) bool {
	parts := strings.Split(p, "/")
	for _, s := range parts[:len(parts)-1] {
		if strings.HasPrefix(s, ".") || strings.HasPrefix(s, "_") {
			return true
		}
	}
	return false
}

// frontLine is the line of key in an article's front matter, or 1.
func frontLine(a *article.Article, key string) int {
	first := 2
	if a.Format == article.JSON {
		first = 1
	}
	if n := keyLine(a.Front, key, first); n > 0 {
		return n
	}
	return 1
}
