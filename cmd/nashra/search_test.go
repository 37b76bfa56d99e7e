package main

import (
	"compress/gzip"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/nashra-press/nashra/internal/testtools"
	"github.com/nashra-press/nashra/site"
	"github.com/nashra-press/nashra/site/search"
	"github.com/nashra-press/nashra/site/search/searchtest"
)

// loadSite loads the site in src as a build does, for the tests' own view
// of what each post says.
func loadSite(t testing.TB, src string, opts site.LoadOptions) *site.Content {
	t.Helper()
	fsys := os.DirFS(src)
	cfg, diags := site.LoadConfig(fsys)
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	c, diags := site.Load(fsys, cfg, opts, nil)
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	// Bodies are converted when their pages are written; the tests want
	// every post's text.
	for _, p := range c.Posts {
		if err := c.Convert(p).Err(); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// serveSite serves the built site dir under its base path on 127.0.0.1,
// compressing responses with gzip as static hosts do, so that the browser
// reports the compressed sizes.
func serveSite(t testing.TB, dir, base string) *httptest.Server {
	t.Helper()
	files := http.StripPrefix(strings.TrimSuffix(base, "/"), http.FileServer(http.Dir(dir)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/favicon.ico" {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		rec := httptest.NewRecorder()
		files.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		if rec.Code != http.StatusOK || !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			w.WriteHeader(rec.Code)
			_, _ = w.Write(rec.Body.Bytes())
			return
		}
		w.Header().Del("Content-Length")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Vary", "Accept-Encoding")
		w.WriteHeader(rec.Code)
		gz := gzip.NewWriter(w)
		_, _ = gz.Write(rec.Body.Bytes())
		_ = gz.Close()
	}))
	t.Cleanup(srv.Close)
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("test server at %s, want 127.0.0.1", srv.URL)
	}
	return srv
}

// consoleProblems collects the errors, warnings and exceptions the page
// writes to the console until the returned func is called; that func
// returns them.
func consoleProblems(ctx context.Context) func() []string {
	cctx, cancel := context.WithCancel(ctx)
	messages := chromedp.Console(cctx)
	var mu sync.Mutex
	var problems []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.IsException() {
				mu.Lock()
				problems = append(problems, fmt.Sprintf("%s (%s:%d)", m, m.URL, m.Line))
				mu.Unlock()
			}
		}
	}()
	return func() []string {
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		return problems
	}
}

// waitResults waits until the search page shows the results of query
// (data-shown on the form, or the nashra:results event), and returns the
// status text.
func waitResults(t testing.TB, ctx context.Context, query string) string {
	t.Helper()
	js := fmt.Sprintf(`new Promise(ok => {
  const form = document.getElementById("search"), status = document.getElementById("search-status");
  if (form.dataset.shown === %[1]q) { ok(status.textContent); return; }
  form.addEventListener("nashra:results", function f(e) {
    if (e.detail.query !== %[1]q) return;
    form.removeEventListener("nashra:results", f);
    ok(status.textContent);
  });
})`, query)
	status, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("waiting for the results of %q: %v", query, err)
	}
	return status
}

// allResultURLs shows every result (pressing "more" while it is there)
// and returns the links of their titles.
func allResultURLs(t testing.TB, ctx context.Context) []string {
	t.Helper()
	urls, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(async () => {
  const list = document.getElementById("search-results"), more = document.getElementById("search-more");
  while (!more.hidden) {
    const n = list.children.length;
    const grown = new Promise(ok => new MutationObserver((_, o) => { if (list.children.length > n) { o.disconnect(); ok(); } }).observe(list, {childList: true}));
    more.click();
    await grown;
  }
  return Array.from(list.querySelectorAll(".result-title a"), a => a.getAttribute("href"));
})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	return urls
}

// wordRe matches s as a whole word.
func wordRe(s string) *regexp.Regexp {
	return regexp.MustCompile(`(?:^|[^\p{L}\p{M}\p{Nd}])` + regexp.QuoteMeta(s) + `(?:$|[^\p{L}\p{M}\p{Nd}])`)
}

// postsSaying returns the URLs of the posts that show any of forms as a
// whole word: in the title, the tags, the summary or the text of the body.
func postsSaying(c *site.Content, forms ...string) []string {
	var out []string
	for _, p := range c.Posts {
		texts := visibleText(p)
		for _, f := range forms {
			if wordRe(f).MatchString(texts) {
				out = append(out, p.URL)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// visibleText is what a post shows to readers, as plain text.
func visibleText(p *site.Post) string {
	texts := []string{p.Title, p.Summary, p.Text}
	for _, tg := range p.Tags {
		texts = append(texts, tg.Label, tg.Name)
	}
	return strings.Join(texts, "\n")
}

// postsWithStem returns the URLs of the posts with a word whose stems
// include stem, in what they show (the Go analysis).
func postsWithStem(c *site.Content, stem string) []string {
	var out []string
	for _, p := range c.Posts {
		for _, tok := range search.Analyze(visibleText(p)) {
			if slices.Contains(tok.Stems, stem) {
				out = append(out, p.URL)
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// missing returns the elements of want that are not in got.
func missing(want, got []string) []string {
	var out []string
	for _, w := range want {
		if !slices.Contains(got, w) {
			out = append(out, w)
		}
	}
	return out
}

// checkSection5 checks the bar of the search issue on a built site with
// the query engine of search.js under node: every form of each row of the
// table of docs/arabic-rtl.md section 5 finds every post that holds any
// form of the row. It returns the number of (query, post) pairs checked.
func checkSection5(t *testing.T, out string, c *site.Content) int {
	t.Helper()
	rows := searchtest.Section5(t, testtools.RepoRoot(t))
	var queries []string
	for _, forms := range rows {
		queries = append(queries, forms...)
	}
	results := searchtest.Query(t, filepath.Join(out, "search"), queries)
	// Documents are numbered oldest first.
	url := func(id int) string { return c.Posts[len(c.Posts)-1-id].URL }
	checked, i := 0, 0
	for _, forms := range rows {
		want := postsSaying(c, forms...)
		for _, q := range forms {
			r := results[i]
			i++
			got := make([]string, len(r.IDs))
			for j, id := range r.IDs {
				got[j] = url(id)
			}
			for j, u := range r.URLs {
				if u != got[j] {
					t.Errorf("search %q: result %d is document %d, %s, but its chunk says %s", q, j, r.IDs[j], got[j], u)
				}
			}
			if m := missing(want, got); len(m) > 0 {
				t.Errorf("search %q misses %d of the %d posts that hold a form of %q: %v", q, len(m), len(want), forms, m)
			}
			checked += len(want)
		}
		t.Logf("%s: %d posts hold a form", forms[0], len(want))
	}
	return checked
}

// TestSearchSample builds the sample site with the real command line (and
// its draft) and
// checks the search: the section 5 bar with search.js under node, then in
// Chromium the address bar, typing, highlighting, keyboard
// use, no console errors, no axe-core violations, and the message shown
// without JavaScript. It reports the time from keypress to results.
func TestSearchSample(t *testing.T) {
	// With the draft: it is the sample post that says الإجراءات. (The
	// pages' HTML is checked by TestSampleSiteIsValidHTML.)
	root := testtools.RepoRoot(t)
	out, _ := buildSite(t, root, "-drafts")
	c := loadSite(t, root, site.LoadOptions{Drafts: true})
	base := c.Config.BasePath()
	if n := checkSection5(t, out, c); n == 0 {
		t.Error("the sample site holds no form of the section 5 words")
	}
	srv := serveSite(t, out, base)
	bctx := testtools.Chromium(t)
	ctx, cancel := context.WithTimeout(bctx, 90*time.Second)
	defer cancel()
	problems := consoleProblems(ctx)
	page := srv.URL + base + "search/"

	// From the address bar: the posts that say الأردن, in any form.
	if err := chromedp.Do(ctx, chromedp.Navigate(page+"?q=والأردن")); err != nil {
		t.Fatal(err)
	}
	status := waitResults(t, ctx, "والأردن")
	urls := allResultURLs(t, ctx)
	sorted := slices.Clone(urls)
	sort.Strings(sorted)
	saying := postsSaying(c, "الأردن")
	if len(saying) == 0 {
		t.Fatal("no sample post says الأردن")
	}
	if m := missing(saying, urls); len(m) > 0 {
		t.Errorf("?q=والأردن misses posts that say الأردن: %v", m)
	}
	if want := postsWithStem(c, "اردن"); !slices.Equal(sorted, want) {
		t.Errorf("?q=والأردن lists %v, want the posts with a word of stem اردن %v", sorted, want)
	}
	if !strings.Contains(status, "للبحث عن «والأردن»") {
		t.Errorf("status = %q", status)
	}
	t.Logf("?q=والأردن: %s, %d posts say الأردن", status, len(saying))
	marks, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#search-results mark"), m => m.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range marks {
		toks := search.Analyze(m)
		if len(toks) != 1 || !slices.Contains(toks[0].Stems, "اردن") {
			t.Errorf("highlighted %q, which is not a form of الأردن", m)
		}
	}
	if len(marks) < len(urls) {
		t.Errorf("%d words highlighted in %d results", len(marks), len(urls))
	}

	// Typing into the empty page: results as you type, timed.
	if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
		t.Fatal(err)
	}
	word := "اجراءات"
	lat := typeTimed(t, ctx, word)
	t.Logf("keypress to results on the sample site, per letter of %s: %v", word, lat)
	withWord := postsSaying(c, "الإجراءات")
	if len(withWord) == 0 {
		t.Fatal("no sample post has الإجراءات")
	}
	shown := allResultURLs(t, ctx)
	for _, u := range withWord {
		if !slices.Contains(shown, u) {
			t.Errorf("typing %s does not list %s, which has الإجراءات (listed: %v)", word, u, shown)
			continue
		}
		js := fmt.Sprintf(`Array.from(document.querySelectorAll(".result-title a")).find(a => a.getAttribute("href") === %q).closest("article").querySelectorAll("mark").length > 0 &&
Array.from(document.querySelectorAll(".result-title a")).find(a => a.getAttribute("href") === %q).closest("article").textContent`, u, u)
		text, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("result %s has no highlighted word: %v", u, err)
		}
		if !strings.Contains(text, "الإجراءات") {
			t.Errorf("result %s does not show الإجراءات: %q", u, text)
		}
	}
	marked, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#search-results mark"), m => m.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(marked, "الإجراءات") {
		t.Errorf("الإجراءات is not highlighted; highlighted: %q", marked)
	}
	loc, err := chromedp.Run(ctx, chromedp.Evaluate[string](`decodeURIComponent(location.search)`))
	if err != nil || loc != "?q="+word {
		t.Errorf("address after typing = %q (%v), want ?q=%s", loc, err, word)
	}

	// Keyboard: down from the field to the first result and on, up back.
	focus := func(keys string) string {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.KeyEvent(keys)); err != nil {
			t.Fatal(err)
		}
		id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id || document.activeElement.getAttribute("href")`))
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS("#search-q"))); err != nil {
		t.Fatal(err)
	}
	if got := focus(kb.ArrowDown); got != shown[0] {
		t.Errorf("ArrowDown in the field focuses %q, want the first result %q", got, shown[0])
	}
	if len(shown) > 1 {
		if got := focus(kb.ArrowDown); got != shown[1] {
			t.Errorf("ArrowDown on the first result focuses %q, want %q", got, shown[1])
		}
		if got := focus(kb.ArrowUp); got != shown[0] {
			t.Errorf("ArrowUp focuses %q, want %q", got, shown[0])
		}
	}
	if got := focus(kb.ArrowUp); got != "search-q" {
		t.Errorf("ArrowUp on the first result focuses %q, want the field", got)
	}

	// axe-core on the page with results.
	axeCheck(t, ctx)

	// No results.
	if err := chromedp.Do(ctx, chromedp.Navigate(page+"?q=zzzzqqq")); err != nil {
		t.Fatal(err)
	}
	if s := waitResults(t, ctx, "zzzzqqq"); !strings.Contains(s, "لا نتائج") {
		t.Errorf("status for a word no post has = %q", s)
	}

	if p := problems(); len(p) > 0 {
		t.Errorf("console errors and warnings:\n%s", strings.Join(p, "\n"))
	}

	// Without JavaScript, the page says why nothing happens.
	noJS, cancelNoJS := chromedp.NewContext(bctx)
	defer cancelNoJS()
	noJS, cancelT := context.WithTimeout(noJS, 30*time.Second)
	defer cancelT()
	err = chromedp.Do(noJS,
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}),
		chromedp.Navigate(page+"?q=الأردن"),
	)
	if err != nil {
		t.Fatal(err)
	}
	body, err := chromedp.Run(noJS, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, "يحتاج إلى JavaScript") {
		t.Errorf("without JavaScript the page does not say it needs it:\n%s", body)
	}
}

// typeTimed types word into the search field one letter at a time and
// returns, for each letter, the time from its keydown to the results.
func typeTimed(t testing.TB, ctx context.Context, word string) []time.Duration {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__keys = []; document.addEventListener("keydown", e => __keys.push(e.timeStamp), true); true`)); err != nil {
		t.Fatal(err)
	}
	var lat []time.Duration
	typed := ""
	for _, r := range word {
		typed += string(r)
		js := fmt.Sprintf(`window.__done = new Promise(ok => document.getElementById("search").addEventListener("nashra:results", function f(e) {
  if (e.detail.query !== %q) return;
  this.removeEventListener("nashra:results", f);
  ok(performance.now());
})); true`, typed)
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#search-q"), string(r))); err != nil {
			t.Fatal(err)
		}
		ms, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`__done.then(t => t - __keys[__keys.length - 1])`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		lat = append(lat, time.Duration(ms*float64(time.Millisecond)).Round(100*time.Microsecond))
	}
	return lat
}

// axeCheck runs axe-core on the current page and fails on any violation.
func axeCheck(t testing.TB, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](testtools.AxeJS(t))); err != nil {
		t.Fatalf("inject axe.min.js: %v", err)
	}
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`axe.run(document).then(r => r.violations.map(v => v.id + ": " + v.help + " " + v.nodes.map(n => n.target.join(" ")).join(", ")))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range v {
		t.Errorf("axe: %s", s)
	}
}

// TestSearchCorpus checks the bar of the search issue on the 10,000-post
// corpus of ../shared/bench/gencorpus (testtools.Corpus): every section 5 form finds every post holding another form (with
// search.js under node), and reports, from Chromium with gzip, the index
// data each query downloads (it must stay under 300 KB) and the time from
// keypress to results (reported, not asserted).
func TestSearchCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 10,000 posts; skipped with -short")
	}
	src := testtools.Corpus(t, 10000)
	// The corpus has no config.yaml; a base URL without a path keeps the
	// tests' own view of the posts (loadSite) at the same addresses.
	out, _ := buildSite(t, src, "-cache", "off", "-base-url", "https://example.gov.kz/")
	c := loadSite(t, src, site.LoadOptions{})
	if n := checkSection5(t, out, c); n == 0 {
		t.Error("the corpus holds no form of the section 5 words")
	}

	srv := serveSite(t, out, c.Config.BasePath())
	ctx, cancel := context.WithTimeout(testtools.Chromium(t), 5*time.Minute)
	defer cancel()
	problems := consoleProblems(ctx)
	page := srv.URL + c.Config.BasePath() + "search/"

	// Each query on a fresh page with an empty cache.
	queries := []string{"الأردن", "والأردن", "الأردنية", "التعاون", "وإجراءات", "إجراءات", "CICA", "2024", "٢٠٢٤",
		"كازاخستان", "الثقة", "مؤتمر التفاعل", "بناء الثقة في آسيا", "وزراء خارجية الدول الأعضاء", "أستانا"}
	var sizes []int
	for _, q := range queries {
		err := chromedp.Do(ctx,
			chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
				_, err := cdp.Call(ctx, t, network.ClearBrowserCache, cdp.Empty{})
				return err
			}),
			chromedp.Navigate(page+"?q="+url.QueryEscape(q)),
		)
		if err != nil {
			t.Fatal(err)
		}
		status := waitResults(t, ctx, q)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`(() => {
  let index = 0, files = 0;
  for (const r of performance.getEntriesByType("resource")) {
    if (/\/search\/.*\.json/.test(r.name)) { index += r.encodedBodySize; files++; }
  }
  return [index, files];
})()`))
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, got[0])
		t.Logf("%-28s %6.1f KB gzipped in %2d files; %s", q, float64(got[0])/1024, got[1], status)
		if got[0] > 300*1024 {
			t.Errorf("search %q downloads %d bytes of index data, more than 300 KB", q, got[0])
		}
	}
	sort.Ints(sizes)
	t.Logf("index data per query: median %.1f KB, max %.1f KB (gzipped)", float64(sizes[len(sizes)/2])/1024, float64(sizes[len(sizes)-1])/1024)

	// Typing, letter by letter, on a fresh page.
	var all []time.Duration
	for _, word := range []string{"الأردن", "التعاون", "كازاخستان"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(page)); err != nil {
			t.Fatal(err)
		}
		lat := typeTimed(t, ctx, word)
		t.Logf("keypress to results, per letter of %s: %v", word, lat)
		all = append(all, lat...)
	}
	slices.Sort(all)
	t.Logf("keypress to results over %d letters: median %v, max %v", len(all), all[len(all)/2], all[len(all)-1])

	if p := problems(); len(p) > 0 {
		t.Errorf("console errors and warnings:\n%s", strings.Join(p, "\n"))
	}
}
