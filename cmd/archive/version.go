package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

func init() {
	register("version", "print the archive's version, commit and Go version", func(e *env) command { return &versionCmd{env: e} })
}

// version is the release this binary was built as, set by a release build:
//
//	go build -ldflags "-X main.version=v1.2.0" ./cmd/archive
//
// Left empty, the module version recorded by `go install module@version` is
// used, else "devel".
var version = ""

// versionCmd is `archive version` (also `archive --version`).
type versionCmd struct{ env *env }

func (c *versionCmd) Usage() string {
	return `Usage: archive version

Prints the archive's version, the commit it was built from (with
"+modified" when the work tree had uncommitted changes), the commit's date,
the Go version and the platform. 'archive --version' does the same.

Examples:
  archive version
  archive --version
`
}

func (c *versionCmd) Run(ctx context.Context, args []string) error {
	fs := newFlagSet("version", c.Usage)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("archive version", "unexpected argument %q", fs.Arg(0))
	}
	info, _ := debug.ReadBuildInfo()
	fmt.Fprintln(c.env.stdout, versionLine(version, info))
	return nil
}

// versionLine is what `archive version` prints, e.g.
// "archive v1.2.0 commit 1a2b3c4d5e6f 2026-11-30T10:00:00Z go1.26.0 linux/amd64".
func versionLine(release string, info *debug.BuildInfo) string {
	var rev, when string
	modified := false
	if info != nil {
		if release == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			release = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if release == "" {
		release = "devel"
	}
	parts := []string{"archive", release}
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if modified {
			rev += "+modified"
		}
		parts = append(parts, "commit", rev)
	}
	if when != "" {
		parts = append(parts, when)
	}
	parts = append(parts, runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH)
	return strings.Join(parts, " ")
}
