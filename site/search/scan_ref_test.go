package search

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// referenceScan is the first version of the tokenizer, written with
// callbacks: the scanner must give the same words, spans and normalised
// forms (TestScannerMatchesReference, FuzzScanner).
// referenceScan calls emit for each word of text with its byte span and its
// normalised form. The slice norm is reused: emit must copy it.
func referenceScan(text string, emit func(start, end int, norm []byte)) {
	var buf []byte
	class, start, end := classNone, 0, 0
	last, lastAt := rune(0), 0 // the last rune in buf and where it starts
	flush := func() {
		if len(buf) > 0 {
			emit(start, end, buf)
		}
		buf, class, last = buf[:0], classNone, 0
	}
	// open makes sure a word of class c is open, starting at at.
	open := func(c, at int) {
		if c != class {
			flush()
			class, start = c, at
		}
	}
	for i := 0; i < len(text); {
		at, b := i, text[i]
		switch {
		case b < 0x80:
			i++
			switch {
			case 'a' <= b && b <= 'z' || '0' <= b && b <= '9':
			case 'A' <= b && b <= 'Z':
				b += 'a' - 'A'
			default:
				flush()
				continue
			}
			open(classOther, at)
			end = i
			lastAt, last = len(buf), rune(b)
			buf = append(buf, b)
			continue
		case (b == 0xD8 || b == 0xD9) && i+1 < len(text) && text[i+1]&0xC0 == 0x80:
			// U+0600-U+067F, by table.
			b1 := text[i+1]
			r := 0x600 + rune(b&1)<<6 | rune(b1&0x3F)
			i += 2
			switch arabicActions[r-0x600] {
			case actEnd:
				flush()
			case actIgnore:
			case actDigit:
				open(classOther, at)
				end = i
				lastAt, last = len(buf), '0'+r-0x660
				buf = append(buf, byte('0'+r-0x660))
			case actKeep:
				open(classArabic, at)
				end = i
				lastAt, last = len(buf), r
				buf = append(buf, b, b1)
			case actAlef, actYeh, actHeh:
				open(classArabic, at)
				end = i
				switch arabicActions[r-0x600] {
				case actAlef:
					r = 'ا'
				case actYeh:
					r = 'ي'
				default:
					r = 'ه'
				}
				lastAt, last = len(buf), r
				buf = utf8.AppendRune(buf, r)
			case actTatweel:
				open(classArabic, at)
				end = i
			case actMark, actHamza:
				if class == classNone {
					open(classArabic, at)
				}
				end = i
				if arabicActions[r-0x600] == actHamza {
					if c := compose(last, r); c != 0 {
						buf = utf8.AppendRune(buf[:lastAt], c)
						last = c
					}
				}
			}
			continue
		}

		// Any other character.
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		c, mark := classOther, false
		switch {
		case ignorable(r):
			continue
		case !wordRune(r):
			flush()
			continue
		default:
			if isArabic(r) {
				c = classArabic
			}
			mark = unicode.IsMark(r)
		}
		if mark && class != classNone {
			c = class // a mark belongs to the letter it follows
		}
		open(c, at)
		end = i
		switch {
		case r >= '۰' && r <= '۹':
			r = '0' + r - '۰'
		case isTashkeel(r):
			continue
		case c != classArabic:
			r = unicode.ToLower(r) // Arabic letters have no case
		}
		lastAt, last = len(buf), r
		buf = utf8.AppendRune(buf, r)
	}
	flush()
}

type scannedWord struct {
	start, end int
	norm       string
}

func referenceWords(text string) []scannedWord {
	var out []scannedWord
	referenceScan(text, func(start, end int, norm []byte) {
		out = append(out, scannedWord{start, end, string(norm)})
	})
	return out
}

func scannerWords(text string) []scannedWord {
	var out []scannedWord
	var s scanner
	s.reset(text)
	for {
		start, end, norm, ok := s.next()
		if !ok {
			return out
		}
		out = append(out, scannedWord{start, end, string(norm)})
	}
}

func checkScanner(t *testing.T, text string) {
	t.Helper()
	got, want := scannerWords(text), referenceWords(text)
	if len(got) != len(want) {
		t.Fatalf("%q: %d words %+v, want %d %+v", text, len(got), got, len(want), want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%q: word %d is %+v, want %+v", text, i, got[i], want[i])
		}
	}
}

// scanAlphabet is what random texts are made of: the characters the
// tokenizer treats in a special way, and some of every class.
var scanAlphabet = []rune("،؛؟«» .,\n\t-aZz09Aٌّٰٔٓٱأإآىةـؤئابجيوهﻻﷲ٠٩۰۹ۀہۂےۓە\u061c\u00ad\u200c\u200d\u200f\u202b\u2066\ufeff" +
	"éÉßΣσ中\u0301\u0300ڤپکی\u06dd\u06d6\u06e5\u08a0\ufe70\ufb50\U0001d400\ufffd")

// TestScannerMatchesReference compares the scanner with referenceScan
// on the vectors, every character of the first planes next to Arabic
// letters and Latin ones, and random texts.
func TestScannerMatchesReference(t *testing.T) {
	for _, v := range loadVectors(t) {
		checkScanner(t, v.In)
	}
	for r := rune(0); r < 0x10000; r++ {
		c := string(r)
		checkScanner(t, c)
		checkScanner(t, "و"+c+"ب"+c+c+"x "+c+"a"+c)
	}
	// Invalid UTF-8 and truncated sequences.
	for _, s := range []string{"\xd8", "\xd9", "ب\xd8", "\xd8\xd8\xa7", "a\xffb", "\xe2\x80", "ا\xdb"} {
		checkScanner(t, s)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var b strings.Builder
	for range 20000 {
		b.Reset()
		for range rng.IntN(24) {
			b.WriteRune(scanAlphabet[rng.IntN(len(scanAlphabet))])
		}
		checkScanner(t, b.String())
	}
}

func FuzzScanner(f *testing.F) {
	f.Add("زار «السفير» وCSTO، في ٢٠٢٤م الأر\u200fدن.")
	f.Add("ؤ ـٔ ٔا \xd8")
	f.Fuzz(func(t *testing.T, text string) {
		checkScanner(t, text)
	})
}

// referenceTerms is what Analyzer.Doc gave before it cached chunks of
// text: the words by referenceScan, the stems and words in the order
// they first occur (body, then heading), each stem in the order of
// Stems.
func referenceTerms(heading, body []string) string {
	var words []string
	flags := map[string]uint8{}
	for _, part := range []struct {
		texts []string
		flag  uint8
	}{{body, inBody}, {heading, inHeading}} {
		for _, t := range part.texts {
			for _, w := range referenceWords(t) {
				if _, ok := flags[w.norm]; !ok {
					words = append(words, w.norm)
				}
				flags[w.norm] |= part.flag
			}
		}
	}
	var stems []string
	stemFlags := map[string]uint8{}
	self := map[string]bool{}
	for _, w := range words {
		for _, s := range Stems(w) {
			if _, ok := stemFlags[s]; !ok {
				stems = append(stems, s)
			}
			stemFlags[s] |= flags[w]
			if s == w {
				stemFlags[s] |= flags[w] << exactShift
				self[w] = true
			}
		}
	}
	var b []byte
	for _, s := range stems {
		b = append(append(b, s...), stemFlags[s])
	}
	b = append(b, 0)
	for _, w := range words {
		if !self[w] {
			b = append(append(b, w...), flags[w])
		}
	}
	return string(b)
}

// TestDocMatchesReference analyses many documents with one Analyzer, so
// that most chunks and words are known, and compares the terms with
// referenceTerms, packed, byte for byte.
func TestDocMatchesReference(t *testing.T) {
	a := NewAnalyzer()
	check := func(heading, body []string) {
		t.Helper()
		got, want := a.Doc(heading, body).blob, string(packBlob(nil, []byte(referenceTerms(heading, body))))
		if got != want {
			t.Fatalf("Doc(%q, %q) = %q, want %q", heading, body, got, want)
		}
	}
	var texts []string
	for _, v := range loadVectors(t) {
		texts = append(texts, v.In)
	}
	base := len(texts)
	rng := rand.New(rand.NewPCG(5, 6))
	var b strings.Builder
	for range 3000 {
		b.Reset()
		for range rng.IntN(60) {
			switch rng.IntN(4) {
			case 0:
				b.WriteByte(" .,-\n("[rng.IntN(6)])
			case 1:
				// A text seen before, so that its chunks are known.
				b.WriteString(texts[rng.IntN(base)])
			default:
				b.WriteRune(scanAlphabet[rng.IntN(len(scanAlphabet))])
			}
		}
		texts = append(texts, b.String())
	}
	for i := range 2000 {
		heading := []string{texts[rng.IntN(len(texts))], texts[rng.IntN(len(texts))]}
		body := []string{texts[rng.IntN(len(texts))]}
		if i%2 == 0 {
			body = append(body, texts[rng.IntN(len(texts))])
		}
		check(heading, body)
	}
	check(nil, nil)
	check([]string{""}, []string{"", " "})
	// Chunks longer than maxChunk, scanned each time.
	long := strings.Repeat("الأردن«وCSTO»،", 10) + " 中文没有空格的句子中文没有空格的句子中文没有空格的句子"
	check([]string{long}, []string{long, long[:maxChunk+1], long[:maxChunk]})
	check(nil, []string{long + " " + long})
}
