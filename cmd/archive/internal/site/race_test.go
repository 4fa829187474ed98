//go:build race

package site

// raceEnabled is true under the race detector, which makes rendering
// about ten times slower: TestRenderPlainFiles then reads one benchmark
// corpus, as with -short, not all four (40,000 bodies: 8 minutes of a
// loaded machine's suite).
const raceEnabled = true
