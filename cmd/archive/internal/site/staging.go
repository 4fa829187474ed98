package site

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Staging folders.
//
// Publish writes a site into a staging folder beside the destination,
// ".<dest>.new-<digits>" (for public/: ".public.new-2750811839"), and swaps
// it in when every file is written; the old site leaves through the same
// folder (or ".public.new-<digits>.old" where paths cannot be exchanged).
// A build killed on the way (kill -9, an out-of-memory kill, a power cut)
// cannot remove its folder, so every Publish first removes the staging
// folders that no running build owns:
//
//   - only directories (never a symlink or a file) whose name is exactly
//     "."+dest+".new-" and digits, optionally followed by ".old": the names
//     os.MkdirTemp gives ours, and no name a person would choose;
//   - only while holding an exclusive lock (flock) on the folder that holds
//     the destination, which every Publish holds while it writes and swaps,
//     so a staging folder seen under the lock belongs to a dead build. Where
//     the lock cannot be taken (no flock), only folders untouched for a day
//     are removed.
//
// Each staging folder holds a .gitignore that ignores everything in it, so
// that a left-over folder never shows in `git status` of the site's
// repository; it is removed before the swap unless the site publishes a
// .gitignore of its own at its root.

// stagingMarker is the file each staging folder holds while it is one.
const stagingMarker = ".gitignore"

// stagingMarkerText ignores the folder's files, itself included.
const stagingMarkerText = "# archive: an unfinished build's staging folder (the next build removes it)\n*\n"

// staleStagingAge is how old a staging folder must be for a Publish that
// cannot take the lock to remove it.
const staleStagingAge = 24 * time.Hour

// isStagingName reports whether name is one of our staging folders' names
// for the destination folder named base.
func isStagingName(name, base string) bool {
	rest, ok := strings.CutPrefix(name, "."+base+".new-")
	if !ok {
		return false
	}
	rest = strings.TrimSuffix(rest, ".old")
	if rest == "" {
		return false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// beginStaging locks parent for this Publish, removes the staging folders
// of dead builds, and makes a new staging folder for the destination named
// base. The caller calls unlock when it has swapped (or given up).
func beginStaging(parent, base string) (tmp string, unlock func(), err error) {
	unlock, locked := lockDir(parent)
	removeStaleStaging(parent, base, locked)
	tmp, err = os.MkdirTemp(parent, "."+base+".new-")
	if err != nil {
		unlock()
		return "", nil, err
	}
	markStaging(tmp)
	return tmp, unlock, nil
}

// markStaging writes the marker that keeps dir out of git.
func markStaging(dir string) {
	_ = os.WriteFile(filepath.Join(dir, stagingMarker), []byte(stagingMarkerText), 0o644)
}

// removeStaleStaging removes the staging folders beside the destination
// base that no running build owns: all of them when locked (every running
// Publish holds the lock), else those untouched for staleStagingAge. A
// folder that cannot be removed is left; it never fails the build.
func removeStaleStaging(parent, base string, locked bool) {
	ents, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range ents {
		if !isStagingName(e.Name(), base) {
			continue
		}
		p := filepath.Join(parent, e.Name())
		fi, err := os.Lstat(p)
		if err != nil || !fi.IsDir() { // a symlink or a file is not ours
			continue
		}
		if !locked && time.Since(fi.ModTime()) < staleStagingAge {
			continue
		}
		_ = os.RemoveAll(p) // RemoveAll never follows symlinks inside
	}
}
