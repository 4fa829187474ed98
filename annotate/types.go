package annotate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Document is one text to search for shared passages.
type Document struct {
	ID     string    // unique among the documents given to Find
	Text   string    // offsets in results are byte offsets into this string
	Date   time.Time // zero = unknown
	Source string    // outlet: text that recurs across one Source's documents is boilerplate
	// Quoted lists byte ranges of Text that the caller knows to be quoted
	// although no quotation marks say so, such as block quotes in
	// Markdown. Quotation marks in Text are found by Find itself. Ranges
	// past the end of Text are cut to it.
	Quoted []Span
}

// Kind says what a passage is to a reader (see "Kinds" in the package
// comment). Only Quote and Reporting are text that outlets share.
type Kind string

const (
	Quote       Kind = "quote"       // words in quotation marks or a block quote
	Reporting   Kind = "reporting"   // shared unquoted text, such as wire copy
	Boilerplate Kind = "boilerplate" // one outlet's furniture and notes
	Stock       Kind = "stock"       // a stock phrase: words that recur across many documents
	Repeat      Kind = "repeat"      // repeated inside one document, in no other
)

// Shared reports whether k is text that documents share (Quote or
// Reporting), the kinds a reader is shown.
func (k Kind) Shared() bool { return k == Quote || k == Reporting }

// Passage is a stretch of text that occurs two or more times.
type Passage struct {
	ID          string // stable: "p-" + 10 hex digits of a hash of the normalised canonical text
	Kind        Kind
	Canonical   string       // the canonical wording (see "Canonical text" in the package comment)
	Occurrences []Occurrence // sorted by document date (unknown dates last), then document ID, then Start
	Earliest    int          // index in Occurrences of the first by date; -1 when no occurrence has a date
}

// Occurrence is one place where a passage occurs.
type Occurrence struct {
	Doc        string // Document.ID
	Start, End int    // byte offsets into that Document.Text
	Text       string // == Document.Text[Start:End]
	Similarity float64
	Alignment  []Op // word-level collation against Canonical
	Quoted     bool // at least half of it stands in quotation marks or in Document.Quoted
}

// OpKind is one step of a collation.
type OpKind string

const (
	Same   OpKind = "same"
	Subst  OpKind = "substituted"
	Insert OpKind = "inserted" // in the witness, not in the canonical text
	Omit   OpKind = "omitted"  // in the canonical text, not in the witness
)

// Op is one aligned token pair. Canonical is empty for Insert, Witness is
// empty for Omit. Punct marks punctuation, which weighs less than words.
type Op struct {
	Kind      OpKind
	Canonical string
	Witness   string
	Punct     bool
}

// Span is a byte range [Start, End) of a text.
type Span struct{ Start, End int }

// Selector finds a quote in a text, in the manner of a W3C Web Annotation
// TextQuoteSelector: the quote itself and optionally some text just before
// and just after it to tell repeated quotes apart.
type Selector struct{ Exact, Prefix, Suffix string }

// Candidate is a near miss reported by NoMatchError.
type Candidate struct {
	Span
	Text  string
	Score float64 // share of the selector's words found in order, 0..1
}

// NoMatchError says that a selector's quote is not in the text. Nearest
// holds the closest stretches of text, best first (possibly none).
type NoMatchError struct {
	Exact   string
	Nearest []Candidate
}

func (e *NoMatchError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "quote %q not found", clip(e.Exact, 60))
	if len(e.Nearest) > 0 {
		fmt.Fprintf(&b, "; nearest (%.0f%% of its words): %q", 100*e.Nearest[0].Score, clip(e.Nearest[0].Text, 80))
	}
	return b.String()
}

// AmbiguousError says that a selector matches several places equally well;
// a longer prefix or suffix would tell them apart.
type AmbiguousError struct {
	Exact string
	Spans []Span
}

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("quote %q occurs %d times; add a prefix or suffix to say which", clip(e.Exact, 60), len(e.Spans))
}

// ErrEmptySelector is returned by Anchor when the selector's quote has no words.
var ErrEmptySelector = errors.New("annotate: selector has no words to find")

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && cut < len(s) && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

// Option changes how Find works.
type Option func(*options)

type options struct {
	minWords      int
	maxGap        int // words one side may skip inside a passage
	minSimilarity float64
	workers       int
	ctx           context.Context
}

func defaults() options { return options{minWords: 8, maxGap: 20, minSimilarity: 0.5} }

// WithMinSimilarity sets the least similarity (0..1, default 0.5) at which
// an occurrence joins a passage: every occurrence aligns with the
// passage's canonical wording at least this well (see "Similarity" in the
// package comment).
func WithMinSimilarity(f float64) Option {
	return func(o *options) { o.minSimilarity = min(1, max(0, f)) }
}

// WithMinWords sets the shortest passage, in words (default 8). Values
// below 2 are raised to 2.
func WithMinWords(n int) Option {
	return func(o *options) { o.minWords = max(n, 2) }
}

// WithMaxGap sets how many differing words may lie between two matching
// stretches of one passage (default 20); after an ellipsis three times as
// many may be left out.
func WithMaxGap(n int) Option {
	return func(o *options) { o.maxGap = max(n, 0) }
}

// WithContext lets Find stop early: between its stages (scanning,
// indexing, aligning, collating; at 10,000 articles none takes much over
// a tenth of a second) it returns ctx.Err() once ctx is done.
func WithContext(ctx context.Context) Option {
	return func(o *options) { o.ctx = ctx }
}

// stopped is the context's error, if Find was given one that is done.
func (o *options) stopped() error {
	if o.ctx == nil {
		return nil
	}
	return o.ctx.Err()
}

// WithWorkers sets how many goroutines Find uses (default GOMAXPROCS).
func WithWorkers(n int) Option {
	return func(o *options) { o.workers = n }
}
