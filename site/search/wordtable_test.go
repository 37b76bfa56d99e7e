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
	want := map[string]int32{}
	lookup := func(w string) int32 {
		k := keyOf(w)
		id, val := table.find(w, k, hashOf(w, k))
		if id >= 0 && val != 3*id {
			t.Fatalf("find(%q) gives value %d, want %d", w, val, 3*id)
		}
		return id
	}
	for range 20000 {
		b := make([]byte, rng.IntN(41))
		for i := range b {
			b[i] = "ab"[rng.IntN(2)]
		}
		w := string(b)
		id, ok := want[w]
		if got := lookup(w); ok && got != id || !ok && got != -1 {
			t.Fatalf("find(%q) = %d, want %d (known: %v)", w, got, id, ok)
		}
		if !ok {
			k := keyOf(w)
			if id = table.add(w, k, hashOf(w, k), 3*int32(len(want))); id != int32(len(want)) {
				t.Fatalf("add(%q) = %d, want %d", w, id, len(want))
			}
			want[w] = id
		}
	}
	for w, id := range want {
		if got := lookup(w); got != id {
			t.Errorf("find(%q) = %d, want %d", w, got, id)
		}
	}
	if len(want) < 10000 {
		t.Errorf("only %d words", len(want))
	}
}
