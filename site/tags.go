package site

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/nashra-press/nashra/site/diag"
)

// Tag is one tag of the site with the published posts that carry it.
type Tag struct {
	// Name is the tag as configured, or as first written in a post.
	Name string
	// Slug is the URL segment: /tags/SLUG/.
	Slug string
	// Label is the name shown to readers (Arabic when configured).
	Label string
	// Description is shown on the tag's page; may be empty.
	Description string
	// URL is the tag page's path, starting with the site's base path.
	URL string
	// Permalink is the tag page's absolute URL ("" without a base URL).
	Permalink string
	// posts are the tag's published posts, newest first (Posts).
	posts []*Post
	// read, when not nil, is set once a template calls Posts.
	read *atomic.Bool
	// Configured is true for tags listed in config.yaml.
	Configured bool
}

// Count is the number of published posts with the tag.
func (t *Tag) Count() int { return len(t.posts) }

// Posts returns the tag's published posts, newest first. A layout that
// calls it shows posts that a page's fingerprint does not cover (a post
// page listing "more on this tag" through .Post.Tags, a footer through
// .Site.Tags): the build notes the call, and from then on fingerprints
// every page with every tag's posts (siteSignature).
func (t *Tag) Posts() []*Post {
	if t.read != nil {
		t.read.Store(true)
	}
	return t.posts
}

// tagIndex resolves tag names written in posts to tags: by configured
// name, slug or label, without regard to case and spaces.
type tagIndex struct {
	bySlug map[string]*Tag
	byKey  map[string]*Tag
	// byName holds the tag each name resolved to, as written: most
	// posts spell their tags as others do, and a name found here needs
	// no normalising again.
	byName map[string]*Tag
}

func newTagIndex(cfg *Config) *tagIndex {
	ix := &tagIndex{bySlug: map[string]*Tag{}, byKey: map[string]*Tag{}, byName: map[string]*Tag{}}
	for _, name := range cfg.tagOrder {
		tc := cfg.Tags[name]
		t := ix.bySlug[tc.Slug]
		if t == nil {
			label := tc.Label
			if label == "" {
				label = name
			}
			t = &Tag{Name: name, Slug: tc.Slug, Label: label, Description: tc.Description, Configured: true}
			ix.bySlug[tc.Slug] = t
		}
		for _, k := range []string{name, tc.Slug, tc.Label} {
			if k != "" {
				ix.byKey[tagKey(k)] = t
			}
		}
	}
	return ix
}

// resolve finds or creates the tag for a name written in file. A
// non-ASCII name with no configured slug is an error that shows the lines
// to add to config.yaml.
func (ix *tagIndex) resolve(ref tagRef, file string, diags *diag.List) *Tag {
	if t := ix.byName[ref.Name]; t != nil {
		return t
	}
	t := ix.find(ref, file, diags)
	if t != nil {
		ix.byName[ref.Name] = t
	}
	return t
}

// find is resolve for a name not seen yet.
func (ix *tagIndex) find(ref tagRef, file string, diags *diag.List) *Tag {
	name := strings.Join(strings.Fields(ref.Name), " ")
	if t := ix.byKey[tagKey(name)]; t != nil {
		return t
	}
	slug := asciiSlug(name)
	if slug == "" {
		diags.Add(diag.Diagnostic{File: file, Line: ref.Line, Col: ref.Col, Severity: diag.Error,
			Msg: fmt.Sprintf("tag %q has no URL slug", name),
			Hint: fmt.Sprintf("add it to %s under tags:, for example\n  %q:\n    slug: my-tag   # lower-case English letters, digits and hyphens\n    label: %q",
				ConfigFile, name, name)})
		return nil
	}
	if t := ix.bySlug[slug]; t != nil {
		ix.byKey[tagKey(name)] = t
		return t
	}
	t := &Tag{Name: name, Slug: slug, Label: name}
	ix.bySlug[slug] = t
	ix.byKey[tagKey(name)] = t
	return t
}

// used returns the tags that have at least one published post, ordered
// by slug.
func (ix *tagIndex) used() []*Tag {
	var out []*Tag
	for _, t := range ix.bySlug {
		if len(t.posts) > 0 {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b *Tag) int { return strings.Compare(a.Slug, b.Slug) })
	return out
}
