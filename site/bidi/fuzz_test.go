package bidi

import (
	"html"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"منظمات مثل CICA، SCO، وCSTO.",
	"في آسيا (CICA).",
	"المؤتمر (Astana Forum).",
	"لغة C++ وC# و **Astana** International Forum 2025 هنا.",
	"الهاتف +962 (6) 593-3000 أو consular.amman@example.gov.kz، في 05/12/2024 بنسبة 50%.",
	"CSTO هو الاختصار الإنجليزي",
	"The \"سيكا\" conference {lang=en}",
	"- item CICA\n- English item here\n",
	"## Press release {lang=en}\n\n| a | b |\n|---|---|\n| UTC+5 | +2 ساعة |\n",
	"`code` و AT&amp;T و d'Ivoire و \\*CICA\\* [^1]\n\n[^1]: SCO.\n",
	"[Astana *Times*](https://x.kz) و<b>CICA</b> ![CICA](a.png)",
	"Astana\nInternational (Forum [2025) ]هنا",
	"&#x627;&amp;&nbsp;&bogus; CICA&#1575;",
}

// spanTag matches the elements and attributes the bidi pass adds.
var (
	addedTag    = regexp.MustCompile(`<span(?: lang="[^"]*")? dir="(?:ltr|rtl)">|</span>`)
	addedAttr   = regexp.MustCompile(` (?:lang="[^"]*"|dir="(?:ltr|rtl)")`)
	anyTag      = regexp.MustCompile(`<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>`)
	markerAny   = regexp.MustCompile(`\s*\{lang=[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\}`)
	voidElement = map[string]bool{"br": true, "hr": true, "img": true, "input": true}
)

// balanced reports whether the tags of an HTML fragment nest properly.
func balanced(s string) bool {
	var stack []string
	for _, m := range anyTag.FindAllStringSubmatch(s, -1) {
		name := strings.ToLower(m[2])
		if voidElement[name] {
			continue
		}
		if m[1] == "" {
			stack = append(stack, name)
			continue
		}
		if len(stack) == 0 || stack[len(stack)-1] != name {
			return false
		}
		stack = stack[:len(stack)-1]
	}
	return len(stack) == 0
}

// visible returns the text of an HTML fragment: tags removed, references
// resolved, the Arabic and English quotation marks made equal and
// language markers removed.
func visible(s string) string {
	s = anyTag.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	s = strings.NewReplacer("“", "«", "”", "»").Replace(s)
	return markerAny.ReplaceAllString(s, "")
}

// FuzzExtension checks the bidi pass on any markdown: its output is valid
// UTF-8 with balanced tags, and shows the same text as goldmark without
// it; without the added spans and attributes it is goldmark's output.
func FuzzExtension(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	with, without := newMarkdown(true), newMarkdown(false)
	f.Fuzz(func(t *testing.T, src string) {
		if !utf8.ValidString(src) {
			return
		}
		got := convert(t, with, src)
		ref := convert(t, without, src)
		if !utf8.ValidString(got) {
			t.Fatalf("invalid UTF-8 in %q", got)
		}
		if balanced(ref) && !balanced(got) {
			t.Fatalf("tags do not nest:\n%s", got)
		}
		if strings.Contains(got, `dir="auto"`) {
			t.Fatalf("dir=auto:\n%s", got)
		}
		if g, r := visible(got), visible(ref); g != r {
			t.Fatalf("text changed:\n got %q\nwant %q\nhtml:\n%s\nreference:\n%s", g, r, got, ref)
		}
		if markerAny.MatchString(src) {
			return // markers are removed: the markup differs by more than wrappers
		}
		stripped := addedAttr.ReplaceAllString(addedTag.ReplaceAllString(got, ""), "")
		stripped = strings.NewReplacer("“", "«", "”", "»").Replace(stripped)
		refNorm := strings.NewReplacer("“", "«", "”", "»").Replace(ref)
		if stripped != refNorm {
			t.Fatalf("the markup changed beyond the wrappers:\n got %s\nwant %s", stripped, refNorm)
		}
	})
}

// FuzzHTML checks HTML and Controls on any string: HTML escapes
// everything and only adds spans; Controls only adds controls.
func FuzzHTML(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		h := HTML(s)
		if !utf8.ValidString(h) || !balanced(h) {
			t.Fatalf("HTML(%q) = %q: invalid or unbalanced", s, h)
		}
		if got := addedTag.ReplaceAllString(h, ""); got != html.EscapeString(s) {
			t.Fatalf("HTML(%q) without its spans = %q, want %q", s, got, html.EscapeString(s))
		}
		if strings.Contains(h, "<script") || strings.Contains(h, `dir="auto"`) {
			t.Fatalf("HTML(%q) = %q", s, h)
		}
		if got := StripControls(Controls(s)); got != StripControls(s) {
			t.Fatalf("Controls(%q) changed the text: %q", s, got)
		}
		for _, sp := range Spans(s, RTL) {
			if sp.Start >= sp.End || !utf8.ValidString(s[sp.Start:sp.End]) {
				t.Fatalf("Spans(%q): bad span %v", s, sp)
			}
		}
	})
}
