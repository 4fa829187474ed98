package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/hugepages"
	"github.com/archive-project/archive/cmd/archive/internal/memlimit"
	"github.com/archive-project/archive/cmd/archive/internal/site"
	"github.com/archive-project/archive/cmd/archive/internal/sitefs"
)

func init() {
	register("build", "render content/ with layouts/ into public/", func(e *env) command { return &buildCmd{env: e} })
}

// buildCmd is `archive build`: the whole site, written page by page into a
// staging folder as it is rendered and swapped into the destination in one
// step.
type buildCmd struct{ env *env }

func (c *buildCmd) Usage() string {
	return `Usage: archive build [flags]

Renders the site's content/ with its layouts/ (or the embedded defaults)
into a static site. Pages are written as they are rendered into a new
folder beside the destination, which replaces it only when the whole build
succeeded: a failed build leaves the destination as it was.

Flags:
  -s, --source DIR        site root holding archive.toml, content/, layouts/, seeds/ (default ".")
  -d, --destination DIR   output folder (default "<source>/public")
      --baseURL URL       absolute URL the site is served from (overrides archive.toml)
  -D, --drafts            include articles marked draft: true
      --minify            minify the HTML, CSS, JS, XML and JSON the build renders
                          (files copied as they are, such as seeds and static/, are not touched)

Examples:
  archive build
  archive build -s ~/archives/interpol -d /tmp/site
  archive build --baseURL "https://archive.example.org/"
  archive build --minify
`
}

func (c *buildCmd) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("build", c.Usage)
	var src, dst, baseURL string
	var drafts, minify bool
	fs.StringVar(&src, "s", ".", "site root")
	fs.StringVar(&src, "source", ".", "site root")
	fs.StringVar(&dst, "d", "", "destination")
	fs.StringVar(&dst, "destination", "", "destination")
	fs.StringVar(&baseURL, "baseURL", "", "base URL")
	fs.BoolVar(&drafts, "D", false, "include drafts")
	fs.BoolVar(&drafts, "drafts", false, "include drafts")
	fs.BoolVar(&minify, "minify", false, "minify output")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("archive build --help", "unexpected argument %q", fs.Arg(0))
	}
	if fi, err := os.Stat(src); err != nil || !fi.IsDir() {
		return usagef("archive build -s path/to/site", "source %q is not a folder", src)
	}
	if dst == "" {
		dst = filepath.Join(src, "public")
	}
	start := time.Now()
	opts := append([]site.Option{site.WithDrafts(drafts), site.WithMinify(minify)}, siteFeatures()...)
	if baseURL != "" {
		opts = append(opts, site.WithBaseURL(baseURL))
	}
	root, err := sitefs.Dir(src)
	if err != nil {
		return err
	}
	defer root.Close()
	// The heap a build grows into is backed by huge pages where the
	// kernel gives them on request (package hugepages): at 10,000
	// articles a build otherwise takes 110,000 page faults, and 14 to 22%
	// less time with them.
	if c.env.getenv("ARCHIVE_HUGEPAGES") != hugepages.Off {
		preferHugePages(preferHuge)
	}
	// Keep the process near the memory it holds (package memlimit), with
	// room enough that the collector does not run back to back while the
	// heap is small (issue 12: 2 GB at 100,000 articles).
	defer memlimit.New(c.env.getenv).WithFactor(1.25).WithHeadroom(512<<20, 1792<<20).Follow(250 * time.Millisecond)()
	rep, err := site.BuildTo(ctx, root, dst, opts...)
	if err != nil {
		return err
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(c.env.stderr, "Warning: %s\n", w)
	}
	fmt.Fprintf(c.env.stdout, "built %d pages (%d files, %s) into %s in %s\n", rep.Pages, rep.Files, megabytes(rep.Written), dst,
		time.Since(start).Round(time.Millisecond))
	return nil
}

// megabytes writes a size for people: "12.3 MB".
func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

// preferHuge is how much of the heap a build asks the kernel to back with
// huge pages: the peak of a build of 10,000 articles (about 400 MB). More
// did not make those builds quicker; at 100,000 articles, 1 and 2 GB
// made some builds slower, by 7 to 30% of 80 s (single runs, the
// collector's CPU varying from run to run; see hugepages).
const preferHuge = 512 << 20

// preferHugePages is hugepages.Prefer (tests replace it).
var preferHugePages = hugepages.Prefer
