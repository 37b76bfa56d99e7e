package site_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/nashra-press/nashra/internal/testtools"
	"github.com/nashra-press/nashra/layouts"
	"github.com/nashra-press/nashra/site"
	"github.com/nashra-press/nashra/site/output"
)

// buildSite builds src with the default theme into memory.
func buildSite(t testing.TB, src fs.FS, opts site.Options) (*site.Result, *output.Memory) {
	t.Helper()
	opts.Theme = layouts.FS
	out := output.NewMemory()
	res, err := site.Generate(context.Background(), src, out, opts)
	if err != nil {
		t.Fatal(err)
	}
	return res, out
}

// sampleSite is the repository's own site: posts/, static/, config.yaml.
func sampleSite() fs.FS { return os.DirFS("..") }

// feedFiles lists the feeds a site must have: the site's in each format
// and each tag's in Atom and RSS, with the posts each must carry, newest
// first.
func feedFiles(c *site.Content) map[string][]*site.Post {
	n := c.Config.FeedEntries
	first := func(p []*site.Post) []*site.Post { return p[:min(n, len(p))] }
	want := map[string][]*site.Post{"feed.json": first(c.Posts)}
	for _, name := range []string{"feed.xml", "rss.xml"} {
		want[name] = first(c.Posts)
		for _, tag := range c.Tags {
			want["tags/"+tag.Slug+"/"+name] = first(tag.Posts())
		}
	}
	return want
}

// urlsIn returns every URL in the attributes of an HTML fragment.
func urlsIn(t testing.TB, fragment string) []string {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		t.Fatalf("content is not HTML: %v", err)
	}
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		for _, a := range n.Attr {
			switch a.Key {
			case "href", "src", "poster", "cite":
				out = append(out, a.Val)
			case "srcset":
				for _, c := range strings.Split(a.Val, ",") {
					if f := strings.Fields(c); len(f) > 0 {
						out = append(out, f[0])
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return out
}

// checkFeeds parses every feed of a built site with gofeed and checks it
// against the site's posts: the feed's type, title and language; for each
// entry its title, absolute link, dates and content, with every URL in
// the content absolute; Atom files are validated with RFC 4287's grammar.
func checkFeeds(t *testing.T, res *site.Result, out *output.Memory) {
	t.Helper()
	c := res.Content
	cfg := c.Config
	base := cfg.BaseURL
	dir := t.TempDir()
	var atoms []string
	files := feedFiles(c)
	for _, p := range out.Paths() {
		if strings.HasSuffix(p, "feed.xml") || strings.HasSuffix(p, "rss.xml") || strings.HasSuffix(p, "feed.json") {
			if _, ok := files[p]; !ok {
				t.Errorf("%s: a feed that no tag or site needs", p)
			}
		}
	}
	parser := gofeed.NewParser()
	for name, posts := range files {
		data, ok := out.File(name)
		if !ok {
			t.Errorf("%s: missing", name)
			continue
		}
		f, err := parser.Parse(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: gofeed: %v", name, err)
			continue
		}
		wantType := map[string]string{".xml": "atom", ".json": "json"}[filepath.Ext(name)]
		if strings.HasSuffix(name, "rss.xml") {
			wantType = "rss"
		}
		if f.FeedType != wantType {
			t.Errorf("%s: type %q, want %q", name, f.FeedType, wantType)
		}
		if !strings.HasSuffix(f.Title, cfg.Title) || f.Language != "ar" {
			t.Errorf("%s: title %q language %q", name, f.Title, f.Language)
		}
		if f.FeedLink != base+name {
			t.Errorf("%s: self link %q", name, f.FeedLink)
		}
		if f.Link != base+strings.TrimSuffix(name, filepath.Base(name)) {
			t.Errorf("%s: home link %q", name, f.Link)
		}
		if len(f.Items) != len(posts) {
			t.Errorf("%s: %d entries, want %d", name, len(f.Items), len(posts))
			continue
		}
		for i, it := range f.Items {
			p := posts[i]
			where := fmt.Sprintf("%s entry %d (%s)", name, i, p.File)
			if it.Title != p.Title {
				t.Errorf("%s: title %q, want %q", where, it.Title, p.Title)
			}
			if it.Link != p.Permalink || !strings.HasPrefix(it.Link, base) {
				t.Errorf("%s: link %q, want %q", where, it.Link, p.Permalink)
			}
			if it.GUID != p.Permalink {
				t.Errorf("%s: id %q, want the post's address %q", where, it.GUID, p.Permalink)
			}
			if it.PublishedParsed == nil || !it.PublishedParsed.Equal(p.Date) {
				t.Errorf("%s: published %v, want %v", where, it.PublishedParsed, p.Date)
			}
			if wantType != "rss" && (it.UpdatedParsed == nil || !it.UpdatedParsed.Equal(p.Updated)) {
				t.Errorf("%s: updated %v, want %v", where, it.UpdatedParsed, p.Updated)
			}
			if cfg.FeedContent == site.FeedFull {
				if !strings.HasPrefix(it.Content, `<div dir="rtl" lang="ar">`) || !strings.HasSuffix(it.Content, "</div>") {
					t.Errorf("%s: content not wrapped in <div dir=rtl lang=ar>: %.200q", where, it.Content)
				}
				// The post's own text is all there.
				if first := firstWords(p.Text, 8); !strings.Contains(html.UnescapeString(stripTags(it.Content)), first) {
					t.Errorf("%s: content lacks the post's text %q", where, first)
				}
			}
			for _, u := range urlsIn(t, it.Content+it.Description) {
				pu, err := url.Parse(u)
				if err != nil || !pu.IsAbs() {
					t.Errorf("%s: URL %q in the content is not absolute", where, u)
				}
			}
		}
		if wantType == "atom" {
			checkAtomRules(t, name, data)
			p := filepath.Join(dir, strings.ReplaceAll(name, "/", "_"))
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			atoms = append(atoms, p)
		}
	}
	testtools.AssertValidAtom(t, atoms...)
}

// checkAtomRules checks the two rules of RFC 4287 that its RELAX NG
// grammar leaves to Schematron: a feed has an author unless every entry
// has one, and an entry has a rel=alternate link or content.
func checkAtomRules(t *testing.T, name string, data []byte) {
	t.Helper()
	var doc struct {
		Authors []struct{} `xml:"author"`
		Entries []struct {
			Authors []struct{} `xml:"author"`
			Links   []struct {
				Rel string `xml:"rel,attr"`
			} `xml:"link"`
			Content *struct{} `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	for i, e := range doc.Entries {
		if len(doc.Authors) == 0 && len(e.Authors) == 0 {
			t.Errorf("%s: entry %d has no author, nor has the feed", name, i)
		}
		alternate := slices.ContainsFunc(e.Links, func(l struct {
			Rel string `xml:"rel,attr"`
		}) bool {
			return l.Rel == "alternate" || l.Rel == ""
		})
		if !alternate && e.Content == nil {
			t.Errorf("%s: entry %d has neither an alternate link nor content", name, i)
		}
	}
}

func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	return strings.Join(f[:min(n, len(f))], " ")
}

// checkSitemap validates sitemap.xml against the sitemaps.org schema and
// checks that it lists every page but the 404 page, each once, with the
// page's last change.
func checkSitemap(t *testing.T, res *site.Result, out *output.Memory) {
	t.Helper()
	data, ok := out.File("sitemap.xml")
	if !ok {
		t.Fatal("no sitemap.xml")
	}
	p := filepath.Join(t.TempDir(), "sitemap.xml")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	testtools.AssertValidSitemap(t, p)

	var set struct {
		URLs []struct {
			Loc     string `xml:"loc"`
			LastMod string `xml:"lastmod"`
		} `xml:"url"`
	}
	if err := xml.Unmarshal(data, &set); err != nil {
		t.Fatal(err)
	}
	listed := map[string]string{}
	for _, u := range set.URLs {
		if _, dup := listed[u.Loc]; dup {
			t.Errorf("sitemap lists %s twice", u.Loc)
		}
		listed[u.Loc] = u.LastMod
	}
	base := res.Content.Config.BaseURL
	pages := 0
	for _, path := range out.Paths() {
		// The search page asks search engines not to index it.
		if !strings.HasSuffix(path, "index.html") || path == site.SearchDir+"index.html" {
			continue
		}
		pages++
		loc := base + strings.TrimSuffix(path, "index.html")
		if _, ok := listed[loc]; !ok {
			t.Errorf("sitemap lacks %s", loc)
		}
	}
	if len(set.URLs) != pages || pages != res.Pages-2 {
		t.Errorf("sitemap lists %d URLs; the site has %d pages besides 404 and search (%d pages)", len(set.URLs), pages, res.Pages)
	}
	for _, post := range res.Content.Posts {
		got, err := time.Parse(time.RFC3339, listed[post.Permalink])
		if err != nil || !got.Equal(post.Updated) {
			t.Errorf("sitemap: %s lastmod %q, want %v", post.Permalink, listed[post.Permalink], post.Updated)
		}
	}
	if robots, _ := out.File("robots.txt"); !strings.Contains(string(robots), "\nSitemap: "+base+"sitemap.xml\n") {
		t.Errorf("robots.txt does not point at the sitemap:\n%s", robots)
	}
}

func TestSampleSiteFeeds(t *testing.T) {
	res, out := buildSite(t, sampleSite(), site.Options{})
	if len(res.Content.Posts) < 10 || len(res.Content.Tags) < 5 {
		t.Fatalf("the sample site has %d posts and %d tags", len(res.Content.Posts), len(res.Content.Tags))
	}
	checkFeeds(t, res, out)
	checkSitemap(t, res, out)
}

// TestSummaryFeeds checks feed_content: summary on the sample site: no
// whole posts, the summary (and cover) as HTML.
func TestSummaryFeeds(t *testing.T) {
	src := withConfig(t, sampleSite(), "feed_content: summary\nfeed_entries: 3\n")
	res, out := buildSite(t, src, site.Options{})
	checkFeeds(t, res, out)
	data, _ := out.File("feed.xml")
	f, err := gofeed.NewParser().ParseString(string(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Items) != 3 {
		t.Fatalf("%d entries, want 3 (feed_entries)", len(f.Items))
	}
	for i, it := range f.Items {
		p := res.Content.Posts[i]
		if it.Content != "" {
			t.Errorf("entry %d carries content in summary mode", i)
		}
		// The text is the summary and nothing more; the markup the
		// wrapper and, with a cover, the image.
		if got := html.UnescapeString(stripTags(it.Description)); got != p.Summary || !strings.HasPrefix(it.Description, `<div dir="rtl" lang="ar">`) {
			t.Errorf("entry %d: summary %q, want the post's summary %q, wrapped", i, it.Description, p.Summary)
		}
		if hasCover := strings.Contains(it.Description, "<img "); hasCover != (p.Cover != nil) {
			t.Errorf("entry %d: cover image shown %v, post has one %v", i, hasCover, p.Cover != nil)
		}
	}
}

// withConfig returns src with lines added to its config.yaml.
func withConfig(t testing.TB, src fs.FS, lines string) fs.FS {
	t.Helper()
	cfg, err := fs.ReadFile(src, "config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	over := fstest.MapFS{"config.yaml": &fstest.MapFile{Data: append(append(cfg, '\n'), lines...)}}
	return overlay{over, src}
}

// overlay serves names from the first file system that has them.
type overlay []fs.FS

func (o overlay) Open(name string) (fs.File, error) {
	for _, f := range o[:len(o)-1] {
		if file, err := f.Open(name); err == nil {
			return file, nil
		}
	}
	return o[len(o)-1].Open(name)
}

// corpusConfig is the settings of the 1,000-post corpus, which has none.
const corpusConfig = `title: "أخبار السفارة"
description: "مدونة اختبار من ألف خبر."
base_url: "https://example.gov.kz/amman/news/"
author: "سفارة جمهورية كازاخستان في عمّان"
tags:
  CICA:
    slug: cica
    label: "سيكا"
  Kazakhstan:
    slug: kazakhstan
    label: "كازاخستان"
  Jordan:
    slug: jordan
    label: "الأردن"
`

func TestCorpusFeeds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 1,000-post corpus")
	}
	corpus := testtools.Corpus(t, 1000)
	src := overlay{fstest.MapFS{"config.yaml": {Data: []byte(corpusConfig)}}, os.DirFS(corpus)}
	// The corpus is dated up to mid-2026; publish it all.
	res, out := buildSite(t, src, site.Options{LoadOptions: site.LoadOptions{Now: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)}})
	if len(res.Content.Posts) < 900 || len(res.Content.Tags) < 30 {
		t.Fatalf("the corpus has %d posts and %d tags", len(res.Content.Posts), len(res.Content.Tags))
	}
	checkFeeds(t, res, out)
	checkSitemap(t, res, out)
}

// jsonLD returns the JSON-LD of an HTML page, decoded.
func jsonLD(t *testing.T, page []byte) map[string]any {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "script" && attr(n, "type") == "application/ld+json" && n.FirstChild != nil {
			found = append(found, n.FirstChild.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if len(found) != 1 {
		t.Fatalf("%d JSON-LD scripts, want 1", len(found))
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(found[0]), &v); err != nil {
		t.Fatalf("JSON-LD is not JSON: %v\n%s", err, found[0])
	}
	return v
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// metaTags returns the meta tags of a page's head: property or name ->
// every content, in order.
func metaTags(t *testing.T, page []byte) map[string][]string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "meta" {
			key := attr(n, "property")
			if key == "" {
				key = attr(n, "name")
			}
			out[key] = append(out[key], attr(n, "content"))
		}
		if n.Type == html.ElementNode && n.Data == "link" {
			out["link:"+attr(n, "rel")] = append(out["link:"+attr(n, "rel")], attr(n, "href"))
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

func absolute(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "https" || p.Scheme == "http") && p.Host != ""
}

// TestHeadMetadata checks the head of every post page of the sample site,
// and of its home page: JSON-LD that parses as JSON with the fields
// search engines read, Open Graph with absolute URLs.
func TestHeadMetadata(t *testing.T) {
	res, out := buildSite(t, sampleSite(), site.Options{})
	cfg := res.Content.Config
	for _, p := range res.Content.Posts {
		page, _ := out.File("posts/" + p.Slug + "/index.html")
		t.Run(p.Slug, func(t *testing.T) {
			ld := jsonLD(t, page)
			str := func(v any) string { s, _ := v.(string); return s }
			obj := func(v any) map[string]any { m, _ := v.(map[string]any); return m }
			if ld["@context"] != "https://schema.org" || ld["@type"] != "NewsArticle" {
				t.Errorf("@context %v @type %v", ld["@context"], ld["@type"])
			}
			if ld["headline"] != p.Title || ld["description"] != p.Summary || ld["inLanguage"] != "ar" {
				t.Errorf("headline %v description %v inLanguage %v", ld["headline"], ld["description"], ld["inLanguage"])
			}
			for key, want := range map[string]time.Time{"datePublished": p.Date, "dateModified": p.Updated} {
				s := str(ld[key])
				got, err := time.Parse(time.RFC3339, s)
				if err != nil || !got.Equal(want) || !strings.HasSuffix(s, "+03:00") {
					t.Errorf("%s %q, want %v with its offset", key, s, want)
				}
			}
			if m := obj(ld["mainEntityOfPage"]); m["@id"] != p.Permalink {
				t.Errorf("mainEntityOfPage %v", ld["mainEntityOfPage"])
			}
			images, _ := ld["image"].([]any)
			if len(images) != 1 || !absolute(str(obj(images[0])["url"])) {
				t.Errorf("image %v", ld["image"])
			}
			authors, _ := ld["author"].([]any)
			if len(authors) != 1 || str(obj(authors[0])["name"]) != p.Author {
				t.Errorf("author %v, want %q", ld["author"], p.Author)
			}
			pub := obj(ld["publisher"])
			if pub["@type"] != "Organization" || pub["name"] != cfg.Author || !absolute(str(obj(pub["logo"])["url"])) {
				t.Errorf("publisher %v", pub)
			}

			meta := metaTags(t, page)
			one := func(k string) string {
				if len(meta[k]) != 1 {
					t.Errorf("%s: %d tags, want 1", k, len(meta[k]))
					return ""
				}
				return meta[k][0]
			}
			if one("og:type") != "article" || one("og:locale") != "ar_AR" || one("og:site_name") != cfg.Title || one("og:title") != p.Title {
				t.Errorf("og:type %v og:locale %v og:site_name %v og:title %v", meta["og:type"], meta["og:locale"], meta["og:site_name"], meta["og:title"])
			}
			if one("og:url") != p.Permalink || one("link:canonical") != p.Permalink {
				t.Errorf("og:url %v canonical %v", meta["og:url"], meta["link:canonical"])
			}
			if img := one("og:image"); !absolute(img) {
				t.Errorf("og:image %q is not absolute", img)
			}
			if one("og:image:width") == "" || one("og:image:height") == "" {
				t.Error("og:image without its size")
			}
			if one("description") == "" || one("og:description") != one("description") {
				t.Errorf("description %v og:description %v", meta["description"], meta["og:description"])
			}
			if got, err := time.Parse(time.RFC3339, one("article:published_time")); err != nil || !got.Equal(p.Date) {
				t.Errorf("article:published_time %v", meta["article:published_time"])
			}
			if got, err := time.Parse(time.RFC3339, one("article:modified_time")); err != nil || !got.Equal(p.Updated) {
				t.Errorf("article:modified_time %v", meta["article:modified_time"])
			}
			var labels []string
			for _, tag := range p.Tags {
				labels = append(labels, tag.Label)
			}
			if !slices.Equal(meta["article:tag"], labels) {
				t.Errorf("article:tag %v, want %v", meta["article:tag"], labels)
			}
			wantCard := "summary"
			if p.Cover != nil {
				wantCard = "summary_large_image"
			}
			if one("twitter:card") != wantCard {
				t.Errorf("twitter:card %v, want %s", meta["twitter:card"], wantCard)
			}
			if alt := meta["link:alternate"]; len(alt) != 3 || alt[0] != cfg.BaseURL+"feed.xml" {
				t.Errorf("alternate links %v", alt)
			}
		})
	}

	home, _ := out.File("index.html")
	ld := jsonLD(t, home)
	graph, _ := ld["@graph"].([]any)
	var types []string
	for _, g := range graph {
		m, _ := g.(map[string]any)
		types = append(types, fmt.Sprint(m["@type"]))
		if m["url"] != cfg.BaseURL {
			t.Errorf("home JSON-LD %v: url %v", m["@type"], m["url"])
		}
	}
	if ld["@context"] != "https://schema.org" || !slices.Equal(types, []string{"WebSite", "Organization"}) {
		t.Errorf("home JSON-LD: %v", ld)
	}
	meta := metaTags(t, home)
	if !slices.Equal(meta["og:type"], []string{"website"}) || len(meta["og:image"]) != 1 || !absolute(meta["og:image"][0]) {
		t.Errorf("home: og:type %v og:image %v", meta["og:type"], meta["og:image"])
	}
	notFound, _ := out.File("404.html")
	meta = metaTags(t, notFound)
	if !slices.Equal(meta["robots"], []string{"noindex"}) || len(meta["link:canonical"]) != 0 {
		t.Errorf("404: robots %v canonical %v", meta["robots"], meta["link:canonical"])
	}
}

// TestFeedsFollowEdits rebuilds with a cache, as watch mode does: a
// build with no change writes no feed; a post's new title reaches its
// feed entries and its page's head, its id stays, and the feeds that do
// not show it are kept; a new logo reaches every page's icons and the
// feeds.
func TestFeedsFollowEdits(t *testing.T) {
	src := postsFS(3, "CICA")
	src["posts/other.md"] = &fstest.MapFile{Data: []byte("---\ntitle: \"خبر آخر\"\ndate: 2023-06-01\ntags: [Jordan]\n---\nنص.\n")}
	src["config.yaml"] = &fstest.MapFile{Data: []byte("title: \"أخبار\"\nbase_url: https://example.gov.kz/amman/news/\nlogo: /logo.png\n")}
	src["static/logo.png"] = &fstest.MapFile{Data: pngBytes(t, 64, 64)}
	cache := site.NewCache()
	out := newKeepingOutput()
	build := func() *site.Result {
		t.Helper()
		out.next()
		res, err := site.Generate(context.Background(), src, out, site.Options{Theme: layouts.FS, Cache: cache, LoadOptions: site.LoadOptions{Now: testNow}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	entry := func(feed, link string) *gofeed.Item {
		t.Helper()
		f, err := gofeed.NewParser().ParseString(string(out.files[feed]))
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range f.Items {
			if it.Link == link {
				return it
			}
		}
		t.Fatalf("%s has no entry %s", feed, link)
		return nil
	}
	const p2 = "https://example.gov.kz/amman/news/posts/p2/"
	build()
	before := entry("feed.xml", p2)
	if before.Title != "خبر 2" {
		t.Fatalf("title %q", before.Title)
	}
	icon := string(out.files["index.html"])
	feedsWritten := func() []string {
		var w []string
		for _, p := range out.written {
			if strings.HasPrefix(p, site.SearchDir) {
				continue // the search index, not a feed
			}
			if strings.HasSuffix(p, ".xml") && !strings.HasPrefix(p, "sitemap") || strings.HasSuffix(p, ".json") {
				w = append(w, p)
			}
		}
		slices.Sort(w)
		return w
	}
	build()
	if w := feedsWritten(); len(w) != 0 {
		t.Errorf("a build with no change wrote feeds %v", w)
	}
	if _, ok := out.files["tags/jordan/rss.xml"]; !ok {
		t.Fatal("a kept feed is missing from the output")
	}

	src["posts/p2.md"].Data = bytes.Replace(src["posts/p2.md"].Data, []byte(`title: "خبر 2"`), []byte(`title: "خبر 2 (معدّل)"`), 1)
	build()
	for _, feed := range []string{"feed.xml", "rss.xml", "feed.json", "tags/cica/feed.xml"} {
		after := entry(feed, p2)
		if after.Title != "خبر 2 (معدّل)" || after.GUID != before.GUID {
			t.Errorf("%s after the edit: title %q id %q, want the new title and id %q", feed, after.Title, after.GUID, before.GUID)
		}
	}
	if w := feedsWritten(); !slices.Equal(w, []string{"feed.json", "feed.xml", "rss.xml", "tags/cica/feed.xml", "tags/cica/rss.xml"}) {
		t.Errorf("feeds written after editing p2: %v; the Jordan feeds do not show it", w)
	}
	if !strings.Contains(string(out.files["posts/p2/index.html"]), `<meta property="og:title" content="خبر 2 (معدّل)">`) {
		t.Error("the post's head does not show its new title")
	}
	// p1 and p3 are p2's neighbours: they show its title.
	for _, p := range []string{"posts/p1/index.html", "posts/p3/index.html"} {
		if !slices.Contains(out.written, p) {
			t.Errorf("%s, which links to p2 by its title, was not rendered again", p)
		}
	}

	src["static/logo.png"] = &fstest.MapFile{Data: pngBytes(t, 64, 32)}
	build()
	if string(out.files["index.html"]) == icon {
		t.Error("the home page did not change with the logo (icon versions)")
	}
	for _, p := range []string{"posts/p3/index.html", "tags/index.html"} {
		if !slices.Contains(out.written, p) {
			t.Errorf("%s was kept although its icons changed", p)
		}
	}
	m := regexp.MustCompile(`icon-192\.png\?v=([0-9a-f]+)`).FindStringSubmatch(string(out.files["index.html"]))
	if m == nil || !strings.Contains(string(out.files["feed.json"]), "icon-512.png?v="+m[1]) || strings.Contains(icon, m[1]) {
		t.Errorf("the feed's icon does not carry the new logo's version %v", m)
	}
}

// TestDiskCacheKeepsFeedsAndIcons saves the cache after a build and reads
// it back, as two runs of "nashra build" do: the second build, with
// nothing changed, neither encodes a feed nor makes an icon, and keeps the
// previous output's files.
func TestDiskCacheKeepsFeedsAndIcons(t *testing.T) {
	src := postsFS(25, "CICA")
	src["config.yaml"] = &fstest.MapFile{Data: []byte("base_url: https://example.gov.kz/\nlogo: /logo.png\n")}
	src["static/logo.png"] = &fstest.MapFile{Data: pngBytes(t, 64, 64)}
	out := newKeepingOutput()
	build := func(cache *site.Cache) {
		t.Helper()
		out.next()
		if _, err := site.Generate(context.Background(), src, out, site.Options{Theme: layouts.FS, Cache: cache, LoadOptions: site.LoadOptions{Now: testNow}}); err != nil {
			t.Fatal(err)
		}
	}
	cache := site.NewCache()
	build(cache)
	first := map[string]string{}
	for p, d := range out.files {
		first[p] = string(d)
	}
	read := saveAndRead(t, cache)
	build(read)
	// (The sitemap, robots.txt and the manifest are small and written
	// every time; the output keeps their bytes.)
	for _, p := range out.written {
		switch path.Base(p) {
		case "feed.xml", "rss.xml", "feed.json":
			t.Errorf("%s was made again although nothing changed", p)
		}
		if strings.HasPrefix(p, "icons/") {
			t.Errorf("%s was made again although nothing changed", p)
		}
	}
	if len(out.files) != len(first) {
		t.Errorf("%d files after the second build, %d after the first", len(out.files), len(first))
	}
	for p, d := range out.files {
		if first[p] != string(d) {
			t.Errorf("%s changed", p)
		}
	}

	// One icon disappeared from the output: it alone is written again
	// (the others, kept, must not be written a second time).
	delete(out.files, "icons/icon-192.png")
	build(saveAndRead(t, read))
	var icons []string
	for _, p := range out.written {
		if strings.HasPrefix(p, "icons/") {
			icons = append(icons, p)
		}
	}
	if !slices.Equal(icons, []string{"icons/icon-192.png"}) || first["icons/icon-192.png"] != string(out.files["icons/icon-192.png"]) {
		t.Errorf("icons written after one disappeared: %v", icons)
	}
}
