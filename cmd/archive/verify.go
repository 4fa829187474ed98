package main

import (
	"archive/zip"
	"context"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/archive-project/archive/cmd/archive/internal/sitefs"
	"github.com/archive-project/archive/cmd/archive/internal/snapshot"
)

func init() {
	register("verify", "check a BagIt bag or WACZ, file by file", func(e *env) command { return &verifyCmd{env: e} })
}

// verifyCmd is `archive verify`: is a package complete and intact?
type verifyCmd struct{ env *env }

func (c *verifyCmd) Usage() string {
	return `Usage: archive verify PACKAGE [--fast]

Checks a package that 'archive snapshot' (or any other tool) wrote, and
prints every problem as "file: what is wrong". Exits 1 if there is any.

A BagIt bag (a folder, .tar or .zip) must be complete and valid in the
sense of RFC 8493: bagit.txt well formed, every manifest entry present, no
payload file left out of a manifest, every checksum in every manifest and
tag manifest matching, Payload-Oxum matching the payload.

A WACZ (.wacz) must have every member listed in datapackage.json with the
right size and SHA-256, datapackage-digest.json matching, every WARC
record's block and payload digests matching, and every CDXJ index line
pointing at a real record.

Flags:
      --fast   check structure and sizes (Payload-Oxum) only, reading no file
               contents: quick, but blind to changed bytes

Examples:
  archive verify dist/snapshot-2019-11-21.bag.tar
  archive verify --fast /backup/interpol-bag
  archive verify interpol.wacz
`
}

func (c *verifyCmd) Run(ctx context.Context, args []string) error {
	flags := newFlagSet("verify", c.Usage)
	var fast bool
	flags.BoolVar(&fast, "fast", false, "structure and Payload-Oxum only")
	// Accept the flag after the package name too: archive verify x.tar --fast.
	var pkgs []string
	for len(args) > 0 {
		if err := parseFlags(flags, args); err != nil {
			return err
		}
		if flags.NArg() == 0 {
			break
		}
		pkgs = append(pkgs, flags.Arg(0))
		args = flags.Args()[1:]
	}
	if len(pkgs) != 1 {
		return usagef("archive verify dist/snapshot.bag.tar", "give exactly one package to verify (got %d)", len(pkgs))
	}
	pkg := pkgs[0]
	kind, probs, err := verifyPackage(ctx, pkg, fast)
	if err != nil {
		return err
	}
	for _, p := range probs {
		fmt.Fprintln(c.env.stdout, p)
	}
	mode := "fully checked"
	if fast {
		mode = "structure and sizes checked (--fast)"
	}
	if len(probs) > 0 {
		return fmt.Errorf("%s: %d problem(s) in this %s", pkg, len(probs), kind)
	}
	fmt.Fprintf(c.env.stdout, "%s: valid %s, %s\n", pkg, kind, mode)
	return nil
}

// verifyPackage opens pkg by its kind and checks it.
func verifyPackage(ctx context.Context, pkg string, fast bool) (string, []snapshot.Problem, error) {
	fi, err := os.Stat(pkg)
	if err != nil {
		return "", nil, usagef("archive verify dist/snapshot.bag.tar", "%v", err)
	}
	if fi.IsDir() {
		bag, err := sitefs.Dir(pkg) // a link in the bag is not followed out of it
		if err != nil {
			return "", nil, err
		}
		defer bag.Close()
		return verifyBagFS(ctx, bag, fast)
	}
	switch {
	case strings.HasSuffix(pkg, ".tar"):
		f, err := os.Open(pkg)
		if err != nil {
			return "", nil, err
		}
		defer f.Close()
		fsys, err := snapshot.TarFS(f, fi.Size())
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", pkg, err)
		}
		return verifyBagFS(ctx, fsys, fast)
	case strings.HasSuffix(pkg, ".zip") || strings.HasSuffix(pkg, ".wacz"):
		zr, err := zip.OpenReader(pkg)
		if err != nil {
			return "", nil, fmt.Errorf("%s: not a readable ZIP: %w", pkg, err)
		}
		defer zr.Close()
		if _, err := fs.Stat(zr, "datapackage.json"); err == nil || strings.HasSuffix(pkg, ".wacz") {
			probs, err := snapshot.VerifyWACZ(ctx, &zr.Reader, fast)
			return "WACZ", probs, err
		}
		return verifyBagFS(ctx, zr, fast)
	}
	return "", nil, usagef("archive verify dist/snapshot.bag.tar", "%s: not a folder, .tar, .zip or .wacz", pkg)
}

func verifyBagFS(ctx context.Context, fsys fs.FS, fast bool) (string, []snapshot.Problem, error) {
	bag, _, err := snapshot.BagRoot(fsys)
	if err != nil {
		return "bag", []snapshot.Problem{{File: "bagit.txt", Msg: "not found at the top nor in a single top-level folder: this is not a BagIt bag"}}, nil
	}
	probs, err := snapshot.VerifyBag(ctx, bag, fast)
	return "BagIt bag", probs, err
}
