package site

import (
	"io/fs"
	"sync"
	"time"

	"github.com/nashra-press/nashra/site/diag"
	"github.com/nashra-press/nashra/site/markdown"
	"github.com/nashra-press/nashra/site/search"
)

// Cache keeps the work of earlier builds that a later build can reuse:
// parsed front matter of posts, keyed by file and checked against the
// file's content hash; what converting a body taught (its summary, its
// hash, the questions it asked about the rest of the site with their
// answers); image sizes; and the fingerprint of every page. Bodies
// themselves are not kept: a post is converted again only when a page
// that shows its body must be rendered again, which is when the post
// changed or one of its questions (is that slug published, where does
// that image go) gets another answer. It also keeps the words of each post
// analysed for search, and what each chunk of the search index held. A
// Cache is used by one build at a time.
type Cache struct {
	mu     sync.Mutex
	posts  map[string]*cachedPost
	images map[string]knownImage
	// pages remembers, for each output page, the fingerprint of what it
	// showed and the hash of the bytes it was rendered to.
	pages map[string]pageState
	// stamps remembers the size and modification time of source files
	// with their content hash, so a file not touched since is not read
	// and hashed again (as git's index does).
	stamps map[string]fileStamp
	// buildStart is when the current build began; stamps newer than the
	// build that recorded them minus a margin are not trusted (a file
	// changed twice within one clock tick keeps its size and time).
	buildStart time.Time
	// searchTerms are the analysed words of posts for the search index,
	// by searchKey; searchChunks what each chunk of post data held, by
	// path. Each build keeps only the entries it used.
	searchTerms  map[string]search.Terms
	searchChunks map[string]searchChunk
	// searchDicts are the dictionary and index.json files of the search
	// index and what they were made from.
	searchDicts searchDicts
	// dirty is set when anything was learnt since the cache was read.
	dirty bool
	// feeds remembers, for each feed file, the fingerprint of what it
	// showed and the hash of its bytes, like pages.
	feeds map[string]pageState
	// feedBodies holds each post's entry HTML for feeds (its body with
	// absolute URLs), keyed by file and checked against the body's hash.
	feedBodies map[string]cachedFeedBody
	// icons are the icons made from the logo, checked against its hash.
	icons *siteIcons
	// configSig is the signature of the settings the entries were made
	// with; a change of settings empties the cache.
	configSig string
	// themeOK is the fingerprint of the last theme whose layouts all
	// parsed without a problem (Theme.Fingerprint): a theme of the same
	// fingerprint is parsed only as its page kinds are rendered.
	themeOK string
	// tagPosts says whether the layouts of a fingerprint call Tag.Posts
	// (see siteSignature): known for one fingerprint, the last.
	tagPosts tagPostsUse
	// sources lists the files under posts/ and static/ at the last
	// build; nil before the first.
	sources []string
	// prev is the last build's content, for reuse; nil after a build
	// whose posts had errors.
	prev *previous
	// order is the order of the keys of the maps above as last read or
	// saved (cachesections.go).
	order keyOrder
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{posts: map[string]*cachedPost{}, images: map[string]knownImage{}, pages: map[string]pageState{}, stamps: map[string]fileStamp{},
		feeds: map[string]pageState{}, feedBodies: map[string]cachedFeedBody{},
		searchTerms: map[string]search.Terms{}, searchChunks: map[string]searchChunk{}}
}

// cachedPost is what is known about one post file.
type cachedPost struct {
	hash string
	// post is the post parsed from the file, as filled in by the last
	// build that used it: its parsed method gives what the file says.
	post  *Post
	diags diag.List // problems found while parsing

	// rendered is true when the fields below come from a conversion of
	// this version of the file that found no problem.
	rendered bool
	lookups  []lookup
	summary  string
	bodyHash string
	headings []markdown.Heading
	// ids are the anchors the body defines; links the links it makes to
	// pages and anchors of the site, checked by checkLinks every build.
	ids   []string
	links []siteLink
}

// reset drops everything when the settings change.
func (c *Cache) reset(configSig string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.configSig != configSig {
		c.dirty = true
		c.posts = map[string]*cachedPost{}
		c.pages = map[string]pageState{}
		c.feeds = map[string]pageState{}
		c.feedBodies = map[string]cachedFeedBody{}
		c.prev = nil
		c.searchTerms = map[string]search.Terms{}
		c.searchChunks = map[string]searchChunk{}
		c.searchDicts = searchDicts{}
		c.themeOK = ""
		c.tagPosts = tagPostsUse{}
		c.configSig = configSig
	}
}

func (c *Cache) get(file, hash string) *cachedPost {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.posts[file]
	if e == nil || e.hash != hash {
		return nil
	}
	return e
}

// known returns the entry of file whatever its hash: for files known not
// to have changed since they were read.
func (c *Cache) known(file string) *cachedPost {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.posts[file]
}

func (c *Cache) put(file string, e *cachedPost) {
	c.mu.Lock()
	c.dirty = true
	c.posts[file] = e
	c.mu.Unlock()
}

// forget drops the entries of files that were removed.
func (c *Cache) forget(files []string) {
	c.mu.Lock()
	for _, f := range files {
		if _, ok := c.posts[f]; ok {
			c.dirty = true
			delete(c.posts, f)
		}
	}
	c.mu.Unlock()
}

// forgetMissing drops entries of files that no longer exist.
func (c *Cache) forgetMissing(files []string) {
	keep := make(map[string]bool, len(files))
	for _, f := range files {
		keep[f] = true
	}
	c.mu.Lock()
	for f := range c.posts {
		if !keep[f] {
			c.dirty = true
			delete(c.posts, f)
		}
	}
	c.mu.Unlock()
}

// pageState is what a page showed when it was last rendered.
type pageState struct {
	Fingerprint string
	Hash        string
}

// fileStamp is a source file's size, modification time and content hash
// as seen by a build that started at Seen.
type fileStamp struct {
	Size, ModTime int64
	Hash          string
	Seen          int64
}

// stampMargin is how much older than the build that saw it a file must
// be for its stamp to be trusted.
const stampMargin = 2 * time.Second

// knownHash returns the content hash recorded for a file whose size and
// modification time are unchanged, or "".
func (c *Cache) knownHash(file string, info fs.FileInfo) string {
	c.mu.Lock()
	st, ok := c.stamps[file]
	c.mu.Unlock()
	if !ok || info == nil || st.Size != info.Size() || st.ModTime != info.ModTime().UnixNano() || !trusted(st) {
		return ""
	}
	return st.Hash
}

// stampedHash returns the content hash last recorded for a file, for a
// file known not to have changed since (a watcher says so).
func (c *Cache) stampedHash(file string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stamps[file].Hash
}

// stamp records a file's content hash with its size and time. A stamp
// that says what the recorded one says (same size, time and hash) and that
// a later build would not trust either (the file is still too recent)
// teaches nothing: it leaves the cache clean, so that a build with nothing
// changed shortly after an edit does not save the cache again only to
// record when the edited file was last hashed.
func (c *Cache) stamp(file string, info fs.FileInfo, hash string) {
	if info == nil {
		return
	}
	st := fileStamp{Size: info.Size(), ModTime: info.ModTime().UnixNano(), Hash: hash, Seen: c.buildStart.UnixNano()}
	c.mu.Lock()
	defer c.mu.Unlock()
	old, ok := c.stamps[file]
	if ok && old.Size == st.Size && old.ModTime == st.ModTime && old.Hash == st.Hash && old.Seen <= st.Seen &&
		!trusted(st) {
		return
	}
	c.dirty = true
	c.stamps[file] = st
}

// trusted reports whether a stamp can stand for its file's content in a
// build after the one that recorded it: the file was last modified at
// least stampMargin before that build began.
func trusted(st fileStamp) bool {
	return !time.Unix(0, st.ModTime).After(time.Unix(0, st.Seen).Add(-stampMargin))
}

// themeParses reports whether a theme of this fingerprint is known to
// parse without a problem.
func (c *Cache) themeParses(fingerprint string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.themeOK == fingerprint
}

// themeParsed records that the theme of this fingerprint parsed without
// a problem.
func (c *Cache) themeParsed(fingerprint string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.themeOK != fingerprint {
		c.themeOK = fingerprint
		c.dirty = true
	}
}

// tagPostsUse records whether the layouts of one fingerprint
// (Theme.Fingerprint) were seen calling Tag.Posts.
type tagPostsUse struct {
	Fingerprint string
	Reads       bool
}

// layoutsReadTagPosts reports whether layouts of this fingerprint are
// known to call Tag.Posts, and whether it is known at all.
func (c *Cache) layoutsReadTagPosts(fingerprint string) (reads, known bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tagPosts.Fingerprint != fingerprint {
		return false, false
	}
	return c.tagPosts.Reads, true
}

// noteTagPosts records whether layouts of this fingerprint call
// Tag.Posts.
func (c *Cache) noteTagPosts(fingerprint string, reads bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tagPosts != (tagPostsUse{fingerprint, reads}) {
		c.tagPosts = tagPostsUse{fingerprint, reads}
		c.dirty = true
	}
}

// refingerprint sets the fingerprint of each of pages, all known to the
// cache, as made with siteSig.
func (c *Cache) refingerprint(pages []Page, siteSig string) {
	fingerprints := make([]string, len(pages))
	parallel(len(pages), func(i int) { fingerprints[i] = pageFingerprint(pages[i], siteSig) })
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, pg := range pages {
		st := c.pages[pg.Path]
		st.Fingerprint = fingerprints[i]
		c.pages[pg.Path] = st
	}
	c.dirty = true
}

// Dirty reports whether the cache learnt anything since it was created
// or read, so that saving it again would change it.
func (c *Cache) Dirty() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.dirty
}

// cachedFeedBody is a post's entry HTML for feeds (see feedContent), with
// what it was made from.
type cachedFeedBody struct {
	bodyHash, permalink, cover string
	html                       string
}
