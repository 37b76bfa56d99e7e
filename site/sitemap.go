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

// sitemapLimit is the most URLs one sitemap file may list (sitemaps.org).
const sitemapLimit = 50000

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

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

// sitemaps lists every page a reader can land on (every planned page
// but the 404 page, and the search page, which asks search engines not to
// index it), each with when it last changed: a post when it was
// updated; a list (the home pages, a tag's pages, the tags index) when
// the newest update among its posts happened, since a new or changed post
// moves or changes every page of its list. It returns the files to write:
// sitemap.xml, or, beyond limit URLs, sitemap-1.xml, sitemap-2.xml … and
// sitemap.xml as their index.
func sitemaps(c *Content, pages []Page, limit int) (map[string][]byte, error) {
	loc := c.Config.Location()
	site := lastChange(c.Posts)
	tags := map[*Tag]time.Time{}
	for _, t := range c.Tags {
		tags[t] = lastChange(t.Posts)
	}
	format := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format(time.RFC3339)
	}
	var urls []sitemapURL
	var changed []time.Time
	for _, pg := range pages {
		d := pg.Data
		if d.Permalink == "" || d.Kind == "search" {
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
		urls = append(urls, sitemapURL{Loc: d.Permalink, LastMod: format(t)})
		changed = append(changed, t)
	}
	files := map[string][]byte{}
	if len(urls) <= limit {
		data, err := encodeXMLDoc(sitemapURLSet{URLs: urls})
		files[SitemapFile] = data
		return files, err
	}
	var index sitemapIndex
	for n, lo := 1, 0; lo < len(urls); n, lo = n+1, lo+limit {
		hi := min(lo+limit, len(urls))
		name := fmt.Sprintf("sitemap-%d.xml", n)
		data, err := encodeXMLDoc(sitemapURLSet{URLs: urls[lo:hi]})
		if err != nil {
			return nil, err
		}
		files[name] = data
		latest := lastChangeOf(changed[lo:hi])
		index.Sitemaps = append(index.Sitemaps, sitemapURL{Loc: c.Config.absURL(name), LastMod: format(latest)})
	}
	data, err := encodeXMLDoc(index)
	files[SitemapFile] = data
	return files, err
}

func lastChangeOf(times []time.Time) time.Time {
	var latest time.Time
	for _, t := range times {
		if t.After(latest) {
			latest = t
		}
	}
	return latest
}

// robots returns robots.txt: every crawler may read everything, and the
// sitemap (or the sitemap index) is where it says. Crawlers read robots.txt only at the root of
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
