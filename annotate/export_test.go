package annotate

import (
	"testing"
	"time"
)

// For the tests of package annotate_test, which use annotate/synth (an
// importer of annotate).

func CheckInvariants(t testing.TB, docs []Document, ps []Passage) {
	t.Helper()
	checkInvariants(t, docs, ps)
}

func HeapGrowth(f func()) uint64 { return heapGrowth(f) }

func HeapPeak(f func()) (peak, before uint64) { return heapPeak(f) }

func HeapInUse() uint64 { return heapInUse() }

func CPUTime() time.Duration { return cpuTime() }

// TraceStages has Find report how long each of its stages took.
func TraceStages(f func(stage string, took time.Duration)) { traceStage = f }

// EarlyCollate sets how many occurrences of tier 1's passages Find
// collates while tier 2 is grouped, and has it report how many it queued
// (to report, when set); a negative occ keeps the bound. It returns what
// restores both.
func EarlyCollate(occ int, report func(occ int)) (restore func()) {
	old := earlyCollateOcc
	if occ >= 0 {
		earlyCollateOcc = occ
	}
	traceEarlyCollate = report
	return func() { earlyCollateOcc, traceEarlyCollate = old, nil }
}

// RaceEnabled says whether the tests run under the race detector.
const RaceEnabled = raceEnabled

// DegenerateCorpus returns the bad inputs of badinput_test.go for the
// benchmarks: n copies of one article from n outlets ("same"), or one
// sentence in n documents ("sentence").
func DegenerateCorpus(shape string, n int) []Document {
	if shape == "same" {
		return sameDocuments(n, false)
	}
	return oneSentence(n)
}
