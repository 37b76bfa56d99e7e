// Command nashra builds the embassy's Arabic news section: markdown posts
// in posts/ become a right-to-left static site in public/.
//
//	nashra serve [-src DIR] [-addr 127.0.0.1:1414] [-drafts] [-future] [-open] [-poll DURATION] [-v]
//	nashra build [-src DIR] [-out DIR] [-drafts] [-future] [-base-url URL] [-watch] [-v]
//	nashra check [-strict] [-format text|json] [-src DIR] [-drafts] [-future]
//	nashra new [-slug S] [-tags a,b] "العنوان"
//	nashra version
//
// Run "nashra help" or "nashra COMMAND -h" for details.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // time zones work on machines without a zoneinfo database
)

func main() {
	growHeapAtStart(nil)
	os.Exit(realMain())
}

// realMain runs the command line and returns the exit code; tests run it
// as the "nashra" command of their scripts.
func realMain() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first Ctrl-C, the next one stops the program at once.
		<-ctx.Done()
		stop()
	}()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		var reported reportedError
		if !errors.As(err, &reported) {
			fmt.Fprintln(os.Stderr, "nashra:", err)
		}
		return exitCode(err)
	}
	return 0
}

// reportedError is an error whose details were already printed.
type reportedError struct {
	msg  string
	code int
}

func (e reportedError) Error() string { return e.msg }

func exitCode(err error) int {
	var r reportedError
	if errors.As(err, &r) && r.code != 0 {
		return r.code
	}
	return 1
}

// command is one subcommand of the CLI.
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"serve", "preview the site: build, serve on 127.0.0.1:1414, rebuild and reload on every change", runServe},
		{"build", "build the site into public/ (-watch: again on every change)", runBuild},
		{"check", "check the posts for errors and writing mistakes, writing nothing", runCheck},
		{"new", "write a new post with today's date", runNew},
		{"version", "print the version", runVersion},
	}
}

// run is the whole CLI, callable from tests.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
		usage(stdout)
		if len(args) == 0 {
			return reportedError{msg: "usage", code: 2}
		}
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "nashra: unknown command %q\n\n", args[0])
	usage(stderr)
	return reportedError{msg: "unknown command", code: 2}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "nashra builds an Arabic, right-to-left news site from markdown posts.")
	fmt.Fprintln(w, "\nUsage: nashra COMMAND [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun \"nashra COMMAND -h\" for a command's flags.")
}
