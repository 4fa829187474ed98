package devserver

import (
	"errors"

	"github.com/archive-project/archive/cmd/archive/internal/article"
)

// Problem is one error of a failed build as the overlay shows it.
type Problem struct {
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
}

// Problems lists the problems in a build error: one per *article.Error it
// holds (errors.Join'ed errors are listed one by one), else its message.
func Problems(err error) []Problem {
	if err == nil {
		return nil
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		if ae, ok := e.(*article.Error); ok {
			msg := "error"
			if ae.Err != nil {
				msg = ae.Err.Error()
			}
			return []Problem{{File: ae.File, Line: ae.Line, Message: msg, Fix: ae.Fix}}
		}
		if j, ok := e.(interface{ Unwrap() []error }); ok {
			var ps []Problem
			for _, e := range j.Unwrap() {
				ps = append(ps, Problems(e)...)
			}
			if len(ps) > 0 {
				return ps
			}
		}
	}
	return []Problem{{Message: err.Error()}}
}
