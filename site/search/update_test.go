package search

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// randomTerms analyses n documents of words drawn from a small
// vocabulary, so that terms are shared between documents, with a few
// rare words so that some terms have a single posting.
func randomTerms(r *rand.Rand, a *Analyzer, n int) []Terms {
	terms := make([]Terms, n)
	for i := range terms {
		terms[i] = randomDoc(r, a)
	}
	return terms
}

var testWords = strings.Fields("الأردن والأردن بالأردن للأردن الأردنية اردن التعاون الثقافي السفارة " +
	"السفير الوفد زار وبحث المملكة العلاقات الثنائية الاقتصاد والتجارة الطلاب المنح CICA Amman embassy " +
	"visa 2024 ١٤٤٥ مؤتمر الشباب الرياضة الثقافة المعرض الكتاب")

func randomDoc(r *rand.Rand, a *Analyzer) Terms {
	pick := func(k int) string {
		var w []string
		for range k {
			if r.IntN(20) == 0 {
				w = append(w, fmt.Sprintf("نادرة%dx%d", r.IntN(1000), r.IntN(1000)))
			} else {
				w = append(w, testWords[r.IntN(len(testWords))])
			}
		}
		return strings.Join(w, " ")
	}
	return a.Doc([]string{pick(1 + r.IntN(3))}, []string{pick(r.IntN(12))})
}

// files maps the paths of the index files of d (with index.json) to
// their bytes.
func files(d *Dicts, docs int) map[string][]byte {
	m := map[string][]byte{}
	for _, f := range d.Files {
		m[f.Path] = f.Data
	}
	meta, _ := Meta(d, docs, 4, nil)
	m[meta.Path] = meta.Data
	return m
}

// checkUpdate updates the dictionaries of before with the changes that
// make after (with documents renumbered, if moves, by Renumbering), and
// wants the files that Dictionaries makes of after: the
// same shards in the same order, those kept from before the same bytes,
// and the same index.json.
func checkUpdate(t *testing.T, before, after []Terms, moves bool, opts Options) (kept int) {
	t.Helper()
	prev := files(Dictionaries(before, opts), len(before))
	move := Move{From: len(before)}
	if moves {
		move = Renumbering(before, after)
	}
	var changes []Change
	for id := range max(len(before), len(after)) {
		var c Change
		if id < min(len(before), move.From) {
			c.Old = before[id]
		}
		if id < len(after) && (!moves || id < move.From+move.By) {
			c.New = after[id]
		}
		if c.Old != c.New {
			c.ID = id
			changes = append(changes, c)
		}
	}
	read := func(path string) ([]byte, bool) { d, ok := prev[path]; return d, ok }
	got, err := UpdateDictionaries(prev["index.json"], read, changes, move, opts)
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	want := Dictionaries(after, opts)
	if len(got.Files) != len(want.Files) {
		t.Fatalf("update made %d shards, a full build %d", len(got.Files), len(want.Files))
	}
	for i, f := range got.Files {
		w := want.Files[i]
		data := f.Data
		if data == nil {
			kept++
			data = prev[f.Path]
		}
		if f.Path != w.Path || !bytes.Equal(data, w.Data) {
			t.Fatalf("shard %d: %s (kept: %v), want %s:\n%s\nwant:\n%s", i, f.Path, f.Data == nil, w.Path, data, w.Data)
		}
	}
	gotMeta, _ := Meta(got, len(after), 4, nil)
	wantMeta, _ := Meta(want, len(after), 4, nil)
	if !bytes.Equal(gotMeta.Data, wantMeta.Data) {
		t.Fatalf("index.json:\n%s\nwant:\n%s", gotMeta.Data, wantMeta.Data)
	}
	return kept
}

// TestUpdateDictionaries changes, adds and removes documents at random
// and compares the updated dictionaries with dictionaries built whole.
// The terms are those of an Analyzer of its own, then those of one that
// numbers them in a Vocabulary.
func TestUpdateDictionaries(t *testing.T) {
	t.Run("written", func(t *testing.T) { testUpdateDictionaries(t, NewAnalyzer()) })
	t.Run("numbered", func(t *testing.T) { testUpdateDictionaries(t, NewVocabulary().NewAnalyzer()) })
}

func testUpdateDictionaries(t *testing.T, a *Analyzer) {
	kept := 0
	for seed := range 200 {
		r := rand.New(rand.NewPCG(uint64(seed), 7))
		opts := Options{ShardSize: 64 + r.IntN(2000)}
		before := randomTerms(r, a, r.IntN(60))
		after := append([]Terms(nil), before...)
		switch r.IntN(4) {
		case 0: // edits
			for range 1 + r.IntN(3) {
				if len(after) > 0 {
					after[r.IntN(len(after))] = randomDoc(r, a)
				}
			}
		case 1: // new documents
			after = append(after, randomTerms(r, a, 1+r.IntN(3))...)
		case 2: // documents gone
			after = after[:r.IntN(len(after)+1)]
		case 3: // a document inserted: every later number moves
			i := r.IntN(len(after) + 1)
			after = append(after[:i], append([]Terms{randomDoc(r, a)}, after[i:]...)...)
		}
		kept += checkUpdate(t, before, after, seed%2 == 0, opts)
	}
	if kept == 0 {
		t.Error("no shard was ever kept")
	}
}

// TestUpdateDictionariesEdges covers the first and the last shard, a
// dictionary emptied, and one filled from empty.
func TestUpdateDictionariesEdges(t *testing.T) {
	a := NewAnalyzer()
	doc := func(text string) Terms { return a.Doc(nil, []string{text}) }
	base := []Terms{doc("باب بيت تاج"), doc("ثوب جمل حصان"), doc("خيمة دار ذهب"), doc("رمل زيت سيف")}
	opts := Options{ShardSize: 40}
	cases := map[string][]Terms{
		"a term before every other": {doc("ابرة باب بيت تاج"), base[1], base[2], base[3]},
		"a term after every other":  {base[0], base[1], base[2], doc("رمل زيت سيف يد")},
		"the first term gone":       {doc("بيت تاج"), base[1], base[2], base[3]},
		"the last term gone":        {base[0], base[1], base[2], doc("رمل زيت")},
		"a heading":                 {base[0], a.Doc([]string{"جمل"}, []string{"ثوب جمل حصان"}), base[2], base[3]},
		"every document gone":       nil,
		"one document left":         {base[0]},
	}
	for name, after := range cases {
		t.Run(name, func(t *testing.T) { checkUpdate(t, base, after, false, opts) })
	}
	t.Run("from empty", func(t *testing.T) { checkUpdate(t, nil, base, false, opts) })
	moved := map[string][]Terms{
		"inserted first":  {doc("ابرة"), base[0], base[1], base[2], base[3]},
		"inserted second": {base[0], doc("باب ثوب"), base[1], base[2], base[3]},
		"first removed":   {base[1], base[2], base[3]},
		"two removed":     {base[0], base[3]},
		"removed, edited": {doc("باب بيت"), base[2], base[3]},
		"last removed":    {base[0], base[1], base[2]},
		"added last":      {base[0], base[1], base[2], base[3], doc("يد")},
		"same documents":  base,
		"all alike":       {base[0], base[0], base[0]},
	}
	for name, after := range moved {
		t.Run("moved/"+name, func(t *testing.T) { checkUpdate(t, base, after, true, opts) })
	}
}

// TestUpdateDictionariesStale wants an error, not wrong dictionaries,
// when the previous shards do not hold what the changes say they held.
func TestUpdateDictionariesStale(t *testing.T) {
	a := NewAnalyzer()
	before := []Terms{a.Doc(nil, []string{"باب بيت"}), a.Doc(nil, []string{"تاج ثوب"})}
	prev := files(Dictionaries(before, Options{}), 2)
	read := func(path string) ([]byte, bool) { d, ok := prev[path]; return d, ok }
	// The change claims document 1 held جمل, which it did not.
	changes := []Change{{ID: 1, Old: a.Doc(nil, []string{"تاج جمل"}), New: a.Doc(nil, []string{"تاج"})}}
	if _, err := UpdateDictionaries(prev["index.json"], read, changes, Move{}, Options{}); err == nil {
		t.Error("a change of terms the shards do not hold was applied")
	}
	// A shard is missing.
	none := func(string) ([]byte, bool) { return nil, false }
	changes = []Change{{ID: 1, Old: before[1], New: a.Doc(nil, []string{"تاج"})}}
	if _, err := UpdateDictionaries(prev["index.json"], none, changes, Move{}, Options{}); err == nil {
		t.Error("updated without the previous shards")
	}
	if _, err := UpdateDictionaries([]byte("{"), read, changes, Move{}, Options{}); err == nil {
		t.Error("updated from a malformed index.json")
	}
}

// BenchmarkUpdateDictionaries updates the dictionaries of the 1,000-post
// corpus (compare BenchmarkDictionaries) for one post edited (a sentence
// added), one post rewritten whole, one post added, one inserted in the
// middle (every later one moves), and 1/32 of the posts edited, the most
// that a site updates rather than builds whole.
func BenchmarkUpdateDictionaries(b *testing.B) {
	terms, texts := corpusTerms(b)
	prev := files(Dictionaries(terms, Options{}), len(terms))
	read := func(path string) ([]byte, bool) { d, ok := prev[path]; return d, ok }
	a := NewAnalyzer()
	edit := func(id int) Change {
		return Change{ID: id, Old: terms[id], New: a.Doc([]string{texts[id][0]}, []string{texts[id][1], "سطر جديد عن التعاون الثقافي."})}
	}
	mid := len(terms) / 2
	moves := map[string]Move{"insert": {From: mid, By: 1}}
	cases := map[string][]Change{
		"insert":  {{ID: mid, New: terms[mid]}},
		"edit":    {edit(mid)},
		"rewrite": {{ID: mid, Old: terms[mid], New: terms[mid+1]}},
		"add":     {{ID: len(terms), New: terms[mid]}},
	}
	for i := range len(terms) / 32 {
		cases["edit-1/32"] = append(cases["edit-1/32"], edit(i*32))
	}
	for _, name := range []string{"edit", "rewrite", "add", "insert", "edit-1/32"} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := UpdateDictionaries(prev["index.json"], read, cases[name], moves[name], Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
