package layouts_test

import (
	"bytes"
	"fmt"
	"github.com/nashra-press/nashra/site"
	"html/template"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nashra-press/nashra/layouts"
)

// pageKinds are the page layouts the engine executes (site.pageKinds).
var pageKinds = []string{"home", "post", "tag", "tags", "search", "404"}

// stubFuncs mirror the signatures of the engine's template functions
// (site.templateFuncs), enough to parse and run the layouts.
func stubFuncs() template.FuncMap {
	return template.FuncMap{
		"date":          func(t time.Time) string { return t.Format("2006-01-02") },
		"shortDate":     func(t time.Time) string { return t.Format("2006-01-02") },
		"datetime":      func(t time.Time) string { return t.Format(time.RFC3339) },
		"num":           func(n int) string { return fmt.Sprint(n) },
		"digits":        func(s string) string { return s },
		"url":           func(rel string) string { return "/base/" + strings.TrimPrefix(rel, "/") },
		"absURL":        func(rel string) string { return "https://example.org/base/" + strings.TrimPrefix(rel, "/") },
		"asset":         func(name string) (string, error) { return "/base/assets/" + name + "?v=1", nil },
		"add":           func(a, b int) int { return a + b },
		"sub":           func(a, b int) int { return a - b },
		"mod":           func(a, b int) int { return a % b },
		"partialCached": func(name string, data any, variants ...any) (template.HTML, error) { return "", nil },
		"bidi":          func(s string) template.HTML { return template.HTML(template.HTMLEscapeString(s)) },
		"plainText":     func(s string) string { return s },
		"jsonLD":        func(any) (template.JS, error) { return "{}", nil },
	}
}

// parseKind parses a page kind the way the engine does: base.html, every
// partial, then the kind's file, in one template set.
func parseKind(t *testing.T, kind string) *template.Template {
	t.Helper()
	partials, err := fs.Glob(layouts.FS, "partials/*.html")
	if err != nil {
		t.Fatal(err)
	}
	set := template.New(kind).Funcs(stubFuncs())
	for _, name := range append(append([]string{"base.html"}, partials...), kind+".html") {
		data, err := fs.ReadFile(layouts.FS, name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := set.New(name).Parse(string(data)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	return set
}

func TestLayoutsParse(t *testing.T) {
	for _, kind := range pageKinds {
		t.Run(kind, func(t *testing.T) {
			set := parseKind(t, kind)
			for _, name := range []string{"base", "main"} {
				if set.Lookup(name) == nil {
					t.Errorf("%s.html with base.html and partials defines no template %q", kind, name)
				}
			}
		})
	}
}

// TestLayoutsURLs checks that no layout writes a site URL from the host
// root by hand: the site may live under a base path such as /amman/news/.
func TestLayoutsURLs(t *testing.T) {
	hardcoded := regexp.MustCompile(`(?i)\b(?:href|src|action)="/`)
	err := fs.WalkDir(layouts.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".html" {
			return err
		}
		data, err := fs.ReadFile(layouts.FS, p)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			if hardcoded.MatchString(line) {
				t.Errorf("%s:%d: URL starts with \"/\": use .URL, url or asset so that the base path is kept\n\t%s", p, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func newPager(cur, total int) *site.Pager {
	return site.NewPager(cur, total, func(n int) string {
		if n == 1 {
			return "/base/"
		}
		return fmt.Sprintf("/base/page/%d/", n)
	})
}

// TestPager checks which page links the pager shows: the first, the last,
// two on each side of the current page, and "…" for each gap of two or
// more pages.
func TestPager(t *testing.T) {
	set := parseKind(t, "home")
	numRe := regexp.MustCompile(`</span>(\d+)</a>|(…)`)
	tests := []struct {
		cur, total int
		want       string // the items between السابق and التالي
	}{
		{1, 1, ""},
		{1, 2, "1 2"},
		{2, 2, "1 2"},
		{1, 7, "1 2 3 … 7"},
		{4, 7, "1 2 3 4 5 6 7"},
		{5, 9, "1 2 3 4 5 6 7 8 9"},
		{6, 12, "1 … 4 5 6 7 8 … 12"},
		{12, 12, "1 … 10 11 12"},
		{8, 12, "1 … 6 7 8 9 10 11 12"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d-of-%d", tc.cur, tc.total), func(t *testing.T) {
			var b bytes.Buffer
			if err := set.ExecuteTemplate(&b, "pager", newPager(tc.cur, tc.total)); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if tc.total <= 1 {
				if strings.TrimSpace(out) != "" {
					t.Fatalf("a single page has a pager:\n%s", out)
				}
				return
			}
			var got []string
			for _, m := range numRe.FindAllStringSubmatch(out, -1) {
				got = append(got, m[1]+m[2])
			}
			if g := strings.Join(got, " "); g != tc.want {
				t.Errorf("pages shown = %q, want %q\n%s", g, tc.want, out)
			}
			if n := strings.Count(out, `aria-current="page"`); n != 1 {
				t.Errorf("%d links have aria-current=page, want 1", n)
			}
			if got, want := strings.Contains(out, `rel="prev"`), tc.cur > 1; got != want {
				t.Errorf("rel=prev link present = %v, want %v", got, want)
			}
			if got, want := strings.Contains(out, `rel="next"`), tc.cur < tc.total; got != want {
				t.Errorf("rel=next link present = %v, want %v", got, want)
			}
		})
	}
	var b bytes.Buffer
	if err := set.ExecuteTemplate(&b, "pager", (*site.Pager)(nil)); err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(b.String()) != "" {
		t.Errorf("a nil pager wrote %q", b.String())
	}
}

// TestPostCount checks the Arabic plural forms of "N posts".
func TestPostCount(t *testing.T) {
	set := parseKind(t, "tags")
	for n, want := range map[int]string{
		0: "لا أخبار", 1: "خبر واحد", 2: "خبران", 3: "3 أخبار", 10: "10 أخبار", 11: "11 خبرًا", 99: "99 خبرًا",
		100: "100 خبر", 101: "101 خبر", 102: "102 خبر", 103: "103 أخبار", 111: "111 خبرًا", 200: "200 خبر", 1210: "1210 أخبار",
	} {
		var b bytes.Buffer
		if err := set.ExecuteTemplate(&b, "post-count", n); err != nil {
			t.Fatal(err)
		}
		if got := b.String(); got != want {
			t.Errorf("post-count %d = %q, want %q", n, got, want)
		}
	}
}

// TestStylesheets runs the CSS lint on every stylesheet of the theme.
func TestStylesheets(t *testing.T) {
	n := 0
	err := fs.WalkDir(layouts.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".css" {
			return err
		}
		n++
		data, err := fs.ReadFile(layouts.FS, p)
		if err != nil {
			return err
		}
		if len(declarations(string(data))) == 0 {
			t.Errorf("%s: the lint found no declarations", p)
		}
		for _, problem := range lintCSS(string(data)) {
			t.Errorf("%s:%s", p, problem)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("the theme has no stylesheet")
	}
}

// TestLintCSS proves that the lint rejects what it should, and only that.
func TestLintCSS(t *testing.T) {
	bad := map[string]string{
		"margin-left":         "p { margin-left: 1em }",
		"padding-right":       "p { color: red; padding-right: 2px; }",
		"left":                ".x { position: absolute; left: 0 }",
		"right":               ".x { right:0 }",
		"float":               "img { float: inline-start }",
		"text-align left":     "p { text-align: left }",
		"text-align right":    "p { text-align:RIGHT }",
		"border-left":         "blockquote { border-left: 3px solid }",
		"border-right-color":  "td { border-right-color: red }",
		"corner radius":       "a { border-top-left-radius: 3px }",
		"direction":           "pre { direction: ltr }",
		"letter-spacing":      "h1 { letter-spacing: .05em }",
		"letter-spacing px":   "h1 { letter-spacing: 1px }",
		"uppercase property":  "P { MARGIN-LEFT: 1em }",
		"in media query":      "@media (min-width: 40rem) { .a { padding-left: 1rem } }",
		"background right":    ".a { background-position: right top }",
		"asymmetric margin":   ".a { margin: 0 1rem 0 2rem }",
		"asymmetric radius":   ".a { border-radius: 0 4px }",
		"unicode-bidi bidi":   ".a { unicode-bidi: bidi-override }",
		"after a comment":     "/* ok */ .a { margin-right: 1px }",
		"last without a semi": ".a{color:red;margin-left:1em}",
		"asymmetric calc":     ".a { padding: 0 calc(1rem + 2px) 0 1rem }",
	}
	for name, css := range bad {
		t.Run(name, func(t *testing.T) {
			if problems := lintCSS(css); len(problems) == 0 {
				t.Errorf("lint accepted %q", css)
			}
		})
	}
	good := []string{
		"p { margin-inline-start: 1em; padding-inline-end: 2px; inset-inline-start: 0; text-align: start }",
		"blockquote { border-inline-start: 3px solid; text-align: end }",
		"h1 { letter-spacing: 0 } h2 { letter-spacing: normal } h3 { letter-spacing: 0em }",
		"/* never margin-left: 1em or direction: rtl */ p { color: red }",
		`.a::before { content: "left: 0; direction: ltr" }`,
		"a:hover, a:focus-visible { color: red } @media (min-width: 40rem) { .a { max-width: 10rem } }",
		".a { margin: 0 1rem 0 1rem; padding: 1rem 2rem; border-radius: 4px }",
		"[dir=ltr],[dir=rtl]{unicode-bidi:isolate} .s{unicode-bidi:plaintext}",
		".a { border-end-start-radius: 4px; margin-inline: 1rem 2rem }",
		".a { margin: 0 calc(1rem + 2px) 0 calc(1rem + 2px); background: url(arrow-left.svg) }",
	}
	for _, css := range good {
		if problems := lintCSS(css); len(problems) != 0 {
			t.Errorf("lint rejected %q:\n%s", css, strings.Join(problems, "\n"))
		}
	}
}

// lintCSS checks a stylesheet against the right-to-left rules of
// docs/arabic-rtl.md: only logical properties and values (no left/right,
// no float, no direction), and letter-spacing only 0 or normal. It
// returns one "line: problem" string per offending declaration.
func lintCSS(css string) []string {
	var problems []string
	for _, d := range declarations(css) {
		prop := strings.ToLower(d.prop)
		value := strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(d.value), "!important")))
		// Words inside strings and url() are not keywords.
		bare := quotedOrURL.ReplaceAllString(value, `""`)
		report := func(format string, args ...any) {
			problems = append(problems, fmt.Sprintf("%d: %s: %s: %s", d.line, prop, value, fmt.Sprintf(format, args...)))
		}
		switch {
		case physicalWord.MatchString(prop):
			report("physical property: use the logical one (margin-inline-start, inset-inline-end, border-inline-start, border-start-end-radius …)")
		case prop == "float":
			report("float is not allowed: use flex or grid")
		case prop == "direction":
			report("direction is set by dir attributes in the markup, never by CSS")
		case prop == "letter-spacing" && !zeroSpacing.MatchString(value):
			report("letter-spacing separates joined Arabic letters: only 0 or normal")
		case prop == "unicode-bidi" && value != "isolate" && value != "plaintext":
			report("unicode-bidi: only isolate or plaintext; use dir or <bdo> in the markup")
		case physicalWord.MatchString(bare):
			report("physical value: use start/end")
		case asymmetric(prop, bare):
			report("different values for the left and right sides: use the -inline-start/-inline-end properties")
		}
	}
	return problems
}

var (
	physicalWord = regexp.MustCompile(`(^|[^a-z0-9_-])(left|right)($|[^a-z0-9_])|-(left|right)\b|\b(left|right)-`)
	zeroSpacing  = regexp.MustCompile(`^(normal|0|0(\.0+)?[a-z%]*)$`)
	quotedOrURL  = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|url\([^)]*\)`)
)

// asymmetric reports whether a box shorthand gives its left and right
// sides different values: margin: 0 1rem 0 2rem, border-radius: 0 4px.
func asymmetric(prop, value string) bool {
	switch prop {
	case "margin", "padding", "inset", "border-width", "border-style", "border-color", "scroll-margin", "scroll-padding":
		f := fields(value)
		return len(f) == 4 && f[1] != f[3]
	case "border-radius":
		for _, half := range strings.Split(value, "/") {
			f := fields(half)
			for _, v := range f {
				if v != f[0] {
					return true
				}
			}
		}
	}
	return false
}

// fields splits a value at spaces outside parentheses, so that
// calc(1rem + 2px) is one field.
func fields(value string) []string {
	var out []string
	depth, start := 0, -1
	for i, r := range value + " " {
		switch {
		case r == '(':
			depth++
		case r == ')':
			depth--
		case (r == ' ' || r == '\t' || r == '\n') && depth <= 0:
			if start >= 0 {
				out = append(out, value[start:i])
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	return out
}

type declaration struct {
	prop, value string
	line        int
}

// declarations splits a stylesheet into its property: value pairs. It
// skips comments and quoted strings and ignores selectors and at-rule
// preludes (whatever ends in "{"), so "a:hover" is not a declaration.
func declarations(css string) []declaration {
	var out []declaration
	var seg strings.Builder
	line, segLine := 1, 1
	flush := func(isDecl bool) {
		s := seg.String()
		seg.Reset()
		if !isDecl {
			return
		}
		prop, value, ok := strings.Cut(s, ":")
		prop = strings.TrimSpace(prop)
		if !ok || prop == "" || strings.HasPrefix(prop, "@") {
			return
		}
		out = append(out, declaration{prop: prop, value: value, line: segLine})
	}
	for i := 0; i < len(css); i++ {
		c := css[i]
		switch {
		case c == '/' && i+1 < len(css) && css[i+1] == '*':
			end := strings.Index(css[i+2:], "*/")
			if end < 0 {
				end = len(css) - i - 2
			}
			line += strings.Count(css[i:i+2+end], "\n")
			i += end + 3
			continue
		case c == '"' || c == '\'':
			j := i + 1
			for j < len(css) && css[j] != c {
				if css[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(css) {
				j = len(css) - 1
			}
			line += strings.Count(css[i:j+1], "\n")
			seg.WriteString(css[i : j+1])
			i = j
			continue
		case c == '{':
			flush(false)
		case c == ';' || c == '}':
			flush(true)
		default:
			if strings.TrimSpace(seg.String()) == "" {
				segLine = line
			}
			seg.WriteByte(c)
		}
		if c == '\n' {
			line++
		}
	}
	return out
}

// TestFonts checks the self-hosted font: every @font-face swaps, has a
// unicode-range and points at a woff2 file of the theme; every font file
// is used; the licence is there; nothing is loaded from another host.
func TestFonts(t *testing.T) {
	css, err := fs.ReadFile(layouts.FS, "assets/style.css")
	if err != nil {
		t.Fatal(err)
	}
	faces := regexp.MustCompile(`(?s)@font-face\s*\{(.*?)\}`).FindAllStringSubmatch(string(css), -1)
	if len(faces) == 0 {
		t.Fatal("no @font-face in style.css")
	}
	used := map[string]bool{}
	urlRe := regexp.MustCompile(`url\(([^)]*)\)`)
	for _, f := range faces {
		body := f[1]
		for _, want := range []string{"font-display: swap", "unicode-range: U+", `font-family: "Noto Naskh Arabic"`, "font-style: normal"} {
			if !strings.Contains(body, want) {
				t.Errorf("@font-face without %q:\n%s", want, body)
			}
		}
		for _, m := range urlRe.FindAllStringSubmatch(body, -1) {
			u := strings.Trim(m[1], `"'`)
			if strings.Contains(u, "//") || strings.Contains(u, ":") {
				t.Errorf("font loaded from another host: %s", u)
				continue
			}
			if _, err := fs.Stat(layouts.FS, path.Join("assets", u)); err != nil {
				t.Errorf("font file %s: %v", u, err)
			}
			used[path.Join("assets", u)] = true
		}
	}
	files, _ := fs.Glob(layouts.FS, "assets/fonts/*.woff2")
	if len(files) != 4 {
		t.Errorf("font files = %v, want the arabic and latin subsets in 400 and 700", files)
	}
	for _, f := range files {
		if !used[f] {
			t.Errorf("%s is not used by any @font-face", f)
		}
	}
	lic, err := fs.ReadFile(layouts.FS, "assets/fonts/OFL.txt")
	if err != nil || !strings.Contains(string(lic), "SIL Open Font License") {
		t.Errorf("assets/fonts/OFL.txt must hold the font's licence: %v", err)
	}
	for _, m := range urlRe.FindAllStringSubmatch(string(css), -1) {
		if strings.Contains(m[1], "//") {
			t.Errorf("style.css loads %s from another host", m[1])
		}
	}
	if !strings.Contains(string(css), "font-synthesis-style: none") {
		t.Error("style.css must forbid synthetic italics (font-synthesis-style: none)")
	}
}

// TestScriptSize keeps the theme's scripts small: under 15 KB once
// comments and indentation are gone (a minifier that also renames names
// makes them smaller still; terser 5 gives 9.4 KB for search.js).
func TestScriptSize(t *testing.T) {
	scripts, err := fs.Glob(layouts.FS, "assets/*.js")
	if err != nil {
		t.Fatal(err)
	}
	if len(scripts) == 0 {
		t.Fatal("no scripts in assets/")
	}
	for _, p := range scripts {
		data, err := fs.ReadFile(layouts.FS, p)
		if err != nil {
			t.Fatal(err)
		}
		n := len(stripJS(string(data)))
		t.Logf("%s: %d bytes, %d without comments and indentation", p, len(data), n)
		if n > 15000 {
			t.Errorf("%s is %d bytes without comments and indentation, more than 15 KB", p, n)
		}
	}
}

func TestStripJS(t *testing.T) {
	in := "/* a\n comment */\nvar a = \"/* not */\", b = '// no'; // yes\n  if (a) {\n    b = /[0-9]/g; // x\n  }\n"
	want := "var a = \"/* not */\", b = '// no';\nif (a) {\nb = /[0-9]/g;\n}"
	if got := stripJS(in); got != want {
		t.Errorf("stripJS = %q, want %q", got, want)
	}
}

// stripJS removes comments, indentation, trailing spaces and empty lines
// from JavaScript. It knows strings and template literals, and takes a /
// after ( , = : [ ! & | ? { } ; or at the start for a regular expression.
func stripJS(src string) string {
	var b strings.Builder
	prev := byte('\n') // last character that is not a space
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return b.String()
			}
			i += end + 3
			continue
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			i--
			continue
		case c == '"' || c == '\'' || c == '`' || c == '/' && strings.IndexByte("(,=:[!&|?{};\n", prev) >= 0:
			j := i + 1
			for j < len(src) && src[j] != c {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			b.WriteString(src[i:min(j+1, len(src))])
			i = j
			prev = c
			continue
		}
		b.WriteByte(c)
		if c != ' ' && c != '\t' {
			prev = c
		}
	}
	var lines []string
	for _, l := range strings.Split(b.String(), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}
