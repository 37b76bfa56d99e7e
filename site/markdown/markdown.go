// Package markdown turns a post's markdown body into HTML with goldmark,
// configured for Arabic news posts:
//
//   - GFM (tables, strikethrough, autolinks, task lists) and footnotes;
//   - raw HTML omitted unless the site enables it;
//   - heading IDs that keep Arabic letters and are unique per page;
//   - every link and image destination handed to a Resolver, which rewrites
//     it (relative to the post, under the site's base path) and reports
//     broken ones, and images get width, height and loading="lazy";
//   - a plain-text summary: the text before <!--more-->, else the first
//     paragraph, and the plain text of the whole body.
//
// The package knows nothing about files or the site: the caller supplies
// the Resolver, which knows both.
package markdown

import (
	"bytes"
	"html"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/nashra-press/nashra/site/bidi"
)

// Options configures a Converter.
type Options struct {
	// UnsafeHTML lets raw HTML in posts through to the page. Off by
	// default: raw HTML is dropped.
	UnsafeHTML bool
	// TableLabel names the scrolling region around each table for
	// screen readers; default "جدول" (table).
	TableLabel string
}

// Ref is one link or image destination as written in the markdown, with
// its 1-based position in the converted source (column in characters).
type Ref struct {
	Dest      string
	Line, Col int
	Image     bool
}

// Image is what a Resolver knows about an image destination.
type Image struct {
	// URL is the destination to emit.
	URL string
	// Width and Height are the image's pixel size; zero when unknown.
	Width, Height int
}

// Resolver rewrites destinations found in a post. It is called once per
// link and image, in document order, from the goroutine that called
// Convert. It reports problems itself (it knows the file).
type Resolver interface {
	Link(ref Ref) string
	Image(ref Ref) Image
}

// Heading is one heading of the post, for a table of contents or checks.
type Heading struct {
	Level int
	ID    string
	Text  string
	Line  int
}

// Result is a converted post body.
type Result struct {
	HTML []byte
	// Summary is plain text: the text before <!--more-->, else the first
	// paragraph.
	Summary string
	// HasMore is true when the author marked the summary with <!--more-->.
	HasMore bool
	// Headings lists the headings in document order.
	Headings []Heading
	// Text is the plain text of the whole body, blocks separated by
	// newlines (for search and checks).
	Text string
	// IDs are the fragment identifiers the body defines: heading IDs and
	// footnotes ("fn:1", "fnref:1"), for checking links to #anchors.
	IDs []string
}

// Converter converts markdown. It is safe for concurrent use.
type Converter struct {
	md  goldmark.Markdown
	key parser.ContextKey
}

// New returns a Converter with the given options.
func New(opts Options) *Converter {
	c := &Converter{key: parser.NewContextKey()}
	var ro []renderer.Option
	if opts.UnsafeHTML {
		ro = append(ro, ghtml.WithUnsafe())
	}
	c.md = goldmark.New(
		goldmark.WithExtensions(extension.GFM,
			// "↩" points the wrong way in right-to-left text; an upward
			// arrow reads the same in both directions.
			extension.NewFootnote(extension.WithFootnoteBacklinkHTML("↑")),
			extension.NewTypographer(extension.WithTypographicSubstitutions(arabicPunctuation)),
			bidi.Extension{}),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(&transformer{key: c.key}, 1000)),
		),
		goldmark.WithRendererOptions(append(ro,
			renderer.WithNodeRenderers(util.Prioritized(tableRenderer{label: opts.TableLabel}, 100)))...),
	)
	return c
}

// tableRenderer writes each table inside a scrolling region, so that a
// wide table scrolls sideways on a phone instead of widening the page,
// while the table keeps its table semantics (display: block on a table
// loses them in some screen readers). The region can take the keyboard
// focus, so it can be scrolled without a mouse.
type tableRenderer struct{ label string }

// RegisterFuncs implements renderer.NodeRenderer.
func (r tableRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(east.KindTable, r.renderTable)
}

func (r tableRenderer) renderTable(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		_, _ = w.WriteString("</table>\n</div>\n")
		return ast.WalkContinue, nil
	}
	label := r.label
	if label == "" {
		label = "جدول"
	}
	_, _ = w.WriteString(`<div class="table-scroll" role="region" tabindex="0" aria-label="`)
	_, _ = w.Write(util.EscapeHTML([]byte(label)))
	_, _ = w.WriteString(`">` + "\n<table")
	if n.Attributes() != nil {
		ghtml.RenderAttributes(w, n, extension.TableAttributeFilter)
	}
	_, _ = w.WriteString(">\n")
	return ast.WalkContinue, nil
}

// arabicPunctuation are the typographer's substitutions: "…" becomes the
// «…» of Arabic (and of the Jordanian press; docs/arabic-rtl.md), which
// the bidi pass turns back into “…” inside English paragraphs; << and >>
// become « and », -- and --- dashes, ... an ellipsis. Single quotes are
// left as written: the typographer takes a ' between two letters for an
// apostrophe, which Arabic does not have. Every value is a character, not
// an entity, so plain text (summaries, search) holds what the page shows.
var arabicPunctuation = map[extension.TypographicPunctuation][]byte{
	extension.LeftDoubleQuote:  []byte("«"),
	extension.RightDoubleQuote: []byte("»"),
	extension.LeftSingleQuote:  nil,
	extension.RightSingleQuote: nil,
	extension.Apostrophe:       nil,
	extension.EnDash:           []byte("–"),
	extension.EmDash:           []byte("—"),
	extension.Ellipsis:         []byte("…"),
	extension.LeftAngleQuote:   []byte("«"),
	extension.RightAngleQuote:  []byte("»"),
}

// conversion is the per-call state shared with the AST transformer.
type conversion struct {
	resolver Resolver
	lines    []int // byte offset of the start of each line
	result   *Result
}

// Convert renders src. resolver may be nil, in which case destinations are
// kept as written.
func (c *Converter) Convert(src []byte, resolver Resolver) (Result, error) {
	return c.ConvertTo(new(bytes.Buffer), src, resolver)
}

// ConvertTo renders src into buf, which it resets first: Result.HTML is
// buf's bytes, valid until buf is used again. A caller converting many
// documents reuses one buffer instead of growing a new one each time.
func (c *Converter) ConvertTo(buf *bytes.Buffer, src []byte, resolver Resolver) (Result, error) {
	var res Result
	conv := &conversion{resolver: resolver, lines: lineStarts(src), result: &res}
	pc := parser.NewContext(parser.WithIDs(NewIDs()))
	pc.Set(c.key, conv)
	buf.Reset()
	buf.Grow(len(src) + len(src)/4)
	if err := c.md.Convert(src, bufWriter{buf}, parser.WithContext(pc)); err != nil {
		return Result{}, err
	}
	res.HTML = buf.Bytes()
	return res, nil
}

// bufWriter lets goldmark's renderer write straight into a bytes.Buffer:
// given a plain io.Writer, it would allocate a 4 KB bufio.Writer for
// every document and copy everything twice.
type bufWriter struct{ *bytes.Buffer }

var _ util.BufWriter = bufWriter{}

// Buffered implements util.BufWriter: nothing waits to be flushed.
func (bufWriter) Buffered() int { return 0 }

// Flush implements util.BufWriter; writes go to the buffer at once.
func (bufWriter) Flush() error { return nil }

type transformer struct {
	key parser.ContextKey
}

// Transform resolves destinations, collects headings and text, and takes
// the <!--more--> marker out of the document.
func (t *transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	conv, _ := pc.Get(t.key).(*conversion)
	if conv == nil {
		return
	}
	src := reader.Source()
	res := conv.result

	// Summary: blocks before <!--more-->, else the first paragraph.
	var more ast.Node
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if hb, ok := n.(*ast.HTMLBlock); ok && isMoreMarker(hb, src) {
			more = n
			break
		}
	}
	if more != nil {
		var parts []string
		for n := doc.FirstChild(); n != more; n = n.NextSibling() {
			if s := plainText(n, src); s != "" {
				parts = append(parts, s)
			}
		}
		res.Summary = strings.Join(parts, " ")
		res.HasMore = true
		doc.RemoveChild(doc, more)
	} else {
		for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
			if _, ok := n.(*ast.Paragraph); ok {
				res.Summary = plainText(n, src)
				break
			}
		}
	}

	// The text is about as long as the source: grow it once.
	// Text is the builder's string, not a copy of it.
	var all textWriter
	all.b.Grow(len(src))
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		before := all.b.Len()
		all.walk(n, src)
		if all.b.Len() > before {
			all.pending = false
			all.b.WriteByte('\n')
		}
	}
	res.Text = strings.TrimSuffix(all.b.String(), "\n")

	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			id, _ := n.AttributeString("id")
			idb, _ := id.([]byte)
			line := 0
			if n.Lines().Len() > 0 {
				line, _ = conv.position(src, n.Lines().At(0).Start)
			}
			res.Headings = append(res.Headings, Heading{Level: n.Level, ID: string(idb), Text: plainText(n, src), Line: line})
			res.IDs = append(res.IDs, string(idb))
		case *east.Footnote:
			res.IDs = append(res.IDs, "fn:"+strconv.Itoa(n.Index))
		case *east.FootnoteLink:
			ref := ""
			if n.RefIndex > 0 {
				ref = strconv.Itoa(n.RefIndex)
			}
			res.IDs = append(res.IDs, "fnref"+ref+":"+strconv.Itoa(n.Index))
		case *ast.Link:
			if conv.resolver != nil {
				ref := conv.ref(n, src, n.Destination, false)
				n.Destination = []byte(conv.resolver.Link(ref))
			}
		case *east.TableCell:
			// Markdown's "left" and "right" (:-- and --:) are the sides the
			// colon is on in the source, which an Arabic editor shows
			// right to left: they mean start and end.
			switch n.Alignment {
			case east.AlignLeft:
				n.SetAttributeString("style", []byte("text-align:start"))
			case east.AlignRight:
				n.SetAttributeString("style", []byte("text-align:end"))
			}
			n.Alignment = east.AlignNone
		case *ast.Image:
			if conv.resolver != nil {
				ref := conv.ref(n, src, n.Destination, true)
				img := conv.resolver.Image(ref)
				n.Destination = []byte(img.URL)
				if img.Width > 0 && img.Height > 0 {
					n.SetAttributeString("width", []byte(strconv.Itoa(img.Width)))
					n.SetAttributeString("height", []byte(strconv.Itoa(img.Height)))
				}
			}
			n.SetAttributeString("loading", []byte("lazy"))
			n.SetAttributeString("decoding", []byte("async"))
		}
		return ast.WalkContinue, nil
	})
}

// decodeText resolves backslash escapes and character references in the
// text of a Text node, as goldmark's HTML writer does: "AT\&amp;T" is
// "AT&T" in plain text.
func decodeText(v []byte) []byte {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return v
	}
	v = util.UnescapePunctuations(v)
	v = util.ResolveNumericReferences(v)
	return util.ResolveEntityNames(v)
}

func isMoreMarker(hb *ast.HTMLBlock, src []byte) bool {
	var b bytes.Buffer
	for i := 0; i < hb.Lines().Len(); i++ {
		seg := hb.Lines().At(i)
		b.Write(seg.Value(src))
	}
	s := strings.Join(strings.Fields(b.String()), "")
	return strings.EqualFold(s, "<!--more-->")
}

// ref finds where dest is written, searching the text of the nearest block
// that holds n.
func (c *conversion) ref(n ast.Node, src, dest []byte, image bool) Ref {
	r := Ref{Dest: string(dest), Image: image}
	block := n.Parent()
	for block != nil && (block.Type() != ast.TypeBlock || block.Lines().Len() == 0) {
		block = block.Parent()
	}
	if block == nil {
		return r
	}
	lines := block.Lines()
	start := lines.At(0).Start
	stop := lines.At(lines.Len() - 1).Stop
	off := start
	if len(dest) > 0 {
		if i := bytes.Index(src[start:stop], dest); i >= 0 {
			off = start + i
		}
	}
	r.Line, r.Col = c.position(src, off)
	return r
}

// position converts a byte offset into a 1-based line and character column.
func (c *conversion) position(src []byte, off int) (line, col int) {
	i := sort.Search(len(c.lines), func(i int) bool { return c.lines[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return i + 1, utf8.RuneCount(src[c.lines[i]:off]) + 1
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, b := range src {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// plainText returns the visible text of n and its children: text, code
// spans, link text, autolinks; images, raw HTML and footnote references
// are left out, soft line breaks become spaces, and runs of white space
// one space.
func plainText(n ast.Node, src []byte) string {
	var t textWriter
	t.walk(n, src)
	// A copy of the exact length: summaries stay in memory for the
	// whole build, the builder's spare capacity need not.
	return strings.Clone(t.b.String())
}

// textWriter collects text, collapsing white space as it goes (one pass,
// no intermediate slices: this runs over every post's whole body).
type textWriter struct {
	b       strings.Builder
	pending bool // a space is due before the next non-space
}

func (t *textWriter) space() {
	s := t.b.String()
	t.pending = len(s) > 0 && s[len(s)-1] != '\n'
}

func (t *textWriter) write(p []byte) {
	for len(p) > 0 {
		// Copy the longest run with no possible white space in one go:
		// Arabic and Latin letters are the bulk of every post.
		run := 0
		for run < len(p) && !maybeSpace(p[run]) {
			run++
		}
		if run > 0 {
			if t.pending {
				t.b.WriteByte(' ')
				t.pending = false
			}
			t.b.Write(p[:run])
			p = p[run:]
			continue
		}
		r, size := utf8.DecodeRune(p)
		if unicode.IsSpace(r) {
			t.space()
		} else {
			if t.pending {
				t.b.WriteByte(' ')
				t.pending = false
			}
			t.b.Write(p[:size])
		}
		p = p[size:]
	}
}

// maybeSpace reports whether the byte may start a white-space character:
// ASCII space and controls, or the lead byte of U+0085, U+00A0, U+1680,
// U+2000–U+205F and U+3000.
func maybeSpace(c byte) bool {
	return c <= ' ' || c == 0xC2 || c == 0xE1 || c == 0xE2 || c == 0xE3
}

func (t *textWriter) walk(n ast.Node, src []byte) {
	switch n := n.(type) {
	case *ast.Text:
		v := n.Segment.Value(src)
		if !n.IsRaw() {
			v = decodeText(v)
		}
		t.write(v)
		if n.SoftLineBreak() || n.HardLineBreak() {
			t.space()
		}
		return
	case *ast.String:
		if n.IsCode() {
			t.write([]byte(html.UnescapeString(string(n.Value))))
		} else {
			t.write(n.Value)
		}
		return
	case *ast.AutoLink:
		t.write(n.URL(src))
		return
	case *ast.Image, *ast.RawHTML, *ast.HTMLBlock:
		return
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		for i := 0; i < n.Lines().Len(); i++ {
			seg := n.Lines().At(i)
			t.write(seg.Value(src))
		}
		return
	}
	if k := n.Kind().String(); k == "FootnoteLink" || k == "FootnoteBacklink" {
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if c.Type() == ast.TypeBlock {
			t.space()
		}
		t.walk(c, src)
	}
}
