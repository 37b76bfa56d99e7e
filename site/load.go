package site

import (
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

// trusted returns a function reporting whether the cached knowledge of a
// source file may be used without reading the file.
func (o LoadOptions) trusted() func(file string) bool {
	if !o.Incremental {
		return func(string) bool { return false }
	}
	changed := make(map[string]bool, len(o.Changed))
	for _, f := range o.Changed {
		changed[f] = true
	}
	return func(file string) bool { return !changed[file] }
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
	// entries are the cache entries of the posts.
	entries map[*Post]*cachedPost
	cache   *Cache
	// icons are the icons made from the logo (set by Generate).
	icons *siteIcons
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
	data, err := fs.ReadFile(c.links.src, p.File)
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
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	_, body, _, bodyLine, err := splitFrontMatter(data)
	if err != nil {
		diags.Errorf(p.File, 0, 0, "", "%v", err)
		return diags
	}
	r := c.links.resolver(p)
	r.source, r.lineOffset = data, bodyLine-1
	c.converted.Add(1)
	res, err := c.conv.Convert(body, r)
	if err != nil {
		diags.Errorf(p.File, 0, 0, "", "cannot convert the markdown: %v", err)
		return diags
	}
	p.Body = htmlString(res.HTML)
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
			e.summary, e.bodyHash, e.headings = res.Summary, p.BodyHash, res.Headings
			e.ids, e.links = res.IDs, r.links
		} else {
			e.rendered = false
		}
	}
	return r.diags
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
	var diags diag.List
	if cache == nil {
		cache = NewCache()
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
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
		return nil, diags
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
	trusted := opts.trusted()
	parsed := make([]*Post, len(files))
	entries := make(map[*Post]*cachedPost, len(files))
	var entriesMu sync.Mutex
	perFile := make([]diag.List, len(files))
	parallel(len(files), func(i int) {
		var e *cachedPost
		var info fs.FileInfo
		if trusted(files[i]) {
			e = cache.known(files[i])
		}
		if e == nil {
			info, _ = fs.Stat(src, files[i])
			if hash := cache.knownHash(files[i], info); hash != "" {
				e = cache.get(files[i], hash)
			}
		}
		if e == nil {
			data, err := fs.ReadFile(src, files[i])
			if err != nil {
				perFile[i].Errorf(files[i], 0, 0, "", "cannot read the file: %v", err)
				return
			}
			hash := contentHash(data)
			cache.stamp(files[i], info, hash)
			if e = cache.get(files[i], hash); e == nil {
				p, d := parsePost(files[i], data, &cfg)
				e = &cachedPost{hash: hash, diags: d}
				if p != nil {
					tmpl := *p
					e.post = &tmpl
				}
				cache.put(files[i], e)
				parsed[i] = p
			}
		}
		if parsed[i] == nil && e.post != nil {
			p := *e.post
			parsed[i] = &p
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
	bySlug := map[string]*Post{}
	byFile := map[string]*Post{}
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
		default:
			published = append(published, p)
		}
	}
	c.Unpublished = len(bySlug) - len(published)

	base := cfg.BasePath()
	urls := map[string]string{} // source file -> output path
	for _, a := range static {
		urls[a.File] = a.Out
	}
	c.Static = append(c.Static, static...)
	publishedSlugs := map[string]*Post{}
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
	images := &imageSizes{src: src, known: cache.images, checked: map[string]imageSize{}, trusted: trusted}
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
			t.Posts = append(t.Posts, p)
		}
	}
	c.Posts = published
	c.Tags = ix.used()
	for _, t := range c.Tags {
		t.URL = base + "tags/" + t.Slug + "/"
		t.Permalink = cfg.absURL("tags/" + t.Slug + "/")
	}
	sort.Slice(c.Static, func(i, j int) bool { return c.Static[i].Out < c.Static[j].Out })
	return c, diags
}

// walkSources lists the regular files under posts/ and static/, sorted,
// leaving out ignored names (and everything in ignored folders).
func walkSources(src fs.FS) ([]string, error) {
	var files []string
	for _, root := range []string{PostsDir, StaticDir} {
		err := fs.WalkDir(src, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == root && errors.Is(err, fs.ErrNotExist) {
					return fs.SkipAll
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
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", root, err)
		}
	}
	sort.Strings(files)
	return files, nil
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
			err := fs.WalkDir(src, c, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return nil // gone again since the event: a later change says so
				}
				if p != c && IgnoredName(d.Name()) {
					if d.IsDir() {
						return fs.SkipDir
					}
					return nil
				}
				if d.Type().IsRegular() {
					files = insertSorted(files, p)
				}
				return nil
			})
			if err != nil {
				return nil, nil, err
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
