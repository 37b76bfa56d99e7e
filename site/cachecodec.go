package site

import (
	"encoding/binary"
	"errors"
	"time"
)

// The primitives of the cache file's encoding (persist.go): unsigned and
// signed varints (encoding/binary), strings as a length and their bytes,
// booleans as one byte. An encoder appends to a byte slice; a decoder
// reads a string, the whole file read at once, so every string it returns
// is a piece of that one string and costs no allocation.

// encoder appends values to buf. A value it cannot encode sets err.
type encoder struct {
	buf []byte
	err error
	// keys is room for sorting the keys of small maps.
	keys []string
}

func (e *encoder) uint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }

func (e *encoder) int(v int64) { e.buf = binary.AppendVarint(e.buf, v) }

func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

func (e *encoder) bool(b bool) {
	if b {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}

// time appends t as time.Time.AppendBinary does, the form gob used: the
// instant and the zone's offset, which is what the build looks at.
func (e *encoder) time(t time.Time) {
	n := len(e.buf)
	e.buf = append(e.buf, 0) // the length, one byte: 16 at most
	b, err := t.AppendBinary(e.buf)
	if err != nil {
		e.err = err
		return
	}
	e.buf = b
	e.buf[n] = byte(len(b) - n - 1)
}

// errCorrupt is what a decoder reports when the bytes do not make sense:
// a file cut short, damaged, or written by something else.
var errCorrupt = errors.New("corrupt data")

// decoder reads values from s. Its first failure sticks: every later read
// returns a zero value, and err says what went wrong, so that a section
// is decoded without checking each read and checked once at its end.
type decoder struct {
	s   string
	err error
}

func (d *decoder) fail() {
	d.err, d.s = errCorrupt, ""
}

func (d *decoder) uint() uint64 {
	var v uint64
	for i := 0; i < len(d.s) && i < binary.MaxVarintLen64; i++ {
		c := d.s[i]
		if c < 0x80 {
			if i == binary.MaxVarintLen64-1 && c > 1 {
				break // more than 64 bits
			}
			d.s = d.s[i+1:]
			return v | uint64(c)<<(7*i)
		}
		v |= uint64(c&0x7f) << (7 * i)
	}
	d.fail()
	return 0
}

func (d *decoder) int64() int64 {
	u := d.uint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

func (d *decoder) int() int { return int(d.int64()) }

// count reads the number of items that follow, each at least min bytes
// long: a count the rest of the data cannot hold is a failure, so that
// no damaged count makes the caller allocate more than the data warrants.
func (d *decoder) count(min int) int {
	n := d.uint()
	if n > uint64(len(d.s)/min) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	n := d.uint()
	if n > uint64(len(d.s)) {
		d.fail()
		return ""
	}
	s := d.s[:n]
	d.s = d.s[n:]
	return s
}

// uint32 reads 4 bytes, little-endian.
func (d *decoder) uint32() uint32 {
	if len(d.s) < 4 {
		d.fail()
		return 0
	}
	v := uint32(d.s[0]) | uint32(d.s[1])<<8 | uint32(d.s[2])<<16 | uint32(d.s[3])<<24
	d.s = d.s[4:]
	return v
}

// key reads the key of a map entry and appends it to keys. Maps are
// written in the order of their keys: a key out of order is a failure,
// so that the keys read can be saved again in their order unsorted.
func (d *decoder) key(keys *[]string) string {
	k := d.str()
	if n := len(*keys); n > 0 && k <= (*keys)[n-1] {
		d.fail()
	}
	*keys = append(*keys, k)
	return k
}

func (d *decoder) bool() bool {
	if len(d.s) == 0 || d.s[0] > 1 {
		d.fail()
		return false
	}
	b := d.s[0] == 1
	d.s = d.s[1:]
	return b
}

func (d *decoder) time() time.Time {
	var t time.Time
	if b := d.str(); b != "" {
		if err := t.UnmarshalBinary([]byte(b)); err != nil {
			d.fail()
		}
	}
	return t
}

// end fails unless every byte was read, and returns the error.
func (d *decoder) end() error {
	if d.err == nil && d.s != "" {
		d.fail()
	}
	return d.err
}
