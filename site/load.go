package site

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"bytes"
	"time"

	"github.com/nashra-press/nashra/site/diag"
	"github.com/nashra-press/nashra/site/markdown"
)

// PostsDir and StaticDir are the site's content folders.
const (
	PostsDir  = "posts"
	StaticDir = "static"
)

// LoadOptions selects which posts are published, and which files must be
// read again.
type LoadOptions struct {
	// Drafts publishes posts marked draft: true.
	Drafts bool
	// Future publishes posts dated after Now.
	Future bool
	// Now is the time that decides what is in the future; zero means
	// time.Now().
	Now time.Time
	// Incremental trusts the Cache of an earlier build of the same site
	// for every source file not listed in Changed: such a file is not
	// read again. Set it only when every change since that build is known
	// (a file watcher that lost no event); otherwise each file is read and
	// checked against its content hash.
	Incremental bool
	// Changed lists the source files (slash-separated, relative to the
	// site root) that may have changed since the previous build made with
	// the same Cache; it is used only when Incremental is set.
	Changed []string
}

// fileState is what a build knows of a source file from its caller.
type fileState int

const (
	// unknown: look at the file (its size and time, or its bytes).
	unknown fileState = iota
	// unchanged: a watcher says it did not change; trust the cache.
	unchanged
	// changed: a watcher says it changed; read it.
	changed
)

// states returns what the options say of each source file.
func (o LoadOptions) states() func(file string) fileState {
	if !o.Incremental {
		return func(string) fileState { return unknown }
	}
	named := make(map[string]bool, len(o.Changed))
	for _, f := range o.Changed {
		named[f] = true
	}
	return func(file string) fileState {
		if named[file] {
			return changed
		}
		return unchanged
	}
}

// Content is a loaded site: settings, published posts, tags and the files
// copied as they are.
type Content struct {
	Config Config
	// Posts are the published posts, newest first.
	Posts []*Post
	// Tags are the tags with at least one published post, by slug.
	Tags []*Tag
	// Static are the files of static/ and the posts' assets.
	Static []Asset
	// Unpublished counts drafts and future posts left out.
	Unpublished int
	// Logo is the site's logo from config.yaml, with its size; nil when
	// none is set.
	Logo *Image
	// converted counts the post bodies converted from markdown.
	converted atomic.Int64
	// links answers the questions rendering a body asks about the site.
	links *linkIndex
	conv  *markdown.Converter
	// htmlBufs recycles the buffers posts are converted into.
	htmlBufs sync.Pool
	// srcBufs recycles the buffers Convert reads posts into (*[]byte).
	srcBufs sync.Pool
	// entries are the cache entries of the posts.
	entries map[*Post]*cachedPost
	cache   *Cache
	// icons are the icons made from the logo (set by Generate).
	icons *siteIcons
	// search, during a build with search, takes each converted post.
	search *searchIndex
}

// Converted counts the post bodies converted from markdown so far; the
// pages of the others were unchanged and kept from an earlier build.
func (c *Content) Converted() int { return int(c.converted.Load()) }

// Convert renders a post's markdown: it fills Body, Headings and Text,
// the summary when front matter has none, and BodyHash. It reads the file
// again: bodies are not kept in memory between parsing and rendering, so
// a build holds a few bodies at a time, not the site's. Problems (broken
// links, missing images) are returned. Convert may be called from several
// goroutines for different posts.
func (c *Content) Convert(p *Post) diag.List {
	var diags diag.List
	src, _ := c.srcBufs.Get().(*[]byte)
	if src == nil {
		src = new([]byte)
	}
	defer c.srcBufs.Put(src)
	data, err := readFileTo(c.links.src, p.File, *src)
	if err != nil {
		diags.Errorf(p.File, 0, 0, "", "cannot read the file: %v", err)
		return diags
	}
	// A cheap check that the file is the one parsed: hashing every body
	// twice would cost more than the conversion's own allocations.
	if len(data) != p.size {
		diags.Errorf(p.File, 0, 0, "the build will run again", "the file changed during the build")
		return diags
	}
	*src = data
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	body, bodyLine := data, 0
	if p.bodyStart > 0 && p.bodyStart <= len(data) {
		body, bodyLine = data[p.bodyStart:], p.bodyLine
	} else {
		_, body, _, bodyLine, err = splitFrontMatter(data, nil)
		if err != nil {
			diags.Errorf(p.File, 0, 0, "", "%v", err)
			return diags
		}
	}
	r := c.links.resolver(p)
	r.source, r.lineOffset = data, bodyLine-1
	c.converted.Add(1)
	buf, _ := c.htmlBufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	defer c.htmlBufs.Put(buf)
	res, err := c.conv.ConvertTo(buf, body, r)
	if err != nil {
		diags.Errorf(p.File, 0, 0, "", "cannot convert the markdown: %v", err)
		return diags
	}
	p.Body = htmlString(res.HTML) // a copy: buf goes back to the pool
	p.Headings = res.Headings
	p.Text = res.Text
	if !p.summaryGiven {
		p.Summary = res.Summary
	}
	p.BodyHash = contentHash(res.HTML)
	p.ids, p.links = res.IDs, r.links
	if e := c.entries[p]; e != nil {
		c.cacheDirty()
		if len(r.diags) == 0 {
			e.rendered, e.lookups = true, r.lookups
			e.bodyHash, e.headings = p.BodyHash, res.Headings
			if !p.summaryGiven {
				// A summary in front matter wins (applyKnown): keeping
				// the first paragraph too would cost a kilobyte a post.
				e.summary = res.Summary
			}
			e.ids, e.links = res.IDs, r.links
		} else {
			e.rendered = false
		}
	}
	if c.search != nil && len(r.diags) == 0 {
		c.search.converted(p)
	}
	return r.diags
}

// fileToReader reads a file into a buffer that the caller reuses
// (sourcefs.FS does).
type fileToReader interface {
	ReadFileTo(name string, buf []byte) ([]byte, error)
}

// readFileTo reads the file name of fsys into buf's storage when fsys can
// and the file fits. Whatever the caller keeps of the bytes must be a
// copy: Convert's results (the HTML, the text, headings, IDs, links and
// their source lines) all are.
func readFileTo(fsys fs.FS, name string, buf []byte) ([]byte, error) {
	if r, ok := fsys.(fileToReader); ok {
		return r.ReadFileTo(name, buf)
	}
	return fs.ReadFile(fsys, name)
}

// ConvertAll converts every published post, only to collect the
// problems in their bodies, and releases the bodies.
func (c *Content) ConvertAll() diag.List {
	per := make([]diag.List, len(c.Posts))
	parallel(len(c.Posts), func(i int) {
		per[i] = c.Convert(c.Posts[i])
		c.Release(c.Posts[i])
	})
	var all diag.List
	for _, l := range per {
		all = append(all, l...)
	}
	return all
}

func (c *Content) cacheDirty() {
	if c.cache != nil {
		c.cache.mu.Lock()
		c.cache.dirty = true
		c.cache.mu.Unlock()
	}
}

// Release drops a converted body from memory once its page is written;
// a post whose body a feed shows keeps Body (not Text) until the feeds
// are written.
func (c *Content) Release(p *Post) {
	if !p.keepBody {
		p.Body = ""
	}
	p.Text = ""
}

// Load reads and renders the posts of the site in src. Problems are
// returned as diagnostics (warnings included); the Content is usable only
// when they hold no error. With a cache from an earlier build, posts whose
// bytes did not change are not parsed again, and bodies whose links still
// resolve the same way are not rendered again; cache may be nil.
func Load(src fs.FS, cfg Config, opts LoadOptions, cache *Cache) (*Content, diag.List) {
	if cache == nil {
		cache = NewCache()
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if c, diags, ok := reuse(src, &cfg, opts, cache); ok {
		return c, diags
	}
	c, diags, nextPublish := loadAll(src, cfg, opts, cache)
	cache.mu.Lock()
	cache.prev = nil
	if c != nil && len(diags.Errors()) == 0 {
		cache.prev = &previous{content: c, diags: diags, drafts: opts.Drafts, future: opts.Future, nextPublish: nextPublish}
	}
	cache.mu.Unlock()
	return c, diags
}

// loadAll is Load without the reuse of the previous build's content: it
// lists the sources, takes unchanged posts from the cache and builds the
// content again. It also returns when the first post dated in the future
// is due (zero when none waits).
func loadAll(src fs.FS, cfg Config, opts LoadOptions, cache *Cache) (*Content, diag.List, time.Time) {
	var diags diag.List
	var nextPublish time.Time
	var sources, removed []string
	var err error
	cache.mu.Lock()
	prev := cache.sources
	cache.mu.Unlock()
	if opts.Incremental && prev != nil {
		sources, removed, err = updateSources(src, prev, opts.Changed)
	} else {
		sources, err = walkSources(src)
	}
	if err != nil {
		diags.Errorf(PostsDir, 0, 0, "", "%v", err)
		return nil, diags, nextPublish
	}
	files, assets, static := classifySources(sources)
	if prev != nil && opts.Incremental {
		cache.forget(removed)
	} else {
		cache.forgetMissing(files)
	}
	cache.mu.Lock()
	cache.sources = sources
	cache.mu.Unlock()

	// Parse front matter of every post, in parallel; in an incremental
	// build, a post not changed since the last is taken from the cache
	// without looking at its file.
	state := opts.states()
	parsed := make([]*Post, len(files))
	entries := make(map[*Post]*cachedPost, len(files))
	var entriesMu sync.Mutex
	perFile := make([]diag.List, len(files))
	// The buffers of readPost, reused: the file's bytes and the front
	// matter parser's reader (4 KB) for each post.
	readers := sync.Pool{New: func() any { return &postReader{br: bufio.NewReader(nil)} }}
	parallel(len(files), func(i int) {
		rd := readers.Get().(*postReader)
		e, fresh, d := readPost(src, files[i], &cfg, cache, state(files[i]), rd)
		readers.Put(rd)
		if e == nil {
			perFile[i] = d
			return
		}
		parsed[i] = fresh
		if parsed[i] == nil && e.post != nil {
			// The entry's post was last this post in an earlier build:
			// take what its file says, and let the entry hold the post
			// of this build from now on.
			parsed[i] = e.post.parsed()
			e.post = parsed[i]
		}
		perFile[i] = e.diags
		if parsed[i] != nil {
			entriesMu.Lock()
			entries[parsed[i]] = e
			entriesMu.Unlock()
		}
	})
	for _, d := range perFile {
		diags = append(diags, d...)
	}

	c := &Content{Config: cfg}
	bySlug := make(map[string]*Post, len(files))
	byFile := make(map[string]*Post, len(files))
	unpublished := map[string]string{}
	var published []*Post
	for _, p := range parsed {
		if p == nil {
			continue
		}
		byFile[p.File] = p
		if p.Slug == "" {
			continue
		}
		if other, dup := bySlug[p.Slug]; dup {
			line, col := p.slugPos.line, p.slugPos.col
			if !p.slugGiven {
				line, col = 1, 1
			}
			diags.Errorf(p.File, line, col, "give one of them another slug (the slug: line of its front matter)", "slug %q is also used by %s", p.Slug, other.File)
			continue
		}
		bySlug[p.Slug] = p
		switch {
		case p.Draft && !opts.Drafts:
			unpublished[p.Slug] = "a draft (draft: true)"
		case p.Date.After(opts.Now) && !opts.Future:
			unpublished[p.Slug] = "dated in the future (" + p.Date.Format("2006-01-02 15:04") + ")"
			if nextPublish.IsZero() || p.Date.Before(nextPublish) {
				nextPublish = p.Date
			}
		default:
			published = append(published, p)
		}
	}
	c.Unpublished = len(bySlug) - len(published)

	base := cfg.BasePath()
	urls := make(map[string]string, len(static)+len(assets)) // source file -> output path
	for _, a := range static {
		urls[a.File] = a.Out
	}
	c.Static = append(c.Static, static...)
	publishedSlugs := make(map[string]*Post, len(published))
	for _, p := range published {
		publishedSlugs[p.Slug] = p
		p.URL = base + "posts/" + p.Slug + "/"
		p.Permalink = cfg.absURL("posts/" + p.Slug + "/")
	}
	for _, a := range assets {
		dir := path.Dir(a)
		for dir != PostsDir && dir != "." {
			if p := byFile[dir+"/index.md"]; p != nil {
				if publishedSlugs[p.Slug] == p {
					out := "posts/" + p.Slug + "/" + strings.TrimPrefix(a, dir+"/")
					p.Assets = append(p.Assets, Asset{File: a, Out: out})
					urls[a] = out
				}
				break
			}
			dir = path.Dir(dir)
		}
		if dir == PostsDir || dir == "." {
			out := strings.TrimPrefix(a, PostsDir+"/")
			out = "posts/" + out
			c.Static = append(c.Static, Asset{File: a, Out: out})
			urls[a] = out
		}
	}

	// Covers and what earlier builds learnt from the bodies, in parallel.
	images := &imageSizes{src: src, known: cache.images, checked: map[string]imageSize{}, state: state}
	c.links = &linkIndex{cfg: &c.Config, src: src, posts: publishedSlugs, byFile: byFile,
		unpublished: unpublished, urls: urls, images: images}
	c.conv = markdown.New(markdown.Options{UnsafeHTML: cfg.UnsafeHTML})
	c.entries = entries
	c.cache = cache
	perPost := make([]diag.List, len(published))
	parallel(len(published), func(i int) {
		p := published[i]
		r := c.links.resolver(p)
		if p.coverRef.Dest != "" {
			img := r.Image(p.coverRef)
			p.Cover = &Image{URL: img.URL, Alt: p.coverAlt, Width: img.Width, Height: img.Height, File: r.lastFile}
		}
		perPost[i] = r.diags
		if e := entries[p]; e.rendered && r.stillValid(e.lookups) {
			p.applyKnown(e)
		}
	})
	for _, d := range perPost {
		diags = append(diags, d...)
	}
	if cfg.Logo != "" {
		file := path.Join(StaticDir, cfg.Logo)
		if out, ok := urls[file]; ok {
			size := images.get(file)
			c.Logo = &Image{URL: base + out, Alt: cfg.Title, Width: size.w, Height: size.h, File: file}
		} else {
			diags.Errorf(ConfigFile, 0, 0, fmt.Sprintf("put the logo at %s, or remove the logo: line", file), "logo %s not found", cfg.Logo)
		}
	}

	// Tags, resolved in file order so the first spelling seen wins.
	sort.Slice(published, func(i, j int) bool { return published[i].File < published[j].File })
	ix := newTagIndex(&cfg)
	for _, p := range published {
		seen := map[*Tag]bool{}
		for _, ref := range p.tagNames {
			t := ix.resolve(ref, p.File, &diags)
			if t != nil {
				p.tagPos = append(p.tagPos, TagUse{Name: ref.Name, Tag: t, Line: ref.Line, Col: ref.Col})
			}
			if t == nil || seen[t] {
				continue
			}
			seen[t] = true
			p.Tags = append(p.Tags, t)
		}
	}
	sortPosts(published)
	for i, p := range published {
		if i > 0 {
			p.Newer = published[i-1]
		}
		if i+1 < len(published) {
			p.Older = published[i+1]
		}
		for _, t := range p.Tags {
			t.posts = append(t.posts, p)
		}
	}
	c.Posts = published
	c.Tags = ix.used()
	for _, t := range c.Tags {
		t.URL = base + "tags/" + t.Slug + "/"
		t.Permalink = cfg.absURL("tags/" + t.Slug + "/")
	}
	sort.Slice(c.Static, func(i, j int) bool { return c.Static[i].Out < c.Static[j].Out })
	return c, diags, nextPublish
}

// previous is the content of the last build whose posts loaded without
// error, with what it was made with.
type previous struct {
	content        *Content
	diags          diag.List // its warnings
	drafts, future bool
	// nextPublish is when the first post dated in the future is due.
	nextPublish time.Time
}

// reuse updates the previous build's content in place when the changes
// allow it, and reports whether it did. That is the case when the only
// changes are layouts (which Load does not read) and published posts that
// keep their place in the site: same slug, date, draft flag, bundle and
// tags as written, loading without error. Such a post is parsed alone and
// written over its old *Post, so every list and neighbour that points to
// it shows the new version; its page converts its body as any changed
// post's does. Anything else (a post added, removed or moved, a static
// file, a post due to be published since) makes Load build the content
// again: building the maps of slugs and files, the tags and the sorted
// list for 10,000 posts costs tens of milliseconds that a saved post
// does not need.
func reuse(src fs.FS, cfg *Config, opts LoadOptions, cache *Cache) (*Content, diag.List, bool) {
	cache.mu.Lock()
	prev := cache.prev
	cache.mu.Unlock()
	if !opts.Incremental || prev == nil || prev.drafts != opts.Drafts || prev.future != opts.Future ||
		!prev.nextPublish.IsZero() && !opts.Now.Before(prev.nextPublish) {
		return nil, nil, false
	}
	c := prev.content
	ix := c.links
	var olds []*Post
	for _, f := range opts.Changed {
		if f == "layouts" || strings.HasPrefix(f, "layouts/") {
			continue
		}
		old := ix.byFile[f]
		if old == nil || ix.posts[old.Slug] != old {
			return nil, nil, false // not a published post
		}
		olds = append(olds, old)
	}
	// Load the changed posts; the previous content stays untouched until
	// all of them are known to fit.
	fresh := make([]*Post, len(olds))
	entries := make([]*cachedPost, len(olds))
	var newDiags diag.List
	for i, old := range olds {
		e, p, _ := readPost(src, old.File, cfg, cache, changed, nil)
		if e == nil || e.post == nil || len(e.diags.Errors()) > 0 {
			return nil, nil, false
		}
		if p == nil {
			p = e.post.parsed()
		}
		if p.Slug != old.Slug || p.Draft != old.Draft || !p.Date.Equal(old.Date) || p.Bundle != old.Bundle ||
			!slices.EqualFunc(p.tagNames, old.tagNames, func(a, b tagRef) bool { return a.Name == b.Name }) ||
			len(old.tagPos) != len(p.tagNames) {
			return nil, nil, false
		}
		// Its place in the site is the old one; its tags as written keep
		// the tags they resolved to, at their new positions.
		p.Tags, p.URL, p.Permalink, p.Assets, p.Newer, p.Older = old.Tags, old.URL, old.Permalink, old.Assets, old.Newer, old.Older
		p.tagPos = nil
		for j, use := range old.tagPos {
			ref := p.tagNames[j]
			p.tagPos = append(p.tagPos, TagUse{Name: ref.Name, Tag: use.Tag, Line: ref.Line, Col: ref.Col})
		}
		r := ix.resolver(p)
		if p.coverRef.Dest != "" {
			img := r.Image(p.coverRef)
			p.Cover = &Image{URL: img.URL, Alt: p.coverAlt, Width: img.Width, Height: img.Height, File: r.lastFile}
		}
		if len(r.diags) > 0 {
			return nil, nil, false
		}
		if e.rendered && r.stillValid(e.lookups) {
			p.applyKnown(e)
		}
		fresh[i], entries[i] = p, e
		newDiags = append(newDiags, e.diags...)
	}
	named := map[string]bool{}
	for i, old := range olds {
		p := fresh[i]
		p.keepBody = old.keepBody
		*old = *p
		c.entries[old] = entries[i]
		named[old.File] = true
	}
	c.converted.Store(0)
	diags := slices.DeleteFunc(slices.Clone(prev.diags), func(d diag.Diagnostic) bool { return named[d.File] })
	diags = append(diags, newDiags...)
	prev.diags = diags
	return c, diags, true
}

// readPost returns the cache entry of a post file: without looking at
// the file when a watcher says it did not change, by its size and time
// when those did not change (unless a watcher says it changed: a save can
// keep both), else by reading it, from the cache by its content hash or
// parsed anew (then fresh is the parsed post, with its markdown). A file
// that cannot be read yields a nil entry and the problem.
//
// rd, when not nil, holds buffers to reuse.
func readPost(src fs.FS, file string, cfg *Config, cache *Cache, state fileState, rd *postReader) (e *cachedPost, fresh *Post, diags diag.List) {
	if state == unchanged {
		if e = cache.known(file); e != nil {
			return e, nil, nil
		}
	}
	info, _ := fs.Stat(src, file)
	if state != changed {
		if hash := cache.knownHash(file, info); hash != "" {
			if e = cache.get(file, hash); e != nil {
				return e, nil, nil
			}
		}
	}
	if rd == nil {
		rd = &postReader{}
	}
	// Nothing parsePost keeps refers to data: strings are copies.
	data, err := readFileTo(src, file, rd.buf)
	if err != nil {
		diags.Errorf(file, 0, 0, "", "cannot read the file: %v", err)
		return nil, nil, diags
	}
	rd.buf = data[:0]
	hash := contentHash(data)
	cache.stamp(file, info, hash)
	if e = cache.get(file, hash); e != nil {
		return e, nil, nil
	}
	p, d := parsePost(file, data, hash, cfg, rd.br)
	// The entry holds the post this build goes on to fill in: what the
	// file says is taken from it with parsed.
	e = &cachedPost{hash: hash, diags: d, post: p}
	cache.put(file, e)
	return e, p, nil
}

// postReader holds what readPost reuses from one post to the next: the
// buffer it reads the file into and the front matter parser's reader
// (nil for a new one each time).
type postReader struct {
	buf []byte
	br  *bufio.Reader
}

// walkSources lists the regular files under posts/ and static/, sorted,
// leaving out ignored names (and everything in ignored folders).
func walkSources(src fs.FS) ([]string, error) {
	var files []string
	for _, root := range []string{PostsDir, StaticDir} {
		if err := walkFiles(src, root, func(p string) { files = append(files, p) }); err != nil {
			return nil, fmt.Errorf("reading %s: %w", root, err)
		}
	}
	sort.Strings(files)
	return files, nil
}

// walkFiles calls fn for every regular file under root, leaving out
// ignored names and everything in ignored folders. A root or a file that
// is not there (any more) is no error: a change that removes it is
// reported by itself.
func walkFiles(src fs.FS, root string, fn func(p string)) error {
	return fs.WalkDir(src, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				if p == root {
					return fs.SkipAll
				}
				return nil
			}
			return err
		}
		if p != root && IgnoredName(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			fn(p)
		}
		return nil
	})
}

// updateSources applies changed paths (files or folders, present or gone)
// to an earlier listing of walkSources, and returns the new listing and
// the files that left it. Only the changed paths are looked at.
func updateSources(src fs.FS, prev, changed []string) (files, removed []string, err error) {
	files = slices.Clone(prev)
	for _, c := range changed {
		if root, _, _ := strings.Cut(c, "/"); root != PostsDir && root != StaticDir || ignoredPath(c) {
			continue
		}
		// Drop the path and anything under it, then list what is there now.
		// (The files under c/ sort between c+"/" and c+"0", '0' being
		// the byte after '/'.)
		var gone []string
		if i, found := slices.BinarySearch(files, c); found {
			gone = append(gone, c)
			files = slices.Delete(files, i, i+1)
		}
		lo, _ := slices.BinarySearch(files, c+"/")
		hi, _ := slices.BinarySearch(files, c+"0")
		gone = append(gone, files[lo:hi]...)
		files = slices.Delete(files, lo, hi)
		info, err := fs.Lstat(src, c)
		switch {
		case err == nil && info.Mode().IsRegular():
			files = insertSorted(files, c)
		case err == nil && info.IsDir():
			if err := walkFiles(src, c, func(p string) { files = insertSorted(files, p) }); err != nil {
				return nil, nil, fmt.Errorf("reading %s: %w", c, err)
			}
		}
		for _, f := range gone {
			if _, found := slices.BinarySearch(files, f); !found {
				removed = append(removed, f)
			}
		}
	}
	return files, removed, nil
}

// ignoredPath reports whether any part of a path below its first folder
// is an ignored name.
func ignoredPath(p string) bool {
	parts := strings.Split(p, "/")
	for _, part := range parts[1:] {
		if IgnoredName(part) {
			return true
		}
	}
	return false
}

func insertSorted(files []string, f string) []string {
	i, found := slices.BinarySearch(files, f)
	if found {
		return files
	}
	return slices.Insert(files, i, f)
}

// classifySources sorts the listed files into markdown posts, other files
// under posts/ (bundle images and the like) and static files.
func classifySources(files []string) (posts, assets []string, static []Asset) {
	bundles := map[string]bool{}
	var md []string
	for _, p := range files {
		switch {
		case strings.HasPrefix(p, StaticDir+"/"):
			static = append(static, Asset{File: p, Out: strings.TrimPrefix(p, StaticDir+"/")})
		case strings.HasSuffix(p, ".md"):
			md = append(md, p)
			if path.Base(p) == "index.md" {
				bundles[path.Dir(p)] = true
			}
		default:
			assets = append(assets, p)
		}
	}
	// Markdown files inside a bundle other than index.md are the bundle's
	// own material, not posts.
	for _, p := range md {
		if inBundle(path.Dir(p), bundles) && path.Base(p) != "index.md" {
			assets = append(assets, p)
			continue
		}
		if path.Base(p) == "index.md" && inBundle(path.Dir(path.Dir(p)), bundles) {
			assets = append(assets, p)
			continue
		}
		posts = append(posts, p)
	}
	sort.Strings(posts)
	sort.Strings(assets)
	return posts, assets, static
}

func inBundle(dir string, bundles map[string]bool) bool {
	for ; dir != PostsDir && dir != "." && dir != "/"; dir = path.Dir(dir) {
		if bundles[dir] {
			return true
		}
	}
	return false
}

// IgnoredName reports whether a file or folder name is an editor's
// temporary file, a backup or hidden, which nashra never reads, publishes
// or rebuilds for: *.swp, *.swx, *.swo (vim), *~ and 4913 (vim's probe),
// .#* and #*# (emacs), *.bck, *.bak, *.tmp, *___jb_tmp___ and
// *___jb_old___ (JetBrains' safe write), ~$* (office lock files),
// .DS_Store and every name starting with a dot.
func IgnoredName(name string) bool {
	switch {
	case strings.HasPrefix(name, "."), strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"),
		strings.HasSuffix(name, "~"), strings.HasPrefix(name, "~$"), name == "4913",
		strings.HasSuffix(name, "___jb_tmp___"), strings.HasSuffix(name, "___jb_old___"):
		return true
	}
	switch path.Ext(name) {
	case ".swp", ".swx", ".swo", ".bck", ".tmp", ".bak":
		return true
	}
	return false
}

// parallel runs fn(0..n-1) on all processors. A panic in fn is raised
// again in the caller's goroutine once the other workers have stopped (as
// a *WorkerPanic carrying the worker's stack), so a caller that recovers
// panics, such as a watch loop, sees it instead of the program dying.
func parallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var panicked *WorkerPanic
	next := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if v := recover(); v != nil {
					mu.Lock()
					if panicked == nil {
						panicked = &WorkerPanic{Value: v, Stack: debug.Stack()}
					}
					next = n // the other workers stop after their current item
					mu.Unlock()
				}
			}()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
	if panicked != nil {
		panic(panicked)
	}
}

// WorkerPanic is the value of a panic raised in one of a build's worker
// goroutines and passed on to the goroutine that started the build.
type WorkerPanic struct {
	// Value is what the worker panicked with.
	Value any
	// Stack is the worker's stack when it panicked.
	Stack []byte
}

// Error describes the panic and where it happened.
func (p *WorkerPanic) Error() string {
	return fmt.Sprintf("%v\n\n%s", p.Value, p.Stack)
}
