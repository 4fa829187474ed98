package cite

import (
	"strings"
	"testing"
)

// texEscapeLoop and nestQuotesLoop are texEscape and nestQuotes as they
// were before they returned s as it is when they would not change it.
func texEscapeLoop(s string) string {
	var b strings.Builder
	open := true
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\textbackslash{}`)
		case '{', '}', '%', '&', '$', '#', '_':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '^':
			b.WriteString(`\textasciicircum{}`)
		case '~':
			b.WriteString(`\textasciitilde{}`)
		case '“':
			b.WriteString("``")
		case '”':
			b.WriteString("''")
		case '"':
			if open {
				b.WriteString("``")
			} else {
				b.WriteString("''")
			}
			open = !open
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func nestQuotesLoop(s string) string {
	var b strings.Builder
	open := true
	for _, r := range s {
		switch r {
		case '“':
			b.WriteRune('‘')
		case '”':
			b.WriteRune('’')
		case '"':
			if open {
				b.WriteRune('‘')
			} else {
				b.WriteRune('’')
			}
			open = !open
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

var escapeInputs = []string{"", "Plain title", "Café in Zürich", "50% & more_#1 {x} $ ^ ~ \\", "“curly” and \"straight\"",
	"tab\there\nnew\rline", "bad \xff byte", "\xc3", "日本語のタイトル"}

func TestEscapesAsLoops(t *testing.T) {
	for _, in := range escapeInputs {
		if got, want := texEscape(in), texEscapeLoop(in); got != want {
			t.Errorf("texEscape(%q) = %q, want %q", in, got, want)
		}
		if got, want := nestQuotes(in), nestQuotesLoop(in); got != want {
			t.Errorf("nestQuotes(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzEscapes(f *testing.F) {
	for _, in := range escapeInputs {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if got, want := texEscape(in), texEscapeLoop(in); got != want {
			t.Fatalf("texEscape(%q) = %q, want %q", in, got, want)
		}
		if got, want := nestQuotes(in), nestQuotesLoop(in); got != want {
			t.Fatalf("nestQuotes(%q) = %q, want %q", in, got, want)
		}
	})
}
