package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/archive-project/archive/cmd/archive/internal/site"
	"github.com/archive-project/archive/cmd/archive/internal/sitefs"
	"github.com/archive-project/archive/cmd/archive/internal/snapshot"
)

func init() {
	register("snapshot", "package the site and its sources as a BagIt bag or WACZ", func(e *env) command { return &snapshotCmd{env: e} })
}

// snapshotCmd is `archive snapshot`: the built site plus content/, seeds/
// and the annotations, as one self-verifying package.
type snapshotCmd struct{ env *env }

func (c *snapshotCmd) Usage() string {
	return `Usage: archive snapshot [flags]

Builds the site in memory (or takes public/ as built, with --from-public)
and writes one package for archives:

  bagit  a BagIt 1.0 bag (RFC 8493) as .tar or .zip, or a folder with --dir:
         data/site/, data/content/, data/seeds/, data/annotations.jsonld,
         SHA-256 and SHA-512 manifests and tag manifests, bag-info.txt
  wacz   a WACZ 1.2 web archive: every site file as a WARC 1.1 response at
         its public URL, annotations as metadata records, a CDXJ index and
         pages.jsonl; opens in ReplayWeb.page

The same sources always give the same bytes: every timestamp is
SOURCE_DATE_EPOCH when set, else the newest article date. Organization and
contact come from archive.toml. Check a package with 'archive verify'.

Flags:
  -s, --source DIR     site root holding archive.toml, content/, seeds/ (default ".")
      --format NAME    bagit or wacz (default bagit)
  -o, --output FILE    package to write: .tar or .zip for bagit, .wacz for wacz
                       (default <source>/dist/snapshot-<date>.bag.tar or .wacz)
      --dir DIR        write the bag as a folder instead (bagit only; DIR must not exist)
      --from-public    package <source>/public as built instead of building
      --baseURL URL    public URL of the site (overrides archive.toml)
      --publish        also copy the package into <source>/snapshots/ and rebuild
                       public/, whose home page then links it
                       so the site can link it

Examples:
  archive snapshot
  archive snapshot --format wacz -o interpol.wacz
  archive snapshot -o /backup/interpol.bag.zip
  archive snapshot --dir /backup/interpol-bag --from-public
  SOURCE_DATE_EPOCH=1574294400 archive snapshot --format wacz --publish
`
}

func (c *snapshotCmd) Run(ctx context.Context, args []string) error {
	flags := newFlagSet("snapshot", c.Usage)
	var root, format, output, dir, baseURL string
	var publish, fromPublic bool
	flags.StringVar(&root, "s", ".", "site root")
	flags.StringVar(&root, "source", ".", "site root")
	flags.StringVar(&format, "format", "bagit", "bagit or wacz")
	flags.StringVar(&output, "o", "", "output file")
	flags.StringVar(&output, "output", "", "output file")
	flags.StringVar(&dir, "dir", "", "output folder")
	flags.StringVar(&baseURL, "baseURL", "", "base URL")
	flags.BoolVar(&publish, "publish", false, "copy into public/snapshots")
	flags.BoolVar(&fromPublic, "from-public", false, "use public/ as built")
	if err := parseFlags(flags, args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return usagef("archive help snapshot", "unexpected argument %q", flags.Arg(0))
	}
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		return usagef("archive snapshot -s path/to/site", "source %q is not a folder", root)
	}
	if format != "bagit" && format != "wacz" {
		return usagef("archive snapshot --format wacz", "unknown format %q: use bagit or wacz", format)
	}
	if dir != "" && (format != "bagit" || output != "" || publish) {
		return usagef("archive snapshot --dir DIR", "--dir writes a bag folder: it cannot be combined with --format wacz, -o or --publish")
	}

	rootFS, err := sitefs.Dir(root)
	if err != nil {
		return err
	}
	defer rootFS.Close()
	cfg, err := site.LoadConfig(rootFS)
	if err != nil {
		return err
	}
	if baseURL == "" {
		baseURL = cfg.BaseURL
	}
	when, err := c.sourceTime(rootFS)
	if err != nil {
		return err
	}
	if output == "" && dir == "" {
		ext := ".bag.tar"
		if format == "wacz" {
			ext = ".wacz"
		}
		output = filepath.Join(root, "dist", "snapshot-"+when.Format("2006-01-02")+ext)
	}
	if err := checkSnapshotExt(format, output); err != nil {
		return err
	}

	src, closeSrc, err := c.sources(ctx, rootFS, root, baseURL, fromPublic)
	if err != nil {
		return err
	}
	name := bagFolderName(output, dir)
	progress, done := c.progressBar()
	opts := []snapshot.Option{
		snapshot.WithTime(when), snapshot.WithBaseURL(baseURL), snapshot.WithTitle(cfg.Title),
		snapshot.WithOrganization(cfg.Organization), snapshot.WithContact(cfg.Contact, cfg.ContactEmail),
		snapshot.WithRoot(name), snapshot.WithProgress(progress),
	}
	var sum *snapshot.Summary
	if dir != "" {
		sum, err = writeBagFolder(ctx, dir, src, append(opts, snapshot.WithRoot(""))...)
	} else {
		sum, err = writePackageFile(output, func(w io.Writer) (*snapshot.Summary, error) {
			switch {
			case format == "wacz":
				return snapshot.WriteWACZ(ctx, w, src, opts...)
			case strings.HasSuffix(output, ".zip"):
				return snapshot.WriteBag(ctx, snapshot.NewZipWriter(w, 0), src, opts...)
			default:
				return snapshot.WriteBag(ctx, snapshot.NewTarWriter(w), src, opts...)
			}
		})
	}
	done()
	closeSrc()
	if err != nil {
		return err
	}
	target := output
	if dir != "" {
		target = dir
	}
	fmt.Fprintf(c.env.stdout, "wrote %s: %s, %d files, %s, dated %s\n", target, snapshotFormatName(format), sum.Files, snapshotBytes(sum.Bytes), when.Format(time.RFC3339))
	if dir == "" {
		if h, err := packageSHA256(output); err == nil {
			fmt.Fprintf(c.env.stdout, "sha256 %s\n", h)
		}
	}
	if publish {
		// The package joins the site's sources (snapshots/ is published as
		// it is and linked from the home page), and the site is built again
		// so that public/ carries it.
		dst := filepath.Join(root, site.SnapshotsDir, filepath.Base(output))
		if err := publishPackage(output, dst); err != nil {
			return err
		}
		out, err := site.Build(ctx, rootFS, append([]site.Option{site.WithBaseURL(baseURL)}, siteFeatures()...)...)
		if err != nil {
			return err
		}
		if err := out.Publish(filepath.Join(root, "public")); err != nil {
			return err
		}
		fmt.Fprintf(c.env.stdout, "published %s and rebuilt %s\n", dst, filepath.Join(root, "public"))
	}
	return nil
}

// sourceTime is SOURCE_DATE_EPOCH when set, else the newest article date.
func (c *snapshotCmd) sourceTime(root fs.FS) (time.Time, error) {
	if s := c.env.getenv("SOURCE_DATE_EPOCH"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q is not a whole number of seconds since 1970: set it like SOURCE_DATE_EPOCH=$(git log -1 --format=%%ct)", s)
		}
		return time.Unix(n, 0).UTC(), nil
	}
	content, err := fs.Sub(root, "content")
	if err != nil {
		return time.Time{}, err
	}
	if _, err := fs.Stat(root, "content"); err != nil {
		if sitefs.IsLinkError(err) {
			return time.Time{}, err
		}
		return snapshot.DefaultTime, nil
	}
	return snapshot.SourceDate(content)
}

// sources builds the site (or opens public/) and the source folders, all
// read without following a link out of the site (out of public/ for the
// built site); the function returned closes what was opened.
func (c *snapshotCmd) sources(ctx context.Context, rootFS fs.FS, root, baseURL string, fromPublic bool) (snapshot.Sources, func(), error) {
	var src snapshot.Sources
	closeSrc := func() {}
	if fromPublic {
		public := filepath.Join(root, "public")
		if fi, err := os.Stat(public); err != nil || !fi.IsDir() {
			return src, closeSrc, fmt.Errorf("%s: no built site: run 'archive build' first, or drop --from-public to build now", public)
		}
		pub, err := sitefs.Dir(public)
		if err != nil {
			return src, closeSrc, err
		}
		src.Site, closeSrc = pub, func() { pub.Close() }
	} else {
		out, err := site.Build(ctx, rootFS, append([]site.Option{site.WithBaseURL(baseURL)}, siteFeatures()...)...)
		if err != nil {
			return src, closeSrc, err
		}
		src.Site = out
	}
	for _, d := range []struct {
		name string
		dst  *fs.FS
	}{{"content", &src.Content}, {"seeds", &src.Seeds}} {
		fi, err := fs.Stat(rootFS, d.name)
		if sitefs.IsLinkError(err) {
			closeSrc()
			return src, func() {}, err
		}
		if err == nil && fi.IsDir() {
			*d.dst, _ = fs.Sub(rootFS, d.name)
		}
	}
	return src, closeSrc, nil
}

func checkSnapshotExt(format, output string) error {
	if output == "" {
		return nil
	}
	switch {
	case format == "wacz" && !strings.HasSuffix(output, ".wacz"):
		return usagef("archive snapshot --format wacz -o site.wacz", "a WACZ file must end in .wacz, not %q", filepath.Base(output))
	case format == "bagit" && !strings.HasSuffix(output, ".tar") && !strings.HasSuffix(output, ".zip"):
		return usagef("archive snapshot -o site.bag.tar", "a bag is written as .tar or .zip (or use --dir), not %q", filepath.Base(output))
	}
	return nil
}

// bagFolderName is the bag's top-level folder: the file name without
// .tar/.zip and .bag ("snapshot-2019-11-21.bag.tar" -> "snapshot-2019-11-21").
func bagFolderName(output, dir string) string {
	name := filepath.Base(output)
	if dir != "" {
		name = filepath.Base(dir)
	}
	for _, ext := range []string{".tar", ".zip", ".wacz", ".bag"} {
		name = strings.TrimSuffix(name, ext)
	}
	if name == "" || name == "." {
		return "bag"
	}
	return name
}

func snapshotFormatName(format string) string {
	if format == "wacz" {
		return "WACZ 1.2"
	}
	return "BagIt 1.0"
}

// writePackageFile writes a file through a temporary file beside it, renamed
// into place only when everything succeeded.
func writePackageFile(path string, write func(io.Writer) (*snapshot.Summary, error)) (*snapshot.Summary, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	sum, err := write(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return sum, nil
}

// writeBagFolder writes a bag as a folder: into a temporary folder beside dir,
// renamed to dir when complete. dir must not exist.
func writeBagFolder(ctx context.Context, dir string, src snapshot.Sources, opts ...snapshot.Option) (*snapshot.Summary, error) {
	if _, err := os.Stat(dir); err == nil {
		return nil, fmt.Errorf("%s already exists: remove it or choose another --dir", dir)
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".*.tmp")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	root, err := os.OpenRoot(tmp)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	w := &bagDirWriter{root: root}
	sum, err := snapshot.WriteBag(ctx, w, src, opts...)
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return nil, err
	}
	return sum, nil
}

// bagDirWriter writes package files into a folder, confined to it by os.Root.
type bagDirWriter struct {
	root *os.Root
	f    *os.File
	mod  time.Time
}

func (d *bagDirWriter) Create(h snapshot.Header) (io.Writer, error) {
	if err := d.closeFile(); err != nil {
		return nil, err
	}
	name := filepath.FromSlash(h.Name)
	if err := d.root.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return nil, err
	}
	f, err := d.root.Create(name)
	if err != nil {
		return nil, err
	}
	d.f, d.mod = f, h.Modified
	return f, nil
}

func (d *bagDirWriter) closeFile() error {
	if d.f == nil {
		return nil
	}
	name := d.f.Name()
	err := d.f.Close()
	d.f = nil
	if err == nil {
		err = os.Chtimes(name, d.mod, d.mod)
	}
	return err
}

func (d *bagDirWriter) Close() error { return d.closeFile() }

// publishPackage copies the package into the site's snapshots folder.
func publishPackage(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	_, err = writePackageFile(dst, func(w io.Writer) (*snapshot.Summary, error) {
		_, err := io.Copy(w, in)
		return nil, err
	})
	return err
}

func packageSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func snapshotBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// progressBar returns a progress function that draws a bar on stderr when
// stderr is a terminal, and a function that ends the bar. Elsewhere (pipes,
// files, CI) both do nothing.
func (c *snapshotCmd) progressBar() (func(snapshot.Progress), func()) {
	f, ok := c.env.stderr.(*os.File)
	if !ok {
		return nil, func() {}
	}
	if fi, err := f.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return nil, func() {}
	}
	var last time.Time
	drawn := false
	draw := func(p snapshot.Progress) {
		fmt.Fprint(f, "\r"+snapshotProgressLine(p, 30))
		drawn = true
	}
	return func(p snapshot.Progress) {
			if now := time.Now(); now.Sub(last) >= 100*time.Millisecond || p.Files == p.TotalFiles {
				last = now
				draw(p)
			}
		}, func() {
			if drawn {
				fmt.Fprint(f, "\n")
			}
		}
}

// snapshotProgressLine renders "[#####.....]  50%  5/10 files  1.0/2.0 MB".
func snapshotProgressLine(p snapshot.Progress, width int) string {
	frac := 1.0
	if p.TotalBytes > 0 {
		frac = float64(p.Bytes) / float64(p.TotalBytes)
	}
	n := int(frac * float64(width))
	return fmt.Sprintf("[%s%s] %3.0f%%  %d/%d files  %s/%s ", strings.Repeat("#", n), strings.Repeat(".", width-n),
		frac*100, p.Files, p.TotalFiles, snapshotBytes(p.Bytes), snapshotBytes(p.TotalBytes))
}
