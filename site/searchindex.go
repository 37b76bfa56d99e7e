package site

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nashra-press/nashra/site/diag"
	"github.com/nashra-press/nashra/site/output"
	"github.com/nashra-press/nashra/site/search"
)

// SearchDir is the output folder of the search page and its index.
const SearchDir = "search/"

// Previouser is an Output that can give back a file of the previous
// build (output.Dir): the search index takes the data of unchanged posts
// from its old chunks instead of converting them again.
type Previouser interface {
	Previous(rel string) ([]byte, bool)
}

// The folders a build writes to give back their previous files.
var (
	_ Previouser = (*output.Dir)(nil)
	_ Previouser = (*output.Live)(nil)
)

// searchDicts are the files of the search index made from every post's
// words (the dictionaries' shards, then index.json), with Digest
// identifying what they were made from (searchIndex.dictsDigest) and
// Keys the search key of each document, in document order: the next
// build updates the dictionaries for the documents whose keys changed.
type searchDicts struct {
	Digest string
	Files  []searchFile
	Keys   []string
}

// searchFile is one file of the search index and the hash of its bytes.
type searchFile struct {
	Path, Hash string
}

// searchChunk is what a chunk of the search index held: the record key
// of each of its posts (recordKey) and the hash of the file.
type searchChunk struct {
	Keys []string
	Hash string
}

// searchIndex builds the search index during a build, without holding the
// text of every post at once. A post's words and its record (what a
// result shows of it) are taken when the post is converted for its page
// (Content.Convert calls converted); a chunk of records is written as
// soon as all its posts are known. finish, after the pages, completes the
// chunks of posts that were not converted (from the previous build's
// chunks, or by converting them) and writes the dictionaries and
// index.json.
type searchIndex struct {
	c         *Content
	out       Output
	cache     *Cache
	opts      search.Options
	chunkDocs int
	// ids numbers the posts oldest first: c.Posts is newest first.
	ids map[*Post]int
	// analyzers holds idle analyzers, one per goroutine at most: each
	// remembers the words it has seen. They number the terms of the
	// posts in vocabulary: a third of the memory the terms took
	// written out.
	analyzers  chan *search.Analyzer
	vocabulary *search.Vocabulary
	// buffers recycles the buffers of records and chunks.
	buffers sync.Pool

	mu       sync.Mutex
	keys     []string // searchKey by document
	rkeys    []string // recordKey by document
	terms    []search.Terms
	known    []bool    // terms[id] is set
	records  [][]byte  // records waiting for the rest of their chunk
	pooled   []*[]byte // the buffers of records from s.buffers
	pending  []int     // per chunk: records still missing
	hashes   []string  // per chunk: hash of the file written ("" until then)
	diags    diag.List // problems writing chunks
	analysed int       // posts analysed in this build
	// dicts tells how finish made the dictionaries (Result.SearchDictionaries).
	dicts string
}

func newSearchIndex(c *Content, out Output, cache *Cache) *searchIndex {
	n := len(c.Posts)
	s := &searchIndex{c: c, out: out, cache: cache, ids: make(map[*Post]int, n),
		analyzers: make(chan *search.Analyzer, runtime.GOMAXPROCS(0)), vocabulary: search.NewVocabulary(),
		keys: make([]string, n), rkeys: make([]string, n), terms: make([]search.Terms, n),
		known: make([]bool, n), records: make([][]byte, n), pooled: make([]*[]byte, n)}
	s.buffers.New = func() any { return new([]byte) }
	size := 0
	for _, p := range c.Posts {
		size += p.size
	}
	avg := 0
	if n > 0 {
		avg = size / n
	}
	s.chunkDocs = s.opts.ChunkDocs(avg)
	chunks := (n + s.chunkDocs - 1) / s.chunkDocs
	s.pending, s.hashes = make([]int, chunks), make([]string, chunks)
	for c := range s.pending {
		s.pending[c] = min(s.chunkDocs, n-c*s.chunkDocs)
	}
	cache.mu.Lock()
	defer cache.mu.Unlock()
	for i, p := range c.Posts {
		id := n - 1 - i
		s.ids[p] = id
		s.keys[id] = searchKey(p)
		s.rkeys[id] = contentHash([]byte(s.keys[id] + "\x00" + p.URL))
		s.terms[id], s.known[id] = cache.searchTerms[s.keys[id]]
	}
	return s
}

// searchKey identifies what the index reads of a post: its source (title,
// summary, body) and the names and labels of its tags, which other posts
// and the settings decide.
func searchKey(p *Post) string {
	var b strings.Builder
	b.WriteString(p.Hash)
	for _, t := range p.Tags {
		b.WriteString("\x00")
		b.WriteString(t.Name)
		b.WriteString("\x00")
		b.WriteString(t.Label)
	}
	return contentHash([]byte(b.String()))
}

// converted takes a post just converted (its Text is set): its words, if
// they are not known, and its record. It is called from several
// goroutines.
func (s *searchIndex) converted(p *Post) {
	id, ok := s.ids[p]
	if !ok {
		return
	}
	s.mu.Lock()
	known := s.known[id]
	s.mu.Unlock()
	var terms search.Terms
	if !known {
		heading := []string{p.Title}
		for _, t := range p.Tags {
			heading = append(heading, t.Label, t.Name)
		}
		var a *search.Analyzer
		select {
		case a = <-s.analyzers:
		default:
			a = s.vocabulary.NewAnalyzer()
		}
		body := []string{p.Text}
		if p.summaryGiven {
			// Otherwise the summary is the start of the text.
			body = append(body, p.Summary)
		}
		terms = a.Doc(heading, body)
		select {
		case s.analyzers <- a:
		default:
		}
	}
	buf := s.buffers.Get().(*[]byte)
	*buf = search.AppendRecord((*buf)[:0], s.doc(p), s.opts)
	s.add(id, *buf, buf)
	if !known {
		s.mu.Lock()
		if !s.known[id] {
			s.terms[id], s.known[id] = terms, true
			s.analysed++
		}
		s.mu.Unlock()
	}
}

// doc is what a result shows of a post.
func (s *searchIndex) doc(p *Post) search.Doc {
	cfg := &s.c.Config
	date := p.Date.In(cfg.Location())
	tags := make([]search.Tag, len(p.Tags))
	for i, t := range p.Tags {
		tags[i] = search.Tag{Label: t.Label, URL: t.URL}
	}
	return search.Doc{URL: p.URL, Title: p.Title, Date: date.Format(time.RFC3339), DateText: cfg.Dates().LongDate(date),
		Tags: tags, Summary: p.Summary, Text: p.Text}
}

// add files the record of document id, and writes its chunk once all the
// chunk's records are there. A record in buf (from s.buffers) goes back
// to the pool once its chunk is written; buf is nil for a record that
// lives in an old chunk's data.
func (s *searchIndex) add(id int, record []byte, buf *[]byte) {
	c := id / s.chunkDocs
	s.mu.Lock()
	if s.records[id] != nil || s.hashes[c] != "" {
		s.mu.Unlock()
		if buf != nil {
			s.buffers.Put(buf)
		}
		return
	}
	s.records[id], s.pooled[id] = record, buf
	s.pending[c]--
	if s.pending[c] > 0 {
		s.mu.Unlock()
		return
	}
	lo, hi := c*s.chunkDocs, min((c+1)*s.chunkDocs, len(s.records))
	records := slices.Clone(s.records[lo:hi])
	pooled := slices.Clone(s.pooled[lo:hi])
	for i := lo; i < hi; i++ {
		s.records[i], s.pooled[i] = nil, nil
	}
	s.hashes[c] = "writing"
	s.mu.Unlock()

	// The output does not keep the bytes it is given (writePages reuses
	// its buffers too), so the chunk's buffer and the records' go back to
	// the pool.
	chunk := s.buffers.Get().(*[]byte)
	data := search.AppendChunk((*chunk)[:0], records)
	hash := search.Hash(data)
	err := s.write(search.ChunkPath(c), data, hash)
	*chunk = data
	s.buffers.Put(chunk)
	for _, b := range pooled {
		if b != nil {
			s.buffers.Put(b)
		}
	}
	s.mu.Lock()
	s.hashes[c] = hash
	if err != nil {
		s.diags = append(s.diags, diag.AsList(err)...)
	}
	s.mu.Unlock()
}

// write writes a file of the index, or keeps the previous build's when
// it is the same; hash is search.Hash(data), the hash the output records
// too.
func (s *searchIndex) write(rel string, data []byte, hash string) error {
	if r, ok := s.out.(Reuser); ok && r.Unchanged(SearchDir+rel, hash) {
		return nil
	}
	var err error
	if hw, ok := s.out.(HashedWriter); ok {
		err = hw.WriteFileHash(SearchDir+rel, data, hash)
	} else {
		err = s.out.WriteFile(SearchDir+rel, data)
	}
	if err != nil {
		return diag.Diagnostic{File: SearchDir + rel, Severity: diag.Error, Msg: fmt.Sprintf("writing the search index: %v", err)}
	}
	return nil
}

// finish completes the index once the post pages are written, and
// returns the number of its files.
func (s *searchIndex) finish(ctx context.Context) (int, error) {
	n := len(s.c.Posts)
	posts := make([]*Post, n) // by document number
	for p, id := range s.ids {
		posts[id] = p
	}
	cache := s.cache
	cache.mu.Lock()
	oldChunks := cache.searchChunks
	cache.mu.Unlock()

	// Chunks that no converted post completed: kept as they were, made
	// from the previous build's chunks, or from converting their posts.
	reuser, _ := s.out.(Reuser)
	prev, _ := s.out.(Previouser)
	// where maps a record key to its chunk number and slot in the old
	// chunks; made on first need, as most builds complete every chunk
	// from the posts they converted or keep whole chunks.
	var where map[string][2]int
	locate := func(key string) ([2]int, bool) {
		if where == nil {
			where = map[string][2]int{}
			for path, ch := range oldChunks {
				var c int
				if _, err := fmt.Sscanf(path, "d/%d.json", &c); err != nil {
					continue
				}
				for i, k := range ch.Keys {
					where[k] = [2]int{c, i}
				}
			}
		}
		at, ok := where[key]
		return at, ok
	}
	oldRecords := map[int][][]byte{}
	oldChunk := func(c int) [][]byte {
		r, ok := oldRecords[c]
		if !ok {
			path := search.ChunkPath(c)
			if data, found := prev.Previous(SearchDir + path); found && search.Hash(data) == oldChunks[path].Hash {
				r = search.SplitChunk(data)
				if len(r) != len(oldChunks[path].Keys) {
					r = nil
				}
			}
			oldRecords[c] = r
		}
		return r
	}
	var convert []*Post
	for c := range s.pending {
		if ctx.Err() != nil {
			break
		}
		s.mu.Lock()
		done := s.hashes[c] != ""
		s.mu.Unlock()
		if done {
			continue
		}
		lo, hi := c*s.chunkDocs, min((c+1)*s.chunkDocs, n)
		path := search.ChunkPath(c)
		if old, ok := oldChunks[path]; ok && reuser != nil && slices.Equal(old.Keys, s.rkeys[lo:hi]) &&
			s.noRecords(lo, hi) && reuser.Unchanged(SearchDir+path, old.Hash) {
			s.mu.Lock()
			s.hashes[c], s.pending[c] = old.Hash, 0
			s.mu.Unlock()
			continue
		}
		for id := lo; id < hi; id++ {
			s.mu.Lock()
			have := s.records[id] != nil
			s.mu.Unlock()
			if have {
				continue
			}
			if prev != nil {
				if at, ok := locate(s.rkeys[id]); ok {
					if r := oldChunk(at[0]); r != nil {
						s.add(id, r[at[1]], nil)
						continue
					}
				}
			}
			convert = append(convert, posts[id])
		}
	}
	// Posts whose words are not known are converted too.
	listed := make(map[*Post]bool, len(convert))
	for _, p := range convert {
		listed[p] = true
	}
	for id, p := range posts {
		if !s.known[id] && !listed[p] {
			convert = append(convert, p)
		}
	}
	var mu sync.Mutex
	var diags diag.List
	parallel(len(convert), func(i int) {
		if ctx.Err() != nil {
			return
		}
		p := convert[i]
		l := s.c.Convert(p) // calls converted
		s.c.Release(p)
		if len(l) > 0 {
			mu.Lock()
			diags = append(diags, l...)
			mu.Unlock()
		}
	})
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	diags = append(diags, s.diags...)
	for c, h := range s.hashes {
		if h == "" || h == "writing" {
			diags.Errorf(SearchDir+search.ChunkPath(c), 0, 0, "", "the search index misses posts of this chunk")
		}
	}
	if err := diags.Err(); err != nil {
		return 0, err
	}

	// The dictionaries and index.json depend only on every post's words
	// in document order and on the chunks: when none of that changed and
	// the output still holds the files, they are neither made nor written.
	digest := s.dictsDigest()
	cache.mu.Lock()
	oldDicts, oldTerms := cache.searchDicts, cache.searchTerms
	cache.mu.Unlock()
	kept := map[string]bool{}
	if reuser != nil && oldDicts.Digest == digest && len(oldDicts.Files) > 0 {
		for _, f := range oldDicts.Files {
			if !reuser.Unchanged(SearchDir+f.Path, f.Hash) {
				break
			}
			kept[f.Path] = true
		}
	}
	files := oldDicts.Files
	s.dicts = "kept"
	if len(files) == 0 || len(kept) < len(files) {
		// hashes holds the hash of each dictionary file by path: the
		// previous build's, then those DictionariesTo writes.
		hashes := make(map[string]string, len(oldDicts.Files))
		for _, f := range oldDicts.Files {
			hashes[f.Path] = f.Hash
		}
		// writeDict writes a dictionary file, unless the output keeps
		// it, and returns its hash.
		writeDict := func(f search.File) (string, error) {
			hash := search.Hash(f.Data)
			if kept[f.Path] {
				return hash, nil // same digest, or the same shard: the file kept is this one
			}
			return hash, s.write(f.Path, f.Data, hash)
		}
		dicts := s.updateDicts(oldDicts, hashes, oldTerms, kept)
		s.dicts = "updated"
		if dicts == nil {
			// Merged from every post's terms, each shard written as soon
			// as it is made (so the shards are not all in memory at once).
			var hashMu sync.Mutex
			merged, err := search.DictionariesTo(s.terms, s.opts, func(f search.File) error {
				hash, err := writeDict(f)
				hashMu.Lock()
				hashes[f.Path] = hash
				hashMu.Unlock()
				return err
			})
			if err != nil {
				return 0, err
			}
			dicts, s.dicts = merged, "merged"
		}
		meta, _ := search.Meta(dicts, n, s.chunkDocs, s.hashes)
		all := append(slices.Clip(dicts.Files), meta)
		files = make([]searchFile, len(all))
		parallel(len(all), func(i int) {
			f := all[i]
			if f.Data == nil { // kept by updateDicts, or written by DictionariesTo
				files[i] = searchFile{Path: f.Path, Hash: hashes[f.Path]}
				return
			}
			hash, err := writeDict(f)
			files[i] = searchFile{Path: f.Path, Hash: hash}
			if err != nil {
				mu.Lock()
				diags = append(diags, diag.AsList(err)...)
				mu.Unlock()
			}
		})
	}
	if err := diags.Err(); err != nil {
		return 0, err
	}

	// What the next build can reuse.
	terms := make(map[string]search.Terms, n)
	for id, t := range s.terms {
		terms[s.keys[id]] = t
	}
	chunks := make(map[string]searchChunk, len(s.hashes))
	for c, h := range s.hashes {
		lo, hi := c*s.chunkDocs, min((c+1)*s.chunkDocs, n)
		chunks[search.ChunkPath(c)] = searchChunk{Keys: slices.Clone(s.rkeys[lo:hi]), Hash: h}
	}
	cache.mu.Lock()
	if s.analysed > 0 || len(terms) != len(cache.searchTerms) || !sameChunks(chunks, cache.searchChunks) || cache.searchDicts.Digest != digest {
		cache.dirty = true
	}
	cache.searchTerms, cache.searchChunks = terms, chunks
	cache.searchDicts = searchDicts{Digest: digest, Files: files, Keys: s.keys}
	cache.mu.Unlock()
	return len(files) + len(s.hashes), nil
}

// updateDicts makes the dictionaries by updating the previous build's
// (old, whose files have the hashes in hashes by path, made from the
// terms in oldTerms) for the documents whose words changed or that
// moved, or returns nil when it cannot: no previous files to read or
// keep, a previous build that does not match the cache, or so many
// changes that building them whole is as quick. The shards it keeps from
// the previous build (those without Data) are kept in the output and
// added to kept.
func (s *searchIndex) updateDicts(old searchDicts, hashes map[string]string, oldTerms map[string]search.Terms, kept map[string]bool) *search.Dicts {
	reuser, _ := s.out.(Reuser)
	prev, _ := s.out.(Previouser)
	if reuser == nil || prev == nil || len(old.Files) == 0 {
		return nil
	}
	changes, move, ok := s.dictChanges(old.Keys, oldTerms)
	if !ok {
		return nil
	}
	last := old.Files[len(old.Files)-1]
	meta, found := prev.Previous(SearchDir + last.Path)
	if last.Path != "index.json" || !found || search.Hash(meta) != last.Hash {
		return nil
	}
	read := func(path string) ([]byte, bool) {
		if hashes[path] == "" {
			return nil, false
		}
		return prev.Previous(SearchDir + path)
	}
	dicts, err := search.UpdateDictionaries(meta, read, changes, move, s.opts)
	if err != nil {
		return nil
	}
	for _, f := range dicts.Files {
		if f.Data != nil || kept[f.Path] {
			continue
		}
		if hashes[f.Path] == "" || !reuser.Unchanged(SearchDir+f.Path, hashes[f.Path]) {
			return nil
		}
		kept[f.Path] = true
	}
	return dicts
}

// dictChanges lists the documents whose words are not those of the
// previous dictionaries, made from the documents whose search keys were
// oldKeys, with the terms in oldTerms, and how documents alike moved (a
// post inserted among older ones moves every later one). It reports
// false when the old terms of a changed document are not known, or when
// so many documents changed that building the dictionaries whole is
// quicker.
func (s *searchIndex) dictChanges(oldKeys []string, oldTerms map[string]search.Terms) ([]search.Change, search.Move, bool) {
	move := search.Renumbering(oldKeys, s.keys)
	// Below these, documents are compared number by number.
	oldEnd, newEnd := move.From, move.From+move.By
	limit := max(16, len(s.keys)/32)
	var changes []search.Change
	for id := range max(oldEnd, newEnd) {
		if id < oldEnd && id < newEnd && s.keys[id] == oldKeys[id] {
			continue
		}
		if len(changes) == limit {
			return nil, move, false
		}
		c := search.Change{ID: id}
		if id < oldEnd {
			t, ok := oldTerms[oldKeys[id]]
			if !ok {
				return nil, move, false
			}
			c.Old = t
		}
		if id < newEnd {
			c.New = s.terms[id]
		}
		changes = append(changes, c)
	}
	return changes, move, true
}

// dictsDigest identifies what the dictionaries and index.json are made
// of: the search key of every post (its words) in document order, and
// the chunks of post data.
func (s *searchIndex) dictsDigest() string {
	h := sha256.New()
	fmt.Fprintf(h, "%d %d\x00", len(s.keys), s.chunkDocs)
	for _, k := range s.keys {
		h.Write([]byte(k))
		h.Write([]byte{0})
	}
	for _, c := range s.hashes {
		h.Write([]byte(c))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// noRecords reports whether no record of documents lo to hi-1 arrived in
// this build.
func (s *searchIndex) noRecords(lo, hi int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id := lo; id < hi; id++ {
		if s.records[id] != nil {
			return false
		}
	}
	return true
}

func sameChunks(a, b map[string]searchChunk) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y, ok := b[k]
		if !ok || x.Hash != y.Hash || !slices.Equal(x.Keys, y.Keys) {
			return false
		}
	}
	return true
}
