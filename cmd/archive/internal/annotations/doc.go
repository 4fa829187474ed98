// Package annotations puts the archive's shared passages and editor's
// notes on the site, as a site.Feature (Feature):
//
//   - it finds the passages the articles share (annotate.Find) and anchors
//     each editor's note to its words (index.go: FindPassages, Index);
//   - it marks each occurrence and note where it stands on the article's
//     page, with a note (layouts/passage-note.html) that names a few
//     other places it stands and how many more (notes.go);
//   - it gives each article page the articles it shares passages with (at
//     most 12, and how many more; passages that more than MaxShareFanout
//     articles carry do not count), each outlet page its passages, each
//     raw seed page the lines that hold them;
//   - it adds a page per passage, /passages/<id>/, paginated by occurrence,
//     that compares each distinct wording with the canonical one once, with
//     the articles that print it (pages.go); /passages/, most widely shared
//     first (outlets, then articles); and /timeline/, the articles in date
//     order with the passages that first appear in each (timeline.go);
//   - it publishes the annotations as W3C Web Annotation JSON-LD
//     (jsonld.go): each annotated article's own annotations beside its page,
//     one page of the site's paged collection /annotations.jsonld;
//   - it gives package search the passages and notes to index (search.go).
//
// Only quotes and shared reporting are shown; one outlet's furniture is
// kept apart (Index.Hidden).
//
// # Ids
//
// Ids are stable across rebuilds and unrelated edits: a passage's id comes
// from its normalised canonical text (annotate), an occurrence's from that
// id plus its rank among the same passage's occurrences in one article, and
// a note's from its quote, prefix and suffix.
//
// # Incremental builds and live mode
//
// The feature keeps the passages of the last build and finds them again
// only when the text, date, outlet or seed of an article changed. After
// each build it tells the site which articles' additions changed beyond the
// edited ones (site.Site.Invalidate), from keys of what each shows.
//
// NewLive makes the feature `archive serve` uses. An edit to at most 8
// articles whose dates, outlets and seeds stay the same is answered without
// finding passages: each occurrence in an edited text is found again where
// its words now stand (Index.Update) and its notes are anchored again. The
// feature then reports Pending, and serve builds again at once with no
// changes; that build finds the passages anew, so passages an edit creates
// or joins appear a moment later. An edit that removes an occurrence's
// words, or any larger change, finds passages at once.
//
// # Notes without JavaScript
//
// Each mark is followed by <a role="doc-noteref" href="#note-ID"> and the
// note, <span role="doc-footnote" id="note-ID">, with a doc-backlink to the
// reference (layouts/noteref.html). Wide screens show notes in the margin
// (sidenotes); narrow screens show a note when its reference is followed
// (:target), and print shows them all as endnotes. Passages that quote a
// source document (the draft resolution) and shared reporting are marked
// differently, by border style as well as colour.
package annotations
