package annotate

import (
	"errors"
	"strings"
	"testing"
)

const anchorText = "Officials said: “Tech companies should include mechanisms in the design of their encrypted products,” " +
	"according to the U.S.\u00a0draft. The world’s children deserve protection. Later a reader wrote that tech companies " +
	"should include mechanisms in the design of their encrypted products, and nothing more.\n\nThe end\nof the story."

func TestAnchor(t *testing.T) {
	tests := []struct {
		name string
		sel  Selector
		want string // the text at the span; "" when an error is wanted
		err  string // "ambiguous", "nomatch" or "empty"
	}{
		{"straight quotes for curly, apostrophe", Selector{Exact: `"The world's children deserve protection."`},
			"The world’s children deserve protection", ""},
		{"U.S. and US, NBSP, case", Selector{Exact: "according to the US DRAFT"}, "according to the U.S.\u00a0draft", ""},
		{"line break inside", Selector{Exact: "the end of the story"}, "The end\nof the story", ""},
		{"repeated quote without context", Selector{Exact: "tech companies should include mechanisms"}, "", "ambiguous"},
		{"prefix decides", Selector{Exact: "tech companies should include mechanisms", Prefix: "a reader wrote that"},
			"tech companies should include mechanisms", ""},
		{"suffix decides", Selector{Exact: "Tech companies should include mechanisms in the design of their encrypted products", Suffix: "according to"},
			"Tech companies should include mechanisms in the design of their encrypted products", ""},
		{"ellipsis in the selector", Selector{Exact: "Officials said … the design of their encrypted products"},
			"Officials said: “Tech companies should include mechanisms in the design of their encrypted products", ""},
		{"editorial [a] in the selector", Selector{Exact: "[T]he world’s children deserve [a] protection"}, "", "nomatch"},
		{"editorial wildcard for a word", Selector{Exact: "according to [the] U.S. draft"}, "according to the U.S.\u00a0draft", ""},
		{"a different wording", Selector{Exact: "tech firms should include mechanisms in the design"}, "", "nomatch"},
		{"no words", Selector{Exact: " “…” "}, "", "empty"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sp, err := Anchor(anchorText, tc.sel)
			var amb *AmbiguousError
			var nm *NoMatchError
			switch {
			case tc.err == "" && err != nil:
				t.Fatalf("Anchor(%+v): %v", tc.sel, err)
			case tc.err == "":
				if have := anchorText[sp.Start:sp.End]; have != tc.want {
					t.Fatalf("Anchor(%+v) = %q, want %q", tc.sel, have, tc.want)
				}
			case tc.err == "ambiguous":
				if !errors.As(err, &amb) || len(amb.Spans) != 2 {
					t.Fatalf("Anchor(%+v) = %v, %v; want *AmbiguousError with 2 spans", tc.sel, sp, err)
				}
			case tc.err == "nomatch":
				if !errors.As(err, &nm) || len(nm.Nearest) == 0 {
					t.Fatalf("Anchor(%+v) = %v, %v; want *NoMatchError with candidates", tc.sel, sp, err)
				}
				c := nm.Nearest[0]
				if c.Score <= 0.5 || c.Score >= 1 || anchorText[c.Start:c.End] != c.Text {
					t.Fatalf("nearest candidate %+v", c)
				}
			case tc.err == "empty":
				if !errors.Is(err, ErrEmptySelector) {
					t.Fatalf("Anchor(%+v) = %v; want ErrEmptySelector", tc.sel, err)
				}
			}
		})
	}
}

func TestAnchorNearest(t *testing.T) {
	_, err := Anchor(anchorText, Selector{Exact: "The world's children deserve better protection"})
	var nm *NoMatchError
	if !errors.As(err, &nm) {
		t.Fatalf("err = %v, want *NoMatchError", err)
	}
	if got := nm.Nearest[0].Text; got != "The world’s children deserve protection" {
		t.Errorf("nearest = %q", got)
	}
	if !strings.Contains(err.Error(), "nearest") {
		t.Errorf("error %q does not name the nearest text", err)
	}
}

// checkSpan holds for every span Anchor returns.
func checkSpan(t *testing.T, text string, sp Span) {
	t.Helper()
	if sp.Start < 0 || sp.End > len(text) || sp.Start > sp.End {
		t.Fatalf("span %v out of range (len %d)", sp, len(text))
	}
	if cutsRune(text, sp.Start) || cutsRune(text, sp.End) {
		t.Fatalf("span %v not on rune boundaries", sp)
	}
}

func FuzzAnchor(f *testing.F) {
	f.Add(anchorText, "tech companies should", "reader wrote that", "")
	f.Add("a … b [sic] [T]he U.S. c", "a ... b the us", "", "c")
	f.Add("\xff\xfe[", "[", "", "")
	f.Fuzz(func(t *testing.T, text, exact, prefix, suffix string) {
		sp, err := Anchor(text, Selector{Exact: exact, Prefix: prefix, Suffix: suffix})
		var amb *AmbiguousError
		var nm *NoMatchError
		switch {
		case err == nil:
			checkSpan(t, text, sp)
		case errors.As(err, &amb):
			for _, s := range amb.Spans {
				checkSpan(t, text, s)
			}
		case errors.As(err, &nm):
			for _, c := range nm.Nearest {
				checkSpan(t, text, c.Span)
				if text[c.Start:c.End] != c.Text || c.Score <= 0 || c.Score > 1 {
					t.Fatalf("bad candidate %+v", c)
				}
			}
		case errors.Is(err, ErrEmptySelector):
		default:
			t.Fatalf("unexpected error %v", err)
		}
	})
}
