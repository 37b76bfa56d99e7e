package feed

import (
	"bytes"
	"encoding/xml"
	"time"
)

// AtomType is the media type of an Atom feed.
const AtomType = "application/atom+xml"

type atomFeed struct {
	XMLName   xml.Name       `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string         `xml:"xml:lang,attr,omitempty"`
	ID        string         `xml:"id"`
	Title     atomText       `xml:"title"`
	Subtitle  *atomText      `xml:"subtitle,omitempty"`
	Updated   string         `xml:"updated"`
	Links     []atomLink     `xml:"link"`
	Author    *atomPerson    `xml:"author,omitempty"`
	Generator *atomGenerator `xml:"generator,omitempty"`
	Icon      string         `xml:"icon,omitempty"`
	Logo      string         `xml:"logo,omitempty"`
	Entries   []atomEntry    `xml:"entry"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Text string `xml:",chardata"`
}

// atomHTML is a text construct of type html, written as CDATA so the
// markup stays readable in the file.
type atomHTML struct {
	Type string `xml:"type,attr"`
	HTML string `xml:",cdata"`
}

type atomLink struct {
	Rel   string `xml:"rel,attr,omitempty"`
	Type  string `xml:"type,attr,omitempty"`
	Href  string `xml:"href,attr"`
	Title string `xml:"title,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomGenerator struct {
	Name string `xml:",chardata"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr,omitempty"`
	Label  string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Links      []atomLink     `xml:"link"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Author     *atomPerson    `xml:"author,omitempty"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomHTML      `xml:"summary,omitempty"`
	Content    *atomHTML      `xml:"content,omitempty"`
}

// atomTime formats a time as RFC 3339 with its own offset.
func atomTime(t time.Time) string { return t.Format(time.RFC3339) }

// Atom writes the feed as Atom 1.0; self is the feed's own absolute URL.
func (f *Feed) Atom(self string) ([]byte, error) {
	a := atomFeed{
		Lang:    f.Language,
		ID:      f.id(),
		Title:   atomText{Type: "text", Text: xmlText(f.Title)},
		Updated: atomTime(f.Updated),
		Links: []atomLink{
			{Rel: "self", Type: AtomType, Href: self},
			{Rel: "alternate", Type: "text/html", Href: f.Home},
		},
		Icon: f.Icon,
		Logo: f.Logo,
	}
	if f.Subtitle != "" {
		a.Subtitle = &atomText{Type: "text", Text: xmlText(f.Subtitle)}
	}
	if f.Author.Name != "" {
		a.Author = &atomPerson{Name: xmlText(f.Author.Name), URI: f.Author.URL}
	}
	if f.Generator != "" {
		a.Generator = &atomGenerator{Name: f.Generator}
	}
	for i := range f.Entries {
		e := &f.Entries[i]
		ae := atomEntry{
			ID:        e.ID,
			Title:     atomText{Type: "text", Text: xmlText(e.Title)},
			Links:     []atomLink{{Rel: "alternate", Type: "text/html", Href: e.Link}},
			Published: atomTime(e.Published),
			Updated:   atomTime(e.Updated),
		}
		// Every entry names its author, so that an entry copied out of
		// the feed (atom:source aside) still has one.
		if p := f.author(e); p.Name != "" {
			ae.Author = &atomPerson{Name: xmlText(p.Name), URI: p.URL}
		}
		for _, c := range e.Categories {
			ae.Categories = append(ae.Categories, atomCategory{Term: xmlText(c.Term), Scheme: c.Scheme, Label: xmlText(c.Label)})
		}
		if s := e.SummaryHTML; s != "" {
			ae.Summary = &atomHTML{Type: "html", HTML: xmlText(s)}
		}
		if c := e.ContentHTML; c != "" {
			ae.Content = &atomHTML{Type: "html", HTML: xmlText(c)}
		}
		a.Entries = append(a.Entries, ae)
	}
	return encodeXML(a, f.sizeHint())
}

// sizeHint estimates the size of the encoded feed, so its buffer is
// allocated once.
func (f *Feed) sizeHint() int {
	n := 2048
	for i := range f.Entries {
		e := &f.Entries[i]
		n += 1024 + len(e.Title) + len(e.Summary) + len(e.SummaryHTML) + len(e.ContentHTML)
	}
	return n
}

// encodeXML writes v as an indented XML document with its declaration.
func encodeXML(v any, size int) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(size)
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}
