package bidi

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/nashra-press/nashra/internal/testtools"
)

// rectJS returns a function that measures where characters of a text are
// drawn: rect(id, needle, offset, length) is [left, right] of the
// characters offset..offset+length of the first occurrence of needle in
// the text of element id, from Range.getBoundingClientRect.
const rectJS = `
function rect(id, needle, offset, length) {
  const el = document.getElementById(id);
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    const i = n.data.indexOf(needle);
    if (i < 0) continue;
    const r = document.createRange();
    r.setStart(n, i + offset);
    r.setEnd(n, i + offset + length);
    const b = r.getBoundingClientRect();
    return [b.left, b.right];
  }
  throw new Error("no " + needle + " in #" + id);
}
`

// TestBrowserOrder shows the test vectors of docs/arabic-rtl.md B3 in
// headless Chromium with a real Arabic font and reads the order in which
// they are drawn. Each vector is also shown without the isolation, to
// prove that the test sees the reordering it guards against.
func TestBrowserOrder(t *testing.T) {
	md := newMarkdown(true)
	lead := convert(t, md, "CICA هو مؤتمر التفاعل وتدابير بناء الثقة في آسيا.")
	const list = "منظمات مثل CICA، SCO، وCSTO."
	const cpp = "لغة C++ للبرمجة"
	const phone = "اتصلوا على +962 6 593 3000 اليوم"
	page := `<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>ترتيب</title>
<style>
body { font-family: "Noto Naskh Arabic", sans-serif; font-size: 24px; inline-size: 40rem; }
[dir=ltr], [dir=rtl] { unicode-bidi: isolate; }
</style></head><body>
<p id="list">` + HTML(list) + `</p>
<p id="list-plain">` + list + `</p>
<p id="cpp">` + HTML(cpp) + `</p>
<p id="cpp-plain">` + cpp + `</p>
<p id="phone">` + HTML(phone) + `</p>
<p id="phone-plain">` + phone + `</p>
<div id="lead">` + lead + `</div>
</body></html>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, page)
	}))
	defer srv.Close()
	if !strings.HasPrefix(srv.URL, "http://127.0.0.1:") {
		t.Fatalf("server at %s", srv.URL)
	}

	ctx := testtools.Chromium(t)
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		t.Fatal(err)
	}
	measure := func(id, needle string, offset, length int) float64 {
		t.Helper()
		lr, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](fmt.Sprintf("%s rect(%q, %q, %d, %d)", rectJS, id, needle, offset, length)))
		if err != nil || len(lr) != 2 {
			t.Fatalf("measuring %q in #%s: %v", needle, id, err)
		}
		return lr[0]
	}

	// An Arabic reader reads from right to left: the first item must be
	// drawn rightmost.
	cica, sco, csto := measure("list", "CICA", 0, 4), measure("list", "SCO", 0, 3), measure("list", "CSTO", 0, 4)
	if !(cica > sco && sco > csto) {
		t.Errorf("isolated list drawn out of order: CICA at %.0f, SCO at %.0f, CSTO at %.0f (want right to left)", cica, sco, csto)
	}
	if p1, p2 := measure("list-plain", "CICA", 0, 4), measure("list-plain", "SCO", 0, 3); !(p2 > p1) {
		t.Errorf("control: without isolation Chromium should draw SCO before CICA (the bug of B3), got CICA at %.0f, SCO at %.0f", p1, p2)
	}

	// C++ reads C, +, + from left to right.
	c, plus1, plus2 := measure("cpp", "C++", 0, 1), measure("cpp", "C++", 1, 1), measure("cpp", "C++", 2, 1)
	if !(c < plus1 && plus1 < plus2) {
		t.Errorf("C++ drawn as something else: C at %.0f, + at %.0f, + at %.0f", c, plus1, plus2)
	}
	if pc, pp := measure("cpp-plain", "C++", 0, 1), measure("cpp-plain", "C++", 1, 1); !(pc > pp) {
		t.Errorf("control: without isolation C++ should show as ++C, got C at %.0f, + at %.0f", pc, pp)
	}

	// +962 6 593 3000 reads left to right, group after group.
	const num = "+962 6 593 3000"
	groups := []struct{ off, n int }{{0, 1}, {1, 3}, {5, 1}, {7, 3}, {11, 4}}
	var xs, plain []float64
	for _, g := range groups {
		xs = append(xs, measure("phone", num, g.off, g.n))
		plain = append(plain, measure("phone-plain", num, g.off, g.n))
	}
	for i := 1; i < len(xs); i++ {
		if !(xs[i-1] < xs[i]) {
			t.Errorf("phone number drawn out of order: %s at %v", num, xs)
			break
		}
	}
	ordered := true
	for i := 1; i < len(plain); i++ {
		ordered = ordered && plain[i-1] < plain[i]
	}
	if ordered {
		t.Errorf("control: without isolation the phone number should break up, got %v", plain)
	}

	// A paragraph that starts with CICA stays right-to-left: CICA is its
	// rightmost word, the Arabic that follows is to its left.
	dir, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector("#lead p")).direction`))
	if err != nil || dir != "rtl" {
		t.Errorf("paragraph starting with CICA: direction %q (%v), want rtl", dir, err)
	}
	if ci, ar := measure("lead", "CICA", 0, 4), measure("lead", "مؤتمر", 0, 5); !(ci > ar) {
		t.Errorf("paragraph starting with CICA: CICA at %.0f, the next Arabic word at %.0f; want CICA first on the right", ci, ar)
	}
}
