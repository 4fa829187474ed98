package annotations

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/archive-project/archive/annotate"
)

// TestAlignmentAsAnnotateMadeIt: every shown occurrence's compact alignment
// gives back annotate's, op for op (the seed archive's passages have
// wordings that differ by substitutions, insertions and omissions).
func TestAlignmentAsAnnotateMadeIt(t *testing.T) {
	docs := loadSeedArchive(t)
	in := make([]annotate.Document, len(docs))
	for i, d := range docs {
		in[i] = annotate.Document{ID: d.Key, Text: d.Body, Date: d.Date, Source: d.Outlet, Quoted: BlockQuotes(d.Body)}
	}
	found, err := annotate.Find(in)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][][]annotate.Op{}
	for _, p := range found {
		for _, o := range p.Occurrences {
			want[p.ID] = append(want[p.ID], o.Alignment)
		}
	}
	ix, err := FindPassages(docs)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[annotate.OpKind]int{}
	for _, p := range ix.Passages {
		for n, o := range p.Occurrences {
			if o.Alignment != nil {
				t.Fatalf("%s: occurrence %d keeps annotate's alignment", p.ID, n)
			}
			got := p.Alignment(n)
			if !reflect.DeepEqual(got, want[p.ID][n]) {
				t.Fatalf("%s occurrence %d: alignment\n%v\nwant\n%v", p.ID, n, got, want[p.ID][n])
			}
			for _, op := range got {
				kinds[op.Kind]++
			}
		}
	}
	for _, k := range opKinds {
		if kinds[k] == 0 {
			t.Errorf("no %s step in the seed archive's alignments: the test checks less than it should", k)
		}
	}
}

func TestCompactAlignment(t *testing.T) {
	canonical := "the dam held, officials said"
	text := "the old dam held said officials"
	ops := []annotate.Op{
		{Kind: annotate.Same, Canonical: canonical[0:3], Witness: text[0:3]},
		{Kind: annotate.Insert, Witness: text[4:7]},
		{Kind: annotate.Same, Canonical: canonical[4:7], Witness: text[8:11]},
		{Kind: annotate.Same, Canonical: canonical[8:12], Witness: text[12:16]},
		{Kind: annotate.Omit, Canonical: canonical[12:13], Punct: true},
		{Kind: annotate.Subst, Canonical: canonical[14:23], Witness: text[17:21]},
	}
	copied := strings.Clone(canonical) // tokens of another copy of the wording
	for _, tc := range []struct {
		name    string
		ops     []annotate.Op
		compact bool // kept in the compact form
	}{
		{"slices of the texts", ops, true},
		{"canonical tokens of a copy", []annotate.Op{{Kind: annotate.Same, Canonical: copied[4:7], Witness: text[8:11]}}, true},
		{"a token in neither text", []annotate.Op{{Kind: annotate.Same, Canonical: "flood", Witness: "flood"}}, false},
		{"an unknown kind", []annotate.Op{{Kind: "moved", Canonical: canonical[0:3]}}, false},
		{"a token too long for 16 bits", []annotate.Op{{Kind: annotate.Insert, Witness: strings.Repeat("x", 1<<16)}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			txt := text
			if tc.name == "a token too long for 16 bits" {
				txt = tc.ops[0].Witness
			}
			al := compactAlignment(canonical, txt, tc.ops)
			if (al.full == nil) != tc.compact {
				t.Errorf("compact %v, want %v", al.full == nil, tc.compact)
			}
			var got []annotate.Op
			al.each(canonical, func(op annotate.Op) { got = append(got, op) })
			if !reflect.DeepEqual(got, tc.ops) {
				t.Errorf("got %v, want %v", got, tc.ops)
			}
		})
	}
}

// TestPassagesHoldNoBody: no passage's canonical text or occurrence text
// is a slice of a body, which would keep the whole file in memory for as
// long as the index lives (archive serve lets the bodies go after a build).
func TestPassagesHoldNoBody(t *testing.T) {
	docs := loadSeedArchive(t)
	ix, err := FindPassages(docs)
	if err != nil {
		t.Fatal(err)
	}
	inBody := func(s string) string {
		if s == "" {
			return ""
		}
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		for _, d := range docs {
			b := uintptr(unsafe.Pointer(unsafe.StringData(d.Body)))
			if p >= b && p < b+uintptr(len(d.Body)) {
				return d.Key
			}
		}
		return ""
	}
	n := 0
	for _, p := range append(slices.Clone(ix.Passages), ix.Hidden...) {
		if k := inBody(p.Canonical); k != "" {
			t.Errorf("%s: its canonical text is a slice of %s's body", p.ID, k)
		}
		for i, o := range p.Occurrences {
			n++
			if k := inBody(o.Text); k != "" {
				t.Errorf("%s occurrence %d: its text is a slice of %s's body", p.ID, i, k)
			}
			for _, op := range p.Alignment(i) {
				if k := inBody(op.Canonical); k != "" {
					t.Errorf("%s occurrence %d: an alignment token is a slice of %s's body", p.ID, i, k)
				}
				if k := inBody(op.Witness); k != "" {
					t.Errorf("%s occurrence %d: an alignment token is a slice of %s's body", p.ID, i, k)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("the seed archive has no passages")
	}
}

// TestCollationOfAsCollation: collationOf, from the compact alignment,
// gives every occurrence of the seed archive's passages the collation
// that collation gives from the ops, in at most three allocations (the
// DiffOps, the runs, the runs' words) whatever the number of words.
func TestCollationOfAsCollation(t *testing.T) {
	docs := loadSeedArchive(t)
	ix, err := FindPassages(docs)
	if err != nil {
		t.Fatal(err)
	}
	n, runs := 0, 0
	for _, p := range ix.Passages {
		for i := range p.Occurrences {
			ops := p.Alignment(i)
			diff, same, subst, ins, omit := collation(ops)
			got, s, sub, in, om := collationOf(p, i)
			if !reflect.DeepEqual(got, diff) || s != same || sub != subst || in != ins || om != omit {
				t.Fatalf("%s occurrence %d: collationOf\n%v (%d %d %d %d)\nwant\n%v (%d %d %d %d)", p.ID, i, got, s, sub, in, om, diff, same, subst, ins, omit)
			}
			if cap(got) != len(got) {
				t.Errorf("%s occurrence %d: %d DiffOps in room for %d", p.ID, i, len(got), cap(got))
			}
			for _, d := range got {
				if d.Shared && strings.Contains(d.Witness, " ") {
					runs++
				}
			}
			if allocs := testing.AllocsPerRun(5, func() { collationOf(p, i) }); allocs > 3 {
				t.Errorf("%s occurrence %d: %v allocations for %d ops", p.ID, i, allocs, len(ops))
			}
			n++
		}
	}
	if n == 0 || runs == 0 {
		t.Errorf("%d occurrences, %d runs of several words: the test checks less than it should", n, runs)
	}
	if diff, _, _, _, _ := collationOf(&Passage{}, 0); diff != nil {
		t.Errorf("collation of no alignment: %v", diff)
	}
}
