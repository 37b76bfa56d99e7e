package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/nashra-press/nashra/internal/testtools"
)

// TestPreviewInChromium opens a post of `nashra serve` in headless
// Chromium and changes its markdown on disk: the page shows the new text
// with no reload by the test; a broken front matter shows the error; the
// fix brings the page back.
func TestPreviewInChromium(t *testing.T) {
	browser := testtools.Chromium(t)
	ctx, cancel := context.WithTimeout(browser, 2*time.Minute)
	defer cancel()
	root := smallSite(t)
	c, base := startServe(t, root)

	// Every load of the page (the first, and each reload the page does by
	// itself) is a signal to look at it again.
	loads := make(chan struct{}, 64)
	if err := chromedp.Listen(ctx, func(ev any) {
		if _, ok := ev.(*page.EventLoadEventFired); ok {
			select {
			case loads <- struct{}{}:
			default:
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/amman/news/posts/second/")); err != nil {
		t.Fatal(err)
	}
	body := func() string {
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
		if err != nil {
			return "" // the page is being replaced; the next load tells
		}
		return text
	}
	// waitPage waits for a load after which the page's text satisfies ok.
	waitPage := func(what string, ok func(string) bool) string {
		t.Helper()
		for {
			if text := body(); ok(text) {
				return text
			}
			select {
			case <-loads:
			case <-ctx.Done():
				t.Fatalf("%s: the page never showed it; it shows:\n%s\nserver output:\n%s%s", what, body(), c.stdout.String(), c.stderr.String())
			}
		}
	}
	waitPage("the post", func(s string) bool { return strings.Contains(s, "نص الخبر الثاني") })
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.nashraMark = true`)); err != nil {
		t.Fatal(err)
	}

	// The markdown changes on disk: the page shows the new text.
	putFiles(t, root, map[string]string{"posts/second.md": postFile("الخبر الثاني", "2024-12-02", "second", "فقرة كُتبت للتو في المحرّر.")})
	waitPage("the edited text", func(s string) bool { return strings.Contains(s, "فقرة كُتبت للتو في المحرّر.") })
	if marked, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.nashraMark === true`)); marked {
		t.Error("the new text came without a reload of the page")
	}

	// Broken front matter: the page shows the error.
	putFiles(t, root, map[string]string{"posts/second.md": "---\ntitle: \"الخبر الثاني\"\ndate: 2024-12-32\nslug: second\n---\n\nنص.\n"})
	text := waitPage("the error", func(s string) bool { return strings.Contains(s, "posts/second.md:3:7") })
	for _, want := range []string{"تعذّر بناء الموقع", `date "2024-12-32" is not a date nashra understands`, "date: 2024-12-32"} {
		if !strings.Contains(text, want) {
			t.Errorf("the error page lacks %q:\n%s", want, text)
		}
	}
	if dir, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).direction`)); dir != "rtl" {
		t.Errorf("the error page's direction is %q", dir)
	}

	// Fixed: the page comes back.
	putFiles(t, root, map[string]string{"posts/second.md": postFile("الخبر الثاني", "2024-12-02", "second", "عاد الخبر بعد التصحيح.")})
	text = waitPage("the fixed post", func(s string) bool { return strings.Contains(s, "عاد الخبر بعد التصحيح.") })
	if strings.Contains(text, "posts/second.md:3:7") {
		t.Errorf("the error is still shown:\n%s", text)
	}
}
