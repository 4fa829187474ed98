//go:build !linux

package sitefs

// beneath is unused where there is no openat2: every read goes through
// the os.Root.
type beneath int

func openBeneath(string) beneath           { return -1 }
func (beneath) close()                     {}
func (beneath) read(string) ([]byte, bool) { return nil, false }
