package jsonstr

import (
	"bytes"
	"encoding/json"
	"testing"
)

// viaEncoder is s as encoding/json writes it.
func viaEncoder(t testing.TB, s string, html bool) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

var cases = []string{
	"", "plain", `"quoted" \ back`, "<a href='x'>&amp;</a>", "tab\there\nnew\rret\bbs\fff",
	"\x00\x01\x1f\x7f", "café, naïve, 日本語", "line\u2028para\u2029", "bad \xff\xfe utf8 \xe2\x82",
	"emoji 🙂 and \U0010FFFF",
}

func TestAppendAsEncodingJSON(t *testing.T) {
	for _, s := range cases {
		for _, html := range []bool{true, false} {
			if got, want := Append([]byte("x"), s, html), append([]byte("x"), viaEncoder(t, s, html)...); !bytes.Equal(got, want) {
				t.Errorf("Append(%q, html=%v) = %s, want %s", s, html, got, want)
			}
		}
	}
}

func FuzzAppend(f *testing.F) {
	for _, s := range cases {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, html bool) {
		if got, want := Append(nil, s, html), viaEncoder(t, s, html); !bytes.Equal(got, want) {
			t.Errorf("Append(%q, html=%v) = %s, want %s", s, html, got, want)
		}
	})
}
