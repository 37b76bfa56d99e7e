package markdown

import (
	"strconv"
	"unicode"

	"github.com/yuin/goldmark/ast"

	"github.com/nashra-press/nashra/site/bidi"
)

// IDs generates heading IDs that keep letters of every script, so Arabic
// headings get readable anchors ("#التعاون-الاقتصادي") instead of goldmark's
// default, which drops every non-ASCII letter. IDs are unique per page:
// a repeated heading gets "-1", "-2", … appended. It implements
// goldmark's parser.IDs.
type IDs struct {
	used map[string]bool
}

// NewIDs returns an empty set of IDs, one per converted document.
func NewIDs() *IDs { return &IDs{used: map[string]bool{}} }

// Slugify makes an anchor from heading text: letters and digits of any
// script are kept (Latin lower-cased), Arabic diacritics (tashkeel) and
// tatweel are dropped, runs of spaces, hyphens and underscores become one
// "-", everything else is removed.
func Slugify(s string) string {
	out := make([]rune, 0, len(s))
	dash := false
	for _, r := range s {
		switch {
		case r == 'ـ' || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Cf, r):
			// tatweel, tashkeel and other marks, bidi controls: drop
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && len(out) > 0 {
				out = append(out, '-')
			}
			dash = false
			out = append(out, unicode.ToLower(r))
		case unicode.IsSpace(r) || r == '-' || r == '_':
			dash = true
		}
	}
	return string(out)
}

// Generate returns a unique ID for a heading with the given text.
func (ids *IDs) Generate(value []byte, kind ast.NodeKind) []byte {
	// A language marker ("## Title {lang=en}") is not part of the title.
	text, _ := bidi.TrimMarker(string(value))
	base := Slugify(text)
	if base == "" {
		base = "section"
	}
	id := base
	for i := 1; ids.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	ids.used[id] = true
	return []byte(id)
}

// Put records an ID given by the author, so generated ones avoid it.
func (ids *IDs) Put(value []byte) { ids.used[string(value)] = true }
