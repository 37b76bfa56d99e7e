package output

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// withSpare builds siteV1, then v2 (siteV1 with another home page) into
// a new output folder, which so has a spare (siteV1's output).
func withSpare(t *testing.T) (out string, v2 map[string]string) {
	t.Helper()
	out = filepath.Join(t.TempDir(), "public")
	build(t, out, Options{}, siteV1)
	v2 = copyFiles(siteV1)
	v2["index.html"] = "<h1>الثانية</h1>"
	build(t, out, Options{}, v2)
	return out, v2
}

// spareOf is the spare folder of the output folder out.
func spareOf(out string) string {
	return sparePath(filepath.Dir(out), filepath.Base(out))
}

// TestSpareIsThePreviousOutput checks that the output a build replaces is
// kept, exactly, as the spare, and that the build after starts from it.
func TestSpareIsThePreviousOutput(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	build(t, out, Options{}, siteV1)
	if _, err := os.Lstat(spareOf(out)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a first build made a spare: %v", err)
	}
	v1Tree := hashTree(t, out)

	v2 := copyFiles(siteV1)
	v2["index.html"] = "<h1>الصفحة الأولى، محدّثة</h1>"
	delete(v2, "tags/jordan/page/2/index.html")
	build(t, out, Options{}, v2)
	sameTree(t, "spare after the second build", hashTree(t, spareOf(out)), v1Tree)
	sameTree(t, "output after the second build", withoutManifest(hashTree(t, out)), wantTree(t, v2))

	// The third build starts from the spare (v1) and must end as v3.
	v3 := copyFiles(v2)
	v3["posts/cica-baku/index.html"] = "<h1>سيكا</h1>"
	before := ids(t, out)
	stats := build(t, out, Options{}, v3)
	if want := (Stats{Written: 1, Unchanged: len(v2) - 1}); stats != want {
		t.Errorf("stats = %+v, want %+v", stats, want)
	}
	sameTree(t, "output after the third build", withoutManifest(hashTree(t, out)), wantTree(t, v3))
	after := ids(t, out)
	for rel := range v3 {
		if rel != "posts/cica-baku/index.html" && after[rel] != before[rel] {
			t.Errorf("%s did not change but is another file now", rel)
		}
	}
	if s := stagingFolders(t, out); len(s) != 0 {
		t.Errorf("staging folders left behind: %v", s)
	}
}

// TestSpareDropsFilesPutThereByHand checks that a file dropped into the
// output folder, which the spare then holds, never comes back.
func TestSpareDropsFilesPutThereByHand(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	build(t, out, Options{}, siteV1)
	stray := map[string]string{
		"google1234.html":            "verification",
		"posts/cica-baku/notes.txt":  "ملاحظات",
		"stray-folder/x/index.html":  "x",
		"posts/cica-baku/index.html": "",
	}
	for rel, data := range stray {
		if data == "" {
			continue
		}
		p := filepath.Join(out, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A kept file replaced by a symbolic link is not a file of the site.
	link := filepath.Join(out, "posts", "cica-baku", "index.html")
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", link); err != nil {
		t.Skip("no symbolic links here")
	}
	// Each build changes a page, so each starts from the spare.
	v2 := copyFiles(siteV1)
	v2["index.html"] = "<h1>الثانية</h1>"
	for _, v := range []map[string]string{siteV1, v2, siteV1, v2} {
		build(t, out, Options{}, v)
		sameOutput(t, out, v)
	}
}

// TestSpareAfterEditByHand: a file of the output edited in place is
// edited in the spare too (they are one file); neither the next build nor
// the one after may publish it.
func TestSpareAfterEditByHand(t *testing.T) {
	out, v2 := withSpare(t)
	// style.css is the same file in the output and in the spare.
	editInPlace(t, filepath.Join(out, "assets", "style.css"), "body{display:none}")
	for range 3 {
		build(t, out, Options{}, v2)
		sameOutput(t, out, v2)
	}
}

// TestSpareAbort checks that an aborted build that changed nothing puts
// the spare back, and that one that did leaves no spare to be trusted.
func TestSpareAbort(t *testing.T) {
	out, v2 := withSpare(t)
	spareTree := hashTree(t, spareOf(out))

	d, err := Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(spareOf(out)); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the spare is still there while a build uses it: %v", err)
	}
	if !d.Unchanged("index.html", Hash([]byte(v2["index.html"]))) {
		t.Fatal("Unchanged = false for an unchanged file")
	}
	d.Abort()
	sameTree(t, "spare put back", hashTree(t, spareOf(out)), spareTree)

	d, err = Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("index.html", []byte("<h1>لن تنشر</h1>")); err != nil {
		t.Fatal(err)
	}
	d.Abort()
	if _, err := os.Lstat(spareOf(out)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a changed spare was put back: %v", err)
	}
	if s := stagingFolders(t, out); len(s) != 0 {
		t.Errorf("staging folders left behind: %v", s)
	}
	build(t, out, Options{}, siteV1)
	sameOutput(t, out, siteV1)
}

// TestSpareWithoutManifestIsRemoved: a spare that is not what nashra left
// is never used.
func TestSpareWithoutManifestIsRemoved(t *testing.T) {
	out, v2 := withSpare(t)
	if err := os.WriteFile(filepath.Join(spareOf(out), ManifestName), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	build(t, out, Options{}, siteV1)
	sameOutput(t, out, siteV1)
	// The spare is now the v2 output, made by that build.
	sameTree(t, "spare", withoutManifest(hashTree(t, spareOf(out))), wantTree(t, v2))
}

// TestSpareRandomBuilds runs builds of random versions of a site, with
// pages that turn into folders and back, files dropped into or edited in
// the output by hand, aborted and killed builds, and checks after each
// build that the output is exactly that version, that unchanged files
// kept their inode and time, and that the spare is the previous output.
func TestSpareRandomBuilds(t *testing.T) {
	// Each seed is another history; 300 seeds passed when this was
	// written, a dozen run every time.
	for seed := range uint64(12) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { spareRandomBuilds(t, seed) })
	}
}

func spareRandomBuilds(t *testing.T, seed uint64) {
	paths := []string{
		"index.html", "404.html", "a", "a/index.html", "a/b", "a/b/c.html",
		"posts/p1/index.html", "posts/p2/index.html", "posts/p2/photo.jpg",
		"posts/p3", "posts/p3/index.html", "tags/t/index.html",
		"tags/t/page/2/index.html", "tags/t/page/2", "deep/1/2/3/f.txt", "deep/1",
	}
	rng := rand.New(rand.NewPCG(seed, 11))
	version := func(round int) map[string]string {
		files := map[string]string{}
		for _, p := range rng.Perm(len(paths)) {
			rel := paths[p]
			if rng.IntN(3) == 0 {
				continue
			}
			clash := false
			for other := range files {
				if strings.HasPrefix(other, rel+"/") || strings.HasPrefix(rel, other+"/") {
					clash = true
				}
			}
			if !clash {
				// Few distinct contents, so that many files stay the same.
				files[rel] = fmt.Sprintf("%s v%d", rel, rng.IntN(3)*round%4)
			}
		}
		return files
	}
	root := t.TempDir()
	out := filepath.Join(root, "public")
	var prev map[string]string
	var prevIDs map[string]fileID
	for round := range 60 {
		files := version(round)
		case_ := rng.IntN(6)
		t.Logf("round %d: case %d, files %v", round, case_, sortedKeys(files))
		switch case_ {
		case 0: // a build that fails halfway
			writeSome(t, out, files, rng, " aborted").Abort()
		case 1: // a build killed halfway
			writeSome(t, out, files, rng, " killed")
		case 2: // a file dropped into the output by hand
			if prev != nil {
				if err := os.WriteFile(filepath.Join(out, fmt.Sprintf("stray-%d.txt", round)), []byte("stray"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		case 3: // a file of the output edited in place
			for _, rel := range sortedKeys(prev) {
				f, err := os.OpenFile(filepath.Join(out, filepath.FromSlash(rel)), os.O_WRONLY|os.O_APPEND, 0)
				if err != nil {
					t.Fatal(err)
				}
				f.WriteString(" edited")
				f.Close()
				delete(prevIDs, rel)
				break
			}
		}
		build(t, out, Options{}, files)
		sameTree(t, fmt.Sprintf("round %d: output", round), withoutManifest(hashTree(t, out)), wantTree(t, files))
		m := readManifestFile(t, out)
		if len(m.Files) != len(files) {
			t.Errorf("round %d: manifest lists %d files, want %d", round, len(m.Files), len(files))
		}
		now := ids(t, out)
		for rel, data := range files {
			if id, ok := prevIDs[rel]; ok && prev[rel] == data && now[rel] != id {
				t.Errorf("round %d: %s did not change but is another file now", round, rel)
			}
		}
		if s := stagingFolders(t, out); len(s) != 0 {
			t.Errorf("round %d: staging folders left behind: %v", round, s)
		}
		if _, err := os.Lstat(spareOf(out)); err == nil {
			spare := hashTree(t, spareOf(out))
			for p := range spare {
				if !strings.HasSuffix(p, "/") && p != ManifestName {
					if _, ok := m.Files[p]; !ok && prev != nil {
						if _, wasPrev := prev[p]; !wasPrev {
							t.Errorf("round %d: the spare holds %s, a file of no build", round, p)
						}
					}
				}
			}
		}
		prev, prevIDs = files, now
	}
}

// TestPruneTo checks the walk that makes the replaced output the spare:
// it leaves exactly the listed files, their folders and the manifest.
func TestPruneTo(t *testing.T) {
	root := t.TempDir()
	listed := map[string]string{
		"index.html": "h", "posts/a/index.html": "h", "posts/b/index.html": "h",
		"deep/1/2/3/f.txt": "h", "file-not-dir": "h",
	}
	write := func(rel string) {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(rel), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for rel := range listed {
		if rel != "file-not-dir" {
			write(rel)
		}
	}
	write(ManifestName)
	write("stray.txt")
	write("posts/a/stray.txt")
	write("deep/1/2/stray/x/y.txt")
	write("file-not-dir/inside.txt") // a folder where a file is listed
	write("posts/.hidden")
	if err := os.Symlink("index.html", filepath.Join(root, "posts", "b", "link.html")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(root, "posts", "b", "index.html")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../../index.html", filepath.Join(root, "posts", "b", "index.html")); err != nil {
		t.Fatal(err)
	}
	if err := pruneTo(root, listed); err != nil {
		t.Fatal(err)
	}
	// Each file written holds its own path; posts/b is left empty.
	kept := map[string]string{}
	for _, p := range []string{"index.html", "posts/a/index.html", "deep/1/2/3/f.txt", ManifestName} {
		kept[p] = p
	}
	want := wantTree(t, kept)
	want["posts/b/"] = "dir"
	sameTree(t, "pruned folder", hashTree(t, root), want)
}

// TestPruneToManyFolders: the workers of pruneTo share out hundreds of
// folders at several depths; every stray file and folder among them goes,
// and every listed one stays.
func TestPruneToManyFolders(t *testing.T) {
	root := t.TempDir()
	listed := map[string]string{}
	var strays []string
	for i := range 400 {
		dir := fmt.Sprintf("posts/p%03d", i)
		if i%3 == 0 {
			dir = fmt.Sprintf("tags/t%02d/page/%d", i%20, i)
		}
		listed[dir+"/index.html"] = "h"
		if i%7 == 0 {
			strays = append(strays, dir+"/stray.txt")
		}
		if i%11 == 0 {
			strays = append(strays, dir+"/stray-folder/x/y.txt")
		}
	}
	strays = append(strays, "tags/unlisted/index.html")
	for _, rel := range append(slices.Collect(maps.Keys(listed)), append(strays, ManifestName)...) {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(rel), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	openFiles := func() int {
		fds, err := os.ReadDir("/proc/self/fd")
		if err != nil {
			return -1 // not Linux: not counted
		}
		return len(fds)
	}
	before := openFiles()
	if err := pruneTo(root, listed); err != nil {
		t.Fatal(err)
	}
	if after := openFiles(); after != before {
		t.Errorf("pruneTo left %d files open (%d before, %d after)", after-before, before, after)
	}
	// Each file holds its own path.
	kept := map[string]string{ManifestName: ManifestName}
	for rel := range listed {
		kept[rel] = rel
	}
	sameTree(t, "pruned folder", hashTree(t, root), wantTree(t, kept))
}

// TestSpareWithoutOutput: when the output folder was deleted, the spare
// is of no use (every file is written anew): it is removed, and the
// build is right.
func TestSpareWithoutOutput(t *testing.T) {
	out, _ := withSpare(t)
	if err := os.RemoveAll(out); err != nil {
		t.Fatal(err)
	}
	stats := build(t, out, Options{}, siteV1)
	if want := (Stats{Written: len(siteV1)}); stats != want {
		t.Errorf("stats = %+v, want %+v", stats, want)
	}
	sameOutput(t, out, siteV1)
	entries, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("beside the output after the build: %v", entries)
	}
}

// writeSome opens a build of out and writes about half of files, each
// with suffix added, chosen by rng: a build that stops before its end.
func writeSome(t *testing.T, out string, files map[string]string, rng *rand.Rand, suffix string) *Dir {
	t.Helper()
	d, err := Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range sortedKeys(files) {
		if rng.IntN(2) == 0 {
			if err := d.WriteFile(rel, []byte(files[rel]+suffix)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return d
}

// TestFailedCommitLeavesNoFalseSpare: a commit that fails half way, after
// linking some kept files into the spare it started from, must not put
// that folder back as the spare with a manifest that does not list them;
// otherwise the next build writes through those hard links into the live
// output, or fails on them forever.
func TestFailedCommitLeavesNoFalseSpare(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	build(t, out, Options{}, map[string]string{"a": "a"})
	v2 := map[string]string{"a": "a", "e1": "e1", "e2": "e2", "r": "r"}
	build(t, out, Options{}, v2) // the output of the first build is now the spare

	// The third build keeps a, e1 and e2 and drops r; e2 disappears from
	// the output before the commit, so linking it fails.
	d, err := Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{"a", "e1", "e2"} {
		if err := d.WriteFile(rel, []byte(v2[rel])); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(filepath.Join(out, "e2")); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Commit(); err == nil {
		t.Fatal("Commit succeeded without e2")
	}

	// The next build writes e1 anew, and keeps the rest.
	v4 := map[string]string{"a": "a", "e1": "new e1", "r": "r"}
	d, err = Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("e1", []byte("new e1")); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(filepath.Join(out, "e1")); err != nil || string(got) != "e1" {
		t.Errorf("the live output's e1 reads %q (%v) before the commit, want %q", got, err, "e1")
	}
	for _, rel := range []string{"a", "r"} {
		if err := d.WriteFile(rel, []byte(v4[rel])); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.Commit(); err != nil {
		t.Fatalf("the build after a failed commit: %v", err)
	}
	sameTree(t, "output", withoutManifest(hashTree(t, out)), wantTree(t, v4))
}
