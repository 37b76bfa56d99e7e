package main

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nashra-press/nashra/layouts"
)

// BenchmarkServe measures the preview on the benchmark corpus
// (../shared/bench/gencorpus, 10,000 posts unless NASHRA_BENCH_POSTS
// says otherwise): the real nashra binary serves a copy of the corpus,
// a client listens to the reload stream of one post's page, as the page's
// script does, and each iteration
//
//   - saves the post (written in place, as an editor does) and measures
//     the time until the page's reload event, then
//   - edits the site's base.html and measures the same (every page of the
//     site changes; the open page is rendered first),
//
// waiting for each build to end before the next edit. It reports the
// medians and 90th percentiles in milliseconds, the median time until the
// whole build ended (the reload comes before: the open page is written
// first), the time of the first build, and the server's resident memory
// (VmRSS after the edits, VmHWM the peak). Run it with a fixed count of
// edits:
//
//	go test ./cmd/nashra -run '^$' -bench Serve -benchtime 20x
//
// NASHRA_BENCH_TMPDIR sets the server's temporary folder (where the
// preview is written), e.g. /dev/shm.
func BenchmarkServe(b *testing.B) {
	n := 10000
	if v := os.Getenv("NASHRA_BENCH_POSTS"); v != "" {
		n, _ = strconv.Atoi(v)
	}
	corpus := benchCorpus(b, n)
	root := b.TempDir()
	if err := os.CopyFS(root, os.DirFS(corpus)); err != nil {
		b.Fatal(err)
	}
	target, slug := middlePost(b, root)
	original, err := os.ReadFile(target)
	if err != nil {
		b.Fatal(err)
	}
	base, err := fs.ReadFile(layouts.FS, "base.html")
	if err != nil {
		b.Fatal(err)
	}

	bin := buildBinary(b)
	cmd := exec.Command(bin, "serve", "-src", root, "-addr", "127.0.0.1:0")
	cmd.Env = os.Environ()
	if dir := os.Getenv("NASHRA_BENCH_TMPDIR"); dir != "" {
		cmd.Env = append(cmd.Env, "TMPDIR="+dir, "XDG_RUNTIME_DIR=")
	}
	out := newLines()
	cmd.Stdout, cmd.Stderr = out, out
	started := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}()
	addr := servingRe.FindStringSubmatch(out.waitFor(b, "serving "))[1]
	out.waitFor(b, "built in ")
	firstBuild := time.Since(started)
	pageURL := addr + "/posts/" + slug + "/"

	// The site's own copy of base.html: a layout edit (and its build)
	// before the measured ones.
	layoutFile := filepath.Join(root, "layouts", "base.html")
	writeFile(b, layoutFile, base)
	out.waitFor(b, "rebuilt layouts/base.html")

	var postTimes, layoutTimes, postBuilds, layoutBuilds []time.Duration
	edit := 0
	measure := func(write func(marker string), builds *[]time.Duration) time.Duration {
		edit++
		marker := fmt.Sprintf("nashra-bench-%d-%d", edit, time.Now().UnixNano())
		reloads := listenPage(b, pageURL)
		t0 := time.Now()
		write(marker)
		select {
		case <-reloads:
		case <-time.After(5 * time.Minute):
			b.Fatalf("no reload event for edit %d; server output:\n%s", edit, out.String())
		}
		took := time.Since(t0)
		out.waitFor(b, "rebuilt ") // the whole build is over
		*builds = append(*builds, time.Since(t0))
		if code, body := httpGet(b, pageURL); code != 200 || !strings.Contains(body, marker) {
			b.Fatalf("edit %d: the page (%d) lacks %s", edit, code, marker)
		}
		return took
	}
	for b.Loop() {
		postTimes = append(postTimes, measure(func(marker string) {
			writeFile(b, target, append(append([]byte(nil), original...), "\nفقرة مضافة للاختبار "+marker+" نهاية.\n"...))
		}, &postBuilds))
		layoutTimes = append(layoutTimes, measure(func(marker string) {
			writeFile(b, layoutFile, []byte(strings.Replace(string(base), "</footer>", "<p>"+marker+"</p></footer>", 1)))
		}, &layoutBuilds))
	}
	b.StopTimer()
	rss, hwm := procMemory(b, cmd.Process.Pid)
	b.ReportMetric(msOf(percentile(postTimes, 50)), "post-ms-median")
	b.ReportMetric(msOf(percentile(postTimes, 90)), "post-ms-p90")
	b.ReportMetric(msOf(percentile(layoutTimes, 50)), "layout-ms-median")
	b.ReportMetric(msOf(percentile(layoutTimes, 90)), "layout-ms-p90")
	b.ReportMetric(msOf(percentile(postBuilds, 50)), "post-build-ms-median")
	b.ReportMetric(percentile(layoutBuilds, 50).Seconds(), "layout-build-s-median")
	b.ReportMetric(firstBuild.Seconds(), "first-build-s")
	b.ReportMetric(rss, "rss-MiB")
	b.ReportMetric(hwm, "peak-rss-MiB")
	b.Logf("%d posts; post edits: %v; layout edits: %v", n, postTimes, layoutTimes)
}

func msOf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func percentile(ds []time.Duration, p int) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[(len(s)-1)*p/100]
}

func writeFile(b *testing.B, path string, data []byte) {
	b.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
}

// listenPage loads a page and listens to its reload stream, as its script
// does; the channel gets a value at the first reload event.
func listenPage(b *testing.B, url string) <-chan struct{} {
	b.Helper()
	_, body := httpGet(b, url)
	m := eventSourceRe.FindStringSubmatch(body)
	if m == nil {
		b.Fatalf("%s has no reload script", url)
	}
	host := url[:strings.Index(url[len("http://"):], "/")+len("http://")]
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", host+strings.ReplaceAll(m[1], `\u0026`, "&"), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		b.Fatal(err)
	}
	ch := make(chan struct{}, 1)
	go func() {
		defer resp.Body.Close()
		defer cancel()
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if sc.Text() == "event: reload" {
				ch <- struct{}{}
				return
			}
		}
	}()
	return ch
}

// procMemory returns VmRSS and VmHWM of a process in MiB.
func procMemory(b *testing.B, pid int) (rss, hwm float64) {
	b.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Logf("no memory figures: %v", err)
		return 0, 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			hwm = kb / 1024
		}
	}
	return rss, hwm
}

var slugLine = regexp.MustCompile(`(?m)^slug: (\S+)$`)

// middlePost picks a published post from the middle of the corpus, as
// ../shared/bench/hugo-watch-latency does.
func middlePost(b *testing.B, root string) (file, slug string) {
	b.Helper()
	entries, err := os.ReadDir(filepath.Join(root, "posts"))
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range entries[len(entries)/2:] {
		p := filepath.Join(root, "posts", e.Name())
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		front, _, _ := strings.Cut(strings.TrimPrefix(string(data), "---\n"), "\n---\n")
		if strings.Contains(front, "\ndraft: true\n") {
			continue
		}
		if m := slugLine.FindStringSubmatch(front); m != nil {
			return p, m[1]
		}
	}
	b.Fatal("no published post")
	return "", ""
}

// benchCorpus returns a folder with the benchmark corpus of n posts,
// made once with ../shared/bench/gencorpus and kept in the user's cache.
func benchCorpus(b *testing.B, n int) string {
	b.Helper()
	gen, err := filepath.Abs(filepath.Join("..", "..", "..", "shared", "bench", "gencorpus"))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(gen, "main.go")); err != nil {
		b.Skipf("the corpus generator is not at %s", gen)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "nashra-bench", fmt.Sprintf("s1-n%d", n))
	if _, err := os.Stat(filepath.Join(dir, ".complete")); err == nil {
		return dir
	}
	if err := os.RemoveAll(dir); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command("go", "run", ".", "-n", strconv.Itoa(n), "-seed", "1", "-out", dir)
	cmd.Dir = gen
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("gencorpus: %v\n%s", err, out)
	}
	if err := os.WriteFile(filepath.Join(dir, ".complete"), nil, 0o644); err != nil {
		b.Fatal(err)
	}
	return dir
}
