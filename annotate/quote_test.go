package annotate

import (
	"strings"
	"testing"
)

// TestQuoteSpans marks quoted stretches with brackets and compares.
func TestQuoteSpans(t *testing.T) {
	tests := []struct{ in, want string }{
		{`He said "we will act," and left.`, `He said "[we will act,]" and left.`},
		{`“First sentence. Second sentence,” she said.`, `“[First sentence. Second sentence,]” she said.`},
		{`It's the outlets' view, not "theirs".`, `It's the outlets' view, not "[theirs]".`},
		{"“A long quote runs on.\n\n“And goes on here,” he said.", "“[A long quote runs on.]\n\n“[And goes on here,]” he said."},
		{`Il a dit « nous agirons » hier.`, `Il a dit «[ nous agirons ]» hier.`},
		{`Er sagte „wir handeln“ gestern.`, `Er sagte „[wir handeln]“ gestern.`},
		{`彼は「行動する」と言った。`, `彼は「[行動する]」と言った。`},
		{`‘Single quotes,’ he said, ‘and more.’`, `‘[Single quotes,]’ he said, ‘[and more.]’`},
		{`"Nested 'inner' quote," she said.`, `"[Nested 'inner' quote,]" she said.`},
		{`No quotes here, don’t worry.`, `No quotes here, don’t worry.`},
		{`An "unclosed quote runs to the end`, `An "[unclosed quote runs to the end]`},
		{`He said: "I'm sure." Then "he" left.`, `He said: "[I'm sure.]" Then "[he]" left.`},
		{`Il a dit << nous agirons >> hier, et 1 < 2 > 0.`, `Il a dit <<[ nous agirons ]>> hier, et 1 < 2 > 0.`},
		{"Bruno writes: <<This is vague. I think so.>> Yes.", "Bruno writes: <<[This is vague. I think so.]>> Yes."},
	}
	for _, tc := range tests {
		spans := quoteSpans(tc.in)
		var b strings.Builder
		at := 0
		for _, s := range spans {
			b.WriteString(tc.in[at:s.Start])
			b.WriteString("[" + tc.in[s.Start:s.End] + "]")
			at = s.End
		}
		b.WriteString(tc.in[at:])
		if b.String() != tc.want {
			t.Errorf("quoteSpans(%q)\nhave %s\nwant %s", tc.in, b.String(), tc.want)
		}
	}
}
