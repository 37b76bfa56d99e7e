package site_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/nashra-press/nashra/site"
	"github.com/nashra-press/nashra/site/output"
)

// keepingOutput is an in-memory Output that remembers the previous
// build's files, like output.Dir, so unchanged pages can be kept.
type keepingOutput struct {
	mu       sync.Mutex
	previous map[string][]byte
	files    map[string][]byte
	written  []string
}

func newKeepingOutput() *keepingOutput { return &keepingOutput{files: map[string][]byte{}} }

func (o *keepingOutput) next() {
	o.previous, o.files, o.written = o.files, map[string][]byte{}, nil
}

func (o *keepingOutput) WriteFile(rel string, data []byte) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.files[rel] = append([]byte(nil), data...)
	o.written = append(o.written, rel)
	return nil
}

// Previous gives back a file of the previous build, as output.Dir does.
func (o *keepingOutput) Previous(rel string) ([]byte, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	d, ok := o.previous[rel]
	return d, ok
}

func (o *keepingOutput) Unchanged(rel, hash string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	old, ok := o.previous[rel]
	if !ok || output.Hash(old) != hash {
		return false
	}
	o.files[rel] = old
	return true
}

// nextOutput is an Output that starts its next build on next, as
// keepingOutput does.
type nextOutput interface {
	site.Output
	next()
}

// rebuild runs a build of src into out (starting out's next build) with
// the test theme, base URL https://example.org/ and cache, as a watcher
// or a second "nashra build" does.
func rebuild(t *testing.T, src fs.FS, out nextOutput, cache *site.Cache) *site.Result {
	t.Helper()
	out.next()
	res, err := site.Generate(context.Background(), src, out, site.Options{Theme: testTheme(t), BaseURL: "https://example.org/", Cache: cache, LoadOptions: site.LoadOptions{Now: testNow}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// saveAndRead writes a cache to bytes and reads it back, as two runs of
// "nashra build" do through the cache file.
func saveAndRead(t *testing.T, c *site.Cache) *site.Cache {
	t.Helper()
	var saved bytes.Buffer
	if err := c.Save(&saved, "test"); err != nil {
		t.Fatal(err)
	}
	read, err := site.ReadCache(&saved, "test")
	if err != nil {
		t.Fatal(err)
	}
	return read
}

// searchFiles returns the files of the search index among paths.
func searchFiles(paths []string) []string {
	var out []string
	for _, p := range paths {
		if strings.HasPrefix(p, "search/") {
			out = append(out, p)
		}
	}
	return out
}

func pngBytes(t *testing.T, w, h int) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestIncrementalBuilds(t *testing.T) {
	src := postsFS(25, "CICA")
	src["posts/bundle/index.md"] = &fstest.MapFile{Data: []byte("---\ntitle: \"حزمة\"\ndate: 2023-01-01\n---\n![صورة](pic.png)\n\n[رابط](/posts/p3/)\n")}
	src["posts/bundle/pic.png"] = &fstest.MapFile{Data: pngBytes(t, 40, 20)}
	cache := site.NewCache()
	out := newKeepingOutput()
	build := func() *site.Result { t.Helper(); return rebuild(t, src, out, cache) }
	first := build()
	if first.Content.Converted() != 26 || first.Rendered != first.Pages || first.SearchAnalyzed != 26 {
		t.Fatalf("first build converted %d, rendered %d of %d pages, analysed %d posts for search", first.Content.Converted(), first.Rendered, first.Pages, first.SearchAnalyzed)
	}
	full := map[string]string{}
	for p, d := range out.files {
		full[p] = string(d)
	}

	// Nothing changed: nothing converted, nothing rendered, same bytes.
	again := build()
	if again.Content.Converted() != 0 || again.Rendered != 0 || again.SearchAnalyzed != 0 {
		t.Errorf("no-change build converted %d bodies, rendered %d pages, analysed %d posts for search", again.Content.Converted(), again.Rendered, again.SearchAnalyzed)
	}
	for p, d := range out.files {
		if full[p] != string(d) {
			t.Errorf("%s changed in a no-change build:\n%s\n---\n%s", p, full[p], d)
		}
	}
	// (Theme assets, the sitemap and the manifest are always handed to
	// the output, which keeps its copy when the bytes are the same.)
	if search := searchFiles(out.written); len(search) != 0 || len(out.files) != len(full) {
		t.Errorf("no-change build wrote %v and has %d files, want no search file written and %d", search, len(out.files), len(full))
	}

	// A file of the search index made from every post's words is lost
	// from the output (index.json, the last such file): the next build,
	// with no post changed, writes it again as it was, and only it.
	shard := "search/index.json"
	if _, ok := out.files[shard]; !ok {
		t.Fatalf("no %s", shard)
	}
	delete(out.files, shard)
	build()
	if search := searchFiles(out.written); strings.Join(search, " ") != shard || string(out.files[shard]) != full[shard] {
		t.Errorf("after losing %s, a build wrote %v; the file is the same: %v", shard, search, string(out.files[shard]) == full[shard])
	}

	// One post's text changes: its page, its neighbours' pages (they show
	// its title), the list pages showing it and its tag's pages are
	// rendered again. Bodies are not kept between builds, so the three
	// post pages convert their markdown again.
	src["posts/p10.md"].Data = bytes.Replace(src["posts/p10.md"].Data, []byte("نص الخبر 10."), []byte("نص جديد."), 1)
	edit := build()
	if edit.Content.Converted() != 3 || edit.SearchAnalyzed != 1 {
		t.Errorf("edit converted %d bodies and analysed %d posts for search, want 3 and 1", edit.Content.Converted(), edit.SearchAnalyzed)
	}
	// p10 is the 16th newest of 26: home page 2 and tag page 2 show it;
	// its neighbours are p11 (newer) and p9 (older). The first home page
	// and tag page do not show it and are kept.
	var got []string
	for _, p := range out.written {
		if strings.HasSuffix(p, ".html") {
			got = append(got, p)
		}
	}
	sort.Strings(got)
	if strings.Join(got, " ") != "page/2/index.html posts/p10/index.html posts/p11/index.html posts/p9/index.html tags/cica/page/2/index.html" {
		t.Errorf("pages rendered after editing p10: %v", got)
	}
	if !strings.Contains(string(out.files["posts/p10/index.html"]), "نص جديد.") {
		t.Error("edited text missing from the post page")
	}
	// The index finds the new word (stem جديد), shows the new text, and
	// still has every other post, taken from the previous build's chunk.
	var stemFound, textFound bool
	for p, d := range out.files {
		stemFound = stemFound || strings.HasPrefix(p, "search/s/") && strings.Contains(string(d), `["جديد",[`)
		if strings.HasPrefix(p, "search/d/") {
			textFound = textFound || strings.Contains(string(d), "نص جديد.")
			if n := strings.Count(string(d), `"/posts/`); n != 26 {
				t.Errorf("%s holds %d posts, want 26", p, n)
			}
		}
	}
	if !stemFound || !textFound {
		t.Errorf("after the edit, the index has the stem جديد: %v, the new text: %v", stemFound, textFound)
	}

	// The bundle's image changes size: the post is converted again (same
	// markdown) and shows the new size. Its neighbour shows only its
	// title, so it is not converted.
	src["posts/bundle/pic.png"] = &fstest.MapFile{Data: pngBytes(t, 80, 30)}
	img := build()
	if img.Content.Converted() != 1 || !strings.Contains(string(out.files["posts/bundle/index.html"]), `width="80" height="30"`) {
		t.Errorf("image change: converted %d, page:\n%s", img.Content.Converted(), out.files["posts/bundle/index.html"])
	}

	// The post the bundle links to becomes a draft: the bundle's cached
	// body is stale and the build reports the broken link.
	src["posts/p3.md"].Data = bytes.Replace(src["posts/p3.md"].Data, []byte("tags:"), []byte("draft: true\ntags:"), 1)
	out.next()
	_, err := site.Generate(context.Background(), src, out, site.Options{Theme: testTheme(t), BaseURL: "https://example.org/", Cache: cache, LoadOptions: site.LoadOptions{Now: testNow}})
	if err == nil || !strings.Contains(err.Error(), `posts/bundle/index.md:7:8:`) || !strings.Contains(err.Error(), "draft") {
		t.Errorf("link to a post turned draft: err = %v", err)
	}
}

// TestSearchChunkRecovery checks where the search index takes the posts
// it did not convert in a build: from the previous build's chunk, or, when
// that chunk is gone, by converting them again.
func TestSearchChunkRecovery(t *testing.T) {
	src := postsFS(12, "CICA")
	cache := site.NewCache()
	out := newKeepingOutput()
	build := func() *site.Result { t.Helper(); return rebuild(t, src, out, cache) }
	chunk := func() string {
		t.Helper()
		data, ok := out.files["search/d/0.json"]
		if !ok {
			t.Fatal("no chunk search/d/0.json")
		}
		if n := strings.Count(string(data), `"/posts/`); n != 12 {
			t.Errorf("the chunk holds %d posts, want 12", n)
		}
		return string(data)
	}
	build()
	first := chunk()

	// p6 changes: p5, p6 and p7 are converted for their pages; the nine
	// other posts of the chunk come from the previous chunk.
	src["posts/p6.md"].Data = bytes.Replace(src["posts/p6.md"].Data, []byte("نص الخبر 6."), []byte("نص آخر."), 1)
	if res := build(); res.Content.Converted() != 3 {
		t.Errorf("edit converted %d posts, want 3", res.Content.Converted())
	}
	second := chunk()
	if second == first || !strings.Contains(second, "نص آخر.") {
		t.Errorf("the chunk does not show the edit:\n%s", second)
	}

	// The chunk is lost from the output (deleted by hand): the next edit
	// converts every post of the chunk again.
	delete(out.files, "search/d/0.json")
	src["posts/p6.md"].Data = bytes.Replace(src["posts/p6.md"].Data, []byte("نص آخر."), []byte("نص ثالث."), 1)
	if res := build(); res.Content.Converted() != 12 {
		t.Errorf("with the old chunk gone, the edit converted %d posts, want 12", res.Content.Converted())
	}
	third := chunk()
	if want := strings.Replace(second, "نص آخر.", "نص ثالث.", 2); third != want {
		t.Errorf("rebuilt chunk:\n%s\nwant:\n%s", third, want)
	}
}

// TestDiskCacheKeepsSearchTerms saves the cache and reads it back, as two
// runs of "nashra build" do, with one post edited in between: the second
// build analyses only that post for search, and its index is byte for
// byte the index a build from scratch makes.
func TestDiskCacheKeepsSearchTerms(t *testing.T) {
	src := postsFS(30, "CICA")
	out := newKeepingOutput()
	cache := site.NewCache()
	rebuild(t, src, out, cache)
	var saved bytes.Buffer
	if err := cache.Save(&saved, "test"); err != nil {
		t.Fatal(err)
	}
	// A cache file cut short anywhere is refused as a whole.
	for _, cut := range []int{1, saved.Len() / 2, saved.Len() - 1} {
		if _, err := site.ReadCache(bytes.NewReader(saved.Bytes()[:cut]), "test"); err == nil {
			t.Errorf("a cache cut to %d of %d bytes was read", cut, saved.Len())
		}
	}
	read, err := site.ReadCache(&saved, "test")
	if err != nil {
		t.Fatal(err)
	}
	src["posts/p7.md"].Data = bytes.Replace(src["posts/p7.md"].Data, []byte("نص الخبر 7."), []byte("نص عن التعاون الثقافي."), 1)
	if res := rebuild(t, src, out, read); res.SearchAnalyzed != 1 {
		t.Errorf("with the cache read back, the edit analysed %d posts for search, want 1", res.SearchAnalyzed)
	}
	fresh := newKeepingOutput()
	rebuild(t, src, fresh, site.NewCache())
	n := 0
	for p, d := range fresh.files {
		if strings.HasPrefix(p, "search/") {
			n++
			if string(out.files[p]) != string(d) {
				t.Errorf("%s differs from a build from scratch", p)
			}
		}
	}
	if n < 4 || len(searchFiles(keys(out.files))) != n {
		t.Errorf("%d search files from scratch, %d with the cache", n, len(searchFiles(keys(out.files))))
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestLoadedCalled checks that Options.Loaded runs once the posts are
// loaded, before any page is written, and not when a post has an error.
func TestLoadedCalled(t *testing.T) {
	good := fstest.MapFS{"posts/a.md": {Data: []byte("---\ntitle: خبر\ndate: 2024-01-01\n---\nنص.\n")}}
	out := newKeepingOutput()
	calls, writtenBefore := 0, -1
	opts := site.Options{Theme: testTheme(t), BaseURL: "https://example.org/", LoadOptions: site.LoadOptions{Now: testNow},
		Loaded: func() { calls++; writtenBefore = len(out.written) }}
	if _, err := site.Generate(context.Background(), good, out, opts); err != nil {
		t.Fatal(err)
	}
	if calls != 1 || writtenBefore != 0 {
		t.Errorf("Loaded called %d times, with %d files written before; want once, before any", calls, writtenBefore)
	}
	bad := fstest.MapFS{"posts/a.md": {Data: []byte("---\ntitle: خبر\n---\nنص بلا تاريخ.\n")}}
	calls = 0
	if _, err := site.Generate(context.Background(), bad, newKeepingOutput(), opts); err == nil {
		t.Fatal("a post without a date built")
	}
	if calls != 0 {
		t.Errorf("Loaded called %d times for a site whose post has an error", calls)
	}
}
