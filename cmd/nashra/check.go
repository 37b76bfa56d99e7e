package main

import (
	"context"
	"io"

	"github.com/nashra-press/nashra/layouts"
	"github.com/nashra-press/nashra/site"
	"github.com/nashra-press/nashra/site/check"
	"github.com/nashra-press/nashra/site/sourcefs"
)

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var bf buildFlags
	var strict bool
	var format string
	fs := newFlagSet("check", "check [-strict] [-format text|json] [-src DIR] [-drafts] [-future]", stderr)
	fs.StringVar(&bf.src, "src", ".", "the site `folder`")
	fs.BoolVar(&bf.drafts, "drafts", false, "check posts marked draft: true as published posts")
	fs.BoolVar(&bf.future, "future", false, "check posts dated in the future as published posts")
	fs.StringVar(&bf.baseURL, "base-url", "", "the site's absolute `URL`, overriding base_url in config.yaml")
	fs.BoolVar(&strict, "strict", false, "fail (exit status 1) on warnings too")
	fs.StringVar(&format, "format", "text", "output `format`: text (file:line:col: level: message) or json")
	if ok, err := parseFlags(fs, args, stdout); !ok {
		return err
	}
	if fs.NArg() > 0 || format != "text" && format != "json" {
		fs.Usage()
		return reportedError{msg: "usage", code: 2}
	}
	if err := bf.checkSrc(); err != nil {
		return err
	}
	rep := check.Run(ctx, sourcefs.New(bf.src), site.Options{
		LoadOptions: site.LoadOptions{Drafts: bf.drafts, Future: bf.future},
		BaseURL:     bf.baseURL,
		Theme:       layouts.FS,
	})
	errs, warns := len(rep.Diagnostics.Errors()), len(rep.Diagnostics.Warnings())
	write := check.WriteText
	if format == "json" {
		write = check.WriteJSON
	}
	if err := write(stdout, rep); err != nil {
		return err
	}
	if errs > 0 || strict && warns > 0 {
		return reportedError{msg: "check failed", code: 1}
	}
	return nil
}
