package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

var summaryRe = regexp.MustCompile(`^built (\d+) pages .*: (\d+) rendered; files: (\d+) written, (\d+) unchanged, (\d+) removed`)

// buildCounts runs nashra build and returns the pages rendered and the
// files written and kept, from the summary line.
func buildCounts(t *testing.T, args ...string) (rendered, written, unchanged int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), append([]string{"build"}, args...), &stdout, &stderr); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr.String())
	}
	m := summaryRe.FindStringSubmatch(stdout.String())
	if m == nil {
		t.Fatalf("unexpected summary %q", stdout.String())
	}
	atoi := func(s string) int { n, _ := strconv.Atoi(s); return n }
	return atoi(m[2]), atoi(m[3]), atoi(m[4])
}

// newCacheTestSite makes a site folder with a posts/ folder and a
// config.yaml, and returns it with a function that fails the test on an
// error.
func newCacheTestSite(t *testing.T) (string, func(error)) {
	t.Helper()
	src := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(src, "posts"), 0o755))
	must(os.WriteFile(filepath.Join(src, "config.yaml"), []byte("base_url: https://example.gov.kz/amman/news/\n"), 0o644))
	return src, must
}

// TestBuildCache checks the build cache kept between runs of nashra
// build: a second build with nothing changed renders and writes nothing;
// one edited post re-renders only the pages that show it; a changed
// layout or setting, or another cache version, is never trusted.
func TestBuildCache(t *testing.T) {
	src, must := newCacheTestSite(t)
	for i := 1; i <= 30; i++ {
		must(os.WriteFile(filepath.Join(src, "posts", fmt.Sprintf("p%02d.md", i)),
			[]byte(fmt.Sprintf("---\ntitle: \"خبر %d\"\ndate: 2024-01-%02d\ntags: [CICA]\n---\nنص الخبر %d.\n", i, i, i)), 0o644))
	}
	cache := filepath.Join(t.TempDir(), "cache")
	args := []string{"-src", src, "-cache", cache}

	rendered, written, _ := buildCounts(t, args...)
	// 30 posts, 3 home pages, the tags index, 3 tag pages, the search
	// page, the 404 page.
	if rendered != 39 || written == 0 {
		t.Fatalf("first build rendered %d pages and wrote %d files", rendered, written)
	}
	if rendered, written, _ = buildCounts(t, args...); rendered != 0 || written != 0 {
		t.Errorf("no-change build rendered %d pages and wrote %d files", rendered, written)
	}

	// p15 is the 16th newest: on home page 2 and tag page 2, between p16
	// and p14, so five pages show it; and among the 20 newest, so the
	// site's three feeds and its tag's two show it too. The search index
	// changes too: index.json, the chunk that holds p15 (all 30 posts, on
	// a site this small) and the shard of each dictionary (one each, here).
	must(os.WriteFile(filepath.Join(src, "posts", "p15.md"), []byte("---\ntitle: \"خبر معدّل\"\ndate: 2024-01-15\ntags: [CICA]\n---\nنص جديد.\n"), 0o644))
	if rendered, written, _ = buildCounts(t, args...); rendered != 5 || written != 14 {
		t.Errorf("after editing one post: rendered %d pages, wrote %d files; want 5 and 14", rendered, written)
	}

	// A layout of the site's own replaces the theme's: every page shows it.
	must(os.MkdirAll(filepath.Join(src, "layouts"), 0o755))
	must(os.WriteFile(filepath.Join(src, "layouts", "404.html"), []byte(`{{define "main"}}<h1>غير موجودة</h1>{{end}}`), 0o644))
	if rendered, _, _ = buildCounts(t, args...); rendered != 39 {
		t.Errorf("after a layout change: rendered %d pages, want all 39", rendered)
	}

	// A setting changes: nothing from the cache is trusted.
	must(os.WriteFile(filepath.Join(src, "config.yaml"), []byte("title: \"أخبار أخرى\"\nbase_url: https://example.gov.kz/amman/news/\n"), 0o644))
	if rendered, _, _ = buildCounts(t, args...); rendered != 39 {
		t.Errorf("after a settings change: rendered %d pages, want all 39", rendered)
	}

	// A cache file from another version of nashra (here: garbage) is
	// ignored, and the build still succeeds.
	files, _ := filepath.Glob(filepath.Join(cache, "*"))
	if len(files) != 1 {
		t.Fatalf("cache folder holds %v", files)
	}
	must(os.WriteFile(files[0], []byte("not a cache"), 0o644))
	if rendered, _, _ = buildCounts(t, args...); rendered != 39 {
		t.Errorf("with an unreadable cache: rendered %d pages, want all 39", rendered)
	}
	// -v says why a cache was not used, and says nothing of one that was.
	must(os.WriteFile(files[0], []byte("not a cache either"), 0o644))
	for _, want := range []string{"not using the build cache (build cache: not a build cache of this version of nashra): building everything\n", ""} {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), append([]string{"build", "-v"}, args...), &stdout, &stderr); err != nil {
			t.Fatalf("build -v: %v\n%s", err, stderr.String())
		}
		got := ""
		if i := strings.Index(stderr.String(), "not using the build cache"); i >= 0 {
			got = stderr.String()[i:]
			got = got[:strings.IndexByte(got, '\n')+1]
		}
		if got != want {
			t.Errorf("build -v said %q of the cache, want %q", got, want)
		}
	}
	if rendered, _, _ = buildCounts(t, append(args[:2:2], "-cache", "off")...); rendered != 39 {
		t.Errorf("with -cache off: rendered %d pages, want all 39", rendered)
	}
}

// TestRecentFilesLeaveCacheAlone checks builds right after an edit, when
// the edited files are too recent for their size and time to be trusted:
// a build with nothing changed reads and hashes them again but, having
// learnt nothing, leaves the cache file as it was; and an edit that keeps
// a file's size and time is still seen.
func TestRecentFilesLeaveCacheAlone(t *testing.T) {
	src, must := newCacheTestSite(t)
	// Modified "in the future": never older than the build that sees
	// them by the margin a stamp needs, however slow the machine.
	future := time.Now().Add(time.Hour)
	post := func(name, body string) {
		t.Helper()
		p := filepath.Join(src, "posts", name)
		must(os.WriteFile(p, []byte("---\ntitle: \"خبر\"\ndate: 2024-01-02\n---\n"+body+"\n"), 0o644))
		must(os.Chtimes(p, future, future))
	}
	post("a.md", "نص أول.")
	post("b.md", "نص ثان.")
	cacheDir := filepath.Join(t.TempDir(), "cache")
	args := []string{"-src", src, "-cache", cacheDir}
	buildCounts(t, args...)
	files, _ := filepath.Glob(filepath.Join(cacheDir, "*"))
	if len(files) != 1 {
		t.Fatalf("cache folder holds %v", files)
	}
	before, err := os.Stat(files[0])
	must(err)
	saved, err := os.ReadFile(files[0])
	must(err)

	if rendered, written, _ := buildCounts(t, args...); rendered != 0 || written != 0 {
		t.Errorf("no-change build rendered %d pages and wrote %d files", rendered, written)
	}
	after, err := os.Stat(files[0])
	must(err)
	again, err := os.ReadFile(files[0])
	must(err)
	if !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) || !bytes.Equal(saved, again) {
		t.Errorf("a build that learnt nothing saved the cache again")
	}

	// Same size, same time, other bytes: the stamp is not trusted, so
	// the post is read again and its page rendered again.
	post("a.md", "نص آخر.")
	if rendered, _, _ := buildCounts(t, args...); rendered == 0 {
		t.Errorf("an edit that kept the file's size and time was not seen")
	}
}

// TestBuildCacheLayoutShowsTagPosts: a layout of the site's own lists,
// on each post's page, the other posts of its tags (through Tag.Posts).
// Editing one post's title must then change every page that lists it,
// as a build without the cache would; a layout that does not (the
// default theme, TestBuildCache) keeps rebuilding only what an edit shows.
func TestBuildCacheLayoutShowsTagPosts(t *testing.T) {
	src, must := newCacheTestSite(t)
	post := func(n int, title string) {
		must(os.WriteFile(filepath.Join(src, "posts", fmt.Sprintf("p%d.md", n)),
			[]byte(fmt.Sprintf("---\ntitle: %q\ndate: 2024-01-0%d\ntags: [CICA]\n---\nنص %d.\n", title, n, n)), 0o644))
	}
	for n := 1; n <= 3; n++ {
		post(n, fmt.Sprintf("خبر %d", n))
	}
	must(os.MkdirAll(filepath.Join(src, "layouts"), 0o755))
	must(os.WriteFile(filepath.Join(src, "layouts", "post.html"), []byte(
		`{{define "main"}}{{with .Post}}<h1>{{.Title}}</h1>{{.Body}}<ul>{{range .Tags}}{{range .Posts}}<li>{{.Title}}</li>{{end}}{{end}}</ul>{{end}}{{end}}`), 0o644))
	out := filepath.Join(t.TempDir(), "public")
	args := []string{"-src", src, "-out", out, "-cache", filepath.Join(t.TempDir(), "cache")}
	buildCounts(t, args...)
	if rendered, _, _ := buildCounts(t, args...); rendered != 0 {
		t.Errorf("no-change build rendered %d pages", rendered)
	}
	post(3, "خبر معدّل")
	buildCounts(t, args...)
	got, err := os.ReadFile(filepath.Join(out, "posts", "p1", "index.html"))
	must(err)
	if !strings.Contains(string(got), "<li>خبر معدّل</li>") {
		t.Errorf("p1's page does not list p3's new title:\n%s", got)
	}
	cold := filepath.Join(t.TempDir(), "public")
	buildCounts(t, "-src", src, "-out", cold, "-cache", "off")
	want, err := os.ReadFile(filepath.Join(cold, "posts", "p1", "index.html"))
	must(err)
	if string(got) != string(want) {
		t.Errorf("p1's page after the edit differs from a build without the cache")
	}
}
