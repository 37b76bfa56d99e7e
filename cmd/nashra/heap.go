package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// startingHeap is how large the heap may grow before the first garbage
// collection. The runtime starts collecting at 4 MB: a rebuild of a site
// of 1,000 posts with nothing changed, which allocates about 20 MB in all,
// then spent a sixth of its processor time in two or three collections,
// each stopping both threads for up to several milliseconds, for memory
// it gives back at exit anyway. Not more than 32 MB: a cold build of 1,000
// posts has about that much heap at its peak, so its peak memory stays
// as it was (64 MB raised it from 61 to 79 MiB).
const startingHeap = 32 << 20

// runtimeHeapMinimum is the heap at which the runtime starts its first
// collection under GOGC=100 (and GOGC/100 times that under another GOGC).
const runtimeHeapMinimum = 4 << 20

// gcSentinel is an object that nothing refers to, whose cleanup tells
// that a collection has run. It holds a pointer so that it is not one of
// the tiny objects that the runtime packs together (whose cleanups may
// never run).
type gcSentinel struct {
	_ *byte
	_ [16]byte
}

// growHeapAtStart lets the heap reach startingHeap before the first
// collection, then gives the collector its usual pace (GOGC=100) from the
// end of that first collection on, so a large site's peak memory is what
// it was: only the first collection comes later. It does nothing when
// the GOGC environment variable is set: the user's choice stands. done,
// if not nil, is called once the usual pace is back.
func growHeapAtStart(done func()) {
	if _, set := os.LookupEnv("GOGC"); set {
		return
	}
	old := debug.SetGCPercent(startingHeap / runtimeHeapMinimum * 100)
	runtime.AddCleanup(new(gcSentinel), func(old int) {
		debug.SetGCPercent(old)
		if done != nil {
			done()
		}
	}, old)
}

// A build's heap roughly doubles from the end of loading the posts to the
// end of rendering (search terms, page states, the output manifest), and
// the collector's usual pace (GOGC=100) lets the heap grow to twice what
// it holds. On two processors, though, a collection's marking takes long
// enough for the build to allocate tens of megabytes meanwhile, which that
// collection counts as live: at 50,000 posts the heap then reached about
// three times what the build held, 800 to 900 MiB of memory for 250 MB of
// data. So once the posts are loaded, nashra sets the runtime's soft
// memory limit to what the usual pace would give without that overshoot:
// memoryLimitFactor times the heap live after loading, and at least
// memoryLimitFloor. Below the limit, nothing changes; near it, the
// collector runs more often (and never takes more than half the processor
// time, the runtime's own guard), so a site whose data outgrows the
// estimate is built a little slower, not stopped.
const (
	memoryLimitFactor = 4
	memoryLimitFloor  = 256 << 20
)

// memoryLimitFor is the memory limit for a build whose heap holds live
// bytes after loading its posts.
func memoryLimitFor(live uint64) int64 {
	return max(memoryLimitFloor, memoryLimitFactor*int64(min(live, math.MaxInt64/memoryLimitFactor)))
}

// limitMemory sets the runtime's soft memory limit for a build whose
// posts are loaded (site.Options.Loaded): memoryLimitFor the live heap of
// the last collection. It only ever raises a limit it set (a watch
// session's later builds of a grown site), and does nothing when the
// GOMEMLIMIT environment variable is set: the user's choice stands.
func limitMemory() {
	if _, set := os.LookupEnv("GOMEMLIMIT"); set {
		return
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	limit := memoryLimitFor(sample[0].Value.Uint64())
	if current := debug.SetMemoryLimit(-1); current == math.MaxInt64 || current < limit {
		debug.SetMemoryLimit(limit)
	}
}
