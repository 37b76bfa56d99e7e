package site

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nashra-press/nashra/site/diag"
	"github.com/nashra-press/nashra/site/feed"
	"github.com/nashra-press/nashra/site/output"
)

// The feed files of the site and of each tag, relative to the site root or
// to the tag's folder (tags/SLUG/). Tags have Atom and RSS feeds only:
// JSON Feed readers read Atom too, and a tag's JSON feed would add a
// third copy of its posts to every build.
const (
	AtomFile = "feed.xml"
	RSSFile  = "rss.xml"
	JSONFile = "feed.json"
)

// FeedLink is one feed a page points to with <link rel="alternate">.
type FeedLink struct {
	// Title names the feed for readers ("أخبار الثقافة – Atom").
	Title string
	// URL is the feed's absolute URL.
	URL string
	// Type is its media type: application/atom+xml, application/rss+xml
	// or application/feed+json.
	Type string
}

// feedSpec is one feed to write: the site's or a tag's.
type feedSpec struct {
	dir      string // "" or "tags/SLUG/"
	title    string
	subtitle string
	posts    []*Post // newest first, already cut to feed_entries
}

// feedSpecs lists the site's feed and one per tag.
func feedSpecs(c *Content) []feedSpec {
	cfg := &c.Config
	first := func(posts []*Post) []*Post { return posts[:min(len(posts), cfg.FeedEntries)] }
	specs := []feedSpec{{title: cfg.Title, subtitle: cfg.Description, posts: first(c.Posts)}}
	for _, t := range c.Tags {
		sub := t.Description
		if sub == "" {
			sub = cfg.Description
		}
		specs = append(specs, feedSpec{dir: "tags/" + t.Slug + "/", title: feedTitle(cfg, t), subtitle: sub, posts: first(t.posts)})
	}
	return specs
}

// feedLinks returns the alternate links of the feeds in dir ("" for the
// site's, "tags/SLUG/" for a tag's); title names the feed.
func feedLinks(cfg *Config, dir, title string) []FeedLink {
	if cfg.base == nil {
		return nil
	}
	links := []FeedLink{
		{Title: title + " (Atom)", URL: cfg.absURL(dir + AtomFile), Type: feed.AtomType},
		{Title: title + " (RSS)", URL: cfg.absURL(dir + RSSFile), Type: feed.RSSType},
	}
	if dir == "" {
		links = append(links, FeedLink{Title: title + " (JSON Feed)", URL: cfg.absURL(JSONFile), Type: feed.JSONType})
	}
	return links
}

// feedFormats lists the feed files of the feeds in dir: a JSON feed only
// for the site's.
func feedFormats(dir string) []string {
	if dir == "" {
		return []string{AtomFile, RSSFile, JSONFile}
	}
	return []string{AtomFile, RSSFile}
}

// feedPaths lists every feed file the site will have.
func feedPaths(c *Content) []string {
	var out []string
	for _, s := range feedSpecs(c) {
		for _, name := range feedFormats(s.dir) {
			out = append(out, s.dir+name)
		}
	}
	return out
}

// entryHTML is what a post contributes to feeds, made once per build.
type entryHTML struct {
	summary, content string
}

// feedPosts lists the posts the specs show, each once.
func feedPosts(specs []feedSpec) []*Post {
	var posts []*Post
	seen := map[*Post]bool{}
	for _, s := range specs {
		for _, p := range s.posts {
			if !seen[p] {
				seen[p] = true
				posts = append(posts, p)
			}
		}
	}
	return posts
}

// feedEntries makes the HTML of posts for their feed entries: the body
// with absolute URLs is cached per post, keyed by the rendered body's
// hash, since resolving URLs means parsing the whole body again.
func feedEntries(c *Content, posts []*Post, cache *Cache) (map[*Post]entryHTML, diag.List) {
	full := c.Config.FeedContent == FeedFull
	out := make(map[*Post]entryHTML, len(posts))
	var mu sync.Mutex
	var diags diag.List
	parallel(len(posts), func(i int) {
		p := posts[i]
		var e entryHTML
		if p.Summary != "" {
			e.summary = "<p>" + html.EscapeString(p.Summary) + "</p>"
		}
		if !full {
			e.summary = coverHTML(&c.Config, p.Cover) + e.summary
		} else {
			content, err := feedContent(c, p, cache)
			if err != nil {
				mu.Lock()
				diags.Errorf(p.File, 0, 0, "", "making the links of the post absolute for the feeds: %v", err)
				mu.Unlock()
				return
			}
			e.content = content
		}
		// Wrapped once here, not in each feed and format that shows it.
		e.summary = feed.Wrap(e.summary, "rtl", c.Config.Language)
		mu.Lock()
		out[p] = e
		mu.Unlock()
	})
	return out, diags
}

// feedFingerprint identifies what a feed shows: when it is the same as in
// the previous build, the feed's files are too. (A change of settings
// empties the cache.) It runs for every feed of every build, so it appends
// its fields to one buffer and hashes that.
func feedFingerprint(s feedSpec, icons *siteIcons) string {
	b := make([]byte, 0, 4096)
	str := func(b []byte, s string, sep byte) []byte { return append(append(b, s...), sep) }
	b = str(str(str(b, s.dir, 0), s.title, 0), s.subtitle, 0)
	if icons != nil {
		b = str(str(append(b, "icons "...), icons.version, ' '), icons.svg, 0)
	}
	for _, p := range s.posts {
		b = str(str(str(b, p.Permalink, ' '), p.Hash, ' '), p.BodyHash, 0)
		// A tag's label may come from another post's spelling.
		for _, t := range p.Tags {
			b = str(str(b, t.Slug, ' '), t.Label, 0)
		}
	}
	return contentHash(b)
}

// keepFeedBodies asks the posts that the feeds show in full to keep their
// converted bodies after their pages are written, and returns the function
// that releases them once the feeds are written.
func keepFeedBodies(c *Content) func() {
	if c.Config.FeedContent != FeedFull {
		return func() {}
	}
	posts := feedPosts(feedSpecs(c))
	for _, p := range posts {
		p.keepBody = true
	}
	return func() {
		for _, p := range posts {
			p.keepBody = false
			c.Release(p)
		}
	}
}

// feedContent returns a post's whole entry HTML for the feeds: its cover
// and its body with every URL absolute, wrapped in its direction and
// language. It comes from the cache when neither the body nor the cover
// changed; a post whose page was kept from an earlier build was not
// converted in this one, and is converted now.
func feedContent(c *Content, p *Post, cache *Cache) (string, error) {
	cover := coverHTML(&c.Config, p.Cover)
	cache.mu.Lock()
	cb, ok := cache.feedBodies[p.File]
	cache.mu.Unlock()
	if ok && p.BodyHash != "" && cb.bodyHash == p.BodyHash && cb.permalink == p.Permalink && cb.cover == cover {
		return cb.html, nil
	}
	if p.Body == "" {
		if err := c.Convert(p).Err(); err != nil {
			return "", err
		}
	}
	page, err := url.Parse(p.Permalink)
	if err != nil {
		return "", err
	}
	body, err := feed.AbsoluteURLs(strings.TrimSpace(string(p.Body)), page)
	if err != nil {
		return "", err
	}
	// The feeds need only this copy from now on.
	p.keepBody = false
	c.Release(p)
	content := feed.Wrap(cover+body, "rtl", c.Config.Language)
	cache.mu.Lock()
	cache.feedBodies[p.File] = cachedFeedBody{bodyHash: p.BodyHash, permalink: p.Permalink, cover: cover, html: content}
	cache.mu.Unlock()
	return content, nil
}

// coverHTML shows a post's cover image at the top of its feed entry.
func coverHTML(cfg *Config, img *Image) string {
	if img == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<figure><img src="`)
	b.WriteString(html.EscapeString(cfg.hostURL(img.URL)))
	b.WriteString(`" alt="`)
	b.WriteString(html.EscapeString(img.Alt))
	b.WriteString(`"`)
	if img.Width > 0 && img.Height > 0 {
		b.WriteString(` width="` + strconv.Itoa(img.Width) + `" height="` + strconv.Itoa(img.Height) + `"`)
	}
	b.WriteString(`></figure>`)
	return b.String()
}

// epoch is the update time of a feed with no entries: fixed, so that an
// empty feed is the same file in every build.
var epoch = time.Unix(0, 0).UTC()

// writeFeeds writes the Atom, RSS and JSON feeds of the site and the Atom
// and RSS feeds of each tag. A feed that shows what it showed in the
// previous build is kept without being made again when out can keep
// files. It returns the number of feed files.
func writeFeeds(ctx context.Context, c *Content, icons *siteIcons, out Output, cache *Cache) (int, error) {
	cfg := &c.Config
	specs := feedSpecs(c)
	reuser, _ := out.(Reuser)

	// Which feeds changed, with their fingerprints.
	states := map[string]pageState{}
	var changed []feedSpec
	var prints []string
	cache.mu.Lock()
	previous := cache.feeds
	cache.mu.Unlock()
	for _, s := range specs {
		fp := feedFingerprint(s, icons)
		kept := reuser != nil
		for _, name := range feedFormats(s.dir) {
			old, ok := previous[s.dir+name]
			if kept && ok && old.Fingerprint == fp && reuser.Unchanged(s.dir+name, old.Hash) {
				states[s.dir+name] = old
			} else {
				kept = false
			}
		}
		if !kept {
			changed = append(changed, s)
			prints = append(prints, fp)
		}
	}

	// Bodies with absolute URLs are kept for the posts that feeds show.
	all := feedPosts(specs)
	keep := make(map[string]bool, len(all))
	for _, p := range all {
		keep[p.File] = true
	}
	cache.mu.Lock()
	for f := range cache.feedBodies {
		if !keep[f] {
			delete(cache.feedBodies, f)
		}
	}
	cache.mu.Unlock()
	shown := feedPosts(changed)
	entries, diags := feedEntries(c, shown, cache)
	if err := diags.Err(); err != nil {
		return 0, err
	}

	author := feed.Person{Name: cfg.Author, URL: cfg.absURL("")}
	if author.Name == "" {
		author.Name = cfg.Title
	}
	var icon, logo string
	if icons != nil {
		icon, logo = icons.absolute(cfg, 32), icons.absolute(cfg, 512)
	}
	// A post's entry is the same in every feed that shows it (the site's
	// and each of its tags'): it is made once.
	scheme := cfg.absURL("tags/")
	made := make(map[*Post]feed.Entry, len(shown))
	for _, p := range shown {
		e := entries[p]
		entry := feed.Entry{
			// The post's address: it stays when the title, the date
			// or the text change (see README, "Feeds").
			ID:          p.Permalink,
			Title:       cfg.PlainText(p.Title),
			Link:        p.Permalink,
			Published:   p.Date,
			Updated:     p.Updated,
			Author:      feed.Person{Name: p.Author},
			Summary:     p.Summary,
			SummaryHTML: e.summary,
			ContentHTML: e.content,
		}
		if p.Author == author.Name {
			entry.Author.URL = author.URL
		}
		if p.Cover != nil {
			entry.Image = cfg.hostURL(p.Cover.URL)
		}
		for _, t := range p.Tags {
			entry.Categories = append(entry.Categories, feed.Category{Term: t.Slug, Label: t.Label, Scheme: scheme})
		}
		made[p] = entry
	}
	var mu sync.Mutex
	parallel(len(changed), func(i int) {
		if ctx.Err() != nil {
			return
		}
		s := changed[i]
		f := &feed.Feed{
			Title:     cfg.PlainText(s.title),
			Subtitle:  s.subtitle,
			Language:  cfg.Language,
			Home:      cfg.absURL(s.dir),
			Updated:   epoch,
			Author:    author,
			Icon:      icon,
			Logo:      logo,
			Generator: "nashra",
			Entries:   make([]feed.Entry, 0, len(s.posts)),
		}
		for _, p := range s.posts {
			if p.Updated.After(f.Updated) {
				f.Updated = p.Updated
			}
			f.Entries = append(f.Entries, made[p])
		}
		encode := map[string]func(string) ([]byte, error){AtomFile: f.Atom, RSSFile: f.RSS, JSONFile: f.JSON}
		fp := prints[i]
		for _, name := range feedFormats(s.dir) {
			path := s.dir + name
			data, err := encode[name](cfg.absURL(path))
			if err == nil {
				err = out.WriteFile(path, data)
			}
			mu.Lock()
			if err != nil {
				diags.Errorf("", 0, 0, "", "writing %s: %v", path, err)
			} else {
				states[path] = pageState{Fingerprint: fp, Hash: output.Hash(data)}
			}
			mu.Unlock()
		}
	})
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if err := diags.Err(); err != nil {
		return 0, err
	}
	cache.mu.Lock()
	if len(changed) > 0 || len(states) != len(previous) {
		cache.dirty = true
	}
	cache.feeds = states
	cache.mu.Unlock()
	return len(states), nil
}

// feedTitle is the title of the feeds in a page's alternate links.
func feedTitle(cfg *Config, t *Tag) string {
	if t == nil {
		return cfg.Title
	}
	return fmt.Sprintf("%s – %s", t.Label, cfg.Title)
}
