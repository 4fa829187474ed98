// Package webanno writes annotations in the W3C Web Annotation Data Model
// (https://www.w3.org/TR/annotation-model/) as JSON-LD.
//
// The archive publishes two kinds:
//
//   - a passage join (motivation "linking"): one annotation per shared
//     passage, whose body is the passage page and whose targets are every
//     occurrence of the passage in every article;
//   - an editor note (motivation "commenting"): a TextualBody holding the
//     note, and one target, the words the note is anchored to.
//
// Each target is a SpecificResource whose source is the Markdown text of the
// article (published beside its page) and whose scope is the article page.
// It carries a TextQuoteSelector (exact, with up to 32 characters of prefix
// and suffix, as Hypothesis does) and a TextPositionSelector. Positions count
// Unicode code points from the start of that Markdown text, as the model
// requires, not bytes.
package webanno

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf8"
)

// Context is the JSON-LD context of the Web Annotation vocabulary.
const Context = "http://www.w3.org/ns/anno.jsonld"

// ContextLen is how many characters of prefix and suffix a quote selector keeps.
const ContextLen = 32

// Annotation is one Web Annotation.
type Annotation struct {
	Context    string   `json:"@context,omitempty"`
	ID         string   `json:"id"`
	Type       string   `json:"type"`
	Motivation string   `json:"motivation"`
	Label      string   `json:"label,omitempty"`
	Created    string   `json:"created,omitempty"`
	Body       []Body   `json:"body"`
	Target     []Target `json:"target"`
}

// Body is either a TextualBody (Value set) or a linked resource (ID set).
type Body struct {
	ID       string `json:"id,omitempty"`
	Type     string `json:"type"`
	Value    string `json:"value,omitempty"`
	Format   string `json:"format,omitempty"`
	Language string `json:"language,omitempty"`
	Purpose  string `json:"purpose,omitempty"`
}

// Target is a SpecificResource: a stretch of one article's text.
type Target struct {
	Type     string     `json:"type"`
	Source   string     `json:"source"`
	Scope    string     `json:"scope,omitempty"`
	Selector []Selector `json:"selector"`
}

// Selector is a TextQuoteSelector or a TextPositionSelector.
type Selector struct {
	Type   string `json:"type"`
	Exact  string `json:"exact,omitempty"`
	Prefix string `json:"prefix,omitempty"`
	Suffix string `json:"suffix,omitempty"`
	Start  *int   `json:"start,omitempty"`
	End    *int   `json:"end,omitempty"`
}

// PageDoc is an AnnotationPage published as a document of its own: one
// page of a PagedCollection, linked to the pages before and after it.
type PageDoc struct {
	Context string       `json:"@context"`
	ID      string       `json:"id"`
	Type    string       `json:"type"`
	PartOf  string       `json:"partOf,omitempty"`
	Prev    string       `json:"prev,omitempty"`
	Next    string       `json:"next,omitempty"`
	Items   []Annotation `json:"items"`
}

// PagedCollection is an AnnotationCollection whose pages are documents
// of their own (PageDoc): it names the first and last, and each names the
// next, as the Web Annotation Protocol pages a collection. The archive
// publishes each article's annotations as one page, so that no file grows
// with the archive.
type PagedCollection struct {
	Context string `json:"@context"`
	ID      string `json:"id"`
	Type    string `json:"type"`
	Label   string `json:"label,omitempty"`
	Total   int    `json:"total"`
	First   string `json:"first,omitempty"`
	Last    string `json:"last,omitempty"`
}

// NewPagedCollection returns the collection at id of total annotations
// whose pages run from first to last.
func NewPagedCollection(id, label string, total int, first, last string) PagedCollection {
	return PagedCollection{Context: Context, ID: id, Type: "AnnotationCollection", Label: label, Total: total, First: first, Last: last}
}

// WritePage encodes one page of a paged collection, items one per line;
// p's own items are ignored.
func WritePage(w io.Writer, p PageDoc, items []Encoded) error {
	p.Context, p.Type, p.Items = Context, "AnnotationPage", nil
	head, err := json.Marshal(p)
	if err != nil {
		return err
	}
	at := bytes.LastIndex(head, []byte(`"items":null`))
	if at < 0 {
		return fmt.Errorf("webanno: unexpected encoding %s", head)
	}
	bw := bufio.NewWriter(w)
	writeItems(bw, head, at, items)
	return bw.Flush()
}

// Collection is an AnnotationCollection with all items on its first page.
type Collection struct {
	Context string `json:"@context"`
	ID      string `json:"id"`
	Type    string `json:"type"`
	Label   string `json:"label,omitempty"`
	Total   int    `json:"total"`
	First   Page   `json:"first"`
}

// Page is an AnnotationPage.
type Page struct {
	ID         string       `json:"id"`
	Type       string       `json:"type"`
	PartOf     string       `json:"partOf,omitempty"`
	StartIndex int          `json:"startIndex"`
	Items      []Annotation `json:"items"`
}

// TextTarget returns a target for text[start:end] (byte offsets) of the
// Markdown at source, shown on the page scope.
func TextTarget(source, scope, text string, start, end int) Target {
	cpStart := utf8.RuneCountInString(text[:start])
	cpEnd := cpStart + utf8.RuneCountInString(text[start:end])
	return Target{
		Type:   "SpecificResource",
		Source: source,
		Scope:  scope,
		Selector: []Selector{
			{Type: "TextQuoteSelector", Exact: text[start:end],
				Prefix: lastRunes(text[:start], ContextLen), Suffix: firstRunes(text[end:], ContextLen)},
			{Type: "TextPositionSelector", Start: &cpStart, End: &cpEnd},
		},
	}
}

// Link returns a linking annotation joining targets through the page at body.
func Link(id, label, body string, targets []Target) Annotation {
	return Annotation{ID: id, Type: "Annotation", Motivation: "linking", Label: label,
		Body: []Body{{ID: body, Type: "Text", Format: "text/html"}}, Target: targets}
}

// Comment returns a commenting annotation with a Markdown note on target.
func Comment(id, note, language string, target Target) Annotation {
	return Annotation{ID: id, Type: "Annotation", Motivation: "commenting",
		Body:   []Body{{Type: "TextualBody", Value: note, Format: "text/markdown", Language: language, Purpose: "commenting"}},
		Target: []Target{target}}
}

// NewCollection wraps items in an AnnotationCollection with id.
func NewCollection(id, label string, items []Annotation) Collection {
	if items == nil {
		items = []Annotation{}
	}
	return Collection{Context: Context, ID: id, Type: "AnnotationCollection", Label: label,
		Total: len(items), First: Page{ID: id + "#page-1", Type: "AnnotationPage", PartOf: id, Items: items}}
}

// Write encodes c as JSON-LD, one annotation per line (compact: indenting
// a 10,000-article archive's annotations cost more than finding them). The
// output is deterministic.
func Write(w io.Writer, c Collection) error {
	items := make([]Encoded, len(c.First.Items))
	for i, a := range c.First.Items {
		e, err := Encode(a)
		if err != nil {
			return err
		}
		items[i] = e
	}
	c.First.Items = nil
	return WriteEncoded(w, c, items)
}

// Encoded is an annotation encoded by Encode, as Write puts it on its line.
type Encoded []byte

// Encode encodes a for WriteEncoded. A passage's annotation belongs to the
// collection of every article that quotes it and to the site's; encoding
// it once instead of once per collection makes the JSON-LD of a large
// archive several times cheaper.
//
// It is written without reflection (appendAnnotation); the error is
// always nil.
func Encode(a Annotation) (Encoded, error) {
	return appendAnnotation(make([]byte, 0, encodedSize(a)), a), nil
}

// encodedSize is about how long a's encoding is (without escapes): many
// encoded annotations are kept for the site's collection, so they are
// made the size they need.
func encodedSize(a Annotation) int {
	n := 64 + len(a.Context) + len(a.ID) + len(a.Type) + len(a.Motivation) + len(a.Label) + len(a.Created)
	for _, x := range a.Body {
		n += 40 + len(x.ID) + len(x.Type) + len(x.Value) + len(x.Format) + len(x.Language) + len(x.Purpose)
	}
	for _, t := range a.Target {
		n += 40 + len(t.Type) + len(t.Source) + len(t.Scope)
		for _, s := range t.Selector {
			n += 48 + len(s.Type) + len(s.Exact) + len(s.Prefix) + len(s.Suffix)
		}
	}
	return n
}

// WriteEncoded is Write for annotations already encoded; c's own items are
// ignored and its total is len(items).
func WriteEncoded(w io.Writer, c Collection, items []Encoded) error {
	c.First.Items = nil
	c.Total = len(items)
	head, err := json.Marshal(c)
	if err != nil {
		return err
	}
	// Splice the items in, one per line, where the empty list was encoded.
	at := bytes.LastIndex(head, []byte(`"items":null`))
	if at < 0 {
		return fmt.Errorf("webanno: unexpected encoding %s", head)
	}
	if b, ok := w.(*bytes.Buffer); ok {
		// Into memory (the site build): one allocation of the right size
		// instead of a buffered writer's copies and the buffer's growth.
		n := len(head) + len(items) + 16
		for _, a := range items {
			n += len(a) + 1
		}
		b.Grow(n)
		writeItems(b, head, at, items)
		return nil
	}
	bw := bufio.NewWriter(w)
	writeItems(bw, head, at, items)
	return bw.Flush()
}

type byteWriter interface {
	io.Writer
	io.ByteWriter
	io.StringWriter
}

func writeItems(w byteWriter, head []byte, at int, items []Encoded) {
	w.Write(head[:at])
	w.WriteString(`"items":[`)
	for i, a := range items {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteByte('\n')
		w.Write(a)
	}
	w.WriteString("]")
	w.Write(head[at+len(`"items":null`):])
	w.WriteByte('\n')
}

func lastRunes(s string, n int) string {
	i := len(s)
	for k := 0; k < n && i > 0; k++ {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return s[i:]
}

func firstRunes(s string, n int) string {
	i := 0
	for k := 0; k < n && i < len(s); k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

// Validate checks JSON-LD data written by Write against the parts of the Web
// Annotation model that consumers rely on, and lists what is wrong.
func Validate(data []byte) []string {
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		return []string{"not a JSON object: " + err.Error()}
	}
	return validateMap(v)
}

// validateMap checks a decoded collection against the parts of the Web
// Annotation model we rely on: what a consumer of /annotations.jsonld reads.
func validateMap(v map[string]any) []string {
	if v["type"] == "AnnotationPage" {
		return validatePage(v, "page")
	}
	var bad []string
	req := func(m map[string]any, where string, keys ...string) {
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				bad = append(bad, where+": missing "+k)
			}
		}
	}
	if v["@context"] != Context {
		bad = append(bad, "collection: @context is not "+Context)
	}
	req(v, "collection", "id", "type", "total", "first")
	if v["type"] != "AnnotationCollection" {
		bad = append(bad, "collection: type")
	}
	if first, ok := v["first"].(string); ok {
		// A paged collection: its pages are documents of their own.
		if first == "" {
			bad = append(bad, "collection: first is empty")
		}
		return bad
	}
	page, _ := v["first"].(map[string]any)
	items, _ := page["items"].([]any)
	total, _ := v["total"].(float64)
	if page["type"] != "AnnotationPage" || len(items) != int(total) {
		bad = append(bad, "first: not an AnnotationPage with total items")
	}
	return append(bad, validatePage(page, "first")...)
}

// validatePage checks an AnnotationPage and its items.
func validatePage(page map[string]any, name string) []string {
	var bad []string
	req := func(m map[string]any, where string, keys ...string) {
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				bad = append(bad, where+": missing "+k)
			}
		}
	}
	if page["type"] != "AnnotationPage" {
		bad = append(bad, name+": not an AnnotationPage")
	}
	if _, ok := page["@context"]; ok && page["@context"] != Context {
		bad = append(bad, name+": @context is not "+Context)
	}
	items, _ := page["items"].([]any)
	motivations := map[string]bool{"linking": true, "commenting": true, "highlighting": true, "describing": true}
	for i, it := range items {
		a, ok := it.(map[string]any)
		if !ok {
			bad = append(bad, fmt.Sprintf("item %d: not an object", i))
			continue
		}
		where := fmt.Sprintf("item %d", i)
		req(a, where, "id", "type", "motivation", "body", "target")
		if a["type"] != "Annotation" || !motivations[fmt.Sprint(a["motivation"])] {
			bad = append(bad, where+": type/motivation")
		}
		targets, _ := a["target"].([]any)
		if len(targets) == 0 {
			bad = append(bad, where+": no target")
		}
		for _, tt := range targets {
			tg, ok := tt.(map[string]any)
			if !ok {
				bad = append(bad, where+": target is not an object")
				continue
			}
			req(tg, where+" target", "source", "selector")
			sels, _ := tg["selector"].([]any)
			kinds := map[string]bool{}
			for _, s := range sels {
				sm, _ := s.(map[string]any)
				kinds[fmt.Sprint(sm["type"])] = true
				switch sm["type"] {
				case "TextQuoteSelector":
					req(sm, where+" quote", "exact")
				case "TextPositionSelector":
					req(sm, where+" position", "start", "end")
				}
			}
			if !kinds["TextQuoteSelector"] || !kinds["TextPositionSelector"] {
				bad = append(bad, where+": target lacks a quote or position selector")
			}
		}
	}
	return bad
}

// WriteCollection encodes a paged collection.
func WriteCollection(w io.Writer, c PagedCollection) error {
	c.Context, c.Type = Context, "AnnotationCollection"
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}
