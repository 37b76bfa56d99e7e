package search

import (
	"math/rand/v2"
	"testing"
)

// TestWordTable checks wordTable against a map, with words of every
// length up to 40 bytes made of two letters, so that many share their
// first and last bytes.
func TestWordTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var table wordTable
	var vocab []vocabWord
	want := map[string]int32{}
	find := func(w string) int32 {
		b := []byte(w)
		k := keyOf(b)
		return table.find(b, k, k.hash(b), vocab)
	}
	for range 20000 {
		b := make([]byte, rng.IntN(41))
		for i := range b {
			b[i] = "ab"[rng.IntN(2)]
		}
		w := string(b)
		id, ok := want[w]
		if got := find(w); ok && got != id || !ok && got != -1 {
			t.Fatalf("find(%q) = %d, want %d (known: %v)", w, got, id, ok)
		}
		if !ok {
			id = int32(len(vocab))
			want[w] = id
			k := keyOf(b)
			table.add(k, k.hash(b), id)
			vocab = append(vocab, vocabWord{norm: w})
		}
	}
	for w, id := range want {
		if got := find(w); got != id {
			t.Errorf("find(%q) = %d, want %d", w, got, id)
		}
	}
	if len(want) < 10000 {
		t.Errorf("only %d words", len(want))
	}
}
