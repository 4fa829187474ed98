package ingest

import (
	"bytes"
	"errors"
	"io/fs"
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
