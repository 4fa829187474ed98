package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/archive-project/archive/cmd/archive/internal/article"
	"gopkg.in/yaml.v2"
)

// front is a seed's own front matter, if it has one.
type front struct {
	format article.Format // "" when the seed has none
	head   []byte         // the seed's bytes up to where appended keys go
	tail   []byte         // the rest of the block: closing delimiter (and for JSON the "}") with its newline
	keys   map[string]any // top-level keys as decoded
	order  []string       // top-level keys in written order
	indent string         // indentation of the first key line
	rest   []byte         // the seed after the front matter
	restAt int            // 1-based line of the seed on which rest starts
}

// splitFront separates a seed's front matter from its text. A seed without
// front matter gives a front with format "" and rest = src.
func splitFront(name string, src []byte) (*front, error) {
	s := bytes.TrimPrefix(src, []byte("\ufeff"))
	bom := len(src) - len(s)
	first, _, _ := bytes.Cut(s, []byte("\n"))
	first = bytes.TrimRight(first, " \t\r")
	switch {
	case bytes.Equal(first, []byte("---")):
		return splitDelimited(name, src, bom, "---", article.YAML)
	case bytes.Equal(first, []byte("+++")):
		return splitDelimited(name, src, bom, "+++", article.TOML)
	case bytes.HasPrefix(first, []byte("{")):
		return splitJSON(name, src, bom)
	}
	return &front{rest: src, restAt: 1}, nil
}

func splitDelimited(name string, src []byte, bom int, delim string, f article.Format) (*front, error) {
	open := bom + bytes.IndexByte(src[bom:], '\n') + 1
	if open == bom { // no newline at all: an opening delimiter and nothing else
		return nil, article.Errorf(name, 1, "close the front matter with a line "+delim, "front matter is not closed")
	}
	pos, line := open, 2
	for pos <= len(src) {
		end := bytes.IndexByte(src[pos:], '\n')
		next := len(src)
		if end >= 0 {
			next = pos + end + 1
		}
		l := bytes.TrimRight(src[pos:min(next, len(src))], " \t\r\n")
		if string(l) == delim {
			fr := &front{format: f, head: src[:pos], tail: src[pos:next], rest: src[next:], restAt: line + 1}
			if err := fr.decode(name, src[open:pos]); err != nil {
				return nil, err
			}
			if !bytes.HasSuffix(fr.tail, []byte("\n")) {
				fr.tail = append(append([]byte(nil), fr.tail...), '\n')
			}
			return fr, nil
		}
		if end < 0 {
			break
		}
		pos, line = next, line+1
	}
	return nil, article.Errorf(name, 1, "close the front matter with a line "+delim, "front matter opened with %s is not closed", delim)
}

func splitJSON(name string, src []byte, bom int) (*front, error) {
	d := json.NewDecoder(bytes.NewReader(src[bom:]))
	var raw json.RawMessage
	if err := d.Decode(&raw); err != nil {
		line := 1
		if se, ok := err.(*json.SyntaxError); ok {
			line += bytes.Count(src[bom:bom+min(int(se.Offset), len(src)-bom)], []byte("\n"))
		}
		return nil, article.Errorf(name, line, "correct the JSON front matter on that line", "front matter (json): %v", err)
	}
	end := bom + int(d.InputOffset()) // just after the closing }
	closing := bytes.LastIndexByte(src[:end], '}')
	body := end
	if nl := bytes.IndexByte(src[end:], '\n'); nl >= 0 && len(bytes.TrimSpace(src[end:end+nl])) == 0 {
		body = end + nl + 1
	}
	// Appended keys go after the last value, before the whitespace that precedes }.
	last := len(bytes.TrimRight(src[:closing], " \t\r\n"))
	fr := &front{format: article.JSON, head: src[:last], tail: src[last:body], rest: src[body:]}
	fr.restAt = 1 + bytes.Count(src[:body], []byte("\n"))
	if err := fr.decode(name, src[bom:end]); err != nil {
		return nil, err
	}
	return fr, nil
}

// decode reads the top-level keys of the block, in order.
func (fr *front) decode(name string, block []byte) error {
	fr.keys = map[string]any{}
	var err error
	switch fr.format {
	case article.YAML:
		var ms yaml.MapSlice
		if err = yaml.Unmarshal(block, &ms); err == nil {
			for _, it := range ms {
				k := fmt.Sprint(it.Key)
				fr.keys[k] = it.Value
				fr.order = append(fr.order, k)
			}
		}
	case article.TOML:
		var md toml.MetaData
		md, err = toml.Decode(string(block), &fr.keys)
		if err == nil {
			for _, k := range md.Keys() {
				if len(k) == 1 {
					fr.order = append(fr.order, k[0])
				}
			}
		}
	case article.JSON:
		d := json.NewDecoder(bytes.NewReader(block))
		var m map[string]json.RawMessage
		if err = d.Decode(&m); err == nil {
			fr.order = jsonKeyOrder(block)
			for k, v := range m {
				var x any
				_ = json.Unmarshal(v, &x)
				fr.keys[k] = x
			}
		}
	}
	if err != nil {
		line := 2
		if m := regexp.MustCompile(`line (\d+)`).FindStringSubmatch(err.Error()); m != nil {
			n, _ := strconv.Atoi(m[1])
			line += n - 1
		}
		if fr.format == article.JSON {
			line = 1
		}
		return article.Errorf(name, line, "correct the "+strings.ToUpper(string(fr.format))+" syntax of the seed's front matter",
			"front matter (%s): %v", fr.format, err)
	}
	fr.indent = firstKeyIndent(block, fr.format)
	return nil
}

// jsonKeyOrder lists the top-level keys of a JSON object in written order.
func jsonKeyOrder(block []byte) []string {
	d := json.NewDecoder(bytes.NewReader(block))
	var keys []string
	depth := 0
	expectKey := false
	for {
		t, err := d.Token()
		if err != nil {
			return keys
		}
		switch v := t.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				depth++
				expectKey = v == '{' && depth == 1
				continue
			case '}', ']':
				depth--
			}
		case string:
			if depth == 1 && expectKey {
				keys = append(keys, v)
				expectKey = false
				continue
			}
		}
		if depth == 1 {
			expectKey = true
		}
	}
}

var keyLineRE = regexp.MustCompile(`^([ \t]*)["']?[A-Za-z_]`)

func firstKeyIndent(block []byte, f article.Format) string {
	for _, l := range strings.Split(string(block), "\n") {
		t := strings.TrimLeft(l, " \t")
		if t == "" || strings.HasPrefix(t, "#") || (f == article.JSON && t == "{") {
			continue
		}
		if m := keyLineRE.FindStringSubmatch(l); m != nil {
			return m[1]
		}
		break
	}
	if f == article.JSON {
		return "  "
	}
	return ""
}

// has reports whether the front matter already sets key (even to "").
func (fr *front) has(key string) bool {
	_, ok := fr.keys[key]
	return ok
}

// str is the front matter's value for key when it is a string.
func (fr *front) str(key string) string {
	s, _ := fr.keys[key].(string)
	return s
}

// field is one key to append.
type field struct{ key, value string }

// appendFields writes the front matter with fields added in its own format.
// A seed without front matter gets a new YAML block.
func (fr *front) appendFields(name string, fields []field) ([]byte, error) {
	var b bytes.Buffer
	switch fr.format {
	case "":
		b.WriteString("---\n")
		for _, f := range fields {
			fmt.Fprintf(&b, "%s: %s\n", f.key, quote(f.value))
		}
		b.WriteString("---\n")
		return b.Bytes(), nil
	case article.YAML, article.TOML:
		b.Write(fr.head)
		if len(fr.head) > 0 && fr.head[len(fr.head)-1] != '\n' {
			b.WriteByte('\n')
		}
		sep := ": "
		if fr.format == article.TOML {
			sep = " = "
			if at := tomlFirstTable(fr.head); at >= 0 {
				// Keys written after a [table] header would belong to it.
				b.Reset()
				b.Write(fr.head[:at])
				for _, f := range fields {
					fmt.Fprintf(&b, "%s%s%s%s\n", fr.indent, f.key, sep, quote(f.value))
				}
				b.Write(fr.head[at:])
				b.Write(fr.tail)
				return fr.verify(name, b.Bytes(), fields)
			}
		}
		for _, f := range fields {
			fmt.Fprintf(&b, "%s%s%s%s\n", fr.indent, f.key, sep, quote(f.value))
		}
		b.Write(fr.tail)
	case article.JSON:
		b.Write(fr.head)
		empty := bytes.HasSuffix(bytes.TrimRight(fr.head, " \t\r\n"), []byte("{"))
		for i, f := range fields {
			if i > 0 || !empty {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, "\n%s%s: %s", fr.indent, quote(f.key), quote(f.value))
		}
		b.Write(fr.tail)
	}
	return fr.verify(name, b.Bytes(), fields)
}

var tomlTableRE = regexp.MustCompile(`(?m)^[ \t]*\[\[?[ \t]*[A-Za-z0-9_"'.\- ]+[ \t]*\]\]?[ \t]*(#.*)?\r?$`)

// tomlFirstTable is the offset in head of the first [table] header after the
// opening delimiter line, or -1.
func tomlFirstTable(head []byte) int {
	open := bytes.IndexByte(head, '\n') + 1
	if loc := tomlTableRE.FindIndex(head[open:]); loc != nil {
		return open + loc[0]
	}
	return -1
}

// verify re-reads the new front matter: the added keys must read back as
// written and every key that was there must still be there.
func (fr *front) verify(name string, out []byte, fields []field) ([]byte, error) {
	again, err := splitFront(name, append(out, "\n"...))
	if err == nil {
		for _, f := range fields {
			if again.str(f.key) != f.value {
				err = fmt.Errorf("key %s does not read back as %q", f.key, f.value)
				break
			}
		}
		for k := range fr.keys {
			if !again.has(k) {
				err = fmt.Errorf("key %s was lost", k)
			}
		}
	}
	if err != nil {
		return nil, article.Errorf(name, 1, "add the missing keys to the seed's front matter by hand, or remove it",
			"cannot add keys to the %s front matter: %v", fr.format, err)
	}
	return out, nil
}

// quote writes s as a double-quoted string that YAML, TOML and JSON all read
// the same way: only " and \ and control characters are escaped.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f || r == utf8.RuneError:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
