package site

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
)

// Narrow builds. An edit to the text of a few articles (the same files,
// each with the same front matter) cannot change what any other article
// is, nor any URL, title, date or list order: only what those articles'
// pages show, their list entries (a summary), and what features derive
// from their text. A narrow build renders exactly that, on the last
// build's state, instead of fingerprinting every page of the site, so
// that `archive serve` answers such an edit in time proportional to the
// edit, not to the archive:
//
//  1. the edited articles and those features invalidated (Site.Invalidate),
//     and the seed pages of both and those invalidated;
//  2. the pages of lists that show an article whose entry changed (the home
//     page's, its story's and its outlet's page holding it; the feed),
//     the first page of outlets features invalidated, and what features
//     emit (Site.Incremental: only what the edit reached);
//  3. nothing else: URLs, dates and titles did not change, so neither did
//     the sitemap, the titles or any other list.
//
// A feature whose analysis reaches further calls Site.Widen, and the
// build looks at every page.
func (r *run) narrowSteps() error {
	s := r.site
	dirty := map[*Article]bool{}
	for _, a := range r.edited {
		dirty[a] = true
	}
	s.mu.Lock()
	for a := range s.invArticles {
		dirty[a] = true
	}
	seeds := map[*Seed]bool{}
	for sd := range s.invSeeds {
		seeds[sd] = true
	}
	outlets := map[*Outlet]bool{}
	for o := range s.invOutlets {
		outlets[o] = true
	}
	s.mu.Unlock()
	arts := make([]*Article, 0, len(dirty))
	for a := range dirty {
		arts = append(arts, a)
		if a.Seed != nil {
			seeds[a.Seed] = true
		}
	}
	sort.Slice(arts, func(i, j int) bool { return r.m.index[arts[i]] < r.m.index[arts[j]] }) // a fixed order: the same error whatever the scheduling
	for _, a := range arts {
		r.pool.submit(func(w *worker) error { return r.article(w, a) })
	}
	seedList := make([]*Seed, 0, len(seeds))
	for sd := range seeds {
		seedList = append(seedList, sd)
	}
	sort.Slice(seedList, func(i, j int) bool { return seedList[i].File < seedList[j].File })
	for _, sd := range seedList {
		r.pool.submit(func(w *worker) error { return r.seed(w, sd) })
	}
	if err := r.pool.wait(); err != nil {
		return err
	}

	// 2. The pages of lists that show a changed entry.
	sort.Slice(r.listChanged, func(i, j int) bool { return r.m.index[r.listChanged[i]] < r.m.index[r.listChanged[j]] })
	home := map[int]bool{}
	stories := map[*Story]map[int]bool{}
	outletPages := map[*Outlet]map[int]bool{}
	size := r.m.cfg.Paginate
	feed := false
	newest := feedArticles(r.m)
	for _, a := range r.listChanged {
		home[r.m.index[a]/size+1] = true
		if a.Story != nil {
			if stories[a.Story] == nil {
				stories[a.Story] = map[int]bool{}
			}
			stories[a.Story][slices.Index(a.Story.Articles, a)/size+1] = true
		}
		if a.Outlet != nil {
			if outletPages[a.Outlet] == nil {
				outletPages[a.Outlet] = map[int]bool{}
			}
			outletPages[a.Outlet][slices.Index(a.Outlet.Articles, a)/size+1] = true
		}
		feed = feed || slices.Contains(newest, a)
	}
	for o := range outlets {
		if outletPages[o] == nil {
			outletPages[o] = map[int]bool{}
		}
		outletPages[o][1] = true // where features' additions show
	}
	r.homeList(home)
	for _, st := range r.m.stories {
		if pages := stories[st]; pages != nil {
			r.storyList(st, pages)
		}
	}
	for _, o := range r.m.outlets {
		if pages := outletPages[o]; pages != nil {
			r.outletList(o, pages)
		}
	}
	if err := r.emit(); err != nil {
		return err
	}
	if feed {
		r.pool.submit(func(w *worker) error {
			return r.file(w, "index.xml", "the feed", feedFP(r.m, r.siteFP), func(b *bytes.Buffer) error { return writeFeed(b, r.m) })
		})
	}
	return r.pool.wait()
}

// emit runs every feature's Emit.
func (r *run) emit() error {
	for i, f := range r.b.o.features {
		e := &Emitter{r: r, name: fmt.Sprintf("%T", f), feature: i}
		if err := f.Emit(r.ctx, r.site, e); err != nil {
			r.pool.wait()
			return err
		}
		if err := r.pool.failed(); err != nil {
			r.pool.wait()
			return err
		}
		e.finish()
	}
	return nil
}
