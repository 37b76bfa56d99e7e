package site

import (
	"bytes"
	"encoding/json"
	"html/template"
	"time"
)

// newsArticle returns the schema.org NewsArticle of a post page as JSON
// for <script type="application/ld+json">, or "" on other pages. Search
// engines read the headline, dates (ISO 8601 with the offset), image,
// author and language from it (docs/arabic-rtl.md, section 6).
// json.Marshal escapes <, > and &, so the text cannot end the script.
func newsArticle(cfg *Config, d *PageData) (template.JS, error) {
	p := d.Post
	if p == nil {
		return "", nil
	}
	type thing struct {
		Type string `json:"@type"`
		Name string `json:"name,omitempty"`
		URL  string `json:"url,omitempty"`
	}
	article := struct {
		Context       string   `json:"@context"`
		Type          string   `json:"@type"`
		Headline      string   `json:"headline"`
		Description   string   `json:"description,omitempty"`
		InLanguage    string   `json:"inLanguage"`
		DatePublished string   `json:"datePublished"`
		DateModified  string   `json:"dateModified"`
		Image         []string `json:"image,omitempty"`
		Author        []thing  `json:"author,omitempty"`
		Publisher     *thing   `json:"publisher,omitempty"`
		URL           string   `json:"url,omitempty"`
		Keywords      []string `json:"keywords,omitempty"`
	}{
		Context: "https://schema.org", Type: "NewsArticle",
		Headline: p.Title, Description: p.Summary, InLanguage: cfg.Language,
		DatePublished: p.Date.Format(time.RFC3339), DateModified: p.Updated.Format(time.RFC3339),
		URL: p.Permalink,
	}
	if p.Cover != nil {
		img := p.Cover.URL
		if u := cfg.absURL(trimBase(cfg, img)); u != "" {
			img = u
		}
		article.Image = []string{img}
	}
	if p.Author != "" {
		// Posts are signed by offices of the embassy ("المكتب الصحفي
		// للسفارة"), not by people.
		article.Author = []thing{{Type: "Organization", Name: p.Author}}
	}
	if cfg.Author != "" {
		article.Publisher = &thing{Type: "Organization", Name: cfg.Author, URL: cfg.BaseURL}
	}
	for _, t := range p.Tags {
		article.Keywords = append(article.Keywords, t.Label)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(article); err != nil {
		return "", err
	}
	return template.JS(bytes.TrimSpace(b.Bytes())), nil
}

// trimBase turns a URL path under the site's base path into a path
// relative to the site root.
func trimBase(cfg *Config, p string) string {
	base := cfg.BasePath()
	if len(p) >= len(base) && p[:len(base)] == base {
		return p[len(base):]
	}
	return p
}
