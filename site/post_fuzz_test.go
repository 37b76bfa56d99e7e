package site

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParsePost feeds arbitrary bytes to the post parser: it must never
// panic, and every message it produces is valid UTF-8 with a position
// inside the file.
func FuzzParsePost(f *testing.F) {
	seeds := []string{
		"---\ntitle: \"خبر\"\ndate: 2024-12-17\ntags: [CICA]\n---\nنص.\n",
		"+++\ntitle = \"خبر\"\ndate = 2024-12-17\n+++\nنص\n",
		"{\n\"title\": \"خبر\", \"date\": \"2024-12-17\"\n}\n\nنص\n",
		"---\ntitle: \"\n---\n",
		"---\n- a\n- b\n---\n",
		"---\ntags: {a: b}\ndraft: maybe\n---\n",
		"\xff\xfe\x00",
		"",
	}
	for _, s := range seeds {
		f.Add(s)
	}
	cfg := DefaultConfig()
	cfg.finish()
	f.Fuzz(func(t *testing.T, src string) {
		p, diags := parsePost("posts/fuzz.md", []byte(src), contentHash([]byte(src)), &cfg, nil)
		lines := strings.Count(src, "\n") + 2
		for _, d := range diags {
			if !utf8.ValidString(d.Msg) || !utf8.ValidString(d.Hint) {
				t.Errorf("invalid UTF-8 in %q", d.Error())
			}
			if d.Line < 0 || d.Line > lines {
				t.Errorf("line %d outside the file (%d lines): %s", d.Line, lines, d.Error())
			}
		}
		if p != nil && len(diags.Errors()) == 0 && (p.Title == "" || p.Date.IsZero()) {
			t.Errorf("post without title or date accepted: %+v", p)
		}
	})
}
