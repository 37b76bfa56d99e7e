package site

import (
	"strings"
	"unicode"
)

// maxSlugLen is the longest slug accepted: long enough for five or six
// English words, short enough for readable URLs.
const maxSlugLen = 100

// validSlug reports whether s is a URL segment nashra accepts: ASCII
// lower-case letters and digits in words joined by single hyphens.
func validSlug(s string) bool {
	if s == "" || len(s) > maxSlugLen || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// asciiSlug makes a slug from an ASCII name: lower case, spaces,
// underscores and dots become hyphens, other characters are dropped. It
// returns "" when the name has letters outside ASCII (an Arabic name needs
// a slug chosen by a person).
func asciiSlug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.TrimSpace(name) {
		switch {
		case r > unicode.MaxASCII:
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return ""
			}
		case r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		case r == ' ' || r == '-' || r == '_' || r == '.' || r == '\t':
			dash = true
		}
	}
	s := b.String()
	if len(s) > maxSlugLen {
		s = strings.TrimRight(s[:maxSlugLen], "-")
	}
	return s
}

// tagKey is how tags are compared: case and surrounding or repeated
// spaces do not matter.
func tagKey(name string) string {
	return strings.ToLower(strings.Join(strings.Fields(name), " "))
}

// ValidSlug reports whether s can be a post's slug: lower-case ASCII
// letters and digits in words joined by single hyphens, at most 100
// characters.
func ValidSlug(s string) bool { return validSlug(s) }
