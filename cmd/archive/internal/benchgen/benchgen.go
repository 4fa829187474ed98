// Package benchgen writes the generated archives that the serve benchmarks
// edit: `archive serve` end to end (cmd/archive) and the live build in
// process (package features), so that both measure the same Markdown.
//
// The Markdown is a made-up language with a Zipf word frequency (as natural
// text has), and every story's eight articles quote the same 25-word
// statement, as outlets copy a press release: the annotator finds one shared
// passage per story. (A first version drew words uniformly from 70 English
// words; the annotator went superlinear on that, 14 GB at 10,000 articles,
// which natural text does not provoke.)
package benchgen

import (
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

var sylls = strings.Fields("ka to ri pe lo mu sa ne vi da go ru fe hi ja be co mo ta li")

// word is the i-th word of the made-up language: frequent words are short.
func word(i int) string {
	var b strings.Builder
	for {
		b.WriteString(sylls[i%len(sylls)])
		i /= len(sylls)
		if i == 0 {
			return b.String()
		}
	}
}

// Path is the slash path of the i-th article under the site root.
func Path(i int) string { return fmt.Sprintf("content/%03d/article-%05d.md", i/500, i) }

// Archive writes n articles under dir, in stories of eight, from twenty
// outlets.
func Archive(dir string, n int) error {
	rng := mrand.New(mrand.NewPCG(1, 2))
	for i := range n {
		if err := Write(dir, Path(i), Article(rng, i, "")); err != nil {
			return err
		}
	}
	return nil
}

// Article is the i-th article, with extra added to its first paragraph
// (an edit).
func Article(rng *mrand.Rand, i int, extra string) string {
	var b strings.Builder
	zipf := mrand.NewZipf(rng, 1.1, 1, 20000)
	date := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%700)
	story := i / 8
	fmt.Fprintf(&b, "---\ntitle: \"Article %d: %s %s\"\noutlet: Outlet %d\ndate: %s\nstory: Story %d\n---\n\n",
		i, word(i%97), word(i%89), i%20, date.Format("2006-01-02"), story)
	for p := range 5 {
		for w := range 60 {
			if w > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(word(int(zipf.Uint64())))
		}
		if p == 0 {
			b.WriteString(extra)
		}
		if p == 2 { // the story's shared statement
			qr := mrand.New(mrand.NewPCG(uint64(story), 9))
			b.WriteString(". \"")
			for w := range 25 {
				if w > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(word(qr.IntN(3000)))
			}
			b.WriteString("\"")
		}
		b.WriteString(".\n\n")
	}
	return b.String()
}

// Write writes s to the slash path rel under dir, making its folders.
func Write(dir, rel, s string) error {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, []byte(s), 0o644)
}
