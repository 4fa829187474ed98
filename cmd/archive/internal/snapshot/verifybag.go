package snapshot

import (
	"context"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Problem is one thing wrong with a package: the file (with ":line" where
// a line is to blame) and what is wrong with it.
type Problem struct {
	File string
	Msg  string
}

func (p Problem) String() string { return p.File + ": " + p.Msg }

// checksumAlgorithms are the manifest algorithms a bag may use (RFC 8493
// §2.4 names these four; SHA-256 and SHA-512 are the ones to write).
var checksumAlgorithms = map[string]func() hash.Hash{
	"md5": md5.New, "sha1": sha1.New, "sha256": sha256.New, "sha512": sha512.New,
}

// BagRoot finds the bag in fsys: fsys itself when bagit.txt is at its top,
// or the one top-level folder that holds bagit.txt (how .tar and .zip bags
// are laid out). It returns that folder's name ("." for the top).
func BagRoot(fsys fs.FS) (fs.FS, string, error) {
	if _, err := fs.Stat(fsys, "bagit.txt"); err == nil {
		return fsys, ".", nil
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, "", err
	}
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			if _, err := fs.Stat(fsys, e.Name()+"/bagit.txt"); err == nil {
				dirs = append(dirs, e.Name())
			}
		}
	}
	if len(dirs) != 1 {
		return nil, "", fmt.Errorf("bagit.txt: not found at the top nor in a single top-level folder: this is not a BagIt bag")
	}
	sub, err := fs.Sub(fsys, dirs[0])
	return sub, dirs[0], err
}

// manifest is one parsed manifest-<alg>.txt or tagmanifest-<alg>.txt.
type manifest struct {
	name, alg string
	entries   map[string]manifestEntry // by path
}

// manifestEntry is one line: the checksum (raw bytes, to keep a large
// bag's index small) and the line number.
type manifestEntry struct {
	sum  string
	line int
}

// VerifyBag checks the bag at the top of fsys against RFC 8493 and returns
// every problem found. It checks that bagit.txt is well formed; that every
// manifest and tag manifest parses, uses a known algorithm and lists only
// safe paths; that every file a manifest lists is present, every payload
// file is listed in every payload manifest, and no tag manifest is missing
// for a payload manifest's algorithm; that bag-info.txt's Payload-Oxum
// matches the payload; and, unless fast, that every checksum matches (each
// file is read once, whatever the number of manifests).
func VerifyBag(ctx context.Context, fsys fs.FS, fast bool) ([]Problem, error) {
	v := &bagVerifier{fsys: fsys}
	if err := v.run(ctx, fast); err != nil {
		return nil, err
	}
	sort.SliceStable(v.probs, func(i, j int) bool { return fileOrder(v.probs[i].File) < fileOrder(v.probs[j].File) })
	return v.probs, nil
}

// fileOrder sorts problems by file, then by line number within the file.
func fileOrder(f string) string {
	name, n, ok := strings.Cut(f, ":")
	if !ok {
		return f
	}
	return fmt.Sprintf("%s:%09s", name, n)
}

type bagVerifier struct {
	fsys    fs.FS
	probs   []Problem
	payload map[string]int64 // data/... -> size
	tags    map[string]int64 // every other file -> size
}

func (v *bagVerifier) bad(file, format string, args ...any) {
	v.probs = append(v.probs, Problem{File: file, Msg: fmt.Sprintf(format, args...)})
}

func (v *bagVerifier) run(ctx context.Context, fast bool) error {
	if !v.declaration() {
		return nil
	}
	if err := v.inventory(); err != nil {
		return err
	}
	manifests, tagManifests := v.manifests()
	v.complete(manifests, tagManifests)
	v.oxum()
	if fast {
		return nil
	}
	return v.checksums(ctx, append(manifests, tagManifests...))
}

var versionRE = regexp.MustCompile(`^BagIt-Version: ([0-9]+)\.([0-9]+)$`)

// declaration checks bagit.txt and reports whether the bag can be read on.
func (v *bagVerifier) declaration() bool {
	b, err := readSmallFile(v.fsys, "bagit.txt")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		v.bad("bagit.txt", "cannot be read: %v", err)
		return false
	}
	if err != nil {
		v.bad("bagit.txt", "missing: every bag starts with bagit.txt (BagIt-Version and Tag-File-Character-Encoding)")
		return false
	}
	lines, probs := tagLines("bagit.txt", b)
	v.probs = append(v.probs, probs...)
	var texts []string
	for _, l := range lines {
		texts = append(texts, l.text)
	}
	if len(texts) != 2 {
		v.bad("bagit.txt", "has %d lines, want exactly 2: \"BagIt-Version: 1.0\" and \"Tag-File-Character-Encoding: UTF-8\"", len(texts))
	}
	if len(texts) > 0 && !versionRE.MatchString(texts[0]) {
		v.bad("bagit.txt:1", "is %q, want \"BagIt-Version: M.N\" (e.g. 1.0)", texts[0])
	}
	if len(texts) > 1 {
		label, enc, ok := strings.Cut(texts[1], ": ")
		if !ok || label != "Tag-File-Character-Encoding" {
			v.bad("bagit.txt:2", "is %q, want \"Tag-File-Character-Encoding: UTF-8\"", texts[1])
		} else if !strings.EqualFold(enc, "UTF-8") {
			v.bad("bagit.txt:2", "tag files are declared %s; this verifier reads UTF-8 only", enc)
		}
	}
	return true
}

// maxSmallFile is the most verify reads into memory from one metadata
// file (bagit.txt, bag-info.txt, a WACZ's JSON and indexes). A hostile
// package may declare any size (a ZIP entry of 60 bytes said 3 GB, and
// fs.ReadFile made room for it) or inflate to any size (deflate expands
// a thousandfold). A variable for tests.
var maxSmallFile = 256 << 20

// readSmall reads r whole, up to maxSmallFile, growing as bytes arrive
// rather than trusting a declared size.
func readSmall(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, int64(maxSmallFile)+1))
	if err == nil && len(b) > maxSmallFile {
		return nil, fmt.Errorf("is over %d MB, far more than such a file holds", maxSmallFile>>20)
	}
	return b, err
}

// readSmallFile is readSmall of the file name in fsys.
func readSmallFile(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readSmall(f)
}

// inventory lists every file of the bag, payload and tag.
func (v *bagVerifier) inventory() error {
	v.payload, v.tags = map[string]int64{}, map[string]int64{}
	hasData := false
	err := fs.WalkDir(v.fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			v.bad(p, "cannot be read: %v", err)
			return nil
		}
		if p == "data" && d.IsDir() {
			hasData = true
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			v.bad(p, "cannot be read: %v", err)
			return nil
		}
		if strings.HasPrefix(p, "data/") {
			v.payload[p] = info.Size()
		} else {
			v.tags[p] = info.Size()
		}
		return nil
	})
	if !hasData {
		v.bad("data", "missing: the payload folder data/ must exist, even when empty")
	}
	return err
}

// manifests parses every manifest-*.txt and tagmanifest-*.txt at the top.
func (v *bagVerifier) manifests() (payload, tag []*manifest) {
	var names []string
	for p := range v.tags {
		if !strings.Contains(p, "/") && (strings.HasPrefix(p, "manifest-") || strings.HasPrefix(p, "tagmanifest-")) && strings.HasSuffix(p, ".txt") {
			names = append(names, p)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		m := v.parseManifest(name)
		if m == nil {
			continue
		}
		if strings.HasPrefix(name, "tagmanifest-") {
			tag = append(tag, m)
		} else {
			payload = append(payload, m)
		}
	}
	if len(payload) == 0 {
		v.bad("manifest-sha512.txt", "missing: a bag needs at least one payload manifest (manifest-sha256.txt or manifest-sha512.txt)")
	}
	return payload, tag
}

func (v *bagVerifier) parseManifest(name string) *manifest {
	isTag := strings.HasPrefix(name, "tagmanifest-")
	alg := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(name, "tag"), "manifest-"), ".txt")
	newHash, ok := checksumAlgorithms[alg]
	if !ok {
		v.bad(name, "unknown checksum algorithm %q: use sha256 or sha512", alg)
		return nil
	}
	hexLen := newHash().Size() * 2
	f, err := v.fsys.Open(name)
	if err != nil {
		v.bad(name, "cannot be read: %v", err)
		return nil
	}
	defer f.Close()
	m := &manifest{name: name, alg: alg, entries: map[string]manifestEntry{}}
	probs := scanTagLines(name, f, func(l line) {
		at := fmt.Sprintf("%s:%d", name, l.n)
		sum, rest, ok := strings.Cut(l.text, " ")
		if !ok {
			sum, rest, ok = strings.Cut(l.text, "\t")
		}
		p := DecodePath(strings.TrimLeft(rest, " \t"))
		switch {
		case !ok || p == "":
			v.bad(at, "is %q, want \"<checksum> <path>\"", l.text)
			return
		case len(sum) != hexLen || !isHex(sum):
			v.bad(at, "%q is not a %s checksum (%d hex digits)", sum, alg, hexLen)
			return
		case !fs.ValidPath(p) || strings.Contains(p, "\\"):
			v.bad(at, "path %q is not a relative slash path inside the bag", p)
			return
		case !isTag && !strings.HasPrefix(p, "data/"):
			v.bad(at, "path %q is outside data/: a payload manifest lists payload files only", p)
			return
		case isTag && strings.HasPrefix(p, "data/"):
			v.bad(at, "path %q is a payload file: a tag manifest lists tag files only", p)
			return
		case isTag && strings.HasPrefix(p, "tagmanifest-"):
			v.bad(at, "lists %s: a tag manifest must not list tag manifests", p)
			return
		}
		if first, dup := m.entries[p]; dup {
			v.bad(at, "lists %s again (first on line %d)", p, first.line)
			return
		}
		raw, _ := hex.DecodeString(sum)
		m.entries[p] = manifestEntry{sum: string(raw), line: l.n}
	})
	v.probs = append(v.probs, probs...)
	return m
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}

// complete checks that manifests and files agree (RFC 8493 §3 "complete").
func (v *bagVerifier) complete(payload, tag []*manifest) {
	for _, m := range append(append([]*manifest{}, payload...), tag...) {
		for _, p := range sortedKeys(m.entries) {
			_, inPayload := v.payload[p]
			_, inTags := v.tags[p]
			if !inPayload && !inTags {
				v.bad(p, "missing: listed in %s line %d but not in the bag", m.name, m.entries[p].line)
			}
		}
	}
	for _, p := range sortedKeys(v.payload) {
		for _, m := range payload {
			if _, ok := m.entries[p]; !ok {
				v.bad(p, "not listed in %s: every payload file must be in every payload manifest", m.name)
			}
		}
	}
	tagAlgs := map[string]bool{}
	for _, m := range tag {
		tagAlgs[m.alg] = true
	}
	for _, m := range payload {
		if !tagAlgs[m.alg] {
			v.bad("tag"+m.name, "missing: %s has no tag manifest of the same algorithm, so bagit.txt, bag-info.txt and the manifests themselves are not checked (RFC 8493 §2.2.1)", m.name)
		}
	}
}

var (
	oxumRE = regexp.MustCompile(`^([0-9]+)\.([0-9]+)$`)
	dateRE = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

// oxum checks bag-info.txt's form and its Payload-Oxum.
func (v *bagVerifier) oxum() {
	b, err := readSmallFile(v.fsys, "bag-info.txt")
	if errors.Is(err, fs.ErrNotExist) {
		return // bag-info.txt is optional
	}
	if err != nil {
		v.bad("bag-info.txt", "cannot be read: %v", err)
		return
	}
	lines, probs := tagLines("bag-info.txt", b)
	v.probs = append(v.probs, probs...)
	var oxum string
	var oxumLine int
	for _, l := range lines {
		if l.text == "" {
			v.bad(fmt.Sprintf("bag-info.txt:%d", l.n), "is empty: bag-info.txt holds \"Label: value\" lines only")
			continue
		}
		if l.text[0] == ' ' || l.text[0] == '\t' {
			continue // continuation of the previous value
		}
		label, value, ok := strings.Cut(l.text, ":")
		if !ok {
			v.bad(fmt.Sprintf("bag-info.txt:%d", l.n), "is %q, want \"Label: value\"", l.text)
			continue
		}
		value = strings.TrimSpace(value)
		switch strings.TrimSpace(label) {
		case "Payload-Oxum":
			if oxum != "" {
				v.bad(fmt.Sprintf("bag-info.txt:%d", l.n), "Payload-Oxum appears twice")
			}
			oxum, oxumLine = value, l.n
		case "Bagging-Date":
			if !dateRE.MatchString(value) {
				v.bad(fmt.Sprintf("bag-info.txt:%d", l.n), "Bagging-Date %q is not YYYY-MM-DD", value)
			}
		}
	}
	if oxum == "" {
		return
	}
	at := fmt.Sprintf("bag-info.txt:%d", oxumLine)
	sm := oxumRE.FindStringSubmatch(oxum)
	if sm == nil {
		v.bad(at, "Payload-Oxum %q is not <bytes>.<files>", oxum)
		return
	}
	var bytes int64
	for _, n := range v.payload {
		bytes += n
	}
	wantBytes, _ := strconv.ParseInt(sm[1], 10, 64)
	wantFiles, _ := strconv.Atoi(sm[2])
	if wantBytes != bytes || wantFiles != len(v.payload) {
		v.bad(at, "Payload-Oxum is %s but the payload is %d.%d (%s in %s)", oxum, bytes, len(v.payload),
			plural(int(bytes), "byte"), plural(len(v.payload), "file"))
	}
}

// checksums reads each listed file once and compares it with every
// manifest that lists it.
func (v *bagVerifier) checksums(ctx context.Context, ms []*manifest) error {
	var paths []string
	for _, files := range []map[string]int64{v.payload, v.tags} {
		for p := range files {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	buf := make([]byte, 256<<10)
	var listing []*manifest
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		listing = listing[:0]
		algs := map[string]hash.Hash{}
		var ws []io.Writer
		for _, m := range ms {
			if _, ok := m.entries[p]; !ok {
				continue
			}
			listing = append(listing, m)
			if algs[m.alg] == nil {
				algs[m.alg] = checksumAlgorithms[m.alg]()
				ws = append(ws, algs[m.alg])
			}
		}
		if len(listing) == 0 {
			continue
		}
		f, err := v.fsys.Open(p)
		if err != nil {
			v.bad(p, "cannot be read: %v", err)
			continue
		}
		_, err = io.CopyBuffer(io.MultiWriter(ws...), struct{ io.Reader }{f}, buf)
		f.Close()
		if err != nil {
			v.bad(p, "cannot be read: %v", err)
			continue
		}
		for _, m := range listing {
			got, e := algs[m.alg].Sum(nil), m.entries[p]
			if string(got) != e.sum {
				v.bad(p, "%s checksum does not match %s line %d: the file has %s, the manifest says %s",
					m.alg, m.name, e.line, short(hex.EncodeToString(got)), short(hex.EncodeToString([]byte(e.sum))))
			}
		}
	}
	return nil
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

func short(h string) string {
	if len(h) > 16 {
		return h[:16] + "…"
	}
	return h
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
