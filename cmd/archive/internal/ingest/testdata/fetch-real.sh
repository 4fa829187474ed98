#!/bin/sh
# Extracts the real captures the ingest tests and the accuracy report use
# from bare git mirrors into testdata/real/ (git-ignored; third-party pages
# and WARCs are never committed).
#
#   real/pages/<sha256>.html     181 news pages saved from the web, with
#   real/pages/ground-truth.json their article text labelled by hand
#                                (scrapinghub/article-extraction-benchmark, MIT)
#   real/warcs/<source>-<file>   WARC and WACZ files written by wget, wpull,
#                                pywb/warcio, Common Crawl's crawler,
#                                Webrecorder and py-wacz
#   real/mozilla/<name>/         47 news and blog pages nobody here tuned
#                                on, with the article Readability.js keeps
#                                (mozilla/readability test pages, Apache-2.0)
#
# The mirrors are made by the search tool's fetch verb (github:<owner>/<repo>)
# and live under $MIRROR (default /work/.mirror). Usage:
#   sh cmd/archive/internal/ingest/testdata/fetch-real.sh
set -eu
MIRROR=${MIRROR:-/work/.mirror}
here=$(cd "$(dirname "$0")" && pwd)
out="$here/real"
need() {
	if [ ! -d "$MIRROR/$1/repo" ]; then
		echo "missing mirror $MIRROR/$1/repo: fetch github:$(echo "$1" | sed 's/+/\//') with the search tool first" >&2
		exit 1
	fi
}
show() { git --git-dir="$MIRROR/$1/repo" show "HEAD:$2"; }

need scrapinghub+article-extraction-benchmark
mkdir -p "$out/pages" "$out/warcs"
b=scrapinghub+article-extraction-benchmark
show $b ground-truth.json >"$out/pages/ground-truth.json"
git --git-dir="$MIRROR/$b/repo" ls-tree --name-only HEAD html/ | while read -r f; do
	id=$(basename "$f" .html.gz)
	[ -s "$out/pages/$id.html" ] || show $b "$f" | gunzip >"$out/pages/$id.html"
done

warc() { # mirror path name
	need "$1"
	show "$1" "$2" >"$out/warcs/$3"
}
warc webrecorder+warcio test/data/example.warc warcio-example.warc
warc webrecorder+warcio test/data/example.warc.gz warcio-example.warc.gz
warc webrecorder+warcio test/data/example-iana.org-chunked.warc warcio-iana-chunked.warc
warc webrecorder+warcio test/data/example-resource.warc.gz warcio-resource.warc.gz
warc webrecorder+warcio test/data/example-trunc.warc warcio-trunc.warc
warc webrecorder+warcio test/data/example-wrong-chunks.warc.gz warcio-wrong-chunks.warc.gz
warc webrecorder+warcio test/data/example-digest.warc warcio-digest.warc
warc webrecorder+warcio test/data/example-wget-bad-target-uri.warc.gz warcio-wget-bad-target-uri.warc.gz
warc webrecorder+warcio test/data/example-bad-non-chunked.warc.gz warcio-bad-non-chunked.warc.gz
warc webrecorder+pywb sample_archive/warcs/example-wget-1-14.warc.gz pywb-wget-1-14.warc.gz
warc webrecorder+pywb sample_archive/warcs/example-wpull.warc.gz pywb-wpull.warc.gz
warc webrecorder+pywb sample_archive/warcs/iana.warc.gz pywb-iana.warc.gz
warc webrecorder+pywb sample_archive/warcs/dupes.warc.gz pywb-dupes.warc.gz
warc webrecorder+pywb sample_archive/warcs/example-url-agnostic-revisit.warc.gz pywb-url-agnostic-revisit.warc.gz
warc webrecorder+pywb sample_archive/warcs/example-extra.warc pywb-extra.warc
warc webrecorder+pywb sample_archive/warcs/post-test.warc.gz pywb-post-test.warc.gz
warc webrecorder+pywb sample_archive/waczs/valid_example_1.wacz pywb-valid_example_1.wacz
warc iipc+jwarc test-resources/org/netpreserve/jwarc/cc.warc.gz jwarc-commoncrawl.warc.gz
warc iipc+jwarc test-resources/org/netpreserve/jwarc/gzip_extra_sl.warc.gz jwarc-gzip-extra.warc.gz
warc webrecorder+py-wacz tests/fixtures/example-collection.warc pywacz-example-collection.warc
warc webrecorder+py-wacz tests/fixtures/example-iana.warc pywacz-iana.warc
warc webrecorder+py-wacz tests/fixtures/valid_example_2.wacz pywacz-valid_example_2.wacz

# New pages nobody here tuned on: the news articles among Mozilla
# Readability's test pages (Apache-2.0), each with the article Readability.js
# keeps (expected.html) and the title it finds (expected-metadata.json).
m=mozilla+readability
if [ -d "$MIRROR/$m/repo" ]; then
	for n in aclu aktualne ars-1 bbc-1 breitbart buzzfeed-1 citylab-1 cnet cnn engadget folha \
		guardian-1 heise herald-sun-1 la-nacion lemonde-1 liberation-1 lwn-1 medicalnewstoday msn \
		nytimes-1 nytimes-2 nytimes-3 nytimes-4 nytimes-5 salon-1 seattletimes-1 telegraph theverge \
		tmz-1 wapo-1 wapo-2 yahoo-1 yahoo-2 yahoo-3 yahoo-4 wordpress quanta-1 medium-1 \
		dropbox-blog firefox-nightly-blog gitlab-blog mozilla-1 v8-blog webmd-1 webmd-2 iab-1; do
		mkdir -p "$out/mozilla/$n"
		for f in source.html expected.html expected-metadata.json; do
			show $m "test/test-pages/$n/$f" >"$out/mozilla/$n/$f"
		done
	done
	echo "extracted $(ls "$out/mozilla" | wc -l) pages of Mozilla Readability's test set into $out/mozilla"
else
	echo "no mirror $MIRROR/$m/repo: fetch github:mozilla/readability for the pages nobody tuned on" >&2
fi
echo "extracted $(ls "$out/pages" | grep -c html) pages and $(ls "$out/warcs" | wc -l) WARC/WACZ files into $out"
