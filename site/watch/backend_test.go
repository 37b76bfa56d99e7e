package watch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// fakeBackend is a backend whose Add fails past a limit, as inotify does
// when fs.inotify.max_user_watches is reached, and whose events and
// errors the test sends.
type fakeBackend struct {
	limit  int
	added  []string
	events chan fsnotify.Event
	errors chan error
}

func newFake(limit int) *fakeBackend {
	return &fakeBackend{limit: limit, events: make(chan fsnotify.Event), errors: make(chan error)}
}

func (f *fakeBackend) Add(dir string) error {
	if len(f.added) >= f.limit {
		return fmt.Errorf("add %s: %w", dir, syscall.ENOSPC)
	}
	f.added = append(f.added, dir)
	return nil
}
func (f *fakeBackend) Remove(string) error           { return nil }
func (f *fakeBackend) Events() <-chan fsnotify.Event { return f.events }
func (f *fakeBackend) Errors() <-chan error          { return f.errors }
func (f *fakeBackend) Close() error                  { return nil }

func emptySite(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{"posts/a", "posts/b", "layouts", "static"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestWatchLimit(t *testing.T) {
	root := emptySite(t)
	_, err := newWatcher(root, Options{}, newFake(3))
	var le *LimitError
	if !errors.As(err, &le) || !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("err = %v, want a *LimitError wrapping ENOSPC", err)
	}
	msg := err.Error()
	for _, want := range []string{"fs.inotify.max_user_watches", "sudo sysctl fs.inotify.max_user_watches=524288", "/etc/sysctl.conf", "-poll 1s"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if data, rerr := os.ReadFile("/proc/sys/fs/inotify/max_user_watches"); rerr == nil && !strings.Contains(msg, "(now "+strings.TrimSpace(string(data))+")") {
		t.Errorf("message does not give the current limit %s:\n%s", data, msg)
	}
}

func TestWatchLimitLater(t *testing.T) {
	// Enough watches for the start, none for a folder made later: the
	// next batch is a full build that says why.
	root := emptySite(t)
	fb := newFake(6) // root, posts, posts/a, posts/b, layouts, static
	w, err := newWatcher(root, Options{}, fb)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := os.MkdirAll(filepath.Join(root, "posts/c"), 0o755); err != nil {
		t.Fatal(err)
	}
	fb.events <- fsnotify.Event{Name: filepath.Join(root, "posts/c"), Op: fsnotify.Create}
	select {
	case b := <-w.Batches():
		if !b.Full || !strings.Contains(b.Reason, "max_user_watches") {
			t.Errorf("batch %+v", b)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no batch")
	}
}

func TestOverflowIsFull(t *testing.T) {
	root := emptySite(t)
	fb := newFake(100)
	w, err := newWatcher(root, Options{}, fb)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// A folder made while events were being lost is watched again.
	if err := os.MkdirAll(filepath.Join(root, "posts/lost"), 0o755); err != nil {
		t.Fatal(err)
	}
	fb.errors <- fsnotify.ErrEventOverflow
	select {
	case b := <-w.Batches():
		if !b.Full || !strings.Contains(b.Reason, "dropped some events") {
			t.Errorf("batch %+v", b)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("no batch")
	}
	if !slices.Contains(w.Watched(), "posts/lost") {
		t.Errorf("posts/lost is not watched after the overflow: %v", w.Watched())
	}
}
