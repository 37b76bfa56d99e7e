package main

import (
	"errors"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nashra-press/nashra/site/devserver"
)

// TestServe runs `nashra serve` on a site and changes it the ways an
// author does, checking the served pages, the reload events and the
// terminal after each change.
func TestServe(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Setenv("XDG_RUNTIME_DIR", "")
	root := smallSite(t)
	c, base := startServe(t, root)
	site := base + "/amman/news/"

	// Pages, under the configured base path, with the server's address
	// in absolute URLs.
	status, body := httpGet(t, site+"posts/second/")
	if status != 200 || !strings.Contains(body, "نص الخبر الثاني") {
		t.Fatalf("GET second: %d\n%s", status, body)
	}
	if want := `<link rel="canonical" href="` + site + `posts/second/">`; !strings.Contains(body, want) {
		t.Errorf("the canonical URL is not the server's: want %s", want)
	}
	if status, _ := httpGet(t, base+"/"); status != 302 {
		t.Errorf("GET / = %d, want a redirect to the base path", status)
	}
	if _, err := os.Stat(filepath.Join(root, "public")); !errors.Is(err, os.ErrNotExist) {
		t.Error("serve wrote public/")
	}

	// Edit a post: its open page is told to reload and shows the text.
	second := events(t, base, "/amman/news/posts/second/")
	putFiles(t, root, map[string]string{"posts/second.md": postFile("الخبر الثاني", "2024-12-02", "second", "نص معدّل للخبر الثاني.")})
	waitEvent(t, second, "reload")
	c.stdout.waitFor(t, "rebuilt posts/second.md")
	if _, body := httpGet(t, site+"posts/second/"); !strings.Contains(body, "نص معدّل للخبر الثاني.") {
		t.Errorf("the edited text is not served:\n%s", body)
	}

	// A new post appears on the home page; a deleted one disappears.
	home := events(t, base, "/amman/news/")
	putFiles(t, root, map[string]string{"posts/fourth.md": postFile("الخبر الرابع", "2024-12-04", "fourth", "نص الخبر الرابع.")})
	waitEvent(t, home, "reload")
	c.stdout.waitFor(t, "rebuilt posts/fourth.md")
	if _, body := httpGet(t, site); !strings.Contains(body, "الخبر الرابع") {
		t.Error("the new post is not on the home page")
	}
	home = events(t, base, "/amman/news/")
	third := events(t, base, "/amman/news/posts/third/")
	if err := os.Remove(filepath.Join(root, "posts/third.md")); err != nil {
		t.Fatal(err)
	}
	waitEvent(t, third, "reload")
	waitEvent(t, home, "reload")
	c.stdout.waitFor(t, "rebuilt posts/third.md")
	if status, _ := httpGet(t, site+"posts/third/"); status != 404 {
		t.Errorf("the deleted post's page: %d, want 404", status)
	}
	if _, body := httpGet(t, site); strings.Contains(body, "الخبر الثالث") {
		t.Error("the deleted post is still on the home page")
	}

	// A mistake: the terminal and the page show where; the other pages
	// stay; fixing the file brings the page back.
	second = events(t, base, "/amman/news/posts/second/")
	putFiles(t, root, map[string]string{"posts/second.md": "---\ntitle: \"الخبر الثاني\"\ndate: 2024-12-32\nslug: second\n---\n\nنص.\n"})
	c.stderr.waitFor(t, `posts/second.md:3:7: date "2024-12-32" is not a date nashra understands`)
	c.stderr.waitFor(t, "     3 | date: 2024-12-32")
	c.stderr.waitFor(t, "rebuild failed (posts/second.md): 1 error; the preview keeps the last good site")
	waitEvent(t, second, "reload")
	status, body = httpGet(t, site+"posts/second/")
	for _, want := range []string{"posts/second.md:3:7", "date &#34;2024-12-32&#34; is not a date nashra understands", `<span class="ln">3 | </span><bdi>date: 2024-12-32</bdi>`} {
		if status != 500 || !strings.Contains(body, want) {
			t.Errorf("the broken post's page: %d, lacks %q\n%s", status, want, body)
		}
	}
	if status, body := httpGet(t, site+"posts/first/"); status != 200 || !strings.Contains(body, "نص الخبر الأول") || !strings.Contains(body, "posts/second.md:3:7") {
		t.Errorf("another page while a post is broken: %d\n%s", status, body)
	}
	second = events(t, base, "/amman/news/posts/second/")
	putFiles(t, root, map[string]string{"posts/second.md": postFile("الخبر الثاني", "2024-12-02", "second", "نص مصحّح.")})
	waitEvent(t, second, "reload")
	c.stdout.waitFor(t, "rebuilt posts/second.md")
	if status, body := httpGet(t, site+"posts/second/"); status != 200 || !strings.Contains(body, "نص مصحّح.") || strings.Contains(body, "nashra-error") {
		t.Errorf("the fixed post's page: %d\n%s", status, body)
	}

	// A layout: every page changes.
	putFiles(t, root, map[string]string{"layouts/404.html": `{{define "main"}}<h1>صفحة مفقودة من التصميم</h1>{{end}}`})
	c.stdout.waitFor(t, "layouts/404.html in ")
	if status, body := httpGet(t, site+"nowhere/"); status != 404 || !strings.Contains(body, "صفحة مفقودة من التصميم") {
		t.Errorf("404 page after the layout change: %d", status)
	}
	// A static file is copied.
	putFiles(t, root, map[string]string{"static/files/note.txt": "ملاحظة"})
	c.stdout.waitFor(t, "rebuilt static/files/note.txt")
	if status, body := httpGet(t, site+"files/note.txt"); status != 200 || body != "ملاحظة" {
		t.Errorf("new static file: %d %q", status, body)
	}
	// config.yaml: a full build with the new title.
	putFiles(t, root, map[string]string{"config.yaml": "title: \"عنوان جديد\"\nbase_url: https://example.gov.kz/amman/news/\ntags:\n  CICA:\n    slug: cica\n"})
	c.stdout.waitFor(t, "rebuilt config.yaml changed")
	if _, body := httpGet(t, site+"posts/first/"); !strings.Contains(body, "عنوان جديد") {
		t.Error("the new title is not shown")
	}

	if err := c.stop(t); err != nil {
		t.Errorf("serve ended with %v", err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("the preview folder was left behind: %v", entries)
	}
}

// TestServeTwoOnOneSite runs two previews of one site: each has its own
// folder, both follow the changes, neither disturbs the other.
func TestServeTwoOnOneSite(t *testing.T) {
	root := smallSite(t)
	c1, base1 := startServe(t, root)
	c2, base2 := startServe(t, root)
	if base1 == base2 {
		t.Fatal("both servers have one address")
	}
	for i := 1; i <= 3; i++ {
		text := "نسخة " + strconv.Itoa(i)
		putFiles(t, root, map[string]string{"posts/first.md": postFile("الخبر الأول", "2024-12-01", "first", text)})
		c1.stdout.waitFor(t, "rebuilt posts/first.md")
		c2.stdout.waitFor(t, "rebuilt posts/first.md")
		for _, base := range []string{base1, base2} {
			status, body := httpGet(t, base+"/amman/news/posts/first/")
			if status != 200 || !strings.Contains(body, text) {
				t.Errorf("%s after edit %d: %d", base, i, status)
			}
			if _, body := httpGet(t, base+"/amman/news/posts/second/"); !strings.Contains(body, "نص الخبر الثاني") {
				t.Errorf("%s lost an unchanged page", base)
			}
		}
	}
	c1.stop(t)
	// The first one's end removes its folder only.
	putFiles(t, root, map[string]string{"posts/first.md": postFile("الخبر الأول", "2024-12-01", "first", "بعد توقف الأول")})
	c2.stdout.waitFor(t, "rebuilt posts/first.md")
	if status, body := httpGet(t, base2+"/amman/news/posts/first/"); status != 200 || !strings.Contains(body, "بعد توقف الأول") {
		t.Errorf("the second server after the first stopped: %d", status)
	}
	if _, err := os.Stat(filepath.Join(root, "public")); !errors.Is(err, os.ErrNotExist) {
		t.Error("serve wrote public/")
	}
}

// TestServeFirstBuildFails starts on a broken site: the preview starts
// anyway, shows the error, and the site once the post is fixed.
func TestServeFirstBuildFails(t *testing.T) {
	root := smallSite(t)
	putFiles(t, root, map[string]string{"posts/first.md": "---\ntitle: \"الخبر الأول\"\ndate: 2024-13-45\n---\nنص.\n"})
	c := startCommand(t, "serve", "-src", root, "-addr", "127.0.0.1:0")
	base := servingRe.FindStringSubmatch(c.stdout.waitFor(t, "serving "))[1]
	c.stderr.waitFor(t, "posts/first.md:3:7")
	c.stderr.waitFor(t, "build failed")
	if status, body := httpGet(t, base+"/amman/news/"); status != 500 || !strings.Contains(body, "posts/first.md:3:7") {
		t.Errorf("home page of a broken site: %d\n%s", status, body)
	}
	putFiles(t, root, map[string]string{"posts/first.md": postFile("الخبر الأول", "2024-12-01", "first", "نص الخبر الأول.")})
	c.stdout.waitFor(t, "rebuilt posts/first.md")
	if status, body := httpGet(t, base+"/amman/news/"); status != 200 || !strings.Contains(body, "الخبر الأول") {
		t.Errorf("home page once fixed: %d", status)
	}
}

func TestServeOpen(t *testing.T) {
	dir := t.TempDir()
	got := filepath.Join(dir, "opened")
	browser := filepath.Join(dir, "browser")
	if err := os.WriteFile(browser, []byte("#!/bin/sh\necho \"$1\" > "+got+".tmp && mv "+got+".tmp "+got+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("BROWSER", browser)
	_, base := startServe(t, smallSite(t), "-open")
	deadline := time.Now().Add(patience)
	for {
		data, err := os.ReadFile(got)
		if err == nil {
			if strings.TrimSpace(string(data)) != base+"/" {
				t.Errorf("opened %q, want %s/", data, base)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the browser was not opened")
		}
		time.Sleep(10 * time.Millisecond) // waiting for another process's file
	}
}

func TestListen(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	addr := busy.Addr().String()
	// Chosen by the user: an error that says what to do.
	if _, err := listen(addr, true); err == nil || !strings.Contains(err.Error(), "-addr") {
		t.Errorf("listen on a busy address the user chose: %v", err)
	}
	// The default: the next free port.
	ln, err := listen(addr, false)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if ln.Addr().String() == addr {
		t.Error("listened on a busy address")
	}
	if got := originOf(&net.TCPAddr{IP: net.IPv4zero, Port: 1414}); got != "http://localhost:1414" {
		t.Errorf("origin of 0.0.0.0:1414 = %s", got)
	}
	if got := originOf(&net.TCPAddr{IP: net.IPv6loopback, Port: 1414}); got != "http://[::1]:1414" {
		t.Errorf("origin of [::1]:1414 = %s", got)
	}
}

// TestServeSignal runs the real program and stops it with SIGTERM: it
// exits cleanly and removes its preview folder.
func TestServeSignal(t *testing.T) {
	bin := buildBinary(t)
	tmp := t.TempDir()
	cmd := exec.Command(bin, "serve", "-src", smallSite(t), "-addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "TMPDIR="+tmp, "XDG_RUNTIME_DIR=")
	out := newLines()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	out.waitFor(t, "built in")
	if entries, _ := os.ReadDir(tmp); len(entries) != 1 {
		t.Fatalf("preview folders: %v", entries)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	if err := waitProcess(t, cmd); err != nil {
		t.Errorf("serve after SIGINT: %v\n%s", err, out.String())
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("the preview folder was left behind: %v", entries)
	}
}

func waitProcess(t *testing.T, cmd *exec.Cmd) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(patience):
		t.Fatal("the program did not stop")
	}
	return nil
}

// TestPreviewBuildPanics checks that a panic inside a preview build ends
// the build for the server (pages show the internal error) and still
// reaches the watch loop.
func TestPreviewBuildPanics(t *testing.T) {
	srv, err := devserver.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv)
	defer ts.Close()
	var recovered any
	func() {
		defer func() { recovered = recover() }()
		srv.BuildStarted()
		defer finishOnPanic(srv)
		panic("boom")
	}()
	if recovered != "boom" {
		t.Errorf("the panic did not go on: %v", recovered)
	}
	status, body := httpGet(t, ts.URL+"/")
	if status != 500 || !strings.Contains(body, "internal error (a bug in nashra, please report it): boom") {
		t.Errorf("after a panicking build: %d\n%s", status, body)
	}
}
