package main

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
)

// version is set at release time with -ldflags "-X main.version=…";
// otherwise the module version or VCS revision is shown.
var version = ""

func versionString() string {
	if version != "" {
		return version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	if v == "" || v == "(devel)" {
		return "devel"
	}
	return v
}

func runVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("version", "version", stderr)
	if ok, err := parseFlags(fs, args, stdout); !ok {
		return err
	}
	fmt.Fprintf(stdout, "nashra %s\n", versionString())
	return nil
}
