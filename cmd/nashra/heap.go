package main

import (
	"os"
	"runtime"
	"runtime/debug"
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
