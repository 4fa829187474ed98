// Command realcorpus brings a corpus of real news stories out of a git
// mirror into an ignored folder, as archive content (Markdown with front
// matter), for the scale benchmarks (BenchmarkScaleBuild and
// BenchmarkScaleServe in cmd/archive find it there). Nothing it writes is
// committed: the stories remain their publishers' work.
//
// The one source so far is the BBC News dataset kept at
// github.com/ZitRos/news-articles-dataset: 2,095 stories that BBC News
// published in 2004 and 2005, in five sections, one plain-text file each
// (headline, blank line, paragraphs). Bring the mirror with the search
// tool's fetch verb (github:ZitRos/news-articles-dataset), then, from the
// repository root:
//
//	go run ./cmd/archive/internal/benchgen/realcorpus
//
// which writes .bench/corpus/bbc/content/<section>/<name>.md. Flags:
// -mirror (default /work/.mirror/ZitRos+news-articles-dataset/repo) and
// -out (default .bench/corpus/bbc).
//
// Each file gets title (the headline), outlet ("BBC News"), section, and
// source (the dataset path). The dataset gives no publication dates, so
// date spreads the stories of each section evenly over 2004–2005, the
// years they were published, in the dataset's order (date_estimated: true
// says so): the timeline and date lists then have the size of a real
// archive's. There is no story key, as in an archive a new user imports.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

func main() {
	mirror := flag.String("mirror", "/work/.mirror/ZitRos+news-articles-dataset/repo", "git directory of the dataset's mirror")
	out := flag.String("out", filepath.Join(".bench", "corpus", "bbc"), "site root to write content/ into")
	flag.Parse()
	n, err := bbc(*mirror, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "realcorpus:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d articles into %s\n", n, filepath.Join(*out, "content"))
}

// bbc converts the dataset's news/<section>/<name>.txt files.
func bbc(mirror, out string) (int, error) {
	if _, err := os.Stat(mirror); err != nil {
		return 0, fmt.Errorf("%v\nBring the mirror first: the search tool's fetch verb, github:ZitRos/news-articles-dataset", err)
	}
	ls, err := git(mirror, "ls-tree", "-r", "-z", "HEAD", "news/")
	if err != nil {
		return 0, err
	}
	type entry struct{ blob, path string }
	sections := map[string][]entry{}
	for _, rec := range strings.Split(strings.TrimRight(string(ls), "\x00"), "\x00") {
		meta, p, ok := strings.Cut(rec, "\t")
		f := strings.Fields(meta)
		if !ok || len(f) != 3 || f[1] != "blob" || !strings.HasSuffix(p, ".txt") {
			continue
		}
		parts := strings.Split(p, "/")
		if len(parts) != 3 {
			continue
		}
		sections[parts[1]] = append(sections[parts[1]], entry{f[2], p})
	}
	if len(sections) == 0 {
		return 0, errors.New("no news/<section>/*.txt in the mirror's HEAD")
	}
	content := filepath.Join(out, "content")
	if err := os.RemoveAll(content); err != nil {
		return 0, err
	}
	cat := newCatFile(mirror)
	defer cat.close()
	start := time.Date(2004, 1, 1, 12, 0, 0, 0, time.UTC)
	span := time.Date(2005, 12, 31, 12, 0, 0, 0, time.UTC).Sub(start)
	n := 0
	names := make([]string, 0, len(sections))
	for s := range sections {
		names = append(names, s)
	}
	sort.Strings(names)
	for _, section := range names {
		es := sections[section]
		sort.Slice(es, func(i, j int) bool { return es[i].path < es[j].path })
		for k, e := range es {
			raw, err := cat.blob(e.blob)
			if err != nil {
				return n, fmt.Errorf("%s: %w", e.path, err)
			}
			date := start.Add(time.Duration(int64(span) * int64(k) / int64(len(es))))
			md, err := markdown(raw, section, e.path, date)
			if err != nil {
				return n, fmt.Errorf("%s: %w", e.path, err)
			}
			name := strings.TrimSuffix(path.Base(e.path), ".txt") + ".md"
			dst := filepath.Join(content, section, name)
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				return n, err
			}
			if err := os.WriteFile(dst, md, 0o644); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// markdown turns one story (headline, blank line, paragraphs) into a
// content file. Paragraph text is escaped where Markdown would read it as
// markup at the start of a line.
func markdown(raw []byte, section, source string, date time.Time) ([]byte, error) {
	if !utf8.Valid(raw) {
		raw = bytes.ToValidUTF8(raw, []byte("\uFFFD"))
	}
	text := strings.ReplaceAll(string(raw), "\r\n", "\n")
	title, body, _ := strings.Cut(text, "\n")
	title = strings.TrimSpace(title)
	if title == "" {
		return nil, errors.New("no headline on the first line")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %s\noutlet: \"BBC News\"\nsection: %s\ndate: %s\ndate_estimated: true\nsource: %s\n---\n\n",
		strconv.Quote(title), strconv.Quote(section), date.Format("2006-01-02"), strconv.Quote(source))
	for _, p := range strings.Split(body, "\n") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		b.WriteString(escapeStart(p))
		b.WriteString("\n\n")
	}
	return []byte(b.String()), nil
}

// escapeStart keeps a paragraph that starts like a heading, list, quote or
// numbered item a plain paragraph.
func escapeStart(p string) string {
	switch {
	case strings.HasPrefix(p, "#"), strings.HasPrefix(p, ">"), strings.HasPrefix(p, "- "),
		strings.HasPrefix(p, "* "), strings.HasPrefix(p, "+ "), strings.HasPrefix(p, "="):
		return `\` + p
	}
	if i := strings.IndexAny(p, ".)"); i > 0 && i < 10 {
		if _, err := strconv.Atoi(p[:i]); err == nil && (len(p) == i+1 || p[i+1] == ' ') {
			return p[:i] + `\` + p[i:]
		}
	}
	return p
}

func git(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"--git-dir", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}

// catFile reads blobs through one `git cat-file --batch`.
type catFile struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
	err error
}

func newCatFile(dir string) *catFile {
	c := &catFile{cmd: exec.Command("git", "--git-dir", dir, "cat-file", "--batch")}
	c.in, c.err = c.cmd.StdinPipe()
	if c.err == nil {
		var r io.ReadCloser
		r, c.err = c.cmd.StdoutPipe()
		c.out = bufio.NewReader(r)
	}
	if c.err == nil {
		c.err = c.cmd.Start()
	}
	return c
}

func (c *catFile) blob(id string) ([]byte, error) {
	if c.err != nil {
		return nil, c.err
	}
	fmt.Fprintln(c.in, id)
	header, err := c.out.ReadString('\n')
	if err != nil {
		return nil, err
	}
	f := strings.Fields(header)
	if len(f) != 3 {
		return nil, fmt.Errorf("git cat-file: %q (is the blob missing from the snapshot?)", strings.TrimSpace(header))
	}
	size, err := strconv.Atoi(f[2])
	if err != nil {
		return nil, err
	}
	buf := make([]byte, size+1) // and the newline after it
	if _, err := io.ReadFull(c.out, buf); err != nil {
		return nil, err
	}
	return buf[:size], nil
}

func (c *catFile) close() {
	if c.in != nil {
		c.in.Close()
	}
	if c.cmd.Process != nil {
		c.cmd.Wait()
	}
}
