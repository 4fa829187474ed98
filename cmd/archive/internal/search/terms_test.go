package search

import (
	"slices"
	"testing"
)

func TestTermList(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []termCount
	}{
		{"none", nil},
		{"one", []termCount{{0, 1}}},
		{"unsorted, counts", []termCount{{7, 1}, {3, 5}, {1 << 20, 1}, {64, 300}, {65, 1}}},
		{"large gaps and counts", []termCount{{1<<31 - 1, 1<<31 - 1}, {0, 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := slices.Clone(tc.in)
			slices.SortFunc(want, func(a, b termCount) int { return int(a.id) - int(b.id) })
			var got []termCount
			makeTermList(slices.Clone(tc.in)).each(func(id, n int32) { got = append(got, termCount{id, n}) })
			if !slices.Equal(got, want) {
				t.Errorf("decoded %v, want %v", got, want)
			}
			// remap keeps the order: double every ID.
			if len(want) > 0 && want[len(want)-1].id < 1<<20+1 {
				m := make([]int32, want[len(want)-1].id+1)
				for i := range m {
					m[i] = int32(2 * i)
				}
				l, _ := makeTermList(slices.Clone(tc.in)).remap(m, nil)
				got = got[:0]
				l.each(func(id, n int32) { got = append(got, termCount{id, n}) })
				for i := range want {
					if got[i].id != 2*want[i].id || got[i].n != want[i].n {
						t.Errorf("remapped %v, want the IDs of %v doubled", got, want)
						break
					}
				}
			}
		})
	}
}

// TestTermListSize: a list takes the bytes it needs, no more (it is kept
// between builds).
func TestTermListSize(t *testing.T) {
	l := makeTermList([]termCount{{1, 1}, {200, 1}, {20000, 3}, {20001, 1000}})
	// 1<<1; 199<<1 (2 bytes); 19800<<1|1 (3 bytes), 3; 1<<1|1, 1000 (2 bytes)
	if want := 1 + 2 + 3 + 1 + 1 + 2; len(l) != want || cap(l) != want {
		t.Errorf("len %d cap %d, want %d", len(l), cap(l), want)
	}
}
