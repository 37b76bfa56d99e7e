package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSlugify(t *testing.T) {
	cases := map[string]string{
		"التعاون الاقتصادي":       "التعاون-الاقتصادي",
		"مؤتمر CICA في أستانا":    "مؤتمر-cica-في-أستانا",
		"الأُرْدُنّ":              "الأردن",
		"التـــعاون":              "التعاون",
		"Hello, World!":           "hello-world",
		"عام 2024: حصاد":          "عام-2024-حصاد",
		"  مسافات   كثيرة  ":      "مسافات-كثيرة",
		"?!":                      "",
		"\u200fعنوان\u200e":       "عنوان",
		"أرقام ١٢٣":               "أرقام-١٢٣",
		"snake_case and-hyphen":   "snake-case-and-hyphen",
		"Kazakhstan – Jordan":     "kazakhstan-jordan",
		"قمة «سيكا» (CICA) 2024.": "قمة-سيكا-cica-2024",
	}
	for in, want := range cases {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHeadingIDsUnique(t *testing.T) {
	c := New(Options{})
	res, err := c.Convert([]byte("## الأخبار\n\n## الأخبار\n\n## الأخبار\n\n## ?!\n\n## ?!\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Headings {
		ids = append(ids, h.ID)
	}
	want := "الأخبار الأخبار-1 الأخبار-2 section section-1"
	if strings.Join(ids, " ") != want {
		t.Errorf("ids = %v, want %s", ids, want)
	}
	if !strings.Contains(string(res.HTML), `<h2 id="الأخبار-1">`) {
		t.Errorf("HTML lacks the Arabic id:\n%s", res.HTML)
	}
}

func TestSummary(t *testing.T) {
	c := New(Options{})
	cases := []struct{ src, summary string }{
		{"## عنوان\n\nالفقرة **الأولى**\nتكمل هنا.\n\nالثانية.\n", "الفقرة الأولى تكمل هنا."},
		{"مقدمة.\n\nتتمة المقدمة.\n\n<!--more-->\n\nالباقي.\n", "مقدمة. تتمة المقدمة."},
		{"فقرة مع [رابط](/x/) و`code` و![صورة](a.png).\n", "فقرة مع رابط وcode و."},
		{"", ""},
	}
	for _, tc := range cases {
		res, err := c.Convert([]byte(tc.src), nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Summary != tc.summary {
			t.Errorf("summary of %q = %q, want %q", tc.src, res.Summary, tc.summary)
		}
		if strings.Contains(string(res.HTML), "more") {
			t.Errorf("<!--more--> left in the HTML: %s", res.HTML)
		}
	}
}

func TestPlainText(t *testing.T) {
	src := "## عنوان   **عريض**\n\nالفقرة **الأولى**\nتكمل  هنا.\n\n- بند [رابط](/x/)\n- بند ثانٍ\n\n```\ncode  line\n```\n"
	res, err := New(Options{}).Convert([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "عنوان عريض\nالفقرة الأولى تكمل هنا.\nبند رابط بند ثانٍ\ncode line"
	if res.Text != want {
		t.Errorf("Text = %q, want %q", res.Text, want)
	}
}

func TestRawHTMLOmittedUnlessUnsafe(t *testing.T) {
	src := []byte("<script>alert(1)</script>\n\nنص <b onclick=\"x\">عريض</b>.\n\n[رابط](javascript:alert(1))\n")
	safe, _ := New(Options{}).Convert(src, nil)
	for _, bad := range []string{"<script", "onclick", "javascript:"} {
		if strings.Contains(string(safe.HTML), bad) {
			t.Errorf("safe output contains %q:\n%s", bad, safe.HTML)
		}
	}
	unsafe, _ := New(Options{UnsafeHTML: true}).Convert(src, nil)
	if !strings.Contains(string(unsafe.HTML), "<b onclick") {
		t.Errorf("unsafe_html dropped raw HTML:\n%s", unsafe.HTML)
	}
}

func TestGFMAndFootnotes(t *testing.T) {
	src := "| أ | ب |\n|---|---|\n| 1 | 2 |\n\n~~قديم~~ www.example.com\n\n- [x] تم\n- [ ] لم يتم\n\nنص[^1].\n\n[^1]: حاشية.\n"
	res, _ := New(Options{}).Convert([]byte(src), nil)
	html := string(res.HTML)
	for _, want := range []string{"<table>", "<del>قديم</del>", `<a href="http://www.example.com">`, `type="checkbox"`, `class="footnotes"`, `id="fn:1"`} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %s in\n%s", want, html)
		}
	}
}

type recordingResolver struct{ refs []Ref }

func (r *recordingResolver) Link(ref Ref) string {
	r.refs = append(r.refs, ref)
	return "/base" + ref.Dest
}
func (r *recordingResolver) Image(ref Ref) Image {
	r.refs = append(r.refs, ref)
	return Image{URL: "/img/" + ref.Dest, Width: 160, Height: 90}
}

func TestResolverPositionsAndImages(t *testing.T) {
	src := "سطر أول.\n\nفي السطر الثالث [رابط](/posts/a/) ثم\n![صورة](photo.jpg)\n"
	r := &recordingResolver{}
	res, err := New(Options{}).Convert([]byte(src), r)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.refs) != 2 {
		t.Fatalf("refs = %+v", r.refs)
	}
	// "في السطر الثالث [رابط](" is 23 characters, so /posts/a/ starts at 24.
	if got := r.refs[0]; got.Line != 3 || got.Col != 24 || got.Dest != "/posts/a/" || got.Image {
		t.Errorf("link ref = %+v", got)
	}
	if got := r.refs[1]; got.Line != 4 || got.Col != 9 || !got.Image {
		t.Errorf("image ref = %+v", got)
	}
	html := string(res.HTML)
	for _, want := range []string{`href="/base/posts/a/"`, `src="/img/photo.jpg"`, `width="160"`, `height="90"`, `loading="lazy"`} {
		if !strings.Contains(html, want) {
			t.Errorf("missing %s in %s", want, html)
		}
	}
}

func FuzzConvert(f *testing.F) {
	for _, seed := range []string{"## عنوان\n\nنص [رابط](/x/) ![ص](a.png)\n", "<!--more-->", "| a |\n|-|\n", "[^1]\n\n[^1]: x", "<script>x</script>", "\xff\xfe"} {
		f.Add(seed)
	}
	c := New(Options{})
	f.Fuzz(func(t *testing.T, src string) {
		res, err := c.Convert([]byte(src), &recordingResolver{})
		if err != nil {
			return
		}
		if utf8.ValidString(src) && !utf8.Valid(res.HTML) {
			t.Errorf("invalid UTF-8 out of valid input %q", src)
		}
		if strings.Contains(strings.ToLower(string(res.HTML)), "<script") {
			t.Errorf("script element in output of %q", src)
		}
	})
}

func TestTables(t *testing.T) {
	src := "| الوجهة | المسافة | الفرق |\n|:---|---:|---|\n| ألماتي | 3,800 كم | +2 ساعة |\n"
	res, err := New(Options{}).Convert([]byte(src), nil)
	if err != nil {
		t.Fatal(err)
	}
	html := string(res.HTML)
	for _, want := range []string{
		"<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"جدول\">\n<table>\n",
		`<th style="text-align:start">الوجهة</th>`,
		`<th style="text-align:end">المسافة</th>`,
		"<th>الفرق</th>",
		`<td><span dir="ltr">+2</span> ساعة</td>`,
		"</table>\n</div>\n",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("table HTML lacks %q:\n%s", want, html)
		}
	}
	if strings.Contains(html, "left") || strings.Contains(html, "right") {
		t.Errorf("physical alignment in:\n%s", html)
	}
}

// TestTypography checks the Arabic quotation marks, the other
// substitutions, and that plain text (summaries) holds the same
// characters as the page.
func TestTypography(t *testing.T) {
	cases := []struct{ src, html, summary string }{
		{`قال السفير "أهلاً وسهلاً" في عمّان...`, `<p>قال السفير «أهلاً وسهلاً» في عمّان…</p>`, "قال السفير «أهلاً وسهلاً» في عمّان…"},
		{"للفترة 2020--2024 -- وهي <<سيكا>>.", "<p>للفترة 2020–2024 – وهي «سيكا».</p>", "للفترة 2020–2024 – وهي «سيكا»."},
		// Arabic comma and question mark, and ASCII ones, stay as written;
		// single quotes too.
		{"هل حضرت؟ نعم، و'لا', ok?", "<p>هل حضرت؟ نعم، و'لا', <span dir=\"ltr\">ok</span>?</p>", "هل حضرت؟ نعم، و'لا', ok?"},
		{`The ambassador said "welcome".`, `<p lang="en" dir="ltr">The ambassador said “welcome”.</p>`, "The ambassador said “welcome”."},
		{`شركة AT&amp;T و\*نجمة\*`, `<p>شركة <span dir="ltr">AT&amp;T</span> و*نجمة*</p>`, "شركة AT&T و*نجمة*"},
	}
	for _, tc := range cases {
		res, err := New(Options{}).Convert([]byte(tc.src), nil)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(string(res.HTML)); got != tc.html {
			t.Errorf("%s\n got %s\nwant %s", tc.src, got, tc.html)
		}
		if res.Summary != tc.summary {
			t.Errorf("summary of %s\n got %q\nwant %q", tc.src, res.Summary, tc.summary)
		}
	}
}

func TestHeadingMarker(t *testing.T) {
	res, err := New(Options{}).Convert([]byte("## Press release {lang=en}\n\n## البيان\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res.HTML), `<h2 id="press-release" lang="en" dir="ltr">Press release</h2>`) {
		t.Errorf("the marker is part of the heading or its ID:\n%s", res.HTML)
	}
	if res.Headings[0].ID != "press-release" || res.Headings[1].ID != "البيان" {
		t.Errorf("headings = %+v", res.Headings)
	}
}
