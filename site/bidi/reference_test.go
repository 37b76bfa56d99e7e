package bidi

import (
	"slices"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestASCIIInLTRRun checks the bit sets of asciiInLTRRun against
// inLTRRun.
func TestASCIIInLTRRun(t *testing.T) {
	for c := range byte(utf8.RuneSelf) {
		if got, want := asciiInLTRRun(c), inLTRRun(rune(c)); got != want {
			t.Errorf("asciiInLTRRun(%q) = %v, want %v", c, got, want)
		}
	}
}

// FuzzSpansReference checks Spans and HTML against their slower first
// versions (reference_impl_test.go), and that mayHaveSpans is false only
// for strings in which Spans finds nothing.
func FuzzSpansReference(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, s := range []string{"", "\xd8", "a\xd8\xa7b", "\xc3", "C\xcc\x81", "ﬀ +1 234", "٣ 2 ٤", "(x", "x)", "+\xd8\xa7 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, base := range []Direction{RTL, LTR} {
			if got, want := Spans(s, base), refSpans(s, base); !slices.Equal(got, want) {
				t.Fatalf("Spans(%q, %v) = %v, want %v", s, base, got, want)
			}
		}
		if spans := refSpans(s, RTL); len(spans) > 0 && !mayHaveSpans(s) {
			t.Fatalf("mayHaveSpans(%q) = false, but it has spans %v", s, spans)
		}
		if mayHaveSpans(s) != mayHaveSpans([]byte(s)) {
			t.Fatalf("mayHaveSpans(%q) differs for a string and a []byte", s)
		}
		if got, want := HTML(s), refHTML(s); got != want {
			t.Fatalf("HTML(%q) = %q, want %q", s, got, want)
		}
		if got, want := Scan(s), refScan(s); got != want {
			t.Fatalf("Scan(%q) = %+v, want %+v", s, got, want)
		}
	})
}

// FuzzTextUnits checks textUnits against its first version.
func FuzzTextUnits(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Add(`\\&amp;\&&#65;&bogus;&\`)
	type call struct {
		decoded string
		a, b    int
	}
	f.Fuzz(func(t *testing.T, s string) {
		src := []byte(s)
		for _, start := range []int{0, min(1, len(s))} {
			for _, stop := range []int{len(s), max(start, len(s)-1)} {
				var got, want []call
				textUnits(src, start, stop, func(d string, a, b int) { got = append(got, call{d, a, b}) })
				refTextUnits(src, start, stop, func(d string, a, b int) { want = append(want, call{d, a, b}) })
				if !slices.Equal(got, want) {
					t.Fatalf("textUnits(%q, %d, %d) = %v, want %v", s, start, stop, got, want)
				}
			}
		}
	})
}

// TestExtensionReference converts the benchmark posts and the fuzz seeds
// with Extension and with its first version: the output must be the same.
func TestExtensionReference(t *testing.T) {
	bodies, _ := benchPosts(t)
	with, ref := newMarkdownWith(Extension{}), newMarkdownWith(refExtension{})
	for _, body := range bodies {
		if got, want := convert(t, with, string(body)), convert(t, ref, string(body)); got != want {
			t.Errorf("the output changed for\n%s\ngot:\n%s\nwant:\n%s", body, got, want)
		}
	}
}

// FuzzExtensionReference checks Extension against its first version on
// any markdown, valid UTF-8 or not.
func FuzzExtensionReference(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, s := range []string{"*\xc3*\xa9 هنا", "عن \xc3\n\xa9", "| a |\n|---|\n| ب ١ |\n", "## عنوان\n\n- بند\n- بند {lang=en}\n",
		"نص **عربي** و*مائل* و`رمز` و<b>وسم</b> و![صورة](x.png) و<https://x.kz> هنا", "&#x627; و\\* و&amp; هنا"} {
		f.Add(s)
	}
	with, ref := newMarkdownWith(Extension{}), newMarkdownWith(refExtension{})
	f.Fuzz(func(t *testing.T, src string) {
		if got, want := convert(t, with, src), convert(t, ref, src); got != want {
			t.Fatalf("the output changed for %q\ngot:\n%s\nwant:\n%s", src, got, want)
		}
	})
}

// TestLettersReference checks IsLTRLetter, IsRTLLetter and Scan against
// their first versions for every rune, and a few invalid ones.
func TestLettersReference(t *testing.T) {
	for r := rune(-2); r <= unicode.MaxRune+2; r++ {
		if got, want := IsLTRLetter(r), refIsLTRLetter(r); got != want {
			t.Fatalf("IsLTRLetter(%U) = %v, want %v", r, got, want)
		}
		if got, want := IsRTLLetter(r), refIsRTLLetter(r); got != want {
			t.Fatalf("IsRTLLetter(%U) = %v, want %v", r, got, want)
		}
	}
	for _, s := range append(fuzzSeeds, "Ĳssel Ωmega Ꭰ", "\xff a") {
		if got, want := Scan(s), refScan(s); got != want {
			t.Errorf("Scan(%q) = %+v, want %+v", s, got, want)
		}
	}
}
