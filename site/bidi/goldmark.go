package bidi

import (
	"bytes"
	"html"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Extension is a goldmark extension that isolates opposite-direction text
// in a document whose base direction is right-to-left:
//
//   - in every paragraph, heading, list item and table cell, each
//     left-to-right run and phone number (see [Spans]) is wrapped in
//     <span dir="ltr">; a run may span several inline elements
//     ("**Astana** International Forum" is one run), and an element whose
//     text is wholly left-to-right is isolated as a whole;
//   - a paragraph or heading that ends with a language marker such as
//     {lang=en} (the marker is removed), or whose text is wholly
//     left-to-right (two words or more, no Arabic letter), gets lang and
//     dir attributes: <p lang="en" dir="ltr">; a list item gets a
//     <span lang="en" dir="ltr"> around its text instead, so its marker
//     stays on the right. Inside such a block the roles swap: runs of
//     Arabic are wrapped in <span lang="ar" dir="rtl">, and the Arabic
//     quotation marks that the typographer made from "…" become “…”;
//   - code spans get dir="ltr"; code blocks are written <pre dir="ltr">.
//
// Nothing gets dir="auto". The extension only adds elements and
// attributes: the text itself is unchanged, apart from the removed
// language markers and the quotation marks of left-to-right blocks.
type Extension struct{}

// Extend implements goldmark.Extender.
func (Extension) Extend(m goldmark.Markdown) {
	t := transformer{walkers: &sync.Pool{New: func() any { return new(walker) }}}
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(t, 500)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(nodeRenderer{}, 100)))
}

// KindIsolate is the kind of Isolate nodes.
var KindIsolate = ast.NewNodeKind("BidiIsolate")

// Isolate is an inline node that isolates its children with a direction
// (and a language, when known): <span lang="en" dir="ltr">.
type Isolate struct {
	ast.BaseInline
	Dir  Direction
	Lang string
}

// Kind implements ast.Node.
func (n *Isolate) Kind() ast.NodeKind { return KindIsolate }

// Dump implements ast.Node.
func (n *Isolate) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Dir": n.Dir.String(), "Lang": n.Lang}, nil)
}

// NewIsolate returns an empty Isolate.
func NewIsolate(dir Direction, lang string) *Isolate {
	return &Isolate{Dir: dir, Lang: lang}
}

// markerRe matches a language marker at the end of a block: {lang=en}.
var markerRe = regexp.MustCompile(`[ \t]*\{lang=([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\}[ \t]*$`)

// TrimMarker removes a trailing language marker ("{lang=en}") from a
// line of text and returns the text and the language ("" when there is
// no marker). Heading IDs are made from the text without it.
func TrimMarker(s string) (string, string) {
	m := markerRe.FindStringSubmatchIndex(s)
	if m == nil {
		return s, ""
	}
	return s[:m[0]], s[m[2]:m[3]]
}

// rtlLanguages are the primary language subtags written right to left.
var rtlLanguages = map[string]bool{"ar": true, "fa": true, "ur": true, "he": true, "yi": true, "ps": true,
	"sd": true, "ug": true, "ckb": true, "dv": true, "syr": true, "arc": true, "ku": false}

// DirOfLang returns the direction of a language tag: right-to-left for
// Arabic, Persian, Urdu, Hebrew and the like, left-to-right otherwise.
func DirOfLang(tag string) Direction {
	primary, _, _ := strings.Cut(strings.ToLower(tag), "-")
	if rtlLanguages[primary] {
		return RTL
	}
	return LTR
}

// transformer isolates the runs of a document. Its walkers, with the
// buffers they have grown, are reused from one document to the next.
type transformer struct {
	walkers *sync.Pool
}

// Transform implements parser.ASTTransformer.
func (t transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	w := t.walkers.Get().(*walker)
	w.src = reader.Source()
	w.walkBlocks(doc, RTL)
	w.src = nil
	t.walkers.Put(w)
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && n.Kind() == ast.KindCodeSpan {
			n.SetAttributeString("dir", []byte("ltr"))
		}
		return ast.WalkContinue, nil
	})
}

// walker walks the blocks of one document, src. Paragraph after
// paragraph, isolateRuns takes its working slices from free and gives
// them back when done, so that they are made once per walker, not once
// per paragraph; a stack, as isolateRuns nests (recurseInline).
type walker struct {
	src  []byte
	free []*runScratch
}

// runScratch holds the working slices of one isolateRuns.
type runScratch struct {
	items    []item
	units    []unit
	combined []byte
	snapped  []Span
	pieces   []piece
}

// scratch returns working slices, emptied, for one isolateRuns; release
// gives them back.
func (w *walker) scratch() *runScratch {
	n := len(w.free)
	if n == 0 {
		return new(runScratch)
	}
	sc := w.free[n-1]
	w.free = w.free[:n-1]
	sc.items, sc.units, sc.combined, sc.snapped, sc.pieces = sc.items[:0], sc.units[:0], sc.combined[:0], sc.snapped[:0], sc.pieces[:0]
	return sc
}

// release gives back the slices of scratch, dropping the nodes they
// point to.
func (w *walker) release(sc *runScratch) {
	clear(sc.items[:cap(sc.items)])
	clear(sc.pieces[:cap(sc.pieces)])
	w.free = append(w.free, sc)
}

// walkBlocks visits the blocks under n, in text of direction dir.
func (w *walker) walkBlocks(n ast.Node, dir Direction) {
	src := w.src
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.Kind() {
		case ast.KindParagraph, ast.KindHeading:
			w.textBlock(c, dir, true)
		case ast.KindTextBlock:
			w.textBlock(c, dir, false)
		case east.KindTableCell:
			cellDir := dir
			if lang := trimMarker(c, src); lang != "" {
				cellDir = DirOfLang(lang)
				c.SetAttributeString("lang", []byte(lang))
				c.SetAttributeString("dir", []byte(cellDir.String()))
			}
			w.isolateInline(c, cellDir)
		case ast.KindCodeBlock, ast.KindFencedCodeBlock, ast.KindHTMLBlock, ast.KindThematicBreak:
		default:
			if c.Type() == ast.TypeBlock {
				w.walkBlocks(c, dir)
			}
		}
	}
}

// textBlock gives a block of inline content its language and direction
// when it is marked or wholly left-to-right, then isolates the runs in it.
// attrs says whether the block's element takes the attributes itself
// (<p>, <h2>); otherwise (a tight list item's text) its content is
// wrapped in an Isolate.
func (w *walker) textBlock(b ast.Node, dir Direction, attrs bool) {
	src := w.src
	if dir == RTL && !mayHoldRuns(b, src) {
		// No marker (it has ASCII letters), not wholly left-to-right,
		// and no run to isolate: most Arabic list items and headings.
		return
	}
	lang := trimMarker(b, src)
	blockDir := dir
	switch {
	case lang != "":
		blockDir = DirOfLang(lang)
	case dir == RTL && !hasRTLLetter(b, src) && WhollyLTR(nodeText(b, src)):
		blockDir, lang = LTR, LangOf(nodeText(b, src))
	}
	if lang == "" && blockDir == dir {
		w.isolateRuns(b, dir)
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
	w.isolateRuns(container, blockDir)
	if blockDir == LTR {
		englishQuotes(container)
	}
}

// trimMarker removes a language marker from the end of the block's last
// text and returns its language, or "".
func trimMarker(b ast.Node, src []byte) string {
	t, ok := b.LastChild().(*ast.Text)
	if !ok || t.Segment.Padding != 0 {
		return ""
	}
	v := t.Segment.Value(src)
	if !bytes.HasSuffix(bytes.TrimRight(v, " \t"), []byte("}")) {
		return "" // markerRe cannot match
	}
	rest, lang := TrimMarker(string(v))
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

// englishQuotes turns the Arabic quotation marks made by the typographer
// (ast.String nodes; « and » typed by the author are ast.Text) into
// English ones, outside Arabic isolates.
func englishQuotes(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.String:
			switch string(c.Value) {
			case "«":
				c.Value = []byte("“")
			case "»":
				c.Value = []byte("”")
			}
		case *Isolate:
			if c.Dir == LTR {
				englishQuotes(c)
			}
		case *ast.CodeSpan:
		default:
			englishQuotes(c)
		}
	}
}

// item is one child of an inline container, as seen by isolateInline.
type item struct {
	node ast.Node
	// text is a splittable Text node; atom is an element whose text holds
	// no letter of the container's direction (it may join a run); hard is
	// an element with such letters, or one without text (code, images):
	// it ends runs.
	text, atom bool
	span       int // index of the span that holds the item, or -1
}

// unit is a piece of the combined text: a run of plain text of a Text
// node, which may be cut, or a backslash escape, an entity or a whole
// item, which may not.
type unit struct {
	item         int
	cStart, cEnd int // in the combined text
	sStart, sEnd int // in the source, for Text units
	lineBreak    bool
	// split is true for a run of plain text, which may be cut anywhere
	// (its bytes are the same in the source and the combined text).
	split bool
}

// isolateInline wraps the opposite-direction runs among the children of
// container, which is in text of direction dir, and recurses into the
// elements left outside the runs.
func (w *walker) isolateInline(container ast.Node, dir Direction) {
	if dir == RTL && !mayHoldRuns(container, w.src) {
		return
	}
	w.isolateRuns(container, dir)
}

// isolateRuns is isolateInline without its first check.
func (w *walker) isolateRuns(container ast.Node, dir Direction) {
	src := w.src
	sc := w.scratch()
	defer w.release(sc)
	// Size items and the combined text first: they would otherwise
	// grow several times for a long paragraph.
	n, size := 0, 0
	for c := container.FirstChild(); c != nil; c = c.NextSibling() {
		n++
		size += 4 // a line break or an object replacement character
		if t, ok := c.(*ast.Text); ok {
			size += t.Segment.Len()
		}
	}
	if n == 0 {
		return
	}
	items := slices.Grow(sc.items, n)
	for c := container.FirstChild(); c != nil; c = c.NextSibling() {
		items = append(items, item{node: c, span: -1})
	}
	own := IsRTLLetter
	hardMark := "ا" // a letter of the container's direction: ends a run
	if dir == LTR {
		own, hardMark = IsLTRLetter, "a"
	}
	combined := slices.Grow(sc.combined, size)
	units := slices.Grow(sc.units, n+4)
	add := func(i int, s string, u unit) {
		u.item = i
		u.cStart = len(combined)
		combined = append(combined, s...)
		u.cEnd = len(combined)
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
			textUnits(src, n.Segment.Start, n.Segment.Stop, func(decoded string, a, b int) {
				u := unit{item: i, sStart: a, sEnd: b, cStart: len(combined)}
				if decoded == "" {
					// Plain text, the same in the source and combined:
					// it may be cut anywhere.
					combined = append(combined, src[a:b]...)
					u.split = true
				} else {
					combined = append(combined, decoded...)
				}
				u.cEnd = len(combined)
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
			t := nodeText(n, src)
			if t == "" || strings.IndexFunc(t, own) >= 0 {
				add(i, hardMark, unit{})
			} else {
				items[i].atom = true
				add(i, t, unit{})
			}
		}
	}
	// The slices go back to sc, grown, for the next paragraph.
	sc.items, sc.units, sc.combined = items, units, combined
	// Spans keeps nothing of the string, which lives only as long as
	// this call leaves combined alone.
	spans := Spans(unsafe.String(unsafe.SliceData(combined), len(combined)), dir)
	if len(spans) == 0 {
		w.recurseInline(items, dir)
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
	snapped := slices.Grow(sc.snapped, len(spans))
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
	sc.snapped = snapped
	// Rebuild the children: Text nodes cut at span edges, each span's
	// pieces moved into an Isolate. Each span cuts at most two Text
	// nodes.
	pieces := slices.Grow(sc.pieces, len(items)+2*len(snapped))
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
		soft, hard := orig.SoftLineBreak(), orig.HardLineBreak()
		// Group the pieces of this Text by span, in pieces[groups:].
		groups := len(pieces)
		var groupStart, groupEnd int
		cur := -2
		flush := func() {
			if cur == -2 {
				return
			}
			// The first group reuses orig (the children are all put
			// back below): a Text is rendered from its segment and
			// flags alone.
			t := orig
			if len(pieces) > groups {
				t = ast.NewTextSegment(text.Segment{})
				t.SetRaw(orig.IsRaw())
			}
			t.Segment = text.NewSegment(groupStart, groupEnd)
			t.SetSoftLineBreak(false)
			t.SetHardLineBreak(false)
			pieces = append(pieces, piece{t, cur})
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
		if len(pieces) == groups {
			// An empty Text (or only a line break): keep it as it is.
			pieces = append(pieces, piece{orig, -1})
			continue
		}
		lastText := pieces[len(pieces)-1].node.(*ast.Text)
		lastText.SetSoftLineBreak(soft)
		lastText.SetHardLineBreak(hard)
	}
	sc.pieces = pieces
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
	w.recurseInline(items, dir)
}

// piece is a child of a container being rebuilt, with the span it goes
// in, or -1.
type piece struct {
	node ast.Node
	span int
}

// recurseInline isolates runs inside the elements that no span holds.
func (w *walker) recurseInline(items []item, dir Direction) {
	for _, it := range items {
		if it.text || it.span >= 0 {
			continue
		}
		switch it.node.(type) {
		case *ast.String, *ast.CodeSpan, *ast.Image, *ast.RawHTML, *Isolate, *ast.AutoLink:
			continue
		}
		if it.node.FirstChild() != nil {
			w.isolateInline(it.node, dir)
		}
	}
}

// textUnits calls fn for the pieces of src[start:stop]: each backslash
// escape and each entity or character reference, which cannot be cut,
// with its decoded text, and each run of plain text between them with
// decoded "" (its text is the source's).
func textUnits(src []byte, start, stop int, fn func(decoded string, a, b int)) {
	plain := start
	// Only a backslash or an ampersand may start a unit: jump from one to
	// the next.
	backslash, amp := indexFrom(src, start, stop, '\\'), indexFrom(src, start, stop, '&')
	for i := start; ; {
		if backslash < i {
			backslash = indexFrom(src, i, stop, '\\')
		}
		if amp < i {
			amp = indexFrom(src, i, stop, '&')
		}
		if i = min(backslash, amp); i >= stop {
			break
		}
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

// indexFrom returns the index of the first c in src[from:stop], or stop.
func indexFrom(src []byte, from, stop int, c byte) int {
	if k := bytes.IndexByte(src[from:stop], c); k >= 0 {
		return from + k
	}
	return stop
}

// entityLen returns the length of the entity or character reference at
// the start of b ("&amp;", "&#1575;", "&#x627;"), or 0.
func entityLen(b []byte) int {
	j := 1
	if j < len(b) && b[j] == '#' {
		j++
		hex := j < len(b) && (b[j] == 'x' || b[j] == 'X')
		if hex {
			j++
		}
		k := j
		for k < len(b) && k-j < 8 && (b[k] >= '0' && b[k] <= '9' || hex && (b[k]|0x20 >= 'a' && b[k]|0x20 <= 'f')) {
			k++
		}
		if k == j || k >= len(b) || b[k] != ';' {
			return 0
		}
		return k + 1
	}
	k := j
	for k < len(b) && k-j < 32 && (b[k]|0x20 >= 'a' && b[k]|0x20 <= 'z' || k > j && b[k] >= '0' && b[k] <= '9') {
		k++
	}
	if k == j || k >= len(b) || b[k] != ';' {
		return 0
	}
	if html.UnescapeString(string(b[:k+1])) == string(b[:k+1]) {
		return 0 // not a known entity: plain text
	}
	return k + 1
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// mayHoldRuns reports whether the bidi pass may change n, a block or an
// inline element in right-to-left text. It is false when no text under n
// (the Text, String and AutoLink nodes that nodeText and isolateInline
// read) holds an ASCII digit or a left-to-right letter (see mayHaveSpans),
// and all of it is valid UTF-8, so that joining pieces makes no new
// character. Then nothing under n is isolated: references and escapes
// only decode to such characters from ASCII letters or digits; and the
// block has no language marker and is not wholly left-to-right.
func mayHoldRuns(n ast.Node, src []byte) bool {
	switch n := n.(type) {
	case *ast.Text:
		return mayHaveSpans(src[n.Segment.Start:n.Segment.Stop]) // padding is spaces
	case *ast.String:
		return mayHaveSpans(n.Value)
	case *ast.AutoLink:
		return mayHaveSpans(n.Label(src))
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if mayHoldRuns(c, src) {
			return true
		}
	}
	return false
}

// hasRTLLetter reports whether one of the pieces of nodeText(n, src) holds
// a right-to-left letter. Then nodeText holds it too (joining pieces never
// changes the valid characters in them), and n is not wholly
// left-to-right; this is found without building the text.
func hasRTLLetter(n ast.Node, src []byte) bool {
	switch n := n.(type) {
	case *ast.Text:
		return bytes.IndexFunc(n.Segment.Value(src), IsRTLLetter) >= 0
	case *ast.String:
		return bytes.IndexFunc(n.Value, IsRTLLetter) >= 0
	case *ast.AutoLink:
		return bytes.IndexFunc(n.Label(src), IsRTLLetter) >= 0
	case *ast.RawHTML, *ast.Image:
		return false
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if hasRTLLetter(c, src) {
			return true
		}
	}
	return false
}

// nodeText returns the text of n and its descendants, roughly as shown:
// text, strings, code, link labels.
func nodeText(n ast.Node, src []byte) string {
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

type nodeRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer: isolates, and code
// blocks with dir="ltr".
func (nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindIsolate, renderIsolate)
	reg.Register(ast.KindCodeBlock, renderCodeBlock)
	reg.Register(ast.KindFencedCodeBlock, renderCodeBlock)
}

func renderIsolate(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*Isolate)
	if !entering {
		_, _ = w.WriteString("</span>")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<span")
	if n.Lang != "" {
		_, _ = w.WriteString(` lang="`)
		_, _ = w.Write(util.EscapeHTML([]byte(n.Lang)))
		_ = w.WriteByte('"')
	}
	_, _ = w.WriteString(` dir="` + n.Dir.String() + `">`)
	return ast.WalkContinue, nil
}

// renderCodeBlock writes indented and fenced code blocks as
// <pre dir="ltr"><code class="language-X">: code reads left to right
// whatever the page's direction, and CSS cannot set direction.
func renderCodeBlock(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		_, _ = w.WriteString("</code></pre>\n")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<pre dir="ltr"><code`)
	if f, ok := node.(*ast.FencedCodeBlock); ok {
		if lang := f.Language(src); lang != nil {
			_, _ = w.WriteString(` class="language-`)
			ghtml.DefaultWriter.Write(w, lang)
			_ = w.WriteByte('"')
		}
	}
	_ = w.WriteByte('>')
	lines := node.Lines()
	for i := 0; i < lines.Len(); i++ {
		line := lines.At(i)
		ghtml.DefaultWriter.RawWrite(w, line.Value(src))
	}
	return ast.WalkContinue, nil
}
