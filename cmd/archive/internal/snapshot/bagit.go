package snapshot

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"strings"
)

// Summary tells what a package holds.
type Summary struct {
	Files int   // payload files (bag) or site files (WACZ)
	Bytes int64 // their total size
}

// bagAlgorithms are the manifests every bag gets, in file-name order.
var bagAlgorithms = []struct {
	name string
	new  func() hash.Hash
}{{"sha256", sha256.New}, {"sha512", sha512.New}}

const bagitTxt = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"

// WriteBag writes src as a BagIt 1.0 bag to w and closes w. Each payload
// file is read once and hashed with SHA-256 and SHA-512 as it is written.
// The order is bagit.txt, the payload, the manifests, bag-info.txt (whose
// External-Identifier is the hash of manifest-sha256.txt) and the tag
// manifests. Per payload file only its path, size and digests are kept
// (about 250 bytes); manifests are streamed out from those.
func WriteBag(ctx context.Context, w FileWriter, src Sources, opts ...Option) (*Summary, error) {
	o := newOptions(opts)
	files, err := payload(src)
	if err != nil {
		return nil, err
	}
	sum := &Summary{Files: len(files)}
	for _, f := range files {
		sum.Bytes += f.size
	}
	name := func(p string) string {
		if o.root == "" {
			return p
		}
		return o.root + "/" + p
	}
	// tagSums holds each tag file's digests, one per bagAlgorithms entry.
	tagSums := map[string][][]byte{}
	putTag := func(p string, b []byte) error {
		for _, a := range bagAlgorithms {
			h := a.new()
			h.Write(b)
			tagSums[p] = append(tagSums[p], h.Sum(nil))
		}
		return writeSmall(w, Header{Name: name(p), Size: int64(len(b)), Modified: o.time}, b)
	}
	if err := putTag("bagit.txt", []byte(bagitTxt)); err != nil {
		return nil, err
	}

	hashes := make([]hash.Hash, len(bagAlgorithms))
	offsets := make([]int, len(bagAlgorithms)+1) // where each algorithm's digest sits in a file's record
	for i, a := range bagAlgorithms {
		hashes[i] = a.new()
		offsets[i+1] = offsets[i] + hashes[i].Size()
	}
	stride := offsets[len(bagAlgorithms)]
	digests := make([]byte, len(files)*stride)
	var done int64
	err = hashFiles(ctx, files, hashes, func(i int) (io.Writer, error) {
		return w.Create(Header{Name: name("data/" + files[i].dst), Size: files[i].size, Modified: o.time})
	}, func(i int, sums [][]byte) error {
		for j, s := range sums {
			copy(digests[i*stride+offsets[j]:], s)
		}
		done += files[i].size
		if o.progress != nil {
			o.progress(Progress{Files: i + 1, TotalFiles: len(files), Bytes: done, TotalBytes: sum.Bytes, Path: "data/" + files[i].dst})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}

	for j, a := range bagAlgorithms {
		p := "manifest-" + a.name + ".txt"
		sums, err := writeManifest(w, Header{Name: name(p), Modified: o.time}, files, func(i int) []byte {
			return digests[i*stride+offsets[j] : i*stride+offsets[j+1]]
		})
		if err != nil {
			return nil, err
		}
		tagSums[p] = sums
	}
	if o.identifier == "" {
		o.identifier = "urn:sha256:" + hex.EncodeToString(tagSums["manifest-sha256.txt"][0])
	}
	if err := putTag("bag-info.txt", bagInfo(o, sum)); err != nil {
		return nil, err
	}
	tagNames := sortedKeys(tagSums)
	for j, a := range bagAlgorithms {
		var tm bytes.Buffer
		for _, p := range tagNames {
			fmt.Fprintf(&tm, "%s  %s\n", hex.EncodeToString(tagSums[p][j]), EncodePath(p))
		}
		p := "tagmanifest-" + a.name + ".txt"
		if err := writeSmall(w, Header{Name: name(p), Size: int64(tm.Len()), Modified: o.time}, tm.Bytes()); err != nil {
			return nil, err
		}
	}
	return sum, w.Close()
}

// writeManifest streams one payload manifest ("<hex>  data/<path>" per
// file, in file order) to w, and returns its digests for the tag manifests.
func writeManifest(w FileWriter, h Header, files []file, digest func(i int) []byte) ([][]byte, error) {
	line := func(i int, buf []byte) []byte {
		buf = hex.AppendEncode(buf, digest(i))
		buf = append(buf, "  "...)
		buf = append(buf, EncodePath("data/"+files[i].dst)...)
		return append(buf, '\n')
	}
	var buf []byte
	for i := range files {
		h.Size += int64(len(line(i, buf[:0])))
	}
	fw, err := w.Create(h)
	if err != nil {
		return nil, err
	}
	hashes := make([]hash.Hash, len(bagAlgorithms))
	ws := []io.Writer{fw}
	for k, a := range bagAlgorithms {
		hashes[k] = a.new()
		ws = append(ws, hashes[k])
	}
	bw := bufio.NewWriterSize(io.MultiWriter(ws...), 64<<10)
	for i := range files {
		buf = line(i, buf[:0])
		bw.Write(buf)
	}
	if err := bw.Flush(); err != nil {
		return nil, fmt.Errorf("%s: %w", h.Name, err)
	}
	sums := make([][]byte, len(hashes))
	for k, hh := range hashes {
		sums[k] = hh.Sum(nil)
	}
	return sums, nil
}

// bagInfo renders bag-info.txt (RFC 8493 §2.2.2).
func bagInfo(o *options, sum *Summary) []byte {
	var b bytes.Buffer
	put := func(label, value string) {
		if value = oneLine(value); value != "" {
			fmt.Fprintf(&b, "%s: %s\n", label, value)
		}
	}
	put("Source-Organization", o.organization)
	put("Contact-Name", o.contact)
	put("Contact-Email", o.contactEmail)
	put("External-Description", description(o, bagContents))
	put("External-Identifier", o.identifier)
	put("Bagging-Date", o.time.Format("2006-01-02"))
	put("Payload-Oxum", fmt.Sprintf("%d.%d", sum.Bytes, sum.Files))
	put("Bag-Software-Agent", o.software)
	return b.Bytes()
}

// description is External-Description (bag) or the WACZ description; what
// says what the package holds.
func description(o *options, what string) string {
	if o.description != "" {
		return o.description
	}
	title := o.title
	if title == "" {
		title = "the archive"
	}
	return fmt.Sprintf("Snapshot of %s (%s) as of %s: %s.", title, o.baseURL, o.time.Format("2006-01-02"), what)
}

const (
	bagContents  = "the built site, its Markdown sources, the raw seed texts and the annotations"
	waczContents = "every page and file of the built site as served at its public URL, with the annotations as metadata records"
)

// oneLine folds a tag value onto one line: tag values cannot hold line breaks.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func writeSmall(w FileWriter, h Header, b []byte) error {
	fw, err := w.Create(h)
	if err != nil {
		return err
	}
	if _, err := fw.Write(b); err != nil {
		return fmt.Errorf("%s: %w", h.Name, err)
	}
	return nil
}

// EncodePath writes a path as a manifest line needs it: CR, LF and "%"
// percent-encoded (RFC 8493 §2.1.3), nothing else changed.
func EncodePath(p string) string {
	if !strings.ContainsAny(p, "%\r\n") {
		return p
	}
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(p)
}

// DecodePath undoes EncodePath; it accepts %0d and %0a in either case.
func DecodePath(p string) string {
	if !strings.Contains(p, "%") {
		return p
	}
	return strings.NewReplacer("%25", "%", "%0D", "\r", "%0d", "\r", "%0A", "\n", "%0a", "\n").Replace(p)
}
