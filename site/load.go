package site

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
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

// LoadOptions selects which posts are published.
type LoadOptions struct {
	// Drafts publishes posts marked draft: true.
	Drafts bool
	// Future publishes posts dated after Now.
	Future bool
	// Now is the time that decides what is in the future; zero means
	// time.Now().
	Now time.Time
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
	files, assets, static, err := listSources(src)
	if err != nil {
		diags.Errorf(PostsDir, 0, 0, "", "%v", err)
		return nil, diags
	}

	// Parse front matter of every post, in parallel.
	cache.forgetMissing(files)
	parsed := make([]*Post, len(files))
	entries := make(map[*Post]*cachedPost, len(files))
	var entriesMu sync.Mutex
	perFile := make([]diag.List, len(files))
	parallel(len(files), func(i int) {
		info, _ := fs.Stat(src, files[i])
		var e *cachedPost
		if hash := cache.knownHash(files[i], info); hash != "" {
			e = cache.get(files[i], hash)
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
	images := &imageSizes{src: src, known: cache.images, checked: map[string]imageSize{}}
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

// listSources walks posts/ and static/: markdown posts, other files under
// posts/ (bundle images and the like) and static files.
func listSources(src fs.FS) (posts, assets []string, static []Asset, err error) {
	walk := func(root string, fn func(p string)) error {
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
				fn(p)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("reading %s: %w", root, err)
		}
		return nil
	}
	bundles := map[string]bool{}
	var other []string
	if err := walk(PostsDir, func(p string) {
		if strings.HasSuffix(p, ".md") {
			posts = append(posts, p)
			if path.Base(p) == "index.md" {
				bundles[path.Dir(p)] = true
			}
			return
		}
		other = append(other, p)
	}); err != nil {
		return nil, nil, nil, err
	}
	// Markdown files inside a bundle other than index.md are the bundle's
	// own material, not posts.
	kept := posts[:0]
	for _, p := range posts {
		if inBundle(path.Dir(p), bundles) && path.Base(p) != "index.md" {
			other = append(other, p)
			continue
		}
		if path.Base(p) == "index.md" && inBundle(path.Dir(path.Dir(p)), bundles) {
			other = append(other, p)
			continue
		}
		kept = append(kept, p)
	}
	posts = kept
	assets = other
	if err := walk(StaticDir, func(p string) {
		static = append(static, Asset{File: p, Out: strings.TrimPrefix(p, StaticDir+"/")})
	}); err != nil {
		return nil, nil, nil, err
	}
	sort.Strings(posts)
	sort.Strings(assets)
	return posts, assets, static, nil
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
// temporary file, a backup or hidden, which nashra never reads or
// publishes: *.swp, *.swx, *~, .#*, 4913, *.bck, *.tmp, .DS_Store and
// every name starting with a dot.
func IgnoredName(name string) bool {
	switch {
	case strings.HasPrefix(name, "."), strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"),
		strings.HasSuffix(name, "~"), name == "4913":
		return true
	}
	switch path.Ext(name) {
	case ".swp", ".swx", ".swo", ".bck", ".tmp", ".bak":
		return true
	}
	return false
}

// parallel runs fn(0..n-1) on all processors.
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
	next := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
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
}
