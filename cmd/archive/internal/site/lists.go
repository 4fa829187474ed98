package site

import (
	"fmt"
	"html/template"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The site's lists, each paginated (see Pager):
//
//	/                  every article in order of publication; the first page
//	                   also shows the first few stories, outlets and seeds
//	/stories/<slug>/   a story's articles          /stories/   the stories
//	/outlets/<slug>/   an outlet's articles        /outlets/   the outlets
//	/seeds/            the raw seed files
//	/titles/           every article by title

// HomeSections is how many stories, outlets and raw seeds the first page
// of the home page names before linking to their whole lists.
const HomeSections = 12

// lists submits the pages of every list.
func (r *run) lists() {
	m := r.m
	r.homeList(nil)
	for _, st := range m.stories {
		r.storyList(st, nil)
	}
	for _, o := range m.outlets {
		r.outletList(o, nil)
	}
	r.entryList("stories", "stories/", "Stories", "The stories of the archive, each with its articles.", len(m.stories),
		func(i int, h *Hasher) { s := m.stories[i]; h.String(s.Title, s.URL, s.Span()).Int(len(s.Articles)) },
		func(pg *Page) { pg.Stories = m.stories[pg.Pager.From:pg.Pager.To] })
	r.entryList("outlets", "outlets/", "Outlets", "The outlets whose articles the archive holds.", len(m.outlets),
		func(i int, h *Hasher) { o := m.outlets[i]; h.String(o.Name, o.URL).Int(len(o.Articles)) },
		func(pg *Page) { pg.Outlets = m.outlets[pg.Pager.From:pg.Pager.To] })
	r.entryList("seeds", "seeds/", "Raw seeds", "The archived texts as captured, byte for byte, before any editing.", len(m.seeds),
		func(i int, h *Hasher) {
			s := m.seeds[i]
			h.String(s.File, s.URL, s.SHA256)
			for _, a := range s.Articles {
				h.Key(a.linkFP)
			}
		},
		func(pg *Page) { pg.Seeds = m.seeds[pg.Pager.From:pg.Pager.To] })
	r.titles()
}

// listPaths calls fn with the output path of every page lists submits,
// in the same order, without rendering any: the list pages' paths follow
// from the model (the lengths of the lists and Config.Paginate), so a
// build can make their folders while the features analyse the site
// (run.premake). Keep it in step with lists.
func (r *run) listPaths(fn func(p string)) {
	m := r.m
	paged := func(dir string, n int) {
		for _, pgr := range Paginate(n, m.cfg.Paginate, r.m.rel(dir), dir) {
			fn(pgr.Path())
		}
	}
	paged("", len(m.articles))
	for _, st := range m.stories {
		paged("stories/"+st.Slug+"/", len(st.Articles))
	}
	for _, o := range m.outlets {
		paged("outlets/"+o.Slug+"/", len(o.Articles))
	}
	for _, l := range []struct {
		dir string
		n   int
	}{{"stories/", len(m.stories)}, {"outlets/", len(m.outlets)}, {"seeds/", len(m.seeds)}} {
		if l.n == 0 && m.hugo != nil {
			continue // as entryList
		}
		paged(l.dir, l.n)
	}
	paged("titles/", len(m.articles))
}

// homeList submits the pages of the home page's list (only those
// numbered in only, unless it is nil).
func (r *run) homeList(only map[int]bool) {
	m := r.m
	r.articleList("home", "", "the home page", m.articles, func(pg *Page) {
		if pg.Pager.Number == 1 {
			pg.Description = m.cfg.Description
			pg.Stories = m.stories[:min(len(m.stories), HomeSections)]
			pg.Outlets = m.outlets[:min(len(m.outlets), HomeSections)]
			pg.Seeds = m.seeds[:min(len(m.seeds), HomeSections)]
		} else {
			pg.Title = fmt.Sprintf("Articles, page %d of %d", pg.Pager.Number, pg.Pager.Total)
		}
	}, r.homeSectionsKey(), nil, only)
}

// storyList submits the pages of a story's list.
func (r *run) storyList(st *Story, only map[int]bool) {
	r.articleList("story", "stories/"+st.Slug+"/", "the story "+st.Title, st.Articles, func(pg *Page) {
		pg.Story = st
		pg.Title = pagedTitle(st.Title, pg.Pager)
		pg.Description = fmt.Sprintf("The %d archived articles of the story %q, in order of publication.", len(st.Articles), st.Title)
	}, NewHasher().String(st.Title, st.URL, st.Span()).Sum(), nil, only)
}

// outletList submits the pages of an outlet's list.
func (r *run) outletList(o *Outlet, only map[int]bool) {
	r.articleList("outlet", "outlets/"+o.Slug+"/", "the outlet "+o.Name, o.Articles, func(pg *Page) {
		pg.Outlet = o
		pg.Title = pagedTitle(o.Name, pg.Pager)
		pg.Description = fmt.Sprintf("Articles from %s in the archive.", o.Name)
	}, NewHasher().String(o.Name, o.URL).Sum(), o, only)
}

func pagedTitle(title string, p *Pager) string {
	if p.Number == 1 {
		return title
	}
	return fmt.Sprintf("%s, page %d of %d", title, p.Number, p.Total)
}

// homeSectionsKey covers what the home page's first page shows besides
// its articles.
func (r *run) homeSectionsKey() Key {
	m := r.m
	h := NewHasher()
	for _, s := range m.stories[:min(len(m.stories), HomeSections)] {
		h.String(s.Title, s.URL, s.Span()).Int(len(s.Articles))
	}
	for _, o := range m.outlets[:min(len(m.outlets), HomeSections)] {
		h.String(o.Name, o.URL).Int(len(o.Articles))
	}
	for _, s := range m.seeds[:min(len(m.seeds), HomeSections)] {
		h.String(s.File, s.URL)
		for _, a := range s.Articles {
			h.Key(a.linkFP)
		}
	}
	return h.Sum()
}

// articleList submits the pages of a list of articles at dir (those
// numbered in only, unless it is nil); the first page of an outlet's list
// shows what features add to it.
func (r *run) articleList(kind, dir, what string, list []*Article, fill func(*Page), extra Key, outlet *Outlet, only map[int]bool) {
	pagers := Paginate(len(list), r.m.cfg.Paginate, r.m.rel(dir), dir)
	for _, pgr := range pagers {
		if only != nil && !only[pgr.Number] {
			continue
		}
		r.pool.submit(func(w *worker) error {
			h := NewHasher().Key(extra).Int(pgr.Number).Int(pgr.Total).Int(pgr.Items)
			page := list[pgr.From:pgr.To]
			for _, a := range page {
				h.Key(a.listFP)
			}
			var rel *Related
			if outlet != nil && pgr.Number == 1 {
				related, k, err := r.outletAdditions(outlet)
				if err != nil {
					return err
				}
				h.Key(k)
				if len(related.Links) > 0 {
					rel = &related
				}
			}
			pw := what
			if pgr.Number > 1 {
				pw = fmt.Sprintf("page %d of %s", pgr.Number, what)
			}
			return r.page(w, pgr.Path(), pw, kind, h.Sum(), r.listPage(pgr, page, rel, fill))
		})
	}
}

// listPage makes the page data of one page of a list of articles.
func (r *run) listPage(pgr *Pager, list []*Article, rel *Related, fill func(*Page)) *Page {
	pg := &Page{Pager: pgr, List: list, Related: rel, URL: pgr.URL}
	n := 0
	for _, a := range list {
		n += len(a.Item)
	}
	var b strings.Builder
	b.Grow(n)
	for _, a := range list {
		b.WriteString(string(a.Item))
	}
	pg.Items = template.HTML(b.String())
	fill(pg)
	return pg
}

// entryList submits the pages of a list of n other entries at dir; key
// writes what the i-th entry shows.
func (r *run) entryList(kind, dir, title, desc string, n int, key func(i int, h *Hasher), fill func(*Page)) {
	if n == 0 && r.m.hugo != nil {
		return // a Hugo site without stories, outlets or seeds has no empty list of them
	}
	for _, pgr := range Paginate(n, r.m.cfg.Paginate, r.m.rel(dir), dir) {
		r.pool.submit(func(w *worker) error {
			h := NewHasher().Int(pgr.Number).Int(pgr.Total).Int(pgr.Items)
			for i := pgr.From; i < pgr.To; i++ {
				key(i, h)
			}
			pg := &Page{Pager: pgr, URL: pgr.URL, Title: pagedTitle(title, pgr), Description: desc}
			fill(pg)
			return r.page(w, pgr.Path(), "the "+kind+" list", kind, h.Sum(), pg)
		})
	}
}

// TitleGroup is the articles on a page of /titles/ whose titles start
// with one letter.
type TitleGroup struct {
	Letter   string
	ID       string // element id, "t-a"
	Articles []*Article
}

// Letter is a first letter of the titles, and where its articles start.
type Letter struct {
	Letter, URL string
}

// titleKey is how /titles/ sorts: by title, ignoring case and leading
// quotes and brackets.
func titleKey(a *Article) string {
	return strings.ToLower(strings.TrimLeft(a.Title, "\"'“‘«([ "))
}

// titleLetter is the letter a title is listed under: A to Z, else "#".
func titleLetter(key string) string {
	c, _ := utf8.DecodeRuneInString(key)
	if c >= 'a' && c <= 'z' {
		return string(unicode.ToUpper(c))
	}
	return "#"
}

func letterID(l string) string {
	if l == "#" {
		return "t-other"
	}
	return "t-" + strings.ToLower(l)
}

// titles submits the pages of /titles/: every article by title, grouped
// by first letter, with links to the page where each letter starts.
func (r *run) titles() {
	arts := append([]*Article(nil), r.m.articles...)
	keys := make(map[*Article]string, len(arts))
	for _, a := range arts {
		keys[a] = titleKey(a)
	}
	sort.SliceStable(arts, func(i, j int) bool {
		ki, kj := keys[arts[i]], keys[arts[j]]
		if ki != kj {
			return ki < kj
		}
		return arts[i].URL < arts[j].URL
	})
	pagers := Paginate(len(arts), r.m.cfg.Paginate, r.m.rel("titles/"), "titles/")
	var letters []Letter
	lh := NewHasher()
	for i, a := range arts {
		l := titleLetter(keys[a])
		if len(letters) == 0 || letters[len(letters)-1].Letter != l {
			letters = append(letters, Letter{Letter: l, URL: pagers[0].URLOf(i) + "#" + letterID(l)})
			lh.String(l, letters[len(letters)-1].URL)
		}
	}
	lk := lh.Sum()
	for _, pgr := range pagers {
		r.pool.submit(func(w *worker) error {
			h := NewHasher().Key(lk).Int(pgr.Number).Int(pgr.Total).Int(pgr.Items)
			var groups []TitleGroup
			for _, a := range arts[pgr.From:pgr.To] {
				h.Key(a.linkFP).Time(a.Date)
				l := titleLetter(keys[a])
				if len(groups) == 0 || groups[len(groups)-1].Letter != l {
					groups = append(groups, TitleGroup{Letter: l, ID: letterID(l)})
				}
				g := &groups[len(groups)-1]
				g.Articles = append(g.Articles, a)
			}
			desc := fmt.Sprintf("All %d archived articles, by title.", len(arts))
			pg := &Page{Pager: pgr, URL: pgr.URL, Title: pagedTitle("Articles by title", pgr), Description: desc, Titles: groups, Letters: letters}
			return r.page(w, pgr.Path(), "the titles list", "titles", h.Sum(), pg)
		})
	}
}
