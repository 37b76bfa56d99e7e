package search

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Where a term occurs in a document: flags of the postings.
const (
	inBody    = 1
	inHeading = 2
	// In the stem dictionary, shifted left by 2: the stem is itself one of
	// the document's words.
	exactShift = 2
)

// Terms is the analysed content of one document: its stems and its words
// with the fields they occur in. It is computed once per version of a post
// (AnalyzeDoc) and kept between builds, also on disk (AppendBinary,
// TermsFromBinary).
type Terms struct {
	// blob holds the stems, a 0 byte, then the words, each entry a term
	// followed by one byte of flags (1 to 15). Terms are made of letters,
	// marks and digits, never of bytes below 0x20, so the flag bytes
	// delimit them. The terms are packed (pack.go): Arabic letters take
	// one byte each.
	//
	// With shared set, blob holds the terms' numbers there instead
	// (Vocabulary.sharedTerms), and size is the length of the terms
	// written out as above.
	blob   string
	shared *Vocabulary
	size   int
}

// AnalyzeDoc analyses a document whose title and tags are heading and
// whose summary and body are body. To analyse many documents, use an
// Analyzer.
func AnalyzeDoc(heading, body []string) Terms {
	return NewAnalyzer().Doc(heading, body)
}

// Analyzer analyses documents. It remembers every word it has seen, so
// that a word is stemmed once, and every chunk of text, so that a chunk
// seen before costs one lookup and no scanning.
// An Analyzer is not safe for concurrent use.
type Analyzer struct {
	words  wordTable // normalised words, numbered as in vocab
	vocab  []vocabWord
	stemID map[string]int32 // stem -> number
	stems  []string

	// chunks holds the chunks of text seen (see isChunkByte). The value
	// of a chunk of one word, as most are, is that word's number; the
	// value of another is -1-s, and its words are
	// chunkWords[chunkSpan[s]>>32:uint32(chunkSpan[s])].
	chunks     wordTable
	chunkSpan  []uint64
	chunkWords []int32
	one        [1]int32 // the word of the last chunk of one word
	scanned    []int32  // the words of the last chunk too long to keep

	// Per document: gen numbers the document; a word or stem whose
	// seen entry has another gen has not been seen in it yet.
	gen                  uint32
	wordSeen, stemSeen   []seen // by word and stem number
	wordsSeen, stemsSeen []int32
	blob, packed         []byte  // reused for each document's terms
	scan                 scanner // reused for each new chunk

	// shared, when not nil, numbers the terms of the documents' Terms;
	// stemGlobal and stemLen are each stem's number there and the
	// length of the packed stem, by stem number.
	shared     *Vocabulary
	stemGlobal []uint32
	stemLen    []int32
}

// seen is where a word or a stem was seen in the current document: gen
// is the document's (Analyzer.gen), flags the fields (inBody, inHeading,
// and for a stem the same shifted by exactShift).
type seen struct {
	gen   uint32
	flags uint8
}

type vocabWord struct {
	norm string
	// stems holds the numbers of the word's one or two stems (Stems),
	// nstems how many; in the word itself, not behind a pointer.
	stems  [2]int32
	nstems int32
	// self is the number of the stem that is the word itself, or -1:
	// the exact form of a word that is one of its own stems is recorded
	// in the stem dictionary.
	self int32
	// global and packedLen are, with a Vocabulary and when self is -1,
	// the word's number in it and the length of the packed word.
	global    uint32
	packedLen int32
}

// NewAnalyzer returns an Analyzer that knows no word yet.
func NewAnalyzer() *Analyzer {
	return &Analyzer{stemID: map[string]int32{}}
}

// word returns the number of a normalised word, stemming it the first
// time.
func (a *Analyzer) word(norm []byte) int32 {
	// Not kept: the compiler makes the string on the stack when it is
	// short.
	probe := string(norm)
	k := keyOf(probe)
	h := hashOf(probe, k)
	if id, _ := a.words.find(probe, k, h); id >= 0 {
		return id
	}
	w := vocabWord{norm: string(norm), self: -1}
	for _, s := range Stems(w.norm) {
		sid, ok := a.stemID[s]
		if !ok {
			sid = int32(len(a.stems))
			a.stemID[s] = sid
			a.stems = append(a.stems, s)
			a.stemSeen = append(a.stemSeen, seen{})
			if a.shared != nil {
				g, n := a.globalNumber(s)
				a.stemGlobal = append(a.stemGlobal, g)
				a.stemLen = append(a.stemLen, n)
			}
		}
		w.stems[w.nstems] = sid
		w.nstems++
		if s == w.norm {
			w.self = sid
		}
	}
	if a.shared != nil && w.self < 0 {
		w.global, w.packedLen = a.globalNumber(w.norm)
	}
	id := a.words.add(w.norm, k, h, 0)
	a.vocab = append(a.vocab, w)
	a.wordSeen = append(a.wordSeen, seen{})
	return id
}

// highBits is the top bit of each of eight bytes.
const highBits = 0x8080808080808080

// isChunkByte reports whether byte c can be part of a chunk: a run of
// bytes between ASCII characters other than letters and digits. Such a
// character always ends a word and leaves the scanner as at the start of
// a text, and is never part of a longer UTF-8 sequence, so a chunk has
// the same words wherever it occurs.
func isChunkByte(c byte) bool {
	// For Arabic text, the first test is the one that matters.
	return c >= 0x80 || 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9'
}

// maxChunk is the length in bytes of the longest chunk an Analyzer
// remembers. Longer ones, rare in Arabic or Latin text but whole
// sentences in Chinese, are scanned each time rather than copied.
const maxChunk = 64

// wordsOf returns the numbers of the words of chunk, in order, scanning
// it the first time. The slice is only valid until the next call.
func (a *Analyzer) wordsOf(chunk string) []int32 {
	if len(chunk) > maxChunk {
		a.scanned = a.appendWords(a.scanned[:0], chunk)
		return a.scanned
	}
	k := keyOf(chunk)
	h := hashOf(chunk, k)
	c, v := a.chunks.find(chunk, k, h)
	if c < 0 {
		v = a.newChunk(chunk, k, h)
	}
	if v >= 0 {
		a.one[0] = v
		return a.one[:]
	}
	span := a.chunkSpan[-1-v]
	return a.chunkWords[span>>32 : uint32(span)]
}

// newChunk scans a chunk not seen before, adds it to a.chunks, and
// returns its value there.
func (a *Analyzer) newChunk(chunk string, k wordKey, h uint32) int32 {
	start := len(a.chunkWords)
	a.chunkWords = a.appendWords(a.chunkWords, chunk)
	var v int32
	if len(a.chunkWords) == start+1 {
		v = a.chunkWords[start]
		a.chunkWords = a.chunkWords[:start]
	} else {
		v = -1 - int32(len(a.chunkSpan))
		a.chunkSpan = append(a.chunkSpan, uint64(start)<<32|uint64(len(a.chunkWords)))
	}
	// Not a part of the text, which the table would keep alive.
	a.chunks.add(strings.Clone(chunk), k, h, v)
	return v
}

// appendWords scans text and appends the numbers of its words to ids.
func (a *Analyzer) appendWords(ids []int32, text string) []int32 {
	a.scan.reset(text)
	for {
		_, _, norm, ok := a.scan.next()
		if !ok {
			return ids
		}
		ids = append(ids, a.word(norm))
	}
}

// Doc analyses a document whose title and tags are heading and whose
// summary and body are body.
func (a *Analyzer) Doc(heading, body []string) Terms {
	a.gen++
	a.wordsSeen, a.stemsSeen = a.wordsSeen[:0], a.stemsSeen[:0]
	for _, part := range []struct {
		texts []string
		flag  uint8
	}{{body, inBody}, {heading, inHeading}} {
		for _, t := range part.texts {
			for i := 0; i < len(t); {
				if !isChunkByte(t[i]) {
					i++
					continue
				}
				j := i + 1
				// Eight bytes at a time while all are past ASCII, as in
				// Arabic words.
				for j+8 <= len(t) && le64(t, j)&highBits == highBits {
					j += 8
				}
				for j < len(t) && isChunkByte(t[j]) {
					j++
				}
				ids := a.wordsOf(t[i:j])
				// After wordsOf, which may add words.
				gen, wordSeen := a.gen, a.wordSeen
				for _, id := range ids {
					ws := &wordSeen[id]
					if ws.gen != gen {
						*ws = seen{gen: gen}
						a.wordsSeen = append(a.wordsSeen, id)
					}
					ws.flags |= part.flag
				}
				i = j
			}
		}
	}
	for _, id := range a.wordsSeen {
		w := &a.vocab[id]
		f := a.wordSeen[id].flags
		for _, sid := range w.stems[:w.nstems] {
			ss := &a.stemSeen[sid]
			if ss.gen != a.gen {
				*ss = seen{gen: a.gen}
				a.stemsSeen = append(a.stemsSeen, sid)
			}
			ss.flags |= f
			if sid == w.self {
				ss.flags |= f << exactShift
			}
		}
	}
	if a.shared != nil {
		return a.sharedTerms()
	}
	// The order of the terms does not matter: Dictionaries sorts them.
	blob := a.blob[:0]
	for _, sid := range a.stemsSeen {
		blob = append(append(blob, a.stems[sid]...), a.stemSeen[sid].flags)
	}
	blob = append(blob, 0)
	for _, id := range a.wordsSeen {
		if w := &a.vocab[id]; w.self < 0 {
			blob = append(append(blob, w.norm...), a.wordSeen[id].flags)
		}
	}
	a.blob = blob
	a.packed = packBlob(a.packed[:0], blob)
	return Terms{blob: string(a.packed)}
}

// Stems lists the stems of the document with their flags.
func (t Terms) Stems() map[string]uint8 { return t.dict(0) }

// Words lists the words of the document that are not their own stems,
// with their flags.
func (t Terms) Words() map[string]uint8 { return t.dict(1) }

func (t Terms) dict(dict int) map[string]uint8 {
	m := map[string]uint8{}
	t.each(dict, func(packed string, flags uint8) { m[unpackTerm(packed)] = flags })
	return m
}

// each calls fn for every term of a dictionary, packed: 0 for stems, 1
// for words.
func (t Terms) each(dict int, fn func(packed string, flags uint8)) {
	if t.shared != nil {
		list := t.shared.list()
		t.eachNumber(dict, func(id uint32, flags uint8) { fn(list[id], flags) })
		return
	}
	b := t.blob
	if i := strings.IndexByte(b, 0); i >= 0 {
		if dict == 0 {
			b = b[:i]
		} else {
			b = b[i+1:]
		}
	}
	start := 0
	for i := 0; i < len(b); i++ {
		if c := b[i]; c < 0x10 {
			fn(b[start:i], c)
			start = i + 1
		}
	}
}

// Len is the length of the terms' encoding (AppendBinary).
func (t Terms) Len() int {
	if t.shared != nil {
		return t.size
	}
	return len(t.blob)
}

// AppendBinary appends the terms' encoding to b (encoding.BinaryAppender),
// for a cache on disk.
func (t Terms) AppendBinary(b []byte) ([]byte, error) {
	if t.shared != nil {
		return t.appendWritten(b), nil
	}
	return append(b, t.blob...), nil
}

// TermsFromBinary returns the terms that AppendBinary encoded in data,
// without copying it: a cache on disk decodes the terms of every post as
// one string and slices it.
func TermsFromBinary(data string) Terms { return Terms{blob: data} }

// Doc is one published post as the index holds it.
type Doc struct {
	Terms Terms
	// URL is the post's path from the host root.
	URL   string
	Title string
	// Date is the publication date in RFC 3339; DateText the same date as
	// the site shows it.
	Date, DateText string
	Tags           []Tag
	Summary        string
	// Text is the plain text of the body, for snippets.
	Text string
}

// Tag is a tag shown with a result.
type Tag struct {
	Label, URL string
}

// Options sets the sizes of the index files; zero values take defaults.
type Options struct {
	// ShardSize is the size in bytes at which a dictionary shard is
	// closed; default 64 KiB (postings compress about tenfold).
	ShardSize int
	// ChunkSize is the size in bytes of the documents' sources that a
	// chunk aims at (see ChunkDocs); default 80 KiB, about 15 KiB of
	// gzipped chunk for Arabic text.
	ChunkSize int
	// MaxText is the length in bytes of body text kept for snippets;
	// default 24 KiB.
	MaxText int
}

func (o Options) withDefaults() Options {
	if o.ShardSize <= 0 {
		o.ShardSize = 64 << 10
	}
	if o.ChunkSize <= 0 {
		o.ChunkSize = 80 << 10
	}
	if o.MaxText <= 0 {
		o.MaxText = 24 << 10
	}
	return o
}

// ChunkDocs is the number of documents per chunk for documents whose
// sources are avgSize bytes long on average: about ChunkSize bytes per
// chunk, from 1 to 64 documents.
func (o Options) ChunkDocs(avgSize int) int {
	o = o.withDefaults()
	if avgSize <= 0 {
		return 64
	}
	return min(64, max(1, o.ChunkSize/avgSize))
}

// File is one file of the index, relative to the index folder.
type File struct {
	Path string
	Data []byte
}

// Index is a built index.
type Index struct {
	// Files are index.json first, then the shards and the chunks.
	Files []File
	// Version changes whenever any file changes.
	Version string
	// Stems and Words count the terms of the two dictionaries.
	Stems, Words int
}

// Build builds the whole index of docs, oldest first, in memory, with
// chunkDocs documents per chunk (0: from the documents' text sizes).
// Sites build it in steps instead (Dictionaries, Record, Chunk, Meta), so
// that the text of every post need not be in memory at once.
func Build(docs []Doc, chunkDocs int, opts Options) *Index {
	opts = opts.withDefaults()
	if chunkDocs <= 0 {
		total := 0
		for _, d := range docs {
			total += len(d.Text)
		}
		avg := 0
		if len(docs) > 0 {
			avg = total / len(docs)
		}
		chunkDocs = opts.ChunkDocs(avg)
	}
	terms := make([]Terms, len(docs))
	for i, d := range docs {
		terms[i] = d.Terms
	}
	var dicts *Dicts
	var wg sync.WaitGroup
	wg.Go(func() { dicts = Dictionaries(terms, opts) })
	chunks := make([]File, (len(docs)+chunkDocs-1)/chunkDocs)
	for c := range chunks {
		wg.Go(func() {
			part := docs[c*chunkDocs : min((c+1)*chunkDocs, len(docs))]
			records := make([][]byte, len(part))
			for i, d := range part {
				records[i] = Record(d, opts)
			}
			chunks[c] = File{Path: ChunkPath(c), Data: Chunk(records)}
		})
	}
	wg.Wait()
	sums := make([]string, len(chunks))
	for c, f := range chunks {
		sums[c] = Hash(f.Data)
	}
	meta, version := Meta(dicts, len(docs), chunkDocs, sums)
	idx := &Index{Version: version, Stems: dicts.Stems, Words: dicts.Words}
	idx.Files = append(append([]File{meta}, dicts.Files...), chunks...)
	return idx
}

// Hash identifies the content of a file of the index.
func Hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:16])
}

// Dicts are the shards of the two dictionaries.
type Dicts struct {
	// Files are the shards, stems first. A shard that
	// UpdateDictionaries kept from the previous build has no Data.
	Files []File
	// Stems and Words count the terms of the two dictionaries; -1 after
	// UpdateDictionaries.
	Stems, Words int
	refs         [2][]shardRef
}

// Dictionaries builds the stem and word dictionaries of the documents
// whose terms are given, numbered by their position. The two are built
// at the same time.
func Dictionaries(terms []Terms, opts Options) *Dicts {
	d, _ := DictionariesTo(terms, opts, nil)
	return d
}

// DictionariesTo is Dictionaries handing each shard to emit as soon as
// it is made, from one of two goroutines, instead of keeping them all in
// the Dicts: its Files have no Data. The shards of a site of 50,000 posts
// are 50 MB. emit must not keep the Data it is given; DictionariesTo
// returns the first error emit returns, and emits no shard after it.
// With emit nil, the Files keep their Data, as Dictionaries does.
func DictionariesTo(terms []Terms, opts Options, emit func(File) error) (*Dicts, error) {
	opts = opts.withDefaults()
	d := &Dicts{}
	var files [2][]File
	var counts [2]int
	var errs [2]error
	var failed atomic.Bool
	var wg sync.WaitGroup
	for dict := range 2 {
		wg.Go(func() {
			entries := collectPostings(terms, dict)
			counts[dict] = len(entries)
			w := newShardWriter(dict, opts.ShardSize)
			if emit != nil {
				w.emit = func(f File) error {
					if failed.Load() {
						return errStopped
					}
					err := emit(f)
					if err != nil {
						failed.Store(true)
					}
					return err
				}
			}
			encodeShards(entries, w)
			files[dict], d.refs[dict], errs[dict] = w.files, w.refs, w.err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && err != errStopped {
			return nil, err
		}
	}
	d.Files = append(files[0], files[1]...)
	d.Stems, d.Words = counts[0], counts[1]
	return d, nil
}

// errStopped stops the shards of one dictionary once emit failed on the
// other's.
var errStopped = errors.New("stopped")

// collectPostings lists the terms of dictionary dict (0 stems, 1 words)
// with their postings, in no particular order. It walks the documents
// twice, counting first, so that all postings share one array of the
// exact size: grown term by term, they took about four times the memory
// in all, most of it garbage, at the moment the build's heap is largest.
// Terms that all number their terms in one Vocabulary are counted by
// those numbers; others are numbered here, through a map.
func collectPostings(terms []Terms, dict int) []postings {
	// number calls fn for each term of t with its number and flags;
	// packed gives the packed term of a number.
	var number func(t Terms, fn func(id uint32, flags uint8))
	var packed []string
	if v := sharedVocabulary(terms); v != nil {
		packed = v.list()
		number = func(t Terms, fn func(uint32, uint8)) { t.eachNumber(dict, fn) }
	} else {
		index := map[string]uint32{}
		number = func(t Terms, fn func(uint32, uint8)) {
			t.each(dict, func(term string, flags uint8) {
				id, ok := index[term]
				if !ok {
					id = uint32(len(packed))
					index[term] = id
					packed = append(packed, term)
				}
				fn(id, flags)
			})
		}
	}
	// The functions passed to number are made once, not per document.
	counts := make([]uint32, len(packed))
	count := func(id uint32, _ uint8) {
		if int(id) == len(counts) { // numbered here: one more than before
			counts = append(counts, 0)
		}
		counts[id]++
	}
	for _, t := range terms {
		number(t, count)
	}
	// counts becomes where the postings of each term start; ends, where
	// the next posting of each goes.
	total, used := uint32(0), 0
	for i, c := range counts {
		counts[i] = total
		total += c
		if c > 0 {
			used++
		}
	}
	flat := make([]uint32, total)
	ends := slices.Clone(counts)
	doc := uint32(0)
	fill := func(term uint32, flags uint8) {
		flat[ends[term]] = doc<<4 | uint32(flags)
		ends[term]++
	}
	for id, t := range terms {
		doc = uint32(id)
		number(t, fill)
	}
	// The shards hold and sort the terms themselves, not packed; a
	// Vocabulary also has the terms of the other dictionary.
	entries := make([]postings, 0, used)
	for i, start := range counts {
		if ends[i] > start {
			entries = append(entries, postings{term: unpackTerm(packed[i]), ids: flat[start:ends[i]:ends[i]]})
		}
	}
	return entries
}

// ChunkPath is the path of chunk c.
func ChunkPath(c int) string { return "d/" + strconv.Itoa(c) + ".json" }

// Meta returns index.json for the dictionaries d, docs documents in
// chunks of chunkDocs whose files have the hashes chunkHashes, and the
// version of the index: a hash of the shards' names (themselves hashes)
// and of the chunks.
func Meta(d *Dicts, docs, chunkDocs int, chunkHashes []string) (File, string) {
	h := sha256.New()
	for _, f := range d.Files {
		h.Write([]byte(f.Path))
		h.Write([]byte{0})
	}
	for _, c := range chunkHashes {
		h.Write([]byte(c))
		h.Write([]byte{0})
	}
	version := hex.EncodeToString(h.Sum(nil))[:16]

	meta := []byte(`{"format":1,"docs":`)
	meta = strconv.AppendInt(meta, int64(docs), 10)
	meta = append(meta, `,"chunk":`...)
	meta = strconv.AppendInt(meta, int64(chunkDocs), 10)
	meta = append(meta, `,"version":`...)
	meta = appendString(meta, version)
	for i, name := range []string{"stems", "words"} {
		meta = append(meta, `,"`...)
		meta = append(meta, name...)
		meta = append(meta, `":[`...)
		for j, s := range d.refs[i] {
			if j > 0 {
				meta = append(meta, ',')
			}
			meta = appendPair(meta, s.first, s.path)
		}
		meta = append(meta, ']')
	}
	meta = append(meta, "}\n"...)
	return File{Path: "index.json", Data: meta}, version
}

// shardRef names a shard and the first term it holds ("" for the first
// shard, which also covers every term before its own first).
type shardRef struct {
	first, path string
}

// postings are the documents in which a term occurs: each the document
// number shifted left by 4, plus its flags.
type postings struct {
	term string
	ids  []uint32
}

// encodeShards sorts entries, whose terms are distinct, and writes them
// as shards with w.
func encodeShards(entries []postings, w *shardWriter) {
	slices.SortFunc(entries, func(a, b postings) int { return strings.Compare(a.term, b.term) })
	for _, e := range entries {
		if w.err != nil {
			return
		}
		w.buf = appendEntry(w.open(e.term), e.term, e.ids, w.shift)
		w.added()
	}
	w.finish()
}

// appendEntry appends the entry of a term, [term, postings], to b: ids
// are its postings (document number shifted left by 4, plus flags) in
// increasing order, written as differences shifted left by shift.
func appendEntry(b []byte, term string, ids []uint32, shift uint) []byte {
	b = append(b, '[')
	b = appendString(b, term)
	b = append(b, ",["...)
	prev := uint32(0)
	for i, v := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		id := v >> 4
		b = strconv.AppendUint(b, uint64((id-prev)<<shift|v&15), 10)
		prev = id
	}
	return append(b, "]]"...)
}

// shardWriter cuts a dictionary's entries, in term order, into shards:
// a shard closes once it holds size bytes or more. Whether a dictionary
// is built whole (encodeShards) or updated (UpdateDictionaries), the same
// entries give the same shards.
type shardWriter struct {
	dir string
	// shift is the shift of the dictionary's postings (see appendEntry).
	shift uint
	size  int
	files []File
	refs  []shardRef
	// buf is the open shard, nil between shards; first its first term
	// ("" in the first shard).
	buf   []byte
	first string
	// emit, when not nil, takes each shard as it closes, which then
	// goes in files without its Data; err is the first error it
	// returned.
	emit func(File) error
	err  error
}

// newShardWriter returns the shardWriter of dictionary dict (0 stems,
// 1 words), whose shards close at size bytes. The stems' postings keep
// four bits of flags, the words' two (exactShift).
func newShardWriter(dict, size int) *shardWriter {
	return &shardWriter{dir: []string{"s/", "w/"}[dict], shift: uint(4 - 2*dict), size: size}
}

// open prepares the entry of term, opening a shard if none is open, and
// returns the buffer to append the entry to; added must follow.
func (w *shardWriter) open(term string) []byte {
	if w.buf == nil {
		w.buf = make([]byte, 0, w.size+w.size/4)
		w.buf = append(w.buf, '[')
		w.first = ""
		if len(w.refs) > 0 {
			w.first = term
		}
	} else {
		w.buf = append(w.buf, ",\n"...)
	}
	return w.buf
}

// added closes the shard if the entry just appended filled it.
func (w *shardWriter) added() {
	if len(w.buf) >= w.size {
		w.close()
	}
}

// close ends the open shard and names it by its content.
func (w *shardWriter) close() {
	w.buf = append(w.buf, "]\n"...)
	sum := sha256.Sum256(w.buf)
	p := w.dir + hex.EncodeToString(sum[:])[:12] + ".json"
	f := File{Path: p, Data: w.buf}
	if w.emit != nil {
		if w.err == nil {
			w.err = w.emit(f)
		}
		f.Data = nil
	}
	w.files = append(w.files, f)
	w.refs = append(w.refs, shardRef{first: w.first, path: p})
	w.buf = nil
}

// keep adds a previous build's shard, unchanged, between shards: a
// File without Data.
func (w *shardWriter) keep(ref shardRef) {
	if len(w.refs) == 0 {
		ref.first = "" // the first shard also covers every term before its own
	}
	w.refs = append(w.refs, ref)
	w.files = append(w.files, File{Path: ref.path})
}

// finish closes the last shard; a dictionary without terms is one empty
// shard.
func (w *shardWriter) finish() {
	if w.buf != nil || len(w.refs) == 0 {
		if w.buf == nil {
			w.buf = []byte{'['}
		}
		w.close()
	}
}

// Record encodes what a result shows of a document: one element of a
// chunk.
func Record(d Doc, opts Options) []byte {
	opts = opts.withDefaults()
	return AppendRecord(make([]byte, 0, len(d.URL)+len(d.Title)+len(d.Summary)+min(len(d.Text), opts.MaxText)+256), d, opts)
}

// AppendRecord appends the record of d (see Record) to b.
func AppendRecord(b []byte, d Doc, opts Options) []byte {
	opts = opts.withDefaults()
	b = append(b, '[')
	for _, s := range []string{d.URL, d.Title, d.Date, d.DateText} {
		b = appendString(b, s)
		b = append(b, ',')
	}
	b = append(b, '[')
	for j, t := range d.Tags {
		if j > 0 {
			b = append(b, ',')
		}
		b = appendPair(b, t.Label, t.URL)
	}
	b = append(b, "],"...)
	b = appendString(b, d.Summary)
	b = append(b, ',')
	b = appendString(b, truncate(d.Text, opts.MaxText))
	return append(b, ']')
}

// appendPair appends the JSON array [x, y] of two strings.
func appendPair(b []byte, x, y string) []byte {
	b = appendString(append(b, '['), x)
	b = appendString(append(b, ','), y)
	return append(b, ']')
}

// Chunk joins the records of consecutive documents into a chunk file.
func Chunk(records [][]byte) []byte {
	n := 3
	for _, r := range records {
		n += len(r) + 2
	}
	return AppendChunk(make([]byte, 0, n), records)
}

// AppendChunk appends the chunk of records (see Chunk) to b.
func AppendChunk(b []byte, records [][]byte) []byte {
	b = append(b, '[')
	for i, r := range records {
		if i > 0 {
			b = append(b, ",\n"...)
		}
		b = append(b, r...)
	}
	return append(b, "]\n"...)
}

// validUTF8 reports whether s is valid UTF-8, as utf8.ValidString does,
// in half its time on Arabic text: a character of two bytes, as Arabic
// letters are, takes one test.
func validUTF8(s string) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			i++
		} else if c >= 0xC2 && c <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			i += 2
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				return false
			}
			i += size
		}
	}
	return true
}

// specialIn reports whether any of the eight bytes in x is below 0x20, a
// quote, a backslash or 0xE2 (the first byte of U+2028 and U+2029), with
// the bit tricks of "Bit Twiddling Hacks" (hasless, haszero).
func specialIn(x uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	zero := func(v uint64) uint64 { return (v - ones) & ^v & highs }
	return ((x-ones*0x20)&^x&highs)|zero(x^(ones*'"'))|zero(x^(ones*'\\'))|zero(x^(ones*0xE2)) != 0
}

// SplitChunk returns the records of a chunk written by Chunk, or nil when
// data is not one. Records hold no newline (JSON strings escape it), so
// the newlines between them delimit them. A dictionary shard is framed
// the same way, its entries for records.
func SplitChunk(data []byte) [][]byte {
	if !bytes.HasPrefix(data, []byte("[")) || !bytes.HasSuffix(data, []byte("]\n")) {
		return nil
	}
	body := data[1 : len(data)-2]
	if len(body) == 0 {
		return [][]byte{}
	}
	return bytes.Split(body, []byte(",\n"))
}

// truncate cuts s to at most n bytes, at the last space before the limit
// when there is one, else at a character boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	for i := cut; i > n*3/4; i-- {
		if s[i] == ' ' || s[i] == '\n' {
			return s[:i]
		}
	}
	return s[:cut]
}

// appendString appends s as a JSON string. It escapes only what JSON
// requires (quote, backslash, control characters) and the line and
// paragraph separators, keeps other characters as UTF-8, and replaces
// invalid UTF-8 with U+FFFD.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	if !validUTF8(s) {
		s = strings.ToValidUTF8(s, "\ufffd")
	}
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		// Skip eight bytes at a time while none needs a look: no byte
		// below 0x20, no quote, no backslash, no 0xE2.
		for i+8 <= len(s) && !specialIn(uint64(s[i])|uint64(s[i+1])<<8|uint64(s[i+2])<<16|uint64(s[i+3])<<24|
			uint64(s[i+4])<<32|uint64(s[i+5])<<40|uint64(s[i+6])<<48|uint64(s[i+7])<<56) {
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		switch {
		case c >= 0x20 && c != '"' && c != '\\' && c != 0xE2:
			continue
		case c == 0xE2:
			// U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
			if i+2 >= len(s) || s[i+1] != 0x80 || s[i+2] != 0xA8 && s[i+2] != 0xA9 {
				continue
			}
			b = append(b, s[start:i]...)
			b = append(b, `\u202`...)
			b = append(b, hex[s[i+2]&0xF])
			i += 2
			start = i + 1
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\t':
			b = append(b, '\\', 't')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
