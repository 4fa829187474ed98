package annotate

import "time"

// traceStage, when set (by the tests), is told how long each stage of Find
// took.
var traceStage func(stage string, took time.Duration)

type trace struct{ t time.Time }

func newTrace() *trace { return &trace{time.Now()} }

func (t *trace) mark(stage string) {
	if traceStage != nil {
		traceStage(stage, time.Since(t.t))
	}
	t.t = time.Now()
}
