package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// ContentDir is where articles go, relative to the site root.
const ContentDir = "content"

// Result is one seed turned into an article file.
type Result struct {
	Seed    string // the seed's slash path, e.g. seeds/000_x.txt
	Record  string // the WARC-Record-ID within the seed, "" for a page or a text
	Slug    string
	Path    string // content/<slug>.md
	Doc     *Doc   // what was found in the seed
	Added   []string
	Content []byte // the whole file: front matter and body
}

// Key identifies the capture an article was read from: the seed, and the
// record within it. Content files are matched to what import would write
// by this key, so an article an editor renamed is still found.
func (r *Result) Key() string { return SeedKey(r.Seed, r.Record) }

// SeedKey is the key of a seed path and a record ID.
func SeedKey(seed, record string) string {
	if record == "" {
		return seed
	}
	return seed + "#" + record
}

var seedNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// CheckSeedName rejects seed paths that are not safe to record in front
// matter and publish as /seeds/<name>: they must be clean relative slash
// paths of plain names (letters, digits, . _ -).
func CheckSeedName(name string) error {
	if !fs.ValidPath(name) || name == "." {
		return article.Errorf(name, 0, "name the seed by a relative path inside the site, such as seeds/000_x.txt",
			"unsafe seed name")
	}
	for _, part := range strings.Split(name, "/") {
		if !seedNameRE.MatchString(part) {
			return article.Errorf(name, 0, "rename the file using only letters, digits, '.', '_' and '-'",
				"unsafe seed name: %q", part)
		}
	}
	return nil
}

// Convert turns one seed (its slash path and bytes) into an article file.
func Convert(name string, src []byte) (*Result, error) {
	if err := CheckSeedName(name); err != nil {
		return nil, err
	}
	if !utf8.Valid(src) {
		ln, col := article.InvalidUTF8At(src)
		return nil, article.Errorf(name, ln, "convert the seed to UTF-8 (e.g. iconv -f windows-1252 -t utf-8) and import again",
			"invalid UTF-8 at column %d", col)
	}
	fr, err := splitFront(name, src)
	if err != nil {
		return nil, err
	}
	text := strings.ReplaceAll(string(fr.rest), "\r\n", "\n")
	d := Segment(text, fr.str("title"), fr.restAt)
	if fr.str("title") != "" {
		d.Title = fr.str("title")
	}
	if strings.TrimSpace(d.Title) == "" {
		return nil, article.Errorf(name, fr.restAt, "add a headline as the first line of the seed", "seed has no text to take a title from")
	}
	sum := sha256.Sum256(src)
	values := []field{
		{"title", d.Title}, {"subtitle", d.Subtitle}, {"outlet", d.Outlet},
		{"author", d.Author}, {"date", d.Date}, {"source_url", d.SourceURL},
		{"seed", name}, {"seed_sha256", hex.EncodeToString(sum[:])},
	}
	var add []field
	var added []string
	for _, f := range values {
		if fr.has(f.key) || (f.key == "date" && f.value == "") {
			continue
		}
		add = append(add, f)
		added = append(added, f.key)
	}
	head, err := fr.appendFields(name, add)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.Write(head)
	if body := d.Markdown(); body != "" {
		b.WriteString("\n")
		b.WriteString(body)
	}
	slug := Slug(d.Title)
	if slug == "" {
		slug = strings.ToLower(strings.TrimSuffix(path.Base(name), path.Ext(name)))
	}
	r := &Result{Seed: name, Slug: slug, Path: ContentDir + "/" + slug + ".md", Doc: d, Added: added, Content: b.Bytes()}
	if _, err := article.Parse(r.Path, r.Content); err != nil {
		return nil, fmt.Errorf("%s: import would write an unreadable article: %w", name, err)
	}
	return r, nil
}

// ConvertFS converts the named seeds read from fsys, in the order given. Two
// seeds that would write the same content file are an error.
func ConvertFS(fsys fs.FS, names []string) ([]*Result, error) {
	out := make([]*Result, 0, len(names))
	bySlug := map[string]string{}
	for _, n := range names {
		if err := CheckSeedName(n); err != nil {
			return nil, err
		}
		src, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, &article.Error{File: n, Err: err, Fix: "check that the seed exists and is readable"}
		}
		r, err := Convert(n, src)
		if err != nil {
			return nil, err
		}
		if other, ok := bySlug[r.Slug]; ok {
			return nil, article.Errorf(n, 0, "give one of the two seeds a different headline, or import them one at a time and rename the first content file",
				"would write %s, as %s does", r.Path, other)
		}
		bySlug[r.Slug] = n
		out = append(out, r)
	}
	return out, nil
}
