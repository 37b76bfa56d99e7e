package watch_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nashra-press/nashra/site/watch"
)

// TestRun checks the build loop: a full first build, one build per batch,
// errors and panics reported, and the loop going on after them.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	batches := make(chan watch.Batch)
	reports := make(chan watch.Report, 10)
	var seen []watch.Batch
	build := func(ctx context.Context, b watch.Batch) error {
		seen = append(seen, b)
		switch len(seen) {
		case 2:
			return errors.New("posts/a.md:3:7: date is not a date")
		case 3:
			panic(errors.New("boom"))
		}
		return nil
	}
	done := make(chan struct{})
	go func() {
		watch.Run(ctx, batches, build, func(r watch.Report) { reports <- r })
		close(done)
	}()

	if r := receive(t, reports, "report"); r.N != 1 || !r.Batch.Full || r.Err != nil {
		t.Errorf("first build: %+v", r)
	}
	batches <- watch.Batch{Paths: []string{"posts/a.md"}}
	if r := receive(t, reports, "report"); r.N != 2 || r.Err == nil || r.Err.Error() != "posts/a.md:3:7: date is not a date" {
		t.Errorf("second build: %+v", r)
	}
	batches <- watch.Batch{Paths: []string{"posts/a.md"}}
	r := receive(t, reports, "report")
	var pe *watch.PanicError
	if !errors.As(r.Err, &pe) || r.N != 3 {
		t.Fatalf("third build: %+v", r)
	}
	if err, ok := pe.Value.(error); !ok || err.Error() != "boom" || len(pe.Stack) == 0 {
		t.Errorf("panic value %v, stack %q", pe.Value, pe.Stack)
	}
	// After a panic the next build is full and drops the builder's state.
	batches <- watch.Batch{Paths: []string{"posts/b.md"}}
	if r := receive(t, reports, "report"); r.N != 4 || r.Err != nil || !r.Batch.Full || !r.Batch.Reset || len(r.Batch.Paths) != 1 {
		t.Errorf("build after the panic: %+v", r)
	}
	batches <- watch.Batch{Paths: []string{"posts/c.md"}}
	if r := receive(t, reports, "report"); r.N != 5 || r.Batch.Full || r.Batch.Reset {
		t.Errorf("fifth build: %+v", r)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(patience):
		t.Fatal("Run did not return after its context was cancelled")
	}
}

func TestBatchString(t *testing.T) {
	for _, c := range []struct {
		b    watch.Batch
		want string
	}{
		{watch.Batch{Paths: []string{"posts/a.md"}}, "posts/a.md"},
		{watch.Batch{Paths: []string{"static/files", "static/files/note.txt"}}, "static/files/note.txt"},
		{watch.Batch{Paths: []string{"layouts/base.html", "posts/a.md", "posts/b.md"}}, "3 files: layouts/base.html, posts/a.md, posts/b.md"},
		{watch.Batch{Paths: []string{"posts/a.md", "posts/b.md", "posts/c.md", "posts/d.md"}}, "4 files: posts/a.md, posts/b.md, posts/c.md, …"},
		{watch.Batch{Paths: []string{"config.yaml"}, Full: true, Reason: "config.yaml changed"}, "config.yaml changed"},
		{watch.Batch{Paths: []string{"config.yaml", "posts/a.md"}, Full: true, Reason: "config.yaml changed"}, "config.yaml changed (2 files: config.yaml, posts/a.md)"},
		{watch.Batch{Full: true, Reason: "first build"}, "first build"},
	} {
		if got := c.b.String(); got != c.want {
			t.Errorf("%v: %q, want %q", c.b.Paths, got, c.want)
		}
	}
}

// TestRunSupersedes checks that changes coming while a build runs cancel
// it, unless it is the first, and that the next build has the cancelled
// build's changes with the new ones.
func TestRunSupersedes(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	batches := make(chan watch.Batch)
	reports := make(chan watch.Report, 10)
	started := make(chan int, 10)
	releaseFirst := make(chan struct{})
	n := 0
	build := func(ctx context.Context, b watch.Batch) error {
		n++
		started <- n
		switch n {
		case 1:
			<-releaseFirst // a batch comes meanwhile: the first build goes on
			return ctx.Err()
		case 2:
			<-ctx.Done() // a long build, cancelled by newer changes
			return ctx.Err()
		}
		return nil
	}
	go watch.Run(ctx, batches, build, func(r watch.Report) { reports <- r })
	receive(t, started, "build started")
	batches <- watch.Batch{Paths: []string{"posts/a.md"}}
	close(releaseFirst)
	if r := receive(t, reports, "report"); r.N != 1 || r.Err != nil || r.Superseded {
		t.Errorf("first build: %+v (it must not be cancelled)", r)
	}
	receive(t, started, "build started") // build 2, for posts/a.md, runs until cancelled
	batches <- watch.Batch{Paths: []string{"layouts/base.html"}}
	if r := receive(t, reports, "report"); r.N != 2 || !r.Superseded || !errors.Is(r.Err, context.Canceled) {
		t.Errorf("second build: %+v, want superseded", r)
	}
	receive(t, started, "build started")
	if r := receive(t, reports, "report"); r.N != 3 || r.Err != nil || strings.Join(r.Batch.Paths, " ") != "layouts/base.html posts/a.md" {
		t.Errorf("third build: %+v, want the changes of both", r)
	}
}

// receive waits for the next value on ch; what names it when none comes.
func receive[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(patience):
		t.Fatalf("no %s", what)
	}
	var zero T
	return zero
}
