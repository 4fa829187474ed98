//go:build race

package hugepages

// raceEnabled: the race detector touches shadow memory for what the heap
// maps, so the process's resident memory says nothing of the chunks.
const raceEnabled = true
