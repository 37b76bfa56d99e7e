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

// sitemapURL is one entry of a sitemap (a page) or of a sitemap index (a
// sitemap).
type sitemapURL struct {
	Loc, LastMod string
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
		tags[t] = lastChange(t.posts)
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
		files[SitemapFile] = sitemapDoc("urlset", "url", urls)
		return files, nil
	}
	var index []sitemapURL
	for n, lo := 1, 0; lo < len(urls); n, lo = n+1, lo+limit {
		hi := min(lo+limit, len(urls))
		name := fmt.Sprintf("sitemap-%d.xml", n)
		files[name] = sitemapDoc("urlset", "url", urls[lo:hi])
		latest := lastChangeOf(changed[lo:hi])
		index = append(index, sitemapURL{Loc: c.Config.absURL(name), LastMod: format(latest)})
	}
	files[SitemapFile] = sitemapDoc("sitemapindex", "sitemap", index)
	return files, nil
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

// sitemapNS is the namespace of sitemaps and sitemap indexes.
const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// sitemapDoc writes a sitemap (root "urlset", item "url") or a sitemap
// index (root "sitemapindex", item "sitemap") byte for byte as
// encoding/xml's Encoder indented by two spaces writes it, after the XML
// declaration and with a final newline, without its reflection: the
// sitemap is written by every build.
func sitemapDoc(root, item string, urls []sitemapURL) []byte {
	b := make([]byte, 0, 128+len(urls)*(64+len(item)*2+len("<loc></loc><lastmod></lastmod>")+40))
	b = append(b, xml.Header...)
	b = append(b, "<"+root+` xmlns="`+sitemapNS+`">`...)
	for _, u := range urls {
		b = append(b, "\n  <"+item+">\n    <loc>"...)
		b = appendXMLText(b, u.Loc)
		b = append(b, "</loc>"...)
		if u.LastMod != "" {
			b = append(b, "\n    <lastmod>"...)
			b = appendXMLText(b, u.LastMod)
			b = append(b, "</lastmod>"...)
		}
		b = append(b, "\n  </"+item+">"...)
	}
	if len(urls) > 0 {
		b = append(b, '\n')
	}
	return append(b, "</"+root+">\n"...)
}

// appendXMLText appends s escaped as XML character data, as encoding/xml
// escapes it: a string of printable ASCII characters that need no escape
// (every URL and date of a sitemap) is copied as it is.
func appendXMLText(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\'' || c == '&' || c == '<' || c == '>' {
			var w bytes.Buffer
			_ = xml.EscapeText(&w, []byte(s)) // a bytes.Buffer does not fail
			return append(b, w.Bytes()...)
		}
	}
	return append(b, s...)
}
