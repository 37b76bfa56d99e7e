// Command nashra-bench builds the shared benchmark corpus with nashra and,
// when hugo is on PATH, with the equivalent Hugo site, side by side, and
// prints medians and ratios measured in the same run:
//
//	go run ./cmd/nashra-bench -n 1000,10000 [-runs 5] [-out /dev/shm] [-hugo hugo]
//
// Each run is a whole process building into an empty output folder (cold);
// nashra and Hugo alternate, so a drift in the machine's speed touches both.
// Then nashra's rebuilds are timed: nothing changed, and one post edited,
// with its build cache. It installs nothing: hugo is used only if found.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/nashra-press/nashra/internal/corpus"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "nashra-bench:", err)
		os.Exit(1)
	}
}

// benchBaseURL is the base URL of the benchmark site: the corpus has no
// config.yaml, and a build needs one (Hugo's site uses the same host).
const benchBaseURL = "https://embassy.example/"

// measure is one whole-process run.
type measure struct {
	wall, cpu time.Duration
	rssMiB    float64
}

func run(ctx context.Context, args []string, w io.Writer) error {
	fs := flag.NewFlagSet("nashra-bench", flag.ContinueOnError)
	sizes := fs.String("n", "1000,10000", "corpus sizes, comma-separated")
	runs := fs.Int("runs", 5, "runs of each command per size")
	outRoot := fs.String("out", defaultOut(), "where to build (tmpfs such as /dev/shm measures the generators, not the disk)")
	hugo := fs.String("hugo", "hugo", "the hugo binary; skipped when not found")
	if err := fs.Parse(args); err != nil {
		return err
	}
	root, err := repoRoot()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(*outRoot, "nashra-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	nashra := filepath.Join(tmp, "nashra")
	build := exec.CommandContext(ctx, "go", "build", "-o", nashra, "./cmd/nashra")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("building nashra: %v\n%s", err, out)
	}
	hugoPath, hugoErr := exec.LookPath(*hugo)
	hugoVersion := ""
	if hugoErr == nil {
		out, _ := exec.Command(hugoPath, "version").Output()
		hugoVersion = strings.Fields(string(out) + " ? ?")[1]
	}
	host, _ := os.Hostname()
	fmt.Fprintf(w, "machine: %s, %d CPUs; output under %s; %d runs each\n", host, numCPU(), *outRoot, *runs)
	if hugoErr != nil {
		fmt.Fprintf(w, "hugo: not found (%v); nashra only\n", hugoErr)
	} else {
		fmt.Fprintf(w, "hugo: %s %s\n", hugoPath, hugoVersion)
	}
	for _, field := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil {
			return fmt.Errorf("-n: %v", err)
		}
		dir, err := corpus.Ensure(root, n)
		if err != nil {
			return err
		}
		out := filepath.Join(tmp, "public")
		var ns, hs []measure
		for r := 0; r < *runs; r++ {
			m, err := timed(ctx, out, nashra, "build", "-src", dir, "-out", out, "-cache", "off", "-base-url", benchBaseURL)
			if err != nil {
				return err
			}
			ns = append(ns, m)
			if hugoErr == nil {
				m, err := timed(ctx, out, hugoPath, "--source", filepath.Join(root, "..", "shared", "bench", "hugo-site"),
					"--config", filepath.Join(root, "..", "shared", "bench", "hugo-site", "hugo.toml")+","+filepath.Join(dir, "hugo-mounts.toml"),
					"--destination", out, "--quiet")
				if err != nil {
					return err
				}
				hs = append(hs, m)
			}
		}
		report(w, fmt.Sprintf("N=%d cold, nashra", n), ns, n)
		if len(hs) > 0 {
			report(w, fmt.Sprintf("N=%d cold, hugo %s", n, hugoVersion), hs, n)
			var wall, rss []float64
			for i := range ns {
				wall = append(wall, hs[i].wall.Seconds()/ns[i].wall.Seconds())
				rss = append(rss, hs[i].rssMiB/ns[i].rssMiB)
			}
			fmt.Fprintf(w, "  N=%d hugo/nashra, pair by pair: wall %.2fx faster (median), peak RSS %.2fx smaller\n", n, median(wall), median(rss))
		}
		if err := rebuilds(ctx, w, nashra, dir, tmp, n, *runs); err != nil {
			return err
		}
	}
	return nil
}

// rebuilds times nashra's second build with nothing changed and with one
// post edited, on a copy of the corpus made of hard links.
func rebuilds(ctx context.Context, w io.Writer, nashra, dir, tmp string, n, runs int) error {
	// Beside the corpus (hard links do not cross file systems).
	siteParent, err := os.MkdirTemp("", "nashra-bench-site-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(siteParent)
	site := filepath.Join(siteParent, "site")
	if err := linkTree(dir, site); err != nil {
		return err
	}
	out := filepath.Join(tmp, "public-rebuild")
	cache := filepath.Join(tmp, "cache")
	if err := removeOutput(out); err != nil {
		return err
	}
	os.RemoveAll(cache)
	args := []string{"build", "-src", site, "-out", out, "-cache", cache, "-base-url", benchBaseURL}
	if _, err := timedKeep(ctx, nashra, args...); err != nil {
		return err
	}
	var same, edit []measure
	posts, _ := filepath.Glob(filepath.Join(site, "posts", "*.md"))
	slices.Sort(posts)
	for r := 0; r < runs; r++ {
		m, err := timedKeep(ctx, nashra, args...)
		if err != nil {
			return err
		}
		same = append(same, m)
		// Replace (not write through the hard link) one post with an
		// edited copy.
		p := posts[(r*7919)%len(posts)]
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		os.Remove(p)
		if err := os.WriteFile(p, append(data, []byte(fmt.Sprintf("\nسطر أضيف في الجولة %d.\n", r))...), 0o644); err != nil {
			return err
		}
		m, err = timedKeep(ctx, nashra, args...)
		if err != nil {
			return err
		}
		edit = append(edit, m)
	}
	report(w, fmt.Sprintf("N=%d rebuild, nothing changed", n), same, n)
	report(w, fmt.Sprintf("N=%d rebuild, one post edited", n), edit, n)
	return nil
}

// removeOutput removes the output folder out and the hidden folders
// nashra keeps beside it (the spare, the previous output that a next
// build starts from): a cold build has nothing from before.
func removeOutput(out string) error {
	beside, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".nashra-*"))
	for _, p := range append(beside, out) {
		if err := os.RemoveAll(p); err != nil {
			return err
		}
	}
	return nil
}

// timed runs a command into an empty output folder (removeOutput) and
// measures it.
func timed(ctx context.Context, out, name string, args ...string) (measure, error) {
	if err := removeOutput(out); err != nil {
		return measure{}, err
	}
	return timedKeep(ctx, name, args...)
}

// timedKeep runs a command and measures wall time, CPU time and peak RSS.
func timedKeep(ctx context.Context, name string, args ...string) (measure, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return measure{}, fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return measure{}, errors.New("no resource usage on this system")
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return measure{wall: wall, cpu: cpu, rssMiB: float64(ru.Maxrss) / 1024}, nil
}

func report(w io.Writer, label string, ms []measure, n int) {
	var wall, cpu, rss []float64
	for _, m := range ms {
		wall = append(wall, m.wall.Seconds())
		cpu = append(cpu, m.cpu.Seconds())
		rss = append(rss, m.rssMiB)
	}
	fmt.Fprintf(w, "%-38s wall %7.3f s (min %.3f, max %.3f)  cpu %7.3f s  cpu/wall %.2f  peak RSS %6.1f MiB  %.1f µs/post\n",
		label, median(wall), slices.Min(wall), slices.Max(wall), median(cpu), median(cpu)/median(wall), median(rss),
		median(wall)/float64(n)*1e6)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// linkTree makes dst a copy of src whose files are hard links.
func linkTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		return os.Link(p, target)
	})
}

func defaultOut() string {
	if info, err := os.Stat("/dev/shm"); err == nil && info.IsDir() {
		return "/dev/shm"
	}
	return os.TempDir()
}

func numCPU() int {
	out, err := exec.Command("nproc").Output()
	if err != nil {
		return 0
	}
	n, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return n
}

// repoRoot finds the folder holding go.mod, from the working directory up.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run nashra-bench inside the nashra repository")
		}
		dir = parent
	}
}
