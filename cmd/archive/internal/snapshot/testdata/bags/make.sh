#!/usr/bin/env bash
# Makes the hand-made fixture bags, each wrong in one way real bags go
# wrong. Run from this folder; the Go tests read the bags and the .want
# files next to them (expected problems, one per line, written by hand).
set -euo pipefail
export LC_ALL=C

# bag NAME: a small valid bag with LF line endings.
bag() {
	rm -rf "$1"; mkdir -p "$1/data/sub"
	printf 'hello\n' >"$1/data/hello.txt"
	printf 'world, 100%% sure\n' >"$1/data/sub/world.txt"
	printf 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >"$1/bagit.txt"
	printf 'Bagging-Date: 2019-11-21\nPayload-Oxum: 23.2\n' >"$1/bag-info.txt"
}
# manifests NAME: payload and tag manifests for what is in the bag now.
manifests() {
	(cd "$1" && for a in sha256 sha512; do
		find data -type f | sort | xargs ${a}sum >manifest-$a.txt
	done && for a in sha256 sha512; do
		${a}sum bag-info.txt bagit.txt manifest-sha256.txt manifest-sha512.txt >tagmanifest-$a.txt
	done)
}
crlf() { sed -i 's/$/\r/' "$@"; }

# valid-crlf: every tag file ends lines in CRLF, which RFC 8493 allows.
bag valid-crlf; manifests valid-crlf
crlf valid-crlf/*.txt
(cd valid-crlf && for a in sha256 sha512; do ${a}sum bag-info.txt bagit.txt manifest-sha256.txt manifest-sha512.txt | sed 's/$/\r/' >tagmanifest-$a.txt; done)

# crcrlf-bagit: bagit.txt converted to CRLF twice (CR CR LF).
bag crcrlf-bagit; printf 'BagIt-Version: 1.0\r\r\nTag-File-Character-Encoding: UTF-8\r\r\n' >crcrlf-bagit/bagit.txt; manifests crcrlf-bagit

# mixed-endings: bag-info.txt edited on Windows after the fact: one line LF, one CRLF, no final break.
bag mixed-endings; printf 'Bagging-Date: 2019-11-21\nPayload-Oxum: 23.2\r\nContact-Name: A. Archivist' >mixed-endings/bag-info.txt; manifests mixed-endings

# bom-bagit: bagit.txt saved with a byte-order mark.
bag bom-bagit; printf '\xef\xbb\xbfBagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n' >bom-bagit/bagit.txt; manifests bom-bagit

# missing-tagmanifest: tagmanifest-sha512.txt lost in transfer.
bag missing-tagmanifest; manifests missing-tagmanifest; rm missing-tagmanifest/tagmanifest-sha512.txt

# unlisted-file: a file dropped into data/ after bagging.
bag unlisted-file; manifests unlisted-file; printf 'added later\n' >unlisted-file/data/sub/notes.txt

# wrong-oxum: bag-info.txt counts one file too few and the wrong bytes.
bag wrong-oxum; sed -i 's/^Payload-Oxum: .*/Payload-Oxum: 18.1/' wrong-oxum/bag-info.txt; manifests wrong-oxum

# missing-file: a manifest entry whose file is gone.
bag missing-file; manifests missing-file; rm missing-file/data/hello.txt

# bad-checksum: one payload byte changed after bagging.
bag bad-checksum; manifests bad-checksum; printf 'hellO\n' >bad-checksum/data/hello.txt
