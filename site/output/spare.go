package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// The spare is the output that the last build replaced, kept in a hidden
// folder beside the output folder (".public.nashra-spare" for "public")
// instead of being deleted. The next build renames it to its staging
// folder and brings it up to date, instead of starting from an empty
// folder and hard-linking every unchanged file into it:
//
//   - a file the build writes replaces the spare's file (never writing
//     through it: the spare's files are hard links of the output's);
//   - a file the build keeps from the output is left alone when the spare
//     holds that very file (the same inode as the output's, which the
//     build has just checked is intact), and hard-linked otherwise;
//   - the spare's files and folders that the build did not produce are
//     removed.
//
// So a build that changes a few pages of a site of 17,000 files makes a
// few dozen file system calls to swap, not 17,000 links and, afterwards,
// 17,000 unlinks.
//
// The spare is trusted only as far as its own manifest (the one it had as
// the output folder) and the walk that made it the spare: that walk
// removes whatever its manifest does not list, such as a file someone
// dropped into the output folder by hand. A build killed while it uses
// the spare leaves a staging folder, which the next Open removes, so a
// half-updated spare is never used.

// spareMarker ends the name of the spare folder.
const spareMarker = ".nashra-spare"

// sparePath is the spare folder of the output folder base in parent.
func sparePath(parent, base string) string {
	return filepath.Join(parent, "."+base+spareMarker)
}

// sparePath is the spare folder of d's output folder.
func (d *Dir) sparePath() string {
	return sparePath(filepath.Dir(d.final), filepath.Base(d.final))
}

// spare is what the staging folder held when the build adopted the spare,
// less what the build has removed from it since. Its fields are guarded by
// Dir.mu once the build runs.
type spare struct {
	// files and stamps are the spare's manifest.
	files  map[string]string
	stamps map[string][2]int64
	// dirs are the folders that hold the spare's files.
	dirs map[string]bool
	// touched tells that the build changed the staging folder: it can no
	// longer be put back as the spare it was.
	touched bool
}

// adoptSpare renames the spare of the output folder base, if there is a
// usable one, to a new staging folder and returns it. A spare without a
// readable manifest is removed.
func adoptSpare(parent, base string) (string, *spare) {
	sp := sparePath(parent, base)
	if info, err := os.Lstat(sp); err != nil || !info.IsDir() {
		return "", nil
	}
	m, err := readManifest(sp)
	if err != nil {
		removeTree(sp)
		return "", nil
	}
	staging, err := moveToStaging(sp, parent, base)
	if err != nil {
		return "", nil
	}
	s := &spare{files: m.Files, stamps: m.Stamps, dirs: parentDirs(m.Files)}
	if s.files == nil {
		s.files = map[string]string{}
	}
	return staging, s
}

// discardSpare removes the spare of the output folder base, if there is
// one, on another goroutine, and returns a channel closed once it is
// gone (nil if there is none). The spare is first renamed to a staging
// folder's name, so that if the process ends meanwhile, the next Open
// removes the rest.
func discardSpare(parent, base string) chan struct{} {
	sp := sparePath(parent, base)
	if _, err := os.Lstat(sp); err != nil {
		return nil
	}
	aside, err := moveToStaging(sp, parent, base)
	if err != nil {
		return nil
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		removeTree(aside)
	}()
	return done
}

// moveToStaging renames the folder dir to a new staging folder name of
// the output folder base, which the next Open removes if it is still
// there, and returns that name.
func moveToStaging(dir, parent, base string) (string, error) {
	staging, err := os.MkdirTemp(parent, "."+base+stagingMarker)
	if err != nil {
		return "", err
	}
	// Renaming a folder onto an empty one replaces it on POSIX systems;
	// remove it first for the others.
	if err := os.Remove(staging); err != nil {
		return "", err
	}
	return staging, os.Rename(dir, staging)
}

// parentDirs lists the folders that hold files, "" (the root) included.
func parentDirs(files map[string]string) map[string]bool {
	dirs := map[string]bool{"": true}
	for rel := range files {
		for dir := path.Dir(rel); dir != "." && !dirs[dir]; dir = path.Dir(dir) {
			dirs[dir] = true
		}
	}
	return dirs
}

// holds reports whether the staging folder still holds, at rel, the
// spare's file that is the very file the output folder has there: same
// content hash, same inode as the output's stamp (which the build checked).
func (s *spare) holds(rel, hash string, stamp [2]int64) bool {
	if s == nil {
		return false
	}
	h, ok := s.files[rel]
	return ok && h == hash && stampsIdentifyFiles && stamp[0] > 0 && s.stamps[rel] == stamp
}

// release drops the spare's file at rel, if it has one, from what it
// holds, and reports whether it had: the caller removes the file (outside
// Dir.mu) before writing a new one there. Dir.mu is held.
func (s *spare) release(rel string) bool {
	if s == nil {
		return false
	}
	if _, ok := s.files[rel]; !ok {
		return false
	}
	s.touched = true
	delete(s.files, rel)
	return true
}

// clear makes room at rel in the staging folder for a new file or folder:
// it removes the spare's file there, or the spare's folder there and all
// it holds. dirs is the Dir's set of the staging folder's folders, from
// which a removed folder is dropped. Dir.mu is held.
func (s *spare) clear(staging, rel string, dirs map[string]bool) error {
	if s == nil {
		return nil
	}
	full := filepath.Join(staging, filepath.FromSlash(rel))
	if _, ok := s.files[rel]; ok {
		s.touched = true
		if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("replacing %s of the previous build: %w", rel, err)
		}
		delete(s.files, rel)
		return nil
	}
	if !s.dirs[rel] || rel == "" {
		return nil
	}
	// A folder of the spare where a file goes now (rare: a page moved).
	s.touched = true
	if err := os.RemoveAll(full); err != nil {
		return fmt.Errorf("replacing %s of the previous build: %w", rel, err)
	}
	prefix := rel + "/"
	for f := range s.files {
		if strings.HasPrefix(f, prefix) {
			delete(s.files, f)
		}
	}
	for dir := range s.dirs {
		if dir == rel || strings.HasPrefix(dir, prefix) {
			delete(s.dirs, dir)
			delete(dirs, dir)
		}
	}
	return nil
}

// tidySpare removes from the staging folder the spare's files that this
// build does not keep as they are, and the folders that no file of this
// build is in, before linkKept links the kept files that the spare does
// not hold.
func (d *Dir) tidySpare() error {
	s := d.spare
	if s == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	var stale []string
	for rel := range s.files {
		if h, ok := d.files[rel]; !ok || !s.holds(rel, h, d.stamps[rel]) {
			stale = append(stale, rel)
		}
	}
	for _, rel := range stale {
		s.touched = true
		if err := os.Remove(filepath.Join(d.staging, filepath.FromSlash(rel))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing %s of the previous build: %w", rel, err)
		}
		delete(s.files, rel)
	}
	needed := parentDirs(d.files)
	var unneeded []string
	for dir := range s.dirs {
		if !needed[dir] {
			unneeded = append(unneeded, dir)
		}
	}
	// Deepest first, so that each folder is empty when its turn comes.
	sort.Slice(unneeded, func(i, j int) bool { return unneeded[i] > unneeded[j] })
	for _, dir := range unneeded {
		s.touched = true
		full := filepath.Join(d.staging, filepath.FromSlash(dir))
		if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
			if err := os.RemoveAll(full); err != nil {
				return fmt.Errorf("removing %s of the previous build: %w", dir, err)
			}
		}
		delete(s.dirs, dir)
		delete(d.dirs, dir)
	}
	return nil
}

// keepAsSpare makes old, the output folder that the build just replaced,
// the spare of the next build: it removes from it what its manifest does
// not list (files put into the output folder by hand), then renames it.
// An output folder that nashra did not write, or whose tidying fails, is
// removed instead.
func (d *Dir) keepAsSpare(old string) {
	if d.discarding != nil {
		<-d.discarding // the spare's name is free once it is gone
	}
	if _, err := os.Lstat(old); err != nil {
		return // there was no previous output
	}
	if !d.oldSeen || pruneTo(old, d.old) != nil {
		removeTree(old)
		return
	}
	if err := os.Rename(old, d.sparePath()); err != nil {
		removeTree(old)
	}
}
