package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/archive-project/archive/annotate"
	"github.com/archive-project/archive/cmd/archive/internal/article"
	"github.com/archive-project/archive/cmd/archive/internal/sitefs"
)

func init() {
	register("passages", "list the passages that the articles quote in common", func(e *env) command { return &passagesCmd{env: e} })
}

// passagesCmd is `archive passages`: annotate.Find over the bodies of the
// site's articles, printed as a table or as JSON.
type passagesCmd struct{ env *env }

func (c *passagesCmd) Usage() string {
	return `Usage: archive passages [flags]

Finds the passages that the articles in content/ share: quotes that several
outlets printed (each with its wording, similarity and offsets) and site
furniture that repeats across one outlet's pages. Drafts are left out.
Offsets are byte offsets into each article's body, after its front matter.

Flags:
  -s, --source DIR      site root holding content/ (default ".")
      --json            print JSON instead of a table
      --min-words N     shortest passage, in words (default 8)

The JSON is {"passages":[{"id","text","kind","occurrences":[{"article",
"seed","start","end","text","similarity"}]}]}, in a stable order.

Examples:
  archive passages
  archive passages -s ~/archives/interpol --min-words 12
  archive passages --json | jq '.passages[] | select(.kind == "quote") | .text'
`
}

// passagesJSON is the --json output.
type passagesJSON struct {
	Passages []passageJSON `json:"passages"`
}

type passageJSON struct {
	ID          string           `json:"id"`
	Text        string           `json:"text"`
	Kind        annotate.Kind    `json:"kind"`
	Occurrences []occurrenceJSON `json:"occurrences"`
}

type occurrenceJSON struct {
	Article    string  `json:"article"`
	Seed       string  `json:"seed"`
	Start      int     `json:"start"`
	End        int     `json:"end"`
	Text       string  `json:"text"`
	Similarity float64 `json:"similarity"`
}

func (c *passagesCmd) Run(ctx context.Context, args []string) error {
	fset := newFlagSet("passages", c.Usage)
	var src string
	var asJSON bool
	var minWords int
	fset.StringVar(&src, "s", ".", "site root")
	fset.StringVar(&src, "source", ".", "site root")
	fset.BoolVar(&asJSON, "json", false, "print JSON")
	fset.IntVar(&minWords, "min-words", 8, "shortest passage in words")
	if err := parseFlags(fset, args); err != nil {
		return err
	}
	if fset.NArg() > 0 {
		return usagef("archive help passages", "unexpected argument %q", fset.Arg(0))
	}
	if minWords < 2 {
		return usagef("archive passages --min-words 8", "--min-words must be at least 2, not %d", minWords)
	}
	if fi, err := os.Stat(src); err != nil || !fi.IsDir() {
		return usagef("archive passages -s path/to/site", "source %q is not a folder", src)
	}
	fsys, err := sitefs.Dir(src)
	if err != nil {
		return err
	}
	defer fsys.Close()
	if _, err := fs.Stat(fsys, "content"); errors.Is(err, fs.ErrNotExist) {
		return usagef("archive import -s "+src, "no content/ folder in %q; import the seed texts first", src)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	out, err := findPassages(fsys, minWords)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(c.env.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(out)
	}
	return printPassages(c.env.stdout, out)
}

// findPassages loads content/ from fsys and runs annotate.Find over the
// bodies of the articles that are not drafts.
func findPassages(fsys fs.FS, minWords int) (passagesJSON, error) {
	arts, err := article.LoadDir(fsys, "content")
	if err != nil {
		return passagesJSON{}, err
	}
	seeds := map[string]string{}
	var docs []annotate.Document
	for _, a := range arts {
		if a.Meta.Draft {
			continue
		}
		seeds[a.Path] = a.Meta.Seed
		docs = append(docs, annotate.Document{ID: a.Path, Text: string(a.Body), Date: a.Meta.Date, Source: a.Meta.Outlet})
	}
	ps, err := annotate.Find(docs, annotate.WithMinWords(minWords))
	if err != nil {
		return passagesJSON{}, err
	}
	out := passagesJSON{Passages: []passageJSON{}}
	for _, p := range ps {
		pj := passageJSON{ID: p.ID, Text: p.Canonical, Kind: p.Kind}
		for _, o := range p.Occurrences {
			pj.Occurrences = append(pj.Occurrences, occurrenceJSON{
				Article: o.Doc, Seed: seeds[o.Doc], Start: o.Start, End: o.End, Text: o.Text,
				Similarity: math.Round(o.Similarity*1000) / 1000,
			})
		}
		out.Passages = append(out.Passages, pj)
	}
	return out, nil
}

// printPassages writes one block per passage: a heading with its ID, kind
// and text, then one line per occurrence.
func printPassages(w io.Writer, out passagesJSON) error {
	if len(out.Passages) == 0 {
		_, err := fmt.Fprintln(w, "No shared passages.")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	quotes := 0
	for _, p := range out.Passages {
		if p.Kind == annotate.Quote {
			quotes++
		}
		fmt.Fprintf(tw, "%s\t%s\t%d occurrences\t%s\n", p.ID, p.Kind, len(p.Occurrences), oneLine(p.Text, 70))
		for _, o := range p.Occurrences {
			fmt.Fprintf(tw, "\t%3.0f%%\t%d-%d\t%s\n", 100*o.Similarity, o.Start, o.End, o.Article)
		}
	}
	fmt.Fprintf(tw, "\n%d passages: %d quotes, %d boilerplate.\n", len(out.Passages), quotes, len(out.Passages)-quotes)
	return tw.Flush()
}

// oneLine shortens s to about n runes on one line, for the table.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	r := []rune(s)
	if len(r) <= n {
		return "“" + s + "”"
	}
	return "“" + string(r[:n-1]) + "…”"
}
