package site

import (
	"os"
	"path/filepath"
	"testing"
)

func TestExchange(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, d := range []string{a, b} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(d, "name"), []byte(filepath.Base(d)), 0o644)
	}
	if err := exchange(a, b); err != nil {
		t.Skipf("this file system cannot exchange paths (%v); Publish uses two renames", err)
	}
	if got, _ := os.ReadFile(filepath.Join(a, "name")); string(got) != "b" {
		t.Errorf("after exchange a holds %q", got)
	}
}
