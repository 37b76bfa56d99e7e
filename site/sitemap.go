package site

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
)

// SitemapFile and RobotsFile are written at the site root.
const (
	SitemapFile = "sitemap.xml"
	RobotsFile  = "robots.txt"
)

type sitemapURLSet struct {
	XMLName xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// lastChange returns when the latest of posts was last updated; zero
// when there are none.
func lastChange(posts []*Post) time.Time {
	var t time.Time
	for _, p := range posts {
		if p.Updated.After(t) {
			t = p.Updated
		}
	}
	return t
}

// sitemap lists every page a reader can land on (every planned page but
// the 404 page), each with when it last changed: a post when it was
// updated; a list (the home pages, a tag's pages, the tags index) when
// the newest update among its posts happened, since a new or changed post
// moves or changes every page of its list.
func sitemap(c *Content, pages []Page) ([]byte, error) {
	loc := c.Config.Location()
	site := lastChange(c.Posts)
	tags := map[*Tag]time.Time{}
	for _, t := range c.Tags {
		tags[t] = lastChange(t.Posts)
	}
	set := sitemapURLSet{}
	for _, pg := range pages {
		d := pg.Data
		if d.Permalink == "" {
			continue
		}
		var t time.Time
		switch {
		case d.Post != nil:
			t = d.Post.Updated
		case d.Tag != nil:
			t = tags[d.Tag]
		default:
			t = site
		}
		u := sitemapURL{Loc: d.Permalink}
		if !t.IsZero() {
			u.LastMod = t.In(loc).Format(time.RFC3339)
		}
		set.URLs = append(set.URLs, u)
	}
	if len(set.URLs) > 50000 {
		return nil, fmt.Errorf("the site has %d pages, more than the 50,000 a sitemap may list", len(set.URLs))
	}
	return encodeXMLDoc(set)
}

// robots returns robots.txt: every crawler may read everything, and the
// sitemap is where it says. Crawlers read robots.txt only at the root of
// a host, so when the site lives under a path the same line belongs in
// the host's own robots.txt; the file says so.
func robots(cfg *Config) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# robots.txt of %s, written by nashra.\n", cfg.BaseURL)
	if cfg.BasePath() != "/" {
		fmt.Fprintf(&b, "# Crawlers read robots.txt only at %s/robots.txt: add the Sitemap line\n# below to that file.\n", cfg.Origin())
	}
	b.WriteString("User-agent: *\nAllow: /\n\n")
	fmt.Fprintf(&b, "Sitemap: %s\n", cfg.absURL(SitemapFile))
	return []byte(b.String())
}

// encodeXMLDoc writes v as an indented XML document with its declaration.
func encodeXMLDoc(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}
