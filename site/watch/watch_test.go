package watch_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nashra-press/nashra/site/watch"
)

// patience bounds every wait for a batch. Batches come within tens of
// milliseconds; this only stops a broken watcher from hanging the tests.
const patience = 20 * time.Second

// newSite makes a site folder with a few posts, a layout, a static file
// and config.yaml.
func newSite(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for name, data := range map[string]string{
		"config.yaml":           "title: test\n",
		"posts/a.md":            "---\ntitle: a\ndate: 2024-01-01\n---\nA.\n",
		"posts/b.md":            "---\ntitle: b\ndate: 2024-01-02\n---\nB.\n",
		"posts/2024/c.md":       "---\ntitle: c\ndate: 2024-01-03\n---\nC.\n",
		"layouts/base.html":     "{{define \"base\"}}{{end}}",
		"static/images/x.png":   "png",
		"public/index.html":     "built",
		"README.txt":            "site notes",
		"posts/bundle/index.md": "---\ntitle: d\ndate: 2024-01-04\n---\nD.\n",
	} {
		write(t, root, name, data)
	}
	return root
}

func write(t *testing.T, root, name, data string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func rename(t *testing.T, root, from, to string) {
	t.Helper()
	if err := os.Rename(filepath.Join(root, filepath.FromSlash(from)), filepath.Join(root, filepath.FromSlash(to))); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, root, name string) {
	t.Helper()
	if err := os.RemoveAll(filepath.Join(root, filepath.FromSlash(name))); err != nil {
		t.Fatal(err)
	}
}

func start(t *testing.T, root string, opts watch.Options) *watch.Watcher {
	t.Helper()
	w, err := watch.New(root, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return w
}

// next waits for the watcher's next batch.
func next(t *testing.T, w *watch.Watcher) watch.Batch {
	t.Helper()
	select {
	case b, ok := <-w.Batches():
		if !ok {
			t.Fatal("the watcher stopped")
		}
		return b
	case <-time.After(patience):
		t.Fatal("no batch came")
	}
	return watch.Batch{}
}

func expect(t *testing.T, b watch.Batch, paths ...string) {
	t.Helper()
	if !slices.Equal(b.Paths, paths) {
		t.Errorf("batch %v, want %v", b.Paths, paths)
	}
	if b.Full {
		t.Errorf("batch %v asks for a full build: %s", b.Paths, b.Reason)
	}
}

// TestSavePatterns makes the changes that editors and people make, each
// in a fresh site, and checks the one batch each yields.
func TestSavePatterns(t *testing.T) {
	cases := []struct {
		name string
		save func(t *testing.T, root string)
		want []string
	}{
		{"write in place", func(t *testing.T, root string) {
			write(t, root, "posts/a.md", "new text")
		}, []string{"posts/a.md"}},
		{"temp file renamed over (VS Code, atomic savers)", func(t *testing.T, root string) {
			write(t, root, "posts/a.md.tmp", "new text")
			rename(t, root, "posts/a.md.tmp", "posts/a.md")
		}, []string{"posts/a.md"}},
		{"JetBrains safe write", func(t *testing.T, root string) {
			write(t, root, "posts/a.md___jb_tmp___", "new text")
			rename(t, root, "posts/a.md", "posts/a.md___jb_old___")
			rename(t, root, "posts/a.md___jb_tmp___", "posts/a.md")
			remove(t, root, "posts/a.md___jb_old___")
		}, []string{"posts/a.md"}},
		{"vim with backupcopy=no", func(t *testing.T, root string) {
			write(t, root, "posts/.a.md.swp", "swap")
			write(t, root, "posts/4913", "")
			remove(t, root, "posts/4913")
			rename(t, root, "posts/a.md", "posts/a.md~")
			write(t, root, "posts/a.md", "new text")
			remove(t, root, "posts/a.md~")
			write(t, root, "posts/.a.md.swp", "swap again")
		}, []string{"posts/a.md"}},
		{"emacs: lock link, autosave, backup", func(t *testing.T, root string) {
			if err := os.Symlink("user@host.1234", filepath.Join(root, "posts/.#a.md")); err != nil {
				t.Fatal(err)
			}
			write(t, root, "posts/#a.md#", "autosave")
			rename(t, root, "posts/a.md", "posts/a.md~")
			write(t, root, "posts/a.md", "new text")
			remove(t, root, "posts/#a.md#")
			remove(t, root, "posts/.#a.md")
		}, []string{"posts/a.md"}},
		{"delete then create", func(t *testing.T, root string) {
			remove(t, root, "posts/a.md")
			write(t, root, "posts/a.md", "new text")
		}, []string{"posts/a.md"}},
		{"move a post between folders", func(t *testing.T, root string) {
			if err := os.MkdirAll(filepath.Join(root, "posts/2025"), 0o755); err != nil {
				t.Fatal(err)
			}
			rename(t, root, "posts/2024/c.md", "posts/2025/c.md")
		}, []string{"posts/2024/c.md", "posts/2025", "posts/2025/c.md"}},
		{"sed -i (a temporary file with a plain name)", func(t *testing.T, root string) {
			write(t, root, "posts/sedX4k2Qa", "new text")
			rename(t, root, "posts/sedX4k2Qa", "posts/a.md")
		}, []string{"posts/a.md"}},
		{"delete a post", func(t *testing.T, root string) {
			remove(t, root, "posts/b.md")
		}, []string{"posts/b.md"}},
		{"a layout and a static file", func(t *testing.T, root string) {
			write(t, root, "layouts/base.html", "{{define \"base\"}}x{{end}}")
			write(t, root, "static/images/x.png", "png2")
		}, []string{"layouts/base.html", "static/images/x.png"}},
		{"a file in a bundle", func(t *testing.T, root string) {
			write(t, root, "posts/bundle/photo.jpg", "jpg")
		}, []string{"posts/bundle/photo.jpg"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := newSite(t)
			w := start(t, root, watch.Options{})
			c.save(t, root)
			expect(t, next(t, w), c.want...)
			// Nothing else was pending: the next batch is the next change.
			write(t, root, "posts/z.md", "z")
			expect(t, next(t, w), "posts/z.md")
		})
	}
}

// TestConfigChangeIsFull saves config.yaml the way atomic savers do.
func TestConfigChangeIsFull(t *testing.T) {
	root := newSite(t)
	w := start(t, root, watch.Options{})
	write(t, root, "config.yaml.tmp", "title: changed\n")
	rename(t, root, "config.yaml.tmp", "config.yaml")
	b := next(t, w)
	if !b.Full || !slices.Equal(b.Paths, []string{"config.yaml"}) || !strings.Contains(b.Reason, "config.yaml") {
		t.Errorf("config change: %+v", b)
	}
}

// TestIgnoredNames writes every kind of temporary, swap and backup file:
// none of them makes a batch.
func TestIgnoredNames(t *testing.T) {
	root := newSite(t)
	w := start(t, root, watch.Options{})
	for _, name := range []string{
		"posts/.a.md.swp", "posts/.a.md.swx", "posts/a.md~", "posts/.#a.md", "posts/4913", "posts/a.md.bck",
		"posts/a.md.tmp", "posts/.DS_Store", "static/.DS_Store", "posts/#a.md#", "layouts/base.html~",
		"posts/a.md___jb_tmp___", "posts/a.md___jb_old___", "static/images/x.png.tmp", "posts/.hidden/x.md",
	} {
		write(t, root, name, "temporary")
	}
	remove(t, root, "posts/4913")
	remove(t, root, "posts/a.md.tmp")
	write(t, root, "posts/a.md", "a real change")
	expect(t, next(t, w), "posts/a.md")
}

// TestOutputNeverTriggers writes where the build writes (public/ at the
// site's root, and an ignored folder) and beside the site's folders:
// nothing counts.
func TestOutputNeverTriggers(t *testing.T) {
	root := newSite(t)
	out := filepath.Join(root, "static", "preview")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	w := start(t, root, watch.Options{Ignore: []string{out}})
	for i := 0; i < 20; i++ {
		write(t, root, "public/posts/p/index.html", strings.Repeat("x", i))
		write(t, root, "static/preview/index.html", strings.Repeat("y", i))
	}
	rename(t, root, "public", ".public.nashra-staging-1")
	write(t, root, "public/index.html", "swapped in")
	write(t, root, "README.txt", "notes")
	write(t, root, "posts/b.md", "a real change")
	expect(t, next(t, w), "posts/b.md")
}

// TestBurst changes 300 files at once, as a git checkout does: one or two
// batches, not hundreds.
func TestBurst(t *testing.T) {
	root := newSite(t)
	w := start(t, root, watch.Options{})
	var want []string
	for i := 0; i < 300; i++ {
		name := filepath.ToSlash(filepath.Join("posts", "batch", strings.Repeat("n", 1+i%7)+string(rune('a'+i%26))+"-"+string(rune('0'+i/26%10))+string(rune('0'+i/260))+".md"))
		write(t, root, name, "post")
		want = append(want, name)
	}
	seen := map[string]bool{}
	batches := 0
	for len(seen) < len(want) {
		b := next(t, w)
		batches++
		for _, p := range b.Paths {
			seen[p] = true
		}
		if len(b.Paths) >= 100 && !b.Full {
			t.Errorf("a batch of %d paths does not ask for a full build", len(b.Paths))
		}
	}
	for _, p := range want {
		if !seen[p] {
			t.Errorf("%s was never reported", p)
		}
	}
	if batches > 2 {
		t.Errorf("300 files made %d batches, want 1 or 2", batches)
	}
}

// TestFolders creates, renames, moves in and removes folders: new ones
// are watched (with the files already in them), removed ones dropped.
func TestFolders(t *testing.T) {
	root := newSite(t)
	w := start(t, root, watch.Options{})
	watched := func(dir string) bool { return slices.Contains(w.Watched(), dir) }

	// A new folder with a post written at once (before any watch on it
	// could exist) and a folder inside it.
	write(t, root, "posts/visit/index.md", "new bundle")
	write(t, root, "posts/visit/img/photo.jpg", "jpg")
	b := next(t, w)
	for _, p := range []string{"posts/visit", "posts/visit/index.md", "posts/visit/img/photo.jpg"} {
		if !slices.Contains(b.Paths, p) {
			t.Errorf("new folder: batch %v lacks %s", b.Paths, p)
		}
	}
	if !watched("posts/visit") || !watched("posts/visit/img") {
		t.Fatalf("new folders not watched: %v", w.Watched())
	}
	write(t, root, "posts/visit/img/second.jpg", "jpg")
	expect(t, next(t, w), "posts/visit/img/second.jpg")

	// Renamed: the old names are dropped, events come with the new name.
	rename(t, root, "posts/visit", "posts/state-visit")
	b = next(t, w)
	for _, p := range []string{"posts/visit", "posts/state-visit", "posts/state-visit/index.md"} {
		if !slices.Contains(b.Paths, p) {
			t.Errorf("renamed folder: batch %v lacks %s", b.Paths, p)
		}
	}
	if watched("posts/visit") || watched("posts/visit/img") || !watched("posts/state-visit/img") {
		t.Fatalf("after the rename, watched: %v", w.Watched())
	}
	write(t, root, "posts/state-visit/img/photo.jpg", "jpg2")
	expect(t, next(t, w), "posts/state-visit/img/photo.jpg")

	// Moved in from outside the site.
	outside := t.TempDir()
	write(t, outside, "reception/index.md", "moved in")
	if err := os.Rename(filepath.Join(outside, "reception"), filepath.Join(root, "posts", "reception")); err != nil {
		t.Fatal(err)
	}
	b = next(t, w)
	if !slices.Contains(b.Paths, "posts/reception/index.md") || !watched("posts/reception") {
		t.Errorf("moved-in folder: batch %v, watched %v", b.Paths, w.Watched())
	}

	// Removed: dropped from the watch list.
	remove(t, root, "posts/state-visit")
	b = next(t, w)
	if !slices.Contains(b.Paths, "posts/state-visit") || watched("posts/state-visit") || watched("posts/state-visit/img") {
		t.Errorf("removed folder: batch %v, watched %v", b.Paths, w.Watched())
	}

	// A content folder made at the site's root after the start.
	remove(t, root, "static")
	next(t, w)
	write(t, root, "static/favicon.ico", "ico")
	b = next(t, w)
	if !slices.Contains(b.Paths, "static/favicon.ico") || !watched("static") {
		t.Errorf("static/ made again: batch %v, watched %v", b.Paths, w.Watched())
	}
}

// TestPoll checks the scanning watcher (-poll) with the changes it must
// see without any event from the system.
//
// The post and the new folder are put in place whole (renamed in): a scan
// that caught a file half written would see it change again at the next
// scan, a second batch that the next step would take for its own.
func TestPoll(t *testing.T) {
	root := newSite(t)
	w := start(t, root, watch.Options{Poll: 20 * time.Millisecond})

	write(t, root, "posts/a.md.tmp", "a longer new text")
	rename(t, root, "posts/a.md.tmp", "posts/a.md")
	expect(t, next(t, w), "posts/a.md")

	write(t, root, "posts/.a.md.swp", "swap")
	write(t, root, "posts/a.md~", "backup")
	write(t, root, "public/index.html", "output")
	outside := t.TempDir()
	write(t, outside, "new/index.md", "new bundle")
	if err := os.Rename(filepath.Join(outside, "new"), filepath.Join(root, "posts", "new")); err != nil {
		t.Fatal(err)
	}
	b := next(t, w)
	if !slices.Equal(b.Paths, []string{"posts/new", "posts/new/index.md"}) {
		t.Errorf("new folder: batch %v", b.Paths)
	}

	remove(t, root, "posts/b.md")
	expect(t, next(t, w), "posts/b.md")

	rename(t, root, "posts/new", "posts/renamed")
	b = next(t, w)
	if !slices.Equal(b.Paths, []string{"posts/new", "posts/new/index.md", "posts/renamed", "posts/renamed/index.md"}) {
		t.Errorf("renamed folder: batch %v", b.Paths)
	}

	write(t, root, "config.yaml", "title: polled\n")
	if b := next(t, w); !b.Full {
		t.Errorf("config change: %+v", b)
	}
}
