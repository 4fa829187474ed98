package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/report.md")

// TestReport turns a results file with medians to take, a run that did not
// finish and a server into the tables of testdata/report.md.
func TestReport(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "results.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	runs, err := read(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 10 {
		t.Fatalf("read %d runs, want 10 (a blank line is skipped)", len(runs))
	}
	var out bytes.Buffer
	write(&out, runs)
	golden := filepath.Join("testdata", "report.md")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Errorf("report differs from %s (go test -update rewrites it):\n%s", golden, out.String())
	}
}

func TestReadNamesTheBadLine(t *testing.T) {
	_, err := read(strings.NewReader("{\"bench\":\"build\"}\n{oops\n"))
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("err = %v, want one naming line 2", err)
	}
}
