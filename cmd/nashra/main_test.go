package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	// Tests that call run directly keep their build caches out of the
	// user's cache folder (in the system's temporary folder, which
	// testscript.Main's os.Exit leaves for the system to clean).
	if dir, err := os.MkdirTemp("", "nashra-test-cache-"); err == nil {
		os.Setenv("XDG_CACHE_HOME", dir)
	}
	testscript.Main(m, map[string]func(){
		"nashra": func() { os.Exit(realMain()) },
	})
}

// TestScripts runs testdata/script/*.txtar. Besides the standard
// commands, scripts have:
//
//	status CODE PROG ARGS...  run PROG and expect exit code CODE
//	age DIR                   set the mtime of every file in DIR a year back
//	snapshot NAME DIR         remember bytes, inode and mtime of every file
//	sametree NAME DIR         DIR is exactly as snapshot NAME: same paths,
//	                          bytes, inodes and mtimes (nothing was touched)
//	samebytes NAME DIR        same paths and bytes as snapshot NAME
//	relinked NAME DIR [P...]  DIR was rebuilt from snapshot NAME: every file
//	                          with the same bytes kept its inode and mtime,
//	                          every new or changed file (and the manifest)
//	                          is a new inode; the paths P are among the
//	                          changed ones
//	nostaging DIR             no staging folder is left beside DIR
//
// $TODAY is today's date in Asia/Amman, the time zone of the scripts'
// config.yaml.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(env *testscript.Env) error {
			loc, err := time.LoadLocation("Asia/Amman")
			if err != nil {
				return err
			}
			env.Setenv("TODAY", time.Now().In(loc).Format("2006-01-02"))
			// The build cache goes to the user's cache folder: keep it in
			// the script's own folder.
			env.Setenv("XDG_CACHE_HOME", filepath.Join(env.WorkDir, ".cache"))
			env.Values[snapshotsKey{}] = map[string]snapshot{}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"status":    cmdStatus,
			"age":       cmdAge,
			"snapshot":  cmdSnapshot,
			"sametree":  cmdSameTree,
			"samebytes": cmdSameBytes,
			"relinked":  cmdRelinked,
			"nostaging": cmdNoStaging,
		},
	})
}

type snapshotsKey struct{}

// fileState is what a snapshot records of one file.
type fileState struct {
	hash  string
	ino   uint64
	mtime time.Time
}

// snapshot maps slash-separated paths to files; folders are recorded
// with a trailing slash and an empty state.
type snapshot map[string]fileState

// takeSnapshot records every file and folder under dir.
func takeSnapshot(dir string) (snapshot, error) {
	snap := snapshot{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		if e.IsDir() {
			snap[rel+"/"] = fileState{}
			return nil
		}
		if !e.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file", p)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := os.Stat(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		st := fileState{hash: hex.EncodeToString(sum[:]), mtime: info.ModTime()}
		if sys, ok := info.Sys().(*syscall.Stat_t); ok {
			st.ino = uint64(sys.Ino)
		}
		snap[rel] = st
		return nil
	})
	return snap, err
}

func (s snapshot) paths() []string {
	ps := make([]string, 0, len(s))
	for p := range s {
		ps = append(ps, p)
	}
	sort.Strings(ps)
	return ps
}

// byteDiff lists the paths that are missing, extra or with other bytes.
func byteDiff(got, want snapshot) []string {
	var diffs []string
	for _, p := range want.paths() {
		g, ok := got[p]
		switch {
		case !ok:
			diffs = append(diffs, "missing: "+p)
		case g.hash != want[p].hash:
			diffs = append(diffs, "changed: "+p)
		}
	}
	for _, p := range got.paths() {
		if _, ok := want[p]; !ok {
			diffs = append(diffs, "extra:   "+p)
		}
	}
	return diffs
}

func (s snapshot) files() int {
	n := 0
	for p := range s {
		if !strings.HasSuffix(p, "/") {
			n++
		}
	}
	return n
}

func scriptSnapshot(ts *testscript.TestScript, name string) snapshot {
	snap, ok := ts.Value(snapshotsKey{}).(map[string]snapshot)[name]
	if !ok {
		ts.Fatalf("no snapshot %q", name)
	}
	return snap
}

func scriptTree(ts *testscript.TestScript, dir string) snapshot {
	snap, err := takeSnapshot(ts.MkAbs(dir))
	ts.Check(err)
	return snap
}

func noNeg(ts *testscript.TestScript, neg bool, usage string, args []string, n int) {
	if neg {
		ts.Fatalf("unsupported: ! %s", usage)
	}
	if len(args) < n {
		ts.Fatalf("usage: %s", usage)
	}
}

func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "status CODE PROG ARGS...", args, 2)
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	err = ts.Exec(args[1], args[2:]...)
	got := 0
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		got = exit.ExitCode()
	case err != nil:
		ts.Fatalf("%s: %v", args[1], err)
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

func cmdAge(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "age DIR", args, 1)
	old := time.Now().Add(-365 * 24 * time.Hour).Truncate(time.Second)
	dir := ts.MkAbs(args[0])
	for _, p := range scriptTree(ts, args[0]).paths() {
		if !strings.HasSuffix(p, "/") {
			ts.Check(os.Chtimes(filepath.Join(dir, filepath.FromSlash(p)), old, old))
		}
	}
}

func cmdSnapshot(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "snapshot NAME DIR", args, 2)
	snap := scriptTree(ts, args[1])
	if snap.files() == 0 {
		ts.Fatalf("%s holds no files", args[1])
	}
	ts.Value(snapshotsKey{}).(map[string]snapshot)[args[0]] = snap
}

func cmdSameBytes(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "samebytes NAME DIR", args, 2)
	if d := byteDiff(scriptTree(ts, args[1]), scriptSnapshot(ts, args[0])); len(d) > 0 {
		ts.Fatalf("%s is not byte-identical to snapshot %s:\n\t%s", args[1], args[0], strings.Join(d, "\n\t"))
	}
}

func cmdSameTree(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "sametree NAME DIR", args, 2)
	got, want := scriptTree(ts, args[1]), scriptSnapshot(ts, args[0])
	diffs := byteDiff(got, want)
	for _, p := range want.paths() {
		if g, ok := got[p]; ok && g.hash == want[p].hash && (g.ino != want[p].ino || !g.mtime.Equal(want[p].mtime)) {
			diffs = append(diffs, "touched: "+p)
		}
	}
	if len(diffs) > 0 {
		ts.Fatalf("%s is not as snapshot %s left it:\n\t%s", args[1], args[0], strings.Join(diffs, "\n\t"))
	}
}

func cmdRelinked(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "relinked NAME DIR [PATH...]", args, 2)
	got, old := scriptTree(ts, args[1]), scriptSnapshot(ts, args[0])
	var problems, changed []string
	for _, p := range got.paths() {
		if strings.HasSuffix(p, "/") {
			continue
		}
		g, o := got[p], old[p]
		switch {
		case p == ".nashra-manifest.json":
			// Checked below, once it is known whether anything changed.
		case g.hash == o.hash:
			if g.ino != o.ino || !g.mtime.Equal(o.mtime) {
				problems = append(problems, "rewritten though its bytes did not change: "+p)
			}
		default:
			changed = append(changed, p)
			if o.ino != 0 && g.ino == o.ino {
				problems = append(problems, "changed bytes but kept its inode (written through a hard link?): "+p)
			}
		}
	}
	removed := 0
	for _, p := range old.paths() {
		if _, ok := got[p]; !ok && !strings.HasSuffix(p, "/") {
			removed++
		}
	}
	// The manifest is written anew when anything changed; a build that
	// changed nothing touches nothing at all.
	manifestRewritten := got[".nashra-manifest.json"].ino != old[".nashra-manifest.json"].ino
	switch {
	case (len(changed) > 0 || removed > 0) && !manifestRewritten:
		problems = append(problems, "the manifest was not rewritten")
	case len(changed) == 0 && removed == 0 && manifestRewritten:
		problems = append(problems, "a build that changed nothing rewrote the manifest")
	}
	ts.Logf("%d files, %d new or changed, %d removed: %s", got.files(), len(changed), removed, strings.Join(changed, " "))
	for _, p := range args[2:] {
		if _, ok := got[p]; !ok {
			problems = append(problems, "missing: "+p)
		} else if got[p].hash == old[p].hash {
			problems = append(problems, "expected to change but did not: "+p)
		}
	}
	if len(problems) > 0 {
		ts.Fatalf("%s after a rebuild from snapshot %s:\n\t%s", args[1], args[0], strings.Join(problems, "\n\t"))
	}
}

// stagingFolders lists the staging folders beside the output folder out.
func stagingFolders(out string) ([]string, error) {
	return filepath.Glob(filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".nashra-staging-*"))
}

func cmdNoStaging(ts *testscript.TestScript, neg bool, args []string) {
	noNeg(ts, neg, "nostaging DIR", args, 1)
	left, err := stagingFolders(ts.MkAbs(args[0]))
	ts.Check(err)
	if len(left) > 0 {
		ts.Fatalf("staging folders left behind: %q", left)
	}
}

// ---------------------------------------------------------------------
// Interrupted and failing builds of a real binary on a big site.

// buildBinary builds cmd/nashra with the go command.
func buildBinary(t testing.TB) string {
	t.Helper()
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build nashra with")
	}
	bin := filepath.Join(t.TempDir(), "nashra")
	cmd := exec.Command(goCmd, "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

const bigSiteConfig = `title: "أخبار السفارة"
base_url: "https://example.gov.kz/amman/news/"
language: ar
timezone: Asia/Amman
per_page: 10
tags:
  CICA:
    slug: cica
    label: "سيكا"
  Jordan:
    slug: jordan
    label: "الأردن"
`

// writePosts writes n small posts; version changes every post's body.
func writePosts(t *testing.T, site string, n, version int) {
	t.Helper()
	dir := filepath.Join(site, "posts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for i := range n {
		tag := "CICA"
		if i%2 == 1 {
			tag = "Jordan"
		}
		post := fmt.Sprintf("---\ntitle: \"خبر رقم %d من عمّان\"\ndate: 2024-%02d-%02d 10:%02d\ntags: [%s]\n---\n\n"+
			"زار وفد كازاخستاني عمّان في الزيارة رقم %d. النسخة %d من هذا الخبر.\n\n## التفاصيل\n\nنص **الخبر** الكامل.\n",
			i, i%12+1, i%28+1, i%60, tag, i, version)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("post-%04d.md", i)), []byte(post), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// nashraBuild runs "nashra build" in site and returns its output.
func nashraBuild(t *testing.T, bin, site string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(bin, "build")
	cmd.Dir = site
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

func mustSnapshot(t *testing.T, dir string) snapshot {
	t.Helper()
	snap, err := takeSnapshot(dir)
	if err != nil {
		t.Fatal(err)
	}
	return snap
}

// sameTree fails the test unless got has exactly the paths and bytes of
// want and, when touched is false, the same inodes and mtimes.
func sameTree(t *testing.T, what string, got, want snapshot, untouched bool) {
	t.Helper()
	diffs := byteDiff(got, want)
	if untouched {
		for _, p := range want.paths() {
			if g, ok := got[p]; ok && g.hash == want[p].hash && (g.ino != want[p].ino || !g.mtime.Equal(want[p].mtime)) {
				diffs = append(diffs, "touched: "+p)
			}
		}
	}
	if len(diffs) > 10 {
		diffs = append(diffs[:10], fmt.Sprintf("… and %d more", len(diffs)-10))
	}
	if len(diffs) > 0 {
		t.Errorf("%s:\n\t%s", what, strings.Join(diffs, "\n\t"))
	}
}

// countFiles counts the regular files under dir, ignoring errors from a
// folder that changes while it is read.
func countFiles(dir string) int {
	n := 0
	_ = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err == nil && e.Type().IsRegular() {
			n++
		}
		return nil
	})
	return n
}

// startBuildAndWaitForStaging starts "nashra build" in site and returns
// once its staging folder holds at least minFiles files, so the build is
// in the middle of writing.
func startBuildAndWaitForStaging(t *testing.T, bin, site string, minFiles int) (*exec.Cmd, *bytes.Buffer, <-chan error) {
	t.Helper()
	cmd := exec.Command(bin, "build")
	cmd.Dir = site
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	out := filepath.Join(site, "public")
	deadline := time.Now().Add(2 * time.Minute)
	for {
		select {
		case err := <-done:
			t.Fatalf("the build ended (%v) before its staging folder held %d files; output:\n%s", err, minFiles, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-done
			t.Fatalf("no staging folder with %d files beside %s within 2 minutes", minFiles, out)
		}
		staging, _ := stagingFolders(out)
		if len(staging) == 1 && countFiles(staging[0]) >= minFiles {
			return cmd, &stderr, done
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// TestInterruptedAndFailingBuilds kills, interrupts and breaks builds of
// a site of 3000 posts and checks that public/ is left byte-identical
// each time.
func TestInterruptedAndFailingBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 3000-post site; skipped with -short")
	}
	bin := buildBinary(t)
	site := t.TempDir()
	out := filepath.Join(site, "public")
	if err := os.WriteFile(filepath.Join(site, "config.yaml"), []byte(bigSiteConfig), 0o644); err != nil {
		t.Fatal(err)
	}
	const posts = 3000
	writePosts(t, site, posts, 1)

	stdout, stderr, err := nashraBuild(t, bin, site)
	if err != nil {
		t.Fatalf("first build: %v\n%s%s", err, stdout, stderr)
	}
	t.Logf("first build: %s", strings.TrimSpace(stdout))
	first := mustSnapshot(t, out)
	if first.files() < posts {
		t.Fatalf("first build wrote %d files for %d posts", first.files(), posts)
	}

	t.Run("SIGKILL", func(t *testing.T) {
		writePosts(t, site, posts, 2)
		cmd, _, done := startBuildAndWaitForStaging(t, bin, site, 200)
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		err := <-done
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
			t.Fatalf("the build was not killed: %v", err)
		}
		sameTree(t, "public/ after a killed build", mustSnapshot(t, out), first, true)
		if left, _ := stagingFolders(out); len(left) != 1 {
			t.Errorf("expected the killed build's staging folder beside public/, found %q", left)
		}

		stdout, stderr, err := nashraBuild(t, bin, site)
		if err != nil {
			t.Fatalf("build after the kill: %v\n%s%s", err, stdout, stderr)
		}
		if left, _ := stagingFolders(out); len(left) != 0 {
			t.Errorf("staging folders left after a successful build: %q", left)
		}
		after := mustSnapshot(t, out)
		post := filepath.Join(out, "posts", "post-0007", "index.html")
		if data, err := os.ReadFile(post); err != nil || !strings.Contains(string(data), "النسخة 2 من هذا الخبر") {
			t.Errorf("%s does not show the second version (%v)", post, err)
		}
		if after.files() != first.files() {
			t.Errorf("the rebuild has %d files, the first build %d", after.files(), first.files())
		}
		if css, ok := after["assets/style.css"]; ok && css != first["assets/style.css"] {
			t.Errorf("assets/style.css did not change but was rewritten")
		}
	})

	t.Run("SIGINT", func(t *testing.T) {
		before := mustSnapshot(t, out)
		writePosts(t, site, posts, 3)
		cmd, output, done := startBuildAndWaitForStaging(t, bin, site, 200)
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
		var err error
		select {
		case err = <-done:
		case <-time.After(time.Minute):
			_ = cmd.Process.Kill()
			t.Fatalf("the build did not stop within a minute of SIGINT")
		}
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 130 {
			t.Errorf("interrupted build: %v, want exit status 130\n%s", err, output)
		}
		if !strings.Contains(output.String(), "build interrupted; public was left as it was") {
			t.Errorf("interrupted build printed:\n%s", output)
		}
		sameTree(t, "public/ after an interrupted build", mustSnapshot(t, out), before, true)
		if left, _ := stagingFolders(out); len(left) != 0 {
			t.Errorf("an interrupted build left its staging folder: %q", left)
		}
	})

	t.Run("broken front matter", func(t *testing.T) {
		before := mustSnapshot(t, out)
		writePosts(t, site, posts, 4)
		bad := "---\ntitle: \"خبر معطوب\"\ndate: 2024-13-45\ntags: [CICA]\n---\n\nنص.\n"
		if err := os.WriteFile(filepath.Join(site, "posts", "bad.md"), []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		stdout, stderr, err := nashraBuild(t, bin, site)
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 1 {
			t.Errorf("failing build: %v, want exit status 1", err)
		}
		if stdout != "" {
			t.Errorf("failing build printed on stdout: %q", stdout)
		}
		first, _, _ := strings.Cut(stderr, "\n")
		if !strings.HasPrefix(first, filepath.Join("posts", "bad.md")+":3:") || !strings.Contains(first, "2024-13-45") {
			t.Errorf("the first line of stderr does not point at posts/bad.md:3:\n%s", stderr)
		}
		if !strings.Contains(stderr, "build failed: 1 error; public was left as it was") {
			t.Errorf("stderr lacks the failure summary:\n%s", stderr)
		}
		sameTree(t, "public/ after a failing build", mustSnapshot(t, out), before, true)
		if left, _ := stagingFolders(out); len(left) != 0 {
			t.Errorf("a failing build left its staging folder: %q", left)
		}
	})
}

// A test of run itself: the exit codes the CLI promises.
func TestExitCodes(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{nil, 2},
		{[]string{"frob"}, 2},
		{[]string{"build", "-nope"}, 2},
		{[]string{"build", "extra-arg"}, 2},
		{[]string{"new"}, 2},
		{[]string{"help"}, 0},
		{[]string{"version"}, 0},
		{[]string{"build", "-src", filepath.Join(t.TempDir(), "missing")}, 1},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		err := run(context.Background(), tt.args, &stdout, &stderr)
		code := 0
		if err != nil {
			code = exitCode(err)
		}
		if code != tt.code {
			t.Errorf("nashra %s: exit code %d (%v), want %d", strings.Join(tt.args, " "), code, err, tt.code)
		}
	}
}

// Every command's -h lists each of its flags.
func TestHelpListsEveryFlag(t *testing.T) {
	for _, c := range commands() {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), []string{c.name, "-h"}, &stdout, &stderr); err != nil {
			t.Errorf("nashra %s -h: %v", c.name, err)
		}
		if !strings.HasPrefix(stdout.String(), "Usage: nashra "+c.name) {
			t.Errorf("nashra %s -h does not start with its usage:\n%s", c.name, stdout.String())
		}
		// The flags each command defines, as its FlagSet would print them.
		var flags []string
		sc := bufio.NewScanner(strings.NewReader(stdout.String()))
		for sc.Scan() {
			if f, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "-"); ok {
				flags = append(flags, strings.Fields(f)[0])
			}
		}
		want := map[string][]string{
			"build":   {"base-url", "cache", "cpuprofile", "drafts", "force", "future", "memprofile", "out", "poll", "src", "v", "watch"},
			"serve":   {"addr", "drafts", "future", "open", "poll", "src", "v"},
			"check":   {"base-url", "drafts", "format", "future", "src", "strict"},
			"new":     {"slug", "src", "tags"},
			"version": nil,
		}[c.name]
		if strings.Join(flags, " ") != strings.Join(want, " ") {
			t.Errorf("nashra %s -h lists flags %q, want %q", c.name, flags, want)
		}
	}
}

// Known bugs, reported and not fixed here (cmd/nashra and site belong to
// other engineers): remove the t.Skip once fixed.

// -h prints the usage once, on stdout: flag.Parse already prints it on
// stderr before parseFlags prints it again on stdout.
func TestHelpWritesNothingOnStderr(t *testing.T) {
	for _, c := range commands() {
		var stdout, stderr bytes.Buffer
		if err := run(context.Background(), []string{c.name, "-h"}, &stdout, &stderr); err != nil {
			t.Errorf("nashra %s -h: %v", c.name, err)
		}
		if stderr.Len() > 0 {
			t.Errorf("nashra %s -h wrote on stderr: %q", c.name, stderr.String())
		}
	}
}

// A YAML error points at the line that holds it. yaml.v3 numbers some
// parser errors (those with a context, like an unclosed "[") from 0, so
// nashra reports the line before the mistake, and shows a correct line.
func TestYAMLErrorLine(t *testing.T) {
	t.Skip("known bug: an unclosed [ on line 4 is reported as posts/bad.md:3, showing the (correct) line 3")
	site := t.TempDir()
	bad := "---\ntitle: \"خبر\"\ndate: 2024-12-17\ntags: [CICA\nsummary: نص\n---\n\nنص.\n"
	if err := os.MkdirAll(filepath.Join(site, "posts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(site, "posts", "bad.md"), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"build", "-src", site}, &stdout, &stderr); err == nil {
		t.Fatal("the build succeeded")
	}
	if !strings.HasPrefix(stderr.String(), filepath.Join("posts", "bad.md")+":4") {
		t.Errorf("the error does not point at line 4:\n%s", stderr.String())
	}
}
