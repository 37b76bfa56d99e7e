package site

import (
	"bufio"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/nashra-press/nashra/internal/testtools"
)

// corpusPosts reads up to n post files of the shared benchmark corpus of
// 1,000 posts into memory.
func corpusPosts(b *testing.B, n int) (names []string, files [][]byte) {
	dir := filepath.Join(testtools.Corpus(b, 1000), PostsDir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		if len(files) == n {
			break
		}
		if e.IsDir() || filepath.Ext(e.Name()) != ".md" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		names = append(names, PostsDir+"/"+e.Name())
		files = append(files, data)
	}
	return names, files
}

// BenchmarkParsePost does what readPost does with the bytes of a post
// file in a cold build: hash them, then parse the post (its front matter);
// one op is one post.
func BenchmarkParsePost(b *testing.B) {
	names, files := corpusPosts(b, 200)
	cfg := DefaultConfig()
	cfg.finish()
	br := bufio.NewReader(nil) // as the loader reuses one per worker
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(files)
		hash := contentHash(files[k])
		if p, d := parsePost(names[k], files[k], hash, &cfg, br); p == nil || len(d.Errors()) > 0 {
			b.Fatalf("%s: %v", names[k], d)
		}
	}
}

// BenchmarkDecodeYAML decodes the front matter of corpus posts with the
// fast path (as decodeFrontMatter does) and with yaml.v3 alone; one op is
// one post.
func BenchmarkDecodeYAML(b *testing.B) {
	_, files := corpusPosts(b, 200)
	var raws []rawFrontMatter
	var offsets []int
	for _, data := range files {
		raw, _, offset, _, err := splitFrontMatter(data, nil)
		if err != nil {
			b.Fatal(err)
		}
		raws, offsets = append(raws, raw), append(offsets, offset)
	}
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			k := i % len(raws)
			if _, err := decodeFrontMatter(raws[k], offsets[k]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("yaml.v3", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			k := i % len(raws)
			if _, err := decodeYAML(raws[k].data, offsets[k]); err != nil {
				b.Fatal(err)
			}
		}
	})
}
