package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"testing"

	"github.com/archive-project/archive/cmd/archive/internal/benchgen"
)

var updatePGO = flag.Bool("update-pgo", false, "write default.pgo from builds of the bundled archive and the hard shapes at 10,000 articles")

// TestDefaultPGO: default.pgo is the CPU profile the Go compiler
// optimises the command with (profile-guided optimisation: it inlines
// and devirtualises what the profile shows hot; -4% user CPU on a
// copied-10000 build). It is a profile of what the command spends its
// time on, not something the build makes: refresh it after large changes
// with
//
//	go test ./cmd/archive -run '^TestDefaultPGO$' -timeout 30m -update-pgo
//
// which builds the bundled archive and the four hard shapes of issue 12 at
// 10,000 articles (benchgen.Corpus writes them once under
// ARCHIVE_BENCH_DIR) in this process under one CPU profile. Without the
// flag it checks that default.pgo is a gzipped profile.
func TestDefaultPGO(t *testing.T) {
	if !*updatePGO {
		b, err := os.ReadFile("default.pgo")
		if err != nil {
			t.Fatalf("%v: make it with -update-pgo (see this test's comment)", err)
		}
		z, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("default.pgo is not a gzipped pprof profile: %v", err)
		}
		raw, err := io.ReadAll(z)
		if err != nil || len(raw) < 1000 {
			t.Fatalf("default.pgo: %d bytes of profile, %v", len(raw), err)
		}
		return
	}
	if raceDetector {
		t.Fatal("-update-pgo under -race would profile the race detector: run it without -race")
	}
	sites := []string{filepath.Join("..", "..")}
	for _, shape := range benchgen.Hard {
		site, _, err := benchgen.Corpus(os.Getenv, shape, 10000)
		if err != nil {
			t.Fatal(err)
		}
		sites = append(sites, site)
	}
	tmp := filepath.Join(t.TempDir(), "default.pgo")
	f, err := os.Create(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		t.Fatal(err)
	}
	for i, site := range sites {
		var stderr bytes.Buffer
		dst := filepath.Join(t.TempDir(), "public")
		if code := run(context.Background(), []string{"build", "-s", site, "-d", dst}, &env{stdout: io.Discard, stderr: &stderr, getenv: os.Getenv}); code != 0 {
			pprof.StopCPUProfile()
			t.Fatalf("build %d of %s: exit %d: %s", i, site, code, stderr.String())
		}
	}
	pprof.StopCPUProfile()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("default.pgo", b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote default.pgo (%d bytes) from %d builds", len(b), len(sites))
}
