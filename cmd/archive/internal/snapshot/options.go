package snapshot

import (
	"fmt"
	"runtime/debug"
	"strings"
	"time"
)

// Option changes how a package is written.
type Option func(*options)

type options struct {
	time         time.Time
	baseURL      string
	title        string
	organization string
	contact      string
	contactEmail string
	identifier   string
	description  string
	software     string
	root         string
	progress     func(Progress)
}

// Progress is reported after each file is packaged.
type Progress struct {
	Files, TotalFiles int
	Bytes, TotalBytes int64
	Path              string // the file just written, as a path in the package
}

// DefaultTime is used when WithTime is not given: the start of 1980, the
// earliest time a ZIP file can record, so output never depends on the clock.
var DefaultTime = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// WithTime sets every timestamp in the package (see SourceDate).
func WithTime(t time.Time) Option { return func(o *options) { o.time = t.UTC().Truncate(time.Second) } }

// WithBaseURL sets the public URL of the site's root, used for WARC target
// URIs and the bag's description. Default "http://localhost/".
func WithBaseURL(u string) Option { return func(o *options) { o.baseURL = u } }

// WithTitle names the collection in bag-info.txt and datapackage.json.
func WithTitle(t string) Option { return func(o *options) { o.title = t } }

// WithOrganization sets bag-info.txt's Source-Organization.
func WithOrganization(name string) Option { return func(o *options) { o.organization = name } }

// WithContact sets bag-info.txt's Contact-Name and Contact-Email (either may be empty).
func WithContact(name, email string) Option {
	return func(o *options) { o.contact, o.contactEmail = name, email }
}

// WithIdentifier sets External-Identifier (default: urn:sha256 of manifest-sha256.txt).
func WithIdentifier(id string) Option { return func(o *options) { o.identifier = id } }

// WithDescription sets External-Description and the WACZ description.
func WithDescription(d string) Option { return func(o *options) { o.description = d } }

// WithSoftware sets Bag-Software-Agent and the WACZ "software" field
// (default: SoftwareAgent()). Tests pin it so golden files do not change
// with each commit.
func WithSoftware(s string) Option { return func(o *options) { o.software = s } }

// WithRoot names the top-level folder of a bag in a .tar or .zip (default
// "bag"). An empty name puts bagit.txt at the top of the archive (use it for
// folders).
func WithRoot(name string) Option { return func(o *options) { o.root = name } }

// WithProgress calls fn after each file is packaged.
func WithProgress(fn func(Progress)) Option { return func(o *options) { o.progress = fn } }

func newOptions(opts []Option) *options {
	o := &options{time: DefaultTime, baseURL: "http://localhost/", root: "bag"}
	for _, opt := range opts {
		opt(o)
	}
	if o.software == "" {
		o.software = SoftwareAgent()
	}
	if !strings.HasSuffix(o.baseURL, "/") {
		o.baseURL += "/"
	}
	o.root = strings.Trim(o.root, "/")
	return o
}

// SoftwareAgent names this program, its version and VCS revision as the Go
// toolchain recorded them, e.g.
// "archive (devel) github.com/archive-project/archive vcs.revision=21a32ac… (modified)".
func SoftwareAgent() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "archive"
	}
	version := bi.Main.Version
	if version == "" {
		version = "(devel)"
	}
	s := fmt.Sprintf("archive %s %s", version, bi.Main.Path)
	var rev, modified string
	for _, kv := range bi.Settings {
		switch kv.Key {
		case "vcs.revision":
			rev = kv.Value
		case "vcs.modified":
			modified = kv.Value
		}
	}
	if rev != "" {
		s += " vcs.revision=" + rev
		if modified == "true" {
			s += " (modified)"
		}
	}
	return strings.TrimSpace(s)
}
