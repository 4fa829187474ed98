// Package snapshot packages the archive for archivists and checks packages.
//
// Two formats are written, both streamed: files are read one at a time and
// hashed while they are written, so memory stays flat however large the
// site is (only one line of index per file is kept until the end).
//
// # BagIt (RFC 8493, version 1.0)
//
// WriteBag writes a bag through a FileWriter (NewTarWriter, NewZipWriter, or
// a folder writer the caller provides). In a .tar or .zip every path starts
// with one top-level folder named by WithRoot (default "bag"), as RFC 8493
// §4 recommends for serialised bags. The bag holds:
//
//	bagit.txt                  BagIt-Version: 1.0, Tag-File-Character-Encoding: UTF-8
//	data/site/...              the built site (its snapshots/ folder is left out)
//	data/content/...           the Markdown sources
//	data/seeds/...             the raw seed texts
//	data/annotations.jsonld    the site's annotations.jsonld, when it has one
//	bag-info.txt               Bagging-Date, Payload-Oxum, Bag-Software-Agent,
//	                           External-Identifier, External-Description and,
//	                           when configured, Source-Organization,
//	                           Contact-Name and Contact-Email
//	manifest-sha256.txt        every payload file once, sorted by path
//	manifest-sha512.txt
//	tagmanifest-sha256.txt     bagit.txt, bag-info.txt and the two manifests
//	tagmanifest-sha512.txt
//
// Files and folders whose names start with "." are not packaged. Tag files
// use LF line endings. Manifest paths percent-encode CR, LF and "%" as
// RFC 8493 §2.1.3 requires. External-Identifier defaults to
// "urn:sha256:" + the SHA-256 of manifest-sha256.txt, so it names exactly
// this payload. Entries are written as bagit.txt, the payload, the two
// manifests, bag-info.txt, the tag manifests: a reader streaming the tar
// meets the declaration first. While the payload is written, a reader
// goroutine reads ahead into a fixed pool of buffers and SHA-512 runs
// beside SHA-256, so two cores are used and memory does not grow with file
// sizes; per file only its path, size and digests are kept (a few hundred
// bytes), and the manifests are streamed from those at the end.
//
// # WACZ 1.2 (Webrecorder)
//
// WriteWACZ writes a ZIP holding:
//
//	archive/data.warc.gz       WARC 1.1, one gzip member per record at gzip.BestSpeed
//	                           (stored in the ZIP, not deflated again)
//	indexes/index.cdxj         one line per response and metadata record, sorted
//	pages/pages.jsonl          one line per HTML page: id, url, ts, title, text
//	datapackage.json           profile "wacz", resources with sha256 hash and bytes
//	datapackage-digest.json    the SHA-256 of datapackage.json
//
// Text members are deflated at flate.BestSpeed. The WARC starts with a
// warcinfo record. Every site file becomes a
// response record at its public URL (base URL + path; ".../index.html" is
// captured at the folder URL ".../"), with an HTTP/1.1 200 header block.
// Annotations from annotations.jsonld become metadata records
// (application/ld+json) right after the response of the page they target,
// with WARC-Target-URI set to that page and WARC-Refers-To to its record ID.
// Digests are "sha256:" + lowercase hex (WARC 1.1 allows any algorithm;
// SHA-256 is what browsertrix and warcio.js write today); the block digest
// covers HTTP headers and body, the payload digest the body alone.
// WARC-Record-IDs are urn:uuid values made from a SHA-256 of the record's
// type, URI and block digest (version 8, RFC 9562), so output is
// byte-identical between runs. A site file is read into a reused buffer to
// compute its digests before its record is written (files over 8 MiB are
// read twice instead), and pages.jsonl is made in a second pass over the
// HTML files, so only one index line per record is held in memory. The
// CDXJ lines follow warcio.js, line for line: SURT key,
// 14-digit timestamp, then JSON with url, mime, status, digest (hex, without
// the "sha256:" prefix), length, offset and filename.
//
// datapackage.json follows WACZ 1.2.0 (profile "wacz", a "home" object) and
// also carries mainPageUrl and mainPageDate for readers of WACZ 1.1.1.
//
// # Determinism
//
// Nothing reads the clock. All timestamps (Bagging-Date, WARC-Date, ZIP and
// tar modification times, "created") come from WithTime; the command takes
// SOURCE_DATE_EPOCH or else SourceDate, the newest article date. Entries are
// written in sorted order with fixed modes (0644) and no owner names.
//
// # Verification
//
// Verify opens a bag (a folder, .tar or .zip, as an fs.FS) or a WACZ and
// returns every problem as "file: what is wrong". See VerifyBag and
// VerifyWACZ for the checks.
package snapshot
