package site

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func utf8Seeds() []string {
	return []string{
		"", "a", "خبر", "abcdefgh", "خبر عاجل من عمّان، اليوم — ١٢٣ 😀",
		"\xc0\x80abcdefgh", "\xc1\xbfabcdefgh", "\xc2\x80abcdefgh", "\xdf\xbfabcdefgh",
		"abcdefg\xd8", "abcdefg\xd8\xa8", "abcdefg\xd8a", "\x80abcdefgh", "abcdefgh\x80", "ab\xd8\xd8\xa8\xa8cdefgh",
		"\xed\xa0\x80abcdefgh", "\xef\xbf\xbdabcdefgh", "\xf4\x90\x80\x80abcdefgh", "\xf0\x9f\x98abcdefgh",
		"\xe2\x80\x94خبرخبر", "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8",
	}
}

func TestValidUTF8(t *testing.T) {
	for _, s := range utf8Seeds() {
		// At every alignment and with text around it.
		for pad := 0; pad < 9; pad++ {
			for _, v := range []string{strings.Repeat("x", pad) + s, strings.Repeat("ب", pad) + s + strings.Repeat("ت", pad)} {
				if got, want := validUTF8([]byte(v)), utf8.ValidString(v); got != want {
					t.Errorf("validUTF8(%q) = %v, want %v", v, got, want)
				}
			}
		}
	}
}

func FuzzValidUTF8(f *testing.F) {
	for _, s := range utf8Seeds() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		if got, want := validUTF8(p), utf8.Valid(p); got != want {
			t.Errorf("validUTF8(%q) = %v, want %v", p, got, want)
		}
	})
}

func BenchmarkValidUTF8(b *testing.B) {
	_, files := corpusPosts(b, 50)
	b.Run("std", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			utf8.Valid(files[i%len(files)])
		}
	})
	b.Run("ours", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			validUTF8(files[i%len(files)])
		}
	})
}
