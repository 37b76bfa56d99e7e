package site

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/nashra-press/nashra/internal/testtools"
)

// fastYAMLAccepted are front matters the fast path must take.
func fastYAMLAccepted() []string {
	return []string{
		"title: \"لتقديم الحالي الأعضاء\"\ndate: 2023-04-15T21:10:16+03:00\nslug: heritage-cooperation-scholarship\ntags: [\"CICA\", \"Astana\"]\nsummary: \"… (G20) …\"\nimage: /images/00001.jpg\ndraft: true\n",
		"title: \"خبر\"\ndate: 2024-12-17\ntags: [CICA, Kazakhstan]\n",
		"title: \"بحث الأردن وكازاخستان (CICA) التعاون\"\ndate: 2021-01-03T08:00:00+03:00\nslug: cica-talks\ntags: [\"Jordan\"]\nsummary: \"ملخص: نص؛ آخر.\"\n",
		"title: خبر عاجل، اليوم\ndate: 2024-12-17 10:30\ntags: [سياسة, اقتصاد]\ndraft: false\n",
		"title: \"a \\\"quoted\\\" \\\\ word\\n\\tx\"\ncount: 42\nneg: -7\nzero: 0\ntags: []\n",
		"title: \"\"\nlist: [1, -2, true, false, \"x\", a b]\n\n\ndate: 2024-1-2\n",
		"title: x\ndate: 2024-13-45\nslug: 2024-visit\n",
		"title: x",
		"n: 1234\n", "n: 2024-\n", "n: 123456789012345678\n", "title: a:5\n",
	}
}

// fastYAMLRefused are front matters the fast path must leave to yaml.v3.
func fastYAMLRefused() []string {
	return []string{
		"title: yes\n", "title: No\n", "title: TRUE\n", "title: null\n", "title: ~\n", "title: on\n",
		"n: 1e3\n", "n: 0x10\n", "n: 010\n", "n: -0\n", "n: 1_000\n", "n: 1.5\n", "n: .5\n", "n: +5\n",
		"n: 12345678901234567890\n",
		"title: 'single'\n", "title: \"open\n", "title: \"a\" # comment\n", "# comment\ntitle: x\n",
		"title: x \n", "title:  x\n", "title:\tx\n", "\ttitle: x\n", " title: x\n", "title: x\r\n",
		"title: x\ntitle: y\n", "tags:\n  - a\n  - b\n", "title: >\n  folded\n", "title: &a x\nslug: *a\n",
		"title: !!str 5\n", "tags: [a,b]\n", "tags: [ a ]\n", "tags: [a, ]\n", "tags: [a: b]\n", "tags: [[a]]\n",
		"tags: {a: b}\n", "title: 12:30\n", "title: a: b\n", "title: a:b\n", "title: a:\n", "title: \"\\/\"\n", "title: \"\\x41\"\n", "title: \"\\u0041\"\n",
		"title: a  b\n", "title: a #b\n", "title: -a\n", "title: - a\n", "title: ?x\n", "title: @x\n",
		"title: x\n  continued\n", "---\ntitle: x\n", "title: \"\u2028\"\n", "title: \"\ufeff\"\n", "title: \"\x85\"\n",
		"title: \"\xc2\x85\"\n", "title: \"\x7f\"\n", "title: \"\x01\"\n", "title: \xff\n", "title: \"\xff\"\n",
		"title: x\u00a0\n", "title: x\u200c\n", "1a: x\n", "a-b: x\n", "",
		"\n", "title: [\"a\",\"b\"]\n", "title: [\"a\" , \"b\"]\n", "title: [\"a\"] \n", "tags: [\"a\", b]x\n",
	}
}

// corpusFrontMatters returns the front matter of every post of the
// shared benchmark corpus of 1,000 posts (the test is skipped without it).
func corpusFrontMatters(t *testing.T) []string {
	dir := filepath.Join(testtools.Corpus(t, 1000), PostsDir)
	files, err := filepath.Glob(filepath.Join(dir, "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no posts in %s: %v", dir, err)
	}
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		raw, _, _, _, err := splitFrontMatter(data, nil)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out = append(out, string(raw.data))
	}
	return out
}

// checkFastYAML fails when the fast path accepts src and its fields
// differ from yaml.v3's, and returns whether it accepted.
func checkFastYAML(t *testing.T, src string) bool {
	t.Helper()
	fast, ok := fastYAML([]byte(src), 3)
	if !ok {
		return false
	}
	slow, err := decodeYAML([]byte(src), 3)
	if err != nil {
		t.Fatalf("fast path accepted %q, yaml.v3 fails: %v", src, err)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("fast path differs on %q:\nfast %#v\nyaml %#v", src, fast, slow)
	}
	return true
}

func FuzzFastYAML(f *testing.F) {
	for _, s := range append(fastYAMLAccepted(), fastYAMLRefused()...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) { checkFastYAML(t, src) })
}

func TestFastYAMLAccepts(t *testing.T) {
	for _, s := range fastYAMLAccepted() {
		if !checkFastYAML(t, s) {
			t.Errorf("fast path refused %q", s)
		}
	}
}

// TestFastYAMLCorpus checks that the fast path takes the front matter of
// every post of the benchmark corpus, and reads it as yaml.v3 does.
func TestFastYAMLCorpus(t *testing.T) {
	for _, s := range corpusFrontMatters(t) {
		if !checkFastYAML(t, s) {
			t.Errorf("fast path refused corpus front matter %q", s)
		}
	}
}

func TestFastYAMLFallsBack(t *testing.T) {
	for _, s := range fastYAMLRefused() {
		if _, ok := fastYAML([]byte(s), 0); ok {
			t.Errorf("fast path took %q, which must be left to yaml.v3", s)
		}
	}
}

// TestFastYAMLErrorsUnchanged checks that front matter with errors
// reaches yaml.v3, so its messages stay the same.
func TestFastYAMLErrorsUnchanged(t *testing.T) {
	for _, s := range []string{"title: \"open\ndate: 2024-12-17\n", "title: x\n  - a\n", "- a\n- b\n", "title: [a\n"} {
		if _, ok := fastYAML([]byte(s), 0); ok {
			t.Errorf("fast path took %q", s)
		}
		want, wantErr := decodeYAML([]byte(s), 2)
		got, gotErr := decodeFrontMatter(rawFrontMatter{format: "yaml", data: []byte(s)}, 2)
		if !reflect.DeepEqual(got, want) || !reflect.DeepEqual(gotErr, wantErr) {
			t.Errorf("%q: got %v %v, want %v %v", s, got, gotErr, want, wantErr)
		}
	}
}

// TestFastYAMLGrammar builds many front matters from values near the
// edges of the fast path, and from small edits of them, and checks that
// whatever the fast path takes, it reads as yaml.v3 does.
func TestFastYAMLGrammar(t *testing.T) {
	keys := []string{"title", "date", "tags", "draft", "x_1", "true", "y", "_", "Title"}
	values := []string{
		`"خبر"`, `"a \"b\" \\ c"`, `""`, `" x "`, `"\n\t"`, `"a\"`, "\"€ 😀 \ufeff\"", "\"\u00a0\u0085\"",
		"2024-12-17", "2024-12-17T10:30:00+03:00", "2024-12-17 10:30", "2024-1-2", "2024-13-45", "2024-",
		"12:30", "slug-x", "/images/a.jpg", "abc.def", "x_y", "a b", "a:5", "a: b", "a #b", "a#b",
		"true", "false", "True", "yes", "No", "on", "null", "~", "y", "n",
		"0", "-5", "42", "007", "-0", "1e3", ".5", "0x1F", "1_0", "+1", "123456789012345678", "1234567890123456789",
		"٣", "خبر عاجل، اليوم", "خبر\u200cx", "[]", "[a, \"b\", 1]", `["CICA", "Astana"]`, "[true, -0]", "[a b, c]",
		"[a,b]", "[ a]", "[a ]", "[\"a\", ]", "[a:5]", "[2024-12-17]", "[[a]]", "{a: b}", "'s'", "&a x", "*a", "!!str x",
		"|", ">", "- a", "-a", "?x", "@x", "`x`", "%x",
	}
	edits := []string{"", " ", "\t", "#", ":", ",", "\"", "'", "\\", "[", "]", "\n", "\n  ", "\r", "-", "\u00a0", "\u2028", "\x00", "ب"}
	rng := rand.New(rand.NewPCG(1, 2))
	accepted := 0
	const n = 30000
	for i := 0; i < n; i++ {
		var b strings.Builder
		lines := 1 + rng.IntN(4)
		for j := 0; j < lines; j++ {
			b.WriteString(keys[rng.IntN(len(keys))])
			b.WriteString(": ")
			b.WriteString(values[rng.IntN(len(values))])
			b.WriteString("\n")
			if rng.IntN(8) == 0 {
				b.WriteString("\n")
			}
		}
		src := b.String()
		if rng.IntN(2) == 0 {
			at := rng.IntN(len(src) + 1)
			src = src[:at] + edits[rng.IntN(len(edits))] + src[at:]
		}
		if checkFastYAML(t, src) {
			accepted++
		}
	}
	t.Logf("fast path took %d of %d front matters", accepted, n)
}
