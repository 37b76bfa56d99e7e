package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// patience bounds every wait in these tests. Builds of the small test
// sites take milliseconds; this only stops a broken command from hanging.
const patience = 30 * time.Second

// lines is an output (stdout or stderr) that tests read line by line.
type lines struct {
	mu   sync.Mutex
	all  strings.Builder
	part string
	ch   chan string
}

func newLines() *lines { return &lines{ch: make(chan string, 10000)} }

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all.Write(p)
	l.part += string(p)
	for {
		i := strings.IndexByte(l.part, '\n')
		if i < 0 {
			break
		}
		l.ch <- l.part[:i]
		l.part = l.part[i+1:]
	}
	return len(p), nil
}

func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.all.String()
}

// waitFor reads lines until one contains want, and returns it.
func (l *lines) waitFor(t testing.TB, want string) string {
	t.Helper()
	timeout := time.After(patience)
	for {
		select {
		case line := <-l.ch:
			if strings.Contains(line, want) {
				return line
			}
		case <-timeout:
			t.Fatalf("no line with %q; output so far:\n%s", want, l.String())
		}
	}
}

// running is the CLI running in this process, as main runs it.
type running struct {
	stdout, stderr *lines
	cancel         context.CancelFunc
	done           chan error
}

func startCommand(t *testing.T, args ...string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c := &running{stdout: newLines(), stderr: newLines(), cancel: cancel, done: make(chan error, 1)}
	go func() { c.done <- run(ctx, args, c.stdout, c.stderr) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-c.done:
		case <-time.After(patience):
			t.Error("the command did not stop")
		}
	})
	return c
}

// stop cancels the command, as Ctrl-C does, and returns its error.
func (c *running) stop(t *testing.T) error {
	t.Helper()
	c.cancel()
	select {
	case err := <-c.done:
		c.done <- err // for the cleanup
		return err
	case <-time.After(patience):
		t.Fatal("the command did not stop")
	}
	return nil
}

// putFiles writes files (name -> content) under root.
func putFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func postFile(title, date, slug, body string) string {
	return fmt.Sprintf("---\ntitle: %q\ndate: %s\nslug: %s\ntags: [CICA]\n---\n\n%s\n", title, date, slug, body)
}

// smallSite is a site under a base path with three posts that link to
// each other and an image.
func smallSite(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	putFiles(t, root, map[string]string{
		"config.yaml":         "title: \"أخبار السفارة\"\nbase_url: https://example.gov.kz/amman/news/\ntags:\n  CICA:\n    slug: cica\n    label: \"سيكا\"\n",
		"posts/first.md":      postFile("الخبر الأول", "2024-12-01", "first", "نص الخبر الأول."),
		"posts/second.md":     postFile("الخبر الثاني", "2024-12-02", "second", "نص الخبر الثاني، وفيه [رابط](/posts/first/)."),
		"posts/third.md":      postFile("الخبر الثالث", "2024-12-03", "third", "نص الخبر الثالث."),
		"static/images/a.png": string(pngFile(t)),
	})
	return root
}

func pngFile(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var servingRe = regexp.MustCompile(`serving (http://\S+)/ from`)

// startServe runs `nashra serve` on the site and returns the command and
// the server's URL.
func startServe(t *testing.T, root string, args ...string) (*running, string) {
	t.Helper()
	c := startCommand(t, append([]string{"serve", "-src", root, "-addr", "127.0.0.1:0"}, args...)...)
	m := servingRe.FindStringSubmatch(c.stdout.waitFor(t, "serving "))
	if m == nil {
		t.Fatalf("no address in the output:\n%s", c.stdout.String())
	}
	c.stdout.waitFor(t, "built in ")
	return c, m[1]
}

// httpGet fetches url without following redirects and returns the
// status and the body.
func httpGet(t testing.TB, url string) (int, string) {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

var eventSourceRe = regexp.MustCompile(`new EventSource\("([^"]+)"\)`)

// events listens to the reload stream of the page at path (from the
// host's root) on the server at base, as its script does, and delivers
// the names of the events.
func events(t *testing.T, base, path string) <-chan string {
	t.Helper()
	_, body := httpGet(t, base+path)
	m := eventSourceRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s has no reload script:\n%s", path, body)
	}
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", base+strings.ReplaceAll(m[1], `\u0026`, "&"), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	ch := make(chan string, 100)
	go func() {
		defer close(ch)
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if e, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				ch <- e
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		resp.Body.Close()
	})
	return ch
}

// waitEvent waits for an event named want.
func waitEvent(t *testing.T, ch <-chan string, want string) {
	t.Helper()
	timeout := time.After(patience)
	for {
		select {
		case e, ok := <-ch:
			if !ok {
				t.Fatalf("the stream ended before %q", want)
			}
			if e == want {
				return
			}
		case <-timeout:
			t.Fatalf("no %q event", want)
		}
	}
}
