package site

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"strings"
	"sync"
	"unsafe"

	"github.com/nashra-press/nashra/site/search"
)

// The cache on disk: Save writes it after a successful build and
// ReadCache reads it before the next one, so a second "nashra build" with
// nothing changed parses nothing, converts nothing and renders nothing.
// It is keyed by a version string that the caller derives from the nashra
// binary itself: a cache written by another build of nashra is never used.
// Every entry is also checked against the content hash of its file, the
// settings and the layouts, as in memory.
//
// The file is cacheMagic, the version, then the sections of
// cacheSections in their order, each as its length (a varint), its bytes
// and their CRC-32 (4 bytes, little-endian). The sections are encoded and
// decoded at the same time, each by its own goroutine, with the compact
// encoding of cachecodec.go: at 10,000 posts gob spent most of a
// rebuild's time on the cache. A file cut short, damaged (its checksums),
// or of another format or version is refused as a whole. The strings of
// a cache read are pieces of the file's bytes, read in one go: the bytes
// stay in memory as long as any of those strings does.

// cacheMagic opens every cache file.
const cacheMagic = "nashra build cache\n"

// Save writes the cache, tagged with version. The same cache always
// gives the same bytes. The sections are encoded at the same time and
// written in their order as soon as each is ready.
func (c *Cache) Save(w io.Writer, version string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	sections := cacheSections()
	ready := make([]chan sectionBody, len(sections))
	var wg sync.WaitGroup
	defer wg.Wait() // before the lock is released: they read the cache
	for i, s := range sections {
		ready[i] = make(chan sectionBody, 1)
		wg.Go(func() { ready[i] <- s.encode(c) })
	}
	head := encoder{buf: []byte(cacheMagic)}
	head.str(cacheVersion + " " + version)
	if _, err := w.Write(head.buf); err != nil {
		return err
	}
	chunk := make([]byte, 0, termsChunk)
	for i, s := range sections {
		body := <-ready[i]
		if body.err != nil {
			return fmt.Errorf("build cache, %s: %w", s.name, body.err)
		}
		if err := body.writeTo(w, &chunk); err != nil {
			return err
		}
	}
	return nil
}

// termsChunk is about how many bytes of search terms Save copies into
// its buffer before writing them: a buffer that stays in the processor's
// cache, allocated once, rather than a megabyte of fresh memory that the
// kernel must map page by page in a short-lived process.
const termsChunk = 64 << 10

// sectionBody is the bytes of a section: parts, then the terms of terms.
type sectionBody struct {
	parts [][]byte
	// terms are the search terms of posts, 22 MB at 10,000 posts,
	// copied to the file a chunk at a time.
	terms []search.Terms
	err   error
}

func sectionOf(b []byte) sectionBody { return sectionBody{parts: [][]byte{b}} }

// writeTo writes the section framed: its length, its bytes and their
// CRC-32. chunk is a buffer for the terms, kept from section to section.
func (b sectionBody) writeTo(w io.Writer, chunk *[]byte) error {
	size := 0
	for _, p := range b.parts {
		size += len(p)
	}
	for _, t := range b.terms {
		size += t.Len()
	}
	if _, err := w.Write(binary.AppendUvarint(nil, uint64(size))); err != nil {
		return err
	}
	sum := uint32(0)
	write := func(p []byte) error {
		sum = crc32.Update(sum, crc32.IEEETable, p)
		_, err := w.Write(p)
		return err
	}
	for _, p := range b.parts {
		if err := write(p); err != nil {
			return err
		}
	}
	buf := (*chunk)[:0]
	for _, t := range b.terms {
		buf, _ = t.AppendBinary(buf)
		if len(buf) >= termsChunk {
			if err := write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	*chunk = buf
	if len(buf) > 0 {
		if err := write(buf); err != nil {
			return err
		}
	}
	_, err := w.Write(binary.LittleEndian.AppendUint32(nil, sum))
	return err
}

// ReadCache reads a cache written by Save with the same version. A cache
// of another version, or one that cannot be read, yields an empty cache
// and the reason. Given an *os.File (anything with a Stat method), it
// reads the file in one go.
func ReadCache(r io.Reader, version string) (*Cache, error) {
	data, err := readAll(r)
	if err != nil {
		return NewCache(), fmt.Errorf("reading the build cache: %w", err)
	}
	c, err := decodeCache(data, version)
	if err != nil {
		return NewCache(), err
	}
	return c, nil
}

// readAll reads r to its end, in one read when r can tell its size.
func readAll(r io.Reader) ([]byte, error) {
	size := 64 << 10
	if f, ok := r.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if info, err := f.Stat(); err == nil && info.Mode().IsRegular() && info.Size() < 1<<40 {
			size = int(info.Size()) + 1 // and one byte to see the end
		}
	}
	buf := make([]byte, 0, size)
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // let append grow it
		}
	}
}

// decodeCache decodes the bytes of a cache file. The strings of the
// cache it returns share data's memory, which must not change afterwards.
func decodeCache(data []byte, version string) (*Cache, error) {
	// One string for the whole file: the strings of every entry are
	// pieces of it, and data is not written to again.
	all := unsafe.String(unsafe.SliceData(data), len(data))
	if !strings.HasPrefix(all, cacheMagic) {
		return nil, errors.New("build cache: not a build cache of this version of nashra")
	}
	d := decoder{s: all[len(cacheMagic):]}
	if v := d.str(); d.err != nil || v != cacheVersion+" "+version {
		return nil, errors.New("build cache from another version of nashra")
	}
	c := NewCache()
	sections := cacheSections()
	// Where each section's bytes start and end, and their checksums.
	starts, ends := make([]int, len(sections)), make([]int, len(sections))
	sums := make([]uint32, len(sections))
	for i := range sections {
		body := d.str()
		ends[i] = len(all) - len(d.s)
		starts[i] = ends[i] - len(body)
		sums[i] = d.uint32()
	}
	if err := d.end(); err != nil {
		return nil, fmt.Errorf("unreadable build cache: %w", err)
	}
	errs := make([]error, len(sections))
	var wg sync.WaitGroup
	for i, s := range sections {
		wg.Go(func() {
			if crc32.ChecksumIEEE(data[starts[i]:ends[i]]) != sums[i] {
				errs[i] = fmt.Errorf("unreadable build cache: %s: wrong checksum", s.name)
				return
			}
			sd := decoder{s: all[starts[i]:ends[i]]}
			s.decode(&sd, c)
			if err := sd.end(); err != nil {
				errs[i] = fmt.Errorf("unreadable build cache: %s: %w", s.name, err)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return c, nil
}
