package testtools

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// serve starts an HTTP server on 127.0.0.1 that serves pages by path.
func serve(t *testing.T, pages map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	t.Cleanup(srv.Close)
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("test server at %s, want 127.0.0.1", srv.URL)
	}
	return srv
}

// within returns a context that bounds the steps of one test.
func within(t *testing.T, ctx context.Context) context.Context {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestChromium(t *testing.T) {
	t.Parallel()
	srv := serve(t, map[string]string{
		"/": `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>نشرة: اختبار</title></head>
<body><h1 id="heading">مرحبا بالعالم</h1><p id="js"></p>
<script>document.getElementById("js").textContent = "سكربت " + (40 + 2);</script></body></html>`,
	})
	ctx := within(t, Chromium(t))

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.title`))
	if err != nil {
		t.Fatal(err)
	}
	if title != "نشرة: اختبار" {
		t.Errorf("document.title = %q", title)
	}
	heading, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#heading")))
	if err != nil {
		t.Fatal(err)
	}
	if heading != "مرحبا بالعالم" {
		t.Errorf("text of #heading = %q", heading)
	}
	// The script ran.
	js, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("js")))
	if err != nil {
		t.Fatal(err)
	}
	if js != "سكربت 42" {
		t.Errorf("text of #js = %q", js)
	}
	dir, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).direction`))
	if err != nil {
		t.Fatal(err)
	}
	if dir != "rtl" {
		t.Errorf("direction of body = %q, want rtl", dir)
	}
}

// TestAxe injects axe-core into pages in Chromium and runs it: it must report
// the image without alt text, and not a page whose image has one.
func TestAxe(t *testing.T) {
	t.Parallel()
	axe := AxeJS(t)
	const head = `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>صورة</title></head><body><main><h1>صورة</h1>`
	srv := serve(t, map[string]string{
		"/bad":  head + `<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="1" height="1"></main></body></html>`,
		"/good": head + `<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="1" height="1" alt="نقطة"></main></body></html>`,
	})
	ctx := within(t, Chromium(t))

	violations := func(path string) []string {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+path)); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
			t.Fatalf("inject axe.min.js: %v", err)
		}
		ids, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
			`axe.run(document).then(r => r.violations.map(v => v.id))`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("axe.run on %s: %v", path, err)
		}
		t.Logf("axe violations on %s: %v", path, ids)
		return ids
	}
	if ids := violations("/bad"); !slices.Contains(ids, "image-alt") {
		t.Errorf("axe did not report image-alt on /bad: %v", ids)
	}
	if ids := violations("/good"); slices.Contains(ids, "image-alt") {
		t.Errorf("axe reported image-alt on /good: %v", ids)
	}
}
