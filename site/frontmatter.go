package site

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/adrg/frontmatter"
	"gopkg.in/yaml.v3"
)

// rawFrontMatter is what adrg/frontmatter found: the format and the text
// between the delimiters. Decoding is ours, so that every key keeps its
// line and column for error messages.
type rawFrontMatter struct {
	format string
	data   []byte
}

// frontMatterFormats are the delimiters nashra accepts, the same as
// adrg/frontmatter's defaults: YAML (---), TOML (+++) and JSON ({ …
// followed by a blank line, or ;;; delimiters). adrg/frontmatter takes
// the first format whose opening line is the file's first non-blank
// line, so when first is one of them only that format is made; else all.
func frontMatterFormats(first []byte) []*frontmatter.Format {
	capture := func(format string) frontmatter.UnmarshalFunc {
		return func(data []byte, v any) error {
			raw := v.(*rawFrontMatter)
			raw.format, raw.data = format, data
			return nil
		}
	}
	specs := [...]struct{ start, end, format string }{
		{"---", "---", "yaml"},
		{"---yaml", "---", "yaml"},
		{"+++", "+++", "toml"},
		{"---toml", "---", "toml"},
		{";;;", ";;;", "json"},
		{"---json", "---", "json"},
		{"{", "}", "json"},
	}
	newFormat := func(i int) *frontmatter.Format {
		s := specs[i]
		if s.start == "{" {
			return &frontmatter.Format{Start: "{", End: "}", Unmarshal: capture("json"), UnmarshalDelims: true, RequiresNewLine: true}
		}
		return frontmatter.NewFormat(s.start, s.end, capture(s.format))
	}
	for i := range specs {
		if string(first) == specs[i].start {
			return []*frontmatter.Format{newFormat(i)}
		}
	}
	all := make([]*frontmatter.Format, 0, len(specs))
	for i := range specs {
		all = append(all, newFormat(i))
	}
	return all
}

// readerOf returns a reader of data: br reset to it, if there is one.
// adrg/frontmatter wraps what it is given in bufio.NewReader, which
// returns a *bufio.Reader of at least its default size as it is; the
// library copies what it reads (ReadBytes), so nothing it returns refers
// to br's buffer.
func readerOf(data []byte, br *bufio.Reader) io.Reader {
	if br == nil {
		return bytes.NewReader(data)
	}
	br.Reset(bytes.NewReader(data))
	return br
}

// field is one front matter key with its value and position in the file.
type field struct {
	key       string
	value     any // string, bool, int64, float64, []any, map[string]any or nil
	line, col int
	// items holds the positions of list elements, when known.
	items []position
}

type position struct{ line, col int }

// fmError is a front matter problem at a position in the file.
type fmError struct {
	line, col int
	msg, hint string
}

func (e *fmError) Error() string { return e.msg }

// splitFrontMatter separates front matter from the body. offset is the
// number of lines before the front matter text (so its line 1 is file line
// offset+1), bodyLine the file line where the body starts.
//
// br, when not nil, is a reader of at least bufio's default size that
// adrg/frontmatter uses instead of allocating its own (4 KB per call):
// the loader passes one per worker.
func splitFrontMatter(data []byte, br *bufio.Reader) (raw rawFrontMatter, body []byte, offset, bodyLine int, err error) {
	// adrg/frontmatter copies everything after the front matter, line by
	// line; hand it only the head of the file, up to the first line that
	// can close a front matter (and, for JSON front matter opened with {,
	// the line after it, which must be empty). It stops at that same line.
	first := firstNonBlankLine(data)
	head := data[:frontMatterHeadEnd(data, string(first) == "{")]
	rest, err := frontmatter.Parse(readerOf(head, br), &raw, frontMatterFormats(first)...)
	if err == nil && raw.format == "" && len(head) < len(data) {
		// Not closed within the head (a JSON object with nested braces
		// on lines of their own, a YAML block text with a line +++):
		// let the library read it all.
		head = data
		rest, err = frontmatter.Parse(readerOf(head, br), &raw, frontMatterFormats(first)...)
	}
	body = data[len(head)-len(rest):]
	if err != nil {
		return raw, nil, 0, 0, &fmError{line: 1, msg: "cannot read the front matter: " + err.Error()}
	}
	if raw.format == "" {
		first := firstLine(data)
		switch first {
		case "---", "+++", ";;;", "---yaml", "---toml", "---json":
			end := first
			if strings.HasPrefix(first, "---") {
				end = "---"
			}
			return raw, nil, 0, 0, &fmError{line: firstLineNumber(data), col: 1,
				msg:  fmt.Sprintf("the front matter opened with %q is never closed", first),
				hint: fmt.Sprintf("add a line with just %s after the last key, before the text of the post", end)}
		case "{":
			return raw, nil, 0, 0, &fmError{line: firstLineNumber(data), col: 1,
				msg:  "the JSON front matter is never closed",
				hint: "end it with a line holding just } followed by an empty line"}
		}
		return raw, nil, 0, 0, &fmError{line: 1, col: 1,
			msg:  "the post has no front matter",
			hint: "start the file with a line ---, then title: and date:, then a line ---"}
	}
	if i := bytes.Index(data, raw.data); i >= 0 {
		offset = bytes.Count(data[:i], []byte{'\n'})
	}
	bodyLine = bytes.Count(data[:len(data)-len(body)], []byte{'\n'}) + 1
	return raw, body, offset, bodyLine, nil
}

// frontMatterHeadEnd returns the length of the head of data that holds
// its front matter: through the first later line that is a closing
// delimiter (---, +++, ;;; or }), and the line after it when next is set;
// or all of data. A head that ends early only makes adrg/frontmatter miss
// the closing line; splitFrontMatter then gives it all of data.
func frontMatterHeadEnd(data []byte, next bool) int {
	i := bytes.IndexByte(data, '\n')
	if i < 0 {
		return len(data)
	}
	// Skip leading blank lines as adrg/frontmatter does.
	for len(bytes.TrimSpace(data[:i])) == 0 {
		j := bytes.IndexByte(data[i+1:], '\n')
		if j < 0 {
			return len(data)
		}
		i += 1 + j
	}
	for pos := i + 1; pos < len(data); {
		end := bytes.IndexByte(data[pos:], '\n')
		if end < 0 {
			return len(data)
		}
		line := bytes.TrimSpace(data[pos : pos+end])
		pos += end + 1
		if len(line) == 3 && (string(line) == "---" || string(line) == "+++" || string(line) == ";;;") ||
			len(line) == 1 && line[0] == '}' {
			if !next {
				return pos
			}
			if n := bytes.IndexByte(data[pos:], '\n'); n >= 0 {
				return pos + n + 1
			}
			return len(data)
		}
	}
	return len(data)
}

// firstNonBlankLine returns the first line of data that is not blank,
// trimmed, as adrg/frontmatter compares it with the opening delimiters.
func firstNonBlankLine(data []byte) []byte {
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if t := bytes.TrimSpace(line); len(t) > 0 {
			return t
		}
	}
	return nil
}

func firstLine(data []byte) string {
	for _, l := range strings.Split(string(data), "\n") {
		if t := strings.TrimSpace(l); t != "" {
			return t
		}
	}
	return ""
}

func firstLineNumber(data []byte) int {
	for i, l := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(l) != "" {
			return i + 1
		}
	}
	return 1
}

// decodeFrontMatter parses the front matter text into fields, in the
// order they are written.
func decodeFrontMatter(raw rawFrontMatter, offset int) ([]field, error) {
	switch raw.format {
	case "yaml":
		if fields, ok := fastYAML(raw.data, offset); ok {
			return fields, nil
		}
		return decodeYAML(raw.data, offset)
	case "toml":
		return decodeTOML(raw.data, offset)
	default:
		return decodeJSON(raw.data, offset)
	}
}

func decodeYAML(data []byte, offset int) ([]field, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line, msg := yamlErrorLine(err)
		if line > 0 {
			line += offset
		}
		if l := unclosedQuoteLine(data); l > 0 {
			return nil, &fmError{line: l + offset, msg: "YAML syntax error in the front matter: a quotation mark is opened on this line and never closed",
				hint: `end the text with the same quote it starts with: title: "…"`}
		}
		if l := unclosedBracketLine(data, msg); l > 0 {
			// yaml.v3 points at where it gave up, often the next key.
			line = l + offset
		}
		return nil, &fmError{line: line, msg: "YAML syntax error in the front matter: " + msg,
			hint: "check that line: each key is followed by a colon and a space, and text with a colon inside is in double quotes"}
	}
	if len(root.Content) == 0 {
		return nil, nil
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return nil, &fmError{line: doc.Line + offset, col: doc.Column, msg: "the front matter must be a list of `key: value` lines",
			hint: "write for example title: \"…\" and date: 2024-12-17 on lines of their own"}
	}
	var fields []field
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		f := field{key: k.Value, value: yamlValue(v), line: k.Line + offset, col: k.Column}
		if v.Kind == yaml.SequenceNode {
			for _, item := range v.Content {
				f.items = append(f.items, position{item.Line + offset, item.Column})
			}
		} else {
			f.items = []position{{v.Line + offset, v.Column}}
		}
		fields = append(fields, f)
	}
	return fields, nil
}

func yamlValue(n *yaml.Node) any {
	switch n.Kind {
	case yaml.AliasNode:
		return yamlValue(n.Alias)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			out = append(out, yamlValue(c))
		}
		return out
	case yaml.MappingNode:
		out := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			out[n.Content[i].Value] = yamlValue(n.Content[i+1])
		}
		return out
	}
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int":
		if i, err := strconv.ParseInt(n.Value, 0, 64); err == nil {
			return i
		}
	case "!!float":
		var f float64
		if n.Decode(&f) == nil {
			return f
		}
	}
	return n.Value
}

var tomlLineRe = regexp.MustCompile(`line (\d+)`)

func decodeTOML(data []byte, offset int) ([]field, error) {
	var m map[string]any
	md, err := toml.Decode(string(data), &m)
	if err != nil {
		line := 0
		var pe toml.ParseError
		if errors.As(err, &pe) {
			line = pe.Position.Line
		} else if sm := tomlLineRe.FindStringSubmatch(err.Error()); sm != nil {
			line, _ = strconv.Atoi(sm[1])
		}
		msg := err.Error()
		if errors.As(err, &pe) {
			msg = pe.Message
		}
		if line > 0 {
			line += offset
		}
		return nil, &fmError{line: line, msg: "TOML syntax error in the front matter: " + msg,
			hint: `write each key as key = value, with text in double quotes: title = "…"`}
	}
	var fields []field
	seen := map[string]bool{}
	for _, k := range md.Keys() {
		if len(k) != 1 || seen[k[0]] {
			continue
		}
		seen[k[0]] = true
		line, col := keyPosition(data, k[0], offset, "toml")
		fields = append(fields, field{key: k[0], value: tomlValue(m[k[0]]), line: line, col: col, items: []position{{line, col}}})
	}
	return fields, nil
}

func tomlValue(v any) any {
	switch v := v.(type) {
	case time.Time:
		// BurntSushi/toml marks dates and times written without an offset
		// with these zone names; keep them local to the site's zone.
		switch v.Location().String() {
		case "date-local":
			return v.Format("2006-01-02")
		case "datetime-local":
			return v.Format("2006-01-02T15:04:05")
		case "time-local":
			return v.Format("15:04:05")
		}
		return v.Format(time.RFC3339)
	case []any:
		out := make([]any, len(v))
		for i := range v {
			out[i] = tomlValue(v[i])
		}
		return out
	case []map[string]any:
		out := make([]any, len(v))
		for i := range v {
			out[i] = v[i]
		}
		return out
	}
	return v
}

func decodeJSON(data []byte, offset int) ([]field, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		line := 0
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line = bytes.Count(data[:min(int(se.Offset), len(data))], []byte{'\n'}) + 1 + offset
		}
		return nil, &fmError{line: line, msg: "JSON syntax error in the front matter: " + err.Error(),
			hint: `write it as {"title": "…", "date": "2024-12-17"} with a comma between entries and none after the last`}
	}
	var fields []field
	for k, v := range m {
		line, col := keyPosition(data, k, offset, "json")
		fields = append(fields, field{key: k, value: jsonValue(v), line: line, col: col, items: []position{{line, col}}})
	}
	sort.Slice(fields, func(i, j int) bool {
		return fields[i].line < fields[j].line || fields[i].line == fields[j].line && fields[i].key < fields[j].key
	})
	return fields, nil
}

func jsonValue(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := v.Int64(); err == nil {
			return i
		}
		f, _ := v.Float64()
		return f
	case []any:
		for i := range v {
			v[i] = jsonValue(v[i])
		}
		return v
	}
	return v
}

// keyPosition finds the line where a top-level key is written (TOML and
// JSON decoders do not report it).
func keyPosition(data []byte, key string, offset int, format string) (int, int) {
	for i, line := range strings.Split(string(data), "\n") {
		trimmed := strings.TrimLeft(line, " \t")
		col := len([]rune(line[:len(line)-len(trimmed)])) + 1
		var match bool
		if format == "json" {
			trimmed = strings.TrimLeft(trimmed, "{ \t")
			col = len([]rune(line[:len(line)-len(trimmed)])) + 1
			match = strings.HasPrefix(trimmed, strconv.Quote(key))
		} else {
			rest, ok := strings.CutPrefix(trimmed, key)
			if !ok {
				rest, ok = strings.CutPrefix(trimmed, strconv.Quote(key))
			}
			match = ok && strings.HasPrefix(strings.TrimLeft(rest, " \t"), "=")
		}
		if match {
			return i + 1 + offset, col
		}
	}
	return offset + 1, 0
}

// unclosedQuoteLine finds the first line whose value opens a double or
// single quote that the line does not close (a common slip that YAML
// reports only at the end of the front matter).
func unclosedQuoteLine(data []byte) int {
	for i, line := range strings.Split(string(data), "\n") {
		_, value, ok := strings.Cut(line, ":")
		value = strings.TrimSpace(value)
		if !ok || value == "" {
			continue
		}
		q := value[0]
		if (q == '"' || q == '\'') && (len(value) == 1 || value[len(value)-1] != q) {
			return i + 1
		}
	}
	return 0
}

// unclosedBracketLine returns the line (from 1) where a [ list or a { map
// opens and is never closed, when msg is yaml.v3's problem for one, or 0.
// Brackets inside quotes do not count.
func unclosedBracketLine(data []byte, msg string) int {
	var open, close byte
	switch msg {
	case "did not find expected ',' or ']'":
		open, close = '[', ']'
	case "did not find expected ',' or '}'":
		open, close = '{', '}'
	default:
		return 0
	}
	depth, start := 0, 0
	for i, line := range strings.Split(string(data), "\n") {
		var quote byte
		for j := 0; j < len(line); j++ {
			switch c := line[j]; {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '#' && (j == 0 || line[j-1] == ' '):
				j = len(line) // a comment
			case c == open:
				if depth == 0 {
					start = i + 1
				}
				depth++
			case c == close && depth > 0:
				depth--
			}
		}
	}
	if depth > 0 {
		return start
	}
	return 0
}
