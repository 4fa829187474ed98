//go:build race

package main

// raceDetector is true under -race (TestDefaultPGO refuses to profile it).
const raceDetector = true
