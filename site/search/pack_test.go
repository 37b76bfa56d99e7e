package search

import (
	"bytes"
	"testing"
)

// FuzzPackRoundTrip checks that packing a blob keeps its flags and
// separator where they were and that every packed term unpacks to the
// term, for any bytes (valid UTF-8 or not).
func FuzzPackRoundTrip(f *testing.F) {
	for _, s := range []string{"", "كازاخستان\x03أستانا\x01\x00cica\x02", "2024\x01", "ڤيزا\x01", "🙂x\x02", "\xd8\x01", "\xff\xd9", "\x1f\x7f", "ًٌٍَ١٢٣\x04"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, blob []byte) {
		packed := packBlob(nil, blob)
		var got []byte
		start := 0
		for i := 0; i <= len(packed); i++ {
			if i == len(packed) || packed[i] < 0x10 {
				got = append(got, unpackTerm(string(packed[start:i]))...)
				if i < len(packed) {
					got = append(got, packed[i])
				}
				start = i + 1
			}
		}
		if !bytes.Equal(got, blob) {
			t.Fatalf("%q packed to %q unpacks to %q", blob, packed, got)
		}
	})
}

// TestPackHalvesArabic checks the point of packing: an Arabic term takes
// one byte a letter.
func TestPackHalvesArabic(t *testing.T) {
	term := "التفاعل"
	if got := len(packBlob(nil, []byte(term))); got != len([]rune(term)) {
		t.Errorf("%s packs to %d bytes, want %d", term, got, len([]rune(term)))
	}
}
