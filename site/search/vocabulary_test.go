package search

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// randomText returns k words, most from testWords, some made up, some
// with characters the packing escapes.
func randomText(r *rand.Rand, k int) string {
	var w []string
	for range k {
		switch r.IntN(25) {
		case 0:
			w = append(w, fmt.Sprintf("نادرة%dx%d", r.IntN(1000), r.IntN(1000)))
		case 1:
			w = append(w, []string{"Ωmega", "日本語", "café", "ﻻ", "٣٤٥"}[r.IntN(5)])
		default:
			w = append(w, testWords[r.IntN(len(testWords))])
		}
	}
	return strings.Join(w, " ")
}

// TestNumberedTermsReadTheSame analyses the same documents with an
// Analyzer of its own and with two that share a Vocabulary, and wants
// the same terms, the same encoding (as a cache on disk keeps it) and
// the same dictionaries, also from a mix of both kinds of Terms.
func TestNumberedTermsReadTheSame(t *testing.T) {
	for seed := range 20 {
		r := rand.New(rand.NewPCG(uint64(seed), 11))
		written := NewAnalyzer()
		v := NewVocabulary()
		numbered := []*Analyzer{v.NewAnalyzer(), v.NewAnalyzer()}
		n := 1 + r.IntN(80)
		var plain, shared, mixed []Terms
		for i := range n {
			heading := []string{randomText(r, 1+r.IntN(4))}
			body := []string{randomText(r, r.IntN(40)), randomText(r, r.IntN(5))}
			want := written.Doc(heading, body)
			got := numbered[i%2].Doc(heading, body)
			if got.shared != v {
				t.Fatal("an analyzer of the Vocabulary did not number the terms")
			}
			wantBytes, _ := want.AppendBinary(nil)
			gotBytes, _ := got.AppendBinary([]byte("x"))
			if !bytes.Equal(gotBytes[1:], wantBytes) || got.Len() != want.Len() {
				t.Fatalf("seed %d doc %d: numbered terms write %q (Len %d), want %q (Len %d)",
					seed, i, gotBytes[1:], got.Len(), wantBytes, want.Len())
			}
			if !maps.Equal(got.Stems(), want.Stems()) || !maps.Equal(got.Words(), want.Words()) {
				t.Fatalf("seed %d doc %d: numbered terms read %v %v, want %v %v", seed, i, got.Stems(), got.Words(), want.Stems(), want.Words())
			}
			plain, shared = append(plain, want), append(shared, got)
			if i%3 == 0 {
				mixed = append(mixed, TermsFromBinary(string(wantBytes)))
			} else {
				mixed = append(mixed, got)
			}
		}
		opts := Options{ShardSize: 64 + r.IntN(2000)}
		want := files(Dictionaries(plain, opts), n)
		for name, terms := range map[string][]Terms{"numbered": shared, "mixed": mixed} {
			got := files(Dictionaries(terms, opts), n)
			if !maps.EqualFunc(got, want, bytes.Equal) {
				t.Errorf("seed %d: dictionaries of %s terms differ: files %v, want %v",
					seed, name, slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
			}
		}
	}
}

// TestNumberedTermsConcurrent analyses documents on several goroutines
// whose analyzers share a Vocabulary (run with -race).
func TestNumberedTermsConcurrent(t *testing.T) {
	v := NewVocabulary()
	const workers, docs = 4, 50
	results := make([][]Terms, workers)
	done := make(chan int)
	for w := range workers {
		go func() {
			a := v.NewAnalyzer()
			r := rand.New(rand.NewPCG(uint64(w), 3))
			for range docs {
				results[w] = append(results[w], a.Doc([]string{randomText(r, 3)}, []string{randomText(r, 30)}))
			}
			done <- w
		}()
	}
	for range workers {
		<-done
	}
	written := NewAnalyzer()
	for w := range workers {
		r := rand.New(rand.NewPCG(uint64(w), 3))
		for i := range docs {
			want := written.Doc([]string{randomText(r, 3)}, []string{randomText(r, 30)})
			if !maps.Equal(results[w][i].Stems(), want.Stems()) || !maps.Equal(results[w][i].Words(), want.Words()) {
				t.Fatalf("worker %d doc %d: terms differ from an analyzer of its own", w, i)
			}
		}
	}
}
