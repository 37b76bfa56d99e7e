package devserver_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nashra-press/nashra/internal/testtools"
	"github.com/nashra-press/nashra/site/devserver"
	"github.com/nashra-press/nashra/site/diag"
)

const patience = 20 * time.Second

const page = `<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>%s</title></head>
<body><main><h1>%s</h1></main></body>
</html>
`

// folder writes an output folder as a build would.
func folder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"index.html":         fmt.Sprintf(page, "الرئيسية", "الأخبار"),
		"posts/a/index.html": fmt.Sprintf(page, "خبر أ", "نص الخبر أ"),
		"posts/b/index.html": fmt.Sprintf(page, "خبر ب", "نص الخبر ب"),
		"404.html":           fmt.Sprintf(page, "غير موجودة", "الصفحة غير موجودة"),
		"assets/style.css":   "body { margin: 0 }",
		"assets/app.js":      "console.log(1)",
		"index.xml":          `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"></rss>`,
		"search.json":        `{"a":1}`,
		"images/x.png":       "\x89PNG\r\n\x1a\n",
		"images/y.jpg":       "\xff\xd8\xff",
		"images/logo.svg":    `<svg xmlns="http://www.w3.org/2000/svg"/>`,
		"fonts/naskh.woff2":  "wOF2",
		"files/brochure.pdf": "%PDF-1.4",
		"robots.txt":         "User-agent: *",
		"posts/a/photo.webp": "RIFF",
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// serve starts a real server on 127.0.0.1 for dir, with one successful
// build done.
func serve(t *testing.T, dir string) (*devserver.Server, *httptest.Server) {
	t.Helper()
	s, err := devserver.New(dir)
	if err != nil {
		t.Fatal(err)
	}
	s.BuildStarted()
	s.BuildFinished(devserver.Outcome{BasePath: "/", Pages: map[string]string{"posts/a.md": "posts/a/index.html", "posts/b.md": "posts/b/index.html"}})
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return s, ts
}

func get(t *testing.T, method, url string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func TestContentTypes(t *testing.T) {
	_, ts := serve(t, folder(t))
	for path, want := range map[string]string{
		"/":                   "text/html; charset=utf-8",
		"/posts/a/":           "text/html; charset=utf-8",
		"/assets/style.css":   "text/css; charset=utf-8",
		"/assets/app.js":      "text/javascript; charset=utf-8",
		"/index.xml":          "application/xml; charset=utf-8",
		"/search.json":        "application/json; charset=utf-8",
		"/images/x.png":       "image/png",
		"/images/y.jpg":       "image/jpeg",
		"/images/logo.svg":    "image/svg+xml; charset=utf-8",
		"/posts/a/photo.webp": "image/webp",
		"/fonts/naskh.woff2":  "font/woff2",
		"/files/brochure.pdf": "application/pdf",
		"/robots.txt":         "text/plain; charset=utf-8",
		"/nowhere/":           "text/html; charset=utf-8",
	} {
		resp, _ := get(t, "GET", ts.URL+path)
		if got := resp.Header.Get("Content-Type"); got != want {
			t.Errorf("%s: Content-Type %q, want %q", path, got, want)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", path)
		}
	}
}

func TestPagesAndScript(t *testing.T) {
	dir := folder(t)
	_, ts := serve(t, dir)
	resp, body := get(t, "GET", ts.URL+"/posts/a/")
	if resp.StatusCode != 200 || !strings.Contains(body, "نص الخبر أ") {
		t.Fatalf("GET /posts/a/: %d\n%s", resp.StatusCode, body)
	}
	script := strings.Index(body, "<script>")
	if script < 0 || script > strings.Index(body, "</body>") || !strings.Contains(body, devserver.EventsPath) {
		t.Errorf("the reload script is not before </body>:\n%s", body)
	}
	onDisk, _ := os.ReadFile(filepath.Join(dir, "posts/a/index.html"))
	if strings.Contains(string(onDisk), "<script") {
		t.Error("the script was written into the folder")
	}
	if resp.Header.Get("Content-Length") != fmt.Sprint(len(body)) || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("headers %v", resp.Header)
	}
	head, headBody := get(t, "HEAD", ts.URL+"/posts/a/")
	if head.StatusCode != 200 || headBody != "" || head.Header.Get("Content-Length") != resp.Header.Get("Content-Length") {
		t.Errorf("HEAD: %d, body %q, length %s", head.StatusCode, headBody, head.Header.Get("Content-Length"))
	}
	// Other files are served as they are.
	if _, css := get(t, "GET", ts.URL+"/assets/style.css"); css != "body { margin: 0 }" {
		t.Errorf("style.css = %q", css)
	}
	// A folder without its slash is redirected.
	if resp, _ := get(t, "GET", ts.URL+"/posts/a"); resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/posts/a/" {
		t.Errorf("GET /posts/a: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestNotFound(t *testing.T) {
	dir := folder(t)
	_, ts := serve(t, dir)
	resp, body := get(t, "GET", ts.URL+"/posts/missing/")
	if resp.StatusCode != 404 || !strings.Contains(body, "الصفحة غير موجودة") || !strings.Contains(body, devserver.EventsPath) {
		t.Errorf("missing page: %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := get(t, "GET", ts.URL+"/images/missing.png"); resp.StatusCode != 404 {
		t.Errorf("missing image: %d", resp.StatusCode)
	}
	// Without the site's 404 page, the server's own.
	if err := os.Remove(filepath.Join(dir, "404.html")); err != nil {
		t.Fatal(err)
	}
	resp, body = get(t, "GET", ts.URL+"/posts/missing/")
	if resp.StatusCode != 404 || !strings.Contains(body, `lang="ar" dir="rtl"`) {
		t.Errorf("missing page without 404.html: %d\n%s", resp.StatusCode, body)
	}
}

func TestMethods(t *testing.T) {
	_, ts := serve(t, folder(t))
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS"} {
		resp, _ := get(t, m, ts.URL+"/posts/a/")
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD" {
			t.Errorf("%s: %d, Allow %q", m, resp.StatusCode, resp.Header.Get("Allow"))
		}
	}
}

// rawGet sends a request line as it is, so that nothing on the client's
// side cleans the path.
func rawGet(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, addr)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s: %v", target, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestTraversal(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.txt"), []byte("TOP SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	if err := os.WriteFile(filepath.Join(parent, "secret.txt"), []byte("TOP SECRET"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(parent, "site")
	if err := os.Rename(folder(t), dir); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "escape")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret.txt"), filepath.Join(dir, "leak.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("../secret.txt", filepath.Join(dir, "relative-leak.txt")); err != nil {
		t.Fatal(err)
	}
	_, ts := serve(t, dir)
	addr := strings.TrimPrefix(ts.URL, "http://")
	for _, target := range []string{
		"/../secret.txt",
		"/%2e%2e/secret.txt",
		"/%2E%2E/secret.txt",
		"/posts/%2e%2e/%2e%2e/secret.txt",
		"/..%2fsecret.txt",
		"/posts/..%2f..%2fsecret.txt",
		"/posts/..%5c..%5csecret.txt",
		"/./../secret.txt",
		"/escape/secret.txt",
		"/leak.txt",
		"/relative-leak.txt",
		"/%00/../secret.txt",
	} {
		status, body := rawGet(t, addr, target)
		if status == 200 || strings.Contains(body, "TOP SECRET") {
			t.Errorf("%s: status %d, body %q", target, status, body)
		}
	}
	if status, body := rawGet(t, addr, "/robots.txt"); status != 200 || body != "User-agent: *" {
		t.Errorf("a file inside the folder: %d %q", status, body)
	}
}

func TestBasePath(t *testing.T) {
	s, err := devserver.New(folder(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.BuildStarted()
	s.BuildFinished(devserver.Outcome{BasePath: "/amman/news/"})
	ts := httptest.NewServer(s)
	defer ts.Close()
	if resp, body := get(t, "GET", ts.URL+"/amman/news/posts/a/"); resp.StatusCode != 200 || !strings.Contains(body, "نص الخبر أ") {
		t.Errorf("page under the base path: %d", resp.StatusCode)
	}
	for path, want := range map[string]string{"/": "/amman/news/", "/amman/news": "/amman/news/"} {
		if resp, _ := get(t, "GET", ts.URL+path); resp.Header.Get("Location") != want {
			t.Errorf("%s: %d to %q, want %q", path, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
	if resp, _ := get(t, "GET", ts.URL+"/posts/a/"); resp.StatusCode != 404 {
		t.Errorf("a page outside the base path: %d", resp.StatusCode)
	}
}

// stream is a page's live reload connection.
type stream struct {
	lines chan string
}

var scriptURL = regexp.MustCompile(`new EventSource\("([^"]+)"\)`)

// listen opens the reload stream of a served page, as its script does.
func listen(t *testing.T, ts *httptest.Server, path string) *stream {
	t.Helper()
	_, body := get(t, "GET", ts.URL+path)
	return connect(t, ts, path, body)
}

// connect opens the reload stream named by the script in body, the page
// served for path.
func connect(t *testing.T, ts *httptest.Server, path, body string) *stream {
	t.Helper()
	m := scriptURL.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s has no reload script:\n%s", path, body)
	}
	u := strings.ReplaceAll(m[1], `\u0026`, "&")
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("stream Content-Type %q", ct)
	}
	st := &stream{lines: make(chan string, 100)}
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "event: ") {
				st.lines <- strings.TrimPrefix(sc.Text(), "event: ")
			}
		}
		close(st.lines)
	}()
	t.Cleanup(func() {
		cancel()
		resp.Body.Close()
	})
	return st
}

// event waits for the next event on the stream.
func (st *stream) event(t *testing.T) string {
	t.Helper()
	select {
	case e, ok := <-st.lines:
		if !ok {
			t.Fatal("the stream ended")
		}
		return e
	case <-time.After(patience):
		t.Fatal("no event")
	}
	return ""
}

// connected waits until n pages listen.
func connected(t *testing.T, s *devserver.Server, n int) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for s.Clients() < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d pages listen, want %d", s.Clients(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestReload(t *testing.T) {
	s, ts := serve(t, folder(t))
	a := listen(t, ts, "/posts/a/")
	b := listen(t, ts, "/posts/b/")
	connected(t, s, 2)
	if got := strings.Join(s.OpenPages(), " "); got != "posts/a/index.html posts/b/index.html" && got != "posts/b/index.html posts/a/index.html" {
		t.Errorf("open pages: %s", got)
	}

	// Page a is written: its browser reloads at once, during the build.
	s.BuildStarted()
	s.FileChanged("posts/a/index.html")
	if e := a.event(t); e != "reload" {
		t.Errorf("page a got %q, want reload", e)
	}
	s.BuildFinished(devserver.Outcome{})
	// Page b did not change: it hears that the build ended, no reload.
	if e := b.event(t); e != "built" {
		t.Errorf("page b got %q, want built", e)
	}

	// A stylesheet changes: every page reloads when the build ends.
	s.BuildStarted()
	s.FileChanged("assets/style.css")
	s.BuildFinished(devserver.Outcome{})
	if e := b.event(t); e != "reload" {
		t.Errorf("after a stylesheet change page b got %q, want reload", e)
	}
}

func TestReloadAfterMissedBuild(t *testing.T) {
	// A build ends between serving a page and its script connecting: the
	// page reloads as soon as it connects.
	s, ts := serve(t, folder(t))
	_, body := get(t, "GET", ts.URL+"/posts/a/")
	s.BuildStarted()
	s.FileChanged("posts/a/index.html")
	s.BuildFinished(devserver.Outcome{})
	if e := connect(t, ts, "/posts/a/", body).event(t); e != "reload" {
		t.Errorf("a page built while it loaded got %q, want reload", e)
	}
}

func brokenPost() error {
	return diag.List{{File: "posts/a.md", Line: 3, Col: 7, Severity: diag.Error,
		Msg:    `date "17/12/2024" is not a date nashra understands`,
		Hint:   "write it as 2024-12-17, 2024-12-17 10:30 or 2024-12-17T10:30:00+03:00",
		Source: "date: 17/12/2024 # عيد الاستقلال"}}.Err()
}

func TestErrorPage(t *testing.T) {
	dir := folder(t)
	s, ts := serve(t, dir)
	a := listen(t, ts, "/posts/a/")
	b := listen(t, ts, "/posts/b/")
	connected(t, s, 2)

	s.BuildStarted()
	s.BuildFinished(devserver.Outcome{Err: brokenPost()})
	if e := a.event(t); e != "reload" {
		t.Errorf("page a got %q, want reload", e)
	}
	if e := b.event(t); e != "reload" {
		t.Errorf("page b got %q, want reload (to show the notice)", e)
	}
	// The broken post's page shows the error, as the terminal does.
	resp, body := get(t, "GET", ts.URL+"/posts/a/")
	for _, want := range []string{"posts/a.md:3:7", `date &#34;17/12/2024&#34; is not a date nashra understands`, "write it as 2024-12-17",
		"date: 17/12/2024 # عيد الاستقلال", `<span class="ln">3 | </span>`, `lang="ar" dir="rtl"`, "تعذّر بناء الموقع", devserver.EventsPath} {
		if !strings.Contains(body, want) {
			t.Errorf("error page lacks %q", want)
		}
	}
	if resp.StatusCode != 500 || strings.Contains(body, "نص الخبر أ") {
		t.Errorf("error page: status %d\n%s", resp.StatusCode, body)
	}
	// Other pages: the last good build, with a notice.
	resp, body = get(t, "GET", ts.URL+"/posts/b/")
	if resp.StatusCode != 200 || !strings.Contains(body, "نص الخبر ب") || !strings.Contains(body, `id="nashra-error-notice"`) || !strings.Contains(body, "posts/a.md:3:7") {
		t.Errorf("page b while a is broken: %d\n%s", resp.StatusCode, body)
	}
	if _, css := get(t, "GET", ts.URL+"/assets/style.css"); css != "body { margin: 0 }" {
		t.Errorf("style.css while broken = %q", css)
	}
	// Fixed: the pages come back, without the notice.
	a = listen(t, ts, "/posts/a/")
	connected(t, s, 3)
	s.BuildStarted()
	s.BuildFinished(devserver.Outcome{})
	if e := a.event(t); e != "reload" {
		t.Errorf("page a got %q after the fix, want reload", e)
	}
	resp, body = get(t, "GET", ts.URL+"/posts/a/")
	if resp.StatusCode != 200 || !strings.Contains(body, "نص الخبر أ") || strings.Contains(body, "nashra-error") {
		t.Errorf("page a after the fix: %d\n%s", resp.StatusCode, body)
	}
}

// saveHTML stores a served page beside the test's files for the checker.
func saveHTML(t *testing.T, dir, name, url string) {
	t.Helper()
	_, body := get(t, "GET", url)
	if err := os.MkdirAll(filepath.Join(dir, "..", "served"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "..", "served", name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBeforeTheFirstBuild(t *testing.T) {
	s, err := devserver.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ts := httptest.NewServer(s)
	defer ts.Close()
	s.BuildStarted()
	resp, body := get(t, "GET", ts.URL+"/")
	if resp.StatusCode != 503 || !strings.Contains(body, "جارٍ بناء الموقع") {
		t.Errorf("while building: %d\n%s", resp.StatusCode, body)
	}
	// The first build fails: there is no site, every page shows the error.
	s.BuildFinished(devserver.Outcome{Err: brokenPost()})
	for _, path := range []string{"/", "/posts/b/"} {
		resp, body := get(t, "GET", ts.URL+path)
		if resp.StatusCode != 500 || !strings.Contains(body, "posts/a.md:3:7") {
			t.Errorf("%s after a failed first build: %d\n%s", path, resp.StatusCode, body)
		}
	}
	s.BuildStarted()
	s.BuildFinished(devserver.Outcome{Err: errors.New("plain error without a file")})
	if _, body := get(t, "GET", ts.URL+"/"); !strings.Contains(body, "plain error without a file") {
		t.Errorf("an error without a file:\n%s", body)
	}
}

// TestServedPagesAreValid checks the server's own pages and a page with
// the errors notice with the Nu HTML Checker.
func TestServedPagesAreValid(t *testing.T) {
	dir := folder(t)
	s, ts := serve(t, dir)
	s.BuildStarted()
	s.BuildFinished(devserver.Outcome{Err: brokenPost()})
	saveHTML(t, dir, "error-page.html", ts.URL+"/posts/a/")
	saveHTML(t, dir, "notice-page.html", ts.URL+"/posts/b/")
	if err := os.Remove(filepath.Join(dir, "404.html")); err != nil {
		t.Fatal(err)
	}
	saveHTML(t, dir, "not-found.html", ts.URL+"/missing/")
	empty, err := devserver.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	ts2 := httptest.NewServer(empty)
	defer ts2.Close()
	saveHTML(t, dir, "building.html", ts2.URL+"/")
	testtools.AssertValidHTML(t, filepath.Join(dir, "..", "served"))
}

// TestReloadAfterFixDuringBuild reproduces a race seen in the browser: a
// page showing an error, reloaded while the build that fixes it is
// writing it, must reload once more when that build ends; and a page
// showing an error is not reloaded early by the build that fixes it,
// since the errors stand until the build ends.
func TestReloadAfterFixDuringBuild(t *testing.T) {
	s, ts := serve(t, folder(t))
	s.BuildStarted()
	s.BuildFinished(devserver.Outcome{Err: brokenPost()})
	a := listen(t, ts, "/posts/a/")
	connected(t, s, 1)

	s.BuildStarted() // the build with the fix
	s.FileChanged("posts/a/index.html")
	// The page loaded now still shows the error: it must not count as
	// showing this build.
	late := listen(t, ts, "/posts/a/")
	connected(t, s, 2)
	s.BuildFinished(devserver.Outcome{})
	if e := a.event(t); e != "reload" {
		t.Errorf("the page open before the build got %q, want reload (and no earlier event)", e)
	}
	if e := late.event(t); e != "reload" {
		t.Errorf("the page loaded during the build got %q, want reload", e)
	}
	if resp, body := get(t, "GET", ts.URL+"/posts/a/"); resp.StatusCode != 200 || strings.Contains(body, "nashra-error") {
		t.Errorf("after the fix: %d", resp.StatusCode)
	}
}
