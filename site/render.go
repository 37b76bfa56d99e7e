package site

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nashra-press/nashra/site/bidi"
	"github.com/nashra-press/nashra/site/diag"
)

// PageData is what a layout template receives as its dot.
type PageData struct {
	// Kind is "home", "post", "tag", "tags", "search" or "404".
	Kind string
	// Site holds the site-wide values.
	Site *SiteData
	// Title is the page's own title; empty on the first home page.
	Title string
	// Description is the page's summary for meta tags; empty when the page
	// has none of its own (layouts then use Site.Description).
	Description string
	// URL is the page's path from the host root, with the base path.
	URL string
	// Permalink is the page's absolute URL ("" without a base URL).
	Permalink string
	// Post is the post shown on a post page.
	Post *Post
	// Posts are the posts listed on a home or tag page.
	Posts []*Post
	// Tag is the tag of a tag page.
	Tag *Tag
	// Tags are every tag, on the tags page.
	Tags []*Tag
	// Pager links the pages of a paginated list; nil elsewhere.
	Pager *Pager
	// SearchIndex is the URL of the search index (index.json) on the
	// search page; "" elsewhere.
	SearchIndex string
}

// SiteData holds values shared by every page.
type SiteData struct {
	Title       string
	Description string
	Author      string
	// Language is the content's language tag ("ar").
	Language string
	// BasePath starts every URL inside the site ("/" or "/amman/news/").
	BasePath string
	// BaseURL is the absolute base URL ("" when not set).
	BaseURL string
	// Logo is the site's logo, or nil.
	Logo *Image
	// Tags are all tags with published posts, for navigation: configured
	// tags in the order of config.yaml, then the others by post count.
	Tags []*Tag
	// NavTags are the first tags of Tags, for a navigation bar.
	NavTags []*Tag
	// PostCount is the number of published posts.
	PostCount int
	// Generator names the program, for the generator meta tag.
	Generator string
	// Locale is the Open Graph locale (og:locale): ar_AR for Arabic.
	Locale string
	// Feeds are the site's feeds (Atom, RSS, JSON Feed) for <link
	// rel="alternate">; empty without a base URL.
	Feeds []FeedLink
	// Icons are the favicon and the touch icon made from the logo; empty
	// without a logo.
	Icons []IconLink
	// Manifest is the path of the web app manifest.
	Manifest string

	// cfg is the site's settings, for Head.
	cfg *Config
	// logo is the logo as an image to share (absolute URL), or nil.
	logo *ShareImage

	// Search is true when the site has a search page (setting search).
	Search bool
}

// Pager links the pages of a paginated list.
type Pager struct {
	// Number is this page's number, from 1; Total the number of pages.
	Number, Total int
	// First, Prev, Next and Last are URLs; Prev and Next are "" when there
	// is no such page.
	First, Prev, Next, Last string
	// Pages lists the numbered links to show (see NewPager).
	Pages []PagerLink
}

// PagerLink is one numbered page link, or a gap ("…") in their run.
type PagerLink struct {
	Number  int
	URL     string
	Current bool
	// Gap marks left-out pages; Number and URL are then not links.
	Gap bool
}

// pageKinds are the page templates a theme provides, each executed as
// the "base" template with base.html and partials/*.html.
func pageKinds() []string { return []string{"home", "post", "tag", "tags", "search", "404"} }

// Theme is a parsed set of layouts and the theme's static assets.
type Theme struct {
	// kinds are the layouts of each page kind, parsed on first use when
	// the theme is known to parse (see loadTheme).
	kinds map[string]*themeKind
	funcs template.FuncMap
	// Assets are the files under layouts/assets/, copied to /assets/.
	Assets []ThemeAsset
	// Fingerprint changes whenever any layout or asset changes.
	Fingerprint string

	// fragments memoises partialCached: a fragment rendered once per
	// build for a given template and value (a post's card is the same on
	// every list that shows it).
	fragments sync.Map // fragmentKey -> template.HTML
}

// fragmentKey identifies a fragment of partialCached: the template's
// name and the value it was given, or the variants that stand for it.
type fragmentKey struct {
	name     string
	variants bool
	key      [maxVariants]any
}

// maxVariants is how many variants partialCached takes after its value.
const maxVariants = 3

// ThemeAsset is one file of the theme copied to the output.
type ThemeAsset struct {
	Name string // path under assets/
	Data []byte
	Hash string
}

var templateLineRe = regexp.MustCompile(`template: ([^:]+):(\d+)(?::(\d+))?: (.*)`)

// themeKind is the layout of one page kind: base.html, the partials and
// KIND.html, as read, and the template set parsed from them.
type themeKind struct {
	name  string
	files []layoutFile
	// incomplete tells that a file of the set could not be read.
	incomplete bool
	once       sync.Once
	t          *template.Template
	diags      diag.List
}

// layoutFile is one layout file as read.
type layoutFile struct {
	name string
	data []byte
	err  error
}

// LoadTheme parses the layouts in fsys (the site's layouts over the
// default theme), with functions bound to the site's settings.
func LoadTheme(fsys fs.FS, cfg *Config) (*Theme, diag.List) {
	return loadTheme(fsys, cfg, nil)
}

// loadTheme reads the layouts in fsys and parses them, or, when known
// says that a theme of the same fingerprint parsed without a problem,
// leaves each page kind's layouts to be parsed when a page of that kind is
// first rendered: a rebuild that renders no page, or only post and list
// pages, does not parse the others. known may be nil.
func loadTheme(fsys fs.FS, cfg *Config, known func(fingerprint string) bool) (*Theme, diag.List) {
	var diags diag.List
	th := &Theme{kinds: map[string]*themeKind{}}
	var all bytes.Buffer
	// Assets first: templates refer to them by fingerprint.
	_ = fs.WalkDir(fsys, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || IgnoredName(d.Name()) {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			diags.Errorf("layouts/"+p, 0, 0, "", "cannot read: %v", err)
			return nil
		}
		th.Assets = append(th.Assets, ThemeAsset{Name: strings.TrimPrefix(p, "assets/"), Data: data, Hash: contentHash(data)})
		all.WriteString(p + contentHash(data))
		return nil
	})
	assetHash := map[string]string{}
	for _, a := range th.Assets {
		assetHash[a.Name] = a.Hash
	}
	th.funcs = templateFuncs(cfg, assetHash)

	partials, _ := fs.Glob(fsys, "partials/*.html")
	sort.Strings(partials)
	common := []string{"base.html"}
	common = append(common, partials...)
	// Each file is read once, though every page kind's set has the
	// common ones; the fingerprint and the problems are the set's.
	read := map[string]layoutFile{}
	incomplete := false
	for _, kind := range pageKinds() {
		k := &themeKind{name: kind}
		for _, name := range append(common, kind+".html") {
			f, seen := read[name]
			if !seen {
				f.name = name
				f.data, f.err = fs.ReadFile(fsys, name)
				read[name] = f
			}
			if f.err != nil {
				diags.Errorf("layouts/"+name, 0, 0, "every theme needs this file; delete your copy in layouts/ to use the default", "cannot read the layout: %v", f.err)
				k.incomplete, incomplete = true, true
				continue
			}
			k.files = append(k.files, f)
			all.WriteString(name)
			all.Write(f.data)
		}
		th.kinds[kind] = k
	}
	th.Fingerprint = contentHash(all.Bytes())
	if incomplete || known == nil || !known(th.Fingerprint) {
		for _, kind := range pageKinds() {
			diags = append(diags, th.parse(th.kinds[kind])...)
		}
	}
	return th, diags
}

// parse parses the layouts of a page kind, once, and returns the
// problems found; a kind whose layouts are missing or do not parse has
// no template.
func (th *Theme) parse(k *themeKind) diag.List {
	k.once.Do(func() {
		var t *template.Template
		t = template.New(k.name).Funcs(th.funcs).Funcs(template.FuncMap{
			// partialCached executes a named template once per build
			// for a given value (compared by identity: pass a pointer
			// such as a *site.Post) and reuses the result.
			"partialCached": func(name string, data any, variants ...any) (template.HTML, error) {
				return th.partialCached(t, name, data, variants)
			},
		})
		ok := !k.incomplete
		for _, f := range k.files {
			if _, err := t.New(f.name).Parse(string(f.data)); err != nil {
				k.diags.Add(templateDiag(f.name, err))
				ok = false
			}
		}
		if ok && t.Lookup("base") == nil {
			k.diags.Errorf("layouts/base.html", 0, 0, `wrap the page in {{define "base"}} … {{end}}`, "base.html does not define the template \"base\"")
			ok = false
		}
		if ok {
			k.t = t
		}
		k.files = nil // parsed: the bytes are no longer needed
	})
	return k.diags
}

// templateDiag turns a template error into a diagnostic on the layout file.
func templateDiag(name string, err error) diag.Diagnostic {
	d := diag.Diagnostic{File: "layouts/" + name, Severity: diag.Error, Msg: err.Error()}
	if m := templateLineRe.FindStringSubmatch(err.Error()); m != nil {
		d.Line, _ = strconv.Atoi(m[2])
		if m[3] != "" {
			d.Col, _ = strconv.Atoi(m[3])
		}
		d.Msg = m[4]
		if !strings.HasSuffix(m[1], ".html") {
			d.Msg = m[1] + ": " + m[4]
		}
	}
	return d
}

// partialCached renders the template name of set with data, once per
// build and value. With variants, they alone make the key: the fragment
// is rendered for the first data that comes with them and reused for
// every page that passes the same variants (Hugo's partialCached works
// the same way), so they must decide everything the template shows.
// Values and variants are compared with ==: pointers by identity.
func (th *Theme) partialCached(set *template.Template, name string, data any, variants []any) (template.HTML, error) {
	key := fragmentKey{name: name}
	switch {
	case len(variants) > maxVariants:
		return "", fmt.Errorf("partialCached %q: at most %d variants, not %d", name, maxVariants, len(variants))
	case len(variants) > 0:
		key.variants = true
		copy(key.key[:], variants)
	default:
		key.key[0] = data
	}
	for _, v := range key.key {
		if v != nil && !reflect.TypeOf(v).Comparable() {
			return "", fmt.Errorf("partialCached %q: a %T cannot be a key; pass a pointer, a string or a number", name, v)
		}
	}
	if v, ok := th.fragments.Load(key); ok {
		return v.(template.HTML), nil
	}
	var buf bytes.Buffer
	if err := set.ExecuteTemplate(&buf, name, data); err != nil {
		return "", err
	}
	html := template.HTML(buf.String()) // produced by an html/template: escaped
	th.fragments.Store(key, html)
	return html, nil
}

// Execute renders one page with the layout of its kind.
func (th *Theme) Execute(w *bytes.Buffer, data *PageData) error {
	k := th.kinds[data.Kind]
	if k == nil {
		return fmt.Errorf("no layout for %s pages", data.Kind)
	}
	if diags := th.parse(k); diags.Err() != nil {
		return diags.Err()
	}
	t := k.t
	if t == nil {
		return fmt.Errorf("no layout for %s pages", data.Kind)
	}
	if err := t.ExecuteTemplate(w, "base", data); err != nil {
		d := templateDiag(data.Kind+".html", err)
		d.Msg = fmt.Sprintf("rendering %s: %s", data.URL, d.Msg)
		return d
	}
	return nil
}

// templateFuncs are the functions layouts may call.
func templateFuncs(cfg *Config, assetHash map[string]string) template.FuncMap {
	base := cfg.BasePath()
	loc := cfg.Location()
	dates := cfg.Dates()
	return template.FuncMap{
		// date formats a time as "الثلاثاء، 17 كانون الأول 2024".
		"date": func(t time.Time) string { return dates.LongDate(t.In(loc)) },
		// shortDate formats a time as "17 كانون الأول 2024".
		"shortDate": func(t time.Time) string { return dates.Date(t.In(loc)) },
		// datetime formats a time for <time datetime="…">.
		"datetime": func(t time.Time) string { return t.In(loc).Format(time.RFC3339) },
		// num writes a number with the site's digits.
		"num": func(n int) string { return dates.Number(n) },
		// digits converts the ASCII digits of a string to the site's digits.
		"digits": func(s string) string { return dates.Digitize(s) },
		// url turns a path relative to the site root into one from the host
		// root, under the base path.
		"url": func(rel string) string { return base + strings.TrimPrefix(rel, "/") },
		// absURL turns a path relative to the site root into an absolute URL
		// (the path from the host root when no base URL is set).
		// A path that already starts with the base path (a post's URL, an
		// image's URL) is taken as is.
		"absURL": func(rel string) string {
			rel = strings.TrimPrefix(rel, base)
			if u := cfg.absURL(rel); u != "" {
				return u
			}
			return base + strings.TrimPrefix(rel, "/")
		},
		// asset returns the URL of a theme asset with a version query that
		// changes when its content does, so browsers may cache it for long.
		"asset": func(name string) (string, error) {
			h, ok := assetHash[name]
			if !ok {
				return "", fmt.Errorf("no theme asset %q under layouts/assets/", name)
			}
			return base + "assets/" + name + "?v=" + h[:10], nil
		},
		// bidi escapes plain text (a title, a summary, a label) for HTML
		// and isolates its left-to-right runs and phone numbers with
		// <span dir="ltr">, so they keep their order in Arabic text.
		"bidi": func(s string) template.HTML { return template.HTML(bidi.HTML(s)) },
		// plainText prepares text for plain-text outputs read by other
		// programs (og:title): Unicode isolates when bidi_controls is on.
		"plainText": cfg.PlainText,
		// jsonLD is the page's schema.org description (a NewsArticle on
		// posts), for <script type="application/ld+json">.
		"jsonLD": jsonLD,
		// add and sub do integer arithmetic for pagers.
		"add": func(a, b int) int { return a + b },
		"sub": func(a, b int) int { return a - b },
		// mod is the remainder of a divided by b (for Arabic plural forms).
		"mod": func(a, b int) int {
			if b == 0 {
				return 0
			}
			return a % b
		},
	}
}

// pagePath returns the output file for a page URL path relative to the
// site root ("" for the home page, "posts/x/" …).
func pagePath(rel string) string {
	if rel != "" && !strings.HasSuffix(rel, "/") {
		return path.Join(rel, "index.html")
	}
	return rel + "index.html" // the common case, without path.Join's work
}

// navTags orders tags for navigation: configured tags in the order of
// config.yaml, then the others by number of posts (most first), then slug.
func navTags(c *Content) []*Tag {
	order := map[string]int{}
	for i, name := range c.Config.tagOrder {
		order[c.Config.Tags[name].Slug] = i + 1
	}
	out := append([]*Tag(nil), c.Tags...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		oa, ob := order[a.Slug], order[b.Slug]
		switch {
		case oa != 0 && ob != 0:
			return oa < ob
		case oa != 0 || ob != 0:
			return oa != 0
		case len(a.posts) != len(b.posts):
			return len(a.posts) > len(b.posts)
		}
		return a.Slug < b.Slug
	})
	return out
}

// NavCurrent is the URL of the navigation link that is this page (the
// home page, the tags index or one of Site.NavTags), or "": the header
// of every other page is the same, and partialCached renders it once.
func (d *PageData) NavCurrent() string {
	if d.Site == nil || d.Kind == "post" {
		return ""
	}
	base := d.Site.BasePath
	if d.URL == base || d.URL == base+"tags/" {
		return d.URL
	}
	for _, t := range d.Site.NavTags {
		if d.URL == t.URL {
			return d.URL
		}
	}
	return ""
}
