package site

import (
	"bufio"
	"bytes"
	"fmt"
	"html/template"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/nashra-press/nashra/site/diag"
	"github.com/nashra-press/nashra/site/markdown"
)

// Post is one news post, parsed and rendered.
type Post struct {
	// File is the post's markdown file, relative to the site root
	// ("posts/visit.md" or "posts/visit/index.md").
	File string
	// Bundle is the folder of a page bundle ("posts/visit"), or "".
	Bundle string
	// Slug is the URL segment: /posts/SLUG/.
	Slug string
	// Title is the post's title as written.
	Title string
	// Date is when the post was published, in the site's zone.
	Date time.Time
	// Updated is when it was last changed; equal to Date when not given.
	Updated time.Time
	// Author is the post's author, or the site's default.
	Author string
	// Summary is plain text for lists, feeds and meta descriptions.
	Summary string
	// Draft posts are published only with -drafts.
	Draft bool
	// Cover is the post's cover image, or nil.
	Cover *Image
	// Tags are the post's tags, in the order written, without repeats.
	Tags []*Tag
	// Body is the rendered HTML of the post.
	Body template.HTML
	// Headings lists the post's headings with their IDs.
	Headings []markdown.Heading
	// Text is the plain text of the body.
	Text string
	// URL is the post's path, starting with the site's base path.
	URL string
	// Permalink is the post's absolute URL ("" without a base URL).
	Permalink string
	// Assets are files of the post's bundle, copied beside its page.
	Assets []Asset

	// Older and Newer are the neighbouring published posts.
	Older, Newer *Post

	// Hash identifies the post's source bytes.
	Hash string
	// BodyHash identifies the rendered body (it may change while Hash does
	// not, when an image it shows changes size).
	BodyHash string

	tagNames []tagRef
	// size is the file's length when parsed.
	size int
	// bodyStart is where the body starts in the file (after a byte order
	// mark, if any) and bodyLine its line, so that Convert need not split
	// the front matter again; 0 when not known (a post from the cache on
	// disk).
	bodyStart, bodyLine int
	// summaryGiven is true when front matter has a summary.
	summaryGiven bool
	// keepBody keeps Body in memory after the post's page is written
	// (for feeds that show full posts).
	keepBody bool
	// tagPos are the tags as written, with the tag each resolved to.
	tagPos []TagUse
	// ids are the anchors of the body; links its links inside the site.
	ids   []string
	links []siteLink
	// keyPos is where each front matter key is written.
	keyPos map[string]position
	// coverRef is the cover image as written, with its position.
	coverRef  markdown.Ref
	coverAlt  string
	slugGiven bool
	slugPos   position
}

// parsed returns a new Post holding what parsePost found in p's file,
// without anything a build filled in since (its URL, tags, body, the
// summary made from the body...). The build cache keeps the post a build
// filled in, and the next build starts from its parsed copy, so that a
// cold build holds one Post for each file, not two.
func (p *Post) parsed() *Post {
	return &Post{
		File: p.File, Bundle: p.Bundle, Hash: p.Hash, size: p.size,
		bodyStart: p.bodyStart, bodyLine: p.bodyLine,
		Title: p.Title, Date: p.Date, Updated: p.Updated, Author: p.Author, Draft: p.Draft,
		Slug: p.Slug, slugGiven: p.slugGiven, slugPos: p.slugPos,
		Summary: p.givenSummary(), summaryGiven: p.summaryGiven,
		tagNames: p.tagNames, keyPos: p.keyPos, // never changed after parsing
		coverRef: p.coverRef, coverAlt: p.coverAlt,
	}
}

// givenSummary is the summary written in the front matter, or "".
func (p *Post) givenSummary() string {
	if !p.summaryGiven {
		return ""
	}
	return p.Summary
}

// Image is an image shown on a page, with its size when known.
type Image struct {
	URL           string
	Alt           string
	Width, Height int
	// File is the image's source file relative to the site root.
	File string
}

// Asset is a file copied to the output as is.
type Asset struct {
	// File is the source path relative to the site root.
	File string
	// Out is the output path relative to the output root.
	Out string
}

type tagRef struct {
	Name      string
	Line, Col int
}

// knownKeys are the front matter keys a post may have.
func knownKeys() []string {
	return []string{"title", "date", "updated", "slug", "tags", "summary", "image", "image_alt", "author", "draft"}
}

// dateLayouts are the accepted ways of writing a date.
func dateLayouts() []string {
	return []string{
		time.RFC3339,
		"2006-01-02T15:04:05",
		"2006-01-02 15:04:05",
		"2006-01-02T15:04",
		"2006-01-02 15:04",
		"2006-01-02",
	}
}

// parsePost reads a post's bytes: checks the text, splits and decodes the
// front matter, fills the metadata. The body is rendered later, once every
// post's slug is known. hash is contentHash(data), which the caller has
// already computed for the cache.
// br, when not nil, is the reader that splitFrontMatter reuses.
func parsePost(file string, data []byte, hash string, cfg *Config, br *bufio.Reader) (*Post, diag.List) {
	var diags diag.List
	p := &Post{File: file, Hash: hash, size: len(data)}
	if path.Base(file) == "index.md" {
		p.Bundle = path.Dir(file)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		diags.Errorf(file, 0, 0, "write the front matter (title: and date: between two --- lines) and the text of the post, or delete the file", "the file is empty")
		return nil, diags
	case bytes.IndexByte(data, 0) >= 0:
		diags.Errorf(file, 0, 0, "posts/ holds only markdown posts; put images in the post's bundle folder or in static/", "this is a binary file, not a markdown post")
		return nil, diags
	case !validUTF8(data):
		line, col := firstInvalidUTF8(data)
		diags.Errorf(file, line, col, "save the file as UTF-8 (in most editors: File › Save with Encoding › UTF-8)", "the file is not UTF-8 text")
		return nil, diags
	}

	raw, body, offset, bodyLine, err := splitFrontMatter(data, br)
	if err != nil {
		addFMError(&diags, file, data, err)
		return nil, diags
	}
	p.bodyStart, p.bodyLine = len(data)-len(body), bodyLine
	fields, err := decodeFrontMatter(raw, offset)
	if err != nil {
		addFMError(&diags, file, data, err)
		return nil, diags
	}

	var titleSeen, dateSeen bool
	var titlePos position
	p.keyPos = make(map[string]position, len(fields))
	for _, f := range fields {
		if len(f.items) == 1 && f.items[0].line > 0 {
			p.keyPos[f.key] = f.items[0]
		} else {
			p.keyPos[f.key] = position{f.line, f.col}
		}
		errorf := func(hint, format string, args ...any) {
			// Point at the value when its position is known.
			line, col := f.line, f.col
			if len(f.items) == 1 && f.items[0].line > 0 {
				line, col = f.items[0].line, f.items[0].col
			}
			diags.Add(diag.Diagnostic{File: file, Line: line, Col: col, Severity: diag.Error,
				Msg: fmt.Sprintf(format, args...), Hint: hint, Source: sourceLine(data, line)})
		}
		switch f.key {
		case "title":
			titleSeen, titlePos = true, position{f.line, f.col}
			p.Title = strings.TrimSpace(scalarString(f.value))
		case "date", "updated":
			dateSeen = dateSeen || f.key == "date"
			s := strings.TrimSpace(scalarString(f.value))
			if s == "" {
				errorf("write it as 2024-12-17, 2024-12-17 10:30 or 2024-12-17T10:30:00+03:00", "%s is empty", f.key)
				continue
			}
			t, ok := parseDate(s, cfg.Location())
			if !ok {
				errorf("write it as 2024-12-17, 2024-12-17 10:30 or 2024-12-17T10:30:00+03:00", "%s %q is not a date nashra understands", f.key, s)
				continue
			}
			if f.key == "date" {
				p.Date = t
			} else {
				p.Updated = t
			}
		case "slug":
			p.slugGiven, p.slugPos = true, position{f.line, f.col}
			p.Slug = strings.TrimSpace(scalarString(f.value))
		case "tags":
			names, ok := stringList(f.value)
			if !ok {
				errorf("write tags as a list: tags: [CICA, Kazakhstan]", "tags must be a list of names")
				continue
			}
			for i, n := range names {
				pos := position{f.line, f.col}
				if i < len(f.items) {
					pos = f.items[i]
				}
				if strings.TrimSpace(n) == "" {
					continue
				}
				p.tagNames = append(p.tagNames, tagRef{Name: n, Line: pos.line, Col: pos.col})
			}
		case "summary":
			p.Summary = strings.TrimSpace(scalarString(f.value))
			p.summaryGiven = p.Summary != ""
		case "image":
			pos := position{f.line, f.col}
			if len(f.items) > 0 {
				pos = f.items[0]
			}
			p.coverRef = markdown.Ref{Dest: strings.TrimSpace(scalarString(f.value)), Line: pos.line, Col: pos.col, Image: true}
		case "image_alt":
			p.coverAlt = strings.TrimSpace(scalarString(f.value))
		case "author":
			p.Author = strings.TrimSpace(scalarString(f.value))
		case "draft":
			b, ok := f.value.(bool)
			if !ok {
				errorf("write draft: true or draft: false", "draft must be true or false")
				continue
			}
			p.Draft = b
		default:
			hint := "known keys are " + strings.Join(knownKeys(), ", ")
			if c, ok := diag.Closest(f.key, knownKeys()); ok {
				hint = fmt.Sprintf("did you mean %q?", c)
			}
			diags.Add(diag.Diagnostic{File: file, Line: f.line, Col: f.col, Severity: diag.Warning,
				Msg: fmt.Sprintf("unknown front matter key %q is ignored", f.key), Hint: hint, Source: sourceLine(data, f.line)})
		}
	}
	fmLine := offset
	if fmLine < 1 {
		fmLine = 1
	}
	if !titleSeen || p.Title == "" {
		line, col := fmLine, 1
		if titleSeen {
			line, col = titlePos.line, titlePos.col
		}
		diags.Errorf(file, line, col, `add a line such as title: "زيارة وفد كازاخستاني إلى عمّان" to the front matter`, "the post has no title")
	}
	if !dateSeen {
		diags.Errorf(file, fmLine, 1, "add a line such as date: 2024-12-17 to the front matter", "the post has no date")
	}
	if p.Updated.IsZero() || p.Updated.Before(p.Date) {
		p.Updated = p.Date
	}
	if p.Author == "" {
		p.Author = cfg.Author
	}

	name := strings.TrimSuffix(path.Base(file), ".md")
	if p.Bundle != "" {
		name = path.Base(p.Bundle)
	}
	if !p.slugGiven {
		p.Slug = asciiSlug(name)
		if p.Slug == "" {
			diags.Errorf(file, fmLine, 1,
				fmt.Sprintf("add a line slug: my-post-name (lower-case English letters, digits and hyphens) to the front matter, or rename the %s", map[bool]string{true: "folder", false: "file"}[p.Bundle != ""]),
				"the post has no slug and its name %q cannot be used in a URL", name)
		}
	} else if !validSlug(p.Slug) {
		hint := "use lower-case English letters, digits and hyphens, such as cica-ministerial-2024"
		if s := asciiSlug(p.Slug); s != "" && validSlug(s) {
			hint = fmt.Sprintf("use lower-case English letters, digits and hyphens: slug: %s", s)
		}
		diags.Errorf(file, p.slugPos.line, p.slugPos.col, hint, "slug %q cannot be used in a URL", p.Slug)
	}
	return p, diags
}

func addFMError(diags *diag.List, file string, data []byte, err error) {
	fe, ok := err.(*fmError)
	if !ok {
		diags.Errorf(file, 0, 0, "", "%v", err)
		return
	}
	diags.Add(diag.Diagnostic{File: file, Line: fe.line, Col: fe.col, Severity: diag.Error, Msg: fe.msg, Hint: fe.hint, Source: sourceLine(data, fe.line)})
}

// parseDate accepts the documented date forms; those without an offset are
// in loc.
func parseDate(s string, loc *time.Location) (time.Time, bool) {
	for _, layout := range dateLayouts() {
		var t time.Time
		var err error
		if layout == time.RFC3339 {
			t, err = time.Parse(layout, s)
		} else {
			t, err = time.ParseInLocation(layout, s, loc)
		}
		if err == nil {
			return t.In(loc), true
		}
	}
	return time.Time{}, false
}

func scalarString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case []any, map[string]any:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// stringList accepts a list of names, or one string of names separated by
// commas (Latin or Arabic).
func stringList(v any) ([]string, bool) {
	switch v := v.(type) {
	case nil:
		return nil, true
	case string:
		return strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == '،' }), true
	case []any:
		out := make([]string, 0, len(v))
		for _, item := range v {
			switch item.(type) {
			case []any, map[string]any:
				return nil, false
			}
			out = append(out, scalarString(item))
		}
		return out, true
	}
	return nil, false
}

func firstInvalidUTF8(data []byte) (line, col int) {
	line, col = 1, 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		data = data[size:]
	}
	return line, col
}

// sourceLine returns line n (1-based) of data, for error displays.
func sourceLine(data []byte, n int) string {
	if n < 1 {
		return ""
	}
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(data, '\n')
		if j < 0 {
			return ""
		}
		data = data[j+1:]
	}
	if j := bytes.IndexByte(data, '\n'); j >= 0 {
		data = data[:j]
	}
	return strings.TrimRight(string(data), "\r")
}

// sortPosts orders posts newest first; equal dates by slug, so output does
// not depend on file system order.
func sortPosts(posts []*Post) {
	slices.SortStableFunc(posts, func(a, b *Post) int {
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		return strings.Compare(a.Slug, b.Slug)
	})
}

// applyKnown fills what an earlier build learnt from the post's body,
// so pages that only list the post need not convert it again.
func (p *Post) applyKnown(e *cachedPost) {
	if !p.summaryGiven {
		p.Summary = e.summary
	}
	p.Headings = e.headings
	p.BodyHash = e.bodyHash
	p.ids, p.links = e.ids, e.links
}

// TagUse is one tag as written in a post's front matter.
type TagUse struct {
	// Name is the tag as written; Tag the tag it stands for.
	Name string
	Tag  *Tag
	// Line and Col are where it is written.
	Line, Col int
}

// TagUses lists the post's tags as written, with their positions.
func (p *Post) TagUses() []TagUse { return p.tagPos }

// KeyPosition returns where the front matter key (title, summary,
// image, …) is written, and whether it is.
func (p *Post) KeyPosition(key string) (line, col int, ok bool) {
	pos, ok := p.keyPos[key]
	return pos.line, pos.col, ok
}

// PostBody returns the markdown body of a post file (the bytes after the
// front matter) and the line of the file where it starts.
func PostBody(data []byte) (body []byte, line int, err error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	_, body, _, line, err = splitFrontMatter(data, nil)
	return body, line, err
}
