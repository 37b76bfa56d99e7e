package site

import (
	"bytes"
	"io"
	"io/fs"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/nashra-press/nashra/site/diag"
	"github.com/nashra-press/nashra/site/markdown"
	"github.com/nashra-press/nashra/site/search"
)

// sampleCache returns a cache with every field that is saved set, to
// values that are not zero.
func sampleCache() *Cache {
	c := NewCache()
	c.configSig = "c0nf1g"
	riyadh := time.FixedZone("", 3*3600)
	date := time.Date(2024, 3, 1, 10, 30, 0, 0, riyadh)
	c.posts["posts/visit.md"] = &cachedPost{
		hash:     "1f2e3d4c5b6a79881f2e3d4c5b6a7988",
		diags:    diag.List{{File: "posts/visit.md", Line: 3, Col: 7, Severity: diag.Warning, Msg: "وسم مكرر", Hint: "احذفه", Source: "tags: [a, a]"}},
		rendered: true,
		lookups:  []lookup{{Kind: "slug", Key: "talks", Answer: "published"}, {Kind: "image", Key: "a.jpg", Answer: ""}},
		summary:  "<p>زيارة السفير</p>",
		bodyHash: "00112233445566778899aabbccddeeff",
		headings: []markdown.Heading{{Level: 2, ID: "الزيارة", Text: "الزيارة", Line: 9}},
		ids:      []string{"الزيارة", "fn-1"},
		links:    []siteLink{{Line: 12, Col: 4, Source: "[x](../talks/)", Dest: "../talks/", Slug: "talks", Path: "", Fragment: "top"}},
		post: &Post{File: "posts/visit.md", Bundle: "posts/visit", Slug: "visit", Title: "زيارة", Author: "السفارة",
			Summary: "ملخص", Date: date, Updated: date.Add(time.Hour).UTC(), Draft: true, Hash: "1f2e3d4c5b6a79881f2e3d4c5b6a7988",
			size: 4582, tagNames: []tagRef{{Name: "CICA", Line: 5, Col: 8}, {Name: "ثقافة", Line: 5, Col: 14}},
			summaryGiven: true, coverRef: markdown.Ref{Dest: "/images/a.jpg", Line: 7, Col: 8, Image: true}, coverAlt: "صورة",
			slugGiven: true, slugPos: position{4, 1}, keyPos: map[string]position{"title": {2, 8}, "date": {3, 7}, "x-extra": {9, 1}}},
	}
	c.posts["posts/broken.md"] = &cachedPost{hash: "ffee", diags: diag.List{{File: "posts/broken.md", Line: 1, Severity: diag.Error, Msg: "no front matter"}}}
	c.images["static/images/a.jpg"] = knownImage{ModTime: 1795752959043685562, Size: 1435, W: 640, H: 480}
	c.pages["posts/visit/index.html"] = pageState{Fingerprint: "aa", Hash: "bb"}
	c.pages["index.html"] = pageState{Fingerprint: "cc", Hash: "dd"}
	c.stamps["static/images/a.jpg"] = fileStamp{Size: 1435, ModTime: 1795752959043685562, Hash: "ee", Seen: 1795770038655299907}
	c.stamps["posts/old.md"] = fileStamp{Size: -1, ModTime: -5, Hash: "", Seen: 0}
	c.feeds["rss.xml"] = pageState{Fingerprint: "ff", Hash: "00"}
	c.searchTerms["k1"] = search.TermsFromBinary("\x01abc\x02")
	c.searchTerms["k2"] = search.TermsFromBinary("")
	c.searchTerms["k3"] = search.TermsFromBinary("xyz\x03\x00w\x01")
	c.searchChunks["d/0.json"] = searchChunk{Keys: []string{"k1", "k3"}, Hash: "11"}
	c.searchChunks["d/1.json"] = searchChunk{Hash: "22"}
	c.searchDicts = searchDicts{Digest: "33", Files: []searchFile{{Path: "search/index.json", Hash: "44"}}}
	c.icons = &siteIcons{logoHash: "0123456789abcdef", version: "0123456789", svg: "/logo.svg",
		files: []iconFile{{path: "icons/icon-192.png", size: 192, hash: "55"}}}
	c.themeOK = "66"
	c.tagPosts = tagPostsUse{Fingerprint: "66", Reads: true}
	return c
}

func save(t testing.TB, c *Cache) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := c.Save(&b, "test"); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// savedState is what of a cache is saved, for comparisons.
func savedState(c *Cache) any {
	return []any{c.configSig, c.posts, c.images, c.pages, c.stamps, c.feeds, c.searchTerms, c.searchChunks, c.searchDicts, c.icons, c.themeOK, c.tagPosts}
}

// trickleFile is a file that tells its size, as an *os.File does for
// ReadCache to read it in one go, but gives a few bytes at a time.
type trickleFile struct {
	r    *bytes.Reader
	size int64
}

func (f *trickleFile) Read(p []byte) (int, error) { return f.r.Read(p[:min(len(p), 7)]) }

func (f *trickleFile) Stat() (fs.FileInfo, error) {
	return fstest.MapFS{"cache": {Data: make([]byte, f.size)}}.Stat("cache")
}

func TestCacheRoundTrip(t *testing.T) {
	c := sampleCache()
	data := save(t, c)
	read, err := ReadCache(bytes.NewReader(data), "test")
	if err != nil {
		t.Fatal(err)
	}
	fromFile, err := ReadCache(&trickleFile{bytes.NewReader(data), int64(len(data))}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(save(t, fromFile), data) {
		t.Error("a cache read a few bytes at a time saves other bytes")
	}
	// Times come back with the same instant and offset: compare them
	// apart, then as they are.
	for file, e := range c.posts {
		got := read.posts[file]
		if e.post == nil || got == nil || got.post == nil {
			continue
		}
		for _, pair := range [][2]time.Time{{e.post.Date, got.post.Date}, {e.post.Updated, got.post.Updated}} {
			_, want := pair[0].Zone()
			if _, off := pair[1].Zone(); !pair[0].Equal(pair[1]) || off != want {
				t.Errorf("%s: time %v read back as %v", file, pair[0], pair[1])
			}
		}
		got.post.Date, got.post.Updated = e.post.Date, e.post.Updated
	}
	if want, got := savedState(c), savedState(read); !reflect.DeepEqual(want, got) {
		t.Errorf("read back:\n%#v\nwant:\n%#v", got, want)
	}
	if read.Dirty() {
		t.Error("a cache just read is dirty")
	}
	if again := save(t, read); !bytes.Equal(again, data) {
		t.Error("saving the cache read back gives other bytes")
	}
}

func TestCacheSaveDeterministic(t *testing.T) {
	first := save(t, sampleCache())
	for range 5 {
		if !bytes.Equal(save(t, sampleCache()), first) {
			t.Fatal("the same cache saved twice gives other bytes")
		}
	}
}

func TestEmptyCacheRoundTrip(t *testing.T) {
	read, err := ReadCache(bytes.NewReader(save(t, NewCache())), "test")
	if err != nil {
		t.Fatal(err)
	}
	if want, got := savedState(NewCache()), savedState(read); !reflect.DeepEqual(want, got) {
		t.Errorf("read back:\n%#v\nwant:\n%#v", got, want)
	}
}

// TestCacheKeyOrder checks that a cache read back, whose maps remember the
// order of their keys, saves the same bytes as one made afresh after the
// same changes, some of which keep the number of keys.
func TestCacheKeyOrder(t *testing.T) {
	read, err := ReadCache(bytes.NewReader(save(t, sampleCache())), "test")
	if err != nil {
		t.Fatal(err)
	}
	fresh := sampleCache()
	for _, c := range []*Cache{read, fresh} {
		c.pages["a-first/index.html"] = pageState{Fingerprint: "1", Hash: "2"}
		delete(c.pages, "index.html")
		c.stamps = maps.Clone(c.stamps)
		c.searchTerms["k0"] = search.TermsFromBinary("a\x01")
		c.posts["posts/zz.md"] = &cachedPost{hash: "99"}
		delete(c.posts, "posts/broken.md")
	}
	if !bytes.Equal(save(t, read), save(t, fresh)) {
		t.Error("a cache read back and changed saves other bytes than one made afresh")
	}
	// Keys out of order are refused.
	var e encoder
	e.uint(2)
	for _, k := range []string{"b", "a"} {
		e.str(k)
		e.str("")
		e.str("")
	}
	d := decoder{s: string(e.buf)}
	var order []string
	decodePageStates(&d, &order)
	if d.end() == nil {
		t.Error("a table with keys out of order was read")
	}
}

// TestCacheRefused checks that a cache of another version, cut short,
// damaged anywhere, or not a cache at all is refused, with an empty
// cache.
func TestCacheRefused(t *testing.T) {
	data := save(t, sampleCache())
	refused := func(what string, data []byte, version string) {
		t.Helper()
		for _, r := range []io.Reader{bytes.NewReader(data), &trickleFile{bytes.NewReader(data), int64(len(data))}} {
			c, err := ReadCache(r, version)
			if err == nil {
				t.Errorf("%s: read", what)
			}
			if c == nil || len(c.posts) != 0 || c.configSig != "" {
				t.Errorf("%s: not an empty cache", what)
			}
		}
	}
	refused("another version", data, "other")
	refused("empty file", nil, "test")
	refused("gob", []byte("\x0f\xff\x81\x03\x01\x01\tdiskCache"), "test")
	for cut := range len(data) {
		refused("cut short", data[:cut], "test")
	}
	refused("with a byte more", append(slices.Clip(data), 0), "test")
	// A file that is longer or shorter than its size said when read.
	if _, err := ReadCache(&trickleFile{bytes.NewReader(append(slices.Clip(data), 0)), int64(len(data))}, "test"); err == nil {
		t.Error("a file longer than its size was read")
	}
	if _, err := ReadCache(&trickleFile{bytes.NewReader(data[:len(data)-1]), int64(len(data))}, "test"); err == nil {
		t.Error("a file shorter than its size was read")
	}
	for i := range data {
		for _, flip := range []byte{0x01, 0x80} {
			damaged := slices.Clone(data)
			damaged[i] ^= flip
			refused("damaged", damaged, "test")
		}
	}
}

// TestCacheFieldsSaved fails when a type the cache saves field by field
// gains or loses a field: cachesections.go must then save it (and
// cacheVersion change), as gob did by itself.
func TestCacheFieldsSaved(t *testing.T) {
	for _, tc := range []struct {
		v      any
		fields string
	}{
		{cachedPost{}, "hash post diags rendered lookups summary bodyHash headings ids links"},
		{diag.Diagnostic{}, "File Line Col Severity Msg Hint Source"},
		{lookup{}, "Kind Key Answer"},
		{markdown.Heading{}, "Level ID Text Line"},
		{siteLink{}, "Line Col Source Dest Slug Path Fragment"},
		{tagRef{}, "Name Line Col"},
		{markdown.Ref{}, "Dest Line Col Image"},
		{position{}, "line col"},
		{pageState{}, "Fingerprint Hash"},
		{fileStamp{}, "Size ModTime Hash Seen"},
		{knownImage{}, "ModTime Size W H"},
		{searchChunk{}, "Keys Hash"},
	} {
		typ := reflect.TypeOf(tc.v)
		var names []string
		for i := range typ.NumField() {
			names = append(names, typ.Field(i).Name)
		}
		if got := strings.Join(names, " "); got != tc.fields {
			t.Errorf("%v has the fields %q, the cache saves %q: update cachesections.go and cacheVersion", typ, got, tc.fields)
		}
	}
}

// FuzzReadCache reads arbitrary bytes as a cache file: no panic, and a
// cache that is read saves to bytes that read back the same.
func FuzzReadCache(f *testing.F) {
	data := save(f, sampleCache())
	f.Add(data)
	f.Add(data[:len(data)/2])
	f.Add(save(f, NewCache()))
	f.Add([]byte(cacheMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ReadCache(bytes.NewReader(data), "test")
		_, ferr := ReadCache(&trickleFile{bytes.NewReader(data), int64(len(data))}, "test")
		if (err == nil) != (ferr == nil) {
			t.Fatalf("read at once: %v; read as a file: %v", err, ferr)
		}
		if err != nil {
			return
		}
		again := save(t, c)
		c2, err := ReadCache(bytes.NewReader(again), "test")
		if err != nil {
			t.Fatalf("a cache read and saved again cannot be read: %v", err)
		}
		if !bytes.Equal(save(t, c2), again) {
			t.Fatal("a cache read and saved again changes when read and saved once more")
		}
	})
}

// FuzzCacheSections decodes arbitrary bytes as each section of a cache
// file, behind the checksums that ReadCache checks first: no panic, and
// what decodes encodes to bytes that decode to the same.
func FuzzCacheSections(f *testing.F) {
	c := sampleCache()
	for _, s := range cacheSections() {
		b, err := sectionBytes(s.encode(c))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, s := range cacheSections() {
			d := decoder{s: string(data)}
			c := NewCache()
			s.decode(&d, c)
			if d.end() != nil {
				continue
			}
			b, err := sectionBytes(s.encode(c))
			if err != nil {
				continue // a time out of range
			}
			d = decoder{s: string(b)}
			c2 := NewCache()
			s.decode(&d, c2)
			if err := d.end(); err != nil {
				t.Fatalf("%s: what decoded encodes to bytes that do not decode: %v", s.name, err)
			}
			if b2, _ := sectionBytes(s.encode(c2)); !bytes.Equal(b, b2) {
				t.Fatalf("%s: decoding and encoding again changes the bytes", s.name)
			}
		}
	})
}

// sectionBytes returns the bytes of a section as written, without the
// length before them and the checksum after.
func sectionBytes(b sectionBody) ([]byte, error) {
	var all []byte
	for _, p := range b.parts {
		all = append(all, p...)
	}
	for _, t := range b.terms {
		all, _ = t.AppendBinary(all)
	}
	return all, b.err
}
