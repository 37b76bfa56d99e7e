package search

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/nashra-press/nashra/internal/testtools"
)

func testDocs() []Doc {
	var docs []Doc
	for i := range 30 {
		body := fmt.Sprintf("زار الوفد الأردن %d مرة، وبحث التعاون في CICA والمملكة.", i)
		docs = append(docs, Doc{
			Terms: AnalyzeDoc([]string{fmt.Sprintf("خبر رقم %d", i)}, []string{body}),
			URL:   fmt.Sprintf("/posts/p%d/", i), Title: fmt.Sprintf("خبر رقم %d", i),
			Date: "2024-01-01T00:00:00+03:00", DateText: "1 كانون الثاني 2024", Text: body,
		})
	}
	return docs
}

// TestDeterministic builds the same posts twice, analysed twice (the
// terms of a post are kept in map order), and wants the same bytes.
func TestDeterministic(t *testing.T) {
	opts := Options{ShardSize: 300}
	a, b := Build(testDocs(), 4, opts), Build(testDocs(), 4, opts)
	if len(a.Files) != len(b.Files) || a.Version != b.Version {
		t.Fatalf("two builds: %d and %d files, versions %s and %s", len(a.Files), len(b.Files), a.Version, b.Version)
	}
	for i := range a.Files {
		if a.Files[i].Path != b.Files[i].Path || !bytes.Equal(a.Files[i].Data, b.Files[i].Data) {
			t.Errorf("file %d differs: %s and %s", i, a.Files[i].Path, b.Files[i].Path)
		}
	}
	if len(a.Files) < 10 {
		t.Errorf("only %d files: the small shard size did not split the dictionaries", len(a.Files))
	}
}

// TestIndexFiles decodes every file of an index and checks that the
// shards cover the dictionaries in order and that the postings decode to
// the documents' own terms.
func TestIndexFiles(t *testing.T) {
	docs := testDocs()
	idx := Build(docs, 4, Options{ShardSize: 300})
	files := map[string][]byte{}
	for _, f := range idx.Files {
		files[f.Path] = f.Data
	}
	var meta struct {
		Format, Docs, Chunk int
		Version             string
		Stems, Words        [][2]string
	}
	if err := json.Unmarshal(files["index.json"], &meta); err != nil {
		t.Fatal(err)
	}
	if meta.Format != 1 || meta.Docs != len(docs) || meta.Chunk != 4 || meta.Version != idx.Version {
		t.Errorf("index.json = %+v", meta)
	}
	for dict, shards := range [][][2]string{meta.Stems, meta.Words} {
		shift := uint(4 - 2*dict)
		prev := ""
		got := map[string]map[int]uint8{}
		for i, s := range shards {
			if (i == 0) != (s[0] == "") {
				t.Errorf("shard %d starts at %q", i, s[0])
			}
			var entries [][2]json.RawMessage
			if err := json.Unmarshal(files[s[1]], &entries); err != nil {
				t.Fatalf("%s: %v", s[1], err)
			}
			for j, e := range entries {
				var term string
				var postings []int
				if err := json.Unmarshal(e[0], &term); err != nil {
					t.Fatal(err)
				}
				if err := json.Unmarshal(e[1], &postings); err != nil {
					t.Fatal(err)
				}
				if term <= prev && !(i == 0 && j == 0) || j == 0 && i > 0 && term != s[0] {
					t.Errorf("%s: term %q after %q (shard starts at %q)", s[1], term, prev, s[0])
				}
				prev = term
				got[term] = map[int]uint8{}
				id := 0
				for _, v := range postings {
					id += v >> shift
					got[term][id] = uint8(v & (1<<shift - 1))
				}
			}
		}
		wantPostings, gotPostings := 0, 0
		for id, d := range docs {
			want := d.Terms.Stems()
			if dict == 1 {
				want = d.Terms.Words()
			}
			wantPostings += len(want)
			for term, flags := range want {
				if got[term][id] != flags {
					t.Errorf("dictionary %d: %q in document %d has flags %d, want %d", dict, term, id, got[term][id], flags)
				}
			}
		}
		// And no posting for a term a document does not have.
		for _, p := range got {
			gotPostings += len(p)
		}
		if gotPostings != wantPostings {
			t.Errorf("dictionary %d: %d postings, want %d", dict, gotPostings, wantPostings)
		}
	}
	for c := 0; c*4 < len(docs); c++ {
		var recs [][]json.RawMessage
		if err := json.Unmarshal(files[fmt.Sprintf("d/%d.json", c)], &recs); err != nil {
			t.Fatal(err)
		}
		if want := min(4, len(docs)-c*4); len(recs) != want {
			t.Errorf("chunk %d holds %d records, want %d", c, len(recs), want)
		}
		for i, r := range recs {
			var url string
			if err := json.Unmarshal(r[0], &url); err != nil {
				t.Errorf("chunk %d record %d: %v", c, i, err)
			}
			if want := docs[c*4+i].URL; url != want {
				t.Errorf("chunk %d record %d is %s, want %s", c, i, url, want)
			}
		}
	}
}

// TestChunkText checks that texts survive the JSON of chunks whatever
// they hold, and that long texts are cut at a space under the limit.
func TestChunkText(t *testing.T) {
	odd := "«قال» \"quoted\" back\\slash tab\there\nline \u2028sep\u2029 ctrl\x01\x1f </script> إ"
	bad := "bad \xff byte"
	long := strings.Repeat("كلمة ", 100)
	opts := Options{MaxText: 101}
	data := Chunk([][]byte{Record(Doc{Title: odd, Text: bad}, opts), Record(Doc{Text: long}, opts)})
	var recs [][]any
	if err := json.Unmarshal(data, &recs); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if recs[0][1] != odd {
		t.Errorf("title = %q, want %q", recs[0][1], odd)
	}
	if recs[0][6] != "bad \ufffd byte" {
		t.Errorf("text with a bad byte = %q", recs[0][6])
	}
	cut := recs[1][6].(string)
	if len(cut) > 101 || !strings.HasPrefix(long, cut) || strings.HasSuffix(cut, " ") || !strings.HasSuffix(cut, "كلمة") {
		t.Errorf("long text cut to %d bytes: %q", len(cut), cut)
	}
}

// TestAppendString round-trips random strings, specials anywhere, through
// the JSON writer and encoding/json.
func TestAppendString(t *testing.T) {
	alphabet := []string{"ا", "ب", "ة", "a", "Z", " ", "\"", "\\", "\n", "\t", "\x00", "\x1f", "\u2028", "\u2029", "\u2020", "€", "\xe2", "\xff", "<", "&", "😀"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var b strings.Builder
		for n := rng.IntN(40); n > 0; n-- {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		s := b.String()
		var got string
		if err := json.Unmarshal(appendString(nil, s), &got); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if want := strings.ToValidUTF8(s, "\ufffd"); got != want {
			t.Errorf("%q came back as %q", want, got)
		}
	}
}

// TestAnalyzerReuse checks that an Analyzer used for many documents gives
// each the terms a fresh one gives: words seen in earlier documents are
// not carried over.
func TestAnalyzerReuse(t *testing.T) {
	docs := [][2]string{
		{"زيارة إلى الأردن", "بحث الوفد التعاون مع الأردنيين في عمّان."},
		{"CICA ٢٠٢٤", "والأردن عضو في المؤتمر، والتعاون مستمر."},
		{"خبر", "نص"},
		{"زيارة إلى الأردن", "التعاون التعاون الأردن"},
		{"", ""},
	}
	a := NewAnalyzer()
	for i, d := range docs {
		got := a.Doc([]string{d[0]}, []string{d[1]})
		want := AnalyzeDoc([]string{d[0]}, []string{d[1]})
		if !maps.Equal(got.Stems(), want.Stems()) || !maps.Equal(got.Words(), want.Words()) {
			t.Errorf("document %d: reused analyzer gives %v %v, fresh %v %v", i, got.Stems(), got.Words(), want.Stems(), want.Words())
		}
	}
	// And the flags, worked out by hand for the first document.
	first := AnalyzeDoc([]string{docs[0][0]}, []string{docs[0][1]}).Stems()
	if first["اردن"] != inBody|inHeading || first["عم"] != inBody || first["في"] != inBody|inBody<<exactShift {
		t.Errorf("stems of the first document: %v", first)
	}
}

// TestValidUTF8 compares validUTF8 with utf8.ValidString on every
// sequence of up to three bytes from a set that covers the boundaries of
// UTF-8 (overlong forms, surrogates, code points past U+10FFFF), and on
// Arabic text.
func TestValidUTF8(t *testing.T) {
	edges := []byte{0, 'a', 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xD8, 0xDF,
		0xE0, 0xE2, 0xED, 0xEE, 0xEF, 0xF0, 0xF3, 0xF4, 0xF5, 0xFF}
	check := func(s string) {
		if got, want := validUTF8(s), utf8.ValidString(s); got != want {
			t.Errorf("validUTF8(%q) = %v, want %v", s, got, want)
		}
	}
	for _, a := range edges {
		for _, b := range edges {
			for _, c := range edges {
				for _, d := range []string{"", "\x80", "\x80\x80", "ب"} {
					check(string([]byte{a, b, c}) + d)
					check(string([]byte{a, b}) + d)
					check(string([]byte{a}) + d)
				}
			}
		}
	}
	check("زار السفير الأردن\u2028 2024 \U0001F600")
}

func FuzzValidUTF8(f *testing.F) {
	f.Add("زار «السفير»")
	f.Add("\xed\xa0\x80")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := validUTF8(s), utf8.ValidString(s); got != want {
			t.Errorf("validUTF8(%q) = %v, want %v", s, got, want)
		}
	})
}

// corpusTerms analyses the posts of the 1,000-post corpus, each as
// title and body, and returns their terms and texts.
func corpusTerms(b *testing.B) ([]Terms, [][2]string) {
	dir := testtools.Corpus(b, 1000)
	files, err := filepath.Glob(filepath.Join(dir, "posts", "*.md"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no posts in %s: %v", dir, err)
	}
	// Numbered in a Vocabulary, as a build's are.
	a := NewVocabulary().NewAnalyzer()
	var terms []Terms
	var texts [][2]string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		head, body, _ := strings.Cut(string(data), "\n---\n")
		terms = append(terms, a.Doc([]string{head}, []string{body}))
		texts = append(texts, [2]string{head, body})
	}
	return terms, texts
}

// BenchmarkDictionaries merges the terms of the 1,000-post corpus's
// posts into the two dictionaries.
func BenchmarkDictionaries(b *testing.B) {
	terms, _ := corpusTerms(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := Dictionaries(terms, Options{})
		if d.Stems == 0 || d.Words == 0 {
			b.Fatalf("empty dictionaries: %d stems, %d words", d.Stems, d.Words)
		}
	}
}

// TestDictionariesTo checks that DictionariesTo hands over the shards
// that Dictionaries keeps, byte for byte, keeps none of their bytes
// itself, and stops at the first error of emit.
func TestDictionariesTo(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	terms := randomTerms(r, NewVocabulary().NewAnalyzer(), 300)
	opts := Options{ShardSize: 256}
	want := Dictionaries(terms, opts)
	var mu sync.Mutex
	emitted := map[string][]byte{}
	got, err := DictionariesTo(terms, opts, func(f File) error {
		mu.Lock()
		defer mu.Unlock()
		emitted[f.Path] = bytes.Clone(f.Data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Files) < 4 || len(got.Files) != len(want.Files) || got.Stems != want.Stems || got.Words != want.Words {
		t.Fatalf("%d files (%d stems, %d words), want %d (%d, %d), at least 4", len(got.Files), got.Stems, got.Words, len(want.Files), want.Stems, want.Words)
	}
	for i, f := range want.Files {
		if got.Files[i].Path != f.Path || got.Files[i].Data != nil {
			t.Errorf("file %d: %s with %d bytes kept, want %s with none", i, got.Files[i].Path, len(got.Files[i].Data), f.Path)
		}
		if !bytes.Equal(emitted[f.Path], f.Data) {
			t.Errorf("%s: emitted %d bytes, want %d", f.Path, len(emitted[f.Path]), len(f.Data))
		}
	}
	if wantMeta, gotMeta := files(want, len(terms))["index.json"], files(got, len(terms))["index.json"]; !bytes.Equal(gotMeta, wantMeta) {
		t.Errorf("index.json differs:\n%s\nwant\n%s", gotMeta, wantMeta)
	}

	// Only the first shard fails: the other dictionary, whose shards
	// would be written, must stop too.
	full := errors.New("disk full")
	calls := 0
	_, err = DictionariesTo(terms, opts, func(File) error {
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			return full
		}
		return nil
	})
	if !errors.Is(err, full) || calls > 2 {
		t.Errorf("error %v after %d calls, want %v after at most one call per dictionary", err, calls, full)
	}
}
