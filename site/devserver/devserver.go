// Package devserver serves a site being built, for preview while writing:
// the files of an output folder, a small script in every HTML response
// that reloads the page when a build changes it (Server-Sent Events), and
// the last build's errors.
//
// The server only reads the folder; a builder writes it (output.Live)
// and tells the server what happens: BuildStarted, FileChanged for each
// file written or removed, BuildFinished with the outcome. A browser
// showing a page is told to reload as soon as that page is written, even
// while the build goes on with the rest of the site; the others when the
// build ends, if their page, a stylesheet, an image or the error state
// changed. While the last build failed, the page of a post with an error
// shows the error (file, line, the offending line) and every other page
// is served as last built, with a notice of the errors; fixing the file
// brings the pages back by themselves. The script is added to responses
// only, never to the files of the folder.
//
// Only files inside the folder are served: paths with "..", encoded or
// not, are refused, and the folder is opened as an os.Root, so a symbolic
// link cannot lead out of it. Only GET and HEAD are allowed.
package devserver

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nashra-press/nashra/site/diag"
)

// EventsPath is the URL path of the live reload stream.
const EventsPath = "/_nashra/events"

// Server serves one output folder. Its methods are safe for concurrent
// use.
type Server struct {
	root *os.Root
	id   string // changes with every server, so pages of an old one reload

	mu       sync.Mutex
	base     string // the site's base path, "/" or "/amman/news/"
	seq      int    // builds started
	building bool
	built    bool           // a build has succeeded: there is a site to show
	written  map[string]int // output file -> build that last wrote or removed it
	assetSeq int            // last build that changed a file other than a page
	errSeq   int            // last build that changed the errors
	errs     diag.List
	errText  string            // errs formatted, to notice a change
	pageOf   map[string]string // source file -> its page, from the last good build
	clients  map[*client]bool
	closed   bool
	done     chan struct{}
}

// client is one open page listening for reloads.
type client struct {
	page  string // the output file the page's URL names
	shown string // the file served for it (404.html for a missing page)
	seen  int    // the build the page shows
	ch    chan string
}

// New returns a server for the output folder dir.
func New(dir string) (*Server, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("preview folder: %w", err)
	}
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	return &Server{root: root, id: hex.EncodeToString(b[:]), base: "/", written: map[string]int{},
		clients: map[*client]bool{}, done: make(chan struct{})}, nil
}

// Close ends the live reload streams (so that http.Server.Shutdown does
// not wait for them) and releases the folder.
func (s *Server) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	close(s.done)
	return s.root.Close()
}

// BuildStarted records that a build begins writing the folder.
func (s *Server) BuildStarted() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	s.building = true
}

// FileChanged records that the build wrote or removed the file rel (a
// slash-separated path in the folder); browsers showing it reload now.
func (s *Server) FileChanged(rel string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.written[rel] = s.seq
	if !strings.HasSuffix(rel, ".html") {
		s.assetSeq = s.seq
		return // pages that use it reload at the end of the build
	}
	if len(s.errs) > 0 {
		// Until the build ends, the page would be served with the last
		// build's errors: it reloads at the end instead.
		return
	}
	for c := range s.clients {
		if c.page == rel || c.shown == rel {
			s.notify(c)
		}
	}
}

// BuildCancelled records that the build stopped before its end (newer
// changes came): the error state and the pages' state stay as they are
// until the next build ends.
func (s *Server) BuildCancelled() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.building = false
}

// Outcome is what a finished build tells the server.
type Outcome struct {
	// Err is nil for a successful build, else its error (diagnostics).
	Err error
	// BasePath is the site's base path ("/" or "/amman/news/"); empty
	// keeps the previous one.
	BasePath string
	// Pages maps each post's source file to its page in the folder
	// ("posts/visit.md" -> "posts/visit/index.html"), for a successful
	// build; a failed build keeps the previous map, so the page of a
	// broken post can show its error.
	Pages map[string]string
}

// BuildFinished records the outcome of the build and reloads the browsers
// whose page changed.
func (s *Server) BuildFinished(o Outcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.building = false
	if o.BasePath != "" {
		s.base = o.BasePath
	}
	var errs diag.List
	if o.Err != nil {
		errs = diag.AsList(o.Err)
		errs.Sort()
	} else {
		s.built = true
		if o.Pages != nil {
			s.pageOf = o.Pages
		}
	}
	var text strings.Builder
	for _, d := range errs {
		text.WriteString(d.Error() + "\n" + d.Source + "\n")
	}
	if text.String() != s.errText {
		s.errs, s.errText, s.errSeq = errs, text.String(), s.seq
	}
	for c := range s.clients {
		if s.stale(c) {
			s.notify(c)
		} else {
			s.send(c, "built")
		}
	}
}

// OpenPages lists the output files of the pages browsers show now, for
// the builder to render first.
func (s *Server) OpenPages() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	seen := map[string]bool{}
	var out []string
	for c := range s.clients {
		if !seen[c.page] {
			seen[c.page] = true
			out = append(out, c.page)
		}
	}
	return out
}

// Clients counts the pages listening for reloads.
func (s *Server) Clients() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.clients)
}

// stale reports whether a page shows an older state than the folder's.
func (s *Server) stale(c *client) bool {
	return max(s.written[c.page], s.written[c.shown], s.assetSeq, s.errSeq) > c.seen
}

// notify tells one client to reload, once.
func (s *Server) notify(c *client) {
	c.seen = int(^uint(0) >> 1)
	s.send(c, "reload")
}

// send queues an event for a client; a client that does not keep up
// misses "built" events, which only say that a build ended.
func (s *Server) send(c *client, event string) {
	select {
	case c.ch <- event:
	default:
	}
}

// seenFor is the build a page served now shows: during a build, the
// current one only if the page was written by it and no error of the last
// build is shown with it (those stand until the build ends).
func (s *Server) seenFor(rel string) int {
	if s.building && (s.written[rel] != s.seq || len(s.errs) > 0) {
		return s.seq - 1
	}
	return s.seq
}

// ServeHTTP serves the folder, the reload stream and the error pages.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "only GET and HEAD are allowed", http.StatusMethodNotAllowed)
		return
	}
	if r.URL.Path == EventsPath {
		s.serveEvents(w, r)
		return
	}
	upath := r.URL.Path
	if !strings.HasPrefix(upath, "/") || strings.Contains(upath, "\x00") || strings.Contains(upath, "\\") {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	for _, seg := range strings.Split(upath, "/") {
		if seg == ".." || seg == "." {
			http.Error(w, "bad path", http.StatusBadRequest)
			return
		}
	}
	s.mu.Lock()
	base := s.base
	s.mu.Unlock()
	if upath+"/" == base {
		http.Redirect(w, r, base, http.StatusMovedPermanently)
		return
	}
	if !strings.HasPrefix(upath, base) {
		if upath == "/" {
			http.Redirect(w, r, base, http.StatusFound)
			return
		}
		s.serveMissing(w, r, "")
		return
	}
	rel := strings.TrimPrefix(upath, base)
	if rel == "" || strings.HasSuffix(rel, "/") {
		rel += "index.html"
	}
	if !fs.ValidPath(rel) {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	s.serveFile(w, r, rel)
}

func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rel string) {
	s.mu.Lock()
	errorPage := len(s.errs) > 0 && strings.HasSuffix(rel, ".html") && (!s.built || s.hasError(rel))
	waiting := !s.built && len(s.errs) == 0
	s.mu.Unlock()
	if waiting && strings.HasSuffix(rel, ".html") {
		s.writePage(w, r, rel, rel, http.StatusServiceUnavailable, buildingPage(), false)
		return
	}
	if errorPage {
		s.serveErrorPage(w, r, rel)
		return
	}
	f, err := s.root.Open(rel)
	if err != nil {
		s.serveMissing(w, r, rel)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		s.serveMissing(w, r, rel)
		return
	}
	if info.IsDir() {
		// A folder named without its final slash.
		if _, err := s.root.Stat(path.Join(rel, "index.html")); err == nil {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		s.serveMissing(w, r, rel)
		return
	}
	w.Header().Set("Content-Type", contentType(rel))
	if !strings.HasSuffix(rel, ".html") {
		http.ServeContent(w, r, rel, info.ModTime(), f)
		return
	}
	data, err := io.ReadAll(f)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	s.writePage(w, r, rel, rel, http.StatusOK, data, true)
}

// hasError reports whether the page rel belongs to a source file with an
// error. The caller holds s.mu.
func (s *Server) hasError(rel string) bool {
	for _, d := range s.errs {
		if d.File != "" && s.pageOf[d.File] == rel {
			return true
		}
	}
	return false
}

// serveMissing answers a path with no file: the site's 404 page.
func (s *Server) serveMissing(w http.ResponseWriter, r *http.Request, rel string) {
	data, err := fs.ReadFile(s.root.FS(), "404.html")
	if err != nil {
		data = notFoundPage()
	}
	s.writePage(w, r, rel, "404.html", http.StatusNotFound, data, true)
}

func (s *Server) serveErrorPage(w http.ResponseWriter, r *http.Request, rel string) {
	s.mu.Lock()
	errs := s.errs
	s.mu.Unlock()
	s.writePage(w, r, rel, rel, http.StatusInternalServerError, errorPage(errs), false)
}

// writePage writes an HTML page with the reload script, and with the
// notice of the last build's errors when there are some, added before
// </body>. page is the file the URL names, shown the file served for it.
func (s *Server) writePage(w http.ResponseWriter, r *http.Request, page, shown string, status int, data []byte, notice bool) {
	s.mu.Lock()
	seen := s.seenFor(shown)
	var extra []byte
	if notice && len(s.errs) > 0 {
		extra = errorNotice(s.errs)
	}
	s.mu.Unlock()
	data = inject(data, append(extra, reloadScript(s.id, seen, page, shown)...))
	w.Header().Set("Content-Type", contentType(".html"))
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(data)
	}
}

// inject puts extra before the last </body> (in any case), or at the end.
func inject(page, extra []byte) []byte {
	i := lastBodyEnd(page)
	if i < 0 {
		i = len(page)
	}
	out := make([]byte, 0, len(page)+len(extra))
	out = append(out, page[:i]...)
	out = append(out, extra...)
	return append(out, page[i:]...)
}

// lastBodyEnd returns the index of the last "</body>" in page, in any
// case, or -1. It compares in place: an index in a lowered copy
// (bytes.ToLower) is off in pages with letters whose lower case is
// shorter or longer in UTF-8 (İ, ẞ) or with invalid bytes, and the copy
// costs a page's size on every request.
func lastBodyEnd(page []byte) int {
	const end = "</body>"
	for i := len(page); i > 0; {
		i = bytes.LastIndexByte(page[:i], '<')
		if i < 0 {
			break
		}
		if len(page)-i >= len(end) && bytes.EqualFold(page[i:i+len(end)], []byte(end)) {
			return i
		}
	}
	return -1
}

// reloadScript is added to every HTML response: it listens for the
// reload event of the page.
func reloadScript(id string, seen int, page, shown string) []byte {
	q := url.Values{"id": {id}, "seen": {strconv.Itoa(seen)}, "page": {page}, "shown": {shown}}
	src, _ := json.Marshal(EventsPath + "?" + q.Encode()) // a JS string; json escapes <, > and &
	return []byte(`<script>/* nashra preview: reloads this page when a build changes it */
(() => {
  const es = new EventSource(` + string(src) + `);
  es.addEventListener("reload", () => { es.close(); location.reload(); });
})();
</script>
`)
}

// serveEvents streams reload events to one page.
func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	q := r.URL.Query()
	seen, _ := strconv.Atoi(q.Get("seen"))
	c := &client{page: q.Get("page"), shown: q.Get("shown"), seen: seen, ch: make(chan string, 8)}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "stopping", http.StatusServiceUnavailable)
		return
	}
	s.clients[c] = true
	switch {
	case q.Get("id") != s.id:
		s.notify(c) // a page of an earlier server: the site was rebuilt since
	case s.stale(c):
		s.notify(c) // a build ended between serving the page and now
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}()

	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, "retry: 500\n\n")
	flusher.Flush()
	keepAlive := time.NewTicker(20 * time.Second)
	defer keepAlive.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case <-keepAlive.C:
			fmt.Fprint(w, ": keep-alive\n\n")
			flusher.Flush()
		case event := <-c.ch:
			s.mu.Lock()
			seq := s.seq
			s.mu.Unlock()
			fmt.Fprintf(w, "event: %s\ndata: %d\n\n", event, seq)
			flusher.Flush()
		}
	}
}

// contentType is the Content-Type of a file by its extension, with
// charset=utf-8 on text.
func contentType(name string) string {
	const utf8 = "; charset=utf-8"
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm":
		return "text/html" + utf8
	case ".css":
		return "text/css" + utf8
	case ".js", ".mjs":
		return "text/javascript" + utf8
	case ".json":
		return "application/json" + utf8
	case ".webmanifest":
		return "application/manifest+json" + utf8
	case ".xml", ".xsl":
		return "application/xml" + utf8
	case ".rss":
		return "application/rss+xml" + utf8
	case ".atom":
		return "application/atom+xml" + utf8
	case ".txt", ".md":
		return "text/plain" + utf8
	case ".csv":
		return "text/csv" + utf8
	case ".svg":
		return "image/svg+xml" + utf8
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".gif":
		return "image/gif"
	case ".webp":
		return "image/webp"
	case ".avif":
		return "image/avif"
	case ".ico":
		return "image/x-icon"
	case ".woff2":
		return "font/woff2"
	case ".woff":
		return "font/woff"
	case ".ttf":
		return "font/ttf"
	case ".otf":
		return "font/otf"
	case ".pdf":
		return "application/pdf"
	case ".mp4":
		return "video/mp4"
	case ".webm":
		return "video/webm"
	case ".mp3":
		return "audio/mpeg"
	case ".wasm":
		return "application/wasm"
	}
	return "application/octet-stream"
}
