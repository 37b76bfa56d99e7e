package markdown

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

// Inspection is what an author's checks need to know about a body: its
// prose with the position of every character, and its images.
type Inspection struct {
	// Blocks are the paragraphs, headings, list items and table cells,
	// in document order, with the text an author typed: code, URLs, raw
	// HTML and link destinations left out, quotation marks as typed.
	Blocks []TextBlock
	// Images are the images of the body.
	Images []ImageRef
	// FirstParagraph is the line of the first paragraph (0 when none).
	FirstParagraph int
}

// TextBlock is the text of one block: pieces of the source, with "\n"
// where a line ends and U+FFFC where code, an image or a bare link was
// left out. Pos gives each byte of Text its 1-based line and column (in
// characters) in the source, or (0, 0) for the separators.
type TextBlock struct {
	Text string
	Pos  []Position
}

// Position is a 1-based line and column (in characters).
type Position struct{ Line, Col int }

// ImageRef is one image as written.
type ImageRef struct {
	Alt       string
	Dest      string
	Line, Col int
}

// Inspect parses src (a post's body) without rendering it.
func Inspect(src []byte) Inspection {
	// A plain parser: no typographer (quotation marks stay as typed, with
	// their positions), no bidi pass.
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote))
	doc := md.Parser().Parse(text.NewReader(src))
	lines := lineStarts(src)
	pos := func(off int) Position {
		i := sort.Search(len(lines), func(i int) bool { return lines[i] > off }) - 1
		if i < 0 {
			i = 0
		}
		return Position{i + 1, utf8.RuneCount(src[lines[i]:off]) + 1}
	}
	var ins Inspection
	var block *TextBlock
	// sep ends a line (s is "\n") or marks where code, an image or the
	// like was left out (s is "\uFFFC").
	sep := func(s string) {
		if block != nil && block.Text != "" && !strings.HasSuffix(block.Text, s) {
			block.Text += s
			for k := 0; k < len(s); k++ {
				block.Pos = append(block.Pos, Position{})
			}
		}
	}
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		switch n := n.(type) {
		case *ast.Paragraph, *ast.Heading, *ast.TextBlock, *east.TableCell:
			if _, ok := n.(*ast.Paragraph); ok && ins.FirstParagraph == 0 && n.Parent().Kind() == ast.KindDocument && n.Lines().Len() > 0 {
				ins.FirstParagraph = pos(n.Lines().At(0).Start).Line
			}
			outer := block
			ins.Blocks = append(ins.Blocks, TextBlock{})
			block = &TextBlock{}
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				walk(c)
			}
			ins.Blocks[len(ins.Blocks)-1] = *block
			// Blocks nested in this one (none for these kinds) go on.
			block = outer
			return
		case *ast.Text:
			if block == nil {
				return
			}
			seg := n.Segment
			for off := seg.Start; off < seg.Stop; {
				_, size := utf8.DecodeRune(src[off:seg.Stop])
				p := pos(off)
				block.Text += string(src[off : off+size])
				for k := 0; k < size; k++ {
					block.Pos = append(block.Pos, p)
				}
				off += size
			}
			if n.SoftLineBreak() || n.HardLineBreak() {
				sep("\n")
			}
			return
		case *ast.Image:
			var alt strings.Builder
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				alt.WriteString(plainText(c, src))
			}
			line, col := 0, 0
			if block := enclosingLines(n); block != nil {
				start := block.Lines().At(0).Start
				stop := block.Lines().At(block.Lines().Len() - 1).Stop
				if i := strings.Index(string(src[start:stop]), "]("+string(n.Destination)); i >= 0 {
					// Point at the "!" of ![alt](dest).
					j := strings.LastIndex(string(src[start:start+i]), "![")
					if j >= 0 {
						p := pos(start + j)
						line, col = p.Line, p.Col
					}
				}
			}
			ins.Images = append(ins.Images, ImageRef{Alt: alt.String(), Dest: string(n.Destination), Line: line, Col: col})
			sep("\uFFFC")
			return
		case *ast.CodeSpan, *ast.AutoLink, *ast.RawHTML, *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock:
			sep("\uFFFC")
			return
		}
		if n.Type() == ast.TypeInline && n.Kind() != ast.KindText {
			// Emphasis, links, strikethrough: their text joins the
			// block's, so a doubled word across "**و** و" still counts.
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				walk(c)
			}
			return
		}
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			walk(c)
		}
	}
	walk(doc)
	kept := ins.Blocks[:0]
	for _, b := range ins.Blocks {
		if strings.TrimSpace(b.Text) != "" {
			kept = append(kept, b)
		}
	}
	ins.Blocks = kept
	return ins
}

// enclosingLines returns the nearest block holding n that has source lines.
func enclosingLines(n ast.Node) ast.Node {
	b := n.Parent()
	for b != nil && (b.Type() != ast.TypeBlock || b.Lines().Len() == 0) {
		b = b.Parent()
	}
	return b
}
