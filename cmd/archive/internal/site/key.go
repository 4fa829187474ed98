package site

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"time"
)

// Fingerprints. A build renders a page again only when the fingerprint of
// what it shows changed, and features (package annotations, search) keep
// what they made from build to build under fingerprints of what they read.
// There is one mechanism for both: a Key, made with a Hasher.
//
// Keys are 64-bit hashes with a per-process seed (hash/maphash): they are
// compared only within one process (a Builder's caches), never stored.

// Key is a fingerprint: it changes whenever what it was made from changes.
// The zero Key means "none".
type Key uint64

var keySeed = maphash.MakeSeed()

// Hasher builds a Key from fields written one after another; each field
// is length-prefixed, so ("ab", "c") and ("a", "bc") differ.
type Hasher struct {
	h   maphash.Hash
	buf [8]byte
}

// NewHasher returns a Hasher ready to write.
func NewHasher() *Hasher {
	h := &Hasher{}
	h.h.SetSeed(keySeed)
	return h
}

// Reset makes h ready for another key.
func (h *Hasher) Reset() { h.h.Reset() }

// Uint64 writes a number.
func (h *Hasher) Uint64(v uint64) *Hasher {
	binary.LittleEndian.PutUint64(h.buf[:], v)
	h.h.Write(h.buf[:])
	return h
}

// Int writes a number.
func (h *Hasher) Int(v int) *Hasher { return h.Uint64(uint64(v)) }

// Key writes another key.
func (h *Hasher) Key(k Key) *Hasher { return h.Uint64(uint64(k)) }

// Bool writes a flag.
func (h *Hasher) Bool(b bool) *Hasher {
	if b {
		return h.Uint64(1)
	}
	return h.Uint64(0)
}

// Float writes a number.
func (h *Hasher) Float(f float64) *Hasher { return h.Uint64(math.Float64bits(f)) }

// String writes strings, each length-prefixed.
func (h *Hasher) String(ss ...string) *Hasher {
	for _, s := range ss {
		h.Int(len(s))
		h.h.WriteString(s)
	}
	return h
}

// Bytes writes b, length-prefixed.
func (h *Hasher) Bytes(b []byte) *Hasher {
	h.Int(len(b))
	h.h.Write(b)
	return h
}

// Time writes a time as pages show it: the instant and the zone it is
// written in (Equal ignores the zone, which shows; == compares a
// *Location that a file read again makes anew).
func (h *Hasher) Time(t time.Time) *Hasher {
	name, off := t.Zone()
	return h.Uint64(uint64(t.Unix())).Int(t.Nanosecond()).Int(off).String(name)
}

// Sum returns the key of what was written; never the zero Key.
func (h *Hasher) Sum() Key {
	if k := Key(h.h.Sum64()); k != 0 {
		return k
	}
	return 1
}

// KeyOf returns the key of a comparable value (a struct of the fields a
// cache depends on), hashing it in one call.
func KeyOf[T comparable](v T) Key {
	if k := Key(maphash.Comparable(keySeed, v)); k != 0 {
		return k
	}
	return 1
}

// KeyBytes returns the key of b.
func KeyBytes(b []byte) Key {
	if k := Key(maphash.Bytes(keySeed, b)); k != 0 {
		return k
	}
	return 1
}
