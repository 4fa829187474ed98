package site

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// premakeSite is testSite with n more articles, some with aliases, and
// lists of several pages.
func premakeSite(n int) fstest.MapFS {
	m := testSite()
	m["archive.toml"] = &fstest.MapFile{Data: []byte("title = \"Test archive\"\nbaseURL = \"https://archive.example.org/\"\npaginate = 2\n")}
	for i := range n {
		alias := ""
		if i%3 == 0 {
			alias = fmt.Sprintf("aliases: [/old/x%04d/, /older/x%04d.html]\n", i, i)
		}
		m[fmt.Sprintf("content/x%04d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"---\ntitle: X%d\noutlet: Outlet %d\nstory: Story %d\n%s---\nThe body of x%d.\n", i, i%4, i%3, alias, i))}
	}
	return m
}

// untilDirs waits until the staging folder beside dir holds every folder
// of want, or fails after a while.
func untilDirs(parent string, want []string) error {
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(2 * time.Millisecond) {
		ents, _ := os.ReadDir(parent)
		for _, e := range ents {
			if !isStagingName(e.Name(), "public") {
				continue
			}
			all := true
			for _, d := range want {
				if _, err := os.Stat(filepath.Join(parent, e.Name(), d)); err != nil {
					all = false
					break
				}
			}
			if all {
				return nil
			}
		}
	}
	return fmt.Errorf("the staging folder did not get the folders %v while the features analysed the site", want)
}

// A build into a folder makes the folders of the pages whose paths the
// model tells (articles, aliases, seeds, lists) while the features
// analyse the site; it leaves no folder empty, and a build that fails or
// is cancelled in the analyses leaves the old site and no staging folder.
func TestPremake(t *testing.T) {
	for _, tc := range []struct {
		name    string
		n       int
		fail    bool // the analysis fails once the folders are there
		cancel  bool // the build is cancelled then
		wantErr string
	}{
		{name: "built", n: 40},
		{name: "an analysis fails", n: 3000, fail: true, wantErr: "no analysis"},
		{name: "cancelled", n: 3000, cancel: true, wantErr: context.Canceled.Error()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			dir := filepath.Join(parent, "public")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "old.txt"), []byte("the old site"), 0o644); err != nil {
				t.Fatal(err)
			}
			fsys := premakeSite(tc.n)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			want := []string{"articles/a", "articles/x0000", "old/x0000", "older", "seeds/001_a",
				"stories/story-1/page/2", "outlets/outlet-3", "page/2", "titles/page/2"}
			if tc.wantErr != "" {
				want = []string{"articles"} // fail while the folders are being made
			}
			f := &testFeature{analyze: func(s *Site) error {
				if err := untilDirs(parent, want); err != nil {
					t.Error(err)
				}
				switch {
				case tc.fail:
					return errors.New("no analysis")
				case tc.cancel:
					cancel()
					return ctx.Err()
				}
				return nil
			}}
			_, err := BuildTo(ctx, fsys, dir, WithFeatures(f))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				if got := names(t, dir); strings.Join(got, " ") != "old.txt" {
					t.Errorf("the old site holds %v after a failed build", got)
				}
				if left := stagingFolders(t, parent); len(left) > 0 {
					t.Errorf("the failed build left %v", left)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			out, err := Build(context.Background(), fsys, WithFeatures(&testFeature{}))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				rel, _ := filepath.Rel(dir, p)
				if d.IsDir() {
					if ents, err := os.ReadDir(p); err == nil && len(ents) == 0 {
						t.Errorf("empty folder %s", rel)
					}
					return nil
				}
				got = append(got, filepath.ToSlash(rel))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			sort.Strings(got)
			if strings.Join(got, "\n") != strings.Join(out.Paths(), "\n") {
				t.Errorf("built files:\n%s\nwant those of Build:\n%s", strings.Join(got, "\n"), strings.Join(out.Paths(), "\n"))
			}
		})
	}
}

// whenIdle works only while the process leaves a core idle, and stops
// when its work is done or its context is.
func TestWhenIdle(t *testing.T) {
	defer func(f func([]metrics.Sample) (int, bool)) { busyCores = f }(busyCores)
	idle := func([]metrics.Sample) (int, bool) { return 0, true }
	for _, tc := range []struct {
		name   string
		busy   func([]metrics.Sample) (int, bool)
		steps  int // of work to do
		cancel time.Duration
		want   int // steps done; -1: some, not all
	}{
		{name: "idle", busy: idle, steps: 50, want: 50},
		{name: "unknown", busy: func([]metrics.Sample) (int, bool) { return 0, false }, steps: 50, want: 50},
		{name: "real", busy: busyCores, steps: 50, want: 50}, // the test leaves a core idle
		{name: "busy", busy: func([]metrics.Sample) (int, bool) { return runtime.GOMAXPROCS(0), true }, steps: 50, cancel: 30 * time.Millisecond, want: 0},
		{name: "cancelled", busy: idle, steps: 1 << 30, cancel: 30 * time.Millisecond, want: -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			busyCores = tc.busy
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.cancel > 0 {
				time.AfterFunc(tc.cancel, cancel)
			}
			done := 0
			over := make(chan struct{})
			go func() {
				defer close(over)
				whenIdle(ctx, func() bool {
					if done == tc.steps {
						return false
					}
					done++
					return true
				})
			}()
			select {
			case <-over:
			case <-time.After(10 * time.Second):
				t.Fatal("whenIdle did not return")
			}
			if tc.want == -1 && (done == 0 || done == tc.steps) || tc.want >= 0 && done != tc.want {
				t.Errorf("%d steps done, want %d", done, tc.want)
			}
		})
	}
}
