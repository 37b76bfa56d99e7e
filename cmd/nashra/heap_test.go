package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// gcPercent returns the collector's current GOGC setting.
func gcPercent() int {
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p
}

// TestGrowHeapAtStart checks that the first collection is put off until
// the heap reaches startingHeap, and that the usual pace is back once a
// collection has run.
func TestGrowHeapAtStart(t *testing.T) {
	if _, set := os.LookupEnv("GOGC"); set {
		t.Skip("GOGC is set: growHeapAtStart leaves the collector alone")
	}
	before := gcPercent()
	done := make(chan struct{})
	growHeapAtStart(func() { close(done) })
	raised := gcPercent()
	select {
	case <-done: // a collection has run already
	default:
		if want := startingHeap / runtimeHeapMinimum * 100; raised != want {
			t.Errorf("GOGC is %d before the first collection, want %d", raised, want)
		}
	}
	runtime.GC()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("the usual pace was not restored after a collection")
	}
	if p := gcPercent(); p != before {
		t.Errorf("GOGC is %d after a collection, want %d as before", p, before)
	}
}

// TestMemoryLimitFor checks the limit for a few live heaps: the floor
// for a small site, memoryLimitFactor times the heap for a large one.
func TestMemoryLimitFor(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int64
	}{
		{0, 256 << 20},
		{30 << 20, 256 << 20},
		{64 << 20, 256 << 20},
		{150 << 20, 600 << 20},
		{1 << 30, 4 << 30},
		{math.MaxUint64, math.MaxInt64 / memoryLimitFactor * memoryLimitFactor},
	} {
		if got := memoryLimitFor(c.live); got != c.want {
			t.Errorf("memoryLimitFor(%d) = %d, want %d", c.live, got, c.want)
		}
	}
}

// TestLimitMemory checks that limitMemory sets a limit when there is
// none, only raises one it set, and leaves a GOMEMLIMIT alone.
func TestLimitMemory(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })

	debug.SetMemoryLimit(math.MaxInt64) // no limit, as at start without GOMEMLIMIT
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		limitMemory()
		if got := debug.SetMemoryLimit(-1); got < memoryLimitFloor || got == math.MaxInt64 {
			t.Errorf("limit %d after limitMemory, want at least %d", got, memoryLimitFloor)
		}
	}
	high := int64(64 << 30)
	debug.SetMemoryLimit(high)
	limitMemory()
	if got := debug.SetMemoryLimit(-1); got != high {
		t.Errorf("limitMemory lowered the limit from %d to %d", high, got)
	}

	t.Setenv("GOMEMLIMIT", "1GiB")
	debug.SetMemoryLimit(math.MaxInt64)
	limitMemory()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("limitMemory set %d although GOMEMLIMIT is set", got)
	}
}
