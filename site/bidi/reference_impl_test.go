package bidi

// This file keeps the first, slower implementation of Spans, HTML and the
// goldmark transformer, as a reference for the differential tests in
// reference_test.go: the fast paths must not change any result.

import (
	"html"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
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
	if strings.IndexFunc(s, refIsRTLLetter) >= 0 {
		return false
	}
	sc := refScan(s)
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

// refExtension is Extension with the transformer as it was before its
// fast paths.
type refExtension struct{}

// Extend implements goldmark.Extender.
func (refExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(refTransformer{}, 500)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(nodeRenderer{}, 100)))
}

type refTransformer struct{}

// Transform is transformer.Transform as it was before its fast paths.
func (refTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	refWalkBlocks(doc, RTL, src)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && n.Kind() == ast.KindCodeSpan {
			n.SetAttributeString("dir", []byte("ltr"))
		}
		return ast.WalkContinue, nil
	})
}

// refWalkBlocks is walkBlocks as it was before its fast paths.
func refWalkBlocks(n ast.Node, dir Direction, src []byte) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.Kind() {
		case ast.KindParagraph, ast.KindHeading:
			refTextBlock(c, dir, src, true)
		case ast.KindTextBlock:
			refTextBlock(c, dir, src, false)
		case east.KindTableCell:
			cellDir := dir
			if lang := refTrimMarker(c, src); lang != "" {
				cellDir = DirOfLang(lang)
				c.SetAttributeString("lang", []byte(lang))
				c.SetAttributeString("dir", []byte(cellDir.String()))
			}
			refIsolateInline(c, cellDir, src)
		case ast.KindCodeBlock, ast.KindFencedCodeBlock, ast.KindHTMLBlock, ast.KindThematicBreak:
		default:
			if c.Type() == ast.TypeBlock {
				refWalkBlocks(c, dir, src)
			}
		}
	}
}

// refTextBlock is textBlock as it was before its fast paths.
func refTextBlock(b ast.Node, dir Direction, src []byte, attrs bool) {
	lang := refTrimMarker(b, src)
	blockDir := dir
	switch {
	case lang != "":
		blockDir = DirOfLang(lang)
	case dir == RTL && refWhollyLTR(refNodeText(b, src)):
		blockDir, lang = LTR, LangOf(refNodeText(b, src))
	}
	if lang == "" && blockDir == dir {
		refIsolateInline(b, dir, src)
		return
	}
	container := b
	if attrs {
		if lang != "" {
			b.SetAttributeString("lang", []byte(lang))
		}
		b.SetAttributeString("dir", []byte(blockDir.String()))
	} else {
		iso := NewIsolate(blockDir, lang)
		for c := b.FirstChild(); c != nil; {
			next := c.NextSibling()
			b.RemoveChild(b, c)
			iso.AppendChild(iso, c)
			c = next
		}
		b.AppendChild(b, iso)
		container = iso
	}
	refIsolateInline(container, blockDir, src)
	if blockDir == LTR {
		englishQuotes(container)
	}
}

// refTrimMarker is trimMarker as it was before its fast paths.
func refTrimMarker(b ast.Node, src []byte) string {
	t, ok := b.LastChild().(*ast.Text)
	if !ok || t.Segment.Padding != 0 {
		return ""
	}
	v := string(t.Segment.Value(src))
	rest, lang := TrimMarker(v)
	if lang == "" {
		return ""
	}
	t.Segment = t.Segment.WithStop(t.Segment.Start + len(rest))
	// Drop what is left empty, and the spaces and line break before the
	// marker.
	for {
		t, ok := b.LastChild().(*ast.Text)
		if !ok || t.Segment.Padding != 0 {
			break
		}
		t.SetSoftLineBreak(false)
		t.SetHardLineBreak(false)
		v := t.Segment.Value(src)
		t.Segment = t.Segment.WithStop(t.Segment.Start + len(strings.TrimRight(string(v), " \t\n")))
		if !t.Segment.IsEmpty() {
			break
		}
		b.RemoveChild(b, t)
	}
	return lang
}

// refIsolateInline is isolateInline as it was before its fast paths.
func refIsolateInline(container ast.Node, dir Direction, src []byte) {
	var items []item
	for c := container.FirstChild(); c != nil; c = c.NextSibling() {
		items = append(items, item{node: c, span: -1})
	}
	if len(items) == 0 {
		return
	}
	own := IsRTLLetter
	hardMark := "ا" // a letter of the container's direction: ends a run
	if dir == LTR {
		own, hardMark = IsLTRLetter, "a"
	}
	var combined strings.Builder
	var units []unit
	add := func(i int, s string, u unit) {
		u.item = i
		u.cStart = combined.Len()
		combined.WriteString(s)
		u.cEnd = combined.Len()
		units = append(units, u)
	}
	for i := range items {
		switch n := items[i].node.(type) {
		case *ast.Text:
			if n.Segment.Padding != 0 {
				items[i].atom = true
				add(i, string(n.Segment.Value(src)), unit{})
				break
			}
			items[i].text = true
			refTextUnits(src, n.Segment.Start, n.Segment.Stop, func(decoded string, a, b int) {
				u := unit{item: i, sStart: a, sEnd: b, cStart: combined.Len()}
				if decoded == "" {
					// Plain text, the same in the source and combined:
					// it may be cut anywhere.
					combined.Write(src[a:b])
					u.split = true
				} else {
					combined.WriteString(decoded)
				}
				u.cEnd = combined.Len()
				units = append(units, u)
			})
			if n.SoftLineBreak() || n.HardLineBreak() {
				add(i, "\n", unit{lineBreak: true})
			}
		case *ast.String:
			items[i].atom = true
			v := string(n.Value)
			if n.IsCode() || n.IsRaw() {
				v = html.UnescapeString(v)
			}
			add(i, v, unit{})
		case *ast.CodeSpan, *ast.Image, *ast.RawHTML, *Isolate:
			add(i, "\uFFFC", unit{})
		default:
			t := refNodeText(n, src)
			if t == "" || strings.IndexFunc(t, own) >= 0 {
				add(i, hardMark, unit{})
			} else {
				items[i].atom = true
				add(i, t, unit{})
			}
		}
	}
	spans := refSpans(combined.String(), dir)
	if len(spans) == 0 {
		refRecurseInline(items, dir, src)
		return
	}
	// unitAt returns the unit that holds combined offset c.
	unitAt := func(c int) *unit {
		k := sort.Search(len(units), func(k int) bool { return units[k].cEnd > c })
		if k < len(units) {
			return &units[k]
		}
		return nil
	}
	// Snap the spans outwards to whole units where a unit cannot be cut,
	// then merge the ones that now touch.
	var snapped []Span
	for _, sp := range spans {
		if u := unitAt(sp.Start); u != nil && !u.split && u.cStart < sp.Start {
			sp.Start = u.cStart
		}
		if u := unitAt(sp.End - 1); u != nil && !u.split && sp.End < u.cEnd {
			sp.End = u.cEnd
		}
		if n := len(snapped); n > 0 && sp.Start <= snapped[n-1].End {
			snapped[n-1].End = max(snapped[n-1].End, sp.End)
			continue
		}
		snapped = append(snapped, sp)
	}
	// spanOf returns the span that holds combined offset c, or -1.
	spanOf := func(c int) int {
		k := sort.Search(len(snapped), func(k int) bool { return snapped[k].End > c })
		if k < len(snapped) && snapped[k].Start <= c {
			return k
		}
		return -1
	}
	// Rebuild the children: Text nodes cut at span edges, each span's
	// pieces moved into an Isolate.
	type piece struct {
		node ast.Node
		span int
	}
	var pieces []piece
	first := 0 // the first unit of the current item
	for idx := range items {
		it := &items[idx]
		last := first
		for last < len(units) && units[last].item == idx {
			last++
		}
		us := units[first:last]
		first = last
		if !it.text {
			if len(us) > 0 && us[0].cStart < us[0].cEnd {
				it.span = spanOf(us[0].cStart)
			}
			pieces = append(pieces, piece{it.node, it.span})
			continue
		}
		orig := it.node.(*ast.Text)
		// Group the pieces of this Text by span.
		var groups []piece
		var groupStart, groupEnd int
		cur := -2
		flush := func() {
			if cur == -2 {
				return
			}
			t := ast.NewTextSegment(text.NewSegment(groupStart, groupEnd))
			t.SetRaw(orig.IsRaw())
			groups = append(groups, piece{t, cur})
		}
		take := func(cStart, sStart, sEnd int) {
			s := spanOf(cStart)
			if s != cur {
				flush()
				cur, groupStart = s, sStart
			}
			groupEnd = sEnd
		}
		for _, u := range us {
			if u.lineBreak || u.cStart == u.cEnd {
				continue
			}
			if !u.split {
				take(u.cStart, u.sStart, u.sEnd)
				continue
			}
			// Cut a plain run at the span edges inside it.
			at := u.cStart
			for at < u.cEnd {
				end := u.cEnd
				k := sort.Search(len(snapped), func(k int) bool { return snapped[k].End > at })
				if k < len(snapped) {
					if snapped[k].Start > at {
						end = min(end, snapped[k].Start)
					} else {
						end = min(end, snapped[k].End)
					}
				}
				take(at, u.sStart+(at-u.cStart), u.sStart+(end-u.cStart))
				at = end
			}
		}
		flush()
		if len(groups) == 0 {
			// An empty Text (or only a line break): keep it as it is.
			pieces = append(pieces, piece{orig, -1})
			continue
		}
		lastText := groups[len(groups)-1].node.(*ast.Text)
		lastText.SetSoftLineBreak(orig.SoftLineBreak())
		lastText.SetHardLineBreak(orig.HardLineBreak())
		pieces = append(pieces, groups...)
	}
	container.RemoveChildren(container)
	opposite := dir.Opposite()
	lang := ""
	if opposite == RTL {
		lang = "ar"
	}
	var iso *Isolate
	isoSpan := -1
	for _, p := range pieces {
		if p.span < 0 {
			iso, isoSpan = nil, -1
			container.AppendChild(container, p.node)
			continue
		}
		if iso == nil || isoSpan != p.span {
			iso, isoSpan = NewIsolate(opposite, lang), p.span
			container.AppendChild(container, iso)
		}
		iso.AppendChild(iso, p.node)
	}
	refRecurseInline(items, dir, src)
}

// refRecurseInline is recurseInline as it was before its fast paths.
func refRecurseInline(items []item, dir Direction, src []byte) {
	for _, it := range items {
		if it.text || it.span >= 0 {
			continue
		}
		switch it.node.(type) {
		case *ast.String, *ast.CodeSpan, *ast.Image, *ast.RawHTML, *Isolate, *ast.AutoLink:
			continue
		}
		if it.node.FirstChild() != nil {
			refIsolateInline(it.node, dir, src)
		}
	}
}

// refNodeText is nodeText as it was before its fast paths.
func refNodeText(n ast.Node, src []byte) string {
	var b strings.Builder
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		switch n := n.(type) {
		case *ast.Text:
			b.Write(n.Segment.Value(src))
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte(' ')
			}
			return
		case *ast.String:
			b.Write(n.Value)
			return
		case *ast.AutoLink:
			b.Write(n.Label(src))
			return
		case *ast.RawHTML, *ast.Image:
			return
		}
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// refIsRTLLetter is IsRTLLetter as it was before its fast paths.
func refIsRTLLetter(r rune) bool {
	switch {
	case r < 0x0590:
		return false
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

// refIsLTRLetter is IsLTRLetter as it was before its fast paths.
func refIsLTRLetter(r rune) bool {
	if r < 0x80 {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}
	if r >= 0x0590 && r <= 0x08FF {
		return false
	}
	return unicode.IsLetter(r) && !refIsRTLLetter(r)
}

// refScan is Scan as it was before its fast paths.
func refScan(s string) Script {
	var sc Script
	inWord := false
	for _, r := range s {
		switch {
		case refIsRTLLetter(r):
			if unicode.IsLetter(r) {
				sc.RTL++
			}
			inWord = false
		case refIsLTRLetter(r):
			sc.LTR++
			if unicode.Is(unicode.Latin, r) {
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
