package site_test

import (
	"context"
	"os"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nashra-press/nashra/internal/testtools"
	"github.com/nashra-press/nashra/layouts"
	"github.com/nashra-press/nashra/site"
)

// discard is an Output that only counts, so benchmarks measure the
// engine and not a file system or a map holding every page.
type discard struct{ files, bytes atomic.Int64 }

func (d *discard) WriteFile(rel string, data []byte) error {
	d.files.Add(1)
	d.bytes.Add(int64(len(data)))
	return nil
}

// peakHeap samples the live heap every millisecond until stop is closed
// and returns the largest value seen.
func peakHeap(stop <-chan struct{}) <-chan uint64 {
	out := make(chan uint64, 1)
	go func() {
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		var peak uint64
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
			select {
			case <-stop:
				out <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return out
}

// benchmarkBuild builds the shared benchmark corpus of n posts with the
// real theme, cold (no cache), and reports posts per second and the peak
// live heap besides Go's time and allocation figures.
func benchmarkBuild(b *testing.B, n int) {
	corpus := testtools.Corpus(b, n)
	src := os.DirFS(corpus)
	b.ReportAllocs()
	runtime.GC()
	stop := make(chan struct{})
	peak := peakHeap(stop)
	var posts int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := site.Generate(context.Background(), src, &discard{}, site.Options{Theme: layouts.FS, BaseURL: "https://embassy.example/"})
		if err != nil {
			b.Fatal(err)
		}
		posts = res.Posts
	}
	b.StopTimer()
	close(stop)
	b.ReportMetric(float64(posts)*float64(b.N)/b.Elapsed().Seconds(), "posts/s")
	b.ReportMetric(float64(<-peak)/(1<<20), "peak-heap-MiB")
}

func BenchmarkBuild1k(b *testing.B)  { benchmarkBuild(b, 1000) }
func BenchmarkBuild10k(b *testing.B) { benchmarkBuild(b, 10000) }

// BenchmarkRebuildUnchanged measures a second build of the 1,000-post
// corpus with the cache of the first and an output that keeps every
// unchanged page: the path of a no-change rebuild and of watch mode.
func BenchmarkRebuildUnchanged(b *testing.B) {
	corpus := testtools.Corpus(b, 1000)
	src := os.DirFS(corpus)
	cache := site.NewCache()
	out := newKeepingOutput()
	opts := site.Options{Theme: layouts.FS, BaseURL: "https://embassy.example/", Cache: cache}
	if _, err := site.Generate(context.Background(), src, out, opts); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out.next()
		res, err := site.Generate(context.Background(), src, out, opts)
		if err != nil {
			b.Fatal(err)
		}
		if res.Rendered != 0 {
			b.Fatalf("%d pages rendered in a no-change rebuild", res.Rendered)
		}
	}
}
