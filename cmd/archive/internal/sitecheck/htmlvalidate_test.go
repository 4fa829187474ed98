package sitecheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// hvResult is one file of html-validate's JSON report.
type hvResult struct {
	FilePath string `json:"filePath"`
	Messages []struct {
		RuleID   string `json:"ruleId"`
		Severity int    `json:"severity"` // 1 warning, 2 error
		Message  string `json:"message"`
		Line     int    `json:"line"`
		Column   int    `json:"column"`
		Selector string `json:"selector"`
	} `json:"messages"`
}

// validateHTML runs html-validate (node_modules, pinned in package.json)
// with the repository's .htmlvalidate.json over every .html file under dir,
// each named on the command line. It returns the problems as
// "path:line:col: message (rule, selector)" and the number of files.
func validateHTML(t *testing.T, dir string) (problems []string, files int) {
	t.Helper()
	node, cli := npmFile(t, "html-validate/bin/html-validate.mjs")
	config, err := filepath.Abs(filepath.Join(repoRoot, ".htmlvalidate.json"))
	if err != nil {
		t.Fatal(err)
	}
	args := []string{cli, "--config", config, "--formatter", "json"}
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".html") {
			args = append(args, p)
			files++
		}
		return err
	})
	if err != nil || files == 0 {
		t.Fatalf("no .html files under %s (%v)", dir, err)
	}
	cmd := exec.Command(node, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var results []hvResult
	if err := json.Unmarshal(stdout.Bytes(), &results); err != nil {
		t.Fatalf("html-validate: %v (%v)\nstdout: %s\nstderr: %s", err, runErr, stdout.Bytes(), stderr.Bytes())
	}
	for _, r := range results {
		rel, _ := filepath.Rel(dir, r.FilePath)
		for _, m := range r.Messages {
			msg := fmt.Sprintf("%s:%d:%d: %s (html-validate rule %s, at %s)",
				filepath.ToSlash(rel), m.Line, m.Column, m.Message, m.RuleID, m.Selector)
			if m.Severity >= 2 {
				problems = append(problems, msg)
			} else {
				t.Logf("warning: %s", msg)
			}
		}
	}
	if runErr != nil && len(problems) == 0 {
		t.Fatalf("html-validate failed without reporting a problem: %v\n%s", runErr, stderr.Bytes())
	}
	return problems, files
}

// TestHTMLValidates runs html-validate over every page of the bundled
// archive as `archive build` writes it.
func TestHTMLValidates(t *testing.T) {
	out, _ := seedSite(t)
	problems, n := validateHTML(t, publish(t, out))
	for _, p := range problems {
		t.Error(p)
	}
	if want := len(htmlPages(out)); n != want {
		t.Errorf("html-validate checked %d files, the site has %d pages", n, want)
	}
	t.Logf("html-validate checked %d pages: %d problems", n, len(problems))
}

// TestHTMLValidateCatches makes sure the validator and its configuration
// do report problems, so a silent tool cannot pass the check above.
func TestHTMLValidateCatches(t *testing.T) {
	dir := t.TempDir()
	page := `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>` +
		`<body><main><p id="a">x</p><p id="a">dup</p><img src="x.png"><a href="#" aria-describedby="nowhere">x</a></main></body></html>`
	if err := os.WriteFile(filepath.Join(dir, "bad.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	problems, _ := validateHTML(t, dir)
	got := strings.Join(problems, "\n")
	for _, rule := range []string{"no-dup-id", "wcag/h37", "no-missing-references"} {
		if !strings.Contains(got, "rule "+rule+",") {
			t.Errorf("html-validate did not report %s on a page that breaks it; it said:\n%s", rule, got)
		}
	}
}
