package feed

import (
	"encoding/xml"
	"time"
)

// RSSType is the media type of an RSS feed.
const RSSType = "application/rss+xml"

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	Content string     `xml:"xmlns:content,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	LastBuildDate string    `xml:"lastBuildDate"`
	Generator     string    `xml:"generator,omitempty"`
	Docs          string    `xml:"docs"`
	Self          rssSelf   `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

// rssSelf is the channel's atom:link rel="self", which RSS itself lacks.
type rssSelf struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	ID          string `xml:",chardata"`
}

type rssCateg struct {
	Domain string `xml:"domain,attr,omitempty"`
	Name   string `xml:",chardata"`
}

type rssCDATA struct {
	HTML string `xml:",cdata"`
}

type rssItem struct {
	Title       string     `xml:"title"`
	Link        string     `xml:"link"`
	GUID        rssGUID    `xml:"guid"`
	PubDate     string     `xml:"pubDate"`
	Creator     string     `xml:"dc:creator,omitempty"`
	Categories  []rssCateg `xml:"category"`
	Description *rssCDATA  `xml:"description,omitempty"`
	Content     *rssCDATA  `xml:"content:encoded,omitempty"`
}

// rssTime formats a time as RFC 822 with a four-digit year and a numeric
// offset, the form RSS 2.0 asks for.
func rssTime(t time.Time) string { return t.Format(time.RFC1123Z) }

// RSS writes the feed as RSS 2.0; self is the feed's own absolute URL.
// The summary goes in <description> and the whole post in
// <content:encoded>, as most readers expect.
func (f *Feed) RSS(self string) ([]byte, error) {
	desc := f.Subtitle
	if desc == "" {
		desc = f.Title
	}
	doc := rssDoc{
		Version: "2.0",
		Atom:    "http://www.w3.org/2005/Atom",
		Content: "http://purl.org/rss/1.0/modules/content/",
		DC:      "http://purl.org/dc/elements/1.1/",
		Channel: rssChannel{
			Title:         xmlText(f.Title),
			Link:          f.Home,
			Description:   xmlText(desc),
			Language:      f.Language,
			LastBuildDate: rssTime(f.Updated),
			Generator:     f.Generator,
			Self:          rssSelf{Href: self, Rel: "self", Type: RSSType},
			Docs:          "https://www.rssboard.org/rss-specification",
		},
	}
	for i := range f.Entries {
		e := &f.Entries[i]
		it := rssItem{
			Title:   xmlText(e.Title),
			Link:    e.Link,
			GUID:    rssGUID{IsPermaLink: "false", ID: e.ID},
			PubDate: rssTime(e.Published),
		}
		if e.ID == e.Link {
			// Readers may then open the guid as the post's address.
			it.GUID.IsPermaLink = "true"
		}
		if p := f.author(e); p.Name != "" {
			it.Creator = xmlText(p.Name)
		}
		for _, c := range e.Categories {
			it.Categories = append(it.Categories, rssCateg{Domain: c.Scheme, Name: xmlText(c.Label)})
		}
		if s := e.SummaryHTML; s != "" {
			it.Description = &rssCDATA{HTML: xmlText(s)}
		}
		if c := e.ContentHTML; c != "" {
			it.Content = &rssCDATA{HTML: xmlText(c)}
		}
		doc.Channel.Items = append(doc.Channel.Items, it)
	}
	return encodeXML(doc, f.sizeHint())
}
