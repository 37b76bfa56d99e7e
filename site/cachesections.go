package site

import (
	"bytes"
	"encoding/gob"
	"errors"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/nashra-press/nashra/site/diag"
	"github.com/nashra-press/nashra/site/markdown"
	"github.com/nashra-press/nashra/site/search"
)

// The sections of the cache file (persist.go). Each section has its own
// fields of Cache: the sections are encoded at the same time, and decoded
// at the same time into one Cache. Maps are written in the order of
// their keys, so the same cache gives the same bytes. A change to what a
// section holds changes cacheVersion.

// cacheSection encodes and decodes some of a Cache's fields.
type cacheSection struct {
	name   string
	encode func(c *Cache) sectionBody
	// decode sets the section's fields of c from d; d.err says whether
	// the bytes made sense.
	decode func(d *decoder, c *Cache)
}

// cacheSections lists the sections of a cache file in their order. Save
// writes each as soon as it and those before it are encoded: the posts,
// which take longest, come last.
func cacheSections() []cacheSection {
	return []cacheSection{
		{"settings", func(c *Cache) sectionBody { return sectionOf([]byte(c.configSig)) },
			func(d *decoder, c *Cache) { c.configSig, d.s = d.s, "" }},
		{"search terms", func(c *Cache) sectionBody { return encodeTerms(c.searchTerms, &c.order.terms) },
			func(d *decoder, c *Cache) { c.searchTerms = decodeTerms(d, &c.order.terms) }},
		{"icons, search dictionaries", encodeSmall, decodeSmall},
		{"pages", func(c *Cache) sectionBody { return sectionOf(encodePageStates(c.pages, &c.order.pages)) },
			func(d *decoder, c *Cache) { c.pages = decodePageStates(d, &c.order.pages) }},
		{"feeds", func(c *Cache) sectionBody { return sectionOf(encodePageStates(c.feeds, &c.order.feeds)) },
			func(d *decoder, c *Cache) { c.feeds = decodePageStates(d, &c.order.feeds) }},
		{"stamps", func(c *Cache) sectionBody { return sectionOf(encodeStamps(c.stamps, &c.order.stamps)) },
			func(d *decoder, c *Cache) { c.stamps = decodeStamps(d, &c.order.stamps) }},
		{"images", func(c *Cache) sectionBody { return sectionOf(encodeImages(c.images, &c.order.images)) },
			func(d *decoder, c *Cache) { c.images = decodeImages(d, &c.order.images) }},
		{"search chunks", func(c *Cache) sectionBody { return sectionOf(encodeChunks(c.searchChunks, &c.order.chunks)) },
			func(d *decoder, c *Cache) { c.searchChunks = decodeChunks(d, &c.order.chunks) }},
		{"posts", func(c *Cache) sectionBody { return encodePosts(c.posts, &c.order.posts) },
			func(d *decoder, c *Cache) { c.posts = decodePosts(d, &c.order.posts) }},
	}
}

// keyOrder holds the keys of each map of the cache that is saved key by
// key, in order, as they were last read or saved. Saving a map with the
// same keys again, as after a rebuild that changed few things, writes
// them in that order without sorting them again (sorting took a quarter
// of the processor time of a save at 10,000 posts). Each section has its
// own field: they are encoded and decoded at the same time.
type keyOrder struct {
	posts, pages, feeds, stamps, images, chunks, terms []string
}

// inOrder returns the keys of m in order: *last if m has exactly those
// keys, else sorted anew, and then kept in *last. *last is always in
// strictly increasing order, so its keys are distinct.
func inOrder[V any](m map[string]V, last *[]string) []string {
	if !hasKeys(m, *last) {
		*last = slices.Sorted(maps.Keys(m))
	}
	return *last
}

// hasKeys reports whether m has exactly the keys of keys, which are
// distinct.
func hasKeys[V any](m map[string]V, keys []string) bool {
	if len(keys) != len(m) {
		return false
	}
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			return false
		}
	}
	return true
}

// encodeList writes the length of s, then each item.
func encodeList[S ~[]E, E any](e *encoder, s S, item func(e *encoder, v E)) {
	e.uint(uint64(len(s)))
	for _, v := range s {
		item(e, v)
	}
}

// decodeList reads what encodeList wrote; minBytes is the least an item
// takes. No items read as nil.
func decodeList[S ~[]E, E any](d *decoder, minBytes int, item func(d *decoder) E) S {
	n := d.count(minBytes)
	if n == 0 {
		return nil
	}
	s := make(S, n)
	for i := range s {
		s[i] = item(d)
	}
	return s
}

// --- posts ------------------------------------------------------------------

// encodePosts writes the number of entries and of parsed posts among
// them, then each entry under its file. Two goroutines encode a half of
// the entries each.
func encodePosts(posts map[string]*cachedPost, order *[]string) sectionBody {
	var head encoder
	parsed := 0
	for _, p := range posts {
		if p.post != nil {
			parsed++
		}
	}
	head.uint(uint64(len(posts)))
	head.uint(uint64(parsed))
	files := inOrder(posts, order)
	half := len(files) / 2
	var first, second encoder
	var wg sync.WaitGroup
	wg.Go(func() { first.posts(posts, files[:half]) })
	second.posts(posts, files[half:])
	wg.Wait()
	return sectionBody{parts: [][]byte{head.buf, first.buf, second.buf}, err: errors.Join(first.err, second.err)}
}

// posts appends the entries of files.
func (e *encoder) posts(posts map[string]*cachedPost, files []string) {
	e.buf = make([]byte, 0, 1024*len(files))
	for _, file := range files {
		e.str(file)
		e.cachedPost(posts[file])
	}
}

// minEntryBytes is the least an entry of the posts section takes, and
// minPostBytes the least one with a parsed post takes: the bounds of the
// counts, which decodePosts allocates for at once.
const (
	minEntryBytes = 11
	minPostBytes  = minEntryBytes + 22
)

func decodePosts(d *decoder, order *[]string) map[string]*cachedPost {
	n := d.count(minEntryBytes)
	parsed := d.count(minPostBytes)
	// The entries and posts are allocated together.
	entries := make([]cachedPost, n)
	metas := make([]Post, parsed)
	m := make(map[string]*cachedPost, n)
	*order = make([]string, 0, n)
	for i := range entries {
		file := d.key(order)
		e := &entries[i]
		if d.cachedPost(e) {
			if len(metas) == 0 {
				d.fail()
				break
			}
			e.post, metas = &metas[0], metas[1:]
			d.meta(e.post)
		}
		m[file] = e
	}
	return m
}

func (e *encoder) cachedPost(p *cachedPost) {
	e.str(p.hash)
	encodeList(e, p.diags, func(e *encoder, g diag.Diagnostic) {
		e.str(g.File)
		e.int(int64(g.Line))
		e.int(int64(g.Col))
		e.int(int64(g.Severity))
		e.str(g.Msg)
		e.str(g.Hint)
		e.str(g.Source)
	})
	e.bool(p.rendered)
	encodeList(e, p.lookups, func(e *encoder, l lookup) {
		e.str(l.Kind)
		e.str(l.Key)
		e.str(l.Answer)
	})
	e.str(p.summary)
	e.str(p.bodyHash)
	encodeList(e, p.headings, func(e *encoder, h markdown.Heading) {
		e.int(int64(h.Level))
		e.str(h.ID)
		e.str(h.Text)
		e.int(int64(h.Line))
	})
	encodeList(e, p.ids, (*encoder).str)
	encodeList(e, p.links, func(e *encoder, l siteLink) {
		e.int(int64(l.Line))
		e.int(int64(l.Col))
		e.str(l.Source)
		e.str(l.Dest)
		e.str(l.Slug)
		e.str(l.Path)
		e.str(l.Fragment)
	})
	e.bool(p.post != nil)
	if p.post != nil {
		e.meta(p.post)
	}
}

// cachedPost decodes an entry into p but for its post, and reports
// whether a post follows.
func (d *decoder) cachedPost(p *cachedPost) bool {
	p.hash = d.str()
	p.diags = decodeList[diag.List](d, 7, func(d *decoder) diag.Diagnostic {
		return diag.Diagnostic{File: d.str(), Line: d.int(), Col: d.int(), Severity: diag.Severity(d.int()),
			Msg: d.str(), Hint: d.str(), Source: d.str()}
	})
	p.rendered = d.bool()
	p.lookups = decodeList[[]lookup](d, 3, func(d *decoder) lookup {
		return lookup{Kind: d.str(), Key: d.str(), Answer: d.str()}
	})
	p.summary = d.str()
	p.bodyHash = d.str()
	p.headings = decodeList[[]markdown.Heading](d, 4, func(d *decoder) markdown.Heading {
		return markdown.Heading{Level: d.int(), ID: d.str(), Text: d.str(), Line: d.int()}
	})
	p.ids = decodeList[[]string](d, 1, (*decoder).str)
	p.links = decodeList[[]siteLink](d, 7, func(d *decoder) siteLink {
		return siteLink{Line: d.int(), Col: d.int(), Source: d.str(), Dest: d.str(), Slug: d.str(), Path: d.str(), Fragment: d.str()}
	})
	return d.bool()
}

// meta writes what parsing a post's front matter yields.
func (e *encoder) meta(p *Post) {
	for _, s := range []string{p.File, p.Bundle, p.Slug, p.Title, p.Author, p.givenSummary(), p.Hash, p.coverAlt} {
		e.str(s)
	}
	e.time(p.Date)
	e.time(p.Updated)
	e.bool(p.Draft)
	e.int(int64(p.size))
	encodeList(e, p.tagNames, func(e *encoder, t tagRef) {
		e.str(t.Name)
		e.int(int64(t.Line))
		e.int(int64(t.Col))
	})
	e.bool(p.summaryGiven)
	e.str(p.coverRef.Dest)
	e.int(int64(p.coverRef.Line))
	e.int(int64(p.coverRef.Col))
	e.bool(p.coverRef.Image)
	e.bool(p.slugGiven)
	e.int(int64(p.slugPos.line))
	e.int(int64(p.slugPos.col))
	e.uint(uint64(len(p.keyPos)))
	e.keys = e.keys[:0]
	for k := range p.keyPos {
		e.keys = append(e.keys, k)
	}
	slices.Sort(e.keys)
	for _, k := range e.keys {
		e.str(k)
		e.int(int64(p.keyPos[k].line))
		e.int(int64(p.keyPos[k].col))
	}
}

func (d *decoder) meta(p *Post) {
	for _, s := range []*string{&p.File, &p.Bundle, &p.Slug, &p.Title, &p.Author, &p.Summary, &p.Hash, &p.coverAlt} {
		*s = d.str()
	}
	p.Date = d.time()
	p.Updated = d.time()
	p.Draft = d.bool()
	p.size = d.int()
	p.tagNames = decodeList[[]tagRef](d, 3, func(d *decoder) tagRef {
		return tagRef{Name: d.str(), Line: d.int(), Col: d.int()}
	})
	p.summaryGiven = d.bool()
	p.coverRef = markdown.Ref{Dest: d.str(), Line: d.int(), Col: d.int(), Image: d.bool()}
	p.slugGiven = d.bool()
	p.slugPos = position{d.int(), d.int()}
	n := d.count(3)
	p.keyPos = make(map[string]position, n)
	for range n {
		k := d.str()
		p.keyPos[k] = position{d.int(), d.int()}
	}
}

// --- the other tables ---------------------------------------------------------

// encodeTable writes the number of entries of m, then each entry's key and
// value, in key order; sizeHint is about the bytes an entry takes.
func encodeTable[V any](m map[string]V, order *[]string, sizeHint int, value func(e *encoder, v V)) []byte {
	e := encoder{buf: make([]byte, 0, sizeHint*len(m))}
	e.uint(uint64(len(m)))
	for _, k := range inOrder(m, order) {
		e.str(k)
		value(&e, m[k])
	}
	return e.buf
}

// decodeTable reads what encodeTable wrote; minBytes is the least an
// entry takes.
func decodeTable[V any](d *decoder, order *[]string, minBytes int, value func(d *decoder) V) map[string]V {
	n := d.count(minBytes)
	m := make(map[string]V, n)
	*order = make([]string, 0, n)
	for range n {
		k := d.key(order)
		m[k] = value(d)
	}
	return m
}

func encodePageStates(m map[string]pageState, order *[]string) []byte {
	return encodeTable(m, order, 128, func(e *encoder, ps pageState) {
		e.str(ps.Fingerprint)
		e.str(ps.Hash)
	})
}

func decodePageStates(d *decoder, order *[]string) map[string]pageState {
	return decodeTable(d, order, 3, func(d *decoder) pageState {
		return pageState{Fingerprint: d.str(), Hash: d.str()}
	})
}

func encodeStamps(m map[string]fileStamp, order *[]string) []byte {
	return encodeTable(m, order, 128, func(e *encoder, st fileStamp) {
		e.int(st.Size)
		e.int(st.ModTime)
		e.str(st.Hash)
		e.int(st.Seen)
	})
}

func decodeStamps(d *decoder, order *[]string) map[string]fileStamp {
	return decodeTable(d, order, 5, func(d *decoder) fileStamp {
		return fileStamp{Size: d.int64(), ModTime: d.int64(), Hash: d.str(), Seen: d.int64()}
	})
}

func encodeImages(m map[string]knownImage, order *[]string) []byte {
	return encodeTable(m, order, 64, func(e *encoder, im knownImage) {
		e.int(im.ModTime)
		e.int(im.Size)
		e.int(int64(im.W))
		e.int(int64(im.H))
	})
}

func decodeImages(d *decoder, order *[]string) map[string]knownImage {
	return decodeTable(d, order, 5, func(d *decoder) knownImage {
		return knownImage{ModTime: d.int64(), Size: d.int64(), W: d.int(), H: d.int()}
	})
}

func encodeChunks(m map[string]searchChunk, order *[]string) []byte {
	return encodeTable(m, order, 512, func(e *encoder, ch searchChunk) {
		encodeList(e, ch.Keys, (*encoder).str)
		e.str(ch.Hash)
	})
}

func decodeChunks(d *decoder, order *[]string) map[string]searchChunk {
	return decodeTable(d, order, 3, func(d *decoder) searchChunk {
		return searchChunk{Keys: decodeList[[]string](d, 1, (*decoder).str), Hash: d.str()}
	})
}

// encodeTerms writes the keys of the terms of posts with their lengths,
// then the blob of all their terms (22 MB at 10,000 posts), which the
// decoder cuts into each post's terms without copying.
func encodeTerms(m map[string]search.Terms, order *[]string) sectionBody {
	keys := inOrder(m, order)
	e := encoder{buf: make([]byte, 0, 48*len(m))}
	e.uint(uint64(len(keys)))
	terms := make([]search.Terms, len(keys))
	for i, k := range keys {
		terms[i] = m[k]
		e.str(k)
		e.uint(uint64(terms[i].Len()))
	}
	return sectionBody{parts: [][]byte{e.buf}, terms: terms}
}

func decodeTerms(d *decoder, order *[]string) map[string]search.Terms {
	n := d.count(2)
	ends := make([]uint64, n)
	end := uint64(0)
	*order = make([]string, 0, n)
	for i := range n {
		d.key(order)
		next := end + d.uint()
		// The blob follows: no post's terms end beyond the data.
		if next < end || next > uint64(len(d.s)) {
			d.fail()
			return nil
		}
		end, ends[i] = next, next
	}
	blob := d.s[:end]
	d.s = d.s[end:]
	m := make(map[string]search.Terms, n)
	start := uint64(0)
	for i, k := range *order {
		m[k] = search.TermsFromBinary(blob[start:ends[i]])
		start = ends[i]
	}
	return m
}

// --- small things -------------------------------------------------------------

// smallThings are the few small fields of a Cache, kept with gob: their
// shape changes more often than that of the big tables, and gob takes
// new fields along by itself.
type smallThings struct {
	// Icons are the icons made from the logo, without their bytes: the
	// next build keeps the output's copies when their hashes match.
	Icons       *diskIcons
	SearchDicts searchDicts
	// ThemeOK is Cache.themeOK.
	ThemeOK string
	// TagPosts is Cache.tagPosts.
	TagPosts tagPostsUse
}

// diskIcons is a siteIcons without the icons' bytes.
type diskIcons struct {
	LogoHash, SVG string
	Files         []diskIcon
}

type diskIcon struct {
	Path string
	Size int
	Hash string
}

func encodeSmall(c *Cache) sectionBody {
	s := smallThings{SearchDicts: c.searchDicts, ThemeOK: c.themeOK, TagPosts: c.tagPosts}
	if ic := c.icons; ic != nil {
		s.Icons = &diskIcons{LogoHash: ic.logoHash, SVG: ic.svg}
		for _, f := range ic.files {
			s.Icons.Files = append(s.Icons.Files, diskIcon{Path: f.path, Size: f.size, Hash: f.hash})
		}
	}
	var b bytes.Buffer
	err := gob.NewEncoder(&b).Encode(&s)
	return sectionBody{parts: [][]byte{b.Bytes()}, err: err}
}

func decodeSmall(d *decoder, c *Cache) {
	var s smallThings
	if err := gob.NewDecoder(strings.NewReader(d.s)).Decode(&s); err != nil {
		d.fail()
		return
	}
	d.s = ""
	c.searchDicts = s.SearchDicts
	c.themeOK = s.ThemeOK
	c.tagPosts = s.TagPosts
	if di := s.Icons; di != nil && len(di.LogoHash) >= 10 {
		ic := &siteIcons{logoHash: di.LogoHash, version: di.LogoHash[:10], svg: di.SVG}
		for _, f := range di.Files {
			ic.files = append(ic.files, iconFile{path: f.Path, size: f.Size, hash: f.Hash})
		}
		c.icons = ic
	}
}
