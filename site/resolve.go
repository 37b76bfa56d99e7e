package site

import (
	"fmt"
	"html/template"
	"image"
	_ "image/gif" // image sizes of GIF files
	_ "image/jpeg"
	_ "image/png"
	"io/fs"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"

	_ "golang.org/x/image/webp" // image sizes of WebP files

	"github.com/nashra-press/nashra/site/diag"
	"github.com/nashra-press/nashra/site/markdown"
)

// resolver rewrites the links and images of one post: relative paths
// against the post's file, site paths under the base path, links to other
// posts checked against the published ones.
type resolver struct {
	*linkIndex
	post *Post
	// source is the post's file, for quoting the offending line.
	source     []byte
	lineOffset int
	diags      diag.List
	// lookups records every question asked about the rest of the site
	// and its answer, so a cached body can be checked for staleness.
	lookups []lookup
	// lastFile is the source file of the last image resolved.
	lastFile string
	// links are the links to check once every page is known.
	links []siteLink
}

// siteLink is a link from a post to a page of the site, or to an anchor
// in a post, checked after every post is rendered (checkLinks).
type siteLink struct {
	Line, Col int
	Source    string
	// Dest is the destination as written.
	Dest string
	// Slug is the post linked to (with a Fragment); Path, for other
	// links, the path from the site root ("tags/cica/").
	Slug, Path, Fragment string
}

// record notes a link for checkLinks.
func (r *resolver) record(ref markdown.Ref, l siteLink) {
	l.Line, l.Col, l.Dest = ref.Line, ref.Col, ref.Dest
	if l.Line > 0 {
		l.Line += r.lineOffset
	}
	l.Source = sourceLine(r.source, l.Line)
	r.links = append(r.links, l)
}

// fragmentOf returns the unescaped fragment of a "?query#fragment" suffix.
func fragmentOf(suffix string) string {
	_, frag, ok := strings.Cut(suffix, "#")
	if !ok {
		return ""
	}
	if u, err := url.PathUnescape(frag); err == nil {
		return u
	}
	return frag
}

func (r *resolver) errorf(ref markdown.Ref, hint, format string, args ...any) {
	line := ref.Line
	if line > 0 {
		line += r.lineOffset
	}
	r.diags.Add(diag.Diagnostic{File: r.post.File, Line: line, Col: ref.Col, Severity: diag.Error,
		Msg: fmt.Sprintf(format, args...), Hint: hint, Source: sourceLine(r.source, line)})
}

// linkIndex is what the posts' links and images resolve against: the
// published posts, every post file, the files with their output paths.
type linkIndex struct {
	cfg         *Config
	src         fs.FS
	posts       map[string]*Post  // published, by slug
	byFile      map[string]*Post  // every parsed post, by file
	unpublished map[string]string // slug -> why it is not published
	urls        map[string]string // source file -> output path
	images      *imageSizes
}

// resolver returns a resolver for one post's links.
func (ix *linkIndex) resolver(p *Post) *resolver {
	return &resolver{linkIndex: ix, post: p}
}

// lookup is one question a post's rendering asked about the rest of the
// site ("is slug x published?", "what is the URL of file y?") with the
// answer it got. A rendered body stays valid while every answer does.
type lookup struct {
	Kind, Key, Answer string
}

// ask answers a question about the site and records it.
func (r *resolver) ask(kind, key string) string {
	a := r.answer(kind, key)
	r.lookups = append(r.lookups, lookup{kind, key, a})
	return a
}

// answer computes the current answer to a question.
func (r *resolver) answer(kind, key string) string {
	switch kind {
	case "slug":
		if r.posts[key] != nil {
			return "published"
		}
		if why, ok := r.unpublished[key]; ok {
			return why
		}
		return ""
	case "file":
		other := r.byFile[key]
		if other == nil {
			return ""
		}
		return other.Slug + " " + r.answer("slug", other.Slug)
	case "url":
		return r.urls[key]
	case "image":
		s := r.images.get(key)
		return strconv.Itoa(s.w) + "x" + strconv.Itoa(s.h)
	}
	return ""
}

// stillValid reports whether every recorded answer is unchanged.
func (r *resolver) stillValid(lookups []lookup) bool {
	for _, l := range lookups {
		if r.answer(l.Kind, l.Key) != l.Answer {
			return false
		}
	}
	return true
}

// isExternal reports whether dest leaves the site (has a scheme or host).
func isExternal(dest string) bool {
	if strings.HasPrefix(dest, "//") {
		return true
	}
	u, err := url.Parse(dest)
	return err == nil && u.Scheme != ""
}

// split separates a destination into its path and the "?query#fragment"
// suffix; the path is unescaped.
func split(dest string) (string, string) {
	cut := len(dest)
	if i := strings.IndexAny(dest, "?#"); i >= 0 {
		cut = i
	}
	p, suffix := dest[:cut], dest[cut:]
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	return p, suffix
}

// Link implements markdown.Resolver.
func (r *resolver) Link(ref markdown.Ref) string {
	dest := ref.Dest
	if strings.HasPrefix(dest, "#") {
		if frag := fragmentOf(dest); frag != "" {
			r.record(ref, siteLink{Slug: r.post.Slug, Fragment: frag})
		}
		return dest
	}
	if dest == "" || isExternal(dest) {
		return dest
	}
	p, suffix := split(dest)
	base := r.cfg.BasePath()
	if strings.HasPrefix(p, "/") {
		rel := strings.TrimPrefix(p, "/")
		if slug, ok := postSlugOf(rel); ok {
			if r.ask("slug", slug) != "published" {
				r.linkProblem(ref, slug)
			} else if frag := fragmentOf(suffix); frag != "" {
				r.record(ref, siteLink{Slug: slug, Fragment: frag})
			}
			return base + "posts/" + slug + "/" + suffix
		}
		r.record(ref, siteLink{Path: rel, Fragment: fragmentOf(suffix)})
		return base + rel + suffix
	}
	target := path.Join(path.Dir(r.post.File), p)
	if strings.HasSuffix(target, ".md") {
		slug, state, _ := strings.Cut(r.ask("file", target), " ")
		switch {
		case slug == "":
			r.errorf(ref, "check the file name, or link to the post's address /posts/SLUG/", "link to %s, which is not a post", target)
			return dest
		case state != "published":
			r.linkProblem(ref, slug)
		default:
			if frag := fragmentOf(suffix); frag != "" {
				r.record(ref, siteLink{Slug: slug, Fragment: frag})
			}
		}
		return base + "posts/" + slug + "/" + suffix
	}
	if out := r.ask("url", target); out != "" {
		return base + out + suffix
	}
	r.errorf(ref, "check the path: it is relative to the post's file", "link to %s, which does not exist", target)
	return dest
}

func (r *resolver) linkProblem(ref markdown.Ref, slug string) {
	if why, ok := r.unpublished[slug]; ok {
		r.errorf(ref, "publish that post first, or remove the link", "link to the post %q, which is %s", slug, why)
		return
	}
	hint := "check the slug; links to posts look like /posts/SLUG/"
	slugs := make([]string, 0, len(r.posts))
	for s := range r.posts {
		slugs = append(slugs, s)
	}
	if c, ok := diag.Closest(slug, slugs); ok {
		hint = fmt.Sprintf("did you mean /posts/%s/?", c)
	}
	r.errorf(ref, hint, "link to the post %q, which does not exist", slug)
}

// postSlugOf recognises "posts/SLUG" and "posts/SLUG/" (not files inside).
func postSlugOf(rel string) (string, bool) {
	rest, ok := strings.CutPrefix(rel, "posts/")
	if !ok {
		return "", false
	}
	rest = strings.TrimSuffix(rest, "/")
	if rest == "" || strings.Contains(rest, "/") || strings.Contains(rest, ".") {
		return "", false
	}
	return rest, true
}

// Image implements markdown.Resolver: finds the image file, its output URL
// and its size.
func (r *resolver) Image(ref markdown.Ref) markdown.Image {
	r.lastFile = ""
	dest := ref.Dest
	if dest == "" {
		r.errorf(ref, "write the image's file name", "image without a path")
		return markdown.Image{}
	}
	if isExternal(dest) {
		return markdown.Image{URL: dest}
	}
	p, suffix := split(dest)
	var file string
	if strings.HasPrefix(p, "/") {
		file = path.Join(StaticDir, p)
	} else {
		file = path.Join(path.Dir(r.post.File), p)
	}
	out := r.ask("url", file)
	if out == "" {
		hint := "put the image beside the post (in its bundle folder) and write its file name, or put it under static/ and write /images/NAME.jpg"
		if strings.HasPrefix(p, "/") {
			hint = fmt.Sprintf("paths starting with / are files under %s/; put the image at %s", StaticDir, file)
		}
		r.errorf(ref, hint, "image %s not found", file)
		return markdown.Image{URL: dest}
	}
	r.lastFile = file
	var w, h int
	fmt.Sscanf(r.ask("image", file), "%dx%d", &w, &h)
	return markdown.Image{URL: r.cfg.BasePath() + out + suffix, Width: w, Height: h}
}

type imageSize struct{ w, h int }

// imageSizes reads image dimensions, once per file and build; across
// builds a size is reused while the file's size and modification time
// are unchanged, or without looking at the file when a watcher says it
// did not change (and read again when a watcher says it did).
type imageSizes struct {
	src   fs.FS
	state func(file string) fileState // nil: every file is unknown
	mu    sync.Mutex
	// known survives across builds (it lives in the Cache).
	known map[string]knownImage
	// checked holds the files looked at in this build.
	checked map[string]imageSize
}

type knownImage struct {
	ModTime int64
	Size    int64
	W, H    int
}

func (s *imageSizes) get(file string) imageSize {
	s.mu.Lock()
	size, ok := s.checked[file]
	st := unknown
	if s.state != nil {
		st = s.state(file)
	}
	if !ok && st == unchanged {
		var k knownImage
		if k, ok = s.known[file]; ok {
			size = imageSize{k.W, k.H}
			s.checked[file] = size
		}
	}
	s.mu.Unlock()
	if ok {
		return size
	}
	var stamp knownImage
	if info, err := fs.Stat(s.src, file); err == nil {
		stamp = knownImage{ModTime: info.ModTime().UnixNano(), Size: info.Size()}
	}
	s.mu.Lock()
	k, ok := s.known[file]
	s.mu.Unlock()
	if ok && st != changed && k.ModTime == stamp.ModTime && k.Size == stamp.Size && stamp.Size > 0 {
		size = imageSize{k.W, k.H}
	} else {
		if f, err := s.src.Open(file); err == nil {
			if cfg, _, err := image.DecodeConfig(f); err == nil {
				size = imageSize{cfg.Width, cfg.Height}
			}
			f.Close()
		}
		stamp.W, stamp.H = size.w, size.h
		s.mu.Lock()
		s.known[file] = stamp
		s.mu.Unlock()
	}
	s.mu.Lock()
	s.checked[file] = size
	s.mu.Unlock()
	return size
}

// htmlString marks HTML produced by the markdown converter as safe for
// templates: goldmark escapes text, and raw HTML is dropped unless the
// site enables it.
func htmlString(b []byte) template.HTML {
	return template.HTML(b) // #nosec: converter output
}
