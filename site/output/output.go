// Package output writes a built site to a folder safely.
//
// A build never writes into the live output folder. It writes into a
// staging folder beside it (same parent, so the same file system), and
// Commit swaps the two in one step (renameat2 RENAME_EXCHANGE on Linux,
// two renames elsewhere). A build that fails, is interrupted or killed
// leaves the previous output exactly as it was; its staging folder is
// removed by the next build.
//
// Files whose bytes did not change since the last build are hard-linked
// from the previous output instead of written, so their modification times
// stay as they were and rsync or a CDN upload sends nothing for them. The
// previous build's file list and content hashes live in a manifest file
// (ManifestName) at the root of the output; it also proves that nashra
// owns the folder: a non-empty folder without it is refused unless forced.
//
// The output that a build replaces is not deleted: it is kept beside the
// new one as the spare (spare.go), and the next build starts from it
// instead of from an empty folder, so a build that changes a few files
// costs a few file operations, not a link and an unlink for every file of
// the site.
//
// Live is the other kind of output folder, for a preview server: rewritten
// in place, file by file, each file replaced whole by a rename, so that it
// can be served while a rebuild changes it.
package output

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

// ManifestName is the file at the root of the output folder that lists
// what nashra wrote there.
const ManifestName = ".nashra-manifest.json"

// stagingMarker is part of the names of staging folders.
const stagingMarker = ".nashra-staging-"

// Options controls Open.
type Options struct {
	// Force allows writing to a non-empty folder that nashra did not
	// write (it will be replaced).
	Force bool
	// Protected lists folders the output must not be, contain, or be
	// inside of (the site's sources).
	Protected []string
	// SourceRoot is the site folder: the output may not be it or contain it.
	SourceRoot string
}

// Stats counts what a build did to the output folder.
type Stats struct {
	Written, Unchanged, Removed int
}

type manifest struct {
	Generator string            `json:"generator"`
	Files     map[string]string `json:"files"`
	// Stamps holds each file's inode number and size as written, so a
	// file replaced or edited by hand since (another inode, or another
	// size) is written again instead of reused. Modification times are
	// left out: copying tools and tests may touch them.
	Stamps map[string][2]int64 `json:"stamps,omitempty"`
}

// Dir is an output folder being rebuilt. WriteFile is safe for concurrent
// use; Commit and Abort end it.
type Dir struct {
	final, staging string
	old            map[string]string
	oldStamps      map[string][2]int64

	mu     sync.Mutex
	files  map[string]string
	stamps map[string][2]int64
	// links are the files kept from the previous output, hard-linked
	// into the staging folder only at Commit, and only when something
	// changed at all.
	links   []string
	dirs    map[string]bool
	stats   Stats
	oldSeen bool
	// removing is closed once the previous output is put away (kept as
	// the spare, or removed), after CommitBackground.
	removing chan struct{}
	// discarding, when not nil, is closed once a spare that this build
	// does not use is removed.
	discarding chan struct{}
	// oldRoot is the previous output folder, open while the build runs.
	oldRoot oldRoot
	// spare describes what the staging folder held when the build
	// started from the spare (see spare.go); nil when it started empty.
	spare *spare
}

// Open prepares a new build of the output folder dir.
func Open(dir string, opts Options) (*Dir, error) {
	final, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := checkPlace(final, opts); err != nil {
		return nil, err
	}
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("output folder %s: %w", dir, err)
	}
	removeStaleStaging(parent, filepath.Base(final))

	d := &Dir{final: final, files: map[string]string{}, stamps: map[string][2]int64{}, dirs: map[string]bool{"": true}}
	switch m, err := readManifest(final); {
	case err == nil:
		d.old, d.oldStamps, d.oldSeen = m.Files, m.Stamps, true
		// A rebuild produces about the files of the last.
		d.files, d.stamps = make(map[string]string, len(m.Files)), make(map[string][2]int64, len(m.Files))
		d.oldRoot = openOldRoot(final)
	case errors.Is(err, fs.ErrNotExist):
		entries, rerr := os.ReadDir(final)
		if rerr == nil && len(entries) > 0 && !opts.Force {
			return nil, fmt.Errorf("output folder %s holds files that nashra did not write (no %s); "+
				"choose an empty or new folder with -out, or pass -force to replace its contents", dir, ManifestName)
		}
	default:
		if !opts.Force {
			return nil, fmt.Errorf("output folder %s: cannot read %s: %v; pass -force to rebuild it from scratch", dir, ManifestName, err)
		}
	}
	if !d.oldSeen {
		// Without the output the spare was replaced by, the spare
		// would only be emptied file by file: remove it meanwhile.
		d.discarding = discardSpare(parent, filepath.Base(final))
	} else if d.staging, d.spare = adoptSpare(parent, filepath.Base(final)); d.spare != nil {
		for dir := range d.spare.dirs {
			d.dirs[dir] = true
		}
		return d, nil
	}
	d.staging, err = os.MkdirTemp(parent, "."+filepath.Base(final)+stagingMarker)
	if err != nil {
		d.closeOldRoot()
		return nil, fmt.Errorf("output folder %s: cannot create a staging folder beside it: %w", dir, err)
	}
	if err := os.Chmod(d.staging, 0o755); err != nil {
		d.closeOldRoot()
		return nil, err
	}
	return d, nil
}

// checkPlace refuses output folders that would overwrite sources.
func checkPlace(final string, opts Options) error {
	if opts.SourceRoot != "" {
		src, err := filepath.Abs(opts.SourceRoot)
		if err != nil {
			return err
		}
		if final == src || within(src, final) {
			return fmt.Errorf("output folder %s is the site folder or contains it; nashra replaces the output folder on every build, so choose a folder inside the site such as public/", final)
		}
	}
	for _, p := range opts.Protected {
		abs, err := filepath.Abs(p)
		if err != nil {
			return err
		}
		if final == abs || within(abs, final) || within(final, abs) {
			return fmt.Errorf("output folder %s overlaps the source folder %s; choose another folder with -out", final, p)
		}
	}
	return nil
}

// within reports whether path is inside dir. A name that merely starts
// with two dots ("..drafts") is inside; only ".." itself or a path
// starting with "../" leaves dir.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != "." && rel != ".." &&
		!strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

func readManifest(final string) (manifest, error) {
	var m manifest
	data, err := os.ReadFile(filepath.Join(final, ManifestName))
	if err != nil {
		return m, err
	}
	if m, err = decodeManifest(data); err != nil || m.Generator != "nashra" {
		return m, fmt.Errorf("not a nashra manifest")
	}
	return m, nil
}

// removeStaleStaging deletes staging folders left by killed builds.
func removeStaleStaging(parent, base string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	prefix := "." + base + stagingMarker
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), prefix) {
			_ = os.RemoveAll(filepath.Join(parent, e.Name()))
		}
	}
}

// Path returns the staging folder (where the build is written).
func (d *Dir) Path() string { return d.staging }

// Final returns the output folder.
func (d *Dir) Final() string { return d.final }

// cleanRel validates a slash-separated path relative to the output root.
// Leading slashes are all removed: a cleaned path that kept one would
// name the same file as its relative spelling under another manifest key,
// and would make prepare's walk up the folders (which stops at "" or ".")
// loop forever on "/".
func cleanRel(rel string) (string, error) {
	c := path.Clean(strings.TrimLeft(rel, "/"))
	if c == "." || c == ".." || strings.HasPrefix(c, "../") || c == ManifestName || strings.Contains(c, "\x00") {
		return "", fmt.Errorf("invalid output path %q", rel)
	}
	return c, nil
}

// Hash returns the content hash the manifest records for data.
func Hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:16])
}

// WriteFile stores data at rel (slash-separated, relative to the output
// root). If the previous output had the same bytes there, the file is
// hard-linked instead of written.
func (d *Dir) WriteFile(rel string, data []byte) error {
	rel, err := cleanRel(rel)
	if err != nil {
		return err
	}
	return d.writeHashed(rel, data, Hash(data))
}

// WriteFileHash is WriteFile for callers that already know the content
// hash of data (Hash).
func (d *Dir) WriteFileHash(rel string, data []byte, hash string) error {
	rel, err := cleanRel(rel)
	if err != nil {
		return err
	}
	return d.writeHashed(rel, data, hash)
}

// Unchanged tells whether the previous output holds exactly the content
// with this hash at rel; if so it is linked into the new output and true
// is returned. Callers that know a page did not change use it to skip
// rendering.
func (d *Dir) Unchanged(rel, hash string) bool {
	rel, err := cleanRel(rel)
	if err != nil || d.old[rel] != hash || !d.intact(rel) {
		return false
	}
	return d.keep(rel, hash) == nil
}

// keep records that rel is the previous output's file, unchanged.
func (d *Dir) keep(rel, hash string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, dup := d.files[rel]; dup {
		return fmt.Errorf("output path %s is produced twice", rel)
	}
	d.files[rel] = hash
	d.links = append(d.links, rel)
	d.stats.Unchanged++
	d.stamps[rel] = d.oldStamps[rel]
	return nil
}

// intact reports whether the previous output's file at rel is still the
// one that build wrote (same inode and size): a file edited by hand since
// must be written again, not reused.
func (d *Dir) intact(rel string) bool {
	want, ok := d.oldStamps[rel]
	if !ok {
		return false
	}
	got, ok := d.oldRoot.stamp(rel)
	return ok && got == want
}

// Previous returns the previous build's file at rel, when it is still
// the one that build wrote, for callers that reuse parts of it (the
// search index takes unchanged posts from its old chunks).
func (d *Dir) Previous(rel string) ([]byte, bool) {
	rel, err := cleanRel(rel)
	if err != nil || d.old[rel] == "" || !d.intact(rel) {
		return nil, false
	}
	data, err := os.ReadFile(filepath.Join(d.final, filepath.FromSlash(rel)))
	if err != nil || Hash(data) != d.old[rel] {
		return nil, false
	}
	return data, true
}

// OldHash returns the hash the previous build recorded for rel, or "".
func (d *Dir) OldHash(rel string) string { return d.old[rel] }

// prepare reserves rel for a new file and makes its folder. It reports
// whether the staging folder holds the spare's file at rel, which the
// caller removes, outside d.mu, before writing.
func (d *Dir) prepare(rel, hash string) (replace bool, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, dup := d.files[rel]; dup {
		return false, fmt.Errorf("output path %s is produced twice", rel)
	}
	d.files[rel] = hash
	if d.spare != nil {
		d.spare.touched = true // it no longer holds just the spare
	}
	dir := path.Dir(rel)
	if dir == "." {
		dir = ""
	}
	if err := d.mkdir(dir); err != nil {
		delete(d.files, rel)
		return false, err
	}
	if d.spare.release(rel) {
		return true, nil
	}
	if err := d.spare.clear(d.staging, rel, d.dirs); err != nil {
		delete(d.files, rel)
		return false, err
	}
	return false, nil
}

// mkdir makes the folder dir of the staging folder and its missing
// parents, which d.dirs tells without asking the file system: one mkdir
// call per new folder. d.mu is held.
func (d *Dir) mkdir(dir string) error {
	if dir == "" || dir == "." || d.dirs[dir] {
		return nil
	}
	if err := d.mkdir(path.Dir(dir)); err != nil {
		return err
	}
	// A file of the spare may be where this folder goes.
	if err := d.spare.clear(d.staging, dir, d.dirs); err != nil {
		return err
	}
	if err := os.Mkdir(filepath.Join(d.staging, filepath.FromSlash(dir)), 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	d.dirs[dir] = true
	return nil
}

func (d *Dir) forget(rel string) {
	d.mu.Lock()
	delete(d.files, rel)
	d.mu.Unlock()
}

func (d *Dir) writeHashed(rel string, data []byte, hash string) error {
	if d.old[rel] == hash && d.intact(rel) {
		return d.keep(rel, hash)
	}
	replace, err := d.prepare(rel, hash)
	if err != nil {
		return err
	}
	dst := filepath.Join(d.staging, filepath.FromSlash(rel))
	if replace {
		if err := os.Remove(dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
			d.forget(rel)
			return fmt.Errorf("replacing %s of the previous build: %w", rel, err)
		}
	}
	stamp, err := writeNew(dst, data)
	if err != nil {
		d.forget(rel)
		return fmt.Errorf("writing %s: %w", rel, err)
	}
	d.mu.Lock()
	d.stats.Written++
	d.stamps[rel] = stamp
	d.mu.Unlock()
	return nil
}

// Files returns the paths written so far, sorted.
func (d *Dir) Files() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make([]string, 0, len(d.files))
	for f := range d.files {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// Commit writes the manifest and puts the staging folder in place of the
// output folder. The previous output is kept beside it as the spare.
func (d *Dir) Commit() (Stats, error) {
	stats, err := d.CommitBackground()
	d.Wait()
	return stats, err
}

// CommitBackground is Commit, but it puts the previous output away (as
// the spare of the next build, see spare.go) on another goroutine, so
// that the caller's last steps (saving a build cache) run meanwhile; Wait
// waits for it. A process that exits without waiting leaves the previous
// output in a hidden staging folder beside the output, which the next
// Open removes.
func (d *Dir) CommitBackground() (Stats, error) {
	d.closeOldRoot()
	d.mu.Lock()
	m := manifest{Generator: "nashra", Files: d.files, Stamps: d.stamps}
	for rel := range d.old {
		if _, ok := d.files[rel]; !ok {
			d.stats.Removed++
		}
	}
	stats := d.stats
	d.mu.Unlock()
	if d.oldSeen && stats.Written == 0 && stats.Removed == 0 && len(d.files) == len(d.old) {
		// Nothing changed: the output folder is already this build.
		d.Abort()
		return stats, nil
	}
	if d.spare != nil {
		// From here on the staging folder is changed (files removed,
		// linked): if the commit fails, it is not the spare any more.
		d.spare.touched = true
	}
	if err := d.tidySpare(); err != nil {
		d.Abort()
		return stats, err
	}
	if err := d.linkKept(); err != nil {
		d.Abort()
		return stats, err
	}
	data := encodeManifest(m)
	// The spare's own manifest is there: replace it, not write through it.
	manifestPath := filepath.Join(d.staging, ManifestName)
	if err := os.Remove(manifestPath); err != nil && !errors.Is(err, fs.ErrNotExist) {
		d.Abort()
		return stats, fmt.Errorf("replacing %s: %w", ManifestName, err)
	}
	if err := os.WriteFile(manifestPath, data, 0o644); err != nil {
		d.Abort()
		return stats, fmt.Errorf("writing %s: %w", ManifestName, err)
	}
	if err := swap(d.staging, d.final); err != nil {
		d.Abort()
		return stats, fmt.Errorf("replacing %s: %w", d.final, err)
	}
	// After the swap, the staging path holds the previous output: it
	// becomes the spare of the next build.
	old, done := d.staging, make(chan struct{})
	d.removing = done
	go func() {
		defer close(done)
		d.keepAsSpare(old)
	}()
	return stats, nil
}

// Wait returns once the previous output that CommitBackground replaced
// is put away as the spare, or removed (at once if there is none).
func (d *Dir) Wait() {
	if d.discarding != nil {
		<-d.discarding
	}
	if d.removing != nil {
		<-d.removing
	}
}

// linkKept hard-links the kept files of the previous output into the
// staging folder, on every processor.
func (d *Dir) linkKept() error {
	var mu sync.Mutex
	var firstErr error
	work := make(chan string)
	var wg sync.WaitGroup
	for w := 0; w < max(2, runtime.GOMAXPROCS(0)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rel := range work {
				err := d.mkdirFor(rel)
				if err == nil {
					err = os.Link(filepath.Join(d.final, filepath.FromSlash(rel)), filepath.Join(d.staging, filepath.FromSlash(rel)))
				}
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("keeping %s from the previous build: %w; build again, or with -force to start afresh", rel, err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, rel := range d.links {
		if !d.spare.holds(rel, d.files[rel], d.oldStamps[rel]) {
			work <- rel
		}
	}
	close(work)
	wg.Wait()
	return firstErr
}

// mkdirFor creates the staging folder that will hold rel.
func (d *Dir) mkdirFor(rel string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.mkdir(path.Dir(rel))
}

// removeTree deletes a folder tree, the files of its subfolders in
// parallel: the previous output holds thousands of files.
func removeTree(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		_ = os.RemoveAll(dir)
		return
	}
	work := make(chan string)
	var wg sync.WaitGroup
	for w := 0; w < max(2, runtime.GOMAXPROCS(0)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				_ = os.RemoveAll(p)
			}
		}()
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		if !e.IsDir() {
			work <- p
			continue
		}
		// Spread big folders (posts/, tags/) over the workers too.
		sub, err := os.ReadDir(p)
		if err != nil {
			work <- p
			continue
		}
		for _, s := range sub {
			work <- filepath.Join(p, s.Name())
		}
	}
	close(work)
	wg.Wait()
	_ = os.RemoveAll(dir)
}

// closeOldRoot closes the previous output folder: the build is over.
func (d *Dir) closeOldRoot() {
	d.oldRoot.close()
	d.oldRoot = oldRoot{}
}

// Abort throws the staging folder away, or puts it back as the spare if
// the build did not change it; the output folder is untouched.
func (d *Dir) Abort() {
	d.closeOldRoot()
	if d.spare != nil && !d.spare.touched && os.Rename(d.staging, d.sparePath()) == nil {
		return
	}
	_ = os.RemoveAll(d.staging)
}
