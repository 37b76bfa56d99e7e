package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/nashra-press/nashra/layouts"
	"github.com/nashra-press/nashra/site"
	"github.com/nashra-press/nashra/site/devserver"
	"github.com/nashra-press/nashra/site/diag"
	"github.com/nashra-press/nashra/site/output"
	"github.com/nashra-press/nashra/site/sourcefs"
	"github.com/nashra-press/nashra/site/watch"
)

// defaultAddr is where serve listens unless -addr says otherwise: this
// machine only.
const defaultAddr = "127.0.0.1:1414"

// watchFlags are the flags of the commands that rebuild on every change.
type watchFlags struct {
	poll time.Duration
}

func (w *watchFlags) register(fs *flag.FlagSet) {
	fs.DurationVar(&w.poll, "poll", 0, "notice changes by scanning the folders every `DURATION` (e.g. 1s) instead of system events, where those run out or do not work")
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve [-src DIR] [-addr 127.0.0.1:1414] [-drafts] [-future] [-open] [-poll DURATION] [-v]", stderr)
	var bf buildFlags
	var wf watchFlags
	fs.StringVar(&bf.src, "src", ".", "the site `folder` (holding posts/, and optionally config.yaml, layouts/, static/)")
	fs.BoolVar(&bf.drafts, "drafts", false, "show posts marked draft: true")
	fs.BoolVar(&bf.future, "future", false, "show posts dated in the future")
	fs.BoolVar(&bf.verbose, "v", false, "print the time each step of each build took")
	addr := fs.String("addr", defaultAddr, "the `address` to listen on; other machines can connect only if it says so (0.0.0.0:1414)")
	open := fs.Bool("open", false, "open the site in the web browser ($BROWSER, or the system's default)")
	wf.register(fs)
	if ok, err := parseFlags(fs, args, stdout); !ok {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "nashra serve: unexpected argument %q\n", fs.Arg(0))
		return reportedError{msg: "usage", code: 2}
	}
	if err := bf.checkSrc(); err != nil {
		return err
	}
	addrGiven := false
	fs.Visit(func(f *flag.Flag) { addrGiven = addrGiven || f.Name == "addr" })

	// Listen first: the address is part of the pages (absolute URLs).
	ln, err := listen(*addr, addrGiven)
	if err != nil {
		return err
	}
	origin := originOf(ln.Addr())

	// The server's own folder, rewritten in place; never public/.
	dir, err := os.MkdirTemp(previewParent(), fmt.Sprintf("nashra-serve-%d-", os.Getpid()))
	if err != nil {
		ln.Close()
		return fmt.Errorf("preview folder: %w", err)
	}
	defer os.RemoveAll(dir)
	live, err := output.OpenLive(dir)
	if err != nil {
		ln.Close()
		return err
	}
	srv, err := devserver.New(dir)
	if err != nil {
		ln.Close()
		return err
	}
	live.Notify = srv.FileChanged

	w, err := watch.New(bf.src, watch.Options{Poll: wf.poll})
	if err != nil {
		ln.Close()
		srv.Close()
		return err
	}
	defer w.Close()

	httpServer := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	httpServer.RegisterOnShutdown(func() { srv.Close() })
	served := make(chan error, 1)
	go func() { served <- httpServer.Serve(ln) }()
	fmt.Fprintf(stdout, "serving %s/ from %s (press Ctrl-C to stop)\n", origin, bf.src)
	if *open {
		if err := openBrowser(origin + "/"); err != nil {
			fmt.Fprintf(stderr, "cannot open a browser: %v\n", err)
		}
	}

	b := &rebuilder{flags: &bf, stdout: stdout, stderr: stderr, failNote: "the preview keeps the last good site and shows the errors",
		build: func(ctx context.Context, opts site.Options) (*site.Result, string, error) {
			srv.BuildStarted()
			live.Begin()
			defer finishOnPanic(srv)
			opts.Origin = origin
			opts.First = srv.OpenPages()
			res, err := site.Generate(ctx, sourcefs.New(bf.src), live, opts)
			var summary string
			if err != nil {
				live.Abort()
			} else {
				stats, ferr := live.Finish()
				err = ferr
				summary = filesSummary(stats)
			}
			if errors.Is(err, context.Canceled) {
				srv.BuildCancelled()
				return res, summary, err
			}
			srv.BuildFinished(outcome(res, err))
			return res, summary, err
		}}
	watch.Run(ctx, w.Batches(), b.run, b.report)

	// Stop: no new build runs; end the streams, then the server.
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = httpServer.Shutdown(shutdown)
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stdout, "stopped")
	return nil
}

// finishOnPanic, deferred in a preview build, ends the build for the
// server when it panics (the browsers show an internal error, and the
// server does not wait for the build forever), then lets the panic go on
// to the watch loop, which reports it and makes the next build full.
func finishOnPanic(srv *devserver.Server) {
	if v := recover(); v != nil {
		if wp, ok := v.(*site.WorkerPanic); ok {
			v = wp.Value
		}
		srv.BuildFinished(devserver.Outcome{Err: fmt.Errorf("internal error (a bug in nashra, please report it): %v", v)})
		panic(v)
	}
}

// outcome is what the preview server needs to know of a build.
func outcome(res *site.Result, err error) devserver.Outcome {
	o := devserver.Outcome{Err: err}
	if res == nil || res.Content == nil {
		return o
	}
	o.BasePath = res.Content.Config.BasePath()
	if err == nil {
		o.Pages = map[string]string{}
		for _, p := range res.Content.Posts {
			o.Pages[p.File] = "posts/" + p.Slug + "/index.html"
		}
	}
	return o
}

// listen listens on addr; when the address was not chosen and the
// default port is taken (another preview runs), the next free one.
func listen(addr string, given bool) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil || given || !errors.Is(err, syscall.EADDRINUSE) {
		if err != nil {
			return nil, fmt.Errorf("cannot listen on %s: %w; choose another address with -addr", addr, err)
		}
		return ln, nil
	}
	host, port, _ := net.SplitHostPort(addr)
	first, _ := strconv.Atoi(port)
	for p := first + 1; p <= first+20; p++ {
		if ln, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(p))); err == nil {
			return ln, nil
		}
	}
	return net.Listen("tcp", net.JoinHostPort(host, "0"))
}

// originOf is the URL of the server at a listening address; an address
// on every interface is named by localhost.
func originOf(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// previewParent is where serve makes its folder: the user's runtime
// folder (memory on most Linux systems) when there is one, else the
// temporary folder.
func previewParent() string {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		if info, err := os.Stat(d); err == nil && info.IsDir() {
			return d
		}
	}
	return os.TempDir()
}

// openBrowser opens url with $BROWSER, or the system's way of opening a
// link.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch b := os.Getenv("BROWSER"); {
	case b != "":
		cmd = exec.Command(b, url)
	case runtime.GOOS == "darwin":
		cmd = exec.Command("open", url)
	case runtime.GOOS == "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // reap it whenever it ends
	return nil
}

// rebuilder runs the builds of a watch loop (serve, build -watch) and
// prints them.
type rebuilder struct {
	flags          *buildFlags
	stdout, stderr io.Writer
	// failNote ends the line of a failed build: what became of the site.
	failNote string
	// build writes the site with opts (to the preview folder, or to the
	// output folder) and returns a summary of what it wrote.
	build func(ctx context.Context, opts site.Options) (*site.Result, string, error)

	cache *site.Cache
	// Changes of builds that failed, carried to the next: a failed build
	// may have stopped before reading them.
	carry     []string
	carryFull bool
	// last describes the last build for its report; warnings are the
	// warnings printed last, printed again only when they change.
	last     string
	warnings string
}

// run is the watch.BuildFunc.
func (b *rebuilder) run(ctx context.Context, batch watch.Batch) error {
	if b.cache == nil || batch.Reset {
		b.cache = site.NewCache()
	}
	full := batch.Full || b.carryFull
	changed := append(b.carry, batch.Paths...)
	var log io.Writer
	if b.flags.verbose {
		log = b.stderr
		fmt.Fprintf(b.stderr, "building (%s)…\n", batch)
	}
	opts := site.Options{
		LoadOptions: site.LoadOptions{Drafts: b.flags.drafts, Future: b.flags.future, Incremental: !full, Changed: changed},
		BaseURL:     b.flags.baseURL,
		Theme:       layouts.FS,
		Log:         log,
		Cache:       b.cache,
		Loaded:      limitMemory,
	}
	res, summary, err := b.build(ctx, opts)
	if err != nil {
		b.carry, b.carryFull = changed, full
	} else {
		b.carry, b.carryFull = nil, false
	}
	if res != nil {
		var w strings.Builder
		printDiagnostics(&w, res.Warnings)
		if w.String() != b.warnings {
			fmt.Fprint(b.stderr, w.String())
			b.warnings = w.String()
		}
		if err == nil {
			b.last = fmt.Sprintf("%s (%s, %s), %d rendered; %s", plural(res.Pages, "page"), plural(res.Posts, "post"),
				plural(res.Tags, "tag"), res.Rendered, summary)
		}
	}
	return err
}

// report prints a finished build.
func (b *rebuilder) report(r watch.Report) {
	done, failed := "built", "build failed"
	if r.N > 1 {
		done, failed = "rebuilt "+r.Batch.String(), "rebuild failed ("+r.Batch.String()+")"
	}
	took := r.Took.Round(time.Millisecond)
	if r.Took < 10*time.Millisecond {
		took = r.Took.Round(100 * time.Microsecond)
	}
	switch err := r.Err; {
	case err == nil:
		fmt.Fprintf(b.stdout, "%s in %s: %s\n", done, took, b.last)
	case r.Superseded:
		if b.flags.verbose {
			fmt.Fprintf(b.stderr, "rebuild (%s) stopped after %s: newer changes came\n", r.Batch, took)
		}
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(b.stderr, "%s: interrupted; %s\n", failed, b.failNote)
	default:
		var pe *watch.PanicError
		if errors.As(err, &pe) {
			fmt.Fprintf(b.stderr, "%s: %v\n", failed, err)
			return
		}
		errs := diag.AsList(err)
		printDiagnostics(b.stderr, errs)
		fmt.Fprintf(b.stderr, "%s: %s; %s\n", failed, plural(len(errs), "error"), b.failNote)
	}
}
