package search

import "encoding/binary"

// wordTable finds the number of a normalised word among the words an
// Analyzer knows. It does what a map[string]int32 would, for a fraction
// of the cost on the short words of a text: a word of up to 16 bytes is
// held as two integers (its key), so that finding it compares integers
// in two small arrays instead of following a string to its bytes.
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
	// keys holds the key of each word, by number.
	keys []wordKey
}

// wordKey stands for a word: for a word of up to 16 bytes, a and b hold
// all its bytes, so that two such words of the same length are the same
// when their a and b are; a longer word is only the same as another when
// their bytes are.
type wordKey struct {
	a, b uint64 // the first and the last eight bytes, for n >= 8
	n    int    // the length in bytes
}

// keyOf returns the key of word w.
func keyOf(w []byte) wordKey {
	k := wordKey{n: len(w)}
	switch n := len(w); {
	case n >= 8:
		k.a, k.b = binary.LittleEndian.Uint64(w), binary.LittleEndian.Uint64(w[n-8:])
	case n >= 4:
		// The first four bytes and the last four, which overlap them
		// below eight bytes.
		k.a = uint64(binary.LittleEndian.Uint32(w)) | uint64(binary.LittleEndian.Uint32(w[n-4:]))<<32
	case n > 0:
		// Below four bytes, the first, middle and last are all the bytes.
		k.a = uint64(w[0]) | uint64(w[n/2])<<8 | uint64(w[n-1])<<16
	}
	return k
}

// hash returns the 32-bit hash of word w, whose key is k: a multiply and
// xor-shift hash of its key and of the eight-byte blocks in between for a
// word longer than 16 bytes.
func (k wordKey) hash(w []byte) uint32 {
	const k0, k1 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9
	h := (uint64(k.n)*k0 ^ k.a) * k1
	h ^= h >> 29
	for b := w; len(b) > 16; b = b[8:] {
		h = (h ^ binary.LittleEndian.Uint64(b[8:])) * k1
		h ^= h >> 29
	}
	h = (h ^ k.b) * k0
	h ^= h >> 32
	h *= k1
	return uint32(h >> 32)
}

// find returns the number of word w, whose key is k and hash h, or -1
// when it is not in the table; vocab holds the words by number.
func (t *wordTable) find(w []byte, k wordKey, h uint32, vocab []vocabWord) int32 {
	if len(t.slots) == 0 {
		return -1
	}
	mask := len(t.slots) - 1
	for i := int(h >> t.shift); ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return -1
		}
		if uint32(s>>32) != h {
			continue
		}
		id := int32(uint32(s)) - 1
		if t.keys[id] == k && (k.n <= 16 || vocab[id].norm == string(w)) {
			return id
		}
	}
}

// add files the word of number id, whose key is k and hash h; it must not
// be in the table yet, and the words numbered below id must be.
func (t *wordTable) add(k wordKey, h uint32, id int32) {
	if 2*(len(t.keys)+1) > len(t.slots) {
		t.grow()
	}
	t.put(uint64(h)<<32 | uint64(uint32(id+1)))
	t.keys = append(t.keys, k)
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
