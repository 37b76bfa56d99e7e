// Package layouts is nashra's default theme: html/template layouts, CSS,
// fonts and small scripts, embedded in the binary so that nashra works in
// any folder with no setup.
//
// A site overrides it file by file: a file with the same path under the
// site's own layouts/ folder is used instead of the embedded one.
//
// The page layouts are home.html, post.html, tag.html, tags.html,
// search.html and 404.html; each is parsed together with base.html and
// partials/*.html, and executed as the template "base" with a
// site.PageData as its dot.
// Files under assets/ are copied to /assets/ in the output.
package layouts

import "embed"

// FS holds the default theme.
//
//go:embed *.html partials assets
var FS embed.FS
