// Package feed writes news feeds in the three formats that feed readers
// use: Atom (RFC 4287), RSS 2.0 and JSON Feed 1.1, from one description of
// the feed (Feed) that knows nothing about posts or files.
//
// The formats are written with encoding/xml and encoding/json from typed
// structs, one per element, so every element and attribute that readers
// rely on is under the package's control: xml:lang and <language> on the
// feed, stable ids, publication and update times with their offset, and
// self links. Wrap encloses entry HTML in an element that carries the
// text's direction and language; the caller wraps each entry once, since
// an entry appears in several feeds and formats. Text that XML 1.0 cannot carry (control
// characters) is dropped rather than producing a feed that parsers reject.
//
// AbsoluteURLs rewrites the links and images of an HTML fragment against
// the page it comes from, because a feed reader shows entry content
// outside the site, where relative and host-relative URLs do not work.
package feed

import (
	"html"
	"strings"
	"time"
)

// Feed describes one feed: the site's, or one tag's.
type Feed struct {
	// Title is the feed's name; Subtitle one sentence about it.
	Title, Subtitle string
	// Language is the BCP 47 tag of the content ("ar").
	Language string
	// Home is the absolute URL of the web page the feed follows.
	Home string
	// ID identifies the feed for ever (Atom's feed id); Home when empty.
	ID string
	// Updated is when the feed last changed: the latest update of its
	// entries, so that the same entries give the same bytes.
	Updated time.Time
	// Author is the feed's author (the embassy).
	Author Person
	// Icon is the absolute URL of a small square image; Logo of a larger
	// one. Both may be empty.
	Icon, Logo string
	// Generator names the program that wrote the feed.
	Generator string
	// Entries are the newest entries, newest first.
	Entries []Entry
}

// Person is an author.
type Person struct {
	Name string
	// URL is an absolute URL about the person; may be empty.
	URL string
}

// Category is a tag of an entry.
type Category struct {
	// Term identifies the category (the tag's slug); Label is its name
	// for readers; Scheme is an absolute URL that Term is relative to.
	Term, Label, Scheme string
}

// Entry is one post in a feed.
type Entry struct {
	// ID identifies the entry for ever; it must not change when the
	// title or the text does.
	ID string
	// Title is plain text.
	Title string
	// Link is the absolute URL of the post's page.
	Link string
	// Published is when the post was first published; Updated when it
	// last changed (Published when it never did).
	Published, Updated time.Time
	// Author is the entry's author; the feed's when empty.
	Author Person
	// Summary is a plain-text summary.
	Summary string
	// SummaryHTML is the summary as HTML (absolute URLs); ContentHTML is
	// the whole post as HTML, or "" when the feed carries summaries only.
	// Both are written as they are: wrap them with Wrap.
	SummaryHTML, ContentHTML string
	// Categories are the entry's tags.
	Categories []Category
	// Image is the absolute URL of the entry's main image; may be empty.
	Image string
}

// id returns the feed's id.
func (f *Feed) id() string {
	if f.ID != "" {
		return f.ID
	}
	return f.Home
}

// Wrap encloses entry HTML in a div that carries its direction ("rtl")
// and language ("ar"), so that a reader whose own interface runs left to
// right still lays Arabic text out right to left. Empty HTML stays empty.
func Wrap(inner, dir, lang string) string {
	if inner == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(inner) + 32)
	b.WriteString("<div")
	if dir != "" {
		b.WriteString(` dir="` + html.EscapeString(dir) + `"`)
	}
	if lang != "" {
		b.WriteString(` lang="` + html.EscapeString(lang) + `"`)
	}
	b.WriteString(">")
	b.WriteString(inner)
	b.WriteString("</div>")
	return b.String()
}

// author returns the entry's author, or the feed's.
func (f *Feed) author(e *Entry) Person {
	if e.Author.Name != "" {
		return e.Author
	}
	return f.Author
}

// xmlText removes the characters that XML 1.0 does not allow (C0 controls
// other than tab, newline and carriage return, U+FFFE and U+FFFF; lone
// surrogates cannot occur, Go strings hold U+FFFD instead). It scans
// bytes, not runes: the forbidden characters are single bytes or start
// with 0xEF, and feeds carry megabytes of HTML.
func xmlText(s string) string {
	if !hasNonXML(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if notXMLChar(r) {
			return -1
		}
		return r
	}, s)
}

// hasNonXML reports whether s holds a character that XML 1.0 forbids.
func hasNonXML(s string) bool {
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b < 0x20 && b != '\t' && b != '\n' && b != '\r':
			return true
		case b == 0xEF && i+2 < len(s) && s[i+1] == 0xBF && (s[i+2] == 0xBE || s[i+2] == 0xBF):
			return true
		}
	}
	return false
}

func notXMLChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20:
		return true
	case r == 0xFFFE || r == 0xFFFF:
		return true
	}
	return false
}
