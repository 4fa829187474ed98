// Package ingest turns one raw archived text (a seed) into one article file
// for content/: front matter plus a Markdown body. It is the library behind
// `archive import`; it reads bytes and writes bytes and never touches a real
// path (the command does that, atomically).
//
// # Front matter
//
// Front matter already in the seed (YAML between ---, TOML between +++, or a
// JSON object) is copied byte for byte, key order, quoting and comments
// included. Keys it lacks are appended inside the same block, in the same
// format, in this order:
//
//	title        the headline: the first line of text that is not a banner
//	             such as "This article is more than 1 year old"
//	subtitle     the standfirst: a short line right under the headline with no
//	             closing full stop, or Techdirt's "from the … dept" line
//	outlet       from the rules table in outlet.go (the Reuters dateline,
//	             The Register's closing ®, Techdirt's furniture, ITPro in an
//	             author bio, Ars Technica's "told Ars"); "" when no rule wins
//	author       "Reporting by A; editing by B" → A; a "By A" byline under the
//	             headline; an author bio block (name / role / "Name has …")
//	date         a line under the headline or in the bio that is only a date
//	             ("18 November 2019", "Mon 18 Nov 2019 // 11:30 UTC", …)
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
