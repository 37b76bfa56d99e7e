package site

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nashra-press/nashra/site/diag"
)

// checkLinks checks the links of every post that a post's rendering could
// not check alone: links to pages of the site (tags, list pages), to
// files (static, bundles, theme assets) and to anchors in posts, which
// exist only once every post is rendered and every page planned. Each
// broken link is an error at its line in the post.
func checkLinks(c *Content, pages []Page, theme *Theme) diag.List {
	var diags diag.List
	known := map[string]bool{}
	var pagePaths []string
	for _, pg := range pages {
		rel := strings.TrimSuffix(pg.Path, "index.html")
		known[rel] = true
		pagePaths = append(pagePaths, "/"+rel)
	}
	for _, a := range c.Static {
		known[a.Out] = true
	}
	for _, p := range c.Posts {
		for _, a := range p.Assets {
			known[a.Out] = true
		}
	}
	if theme != nil {
		for _, a := range theme.Assets {
			known["assets/"+a.Name] = true
		}
	}
	bySlug := make(map[string]*Post, len(c.Posts))
	for _, p := range c.Posts {
		bySlug[p.Slug] = p
	}
	for _, p := range c.Posts {
		for _, l := range p.links {
			add := func(hint, format string, args ...any) {
				diags.Add(diag.Diagnostic{File: p.File, Line: l.Line, Col: l.Col, Severity: diag.Error,
					Msg: fmt.Sprintf(format, args...), Hint: hint, Source: l.Source})
			}
			if l.Slug != "" {
				target := bySlug[l.Slug]
				if target == nil || l.Fragment == "" || slices.Contains(target.ids, l.Fragment) {
					continue
				}
				where := "the post " + l.Slug
				if target == p {
					where = "this post"
				}
				hint := "link to a heading by its anchor, shown in the page's address when you follow the heading's link"
				if len(target.ids) == 0 {
					hint = where + " has no headings to link to"
				} else if best, ok := diag.Closest(l.Fragment, target.ids); ok {
					hint = fmt.Sprintf("did you mean #%s?", best)
				} else {
					hint = "its anchors are #" + strings.Join(target.ids, ", #")
				}
				add(hint, "link to #%s, which is not an anchor of %s", l.Fragment, where)
				continue
			}
			rel := l.Path
			if known[rel] || known[rel+"/"] || strings.HasSuffix(rel, "/index.html") && known[strings.TrimSuffix(rel, "index.html")] {
				continue
			}
			hint := "check the address: it starts from the site's root (/tags/TAG/, /images/NAME.jpg for static/images/NAME.jpg)"
			if best, ok := diag.Closest("/"+rel, pagePaths); ok {
				hint = fmt.Sprintf("did you mean %s?", best)
			}
			add(hint, "link to /%s, which is not a page or file of the site", rel)
		}
	}
	return diags
}
