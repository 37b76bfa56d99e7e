// Package check finds problems in a site's posts without building it:
// everything a build rejects (as errors), and the mistakes an author of
// Arabic news makes that a build lets through (as warnings):
//
//   - unbalanced or doubled brackets and quotation marks: "((CICA",
//     "مؤتمر((CICA", «سيكا;
//   - an ASCII comma, semicolon or question mark touching Arabic letters
//     (the Arabic ، ؛ ؟ are meant);
//   - the same word twice in a row ("و و");
//   - tatweel (ـ), which stretches a word for layout and breaks search;
//   - a lone و separated from the word it belongs to;
//   - a number that mixes Arabic-Indic and Latin digits (٢٠24);
//   - a title longer than 110 characters, a summary longer than 300;
//   - an image without alt text;
//   - a tag used by one post only, probably a typo of another;
//   - a published file whose name is not ASCII.
//
// Each problem has the file, line and column of the text at fault. Run
// does it all for a site; the command "nashra check" prints the result.
package check

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nashra-press/nashra/site"
	"github.com/nashra-press/nashra/site/bidi"
	"github.com/nashra-press/nashra/site/diag"
	"github.com/nashra-press/nashra/site/markdown"
)

// Limits of the length checks, in characters.
const (
	MaxTitle   = 110
	MaxSummary = 300
)

// Report is the result of checking a site.
type Report struct {
	// Diagnostics are every problem found, sorted by file and line.
	Diagnostics diag.List
	// Posts counts the posts checked.
	Posts int
}

// discard is an Output that keeps nothing: checking writes no file.
type discard struct{}

func (discard) WriteFile(string, []byte) error { return nil }

// Run checks the site in src: it runs a build with opts into an output
// that keeps nothing (so it finds every error a build would), then checks
// the text of every published post. The build is a local one
// (site.Options.Local): nothing is published, so a site without base_url
// is checked all the same.
func Run(ctx context.Context, src fs.FS, opts site.Options) Report {
	opts.Local = true
	res, err := site.Generate(ctx, src, discard{}, opts)
	var list diag.List
	if res != nil {
		list = append(list, res.Warnings...)
	}
	list = append(list, diag.AsList(err)...)
	var rep Report
	if res != nil && res.Content != nil {
		rep.Posts = len(res.Content.Posts)
		for _, p := range res.Content.Posts {
			data, err := fs.ReadFile(src, p.File)
			if err != nil {
				continue // reported by the build
			}
			list = append(list, Post(p, data)...)
		}
		list = append(list, Tags(res.Content)...)
		list = append(list, FileNames(res.Content)...)
	}
	list.Sort()
	rep.Diagnostics = list
	return rep
}

// Post checks one post: the text of its title, summary and body, the
// lengths of its title and summary, the alt text of its images. data is
// the post's file.
func Post(p *site.Post, data []byte) diag.List {
	c := &checker{file: p.File, lines: strings.Split(string(data), "\n")}
	if line, col, ok := p.KeyPosition("title"); ok {
		c.text(c.field(line, col, p.Title))
		if n := utf8.RuneCountInString(p.Title); n > MaxTitle {
			c.warn(markdown.Position{Line: line, Col: col}, "shorten it: lists and search results cut long titles",
				"the title has %d characters, more than %d", n, MaxTitle)
		}
	}
	body, bodyLine, err := site.PostBody(data)
	if err != nil {
		return c.diags // reported by the build
	}
	ins := markdown.Inspect(body)
	offset := bodyLine - 1
	for _, b := range ins.Blocks {
		for i := range b.Pos {
			if b.Pos[i].Line > 0 {
				b.Pos[i].Line += offset
			}
		}
		c.text(b)
	}
	if line, col, ok := p.KeyPosition("summary"); ok {
		c.text(c.field(line, col, p.Summary))
		if n := utf8.RuneCountInString(p.Summary); n > MaxSummary {
			c.warn(markdown.Position{Line: line, Col: col}, "shorten it to one or two sentences: lists and search engines show the summary",
				"the summary has %d characters, more than %d", n, MaxSummary)
		}
	} else if n := utf8.RuneCountInString(p.Summary); n > MaxSummary && ins.FirstParagraph > 0 {
		c.warn(markdown.Position{Line: ins.FirstParagraph + offset, Col: 1},
			"add a summary: of one or two sentences to the front matter, or put <!--more--> after a shorter opening",
			"the summary, taken from the first paragraph, has %d characters, more than %d", n, MaxSummary)
	}
	for _, img := range ins.Images {
		if strings.TrimSpace(img.Alt) == "" {
			c.warn(markdown.Position{Line: img.Line + offset, Col: img.Col},
				fmt.Sprintf("describe the image between the brackets: ![وصف الصورة](%s)", img.Dest),
				"image %s has no alt text for readers who cannot see it", img.Dest)
		}
	}
	if line, col, ok := p.KeyPosition("image"); ok && p.Cover != nil && strings.TrimSpace(p.Cover.Alt) == "" {
		c.warn(markdown.Position{Line: line, Col: col}, `add image_alt: "وصف الصورة" to the front matter`,
			"the cover image has no alt text (image_alt) for readers who cannot see it")
	}
	return c.diags
}

// Tags warns about tags that one post only uses and that config.yaml does
// not list: probably a typo of another tag.
func Tags(c *site.Content) diag.List {
	var diags diag.List
	// Suggestions come from the tags that are expected: configured, or
	// used by several posts.
	var names []string
	for _, t := range c.Tags {
		if t.Configured || t.Count() > 1 {
			names = append(names, t.Name)
		}
	}
	for _, t := range c.Tags {
		if t.Configured || t.Count() != 1 {
			continue
		}
		p := t.Posts()[0]
		hint := "if it is meant, list it in config.yaml under tags:, with an Arabic label"
		if best, ok := diag.Closest(t.Name, names); ok {
			hint = fmt.Sprintf("did you mean %q?", best)
		} else if best != "" {
			hint = fmt.Sprintf("the closest tag is %q; %s", best, hint)
		}
		for _, u := range p.TagUses() {
			if u.Tag == t {
				diags.Add(diag.Diagnostic{File: p.File, Line: u.Line, Col: u.Col, Severity: diag.Warning,
					Msg: fmt.Sprintf("tag %q is used by this post only", u.Name), Hint: hint})
				break
			}
		}
	}
	return diags
}

// FileNames warns about published files (static files, bundle images)
// whose names are not ASCII: some hosts and deploy tools fail to serve
// them, or store them in another Unicode normalisation than the links
// ask for (docs/arabic-rtl.md, section 4).
func FileNames(c *site.Content) diag.List {
	var diags diag.List
	var files []site.Asset
	files = append(files, c.Static...)
	for _, p := range c.Posts {
		files = append(files, p.Assets...)
	}
	seen := map[string]bool{}
	for _, a := range files {
		if seen[a.File] {
			continue
		}
		seen[a.File] = true
		for _, r := range a.Out {
			if r > unicode.MaxASCII || r == ' ' {
				diags.Add(diag.Diagnostic{File: a.File, Severity: diag.Warning,
					Msg:  "the file name has spaces or letters outside ASCII; some hosts cannot serve it",
					Hint: "rename it with English letters, digits and hyphens, and update the links to it"})
				break
			}
		}
	}
	return diags
}

type checker struct {
	file  string
	lines []string
	diags diag.List
}

func (c *checker) warn(p markdown.Position, hint, format string, args ...any) {
	src := ""
	if p.Line > 0 && p.Line <= len(c.lines) {
		src = strings.TrimRight(c.lines[p.Line-1], "\r")
	}
	c.diags.Add(diag.Diagnostic{File: c.file, Line: p.Line, Col: p.Col, Severity: diag.Warning,
		Msg: fmt.Sprintf(format, args...), Hint: hint, Source: src})
}

// field locates the text of a front matter value written on line, from
// col on, and returns it as a TextBlock with the position of each
// character. A value that cannot be found as written (escaped, folded
// over lines) gets the key's position for every character.
func (c *checker) field(line, col int, value string) markdown.TextBlock {
	b := markdown.TextBlock{Text: value, Pos: make([]markdown.Position, len(value))}
	for i := range b.Pos {
		b.Pos[i] = markdown.Position{Line: line, Col: col}
	}
	if line < 1 || line > len(c.lines) || value == "" {
		return b
	}
	l := c.lines[line-1]
	start := 0
	for k := 1; k < col && start < len(l); k++ {
		_, size := utf8.DecodeRuneInString(l[start:])
		start += size
	}
	i := strings.Index(l[start:], value)
	if i < 0 {
		return b
	}
	first := col + utf8.RuneCountInString(l[start:start+i])
	n := 0
	for j, r := range value {
		for k := 0; k < utf8.RuneLen(r); k++ {
			b.Pos[j+k] = markdown.Position{Line: line, Col: first + n}
		}
		n++
	}
	return b
}

// brackets pairs the opening and closing marks that must balance.
var brackets = map[rune]rune{'(': ')', '[': ']', '{': '}', '«': '»', '“': '”'}

var closers = map[rune]rune{')': '(', ']': '[', '}': '{', '»': '«', '”': '“'}

// text runs the checks of running text on one block.
func (c *checker) text(b markdown.TextBlock) {
	type rn struct {
		r   rune
		pos markdown.Position
	}
	var rs []rn
	for i, r := range b.Text {
		rs = append(rs, rn{r, b.Pos[i]})
	}
	at := func(i int) rune {
		if i < 0 || i >= len(rs) {
			return 0
		}
		return rs[i].r
	}
	arabic := func(r rune) bool { return bidi.IsRTLLetter(r) && r != 'ـ' }

	// Brackets and quotation marks.
	type open struct {
		i       int
		doubled bool
	}
	var stack []open
	quote := -1 // index of an open ASCII double quote
	for i, x := range rs {
		r := x.r
		switch {
		case brackets[r] != 0:
			if at(i-1) == r {
				c.warn(x.pos, fmt.Sprintf("write one %c", r), "doubled %c", r)
				if n := len(stack); n > 0 {
					stack[n-1].doubled = true
				}
				continue
			}
			stack = append(stack, open{i: i})
		case closers[r] != 0:
			if at(i-1) == r {
				c.warn(x.pos, fmt.Sprintf("write one %c", r), "doubled %c", r)
				continue
			}
			if n := len(stack); n > 0 && rs[stack[n-1].i].r == closers[r] {
				stack = stack[:n-1]
				continue
			}
			c.warn(x.pos, fmt.Sprintf("add the opening %c, or remove this one", closers[r]), "%c closes nothing", r)
		case r == '"':
			if at(i-1) == '"' {
				c.warn(x.pos, `write one "`, `doubled "`)
				quote = -1
				continue
			}
			if quote < 0 {
				quote = i
			} else {
				quote = -1
			}
		}
	}
	for _, o := range stack {
		if !o.doubled {
			r := rs[o.i].r
			c.warn(rs[o.i].pos, fmt.Sprintf("close it with %c, or remove it", brackets[r]), "%c is never closed", r)
		}
	}
	if quote >= 0 {
		c.warn(rs[quote].pos, `close the quotation with another ", or write «…»`, `" is never closed`)
	}

	// ASCII punctuation touching Arabic letters.
	arabicForm := map[rune]rune{',': '،', ';': '؛', '?': '؟'}
	names := map[rune]string{',': "comma", ';': "semicolon", '?': "question mark"}
	for i, x := range rs {
		if f, ok := arabicForm[x.r]; ok && (arabic(at(i-1)) || arabic(at(i+1))) {
			c.warn(x.pos, fmt.Sprintf("write the Arabic %s %c", names[x.r], f), "ASCII %s %q next to Arabic text", names[x.r], x.r)
		}
	}

	// Tatweel. One tatweel after a prefix, before what the prefix cannot
	// join (a number, a quotation mark, Latin: "الـ28", "لـ«سيكا»"), is
	// correct spelling; elsewhere it stretches a word for layout.
	for i, x := range rs {
		if x.r != 'ـ' || at(i-1) == 'ـ' {
			continue
		}
		next := at(i + 1)
		if next != 'ـ' && next != 0 && !arabic(next) && !unicode.IsSpace(next) && !unicode.IsPunct(next) || next == '«' || next == '(' || next == '"' {
			continue
		}
		c.warn(x.pos, "remove it: it stretches the word for layout, and breaks search and screen readers", "tatweel (ـ) in the text")
	}

	// Numbers that mix Arabic-Indic and Latin digits.
	for i := 0; i < len(rs); {
		if !unicode.IsDigit(rs[i].r) {
			i++
			continue
		}
		start, latin, indic := i, false, false
		for i < len(rs) && (unicode.IsDigit(rs[i].r) || strings.ContainsRune(".,٫٬:/", rs[i].r) && i+1 < len(rs) && unicode.IsDigit(rs[i+1].r)) {
			if rs[i].r >= '0' && rs[i].r <= '9' {
				latin = true
			} else if unicode.IsDigit(rs[i].r) {
				indic = true
			}
			i++
		}
		if latin && indic {
			var num strings.Builder
			for _, x := range rs[start:i] {
				num.WriteRune(x.r)
			}
			c.warn(rs[start].pos, "write every digit of a number the same way: 2024 or ٢٠٢٤",
				"the number %s mixes Arabic-Indic and Latin digits", num.String())
		}
	}

	// Words: doubled, and a lone و.
	type word struct {
		text       string
		norm       string
		start, end int
	}
	var words []word
	for i := 0; i < len(rs); {
		if !isWordRune(rs[i].r) {
			i++
			continue
		}
		start := i
		for i < len(rs) && isWordRune(rs[i].r) {
			i++
		}
		var w strings.Builder
		for _, x := range rs[start:i] {
			w.WriteRune(x.r)
		}
		words = append(words, word{text: w.String(), norm: normalize(w.String()), start: start, end: i})
	}
	onlySpace := func(from, to int) bool {
		if from == to {
			return false
		}
		for _, x := range rs[from:to] {
			if !unicode.IsSpace(x.r) {
				return false
			}
		}
		return true
	}
	for k := 1; k < len(words); k++ {
		a, b := words[k-1], words[k]
		if a.norm == b.norm && onlySpace(a.end, b.start) && !reduplicated[a.norm] && a.norm != "" {
			c.warn(rs[b.start].pos, "remove one of them", "%q twice in a row", b.text)
		}
	}
	for k, w := range words {
		if w.norm != "و" || k+1 >= len(words) || !onlySpace(w.end, words[k+1].start) {
			continue
		}
		next := words[k+1]
		if next.norm == "و" || k > 0 && words[k-1].norm == "و" && onlySpace(words[k-1].end, w.start) {
			continue // reported as a doubled word
		}
		c.warn(rs[w.start].pos, fmt.Sprintf("join it to the next word: و%s", next.text),
			"the conjunction و is separated from its word")
	}
}

// isWordRune reports letters and the marks written on them.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) || unicode.IsDigit(r)
}

// normalize makes words comparable: Latin in lower case, Arabic without
// tashkeel and tatweel. Numbers are "" (never reported as doubled).
func normalize(w string) string {
	var b strings.Builder
	letters := false
	for _, r := range w {
		switch {
		case r == 'ـ' || unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r):
			letters = true
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteRune(r)
		}
	}
	if !letters {
		return ""
	}
	return b.String()
}

// reduplicated are words that Arabic repeats on purpose.
var reduplicated = map[string]bool{"رويدا": true}
