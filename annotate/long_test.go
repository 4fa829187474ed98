package annotate

import "testing"

// TestSetFreeLong: long[s] says whether a free stretch of s has minWords
// words or more, after every change of free (grow skips the free list of
// segments without one: a wrong flag changes the passages).
func TestSetFreeLong(t *testing.T) {
	g := &grouper{minWords: 5, free: make([][][2]uint32, 1), long: make([]bool, 1)}
	for _, tc := range []struct {
		name string
		fs   [][2]uint32
		want bool
	}{
		{"none", [][2]uint32{}, false},
		{"short", [][2]uint32{{10, 14}}, false},
		{"exact", [][2]uint32{{10, 15}}, true},
		{"short then long", [][2]uint32{{0, 2}, {20, 40}}, true},
		{"long then short", [][2]uint32{{20, 40}, {50, 51}}, true},
		{"all short", [][2]uint32{{0, 4}, {8, 12}, {30, 31}}, false},
	} {
		g.setFree(0, tc.fs)
		if g.long[0] != tc.want {
			t.Errorf("%s: long = %v, want %v", tc.name, g.long[0], tc.want)
		}
	}
}

// TestCarveUndoLong: carving and undoing keep long right.
func TestCarveUndoLong(t *testing.T) {
	g := &grouper{minWords: 5, segs: []segment{{0, 0, 12}}, free: make([][][2]uint32, 1), long: make([]bool, 1),
		sw: &segWords{start: []int{0}, c: make([]wcode, 12)}, adj: &graph{at: []int32{0, 0}}}
	c := newClusterer(g)
	c.undo.reset(1)
	g.setFree(0, [][2]uint32{{0, 12}})
	if !g.long[0] {
		t.Fatal("whole segment of 12 words: long = false")
	}
	if !c.carve(0, 3, 9) || g.long[0] {
		t.Fatalf("after carving [3,9) of [0,12): free %v long %v, want [0,3) [9,12) and false", g.free[0], g.long[0])
	}
	c.undo.restore(g)
	if !g.long[0] || len(g.free[0]) != 1 {
		t.Fatalf("after undo: free %v long %v, want [0,12) and true", g.free[0], g.long[0])
	}
}
