package testtools

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// recorder is a testing.TB that records Skipf, Fatalf and Errorf instead of
// acting on them, so that the tests can check the skip-or-fail rule. Skip
// and Fatal end the goroutine like the real ones; run calls f in a goroutine
// of its own for that reason.
type recorder struct {
	testing.TB // the real test, for TempDir, Context, Cleanup, Logf...

	mu      sync.Mutex
	skipped bool
	fatal   bool
	errored bool
	msgs    []string
}

func (r *recorder) Helper() {}

func (r *recorder) note(set *bool, msg string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	*set = true
	r.msgs = append(r.msgs, msg)
}

func (r *recorder) Skipf(format string, args ...any) {
	r.note(&r.skipped, fmt.Sprintf(format, args...))
	runtime.Goexit()
}

func (r *recorder) Skip(args ...any) {
	r.note(&r.skipped, fmt.Sprint(args...))
	runtime.Goexit()
}

func (r *recorder) SkipNow() { r.Skip("SkipNow") }

func (r *recorder) Fatalf(format string, args ...any) {
	r.note(&r.fatal, fmt.Sprintf(format, args...))
	runtime.Goexit()
}

func (r *recorder) Fatal(args ...any) {
	r.note(&r.fatal, fmt.Sprint(args...))
	runtime.Goexit()
}

func (r *recorder) FailNow() { r.Fatal("FailNow") }

func (r *recorder) Errorf(format string, args ...any) {
	r.note(&r.errored, fmt.Sprintf(format, args...))
}

func (r *recorder) Error(args ...any) { r.note(&r.errored, fmt.Sprint(args...)) }

func (r *recorder) Fail() { r.note(&r.errored, "Fail") }

func (r *recorder) Failed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.fatal || r.errored
}

func (r *recorder) text() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.msgs, "\n")
}

// record runs f with a recorder around t, in a goroutine of its own so that
// Skipf and Fatalf can end it, and returns the recorder.
func record(t *testing.T, f func(tb testing.TB)) *recorder {
	t.Helper()
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r
}

func TestToolEnvVar(t *testing.T) {
	for name, want := range map[string]string{
		"chromium":  "NASHRA_CHROMIUM",
		"xmllint":   "NASHRA_XMLLINT",
		"foo-bar.x": "NASHRA_FOO_BAR_X",
	} {
		if got := ToolEnvVar(name); got != want {
			t.Errorf("ToolEnvVar(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestRequireToolFinds(t *testing.T) {
	// A fake tool, found once through PATH and once through its variable.
	dir := t.TempDir()
	tool := filepath.Join(dir, "nashra-fake-tool")
	if err := os.WriteFile(tool, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	if got := RequireTool(t, "nashra-fake-tool"); got != tool {
		t.Errorf("RequireTool via PATH = %q, want %q", got, tool)
	}

	other := filepath.Join(t.TempDir(), "elsewhere")
	if err := os.WriteFile(other, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("NASHRA_NASHRA_FAKE_TOOL", other)
	if got := RequireTool(t, "nashra-fake-tool"); got != other {
		t.Errorf("RequireTool via NASHRA_NASHRA_FAKE_TOOL = %q, want %q", got, other)
	}
}

// TestMissingToolSkipsOrFails checks the rule of the package: a missing tool
// skips the test, and fails it when CI=true.
func TestMissingToolSkipsOrFails(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "does-not-exist")
	cases := []struct {
		name string
		env  map[string]string
		call func(tb testing.TB)
		hint string
	}{
		{"RequireTool", nil, func(tb testing.TB) { RequireTool(tb, "nashra-no-such-tool") }, "nashra-no-such-tool not found on PATH"},
		{"RequireToolOverride", map[string]string{"NASHRA_XMLLINT": missing}, func(tb testing.TB) { RequireTool(tb, "xmllint") }, "libxml2-utils"},
		{"Chromium", map[string]string{"NASHRA_CHROMIUM": missing}, func(tb testing.TB) { Chromium(tb) }, "apt-get install -y --no-install-recommends chromium"},
		{"XMLLint", map[string]string{"NASHRA_XMLLINT": missing}, func(tb testing.TB) { _, _ = XMLLint(tb, "--version") }, "libxml2-utils"},
		{"VNUJar", map[string]string{EnvVNUJar: missing}, func(tb testing.TB) { VNU(tb, missing) }, "vnu-jar@latest"},
		{"VNUJava", map[string]string{EnvVNUJar: "/dev/null", "NASHRA_JAVA": missing}, func(tb testing.TB) { VNU(tb, missing) }, "default-jre-headless"},
		{"AxeJS", map[string]string{EnvAxeJS: missing}, func(tb testing.TB) { AxeJS(tb) }, "axe-core@4"},
	}
	for _, c := range cases {
		for _, ci := range []string{"", "false", "true"} {
			t.Run(c.name+"/CI="+ci, func(t *testing.T) {
				t.Setenv(EnvCI, ci)
				for k, v := range c.env {
					t.Setenv(k, v)
				}
				r := record(t, c.call)
				wantFatal := ci == "true"
				if r.fatal != wantFatal || r.skipped == wantFatal {
					t.Fatalf("skipped=%v fatal=%v, want fatal=%v; messages:\n%s", r.skipped, r.fatal, wantFatal, r.text())
				}
				if !strings.Contains(r.text(), c.hint) {
					t.Errorf("message does not say %q:\n%s", c.hint, r.text())
				}
				t.Logf("message: %s", r.text())
			})
		}
	}
}
