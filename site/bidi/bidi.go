// Package bidi keeps mixed Arabic and Latin text in the right order.
//
// In a right-to-left paragraph the Unicode bidirectional algorithm
// reorders runs of left-to-right text (acronyms, names, codes, phone
// numbers) in ways an Arabic reader does not expect: "منظمات مثل CICA، SCO،
// وCSTO." shows SCO before CICA, "C++" shows as "++C", "+962 6 593 3000"
// breaks into reversed groups. The W3C rule (docs/arabic-rtl.md, B3) is to
// wrap every opposite-direction phrase tightly in an element that has a
// dir attribute; in HTML, dir isolates its content from its neighbours.
//
// This package finds those phrases and wraps them:
//
//   - [Spans] finds the runs to isolate in a string: in right-to-left text,
//     each run of left-to-right letters (Latin, Cyrillic, …; it may hold
//     spaces, digits and . - & / ' + @ _ : and balanced brackets, and ends
//     on a letter, a digit or a trailing + or #, so "C++" and "C#" stay
//     whole) and each phone number ("+962 6 593 3000", "+2"); plain
//     numbers, dates such as 05/12/2024 and percentages are left alone, as
//     the browser already shows them right. Runs are split by Arabic
//     letters and by the Arabic comma, semicolon and question mark, so
//     each item of a list is isolated on its own. In left-to-right text it
//     finds the runs of Arabic.
//   - [HTML] escapes a plain string (a title, a summary, a tag label) for
//     HTML and wraps its runs in <span dir="ltr">; a string made only of
//     Latin words becomes one <span lang="en" dir="ltr">.
//   - [Controls] does the same for plain-text sinks (feed titles,
//     og:title), with the invisible isolates RLI, LRI and PDI.
//   - [Extension] does it inside goldmark's syntax tree for post bodies,
//     and marks English paragraphs, code and tables (see its doc).
//
// Nothing is ever given dir="auto": it takes the direction of the first
// strong letter, so an Arabic paragraph that starts with "CICA" would turn
// left-to-right.
package bidi

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Direction is a base direction of text.
type Direction int

const (
	// RTL is right-to-left: Arabic.
	RTL Direction = iota
	// LTR is left-to-right: English, and code.
	LTR
)

// String returns "rtl" or "ltr", the values of the dir attribute.
func (d Direction) String() string {
	if d == LTR {
		return "ltr"
	}
	return "rtl"
}

// Opposite returns the other direction.
func (d Direction) Opposite() Direction {
	if d == LTR {
		return RTL
	}
	return LTR
}

// Kind tells what a Span holds.
type Kind int

const (
	// Words is a run of letters of the opposite direction, with what may
	// come between them.
	Words Kind = iota
	// Phone is a phone number or a signed number: "+962 6 593 3000", "+2".
	Phone
)

// Span is a run of text to isolate: s[Start:End], in bytes.
type Span struct {
	Start, End int
	Kind       Kind
}

// Control characters of the Unicode bidirectional algorithm (UAX #9).
const (
	LRI = "\u2066" // left-to-right isolate
	RLI = "\u2067" // right-to-left isolate
	FSI = "\u2068" // first-strong isolate
	PDI = "\u2069" // pop directional isolate
)

// IsRTLLetter reports whether r is a letter (or a combining mark) of a
// right-to-left script: Arabic, Hebrew, Syriac, Thaana, N'Ko and the like.
func IsRTLLetter(r rune) bool {
	if r < 0x0590 {
		return false // inlined: most calls end here
	}
	return isRTLLetter(r)
}

// isRTLLetter is IsRTLLetter for r >= 0x0590.
func isRTLLetter(r rune) bool {
	switch {
	case r <= 0x08FF, r >= 0xFB1D && r <= 0xFDFF, r >= 0xFE70 && r <= 0xFEFF:
		// Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic and
		// their presentation forms: every letter and mark there belongs
		// to a right-to-left script (tatweel too, a strong Arabic
		// character).
		return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)
	case r < 0x10800:
		return false
	}
	return unicode.IsLetter(r) && unicode.In(r, unicode.Adlam, unicode.Hanifi_Rohingya, unicode.Yezidi,
		unicode.Imperial_Aramaic, unicode.Phoenician, unicode.Kharoshthi, unicode.Old_South_Arabian, unicode.Avestan,
		unicode.Mende_Kikakui, unicode.Old_Hungarian, unicode.Sogdian, unicode.Elymaic, unicode.Nabataean, unicode.Palmyrene,
		unicode.Hatran, unicode.Lydian, unicode.Cypriot, unicode.Old_North_Arabian, unicode.Manichaean, unicode.Psalter_Pahlavi,
		unicode.Inscriptional_Pahlavi, unicode.Inscriptional_Parthian, unicode.Old_Sogdian, unicode.Chorasmian, unicode.Old_Uyghur)
}

// IsLTRLetter reports whether r is a letter of a left-to-right script:
// Latin, Cyrillic, Greek, and every other script not written from right
// to left.
func IsLTRLetter(r rune) bool {
	if r < utf8.RuneSelf {
		return uint32(r|0x20)-'a' < 26 // a to z, A to Z; inlined
	}
	return isLTRLetter(r)
}

// isLTRLetter is IsLTRLetter for non-ASCII r.
func isLTRLetter(r rune) bool {
	if r >= 0x0590 && r <= 0x08FF {
		return false
	}
	return unicode.IsLetter(r) && !IsRTLLetter(r)
}

// isArabicPunct reports the Arabic comma, semicolon and question mark,
// which end a left-to-right run (they belong to the Arabic sentence).
func isArabicPunct(r rune) bool {
	return r == '،' || r == '؛' || r == '؟'
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

func isArabicDigit(r rune) bool {
	return r >= '٠' && r <= '٩' || r >= '۰' && r <= '۹'
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\u00a0' || r == '\n' || r == '\t' || r == '\u202f'
}

// Spans returns the runs of s to isolate when s is inside text of
// direction base: in right-to-left text the left-to-right runs and phone
// numbers, in left-to-right text the right-to-left runs. Spans are sorted
// and do not overlap.
func Spans(s string, base Direction) []Span {
	if base == LTR {
		return rtlRuns(s)
	}
	spans, phones := ltrRuns(s)
	if len(phones) == 0 {
		return spans
	}
	if len(spans) == 0 {
		return phones
	}
	// Keep the phone numbers that no run of words already holds.
	out := make([]Span, 0, len(spans)+len(phones))
	i := 0
	for _, p := range phones {
		for i < len(spans) && spans[i].End <= p.Start {
			out = append(out, spans[i])
			i++
		}
		if i < len(spans) && spans[i].Start < p.End {
			continue
		}
		out = append(out, p)
	}
	return append(out, spans[i:]...)
}

// mayHaveSpans reports whether Spans(s, RTL) may find anything in s. It
// is false when s is valid UTF-8 and holds no ASCII digit and no
// left-to-right letter, as most Arabic text does: a run of words needs a
// left-to-right letter, and a phone number a digit. It is much cheaper
// than Spans. (Invalid UTF-8 is reported true so that isolateInline may
// test pieces of text one by one: valid pieces joined make no new
// character.)
func mayHaveSpans[T string | []byte](s T) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z' {
				return true
			}
			i++
			continue
		}
		for rtlPair(s, i) {
			i += 2
		}
		if i == len(s) || s[i] < utf8.RuneSelf {
			continue
		}
		// DecodeRuneInString reads at most UTFMax bytes; for a []byte,
		// the short conversion does not allocate.
		r, size := utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
		if size == 1 || IsLTRLetter(r) { // invalid, or a letter
			return true
		}
		i += size
	}
	return false
}

// inLTRRun reports whether r may appear inside a left-to-right run (not
// necessarily at its ends).
func inLTRRun(r rune) bool {
	if r >= 0x0590 && r <= 0x08FF {
		return false // Arabic and the other right-to-left scripts
	}
	switch {
	case IsLTRLetter(r), isASCIIDigit(r), isSpace(r):
		return true
	case unicode.Is(unicode.Mn, r) && !IsRTLLetter(r):
		return true // accents written as combining marks
	}
	switch r {
	case '.', '-', '&', '/', '\'', '’', '+', '@', '_', ':', '#', '%', '?', '=', '~', '!',
		'(', ')', '[', ']', '‐', '–':
		return true
	}
	return false
}

// The ASCII characters for which inLTRRun is true, as bit sets: bit c of
// ltrRunLow for c < 64, bit c-64 of ltrRunHigh for the others.
const (
	ltrRunLow = 1<<'\t' | 1<<'\n' | 1<<' ' | 1<<'!' | 1<<'#' | 1<<'%' | 1<<'&' | 1<<'\'' |
		1<<'(' | 1<<')' | 1<<'+' | 1<<'-' | 1<<'.' | 1<<'/' | 0x3FF<<'0' | 1<<':' | 1<<'=' | 1<<'?'
	ltrRunHigh = 1<<('@'-64) | 0x3FFFFFF<<('A'-64) | 1<<('['-64) | 1<<(']'-64) | 1<<('_'-64) |
		0x3FFFFFF<<('a'-64) | 1<<('~'-64)
)

// asciiInLTRRun is inLTRRun for an ASCII character.
func asciiInLTRRun(c byte) bool {
	if c < 64 {
		return uint64(ltrRunLow)>>c&1 != 0
	}
	return uint64(ltrRunHigh)>>(c-64)&1 != 0
}

// ltrRuns finds the left-to-right runs of s, and its phone numbers (see
// phoneAt) in the same pass.
//
// For runs, it cuts s into stretches of characters that may belong to a
// run (inLTRRun), and looks for runs in those that hold a left-to-right
// letter: a stretch without one, such as a space between Arabic words,
// holds no run (see trimRun).
func ltrRuns(s string) (runs, phones []Span) {
	start := -1     // where the current stretch starts, or -1
	letter := false // whether the current stretch holds a letter
	phoneNext := 0  // where the next phone number may start
	for i := 0; i < len(s); {
		c := s[i]
		in, isLetter, size := false, false, 1
		switch {
		case c < utf8.RuneSelf:
			in = asciiInLTRRun(c)
			isLetter = c|0x20 >= 'a' && c|0x20 <= 'z'
			// Only a digit, '+' or '(' starts a number. ASCII bytes are
			// never part of another character, so every one of them is
			// seen here.
			if (c >= '0' && c <= '9' || c == '+' || c == '(') && i >= phoneNext {
				var sp Span
				var found bool
				sp, found, phoneNext = phoneAt(s, i)
				if found {
					phones = append(phones, sp)
				}
			}
		case rtlPair(s, i):
			// Hebrew, Arabic, Syriac, Thaana, N'Ko: outside runs. Take
			// the whole word at once, and the words after it that only
			// a space separates (a stretch of one space holds no run).
			size = 2
			for {
				if rtlPair(s, i+size) {
					size += 2
				} else if i+size < len(s) && s[i+size] == ' ' && rtlPair(s, i+size+1) {
					size += 3
				} else {
					break
				}
			}
		default:
			var r rune
			r, size = utf8.DecodeRuneInString(s[i:])
			in = inLTRRun(r)
			isLetter = in && IsLTRLetter(r)
		}
		switch {
		case in && start < 0:
			start, letter = i, isLetter
		case in:
			letter = letter || isLetter
		case start >= 0:
			if letter {
				runs = candidateRuns(runs, s, start, i)
			}
			start = -1
		}
		i += size
	}
	if start >= 0 && letter {
		runs = candidateRuns(runs, s, start, len(s))
	}
	return runs, phones
}

// rtlPair reports whether s[i:i+2] is a character from U+05C0 to U+07FF:
// Hebrew, Arabic, Syriac, Thaana and N'Ko, all right-to-left letters,
// marks, digits and punctuation, which neither IsLTRLetter nor inLTRRun
// accept. Its test is much cheaper than decoding.
func rtlPair[T string | []byte](s T, i int) bool {
	return i+1 < len(s) && s[i]-0xD7 <= 0xDF-0xD7 && s[i+1]&0xC0 == 0x80
}

// candidateRuns turns s[start:end], a stretch of characters that may
// belong to a run, into runs: unmatched brackets split it, each piece is
// trimmed to start on a letter or digit and end on a letter, a digit or a
// trailing + or #, leading words without letters (numbers, dates) are
// dropped, and a piece without a letter is no run. It appends the runs to
// out and returns it.
func candidateRuns(out []Span, s string, start, end int) []Span {
	// Find unmatched brackets: they split the stretch.
	// Brackets are ASCII, and in UTF-8 an ASCII byte is never part of
	// another character: look at bytes. Short stacks stay on the stack.
	type open struct {
		at int
		c  byte
	}
	var stackBuf [4]open
	var cutsBuf [4]int
	stack, cuts := stackBuf[:0], cutsBuf[:0]
	for i := start; i < end; i++ {
		switch c := s[i]; c {
		case '(', '[':
			stack = append(stack, open{i, c})
		case ')', ']':
			want := byte('(')
			if c == ']' {
				want = '['
			}
			if n := len(stack); n > 0 && stack[n-1].c == want {
				stack = stack[:n-1]
			} else {
				cuts = append(cuts, i)
			}
		}
	}
	for _, o := range stack {
		cuts = append(cuts, o.at)
	}
	sortInts(cuts)
	from := start
	for _, c := range cuts {
		if sp, ok := trimRun(s, from, c); ok {
			out = append(out, sp)
		}
		from = c + 1 // brackets are one byte
	}
	if sp, ok := trimRun(s, from, end); ok {
		out = append(out, sp)
	}
	return out
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func sortInts(a []int) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// isRunEdge reports whether r may start or end a run: a left-to-right
// letter or an ASCII digit.
func isRunEdge(r rune) bool {
	return IsLTRLetter(r) || isASCIIDigit(r)
}

// trimRun trims s[start:end] to a run and reports whether it is one.
func trimRun(s string, start, end int) (Span, bool) {
	// Leading: skip to the first letter or digit.
	for start < end {
		r, size := utf8.DecodeRuneInString(s[start:end])
		if isRunEdge(r) {
			break
		}
		start += size
	}
	// Drop leading words that hold no letter: "2024 CICA" isolates CICA
	// only, and "17/12/2024" or "50%" is not a run at all.
	for start < end {
		word := start
		hasLetter := false
		for word < end {
			r, size := utf8.DecodeRuneInString(s[word:end])
			if isSpace(r) {
				break
			}
			if IsLTRLetter(r) {
				hasLetter = true
			}
			word += size
		}
		if hasLetter {
			break
		}
		start = word
		for start < end {
			r, size := utf8.DecodeRuneInString(s[start:end])
			if isRunEdge(r) {
				break
			}
			start += size
		}
	}
	// Trailing: back to a letter or digit, keeping + and # that follow
	// one ("C++", "C#"), and the last / of a URL.
	url := strings.Contains(s[start:end], "://")
	for end > start {
		r, size := utf8.DecodeLastRuneInString(s[start:end])
		if isRunEdge(r) || url && r == '/' && end-size > start && isRunEdge(lastRune(s[start:end-size])) {
			break
		}
		if r == '+' || r == '#' {
			j := end - size
			for j > start && s[j-1] == '+' {
				j--
			}
			if j > start {
				p, _ := utf8.DecodeLastRuneInString(s[start:j])
				if isRunEdge(p) {
					break
				}
			}
		}
		end -= size
	}
	if start >= end {
		return Span{}, false
	}
	for _, r := range s[start:end] {
		if IsLTRLetter(r) {
			return Span{Start: start, End: end, Kind: Words}, true
		}
	}
	return Span{}, false
}

// phoneAt looks for a phone number or a signed number at s[i]: a "+"
// before a digit ("+962 6 593 3000", "+2"), or groups of digits separated
// by spaces or brackets with at least seven digits in all ("06 593
// 3000"). Groups may be separated by one space, "-", "." or a bracketed
// group "(6)". Without isolation the browser would show the groups in
// reverse order, or the "+" after the number. It returns the number, if
// found, and where the next one may start: after a number, so that no
// phone number is found in its tail.
func phoneAt(s string, i int) (sp Span, found bool, next int) {
	c := s[i]
	startsPlus := c == '+' && i+1 < len(s) && isASCIIDigit(rune(s[i+1]))
	startsDigit := isASCIIDigit(rune(c)) || c == '(' && i+1 < len(s) && isASCIIDigit(rune(s[i+1]))
	if !(startsPlus || startsDigit) || i > 0 && !phoneBoundary(s[:i]) {
		return Span{}, false, i + 1
	}
	end, digits, groups, spaced := scanPhone(s, i)
	if startsPlus && digits > 0 || groups >= 2 && digits >= 7 && spaced {
		return Span{Start: i, End: end, Kind: Phone}, true, end
	}
	return Span{}, false, max(end, i+1)
}

// phoneBoundary reports whether a number may start after before: not in
// the middle of a word or a number ("UTC+5", "2+2", "3.5").
func phoneBoundary(before string) bool {
	r, _ := utf8.DecodeLastRuneInString(before)
	return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == ',' || r == '+' || r == '/' || r == '-' || r == ')')
}

// scanPhone reads a phone number starting at i and returns where it ends,
// how many digits and digit groups it has, and whether a space or bracket
// separates groups.
func scanPhone(s string, i int) (end, digits, groups int, spaced bool) {
	if s[i] == '+' {
		i++
	}
	end = i
	for i < len(s) {
		// A group: digits, or digits in brackets.
		j := i
		bracket := s[j] == '('
		if bracket {
			j++
		}
		k := j
		for k < len(s) && isASCIIDigit(rune(s[k])) {
			k++
		}
		if k == j || bracket && (k >= len(s) || s[k] != ')') {
			break
		}
		digits += k - j
		if bracket {
			k++
			spaced = true
		}
		groups++
		end = k
		// A separator, then another group.
		if k >= len(s) {
			break
		}
		next := k
		switch s[k] {
		case ' ', '-', '.':
			next++
		case '(':
		default:
			return end, digits, groups, spaced
		}
		if next >= len(s) || !(isASCIIDigit(rune(s[next])) || s[next] == '(' && next+1 < len(s) && isASCIIDigit(rune(s[next+1]))) {
			break
		}
		if s[k] == ' ' || s[k] == '(' {
			spaced = true
		}
		i = next
	}
	return end, digits, groups, spaced
}

// rtlRuns finds the right-to-left runs of s, for Arabic inside English: a
// run starts and ends on an Arabic letter and may hold spaces, digits,
// Arabic punctuation and tatweel.
func rtlRuns(s string) []Span {
	var out []Span
	start, last := -1, -1
	for i, r := range s {
		switch {
		case IsRTLLetter(r):
			if start < 0 {
				start = i
			}
			last = i + utf8.RuneLen(r)
		case start >= 0 && last == i && unicode.Is(unicode.Mn, r):
			// a mark (tashkeel) on the last letter
			last = i + utf8.RuneLen(r)
		case start >= 0 && (isSpace(r) || isArabicPunct(r) || isArabicDigit(r) || isASCIIDigit(r) ||
			r == 'ـ' || r == '.' || r == '-' || r == '/' || r == ':' || unicode.Is(unicode.Mn, r)):
			// may continue the run
		default:
			if start >= 0 {
				out = append(out, Span{Start: start, End: last, Kind: Words})
				start = -1
			}
		}
	}
	if start >= 0 {
		out = append(out, Span{Start: start, End: last, Kind: Words})
	}
	return out
}

// Script tells which letters a text holds.
type Script struct {
	// RTL and LTR count the letters of right-to-left and left-to-right
	// scripts; Latin counts the Latin ones among LTR.
	RTL, LTR, Latin int
	// Words counts the words with a left-to-right letter.
	Words int
}

// Scan counts the letters of s by direction.
func Scan(s string) Script {
	var sc Script
	inWord := false
	for _, r := range s {
		switch {
		case IsRTLLetter(r):
			if unicode.IsLetter(r) {
				sc.RTL++
			}
			inWord = false
		case IsLTRLetter(r):
			sc.LTR++
			if r < utf8.RuneSelf || unicode.Is(unicode.Latin, r) {
				sc.Latin++
			}
			if !inWord {
				sc.Words++
				inWord = true
			}
		case isSpace(r) || unicode.IsPunct(r) && r != '\'' && r != '’' && r != '-':
			inWord = false
		}
	}
	return sc
}

// WhollyLTR reports whether s is left-to-right text that stands on its
// own, such as an English sentence: two words or more of left-to-right
// letters and no right-to-left letter. A single word (a name, an acronym)
// is not: it is isolated inline instead, without a language.
func WhollyLTR(s string) bool {
	if strings.IndexFunc(s, IsRTLLetter) >= 0 {
		return false
	}
	sc := Scan(s)
	return sc.RTL == 0 && sc.Words >= 2
}

// LangOf returns the language to declare for wholly left-to-right text:
// "en" when its letters are Latin (English is the embassy's other
// language), "" when they are not (Cyrillic could be Kazakh or Russian).
func LangOf(s string) string {
	sc := Scan(s)
	if sc.LTR > 0 && sc.Latin == sc.LTR {
		return "en"
	}
	return ""
}

// HTML escapes s for HTML text and isolates its runs for right-to-left
// text: each left-to-right run and phone number is wrapped in
// <span dir="ltr">. When s is wholly left-to-right (WhollyLTR), the whole
// string is one <span dir="ltr">, with lang="en" when its letters are
// Latin.
func HTML(s string) string {
	if !mayHaveSpans(s) {
		// Neither wholly left-to-right nor holding a run (most Arabic
		// titles).
		return html.EscapeString(s)
	}
	if WhollyLTR(s) {
		open := `<span dir="ltr">`
		if LangOf(s) == "en" {
			open = `<span lang="en" dir="ltr">`
		}
		return open + html.EscapeString(s) + "</span>"
	}
	spans := Spans(s, RTL)
	if len(spans) == 0 {
		return html.EscapeString(s)
	}
	var b strings.Builder
	b.Grow(len(s) + len(spans)*24)
	at := 0
	for _, sp := range spans {
		escapeHTML(&b, s[at:sp.Start])
		b.WriteString(`<span dir="ltr">`)
		escapeHTML(&b, s[sp.Start:sp.End])
		b.WriteString(`</span>`)
		at = sp.End
	}
	escapeHTML(&b, s[at:])
	return b.String()
}

// escapeHTML writes html.EscapeString(s) to b, without making a string.
func escapeHTML(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c > '>' {
			continue // most bytes: the five characters are below
		}
		var esc string
		switch c {
		case '&':
			esc = "&amp;"
		case '\'':
			esc = "&#39;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&#34;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// Controls returns s for a plain-text sink read by programs of unknown
// direction (feed readers, link previews): wrapped in RLI … PDI so it
// shows right-to-left even in a left-to-right interface, with each
// left-to-right run inside wrapped in LRI … PDI. Wholly left-to-right text
// is wrapped in LRI … PDI. Text that holds no letters is returned as is.
func Controls(s string) string {
	sc := Scan(s)
	switch {
	case s == "" || sc.RTL == 0 && sc.LTR == 0:
		return s
	case WhollyLTR(s) || sc.RTL == 0:
		return LRI + s + PDI
	}
	var b strings.Builder
	b.WriteString(RLI)
	at := 0
	for _, sp := range Spans(s, RTL) {
		b.WriteString(s[at:sp.Start])
		b.WriteString(LRI)
		b.WriteString(s[sp.Start:sp.End])
		b.WriteString(PDI)
		at = sp.End
	}
	b.WriteString(s[at:])
	b.WriteString(PDI)
	return b.String()
}

// StripControls removes the bidirectional control characters (isolates,
// embeddings, overrides and marks) from s.
func StripControls(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '\u2066' && r <= '\u2069', r >= '\u202a' && r <= '\u202e', r == '\u200e', r == '\u200f', r == '\u061c':
			return -1
		}
		return r
	}, s)
}
