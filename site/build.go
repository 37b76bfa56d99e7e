// Package site is nashra's engine: it loads a site's settings and posts,
// plans its pages, renders them through the theme's layouts and writes
// them to an Output.
//
// It reads sources only through fs.FS and writes only through Output, so
// tests run it on fstest.MapFS and in memory; the command line wraps it
// with a real folder (package output) and the watcher re-runs it.
//
// One build is a flat sequence, each step timed in verbose output:
//
//  1. settings: defaults < config.yaml < flags (LoadConfig);
//  2. posts: front matter and markdown of every post, in parallel (Load);
//  3. collect: drafts and future posts left out, newest first, tags;
//  4. plan: post pages, home pages, tag pages, tags index, search, 404;
//  5. render and write: pages are rendered by a pool of workers and each
//     is handed to the Output as soon as it is done, so memory holds a few
//     pages at a time, not the site: first the post pages (each post's
//     markdown converted just before its page, and its words analysed for
//     search then), then the links of every post to pages, files and
//     #anchors are checked, which only the whole site can answer, then
//     the lists;
//  6. search index: the dictionaries of every post's words and the rest
//     of the chunks of post data (package search, file searchindex.go).
//
// All problems of a build are collected as diagnostics and reported
// together; any error-level one fails the build, and the caller discards
// what was written.
package site

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nashra-press/nashra/site/diag"
	"github.com/nashra-press/nashra/site/output"
)

// cacheVersion changes whenever the meaning of cached data changes, so a
// cache written by another version of nashra is never used.
const cacheVersion = "nashra-cache-8"

// Output receives the files of a build.
type Output interface {
	// WriteFile stores data at rel, a slash-separated path relative to
	// the output root. It is called from several goroutines at once.
	WriteFile(rel string, data []byte) error
}

// Options controls a build.
type Options struct {
	LoadOptions
	// BaseURL, when set, replaces the base_url of config.yaml.
	BaseURL string
	// Local builds a site to look at on this machine only: without a
	// base URL it is not an error, pages link from the host root, and the
	// files that only work with absolute URLs (feeds, sitemap.xml,
	// robots.txt) and the canonical and sharing tags of page heads are
	// left out. Without Local, a missing base URL is an error.
	Local bool
	// Theme is the default theme (layouts.FS); the site's layouts/
	// override it file by file.
	Theme fs.FS
	// Log receives the timing of each step; nil for none.
	Log io.Writer
	// Cache carries work from one build to the next (watch mode, or a
	// cache saved on disk); nil builds from scratch.
	Cache *Cache
	// Origin, when set, replaces the scheme and host of the base URL and
	// keeps its path: a preview server passes its own address
	// ("http://127.0.0.1:1414"), so absolute URLs point at it.
	Origin string
	// First lists output pages ("posts/x/index.html") to render before
	// the others of their kind: a preview server passes the pages its
	// browsers show, so they are ready first.
	First []string
	// Loaded, when not nil, is called once the posts are loaded and
	// found without error, before anything is rendered: the nashra
	// command sizes the runtime's memory limit then (see its heap.go).
	Loaded func()
}

// HashedWriter is an Output that takes the content hash (output.Hash)
// along with the bytes, so they are hashed once.
type HashedWriter interface {
	WriteFileHash(rel string, data []byte, hash string) error
}

// Reuser is an Output that can keep a file of the previous build instead
// of receiving its bytes again (output.Dir hard-links it).
type Reuser interface {
	// Unchanged keeps the previous build's file at rel if its content
	// hash (output.Hash) is hash, and reports whether it did.
	Unchanged(rel, hash string) bool
}

// Result describes a finished build.
type Result struct {
	// Pages counts HTML pages; Files every file written (pages, assets,
	// static files).
	Pages, Files int
	// Posts and Tags count what was published; Unpublished counts drafts
	// and future posts left out.
	Posts, Tags, Unpublished int
	// Rendered counts the pages rendered; the others were unchanged and
	// kept from the previous build.
	Rendered int
	// SearchAnalyzed counts the posts analysed for the search index; the
	// others' words came from the cache.
	SearchAnalyzed int
	// SearchDictionaries tells how the search dictionaries were made:
	// "kept" (no post's words changed), "updated" (the previous build's
	// edited where words changed) or "merged" (from every post's words);
	// "" without search.
	SearchDictionaries string
	// Warnings are problems that did not stop the build.
	Warnings diag.List
	// Content is the loaded site.
	Content *Content
}

// Generate builds the site in src and writes it to out. On error out may
// hold some pages (post pages are written as soon as they are rendered,
// and links to pages and anchors are checked once they all are); the
// caller discards it, as output.Dir's Abort does.
func Generate(ctx context.Context, src fs.FS, out Output, opts Options) (*Result, error) {
	timer := newStepTimer(opts.Log)
	cfg, diags := LoadConfig(src)
	if opts.BaseURL != "" {
		if err := cfg.SetBaseURL(opts.BaseURL); err != nil {
			diags.Errorf("", 0, 0, `write it as https://example.gov.kz/amman/news/`, "-base-url: %v", err)
		}
	}
	if opts.Origin != "" {
		if err := cfg.SetBaseURL(strings.TrimSuffix(opts.Origin, "/") + cfg.BasePath()); err != nil {
			diags.Errorf("", 0, 0, "", "preview address: %v", err)
		}
	}
	if cfg.BaseURL == "" && !opts.Local && diags.Err() == nil {
		diags.Errorf(ConfigFile, 0, 0,
			`add the address the site is served from, such as base_url: "https://example.gov.kz/amman/news/", or pass -base-url`,
			"base_url is not set: feeds, the sitemap and the links that search engines and social sites show need the site's absolute address")
	}
	if err := diags.Err(); err != nil {
		return &Result{Warnings: diags.Warnings()}, err
	}
	timer.step("config")

	cache := opts.Cache
	if cache == nil {
		cache = NewCache()
	}
	cache.buildStart = time.Now()
	rawConfig, _ := fs.ReadFile(src, ConfigFile)
	cache.reset(contentHash([]byte(fmt.Sprintf("%s\x00%s\x00%s\x00%s", rawConfig, opts.BaseURL, opts.Origin, cacheVersion))))

	theme, themeDiags := loadTheme(LayoutsFS(src, opts.Theme), &cfg, cache.themeParses)
	diags = append(diags, themeDiags...)
	if len(themeDiags) == 0 {
		cache.themeParsed(theme.Fingerprint)
	}
	timer.step("layouts")

	ic, iconsDone, icDiags := startIcons(src, &cfg, cache, out)
	content, loadDiags := Load(src, cfg, opts.LoadOptions, cache)
	diags = append(diags, loadDiags...)
	res := &Result{Warnings: diags.Warnings(), Content: content}
	// Icons are being made on another goroutine: wait for them before
	// returning, whatever happens.
	defer func() { _ = iconsDone() }()
	if err := diags.Err(); err != nil {
		// Report the problems inside the bodies (broken links, missing
		// images) and the links to pages and anchors too, so the author
		// sees every mistake at once.
		if content != nil {
			diags = append(diags, content.ConvertAll()...)
			diags = append(diags, checkLinks(content, Plan(content), theme)...)
		}
		return res, diags.Err()
	}
	res.Posts, res.Tags, res.Unpublished = len(content.Posts), len(content.Tags), content.Unpublished
	timer.step(fmt.Sprintf("posts (%d)", len(content.Posts)))
	if opts.Loaded != nil {
		opts.Loaded()
	}

	if content.Logo == nil {
		ic = nil
	}
	content.icons = ic
	res.Warnings = append(res.Warnings, icDiags...)
	extra := extraFiles(content, src)
	res.Warnings = append(res.Warnings, extra.warnings...)
	if err := checkExtraFiles(content, extra).Err(); err != nil {
		return res, err
	}

	// Files first: a page handed to the output may be shown at once (by
	// a preview server), and must not refer to an image or stylesheet
	// that is not there yet.
	n, err := writeFiles(ctx, src, theme, content, out, cache, opts.LoadOptions)
	if err != nil {
		return res, err
	}
	timer.step(fmt.Sprintf("copy files (%d)", n))

	pages := Plan(content)
	timer.step(fmt.Sprintf("plan (%d pages)", len(pages)))
	if extra.feeds {
		defer keepFeedBodies(content)()
	}

	if content.Config.Search {
		content.search = newSearchIndex(content, out, cache)
	}
	// Whether the layouts show posts through tags is learnt by rendering
	// (see Tag.Posts): a theme's first build renders every page, and
	// tells the next builds.
	readsTagPosts, known := cache.layoutsReadTagPosts(theme.Fingerprint)
	var tagPostsRead atomic.Bool
	for _, t := range content.Tags {
		t.read = &tagPostsRead
	}
	rendered, err := writePages(ctx, theme, pages, out, content, cache, siteSignature(content, theme, readsTagPosts), opts.First)
	if err != nil {
		return res, err
	}
	if read := tagPostsRead.Load(); !known || (read && !readsTagPosts) {
		cache.noteTagPosts(theme.Fingerprint, read)
		if read {
			// The next builds fingerprint pages with the tags' posts:
			// record those fingerprints now. A page this build kept did
			// not show a tag's posts: it was last rendered, with the same
			// fingerprint, by a build that saw no layout call Posts.
			cache.refingerprint(pages, siteSignature(content, theme, true))
		}
	}
	res.Pages, res.Rendered = len(pages), rendered
	timer.step(fmt.Sprintf("render pages (%d rendered)", rendered))
	res.Files = res.Pages + n

	if s := content.search; s != nil {
		searchFiles, err := s.finish(ctx)
		if err != nil {
			return res, err
		}
		res.SearchAnalyzed, res.SearchDictionaries = s.analysed, s.dicts
		res.Files += searchFiles
		timer.step(fmt.Sprintf("search index (%d files, dictionaries %s)", searchFiles, s.dicts))
	}
	if extra.feeds {
		n, err := writeFeeds(ctx, content, ic, out, cache)
		if err != nil {
			return res, err
		}
		res.Files += n
		timer.step(fmt.Sprintf("feeds (%d)", n))
	}
	if extra.sitemap {
		n, err := writeSitemap(content, pages, extra.robots, out)
		if err != nil {
			return res, err
		}
		res.Files += n
		timer.step("sitemap")
	}
	if err := iconsDone(); err != nil {
		return res, err
	}
	n, err = writeWebApp(content, ic, out)
	if err != nil {
		return res, err
	}
	res.Files += n
	timer.step(fmt.Sprintf("icons, manifest (%d)", n))
	return res, nil
}

// navTagCount is how many tags SiteData.NavTags holds.
const navTagCount = 6

// Page is one planned HTML page: where it goes and what it shows.
type Page struct {
	// Path is the output file, relative to the output root.
	Path string
	Data *PageData
}

// Plan lists every page of the site, in a fixed order.
func Plan(c *Content) []Page {
	cfg := &c.Config
	base := cfg.BasePath()
	siteData := &SiteData{
		Title: cfg.Title, Description: cfg.Description, Author: cfg.Author,
		Language: cfg.Language, BasePath: base, BaseURL: cfg.BaseURL,
		Tags: navTags(c), PostCount: len(c.Posts), Generator: "nashra", Logo: c.Logo,
		Locale: cfg.OGLocale(), Search: cfg.Search,
		Feeds: feedLinks(cfg, "", feedTitle(cfg, nil)), Icons: c.icons.links(cfg), Manifest: base + ManifestFile,
		cfg: cfg,
	}
	if l := c.Logo; l != nil && cfg.base != nil {
		siteData.logo = &ShareImage{URL: cfg.hostURL(l.URL), Alt: l.Alt, Width: l.Width, Height: l.Height}
	}
	siteData.NavTags = siteData.Tags[:min(len(siteData.Tags), navTagCount)]
	page := func(kind, rel string, d *PageData) Page {
		d.Kind, d.Site = kind, siteData
		d.URL = base + rel
		d.Permalink = cfg.absURL(rel)
		p := pagePath(rel)
		if kind == "404" {
			p, d.Permalink = "404.html", ""
		}
		return Page{Path: p, Data: d}
	}
	pages := make([]Page, 0, len(c.Posts)+len(c.Posts)/max(cfg.PerPage, 1)+2*len(c.Tags)+3)
	// Post pages in one block, with the URLs Load made: Plan runs before
	// a preview can show the page of a saved post, and this is 13,000
	// pages on a site of 10,000 posts.
	datas := make([]PageData, len(c.Posts))
	for i, p := range c.Posts {
		d := &datas[i]
		*d = PageData{Kind: "post", Site: siteData, Title: p.Title, Description: p.Summary, Post: p, URL: p.URL, Permalink: p.Permalink}
		pages = append(pages, Page{Path: "posts/" + p.Slug + "/index.html", Data: d})
	}
	for _, lp := range paginate(c.Posts, cfg.PerPage, "", base) {
		d := &PageData{Posts: lp.posts, Pager: lp.pager}
		if lp.pager.Number > 1 {
			d.Title = "الصفحة " + cfg.Dates().Number(lp.pager.Number)
		}
		pages = append(pages, page("home", lp.rel, d))
	}
	pages = append(pages, page("tags", "tags/", &PageData{Title: "الوسوم", Tags: c.Tags}))
	for _, t := range c.Tags {
		for _, lp := range paginate(t.posts, cfg.PerPage, "tags/"+t.Slug+"/", base) {
			d := &PageData{Title: t.Label, Description: t.Description, Tag: t, Posts: lp.posts, Pager: lp.pager}
			if lp.pager.Number > 1 {
				d.Title = t.Label + " – الصفحة " + cfg.Dates().Number(lp.pager.Number)
			}
			pages = append(pages, page("tag", lp.rel, d))
		}
	}
	if cfg.Search {
		pages = append(pages, page("search", SearchDir, &PageData{Title: "البحث", SearchIndex: base + SearchDir + "index.json"}))
	}
	pages = append(pages, page("404", "404.html", &PageData{Title: "الصفحة غير موجودة"}))
	return pages
}

type listPage struct {
	rel   string
	posts []*Post
	pager *Pager
}

// paginate splits posts into pages of perPage: the first at prefix, the
// others at prefix/page/N/. An empty list still has one (empty) page.
func paginate(posts []*Post, perPage int, prefix, base string) []listPage {
	total := max(1, (len(posts)+perPage-1)/perPage)
	url := func(n int) string {
		if n == 1 {
			return base + prefix
		}
		return base + prefix + "page/" + strconv.Itoa(n) + "/"
	}
	out := make([]listPage, total)
	for n := 1; n <= total; n++ {
		lo, hi := (n-1)*perPage, min(n*perPage, len(posts))
		var chunk []*Post
		if lo < hi {
			chunk = posts[lo:hi]
		}
		out[n-1] = listPage{rel: strings.TrimPrefix(url(n), base), posts: chunk, pager: NewPager(n, total, url)}
	}
	return out
}

// NewPager links page number of total pages, url giving each page's URL.
// Pages holds the numbered links worth showing, not all of them: the
// first, the last, two on each side of the current page (a gap of one page
// shows that page), and a Gap entry where pages are left out. So a list of
// a thousand pages costs a dozen links per page, not a thousand.
func NewPager(number, total int, url func(n int) string) *Pager {
	p := &Pager{Number: number, Total: total, First: url(1), Last: url(total)}
	if number > 1 {
		p.Prev = url(number - 1)
	}
	if number < total {
		p.Next = url(number + 1)
	}
	shown := func(n int) bool {
		near := n >= number-2 && n <= number+2
		edge := n == 1 || n == total || n == 2 && number == 5 || n == total-1 && number == total-4
		return near || edge
	}
	for n := 1; n <= total; n++ {
		switch {
		case shown(n):
			p.Pages = append(p.Pages, PagerLink{Number: n, URL: url(n), Current: n == number})
		case n == number-3 || n == number+3:
			p.Pages = append(p.Pages, PagerLink{Number: n, Gap: true})
		default:
			// Jump over the run of hidden pages.
			if n < number-3 {
				n = number - 4
			} else if n > number+3 {
				n = total - 1
			}
		}
	}
	return p
}

// writePages renders pages on every processor and hands each to out as
// soon as it is rendered: first the post pages, converting each post's
// markdown just before its page and dropping it after, then the lists,
// which need only what the conversions learnt (summaries); in each group
// the pages listed in first come before the others. A page whose
// fingerprint (what it shows) is the same as in the previous build is not
// rendered, and its post not converted, when out can keep the old file.
// It returns the number of pages rendered.
func writePages(ctx context.Context, theme *Theme, pages []Page, out Output, c *Content, cache *Cache, siteSig string, first []string) (int, error) {
	var mu sync.Mutex
	var diags diag.List
	reuser, _ := out.(Reuser)
	states := make([]pageState, len(pages))
	rendered := make([]bool, len(pages))
	pool := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	fail := func(l diag.List) {
		mu.Lock()
		diags = append(diags, l...)
		mu.Unlock()
	}
	render := func(i int) {
		if ctx.Err() != nil {
			return
		}
		pg := pages[i]
		post := pg.Data.Post
		cache.mu.Lock()
		old, known := cache.pages[pg.Path]
		cache.mu.Unlock()
		fingerprint := ""
		if known && reuser != nil && (post == nil || post.BodyHash != "") {
			fingerprint = pageFingerprint(pg, siteSig)
			if old.Fingerprint == fingerprint && reuser.Unchanged(pg.Path, old.Hash) {
				states[i] = old
				return
			}
		}
		if post != nil {
			if l := c.Convert(post); len(l) > 0 {
				fail(l)
				return
			}
			defer c.Release(post)
			// The summary may come from the body, known only now.
			pg.Data.Description = post.Summary
		}
		buf := pool.Get().(*bytes.Buffer)
		buf.Reset()
		defer pool.Put(buf)
		err := theme.Execute(buf, pg.Data)
		hash := ""
		if err == nil {
			hash = output.Hash(buf.Bytes())
			if hw, ok := out.(HashedWriter); ok {
				err = hw.WriteFileHash(pg.Path, buf.Bytes(), hash)
			} else {
				err = out.WriteFile(pg.Path, buf.Bytes())
			}
		}
		if err != nil {
			fail(diag.AsList(err))
			return
		}
		if fingerprint == "" || post != nil {
			// A post's fingerprint has its body's hash, known only now.
			fingerprint = pageFingerprint(pg, siteSig)
		}
		states[i] = pageState{Fingerprint: fingerprint, Hash: hash}
		rendered[i] = true
	}
	want := make(map[string]bool, len(first))
	for _, p := range first {
		want[p] = true
	}
	var postPages, otherPages, firstPosts, firstOthers []int
	for i, pg := range pages {
		switch {
		case pg.Data.Post != nil && want[pg.Path]:
			firstPosts = append(firstPosts, i)
		case pg.Data.Post != nil:
			postPages = append(postPages, i)
		case want[pg.Path]:
			firstOthers = append(firstOthers, i)
		default:
			otherPages = append(otherPages, i)
		}
	}
	postPages = append(firstPosts, postPages...)
	otherPages = append(firstOthers, otherPages...)
	parallel(len(postPages), func(j int) { render(postPages[j]) })
	if ctx.Err() == nil {
		// Every post's anchors and links are known now (converted, or
		// from the cache): check the links that only the whole site can.
		fail(checkLinks(c, pages, theme))
	}
	if len(diags) == 0 {
		parallel(len(otherPages), func(j int) { render(otherPages[j]) })
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := diags.Err(); err != nil {
		return 0, err
	}
	n := 0
	cache.mu.Lock()
	cache.pages = make(map[string]pageState, len(pages))
	for i, pg := range pages {
		cache.pages[pg.Path] = states[i]
		if rendered[i] {
			n++
			cache.dirty = true
		}
	}
	if len(cache.pages) != len(pages) {
		cache.dirty = true
	}
	cache.mu.Unlock()
	return n, nil
}

// siteSignature identifies what every page may show besides its own
// content: the theme, the settings, the icons, the tags and their counts;
// and, when the layouts call Tag.Posts (tagPosts), every tag's posts.
func siteSignature(c *Content, theme *Theme, tagPosts bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\x00%d\x00%s\x00%t\x00", theme.Fingerprint, len(c.Posts), c.Config.BaseURL, c.Config.Search)
	if c.icons != nil {
		fmt.Fprintf(&b, "icons %s %s\x00", c.icons.version, c.icons.svg)
	}
	if c.Logo != nil {
		fmt.Fprintf(&b, "logo %s %dx%d\x00", c.Logo.URL, c.Logo.Width, c.Logo.Height)
	}
	sig := []byte(b.String())
	for _, t := range c.Tags {
		sig = fmt.Appendf(sig, "%s\x00%s\x00%d\x00", t.Slug, t.Label, len(t.posts))
		if tagPosts {
			for _, p := range t.posts {
				sig = appendPostKey(sig, p)
			}
		}
	}
	return contentHash(sig)
}

// appendPostKey appends what identifies post p as another page shows it
// (its slug, its file's hash, its cover), or "-" for none.
func appendPostKey(b []byte, p *Post) []byte {
	if p == nil {
		return append(b, "-\x00"...)
	}
	b = append(b, p.Slug...)
	b = append(b, ' ')
	b = append(b, p.Hash...)
	if c := p.Cover; c != nil {
		b = append(b, ' ')
		b = append(b, c.URL...)
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(c.Width), 10)
		b = append(b, 'x')
		b = strconv.AppendInt(b, int64(c.Height), 10)
	}
	return append(b, 0)
}

// pageFingerprint identifies what a page shows: if it is unchanged, so is
// the rendered page. It runs for every page of every build, so it appends
// its fields to one buffer, on the stack for most pages, and hashes that.
func pageFingerprint(pg Page, siteSig string) string {
	var stack [1024]byte
	b := stack[:0]
	field := func(b []byte, s string) []byte { return append(append(b, s...), 0) }
	d := pg.Data
	for _, s := range [...]string{siteSig, pg.Path, d.Kind, d.Title, d.Description, d.SearchIndex} {
		b = field(b, s)
	}
	if p := d.Post; p != nil {
		b = appendPostKey(b, p)
		b = append(b, p.BodyHash...)
		b = appendPostKey(b, p.Newer)
		b = appendPostKey(b, p.Older)
	}
	for _, p := range d.Posts {
		b = appendPostKey(b, p)
	}
	if d.Pager != nil {
		b = field(b, "pager")
		b = field(strconv.AppendInt(b, int64(d.Pager.Number), 10), "")
		b = field(strconv.AppendInt(b, int64(d.Pager.Total), 10), "")
	}
	if d.Tag != nil {
		b = field(field(field(b, "tag"), d.Tag.Slug), d.Tag.Description)
	}
	return contentHash(b)
}

// writeFiles copies the theme's assets, static files and post assets. A
// file that a watcher says did not change, or whose size and time did not
// change since the last build, is neither read nor hashed: the output
// keeps its copy.
func writeFiles(ctx context.Context, src fs.FS, theme *Theme, c *Content, out Output, cache *Cache, opts LoadOptions) (int, error) {
	var diags diag.List
	for _, a := range theme.Assets {
		if err := out.WriteFile("assets/"+a.Name, a.Data); err != nil {
			diags.Errorf("layouts/assets/"+a.Name, 0, 0, "", "copying to the output: %v", err)
		}
	}
	var files []Asset
	files = append(files, c.Static...)
	for _, p := range c.Posts {
		files = append(files, p.Assets...)
	}
	var mu sync.Mutex
	reuser, _ := out.(Reuser)
	hw, _ := out.(HashedWriter)
	state := opts.states()
	parallel(len(files), func(i int) {
		if ctx.Err() != nil {
			return
		}
		st := state(files[i].File)
		if reuser != nil && st == unchanged {
			if h := cache.stampedHash(files[i].File); h != "" && reuser.Unchanged(files[i].Out, h) {
				return
			}
		}
		info, _ := fs.Stat(src, files[i].File)
		if h := cache.knownHash(files[i].File, info); st != changed && h != "" && reuser != nil && reuser.Unchanged(files[i].Out, h) {
			return
		}
		data, err := fs.ReadFile(src, files[i].File)
		if err == nil {
			h := contentHash(data)
			cache.stamp(files[i].File, info, h)
			if hw != nil {
				err = hw.WriteFileHash(files[i].Out, data, h)
			} else {
				err = out.WriteFile(files[i].Out, data)
			}
		}
		if err != nil {
			mu.Lock()
			diags.Errorf(files[i].File, 0, 0, "", "copying to the output: %v", err)
			mu.Unlock()
		}
	})
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return len(files) + len(theme.Assets), diags.Err()
}

// stepTimer logs how long each step of a build took.
type stepTimer struct {
	w          io.Writer
	start, mid time.Time
}

func newStepTimer(w io.Writer) *stepTimer {
	now := time.Now()
	return &stepTimer{w: w, start: now, mid: now}
}

func (t *stepTimer) step(name string) {
	if t.w == nil {
		return
	}
	now := time.Now()
	fmt.Fprintf(t.w, "%-24s %8.1f ms\n", name, float64(now.Sub(t.mid).Microseconds())/1000)
	t.mid = now
}
