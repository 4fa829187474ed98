//go:build race

package annotate

// raceEnabled: the race detector slows Find some tenfold; the largest
// corpora of the tests shrink or skip under it.
const raceEnabled = true
