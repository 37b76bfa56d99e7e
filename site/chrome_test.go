package site_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/nashra-press/nashra/layouts"
	"github.com/nashra-press/nashra/site"
	"github.com/nashra-press/nashra/site/output"
)

// TestCachedHeaderFitsEveryPage checks the header that the default theme
// renders once per page kind and current navigation link (partialCached
// with variants): on every page of the sample site, the link marked
// aria-current="page" is the page itself when the navigation links to
// it, and no link is marked on any other page; the search field is on
// every page but the search page.
func TestCachedHeaderFitsEveryPage(t *testing.T) {
	out := output.NewMemory()
	if _, err := site.Generate(context.Background(), sampleSite(), out, site.Options{Theme: layouts.FS, LoadOptions: site.LoadOptions{Now: testNow}}); err != nil {
		t.Fatal(err)
	}
	const base = "/amman/news/"
	navRe := regexp.MustCompile(`(?s)<nav class="site-nav".*?</nav>`)
	linkRe := regexp.MustCompile(`<a href="([^"]*)"( aria-current="page")?>`)
	pages, navPages := 0, 0
	for _, rel := range out.Paths() {
		if !strings.HasSuffix(rel, ".html") || rel == "404.html" {
			continue
		}
		data, _ := out.File(rel)
		page := string(data)
		pages++
		self := base + strings.TrimSuffix(rel, "index.html")
		nav := navRe.FindString(page)
		if nav == "" {
			t.Errorf("%s: no site navigation", rel)
			continue
		}
		want, current := "", ""
		for _, m := range linkRe.FindAllStringSubmatch(nav, -1) {
			if m[1] == self {
				want = self
			}
			if m[2] != "" {
				if current != "" {
					t.Errorf("%s: two links are current: %s and %s", rel, current, m[1])
				}
				current = m[1]
			}
		}
		if current != want {
			t.Errorf("%s: the current link is %q, want %q", rel, current, want)
		}
		if want != "" {
			navPages++
		}
		hasSearch := strings.Contains(page, `<form class="site-search"`)
		if wantSearch := rel != "search/index.html"; hasSearch != wantSearch {
			t.Errorf("%s: search field shown = %v, want %v", rel, hasSearch, wantSearch)
		}
	}
	// The home page, the tags index and the navigation's tags.
	if navPages < 3 || pages < 20 {
		t.Errorf("%d pages, %d of them in the navigation: the sample site is too small to check this", pages, navPages)
	}
}

// TestPartialCachedKeys checks the keys partialCached accepts: a value
// that cannot be compared, or too many variants, is an error naming the
// template, not a crash.
func TestPartialCachedKeys(t *testing.T) {
	for name, tc := range map[string]struct{ call, want string }{
		"slice value":   {`{{partialCached "x" .Posts}}`, `partialCached "x": a []*site.Post cannot be a key`},
		"slice variant": {`{{partialCached "x" . .Posts}}`, `partialCached "x": a []*site.Post cannot be a key`},
		"many variants": {`{{partialCached "x" . 1 2 3 4}}`, `partialCached "x": at most 3 variants, not 4`},
	} {
		t.Run(name, func(t *testing.T) {
			src := overlay{fstest.MapFS{
				"layouts/home.html": {Data: []byte(`{{define "main"}}` + tc.call + `{{end}}{{define "x"}}x{{end}}`)},
			}, sampleSite()}
			_, err := site.Generate(context.Background(), src, output.NewMemory(), site.Options{Theme: layouts.FS, LoadOptions: site.LoadOptions{Now: testNow}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}
