package search

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Change is a document whose terms are not those the previous
// dictionaries were made from: an edited post, or a document number that
// a post took or left.
type Change struct {
	// ID is the document's number: the same before and after a Move, as
	// a change comes before the documents it moves.
	ID int
	// Old are the terms the previous dictionaries hold for the document,
	// New its terms now; the zero Terms where there is no document.
	Old, New Terms
}

// Move renumbers documents that did not change: those numbered From or
// more in the previous dictionaries are numbered By more now (By < 0:
// fewer), as when a post is inserted among older ones or one of them is
// removed. The zero Move renumbers none.
type Move struct {
	From, By int
}

// Renumbering returns the Move from the documents of the previous
// dictionaries, identified by keys old, to the documents now, keys new,
// that the longest run of documents alike at the end of both gives.
// Documents numbered below From in old and below From+By in new are to
// be compared number by number.
func Renumbering[K comparable](old, new []K) Move {
	m, n := len(old), len(new)
	same := 0
	for same < min(m, n) && old[m-1-same] == new[n-1-same] {
		same++
	}
	return Move{From: m - same, By: n - m}
}

// UpdateDictionaries returns the dictionaries that Dictionaries would
// build from the terms of the previous build's dictionaries with changes
// applied and documents renumbered by move, reading only the shards that
// the changes touch, or that follow such a shard until the shards line
// up again; documents renumbered touch every shard. A change's old terms
// are those of a document before move.From, its new terms those of one
// before move.From+move.By.
//
// meta is the previous build's index.json and read gives back its
// shards by path; opts must be the options of that build. A shard kept
// as it was has no Data: its file is the previous build's. Stems and
// Words are -1, as the terms of kept shards are not counted.
//
// An error means the previous files do not match changes (a shard is
// missing, malformed, or lacks a posting that a change removes): the
// caller builds the dictionaries whole instead.
func UpdateDictionaries(meta []byte, read func(path string) ([]byte, bool), changes []Change, move Move, opts Options) (*Dicts, error) {
	opts = opts.withDefaults()
	refs, docs, err := parseMeta(meta)
	if err != nil {
		return nil, err
	}
	if move.From < 0 || move.From+move.By < 0 {
		return nil, fmt.Errorf("documents moved from %d by %d", move.From, move.By)
	}
	if move.From >= docs {
		move = Move{} // no document to move
	}
	changes = slices.Clone(changes)
	slices.SortFunc(changes, func(a, b Change) int { return a.ID - b.ID })
	for i, c := range changes {
		if c.ID < 0 || c.ID >= 1<<28 || i > 0 && changes[i-1].ID == c.ID {
			return nil, fmt.Errorf("document number %d out of range or changed twice", c.ID)
		}
		if move.By != 0 && (c.ID >= move.From && c.Old != (Terms{}) || c.ID >= move.From+move.By && c.New != (Terms{})) {
			return nil, fmt.Errorf("document %d changed among the documents moved from %d", c.ID, move.From)
		}
	}
	d := &Dicts{Stems: -1, Words: -1}
	for dict := range 2 {
		deltas, err := termDeltas(changes, dict)
		if err != nil {
			return nil, err
		}
		u := dictUpdate{w: newShardWriter(dict, opts.ShardSize), move: move, old: refs[dict], deltas: deltas, read: read}
		if err := u.run(); err != nil {
			return nil, err
		}
		d.Files = append(d.Files, u.w.files...)
		d.refs[dict] = u.w.refs
	}
	return d, nil
}

// parseMeta returns the shards of the two dictionaries that index.json
// lists, with their first terms, and the number of documents.
func parseMeta(meta []byte) ([2][]shardRef, int, error) {
	var m struct {
		Format, Docs int
		Stems, Words [][2]string
	}
	var refs [2][]shardRef
	if err := json.Unmarshal(meta, &m); err != nil {
		return refs, 0, fmt.Errorf("index.json: %w", err)
	}
	if m.Format != 1 {
		return refs, 0, fmt.Errorf("index.json: format %d", m.Format)
	}
	for dict, list := range [][][2]string{m.Stems, m.Words} {
		for i, r := range list {
			// A term decoded from JSON is the term written only when it
			// was valid UTF-8, which U+FFFD may stand in for.
			if (i == 0) != (r[0] == "") || strings.ContainsRune(r[0], utf8.RuneError) {
				return refs, 0, fmt.Errorf("index.json: shard %s starts at %q", r[1], r[0])
			}
			refs[dict] = append(refs[dict], shardRef{first: r[0], path: r[1]})
		}
	}
	return refs, m.Docs, nil
}

// delta is what changes in the postings of one term: the documents it
// now occurs in with other flags, or no longer occurs in, by increasing
// document number.
type delta struct {
	term string
	docs []docFlags
}

// docFlags is a document's flags for a term before and after a change,
// 0 where the term does not occur in it.
type docFlags struct {
	id       uint32
	old, new uint8
}

// termDeltas returns the changes of dictionary dict (0 stems, 1 words)
// by term, sorted by term. changes are sorted by document number.
func termDeltas(changes []Change, dict int) ([]delta, error) {
	byTerm := map[string]*delta{}
	note := func(packed string, id int, old, new uint8) {
		d := byTerm[packed]
		if d == nil {
			d = &delta{}
			byTerm[packed] = d
		}
		d.docs = append(d.docs, docFlags{id: uint32(id), old: old, new: new})
	}
	for _, c := range changes {
		old := map[string]uint8{}
		c.Old.each(dict, func(packed string, flags uint8) { old[packed] = flags })
		c.New.each(dict, func(packed string, flags uint8) {
			if old[packed] != flags {
				note(packed, c.ID, old[packed], flags)
			}
			delete(old, packed)
		})
		for packed, flags := range old {
			note(packed, c.ID, flags, 0)
		}
	}
	deltas := make([]delta, 0, len(byTerm))
	for packed, d := range byTerm {
		d.term = unpackTerm(packed)
		if !utf8.ValidString(d.term) {
			return nil, errors.New("a changed term is not valid UTF-8")
		}
		deltas = append(deltas, *d)
	}
	slices.SortFunc(deltas, func(a, b delta) int { return strings.Compare(a.term, b.term) })
	return deltas, nil
}

// dictUpdate applies the deltas of one dictionary to its previous
// shards, writing the new shards to w.
type dictUpdate struct {
	w      *shardWriter
	move   Move
	old    []shardRef
	deltas []delta
	read   func(path string) ([]byte, bool)
	// last is the last term written, to check that the shards read are
	// in order.
	last    []byte
	written bool
	// scratch is reused for the entries of changed terms.
	scratch []byte
}

// run goes through the previous shards in order. A shard that no delta
// touches is kept whole when the new shards line up with it (no shard
// is open) and no document moves; any other is read and its entries
// written again, changed where a delta says or a document moved.
func (u *dictUpdate) run() error {
	next := 0 // the first delta not applied
	for j, ref := range u.old {
		end, bound := len(u.deltas), ""
		if j+1 < len(u.old) {
			bound = u.old[j+1].first
			end = next + before(u.deltas[next:], bound)
		}
		if end == next && u.w.buf == nil && u.move.By == 0 {
			u.w.keep(ref)
			// The terms before the next shard's first are all this
			// shard's.
			u.last, u.written = u.last[:0], false
			continue
		}
		if err := u.rewrite(ref, bound, u.deltas[next:end]); err != nil {
			return err
		}
		next = end
	}
	if next != len(u.deltas) {
		return errors.New("dictionary without shards")
	}
	u.w.finish()
	return nil
}

// before returns the number of deltas whose terms sort before bound.
func before(deltas []delta, bound string) int {
	i, _ := slices.BinarySearchFunc(deltas, bound, func(d delta, t string) int { return strings.Compare(d.term, t) })
	return i
}

// rewrite writes the entries of the previous shard ref again, with
// deltas (the deltas of its terms, in order) applied. The shard's terms
// sort before bound, the next shard's first term ("" for the last
// shard).
func (u *dictUpdate) rewrite(ref shardRef, bound string, deltas []delta) error {
	data, ok := u.read(ref.path)
	if !ok {
		return errors.New("not in the previous build")
	}
	// A shard is framed as a chunk is, an entry a line.
	lines := SplitChunk(data)
	if lines == nil {
		return errors.New("not a shard")
	}
	for _, line := range lines {
		term, list, err := parseEntry(line)
		if err != nil {
			return err
		}
		head := line[:len(line)-len(list)-2] // [term,[
		if u.written && bytes.Compare(term, u.last) <= 0 || string(term) < ref.first || bound != "" && string(term) >= bound {
			return fmt.Errorf("term %q out of order", term)
		}
		for len(deltas) > 0 && deltas[0].term < string(term) {
			if err := u.entry(deltas[0], nil, nil); err != nil {
				return err
			}
			deltas = deltas[1:]
		}
		if len(deltas) > 0 && deltas[0].term == string(term) {
			if err := u.entry(deltas[0], head, list); err != nil {
				return err
			}
			deltas = deltas[1:]
		} else if u.move.By != 0 {
			// Its documents may move.
			if err := u.entry(delta{term: string(term)}, head, list); err != nil {
				return err
			}
		} else {
			first := "" // needed only to open a shard
			if u.w.buf == nil {
				first = string(term)
			}
			u.w.buf = append(u.w.open(first), line...)
			u.w.added()
		}
		u.last, u.written = append(u.last[:0], term...), true
	}
	for _, d := range deltas {
		if err := u.entry(d, nil, nil); err != nil {
			return err
		}
	}
	return nil
}

// entry writes the entry of a term that a delta changes: head is its
// previous entry up to its postings list, [term,[, and list that list
// (see parseEntry); head is nil for a term the dictionary did not hold.
// A term left without postings is not written.
func (u *dictUpdate) entry(d delta, head, list []byte) error {
	b := u.scratch[:0]
	if head != nil {
		b = append(b, head...)
	} else {
		b = append(appendString(append(b, '['), d.term), ",["...)
	}
	b, n, err := editPostings(b, list, d.docs, u.w.shift, u.move)
	u.scratch = b
	if err != nil {
		return fmt.Errorf("term %q: %w", d.term, err)
	}
	if n > 0 {
		u.w.buf = append(append(u.w.open(d.term), b...), "]]"...)
		u.w.added()
	}
	u.last, u.written = append(u.last[:0], d.term...), true
	return nil
}

// editPostings appends to b the postings list (the numbers between the
// brackets, see encodeShards) with the flags of docs set and documents
// renumbered by move, and returns the number of postings written. It
// checks that each document had the flags it is said to have had.
// Numbers that stay the same are copied as they are.
func editPostings(b, list []byte, docs []docFlags, shift uint, move Move) ([]byte, int, error) {
	mask := uint64(1)<<shift - 1
	from, by := uint64(move.From), uint64(move.By) // by wraps around when negative
	renumber := func(id uint64) uint64 {
		if move.By != 0 && id >= from {
			return id + by
		}
		return id
	}
	// read is the last document read (before renumbering), nread how
	// many were; wrote is the last document written, n how many were.
	var read, wrote uint64
	nread, n := 0, 0
	put := func(id, flags uint64) {
		if n > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendUint(b, (id-wrote)<<shift|flags, 10)
		wrote = id
		n++
	}
	// change applies docs[0], whose document comes at or before id (the
	// next document read; 1<<32 after the last), and reports whether
	// it was id's.
	change := func(id, flags uint64) (bool, error) {
		d := docs[0]
		docs = docs[1:]
		had, was := uint64(0), uint64(d.id) == id
		if was {
			had = flags
		}
		if had != uint64(d.old) {
			return false, fmt.Errorf("document %d has flags %d, not %d", d.id, had, d.old)
		}
		if d.new != 0 {
			put(uint64(d.id), uint64(d.new))
		}
		return was, nil
	}
	// changeRest applies the docs left, which come after every document
	// read.
	changeRest := func() error {
		for len(docs) > 0 {
			if _, err := change(1<<32, 0); err != nil {
				return err
			}
		}
		return nil
	}
	for i := 0; i < len(list); {
		if len(docs) == 0 && renumber(read) == wrote && (move.By == 0 || nread > 0 && read >= from) {
			// The rest is as it was.
			if n > 0 {
				b = append(b, ',')
			}
			return append(b, list[i:]...), n + 1, nil
		}
		start := i
		v := uint64(0)
		for ; i < len(list) && list[i] != ','; i++ {
			c := list[i] - '0'
			if c > 9 || v > 1<<32 {
				return b, n, fmt.Errorf("malformed postings %.40q", list)
			}
			v = v*10 + uint64(c)
		}
		if i == start || nread > 0 && v>>shift == 0 || i < len(list) && i+1 == len(list) {
			return b, n, fmt.Errorf("malformed postings %.40q", list)
		}
		token := list[start:i]
		i++ // the comma
		id, flags := read+v>>shift, v&mask
		read = id
		nread++
		if move.By != 0 && id >= from {
			// Changes come before the documents moved.
			if err := changeRest(); err != nil {
				return b, n, err
			}
		}
		was := false
		for !was && len(docs) > 0 && uint64(docs[0].id) <= id {
			var err error
			if was, err = change(id, flags); err != nil {
				return b, n, err
			}
		}
		if was {
			continue
		}
		if id = renumber(id); (id-wrote)<<shift|flags == v {
			// Written as it was.
			if n > 0 {
				b = append(b, ',')
			}
			b = append(b, token...)
			wrote = id
			n++
		} else {
			put(id, flags)
		}
	}
	err := changeRest()
	return b, n, err
}

// parseEntry returns the term of an entry of a shard, [term,[postings]],
// and its postings list: the numbers between the inner brackets.
func parseEntry(line []byte) ([]byte, []byte, error) {
	malformed := func() error { return fmt.Errorf("malformed entry %.40q", line) }
	if !bytes.HasPrefix(line, []byte(`["`)) || !bytes.HasSuffix(line, []byte("]]")) {
		return nil, nil, malformed()
	}
	end := bytes.IndexByte(line[2:], '"') + 2
	if end < 2 {
		return nil, nil, malformed()
	}
	term, rest := line[2:end], line[end+1:]
	if bytes.IndexByte(term, '\\') >= 0 {
		// Escapes: the string ends at the first quote not escaped.
		dec := json.NewDecoder(bytes.NewReader(line[1:]))
		var s string
		if err := dec.Decode(&s); err != nil {
			return nil, nil, malformed()
		}
		term, rest = []byte(s), line[1+dec.InputOffset():]
	}
	if !bytes.HasPrefix(rest, []byte(",[")) || len(rest) < 4 {
		return nil, nil, malformed()
	}
	// A term decoded from JSON is the term written only when it was
	// valid UTF-8, which U+FFFD may stand in for.
	if bytes.ContainsRune(term, utf8.RuneError) {
		return nil, nil, fmt.Errorf("term %q may stand for invalid UTF-8", term)
	}
	return term, rest[2 : len(rest)-2], nil
}
