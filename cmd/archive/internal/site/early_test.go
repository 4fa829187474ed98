package site

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"
)

// earlyFeature is a testFeature with early work (EarlyFeature).
type earlyFeature struct {
	testFeature
	early func(s *Site) func(ctx context.Context)
}

func (f *earlyFeature) Early(s *Site) func(ctx context.Context) { return f.early(s) }

// What a feature runs early (EarlyFeature) is asked for before any
// feature analyses the site, runs while they do, may read the bodies
// (also while the build lets them go), may be waited for beside the
// pages, and is over when the build returns: its context cancelled when
// the build fails first, in the analyses or in the pages.
func TestEarly(t *testing.T) {
	for _, tc := range []struct {
		name        string
		failAnalyze bool // the other feature's analysis fails
		failPage    bool // an article's step fails
		keep        int  // bytes of bodies kept (withKeepBodies): 0 lets them go after the analyses
		wantErr     bool
		wantStop    bool // fn saw its context cancelled
	}{
		{name: "collected beside the pages", keep: 1 << 20},
		{name: "bodies let go of meanwhile"},
		{name: "an analysis fails", failAnalyze: true, wantErr: true, wantStop: true},
		{name: "a page fails", failPage: true, wantErr: true, wantStop: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := testSite()
			for i := range 20 {
				m[fmt.Sprintf("content/x%02d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: X%d\n---\nThe body of x%d.\n", i, i))}
			}
			var analysing atomic.Bool // the first feature's Analyze runs
			started := make(chan struct{})
			var stopped atomic.Bool
			over := make(chan struct{})
			result := make(chan string, 1)
			besideStarted := make(chan struct{})
			early := &earlyFeature{early: func(s *Site) func(ctx context.Context) {
				if analysing.Load() {
					t.Error("Early called while a feature analysed the site")
				}
				if !s.Only() {
					return nil
				}
				return func(ctx context.Context) {
					defer close(over)
					close(started)
					var read string
					for done := false; !done; { // read until the pages begin: the build lets the bodies go meanwhile
						select {
						case <-besideStarted:
							done = true
						case <-ctx.Done():
							done = true
						default:
						}
						read = ""
						for _, a := range s.Articles {
							body, err := a.Body()
							if err != nil {
								t.Error(err)
							}
							read += string(body)
						}
					}
					if tc.wantStop {
						<-ctx.Done() // the build fails without collecting
						stopped.Store(true)
						return
					}
					result <- read
				}
			}}
			early.analyze = func(s *Site) error {
				s.Beside(func(ctx context.Context) {
					close(besideStarted)
					select {
					case got := <-result:
						for i := range 20 {
							if want := fmt.Sprintf("The body of x%d.\n", i); !strings.Contains(got, want) {
								t.Errorf("fn read no %q", want)
							}
						}
					case <-ctx.Done():
					}
				})
				return nil
			}
			first := &testFeature{analyze: func(s *Site) error {
				analysing.Store(true)
				defer analysing.Store(false)
				select { // fn runs while the features analyse
				case <-started:
				case <-time.After(10 * time.Second):
					t.Error("fn did not begin while the first feature analysed the site")
				}
				if tc.failAnalyze {
					return errors.New("no analysis")
				}
				return nil
			}, article: func(s *Site, a *Article) (ArticleAdditions, error) {
				if tc.failPage {
					return ArticleAdditions{}, errors.New("no page")
				}
				return ArticleAdditions{}, nil
			}}
			_, err := Build(context.Background(), m, WithFeatures(first, early), withKeepBodies(tc.keep))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err %v, want an error: %v", err, tc.wantErr)
			}
			select {
			case <-over:
			default:
				t.Fatal("Build returned before fn was over")
			}
			if stopped.Load() != tc.wantStop {
				t.Errorf("fn stopped by its context: %v, want %v", stopped.Load(), tc.wantStop)
			}
		})
	}
}
