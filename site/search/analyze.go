package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Token is one word of a text as the index sees it.
type Token struct {
	// Start and End are the byte offsets of the word in the text.
	Start, End int
	// Norm is the word after digit folding, lower-casing and Arabic
	// normalisation: the form an exact match compares.
	Norm string
	// Stems are the light stems of Norm (see Stems); Norm itself for a word
	// that is not Arabic.
	Stems []string
}

// Analyze splits text into words and analyses each: the steps, in order,
// are
//
//  1. split: a word is a run of letters, combining marks and decimal
//     digits; a run is also split where Arabic letters meet other letters
//     or digits ("وCSTO" is و and CSTO, "٢٠٢٤م" is ٢٠٢٤ and م). Invisible
//     format characters (soft hyphen, zero-width joiners, bidi marks) are
//     skipped without splitting;
//  2. digits: Arabic-Indic (٠-٩) and Eastern Arabic-Indic (۰-۹) digits
//     become ASCII digits;
//  3. case: letters are lower-cased, one code point at a time;
//  4. Arabic normalisation: أ إ آ ٱ -> ا, ى -> ي, ة -> ه; tashkeel,
//     Quranic marks and tatweel are removed; a hamza or madda written as a
//     combining mark joins the letter before it (و + ٔ is ؤ), as in NFC;
//  5. light stemming of Arabic words (Stems).
//
// layouts/assets/search.js implements the same steps for queries; the
// table testdata/vectors.json holds both to the same results.
func Analyze(text string) []Token {
	var out []Token
	var s scanner
	s.reset(text)
	for {
		start, end, norm, ok := s.next()
		if !ok {
			return out
		}
		n := string(norm)
		out = append(out, Token{Start: start, End: end, Norm: n, Stems: Stems(n)})
	}
}

// Character classes of the tokenizer.
const (
	classNone = iota
	classArabic
	classOther
)

// What scan does with each character of U+0600-U+067F, the Arabic
// letters, harakat and digits (TestArabicActions checks the table against
// the general rules).
const (
	actEnd     = iota // not part of a word: ends it
	actKeep           // an Arabic letter, kept
	actAlef           // أ إ آ ٱ, written ا
	actYeh            // ى, written ي
	actHeh            // ة, written ه
	actTatweel        // an Arabic letter, dropped
	actMark           // a mark (harakat), dropped
	actHamza          // a combining madda or hamza, composed or dropped
	actDigit          // ٠-٩, written 0-9
	actIgnore         // invisible (ALM): skipped
)

// arabicActions holds the act* code of each character of U+0600-U+067F.
const arabicActions = "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
	"\x06\x06\x06\x06\x06\x06\x06\x06\x06\x06\x06\x00\x09\x00\x00\x00" +
	"\x01\x01\x02\x02\x01\x02\x01\x01\x01\x04\x01\x01\x01\x01\x01\x01" +
	"\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01" +
	"\x05\x01\x01\x01\x01\x01\x01\x01\x01\x03\x01\x06\x06\x06\x06\x06" +
	"\x06\x06\x06\x07\x07\x07\x06\x06\x06\x06\x06\x06\x06\x06\x06\x06" +
	"\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x00\x00\x00\x00\x01\x01" +
	"\x06\x02\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"

// A scanner splits a text into words and normalises them (steps 1 to 4
// of Analyze), one word per call of next. It calls no function per
// character but for the characters outside ASCII and U+0600-U+067F, and
// allocates nothing once its buffer holds the longest word.
type scanner struct {
	text string
	pos  int    // where next goes on
	buf  []byte // the normalised form of the last word
}

// reset makes s scan text from its start, keeping its buffer.
func (s *scanner) reset(text string) {
	s.text, s.pos = text, 0
}

// next returns the next word of the text: its byte span and its
// normalised form, which is only valid until the next call of next or
// reset. ok is false once the text has no more words.
//
// A word ends at a character that is not part of one, or where a
// character of the other class (Arabic or not) starts: next then stops
// before that character, and the following call reads it again.
func (s *scanner) next() (start, end int, norm []byte, ok bool) {
	text, buf := s.text, s.buf[:0]
	class := classNone
	i := s.pos
scan:
	for i < len(text) {
		at, b := i, text[i]
		if b < 0x80 {
			i++
			switch {
			case 'a' <= b && b <= 'z' || '0' <= b && b <= '9':
			case 'A' <= b && b <= 'Z':
				b += 'a' - 'A'
			default:
				if len(buf) > 0 {
					break scan
				}
				class = classNone
				continue
			}
			if class != classOther {
				if len(buf) > 0 {
					i = at
					break scan
				}
				class, start = classOther, at
			}
			buf = append(buf, b)
			if b == text[at] {
				// A run of lower-case letters and digits: copied at once.
				for i < len(text) && ('a' <= text[i] && text[i] <= 'z' || '0' <= text[i] && text[i] <= '9') {
					i++
				}
				buf = append(buf, text[at+1:i]...)
			}
			end = i
			continue
		}
		if (b == 0xD8 || b == 0xD9) && i+1 < len(text) && text[i+1]&0xC0 == 0x80 {
			// U+0600-U+067F, by table.
			b1 := text[i+1]
			r := 0x600 + rune(b&1)<<6 | rune(b1&0x3F)
			i += 2
			act := arabicActions[r-0x600]
			switch act {
			case actEnd:
				if len(buf) > 0 {
					break scan
				}
				class = classNone
				continue
			case actIgnore:
				continue
			case actMark, actHamza:
				if class == classNone {
					class, start = classArabic, at
				}
				end = i
				if act == actHamza {
					// The last rune of buf, if any, is the letter the mark
					// follows.
					last, size := utf8.DecodeLastRune(buf)
					if c := compose(last, r); c != 0 {
						buf = utf8.AppendRune(buf[:len(buf)-size], c)
					}
				}
				continue
			}
			c := classArabic
			if act == actDigit {
				c = classOther
			}
			if class != c {
				if len(buf) > 0 {
					i = at
					break scan
				}
				class, start = c, at
			}
			switch act {
			case actKeep:
				// A run of letters kept as they are, the bulk of Arabic
				// text: copied at once.
				for i+1 < len(text) {
					b, b1 = text[i], text[i+1]
					if b&^1 != 0xD8 || b1&0xC0 != 0x80 || arabicActions[(b&1)<<6|b1&0x3F] != actKeep {
						break
					}
					i += 2
				}
				buf = append(buf, text[at:i]...)
			case actDigit:
				buf = append(buf, byte('0'+r-0x660))
			case actAlef:
				buf = append(buf, "ا"...)
			case actYeh:
				buf = append(buf, "ي"...)
			case actHeh:
				buf = append(buf, "ه"...)
			}
			// actTatweel: dropped.
			end = i
			continue
		}

		// Any other character.
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		if ignorable(r) {
			continue
		}
		if !wordRune(r) {
			if len(buf) > 0 {
				break scan
			}
			class = classNone
			continue
		}
		c := classOther
		if isArabic(r) {
			c = classArabic
		}
		if class != classNone && unicode.IsMark(r) {
			c = class // a mark belongs to the letter it follows
		}
		if class != c {
			if len(buf) > 0 {
				i = at
				break scan
			}
			class, start = c, at
		}
		end = i
		switch {
		case r >= '۰' && r <= '۹':
			r = '0' + r - '۰'
		case isTashkeel(r):
			continue
		case c != classArabic:
			r = unicode.ToLower(r) // Arabic letters have no case
		}
		buf = utf8.AppendRune(buf, r)
	}
	s.pos, s.buf = i, buf
	return start, end, buf, len(buf) > 0
}

// wordRune reports whether r can be part of a word: a letter, a combining
// mark or a decimal digit.
func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.Is(unicode.Nd, r)
}

// ignorable reports whether r is an invisible format character that is
// dropped without ending a word: soft hyphen, Arabic letter mark,
// zero-width non-joiner and joiner, LRM, RLM, bidi embeddings, overrides
// and isolates, word joiner and invisible operators, and the byte order
// mark.
func ignorable(r rune) bool {
	switch {
	case r == 0xAD, r == 0x61C, r >= 0x200C && r <= 0x200F, r >= 0x202A && r <= 0x202E,
		r >= 0x2060 && r <= 0x2064, r >= 0x2066 && r <= 0x2069, r == 0xFEFF:
		return true
	}
	return false
}

// isArabic reports whether r is in one of the Arabic blocks and is not a
// digit.
func isArabic(r rune) bool {
	switch {
	case r >= 0x660 && r <= 0x669, r >= 0x6F0 && r <= 0x6F9:
		return false
	case r >= 0x600 && r <= 0x6FF, r >= 0x750 && r <= 0x77F, r >= 0x8A0 && r <= 0x8FF,
		r >= 0xFB50 && r <= 0xFDFF, r >= 0xFE70 && r <= 0xFEFF:
		return true
	}
	return false
}

// isTashkeel reports whether r is a diacritic that search ignores: the
// harakat (fathatan … sukun and the marks after them), the superscript
// alef, and the Quranic annotation marks. Madda and hamza marks are
// composed instead (see compose).
func isTashkeel(r rune) bool {
	switch {
	case r >= 0x610 && r <= 0x61A, r >= 0x64B && r <= 0x652, r >= 0x656 && r <= 0x65F, r == 0x670,
		r >= 0x6D6 && r <= 0x6DC, r >= 0x6DF && r <= 0x6E4, r == 0x6E7, r == 0x6E8, r >= 0x6EA && r <= 0x6ED:
		return true
	}
	return false
}

// compose returns the letter that base followed by the combining mark m
// is in NFC, when that letter is not normalised away, or 0: the mark is
// then dropped (on alef, أ إ آ would become ا anyway).
func compose(base, m rune) rune {
	if m != 0x654 {
		return 0
	}
	switch base {
	case 'و':
		return 'ؤ'
	case 'ي':
		return 'ئ'
	case 0x6C1:
		return 0x6C2
	case 0x6D2:
		return 0x6D3
	case 0x6D5:
		return 0x6C0
	}
	return 0
}

// Prefixes and suffixes of the light stemmer: the prefixes of Lucene's
// ArabicStemmer with فال, and the same list of suffixes, in the order in
// which they are tried. All their letters take two bytes in UTF-8.
var (
	articlePrefixes = []string{"وال", "بال", "كال", "فال", "لل", "ال"}
	stemSuffixes    = []string{"ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي"}
)

// Stems returns the light stems of a normalised word. A word that is not
// Arabic is its own stem. An Arabic word loses its first matching prefix
// among وال بال كال فال لل ال when at least two letters remain, then each
// suffix of ها ان ات ون ين يه ية ه ة ي in turn that leaves at least two
// letters (the rules and order of Lucene's ArabicStemmer).
//
// The conjunctions و and ف are also first letters of many words (وزير،
// فندق), so a word of four letters or more starting with one of them has
// two stems: one without it (and then without an article prefix too, so
// وبالأردن gives اردن), and one of the whole word. Both are indexed and
// both are searched, so "فنون" finds "الفنون" and "وزير" finds "الوزير".
// The stems are substrings of word.
func Stems(word string) []string {
	r, size := utf8.DecodeRuneInString(word)
	if !isArabic(r) {
		return []string{word}
	}
	n := utf8.RuneCountInString(word)
	if rest, rn, ok := stripArticle(word, n); ok {
		return []string{stripSuffixes(rest, rn)}
	}
	if (r == 'و' || r == 'ف') && n >= 4 {
		rest, rn := word[size:], n-1
		if r, n, ok := stripArticle(rest, rn); ok {
			rest, rn = r, n
		}
		a, b := stripSuffixes(rest, rn), stripSuffixes(word, n)
		if a != b {
			return []string{a, b}
		}
		return []string{a}
	}
	return []string{stripSuffixes(word, n)}
}

// stripArticle removes the first matching article prefix that leaves at
// least two letters of a word of n letters.
func stripArticle(word string, n int) (string, int, bool) {
	for _, p := range articlePrefixes {
		pn := len(p) / 2
		if n >= pn+2 && strings.HasPrefix(word, p) {
			return word[len(p):], n - pn, true
		}
	}
	return word, n, false
}

// stripSuffixes removes each suffix in turn from a word of n letters when
// it leaves at least two letters.
func stripSuffixes(word string, n int) string {
	for _, s := range stemSuffixes {
		sn := len(s) / 2
		if n >= sn+2 && strings.HasSuffix(word, s) {
			word = word[:len(word)-len(s)]
			n -= sn
		}
	}
	return word
}
