package site

import (
	"bytes"
	"image"
	"image/png"
	"reflect"
	"testing"
	"testing/fstest"
	"time"
)

// TestParsedUndoesTheBuild checks that Post.parsed gives back exactly
// what parsePost found in the file, after a build filled the post in:
// the build cache keeps the filled-in post and the next build starts
// from its parsed copy. A field parsePost sets that parsed forgets, or
// one that a build changes, fails here.
func TestParsedUndoesTheBuild(t *testing.T) {
	var photo bytes.Buffer
	if err := png.Encode(&photo, image.NewRGBA(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	src := fstest.MapFS{
		"config.yaml": {Data: []byte("base_url: https://example.gov.kz/amman/news/\nauthor: السفارة\n" +
			"tags:\n  \"كازاخستان\":\n    slug: kazakhstan\n  \"الأردن\":\n    slug: jordan\n")},
		"posts/given.md": {Data: []byte("---\ntitle: \"اجتماع CICA\"\ndate: 2024-03-01 10:30\nupdated: 2024-03-02\n" +
			"summary: ملخص مكتوب\ntags: [CICA, كازاخستان]\nauthor: المكتب الصحفي\nslug: cica-meeting\n---\n" +
			"نص [الزيارة](visit.md) مع **تأكيد**.\n\n## عنوان فرعي\n\nفقرة.\n")},
		"posts/visit.md": {Data: []byte("---\ntitle: زيارة\ndate: 2024-02-01\ntags: [الأردن, CICA]\n---\n" +
			"الفقرة الأولى تصبح الملخص.\n\nفقرة ثانية.\n")},
		"posts/bundle/index.md": {Data: []byte("\xef\xbb\xbf---\ntitle: صور\ndate: 2024-01-05\nimage: photo.png\nimage_alt: صورة الوفد\n---\n" +
			"وصل الوفد إلى عمّان.\n\n![الوفد](photo.png)\n")},
		"posts/bundle/photo.png": {Data: photo.Bytes()},
	}
	cfg, diags := LoadConfig(src)
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	want := map[string]*Post{}
	for _, file := range []string{"posts/given.md", "posts/visit.md", "posts/bundle/index.md"} {
		data := src[file].Data
		p, d := parsePost(file, data, contentHash(data), &cfg, nil)
		if p == nil || d.Err() != nil {
			t.Fatalf("%s: %v", file, d)
		}
		want[file] = p
	}
	cache := NewCache()
	opts := LoadOptions{Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	var first map[string]Post
	for build := 1; build <= 2; build++ {
		c, d := Load(src, cfg, opts, cache)
		if err := append(d, c.ConvertAll()...).Err(); err != nil {
			t.Fatalf("build %d: %v", build, err)
		}
		if len(c.Posts) != len(want) {
			t.Fatalf("build %d: %d posts, want %d", build, len(c.Posts), len(want))
		}
		filled := map[string]Post{}
		for _, p := range c.Posts {
			// The build filled these in: were it not so, the test would
			// check nothing.
			if p.URL == "" || len(p.Tags) == 0 && p.Bundle == "" || p.BodyHash == "" || p.Summary == "" {
				t.Fatalf("build %d: %s was not filled in: %+v", build, p.File, p)
			}
			if got := p.parsed(); !reflect.DeepEqual(got, want[p.File]) {
				t.Errorf("build %d: parsed() of %s\n got %+v\nwant %+v", build, p.File, got, want[p.File])
			}
			filled[p.File] = *p
		}
		if want := "الفقرة الأولى تصبح الملخص."; filled["posts/visit.md"].Summary != want {
			t.Errorf("build %d: summary from the body %q, want %q", build, filled["posts/visit.md"].Summary, want)
		}
		if build == 1 {
			first = filled
			continue
		}
		// The second build starts from the parsed copies and fills them
		// in the same way.
		for file, p := range filled {
			f := first[file]
			if p.URL != f.URL || p.Summary != f.Summary || p.BodyHash != f.BodyHash || len(p.Tags) != len(f.Tags) ||
				!reflect.DeepEqual(p.Cover, f.Cover) || !reflect.DeepEqual(p.Headings, f.Headings) {
				t.Errorf("%s: the second build filled it in differently:\n got %+v\nwant %+v", file, p, f)
			}
		}
	}
}
