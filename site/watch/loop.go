package watch

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/nashra-press/nashra/site"
)

// BuildFunc builds the site for a batch of changes.
type BuildFunc func(ctx context.Context, b Batch) error

// Report describes one finished build.
type Report struct {
	// N counts builds from 1 (the first, full build).
	N int
	// Batch is what the build was for.
	Batch Batch
	// Err is the build's error: nil, what BuildFunc returned, or a
	// *PanicError.
	Err error
	// Took is how long the build ran.
	Took time.Duration
	// Superseded is true when the build was cancelled because newer
	// changes came; they are built next, with its own.
	Superseded bool
}

// PanicError is a panic inside a build, recovered by Run.
type PanicError struct {
	Value any
	// Stack is where the panic happened.
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("internal error (a bug in nashra, please report it): %v\n%s", e.Value, e.Stack)
}

// Run builds the site once (a full build), then once for every batch
// from batches, until ctx is done or batches is closed; it returns after
// the build in progress has returned. A build's error or panic is
// reported, and the loop goes on: the next build after a panic is full
// and drops what the builder keeps (Batch.Reset). report, which may be
// nil, is called after every build from Run's goroutine.
//
// Changes that come while a build runs are gathered into the next batch,
// and the running build is cancelled (its context is done), unless it is
// the first: a site's whole rebuild after a layout edit must not keep a
// second edit waiting for seconds. A builder that renders the pages a
// browser shows first has shown them by then; the cancelled build's
// changes are part of the next batch, which builds the rest.
func Run(ctx context.Context, batches <-chan Batch, build BuildFunc, report func(Report)) {
	next := Batch{Full: true, Reason: "first build"}
	for n := 1; ; n++ {
		start := time.Now()
		bctx, cancel := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func(b Batch) { done <- safeBuild(bctx, build, b) }(next)
		var pending *Batch
		var err error
	running:
		for {
			select {
			case err = <-done:
				break running
			case b, ok := <-batches:
				if !ok {
					batches = nil // finish this build, then stop
					continue
				}
				if pending == nil {
					pending = &b
				} else {
					merged := pending.merge(b)
					pending = &merged
				}
				if n > 1 {
					cancel()
				}
			}
		}
		superseded := errors.Is(err, context.Canceled) && pending != nil && ctx.Err() == nil
		cancel()
		if report != nil {
			report(Report{N: n, Batch: next, Err: err, Took: time.Since(start), Superseded: superseded})
		}
		var after Batch
		switch {
		case superseded:
			after = next // its changes are not built yet
		case isPanic(err):
			after = Batch{Full: true, Reset: true, Reason: "the previous build failed unexpectedly"}
		}
		if pending == nil {
			if batches == nil {
				return
			}
			select {
			case <-ctx.Done():
				return
			case b, ok := <-batches:
				if !ok {
					return
				}
				pending = &b
			}
		}
		if ctx.Err() != nil {
			return
		}
		next = after.merge(*pending)
		if after.Full && after.Reason != "" {
			next.Reason = after.Reason
		}
	}
}

func isPanic(err error) bool {
	_, ok := err.(*PanicError)
	return ok
}

// safeBuild runs build and turns a panic into a *PanicError.
func safeBuild(ctx context.Context, build BuildFunc, b Batch) (err error) {
	defer func() {
		if v := recover(); v != nil {
			pe := &PanicError{Value: v, Stack: debug.Stack()}
			if wp, ok := v.(*site.WorkerPanic); ok {
				pe.Value, pe.Stack = wp.Value, wp.Stack
			}
			err = pe
		}
	}()
	return build(ctx, b)
}
