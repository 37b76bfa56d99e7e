package site

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// TestUpdateSources checks that applying changed paths to an earlier
// listing gives the same listing as walking the folders again.
func TestUpdateSources(t *testing.T) {
	src := fstest.MapFS{}
	add := func(names ...string) {
		for _, n := range names {
			src[n] = &fstest.MapFile{Data: []byte(n)}
		}
	}
	add("posts/a.md", "posts/a-b.md", "posts/a/index.md", "posts/a/photo.jpg", "posts/a/sub/x.png",
		"posts/b.md", "static/images/1.png", "static/images-old/2.png", "config.yaml")
	files, err := walkSources(src)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name    string
		change  func()
		changed []string
		removed []string
	}{
		{"new file", func() { add("posts/c.md") }, []string{"posts/c.md"}, nil},
		{"edited file", func() { add("posts/b.md") }, []string{"posts/b.md"}, nil},
		{"deleted file", func() { delete(src, "posts/b.md") }, []string{"posts/b.md"}, []string{"posts/b.md"}},
		{"deleted folder beside a look-alike name", func() {
			delete(src, "posts/a/index.md")
			delete(src, "posts/a/photo.jpg")
			delete(src, "posts/a/sub/x.png")
		}, []string{"posts/a"}, []string{"posts/a/index.md", "posts/a/photo.jpg", "posts/a/sub/x.png"}},
		{"folder moved in", func() { add("posts/d/index.md", "posts/d/img/1.jpg", "posts/d/.x.md.swp") }, []string{"posts/d"}, nil},
		{"folder moved between folders", func() {
			delete(src, "posts/d/index.md")
			delete(src, "posts/d/img/1.jpg")
			delete(src, "posts/d/.x.md.swp")
			add("posts/2024/d/index.md", "posts/2024/d/img/1.jpg")
		}, []string{"posts/d", "posts/2024"}, []string{"posts/d/img/1.jpg", "posts/d/index.md"}},
		{"temp files and other folders", func() { add("posts/x.md~", "posts/.#x.md", "layouts/base.html", "public/index.html") },
			[]string{"posts/x.md~", "posts/.#x.md", "layouts/base.html", "public/index.html", "config.yaml"}, nil},
		{"static folder replaced", func() {
			delete(src, "static/images/1.png")
			delete(src, "static/images-old/2.png")
			add("static/favicon.ico")
		}, []string{"static"}, []string{"static/images-old/2.png", "static/images/1.png"}},
	}
	for _, st := range steps {
		st.change()
		got, removed, err := updateSources(src, files, st.changed)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		want, err := walkSources(src)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: listing\n%s\nwant\n%s", st.name, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		slices.Sort(removed)
		if !slices.Equal(removed, st.removed) {
			t.Errorf("%s: removed %v, want %v", st.name, removed, st.removed)
		}
		files = got
	}
}
