package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"time"

	"github.com/nashra-press/nashra/layouts"
	"github.com/nashra-press/nashra/site"
	"github.com/nashra-press/nashra/site/diag"
	"github.com/nashra-press/nashra/site/output"
	"github.com/nashra-press/nashra/site/sourcefs"
	"github.com/nashra-press/nashra/site/watch"
)

// buildFlags are the flags shared by commands that build the site.
type buildFlags struct {
	src, out, baseURL      string
	drafts, future, force  bool
	verbose                bool
	cpuProfile, memProfile string
	cacheDir               string
	watch                  bool
	watchFlags
}

// cacheFile returns where the build cache of this site and output folder
// lives, or "" when caching is off or there is nowhere to put it.
func (b *buildFlags) cacheFile() string {
	if b.cacheDir == "off" {
		return ""
	}
	src, err1 := filepath.Abs(b.src)
	out, err2 := filepath.Abs(b.outDir())
	if err1 != nil || err2 != nil {
		return ""
	}
	dir := b.cacheDir
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		sum := sha256.Sum256([]byte(src + "\x00" + out))
		dir = filepath.Join(base, "nashra", hex.EncodeToString(sum[:8]))
	}
	return filepath.Join(dir, "build-cache.gob")
}

// binaryVersion identifies this build of nashra for the build cache: its
// version and the executable's size and modification time, so a cache
// written by any other build of nashra is never used. It is taken once,
// when build or watch goes to read the cache: a cache saved later, as when
// watch stops, is tagged as the build of nashra that wrote it even if the
// executable was replaced meanwhile, and the executable is looked up once.
var binaryVersion = sync.OnceValue(func() string {
	v := versionString()
	if exe, err := os.Executable(); err == nil {
		if info, err := os.Stat(exe); err == nil {
			v += fmt.Sprintf(" %d %d", info.Size(), info.ModTime().UnixNano())
		}
	}
	return v
})

// readCache loads the build cache. A missing one gives an empty cache; so
// does one that cannot be used (another version of nashra, damaged), with
// the reason, which -v prints.
func readCache(file string) (*site.Cache, error) {
	if file == "" {
		return site.NewCache(), nil
	}
	version := binaryVersion() // now, even if there is no cache to read yet
	f, err := os.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		return site.NewCache(), nil
	}
	if err != nil {
		return site.NewCache(), fmt.Errorf("build cache: %w", err)
	}
	defer f.Close()
	return site.ReadCache(f, version)
}

// logCacheRefused tells the -v log why the build cache was not used.
func logCacheRefused(log io.Writer, err error) {
	if log != nil && err != nil {
		fmt.Fprintf(log, "not using the build cache (%v): building everything\n", err)
	}
}

// saveCache writes the build cache atomically; failing to is not an
// error of the build.
func saveCache(file string, c *site.Cache) {
	if file == "" {
		return
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".build-cache-*")
	if err != nil {
		return
	}
	w := bufio.NewWriter(tmp)
	err = c.Save(w, binaryVersion())
	if err == nil {
		err = w.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
}

// checkSrc reports a site folder that is missing or not a folder.
func (b *buildFlags) checkSrc() error {
	if info, err := os.Stat(b.src); err != nil || !info.IsDir() {
		return fmt.Errorf("site folder %s not found", b.src)
	}
	return nil
}

func (b *buildFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&b.src, "src", ".", "the site `folder` (holding posts/, and optionally config.yaml, layouts/, static/)")
	fs.StringVar(&b.out, "out", "", "the output `folder` (default SRC/public); replaced as a whole by each build")
	fs.StringVar(&b.baseURL, "base-url", "", "the site's absolute `URL`, overriding base_url in config.yaml")
	fs.BoolVar(&b.drafts, "drafts", false, "publish posts marked draft: true")
	fs.BoolVar(&b.future, "future", false, "publish posts dated in the future")
	fs.BoolVar(&b.force, "force", false, "write to an output folder that holds files nashra did not write")
	fs.BoolVar(&b.verbose, "v", false, "print the time each step took")
	fs.StringVar(&b.cacheDir, "cache", "", "the build cache `folder` (default: one per site and output folder in the user's cache folder; \"off\" for none)")
	fs.StringVar(&b.cpuProfile, "cpuprofile", "", "write a CPU profile to `file`")
	fs.StringVar(&b.memProfile, "memprofile", "", "write a heap profile to `file` at the end")
}

func (b *buildFlags) outDir() string {
	if b.out != "" {
		return b.out
	}
	return filepath.Join(b.src, "public")
}

// newFlagSet returns a flag set whose usage parseFlags prints: on stdout
// for -h, on stderr after a flag error. Parse itself prints nothing.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: nashra %s\n", synopsis)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintf(fs.Output(), "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses args; -h prints the usage and yields (false, nil).
func parseFlags(fs *flag.FlagSet, args []string, stdout io.Writer) (bool, error) {
	stderr := fs.Output()
	usage := fs.Usage
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.Usage = usage
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		fs.Usage()
		return false, nil
	}
	fs.SetOutput(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "nashra %s: %v\n", fs.Name(), err)
		fs.Usage()
		return false, reportedError{msg: err.Error(), code: 2}
	}
	return true, nil
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var bf buildFlags
	fs := newFlagSet("build", "build [-src DIR] [-out DIR] [-drafts] [-future] [-base-url URL] [-watch [-poll DURATION]] [-v]", stderr)
	bf.register(fs)
	fs.BoolVar(&bf.watch, "watch", false, "after building, build again whenever a post, layout, static file or config.yaml changes, until Ctrl-C")
	bf.watchFlags.register(fs)
	if ok, err := parseFlags(fs, args, stdout); !ok {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "nashra build: unexpected argument %q\n", fs.Arg(0))
		return reportedError{msg: "usage", code: 2}
	}
	if bf.cpuProfile != "" {
		f, err := os.Create(bf.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var err error
	if bf.watch {
		err = watchBuild(ctx, &bf, stdout, stderr)
	} else {
		_, err = buildOnce(ctx, &bf, stdout, stderr)
	}
	if bf.memProfile != "" {
		if f, ferr := os.Create(bf.memProfile); ferr == nil {
			runtime.GC()
			_ = pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	return err
}

// buildOnce builds the site into the output folder and prints the
// warnings, the errors and a summary line.
func buildOnce(ctx context.Context, bf *buildFlags, stdout, stderr io.Writer) (*site.Result, error) {
	start := time.Now()
	if err := bf.checkSrc(); err != nil {
		return nil, err
	}
	var log io.Writer
	if bf.verbose {
		log = stderr
	}
	step := func(name string, since time.Time) {
		if log != nil {
			fmt.Fprintf(log, "%-24s %8.1f ms\n", name, float64(time.Since(since).Microseconds())/1000)
		}
	}
	// The output's manifest and the build cache are read at the same
	// time: both take tens of milliseconds on a large site.
	t0 := time.Now()
	cacheFile := bf.cacheFile()
	var cache *site.Cache
	var cacheErr error
	cacheRead := make(chan struct{})
	go func() {
		cache, cacheErr = readCache(cacheFile)
		close(cacheRead)
	}()
	out, err := openOutput(bf)
	<-cacheRead
	if err != nil {
		return nil, err
	}
	step("open output, read cache", t0)
	logCacheRefused(log, cacheErr)
	res, err := site.Generate(ctx, sourcefs.New(bf.src), out, site.Options{
		LoadOptions: site.LoadOptions{Drafts: bf.drafts, Future: bf.future},
		BaseURL:     bf.baseURL,
		Theme:       layouts.FS,
		Log:         log,
		Cache:       cache,
		Loaded:      limitMemory,
	})
	if res != nil {
		printDiagnostics(stderr, res.Warnings)
	}
	if err != nil {
		out.Abort()
		if errors.Is(err, context.Canceled) {
			fmt.Fprintf(stderr, "build interrupted; %s was left as it was\n", bf.outDir())
			return res, reportedError{msg: "interrupted", code: 130}
		}
		errs := diag.AsList(err)
		printDiagnostics(stderr, errs)
		fmt.Fprintf(stderr, "build failed: %s; %s was left as it was\n", plural(len(errs), "error"), bf.outDir())
		return res, reportedError{msg: "build failed"}
	}
	// The cache is saved while the output is swapped. A cache saved for
	// a build whose swap then fails is still right: every output file it
	// would have the next build reuse is checked against the output's
	// manifest and stamps first.
	t0 = time.Now()
	saved := make(chan time.Duration, 1)
	dirty := cache.Dirty()
	go func() {
		if dirty {
			saveCache(cacheFile, cache)
		}
		saved <- time.Since(t0)
	}()
	stats, err := out.CommitBackground()
	took := <-saved
	if err != nil {
		return res, err
	}
	step("swap output", t0)
	if dirty && log != nil {
		fmt.Fprintf(log, "%-24s %8.1f ms (meanwhile)\n", "save cache", float64(took.Microseconds())/1000)
	}
	// The previous output was being removed while the cache was saved.
	t0 = time.Now()
	out.Wait()
	step("remove old output", t0)
	fmt.Fprintf(stdout, "built %s (%s, %s) in %s: %d rendered; files: %s -> %s\n",
		plural(res.Pages, "page"), plural(res.Posts, "post"), plural(res.Tags, "tag"),
		time.Since(start).Round(time.Millisecond), res.Rendered, filesSummary(stats), bf.outDir())
	return res, nil
}

// openOutput prepares a build of the output folder, refusing places that
// would overwrite the site's sources.
func openOutput(bf *buildFlags) (*output.Dir, error) {
	return output.Open(bf.outDir(), output.Options{
		Force:      bf.force,
		SourceRoot: bf.src,
		Protected: []string{
			filepath.Join(bf.src, site.PostsDir), filepath.Join(bf.src, site.StaticDir),
			filepath.Join(bf.src, "layouts"),
		},
	})
}

// watchBuild builds the site into the output folder, then again for every
// change until ctx is done. Each build is swapped in whole, as by build:
// the output folder is never half written, and a failed build leaves it
// as it was.
func watchBuild(ctx context.Context, bf *buildFlags, stdout, stderr io.Writer) error {
	if err := bf.checkSrc(); err != nil {
		return err
	}
	w, err := watch.New(bf.src, watch.Options{Poll: bf.poll, Ignore: []string{bf.outDir()}})
	if err != nil {
		return err
	}
	defer w.Close()
	fmt.Fprintf(stdout, "watching %s, building into %s (press Ctrl-C to stop)\n", bf.src, bf.outDir())
	// The build cache on disk, as build uses it: a first build with
	// nothing changed since the last build renders nothing.
	cacheFile := bf.cacheFile()
	cache, cacheErr := readCache(cacheFile)
	if bf.verbose {
		logCacheRefused(stderr, cacheErr)
	}
	b := &rebuilder{flags: bf, stdout: stdout, stderr: stderr, failNote: bf.outDir() + " was left as it was",
		cache: cache,
		build: func(ctx context.Context, opts site.Options) (*site.Result, string, error) {
			out, err := openOutput(bf)
			if err != nil {
				return nil, "", err
			}
			res, err := site.Generate(ctx, sourcefs.New(bf.src), out, opts)
			if err != nil {
				out.Abort()
				return res, "", err
			}
			stats, err := out.Commit()
			return res, filesSummary(stats) + " -> " + bf.outDir(), err
		}}
	watch.Run(ctx, w.Batches(), b.run, b.report)
	if b.cache.Dirty() && b.carry == nil && !b.carryFull {
		saveCache(cacheFile, b.cache) // after a successful last build only
	}
	fmt.Fprintln(stdout, "stopped")
	return nil
}

// filesSummary says what a build did to the files of its output folder.
func filesSummary(s output.Stats) string {
	return fmt.Sprintf("%d written, %d unchanged, %d removed", s.Written, s.Unchanged, s.Removed)
}

// printDiagnostics prints each problem as "file:line:col: message; hint",
// followed by the offending line of the file when known.
func printDiagnostics(w io.Writer, list diag.List) {
	list.Sort()
	for _, d := range list {
		fmt.Fprintln(w, d.Error())
		if d.Source != "" && d.Line > 0 {
			fmt.Fprintf(w, "%6d | %s\n", d.Line, d.Source)
		}
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "s") {
		return fmt.Sprintf("%d %ses", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
