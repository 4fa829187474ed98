package site

import (
	"bytes"
	"testing"
	"unsafe"
)

// TestPageHTML checks that an archive's article Content is the worker's
// Markdown buffer itself (no copy of every page) and a Hugo site's a copy
// its templates may keep.
func TestPageHTML(t *testing.T) {
	for _, tc := range []struct {
		name   string
		body   string
		alias  bool
		shared bool // the result's bytes are the buffer's
	}{
		{"archive", "<p>body</p>\n", true, true},
		{"hugo", "<p>body</p>\n", false, false},
		{"empty archive", "", true, false},
		{"empty hugo", "", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			b.WriteString(tc.body)
			h := pageHTML(&b, tc.alias)
			if string(h) != tc.body {
				t.Fatalf("pageHTML = %q, want %q", h, tc.body)
			}
			shared := len(h) > 0 && unsafe.StringData(string(h)) == unsafe.SliceData(b.Bytes())
			if shared != tc.shared {
				t.Errorf("shares the buffer's bytes: %v, want %v", shared, tc.shared)
			}
			if !tc.alias && tc.body != "" {
				b.Reset()
				b.WriteString("overwritten")
				if string(h) != tc.body {
					t.Errorf("a copy changed with its buffer: %q", h)
				}
			}
		})
	}
}
