package layouts_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/nashra-press/nashra/internal/testtools"
)

// EnvScreenshots names the folder where TestBrowserPages writes its
// screenshots (CI keeps it); by default a temporary folder.
const EnvScreenshots = "NASHRA_SCREENSHOTS"

// servePublic serves a built site at its base path /amman/news/ (the
// sample's base_url) on 127.0.0.1, with extra test pages at /test/.
func servePublic(t *testing.T, dir string, extra map[string]string) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle("/amman/news/", http.StripPrefix("/amman/news/", http.FileServer(http.Dir(dir))))
	for name, body := range extra {
		mux.HandleFunc("/test/"+name, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, body)
		})
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("server at %s", srv.URL)
	}
	return srv
}

// contrastJS measures the WCAG contrast of the text of every visible
// element that holds text of its own, against the background it is drawn
// on, and returns those under 4.5:1. axe-core cannot do it for text made
// only of Arabic letters (docs/architecture.md), so the test does it for
// all text.
const contrastJS = `function contrast(min) {
  const parse = (c) => {
    const m = c.match(/rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)/);
    if (!m) throw new Error("colour " + c);
    return [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]];
  };
  const over = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] === 1) break; }
    }
    let bg = parse(getComputedStyle(document.documentElement).backgroundColor);
    if (bg[3] < 1) bg = matchMedia("(prefers-color-scheme: dark)").matches ? [18, 18, 18, 1] : [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const bad = [];
  let checked = 0;
  for (const el of document.body.querySelectorAll("*")) {
    const own = [...el.childNodes].filter(n => n.nodeType === 3 && n.data.trim() !== "");
    if (own.length === 0) continue;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    if (s.display === "none" || s.visibility === "hidden" || r.width <= 1 || r.height <= 1) continue;
    const bg = background(el);
    const fg = over(parse(s.color), bg);
    const l1 = lum(fg), l2 = lum(bg);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    checked++;
    if (ratio < 4.5) bad.push(el.tagName.toLowerCase() + "." + el.className + " «" + own[0].data.trim().slice(0, 30) + "» " + ratio.toFixed(2) + ":1 (" + s.color + " on " + bg + ")");
  }
  if (checked < min) throw new Error("only " + checked + " elements with text");
  return bad;
}`

// TestBrowserPages opens the home page, a post and a tag page of the
// sample site in headless Chromium at 375 and 1280 pixels, in light and
// dark mode: it writes screenshots, runs axe-core, measures the contrast
// of all text, and checks the web font.
func TestBrowserPages(t *testing.T) {
	axe := testtools.AxeJS(t)
	dir := buildSample(t)
	shots := os.Getenv(EnvScreenshots)
	if shots == "" {
		shots = t.TempDir()
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	latin := `<!doctype html><html lang="en" dir="ltr"><head><meta charset="utf-8"><title>Latin</title>
<link rel="stylesheet" href="/amman/news/assets/style.css"></head><body><main><p>Only Latin text here: Embassy of Kazakhstan, Amman.</p></main></body></html>`
	srv := servePublic(t, dir, map[string]string{"latin.html": latin})

	ctx := testtools.Chromium(t)
	ctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()

	// unicode-range: a page without Arabic does not download the Arabic
	// font file (and draws its Latin with the Latin subset). This runs
	// first, while the fresh browser has nothing in its cache.
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/test/latin.html")); err != nil {
		t.Fatal(err)
	}
	files, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`document.fonts.ready.then(() => performance.getEntriesByType("resource").map(e => e.name).filter(n => n.includes("/fonts/")))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if !containsPrefix(files, srv.URL+"/amman/news/assets/fonts/noto-naskh-arabic-latin-400-normal.woff2") {
		t.Errorf("the Latin page did not load the Latin subset: %v", files)
	}
	for _, f := range files {
		if strings.Contains(f, "-arabic-arabic-") {
			t.Errorf("the Latin page downloaded the Arabic font: %s", f)
		}
	}
	// The contrast measurement finds low contrast when there is some.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](
		`document.body.insertAdjacentHTML("beforeend", '<p style="color:#999;background:#fff">نص باهت</p><p style="color:#595959;background:#fff">نص مقروء</p><p style="color:#767676">بلا خلفية</p>')`)); err != nil {
		t.Fatal(err)
	}
	bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](contrastJS+"; contrast(3)"))
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 1 || !strings.Contains(bad[0], "نص باهت") || !strings.Contains(bad[0], "2.85:1") {
		t.Errorf("control: #999 on white (2.85:1) must be the only contrast failure, got %v", bad)
	}

	pages := map[string]string{
		"home": "/amman/news/",
		"post": "/amman/news/posts/week-in-brief-2024-12-06/",
		"tag":  "/amman/news/tags/cica/",
	}
	for _, scheme := range []string{"light", "dark"} {
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		}); err != nil {
			t.Fatal(err)
		}
		for _, width := range []int64{375, 1280} {
			for name, path := range pages {
				t.Run(fmt.Sprintf("%s-%d-%s", name, width, scheme), func(t *testing.T) {
					if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(srv.URL+path)); err != nil {
						t.Fatal(err)
					}
					if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
						t.Fatal(err)
					}
					png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
					if err != nil {
						t.Fatal(err)
					}
					file := filepath.Join(shots, fmt.Sprintf("%s-%d-%s.png", name, width, scheme))
					if err := os.WriteFile(file, png, 0o644); err != nil {
						t.Fatal(err)
					}

					bad, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](contrastJS+"; contrast(10)"))
					if err != nil {
						t.Fatal(err)
					}
					for _, b := range bad {
						t.Errorf("contrast under 4.5:1: %s", b)
					}

					if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axe)); err != nil {
						t.Fatalf("inject axe: %v", err)
					}
					violations, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
						`axe.run(document).then(r => r.violations.map(v => v.id + ": " + v.help + " at " + v.nodes.map(n => n.target.join(" ")).join(", ")))`,
						chromedp.EvalAwaitPromise))
					if err != nil {
						t.Fatal(err)
					}
					for _, v := range violations {
						t.Errorf("axe: %s", v)
					}

					// The page is drawn with the self-hosted font, loaded from
					// this site only.
					fonts, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
						`[...document.fonts].filter(f => f.status === "loaded").map(f => f.family + " " + f.weight)`))
					if err != nil {
						t.Fatal(err)
					}
					if !containsPrefix(fonts, `"Noto Naskh Arabic" 400`) && !containsPrefix(fonts, `Noto Naskh Arabic 400`) {
						t.Errorf("loaded fonts = %v, want Noto Naskh Arabic 400", fonts)
					}
					hosts, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
						`performance.getEntriesByType("resource").map(e => new URL(e.name).origin).filter(o => o !== location.origin)`))
					if err != nil {
						t.Fatal(err)
					}
					if len(hosts) > 0 {
						t.Errorf("resources loaded from other hosts: %v", hosts)
					}
				})
			}
		}
	}

	t.Logf("screenshots in %s", shots)
}

func containsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}
