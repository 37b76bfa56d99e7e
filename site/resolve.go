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
	post        *Post
	cfg         *Config
	src         fs.FS
	posts       map[string]*Post  // published, by slug
	byFile      map[string]*Post  // every parsed post, by file
	unpublished map[string]string // slug -> why it is not published
	urls        map[string]string // source file -> output path
	images      *imageSizes
	lineOffset  int
	diags       diag.List
	// lastFile is the source file of the last image resolved.
	lastFile string
}

func (r *resolver) errorf(ref markdown.Ref, hint, format string, args ...any) {
	line := ref.Line
	if line > 0 {
		line += r.lineOffset
	}
	r.diags.Add(diag.Diagnostic{File: r.post.File, Line: line, Col: ref.Col, Severity: diag.Error,
		Msg: fmt.Sprintf(format, args...), Hint: hint, Source: sourceLine(r.post.source, line)})
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
	if dest == "" || strings.HasPrefix(dest, "#") || isExternal(dest) {
		return dest
	}
	p, suffix := split(dest)
	base := r.cfg.BasePath()
	if strings.HasPrefix(p, "/") {
		rel := strings.TrimPrefix(p, "/")
		if slug, ok := postSlugOf(rel); ok {
			if r.posts[slug] == nil {
				r.linkProblem(ref, slug)
			}
			return base + "posts/" + slug + "/" + suffix
		}
		return base + rel + suffix
	}
	target := path.Join(path.Dir(r.post.File), p)
	if strings.HasSuffix(target, ".md") {
		other := r.byFile[target]
		switch {
		case other == nil:
			r.errorf(ref, "check the file name, or link to the post's address /posts/SLUG/", "link to %s, which is not a post", target)
			return dest
		case r.posts[other.Slug] != other:
			r.linkProblem(ref, other.Slug)
		}
		return base + "posts/" + other.Slug + "/" + suffix
	}
	if out, ok := r.urls[target]; ok {
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
	out, ok := r.urls[file]
	if !ok {
		hint := "put the image beside the post (in its bundle folder) and write its file name, or put it under static/ and write /images/NAME.jpg"
		if strings.HasPrefix(p, "/") {
			hint = fmt.Sprintf("paths starting with / are files under %s/; put the image at %s", StaticDir, file)
		}
		r.errorf(ref, hint, "image %s not found", file)
		return markdown.Image{URL: dest}
	}
	r.lastFile = file
	size := r.images.get(file)
	return markdown.Image{URL: r.cfg.BasePath() + out + suffix, Width: size.w, Height: size.h}
}

type imageSize struct{ w, h int }

// imageSizes reads image dimensions once per file.
type imageSizes struct {
	src   fs.FS
	mu    sync.Mutex
	sizes map[string]imageSize
}

func (s *imageSizes) get(file string) imageSize {
	s.mu.Lock()
	size, ok := s.sizes[file]
	s.mu.Unlock()
	if ok {
		return size
	}
	if f, err := s.src.Open(file); err == nil {
		if cfg, _, err := image.DecodeConfig(f); err == nil {
			size = imageSize{cfg.Width, cfg.Height}
		}
		f.Close()
	}
	s.mu.Lock()
	s.sizes[file] = size
	s.mu.Unlock()
	return size
}

// htmlString marks HTML produced by the markdown converter as safe for
// templates: goldmark escapes text, and raw HTML is dropped unless the
// site enables it.
func htmlString(b []byte) template.HTML {
	return template.HTML(b) // #nosec: converter output
}
