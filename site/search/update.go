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
	// ID is the document's number.
	ID int
	// Old are the terms the previous dictionaries hold for the document,
	// New its terms now; the zero Terms where there is no document.
	Old, New Terms
}

// UpdateDictionaries returns the dictionaries that Dictionaries would
// build from the terms of the previous build's dictionaries with changes
// applied, reading only the shards that the changes touch, or that
// follow such a shard until the shards line up again.
//
// meta is the previous build's index.json and read gives back its
// shards by path; opts must be the options of that build. A shard kept
// as it was has no Data: its file is the previous build's. Stems and
// Words are -1, as the terms of kept shards are not counted.
//
// An error means the previous files do not match changes (a shard is
// missing, malformed, or lacks a posting that a change removes): the
// caller builds the dictionaries whole instead.
func UpdateDictionaries(meta []byte, read func(path string) ([]byte, bool), changes []Change, opts Options) (*Dicts, error) {
	opts = opts.withDefaults()
	refs, err := parseMeta(meta)
	if err != nil {
		return nil, err
	}
	d := &Dicts{Stems: -1, Words: -1}
	for dict := range 2 {
		deltas, err := termDeltas(changes, dict)
		if err != nil {
			return nil, err
		}
		u := dictUpdate{w: shardWriter{dir: []string{"s/", "w/"}[dict], size: opts.ShardSize},
			shift: uint(4 - 2*dict), old: refs[dict], deltas: deltas, read: read}
		if err := u.run(); err != nil {
			return nil, err
		}
		d.Files = append(d.Files, u.w.files...)
		d.refs[dict] = u.w.refs
	}
	return d, nil
}

// parseMeta returns the shards of the two dictionaries that index.json
// lists, with their first terms.
func parseMeta(meta []byte) ([2][]shardRef, error) {
	var m struct {
		Format       int
		Stems, Words [][2]string
	}
	var refs [2][]shardRef
	if err := json.Unmarshal(meta, &m); err != nil {
		return refs, fmt.Errorf("index.json: %w", err)
	}
	if m.Format != 1 {
		return refs, fmt.Errorf("index.json: format %d", m.Format)
	}
	for dict, list := range [][][2]string{m.Stems, m.Words} {
		for i, r := range list {
			// A term decoded from JSON is the term written only when it
			// was valid UTF-8, which U+FFFD may stand in for.
			if (i == 0) != (r[0] == "") || strings.ContainsRune(r[0], utf8.RuneError) {
				return refs, fmt.Errorf("index.json: shard %s starts at %q", r[1], r[0])
			}
			refs[dict] = append(refs[dict], shardRef{first: r[0], path: r[1]})
		}
	}
	return refs, nil
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
// by term, sorted by term.
func termDeltas(changes []Change, dict int) ([]delta, error) {
	changes = slices.Clone(changes)
	slices.SortFunc(changes, func(a, b Change) int { return a.ID - b.ID })
	byTerm := map[string]*delta{}
	note := func(packed string, id int, old, new uint8) {
		d := byTerm[packed]
		if d == nil {
			d = &delta{}
			byTerm[packed] = d
		}
		d.docs = append(d.docs, docFlags{id: uint32(id), old: old, new: new})
	}
	for i, c := range changes {
		if c.ID < 0 || c.ID >= 1<<28 || i > 0 && changes[i-1].ID == c.ID {
			return nil, fmt.Errorf("document number %d out of range or changed twice", c.ID)
		}
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
	w      shardWriter
	shift  uint
	old    []shardRef
	deltas []delta
	read   func(path string) ([]byte, bool)
	// last is the last term written, to check that the shards read are
	// in order.
	last    string
	written bool
}

// run goes through the previous shards in order. A shard that no delta
// touches is kept whole when the new shards line up with it (no shard
// is open); any other is read and its entries written again, changed
// where a delta says.
func (u *dictUpdate) run() error {
	next := 0 // the first delta not applied
	for j, ref := range u.old {
		end, bound := len(u.deltas), ""
		if j+1 < len(u.old) {
			bound = u.old[j+1].first
			end = next + before(u.deltas[next:], bound)
		}
		if end == next && u.w.buf == nil {
			u.keep(ref)
			// The terms before the next shard's first are all this
			// shard's.
			u.last, u.written = "", false
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

// keep adds the previous shard ref, unchanged, to the new shards.
func (u *dictUpdate) keep(ref shardRef) {
	if len(u.w.refs) == 0 {
		ref.first = "" // the first shard also covers every term before its own
	}
	u.w.refs = append(u.w.refs, ref)
	u.w.files = append(u.w.files, File{Path: ref.path})
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
		return fmt.Errorf("%s: not in the previous build", ref.path)
	}
	if !bytes.HasPrefix(data, []byte("[")) || !bytes.HasSuffix(data, []byte("]\n")) {
		return fmt.Errorf("%s: not a shard", ref.path)
	}
	body := data[1 : len(data)-2]
	for len(body) > 0 {
		line := body
		if i := bytes.Index(body, []byte(",\n")); i >= 0 {
			line, body = body[:i], body[i+2:]
		} else {
			body = nil
		}
		term, err := entryTerm(line)
		if err != nil {
			return fmt.Errorf("%s: %w", ref.path, err)
		}
		if u.written && term <= u.last || term < ref.first || bound != "" && term >= bound {
			return fmt.Errorf("%s: term %q out of order", ref.path, term)
		}
		for len(deltas) > 0 && deltas[0].term < term {
			if err := u.entry(deltas[0], nil); err != nil {
				return fmt.Errorf("%s: %w", ref.path, err)
			}
			deltas = deltas[1:]
		}
		if len(deltas) > 0 && deltas[0].term == term {
			if err := u.entry(deltas[0], line); err != nil {
				return fmt.Errorf("%s: %w", ref.path, err)
			}
			deltas = deltas[1:]
		} else {
			u.w.buf = append(u.w.open(term), line...)
			u.w.added()
		}
		u.last, u.written = term, true
	}
	for _, d := range deltas {
		if err := u.entry(d, nil); err != nil {
			return fmt.Errorf("%s: %w", ref.path, err)
		}
	}
	return nil
}

// entry writes the entry of a term that a delta changes: line is its
// previous entry, nil for a term the dictionary did not hold. A term
// left without postings is not written.
func (u *dictUpdate) entry(d delta, line []byte) error {
	var ids []uint32
	if line != nil {
		var err error
		if ids, err = decodePostings(line, u.shift); err != nil {
			return err
		}
	}
	ids, err := applyDelta(ids, d.docs)
	if err != nil {
		return fmt.Errorf("term %q: %w", d.term, err)
	}
	if len(ids) > 0 {
		u.w.buf = appendEntry(u.w.open(d.term), d.term, ids, u.shift)
		u.w.added()
	}
	u.last, u.written = d.term, true
	return nil
}

// applyDelta returns the postings ids (document number shifted left by
// 4, plus flags, in increasing order) with the flags of docs set, and
// checks that each document had the flags it is said to have had.
func applyDelta(ids []uint32, docs []docFlags) ([]uint32, error) {
	out := make([]uint32, 0, len(ids)+len(docs))
	i := 0
	for _, d := range docs {
		for i < len(ids) && ids[i]>>4 < d.id {
			out = append(out, ids[i])
			i++
		}
		had := uint8(0)
		if i < len(ids) && ids[i]>>4 == d.id {
			had = uint8(ids[i] & 15)
			i++
		}
		if had != d.old {
			return nil, fmt.Errorf("document %d has flags %d, not %d", d.id, had, d.old)
		}
		if d.new != 0 {
			out = append(out, d.id<<4|uint32(d.new))
		}
	}
	return append(out, ids[i:]...), nil
}

// entryTerm returns the term of an entry of a shard, [term, postings].
func entryTerm(line []byte) (string, error) {
	if !bytes.HasPrefix(line, []byte(`["`)) {
		return "", fmt.Errorf("malformed entry %.40q", line)
	}
	end := bytes.IndexByte(line[2:], '"') + 2
	if end < 2 {
		return "", fmt.Errorf("malformed entry %.40q", line)
	}
	raw := line[2:end]
	if bytes.IndexByte(raw, '\\') < 0 {
		term := string(raw)
		if strings.ContainsRune(term, utf8.RuneError) {
			return "", fmt.Errorf("term %q may stand for invalid UTF-8", term)
		}
		return term, nil
	}
	// Escapes: the string ends at the first quote not escaped.
	dec := json.NewDecoder(bytes.NewReader(line[1:]))
	var term string
	if err := dec.Decode(&term); err != nil {
		return "", fmt.Errorf("malformed entry %.40q: %w", line, err)
	}
	if strings.ContainsRune(term, utf8.RuneError) {
		return "", fmt.Errorf("term %q may stand for invalid UTF-8", term)
	}
	return term, nil
}

// decodePostings reads the postings of an entry, [term, [n, ...]], back
// to document numbers shifted left by 4 plus flags.
func decodePostings(line []byte, shift uint) ([]uint32, error) {
	i := bytes.LastIndex(line, []byte(",["))
	if i < 0 || !bytes.HasSuffix(line, []byte("]]")) {
		return nil, fmt.Errorf("malformed entry %.40q", line)
	}
	list := line[i+2 : len(line)-2]
	var ids []uint32
	id := uint64(0)
	for len(list) > 0 {
		num := list
		if j := bytes.IndexByte(list, ','); j >= 0 {
			num, list = list[:j], list[j+1:]
		} else {
			list = nil
		}
		v, err := strconv.ParseUint(string(num), 10, 32)
		if err != nil {
			return nil, fmt.Errorf("malformed postings %.40q", line)
		}
		id += v >> shift
		if id >= 1<<28 || len(ids) > 0 && v>>shift == 0 {
			return nil, fmt.Errorf("malformed postings %.40q", line)
		}
		ids = append(ids, uint32(id<<4|v&(1<<shift-1)))
	}
	return ids, nil
}
