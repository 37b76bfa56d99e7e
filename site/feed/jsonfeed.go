package feed

import (
	"bytes"
	"encoding/json"
	"time"
)

// JSONType is the media type of a JSON Feed.
const JSONType = "application/feed+json"

type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url"`
	FeedURL     string       `json:"feed_url"`
	Description string       `json:"description,omitempty"`
	Icon        string       `json:"icon,omitempty"`
	Favicon     string       `json:"favicon,omitempty"`
	Language    string       `json:"language,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Items       []jsonItem   `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	Title         string       `json:"title"`
	ContentHTML   string       `json:"content_html"`
	Summary       string       `json:"summary,omitempty"`
	Image         string       `json:"image,omitempty"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
}

// JSON writes the feed as JSON Feed 1.1; self is the feed's own absolute
// URL. An item's content_html is the whole post, or its summary when the
// feed carries summaries only (JSON Feed requires content). Control
// characters are dropped from HTML as in the XML formats, so that every
// format carries the same content.
func (f *Feed) JSON(self string) ([]byte, error) {
	jf := jsonFeed{
		Version:     "https://jsonfeed.org/version/1.1",
		Title:       f.Title,
		HomePageURL: f.Home,
		FeedURL:     self,
		Description: f.Subtitle,
		Icon:        f.Logo,
		Favicon:     f.Icon,
		Language:    f.Language,
		Items:       []jsonItem{},
	}
	if f.Author.Name != "" {
		jf.Authors = []jsonAuthor{{Name: f.Author.Name, URL: f.Author.URL}}
	}
	for i := range f.Entries {
		e := &f.Entries[i]
		content := e.ContentHTML
		if content == "" {
			content = e.SummaryHTML
		}
		it := jsonItem{
			ID:            e.ID,
			URL:           e.Link,
			Title:         e.Title,
			ContentHTML:   xmlText(content),
			Summary:       e.Summary,
			Image:         e.Image,
			DatePublished: e.Published.Format(time.RFC3339),
			DateModified:  e.Updated.Format(time.RFC3339),
		}
		if p := f.author(e); p.Name != "" {
			it.Authors = []jsonAuthor{{Name: p.Name, URL: p.URL}}
		}
		for _, c := range e.Categories {
			it.Tags = append(it.Tags, c.Label)
		}
		jf.Items = append(jf.Items, it)
	}
	var b bytes.Buffer
	b.Grow(f.sizeHint())
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(jf); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
