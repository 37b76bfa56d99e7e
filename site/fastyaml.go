package site

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// fastYAML decodes the common front matter without yaml.v3: a flat list
// of lines `key: value`, each key a plain identifier at the start of its
// line, each value a double-quoted string on one line, a plain scalar
// from a small safe set, or a flow list [a, "b"] of those. It returns
// exactly the fields decodeYAML would, and ok=false for anything else
// (comments, block lists, quotes over several lines, single quotes,
// anchors and tags, special characters, plain scalars whose type could be
// in doubt, tabs, stray spaces, repeated keys, CR line ends, an empty
// front matter): such text, and all its errors, are left to decodeYAML.
//
// The plain scalars accepted, and why yaml.v3 (v3.0.1, resolve.go) reads
// them the same way:
//   - text starting with an ASCII letter or a non-ASCII character is a
//     string, except the words yaml.v3 or a reader might take for a
//     bool or null (true, false, null, yes, no, on, off, y, n in any
//     case), which fall back; exactly "true" and "false" are bools;
//   - text starting with '/' is a string (resolve gives it no hint);
//   - 0 and decimal integers without a leading zero, of at most 18
//     digits, optionally negative, are int64 (resolve tries a timestamp,
//     which needs four digits then '-', then strconv.ParseInt);
//   - text starting with four digits and '-' (dates and times) is a
//     string: resolve makes it a !!timestamp or a !!str, and decodeYAML
//     keeps the text of both; the '-' after the digits fails every int
//     and float parse.
func fastYAML(data []byte, offset int) (fields []field, ok bool) {
	if len(data) == 0 {
		return nil, false
	}
	// One string for the whole front matter: keys and values are slices
	// of it (the values escape into the post anyway).
	text := string(data)
	lines := 1 + strings.Count(text, "\n")
	fields = make([]field, 0, lines)
	// The positions of scalar values, one each, share an array.
	scalars := make([]position, lines)
	line := 0
	for pos := 0; pos < len(text); {
		end := strings.IndexByte(text[pos:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += pos
		}
		line++
		l := text[pos:end]
		pos = end + 1
		if l == "" {
			continue
		}
		f, valueCol, ok := fastYAMLLine(l, line+offset)
		if !ok {
			return nil, false
		}
		if valueCol > 0 {
			n := len(fields)
			scalars[n] = position{line + offset, valueCol}
			f.items = scalars[n : n+1 : n+1]
		}
		for i := range fields {
			if fields[i].key == f.key {
				return nil, false
			}
		}
		fields = append(fields, f)
	}
	if len(fields) == 0 {
		return nil, false
	}
	return fields, true
}

// fastYAMLLine decodes one line `key: value` (see fastYAML). For a
// scalar value it returns its column and leaves the field's items to the
// caller; for a list, valueCol is 0 and items are set.
func fastYAMLLine(l string, line int) (f field, valueCol int, ok bool) {
	k := 0
	for k < len(l) && (isIdentByte(l[k]) && (k > 0 || l[k] < '0' || l[k] > '9')) {
		k++
	}
	if k == 0 || k > 64 || k+2 >= len(l) || l[k] != ':' || l[k+1] != ' ' {
		return field{}, 0, false
	}
	f = field{key: l[:k], line: line, col: 1}
	rest := l[k+2:]
	col := k + 3
	if rest[0] == '[' {
		items, pos, ok := fastYAMLList(rest, line, col)
		if !ok {
			return field{}, 0, false
		}
		f.value, f.items = items, pos
		return f, 0, true
	}
	v, n, ok := fastYAMLScalar(rest, false)
	if !ok || n != len(rest) {
		return field{}, 0, false
	}
	f.value = v
	return f, col, true
}

// fastYAMLList decodes a flow list `[a, "b"]` that ends the line: items
// separated by a comma and one space, no spaces inside the brackets.
func fastYAMLList(s string, line, col int) ([]any, []position, bool) {
	// s[0] is '['.
	if s == "[]" {
		return []any{}, nil, true
	}
	n := 1 + strings.Count(s, ",") // at least the number of items
	values := make([]any, 0, n)
	items := make([]position, 0, n)
	i := 1
	col++
	for {
		v, n, ok := fastYAMLScalar(s[i:], true)
		if !ok {
			return nil, nil, false
		}
		values = append(values, v)
		items = append(items, position{line, col})
		col += utf8.RuneCountInString(s[i : i+n])
		i += n
		switch {
		case i+1 == len(s) && s[i] == ']':
			return values, items, true
		case i+2 < len(s) && s[i] == ',' && s[i+1] == ' ':
			i += 2
			col += 2
		default:
			return nil, nil, false
		}
	}
}

// fastYAMLScalar decodes the scalar at the start of s: a double-quoted
// string or a safe plain scalar, in a flow list or not. It returns the
// value and the number of bytes it takes.
func fastYAMLScalar(s string, flow bool) (any, int, bool) {
	if s == "" {
		return nil, 0, false
	}
	if s[0] == '"' {
		return fastYAMLQuoted(s)
	}
	n, ok := fastYAMLPlainLen(s, flow)
	if !ok {
		return nil, 0, false
	}
	v, ok := fastYAMLResolve(s[:n])
	return v, n, ok
}

// fastYAMLQuoted decodes a double-quoted string at the start of s, on one
// line, whose only escapes are \" \\ \n and \t.
func fastYAMLQuoted(s string) (any, int, bool) {
	var buf []byte // nil until an escape is met
	start := 1
	for i := 1; i < len(s); {
		c := s[i]
		// Most characters: printable ASCII, and U+00C0–U+07FF (Arabic
		// letters among them), all printable.
		if c >= 0x20 && c < 0x7f && c != '"' && c != '\\' {
			i++
			continue
		}
		if c >= 0xc3 && c <= 0xdf && i+1 < len(s) && s[i+1]&0xc0 == 0x80 {
			i += 2
			continue
		}
		switch {
		case c == '"':
			if buf == nil {
				return s[1:i], i + 1, true
			}
			buf = append(buf, s[start:i]...)
			return string(buf), i + 1, true
		case c == '\\':
			if i+1 >= len(s) {
				return nil, 0, false
			}
			var e byte
			switch s[i+1] {
			case '"':
				e = '"'
			case '\\':
				e = '\\'
			case 'n':
				e = '\n'
			case 't':
				e = '\t'
			default:
				return nil, 0, false
			}
			buf = append(buf, s[start:i]...)
			buf = append(buf, e)
			i += 2
			start = i
		case c < utf8.RuneSelf:
			return nil, 0, false // tabs and control characters
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if !yamlPrintable(r, size) {
				return nil, 0, false
			}
			i += size
		}
	}
	return nil, 0, false // not closed on this line
}

// yamlPrintable reports whether a decoded non-ASCII rune is one yaml.v3
// reads as an ordinary character: printable, and neither a line break
// (NEL, LS, PS) nor a byte order mark.
func yamlPrintable(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return false
	case r < 0xA0, r == 0x2028, r == 0x2029, r == 0xFEFF:
		return false
	case r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
		return false
	}
	return true
}

// fastYAMLPlainLen returns the length of the plain scalar at the start
// of s when every character of it is safe: ASCII letters, digits and
// _ . / + -, non-ASCII letters, marks, numbers and punctuation, single
// spaces between them and (outside flow lists) ':' followed by a digit.
// Outside a flow list it must take all of s; in one it ends at ',' or ']'.
// It starts with a letter, a digit, '/', a non-ASCII character or a '-'
// followed by a digit.
func fastYAMLPlainLen(s string, flow bool) (int, bool) {
	switch c := s[0]; {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '/', c >= utf8.RuneSelf:
	case c == '-' && len(s) > 1 && s[1] >= '0' && s[1] <= '9':
	default:
		return 0, false
	}
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9',
			c == '_', c == '.', c == '/', c == '+', c == '-':
			i++
		case c == ':' && !flow && i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9':
			i++
		case c == ' ' && i+1 < len(s) && s[i-1] != ' ' && s[i+1] != ' ' && s[i+1] != ',' && s[i+1] != ']':
			i++
		case flow && (c == ',' || c == ']'):
			return i, true
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 || !yamlPrintable(r, size) ||
				!unicode.IsLetter(r) && !unicode.IsMark(r) && !unicode.IsNumber(r) && !unicode.IsPunct(r) {
				return 0, false
			}
			i += size
		default:
			return 0, false
		}
	}
	if flow {
		return 0, false // the list is not closed
	}
	return i, true
}

// fastYAMLResolve gives a safe plain scalar its value, as yaml.v3 and
// yamlValue do, or ok=false when in doubt (see fastYAML).
func fastYAMLResolve(s string) (any, bool) {
	switch c := s[0]; {
	case c == '/' || c >= utf8.RuneSelf:
		return s, true
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		switch s {
		case "true":
			return true, true
		case "false":
			return false, true
		}
		if len(s) <= 5 && ambiguousWord(s) {
			return nil, false
		}
		return s, true
	}
	// A digit, or '-' and a digit.
	if len(s) > 4 && s[4] == '-' && allDigits(s[:4]) {
		return s, true
	}
	digits := s
	if digits[0] == '-' {
		digits = digits[1:]
	}
	if len(digits) == 0 || len(digits) > 18 || !allDigits(digits) ||
		digits[0] == '0' && (len(digits) > 1 || len(s) > 1) {
		return nil, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return nil, false
	}
	return n, true
}

// ambiguousWord reports whether s, in any case, is a word YAML 1.1 or
// 1.2 reads as a bool or null.
func ambiguousWord(s string) bool {
	var b [5]byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	switch string(b[:len(s)]) {
	case "true", "false", "null", "yes", "no", "on", "off", "y", "n":
		return true
	}
	return false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isIdentByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}
