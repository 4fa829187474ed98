// Package annotate finds the passages that texts share, collates the
// wordings of each passage, and anchors notes to quotes. It is pure Go over
// strings: it knows nothing of files, Markdown or HTML.
//
// # Shared passages
//
// [Find] takes documents (an ID, a text, an optional date and source) and
// returns passages. A passage is a stretch of at least [WithMinWords] words
// (default 8) that occurs two or more times, in different documents or
// twice in one (an article and a reader comment that quotes it again).
// Each [Occurrence] names its document and gives byte offsets into that
// document's Text, with Text == doc.Text[Start:End]. Offsets always lie on
// UTF-8 boundaries and on word boundaries: an occurrence runs from the first
// byte of its first word to the last byte of its last word, so surrounding
// quotation marks and punctuation are left out (an abbreviation keeps its
// final point, "U.S."; an editorial bracket "[a]" is a word). No two
// occurrences of any passages overlap, so a page can mark them all.
//
// The same passage may be worded a little differently in each place; these
// differences do not split it:
//
//   - typography: curly and straight quotes and apostrophes, hyphens and
//     dashes, non-breaking, repeated and zero-width spaces, line breaks;
//     text is compared after Unicode NFKC normalisation and case folding;
//   - spelling: "U.S." is the word "us", as is "US"; "world’s" is "worlds";
//   - editorial marks: a bracketed word or two ("[a] resolution" for "the
//     resolution") matches any one word; "[sic]" is ignored; "[T]he" is
//     "the"; an ellipsis ("…", "...", "[…]") may stand for up to 60
//     left-out words (three times the gap allowed elsewhere);
//   - a quote cut short at either end, embedded in a longer sentence or
//     run into the next one: only the shared words are the occurrence;
//   - a quote repeated with a few words swapped (a reader's parody): up to
//     [WithMaxGap] (default 20) differing words may lie between matching
//     stretches, and such an occurrence is a variant of the same passage,
//     with a lower Similarity, not a passage of its own.
//
// A passage must contain at least one stretch of minWords words that agree
// exactly (after normalisation) between two of its occurrences; ordinary
// phrases shorter than that are never passages.
//
// Text that recurs across one source's documents is site furniture, not a
// quote: a passage whose occurrences all lie in documents of one (non-empty)
// Source, and that either appears in at least two and at least half of that
// source's documents, or appears three or more times word for word, has
// Kind [Boilerplate]; every other passage is a [Quote].
//
// # Canonical text and collation
//
// Each passage has a canonical wording, the text of one of its
// occurrences, chosen by these rules in turn: a wording without editorial
// marks (ellipses, brackets, "[sic]") over one with them, since the marks
// show that someone changed the words; the most attested wording (the
// number of occurrences with the same normalised words), since the wording
// most outlets copied is most likely the source's; the fullest (most
// words); the earliest by document date (then document ID, then offset).
// Passage.ID is "p-" and the first 10 hex digits of the SHA-256 of the
// canonical text's normalised words joined by spaces, so it stays put while
// only typography changes.
//
// Every occurrence is collated word by word against the canonical text, in
// the manner of CollateX's alignment table: an edit-distance alignment of
// tokens (words and punctuation marks) into [Op]s that are the same,
// substituted, inserted (in the occurrence only) or omitted (in the
// canonical text only). A word costs 1, a punctuation mark 1/4, an editorial
// bracket against a word 1/4 and "[sic]" nothing, so differences of
// punctuation never outweigh differences of words. Similarity is the
// weighted share of the occurrence's aligned tokens that agree with the
// canonical text (a bracket standing for a word agrees), not counting
// omissions or insertions at either end (a quote cut short is not a
// different wording), words left out under an ellipsis, or "[sic]".
//
// Occurrences are sorted by document date (unknown dates last), then
// document ID, then offset; Earliest is the index of the first dated one,
// or -1 when no document has a date. Passages are sorted by their first
// occurrence. Results depend only on the set of documents, not their order:
// documents are processed sorted by ID, and IDs must be unique.
//
// # Algorithm
//
// It follows the seed-and-extend design of BLAST and passim, with the
// winnowing of Schleimer, Wilkerson and Aiken (MOSS):
//
//  1. Tokenise every document into words, each kept as 14 bits of a hash
//     of its normalised form plus two flags (an ellipsis before it, a
//     sentence or paragraph starts with it): two bytes a word.
//  2. Hash every run of k = min(5, minWords) words and keep, in every window
//     of w = minWords-k+1 consecutive hashes, the smallest (winnowing).
//     Any match of minWords words then shares at least one fingerprint. An
//     n-gram across an ellipsis or containing a bracket is not hashed.
//  3. Drop fingerprints seen only once (a two-probe bitset sketch), sort
//     the rest by hash, and drop groups of equal fingerprints that chance
//     explains (see "Chance repeats"). Every other group of equal
//     fingerprints gives seed pairs: all pairs for groups of up to 8, a
//     chain plus a star for larger groups (common phrases, repeated
//     sentences), so that the pairs grow linearly, never with the square
//     of a common phrase's frequency. No two documents are compared
//     unless they share a fingerprint.
//  4. For every pair of documents, chain their seeds in order, allowing
//     gaps of up to maxGap words on either side (three times as many
//     across an ellipsis), then extend each chain at both ends with a
//     banded local alignment (match +1, mismatch and gap -1, band 3,
//     X-drop 4) that stops at sentence boundaries unless three more words
//     match beyond them, and rescue exact runs of 3 or more words within
//     maxGap words in the same sentence. A chain is kept when both sides
//     have at least minWords words, of which at least minWords and at
//     least half match. Seeds that run a word or two into a neighbouring
//     sentence are cut back to the boundary first.
//  5. Merge overlapping ranges of each document into occurrences and join
//     the occurrences that matched each other with union-find; every group
//     of two or more occurrences is a passage. Within one document only
//     neighbouring repeats are paired, so a sentence said three times is
//     three occurrences.
//  6. Collate each passage as above.
//
// Steps 1-4 and 6 run on GOMAXPROCS goroutines ([WithWorkers]). With
// [WithContext], Find stops between steps, and every 64 documents in steps
// 1 and 2, once the context is done.
//
// # Chance repeats
//
// In text drawn from a small vocabulary every n-gram recurs by chance:
// with 12 words there are only 12⁵ ≈ 250,000 different 5-grams, so 1,000
// articles of 800 words hold each about three times, and seeding from them
// makes the seed pairs, their alignments and the passages grow with the
// square of the corpus (2,000 such articles without sentence breaks took
// 12 CPU seconds and 650 MB and made passages of most of their words;
// 10,000 took 49 CPU seconds and 765 MB). So a group of equal fingerprints
// seeds alignments only when chance does not explain it, much as BLAST
// masks low-complexity sequence before seeding. Under a model of text as
// words drawn independently with the corpus's own word frequencies, an
// n-gram w1..wk is expected E = P·f(w1)·…·f(wk) times, for P n-gram
// positions in all and f(w) the share of all words that are w. A group
// with E < 1 is kept: the n-gram is not expected to recur at all. A group
// with E >= 1 is kept only when it has at least 4·E + 16 members, which a
// chance (Poisson) count almost never reaches: a sentence copied many
// times is kept, words that merely recur are not. Each fingerprint that
// seeds then has, in expectation, less than one chance partner, so chance
// seed pairs, alignments and passages grow at most linearly with the
// corpus. Real text loses little: on the 10,000-article benchmark corpus
// the rule drops under 1% of the repeated fingerprints (runs of the
// commonest words) and finds the same passages. The price is that in a corpus whose
// words are nearly all common (a vocabulary of under about P^(1/5) words,
// some 20 for a million words) a passage copied only a few times is not
// found: it cannot be told from chance.
//
// # Cost
//
// For N words in all, time is O(N) for tokenising and winnowing, O(F log F)
// for sorting the F ≈ 0.4·N fingerprints that survive the sketch (far fewer
// in practice), and linear in the number of seed pairs for alignment, which
// is bounded by 3.5 times the number of surviving fingerprints (all 28
// pairs of a group of 8, two pairs a fingerprint in larger groups). Memory
// is about 2 bytes per word (the word codes), a bit per word (where fingerprints
// are), a quarter of a byte per word (offsets of every 16th word), 16 bits
// per fingerprint for the sketch while the index is built, and 16 bytes per
// surviving fingerprint and seed pair, besides the texts themselves and the
// result (whose collations take about 56 bytes per aligned token). Collation costs O(n·m) per occurrence for
// passages of n and m tokens, in pieces of at most 4M cells for very long
// passages. See BenchmarkFind for measured times. Since chance repeats
// are not aligned, this holds on text of any vocabulary: the heap peaks at
// some 12 bytes a word on news-like text and 20-25 on text of a dozen
// words, where nearly every fingerprint recurs; TestFindLowVocabulary holds 2,000
// articles of 12, 20 and 59 words to 32 bytes a word (plus 16 MB).
//
// # Anchoring notes
//
// [Anchor] finds a note's quote in a text given a [Selector] in the sense of
// the W3C Web Annotation TextQuoteSelector (exact text, optional prefix and
// suffix), with the same normalisation as Find, and returns its byte
// [Span]. Several equally good matches give an [*AmbiguousError] listing
// them; none gives a [*NoMatchError] with up to three nearest stretches of
// text and the share of the quote's words each contains.
//
// Invalid UTF-8 is tolerated: a byte that is not part of a valid encoding
// separates words and is never the edge of an occurrence or span.
package annotate
