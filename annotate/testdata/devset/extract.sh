#!/bin/sh
# extract.sh writes annotate's real development set into corpus/ beside
# this script (git-ignored), from two public repositories brought to this
# machine with the search tool's fetch (a bare git mirror each, under
# $MIRROR, default /work/.mirror):
#
#   github:dpacassi/dynamic-event-detection-in-data-streams
#     WikiRef220: 220 news articles from many outlets about a few events
#     (Paris attacks 2015, MH370, Samsung Galaxy S5, Michelle Obama, the
#     Premier League and some others), one plain-text file each.
#   github:riceissa/everything-list-1998-2009
#     the everything-list mailing list archive in Hypermail HTML, one file a
#     message; replies quote each other. Messages 0000-2999 are taken.
#   github:cltl/ECB-parser
#     the ECB+ corpus (Cybulska and Vossen 2014, CC BY 3.0): 982 news
#     articles found through Google Search, 2 to 40 outlets on each of 86
#     events in 43 topics, tokenised, one XML file each; the ECB+ half
#     starts with the article's address (its outlet).
#
# Some texts' licences are unclear: never commit corpus/. The labels
# (labels.tsv) refer to passages by document and byte offsets only.
# Usage: sh annotate/testdata/devset/extract.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
mirror=${MIRROR:-/work/.mirror}
news="$mirror/dpacassi+dynamic-event-detection-in-data-streams/repo/.git"
list="$mirror/riceissa+everything-list-1998-2009/repo"
news_commit=376c631761f8f5a116b52f6c62f26233266116c3
list_commit=b3b6ccb6467ce984490e18628a2cdf5f3093d7cd
ecb="$mirror/cltl+ECB-parser/repo/.git"
ecb_commit=eba7c4d1caa758816bcee3139bdd4e6688dee00d
for g in "$news" "$list" "$ecb"; do
	if ! git --git-dir="$g" cat-file -e HEAD 2>/dev/null; then
		echo "extract.sh: no mirror at $g; fetch github:dpacassi/dynamic-event-detection-in-data-streams, github:riceissa/everything-list-1998-2009 and github:cltl/ECB-parser with the search tool first" >&2
		exit 1
	fi
done
out="$here/corpus"
tmp="$here/corpus.new"
rm -rf "$tmp"
mkdir -p "$tmp/wikiref" "$tmp/everything" "$tmp/ecbplus"
# One file at a time: the snapshots lack their largest files, which git
# archive would complain of.
dir=app/data_processing/test_data/wikiref/WikiRef220
git --git-dir="$news" ls-tree --name-only "$news_commit" "$dir/" | while IFS= read -r f; do
	git --git-dir="$news" cat-file blob "$news_commit:$f" >"$tmp/wikiref/$(basename "$f")"
done
for n in $(seq -f %04g 0 2999); do
	git --git-dir="$list" cat-file blob "$list_commit:$n.html" >"$tmp/everything/$n.html"
done
git --git-dir="$ecb" ls-tree -r --name-only "$ecb_commit" ECB+/ | grep '\.xml$' | while IFS= read -r f; do
	mkdir -p "$tmp/ecbplus/$(basename "$(dirname "$f")")"
	git --git-dir="$ecb" cat-file blob "$ecb_commit:$f" >"$tmp/ecbplus/$(basename "$(dirname "$f")")/$(basename "$f")"
done
rm -rf "$out"
mv "$tmp" "$out"
echo "extract.sh: $(ls "$out/wikiref" | wc -l) + $(ls "$out"/ecbplus/*/*.xml | wc -l) news articles, $(ls "$out/everything" | wc -l) messages in $out"
