package output

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
)

func inode(t *testing.T, p string) uint64 {
	t.Helper()
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return info.Sys().(*syscall.Stat_t).Ino
}

func TestLiveRewritesOnlyChangedFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "preview")
	l, err := OpenLive(dir)
	if err != nil {
		t.Fatal(err)
	}
	build := func(files map[string]string) Stats {
		t.Helper()
		l.Begin()
		for rel, data := range files {
			if err := l.WriteFile(rel, []byte(data)); err != nil {
				t.Fatal(err)
			}
		}
		stats, err := l.Finish()
		if err != nil {
			t.Fatal(err)
		}
		return stats
	}
	var notified []string
	var notifiedMu sync.Mutex
	l.Notify = func(rel string) {
		notifiedMu.Lock()
		notified = append(notified, rel)
		notifiedMu.Unlock()
	}
	first := build(map[string]string{"index.html": "home 1", "posts/a/index.html": "a 1", "posts/b/index.html": "b 1", "images/x.png": "png"})
	if first != (Stats{Written: 4}) {
		t.Errorf("first build: %+v", first)
	}
	keep := inode(t, filepath.Join(dir, "posts/a/index.html"))

	// The home page changes, post a does not, post b is gone.
	second := build(map[string]string{"index.html": "home 2", "posts/a/index.html": "a 1", "images/x.png": "png"})
	if second != (Stats{Written: 1, Unchanged: 2, Removed: 1}) {
		t.Errorf("second build: %+v", second)
	}
	if got := inode(t, filepath.Join(dir, "posts/a/index.html")); got != keep {
		t.Error("an unchanged file was rewritten")
	}
	slices.Sort(notified)
	if strings.Join(notified, " ") != "images/x.png index.html index.html posts/a/index.html posts/b/index.html posts/b/index.html" {
		t.Errorf("notified of %v", notified)
	}
	want := tree{"index.html": sha("home 2"), "posts/": "dir", "posts/a/": "dir", "posts/a/index.html": sha("a 1"), "images/": "dir", "images/x.png": sha("png")}
	if got := hashTree(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("folder after the second build:\n%v\nwant\n%v", got, want)
	}

	// Unchanged keeps a file by its hash, once per build.
	l.Begin()
	if !l.Unchanged("posts/a/index.html", Hash([]byte("a 1"))) || l.Unchanged("posts/a/index.html", Hash([]byte("a 1"))) {
		t.Error("Unchanged must keep a file with the same hash once per build")
	}
	if l.Unchanged("index.html", Hash([]byte("home 1"))) {
		t.Error("Unchanged kept a file whose content differs")
	}
	if err := l.WriteFile("posts/a/index.html", []byte("again")); err == nil {
		t.Error("a file produced twice in one build was accepted")
	}
}

// sha is how hashTree records a file's bytes.
func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestLiveAbortKeepsThePreviousSite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "preview")
	l, err := OpenLive(dir)
	if err != nil {
		t.Fatal(err)
	}
	l.Begin()
	for _, rel := range []string{"a.html", "b.html"} {
		if err := l.WriteFile(rel, []byte(rel)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.Finish(); err != nil {
		t.Fatal(err)
	}
	// A build writes a new a.html, then fails: a.html is the new one (it
	// is complete), b.html is still there.
	l.Begin()
	if err := l.WriteFile("a.html", []byte("new a")); err != nil {
		t.Fatal(err)
	}
	l.Abort()
	want := tree{"a.html": sha("new a"), "b.html": sha("b.html")}
	if got := hashTree(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("after a failed build:\n%v\nwant\n%v", got, want)
	}
	// The next build knows what is on disk.
	l.Begin()
	if !l.Unchanged("a.html", Hash([]byte("new a"))) || l.Unchanged("b.html", Hash([]byte("other"))) {
		t.Error("the live folder lost track of its files after a failed build")
	}
}

// TestLiveReadersSeeWholeFiles reads files while they are rewritten: a
// reader must always get one whole version.
func TestLiveReadersSeeWholeFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "preview")
	l, err := OpenLive(dir)
	if err != nil {
		t.Fatal(err)
	}
	version := func(i int) []byte { return bytes.Repeat([]byte(fmt.Sprintf("<%d>", i)), 20000) }
	l.Begin()
	if err := l.WriteFile("page.html", version(0)); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Finish(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	var bad []string
	var mu sync.Mutex
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			data, err := os.ReadFile(filepath.Join(dir, "page.html"))
			ok := err == nil && len(data) > 0
			if ok {
				unit := data[:bytes.IndexByte(data, '>')+1]
				ok = bytes.Equal(data, bytes.Repeat(unit, 20000))
			}
			if !ok {
				mu.Lock()
				bad = append(bad, fmt.Sprintf("err=%v len=%d", err, len(data)))
				mu.Unlock()
			}
		}
	}()
	for i := 1; i <= 200; i++ {
		l.Begin()
		if err := l.WriteFile("page.html", version(i)); err != nil {
			t.Fatal(err)
		}
		if _, err := l.Finish(); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	wg.Wait()
	if len(bad) > 0 {
		t.Errorf("%d reads saw a partial file, e.g. %s", len(bad), bad[0])
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}

func TestLiveFileAndFolderSwap(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "preview")
	l, err := OpenLive(dir)
	if err != nil {
		t.Fatal(err)
	}
	step := func(files ...string) {
		t.Helper()
		l.Begin()
		for _, f := range files {
			if err := l.WriteFile(f, []byte(f)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := l.Finish(); err != nil {
			t.Fatal(err)
		}
	}
	step("x", "y/z")
	step("x/index.html", "y")
	want := tree{"x/": "dir", "x/index.html": sha("x/index.html"), "y": sha("y")}
	if got := hashTree(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%v\nwant\n%v", got, want)
	}
	step("x/index.html", "y/z")
	want = tree{"x/": "dir", "x/index.html": sha("x/index.html"), "y/": "dir", "y/z": sha("y/z")}
	if got := hashTree(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%v\nwant\n%v", got, want)
	}
}

func TestOpenLiveRefusesAFolderWithFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenLive(dir); err == nil {
		t.Error("OpenLive accepted a folder with files in it")
	}
}

// TestLivePrevious reads back a file a build wrote, and nothing once the
// file was changed behind the folder's back.
func TestLivePrevious(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "preview")
	l, err := OpenLive(dir)
	if err != nil {
		t.Fatal(err)
	}
	l.Begin()
	if err := l.WriteFile("search/d/0.json", []byte("[chunk]\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Finish(); err != nil {
		t.Fatal(err)
	}
	if data, ok := l.Previous("search/d/0.json"); !ok || string(data) != "[chunk]\n" {
		t.Errorf("Previous = %q, %v", data, ok)
	}
	if _, ok := l.Previous("search/d/1.json"); ok {
		t.Error("Previous found a file no build wrote")
	}
	if err := os.WriteFile(filepath.Join(dir, "search/d/0.json"), []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := l.Previous("search/d/0.json"); ok {
		t.Error("Previous returned a file changed by hand")
	}
}
