package bidi

// This file keeps the first, slower implementation of Spans and HTML, as
// a reference for the differential tests in reference_test.go: the fast
// paths must not change any result.

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// refSpans is Spans as it was before its fast paths.
func refSpans(s string, base Direction) []Span {
	if base == LTR {
		return rtlRuns(s)
	}
	spans := refLtrRuns(s)
	phones := refPhoneNumbers(s)
	if len(phones) == 0 {
		return spans
	}
	// Keep the phone numbers that no run of words already holds.
	var out []Span
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

// refLtrRuns is ltrRuns as it was before its fast paths.
func refLtrRuns(s string) []Span {
	var out []Span
	start := -1
	flush := func(end int) {
		if start >= 0 {
			out = append(out, refCandidateRuns(s, start, end)...)
			start = -1
		}
	}
	for i, r := range s {
		if inLTRRun(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(s))
	return out
}

// refCandidateRuns is candidateRuns as it was before its fast paths.
func refCandidateRuns(s string, start, end int) []Span {
	// Find unmatched brackets: they split the stretch.
	type open struct {
		at int
		r  rune
	}
	var stack []open
	var cuts []int
	for i := start; i < end; {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '(', '[':
			stack = append(stack, open{i, r})
		case ')', ']':
			want := '('
			if r == ']' {
				want = '['
			}
			if n := len(stack); n > 0 && stack[n-1].r == want {
				stack = stack[:n-1]
			} else {
				cuts = append(cuts, i)
			}
		}
		i += size
	}
	for _, o := range stack {
		cuts = append(cuts, o.at)
	}
	sortInts(cuts)
	var out []Span
	from := start
	for _, c := range cuts {
		if sp, ok := refTrimRun(s, from, c); ok {
			out = append(out, sp)
		}
		from = c + 1 // brackets are one byte
	}
	if sp, ok := refTrimRun(s, from, end); ok {
		out = append(out, sp)
	}
	return out
}

// refTrimRun is trimRun as it was before its fast paths.
func refTrimRun(s string, start, end int) (Span, bool) {
	isEdge := func(r rune) bool { return IsLTRLetter(r) || isASCIIDigit(r) }
	// Leading: skip to the first letter or digit.
	for start < end {
		r, size := utf8.DecodeRuneInString(s[start:end])
		if isEdge(r) {
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
			if isEdge(r) {
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
		if isEdge(r) || url && r == '/' && end-size > start && isEdge(lastRune(s[start:end-size])) {
			break
		}
		if r == '+' || r == '#' {
			j := end - size
			for j > start && s[j-1] == '+' {
				j--
			}
			if j > start {
				p, _ := utf8.DecodeLastRuneInString(s[start:j])
				if isEdge(p) {
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

// refPhoneNumbers is phoneNumbers as it was before its fast paths.
func refPhoneNumbers(s string) []Span {
	var out []Span
	i := 0
	for i < len(s) {
		c := s[i]
		startsPlus := c == '+' && i+1 < len(s) && isASCIIDigit(rune(s[i+1]))
		startsDigit := isASCIIDigit(rune(c)) || c == '(' && i+1 < len(s) && isASCIIDigit(rune(s[i+1]))
		if !(startsPlus || startsDigit) || i > 0 && !refPhoneBoundary(s[:i]) {
			// Only ASCII bytes start a number, and in UTF-8 they are
			// never part of another character: step byte by byte.
			i++
			continue
		}
		end, digits, groups, spaced := refScanPhone(s, i)
		if startsPlus && digits > 0 || groups >= 2 && digits >= 7 && spaced {
			out = append(out, Span{Start: i, End: end, Kind: Phone})
			i = end
			continue
		}
		// Skip the number, so that a phone number is not found in its tail.
		i = max(end, i+1)
	}
	return out
}

// refPhoneBoundary is phoneBoundary as it was before its fast paths.
func refPhoneBoundary(before string) bool {
	r, _ := utf8.DecodeLastRuneInString(before)
	return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == ',' || r == '+' || r == '/' || r == '-' || r == ')')
}

// refScanPhone is scanPhone as it was before its fast paths.
func refScanPhone(s string, i int) (end, digits, groups int, spaced bool) {
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

// refHTML is HTML as it was before its fast paths.
func refHTML(s string) string {
	if s == "" {
		return ""
	}
	if refWhollyLTR(s) {
		open := `<span dir="ltr">`
		if LangOf(s) == "en" {
			open = `<span lang="en" dir="ltr">`
		}
		return open + html.EscapeString(s) + "</span>"
	}
	spans := refSpans(s, RTL)
	if len(spans) == 0 {
		return html.EscapeString(s)
	}
	var b strings.Builder
	b.Grow(len(s) + len(spans)*24)
	at := 0
	for _, sp := range spans {
		b.WriteString(html.EscapeString(s[at:sp.Start]))
		b.WriteString(`<span dir="ltr">`)
		b.WriteString(html.EscapeString(s[sp.Start:sp.End]))
		b.WriteString(`</span>`)
		at = sp.End
	}
	b.WriteString(html.EscapeString(s[at:]))
	return b.String()
}

// refWhollyLTR is WhollyLTR as it was before its fast paths.
func refWhollyLTR(s string) bool {
	if strings.IndexFunc(s, IsRTLLetter) >= 0 {
		return false
	}
	sc := Scan(s)
	return sc.RTL == 0 && sc.Words >= 2
}

// refTextUnits is textUnits as it was before its fast paths.
func refTextUnits(src []byte, start, stop int, fn func(decoded string, a, b int)) {
	plain := start
	for i := start; i < stop; {
		c := src[i]
		n := 0
		var decoded string
		switch {
		case c == '\\' && i+1 < stop && isASCIIPunct(src[i+1]):
			n, decoded = 2, string(src[i+1:i+2])
		case c == '&':
			if n = entityLen(src[i:stop]); n > 0 {
				decoded = html.UnescapeString(string(src[i : i+n]))
			}
		}
		if n == 0 {
			i++
			continue
		}
		if plain < i {
			fn("", plain, i)
		}
		fn(decoded, i, i+n)
		i += n
		plain = i
	}
	if plain < stop {
		fn("", plain, stop)
	}
}
