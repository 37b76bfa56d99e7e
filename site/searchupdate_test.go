package site_test

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/nashra-press/nashra/site"
)

// shardReads is a keepingOutput that counts the files of the search
// dictionaries that a build reads back from the previous build.
type shardReads struct {
	*keepingOutput
	mu    sync.Mutex
	reads map[string]int // by kind: "index.json", "shard"
}

func (o *shardReads) Previous(rel string) ([]byte, bool) {
	o.mu.Lock()
	switch {
	case rel == "search/index.json":
		o.reads["index.json"]++
	case strings.HasPrefix(rel, "search/s/") || strings.HasPrefix(rel, "search/w/"):
		o.reads["shard"]++
	}
	o.mu.Unlock()
	return o.keepingOutput.Previous(rel)
}

// wordyPosts is n posts, each with words of its own besides shared ones,
// so that the dictionaries take several shards.
func wordyPosts(n int) fstest.MapFS {
	src := fstest.MapFS{}
	for i := 1; i <= n; i++ {
		var body strings.Builder
		fmt.Fprintf(&body, "زار الوفد الأردن وبحث التعاون في سيكا، الخبر %d.", i)
		for w := range 100 {
			body.WriteString(" " + letterWord(i*100+w))
		}
		// Words shared by every second post, every third…: entries of
		// many lengths.
		for w := range 50 {
			if i%(w+2) == 0 {
				body.WriteString(" " + letterWord(100000+w*977))
			}
		}
		src[fmt.Sprintf("posts/p%d.md", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(
			"---\ntitle: \"خبر %d\"\ndate: 2024-%02d-%02d\ntags: [CICA]\n---\n%s\n", i, 1+i/28, 1+i%28, body.String()))}
	}
	return src
}

// letterWord spells n in Arabic letters: a word of its own for each n.
func letterWord(n int) string {
	letters := []rune("بتثجحخدذرزسشصضطظعغفقكلمنهي")
	w := []rune("س")
	for ; n > 0; n /= len(letters) {
		w = append(w, letters[n%len(letters)])
	}
	return string(append(w, 'ك'))
}

// searchIndexFiles returns the files of the search index of out.
func searchIndexFiles(out *keepingOutput) map[string]string {
	m := map[string]string{}
	for p, d := range out.files {
		if strings.HasPrefix(p, "search/") {
			m[p] = string(d)
		}
	}
	return m
}

// TestSearchIndexUpdates changes a site in the ways a site changes, and
// after each change wants the search index of a rebuild with the cache
// and the previous output to be byte for byte the index of a build from
// scratch. When posts keep their numbers, the rebuild updates the
// dictionaries, reading fewer shards than there are.
func TestSearchIndexUpdates(t *testing.T) {
	src := wordyPosts(200)
	cache := site.NewCache()
	out := &shardReads{keepingOutput: newKeepingOutput()}
	var res *site.Result
	build := func(t *testing.T) {
		t.Helper()
		out.reads = map[string]int{}
		res = rebuild(t, src, out, cache)
	}
	// compare wants the index from scratch, and returns the number of
	// shards.
	compare := func(t *testing.T) int {
		t.Helper()
		fresh := newKeepingOutput()
		rebuild(t, src, fresh, site.NewCache())
		want, got := searchIndexFiles(fresh), searchIndexFiles(out.keepingOutput)
		shards := 0
		for p, d := range want {
			if got[p] != d {
				t.Errorf("%s differs from a build from scratch (present: %v)", p, got[p] != "")
			}
			if strings.HasPrefix(p, "search/s/") || strings.HasPrefix(p, "search/w/") {
				shards++
			}
		}
		for p := range got {
			if _, ok := want[p]; !ok {
				t.Errorf("%s is not in a build from scratch", p)
			}
		}
		return shards
	}
	// updated wants the dictionaries updated from the previous build's
	// (index.json read back), reading fewer shards than there are when
	// few is set. (A shard cut elsewhere than before moves the cuts of
	// the next shards until one falls where it was; with the test's
	// words, many of one length, that can be the last shard.)
	updated := func(t *testing.T, shards int, few bool) {
		t.Helper()
		if res.SearchDictionaries != "updated" {
			t.Errorf("dictionaries %s, want updated", res.SearchDictionaries)
		}
		if out.reads["index.json"] != 1 || few && out.reads["shard"] >= shards {
			t.Errorf("read back index.json %d times and %d of %d shards, want 1 and fewer", out.reads["index.json"], out.reads["shard"], shards)
		}
	}
	edit := func(t *testing.T, name, old, new string) {
		t.Helper()
		data := src[name].Data
		if !bytes.Contains(data, []byte(old)) {
			t.Fatalf("%s does not hold %q", name, old)
		}
		src[name] = &fstest.MapFile{Data: bytes.Replace(data, []byte(old), []byte(new), 1)}
	}

	build(t)
	if shards := compare(t); shards < 6 {
		t.Fatalf("the dictionaries take %d shards, want several", shards)
	}

	steps := []struct {
		name string
		// change changes src.
		change func(t *testing.T)
		// update says whether the dictionaries are updated, as when
		// posts keep their numbers or few move; few whether from fewer
		// shards than there are.
		update, few bool
	}{
		{"edit", func(t *testing.T) {
			edit(t, "posts/p70.md", "الخبر 70.", "الخبر السبعون عن الطاقة المتجددة.")
		}, true, true},
		{"title", func(t *testing.T) {
			edit(t, "posts/p71.md", `title: "خبر 71"`, `title: "الطاقة في العنوان"`)
		}, true, true},
		{"word gone", func(t *testing.T) { edit(t, "posts/p72.md", " "+letterWord(7205)+" ", " ") }, true, true},
		{"new post, newest", func(*testing.T) {
			src["posts/new.md"] = &fstest.MapFile{Data: []byte("---\ntitle: \"خبر جديد\"\ndate: 2025-01-01\n---\nنص مفردة_فريدة جديدة.\n")}
		}, true, false},
		{"new post, old date", func(*testing.T) {
			src["posts/old.md"] = &fstest.MapFile{Data: []byte("---\ntitle: \"خبر قديم\"\ndate: 2024-03-10\n---\nنص قديم عن الأرشيف.\n")}
		}, true, false},
		{"newest post deleted", func(*testing.T) { delete(src, "posts/new.md") }, true, false},
		{"old post deleted", func(*testing.T) { delete(src, "posts/p20.md") }, true, false},
		{"rename", func(*testing.T) { src["posts/renamed.md"] = src["posts/p30.md"]; delete(src, "posts/p30.md") }, true, true},
		{"new post among the newest", func(*testing.T) {
			src["posts/late.md"] = &fstest.MapFile{Data: []byte("---\ntitle: \"خبر متأخر\"\ndate: 2024-07-29\n---\nنص متأخر.\n")}
		}, true, false},
		{"post among the newest deleted", func(*testing.T) { delete(src, "posts/p198.md") }, true, false},
		{"tag", func(t *testing.T) { edit(t, "posts/p40.md", "tags: [CICA]", "tags: [CICA, Jordan]") }, true, true},
		{"draft", func(t *testing.T) { edit(t, "posts/p50.md", "tags:", "draft: true\ntags:") }, true, false},
		{"draft again published", func(t *testing.T) { edit(t, "posts/p50.md", "draft: true\n", "") }, true, false},
		{"config", func(*testing.T) {
			src[site.ConfigFile] = &fstest.MapFile{Data: []byte("tags:\n  CICA:\n    slug: cica\n    label: \"سيكا الجديدة\"\n")}
		}, false, false},
		{"edit after config", func(t *testing.T) { edit(t, "posts/p90.md", "الخبر 90.", "الخبر التسعون.") }, true, false},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			step.change(t)
			build(t)
			shards := compare(t)
			if step.update {
				updated(t, shards, step.few)
			}
		})
	}

	// A shard lost from the output: the next edit builds the dictionaries
	// whole, and the same.
	for p := range out.files {
		if strings.HasPrefix(p, "search/s/") {
			delete(out.files, p)
			break
		}
	}
	edit(t, "posts/p100.md", "الخبر 100.", "الخبر المئة.")
	build(t)
	compare(t)
	if res.SearchDictionaries != "merged" {
		t.Errorf("with a shard lost, dictionaries %s, want merged", res.SearchDictionaries)
	}

	// The cache saved and read back, as between two runs of nashra build:
	// an edit still updates the dictionaries.
	cache = saveAndRead(t, cache)
	edit(t, "posts/p110.md", "الخبر 110.", "الخبر مئة وعشرة.")
	build(t)
	updated(t, compare(t), true)
}
