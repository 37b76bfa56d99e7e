package site

import (
	"errors"
	"testing"
)

// TestYAMLErrorLines checks the line that a YAML syntax error in front
// matter is reported at, for errors of yaml.v3's parser (which numbers
// lines from 0) and of its scanner (from 1). Each want was read off the
// text by hand: the line a reader has to fix.
func TestYAMLErrorLines(t *testing.T) {
	const offset = 1 // the opening --- line
	for _, c := range []struct {
		name, yaml string
		want       int // line of the front matter, from 1
	}{
		{"unclosed flow sequence", "title: x\ndate: 2024-01-01\nfoo: [1, 2\n", 3},
		{"unclosed flow mapping", "title: x\nfoo: {a: 1\n", 2},
		{"unclosed flow sequence on the first line", "tags: [a, b\ntitle: x\n", 1},
		{"a list item among keys", "title: x\ndate: 2024-01-01\n- item\n", 3},
		{"a key indented under a value (scanner)", "title: x\nsummary: a\n  bad: c\n", 3},
		{"a tab (scanner)", "title: x\n\tdate: 2024-01-01\n", 2},
	} {
		_, err := decodeYAML([]byte(c.yaml), offset)
		var fe *fmError
		if !errors.As(err, &fe) {
			t.Errorf("%s: error %v, want a front matter error", c.name, err)
			continue
		}
		if fe.line != c.want+offset {
			t.Errorf("%s: reported at line %d (%s), want %d", c.name, fe.line, fe.msg, c.want+offset)
		}
	}
}
