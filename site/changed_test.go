package site_test

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/nashra-press/nashra/site"
	"github.com/nashra-press/nashra/site/output"
)

// countingFS records which files a build opens.
type countingFS struct {
	fs.FS
	mu     sync.Mutex
	opened map[string]int
}

func (c *countingFS) Open(name string) (fs.File, error) {
	c.mu.Lock()
	c.opened[name]++
	c.mu.Unlock()
	return c.FS.Open(name)
}

// reset forgets what was opened and returns the files (not folders)
// opened under dir.
func (c *countingFS) reset(dir string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for name := range c.opened {
		if info, err := fs.Stat(c.FS, name); err == nil && !info.IsDir() && strings.HasPrefix(name, dir+"/") {
			out = append(out, name)
		}
	}
	c.opened = map[string]int{}
	return out
}

// TestChangedFiles checks incremental builds told which files changed:
// the files not named are not opened (not even to look at their size); a
// changed post is parsed alone, and converted with the posts whose pages
// show it; a layout change renders every page; a static file is copied
// alone; a deleted post disappears with its page and from the lists.
func TestChangedFiles(t *testing.T) {
	src := postsFS(12, "CICA")
	src["static/images/a.png"] = &fstest.MapFile{Data: pngBytes(t, 10, 10)}
	src["static/images/b.png"] = &fstest.MapFile{Data: pngBytes(t, 20, 10)}
	cfs := &countingFS{FS: src, opened: map[string]int{}}
	cache := site.NewCache()
	out := newKeepingOutput()
	theme := testTheme(t)
	build := func(changed ...string) *site.Result {
		t.Helper()
		out.next()
		res, err := site.Generate(context.Background(), cfs, out, site.Options{Local: true, Theme: theme, Cache: cache,
			LoadOptions: site.LoadOptions{Now: testNow, Incremental: true, Changed: changed}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	first := build() // an empty cache: everything is read
	if n := len(cfs.reset("posts")); n != 12 {
		t.Fatalf("first build opened %d posts, want 12", n)
	}
	cfs.reset("static")

	// Nothing changed: no file is opened or looked at.
	if res := build(); res.Rendered != 0 {
		t.Errorf("a build with nothing changed rendered %d pages", res.Rendered)
	}
	if got := append(cfs.reset("posts"), cfs.reset("static")...); len(got) != 0 {
		t.Errorf("a build with nothing changed opened %v", got)
	}

	// A post changes and is named: it is read, and converted with its
	// neighbours, whose pages show its title; no other post is opened.
	src["posts/p5.md"].Data = bytes.Replace(src["posts/p5.md"].Data, []byte(`"خبر 5"`), []byte(`"عنوان معدّل"`), 1)
	res := build("posts/p5.md")
	got := cfs.reset("posts")
	sort.Strings(got)
	if strings.Join(got, " ") != "posts/p4.md posts/p5.md posts/p6.md" {
		t.Errorf("after editing p5, opened %v", got)
	}
	if got := cfs.reset("static"); len(got) != 0 {
		t.Errorf("after editing p5, opened static files %v", got)
	}
	if !strings.Contains(string(out.files["posts/p5/index.html"]), "عنوان معدّل") {
		t.Errorf("p5's new title is not on its page:\n%s", out.files["posts/p5/index.html"])
	}
	if res.Content.Converted() != 3 {
		t.Errorf("converted %d bodies, want 3", res.Content.Converted())
	}

	// A layout changes: every page is rendered.
	theme["post.html"] = &fstest.MapFile{Data: bytes.Replace(theme["post.html"].Data, []byte("post {{.Slug}}"), []byte("POST {{.Slug}}"), 1)}
	res = build("layouts/post.html")
	if res.Rendered != res.Pages || !strings.Contains(string(out.files["posts/p1/index.html"]), "POST p1") {
		t.Errorf("layout change: rendered %d of %d pages", res.Rendered, res.Pages)
	}
	cfs.reset("posts")

	// A static file changes: it alone is read and written.
	src["static/images/b.png"] = &fstest.MapFile{Data: pngBytes(t, 30, 10)}
	res = build("static/images/b.png")
	if got := cfs.reset("static"); strings.Join(got, " ") != "static/images/b.png" {
		t.Errorf("static change opened %v", got)
	}
	var written []string
	for _, p := range out.written {
		if !strings.HasSuffix(p, ".html") {
			written = append(written, p)
		}
	}
	// The theme's stylesheet and the web app manifest are handed over on
	// every build (they are made in memory); the output keeps them when
	// their bytes are the same.
	if strings.Join(written, " ") != "assets/style.css images/b.png manifest.webmanifest" || res.Rendered != 0 {
		t.Errorf("static change wrote %v and rendered %d pages", written, res.Rendered)
	}
	if !bytes.Equal(out.files["images/a.png"], src["static/images/a.png"].Data) {
		t.Error("the unchanged image is missing from the output")
	}

	// A post is deleted: its page goes, the lists no longer show it.
	delete(src, "posts/p7.md")
	res = build("posts/p7.md")
	if _, ok := out.files["posts/p7/index.html"]; ok {
		t.Error("the deleted post still has a page")
	}
	if strings.Contains(string(out.files["index.html"]), "- p7 ") || !strings.Contains(string(out.files["index.html"]), "- p8 ") {
		t.Errorf("home page after deleting p7:\n%s", out.files["index.html"])
	}
	if res.Posts != first.Posts-1 {
		t.Errorf("published %d posts, want %d", res.Posts, first.Posts-1)
	}
}

// TestFirstPages checks that the pages named in Options.First are
// rendered before the others.
func TestFirstPages(t *testing.T) {
	src := postsFS(25, "CICA")
	out := newKeepingOutput()
	want := "posts/p1/index.html" // planned last of the post pages
	// With one worker the order pages are taken in is the order they are
	// written in; with more, a worker that took the first page may be
	// descheduled while another writes several.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	if _, err := site.Generate(context.Background(), src, out, site.Options{Local: true, Theme: testTheme(t), First: []string{want}}); err != nil {
		t.Fatal(err)
	}
	var pages []string
	for _, p := range out.written {
		if strings.HasSuffix(p, ".html") {
			pages = append(pages, p)
		}
	}
	if len(pages) == 0 || pages[0] != want {
		t.Fatalf("pages written in the order %v, want %s first", pages[:min(len(pages), 5)], want)
	}
}

// TestOrigin checks that a preview server's address replaces the host of
// the base URL and keeps its path.
func TestOrigin(t *testing.T) {
	src := postsFS(1, "CICA")
	src["config.yaml"] = &fstest.MapFile{Data: []byte("base_url: https://example.gov.kz/amman/news/\n")}
	out := output.NewMemory()
	if _, err := site.Generate(context.Background(), src, out, site.Options{Local: true, Theme: testTheme(t), Origin: "http://127.0.0.1:5555"}); err != nil {
		t.Fatal(err)
	}
	page, _ := out.File("posts/p1/index.html")
	if want := "url=/amman/news/posts/p1/ permalink=http://127.0.0.1:5555/amman/news/posts/p1/ "; !strings.Contains(string(page), want) {
		t.Errorf("post page lacks %q:\n%s", want, page)
	}
	_, err := site.Generate(context.Background(), src, output.NewMemory(), site.Options{Local: true, Theme: testTheme(t), Origin: "127.0.0.1:5555"})
	if err == nil || !strings.Contains(err.Error(), "preview address") {
		t.Errorf("an origin without a scheme: err = %v", err)
	}
}

// panickingOutput panics when asked to write one file, like a bug deep
// inside a build would.
type panickingOutput struct {
	*output.Memory
	at string
}

func (p panickingOutput) WriteFile(rel string, data []byte) error {
	if rel == p.at {
		panic("boom at " + rel)
	}
	return p.Memory.WriteFile(rel, data)
}

// TestWorkerPanic checks that a panic in one of the build's worker
// goroutines reaches the goroutine that called Generate, where it can be
// recovered, instead of ending the program.
func TestWorkerPanic(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("needs two processors for the build to use worker goroutines")
	}
	var recovered any
	func() {
		defer func() { recovered = recover() }()
		_, _ = site.Generate(context.Background(), postsFS(30, "CICA"), panickingOutput{output.NewMemory(), "posts/p3/index.html"}, site.Options{Local: true, Theme: testTheme(t)})
	}()
	wp, ok := recovered.(*site.WorkerPanic)
	if !ok {
		t.Fatalf("recovered %T %v, want *site.WorkerPanic", recovered, recovered)
	}
	var err error = wp
	if wp.Value != "boom at posts/p3/index.html" || !strings.Contains(err.Error(), "panickingOutput.WriteFile") || errors.Unwrap(err) != nil {
		t.Errorf("panic value %v, message:\n%s", wp.Value, err)
	}
}

// TestReuseMatchesFullBuild edits a site step by step and checks, after
// each step, that the incremental build (which updates the previous
// content in place when it can) writes exactly what a build from scratch
// writes, and that it took the shortcut exactly when it should.
func TestReuseMatchesFullBuild(t *testing.T) {
	src := postsFS(24, "CICA")
	edit := func(file, from, to string) {
		t.Helper()
		f := src[file]
		if !bytes.Contains(f.Data, []byte(from)) {
			t.Fatalf("%s has no %q", file, from)
		}
		src[file] = &fstest.MapFile{Data: bytes.Replace(f.Data, []byte(from), []byte(to), 1)}
	}
	edit("posts/p20.md", "نص الخبر 20.", "نص الخبر 20، وفيه [رابط](/posts/p5/) و[آخر](p6.md).")
	src["posts/p25.md"] = &fstest.MapFile{Data: []byte("---\ntitle: \"خبر قادم\"\ndate: 2025-06-05\ntags: [CICA]\n---\nقريبًا.\n")}
	src["posts/draft.md"] = &fstest.MapFile{Data: []byte("---\ntitle: \"مسودة\"\ndate: 2024-02-01\ndraft: true\n---\nمسودة.\n")}
	src["posts/bundle/index.md"] = &fstest.MapFile{Data: []byte("---\ntitle: \"حزمة\"\ndate: 2024-01-25\nimage: cover.png\ntags: [Jordan]\n---\n![صورة](cover.png)\n")}
	src["posts/bundle/cover.png"] = &fstest.MapFile{Data: pngBytes(t, 30, 20)}
	theme := testTheme(t)
	cache := site.NewCache()
	out := newKeepingOutput()
	now := testNow
	var prev *site.Content
	steps := []struct {
		name    string
		change  func()
		changed []string
		reuse   bool
		fails   string // the error the build must report
	}{
		{"body of a post", func() { edit("posts/p10.md", "نص الخبر 10.", "نص جديد للخبر 10.") }, []string{"posts/p10.md"}, true, ""},
		{"title of a post (its neighbours show it)", func() { edit("posts/p11.md", `"خبر 11"`, `"عنوان جديد 11"`) }, []string{"posts/p11.md"}, true, ""},
		{"summary from the front matter", func() { edit("posts/p12.md", "tags:", "summary: \"ملخص الخبر\"\ntags:") }, []string{"posts/p12.md"}, true, ""},
		{"the post another one links to", func() { edit("posts/p5.md", `"خبر 5"`, `"خبر خامس"`) }, []string{"posts/p5.md"}, true, ""},
		{"the bundle's text", func() { edit("posts/bundle/index.md", "![صورة]", "نص.\n\n![صورة]") }, []string{"posts/bundle/index.md"}, true, ""},
		{"a layout", func() {
			theme["post.html"] = &fstest.MapFile{Data: append([]byte("new layout "), theme["post.html"].Data...)}
		}, []string{"layouts/post.html"}, true, ""},
		{"two posts at once", func() {
			edit("posts/p1.md", "نص الخبر 1.", "نص 1 معدّل.")
			edit("posts/p2.md", "نص الخبر 2.", "نص 2 معدّل.")
		}, []string{"posts/p1.md", "posts/p2.md"}, true, ""},
		{"tags of a post", func() { edit("posts/p13.md", "tags: [CICA]", "tags: [CICA, Jordan]") }, []string{"posts/p13.md"}, false, ""},
		{"date of a post", func() { edit("posts/p14.md", "date: 2024-01-14", "date: 2024-01-30") }, []string{"posts/p14.md"}, false, ""},
		{"a draft is published", func() { edit("posts/draft.md", "draft: true\n", "") }, []string{"posts/draft.md"}, false, ""},
		{"a new post", func() {
			src["posts/p30.md"] = &fstest.MapFile{Data: []byte("---\ntitle: \"جديد\"\ndate: 2024-03-01\n---\nجديد.\n")}
		}, []string{"posts/p30.md"}, false, ""},
		{"a deleted post", func() { delete(src, "posts/p3.md") }, []string{"posts/p3.md"}, false, ""},
		{"a bundle image", func() { src["posts/bundle/cover.png"] = &fstest.MapFile{Data: pngBytes(t, 60, 20)} }, []string{"posts/bundle/cover.png"}, false, ""},
		{"body again after the full loads", func() { edit("posts/p10.md", "نص جديد للخبر 10.", "نص ثالث.") }, []string{"posts/p10.md"}, true, ""},
		{"a future post falls due", func() {
			now = time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC)
			edit("posts/p9.md", "نص الخبر 9.", "نص 9 معدّل.")
		}, []string{"posts/p9.md"}, false, ""},
		{"nothing", func() {}, nil, true, ""},
		// A broken link in an edited post: the error is reported (by the
		// conversion, after the content was loaded); the fix builds as
		// from scratch.
		{"a broken link", func() { edit("posts/p10.md", "نص ثالث.", "[رابط](/posts/nowhere/)") }, []string{"posts/p10.md"}, true, "posts/p10.md:6:8"},
		{"the link fixed", func() { edit("posts/p10.md", "[رابط](/posts/nowhere/)", "نص رابع.") }, []string{"posts/p10.md"}, true, ""},
	}
	build := func(changed []string) (*site.Result, error) {
		out.next()
		return site.Generate(context.Background(), src, out, site.Options{BaseURL: "https://example.gov.kz/news/", Theme: theme, Cache: cache,
			LoadOptions: site.LoadOptions{Now: now, Incremental: true, Changed: changed}})
	}
	res, err := build(nil)
	if err != nil {
		t.Fatal(err)
	}
	prev = res.Content
	for _, st := range steps {
		st.change()
		res, err := build(st.changed)
		if st.fails != "" {
			if err == nil || !strings.Contains(err.Error(), st.fails) {
				t.Errorf("%s: err = %v, want %s", st.name, err, st.fails)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if reused := res.Content == prev; reused != st.reuse {
			t.Errorf("%s: reused the previous content = %v, want %v", st.name, reused, st.reuse)
		}
		prev = res.Content
		full := output.NewMemory()
		if _, err := site.Generate(context.Background(), src, full, site.Options{BaseURL: "https://example.gov.kz/news/", Theme: theme, LoadOptions: site.LoadOptions{Now: now}}); err != nil {
			t.Fatal(err)
		}
		if got, want := strings.Join(sortedKeys(out.files), " "), strings.Join(full.Paths(), " "); got != want {
			t.Fatalf("%s: files\n%s\nwant\n%s", st.name, got, want)
		}
		for _, p := range full.Paths() {
			want, _ := full.File(p)
			if !bytes.Equal(out.files[p], want) {
				t.Errorf("%s: %s differs from a full build:\n%s\nwant\n%s", st.name, p, out.files[p], want)
			}
		}
	}
}

func sortedKeys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// cancellingOutput cancels its build after a number of pages, as a watch
// loop does when newer changes come. WriteFile is called by several
// workers at once: after counts down atomically.
type cancellingOutput struct {
	*keepingOutput
	after  atomic.Int32
	cancel context.CancelFunc
}

func (c *cancellingOutput) WriteFile(rel string, data []byte) error {
	if strings.HasSuffix(rel, ".html") && c.after.Add(-1) == 0 {
		c.cancel()
	}
	return c.keepingOutput.WriteFile(rel, data)
}

// TestCancelledBuild cancels a layout change's build half way, as a newer
// change does in watch mode, then builds the next change incrementally:
// the output is that of a build from scratch.
func TestCancelledBuild(t *testing.T) {
	src := postsFS(24, "CICA")
	theme := testTheme(t)
	cache := site.NewCache()
	out := newKeepingOutput()
	opts := func(changed ...string) site.Options {
		return site.Options{Local: true, Theme: theme, Cache: cache, LoadOptions: site.LoadOptions{Now: testNow, Incremental: true, Changed: changed}}
	}
	if _, err := site.Generate(context.Background(), src, out, opts()); err != nil {
		t.Fatal(err)
	}
	theme["post.html"] = &fstest.MapFile{Data: bytes.Replace(theme["post.html"].Data, []byte("post {{.Slug}}"), []byte("POST {{.Slug}}"), 1)}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out.next()
	co := &cancellingOutput{keepingOutput: out, cancel: cancel}
	co.after.Store(5)
	if _, err := site.Generate(ctx, src, co, opts("layouts/post.html")); !errors.Is(err, context.Canceled) {
		t.Fatalf("the cancelled build: %v", err)
	}
	// The next build: the cancelled one's changes and a new one. The
	// output keeps what the cancelled build wrote, as output.Live does.
	edit := src["posts/p3.md"]
	src["posts/p3.md"] = &fstest.MapFile{Data: bytes.Replace(edit.Data, []byte("نص الخبر 3."), []byte("نص جديد 3."), 1)}
	disk := map[string][]byte{}
	for _, m := range []map[string][]byte{out.previous, out.files} {
		for p, d := range m {
			disk[p] = d
		}
	}
	out.next()
	out.previous = disk
	if _, err := site.Generate(context.Background(), src, out, opts("layouts/post.html", "posts/p3.md")); err != nil {
		t.Fatal(err)
	}
	full := output.NewMemory()
	if _, err := site.Generate(context.Background(), src, full, site.Options{Local: true, Theme: theme, LoadOptions: site.LoadOptions{Now: testNow}}); err != nil {
		t.Fatal(err)
	}
	for _, p := range full.Paths() {
		want, _ := full.File(p)
		if !bytes.Equal(out.files[p], want) {
			t.Errorf("%s differs from a build from scratch:\n%s\nwant\n%s", p, out.files[p], want)
		}
	}
}
