package search

// wordTable numbers byte strings (normalised words, chunks of text) in the
// order they are added, keeps a value with each, and finds the number
// and value of one. It does what a map[string]struct{int32; int32} would,
// for a fraction of the cost on short strings: a string of up to 16 bytes
// is held as two integers (its key) in its slot, so that finding it reads
// one slot and compares integers, and does not follow a string to its
// bytes.
//
// It is a hash table with open addressing and linear probing, at most
// half full.
type wordTable struct {
	slots []wordSlot
	// shift is 32 - log2(len(slots)): hash>>shift is the first slot of a
	// hash.
	shift uint
	// strs holds the string of each number.
	strs []string
}

// wordSlot is a slot of a wordTable: 32 bytes, two to a cache line.
type wordSlot struct {
	a, b uint64 // the string's key (wordKey)
	h    uint32 // its hash
	n    int32  // its length
	id   int32  // its number plus one; 0 in a free slot
	val  int32  // the value given to add
}

// wordKey stands for a string: for a string of up to 16 bytes, a and b
// hold all its bytes, so that two such strings of the same length are the
// same when their a and b are; a longer string is only the same as
// another when their bytes are.
type wordKey struct {
	a, b uint64 // the first and the last eight bytes, for n >= 8
	n    int    // the length in bytes
}

// le64 returns the eight bytes of w from i on as a little-endian integer.
func le64(w string, i int) uint64 {
	b := w[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// le32 returns the four bytes of w from i on as a little-endian integer.
func le32(w string, i int) uint64 {
	b := w[i : i+4]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24
}

// keyOf returns the key of w.
func keyOf(w string) wordKey {
	k := wordKey{n: len(w)}
	switch n := len(w); {
	case n >= 8:
		k.a, k.b = le64(w, 0), le64(w, n-8)
	case n >= 4:
		// The first four bytes and the last four, which overlap them
		// below eight bytes.
		k.a = le32(w, 0) | le32(w, n-4)<<32
	case n > 0:
		// Below four bytes, the first, middle and last are all the bytes.
		k.a = uint64(w[0]) | uint64(w[n/2])<<8 | uint64(w[n-1])<<16
	}
	return k
}

// hashOf returns the 32-bit hash of w, whose key is k: a multiply and
// xor-shift hash of its key and, for a string longer than 16 bytes, of
// the eight-byte blocks in between.
func hashOf(w string, k wordKey) uint32 {
	const k0, k1 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9
	h := (uint64(k.n)*k0 ^ k.a) * k1
	h ^= h >> 29
	for i := 8; i+8 < len(w); i += 8 {
		h = (h ^ le64(w, i)) * k1
		h ^= h >> 29
	}
	h = (h ^ k.b) * k0
	h ^= h >> 32
	h *= k1
	return uint32(h >> 32)
}

// find returns the number of w, whose key is k and hash h, and its
// value, or -1 when w is not in the table. It calls no function, so that
// the common case saves no registers.
func (t *wordTable) find(w string, k wordKey, h uint32) (id, val int32) {
	if len(t.slots) == 0 {
		return -1, 0
	}
	mask := len(t.slots) - 1
probe:
	for i := int(h >> t.shift); ; i = (i + 1) & mask {
		s := &t.slots[i]
		if s.id == 0 {
			return -1, 0
		}
		if s.h != h || s.a != k.a || s.b != k.b || int(s.n) != k.n {
			continue
		}
		// The key holds the first and the last eight bytes: compare the
		// ones in between.
		if k.n > 16 {
			str := t.strs[s.id-1]
			if len(str) != len(w) {
				continue
			}
			for j := 8; j+8 < k.n; j += 8 {
				if le64(str, j) != le64(w, j) {
					continue probe
				}
			}
		}
		return s.id - 1, s.val
	}
}

// add gives w, whose key is k and hash h, the next number, keeps val with
// it, and returns the number; w must not be in the table yet. The table
// keeps w: it must not be part of a larger string that the table should
// not keep alive.
func (t *wordTable) add(w string, k wordKey, h uint32, val int32) int32 {
	if 2*(len(t.strs)+1) > len(t.slots) {
		t.grow()
	}
	id := int32(len(t.strs))
	t.put(wordSlot{a: k.a, b: k.b, h: h, n: int32(k.n), id: id + 1, val: val})
	t.strs = append(t.strs, w)
	return id
}

// put files s in the first free slot of its hash.
func (t *wordTable) put(s wordSlot) {
	mask := len(t.slots) - 1
	i := int(s.h >> t.shift)
	for t.slots[i].id != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = s
}

// grow doubles the number of slots (1024 at first).
func (t *wordTable) grow() {
	old := t.slots
	size := max(2*len(old), 1024)
	t.slots, t.shift = make([]wordSlot, size), 32
	for n := size; n > 1; n >>= 1 {
		t.shift--
	}
	for _, s := range old {
		if s.id != 0 {
			t.put(s)
		}
	}
}
