package sitefs

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// The one-call read (openat2 beneath the folder) never reads what the
// os.Root path refuses: for every case of TestLinks it either reads the
// same text or declines, and ReadFile then answers through the os.Root.
// It reads plain files and links that stay inside by relative texts; it
// declines absolute links, links out, folders, FIFOs (without blocking)
// and names that are not valid fs paths.
func TestReadBeneath(t *testing.T) {
	_, site := tree(t)
	if err := syscall.Mkfifo(filepath.Join(site, "content/fifo.md"), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys, err := Dir(site)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	if fsys.fast < 0 {
		t.Fatalf("openBeneath(%s) failed", site)
	}
	if _, ok := fsys.fast.read("content/a.md"); !ok {
		t.Skip("openat2 is not available on this kernel; ReadFile reads through the os.Root")
	}
	mustRead := map[string]bool{"content/a.md": true, "content/in-rel.md": true, "content/indir/s.txt": true,
		"content/dotdot.md": true, "content/chain0.md": true}
	for name, w := range cases {
		b, ok := fsys.fast.read(name)
		switch {
		case ok && (w.text == "" || string(b) != w.text):
			t.Errorf("%s: read %q, want %+v", name, b, w)
		case !ok && mustRead[name]:
			t.Errorf("%s: declined, want %q read in one call", name, w.text)
		}
	}
	for _, name := range []string{"content", "content/fifo.md", "../outside/secret.txt", "/etc/passwd", "content/./a.md", ""} {
		if b, ok := fsys.fast.read(name); ok {
			t.Errorf("%q: read %q, want it declined", name, b)
		}
	}
	// A file bigger than its first read, and one that is empty.
	big := make([]byte, 1<<20+3)
	for i := range big {
		big[i] = byte('a' + i%26)
	}
	if err := os.WriteFile(filepath.Join(site, "content/big.md"), big, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(site, "content/empty.md"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]byte{"content/big.md": big, "content/empty.md": {}} {
		b, ok := fsys.fast.read(name)
		if !ok || string(b) != string(want) {
			t.Errorf("%s: read %d bytes (ok %v), want %d", name, len(b), ok, len(want))
		}
	}
}
