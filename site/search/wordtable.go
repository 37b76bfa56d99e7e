package search

import "encoding/binary"

// wordTable finds the number of a normalised word among the words an
// Analyzer knows. It does what a map[string]int32 would, for a fraction
// of the cost on the short words of a text: the hash takes the word eight
// bytes at a time, and a lookup compares the word's bytes only once its
// hash matched.
//
// It is a hash table with open addressing and linear probing, at most
// half full.
type wordTable struct {
	// slots holds, per slot, the upper 32 bits of a word's hash (whose
	// top bits pick the slot) and the word's number plus one; 0 is a free
	// slot.
	slots []uint64
	// shift is 32 - log2(len(slots)): hash>>shift is the first slot of a
	// hash.
	shift uint
	n     int // words in the table
}

// find returns the number of word, whose hash is h, or -1 when it is not
// in the table; vocab holds the words by number.
func (t *wordTable) find(word []byte, h uint32, vocab []vocabWord) int32 {
	if len(t.slots) == 0 {
		return -1
	}
	mask := len(t.slots) - 1
	for i := int(h >> t.shift); ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return -1
		}
		if uint32(s>>32) == h {
			if id := int32(uint32(s)) - 1; vocab[id].norm == string(word) {
				return id
			}
		}
	}
}

// add files the word of number id, whose hash is h; it must not be in the
// table yet.
func (t *wordTable) add(h uint32, id int32) {
	if 2*(t.n+1) > len(t.slots) {
		t.grow()
	}
	t.put(uint64(h)<<32 | uint64(uint32(id+1)))
	t.n++
}

// put files slot value s in the first free slot of its hash.
func (t *wordTable) put(s uint64) {
	mask := len(t.slots) - 1
	i := int(uint32(s>>32) >> t.shift)
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = s
}

// grow doubles the number of slots (1024 at first).
func (t *wordTable) grow() {
	old := t.slots
	size := max(2*len(old), 1024)
	t.slots, t.shift = make([]uint64, size), 32
	for n := size; n > 1; n >>= 1 {
		t.shift--
	}
	for _, s := range old {
		if s != 0 {
			t.put(s)
		}
	}
}

// hashWord returns the 32-bit hash of a word for wordTable: a multiply
// and xor-shift hash of the word's eight-byte blocks, the last block
// overlapping the one before when the length is not a multiple of eight.
func hashWord(w []byte) uint32 {
	const k0, k1 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9
	h := uint64(len(w)) * k0
	switch n := len(w); {
	case n >= 8:
		for b := w; len(b) > 8; b = b[8:] {
			h = (h ^ binary.LittleEndian.Uint64(b)) * k1
			h ^= h >> 29
		}
		h ^= binary.LittleEndian.Uint64(w[n-8:])
	case n >= 4:
		h ^= uint64(binary.LittleEndian.Uint32(w)) | uint64(binary.LittleEndian.Uint32(w[n-4:]))<<32
	case n > 0:
		h ^= uint64(w[0]) | uint64(w[n/2])<<8 | uint64(w[n-1])<<16
	}
	h *= k1
	h ^= h >> 31
	h *= k0
	return uint32(h >> 32)
}
