package testtools

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// lockedBuffer is a bytes.Buffer that goroutines can share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends p to the buffer.
func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns what was written so far.
func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Chromium starts Debian's headless Chromium, found by [RequireTool] as
// "chromium" (override with NASHRA_CHROMIUM), and returns a chromedp context
// for its first tab: use it with chromedp.Run and chromedp.Do. The browser
// runs with a fresh profile in a directory under t.TempDir() and with the
// flags that this project's machines need (--headless --no-sandbox
// --disable-gpu --disable-quic --no-first-run --disable-background-networking
// --disable-component-update --disable-sync, on top of chromedp's defaults).
// t.Cleanup closes it and, if the test failed, logs what the browser printed.
//
// The returned context has no deadline. To bound one step, derive a context
// with context.WithTimeout from it. When chromium is missing, Chromium stops
// the test with [Unavailable]: a skip, or a failure when CI=true. When it is
// there but does not start, the test fails.
func Chromium(t testing.TB) context.Context {
	t.Helper()
	exe := RequireTool(t, "chromium")
	profile := filepath.Join(t.TempDir(), "chromium-profile")

	out := &lockedBuffer{}
	opts := append(slices.Clone(chromedp.DefaultExecAllocatorOptions[:]),
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		// Without these, Chromium tries to reach Google's hosts, which
		// this project's closed network refuses, many at a time.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.CombinedOutput(out),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)

	// The cleanups run in reverse order, so this one runs before the
	// removal of t.TempDir(), which must find Chromium stopped.
	t.Cleanup(func() {
		// Close the browser gracefully, so that its child processes stop
		// writing to the profile; the cancels below kill what is left.
		cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_ = chromedp.Cancel(cctx)
		cancel()
		cancelCtx()
		cancelAlloc()
		if t.Failed() {
			t.Logf("chromium output:\n%s", out.String())
		}
		// Chromium's helpers can write to the profile for a moment after
		// the browser exits; t.TempDir's own removal does not retry.
		deadline := time.Now().Add(5 * time.Second)
		for os.RemoveAll(profile) != nil && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
	})

	// Start the browser now, so that a browser that cannot start fails
	// here with its output, not in the middle of the caller's steps.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("testtools.Chromium: cannot start %s: %v\nits output:\n%s", exe, err, out.String())
	}
	return ctx
}
