package article

import (
	"bytes"
	"unicode/utf8"
)

// simpleYAML is what yaml.Unmarshal and yamlToJSONish make of raw when
// raw is only lines of the simplest kind, and ok; otherwise ok is false
// and raw goes to yaml.v2 (whose errors say where the YAML is wrong).
// Most front matter is (yaml.v2 was a third of reading a 10,000-article
// site's sources). TestSimpleYAML, TestSimpleYAMLFiles and FuzzSimpleYAML
// hold the two alike. The lines are blank or
//
//	key: "text"
//	key: Plain text
//	key: 2019-11-15  or  key: 2019-11-15T15:40:00Z
//
// where key is a lower-case ASCII word of at most 128 bytes (not one YAML
// reads as a boolean or null), each key is set once, "text" has no \ or " and Plain text begins
// with a letter, ends in neither space nor tab, has no : or # and is not a
// word YAML reads as a boolean or null. Both texts are printable and have
// no character YAML reads as a line break (NEL, U+2028, U+2029) or a byte
// order mark. yaml.v2 gives a date, as any timestamp decoded into an
// interface, as the string written.
func simpleYAML(raw []byte) (m map[string]any, ok bool) {
	for len(raw) > 0 {
		line := raw
		if i := bytes.IndexByte(raw, '\n'); i >= 0 {
			line, raw = raw[:i], raw[i+1:]
		} else {
			raw = nil
		}
		if len(line) == 0 {
			continue
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 || colon > 128 || colon+2 >= len(line) || line[colon+1] != ' ' { // YAML's keys are under 1024 bytes
			return nil, false
		}
		key, val := line[:colon], line[colon+2:]
		for i, c := range key {
			if !('a' <= c && c <= 'z' || c == '_' || i > 0 && '0' <= c && c <= '9') {
				return nil, false
			}
		}
		if yamlWord(key) {
			return nil, false
		}
		var v string
		switch c := val[0]; {
		case c == '"':
			if len(val) < 2 || val[len(val)-1] != '"' || !yamlText(val[1:len(val)-1], "\"\\") {
				return nil, false
			}
			v = string(val[1 : len(val)-1])
		case '0' <= c && c <= '9':
			if !yamlDate(val) {
				return nil, false
			}
			v = string(val)
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			if e := val[len(val)-1]; e == ' ' || e == '\t' || yamlWord(val) || !yamlText(val, ":#\t") {
				return nil, false
			}
			v = string(val)
		default:
			return nil, false
		}
		if m == nil {
			m = make(map[string]any, 8)
		}
		k := string(key)
		if _, dup := m[k]; dup {
			return nil, false
		}
		m[k] = v
	}
	return m, m != nil
}

// yamlText reports whether s is printable text without the bytes of not
// and without the characters YAML reads otherwise.
func yamlText(s []byte, not string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < ' ' || c == 0x7f || bytes.IndexByte([]byte(not), c) >= 0 {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if r < 0xa0 || r == 0x2028 || r == 0x2029 || r == 0xfeff || 0xd800 <= r && r < 0xe000 || r == 0xfffe || r == 0xffff || r == utf8.RuneError {
			return false
		}
		i += n
	}
	return true
}

// yamlWord reports whether YAML 1.1 (yaml.v2) reads the plain word s as
// a boolean or null, in any case.
func yamlWord(s []byte) bool {
	switch string(bytes.ToLower(s)) {
	case "y", "yes", "n", "no", "true", "false", "on", "off", "null":
		return true
	}
	return false
}

// yamlDate reports whether s is 2006-01-02 or 2006-01-02T15:04:05Z.
func yamlDate(s []byte) bool {
	const date, stamp = "0000-00-00", "0000-00-00T00:00:00Z"
	if len(s) != len(date) && len(s) != len(stamp) {
		return false
	}
	for i, c := range s {
		if want := stamp[i]; want == '0' && !('0' <= c && c <= '9') || want != '0' && c != want {
			return false
		}
	}
	return true
}
