package site

import (
	"bytes"
	"testing"

	"github.com/adrg/frontmatter"
)

// FuzzSplitFrontMatter checks that splitFrontMatter, which hands
// adrg/frontmatter only the head of the file and only the format its
// first line opens, finds what the library finds in the whole file with
// every format. JSON opened with { is left out: its head keeps the line
// after the closing }, and when that line is the head's last and holds
// another }, the library takes the end of the head for the blank line it
// needs (harmless: the body then starts with that blank line).
func FuzzSplitFrontMatter(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: x\n---\nbody\n", "\n \n---\ntitle: x\n---", "---\ntitle: |\n  +++\n---\nbody\n",
		"---\na: 1\n}\n---\nb\n", "+++\ntitle = \"x\"\n+++\n\nbody", "{\n\"a\": {\n}\n}\n\nbody\n",
		"{\n\"title\": \"x\"\n}\nnot blank\n}\n\nbody", ";;;\n{\"a\": 1}\n;;;\nbody", "---json\n{}\n---\n",
		"---toml\na = 1\n---\n", "---yaml\na: 1\n---\n", "---\nno end\n", "plain text\n---\n", "",
		"---\r\na: 1\r\n---\r\nbody\r\n", " --- \na: 1\n --- \nbody", "---\n---\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if string(firstNonBlankLine(data)) == "{" {
			return
		}
		var want rawFrontMatter
		wantRest, wantErr := frontmatter.Parse(bytes.NewReader(data), &want, frontMatterFormats(nil)...)
		raw, body, _, _, err := splitFrontMatter(data, nil)
		if wantErr != nil || want.format == "" {
			if err == nil {
				t.Fatalf("%q: split found %q, the library nothing", data, raw.format)
			}
			return
		}
		if err != nil || raw.format != want.format || !bytes.Equal(raw.data, want.data) || !bytes.Equal(body, wantRest) {
			t.Fatalf("%q: split gives %q %q body %q (%v), the library %q %q body %q",
				data, raw.format, raw.data, body, err, want.format, want.data, wantRest)
		}
	})
}
