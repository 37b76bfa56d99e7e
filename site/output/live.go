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
	"sync"
	"sync/atomic"
)

// liveTempPrefix starts the names of files being written into a Live
// folder; they are renamed over their final names when complete.
const liveTempPrefix = ".nashra-tmp-"

// Live is an output folder rewritten in place by successive builds, for a
// preview server that serves it while it changes. Dir's staging folder per
// build would cost a copy of the whole site (tens of thousands of links)
// for every saved post; Live writes only the files whose bytes changed,
// each by writing a temporary file beside it and renaming it over the old
// one, so a reader sees the old file or the new one, never a part.
//
// A build calls Begin, hands over files with WriteFile or keeps them with
// Unchanged, and ends with Finish (which removes the files the build did
// not produce) or Abort (which keeps them: the previous site stays served
// where the failed build did not replace it). Live remembers the content
// hash of every file it wrote, so it never reads its files back.
//
// The folder belongs to one process: a preview server makes its own under
// the temporary folder, so two servers on one site never share one.
type Live struct {
	dir string
	// Notify, when set, is called with the path of each file written or
	// removed, as soon as it is done (from the goroutine that did it): a
	// preview server reloads the browsers showing it.
	Notify func(rel string)

	// mu guards files and build; Unchanged, called for most files of
	// every build by several goroutines, only reads them.
	mu    sync.RWMutex
	files map[string]*liveFile // what is on disk
	build uint64               // the current build's number

	written, unchanged, removed atomic.Int64
}

// liveFile is one file of a Live folder.
type liveFile struct {
	hash string
	// build is the last build that produced the file (a number rather
	// than a set of paths per build: no map to fill on every save).
	build atomic.Uint64
}

// OpenLive prepares dir, which must be empty or not exist yet, as a live
// output folder.
func OpenLive(dir string) (*Live, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("preview folder %s: %w", dir, err)
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return nil, fmt.Errorf("preview folder %s: %w", dir, err)
	}
	if len(entries) > 0 {
		return nil, fmt.Errorf("preview folder %s is not empty", dir)
	}
	return &Live{dir: abs, files: map[string]*liveFile{}}, nil
}

// Begin starts a build.
func (l *Live) Begin() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.build++
	l.written.Store(0)
	l.unchanged.Store(0)
	l.removed.Store(0)
}

// mark records that the current build produces rel, once, and returns
// the file's entry. The caller holds l.mu.
func (l *Live) mark(rel string) (*liveFile, error) {
	f := l.files[rel]
	if f == nil {
		f = &liveFile{}
		l.files[rel] = f
	} else if f.build.Load() == l.build {
		return nil, fmt.Errorf("output path %s is produced twice", rel)
	}
	f.build.Store(l.build)
	return f, nil
}

// WriteFile stores data at rel, unless the folder already holds exactly
// these bytes there.
func (l *Live) WriteFile(rel string, data []byte) error {
	rel, err := cleanRel(rel)
	if err != nil {
		return err
	}
	hash := Hash(data)
	l.mu.Lock()
	f, err := l.mark(rel)
	if err != nil {
		l.mu.Unlock()
		return err
	}
	if f.hash == hash {
		l.unchanged.Add(1)
		l.mu.Unlock()
		return nil
	}
	l.mu.Unlock()

	if err := l.replace(rel, data); err != nil {
		return fmt.Errorf("writing %s: %w", rel, err)
	}
	l.mu.Lock()
	f.hash = hash
	l.mu.Unlock()
	l.written.Add(1)
	if l.Notify != nil {
		l.Notify(rel)
	}
	return nil
}

// replace writes data to a temporary file in rel's folder and renames it
// over rel. A folder in the way (a page that used to be a folder) is
// removed first.
func (l *Live) replace(rel string, data []byte) error {
	dst := filepath.Join(l.dir, filepath.FromSlash(rel))
	dir := filepath.Dir(dst)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		// A file where a folder must go: drop it (the build no longer
		// produces it as a file).
		if !l.clearFileInTheWay(rel) {
			return err
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	f, err := os.CreateTemp(dir, liveTempPrefix+"*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, dst)
		if err != nil {
			if info, serr := os.Lstat(dst); serr == nil && info.IsDir() && os.RemoveAll(dst) == nil {
				// A folder where the file must go: its files are gone.
				l.mu.Lock()
				for f := range l.files {
					if strings.HasPrefix(f, rel+"/") {
						delete(l.files, f)
					}
				}
				l.mu.Unlock()
				err = os.Rename(tmp, dst)
			}
		}
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}

// clearFileInTheWay removes a file standing where one of rel's folders
// must be, and reports whether it found one.
func (l *Live) clearFileInTheWay(rel string) bool {
	for d := path.Dir(rel); d != "." && d != ""; d = path.Dir(d) {
		p := filepath.Join(l.dir, filepath.FromSlash(d))
		if info, err := os.Lstat(p); err == nil && !info.IsDir() {
			if os.Remove(p) != nil {
				return false
			}
			l.mu.Lock()
			delete(l.files, d)
			l.mu.Unlock()
			return true
		}
	}
	return false
}

// Unchanged keeps the file at rel if the folder holds the content with
// this hash there, and reports whether it does.
func (l *Live) Unchanged(rel, hash string) bool {
	rel, err := cleanRel(rel)
	if err != nil {
		return false
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	f := l.files[rel]
	if f == nil || f.hash != hash {
		return false
	}
	if old := f.build.Load(); old == l.build || !f.build.CompareAndSwap(old, l.build) {
		return false // produced twice; WriteFile will say so
	}
	l.unchanged.Add(1)
	return true
}

// Previous returns the file at rel as the folder holds it, when it is
// still the one a build wrote (the search index takes unchanged posts
// from its old chunks, as with Dir.Previous).
func (l *Live) Previous(rel string) ([]byte, bool) {
	rel, err := cleanRel(rel)
	if err != nil {
		return nil, false
	}
	l.mu.RLock()
	f := l.files[rel]
	var want string
	if f != nil {
		want = f.hash
	}
	l.mu.RUnlock()
	if f == nil {
		return nil, false
	}
	data, err := os.ReadFile(filepath.Join(l.dir, filepath.FromSlash(rel)))
	if err != nil || Hash(data) != want {
		return nil, false
	}
	return data, true
}

// Finish ends a successful build: the files it did not produce are
// removed, with the folders they leave empty. It returns what the build
// did.
func (l *Live) Finish() (Stats, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var stale []string
	for rel, f := range l.files {
		if f.build.Load() != l.build {
			stale = append(stale, rel)
		}
	}
	sort.Strings(stale)
	var errs []error
	for _, rel := range stale {
		p := filepath.Join(l.dir, filepath.FromSlash(rel))
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("removing %s: %w", rel, err))
			continue
		}
		delete(l.files, rel)
		l.removed.Add(1)
		if l.Notify != nil {
			l.Notify(rel)
		}
		// Remove the folders this leaves empty, up to the root.
		for d := filepath.Dir(p); d != l.dir && strings.HasPrefix(d, l.dir); d = filepath.Dir(d) {
			if os.Remove(d) != nil {
				break
			}
		}
	}
	stats := Stats{Written: int(l.written.Load()), Unchanged: int(l.unchanged.Load()), Removed: int(l.removed.Load())}
	return stats, errors.Join(errs...)
}

// Abort ends a failed build: files it wrote stay (they are complete), and
// files it did not produce are kept, so the previous site stays served.
// (There is nothing to undo: the next Begin starts afresh.)
func (l *Live) Abort() {}
