package watch

import (
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"

	"github.com/nashra-press/nashra/site"
)

// stamp is what a scan knows of a file or folder: a change of any part is
// a change of the file.
type stamp struct {
	dir     bool
	size    int64
	modTime time.Time
	mode    fs.FileMode
}

// poller is a backend that scans the site's folders at an interval and
// reports the differences as events, for systems where inotify watches
// run out or folders that send no events (network shares, some
// containers). Folders need no watch of their own: every scan walks them
// all.
type poller struct {
	root     string
	interval time.Duration
	events   chan fsnotify.Event
	errors   chan error
	done     chan struct{}
	once     sync.Once
	stopped  chan struct{}
	last     map[string]stamp
}

func newPoller(root string, interval time.Duration) *poller {
	abs, err := filepath.Abs(root)
	if err != nil {
		abs = root
	}
	p := &poller{root: abs, interval: interval, events: make(chan fsnotify.Event), errors: make(chan error),
		done: make(chan struct{}), stopped: make(chan struct{})}
	p.last = p.scan() // changes after this are reported
	go p.run()
	return p
}

func (p *poller) Add(string) error              { return nil }
func (p *poller) Remove(string) error           { return nil }
func (p *poller) Events() <-chan fsnotify.Event { return p.events }
func (p *poller) Errors() <-chan error          { return p.errors }
func (p *poller) Close() error {
	p.once.Do(func() { close(p.done) })
	<-p.stopped
	return nil
}

// scan records config.yaml and everything under the site's folders,
// leaving out ignored names.
func (p *poller) scan() map[string]stamp {
	out := map[string]stamp{}
	record := func(path string, info fs.FileInfo) {
		out[path] = stamp{dir: info.IsDir(), size: info.Size(), modTime: info.ModTime(), mode: info.Mode()}
	}
	if info, err := os.Lstat(filepath.Join(p.root, "config.yaml")); err == nil {
		record(filepath.Join(p.root, "config.yaml"), info)
	}
	for _, f := range folders() {
		root := filepath.Join(p.root, f)
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // gone while scanning: the next scan sees it
			}
			if path != root && site.IgnoredName(d.Name()) {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if info, err := d.Info(); err == nil {
				record(path, info)
			}
			return nil
		})
	}
	return out
}

func (p *poller) run() {
	defer close(p.stopped)
	tick := time.NewTicker(p.interval)
	defer tick.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-tick.C:
		}
		now := p.scan()
		var events []fsnotify.Event
		for path, s := range now {
			old, ok := p.last[path]
			switch {
			case !ok:
				events = append(events, fsnotify.Event{Name: path, Op: fsnotify.Create})
			case old.dir != s.dir:
				events = append(events, fsnotify.Event{Name: path, Op: fsnotify.Remove}, fsnotify.Event{Name: path, Op: fsnotify.Create})
			case !s.dir && (old.size != s.size || !old.modTime.Equal(s.modTime) || old.mode != s.mode):
				events = append(events, fsnotify.Event{Name: path, Op: fsnotify.Write})
			}
		}
		for path := range p.last {
			if _, ok := now[path]; !ok {
				events = append(events, fsnotify.Event{Name: path, Op: fsnotify.Remove})
			}
		}
		p.last = now
		for _, ev := range events {
			select {
			case p.events <- ev:
			case <-p.done:
				return
			}
		}
	}
}
