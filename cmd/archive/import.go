package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/archive-project/archive/cmd/archive/internal/ingest"
	"github.com/archive-project/archive/cmd/archive/internal/sitefs"
)

func init() {
	register("import", "turn raw seeds into content/ articles", func(e *env) command { return &importCmd{env: e} })
}

// importCmd is `archive import`: seeds/*.txt → content/<slug>.md.
type importCmd struct {
	env *env
}

func (c *importCmd) Usage() string {
	return `Usage:

	archive import [-s DIR] [--force] [--dry-run] [seed files...]

Import turns each raw seed into content/<slug>.md: front matter that the
seed already has is kept, the rest (title, subtitle, outlet, author, date,
source_url, seed, seed_sha256) is inferred where the text allows and left
empty where it does not; site furniture is dropped and reader comments get
their own "## Reader comments" section. The seed itself is never changed.

A content file that differs from what import would write now has been edited
and is skipped, unless --force is given.

Flags:

	-s, --source DIR   site root holding seeds/ and content/ (default ".")
	--force            overwrite content files that an editor has changed
	--dry-run          say what would happen, write nothing

Examples:

	archive import                           # every seeds/*.txt
	archive import seeds/002_ceac8cbe711f858c.txt
	archive import -s ~/archive --dry-run
	archive import --force seeds/000_d7a4d76aec2aac4c.txt
`
}

func (c *importCmd) Run(ctx context.Context, args []string) error {
	flags := newFlagSet("import", c.Usage)
	var source string
	var force, dryRun bool
	flags.StringVar(&source, "s", ".", "site root")
	flags.StringVar(&source, "source", ".", "site root")
	flags.BoolVar(&force, "force", false, "overwrite edited content files")
	flags.BoolVar(&dryRun, "dry-run", false, "write nothing")
	if err := parseFlags(flags, args); err != nil {
		return err
	}
	root, err := sitefs.Dir(source)
	if err != nil {
		return err
	}
	defer root.Close()
	names, err := seedNames(root, source, flags.Args())
	if err != nil {
		return err
	}
	results, err := ingest.ConvertFS(root, names)
	if err != nil {
		return err
	}
	bySeed := ingest.ContentBySeed(root)
	for _, r := range results {
		if err := ctx.Err(); err != nil {
			return err
		}
		if p, ok := bySeed[r.Seed]; ok {
			r.Path = p // the editor may have renamed it
		}
		act, err := ingest.Decide(root, r, force)
		if err != nil {
			return fmt.Errorf("%s: %w", r.Path, err)
		}
		if !dryRun && (act == ingest.Create || act == ingest.Overwrite) {
			if err := writeAtomic(filepath.Join(source, filepath.FromSlash(r.Path)), r.Content); err != nil {
				return err
			}
		}
		fmt.Fprintln(c.env.stdout, reportLine(act, r, dryRun))
	}
	if len(results) == 0 {
		fmt.Fprintln(c.env.stderr, "no seeds to import (looked for seeds/*.txt)")
	}
	return nil
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
	line := fmt.Sprintf("%-16s  %s  ← %s", label, r.Path, r.Seed)
	if act == ingest.Skip {
		line += " (the file differs from a fresh import; use --force to overwrite)"
	}
	return line
}

// seedNames lists the seeds to import as slash paths relative to the site
// root: the arguments, or every seeds/*.txt.
func seedNames(root fs.FS, source string, args []string) ([]string, error) {
	if len(args) == 0 {
		names, err := fs.Glob(root, "seeds/*.txt")
		if err != nil {
			return nil, err
		}
		sort.Strings(names)
		if len(names) == 0 {
			if _, err := fs.Stat(root, "seeds"); errors.Is(err, fs.ErrNotExist) {
				return nil, usagef("archive import -s <site root>", "%s has no seeds/ folder", source)
			}
		}
		return names, nil
	}
	absRoot, err := filepath.Abs(source)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, a := range args {
		abs, err := filepath.Abs(a)
		if err != nil {
			return nil, err
		}
		rel, err := filepath.Rel(absRoot, abs)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, usagef("copy it into "+filepath.Join(source, "seeds")+" and import it from there",
				"%s is outside the site root %s", a, source)
		}
		name := filepath.ToSlash(rel)
		if err := ingest.CheckSeedName(name); err != nil {
			return nil, err
		}
		if path.Ext(name) == ".md" {
			return nil, usagef("archive import seeds/<name>.txt", "%s is a content file, not a seed", a)
		}
		names = append(names, name)
	}
	return names, nil
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
