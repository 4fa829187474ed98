package ingest

import (
	"bytes"
	"flag"
	"os"
	"path"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden/*.md from the seeds")

// The seeds are the repository's own: the golden files are what import
// writes for them, reviewed as a diff when they change.
const seedDir = "../../../../seeds"

func TestGoldenSeeds(t *testing.T) {
	ents, err := os.ReadDir(seedDir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range ents {
		if path.Ext(e.Name()) != ".txt" {
			continue
		}
		n++
		t.Run(e.Name(), func(t *testing.T) {
			src, err := os.ReadFile(seedDir + "/" + e.Name())
			if err != nil {
				t.Fatal(err)
			}
			r, err := Convert("seeds/"+e.Name(), src)
			if err != nil {
				t.Fatal(err)
			}
			golden := "testdata/golden/" + strings.TrimSuffix(e.Name(), ".txt") + ".md"
			if *update {
				if err := os.WriteFile(golden, r.Content, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to record it)", err)
			}
			if !bytes.Equal(r.Content, want) {
				t.Errorf("import of %s differs from %s (go test -update, then review git diff):\n%s",
					e.Name(), golden, firstDiff(string(want), string(r.Content)))
			}
		})
	}
	if n != 5 {
		t.Errorf("found %d seeds, want the archive's 5", n)
	}
}

// firstDiff shows the first differing line of want and have.
func firstDiff(want, have string) string {
	w, h := strings.Split(want, "\n"), strings.Split(have, "\n")
	for i := 0; i < max(len(w), len(h)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(h) {
			b = h[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\nwant " + a + "\nhave " + b
		}
	}
	return "(same lines, different bytes)"
}

// The seeds' articles, as the story's facts: each check is what a reader
// of the seed can see for themselves.
func TestSeedFacts(t *testing.T) {
	for _, tc := range []struct {
		seed                            string
		title, subtitle, outlet, author string
		comments                        int
		slug                            string
	}{
		{"000_d7a4d76aec2aac4c.txt", "Interpol: Strong encryption helps online predators. Build backdoors",
			"Multinational cop agency reportedly set to issue statement", "The Register", "", 0,
			"interpol-strong-encryption-helps-online-predators"},
		{"001_8669e8adb286f4d1.txt", "Interpol plans to condemn encryption spread, citing predators",
			"", "Reuters", "Joseph Menn", 0, "interpol-plans-to-condemn-encryption-spread-citing-predators"},
		{"002_ceac8cbe711f858c.txt", "Interpol Confirms, Denies It's Against Strong Encryption",
			"from the wait-that-sounded-better-before-we-said-it-out-loud dept", "Techdirt", "", 11,
			"interpol-confirms-denies-its-against-strong-encryption"},
		{"003_fa4ba791fd8f09f2.txt", "Interpol to support the breaking of end-to-end encryption",
			"", "ITPro", "Connor Jones", 0, "interpol-to-support-the-breaking-of-end-to-end-encryption"},
		{"004_3494a448202d99d2.txt", "Think of the children: FBI sought Interpol statement against end-to-end crypto",
			"", "Ars Technica", "", 0, "think-of-the-children-fbi-sought-interpol-statement"},
	} {
		t.Run(tc.seed, func(t *testing.T) {
			src, err := os.ReadFile(seedDir + "/" + tc.seed)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Convert("seeds/"+tc.seed, src)
			if err != nil {
				t.Fatal(err)
			}
			d := r.Doc
			have := []string{d.Title, d.Subtitle, d.Outlet, d.Author, r.Slug}
			want := []string{tc.title, tc.subtitle, tc.outlet, tc.author, tc.slug}
			for i := range have {
				if have[i] != want[i] {
					t.Errorf("have %q, want %q (why: %v)", have[i], want[i], d.Why)
				}
			}
			if len(d.Comments) != tc.comments {
				t.Errorf("%d comments, want %d", len(d.Comments), tc.comments)
			}
		})
	}
}

func BenchmarkConvert(b *testing.B) {
	src, err := os.ReadFile(seedDir + "/002_ceac8cbe711f858c.txt")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Convert("seeds/002_ceac8cbe711f858c.txt", src); err != nil {
			b.Fatal(err)
		}
	}
}
