package testtools

import (
	"path/filepath"
	"strings"
	"testing"
)

// rfcAtom is the "more extensive, single-entry Atom Feed Document" of RFC
// 4287, section 1.1 (the xhtml content shortened).
const rfcAtom = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">dive into mark</title>
  <subtitle type="html">A &lt;em&gt;lot&lt;/em&gt; of effort went into making this effortless</subtitle>
  <updated>2005-07-31T12:29:29Z</updated>
  <id>tag:example.org,2003:3</id>
  <link rel="alternate" type="text/html" hreflang="en" href="http://example.org/"/>
  <link rel="self" type="application/atom+xml" href="http://example.org/feed.atom"/>
  <rights>Copyright (c) 2003, Mark Pilgrim</rights>
  <generator uri="http://www.example.com/" version="1.0">Example Toolkit</generator>
  <entry>
    <title>Atom draft-07 snapshot</title>
    <link rel="alternate" type="text/html" href="http://example.org/2005/04/02/atom"/>
    <link rel="enclosure" type="audio/mpeg" length="1337" href="http://example.org/audio/ph34r_my_podcast.mp3"/>
    <id>tag:example.org,2003:3.2397</id>
    <updated>2005-07-31T12:29:29Z</updated>
    <published>2003-12-13T08:29:29-04:00</published>
    <author>
      <name>Mark Pilgrim</name>
      <uri>http://example.org/</uri>
      <email>f8dy@example.com</email>
    </author>
    <contributor><name>Sam Ruby</name></contributor>
    <content type="xhtml" xml:lang="en" xml:base="http://diveintomark.org/">
      <div xmlns="http://www.w3.org/1999/xhtml"><p><i>[Update: The Atom draft is finished.]</i></p></div>
    </content>
  </entry>
</feed>
`

func TestAssertValidAtom(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := writeFile(t, filepath.Join(dir, "rfc.xml"), rfcAtom)
	AssertValidAtom(t, good)

	bad := map[string]string{
		// RFC 4287 4.1.1: atom:feed must contain exactly one atom:id.
		"no-id.xml": strings.Replace(rfcAtom, "<id>tag:example.org,2003:3</id>", "", 1),
		// 3.3: a Date construct is an RFC 3339 date-time.
		"bad-date.xml": strings.Replace(rfcAtom, "<updated>2005-07-31T12:29:29Z</updated>\n  <id>", "<updated>Sun, 31 Jul 2005 12:29:29 GMT</updated>\n  <id>", 1),
		// 3.1.1: type is text, html or xhtml.
		"bad-type.xml": strings.Replace(rfcAtom, `<title type="text">`, `<title type="plain">`, 1),
		// Elements in the Atom namespace that the RFC does not define.
		"unknown.xml": strings.Replace(rfcAtom, "<rights>", "<copyright>x</copyright><rights>", 1),
	}
	for name, doc := range bad {
		p := writeFile(t, filepath.Join(dir, name), doc)
		r := record(t, func(tb testing.TB) { AssertValidAtom(tb, good, p) })
		if !r.errored {
			t.Errorf("%s: accepted by the Atom grammar", name)
			continue
		}
		if msg := r.text(); !strings.Contains(msg, name) || strings.Contains(msg, "rfc.xml fails") {
			t.Errorf("%s: message does not name the right file:\n%s", name, msg)
		}
	}
}

func TestAssertValidSitemap(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := writeFile(t, filepath.Join(dir, "sitemap.xml"), `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://example.gov.kz/amman/news/</loc><lastmod>2024-12-18T10:30:00+03:00</lastmod></url>
  <url><loc>https://example.gov.kz/amman/news/tags/</loc><lastmod>2024-12-18</lastmod><changefreq>daily</changefreq><priority>0.8</priority></url>
</urlset>
`)
	AssertValidSitemap(t, good)

	bad := map[string]string{
		"lastmod.xml":   `<url><loc>https://example.gov.kz/</loc><lastmod>18/12/2024</lastmod></url>`,
		"extension.xml": `<url><loc>https://example.gov.kz/</loc><image:image xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"><image:loc>https://example.gov.kz/a.jpg</image:loc></image:image></url>`,
		"order.xml":     `<url><lastmod>2024-12-18</lastmod><loc>https://example.gov.kz/</loc></url>`,
	}
	for name, urls := range bad {
		p := writeFile(t, filepath.Join(dir, name), `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`+urls+`</urlset>`)
		r := record(t, func(tb testing.TB) { AssertValidSitemap(tb, p) })
		if !r.errored {
			t.Errorf("%s: accepted by the sitemap schema", name)
		}
	}
}
