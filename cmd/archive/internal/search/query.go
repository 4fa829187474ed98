package search

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Query is what a reader asks: words, and optional kind and outlet filters.
type Query struct {
	Text   string
	Kind   string // "" = any
	Outlet string // "" = any
	Limit  int    // results to return; 0 = 10
}

// Hit is one result.
type Hit struct {
	DocMeta
	ID    int
	Score float64
}

// Result is the answer to a Query and what it cost to get it.
type Result struct {
	Hits    []Hit
	Total   int      // matching documents, before Limit
	Ignored []string // query words that are stop terms
	Fetched []string // files read, relative to the manifest, in order
}

// MinPrefix is the shortest last word that is matched as a prefix.
const MinPrefix = 3

// MaxPrefixShards is the most term shards a prefix may read; a prefix that
// spans more is matched exactly instead.
const MaxPrefixShards = 3

// Search answers q from an index, reading files through fetch (paths
// relative to the manifest, e.g. "index.json", "t/3.json"). It does what
// layouts/search.js does, so that tests and `archive serve` can check and
// measure the client's behaviour from Go.
func Search(fetch func(path string) ([]byte, error), q Query) (Result, error) {
	var res Result
	get := func(p string, v any) error {
		b, err := fetch(p)
		if err != nil {
			return err
		}
		res.Fetched = append(res.Fetched, p)
		if err := json.Unmarshal(b, v); err != nil {
			return fmt.Errorf("search: %s: %w", p, err)
		}
		return nil
	}
	var m Manifest
	if err := get("index.json", &m); err != nil {
		return res, err
	}
	if m.Format != Format {
		return res, fmt.Errorf("search: index format %d, want %d", m.Format, Format)
	}
	if q.Limit <= 0 {
		q.Limit = 10
	}
	words, last := queryWords(q.Text)
	stop := map[string]bool{}
	for _, s := range m.Stop {
		stop[s] = true
	}
	var kept []string
	for _, w := range words {
		if stop[w] {
			res.Ignored = append(res.Ignored, w)
		} else {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 || m.Shards == 0 {
		return res, nil
	}
	bounds := append([]string{""}, strings.Fields(m.Bounds)...)
	shards := map[int]map[string][]int{}
	load := func(n int) (map[string][]int, error) {
		if s, ok := shards[n]; ok {
			return s, nil
		}
		var s map[string][]int
		if err := get(strings.ReplaceAll(m.TermPath, "{n}", strconv.Itoa(n)), &s); err != nil {
			return nil, err
		}
		shards[n] = s
		return s, nil
	}
	var scores map[int]float64
	for _, w := range kept {
		lo, hi := shardFor(bounds, w), shardFor(bounds, w)
		isPrefix := w == last && utf8.RuneCountInString(w) >= MinPrefix
		if isPrefix {
			hi = lastShardForPrefix(bounds, w)
			if hi-lo+1 > MaxPrefixShards {
				hi, isPrefix = lo, false
			}
		}
		best := map[int]int{} // doc → highest weight of any matching term
		for n := lo; n <= hi; n++ {
			s, err := load(n)
			if err != nil {
				return res, err
			}
			for t, list := range s {
				if t == w || (isPrefix && strings.HasPrefix(t, w)) {
					addPostings(best, list)
				}
			}
		}
		// A prefix's expansions count as one term: df is their union.
		df := float64(len(best))
		idf := math.Log(1 + (float64(m.Docs)-df+0.5)/(df+0.5))
		ws := map[int]float64{}
		for d, wt := range best {
			ws[d] = idf * float64(wt) / 10
		}
		if scores == nil {
			scores = ws
			continue
		}
		for d, sc := range scores {
			if x, ok := ws[d]; ok {
				scores[d] = sc + x
			} else {
				delete(scores, d)
			}
		}
	}
	for d, sc := range scores {
		if inFilter(m.Groups, d, q.Kind, q.Outlet) {
			res.Hits = append(res.Hits, Hit{ID: d, Score: sc})
		}
	}
	sort.Slice(res.Hits, func(i, j int) bool {
		a, b := res.Hits[i], res.Hits[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return a.ID < b.ID
	})
	res.Total = len(res.Hits)
	if len(res.Hits) > q.Limit {
		res.Hits = res.Hits[:q.Limit]
	}
	docShards := map[int][]DocMeta{}
	for i, h := range res.Hits {
		n := h.ID / m.DocsPerShard
		if _, ok := docShards[n]; !ok {
			var s []DocMeta
			if err := get(strings.ReplaceAll(m.DocPath, "{n}", strconv.Itoa(n)), &s); err != nil {
				return res, err
			}
			docShards[n] = s
		}
		res.Hits[i].DocMeta = docShards[n][h.ID%m.DocsPerShard]
	}
	return res, nil
}

// queryWords tokenises a query and drops repeats; last is the final word
// when the text ends inside it (it may then be a prefix of a longer word).
func queryWords(text string) (words []string, last string) {
	all := Tokens(text)
	seen := map[string]bool{}
	for _, t := range all {
		if !seen[t] {
			seen[t] = true
			words = append(words, t)
		}
	}
	if r, _ := utf8.DecodeLastRuneInString(text); len(all) > 0 && isWordRune(r) {
		last = all[len(all)-1]
	}
	return words, last
}

// shardFor is the index of the last bound ≤ t.
func shardFor(bounds []string, t string) int {
	i := sort.Search(len(bounds), func(i int) bool { return bounds[i] > t })
	return max(0, i-1)
}

// lastShardForPrefix is the last shard that can hold a term starting with p.
func lastShardForPrefix(bounds []string, p string) int {
	i := shardFor(bounds, p)
	for i+1 < len(bounds) && (bounds[i+1] < p || strings.HasPrefix(bounds[i+1], p)) {
		i++
	}
	return i
}

// addPostings decodes a posting list into best, keeping the highest
// weight when several prefix expansions hit one document.
func addPostings(best map[int]int, list []int) {
	doc := 0
	for i := 0; i+1 < len(list); i += 2 {
		doc += list[i]
		best[doc] = max(best[doc], list[i+1])
	}
}

func inFilter(gs []Group, doc int, kind, outlet string) bool {
	if kind == "" && outlet == "" {
		return true
	}
	for _, g := range gs {
		if doc >= g.From && doc < g.To {
			return (kind == "" || g.Kind == kind) && (outlet == "" || g.Outlet == outlet)
		}
	}
	return false
}
