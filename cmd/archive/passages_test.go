package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runPassages(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"passages"}, args...),
		&env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

const draftSentence = "Service providers, application developers and device manufacturers are developing and deploying products and services with encryption"

// passagesSite writes a site whose articles quote one sentence in common,
// with different typography, plus a draft that quotes it too.
func passagesSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"content/reuters.md": "---\ntitle: Reuters\noutlet: Reuters\ndate: 2019-11-18\nseed: seeds/001_a.txt\n---\n\n" +
			"SAN FRANCISCO (Reuters) - Interpol plans a statement.\n\n“" + draftSentence + ",” a draft said.\n",
		"content/register.md": "+++\ntitle = \"Register\"\noutlet = \"The Register\"\ndate = 2019-11-19\nseed = \"seeds/000_b.txt\"\n+++\n\n" +
			"Cops want backdoors. \"" + strings.ToUpper(draftSentence[:7]) + draftSentence[7:] + ",\" the newswire reported.\n",
		"content/itpro.md": "---\ntitle: ITPro\noutlet: ITPro\ndate: 2019-11-18\n---\n\nNothing in common here at all, only other words.\n",
		"content/draft.md": "---\ntitle: Draft\noutlet: Draft\ndraft: true\n---\n\n" + draftSentence + ".\n",
	}
	for p, s := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestPassagesJSON(t *testing.T) {
	dir := passagesSite(t)
	code, out, errs := runPassages(t, "-s", dir, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got passagesJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(got.Passages) != 1 {
		t.Fatalf("%d passages, want 1:\n%s", len(got.Passages), out)
	}
	p := got.Passages[0]
	if p.Kind != "quote" || !strings.HasPrefix(p.ID, "p-") || p.Text != draftSentence || p.Outlets != 2 || p.Articles != 2 {
		t.Errorf("passage %+v", p)
	}
	for _, o := range p.Occurrences {
		if !o.Quoted {
			t.Errorf("%s: the sentence stands in quotation marks, but quoted is false", o.Article)
		}
	}
	bodies := map[string]string{}
	for _, name := range []string{"reuters", "register"} {
		b, err := os.ReadFile(filepath.Join(dir, "content", name+".md"))
		if err != nil {
			t.Fatal(err)
		}
		// The body starts after the closing front-matter delimiter line.
		s := string(b)
		i := strings.Index(s[3:], s[:3]+"\n") + 3 + 4
		bodies["content/"+name+".md"] = s[i:]
	}
	want := map[string]string{"content/reuters.md": "seeds/001_a.txt", "content/register.md": "seeds/000_b.txt"}
	if len(p.Occurrences) != 2 {
		t.Fatalf("occurrences %+v", p.Occurrences)
	}
	for _, o := range p.Occurrences {
		if want[o.Article] != o.Seed {
			t.Errorf("occurrence in %q with seed %q", o.Article, o.Seed)
		}
		body := bodies[o.Article]
		if o.End > len(body) || body[o.Start:o.End] != o.Text {
			t.Errorf("%s: [%d,%d) is not %q in the body", o.Article, o.Start, o.End, o.Text)
		}
	}
	if p.Occurrences[0].Article != "content/reuters.md" {
		t.Errorf("first occurrence %s, want the earliest (Reuters)", p.Occurrences[0].Article)
	}
	// Stable across runs.
	_, again, _ := runPassages(t, "--source", dir, "--json")
	if again != out {
		t.Error("second run printed different JSON")
	}
}

func TestPassagesTable(t *testing.T) {
	dir := passagesSite(t)
	code, out, errs := runPassages(t, "-s", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"quote", "2 occurrences", "content/reuters.md", "content/register.md", "100%", "quoted", "2 outlets", "1 passages: 1 quote."} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "draft.md") {
		t.Errorf("table lists a draft:\n%s", out)
	}
	code, out, _ = runPassages(t, "-s", dir, "--min-words", "40")
	if code != 0 || !strings.Contains(out, "No shared passages") {
		t.Errorf("--min-words 40: exit %d, %q", code, out)
	}
	code, out, _ = runPassages(t, "-s", dir, "--kind", "stock,repeat")
	if code != 0 || !strings.Contains(out, "No shared passages") {
		t.Errorf("--kind stock,repeat: exit %d, %q", code, out)
	}
	code, out, _ = runPassages(t, "-s", dir, "--kind", "quote")
	if code != 0 || !strings.Contains(out, "1 passages: 1 quote.") {
		t.Errorf("--kind quote: exit %d, %q", code, out)
	}
}

// TestPassagesKinds: an outlet's note is boilerplate, a block quote is a
// quote, a sentence repeated in one article is a repeat, and the shared
// kinds come first.
func TestPassagesKinds(t *testing.T) {
	dir := t.TempDir()
	note := "Editor's note: this story was corrected to give the full name of the ministry spokesperson."
	block := "Failure to allow for lawful access on their platforms and products provides a safe haven to offenders utilizing these to sexually exploit children."
	live := "Crowds gathered outside the courthouse on Monday morning as the verdict was read aloud by the clerk."
	files := map[string]string{
		"content/a1.md": "---\ntitle: A1\noutlet: Alpha\n---\n\nAlpha writes about gardens and kites today.\n\n" + note + "\n",
		"content/a2.md": "---\ntitle: A2\noutlet: Alpha\n---\n\nAlpha writes about rivers and bridges.\n\n> " + block + "\n\n" + note + "\n",
		"content/a3.md": "---\ntitle: A3\noutlet: Alpha\n---\n\nAlpha on weather.\n\n" + live + "\n\nMore news of the day.\n\n" + live + "\n\n" + note + "\n",
		"content/b1.md": "---\ntitle: B1\noutlet: Beta\n---\n\nBeta prints the statement:\n\n> " + block + "\n",
	}
	for p, s := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, errs := runPassages(t, "-s", dir, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got passagesJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var kinds []string
	for _, p := range got.Passages {
		kinds = append(kinds, string(p.Kind)+": "+p.Text[:20])
	}
	want := []string{"quote: " + block[:20], "boilerplate: " + note[:20], "repeat: " + live[:20]}
	if strings.Join(kinds, "\n") != strings.Join(want, "\n") {
		t.Errorf("passages\n%s\nwant\n%s", strings.Join(kinds, "\n"), strings.Join(want, "\n"))
	}
}

func TestPassagesErrors(t *testing.T) {
	dir := passagesSite(t)
	bad := filepath.Join(dir, "content", "bad.md")
	if err := os.WriteFile(bad, []byte("---\ntitle: [unclosed\n---\nBody\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"-s", filepath.Join(dir, "missing")}, 2, "is not a folder"},
		{[]string{"-s", dir, "--kind", "quotes"}, 2, `unknown kind "quotes"`},
		{[]string{"-s", t.TempDir()}, 2, "no content/ folder"},
		{[]string{"-s", dir, "--min-words", "1"}, 2, "at least 2"},
		{[]string{"-s", dir, "extra"}, 2, "unexpected argument"},
		{[]string{"--nope"}, 2, "flag provided but not defined"},
		{[]string{"-s", dir}, 1, "content/bad.md"},
	} {
		code, _, errs := runPassages(t, tc.args...)
		if code != tc.code || !strings.Contains(errs, tc.msg) {
			t.Errorf("passages %v: exit %d, stderr %q; want %d and %q", tc.args, code, errs, tc.code, tc.msg)
		}
	}
}

func TestPassagesUsage(t *testing.T) {
	code, out, _ := runPassages(t, "--help")
	if code != 0 || !strings.Contains(out, "Examples:") || !strings.Contains(out, "--min-words") {
		t.Errorf("--help: exit %d\n%s", code, out)
	}
}
