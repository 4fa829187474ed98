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
)

// referenceBuild is Build as it was before Indexer: every document
// tokenised and every posting list made anew, through a map by term. The
// tests check that Indexer, whatever it reuses, writes the same bytes.
func referenceBuild(docs []Doc, opts ...Option) (map[string][]byte, error) {
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
			shard = append(shard, refMeta(d, o.snippetRunes))
		}
		b, err := marshal(shard)
		if err != nil {
			return nil, err
		}
		files[o.prefix+"d/"+strconv.Itoa(n)+".json"] = b
	}

	post, stop := refPostings(docs, o)
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
		entry := refEncodeEntry(t, post[t])
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

// postings computes every term's posting list (doc IDs ascending) and the
// sorted stop terms.
func refPostings(docs []Doc, o options) (map[string][]refPosting, []string) {
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
	post := map[string][]refPosting{}
	for i, list := range counts {
		norm := k1 * (1 - b + b*float64(lens[i])/avg)
		for _, c := range list {
			w := float64(c.n) * (k1 + 1) / (float64(c.n) + norm)
			post[c.term] = append(post[c.term], refPosting{i, max(1, int(math.Round(w*10)))})
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

type refPosting struct{ doc, weight int }

// refEncodeEntry is encodeEntry as it was: it writes "term":[d0,w0,d1-d0,w1,...].
func refEncodeEntry(t string, ps []refPosting) []byte {
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

func refMeta(d Doc, snippetRunes int) DocMeta {
	m := DocMeta{URL: d.URL, Title: d.Title, Kind: d.Kind, Outlet: d.Outlet, Snippet: snippet(d.Text, snippetRunes)}
	if !d.Date.IsZero() {
		m.Date = d.Date.Format(time.DateOnly)
	}
	return m
}
