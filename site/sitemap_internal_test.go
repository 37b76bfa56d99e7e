package site

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"

	"github.com/nashra-press/nashra/internal/testtools"
)

// TestSitemapIndex checks that a site with more pages than one sitemap
// may list gets numbered sitemaps and an index, here with a limit of 4
// URLs instead of 50,000.
func TestSitemapIndex(t *testing.T) {
	src := fstest.MapFS{"config.yaml": {Data: []byte("base_url: https://example.gov.kz/amman/news/\n")}}
	for i := 1; i <= 7; i++ {
		src[fmt.Sprintf("posts/p%d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: \"خبر %d\"\ndate: 2024-01-%02d\n---\nنص.\n", i, i))}
	}
	cfg, diags := LoadConfig(src)
	c, more := Load(src, cfg, LoadOptions{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}, nil)
	if err := append(diags, more...).Err(); err != nil {
		t.Fatal(err)
	}
	pages := Plan(c)
	// 7 posts, the home page and the tags index; not the 404 page.
	files, err := sitemaps(c, pages, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 4 {
		t.Fatalf("%d files, want sitemap.xml and sitemap-1.xml to sitemap-3.xml", len(files))
	}
	var index struct {
		XMLName  xml.Name
		Sitemaps []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"sitemap"`
	}
	if err := xml.Unmarshal(files["sitemap.xml"], &index); err != nil {
		t.Fatal(err)
	}
	if index.XMLName.Local != "sitemapindex" || index.XMLName.Space != "http://www.sitemaps.org/schemas/sitemap/0.9" {
		t.Errorf("index root %v", index.XMLName)
	}
	dir := t.TempDir()
	var paths []string
	total := 0
	for i, s := range index.Sitemaps {
		name := fmt.Sprintf("sitemap-%d.xml", i+1)
		if s.Loc != "https://example.gov.kz/amman/news/"+name {
			t.Errorf("index entry %d: %s", i, s.Loc)
		}
		var set struct {
			URLs []struct {
				LastMod string `xml:"lastmod"`
			} `xml:"url"`
		}
		if err := xml.Unmarshal(files[name], &set); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		total += len(set.URLs)
		latest := ""
		for _, u := range set.URLs {
			latest = max(latest, u.LastMod) // same offset: strings sort as times
		}
		if s.LastMod != latest {
			t.Errorf("%s: index lastmod %s, want its newest %s", name, s.LastMod, latest)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, files[name], 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	if len(index.Sitemaps) != 3 || total != 9 {
		t.Errorf("%d sitemaps with %d URLs, want 3 with 9 (4+4+1)", len(index.Sitemaps), total)
	}
	testtools.AssertValidSitemap(t, paths...)
}

// TestSitemapDocMatchesEncodingXML checks sitemapDoc against what
// encoding/xml writes for the same sitemap and sitemap index, escapes and
// invalid text included.
func TestSitemapDocMatchesEncodingXML(t *testing.T) {
	type entry struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod,omitempty"`
	}
	type urlSet struct {
		XMLName xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 urlset"`
		URLs    []entry  `xml:"url"`
	}
	type index struct {
		XMLName  xml.Name `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemapindex"`
		Sitemaps []entry  `xml:"sitemap"`
	}
	encode := func(v any) []byte {
		var b bytes.Buffer
		b.WriteString(xml.Header)
		enc := xml.NewEncoder(&b)
		enc.Indent("", "  ")
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
		b.WriteByte('\n')
		return b.Bytes()
	}
	lists := [][]sitemapURL{
		nil,
		{{Loc: "https://example.gov.kz/amman/news/", LastMod: "2024-12-17T10:30:00+03:00"}},
		{{Loc: "https://example.org/posts/a/"}, {Loc: "https://example.org/?a=1&b='2'<>\"", LastMod: "x\ty\nz\r"},
			{Loc: "https://example.org/posts/كازاخستان/"}, {Loc: "bad \xff utf-8 \x01 \uFFFD"}, {Loc: ""}},
	}
	for i, urls := range lists {
		var entries []entry
		for _, u := range urls {
			entries = append(entries, entry(u))
		}
		if got, want := sitemapDoc("urlset", "url", urls), encode(urlSet{URLs: entries}); !bytes.Equal(got, want) {
			t.Errorf("sitemap %d:\n%s\nwant\n%s", i, got, want)
		}
		if got, want := sitemapDoc("sitemapindex", "sitemap", urls), encode(index{Sitemaps: entries}); !bytes.Equal(got, want) {
			t.Errorf("sitemap index %d:\n%s\nwant\n%s", i, got, want)
		}
	}
}
