package site_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"slices"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/fstest"
	"time"

	"github.com/nashra-press/nashra/internal/testtools"
	"github.com/nashra-press/nashra/layouts"
	"github.com/nashra-press/nashra/site"
	"github.com/nashra-press/nashra/site/sourcefs"
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

// BenchmarkRebuildOneEdit measures a build of the 1,000-post corpus in
// which one published post's text changed since the last build, with the
// cache and an output that keeps every unchanged page: the path of a
// one-post edit and of watch mode. Each iteration edits the same post
// back and forth.
func BenchmarkRebuildOneEdit(b *testing.B) {
	corpus := testtools.Corpus(b, 1000)
	src := &oneFileEdited{FS: os.DirFS(corpus)}
	cache := site.NewCache()
	out := newKeepingOutput()
	opts := site.Options{Theme: layouts.FS, BaseURL: "https://embassy.example/", Cache: cache}
	first, err := site.Generate(context.Background(), src, out, opts)
	if err != nil {
		b.Fatal(err)
	}
	// A published post in the middle of the list.
	name := first.Content.Posts[len(first.Content.Posts)/2].File
	text, err := fs.ReadFile(src, name)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		src.name, src.data = name, append(slices.Clip(text), fmt.Sprintf("\nسطر أضيف في الجولة %d.\n", i)...)
		out.next()
		res, err := site.Generate(context.Background(), src, out, opts)
		if err != nil {
			b.Fatal(err)
		}
		if res.Rendered == 0 || res.Rendered > 10 || res.SearchAnalyzed != 1 {
			b.Fatalf("an edit of %s rendered %d pages and analysed %d posts for search", name, res.Rendered, res.SearchAnalyzed)
		}
	}
}

// oneFileEdited is a file system with the bytes of one file replaced.
type oneFileEdited struct {
	fs.FS
	name string
	data []byte
}

func (e *oneFileEdited) Open(name string) (fs.File, error) {
	if name == e.name {
		return fstest.MapFS{name: {Data: e.data, ModTime: time.Now()}}.Open(name)
	}
	return e.FS.Open(name)
}

// BenchmarkSearchOverhead builds the 10,000-post corpus cold, with and
// without search (search: false), alternately in one process, and reports
// what search adds to the build: the median of the pairs' ratios of wall
// time and of CPU time (user and system, from getrusage), and the median
// times of each kind of build. The issue of search allows 15%. On a
// machine shared with other work, wall times swing with its load; CPU
// times much less, and on an idle machine the build keeps every core busy,
// so the CPU ratio is what the wall ratio would be there.
func BenchmarkSearchOverhead(b *testing.B) {
	corpus := testtools.Corpus(b, 10000)
	on := overlay{fstest.MapFS{site.ConfigFile: {Data: []byte("search: true\n")}}, os.DirFS(corpus)}
	off := overlay{fstest.MapFS{site.ConfigFile: {Data: []byte("search: false\n")}}, os.DirFS(corpus)}
	cpu := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			b.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	build := func(src fs.FS) (wall, used time.Duration) {
		runtime.GC()
		start, c0 := time.Now(), cpu()
		if _, err := site.Generate(context.Background(), src, &discard{}, site.Options{Theme: layouts.FS, BaseURL: "https://embassy.example/"}); err != nil {
			b.Fatal(err)
		}
		return time.Since(start), cpu() - c0
	}
	median := func(v []float64) float64 {
		slices.Sort(v)
		return v[len(v)/2]
	}
	var wallRatio, cpuRatio, withT, withoutT, withCPU, withoutCPU []float64
	for i := 0; b.Loop(); i++ {
		// Alternate which goes first, so a drift of the machine's speed
		// touches both.
		var w, wc, wo, woc time.Duration
		if i%2 == 0 {
			w, wc = build(on)
			wo, woc = build(off)
		} else {
			wo, woc = build(off)
			w, wc = build(on)
		}
		wallRatio = append(wallRatio, float64(w)/float64(wo))
		cpuRatio = append(cpuRatio, float64(wc)/float64(woc))
		withT, withoutT = append(withT, w.Seconds()), append(withoutT, wo.Seconds())
		withCPU, withoutCPU = append(withCPU, wc.Seconds()), append(withoutCPU, woc.Seconds())
	}
	b.ReportMetric((median(wallRatio)-1)*100, "%wall-search-adds")
	b.ReportMetric((median(cpuRatio)-1)*100, "%cpu-search-adds")
	b.ReportMetric(median(withT), "s-wall-with")
	b.ReportMetric(median(withoutT), "s-wall-without")
	b.ReportMetric(median(withCPU), "s-cpu-with")
	b.ReportMetric(median(withoutCPU), "s-cpu-without")
}

// BenchmarkCache10k measures saving the build cache of the 10,000-post
// corpus and reading it back from a file, as "nashra build" does at the
// end and at the start of a build; encode is saving without the file.
// The cache comes from a cold build that reads the corpus through
// sourcefs, so that it holds file stamps too.
func BenchmarkCache10k(b *testing.B) {
	corpus := testtools.Corpus(b, 10000)
	cache := site.NewCache()
	opts := site.Options{Theme: layouts.FS, BaseURL: "https://embassy.example/", Cache: cache}
	if _, err := site.Generate(context.Background(), sourcefs.New(corpus), &discard{}, opts); err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(b.TempDir(), "cache")
	save := func(b *testing.B) {
		f, err := os.Create(file)
		if err != nil {
			b.Fatal(err)
		}
		w := bufio.NewWriter(f)
		if err := cache.Save(w, "bench"); err != nil {
			b.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			b.Fatal(err)
		}
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
	// Each reports the processor time it takes besides the wall time: on
	// a machine shared with other work, it varies much less.
	run := func(name string, op func(b *testing.B)) {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			c0 := processCPU(b)
			for b.Loop() {
				op(b)
			}
			b.ReportMetric(float64((processCPU(b)-c0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
	// A rebuild saves a cache that was read from the file: encode and save
	// use one.
	save(b)
	cache = readCache(b, file)
	run("encode", func(b *testing.B) { // saving without the file
		if err := cache.Save(io.Discard, "bench"); err != nil {
			b.Fatal(err)
		}
	})
	run("save", save)
	run("read", func(b *testing.B) { readCache(b, file) })
}

func readCache(b *testing.B, file string) *site.Cache {
	f, err := os.Open(file)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	c, err := site.ReadCache(f, "bench")
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// processCPU returns the processor time (user and system) the process
// used so far.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
