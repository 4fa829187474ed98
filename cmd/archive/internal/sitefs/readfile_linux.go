package sitefs

import (
	"io/fs"

	"golang.org/x/sys/unix"
)

// beneath is the folder opened for openat2 (readBeneath), or -1.
type beneath int

// openBeneath opens dir for readBeneath; -1 when it cannot, and every
// read then goes through the os.Root.
func openBeneath(dir string) beneath {
	fd, err := unix.Open(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1
	}
	return beneath(fd)
}

func (b beneath) close() {
	if b >= 0 {
		unix.Close(int(b))
	}
}

// readBeneath reads the regular file name in one openat2 that the kernel
// keeps inside the folder (RESOLVE_BENEATH: a link, "..", or a link's
// target may never leave it; no /proc magic links): about five system
// calls where the os.Root takes one openat per folder on the way, and
// ReadFile is called once or twice for every article of a build (the
// reads of a 100,000-article build took 16 s of its 230 CPU-s). ok is
// false when it did not read the file for any reason (a link out of the
// folder or to an absolute path inside it, a missing file, a folder, a
// kernel without openat2, ...): the caller then reads through the os.Root,
// which follows what may be followed and gives the error of what may not.
func (b beneath) read(name string) (data []byte, ok bool) {
	if b < 0 || !fs.ValidPath(name) {
		return nil, false
	}
	fd, err := unix.Openat2(int(b), name, &unix.OpenHow{
		Flags:   unix.O_RDONLY | unix.O_CLOEXEC | unix.O_NONBLOCK | unix.O_NOCTTY,
		Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS,
	})
	if err != nil {
		return nil, false
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
		return nil, false
	}
	// As os.ReadFile: the size, and room to see the end of a file that grew.
	data = make([]byte, 0, int(st.Size)+512)
	for {
		n, err := unix.Read(fd, data[len(data):cap(data)])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, false
		}
		if n == 0 {
			return data, true
		}
		data = data[:len(data)+n]
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
	}
}
