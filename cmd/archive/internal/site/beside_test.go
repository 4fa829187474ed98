package site

import (
	"context"
	"errors"
	"testing"
	"testing/fstest"
)

// What a feature runs beside the pages (Site.Beside) starts once every
// feature has analysed the site, may read the bodies again, and is over
// when the build returns: its result collected in Emit when the build
// goes well, its context cancelled when the build fails first.
func TestBeside(t *testing.T) {
	for _, tc := range []struct {
		name     string
		fail     bool // an article's step fails
		wantErr  bool
		wantStop bool // fn saw its context cancelled
	}{
		{name: "collected in Emit"},
		{name: "build fails first", fail: true, wantErr: true, wantStop: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := testSite()
			m["content/x.md"] = &fstest.MapFile{Data: []byte("---\ntitle: X\n---\nThe body of x.\n")}
			var analysed bool
			result := make(chan string, 1)
			stopped, over := false, make(chan struct{})
			first := &testFeature{analyze: func(s *Site) error {
				s.Beside(func(ctx context.Context) {
					defer close(over)
					if !analysed {
						t.Error("fn began before every feature had analysed the site")
					}
					body, err := s.Article("content/x.md").Body() // the bodies were let go of: read again
					if err != nil {
						t.Error(err)
					}
					if tc.fail {
						<-ctx.Done() // the build fails without collecting
						stopped = true
						return
					}
					result <- string(body)
				})
				return nil
			}, emit: func(s *Site, out *Emitter) error {
				if got := <-result; got != "The body of x.\n" {
					t.Errorf("fn read %q", got)
				}
				return nil
			}}
			second := &testFeature{analyze: func(s *Site) error { analysed = true; return nil },
				article: func(s *Site, a *Article) (ArticleAdditions, error) {
					if tc.fail {
						return ArticleAdditions{}, errors.New("no")
					}
					return ArticleAdditions{}, nil
				}}
			_, err := Build(context.Background(), m, WithFeatures(first, second))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err %v, want an error: %v", err, tc.wantErr)
			}
			select {
			case <-over:
			default:
				t.Fatal("Build returned before fn was over")
			}
			if stopped != tc.wantStop {
				t.Errorf("fn stopped by its context: %v, want %v", stopped, tc.wantStop)
			}
		})
	}
}
