//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package site

import (
	"os"

	"golang.org/x/sys/unix"
)

// lockDir takes an exclusive advisory lock on the folder dir, waiting for
// another Publish into it to finish. locked is false when the lock could
// not be taken (a file system without flock); unlock is then a no-op.
func lockDir(dir string) (unlock func(), locked bool) {
	f, err := os.Open(dir)
	if err != nil {
		return func() {}, false
	}
	for {
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX)
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return func() {}, false
	}
	return func() { f.Close() }, true // closing the last descriptor releases the lock
}
