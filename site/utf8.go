package site

import (
	"encoding/binary"
	"unicode/utf8"
)

// validUTF8 is utf8.Valid, faster on text made of ASCII and two-byte
// characters, such as Arabic: it checks eight bytes at a time that each
// is ASCII, a lead byte C2–DF followed by a continuation byte, or that
// continuation byte, and checks other characters one by one.
func validUTF8(p []byte) bool {
	const (
		high = 0x8080808080808080
		ones = 0x7f7f7f7f7f7f7f7f
		mid  = 0x1e1e1e1e1e1e1e1e
	)
	i := 0
	// carry is 0x80 when the previous word ended with a lead byte whose
	// continuation must be this word's first byte.
	var carry uint64
	for i+8 <= len(p) {
		w := binary.LittleEndian.Uint64(p[i:])
		hi := w & high
		if hi == 0 && carry == 0 {
			i += 8
			continue
		}
		b6 := (w << 1) & high // bit 6 of each byte, at bit 7
		b5 := (w << 2) & high // bit 5
		cont := hi &^ b6      // 10xxxxxx
		lead := hi & b6 &^ b5 // 110xxxxx
		x := w & mid          // bits 4–1: zero for C0 and C1
		nonzero := ((x + ones) | x) & high
		if hi&b6&b5 == 0 && lead&^nonzero == 0 && lead<<8|carry == cont {
			carry = (lead >> 56) & 0x80
			i += 8
			continue
		}
		// Something else: check whole characters from the last character
		// boundary to past this word.
		j := i
		if carry != 0 {
			j--
		}
		for j < i+8 {
			if p[j] < utf8.RuneSelf {
				j++
				continue
			}
			r, size := utf8.DecodeRune(p[j:])
			if r == utf8.RuneError && size == 1 {
				return false
			}
			j += size
		}
		i, carry = j, 0
	}
	if carry != 0 {
		i--
	}
	return utf8.Valid(p[i:])
}
