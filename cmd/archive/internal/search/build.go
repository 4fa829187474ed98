package search

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
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
}

type options struct {
	prefix       string
	shardBytes   int
	docsPerShard int
	maxDocFrac   float64
	minStopDocs  int
	titleBoost   int
	snippetRunes int
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
// not on their order.
func Build(docs []Doc, opts ...Option) (map[string][]byte, error) {
	o := options{prefix: "search/", shardBytes: 12000, docsPerShard: 4, maxDocFrac: 0.3,
		minStopDocs: 500, titleBoost: 5, snippetRunes: 180}
	for _, f := range opts {
		f(&o)
	}
	if o.shardBytes < 1 || o.docsPerShard < 1 || o.titleBoost < 1 {
		return nil, fmt.Errorf("search: shard sizes and title boost must be positive")
	}
	docs, err := sortDocs(docs)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	m := Manifest{Format: Format, Docs: len(docs), DocsPerShard: o.docsPerShard,
		DocPath: "d/{n}.json", TermPath: "t/{n}.json", Stop: []string{}, Kinds: []string{}, Outlets: []string{}}
	m.Groups, m.Kinds, m.Outlets = groups(docs)

	for n := 0; n*o.docsPerShard < len(docs); n++ {
		end := min((n+1)*o.docsPerShard, len(docs))
		var shard []DocMeta
		for _, d := range docs[n*o.docsPerShard : end] {
			shard = append(shard, meta(d, o.snippetRunes))
		}
		b, err := marshal(shard)
		if err != nil {
			return nil, err
		}
		files[o.prefix+"d/"+strconv.Itoa(n)+".json"] = b
	}

	post, stop := postings(docs, o)
	m.Stop = stop
	terms := make([]string, 0, len(post))
	for t := range post {
		terms = append(terms, t)
	}
	sort.Strings(terms) // byte order of UTF-8 is code-point order
	var (
		cur     bytes.Buffer
		prev    string
		shardNo int
		bounds  []string
	)
	flush := func() {
		if cur.Len() == 0 {
			return
		}
		cur.WriteString("}\n")
		files[o.prefix+"t/"+strconv.Itoa(shardNo)+".json"] = bytes.Clone(cur.Bytes())
		cur.Reset()
		shardNo++
	}
	for i, t := range terms {
		entry := encodeEntry(t, post[t])
		if cur.Len() > 0 && cur.Len()+len(entry) > o.shardBytes {
			flush()
		}
		if cur.Len() == 0 {
			if i > 0 {
				bounds = append(bounds, separator(prev, t))
			}
			cur.WriteString("{")
		} else {
			cur.WriteString(",\n")
		}
		cur.Write(entry)
		prev = t
	}
	flush()
	m.Shards = shardNo
	m.Bounds = strings.Join(bounds, " ")
	b, err := marshal(m)
	if err != nil {
		return nil, err
	}
	files[o.prefix+"index.json"] = b
	return files, nil
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

func meta(d Doc, snippetRunes int) DocMeta {
	m := DocMeta{URL: d.URL, Title: d.Title, Kind: d.Kind, Outlet: d.Outlet, Snippet: snippet(d.Text, snippetRunes)}
	if !d.Date.IsZero() {
		m.Date = d.Date.Format(time.DateOnly)
	}
	return m
}

// snippet is the start of text, whitespace collapsed, cut at a word
// boundary and marked with an ellipsis when cut.
func snippet(text string, n int) string {
	cut := false
	if limit := 8*n + 8; len(text) > limit { // n runes need at most 4n bytes, plus spaces
		for limit > 0 && !utf8.RuneStart(text[limit]) {
			limit--
		}
		text, cut = text[:limit], true
	}
	text = strings.Join(strings.Fields(text), " ")
	if !cut && utf8.RuneCountInString(text) <= n {
		return text
	}
	s := text
	for i := range text {
		if n == 0 {
			s = text[:i]
			break
		}
		n--
	}
	if sp := strings.LastIndexByte(s, ' '); sp > len(s)/2 {
		s = s[:sp]
	}
	return strings.TrimRight(s, " ,;:.") + "…"
}

type posting struct{ doc, weight int }

// postings computes every term's posting list (doc IDs ascending) and the
// sorted stop terms.
func postings(docs []Doc, o options) (map[string][]posting, []string) {
	const k1, b = 1.2, 0.75
	type termCount struct {
		term string
		n    int
	}
	counts := make([][]termCount, len(docs))
	lens := make([]int, len(docs))
	total := 0
	tf := map[string]int{}
	for i, d := range docs {
		clear(tf)
		eachToken(d.Text, func(t string) { tf[t]++; lens[i]++ })
		eachToken(d.Title, func(t string) { tf[t] += o.titleBoost; lens[i]++ })
		total += lens[i]
		list := make([]termCount, 0, len(tf))
		for t, n := range tf {
			list = append(list, termCount{t, n})
		}
		counts[i] = list
	}
	avg := 1.0
	if len(docs) > 0 && total > 0 {
		avg = float64(total) / float64(len(docs))
	}
	post := map[string][]posting{}
	for i, list := range counts {
		norm := k1 * (1 - b + b*float64(lens[i])/avg)
		for _, c := range list {
			w := float64(c.n) * (k1 + 1) / (float64(c.n) + norm)
			post[c.term] = append(post[c.term], posting{i, max(1, int(math.Round(w*10)))})
		}
		counts[i] = nil
	}
	var stop []string
	for t, p := range post {
		if len(p) > o.minStopDocs && float64(len(p)) > o.maxDocFrac*float64(len(docs)) {
			stop = append(stop, t)
			delete(post, t)
		}
	}
	sort.Strings(stop)
	if stop == nil {
		stop = []string{}
	}
	return post, stop
}

// encodeEntry writes "term":[d0,w0,d1-d0,w1,...].
func encodeEntry(t string, ps []posting) []byte {
	key, _ := json.Marshal(t)
	var b bytes.Buffer
	b.Write(key)
	b.WriteString(":[")
	last := 0
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(p.doc - last))
		b.WriteByte(',')
		b.WriteString(strconv.Itoa(p.weight))
		last = p.doc
	}
	b.WriteByte(']')
	return b.Bytes()
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

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
