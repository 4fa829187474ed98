package snapshot

import (
	"context"
	"fmt"
	"hash"
	"io"
)

// The bag writer is bound by hashing (SHA-512, then SHA-256) and by the
// system calls of opening and reading many small files. readAhead and
// hashFiles overlap the three: one goroutine reads the next files while the
// caller writes and hashes, and the two digests of a chunk are computed at
// the same time on two goroutines. Memory is bounded by chunkCount chunks of
// chunkSize bytes, however large the files.
const (
	chunkSize  = 256 << 10
	chunkCount = 8
)

// chunk is a piece of one file, in order; last marks the file's end.
type chunk struct {
	file int
	data []byte
	last bool
	err  error
}

// readAhead reads files in order into chunks from a fixed pool of buffers.
// It stops at the first error (sent as a chunk) or when done is closed.
func readAhead(ctx context.Context, files []file, free chan []byte, done <-chan struct{}) <-chan chunk {
	out := make(chan chunk, chunkCount)
	go func() {
		defer close(out)
		send := func(c chunk) bool {
			select {
			case out <- c:
				return true
			case <-done:
				return false
			}
		}
		for i, f := range files {
			if err := ctx.Err(); err != nil {
				send(chunk{file: i, err: err})
				return
			}
			if err := readFile(i, f, free, done, send); err != nil {
				send(chunk{file: i, err: err})
				return
			}
		}
	}()
	return out
}

func readFile(i int, f file, free chan []byte, done <-chan struct{}, send func(chunk) bool) error {
	r, err := f.fsys.Open(f.src)
	if err != nil {
		return fmt.Errorf("%s: %w", f.dst, err)
	}
	defer r.Close()
	// Read exactly the size planned: a file that grew since is packaged as
	// it was planned (its manifest lines match what was written), one that
	// shrank is an error. Not reading on to EOF saves a system call a file.
	left := f.size
	for {
		var buf []byte
		select {
		case buf = <-free:
		case <-done:
			return nil
		}
		want := min(left, chunkSize)
		k, err := io.ReadFull(r, buf[:want])
		left -= int64(k)
		if err != nil {
			free <- buf
			if err == io.ErrUnexpectedEOF || err == io.EOF {
				return fmt.Errorf("%s: changed while being packaged (%d bytes, expected %d): run again when nothing writes to it", f.dst, f.size-left, f.size)
			}
			return fmt.Errorf("%s: %w", f.dst, err)
		}
		if !send(chunk{file: i, data: buf[:k], last: left == 0}) || left == 0 {
			return nil
		}
	}
}

// hashFiles reads files in order and, for each, calls begin (which returns
// where the bytes go), writes the bytes there while hashing them with
// hashes[0] on this goroutine and hashes[1:] on one helper goroutine each,
// then calls end with the sums.
func hashFiles(ctx context.Context, files []file, hashes []hash.Hash,
	begin func(i int) (io.Writer, error), end func(i int, sums [][]byte) error) error {
	free := make(chan []byte, chunkCount)
	for range chunkCount {
		free <- make([]byte, chunkSize)
	}
	done := make(chan struct{})
	defer close(done)

	type job struct {
		data  []byte
		reset bool
	}
	helpers := make([]chan job, len(hashes)-1)
	acks := make(chan struct{}, len(hashes))
	for k := range helpers {
		helpers[k] = make(chan job)
		h := hashes[k+1]
		go func(jobs chan job) {
			for j := range jobs {
				if j.reset {
					h.Reset()
				}
				h.Write(j.data)
				acks <- struct{}{}
			}
		}(helpers[k])
	}
	defer func() {
		for _, c := range helpers {
			close(c)
		}
	}()

	chunks := readAhead(ctx, files, free, done)
	current, first := -1, true
	var w io.Writer
	for c := range chunks {
		if c.err != nil {
			return c.err
		}
		if c.file != current {
			var err error
			if w, err = begin(c.file); err != nil {
				return err
			}
			current, first = c.file, true
		}
		for _, jobs := range helpers {
			jobs <- job{data: c.data, reset: first}
		}
		if first {
			hashes[0].Reset()
		}
		hashes[0].Write(c.data)
		_, werr := w.Write(c.data)
		for range helpers {
			<-acks
		}
		free <- c.data[:cap(c.data)]
		if werr != nil {
			return fmt.Errorf("%s: %w", files[c.file].dst, werr)
		}
		first = false
		if c.last {
			sums := make([][]byte, len(hashes))
			for k, h := range hashes {
				sums[k] = h.Sum(nil)
			}
			if err := end(c.file, sums); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}
