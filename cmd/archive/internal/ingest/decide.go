package ingest

import (
	"bytes"
	"errors"
	"io/fs"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// Action is what import does with one content file.
type Action string

const (
	Create    Action = "created"
	Unchanged Action = "unchanged"
	Skip      Action = "skipped"     // the file differs: an editor changed it
	Overwrite Action = "overwritten" // it differed, and --force was given
)

// Decide says what to do with r given the site in fsys: create a missing
// file, leave an identical one, skip one an editor has changed (it differs
// from what import would write now) unless force is set.
func Decide(fsys fs.FS, r *Result, force bool) (Action, error) {
	have, err := fs.ReadFile(fsys, r.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Create, nil
	case err != nil:
		return "", err
	case bytes.Equal(have, r.Content):
		return Unchanged, nil
	case force:
		return Overwrite, nil
	}
	return Skip, nil
}

// ContentBySeed maps each seed path named by a content file's seed: key to
// that file, so that import finds an article an editor has renamed instead
// of writing a second one. Files that do not parse are passed over (the
// build reports them).
func ContentBySeed(fsys fs.FS) map[string]string {
	out := map[string]string{}
	_ = fs.WalkDir(fsys, ContentDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !article.IsContentFile(d.Name()) {
			return nil
		}
		a, err := article.ReadFile(fsys, p)
		if err != nil || a.Meta.Seed == "" {
			return nil
		}
		k := SeedKey(a.Meta.Seed, a.Meta.SeedRecord)
		if _, dup := out[k]; !dup {
			out[k] = p
		}
		return nil
	})
	return out
}
