package site

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// TestPageFingerprintFields checks pageFingerprint against the plain
// writing of its fields that it replaced (pageFingerprintBuilder): the
// same pages give the same fingerprints, and each field changes it.
func TestPageFingerprintFields(t *testing.T) {
	long := strings.Repeat("عنوان طويل ", 100) // beyond the stack buffer
	a := &Post{Slug: "a", Hash: "h1", BodyHash: "b1", Cover: &Image{URL: "/posts/a/c.png", Width: 640, Height: 480}}
	b := &Post{Slug: "b", Hash: "h2", BodyHash: "b2"}
	c := &Post{Slug: "c", Hash: "h3", Newer: a, Older: b, BodyHash: "b3"}
	tag := &Tag{Slug: "cica", Description: "وصف"}
	pages := []Page{
		{Path: "posts/c/index.html", Data: &PageData{Kind: "post", Title: "ج", Description: "ملخص", Post: c}},
		{Path: "posts/a/index.html", Data: &PageData{Kind: "post", Title: long, Post: a}},
		{Path: "index.html", Data: &PageData{Kind: "home", Posts: []*Post{a, b, c}, Pager: &Pager{Number: 1, Total: 12}}},
		{Path: "tags/cica/page/2/index.html", Data: &PageData{Kind: "tag", Title: "CICA – الصفحة ٢", Tag: tag, Posts: []*Post{c}, Pager: &Pager{Number: 2, Total: 2}}},
		{Path: "search/index.html", Data: &PageData{Kind: "search", SearchIndex: "/search/index.json"}},
		{Path: "404.html", Data: &PageData{Kind: "404"}},
	}
	seen := map[string]string{}
	for _, pg := range pages {
		got, want := pageFingerprint(pg, "sig"), pageFingerprintBuilder(pg, "sig")
		if got != want {
			t.Errorf("%s: fingerprint %s, want %s", pg.Path, got, want)
		}
		if other, dup := seen[got]; dup {
			t.Errorf("%s and %s have the same fingerprint", pg.Path, other)
		}
		seen[got] = pg.Path
		if pageFingerprint(pg, "other") == got {
			t.Errorf("%s: the site's signature does not change the fingerprint", pg.Path)
		}
	}
	before := pageFingerprint(pages[0], "sig")
	a.Cover.Width = 641
	if pageFingerprint(pages[0], "sig") == before {
		t.Error("the size of the newer post's cover does not change the fingerprint")
	}
}

// pageFingerprintBuilder is pageFingerprint as it was written with a
// strings.Builder, for comparison.
func pageFingerprintBuilder(pg Page, siteSig string) string {
	var b strings.Builder
	b.Grow(512)
	field := func(parts ...string) {
		for _, s := range parts {
			b.WriteString(s)
			b.WriteByte(0)
		}
	}
	d := pg.Data
	field(siteSig, pg.Path, d.Kind, d.Title, d.Description, d.SearchIndex)
	post := func(p *Post) {
		if p == nil {
			b.WriteString("-\x00")
			return
		}
		b.WriteString(p.Slug)
		b.WriteByte(' ')
		b.WriteString(p.Hash)
		if c := p.Cover; c != nil {
			b.WriteByte(' ')
			b.WriteString(c.URL)
			b.WriteByte(' ')
			b.WriteString(strconv.Itoa(c.Width))
			b.WriteByte('x')
			b.WriteString(strconv.Itoa(c.Height))
		}
		b.WriteByte(0)
	}
	if p := d.Post; p != nil {
		post(p)
		b.WriteString(p.BodyHash)
		post(p.Newer)
		post(p.Older)
	}
	for _, p := range d.Posts {
		post(p)
	}
	if d.Pager != nil {
		field("pager", strconv.Itoa(d.Pager.Number), strconv.Itoa(d.Pager.Total))
	}
	if d.Tag != nil {
		field("tag", d.Tag.Slug, d.Tag.Description)
	}
	return contentHash([]byte(b.String()))
}

// TestFeedFingerprintFields checks feedFingerprint against the fmt
// writing of its fields that it replaced.
func TestFeedFingerprintFields(t *testing.T) {
	cica, culture := &Tag{Slug: "cica", Label: "CICA"}, &Tag{Slug: "culture", Label: "ثقافة"}
	posts := []*Post{
		{Permalink: "https://example.org/posts/a/", Hash: "h1", BodyHash: "b1", Tags: []*Tag{cica, culture}},
		{Permalink: "https://example.org/posts/b/", Hash: "h2"},
	}
	icons := &siteIcons{version: "0123456789", svg: "/logo.svg"}
	for _, s := range []feedSpec{
		{title: "أخبار", subtitle: "السفارة", posts: posts},
		{dir: "tags/cica/", title: "CICA", posts: posts[:1]},
		{dir: "tags/empty/"},
	} {
		for _, ic := range []*siteIcons{nil, icons} {
			var b strings.Builder
			fmt.Fprintf(&b, "%s\x00%s\x00%s\x00", s.dir, s.title, s.subtitle)
			if ic != nil {
				fmt.Fprintf(&b, "icons %s %s\x00", ic.version, ic.svg)
			}
			for _, p := range s.posts {
				fmt.Fprintf(&b, "%s %s %s\x00", p.Permalink, p.Hash, p.BodyHash)
				for _, t := range p.Tags {
					fmt.Fprintf(&b, "%s %s\x00", t.Slug, t.Label)
				}
			}
			if got, want := feedFingerprint(s, ic), contentHash([]byte(b.String())); got != want {
				t.Errorf("feed %q (icons %v): fingerprint %s, want %s", s.dir, ic != nil, got, want)
			}
		}
	}
}
