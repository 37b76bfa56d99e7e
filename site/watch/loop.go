package watch

import (
	"context"
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
func Run(ctx context.Context, batches <-chan Batch, build BuildFunc, report func(Report)) {
	next := Batch{Full: true, Reason: "first build"}
	for n := 1; ; n++ {
		start := time.Now()
		err := safeBuild(ctx, build, next)
		if report != nil {
			report(Report{N: n, Batch: next, Err: err, Took: time.Since(start)})
		}
		var after Batch
		if _, panicked := err.(*PanicError); panicked {
			after = Batch{Full: true, Reset: true, Reason: "the previous build failed unexpectedly"}
		}
		select {
		case <-ctx.Done():
			return
		case b, ok := <-batches:
			if !ok {
				return
			}
			next = after.merge(b)
			if after.Full {
				next.Reason = after.Reason
			}
		}
	}
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
