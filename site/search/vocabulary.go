package search

import (
	"encoding/binary"
	"sync"
)

// A Vocabulary numbers the terms of the documents that its analyzers
// analyse, so that their Terms hold numbers instead of the terms
// themselves: about two bytes a term instead of six (the terms of every
// post, kept until the dictionaries are made, took about 100 MB of heap
// at 50,000 posts, and take 36 MB). The terms still read, compare and
// encode (AppendBinary) as if written out. A Vocabulary is safe for
// concurrent use; each of its analyzers is not.
type Vocabulary struct {
	mu sync.RWMutex
	// ids numbers the packed terms; terms lists them by number. A term
	// once numbered never changes, so readers may keep a copy of the
	// slice taken under the lock and read it without.
	ids   map[string]uint32
	terms []string
}

// NewVocabulary returns a Vocabulary that knows no term yet.
func NewVocabulary() *Vocabulary {
	return &Vocabulary{ids: map[string]uint32{}}
}

// NewAnalyzer returns an Analyzer whose documents' Terms number their
// terms in v.
func (v *Vocabulary) NewAnalyzer() *Analyzer {
	a := NewAnalyzer()
	a.shared = v
	return a
}

// number returns the number of a packed term, numbering it if it is new.
func (v *Vocabulary) number(packed []byte) uint32 {
	v.mu.Lock()
	defer v.mu.Unlock()
	if id, ok := v.ids[string(packed)]; ok {
		return id
	}
	id := uint32(len(v.terms))
	term := string(packed)
	v.ids[term] = id
	v.terms = append(v.terms, term)
	return id
}

// list returns the terms numbered so far, by number.
func (v *Vocabulary) list() []string {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.terms
}

// globalNumber returns the number in a.shared of term, packed, and the
// length of the packed term.
func (a *Analyzer) globalNumber(term string) (uint32, int32) {
	a.packed = packBlob(a.packed[:0], []byte(term))
	return a.shared.number(a.packed), int32(len(a.packed))
}

// sharedTerms returns the terms of the document just analysed, numbered
// in a.shared: each stem's number shifted left by 4 plus its flags, as a
// uvarint, then a 0 byte (no entry starts with one, as flags are never
// 0), then the words the same way.
func (a *Analyzer) sharedTerms() Terms {
	b := a.blob[:0]
	size := 1 // the separator
	for _, sid := range a.stemsSeen {
		b = binary.AppendUvarint(b, uint64(a.stemGlobal[sid])<<4|uint64(a.stemSeen[sid].flags))
		size += int(a.stemLen[sid]) + 1
	}
	b = append(b, 0)
	for _, id := range a.wordsSeen {
		if w := &a.vocab[id]; w.self < 0 {
			b = binary.AppendUvarint(b, uint64(w.global)<<4|uint64(a.wordSeen[id].flags))
			size += int(w.packedLen) + 1
		}
	}
	a.blob = b
	return Terms{blob: string(b), shared: a.shared, size: size}
}

// eachNumber calls fn for every term of a dictionary of numbered terms
// (0 for stems, 1 for words) with its number and flags.
func (t Terms) eachNumber(dict int, fn func(id uint32, flags uint8)) {
	b := t.blob
	cur := 0
	for i := 0; i < len(b); {
		if b[i] == 0 {
			if cur == dict {
				return
			}
			cur++
			i++
			continue
		}
		v, n := uvarint(b[i:])
		if n <= 0 {
			return // not made by sharedTerms
		}
		i += n
		if cur == dict {
			fn(uint32(v>>4), uint8(v&15))
		}
	}
}

// uvarint decodes the uvarint at the start of s, as binary.Uvarint does
// a slice, and returns it and its length (0 if s does not start with one).
func uvarint(s string) (uint64, int) {
	var x uint64
	for i, shift := 0, uint(0); i < len(s) && i < binary.MaxVarintLen64; i, shift = i+1, shift+7 {
		c := s[i]
		if c < 0x80 {
			return x | uint64(c)<<shift, i + 1
		}
		x |= uint64(c&0x7f) << shift
	}
	return 0, 0
}

// appendWritten appends numbered terms as Doc writes them without a
// Vocabulary: each packed term and its flags, stems, 0, words.
func (t Terms) appendWritten(b []byte) []byte {
	terms := t.shared.list()
	t.eachNumber(0, func(id uint32, flags uint8) { b = append(append(b, terms[id]...), flags) })
	b = append(b, 0)
	t.eachNumber(1, func(id uint32, flags uint8) { b = append(append(b, terms[id]...), flags) })
	return b
}

// sharedVocabulary returns the Vocabulary in which all of terms number
// their terms, or nil if any does not (one from a cache on disk, or of
// another Vocabulary).
func sharedVocabulary(terms []Terms) *Vocabulary {
	if len(terms) == 0 {
		return nil
	}
	v := terms[0].shared
	for _, t := range terms {
		if t.shared != v {
			return nil
		}
	}
	return v
}
