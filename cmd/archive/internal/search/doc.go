// Package search builds a static, sharded full-text index of the archive
// that the browser queries without a server (layouts/search.js), loading only
// the few small files a query needs.
//
// # Why not Pagefind
//
// Pagefind does the same job well, but it is an npm binary that the build
// (and Netlify) would have to download and run after every build, and its
// WebAssembly needs 'wasm-unsafe-eval' in the Content-Security-Policy. This
// index is written by the Go build itself (deterministic, no extra tool), is
// read by 11 KB (4 KB gzipped) of plain JavaScript under script-src 'self', and shares the
// archive's text normalisation.
//
// Measured on the same 10,000 synthetic 800-word articles (TestQueryBytes10k;
// Pagefind 1.6.0 counted at the server, cache off): a query here reads
// 38–63 KB of JSON (13–21 KB gzipped); Pagefind reads 256–402 KB the first
// time (~208 KB of it its JS and WebAssembly, cached afterwards) and 47–193
// KB of index and fragments after that, except a query with common words
// ("the encryption of data": 884 KB, as Pagefind indexes every word). Pagefind
// took 36 s to index; Build takes ~3 s. Pagefind has what this lacks: stemming
// and query-dependent excerpts.
//
// # Files
//
// Build returns files keyed by slash path under the prefix (default
// "search/"), to be published at the same URLs:
//
//	search/index.json   the manifest: format version, document count, shard
//	                    bounds, stop terms, filter values and doc-ID ranges
//	search/t/<n>.json   term shards: {"term": [docDelta, weight, ...], ...}
//	search/d/<n>.json   doc shards: [{"u","t","k","o","d","s"}, ...]
//
// Documents get IDs 0..N-1 in (kind, outlet, date, URL) order, so every
// (kind, outlet) pair is one contiguous ID range listed in the manifest:
// filtering needs no per-document data. Doc shard n holds IDs
// [n·docsPerShard, (n+1)·docsPerShard) (WithDocsPerShard, default 4).
//
// Terms (see Tokens) are sorted and cut into consecutive shards of about
// 12,000 bytes each (WithShardBytes). The manifest lists each shard's lower
// bound: the shortest prefix of its first term that sorts after the
// previous shard's last term (space-separated, as terms hold no spaces, and
// without shard 0's ""). A term's shard is the last bound ≤ the term, and
// the terms with a given prefix lie in a run of consecutive shards. Bounds
// compare by code point.
//
// A posting list is a flat array of pairs: the document ID (the first
// absolute, later ones as the difference from the previous ID) and a weight,
// the BM25 term-frequency part tf·(k1+1)/(tf + k1·(1−b+b·len/avglen)) with
// k1=1.2, b=0.75, times 10 and rounded (at least 1), where a title word
// counts as 5 body words (WithTitleBoost). The client scores a document as
// Σ idf·weight/10 with idf = ln(1 + (N−df+0.5)/(df+0.5)), df being the
// list's number of pairs. The last query word, when the query does not end
// after it, also matches as a prefix (at least MinPrefix letters): its
// expansions count as one term whose df is the union of their documents and
// whose weight in a document is the highest of theirs. Query words are
// ANDed; ties go to the lower doc ID.
//
// Terms in more than 30% of the documents and in more than 500 of them
// (WithStopTerms) are left out: they carry almost no ranking information
// and would dominate the download. The manifest lists them so that the
// client can say which words it ignored.
package search
