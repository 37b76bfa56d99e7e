package output

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// tree is a whole folder: every path (folders end in "/") and, for
// files, the sha256 of their bytes.
type tree map[string]string

// hashTree walks dir and records every file and folder in it.
func hashTree(t *testing.T, dir string) tree {
	t.Helper()
	out := tree{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		switch {
		case e.IsDir():
			out[rel+"/"] = "dir"
		case e.Type().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(data)
			out[rel] = hex.EncodeToString(sum[:])
		default:
			out[rel] = "type " + e.Type().String()
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	return out
}

func (tr tree) paths() []string {
	var ps []string
	for p := range tr {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}

// sameTree fails the test with the differences between two trees.
func sameTree(t *testing.T, what string, got, want tree) {
	t.Helper()
	if reflect.DeepEqual(got, want) {
		return
	}
	var diffs []string
	for _, p := range want.paths() {
		g, ok := got[p]
		switch {
		case !ok:
			diffs = append(diffs, "missing: "+p)
		case g != want[p]:
			diffs = append(diffs, "changed: "+p)
		}
	}
	for _, p := range got.paths() {
		if _, ok := want[p]; !ok {
			diffs = append(diffs, "extra:   "+p)
		}
	}
	t.Errorf("%s differs:\n  %s", what, strings.Join(diffs, "\n  "))
}

// fileID is what tells a rewritten file from a kept one.
type fileID struct {
	ino   uint64
	mtime time.Time
}

func idOf(t *testing.T, p string) fileID {
	t.Helper()
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		t.Skip("no inode numbers on this system")
	}
	return fileID{ino: uint64(st.Ino), mtime: info.ModTime()}
}

// ids records the inode and mtime of every file in dir.
func ids(t *testing.T, dir string) map[string]fileID {
	t.Helper()
	out := map[string]fileID{}
	for _, p := range hashTree(t, dir).paths() {
		if !strings.HasSuffix(p, "/") {
			out[p] = idOf(t, filepath.Join(dir, filepath.FromSlash(p)))
		}
	}
	return out
}

// ageFiles sets every file's mtime a year back, so that a rewrite (which
// sets it to now) shows even on file systems with coarse timestamps.
func ageFiles(t *testing.T, dir string) {
	t.Helper()
	old := time.Now().Add(-365 * 24 * time.Hour).Truncate(time.Second)
	for _, p := range hashTree(t, dir).paths() {
		if !strings.HasSuffix(p, "/") {
			if err := os.Chtimes(filepath.Join(dir, filepath.FromSlash(p)), old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// build opens out, writes files and commits.
func build(t *testing.T, out string, opts Options, files map[string]string) Stats {
	t.Helper()
	d, err := Open(out, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	for _, rel := range sortedKeys(files) {
		if err := d.WriteFile(rel, []byte(files[rel])); err != nil {
			t.Fatalf("WriteFile(%q): %v", rel, err)
		}
	}
	stats, err := d.Commit()
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	return stats
}

// editInPlace rewrites the file p through its own inode, as an editor
// that saves in place does.
func editInPlace(t *testing.T, p, text string) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// sameOutput fails the test unless the output folder out holds exactly
// files (and the manifest).
func sameOutput(t *testing.T, out string, files map[string]string) {
	t.Helper()
	sameTree(t, "output", withoutManifest(hashTree(t, out)), wantTree(t, files))
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// wantTree is the tree that files (plus the manifest) make.
func wantTree(t *testing.T, files map[string]string) tree {
	t.Helper()
	out := tree{}
	for rel, data := range files {
		sum := sha256.Sum256([]byte(data))
		out[rel] = hex.EncodeToString(sum[:])
		for d := filepath.ToSlash(filepath.Dir(rel)); d != "."; d = filepath.ToSlash(filepath.Dir(d)) {
			out[d+"/"] = "dir"
		}
	}
	return out
}

// withoutManifest drops the manifest from a tree.
func withoutManifest(tr tree) tree {
	out := tree{}
	for p, h := range tr {
		if p != ManifestName {
			out[p] = h
		}
	}
	return out
}

func readManifestFile(t *testing.T, dir string) manifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		t.Fatalf("manifest: %v", err)
	}
	var m manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("manifest: %v\n%s", err, data)
	}
	return m
}

// stagingFolders lists the staging folders beside out.
func stagingFolders(t *testing.T, out string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(out))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.Contains(e.Name(), stagingMarker) {
			names = append(names, e.Name())
		}
	}
	return names
}

var siteV1 = map[string]string{
	"index.html":                     "<!doctype html><html lang=ar dir=rtl><title>الأخبار</title>",
	"posts/cica-baku/index.html":     "<h1>اجتماع سيكا في باكو</h1>",
	"posts/nauryz-amman/index.html":  "<h1>أسبوع نوروز في عمّان</h1>",
	"posts/nauryz-amman/photo.jpg":   "\xff\xd8\xff\xe0 not really a jpeg",
	"tags/cica/index.html":           "<h1>سيكا</h1>",
	"tags/jordan/index.html":         "<h1>الأردن</h1>",
	"tags/jordan/page/2/index.html":  "<h1>الأردن – الصفحة ٢</h1>",
	"assets/style.css":               "body{direction:rtl}",
	"404.html":                       "<h1>الصفحة غير موجودة</h1>",
	"images/embassy-logo.png":        "\x89PNG\r\n\x1a\n",
	"tags/index.html":                "<h1>الوسوم</h1>",
	"posts/republic-day/index.html":  "<h1>يوم الجمهورية</h1>",
	"posts/week-in-brief/index.html": "<h1>الأسبوع في سطور</h1>",
}

func copyFiles(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func TestFirstBuildWritesEveryFile(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	stats := build(t, out, Options{SourceRoot: root}, siteV1)
	if want := (Stats{Written: len(siteV1)}); stats != want {
		t.Errorf("stats = %+v, want %+v", stats, want)
	}
	got := hashTree(t, out)
	if _, ok := got[ManifestName]; !ok {
		t.Fatalf("no %s in the output", ManifestName)
	}
	sameTree(t, "output", withoutManifest(got), wantTree(t, siteV1))

	m := readManifestFile(t, out)
	if m.Generator != "nashra" {
		t.Errorf("manifest generator = %q", m.Generator)
	}
	if len(m.Files) != len(siteV1) {
		t.Errorf("manifest lists %d files, want %d", len(m.Files), len(siteV1))
	}
	for rel, data := range siteV1 {
		if m.Files[rel] != Hash([]byte(data)) {
			t.Errorf("manifest hash of %s = %q, want %q", rel, m.Files[rel], Hash([]byte(data)))
		}
	}
	if s := stagingFolders(t, out); len(s) != 0 {
		t.Errorf("staging folders left behind: %v", s)
	}
	for _, p := range hashTree(t, out).paths() {
		info, err := os.Stat(filepath.Join(out, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		perm := info.Mode().Perm()
		if info.IsDir() && perm&0o555 != 0o555 || !info.IsDir() && perm&0o444 != 0o444 {
			t.Errorf("%s has mode %v; a web server must be able to read it", p, info.Mode())
		}
	}
	// The output folder itself is readable by a web server too.
	if info, err := os.Stat(out); err != nil || info.Mode().Perm()&0o555 != 0o555 {
		t.Errorf("output folder mode: %v, %v", info.Mode(), err)
	}
}

func TestRebuildWithSameBytesLinksEveryFile(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	build(t, out, Options{}, siteV1)
	ageFiles(t, out)
	before := ids(t, out)
	beforeTree := hashTree(t, out)

	stats := build(t, out, Options{}, siteV1)
	if want := (Stats{Unchanged: len(siteV1)}); stats != want {
		t.Errorf("stats = %+v, want %+v", stats, want)
	}
	after := ids(t, out)
	sameTree(t, "output after an identical rebuild", hashTree(t, out), beforeTree)
	for rel := range siteV1 {
		if before[rel] != after[rel] {
			t.Errorf("%s was rewritten: inode %d -> %d, mtime %v -> %v",
				rel, before[rel].ino, after[rel].ino, before[rel].mtime, after[rel].mtime)
		}
	}
	// Nothing changed, so nothing at all is touched: not even the
	// manifest, and the output folder is the same folder.
	if before[ManifestName] != after[ManifestName] {
		t.Errorf("%s was rewritten by a build that changed nothing", ManifestName)
	}
	if len(after) != len(siteV1)+1 {
		t.Errorf("output holds %d files, want %d", len(after), len(siteV1)+1)
	}
	if s := stagingFolders(t, out); len(s) != 0 {
		t.Errorf("staging folders left behind: %v", s)
	}
}

func TestRebuildRewritesOnlyChangedFiles(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	build(t, out, Options{}, siteV1)
	ageFiles(t, out)
	before := ids(t, out)
	oldCSS, err := os.ReadFile(filepath.Join(out, "assets", "style.css"))
	if err != nil {
		t.Fatal(err)
	}
	// Keep a second name for the old inode: writing the new version must
	// never write through the hard link into the previous output.
	keep := filepath.Join(root, "kept-style.css")
	if err := os.Link(filepath.Join(out, "assets", "style.css"), keep); err != nil {
		t.Fatal(err)
	}

	v2 := copyFiles(siteV1)
	v2["posts/cica-baku/index.html"] = "<h1>اجتماع سيكا في باكو (محدّث)</h1>"
	v2["index.html"] = siteV1["index.html"] + "<p>جديد</p>"
	v2["assets/style.css"] = "body{direction:rtl;font-family:serif}"
	v2["posts/new-post/index.html"] = "<h1>خبر جديد</h1>"
	changed := map[string]bool{
		"posts/cica-baku/index.html": true, "index.html": true,
		"assets/style.css": true, "posts/new-post/index.html": true,
	}
	stats := build(t, out, Options{}, v2)
	if want := (Stats{Written: 4, Unchanged: len(siteV1) - 3}); stats != want {
		t.Errorf("stats = %+v, want %+v", stats, want)
	}
	sameOutput(t, out, v2)
	after := ids(t, out)
	for rel := range v2 {
		switch {
		case changed[rel] && before[rel].ino != 0 && after[rel].ino == before[rel].ino:
			t.Errorf("%s changed but kept its inode", rel)
		case changed[rel] && !after[rel].mtime.After(before[rel].mtime):
			t.Errorf("%s changed but its mtime did not move: %v", rel, after[rel].mtime)
		case !changed[rel] && after[rel] != before[rel]:
			t.Errorf("%s did not change but was rewritten", rel)
		}
	}
	if kept, err := os.ReadFile(keep); err != nil || string(kept) != string(oldCSS) {
		t.Errorf("the previous build's style.css was written through: %q, %v", kept, err)
	}
	m := readManifestFile(t, out)
	if m.Files["assets/style.css"] != Hash([]byte(v2["assets/style.css"])) {
		t.Errorf("manifest keeps the old hash of style.css")
	}
}

func TestFilesNoLongerWrittenDisappear(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	build(t, out, Options{}, siteV1)

	v2 := copyFiles(siteV1)
	delete(v2, "tags/jordan/page/2/index.html")
	delete(v2, "posts/nauryz-amman/index.html")
	delete(v2, "posts/nauryz-amman/photo.jpg")
	stats := build(t, out, Options{}, v2)
	if want := (Stats{Unchanged: len(v2), Removed: 3}); stats != want {
		t.Errorf("stats = %+v, want %+v", stats, want)
	}
	// Not only the files: the folders they were in are gone too.
	sameOutput(t, out, v2)
	m := readManifestFile(t, out)
	if len(m.Files) != len(v2) {
		t.Errorf("manifest lists %d files, want %d", len(m.Files), len(v2))
	}
	if _, ok := m.Files["posts/nauryz-amman/photo.jpg"]; ok {
		t.Errorf("manifest still lists a removed file")
	}
}

func TestAbortLeavesPreviousOutput(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	build(t, out, Options{}, siteV1)
	ageFiles(t, out)
	before, beforeIDs := hashTree(t, out), ids(t, out)

	d, err := Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Half a build: some files changed, some unchanged, one new.
	writes := map[string]string{
		"index.html":                 "<h1>نسخة لم تكتمل</h1>",
		"posts/cica-baku/index.html": siteV1["posts/cica-baku/index.html"],
		"posts/half/index.html":      "<h1>نصف</h1>",
	}
	for _, rel := range sortedKeys(writes) {
		if err := d.WriteFile(rel, []byte(writes[rel])); err != nil {
			t.Fatal(err)
		}
	}
	if len(stagingFolders(t, out)) != 1 {
		t.Fatalf("expected one staging folder during the build, have %v", stagingFolders(t, out))
	}
	if !strings.HasPrefix(d.Path(), filepath.Join(root, ".public"+stagingMarker)) {
		t.Errorf("staging folder %s is not beside %s", d.Path(), out)
	}
	d.Abort()

	sameTree(t, "output after Abort", hashTree(t, out), before)
	if after := ids(t, out); !reflect.DeepEqual(after, beforeIDs) {
		t.Errorf("Abort touched the previous output's files")
	}
	if s := stagingFolders(t, out); len(s) != 0 {
		t.Errorf("Abort left staging folders: %v", s)
	}

	// The next build still knows the previous one and links its files.
	stats := build(t, out, Options{}, siteV1)
	if want := (Stats{Unchanged: len(siteV1)}); stats != want {
		t.Errorf("stats after Abort = %+v, want %+v", stats, want)
	}
}

func TestAbortOfFirstBuildLeavesNothing(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	d, err := Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.WriteFile("index.html", []byte("x")); err != nil {
		t.Fatal(err)
	}
	d.Abort()
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 0 {
		t.Errorf("an aborted first build left %v", entries)
	}
}

// A build killed at any point leaves its staging folder behind; the next
// Open removes it, and the previous output is as it was.
func TestStaleStagingFromKilledBuildIsRemoved(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	build(t, out, Options{}, siteV1)
	before := hashTree(t, out)

	// Killed build: Open and a few writes, never Commit nor Abort.
	killed, err := Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		if err := killed.WriteFile(fmt.Sprintf("posts/p%d/index.html", i), []byte("نص")); err != nil {
			t.Fatal(err)
		}
	}
	// A killed swapByRename leaves a ".old" folder beside it as well.
	oldAside := killed.Path() + ".old"
	if err := os.MkdirAll(filepath.Join(oldAside, "posts"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Folders that merely look alike belong to someone else.
	others := []string{
		filepath.Join(root, ".public2"+stagingMarker+"123"),
		filepath.Join(root, "public"+stagingMarker+"123"),
		filepath.Join(root, "posts"),
	}
	for _, o := range others {
		if err := os.MkdirAll(o, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(stagingFolders(t, out)); n != 4 {
		t.Fatalf("setup: %d staging-like folders, want 4", n)
	}
	sameTree(t, "output while a build is killed", hashTree(t, out), before)

	d, err := Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{killed.Path(), oldAside} {
		if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("stale staging folder %s was not removed (%v)", p, err)
		}
	}
	for _, o := range others {
		if _, err := os.Stat(o); err != nil {
			t.Errorf("Open removed %s, which is not its staging folder: %v", o, err)
		}
	}
	d.Abort()
	sameTree(t, "output", hashTree(t, out), before)
}

func TestRefusedPlaces(t *testing.T) {
	root := t.TempDir()
	site := filepath.Join(root, "site")
	posts := filepath.Join(site, "posts")
	static := filepath.Join(site, "static")
	for _, d := range []string{posts, static} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	post := filepath.Join(posts, "cica.md")
	if err := os.WriteFile(post, []byte("---\ntitle: سيكا\n---\nنص\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	opts := Options{SourceRoot: site, Protected: []string{posts, static, filepath.Join(site, "layouts")}}
	tests := []struct {
		name, out string
		opts      Options
		want      []string // substrings of the error
	}{
		{"the site folder", site, opts, []string{site, "site folder", "public/"}},
		{"the site folder, unclean", site + "/posts/..", opts, []string{"site folder"}},
		{"a folder containing the site", root, opts, []string{root, "contains it"}},
		{"the file system root", "/", opts, []string{"site folder"}},
		{"the posts folder", posts, opts, []string{posts, "overlaps", "-out"}},
		{"inside the posts folder", filepath.Join(posts, "public"), opts, []string{"overlaps", posts, "-out"}},
		{"deep inside the static folder", filepath.Join(static, "a", "b"), opts, []string{"overlaps", static}},
		{"inside layouts", filepath.Join(site, "layouts", "out"), opts, []string{"overlaps", "layouts"}},
		{"containing a protected folder, no source root", site, Options{Protected: []string{posts}}, []string{"overlaps", posts}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := hashTree(t, root)
			for _, force := range []bool{false, true} {
				o := tt.opts
				o.Force = force
				d, err := Open(tt.out, o)
				if err == nil {
					d.Abort()
					t.Fatalf("Open(%s, force=%v) was accepted", tt.out, force)
				}
				for _, w := range tt.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not mention %q", err, w)
					}
				}
			}
			sameTree(t, "sources after a refusal", hashTree(t, root), before)
		})
	}

	// A site folder whose name starts with two dots is still inside the
	// folder that holds it: with Force, that folder would be replaced and
	// the site deleted.
	dotted := filepath.Join(root, "..drafts-site")
	if err := os.MkdirAll(filepath.Join(dotted, "posts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if d, err := Open(root, Options{SourceRoot: dotted, Force: true}); err == nil {
		d.Abort()
		t.Errorf("Open(%s) with the site in %s was accepted", root, dotted)
	}
	if d, err := Open(root, Options{Protected: []string{filepath.Join(dotted, "posts")}, Force: true}); err == nil {
		d.Abort()
		t.Errorf("Open(%s) with posts in %s was accepted", root, dotted)
	}
	if d, err := Open(filepath.Join(dotted, "..", "..x"), Options{SourceRoot: dotted}); err != nil {
		t.Errorf("a sibling named ..x was refused: %v", err)
	} else {
		d.Abort()
	}

	// The usual places are accepted.
	for _, ok := range []string{filepath.Join(site, "public"), filepath.Join(root, "www", "news"), filepath.Join(site, "posts-public")} {
		d, err := Open(ok, opts)
		if err != nil {
			t.Errorf("Open(%s): %v", ok, err)
			continue
		}
		d.Abort()
	}
}

func TestRefusesFolderNashraDidNotWrite(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "www")
	theirs := map[string]string{
		"index.html":    "<h1>موقع آخر</h1>",
		"docs/cv.pdf":   "%PDF",
		".htaccess":     "Deny from all",
		"uploads/a.jpg": "jpeg",
	}
	for rel, data := range theirs {
		p := filepath.Join(out, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	before := hashTree(t, out)

	_, err := Open(out, Options{})
	if err == nil {
		t.Fatal("a folder of someone else's files was accepted")
	}
	for _, w := range []string{out, "did not write", ManifestName, "-force", "-out"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %q", err, w)
		}
	}
	sameTree(t, "refused folder", hashTree(t, out), before)
	if s := stagingFolders(t, out); len(s) != 0 {
		t.Errorf("a refusal left staging folders: %v", s)
	}

	// A manifest written by something else does not prove ownership.
	fake := filepath.Join(out, ManifestName)
	if err := os.WriteFile(fake, []byte(`{"generator":"hugo","files":{}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(out, Options{}); err == nil || !strings.Contains(err.Error(), "-force") {
		t.Errorf("a foreign manifest: err = %v, want a refusal mentioning -force", err)
	}
	if err := os.WriteFile(fake, []byte(`{not json`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(out, Options{}); err == nil || !strings.Contains(err.Error(), "-force") {
		t.Errorf("a broken manifest: err = %v, want a refusal mentioning -force", err)
	}
	if err := os.Remove(fake); err != nil {
		t.Fatal(err)
	}

	// With Force the folder is replaced as a whole.
	stats := build(t, out, Options{Force: true}, siteV1)
	if want := (Stats{Written: len(siteV1)}); stats != want {
		t.Errorf("stats = %+v, want %+v", stats, want)
	}
	sameTree(t, "forced output", withoutManifest(hashTree(t, out)), wantTree(t, siteV1))

	// From then on nashra owns it: no Force needed.
	build(t, out, Options{}, siteV1)
}

func TestAcceptsEmptyAndMissingFolders(t *testing.T) {
	root := t.TempDir()
	empty := filepath.Join(root, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	build(t, empty, Options{}, siteV1)
	build(t, filepath.Join(root, "a", "b", "public"), Options{}, siteV1)
}

func TestOutputThatIsAFile(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	if err := os.WriteFile(out, []byte("not a folder"), 0o644); err != nil {
		t.Fatal(err)
	}
	if d, err := Open(out, Options{}); err == nil {
		d.Abort()
		t.Fatal("a file as output folder was accepted without Force")
	}
	if data, err := os.ReadFile(out); err != nil || string(data) != "not a folder" {
		t.Errorf("the file was touched: %q, %v", data, err)
	}
}

func TestInvalidPaths(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	d, err := Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	for _, rel := range []string{
		"", ".", "/", "..", "../x", "../../etc/passwd", "a/../../x", "posts/../../x",
		ManifestName, "/" + ManifestName, "a/../" + ManifestName, "nul\x00byte",
	} {
		if err := d.WriteFile(rel, []byte("x")); err == nil {
			t.Errorf("WriteFile(%q) was accepted", rel)
		} else if !strings.Contains(err.Error(), "invalid output path") {
			t.Errorf("WriteFile(%q): unclear error %q", rel, err)
		}
	}
	if err := d.WriteFile("../x", []byte("x")); err == nil || !strings.Contains(err.Error(), `"../x"`) {
		t.Errorf("the error does not quote the path: %v", err)
	}
	// Absolute paths are relative to the output root, never to "/".
	mapped := map[string]string{
		"/etc/passwd":         "etc/passwd",
		"posts/./a.html":      "posts/a.html",
		"posts/x/../b.html":   "posts/b.html",
		"tags//cica.html":     "tags/cica.html",
		"//srv/www/x.html":    "srv/www/x.html",
		"///deep/../y.html":   "y.html",
		"posts/عمان/صورة.jpg": "posts/عمان/صورة.jpg",
	}
	for _, rel := range sortedKeys(mapped) {
		if err := writeWithin(t, d, rel, rel); err != nil {
			t.Errorf("WriteFile(%q): %v", rel, err)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "x")); err == nil {
		t.Errorf("a file was written outside the output")
	}
	if _, err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for from, to := range mapped {
		want[to] = from
	}
	sameOutput(t, out, want)
	if data, err := os.ReadFile("/etc/passwd"); err == nil && string(data) == "/etc/passwd" {
		t.Errorf("/etc/passwd was overwritten")
	}
}

// Two spellings of one output path are one file: the second is an error,
// not a silent overwrite.
func TestSamePathTwice(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	d, err := Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Abort()
	if err := d.WriteFile("posts/a/index.html", []byte("first")); err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{"posts/a/index.html", "/posts/a/index.html", "posts/./a/index.html", "//posts/a/index.html", "///posts//a/index.html"} {
		err := writeWithin(t, d, rel, "second")
		if err == nil || !strings.Contains(err.Error(), "twice") {
			t.Errorf("WriteFile(%q) a second time: err = %v, want \"produced twice\"", rel, err)
		}
	}
	data, err := os.ReadFile(filepath.Join(d.Path(), "posts", "a", "index.html"))
	if err != nil || string(data) != "first" {
		t.Errorf("first write was overwritten: %q, %v", data, err)
	}
	if got := d.Files(); !reflect.DeepEqual(got, []string{"posts/a/index.html"}) {
		t.Errorf("Files() = %q", got)
	}
}

// writeWithin calls WriteFile and fails the test if it does not return
// within a few seconds (a path with two leading slashes once made it loop
// forever while holding the Dir's lock).
func writeWithin(t *testing.T, d *Dir, rel, data string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- d.WriteFile(rel, []byte(data)) }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatalf("WriteFile(%q) hangs", rel)
		return nil
	}
}

func TestConcurrentWriteFile(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	const n = 2000
	content := func(i, version int) string {
		if i%3 == 0 {
			return fmt.Sprintf("<h1>خبر %d</h1>", i) // never changes
		}
		return fmt.Sprintf("<h1>خبر %d، النسخة %d</h1>", i, version)
	}
	rel := func(i int) string {
		return fmt.Sprintf("posts/%02d/p%d/index.html", i%37, i)
	}
	files := func(version int) map[string]string {
		m := map[string]string{}
		for i := range n {
			m[rel(i)] = content(i, version)
		}
		return m
	}
	writeAll := func(version int) Stats {
		d, err := Open(out, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for w := range 32 {
			wg.Go(func() {
				for i := w; i < n; i += 32 {
					if err := d.WriteFile(rel(i), []byte(content(i, version))); err != nil {
						errs <- err
					}
				}
			})
		}
		// Everyone also races to write the same shared file: exactly one wins.
		var winners sync.Map
		for w := range 32 {
			wg.Go(func() {
				if d.WriteFile("shared.txt", []byte("مشترك")) == nil {
					winners.Store(w, true)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		count := 0
		winners.Range(func(any, any) bool { count++; return true })
		if count != 1 {
			t.Errorf("%d goroutines wrote shared.txt, want exactly 1", count)
		}
		if len(d.Files()) != n+1 {
			t.Errorf("Files() has %d paths, want %d", len(d.Files()), n+1)
		}
		stats, err := d.Commit()
		if err != nil {
			t.Fatal(err)
		}
		return stats
	}

	if s := writeAll(1); s != (Stats{Written: n + 1}) {
		t.Errorf("first build stats = %+v", s)
	}
	want := files(1)
	want["shared.txt"] = "مشترك"
	sameOutput(t, out, want)
	ageFiles(t, out)
	before := ids(t, out)

	unchanged := (n+2)/3 + 1
	if s := writeAll(2); s != (Stats{Written: n + 1 - unchanged, Unchanged: unchanged}) {
		t.Errorf("second build stats = %+v, want %d unchanged", s, unchanged)
	}
	want = files(2)
	want["shared.txt"] = "مشترك"
	sameOutput(t, out, want)
	after := ids(t, out)
	for i := range n {
		same := before[rel(i)] == after[rel(i)]
		if i%3 == 0 && !same {
			t.Errorf("%s did not change but was rewritten", rel(i))
		}
		if i%3 != 0 && same {
			t.Errorf("%s changed but kept its inode and mtime", rel(i))
		}
	}
}

func TestUnchangedLinksWithoutData(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	build(t, out, Options{}, siteV1)
	ageFiles(t, out)
	before := ids(t, out)

	d, err := Open(out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rel := "posts/cica-baku/index.html"
	if got := d.OldHash(rel); got != Hash([]byte(siteV1[rel])) {
		t.Errorf("OldHash = %q", got)
	}
	if d.OldHash("nope.html") != "" {
		t.Errorf("OldHash of a path never written is not empty")
	}
	if d.Unchanged(rel, Hash([]byte("something else"))) {
		t.Errorf("Unchanged with a different hash reported true")
	}
	if d.Unchanged("posts/new/index.html", Hash([]byte("x"))) {
		t.Errorf("Unchanged of a new path reported true")
	}
	if d.Unchanged("../"+rel, Hash([]byte(siteV1[rel]))) {
		t.Errorf("Unchanged accepted an invalid path")
	}
	if !d.Unchanged(rel, Hash([]byte(siteV1[rel]))) {
		t.Fatalf("Unchanged with the same hash reported false")
	}
	if err := d.WriteFile(rel, []byte(siteV1[rel])); err == nil {
		t.Errorf("writing a path that Unchanged linked is not reported as twice")
	}
	// A failed Unchanged leaves the path free to be written.
	if err := d.WriteFile("posts/new/index.html", []byte("x")); err != nil {
		t.Errorf("WriteFile after a false Unchanged: %v", err)
	}
	stats, err := d.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if stats.Unchanged != 1 || stats.Written != 1 || stats.Removed != len(siteV1)-1 {
		t.Errorf("stats = %+v", stats)
	}
	if after := idOf(t, filepath.Join(out, filepath.FromSlash(rel))); after != before[rel] {
		t.Errorf("%s was rewritten", rel)
	}
}

// The manifest is the build's record: it must describe what is in the
// folder, so that the next build's links are right.
func TestManifestMatchesOutput(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	build(t, out, Options{}, siteV1)
	v2 := copyFiles(siteV1)
	v2["index.html"] = "جديد"
	delete(v2, "404.html")
	build(t, out, Options{}, v2)
	m := readManifestFile(t, out)
	got := withoutManifest(hashTree(t, out))
	for rel, h := range m.Files {
		data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(rel)))
		if err != nil {
			t.Errorf("manifest lists %s: %v", rel, err)
			continue
		}
		if Hash(data) != h {
			t.Errorf("manifest hash of %s does not match its bytes", rel)
		}
	}
	for p := range got {
		if _, ok := m.Files[p]; !ok && !strings.HasSuffix(p, "/") {
			t.Errorf("%s is in the output but not in the manifest", p)
		}
	}
}

// An output file edited in place after a build (same path, same inode,
// other bytes) must not survive the next build: the manifest still
// records the build's hash, so today the edited file is hard-linked into
// every later build until its page changes.
func TestRebuildRepairsEditedOutput(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	build(t, out, Options{}, siteV1)
	editInPlace(t, filepath.Join(out, "index.html"), "<h1>عُدّل باليد</h1>")
	build(t, out, Options{}, siteV1)
	sameTree(t, "output after a rebuild", withoutManifest(hashTree(t, out)), wantTree(t, siteV1))
}

// TestDirPrevious reads back a file of the previous build, and nothing
// for a file it did not have or one changed by hand since.
func TestDirPrevious(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	build := func(files map[string]string) *Dir {
		t.Helper()
		d, err := Open(out, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for rel, data := range files {
			if err := d.WriteFile(rel, []byte(data)); err != nil {
				t.Fatal(err)
			}
		}
		return d
	}
	first := build(map[string]string{"search/d/0.json": "[old]\n", "index.html": "home"})
	if _, err := first.Commit(); err != nil {
		t.Fatal(err)
	}
	second := build(nil)
	if data, ok := second.Previous("search/d/0.json"); !ok || string(data) != "[old]\n" {
		t.Errorf("Previous = %q, %v", data, ok)
	}
	if _, ok := second.Previous("search/d/1.json"); ok {
		t.Error("Previous found a file the previous build did not write")
	}
	second.Abort()
	if err := os.WriteFile(filepath.Join(out, "index.html"), []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	third := build(nil)
	defer third.Abort()
	if _, ok := third.Previous("index.html"); ok {
		t.Error("Previous returned a file changed by hand")
	}
}

// TestCommitBackground checks that the new output is in place when
// CommitBackground returns, that the previous one is the spare once Wait
// returns, and that a previous output left behind by a process that did
// not wait is removed by the next Open.
func TestCommitBackground(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	build(t, out, Options{}, siteV1)
	v2 := copyFiles(siteV1)
	v2["posts/new/index.html"] = "<p>جديد</p>"
	hidden := func() []string {
		t.Helper()
		entries, err := os.ReadDir(root)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			if e.Name() != "public" && e.Name() != ".public"+spareMarker {
				names = append(names, e.Name())
			}
		}
		return names
	}
	commit := func() {
		t.Helper()
		d, err := Open(out, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, rel := range sortedKeys(v2) {
			if err := d.WriteFile(rel, []byte(v2[rel])); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := d.CommitBackground(); err != nil {
			t.Fatal(err)
		}
		sameOutput(t, out, v2)
		d.Wait()
		if left := hidden(); len(left) != 0 {
			t.Errorf("after Wait, beside the output: %v", left)
		}
	}
	commit()
	// A process that exits before the removal ends leaves the previous
	// output in its hidden folder: simulate it with a copy.
	leftover := filepath.Join(root, ".public"+stagingMarker+"left")
	if err := os.MkdirAll(filepath.Join(leftover, "posts", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	commit()
	if _, err := os.Stat(leftover); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the leftover %s is still there after the next build: %v", leftover, err)
	}
}
