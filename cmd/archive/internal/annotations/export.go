package annotations

import (
	"sort"

	"github.com/archive-project/archive/cmd/archive/internal/crossref"
	"github.com/archive-project/archive/cmd/archive/internal/site"
)

// PassageInfo is a shared passage as other parts of the archive see it
// (search, the timeline, citations), after the build's analysis ran.
type PassageInfo struct {
	ID        string
	URL       string // site-relative URL of its page, /passages/<id>/
	Canonical string
	Class     string // source or reporting
	Label     string // "Quoted source text" or "Shared reporting"
	// Occurrences are in date order (undated last); Earliest is the index
	// of the first by date, -1 when none is dated.
	Occurrences []OccurrenceInfo
	Earliest    int
}

// OccurrenceInfo is one wording of a passage in an article.
type OccurrenceInfo struct {
	Article    *site.Article
	Mark       string // element id of the marked words on the article page (q-…)
	Text       string
	InComments bool
}

// First is the earliest occurrence by date, else the first listed.
func (p PassageInfo) First() OccurrenceInfo {
	if p.Earliest >= 0 && p.Earliest < len(p.Occurrences) {
		return p.Occurrences[p.Earliest]
	}
	return p.Occurrences[0]
}

// NoteInfo is one editor's note on an article.
type NoteInfo struct {
	Article *site.Article
	Mark    string // element id of the marked words (n-…)
	Quote   string // the words the note is about
	Note    string // the note, Markdown
	Line    int    // of the note in the content file
}

// Passages returns the shared passages of the last build, most widely
// shared first (nil before the first analysis). Call it from site hooks
// that run after the layer's analysis: a later WithAnalysis, WithPages or
// WithFiles.
func (l *Layer) Passages() []PassageInfo {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ix == nil {
		return nil
	}
	out := make([]PassageInfo, 0, len(l.ix.Passages))
	for _, p := range l.ix.Passages {
		if pi := l.info(p); len(pi.Occurrences) > 0 {
			out = append(out, pi)
		}
	}
	return out
}

// info describes p; l.mu is held.
func (l *Layer) info(p *crossref.Passage) PassageInfo {
	pi := PassageInfo{ID: p.ID, URL: l.passageURL(p.ID), Canonical: p.Canonical, Class: string(p.Class),
		Label: classLabel(p.Class), Earliest: -1}
	for _, o := range p.Occs {
		a := l.art(o.Doc)
		if a == nil {
			continue
		}
		if o.N == p.Earliest {
			pi.Earliest = len(pi.Occurrences)
		}
		pi.Occurrences = append(pi.Occurrences, OccurrenceInfo{Article: a, Mark: o.ID,
			Text: p.Occurrences[o.N].Text, InComments: o.InComments})
	}
	return pi
}

// Notes returns the editor's notes of the last build, by article content
// path and then position.
func (l *Layer) Notes() []NoteInfo {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ix == nil {
		return nil
	}
	keys := make([]string, 0, len(l.ix.Docs))
	for k := range l.ix.Docs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []NoteInfo
	for _, k := range keys {
		a := l.art(k)
		if a == nil {
			continue
		}
		for _, n := range l.ix.Docs[k].Notes {
			out = append(out, NoteInfo{Article: a, Mark: n.ID, Quote: n.Note.Quote, Note: n.Note.Note, Line: n.Line})
		}
	}
	return out
}

// OnPassagePage sets a function whose result each passage page gets as
// .Data.Extra (layouts/passage.html), such as the passage's citations. It
// runs while the pages are made, after the analysis; an error stops the
// build.
//
// The layer calls f for a passage only when something f may read changed
// since the last build, and reuses its last result otherwise. f may read
// the PassageInfo it is given, the fields of its occurrences' articles
// that come from their files (front matter, body, path, URLs, outlet
// name), the site's configuration, and the newest article date; nothing
// else (not other articles, nor an article's story, outlet list or
// rendered content), or its result may be stale.
func (l *Layer) OnPassagePage(f func(PassageInfo) (any, error)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.passageExtra = f
	l.pageData = nil // made with the last function
}
