package site_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"github.com/nashra-press/nashra/internal/testtools"
	"github.com/nashra-press/nashra/layouts"
	"github.com/nashra-press/nashra/site"
	"github.com/nashra-press/nashra/site/output"
)

// serveSample builds the sample site for base URL http://HOST/prefix/ into
// a real folder and serves it there, on 127.0.0.1, as a host serves a
// news section that lives under the embassy's own site: nothing is served
// outside prefix. It returns the base URL and the folder.
func serveSample(t *testing.T, prefix string) (string, string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String() + prefix
	dir := filepath.Join(t.TempDir(), "public")
	out, err := output.Open(dir, output.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := site.Generate(context.Background(), sampleSite(), out, site.Options{BaseURL: base, Theme: layouts.FS}); err != nil {
		out.Abort()
		t.Fatal(err)
	}
	if _, err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle(prefix, http.StripPrefix(strings.TrimSuffix(prefix, "/"), http.FileServer(http.Dir(dir))))
	srv := &http.Server{Handler: mux}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("server: %v", err)
		}
	}()
	t.Cleanup(func() { _ = srv.Close() })
	return base, dir
}

// TestServedUnderSubPath builds the sample site for
// http://127.0.0.1:PORT/amman/news/, serves it only under that path, and
// follows every link, asset, feed, feed entry and link in feed content,
// canonical URL, Open Graph and JSON-LD URL, icon, manifest entry, font
// and sitemap entry: each must be under the path and answer 200 without
// a redirect. The pages are then checked with the Nu HTML Checker.
func TestServedUnderSubPath(t *testing.T) {
	const prefix = "/amman/news/"
	base, dir := serveSample(t, prefix)
	baseURL, _ := url.Parse(base)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	type link struct{ url, from string }
	queue := []link{{base, "start"}, {base + "sitemap.xml", "start"}, {base + "robots.txt", "start"}}
	seen := map[string]bool{}
	kinds := map[string]int{}
	enqueue := func(from *url.URL, ref string) {
		u, err := from.Parse(strings.TrimSpace(ref))
		if err != nil {
			t.Errorf("%s: bad URL %q", from, ref)
			return
		}
		if u.Host != baseURL.Host || (u.Scheme != "http" && u.Scheme != "https") {
			return // another site
		}
		u.Fragment = ""
		if !strings.HasPrefix(u.Path, prefix) {
			t.Errorf("%s links to %s, outside %s", from, u, prefix)
			return
		}
		queue = append(queue, link{u.String(), from.String()})
	}
	jsonURLs := regexp.MustCompile(`"(https?://[^"]+)"`)
	cssURLs := regexp.MustCompile(`url\(\s*['"]?([^'")]+)['"]?\s*\)`)
	for len(queue) > 0 {
		l := queue[0]
		queue = queue[1:]
		if seen[l.url] {
			continue
		}
		seen[l.url] = true
		resp, err := client.Get(l.url)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s (linked from %s): %s", l.url, l.from, resp.Status)
			continue
		}
		from, _ := url.Parse(l.url)
		path := from.Path
		switch {
		case strings.HasSuffix(path, "/"):
			kinds["page"]++
			doc, err := html.Parse(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			var walk func(n *html.Node)
			walk = func(n *html.Node) {
				if n.Type == html.ElementNode {
					for _, a := range n.Attr {
						switch {
						case a.Key == "href" || a.Key == "src":
							enqueue(from, a.Val)
						case a.Key == "srcset":
							for _, c := range strings.Split(a.Val, ",") {
								enqueue(from, strings.Fields(c)[0])
							}
						case a.Key == "content" && absolute(a.Val):
							enqueue(from, a.Val) // og:url, og:image
						}
					}
					if n.Data == "script" && n.FirstChild != nil {
						for _, m := range jsonURLs.FindAllStringSubmatch(n.FirstChild.Data, -1) {
							enqueue(from, m[1])
						}
					}
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c)
				}
			}
			walk(doc)
		case strings.HasSuffix(path, "feed.xml"), strings.HasSuffix(path, "rss.xml"), strings.HasSuffix(path, "feed.json"):
			kinds["feed"]++
			f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("%s: %v", l.url, err)
			}
			enqueue(from, f.Link)
			enqueue(from, f.FeedLink)
			if f.Image != nil {
				enqueue(from, f.Image.URL)
			}
			for _, it := range f.Items {
				enqueue(from, it.Link)
				for _, u := range urlsIn(t, it.Content+it.Description) {
					enqueue(from, u)
				}
			}
		case strings.HasSuffix(path, "sitemap.xml"):
			var set struct {
				Locs []string `xml:"url>loc"`
			}
			if err := xml.Unmarshal(body, &set); err != nil {
				t.Fatal(err)
			}
			kinds["sitemap entry"] += len(set.Locs)
			for _, loc := range set.Locs {
				enqueue(from, loc)
			}
		case strings.HasSuffix(path, "robots.txt"):
			for _, line := range strings.Split(string(body), "\n") {
				if rest, ok := strings.CutPrefix(line, "Sitemap: "); ok {
					enqueue(from, rest)
				}
			}
		case strings.HasSuffix(path, ".css"):
			kinds["stylesheet"]++
			for _, m := range cssURLs.FindAllStringSubmatch(string(body), -1) {
				if !strings.HasPrefix(m[1], "data:") {
					enqueue(from, m[1])
				}
			}
		case strings.HasSuffix(path, ".webmanifest"):
			kinds["manifest"]++
			var m struct {
				StartURL string `json:"start_url"`
				Scope    string `json:"scope"`
				Icons    []struct {
					Src string `json:"src"`
				} `json:"icons"`
			}
			if err := json.Unmarshal(body, &m); err != nil {
				t.Fatalf("%s: %v", l.url, err)
			}
			enqueue(from, m.StartURL)
			enqueue(from, m.Scope)
			for _, ic := range m.Icons {
				enqueue(from, ic.Src)
			}
		default:
			kinds["file"]++
		}
	}
	t.Logf("followed %d URLs: %v", len(seen), kinds)
	// Everything was reached: every page, every feed, the manifest.
	if kinds["page"] != 24 || kinds["feed"] != 21 || kinds["manifest"] != 1 || kinds["sitemap entry"] != 24 {
		t.Errorf("reached %v; the sample site has 24 pages besides 404, 21 feeds (3 + 2 for each of 9 tags) and a manifest", kinds)
	}
	for _, must := range []string{"icons/favicon-32.png", "icons/apple-touch-icon.png", "icons/icon-192.png", "icons/icon-512.png", "posts/independence-day-reception/photo.jpg", "images/embassy-logo.png"} {
		if !slices.ContainsFunc(mapKeys(seen), func(u string) bool { return strings.HasPrefix(u, base+must) }) {
			t.Errorf("nothing links to %s", must)
		}
	}
	testtools.AssertValidHTML(t, dir)
}

func mapKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
