package main

import (
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
