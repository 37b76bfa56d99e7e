package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"

	"github.com/nashra-press/nashra/site"
)

// memoryBudget keeps a preview server's memory close to what it needs.
//
// The server holds every post's rendered text (for 10,000 posts about
// 190 MB) for as long as it runs. With Go's default (the heap may grow
// to twice what is live, and freed memory goes back to the system
// lazily) it would sit near 500 MB. So serve collects garbage earlier
// (GOGC=30: the heap grows 30% past what is live) and gives the runtime
// a soft limit of 1.5 times the live heap, which also makes it return
// freed memory; before the first build, when nothing is known yet, the
// limit is three times the size of the posts (the text they become is
// about twice their size). A user who sets GOGC or GOMEMLIMIT decides
// instead.
type memoryBudget struct {
	on bool
}

const (
	minMemoryLimit = 128 << 20
	firstLimit     = 256 << 20
)

func newMemoryBudget(src string) *memoryBudget {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return &memoryBudget{}
	}
	debug.SetGCPercent(30)
	var size int64
	_ = filepath.WalkDir(filepath.Join(src, site.PostsDir), func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				size += info.Size()
			}
		}
		return nil
	})
	debug.SetMemoryLimit(max(firstLimit, 3*size))
	return &memoryBudget{on: true}
}

// afterBuild sets the limit from what is live now.
func (m *memoryBudget) afterBuild() {
	if !m.on {
		return
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	live := int64(sample[0].Value.Uint64())
	debug.SetMemoryLimit(max(minMemoryLimit, live*3/2))
}
