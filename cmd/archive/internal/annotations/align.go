package annotations

import (
	"strings"
	"unsafe"

	"github.com/archive-project/archive/annotate"
)

// alignment is an occurrence's word-level collation against its passage's
// canonical text (annotate.Occurrence.Alignment), compact: each step holds
// the offsets of its two tokens in the canonical text and in the wording
// (text) instead of their strings and kind name. annotate gives 56 bytes a
// token; at 100,000 wire articles the collations of the distinct wordings
// were a third of what `archive serve` held between edits (~650 MB), kept
// only for the passage pages. Occurrences with the same text share one.
type alignment struct {
	text string // the wording the witness offsets are in
	ops  []alignOp
	// full is the alignment as annotate made it, for one whose tokens
	// are not in the texts or too long to count in 16 bits (none today).
	full []annotate.Op
}

// alignOp is one step: Canonical is canonical[c:c+cn], Witness text[w:w+wn].
type alignOp struct {
	c, w   uint32
	cn, wn uint16
	kind   uint8 // index in opKinds
	punct  bool
}

var opKinds = [...]annotate.OpKind{annotate.Same, annotate.Subst, annotate.Insert, annotate.Omit}

// compactAlignment makes the compact form of ops, the alignment of text
// against canonical.
func compactAlignment(canonical, text string, ops []annotate.Op) *alignment {
	al := &alignment{text: text, ops: make([]alignOp, len(ops))}
	cNext, wNext := 0, 0
	for i, op := range ops {
		k := -1
		for j, kind := range opKinds {
			if op.Kind == kind {
				k = j
			}
		}
		c, cok := offsetIn(canonical, op.Canonical, cNext)
		w, wok := offsetIn(text, op.Witness, wNext)
		if k < 0 || !cok || !wok || len(op.Canonical) > 0xffff || len(op.Witness) > 0xffff {
			return &alignment{text: text, full: ops}
		}
		cNext, wNext = c+len(op.Canonical), w+len(op.Witness)
		al.ops[i] = alignOp{c: uint32(c), w: uint32(w), cn: uint16(len(op.Canonical)), wn: uint16(len(op.Witness)),
			kind: uint8(k), punct: op.Punct}
	}
	return al
}

// offsetIn is where sub starts in s: where it lies when it is a slice of
// s, else where the same bytes stand, first from "from" on (the tokens
// come in order), else anywhere (a canonical token is a slice of another
// occurrence of the canonical wording). Only the bytes are shown, so any
// place of them gives the same page.
func offsetIn(s, sub string, from int) (int, bool) {
	if sub == "" {
		return from, true
	}
	if len(s) > 1<<32-1 {
		return 0, false
	}
	off := uintptr(unsafe.Pointer(unsafe.StringData(sub))) - uintptr(unsafe.Pointer(unsafe.StringData(s)))
	if off <= uintptr(len(s)) && int(off)+len(sub) <= len(s) {
		return int(off), true
	}
	if from <= len(s) {
		if i := strings.Index(s[from:], sub); i >= 0 {
			return from + i, true
		}
	}
	i := strings.Index(s, sub)
	return i, i >= 0
}

// each calls f with every step as annotate made it.
func (al *alignment) each(canonical string, f func(annotate.Op)) {
	if al == nil {
		return
	}
	if al.full != nil {
		for _, op := range al.full {
			f(op)
		}
		return
	}
	for _, o := range al.ops {
		f(annotate.Op{Kind: opKinds[o.kind], Canonical: canonical[o.c : o.c+uint32(o.cn)],
			Witness: al.text[o.w : o.w+uint32(o.wn)], Punct: o.punct})
	}
}

// detach makes p hold no part of the bodies it was found in: its
// canonical text and its occurrences' texts become copies, one per
// distinct wording, and its occurrences' alignments move into the compact
// form (one per wording as well: annotate shares an alignment between
// occurrences of the same text), or are dropped when align is false (no
// page shows them). A substring of a body kept the whole file it was read
// from in memory for as long as the passage lived.
func detach(p *Passage, align bool) {
	texts := map[string]string{}
	keep := func(s string) string {
		c, ok := texts[s]
		if !ok {
			c = strings.Clone(s)
			texts[s] = c
		}
		return c
	}
	canonical := p.Canonical // the alignments' tokens are slices of the bodies' texts
	byText := map[string]*alignment{}
	if align {
		p.align = make([]*alignment, len(p.Occurrences))
	}
	for n := range p.Occurrences {
		o := &p.Occurrences[n]
		if align {
			al, ok := byText[o.Text]
			if !ok {
				al = compactAlignment(canonical, o.Text, o.Alignment)
				al.text = keep(o.Text)
				byText[o.Text] = al
			}
			p.align[n] = al
		}
		o.Alignment, o.Text = nil, keep(o.Text)
	}
	p.Canonical = keep(canonical)
}
