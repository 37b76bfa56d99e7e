package site_test

import (
	"context"
	"io/fs"
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync/atomic"
	"testing"
	"testing/fstest"
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

// BenchmarkSearchOverhead builds the 10,000-post corpus cold, with and
// without search (search: false), alternately in one process, and reports
// what search adds to the build: the median of the pairs' ratios, and the
// median time of each kind of build. The issue of search allows 15%.
func BenchmarkSearchOverhead(b *testing.B) {
	corpus := testtools.Corpus(b, 10000)
	on := overlay{fstest.MapFS{site.ConfigFile: {Data: []byte("search: true\n")}}, os.DirFS(corpus)}
	off := overlay{fstest.MapFS{site.ConfigFile: {Data: []byte("search: false\n")}}, os.DirFS(corpus)}
	build := func(src fs.FS) time.Duration {
		start := time.Now()
		if _, err := site.Generate(context.Background(), src, &discard{}, site.Options{Theme: layouts.FS, BaseURL: "https://embassy.example/"}); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	var ratios []float64
	var withT, withoutT []time.Duration
	for i := 0; b.Loop(); i++ {
		// Alternate which goes first, so a drift of the machine's speed
		// touches both.
		var w, wo time.Duration
		if i%2 == 0 {
			w, wo = build(on), build(off)
		} else {
			wo, w = build(off), build(on)
		}
		withT, withoutT = append(withT, w), append(withoutT, wo)
		ratios = append(ratios, float64(w)/float64(wo))
	}
	slices.Sort(ratios)
	slices.Sort(withT)
	slices.Sort(withoutT)
	b.ReportMetric((ratios[len(ratios)/2]-1)*100, "%-search-adds")
	b.ReportMetric(float64(withT[len(withT)/2].Milliseconds()), "ms-with-search")
	b.ReportMetric(float64(withoutT[len(withoutT)/2].Milliseconds()), "ms-without")
}
