package output

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"unicode/utf8"
)

// The manifest is JSON that encoding/json reads, but it is written and
// read by hand, one entry per line: at 17,000 files, encoding/json took
// about 80 ms to read it and 35 ms to write it, on every build.
//
//	{"generator":"nashra",
//	"files":{
//	"404.html":"5d41402abc4b2a76b9719d911017c592",
//	...
//	},
//	"stamps":{
//	"404.html":[1234,2812],
//	...
//	}}
//
// decodeManifest reads that layout directly and anything else (a manifest
// written by an older nashra, or edited) with encoding/json.

// encodeManifest writes m in the layout above, keys sorted, so the same
// build gives the same bytes.
func encodeManifest(m manifest) []byte {
	keys := make([]string, 0, len(m.Files))
	size := 64
	for k, h := range m.Files {
		keys = append(keys, k)
		size += 2*len(k) + len(h) + 40
	}
	sort.Strings(keys)
	b := make([]byte, 0, size)
	b = append(b, `{"generator":`...)
	b = appendJSONString(b, m.Generator)
	b = append(b, ",\n\"files\":{\n"...)
	for i, k := range keys {
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSONString(b, m.Files[k])
		if i < len(keys)-1 {
			b = append(b, ',')
		}
		b = append(b, '\n')
	}
	b = append(b, "},\n\"stamps\":{\n"...)
	first := true
	for _, k := range keys {
		st, ok := m.Stamps[k]
		if !ok {
			continue
		}
		if !first {
			b = append(b, ",\n"...)
		}
		first = false
		b = appendJSONString(b, k)
		b = append(b, ":["...)
		b = strconv.AppendInt(b, st[0], 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, st[1], 10)
		b = append(b, ']')
	}
	if !first {
		b = append(b, '\n')
	}
	return append(b, "}}\n"...)
}

// appendJSONString appends s as encoding/json writes it: strings that need
// no escaping (almost all paths and every hash) are copied as they are.
func appendJSONString(b []byte, s string) []byte {
	if plainJSON(s) {
		b = append(b, '"')
		b = append(b, s...)
		return append(b, '"')
	}
	q, _ := json.Marshal(s) // a string always encodes
	return append(b, q...)
}

// plainJSON reports whether encoding/json writes s between quotes as it
// is: valid UTF-8 without control characters, quotes, backslashes, the
// characters it escapes for HTML (<, >, &) or U+2028 and U+2029.
func plainJSON(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += n
	}
	return true
}

// decodeManifest reads a manifest: the layout encodeManifest writes
// directly, anything else with encoding/json.
func decodeManifest(data []byte) (manifest, error) {
	if m, ok := decodeManifestLines(data); ok {
		return m, nil
	}
	var m manifest
	err := json.Unmarshal(data, &m)
	return m, err
}

// decodeManifestLines reads the layout that encodeManifest writes; ok is
// false for anything else, however slightly different.
func decodeManifestLines(data []byte) (m manifest, ok bool) {
	rest := data
	line := func() []byte {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			l := rest
			rest = nil
			return l
		}
		l := rest[:i]
		rest = rest[i+1:]
		return l
	}
	head := line()
	if !bytes.HasPrefix(head, []byte(`{"generator":`)) {
		return m, false
	}
	gen, tail, ok := cutString(head[len(`{"generator":`):])
	if !ok || string(tail) != "," {
		return m, false
	}
	if string(line()) != `"files":{` {
		return m, false
	}
	m.Generator = gen
	m.Files = make(map[string]string, bytes.Count(rest, []byte("\n"))/2)
	for {
		l := line()
		if string(l) == "}," {
			break
		}
		k, tail, ok := cutString(l)
		if !ok || len(tail) < 1 || tail[0] != ':' {
			return m, false
		}
		h, tail, ok := cutString(tail[1:])
		if !ok || !(len(tail) == 0 || string(tail) == ",") {
			return m, false
		}
		if _, dup := m.Files[k]; dup {
			return m, false // encoding/json keeps the last; leave it that rule
		}
		m.Files[k] = h
		if len(tail) == 0 {
			if string(line()) != "}," {
				return m, false
			}
			break
		}
	}
	if string(line()) != `"stamps":{` {
		return m, false
	}
	m.Stamps = make(map[string][2]int64, len(m.Files))
	for {
		l := line()
		if string(l) == "}}" {
			break
		}
		k, tail, ok := cutString(l)
		if !ok || !bytes.HasPrefix(tail, []byte(":[")) {
			return m, false
		}
		tail = tail[2:]
		comma := bytes.IndexByte(tail, ',')
		end := bytes.IndexByte(tail, ']')
		if comma < 0 || end < comma {
			return m, false
		}
		ino, err1 := strconv.ParseInt(string(tail[:comma]), 10, 64)
		size, err2 := strconv.ParseInt(string(tail[comma+1:end]), 10, 64)
		if err1 != nil || err2 != nil || !canonicalInt(tail[:comma]) || !canonicalInt(tail[comma+1:end]) {
			return m, false
		}
		if _, dup := m.Stamps[k]; dup {
			return m, false
		}
		m.Stamps[k] = [2]int64{ino, size}
		switch string(tail[end+1:]) {
		case ",":
			continue
		case "":
			if string(line()) != "}}" {
				return m, false
			}
		default:
			return m, false
		}
		break
	}
	if len(m.Stamps) == 0 {
		m.Stamps = nil
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return m, false
	}
	return m, true
}

// cutString reads the JSON string at the start of b and returns it and
// what follows; ok is false for a string with escapes (left to
// encoding/json) or that encoding/json would read differently.
func cutString(b []byte) (s string, rest []byte, ok bool) {
	if len(b) < 2 || b[0] != '"' {
		return "", nil, false
	}
	end := bytes.IndexByte(b[1:], '"') + 1
	if end <= 0 {
		return "", nil, false
	}
	raw := b[1:end]
	for _, c := range raw {
		if c < 0x20 || c == '\\' {
			return "", nil, false
		}
	}
	if !utf8.Valid(raw) {
		return "", nil, false // encoding/json replaces bad bytes
	}
	return string(raw), b[end+1:], true
}

// canonicalInt reports whether b is an integer as strconv writes it, so
// that the fast reader accepts no number encoding/json would read
// differently.
func canonicalInt(b []byte) bool {
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	return len(b) > 0 && (b[0] != '0' || len(b) == 1)
}
