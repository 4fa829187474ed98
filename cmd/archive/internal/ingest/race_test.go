//go:build race

package ingest

// raceEnabled is true under the race detector, which makes extraction
// about twenty times slower: the real-page tests then read a sample.
const raceEnabled = true
