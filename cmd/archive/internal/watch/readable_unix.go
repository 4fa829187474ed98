//go:build unix

package watch

import "golang.org/x/sys/unix"

// readable reports whether this process may read the file at p (for a
// folder: list it and open what is in it). Permission bits that let
// everyone read answer without a system call.
func readable(p string, perm uint32, dir bool) bool {
	need, bits := uint32(unix.R_OK), uint32(0o444)
	if dir {
		need, bits = unix.R_OK|unix.X_OK, 0o555
	}
	if perm&bits == bits {
		return true
	}
	return unix.Access(p, need) == nil
}
