package site

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Head is what a page's <head> tells search engines, feed readers,
// browsers and the social and messaging sites that unfurl shared links.
// The default theme writes it in partials/head-meta.html. Every URL in it
// is absolute; without a base URL, the fields that need one are empty.
type Head struct {
	// Canonical is the page's absolute URL (<link rel="canonical">,
	// og:url); "" on the 404 page and without a base URL.
	Canonical string
	// Title is the page's own title for sharing (og:title): the post's
	// title, the tag's label, or the site's title on the home page. The
	// theme passes it through plainText (Unicode isolates with
	// bidi_controls), like og:description and og:site_name.
	Title string
	// Description is the page's summary, cut to MaxDescription
	// characters at a word (meta description, og:description).
	Description string
	// Type is the Open Graph type: "article" on posts, else "website".
	Type string
	// Locale is the Open Graph locale ("ar_AR").
	Locale string
	// SiteName is the site's title (og:site_name).
	SiteName string
	// Image is the picture shown with a shared link: the post's cover,
	// else the site's logo; nil when there is neither.
	Image *ShareImage
	// Published and Modified are the post's dates in RFC 3339 with their
	// offset (article:published_time, article:modified_time).
	Published, Modified string
	// Tags are the post's tag labels (article:tag).
	Tags []string
	// TwitterCard is "summary_large_image" with a cover, else "summary".
	TwitterCard string
	// Feeds are the feeds to announce: the site's, and the tag's on a
	// tag's pages.
	Feeds []FeedLink
	// StructuredData is the page's schema.org description as a value
	// that html/template writes as JSON inside <script
	// type="application/ld+json">: a NewsArticle on posts, the WebSite
	// and its Organization on the home page; nil elsewhere.
	StructuredData any
	// NoIndex asks search engines not to index the page (the 404 page).
	NoIndex bool
}

// ShareImage is an image for Open Graph and JSON-LD.
type ShareImage struct {
	// URL is absolute.
	URL string
	// Alt describes the image.
	Alt string
	// Width and Height are in pixels; zero when unknown.
	Width, Height int
}

// MaxDescription is the longest meta description, in characters: about
// what search engines show under a result.
const MaxDescription = 160

// Head returns what the page's head announces (see Head).
func (d *PageData) Head() *Head {
	s := d.Site
	cfg := s.cfg
	h := &Head{
		Canonical: d.Permalink, Locale: s.Locale, SiteName: s.Title,
		Type: "website", TwitterCard: "summary", NoIndex: d.Kind == "404",
	}
	if cfg == nil {
		return h
	}
	desc := d.Description
	if desc == "" {
		desc = s.Description
	}
	h.Description = truncate(desc, MaxDescription)
	title := d.Title
	if title == "" {
		title = s.Title
	}
	h.Title = title
	h.Feeds = s.Feeds
	if d.Tag != nil {
		h.Feeds = append(feedLinks(cfg, "tags/"+d.Tag.Slug+"/", feedTitle(cfg, d.Tag)), s.Feeds...)
	}
	if d.Permalink == "" {
		// No base URL, or the 404 page: nothing to share.
		return h
	}
	h.Image = s.logo
	if p := d.Post; p != nil {
		h.Type = "article"
		h.Published = p.Date.Format(time.RFC3339)
		h.Modified = p.Updated.Format(time.RFC3339)
		for _, t := range p.Tags {
			h.Tags = append(h.Tags, t.Label)
		}
		if c := p.Cover; c != nil {
			h.Image = &ShareImage{URL: cfg.hostURL(c.URL), Alt: c.Alt, Width: c.Width, Height: c.Height}
			h.TwitterCard = "summary_large_image"
		}
		h.StructuredData = newsArticle(d, h)
	}
	if d.Kind == "home" && (d.Pager == nil || d.Pager.Number == 1) {
		h.StructuredData = website(s)
	}
	return h
}

// truncate cuts s to at most n characters, at the end of a word, and
// marks the cut with "…".
func truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	// The last space before the n-th character (one is kept for "…").
	cut, count := -1, 0
	for i, r := range s {
		if count == n-1 {
			if cut < 0 {
				cut = i // one long word: cut inside it
			}
			break
		}
		if r == ' ' {
			cut = i
		}
		count++
	}
	return strings.TrimRightFunc(s[:cut], func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) + "…"
}

// schema.org types, written as JSON-LD.
type (
	ldNewsArticle struct {
		Context          string          `json:"@context"`
		Type             string          `json:"@type"`
		Headline         string          `json:"headline"`
		Description      string          `json:"description,omitempty"`
		URL              string          `json:"url"`
		MainEntityOfPage ldRef           `json:"mainEntityOfPage"`
		DatePublished    string          `json:"datePublished"`
		DateModified     string          `json:"dateModified"`
		Image            []ldImage       `json:"image,omitempty"`
		Author           []ldAgent       `json:"author"`
		Publisher        *ldOrganization `json:"publisher"`
		InLanguage       string          `json:"inLanguage"`
		Keywords         []string        `json:"keywords,omitempty"`
	}
	ldRef struct {
		Type string `json:"@type,omitempty"`
		ID   string `json:"@id"`
	}
	ldImage struct {
		Type   string `json:"@type"`
		URL    string `json:"url"`
		Width  int    `json:"width,omitempty"`
		Height int    `json:"height,omitempty"`
	}
	ldAgent struct {
		Type string `json:"@type"`
		Name string `json:"name"`
		URL  string `json:"url,omitempty"`
	}
	ldOrganization struct {
		Context string   `json:"@context,omitempty"`
		Type    string   `json:"@type"`
		ID      string   `json:"@id,omitempty"`
		Name    string   `json:"name"`
		URL     string   `json:"url"`
		Logo    *ldImage `json:"logo,omitempty"`
	}
	ldWebSite struct {
		Type        string `json:"@type"`
		ID          string `json:"@id"`
		Name        string `json:"name"`
		URL         string `json:"url"`
		Description string `json:"description,omitempty"`
		InLanguage  string `json:"inLanguage"`
		Publisher   ldRef  `json:"publisher"`
	}
	ldGraph struct {
		Context string `json:"@context"`
		Graph   []any  `json:"@graph"`
	}
)

// organization is the publisher: the embassy (config author, else the
// site's title) with its logo.
func organization(s *SiteData) *ldOrganization {
	name := s.Author
	if name == "" {
		name = s.Title
	}
	o := &ldOrganization{Type: "Organization", ID: s.cfg.absURL("#organization"), Name: name, URL: s.cfg.absURL("")}
	if l := s.logo; l != nil {
		o.Logo = &ldImage{Type: "ImageObject", URL: l.URL, Width: l.Width, Height: l.Height}
	}
	return o
}

// newsArticle describes a post for search engines.
func newsArticle(d *PageData, h *Head) *ldNewsArticle {
	s, p := d.Site, d.Post
	a := &ldNewsArticle{
		Context: "https://schema.org", Type: "NewsArticle",
		Headline: p.Title, Description: p.Summary, URL: d.Permalink,
		MainEntityOfPage: ldRef{Type: "WebPage", ID: d.Permalink},
		DatePublished:    h.Published, DateModified: h.Modified,
		Publisher:  organization(s),
		InLanguage: s.Language,
		Keywords:   h.Tags,
	}
	if h.Image != nil {
		a.Image = []ldImage{{Type: "ImageObject", URL: h.Image.URL, Width: h.Image.Width, Height: h.Image.Height}}
	}
	// Posts are written by the embassy or one of its offices ("المكتب
	// الصحفي"), not by named people: the author is an Organization.
	author := ldAgent{Type: "Organization", Name: p.Author}
	if p.Author == "" || p.Author == a.Publisher.Name {
		author = ldAgent{Type: "Organization", Name: a.Publisher.Name, URL: a.Publisher.URL}
	}
	a.Author = []ldAgent{author}
	return a
}

// website describes the site and its publisher, for the home page.
func website(s *SiteData) *ldGraph {
	org := organization(s)
	return &ldGraph{Context: "https://schema.org", Graph: []any{
		&ldWebSite{Type: "WebSite", ID: s.cfg.absURL("#website"), Name: s.Title, URL: s.cfg.absURL(""),
			Description: s.Description, InLanguage: s.Language, Publisher: ldRef{ID: org.ID}},
		org,
	}}
}
