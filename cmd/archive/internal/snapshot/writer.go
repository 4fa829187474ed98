package snapshot

import (
	"archive/tar"
	"archive/zip"
	"compress/flate"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
)

// Header describes one file of a package about to be written.
type Header struct {
	Name     string    // slash path inside the package
	Size     int64     // exact number of bytes that will be written
	Modified time.Time // the package's fixed timestamp
}

// A FileWriter receives the files of a package, one after another: the
// bytes of a file are written to the writer Create returns before the next
// Create or Close.
type FileWriter interface {
	Create(h Header) (io.Writer, error)
	Close() error
}

// NewTarWriter writes a POSIX tar to w, with mode 0644, owner 0 and no
// owner names, so that the same files give the same bytes.
func NewTarWriter(w io.Writer) FileWriter { return &tarWriter{tw: tar.NewWriter(w)} }

type tarWriter struct {
	tw   *tar.Writer
	dirs map[string]bool
}

func (t *tarWriter) Create(h Header) (io.Writer, error) {
	if err := t.mkdirs(path.Dir(h.Name), h.Modified); err != nil {
		return nil, err
	}
	err := t.tw.WriteHeader(&tar.Header{
		Typeflag: tar.TypeReg, Name: h.Name, Size: h.Size, Mode: 0o644,
		ModTime: h.Modified, Format: tarFormat(h.Name),
	})
	if err != nil {
		return nil, fmt.Errorf("tar: %s: %w", h.Name, err)
	}
	return t.tw, nil
}

// mkdirs writes folder entries once each, so that extracting gives the
// folders a fixed mode rather than the extractor's umask.
func (t *tarWriter) mkdirs(dir string, mod time.Time) error {
	if dir == "." || dir == "/" || dir == "" || t.dirs[dir] {
		return nil
	}
	if err := t.mkdirs(path.Dir(dir), mod); err != nil {
		return err
	}
	if t.dirs == nil {
		t.dirs = map[string]bool{}
	}
	t.dirs[dir] = true
	return t.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: dir + "/", Mode: 0o755, ModTime: mod, Format: tarFormat(dir + "/")})
}

// tarFormat picks USTAR when the name fits and PAX otherwise; GNU tar and
// bsdtar read both.
func tarFormat(name string) tar.Format {
	if len(name) <= 100 && isASCII(name) {
		return tar.FormatUSTAR
	}
	return tar.FormatPAX
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func (t *tarWriter) Close() error { return t.tw.Close() }

// NewZipWriter writes a ZIP to w. Files whose names end in an extension of
// already-compressed data (.gz, .zip, .png, .jpg, ...) are stored; the rest
// are deflated at the given flate level (flate.DefaultCompression if 0).
func NewZipWriter(w io.Writer, level int) FileWriter {
	zw := zip.NewWriter(w)
	if level == 0 {
		level = flate.DefaultCompression
	}
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, level)
	})
	return &zipWriter{zw: zw}
}

type zipWriter struct{ zw *zip.Writer }

func (z *zipWriter) Create(h Header) (io.Writer, error) {
	fh := &zip.FileHeader{Name: h.Name, Method: zip.Deflate, Modified: h.Modified}
	if compressed(h.Name) {
		fh.Method = zip.Store
	}
	fh.SetMode(0o644)
	w, err := z.zw.CreateHeader(fh)
	if err != nil {
		return nil, fmt.Errorf("zip: %s: %w", h.Name, err)
	}
	return w, nil
}

func (z *zipWriter) Close() error { return z.zw.Close() }

// compressed reports whether a file name says its bytes are already
// compressed, so that deflating them again would only cost time.
func compressed(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".gz", ".tgz", ".zip", ".wacz", ".bz2", ".xz", ".zst", ".png", ".jpg", ".jpeg", ".gif",
		".webp", ".avif", ".woff", ".woff2", ".mp3", ".mp4", ".webm", ".ogg", ".pdf":
		return true
	}
	return false
}
