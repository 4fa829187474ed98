package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/archive-project/archive/cmd/archive/internal/article"
	"github.com/archive-project/archive/cmd/archive/internal/ingest"
	"github.com/archive-project/archive/cmd/archive/internal/sitefs"
)

func init() {
	register("import", "turn captures (saved pages, WARC, WACZ, text) into content/ articles", func(e *env) command { return &importCmd{env: e} })
}

// importCmd is `archive import`: captures → seeds/ (kept byte for byte) and
// content/<slug>.md.
type importCmd struct {
	env *env
}

func (c *importCmd) Usage() string {
	return `Usage:

	archive import [-s DIR] [--force] [--dry-run] [--max-page MB] [PATH...]

Import turns captures into articles. A PATH is a file or a folder of saved
web pages (.html, .htm), WARC files (.warc, .warc.gz), WACZ packages
(.wacz) or plain-text seeds (.txt); with no PATH, every capture in seeds/
is imported again.

Each capture is kept byte for byte under seeds/ (a file from outside the
site is copied there; the same file imported twice is kept once), and each
article in it becomes content/<slug>.md with front matter naming the seed,
its SHA-256 and, for a WARC record, the record's ID, address and date.
From a page, import takes the article's text (not the navigation, ads and
share buttons), title, byline, date, outlet, canonical address and
language, from the page's own metadata first and its text next; reader
comments get their own "## Reader comments" section, replies nested under
what they answer. From a WARC or WACZ, every web page with article text
becomes an article; the other records are counted in one line.

A capture that cannot be read (a truncated WARC, a page without article
text, an unknown charset) is reported by name and the rest is imported.
A content file that differs from what import would write now has been
edited and is skipped, unless --force is given. Importing the same capture
again changes nothing.

Nothing is read through a symbolic link that leads outside the folder you
named (for seeds/, outside the site).

Flags:

	-s, --source DIR   site root holding seeds/ and content/ (default ".")
	--force            overwrite content files that an editor has changed
	--dry-run          say what would happen, write nothing
	--max-page MB      skip web pages larger than this (default 32)

Examples:

	archive import                             # everything in seeds/ again
	archive import ~/Downloads/article.html    # a page saved from a browser
	archive import crawl.warc.gz collection.wacz
	archive import -s ~/archive --dry-run ~/captures/
	archive import --force seeds/000_d7a4d76aec2aac4c.txt
`
}

// input is one capture to import.
type input struct {
	path string      // where to read it (a real path)
	show string      // how to name it in messages (as the user gave it)
	seed string      // its slash path under the site when it is already in seeds/, else ""
	kind ingest.Kind // what it holds
}

func (c *importCmd) Run(ctx context.Context, args []string) error {
	flags := newFlagSet("import", c.Usage)
	var source string
	var force, dryRun bool
	var maxPage int
	flags.StringVar(&source, "s", ".", "site root")
	flags.StringVar(&source, "source", ".", "site root")
	flags.BoolVar(&force, "force", false, "overwrite edited content files")
	flags.BoolVar(&dryRun, "dry-run", false, "write nothing")
	flags.IntVar(&maxPage, "max-page", ingest.DefaultMaxPage>>20, "largest web page read, in MB")
	if err := parseFlags(flags, args); err != nil {
		return err
	}
	if maxPage <= 0 {
		return usagef("archive import --max-page 32", "--max-page must be a number of megabytes above 0")
	}
	root, err := sitefs.Dir(source)
	if err != nil {
		return err
	}
	defer root.Close()
	im := &importer{env: c.env, source: source, root: root, force: force, dryRun: dryRun,
		maxPage: int64(maxPage) << 20}
	inputs, err := im.inputs(flags.Args())
	if err != nil {
		return err
	}
	for _, in := range inputs {
		if err := ctx.Err(); err != nil {
			return err
		}
		im.importOne(in)
	}
	if err := im.write(ctx); err != nil {
		return err
	}
	if len(inputs) == 0 && len(im.problems) == 0 {
		fmt.Fprintln(c.env.stderr, "no captures to import (looked for "+ingest.Kinds+" files in seeds/)")
	}
	if n := len(im.problems); n > 0 {
		return fmt.Errorf("%d %s could not be imported (named above); everything else was", n, pluralWord(n, "capture or record", "captures or records"))
	}
	return nil
}

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// importer holds one run of import.
type importer struct {
	env      *env
	source   string
	root     fs.FS
	force    bool
	dryRun   bool
	maxPage  int64
	results  []*ingest.Result
	problems []error
	newSeeds map[string]string // sha256 → seed path placed in this run
}

func (im *importer) problem(err error) {
	im.problems = append(im.problems, err)
	fmt.Fprintf(im.env.stderr, "error: %v\n", err)
}

func (im *importer) warn(err error) {
	fmt.Fprintf(im.env.stderr, "warning: %v\n", err)
}

// inputs lists the captures to import: the arguments (files, and the
// captures in folders, walked in name order), or everything in seeds/.
func (im *importer) inputs(args []string) ([]input, error) {
	absRoot, err := filepath.Abs(im.source)
	if err != nil {
		return nil, err
	}
	realRoot, err := filepath.EvalSymlinks(absRoot)
	if err != nil {
		return nil, usagef("archive import -s <site root>", "%s: %v", im.source, err)
	}
	seedsDir := filepath.Join(realRoot, "seeds")
	if len(args) == 0 {
		if _, err := os.Stat(seedsDir); errors.Is(err, fs.ErrNotExist) {
			return nil, usagef("archive import -s <site root>, or archive import <files>", "%s has no seeds/ folder", im.source)
		}
		return im.walk(filepath.Join(absRoot, "seeds"), "seeds", realRoot, realRoot, seedsDir)
	}
	var out []input
	for _, a := range args {
		abs, err := filepath.Abs(a)
		if err != nil {
			return nil, err
		}
		info, err := os.Lstat(abs)
		if err != nil {
			im.problem(&article.Error{File: a, Err: errors.Unwrap(err), Fix: "check the path"})
			continue
		}
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			im.problem(&article.Error{File: a, Err: fmt.Errorf("symbolic link to %s, which cannot be read: %w", linkTarget(abs), errors.Unwrap(err)), Fix: "point the link at a capture, or name the capture itself"})
			continue
		}
		inSite := within(realRoot, lexicalReal(abs))
		if info.Mode()&fs.ModeSymlink != 0 && inSite && !within(realRoot, real) {
			im.problem(linkOut(a, real, "the site"))
			continue
		}
		st, err := os.Stat(real)
		if err != nil {
			im.problem(&article.Error{File: a, Err: err, Fix: "check the path"})
			continue
		}
		trust := real
		if inSite {
			trust = realRoot
		}
		if st.IsDir() {
			ins, err := im.walk(real, a, trust, realRoot, seedsDir)
			if err != nil {
				return nil, err
			}
			out = append(out, ins...)
			continue
		}
		k := ingest.KindOf(a)
		if k == ingest.Unknown {
			k = ingest.KindOf(real)
		}
		if k == ingest.Unknown {
			if path.Ext(a) == ".md" {
				return nil, usagef("archive import seeds/<name>.txt", "%s is a content file, not a capture", a)
			}
			return nil, usagef("archive import page.html crawl.warc.gz", "%s is not a capture import reads (%s)", a, ingest.Kinds)
		}
		out = append(out, im.makeInput(real, a, k, realRoot, seedsDir))
	}
	return out, nil
}

// walk lists the captures under dir (shown to the user as show), in name
// order. Links must stay within trust.
func (im *importer) walk(dir, show, trust, realRoot, seedsDir string) ([]input, error) {
	var out []input
	skipped := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(dir, p)
		name := filepath.ToSlash(filepath.Join(show, rel))
		if err != nil {
			im.problem(&article.Error{File: name, Err: err, Fix: "check that the folder is readable"})
			return nil
		}
		base := d.Name()
		if p != dir && (strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~")) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		real := p
		if d.Type()&fs.ModeSymlink != 0 {
			real, err = filepath.EvalSymlinks(p)
			if err != nil {
				im.problem(&article.Error{File: name, Err: fmt.Errorf("symbolic link to %s, which cannot be read", linkTarget(p)), Fix: "remove the link or point it at a capture"})
				return nil
			}
			if !within(trust, real) {
				what := "the folder you named"
				if trust == realRoot {
					what = "the site"
				}
				im.problem(linkOut(name, real, what))
				return nil
			}
			if st, err := os.Stat(real); err != nil || st.IsDir() {
				return nil // a link to a folder is not followed
			}
		} else if !d.Type().IsRegular() {
			return nil
		}
		k := ingest.KindOf(base)
		if k == ingest.Unknown {
			skipped++
			return nil
		}
		out = append(out, im.makeInput(real, name, k, realRoot, seedsDir))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if skipped > 0 {
		fmt.Fprintf(im.env.stderr, "%s: %d other %s skipped (import reads %s)\n", show, skipped, pluralWord(skipped, "file", "files"), ingest.Kinds)
	}
	return out, nil
}

func (im *importer) makeInput(real, show string, k ingest.Kind, realRoot, seedsDir string) input {
	in := input{path: real, show: show, kind: k}
	if within(seedsDir, real) {
		rel, _ := filepath.Rel(realRoot, real)
		in.seed = filepath.ToSlash(rel)
	}
	return in
}

// linkOut is the error for a link that leads outside what may be read.
func linkOut(name, target, what string) error {
	return &article.Error{File: name, Err: fmt.Errorf("symbolic link to %s, outside %s: not read", target, what),
		Fix: "copy the file itself in place of the link, or name the target directly"}
}

func linkTarget(p string) string {
	t, err := os.Readlink(p)
	if err != nil {
		return "?"
	}
	return t
}

// lexicalReal resolves the symbolic links of p's folder (not of p itself).
func lexicalReal(p string) string {
	dir, err := filepath.EvalSymlinks(filepath.Dir(p))
	if err != nil {
		return p
	}
	return filepath.Join(dir, filepath.Base(p))
}

// within reports whether p is root or inside it (both resolved paths).
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// importOne reads one capture; its articles join im.results.
func (im *importer) importOne(in input) {
	seed, sha, tmp, err := im.place(in)
	if err != nil {
		im.problem(err)
		return
	}
	read := in.path
	if tmp != "" {
		read = tmp // parse exactly the bytes that will be kept
	}
	before := len(im.results)
	switch in.kind {
	case ingest.Text:
		src, err := os.ReadFile(read)
		if err == nil {
			var r *ingest.Result
			if r, err = ingest.Convert(seed, src); err == nil {
				im.results = append(im.results, r)
			}
		}
		if err != nil {
			im.problem(err)
		}
	case ingest.HTML:
		src, err := readMax(read, im.maxPage)
		if err != nil {
			im.problem(&article.Error{File: in.show, Err: err, Fix: "raise --max-page if this really is one page"})
			break
		}
		r, err := ingest.ConvertPage(ingest.Page{Seed: seed, SeedSHA256: sha, HTML: src})
		if err != nil {
			im.problem(fmt.Errorf("%s: %w", in.show, unwrapWhere(err)))
			break
		}
		for _, w := range r.Doc.Warnings {
			im.warn(fmt.Errorf("%s: %s", in.show, w))
		}
		im.results = append(im.results, r)
	case ingest.WARC, ingest.WACZ:
		im.readArchive(in, read, ingest.Capture{Seed: seed, SHA256: sha, MaxPage: im.maxPage})
	}
	if tmp != "" {
		im.keep(in, tmp, seed, sha, len(im.results) > before)
	}
}

// unwrapWhere drops a PageError's own naming of the seed, for a page
// named by the user's path instead.
func unwrapWhere(err error) error {
	var pe *ingest.PageError
	if errors.As(err, &pe) {
		if pe.Fix != "" {
			return fmt.Errorf("%w\n\tfix: %s", pe.Err, pe.Fix)
		}
		return pe.Err
	}
	return err
}

func (im *importer) readArchive(in input, read string, c ingest.Capture) {
	f, err := os.Open(read)
	if err != nil {
		im.problem(&article.Error{File: in.show, Err: err, Fix: "check that the file is readable"})
		return
	}
	defer f.Close()
	emit := func(r *ingest.Result) { im.results = append(im.results, r) }
	report := func(err error) {
		var w *ingest.Warning
		if errors.As(err, &w) {
			im.warn(err)
		} else {
			im.problem(err)
		}
	}
	var st ingest.Stats
	if in.kind == ingest.WACZ {
		info, err := f.Stat()
		if err != nil {
			im.problem(err)
			return
		}
		st, err = ingest.ReadWACZ(f, info.Size(), c, emit, report)
		if err != nil {
			im.problem(err)
			return
		}
	} else {
		st, err = ingest.ReadWARC(f, c, emit, report)
		if err != nil {
			im.problem(err)
		}
	}
	fmt.Fprintf(im.env.stdout, "%s: %s\n", c.Seed, st)
}

// place decides where a capture is kept under seeds/: where it is, when
// it is there already; otherwise a copy, made in a temporary file in
// seeds/ that keep renames or removes. The same bytes already in seeds/
// are reused, never copied twice.
func (im *importer) place(in input) (seed, sha, tmp string, err error) {
	if in.seed != "" {
		if err := ingest.CheckSeedName(in.seed); err != nil {
			return "", "", "", err
		}
		sum, err := hashFile(in.path)
		if err != nil {
			return "", "", "", &article.Error{File: in.show, Err: err, Fix: "check that the file is readable"}
		}
		return in.seed, sum, "", nil
	}
	seedsDir := filepath.Join(im.source, "seeds")
	var sum string
	if im.dryRun {
		if sum, err = hashFile(in.path); err != nil {
			return "", "", "", &article.Error{File: in.show, Err: err, Fix: "check that the file is readable"}
		}
	} else {
		if err := os.MkdirAll(seedsDir, 0o755); err != nil {
			return "", "", "", err
		}
		tmp, sum, err = copyHashed(in.path, seedsDir)
		if err != nil {
			return "", "", "", &article.Error{File: in.show, Err: err, Fix: "check that the file is readable and seeds/ writable"}
		}
	}
	name, existing := im.seedName(in, sum)
	if existing && tmp != "" {
		os.Remove(tmp)
		tmp = ""
	}
	return "seeds/" + name, sum, tmp, nil
}

// seedName names a copied capture in seeds/: its own (safe) name, or with
// the start of its SHA-256 when another file has that name. existing is
// true when seeds/ holds these very bytes already.
func (im *importer) seedName(in input, sum string) (string, bool) {
	if p, ok := im.newSeeds[sum]; ok {
		return strings.TrimPrefix(p, "seeds/"), true
	}
	base := ingest.SafeSeedName(filepath.Base(in.show))
	if ingest.KindOf(base) == ingest.Unknown {
		base += map[ingest.Kind]string{ingest.Text: ".txt", ingest.HTML: ".html", ingest.WARC: ".warc", ingest.WACZ: ".wacz"}[in.kind]
	}
	dir := filepath.Join(im.source, "seeds")
	// The same bytes anywhere in seeds/ (same size first, then the hash).
	if info, err := os.Stat(in.path); err == nil {
		var found string
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || found != "" || d.IsDir() || strings.HasPrefix(d.Name(), ".") || !d.Type().IsRegular() {
				return nil
			}
			if fi, err := d.Info(); err == nil && fi.Size() == info.Size() {
				if h, err := hashFile(p); err == nil && h == sum {
					rel, _ := filepath.Rel(dir, p)
					found = filepath.ToSlash(rel)
				}
			}
			return nil
		})
		if found != "" && ingest.CheckSeedName("seeds/"+found) == nil {
			return found, true
		}
	}
	name := base
	if _, err := os.Lstat(filepath.Join(dir, name)); err == nil || im.taken(name) {
		ext := seedExt(name)
		name = strings.TrimSuffix(name, ext) + "-" + sum[:12] + ext
	}
	if im.newSeeds == nil {
		im.newSeeds = map[string]string{}
	}
	im.newSeeds[sum] = "seeds/" + name
	return name, false
}

func (im *importer) taken(name string) bool {
	for _, p := range im.newSeeds {
		if p == "seeds/"+name {
			return true
		}
	}
	return false
}

func seedExt(name string) string {
	if strings.HasSuffix(strings.ToLower(name), ".warc.gz") {
		return name[len(name)-len(".warc.gz"):]
	}
	return path.Ext(name)
}

// keep renames a copied capture to its seed name when articles were read
// from it, and removes it otherwise.
func (im *importer) keep(in input, tmp, seed, sha string, used bool) {
	if !used {
		os.Remove(tmp)
		delete(im.newSeeds, sha)
		return
	}
	final := filepath.Join(im.source, filepath.FromSlash(seed))
	if err := os.Chmod(tmp, 0o644); err != nil {
		im.problem(err)
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		im.problem(&article.Error{File: in.show, Err: err, Fix: "check that seeds/ is writable"})
		return
	}
	fmt.Fprintf(im.env.stdout, "kept              %s  ← %s (sha256 %s…)\n", seed, in.show, sha[:12])
}

// write gives each article its content file and writes those that are new
// or, with --force, changed.
func (im *importer) write(ctx context.Context) error {
	if len(im.results) == 0 {
		return nil
	}
	byKey := ingest.ContentBySeed(im.root)
	used := map[string]bool{}
	for _, p := range byKey {
		used[p] = true
	}
	for _, r := range im.results {
		if p, ok := byKey[r.Key()]; ok {
			r.Path = p // the editor may have renamed it
			continue
		}
		r.Path = im.freePath(r, used)
		used[r.Path] = true
	}
	for _, r := range im.results {
		if err := ctx.Err(); err != nil {
			return err
		}
		act, err := ingest.Decide(im.root, r, im.force)
		if err != nil {
			im.problem(fmt.Errorf("%s: %w", r.Path, err))
			continue
		}
		if !im.dryRun && (act == ingest.Create || act == ingest.Overwrite) {
			if err := writeAtomic(filepath.Join(im.source, filepath.FromSlash(r.Path)), r.Content); err != nil {
				im.problem(err)
				continue
			}
		}
		fmt.Fprintln(im.env.stdout, reportLine(act, r, im.dryRun))
	}
	return nil
}

// freePath is content/<slug>.md, or <slug>-2.md, -3… when another article
// (of this run, or already in content/ from another capture) has it.
func (im *importer) freePath(r *ingest.Result, used map[string]bool) string {
	for n := 1; ; n++ {
		slug := r.Slug
		if n > 1 {
			slug += "-" + strconv.Itoa(n)
		}
		p := ingest.ContentDir + "/" + slug + ".md"
		if used[p] {
			continue
		}
		if have, err := fs.ReadFile(im.root, p); err == nil {
			if a, err := article.Parse(p, have); err == nil && a.Meta.Seed != "" &&
				ingest.SeedKey(a.Meta.Seed, a.Meta.SeedRecord) != r.Key() {
				continue // another capture's article
			}
		}
		return p
	}
}

// reportLine is the one line import prints for a content file.
func reportLine(act ingest.Action, r *ingest.Result, dryRun bool) string {
	label := string(act)
	if act == ingest.Skip {
		label = "skipped (edited)"
	}
	if dryRun && act != ingest.Unchanged {
		label = "would be " + label
	}
	from := r.Seed
	if r.Record != "" && r.Doc != nil && r.Doc.SourceURL != "" {
		from += " " + r.Doc.SourceURL
	}
	line := fmt.Sprintf("%-16s  %s  ← %s", label, r.Path, from)
	if act == ingest.Skip {
		line += " (the file differs from a fresh import; use --force to overwrite)"
	}
	return line
}

// readMax reads a file of at most max bytes.
func readMax(p string, max int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("larger than %d MB: not read as one page", max>>20)
	}
	return b, nil
}

func hashFile(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// copyHashed copies src into a temporary file in dir, returning its name
// and the SHA-256 of the bytes copied.
func copyHashed(src, dir string) (string, string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", "", err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(dir, ".import-*.tmp")
	if err != nil {
		return "", "", err
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(tmp, h), in)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", "", err
	}
	return tmp.Name(), hex.EncodeToString(h.Sum(nil)), nil
}

// writeAtomic writes data to file through a temporary file in the same
// folder and a rename, so a reader never sees half a file.
func writeAtomic(file string, data []byte) error {
	dir := filepath.Dir(file)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(file)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op once renamed
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", file, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("%s: %w", file, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}
