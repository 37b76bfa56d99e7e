package site_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/nashra-press/nashra/site"
	"github.com/nashra-press/nashra/site/output"
)

// postsFS returns a site with n posts dated one day apart; post i (from 1)
// has slug p<i>, so p<n> is the newest.
func postsFS(n int, tags string) fstest.MapFS {
	src := fstest.MapFS{}
	for i := 1; i <= n; i++ {
		src[fmt.Sprintf("posts/p%d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"---\ntitle: \"خبر %d\"\ndate: 2024-01-%02d\ntags: [%s]\n---\nنص الخبر %d.\n", i, i, tags, i))}
	}
	return src
}

func TestPaginationEdges(t *testing.T) {
	// Expected pages of the home list, newest first, 10 per page; written
	// out by hand for each size.
	cases := []struct {
		posts int
		pages [][]string // slugs on each page
	}{
		{0, [][]string{{}}},
		{1, [][]string{{"p1"}}},
		{10, [][]string{{"p10", "p9", "p8", "p7", "p6", "p5", "p4", "p3", "p2", "p1"}}},
		{11, [][]string{{"p11", "p10", "p9", "p8", "p7", "p6", "p5", "p4", "p3", "p2"}, {"p1"}}},
		{21, [][]string{
			{"p21", "p20", "p19", "p18", "p17", "p16", "p15", "p14", "p13", "p12"},
			{"p11", "p10", "p9", "p8", "p7", "p6", "p5", "p4", "p3", "p2"},
			{"p1"}}},
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.posts), func(t *testing.T) {
			out := output.NewMemory()
			res, err := site.Generate(context.Background(), postsFS(c.posts, "CICA"), out, site.Options{Theme: testTheme(t), BaseURL: "https://example.org/"})
			if err != nil {
				t.Fatal(err)
			}
			if res.Posts != c.posts {
				t.Errorf("published %d posts, want %d", res.Posts, c.posts)
			}
			for prefix, wantTag := range map[string]bool{"": false, "tags/cica/": true} {
				if wantTag && c.posts == 0 {
					if _, ok := out.File("tags/cica/index.html"); ok {
						t.Error("a tag with no posts got a page")
					}
					continue
				}
				total := len(c.pages)
				for n, slugs := range c.pages {
					path := prefix + "index.html"
					if n > 0 {
						path = fmt.Sprintf("%spage/%d/index.html", prefix, n+1)
					}
					data, ok := out.File(path)
					if !ok {
						t.Fatalf("%s missing", path)
					}
					var got []string
					for _, line := range strings.Split(string(data), "\n") {
						if rest, ok := strings.CutPrefix(line, "- "); ok {
							got = append(got, strings.Fields(rest)[0])
						}
					}
					if strings.Join(got, " ") != strings.Join(slugs, " ") {
						t.Errorf("%s lists %v, want %v", path, got, slugs)
					}
					prev, next := "", ""
					if n == 1 {
						prev = "/" + prefix
					} else if n > 1 {
						prev = fmt.Sprintf("/%spage/%d/", prefix, n)
					}
					if n+1 < total {
						next = fmt.Sprintf("/%spage/%d/", prefix, n+2)
					}
					wantPager := fmt.Sprintf("pager %d/%d first=/%s prev=%s next=%s", n+1, total, prefix, prev, next)
					if !strings.Contains(string(data), wantPager) {
						t.Errorf("%s: no %q in\n%s", path, wantPager, data)
					}
				}
				extra := fmt.Sprintf("%spage/%d/index.html", prefix, total+1)
				if _, ok := out.File(extra); ok {
					t.Errorf("%s exists beyond the last page", extra)
				}
				if _, ok := out.File(prefix + "page/1/index.html"); ok {
					t.Errorf("%spage/1/ duplicates the first page", prefix)
				}
			}
		})
	}
}

func TestDeterministicOutput(t *testing.T) {
	src := postsFS(25, "CICA, Jordan")
	// Same dates for several posts: ties are broken by slug.
	for i := 1; i <= 5; i++ {
		src[fmt.Sprintf("posts/same%d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf("---\ntitle: \"خبر\"\ndate: 2024-02-01\nslug: same-%d\n---\nنص.\n", 6-i))}
	}
	var first map[string]string
	for run := 0; run < 3; run++ {
		out := output.NewMemory()
		if _, err := site.Generate(context.Background(), src, out, site.Options{Theme: testTheme(t), BaseURL: "https://example.org/"}); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, p := range out.Paths() {
			d, _ := out.File(p)
			got[p] = string(d)
		}
		if first == nil {
			first = got
			home := got["index.html"]
			order := []string{"same-1", "same-2", "same-3", "same-4", "same-5", "p25"}
			last := -1
			for _, s := range order {
				i := strings.Index(home, "- "+s+" ")
				if i < last {
					t.Fatalf("posts with equal dates not ordered by slug:\n%s", home)
				}
				last = i
			}
			continue
		}
		if fmt.Sprint(got) != fmt.Sprint(first) {
			t.Fatal("two builds of the same input differ")
		}
	}
}

// TestNewPagerWindow compares the links NewPager keeps with the rule it
// documents, for every page of lists up to 40 pages long.
func TestNewPagerWindow(t *testing.T) {
	for total := 1; total <= 40; total++ {
		for cur := 1; cur <= total; cur++ {
			p := site.NewPager(cur, total, func(n int) string { return fmt.Sprint(n) })
			var want []string
			for n := 1; n <= total; n++ {
				near := n >= cur-2 && n <= cur+2
				edge := n == 1 || n == total || n == 2 && cur == 5 || n == total-1 && cur == total-4
				switch {
				case near || edge:
					want = append(want, fmt.Sprint(n))
				case n == cur-3 || n == cur+3:
					want = append(want, "…")
				}
			}
			var got []string
			for _, l := range p.Pages {
				if l.Gap {
					got = append(got, "…")
				} else {
					got = append(got, l.URL)
					if l.Current != (l.Number == cur) {
						t.Errorf("%d of %d: link %d Current=%v", cur, total, l.Number, l.Current)
					}
				}
			}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("%d of %d: links %v, want %v", cur, total, got, want)
			}
		}
	}
}
