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
// Every occurrence of a passage aligns with the passage's canonical
// wording (see below) at a similarity of at least [WithMinSimilarity]
// (default 0.5). Passages are grown around a centre, never by chaining: an
// article that shares a stock phrase with one article and a quote with
// another does not join the two.
//
// # Kinds
//
// Each passage has a [Kind]. Only quotes and reporting are text that the
// documents share in the sense a reader cares about ([Kind.Shared]):
//
//   - [Quote]: shared words that stand, in at least a third of the
//     occurrences, inside quotation marks or in a range the caller lists
//     in [Document.Quoted] (a block quote, say); the other places are the
//     source, or copies whose marks were lost; also shared unquoted text
//     whose documents reply to one another, each holding in a
//     [Document.Quoted] range words that another holds as its own (as
//     another quote shows), when every occurrence copies the words
//     (similarity 0.8 or more): a reply quoting without marks;
//   - [Reporting]: shared words that stand outside quotation marks, such
//     as wire copy that outlets print as their own, at least
//     3·minWords (24) words long in two documents at least (in the
//     document that holds the second most of it): on real news, shorter unquoted stretches are more often
//     shared phrasings, names and formulas than copies, and a long
//     sentence of which the other documents share a dozen words is a
//     paraphrase of one fact;
//   - [Boilerplate]: a passage whose occurrences all lie in documents of
//     one (non-empty) Source: an outlet's furniture and notes, or anything
//     else an outlet reuses of its own (as passim's "series" is not reuse
//     of itself); also a label said three or more times word for word down
//     one page of such a document, and one source's text in three or more
//     of its documents that others quote (a sender's signature);
//   - [Stock]: a stock phrase, text whose words recur across many
//     documents (see "Distinctive text"), or an attribution formula: a
//     short unquoted passage that stands right after (or before) a
//     quotation in every document, each time a different one ("…," said
//     NAME, a spokesperson for the ORG); and unquoted shared text too
//     short to be reporting;
//   - [Repeat]: text repeated inside one document, which no other
//     document has (a live blog repeating its paragraphs).
//
// A quotation mark is any character with the Unicode property
// Quotation_Mark, whatever the language, or "<<" and ">>" for « and »;
// whether it opens or closes is read
// from its neighbours (space before and a letter after opens; the reverse
// closes; an apostrophe between letters is neither), and „ 「 」 and their
// kin, which are brackets (Ps, Pe), open or close wherever they stand. A
// quotation left open at the end of a paragraph runs to that end, as news
// writing reopens a long quotation at each paragraph. [Occurrence].Quoted
// says whether at least half of an occurrence stands in quotation.
//
// # Distinctive text
//
// What makes a stretch a shared passage is text that is rare in the
// corpus, not common words in a common order. Every word has a rarity
// weight from its document frequency (IDF): 1 for a word in at most 5% of
// the documents, falling with the logarithm of its share to 0 for a word in
// all of them; the share is taken as if the corpus had 100 more documents
// without the word, so that in a handful of articles about one story every
// word still counts. A stretch's weight is the sum of its words' weights:
// its length in rare words. For a quote (a stretch mostly in quotation
// marks) only the quoted words count, so the attribution around a quote
// adds nothing. A passage is distinctive when its centre weighs at least
// 0.35·minWords (2.8 rare words by default) times its commonness: 1 for a
// passage in up to 8 documents (the outlets covering one story), 1 +
// ln(docs/8) beyond, since a stretch that recurs in many documents is a
// formula unless it carries much rare text (wire copy in hundreds of
// articles does; "did not immediately respond to a request for comment"
// does not). A passage that is not distinctive is a stock phrase. The rule
// is a statistic of the corpus itself: there are no word lists and no
// rules for one language.
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
// only typography changes. Passages found apart with the same canonical
// wording are one passage; should two passages still share an ID, the
// later ones get "-2", "-3" and so on.
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
//  5. Merge the overlapping ranges of each document into segments; the
//     segments that matched each other form components (union-find), and
//     only segments of one component can make one passage. Within a
//     component, build passages around centres, taken in order of their
//     rarity weight, then of how many matches touch them: from the centre
//     follow the matches to other segments, align each segment reached
//     with the centre itself (seeds from all its n-grams, extended as in
//     step 4), and take into the passage only the stretch that aligns with
//     the centre, and only if what it shares with the centre weighs
//     2.8 rare words when the centre does; follow that stretch's matches
//     in turn. The centre's occurrence is the part its members align with.
//     If a member has a better claim to be the centre (the rules of the
//     canonical wording below: unedited, most attested, fullest), grow the
//     passage again around it. What a passage takes is carved out of its
//     segments, and what is left can become other passages; short
//     stretches that two occurrences share beyond the centre and no other
//     segment has (the same attribution after the same quote) are dropped.
//     Within one document only neighbouring repeats are paired, so a
//     sentence said three times is three occurrences.
//  6. Collate each passage as above, leave out any occurrence that aligns
//     with the canonical wording below the minimum similarity, join
//     passages with the same canonical wording, and give each its kind.
//
// Steps 1-4 and 6 run on GOMAXPROCS goroutines ([WithWorkers]). With
// [WithContext], Find stops between steps, and every 64 documents in steps
// 1 and 2, once the context is done.
//
// # Texts read when needed
//
// [FindFrom] is Find for a caller that does not hold all texts at once (a
// site of 100,000 articles): it takes the documents' IDs, dates and
// sources, and a [Loader] that gives the i-th document's text and quoted
// ranges, and returns the same passages as Find would. It loads every text
// once for step 1, again, a document at a time, those that hold segments
// when their words are weighed (step 5), and those that hold passages when
// their occurrences are placed (step 6); it keeps no text, and an
// occurrence's Text is a copy, not a piece of a loaded text. An error of
// the loader is returned as it is; a text whose length changed between two
// loads is an error.
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
// For N words in all, time is O(N) for tokenising and winnowing (document
// frequencies are counted on at most 2,000 documents), O(F log F) for
// sorting the F ≈ 0.4·N fingerprints that survive the sketch (far fewer in
// practice), and linear in the number of seed pairs for alignment, which is
// bounded by 3.5 times the number of surviving fingerprints (all 28 pairs
// of a group of 8, two pairs a fingerprint in larger groups). Grouping
// aligns each segment a match leads to with the centre, once per centre
// that reaches it; a segment another passage took passes on at most a few
// dozen of its matches, so that a stock phrase's hub is not walked again
// by every centre near it. Memory is about 2 bytes per word (the word
// codes), two bits per word (where repeated and common fingerprints are), a
// quarter of a byte per word (offsets of every 16th word), 16 bits per
// fingerprint for the sketch while the index is built, 16 bytes per
// surviving fingerprint and seed pair, 28 per match and about 3 per word of
// a segment (its weights and what is free of it), besides the texts and
// the result (whose collations take about 56 bytes per aligned token).
// Collation costs O(n·band) per occurrence for passages of n tokens, the
// band wide enough for their difference in length, and a short quote of a
// long text is found before it is aligned. See BenchmarkFind for measured
// times. Since chance repeats are not aligned, this holds on text of any
// vocabulary: TestFindLowVocabulary holds 2,000 articles of 12, 20 and 59
// words to 32 bytes a word (plus 16 MB).
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
