//go:build !unix

package watch

import "os"

// readable reports whether this process may read the file or folder at p.
func readable(p string, perm uint32, dir bool) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	f.Close()
	return true
}
