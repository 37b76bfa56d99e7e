package site

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/nashra-press/nashra/layouts"
)

// TestThemeParsedOnFirstUse checks that the layouts of a theme known to
// parse are parsed only when a page of their kind is rendered, and then
// as a theme parsed at once would be; and that an unknown theme is parsed
// at once.
func TestThemeParsedOnFirstUse(t *testing.T) {
	cfg, diags := LoadConfig(fstest.MapFS{})
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	eager, diags := loadTheme(layouts.FS, &cfg, nil)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	for kind, k := range eager.kinds {
		if k.t == nil {
			t.Errorf("%s: not parsed by a theme loaded at once", kind)
		}
	}
	unknown, _ := loadTheme(layouts.FS, &cfg, func(string) bool { return false })
	for kind, k := range unknown.kinds {
		if k.t == nil {
			t.Errorf("%s: an unknown theme was not parsed at once", kind)
		}
	}

	lazy, diags := loadTheme(layouts.FS, &cfg, func(fp string) bool { return fp == eager.Fingerprint })
	if len(diags) > 0 || lazy.Fingerprint != eager.Fingerprint {
		t.Fatalf("known theme: %v, fingerprint %s, want %s", diags, lazy.Fingerprint, eager.Fingerprint)
	}
	for kind, k := range lazy.kinds {
		if k.t != nil {
			t.Errorf("%s: parsed before any page of its kind was rendered", kind)
		}
	}
	page := &PageData{Kind: "404", Title: "الصفحة غير موجودة", URL: "/404.html",
		Site: &SiteData{Title: "أخبار", Language: "ar", BasePath: "/", cfg: &cfg}}
	var want, got bytes.Buffer
	if err := eager.Execute(&want, page); err != nil {
		t.Fatal(err)
	}
	if err := lazy.Execute(&got, page); err != nil {
		t.Fatal(err)
	}
	if got.String() != want.String() {
		t.Errorf("the 404 page rendered by a theme parsed on first use differs:\n%s\n---\n%s", got.String(), want.String())
	}
	for kind, k := range lazy.kinds {
		if parsed := k.t != nil; parsed != (kind == "404") {
			t.Errorf("%s: parsed is %v after rendering a 404 page", kind, parsed)
		}
	}
}

// TestBrokenLayoutAfterCachedBuild checks that a layout broken after a
// build whose layouts parsed is reported, with its file and line, even
// for a kind of page that the site has none of.
func TestBrokenLayoutAfterCachedBuild(t *testing.T) {
	src := fstest.MapFS{
		"posts/a.md": {Data: []byte("---\ntitle: \"خبر\"\ndate: 2024-01-02\n---\nنص.\n")},
	}
	cache := NewCache()
	opts := Options{Theme: layouts.FS, BaseURL: "https://example.org/", Cache: cache}
	if _, err := Generate(context.Background(), src, nullOutput{}, opts); err != nil {
		t.Fatal(err)
	}
	if cache.themeOK == "" {
		t.Fatal("a build whose layouts parsed did not record them")
	}
	// The post has no tags: the site has no tag page.
	src["layouts/tag.html"] = &fstest.MapFile{Data: []byte("{{define \"main\"}}\n{{if}}\n{{end}}")}
	_, err := Generate(context.Background(), src, nullOutput{}, opts)
	if err == nil || !strings.Contains(err.Error(), "layouts/tag.html:2") {
		t.Errorf("broken tag.html: err = %v", err)
	}
}

// nullOutput is an Output that throws the files away.
type nullOutput struct{}

func (nullOutput) WriteFile(string, []byte) error { return nil }
