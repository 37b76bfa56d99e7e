package site

import (
	"bufio"
	"encoding/gob"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/nashra-press/nashra/site/diag"
	"github.com/nashra-press/nashra/site/markdown"
	"github.com/nashra-press/nashra/site/search"
)

// The cache on disk: Save writes it after a successful build and
// ReadCache reads it before the next one, so a second "nashra build" with
// nothing changed parses nothing, converts nothing and renders nothing.
// It is keyed by a version string that the caller derives from the nashra
// binary itself: a cache written by another build of nashra is never used.
// Every entry is also checked against the content hash of its file, the
// settings and the layouts, as in memory.

// diskCache is the serialised form of a Cache.
type diskCache struct {
	Version   string
	ConfigSig string
	Posts     map[string]diskPost
	Images    map[string]knownImage
	Pages     map[string]pageState
	Stamps    map[string]fileStamp
	// Feeds are the feed files' fingerprints and hashes, like Pages.
	Feeds map[string]pageState
	// Icons are the icons made from the logo, without their bytes: the
	// next build keeps the output's copies when their hashes match.
	Icons *diskIcons
	// SearchTerms and SearchChunks are Cache.searchTerms and searchChunks.
	SearchTerms  diskTerms
	SearchChunks map[string]searchChunk
	SearchDicts  searchDicts
}

// diskTerms holds Cache.searchTerms: their keys, and where each post's
// terms end in the blob of every post's terms (22 MB at 10,000 posts).
// The blob is not part of the gob message: it follows it in the file, raw,
// and is read into one string in one go. Through gob (a map of 10,000
// values with a BinaryUnmarshaler each, or one byte slice, which gob
// reads and grows in pieces) it took longer than the rest of the cache.
type diskTerms struct {
	Keys []string
	Ends []int64
	// list holds the terms of Keys, for Save to write after the message.
	list []search.Terms
}

func newDiskTerms(m map[string]search.Terms) diskTerms {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the same cache, the same bytes
	d := diskTerms{Keys: keys, Ends: make([]int64, len(keys)), list: make([]search.Terms, len(keys))}
	end := int64(0)
	for i, k := range keys {
		d.list[i] = m[k]
		end += int64(m[k].Len())
		d.Ends[i] = end
	}
	return d
}

// writeBlob writes the blob of every post's terms, in the order of Keys.
func (d diskTerms) writeBlob(w io.Writer) error {
	var buf []byte
	for _, t := range d.list {
		buf, _ = t.AppendBinary(buf[:0])
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	return nil
}

// size is the length of the blob.
func (d diskTerms) size() int64 {
	if len(d.Ends) == 0 {
		return 0
	}
	return d.Ends[len(d.Ends)-1]
}

// terms cuts all, the blob, into each post's terms.
func (d diskTerms) terms(all string) (map[string]search.Terms, bool) {
	if len(d.Keys) != len(d.Ends) {
		return nil, false
	}
	m := make(map[string]search.Terms, len(d.Keys))
	start := int64(0)
	for i, k := range d.Keys {
		end := d.Ends[i]
		if end < start || end > int64(len(all)) {
			return nil, false
		}
		m[k] = search.TermsFromBinary(all[start:end])
		start = end
	}
	return m, true
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

// diskPost is a cachedPost with exported fields.
type diskPost struct {
	Hash  string
	Diags diag.List
	Post  *diskMeta // nil when the file could not be parsed

	Rendered bool
	Lookups  []lookup
	Summary  string
	BodyHash string
	Headings []markdown.Heading
	IDs      []string
	Links    []siteLink
}

// diskMeta is what parsing a post's front matter yields.
type diskMeta struct {
	File, Bundle, Slug, Title, Author, Summary string
	Date, Updated                              time.Time
	Draft                                      bool
	Hash                                       string
	Size                                       int
	Tags                                       []tagRef
	SummaryGiven                               bool
	Cover                                      markdown.Ref
	CoverAlt                                   string
	SlugGiven                                  bool
	SlugLine, SlugCol                          int
	KeyPos                                     map[string][2]int
}

func metaOf(p *Post) *diskMeta {
	return &diskMeta{
		File: p.File, Bundle: p.Bundle, Slug: p.Slug, Title: p.Title, Author: p.Author, Summary: p.Summary,
		Date: p.Date, Updated: p.Updated, Draft: p.Draft, Hash: p.Hash, Size: p.size, Tags: p.tagNames,
		SummaryGiven: p.summaryGiven, Cover: p.coverRef, CoverAlt: p.coverAlt,
		SlugGiven: p.slugGiven, SlugLine: p.slugPos.line, SlugCol: p.slugPos.col,
		KeyPos: keyPosOut(p.keyPos),
	}
}

func keyPosOut(m map[string]position) map[string][2]int {
	out := make(map[string][2]int, len(m))
	for k, p := range m {
		out[k] = [2]int{p.line, p.col}
	}
	return out
}

func keyPosIn(m map[string][2]int) map[string]position {
	out := make(map[string]position, len(m))
	for k, p := range m {
		out[k] = position{p[0], p[1]}
	}
	return out
}

func (m *diskMeta) post() *Post {
	return &Post{
		File: m.File, Bundle: m.Bundle, Slug: m.Slug, Title: m.Title, Author: m.Author, Summary: m.Summary,
		Date: m.Date, Updated: m.Updated, Draft: m.Draft, Hash: m.Hash, size: m.Size, tagNames: m.Tags,
		summaryGiven: m.SummaryGiven, coverRef: m.Cover, coverAlt: m.CoverAlt,
		slugGiven: m.SlugGiven, slugPos: position{m.SlugLine, m.SlugCol},
		keyPos: keyPosIn(m.KeyPos),
	}
}

// Save writes the cache, tagged with version.
func (c *Cache) Save(w io.Writer, version string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := diskCache{Version: cacheVersion + " " + version, ConfigSig: c.configSig,
		Posts: make(map[string]diskPost, len(c.posts)), Images: c.images, Pages: c.pages, Stamps: c.stamps,
		Feeds: c.feeds, SearchTerms: newDiskTerms(c.searchTerms), SearchChunks: c.searchChunks, SearchDicts: c.searchDicts}
	if ic := c.icons; ic != nil {
		d.Icons = &diskIcons{LogoHash: ic.logoHash, SVG: ic.svg}
		for _, f := range ic.files {
			d.Icons.Files = append(d.Icons.Files, diskIcon{Path: f.path, Size: f.size, Hash: f.hash})
		}
	}
	for file, e := range c.posts {
		dp := diskPost{Hash: e.hash, Diags: e.diags, Rendered: e.rendered, Lookups: e.lookups,
			Summary: e.summary, BodyHash: e.bodyHash, Headings: e.headings, IDs: e.ids, Links: e.links}
		if e.post != nil {
			dp.Post = metaOf(e.post)
		}
		d.Posts[file] = dp
	}
	if err := gob.NewEncoder(w).Encode(&d); err != nil {
		return err
	}
	return d.SearchTerms.writeBlob(w)
}

// ReadCache reads a cache written by Save with the same version. A cache
// of another version, or one that cannot be read, yields an empty cache
// and the reason.
func ReadCache(r io.Reader, version string) (*Cache, error) {
	// gob reads no further than its message from an io.ByteReader: the
	// blob of search terms that follows is read from the same reader.
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReader(r)
	}
	var d diskCache
	if err := gob.NewDecoder(br).Decode(&d); err != nil {
		return NewCache(), fmt.Errorf("unreadable build cache: %w", err)
	}
	if d.Version != cacheVersion+" "+version {
		return NewCache(), fmt.Errorf("build cache from another version of nashra")
	}
	size := d.SearchTerms.size()
	if size < 0 || size > 1<<34 {
		return NewCache(), fmt.Errorf("unreadable build cache: the search terms take %d bytes", size)
	}
	var blob strings.Builder
	blob.Grow(int(size))
	if n, err := io.CopyN(&blob, br, size); err != nil || n != size {
		return NewCache(), fmt.Errorf("unreadable build cache: the search terms are cut short")
	}
	c := NewCache()
	c.configSig = d.ConfigSig
	if d.Images != nil {
		c.images = d.Images
	}
	if d.Pages != nil {
		c.pages = d.Pages
	}
	if d.Stamps != nil {
		c.stamps = d.Stamps
	}
	if d.Feeds != nil {
		c.feeds = d.Feeds
	}
	if di := d.Icons; di != nil && len(di.LogoHash) >= 10 {
		ic := &siteIcons{logoHash: di.LogoHash, version: di.LogoHash[:10], svg: di.SVG}
		for _, f := range di.Files {
			ic.files = append(ic.files, iconFile{path: f.Path, size: f.Size, hash: f.Hash})
		}
		c.icons = ic
	}
	if m, ok := d.SearchTerms.terms(blob.String()); ok {
		c.searchTerms = m
	} else {
		return NewCache(), fmt.Errorf("unreadable build cache: the search terms do not add up")
	}
	if d.SearchChunks != nil {
		c.searchChunks = d.SearchChunks
	}
	c.searchDicts = d.SearchDicts
	for file, dp := range d.Posts {
		e := &cachedPost{hash: dp.Hash, diags: dp.Diags, rendered: dp.Rendered, lookups: dp.Lookups,
			summary: dp.Summary, bodyHash: dp.BodyHash, headings: dp.Headings, ids: dp.IDs, links: dp.Links}
		if dp.Post != nil {
			e.post = dp.Post.post()
		}
		c.posts[file] = e
	}
	return c, nil
}
