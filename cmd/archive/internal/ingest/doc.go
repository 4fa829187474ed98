// Package ingest turns captures into article files for content/: front
// matter plus a Markdown body. It is the library behind `archive import`;
// it reads bytes and streams and never touches a real path (the command
// does that, atomically). Four kinds of capture (KindOf):
//
//	.txt          a plain-text seed: Convert (the rest of this comment)
//	.html, .htm   a saved web page: ConvertPage
//	.warc(.gz)    web archive records: ReadWARC, one article per web page
//	.wacz         WARCs packed with their indexes: ReadWACZ
//
// # Web pages (page.go, htmlmeta.go, htmlbody.go, htmlcomments.go)
//
// The article text is found by Readability (codeberg.org/readeck/
// go-readability/v2 v2.1.3, a Go port of Mozilla's, MIT): a fork of it
// lives in internal/readability, changed only where a hot spot paid and
// the output stayed the same (its FORK.md lists each change). The text is
// written as paragraphs, headings, list items and block quotes. Posts quoted from social networks are taken out of their
// widget boxes first, so that Readability keeps them as quotations. From
// what Readability keeps, these go, by rules that hold for any site (no
// site is named anywhere):
//
//   - elements whose class or id says what they are: caption, credit,
//     copyright, newsletter, promo, cookie, consent, related, bio, …
//     (words cut at -, _ and case changes; a word beginning "related"
//     counts, as Jetpack's "jp-relatedposts"; a BEM modifier after -- is
//     not what the element is);
//   - boxes of links inside a sentence, shown on hover (a person's card
//     with their latest stories);
//   - other stories' headlines: a run of short link-only paragraphs
//     anywhere; a rail of three or more boxes with the same class, each a
//     link and a short text; under a heading such as "More:", "Don't
//     miss", "You may also like" the headlines with their summaries; the
//     rest of the page too when no article text follows (late in the
//     page, "Read More" with prose and no linked headline after it is the
//     button that unfolds the story: only it goes);
//   - the byline and dateline lines above the text (a name the metadata
//     gives as the author, "November 18, 2019 | 4:10pm", "22 de janeiro
//     de 2018 às 0:13"), the author's bio
//     under a heading with their name, a press release's company
//     paragraph after a horizontal rule;
//   - lines of furniture: captions, "Updated …", share rows, calls to
//     subscribe, download or follow, cookie and JavaScript notices,
//     comment policies,
//     affiliate-link disclosures, CMS shortcodes left unrendered, the
//     reporting and editing credit, a promotion in capitals; a rights
//     line too, except the notice that closes the story ("© 2019
//     Associated Press. All Rights Reserved. …"), which is part of it.
//
// Every element is a paragraph's edge or inside one by its name, also
// those Readability makes (which carry no atom); <br><br> ends a
// paragraph. A page becomes an article with at least MinWords words, a
// word being two characters in the scripts written without spaces
// (Chinese, Japanese, Thai, …).
//
// Metadata comes from
// the page's own markup first: JSON-LD (NewsArticle and kin), OpenGraph,
// citation_*, article:*, microdata, byline elements (class byline/author,
// rel=author), <time>, <link rel=canonical>, <html lang>; then from the
// page title and address. Keys written, in this order: title, subtitle,
// outlet, author, date (when known), source_url, language, captured (for
// a WARC record), seed, seed_sha256, and for a WARC record seed_record (its
// WARC-Record-ID) and seed_uri (its WARC-Target-URI). Reader comments
// (schema.org Comment, WordPress and most CMSs' comment blocks) become the
// comments section below, a reply one heading level deeper than what it
// answers. The charset is the one the BOM, the HTTP header or <meta>
// declares; an unknown one is an error unless the bytes are UTF-8.
//
// # WARC and WACZ (warc.go, httpbody.go)
//
// Records are read with github.com/nlnwa/gowarc/v3: WARC 1.0 and 1.1,
// gzipped per record, as one stream, or not at all. response and resource
// records holding an HTML page become articles (HTTP chunking and gzip,
// deflate, br and zstd codings undone); a revisit is the same page again
// and never a second article, nor is a later response for the same
// address (the first capture with article text is the one, whatever the
// timing); everything else is counted in Stats. A record that cannot be
// read is named (seed, record ID, address) and the rest is read; a
// truncated or corrupt file stops with a *WARCError after the records
// before it. Only inflating the stream and reading record headers is
// done in turn: records that cannot be pages are skipped unread (skim),
// and a page's record is cut out whole and parsed, decoded and converted
// by a worker, one per core, the outcomes taken in record order; up to
// 16 MB of records wait for the workers (or one larger record), so memory
// is bounded by the largest record. A worker parses a record that states
// a digest with gowarc, which checks it; one without a digest, the usual
// response or resource, it parses itself, with no copy of the block and
// no hashing for nothing (gowarc hashed it twice with SHA-256).
//
// # Plain text
//
// # Front matter
//
// Front matter already in the seed (YAML between ---, TOML between +++, or a
// JSON object) is copied byte for byte, key order, quoting and comments
// included. Keys it lacks are appended inside the same block, in the same
// format, in this order:
//
//	title        the headline: the first line of text that is not a banner
//	             such as "This article is more than 1 year old", a skip link
//	             ("Skip to main content"), a navigation row, a byline, or the
//	             site's name standing above the headline
//	subtitle     the standfirst: a short line right under the headline with no
//	             closing full stop, or Techdirt's "from the … dept" line
//	outlet       from the rules table in outlet.go (the Reuters dateline,
//	             The Register's closing ®, Techdirt's furniture, ITPro in an
//	             author bio, Ars Technica's "told Ars"), else the site's name
//	             above the headline; "" when nothing says
//	author       "Reporting by A; editing by B" → A; a byline under the
//	             headline ("By A", "By A | March 3, 2021, 10:14 AM EST",
//	             "Posted by A on 3/4/2021"); an author bio block
//	date         a line under the headline or in the bio that is only a date
//	             ("18 November 2019", "Mon 18 Nov 2019 // 11:30 UTC", …), or
//	             the date of a byline
//	source_url   the link of a feed footer ("from Hacker News https://…")
//	seed         the seed's slash path, e.g. seeds/000_d7a4d76aec2aac4c.txt
//	seed_sha256  SHA-256 of the seed's bytes, lower-case hex
//
// Nothing is invented: a string key the text does not support is written
// empty ("") for the editor to fill in; date is left out, since an empty
// date is not a date.
//
// # Body
//
// Each line of the seed is either article text, site furniture, or part of
// a reader comment. Furniture (see furniture.go: navigation, "Send us news",
// rating widgets, "Filed Under:", newsletter and podcast blocks, image lines,
// author bios, feed footers) is dropped; the raw seed stays in seeds/ and is
// published by the site, so nothing is lost. Comments (Techdirt's
// "Name (profile) says:" blocks) become their own section with this exact
// shape, which the site relies on:
//
//	## Reader comments
//
//	### That One Guy
//
//	**'Next on the agenda: The biggest gift to criminals EVER'**
//
//	Nice to know that …
//
// The bold line is the comment's title line, present only when the comment
// had one (a single line followed by more text).
//
// Paragraphs keep their text byte for byte, with two exceptions that keep
// Markdown from changing it: characters that would become markup (*, _, `,
// ~, \, a leading #, >, -, +, "1.", …) are backslash-escaped, and a line
// break inside a paragraph becomes a hard break (a trailing backslash). A
// paragraph that the seed sets off as a quotation — the one after a
// paragraph ending in a colon, or after "obtained a draft copy of …" — is
// written as a Markdown block quote; a quoted paragraph ending in a comma
// (a salutation such as "Dear Ms Perlroth,") carries the quote on to the
// next paragraph.
//
// # Overwrites
//
// Decide compares what import would write with the file in content/: a
// missing file is created, an identical one is unchanged, one that differs
// has been edited and is skipped unless forced.
package ingest
