package feed_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/nashra-press/nashra/internal/testtools"
	"github.com/nashra-press/nashra/site/feed"
)

func TestAbsoluteURLs(t *testing.T) {
	page, _ := url.Parse("https://example.gov.kz/amman/news/posts/visit/")
	cases := []struct{ in, want string }{
		{`<a href="/amman/news/posts/other/">x</a>`, `<a href="https://example.gov.kz/amman/news/posts/other/">x</a>`},
		{`<img src="/amman/news/posts/visit/photo.jpg" alt="صورة" width="1200" height="675" loading="lazy">`,
			`<img src="https://example.gov.kz/amman/news/posts/visit/photo.jpg" alt="صورة" width="1200" height="675" loading="lazy">`},
		// Footnote links point at the post's page.
		{`<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup>`,
			`<sup id="fnref:1"><a href="https://example.gov.kz/amman/news/posts/visit/#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup>`},
		{`<a href="photo.jpg">x</a>`, `<a href="https://example.gov.kz/amman/news/posts/visit/photo.jpg">x</a>`},
		{`<a href="../other/?a=1&amp;b=2">x</a>`, `<a href="https://example.gov.kz/amman/news/posts/other/?a=1&amp;b=2">x</a>`},
		{`<a href="//cdn.example.org/x.png">x</a>`, `<a href="https://cdn.example.org/x.png">x</a>`},
		// Left as they are: absolute URLs, other schemes, text.
		{`<a href="https://www.gov.kz/">x</a>`, `<a href="https://www.gov.kz/">x</a>`},
		{`<a href="mailto:amman@example.gov.kz">بريد</a> <a href="tel:+96265933000">هاتف</a>`, `<a href="mailto:amman@example.gov.kz">بريد</a> <a href="tel:+96265933000">هاتف</a>`},
		{`<p dir="rtl">نص &amp; href="/x" &lt;img src=/y&gt;</p>`, `<p dir="rtl">نص &amp; href="/x" &lt;img src=/y&gt;</p>`},
		{`<img srcset="/a.jpg 1x, /b.jpg 2x" src="/a.jpg">`, `<img srcset="https://example.gov.kz/a.jpg 1x, https://example.gov.kz/b.jpg 2x" src="https://example.gov.kz/a.jpg">`},
		{`<video poster="/p.jpg"><source src="/v.mp4"></video>`, `<video poster="https://example.gov.kz/p.jpg"><source src="https://example.gov.kz/v.mp4"></video>`},
		{`<blockquote cite="/amman/news/">x</blockquote>`, `<blockquote cite="https://example.gov.kz/amman/news/">x</blockquote>`},
	}
	for _, c := range cases {
		got, err := feed.AbsoluteURLs(c.in, page)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("AbsoluteURLs(%s)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
	if _, err := feed.AbsoluteURLs("<p>x</p>", &url.URL{Path: "/amman/news/"}); err == nil {
		t.Error("a relative page URL was accepted")
	}
}

// sample is a feed with the cases that matter: an Arabic title with Latin
// acronyms and numbers, an entry with its own author, HTML with "]]>" and
// a control character that XML cannot carry.
func sample() *feed.Feed {
	amman := time.FixedZone("+03", 3*3600)
	return &feed.Feed{
		Title:     "أخبار السفارة",
		Subtitle:  "آخر الأخبار",
		Language:  "ar",
		Home:      "https://example.gov.kz/amman/news/",
		Updated:   time.Date(2024, 12, 18, 12, 0, 0, 0, amman),
		Author:    feed.Person{Name: "سفارة جمهورية كازاخستان", URL: "https://example.gov.kz/amman/news/"},
		Icon:      "https://example.gov.kz/amman/news/icons/favicon-32.png",
		Logo:      "https://example.gov.kz/amman/news/icons/icon-512.png",
		Generator: "nashra",
		Entries: []feed.Entry{
			{
				ID:          "https://example.gov.kz/amman/news/posts/cica-2024/",
				Title:       "انطلاق قمة CICA في أستانا 2024 (EXPO 2017)",
				Link:        "https://example.gov.kz/amman/news/posts/cica-2024/",
				Published:   time.Date(2024, 12, 17, 10, 30, 0, 0, amman),
				Updated:     time.Date(2024, 12, 18, 12, 0, 0, 0, amman),
				Author:      feed.Person{Name: "المكتب الصحفي"},
				Summary:     "ملخص الخبر.",
				SummaryHTML: feed.Wrap("<p>ملخص الخبر.</p>", "rtl", "ar"),
				ContentHTML: feed.Wrap("<p>نص \x0cالخبر مع <code>a]]>b</code> و<a href=\"https://example.gov.kz/amman/news/\">رابط</a>.</p>", "rtl", "ar"),
				Categories:  []feed.Category{{Term: "cica", Label: "سيكا", Scheme: "https://example.gov.kz/amman/news/tags/"}},
				Image:       "https://example.gov.kz/amman/news/posts/cica-2024/cover.jpg",
			},
			{
				ID:          "https://example.gov.kz/amman/news/posts/old/",
				Title:       "خبر قديم",
				Link:        "https://example.gov.kz/amman/news/posts/old/",
				Published:   time.Date(2023, 1, 5, 0, 0, 0, 0, amman),
				Updated:     time.Date(2023, 1, 5, 0, 0, 0, 0, amman),
				SummaryHTML: feed.Wrap("<p>ملخص.</p>", "rtl", "ar"),
			},
		},
	}
}

func TestFormatsParse(t *testing.T) {
	f := sample()
	dir := t.TempDir()
	self := map[string]string{
		"atom": "https://example.gov.kz/amman/news/feed.xml",
		"rss":  "https://example.gov.kz/amman/news/rss.xml",
		"json": "https://example.gov.kz/amman/news/feed.json",
	}
	encode := map[string]func(string) ([]byte, error){"atom": f.Atom, "rss": f.RSS, "json": f.JSON}
	for _, format := range []string{"atom", "rss", "json"} {
		t.Run(format, func(t *testing.T) {
			data, err := encode[format](self[format])
			if err != nil {
				t.Fatal(err)
			}
			if strings.ContainsRune(string(data), '\x0c') {
				t.Error("the feed holds a form feed, which XML 1.0 forbids")
			}
			parsed, err := gofeed.NewParser().ParseString(string(data))
			if err != nil {
				t.Fatalf("gofeed: %v\n%s", err, data)
			}
			if parsed.FeedType != format {
				t.Errorf("type %q, want %q", parsed.FeedType, format)
			}
			if parsed.Title != "أخبار السفارة" || parsed.Language != "ar" {
				t.Errorf("title %q language %q", parsed.Title, parsed.Language)
			}
			if parsed.Link != f.Home || parsed.FeedLink != self[format] {
				t.Errorf("link %q feed link %q", parsed.Link, parsed.FeedLink)
			}
			if len(parsed.Items) != 2 {
				t.Fatalf("%d items, want 2", len(parsed.Items))
			}
			it := parsed.Items[0]
			// The title keeps its characters in their order: no bidi
			// controls added, Latin runs and numbers where they were.
			if it.Title != "انطلاق قمة CICA في أستانا 2024 (EXPO 2017)" {
				t.Errorf("title %q", it.Title)
			}
			if it.Link != "https://example.gov.kz/amman/news/posts/cica-2024/" || it.GUID != it.Link {
				t.Errorf("link %q guid %q", it.Link, it.GUID)
			}
			if it.PublishedParsed == nil || !it.PublishedParsed.Equal(time.Date(2024, 12, 17, 7, 30, 0, 0, time.UTC)) {
				t.Errorf("published %v", it.PublishedParsed)
			}
			if format != "rss" { // RSS has no update time per item
				if it.UpdatedParsed == nil || !it.UpdatedParsed.Equal(time.Date(2024, 12, 18, 9, 0, 0, 0, time.UTC)) {
					t.Errorf("updated %v", it.UpdatedParsed)
				}
			}
			wantContent := `<div dir="rtl" lang="ar"><p>نص الخبر مع <code>a]]>b</code> و<a href="https://example.gov.kz/amman/news/">رابط</a>.</p></div>`
			if it.Content != wantContent {
				t.Errorf("content\n got %q\nwant %q", it.Content, wantContent)
			}
			if len(it.Authors) != 1 || it.Authors[0].Name != "المكتب الصحفي" {
				t.Errorf("authors %+v", it.Authors)
			}
			if len(parsed.Items[1].Authors) != 1 || parsed.Items[1].Authors[0].Name != "سفارة جمهورية كازاخستان" {
				t.Errorf("an entry without its own author does not get the feed's: %+v", parsed.Items[1].Authors)
			}
			if len(it.Categories) != 1 {
				t.Errorf("categories %v", it.Categories)
			}
			// A summary-only entry carries its summary as HTML, wrapped.
			old := parsed.Items[1]
			got := old.Description
			if format == "json" {
				got = old.Content
			}
			if got != `<div dir="rtl" lang="ar"><p>ملخص.</p></div>` {
				t.Errorf("summary-only entry: %q", got)
			}
			if format == "atom" {
				p := filepath.Join(dir, "atom.xml")
				if err := os.WriteFile(p, data, 0o644); err != nil {
					t.Fatal(err)
				}
				testtools.AssertValidAtom(t, p)
			}
		})
	}
}

func TestWrap(t *testing.T) {
	for _, c := range []struct{ in, dir, lang, want string }{
		{"<p>نص</p>", "rtl", "ar", `<div dir="rtl" lang="ar"><p>نص</p></div>`},
		{"<p>x</p>", "", "en", `<div lang="en"><p>x</p></div>`},
		{"", "rtl", "ar", ""},
		{"<p>x</p>", `"><script>`, "ar", `<div dir="&#34;&gt;&lt;script&gt;" lang="ar"><p>x</p></div>`},
	} {
		if got := feed.Wrap(c.in, c.dir, c.lang); got != c.want {
			t.Errorf("Wrap(%q, %q, %q) = %q, want %q", c.in, c.dir, c.lang, got, c.want)
		}
	}
}

func TestControlCharactersDropped(t *testing.T) {
	f := sample()
	f.Entries = f.Entries[:1]
	e := &f.Entries[0]
	e.Title = "عنوان\x01 \uFFFEمع\uFFFF محارف\x1f"
	e.ContentHTML = feed.Wrap("<p>نص\x00 \ufeffسليم \t\n\uFFFD</p>", "rtl", "ar")
	data, err := f.Atom("https://example.gov.kz/amman/news/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := gofeed.NewParser().ParseString(string(data))
	if err != nil {
		t.Fatalf("gofeed: %v", err)
	}
	it := parsed.Items[0]
	if it.Title != "عنوان مع محارف" {
		t.Errorf("title %q", it.Title)
	}
	// U+FEFF, U+FFFD and whitespace are allowed and kept.
	if want := "<div dir=\"rtl\" lang=\"ar\"><p>نص \ufeffسليم \t\n\uFFFD</p></div>"; it.Content != want {
		t.Errorf("content %q, want %q", it.Content, want)
	}
	p := filepath.Join(t.TempDir(), "atom.xml")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	testtools.AssertValidAtom(t, p)
}
