package search

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// vectorFile is testdata/vectors.json, the table shared with search.js.
type vectorFile struct {
	Groups []struct {
		Name    string
		Vectors []vector
	}
}

type vector struct {
	In  string
	Out [][]string // per token: the normalised form, then the stems
}

func loadVectors(t testing.TB) []vector {
	t.Helper()
	data, err := os.ReadFile("testdata/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var f vectorFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("testdata/vectors.json: %v", err)
	}
	var out []vector
	for _, g := range f.Groups {
		out = append(out, g.Vectors...)
	}
	return out
}

// analyzed is what Analyze gives for text, in the form of the table.
func analyzed(text string) [][]string {
	out := [][]string{}
	for _, tok := range Analyze(text) {
		out = append(out, append([]string{tok.Norm}, tok.Stems...))
	}
	return out
}

func TestVectors(t *testing.T) {
	vectors := loadVectors(t)
	if len(vectors) < 200 {
		t.Fatalf("%d vectors, want at least 200", len(vectors))
	}
	for _, v := range vectors {
		got := analyzed(v.In)
		if !slices.EqualFunc(got, v.Out, slices.Equal) {
			t.Errorf("Analyze(%q) = %q, want %q", v.In, got, v.Out)
		}
	}
}

// TestTokenSpans checks that each token's span is the word in the text,
// from its first to its last letter.
func TestTokenSpans(t *testing.T) {
	text := "زار «السفير» وCSTO، في ٢٠٢٤م الأر\u200fدن."
	want := []string{"زار", "السفير", "و", "CSTO", "في", "٢٠٢٤", "م", "الأر\u200fدن"}
	var got []string
	for _, tok := range Analyze(text) {
		got = append(got, text[tok.Start:tok.End])
	}
	if !slices.Equal(got, want) {
		t.Errorf("spans = %q, want %q", got, want)
	}
}

// TestStemsAreSubstrings checks a promise of Stems that the index relies
// on to save memory, and that every stem keeps at least two letters of a
// word that had more.
func TestStemsAreSubstrings(t *testing.T) {
	for _, v := range loadVectors(t) {
		for _, tok := range Analyze(v.In) {
			for _, s := range tok.Stems {
				if !strings.Contains(tok.Norm, s) {
					t.Errorf("stem %q of %q is not part of it", s, tok.Norm)
				}
				if n := utf8.RuneCountInString(s); n < 2 && n < utf8.RuneCountInString(tok.Norm) {
					t.Errorf("stem %q of %q is shorter than two letters", s, tok.Norm)
				}
			}
		}
	}
}

// TestSection5 checks the bar of the search issue on the analysis alone:
// every form in a row of the table of docs/arabic-rtl.md section 5 shares
// a stem with every other form of the row.
func TestSection5(t *testing.T) {
	data, err := os.ReadFile("testdata/section5.json")
	if err != nil {
		t.Fatal(err)
	}
	var table struct{ Rows [][]string }
	if err := json.Unmarshal(data, &table); err != nil {
		t.Fatal(err)
	}
	for _, row := range table.Rows {
		for _, a := range row {
			for _, b := range row {
				ta, tb := Analyze(a), Analyze(b)
				if len(ta) != 1 || len(tb) != 1 {
					t.Fatalf("%q or %q is not one word", a, b)
				}
				if !slices.ContainsFunc(ta[0].Stems, func(s string) bool { return slices.Contains(tb[0].Stems, s) }) {
					t.Errorf("%q (stems %q) and %q (stems %q) share no stem", a, ta[0].Stems, b, tb[0].Stems)
				}
			}
		}
	}
}

// BenchmarkAnalyzeDoc analyses the sample site's posts, one document
// each, with one Analyzer (as a build does).
func BenchmarkAnalyzeDoc(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join("..", "..", "posts", "*.md"))
	if len(files) == 0 {
		b.Fatal("no sample posts")
	}
	var texts []string
	size := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		texts = append(texts, string(data))
		size += len(data)
	}
	b.SetBytes(int64(size))
	a := NewAnalyzer()
	for b.Loop() {
		for _, t := range texts {
			a.Doc([]string{"زيارة السفير"}, []string{t})
		}
	}
}

// TestArabicActions checks the table scan uses for U+0600-U+067F against
// the rules it stands for: every character, one at a time.
func TestArabicActions(t *testing.T) {
	for r := rune(0x600); r < 0x680; r++ {
		var want byte
		switch {
		case ignorable(r):
			want = actIgnore
		case r >= '٠' && r <= '٩':
			want = actDigit
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			want = actAlef
		case r == 'ى':
			want = actYeh
		case r == 'ة':
			want = actHeh
		case r == 'ـ':
			want = actTatweel
		case r >= 0x653 && r <= 0x655:
			want = actHamza
		case unicode.IsMark(r):
			if !isTashkeel(r) {
				t.Errorf("U+%04X is a mark that is neither tashkeel nor hamza", r)
			}
			want = actMark
		case unicode.IsLetter(r):
			want = actKeep
		case !wordRune(r):
			want = actEnd
		default:
			t.Errorf("U+%04X: no rule", r)
		}
		if got := arabicActions[r-0x600]; got != want {
			t.Errorf("U+%04X %q: action %d, want %d", r, r, got, want)
		}
	}
	if len(arabicActions) != 0x80 {
		t.Errorf("the table has %d entries", len(arabicActions))
	}
}
