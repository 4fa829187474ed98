#!/usr/bin/env bash
# fetch-sites.sh: extracts the real Hugo sites that hugosites_test.go builds
# from bare git mirrors into testdata/real/<name>/ (git-ignored: their text
# is third-party and stays out of our commits).
#
# The mirrors are what the project's search tool's `fetch` verb brings, under
# $MIRRORS (default /work/.mirror) as <owner>+<name>/repo. Fetch each one
# first, e.g. `fetch github:gohugoio/hugoBasicExample`, then run:
#
#	cmd/archive/internal/hugosites/fetch-sites.sh          # every site
#	cmd/archive/internal/hugosites/fetch-sites.sh jvns     # one site
#
# Each site is pinned to a commit. A mirror may lack the largest files of a
# repository (listed, but their blobs absent): those are written empty and
# named in testdata/real/<name>/.missing, so that links to them still
# resolve and the count is on record.
set -euo pipefail
cd "$(dirname "$0")"
MIRRORS=${MIRRORS:-/work/.mirror}
OUT=testdata/real

# name  mirror  commit  what Hugo reads of it (folders and files at its root)
SITES=(
	"basic gohugoio+hugoBasicExample 61c64dc config.toml content static layouts"
	"letsencrypt letsencrypt+website b89871ef config content static layouts themes data i18n"
	"ropensci ropensci+roweb3 d84b7eb6 config.toml content static layouts themes data i18n archetypes"
	"jvns zachvalenta+jvns.ca 6cb3783 config.yaml content static layouts themes"
)

gitdir() {
	local m=$MIRRORS/$1
	for d in "$m/repo" "$m/repo/.git"; do
		if git --git-dir="$d" rev-parse --git-dir >/dev/null 2>&1; then
			echo "$d"
			return
		fi
	done
	return 1
}

extract() {
	local name=$1 mirror=$2 commit=$3
	shift 3
	local g
	if ! g=$(gitdir "$mirror"); then
		echo "skip $name: no mirror at $MIRRORS/$mirror (fetch github:${mirror/+//} with the search tool first)" >&2
		return 1
	fi
	if ! git --git-dir="$g" cat-file -e "$commit^{commit}" 2>/dev/null; then
		echo "skip $name: commit $commit is not in $g" >&2
		return 1
	fi
	local dest=$OUT/$name
	rm -rf "$dest.part"
	mkdir -p "$dest.part"
	local missing=0 n=0
	# ls-tree -z: mode type sha<TAB>path, NUL-terminated.
	while IFS= read -r -d '' entry; do
		local meta=${entry%%$'\t'*} path=${entry#*$'\t'}
		local type sha
		read -r _ type sha <<<"$meta"
		[ "$type" = blob ] || continue
		mkdir -p "$dest.part/$(dirname "$path")"
		if ! git --git-dir="$g" cat-file blob "$sha" >"$dest.part/$path" 2>/dev/null; then
			: >"$dest.part/$path"
			echo "$path" >>"$dest.part/.missing"
			missing=$((missing + 1))
		fi
		n=$((n + 1))
	done < <(git --git-dir="$g" ls-tree -r -z "$commit" -- "$@")
	echo "$commit" >"$dest.part/.commit"
	rm -rf "$dest"
	mv "$dest.part" "$dest"
	echo "$name: $n files from $mirror@$commit into $dest ($missing absent from the mirror, written empty)"
}

status=0
for spec in "${SITES[@]}"; do
	read -r -a f <<<"$spec"
	if [ $# -gt 0 ] && [[ " $* " != *" ${f[0]} "* ]]; then
		continue
	fi
	extract "${f[@]}" || status=1
done
exit $status
