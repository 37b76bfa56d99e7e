// Package watch tells a site's builder which of its files changed.
//
// A Watcher follows the folders a build reads (posts/, layouts/, static/
// and every folder under them, plus config.yaml at the site's root) with
// fsnotify, or by scanning them at an interval (Options.Poll) where
// fsnotify cannot work. It watches folders, not files, because editors
// save by writing a new file and renaming it over the old one; folders
// created, moved in or renamed later are watched too, and removed ones
// are dropped.
//
// Events are filtered: changes of attributes only, editors' temporary,
// swap and backup files (site.IgnoredName: *.swp, *~, .#*, 4913, …),
// everything outside the site's folders (the build's own output among
// them) never count. The others are gathered into a Batch with a
// trailing-edge timer: a batch is delivered once the folders have been
// quiet for a moment, so an editor's save (several events) or a git
// checkout (hundreds) makes one batch, not one per event. While the
// consumer builds, new events gather into the next batch.
//
// Run is the loop that owns the builds: it builds once, then once per
// batch, recovers a panic inside a build and reports it as an error, and
// reports every build so that a terminal can print it and tests can wait
// for it.
package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/nashra-press/nashra/site"
)

// folders are the folders of a site that a build reads, relative to its
// root.
func folders() []string { return []string{site.PostsDir, "layouts", site.StaticDir} }

// Options controls a Watcher.
type Options struct {
	// Poll, when above zero, scans the folders at this interval instead
	// of asking the system for events (fsnotify): slower to notice and
	// costlier, but it works where inotify watches run out or on network
	// and shared folders that send no events.
	Poll time.Duration
	// Quiet is how long the folders must stay quiet before a batch is
	// delivered; 0 means 10 ms. A removal waits at least RemoveQuiet, so
	// that "delete, then create" (some editors' save) is one change.
	Quiet time.Duration
	// Ignore lists folders whose events never count (the output folder).
	Ignore []string
}

const (
	defaultQuiet = 10 * time.Millisecond
	// removeQuiet is the quiet time after a file disappears: long enough
	// for a tool that deletes and then writes a file.
	removeQuiet = 100 * time.Millisecond
	// massQuiet is the quiet time once a batch holds massChange paths: a
	// checkout or a sync writes in bursts with short pauses.
	massQuiet = 300 * time.Millisecond
	// massChange is the number of paths from which a batch asks for a
	// full build.
	massChange = 100
	// maxWait bounds how long events can postpone a batch: folders that
	// never stay quiet still get built.
	maxWait = 5 * time.Second
)

// Batch is a set of changes to build.
type Batch struct {
	// Paths are the changed files and folders (created, written, removed
	// or renamed), slash-separated and relative to the site's root,
	// sorted, without repeats.
	Paths []string
	// Full asks for a full build, reading every file again: the first
	// build, config.yaml changed, too many files changed at once, or
	// events may have been lost.
	Full bool
	// Reason says why a build is full, for the terminal.
	Reason string
	// Reset asks the builder to drop what it keeps between builds: the
	// previous build panicked and may have left it inconsistent.
	Reset bool
}

// String describes the batch in a few words: "posts/visit.md",
// "3 files: posts/a.md, layouts/base.html, …", or the reason of a full
// build.
func (b Batch) String() string {
	// A folder is left out when files in it are named.
	var paths []string
	for i, p := range b.Paths {
		if i+1 < len(b.Paths) && strings.HasPrefix(b.Paths[i+1], p+"/") {
			continue
		}
		paths = append(paths, p)
	}
	var s string
	switch n := len(paths); {
	case n == 0:
	case n == 1:
		s = paths[0]
	case n <= 3:
		s = fmt.Sprintf("%d files: %s", n, strings.Join(paths, ", "))
	default:
		s = fmt.Sprintf("%d files: %s, …", n, strings.Join(paths[:3], ", "))
	}
	if b.Full && b.Reason != "" {
		if s == "" || strings.Contains(b.Reason, s) {
			return b.Reason
		}
		return b.Reason + " (" + s + ")"
	}
	return s
}

// merge adds o's changes to b.
func (b Batch) merge(o Batch) Batch {
	paths := slices.Concat(b.Paths, o.Paths)
	slices.Sort(paths)
	paths = slices.Compact(paths)
	out := Batch{Paths: paths, Full: b.Full || o.Full, Reset: b.Reset || o.Reset, Reason: b.Reason}
	if out.Reason == "" {
		out.Reason = o.Reason
	}
	return out
}

// backend is where events come from: fsnotify, or a poller.
type backend interface {
	Add(dir string) error
	Remove(dir string) error
	Events() <-chan fsnotify.Event
	Errors() <-chan error
	Close() error
}

// notifyBackend adapts fsnotify.Watcher.
type notifyBackend struct{ *fsnotify.Watcher }

func (n notifyBackend) Events() <-chan fsnotify.Event { return n.Watcher.Events }
func (n notifyBackend) Errors() <-chan error          { return n.Watcher.Errors }

// Watcher reports batches of changes to a site's folders.
type Watcher struct {
	root    string
	opts    Options
	b       backend
	batches chan Batch
	done    chan struct{}
	stopped chan struct{}

	mu   sync.Mutex
	dirs map[string]bool // watched folders, relative to root ("" is the root)

	// Owned by the run goroutine.
	pending map[string]bool // changed path -> it appeared in this batch
	full    string          // reason for a full build, "" if none
	first   time.Time       // when the first pending event came
}

// New starts watching the site at root. Changes made after New returns
// are reported.
func New(root string, opts Options) (*Watcher, error) {
	var b backend
	if opts.Poll > 0 {
		b = newPoller(root, opts.Poll)
	} else {
		fw, err := fsnotify.NewWatcher()
		if err != nil {
			return nil, limitError(err, root)
		}
		b = notifyBackend{fw}
	}
	return newWatcher(root, opts, b)
}

func newWatcher(root string, opts Options, b backend) (*Watcher, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		b.Close()
		return nil, err
	}
	if opts.Quiet <= 0 {
		opts.Quiet = defaultQuiet
	}
	for i, dir := range opts.Ignore {
		if a, err := filepath.Abs(dir); err == nil {
			opts.Ignore[i] = a
		}
	}
	w := &Watcher{
		root: abs, opts: opts, b: b,
		batches: make(chan Batch), done: make(chan struct{}), stopped: make(chan struct{}),
		dirs: map[string]bool{}, pending: map[string]bool{},
	}
	if err := w.watch(""); err != nil {
		b.Close()
		return nil, err
	}
	for _, f := range folders() {
		if _, err := w.addTree(f); err != nil {
			b.Close()
			return nil, err
		}
	}
	go w.run()
	return w, nil
}

// Batches delivers the batches of changes. It is closed by Close.
func (w *Watcher) Batches() <-chan Batch { return w.batches }

// Close stops watching.
func (w *Watcher) Close() error {
	select {
	case <-w.done:
	default:
		close(w.done)
	}
	err := w.b.Close()
	<-w.stopped
	return err
}

// Watched lists the watched folders, relative to the root ("." for the
// root itself), sorted.
func (w *Watcher) Watched() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]string, 0, len(w.dirs))
	for d := range w.dirs {
		if d == "" {
			d = "."
		}
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

func (w *Watcher) abs(rel string) string { return filepath.Join(w.root, filepath.FromSlash(rel)) }

// watch adds one folder to the backend.
func (w *Watcher) watch(rel string) error {
	if err := w.b.Add(w.abs(rel)); err != nil {
		return limitError(err, w.abs(rel))
	}
	w.mu.Lock()
	w.dirs[rel] = true
	w.mu.Unlock()
	return nil
}

// addTree watches the folder rel and every folder under it, and returns
// the files found in them. A folder that is not there is no error.
func (w *Watcher) addTree(rel string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(w.abs(rel), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		r, _ := filepath.Rel(w.root, p)
		r = filepath.ToSlash(r)
		if r != rel && site.IgnoredName(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case d.IsDir():
			if w.ignored(p) {
				return fs.SkipDir
			}
			return w.watch(r)
		case d.Type().IsRegular():
			files = append(files, r)
		}
		return nil
	})
	return files, err
}

// forgetTree drops the watches of the folder rel and the folders under
// it (the folder is gone, or moved away).
func (w *Watcher) forgetTree(rel string) {
	w.mu.Lock()
	var gone []string
	for d := range w.dirs {
		if d == rel || strings.HasPrefix(d, rel+"/") {
			gone = append(gone, d)
			delete(w.dirs, d)
		}
	}
	w.mu.Unlock()
	for _, d := range gone {
		_ = w.b.Remove(w.abs(d)) // the system may have dropped it already
	}
}

func (w *Watcher) isWatched(rel string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.dirs[rel]
}

// ignored reports whether an absolute path is inside an ignored folder.
func (w *Watcher) ignored(p string) bool {
	for _, dir := range w.opts.Ignore {
		if p == dir || strings.HasPrefix(p, dir+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// run turns events into batches until Close.
func (w *Watcher) run() {
	defer close(w.stopped)
	defer close(w.batches)
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	var next Batch
	var out chan Batch // w.batches when next is ready to go, else nil
	wait := func(quiet time.Duration) {
		out = nil
		if w.first.IsZero() {
			w.first = time.Now()
		}
		if len(w.pending) >= massChange {
			quiet = max(quiet, massQuiet)
		}
		if left := maxWait - time.Since(w.first); left < quiet {
			quiet = max(left, 0)
		}
		timer.Reset(quiet)
	}
	for {
		select {
		case <-w.done:
			timer.Stop()
			return
		case ev, ok := <-w.b.Events():
			if !ok {
				return
			}
			if quiet := w.handle(ev); quiet > 0 {
				wait(quiet)
			}
		case err, ok := <-w.b.Errors():
			if !ok {
				return
			}
			w.handleError(err)
			wait(w.opts.Quiet)
		case <-timer.C:
			if next = w.batch(); len(next.Paths) > 0 || next.Full {
				out = w.batches
			} else {
				w.pending, w.first = map[string]bool{}, time.Time{} // only passing files
			}
		case out <- next:
			w.pending, w.full, w.first = map[string]bool{}, "", time.Time{}
			out = nil
		}
	}
}

// batch makes the pending changes into a Batch. A path that appeared and
// went again within the batch (a tool's temporary file, such as sed -i's)
// changed nothing and is left out.
func (w *Watcher) batch() Batch {
	b := Batch{Paths: make([]string, 0, len(w.pending))}
	for p, appeared := range w.pending {
		if appeared {
			if _, err := os.Lstat(w.abs(p)); errors.Is(err, fs.ErrNotExist) {
				continue
			}
		}
		b.Paths = append(b.Paths, p)
	}
	sort.Strings(b.Paths)
	switch {
	case w.full != "":
		b.Full, b.Reason = true, w.full
	case len(b.Paths) >= massChange:
		b.Full, b.Reason = true, fmt.Sprintf("%d files changed", len(b.Paths))
	}
	return b
}

// handle records one event and returns how long to wait for more, or 0
// when the event does not count.
func (w *Watcher) handle(ev fsnotify.Event) time.Duration {
	if ev.Op == fsnotify.Chmod || ev.Op == 0 || w.ignored(ev.Name) {
		return 0
	}
	r, err := filepath.Rel(w.root, ev.Name)
	if err != nil || r == "." || strings.HasPrefix(r, "..") {
		return 0
	}
	rel := filepath.ToSlash(r)
	parts := strings.Split(rel, "/")
	top := parts[0]
	if len(parts) == 1 && top == "config.yaml" {
		w.add(rel, false)
		w.full = "config.yaml changed"
		return w.opts.Quiet
	}
	if !slices.Contains(folders(), top) {
		return 0
	}
	for _, part := range parts[1:] {
		if site.IgnoredName(part) {
			return 0
		}
	}
	quiet := w.opts.Quiet
	if ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename) {
		if w.isWatched(rel) {
			w.forgetTree(rel)
		}
		quiet = max(quiet, removeQuiet)
	}
	if ev.Has(fsnotify.Create) {
		if info, err := os.Lstat(ev.Name); err == nil && info.IsDir() {
			// A new folder (made, moved in, or renamed): watch it and
			// everything in it; files may be there already.
			files, err := w.addTree(rel)
			if err != nil {
				w.noteError(err)
			}
			for _, f := range files {
				w.add(f, true)
			}
		}
	}
	w.add(rel, ev.Has(fsnotify.Create))
	return quiet
}

// add records a changed path; created says whether the event made it.
func (w *Watcher) add(rel string, created bool) {
	if _, ok := w.pending[rel]; !ok {
		w.pending[rel] = created
	}
}

// handleError turns a watcher error into a full build: events may have
// been lost.
func (w *Watcher) handleError(err error) {
	if errors.Is(err, fsnotify.ErrEventOverflow) {
		// The system's queue overflowed: folders may have been created
		// that are not watched. Watch everything again.
		w.full = "too many changes at once: the system dropped some events"
		for _, f := range folders() {
			if _, err := w.addTree(f); err != nil {
				w.noteError(err)
			}
		}
		return
	}
	w.noteError(err)
}

// noteError makes the next batch a full build that says what went wrong.
func (w *Watcher) noteError(err error) {
	if !strings.HasPrefix(w.full, "watching: ") {
		w.full = "watching: " + err.Error()
	}
}

// LimitError says that the system's limit of watched folders (inotify)
// is reached, and what to do about it.
type LimitError struct {
	Path string
	Err  error
	// Setting is the sysctl to raise, with its current value.
	Setting string
	Current string
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("cannot watch %s: the system's limit %s (now %s) is reached; "+
		"raise it with: sudo sysctl %s=524288 (add the line %s=524288 to /etc/sysctl.conf to keep it), "+
		"or watch by scanning with -poll 1s", e.Path, e.Setting, e.Current, e.Setting, e.Setting)
}

// Unwrap returns the system's error.
func (e *LimitError) Unwrap() error { return e.Err }

// limitError explains the errors of running out of inotify watches
// (ENOSPC) or instances (EMFILE); other errors are returned as they are.
func limitError(err error, path string) error {
	var setting string
	switch {
	case errors.Is(err, syscall.ENOSPC):
		setting = "fs.inotify.max_user_watches"
	case errors.Is(err, syscall.EMFILE):
		setting = "fs.inotify.max_user_instances"
	default:
		return fmt.Errorf("watching %s: %w", path, err)
	}
	current := "unknown"
	if data, rerr := os.ReadFile("/proc/sys/" + strings.ReplaceAll(setting, ".", "/")); rerr == nil {
		current = strings.TrimSpace(string(data))
	}
	return &LimitError{Path: path, Err: err, Setting: setting, Current: current}
}
