package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/archive-project/archive/annotate"
	"github.com/archive-project/archive/cmd/archive/internal/annotations"
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

Finds the passages that the articles in content/ share, each with its
kind, its wording in every article, similarity and offsets. Drafts are left
out. Offsets are byte offsets into each article's body, after its front
matter. The kinds (see the annotate package):

  quote        words in quotation marks or a block quote that articles share
  reporting    shared unquoted text, such as wire copy
  boilerplate  one outlet's furniture and notes, in several of its articles
  stock        a stock phrase: common words that recur across many articles
  repeat       text repeated inside one article, in no other

Only quotes and reporting are marked on the site and listed on /passages/;
they come first here too, shared by the most outlets, then articles, first.

Flags:
  -s, --source DIR      site root holding content/ (default ".")
      --json            print JSON instead of a table
      --kind LIST       only these kinds, comma-separated (default: all)
      --min-words N     shortest passage, in words (default 8)

The JSON is {"passages":[{"id","text","kind","outlets","articles",
"occurrences":[{"article","seed","start","end","text","similarity",
"quoted"}]}]}, in a stable order.

Examples:
  archive passages
  archive passages --kind quote,reporting
  archive passages -s ~/archives/interpol --min-words 12
  archive passages --json | jq '.passages[] | select(.kind == "stock") | .text'
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
	Outlets     int              `json:"outlets"`  // articles of no named outlet count one each
	Articles    int              `json:"articles"` // distinct articles
	Occurrences []occurrenceJSON `json:"occurrences"`
}

type occurrenceJSON struct {
	Article    string  `json:"article"`
	Seed       string  `json:"seed"`
	Start      int     `json:"start"`
	End        int     `json:"end"`
	Text       string  `json:"text"`
	Similarity float64 `json:"similarity"`
	Quoted     bool    `json:"quoted"`
}

// kindOrder is the order of kinds in the output: what the site shows first.
var kindOrder = []annotate.Kind{annotate.Quote, annotate.Reporting, annotate.Boilerplate, annotate.Stock, annotate.Repeat}

func (c *passagesCmd) Run(ctx context.Context, args []string) error {
	fset := newFlagSet("passages", c.Usage)
	var src string
	var asJSON bool
	var minWords int
	var kinds string
	fset.StringVar(&src, "s", ".", "site root")
	fset.StringVar(&src, "source", ".", "site root")
	fset.BoolVar(&asJSON, "json", false, "print JSON")
	fset.StringVar(&kinds, "kind", "", "only these kinds")
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
	only := map[annotate.Kind]bool{}
	for _, k := range strings.Split(kinds, ",") {
		if k = strings.TrimSpace(k); k == "" {
			continue
		}
		if !slices.Contains(kindOrder, annotate.Kind(k)) {
			return usagef("archive passages --kind quote,reporting", "unknown kind %q; the kinds are quote, reporting, boilerplate, stock and repeat", k)
		}
		only[annotate.Kind(k)] = true
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
	if len(only) > 0 {
		out.Passages = slices.DeleteFunc(out.Passages, func(p passageJSON) bool { return !only[p.Kind] })
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
	outlet := map[string]string{}
	var docs []annotate.Document
	for _, a := range arts {
		if a.Meta.Draft {
			continue
		}
		seeds[a.Path] = a.Meta.Seed
		outlet[a.Path] = a.Meta.Outlet
		body := string(a.Body)
		docs = append(docs, annotate.Document{ID: a.Path, Text: body, Date: a.Meta.Date, Source: a.Meta.Outlet, Quoted: annotations.BlockQuotes(body)})
	}
	ps, err := annotate.Find(docs, annotate.WithMinWords(minWords))
	if err != nil {
		return passagesJSON{}, err
	}
	out := passagesJSON{Passages: []passageJSON{}}
	for _, p := range ps {
		pj := passageJSON{ID: p.ID, Text: p.Canonical, Kind: p.Kind}
		outlets, articles := map[string]bool{}, map[string]bool{}
		for _, o := range p.Occurrences {
			pj.Occurrences = append(pj.Occurrences, occurrenceJSON{
				Article: o.Doc, Seed: seeds[o.Doc], Start: o.Start, End: o.End, Text: o.Text,
				Similarity: math.Round(o.Similarity*1000) / 1000, Quoted: o.Quoted,
			})
			articles[o.Doc] = true
			if outlet[o.Doc] != "" {
				outlets[outlet[o.Doc]] = true
			} else {
				outlets["\x00"+o.Doc] = true
			}
		}
		pj.Outlets, pj.Articles = len(outlets), len(articles)
		out.Passages = append(out.Passages, pj)
	}
	// As /passages/ lists them: quotes and reporting first, shared by the
	// most outlets, then articles; annotate's order among equals.
	slices.SortStableFunc(out.Passages, func(a, b passageJSON) int {
		if a.Kind.Shared() != b.Kind.Shared() {
			if a.Kind.Shared() {
				return -1
			}
			return 1
		}
		if !a.Kind.Shared() {
			if c := cmp.Compare(slices.Index(kindOrder, a.Kind), slices.Index(kindOrder, b.Kind)); c != 0 {
				return c
			}
		}
		if c := cmp.Compare(b.Outlets, a.Outlets); c != 0 {
			return c
		}
		return cmp.Compare(b.Articles, a.Articles)
	})
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
	count := map[annotate.Kind]int{}
	for _, p := range out.Passages {
		count[p.Kind]++
		fmt.Fprintf(tw, "%s\t%s\t%d outlets, %d occurrences\t%s\n", p.ID, p.Kind, p.Outlets, len(p.Occurrences), oneLine(p.Text, 70))
		for _, o := range p.Occurrences {
			q := ""
			if o.Quoted {
				q = "quoted"
			}
			fmt.Fprintf(tw, "\t%3.0f%%\t%d-%d\t%s\t%s\n", 100*o.Similarity, o.Start, o.End, o.Article, q)
		}
	}
	var parts []string
	for _, k := range kindOrder {
		if count[k] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[k], k))
		}
	}
	fmt.Fprintf(tw, "\n%d passages: %s.\n", len(out.Passages), strings.Join(parts, ", "))
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
