package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/archive-project/archive/cmd/archive/internal/jsonstr"
)

// Format is the manifest's format version; the client refuses others.
const Format = 1

// Kinds of documents, in the order the filter offers them.
const (
	Article = "article"
	Passage = "passage"
	Note    = "note"
)

// Doc is one searchable thing: an article page, a shared passage, or an
// editor's note (with a URL that ends in its #fragment).
type Doc struct {
	URL    string    // site-absolute, e.g. "/articles/interpol/" or "/articles/x/#note-1"
	Title  string    // shown as the result's link text; its words rank higher
	Kind   string    // Article, Passage or Note
	Outlet string    // filter value; "" for none
	Date   time.Time // zero = undated
	Text   string    // plain text (no markup)
	// TextKey, when not zero, fingerprints the text: an Indexer that read
	// the document before with the same TextKey does not need it again,
	// and Text may then be empty while Load makes it when it is needed:
	// Load appends the text to dst and returns the result. The Indexer
	// gives it a buffer of its own that it uses again for the next
	// document (it keeps none of the text's bytes).
	TextKey uint64
	Load    func(dst []byte) []byte
}

type options struct {
	prefix       string
	shardBytes   int
	docsPerShard int
	maxDocFrac   float64
	minStopDocs  int
	titleBoost   int
	snippetRunes int
	once         bool // WithOneBuild
}

// Option changes a default of Build.
type Option func(*options)

// WithPrefix sets the folder of the output files (default "search/").
func WithPrefix(p string) Option {
	return func(o *options) { o.prefix = strings.Trim(p, "/") + "/" }
}

// WithShardBytes sets the target size of a term shard (default 12000 bytes).
func WithShardBytes(n int) Option { return func(o *options) { o.shardBytes = n } }

// WithDocsPerShard sets the documents per doc shard (default 4).
func WithDocsPerShard(n int) Option { return func(o *options) { o.docsPerShard = n } }

// WithStopTerms sets when a term is too common to index: in more than frac of
// the documents and more than min documents (defaults 0.3 and 500, so a small
// archive indexes every word).
func WithStopTerms(frac float64, min int) Option {
	return func(o *options) { o.maxDocFrac, o.minStopDocs = frac, min }
}

// WithTitleBoost sets how many body words one title word counts as (default 5).
func WithTitleBoost(n int) Option { return func(o *options) { o.titleBoost = n } }

// WithSnippetRunes sets the length of a result's snippet (default 180).
func WithSnippetRunes(n int) Option { return func(o *options) { o.snippetRunes = n } }

// WithOneBuild makes an Indexer for a single build (archive build): it
// puts each document's terms straight into the postings as it reads them,
// instead of keeping the document's term list for the next build and
// inverting the lists once all are read, and lets go of each term's
// postings once it is in its shard, so that the term lists, the postings
// and the shards are never all held at once. A later Build reads every
// document again.
func WithOneBuild() Option { return func(o *options) { o.once = true } }

// Manifest is search/index.json.
type Manifest struct {
	Format       int      `json:"format"`
	Docs         int      `json:"docs"`
	DocsPerShard int      `json:"docsPerShard"`
	DocPath      string   `json:"docPath"`  // relative to the manifest; {n} is the shard number
	TermPath     string   `json:"termPath"` // relative to the manifest; {n} is the shard number
	Shards       int      `json:"shards"`   // number of term shards
	Bounds       string   `json:"bounds"`   // lower bounds of term shards 1, 2, ..., separated by spaces (shard 0's is "")
	Stop         []string `json:"stop"`     // terms not indexed
	Kinds        []string `json:"kinds"`    // kinds present, in Article, Passage, Note order
	Outlets      []string `json:"outlets"`  // outlets present, sorted
	Groups       []Group  `json:"groups"`   // doc-ID range of each (kind, outlet)
}

// Group is the half-open doc-ID range [From, To) of one kind and outlet.
type Group struct {
	Kind   string `json:"kind"`
	Outlet string `json:"outlet"`
	From   int    `json:"from"`
	To     int    `json:"to"`
}

// DocMeta is one entry of a doc shard.
type DocMeta struct {
	URL     string `json:"u"`
	Title   string `json:"t"`
	Kind    string `json:"k"`
	Outlet  string `json:"o,omitempty"`
	Date    string `json:"d,omitempty"` // YYYY-MM-DD
	Snippet string `json:"s"`
}

var kindOrder = map[string]int{Article: 0, Passage: 1, Note: 2}

// Build indexes docs and returns the files to publish, keyed by slash path
// (see the package comment). The output depends only on the set of docs,
// not on their order. An Indexer makes the same files again for changed
// documents, reading only what changed.
func Build(docs []Doc, opts ...Option) (map[string][]byte, error) {
	return NewIndexer(append(opts, WithOneBuild())...).Build(docs)
}

func sortDocs(in []Doc) ([]Doc, error) {
	docs := append([]Doc(nil), in...)
	seen := map[string]bool{}
	for _, d := range docs {
		if _, ok := kindOrder[d.Kind]; !ok {
			return nil, fmt.Errorf("search: %s: kind %q: want %q, %q or %q", d.URL, d.Kind, Article, Passage, Note)
		}
		if d.URL == "" {
			return nil, fmt.Errorf("search: document %q has no URL", d.Title)
		}
		if !strings.HasPrefix(d.URL, "/") && !strings.HasPrefix(d.URL, "https://") && !strings.HasPrefix(d.URL, "http://") {
			return nil, fmt.Errorf("search: %s: URL must start with / (or be http(s)://…)", d.URL)
		}
		if seen[d.URL] {
			return nil, fmt.Errorf("search: two documents have the URL %s", d.URL)
		}
		seen[d.URL] = true
	}
	sort.Slice(docs, func(i, j int) bool {
		a, b := docs[i], docs[j]
		if a.Kind != b.Kind {
			return kindOrder[a.Kind] < kindOrder[b.Kind]
		}
		if a.Outlet != b.Outlet {
			return a.Outlet < b.Outlet
		}
		if !a.Date.Equal(b.Date) {
			return a.Date.Before(b.Date)
		}
		return a.URL < b.URL
	})
	return docs, nil
}

func groups(docs []Doc) (gs []Group, kinds, outlets []string) {
	gs, kinds, outlets = []Group{}, []string{}, []string{}
	seenOutlet := map[string]bool{}
	for i, d := range docs {
		if len(gs) == 0 || gs[len(gs)-1].Kind != d.Kind || gs[len(gs)-1].Outlet != d.Outlet {
			gs = append(gs, Group{Kind: d.Kind, Outlet: d.Outlet, From: i})
			if len(kinds) == 0 || kinds[len(kinds)-1] != d.Kind {
				kinds = append(kinds, d.Kind)
			}
		}
		gs[len(gs)-1].To = i + 1
		if d.Outlet != "" && !seenOutlet[d.Outlet] {
			seenOutlet[d.Outlet] = true
			outlets = append(outlets, d.Outlet)
		}
	}
	sort.Strings(outlets)
	return gs, kinds, outlets
}

// snippet is the start of text, whitespace collapsed, cut at a word
// boundary and marked with an ellipsis when cut. Only the first n runes of
// the collapsed text are made (strings.Fields over the first 8n bytes was
// 870 MB of garbage at 100,000 articles).
func snippet(text string, n int) string {
	cut := false
	if limit := 8*n + 8; len(text) > limit { // n runes need at most 4n bytes, plus spaces
		for limit > 0 && !utf8.RuneStart(text[limit]) {
			limit--
		}
		text, cut = text[:limit], true
	}
	// The first n runes of the words of text joined by single spaces,
	// each word's bytes as they are, and whether there is more.
	var b strings.Builder
	b.Grow(min(len(text), 4*n+4))
	runes, more, gap := 0, false, false
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			gap = b.Len() > 0
			i += size
			continue
		}
		if gap {
			if runes == n {
				more = true
				break
			}
			b.WriteByte(' ')
			runes++
			gap = false
		}
		if runes == n {
			more = true
			break
		}
		b.WriteString(text[i : i+size])
		runes++
		i += size
	}
	s := b.String()
	if !cut && !more {
		return s
	}
	if sp := strings.LastIndexByte(s, ' '); sp > len(s)/2 {
		s = s[:sp]
	}
	return strings.TrimRight(s, " ,;:.") + "…"
}

// separator is the shortest prefix of next that sorts after prev
// (prev < next).
func separator(prev, next string) string {
	for i := range next {
		if i > 0 && next[:i] > prev {
			return next[:i]
		}
	}
	return next
}

// appendDocShard appends shard as marshal encodes it ([...] and a
// newline), without reflection: doc shards were a fifth of writing the
// index.
func appendDocShard(b []byte, shard []DocMeta) []byte {
	b = append(b, '[')
	for i, m := range shard {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"u":`...)
		b = jsonstr.Append(b, m.URL, false)
		b = append(b, `,"t":`...)
		b = jsonstr.Append(b, m.Title, false)
		b = append(b, `,"k":`...)
		b = jsonstr.Append(b, m.Kind, false)
		if m.Outlet != "" {
			b = append(b, `,"o":`...)
			b = jsonstr.Append(b, m.Outlet, false)
		}
		if m.Date != "" {
			b = append(b, `,"d":`...)
			b = jsonstr.Append(b, m.Date, false)
		}
		b = append(b, `,"s":`...)
		b = jsonstr.Append(b, m.Snippet, false)
		b = append(b, '}')
	}
	return append(b, "]\n"...)
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
