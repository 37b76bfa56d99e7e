package site_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/mmcdole/gofeed"

	"github.com/nashra-press/nashra/internal/testtools"
	"github.com/nashra-press/nashra/site"
	"github.com/nashra-press/nashra/site/bidi"
)

// bidiPost has Latin acronyms and numbers in Arabic, in its title and its
// text: the cases of docs/arabic-rtl.md B4.
const (
	bidiTitle = "انطلاق قمة CICA في أستانا 2024"
	bidiText  = "افتتح مؤتمر آسيا (CICA) أعماله في أستانا عام 2024 بمشاركة 28 دولة."
)

// feedItem builds a one-post site and returns the post as the Atom feed
// carries it, parsed by gofeed, and the post's page.
func feedItem(t *testing.T, config string) (*gofeed.Item, string) {
	t.Helper()
	src := fstest.MapFS{
		"config.yaml":   {Data: []byte("title: \"أخبار\"\nbase_url: https://example.gov.kz/\n" + config)},
		"posts/cica.md": {Data: []byte("---\ntitle: \"" + bidiTitle + "\"\ndate: 2024-10-01\n---\n\n" + bidiText + "\n")},
	}
	_, out := buildSite(t, src, site.Options{})
	data, _ := out.File("feed.xml")
	f, err := gofeed.NewParser().ParseString(string(data))
	if err != nil || len(f.Items) != 1 {
		t.Fatalf("feed: %v, %d items", err, len(f.Items))
	}
	page, _ := out.File("posts/cica/index.html")
	return f.Items[0], string(page)
}

// visualOrder loads body into a left-to-right English page, as a feed
// reader with an English interface shows an entry, and returns the
// horizontal centre of each word in the element with the given id, in
// CSS pixels from the left.
func visualOrder(t *testing.T, ctx context.Context, body, id string, words []string) []float64 {
	t.Helper()
	page := `<!doctype html><html lang="en" dir="ltr"><head><meta charset="utf-8"><title>Reader</title>
<style>body { width: 1400px; font: 16px "DejaVu Sans", sans-serif; }</style></head><body>` + body + `</body></html>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	t.Cleanup(srv.Close)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	var xs []float64
	for _, w := range words {
		js := fmt.Sprintf(`(() => {
  const root = document.getElementById(%q), word = %q;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const i = n.data.indexOf(word);
    if (i < 0) continue;
    const r = document.createRange();
    r.setStart(n, i); r.setEnd(n, i + word.length);
    const rects = r.getClientRects();
    if (rects.length !== 1) return -2;
    return rects[0].left + rects[0].width / 2;
  }
  return -1;
})()`, id, w)
		x, err := chromedp.Run(ctx, chromedp.Evaluate[float64](js))
		if err != nil {
			t.Fatal(err)
		}
		if x < 0 {
			t.Fatalf("%q: not found in #%s, or split across lines (%v)", w, id, x)
		}
		xs = append(xs, x)
	}
	return xs
}

// rightToLeft checks that words, listed in reading order, stand from right
// to left on the line.
func rightToLeft(t *testing.T, what string, words []string, xs []float64) {
	t.Helper()
	for i := 1; i < len(xs); i++ {
		if xs[i] >= xs[i-1] {
			t.Errorf("%s: %q (x=%.0f) is not left of %q (x=%.0f); order on screen is wrong", what, words[i], xs[i], words[i-1], xs[i-1])
		}
	}
}

// TestFeedBidiInLTRReader checks, in Chromium, that a feed entry's Arabic
// text with Latin acronyms and numbers keeps its reading order when a
// left-to-right reader shows it: the content carries its own direction
// (<div dir="rtl" lang="ar">), and with bidi_controls the title carries
// U+2067 … U+2069, which docs/arabic-rtl.md B4 found to fix titles in
// left-to-right places. Without the flag the title is the post's title,
// character for character.
func TestFeedBidiInLTRReader(t *testing.T) {
	ctx, cancel := context.WithTimeout(testtools.Chromium(t), 60*time.Second)
	defer cancel()

	plain, page := feedItem(t, "")
	if plain.Title != bidiTitle {
		t.Errorf("title %q, want the post's title %q unchanged", plain.Title, bidiTitle)
	}
	if !strings.Contains(page, `<meta property="og:title" content="`+bidiTitle+`">`) {
		t.Error("og:title is not the post's title unchanged")
	}
	words := []string{"افتتح", "آسيا", "CICA", "أعماله", "أستانا", "2024", "بمشاركة", "28", "دولة"}
	xs := visualOrder(t, ctx, `<article id="entry">`+plain.Content+`</article>`, "entry", words)
	rightToLeft(t, "content", words, xs)

	isolated, page := feedItem(t, "bidi_controls: true\n")
	// RLI … PDI around the title, LRI … PDI around its Latin runs.
	want := bidi.Controls(bidiTitle)
	if isolated.Title != want || !strings.HasPrefix(want, "\u2067") || !strings.HasSuffix(want, "\u2069") ||
		strings.NewReplacer("\u2066", "", "\u2067", "", "\u2069", "").Replace(want) != bidiTitle {
		t.Errorf("title %q, want %q: the title between U+2067 and U+2069", isolated.Title, want)
	}
	if !strings.Contains(page, `<meta property="og:title" content="`+want+`">`) {
		t.Error("og:title is not isolated like the feed title")
	}
	// The JSON-LD headline is data, not text shown to a reader.
	if !strings.Contains(page, `"headline":"`+bidiTitle+`"`) || strings.Contains(page, "<h1>\u2067") {
		t.Error("bidi_controls changed the JSON-LD headline or the page's heading")
	}
	titleWords := []string{"انطلاق", "قمة", "CICA", "أستانا", "2024"}
	xs = visualOrder(t, ctx, `<h1 id="title">`+html.EscapeString(isolated.Title)+`</h1>`, "title", titleWords)
	rightToLeft(t, "isolated title", titleWords, xs)
	if !strings.Contains(isolated.Content, "CICA") {
		t.Errorf("content %q", isolated.Content)
	}
}
