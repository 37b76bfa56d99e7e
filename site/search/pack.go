package search

import "unicode/utf8"

// A Terms blob is held packed: the index of a site of 10,000 posts keeps
// a few kilobytes of terms per post in memory until its dictionaries are
// built, and in the build cache on disk, and nearly all of it is Arabic,
// two bytes a letter in UTF-8. Packed, each character of U+0600–U+067F
// (the Arabic letters, marks and digits) is one byte, 0x80–0xFF; ASCII
// is itself; any other character is packEscape and its UTF-8 bytes, and
// a byte that is not part of valid UTF-8 (or is below 0x20) packRaw and
// the byte. Bytes below 0x10 are left for the flags and the separator,
// which pass through unchanged, so a packed blob splits into terms the
// same way. Packing is one-to-one, so packed terms can key a map in
// place of the terms themselves.
const (
	packEscape = 0x10
	packRaw    = 0x11
)

// packBlob appends blob, an unpacked Terms blob, to dst packed.
func packBlob(dst []byte, blob []byte) []byte {
	for i := 0; i < len(blob); {
		c := blob[i]
		switch {
		case c < 0x10:
			dst = append(dst, c) // a flag or the separator
			i++
		case c < 0x20:
			dst = append(dst, packRaw, c)
			i++
		case c < 0x80:
			dst = append(dst, c)
			i++
		case (c == 0xD8 || c == 0xD9) && i+1 < len(blob) && blob[i+1]&0xC0 == 0x80:
			dst = append(dst, 0x80|(c&1)<<6|blob[i+1]&0x3F)
			i += 2
		default:
			if _, size := utf8.DecodeRune(blob[i:]); size > 1 {
				dst = append(append(dst, packEscape), blob[i:i+size]...)
				i += size
			} else {
				dst = append(dst, packRaw, c)
				i++
			}
		}
	}
	return dst
}

// unpackTerm returns the term that packed (one packed term, without its
// flags) stands for.
func unpackTerm(packed string) string {
	out := make([]byte, 0, 2*len(packed))
	for i := 0; i < len(packed); {
		c := packed[i]
		switch {
		case c >= 0x80:
			out = append(out, 0xD8|c>>6&1, 0x80|c&0x3F)
			i++
		case c == packEscape && i+1 < len(packed):
			size := utf8LenOfLead(packed[i+1])
			end := min(i+1+size, len(packed))
			out = append(out, packed[i+1:end]...)
			i = end
		case c == packRaw && i+1 < len(packed):
			out = append(out, packed[i+1])
			i += 2
		default:
			out = append(out, c)
			i++
		}
	}
	return string(out)
}

// utf8LenOfLead is the length of the UTF-8 sequence that starts with the
// lead byte c (1 for a byte that cannot lead one).
func utf8LenOfLead(c byte) int {
	switch {
	case c >= 0xF0 && c < 0xF8:
		return 4
	case c >= 0xE0:
		return 3
	case c >= 0xC0:
		return 2
	}
	return 1
}
