package bidi

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
)

// benchPosts reads the posts of testdata/bench (three posts of the
// generated benchmark corpus, seed 1: Arabic with Latin acronyms in
// brackets, numbers, emphasis, links, lists) and returns their bodies and
// the strings that templates pass to HTML: titles, summaries and tags.
func benchPosts(tb testing.TB) (bodies [][]byte, labels []string) {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "bench", "*.md"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no benchmark posts: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		front, body, ok := strings.Cut(strings.TrimPrefix(string(data), "---\n"), "\n---\n")
		if !ok {
			tb.Fatalf("%s: no front matter", f)
		}
		bodies = append(bodies, []byte(body))
		for line := range strings.SplitSeq(front, "\n") {
			key, value, _ := strings.Cut(line, ": ")
			switch key {
			case "title", "summary":
				s, err := strconv.Unquote(value)
				if err != nil {
					tb.Fatalf("%s: %s: %v", f, key, err)
				}
				labels = append(labels, s)
			case "tags":
				for tag := range strings.SplitSeq(strings.Trim(value, "[]"), ", ") {
					s, err := strconv.Unquote(tag)
					if err != nil {
						tb.Fatalf("%s: tags: %v", f, err)
					}
					labels = append(labels, s)
				}
			}
		}
	}
	// The fuzz seeds hold what the corpus lacks: phone numbers, C++,
	// e-mail addresses, English paragraphs, markers, tables.
	bodies = append(bodies, []byte(strings.Join(fuzzSeeds, "\n\n")))
	labels = append(labels, fuzzSeeds...)
	return bodies, labels
}

// BenchmarkConvert converts the benchmark posts with goldmark as
// site/markdown configures it, with the bidi extension and without it:
// the difference is the cost of the bidi pass.
func BenchmarkConvert(b *testing.B) {
	bodies, _ := benchPosts(b)
	size := 0
	for _, body := range bodies {
		size += len(body)
	}
	for _, bc := range []struct {
		name string
		md   goldmark.Markdown
	}{{"bidi", newMarkdown(true)}, {"plain", newMarkdown(false)}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			var out bytes.Buffer
			for b.Loop() {
				for _, body := range bodies {
					out.Reset()
					if err := bc.md.Convert(body, &out); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkHTML runs HTML on the titles, summaries and tag labels of the
// benchmark posts, as the templates do ("corpus"), and on the fuzz seeds,
// which hold far more Latin text ("seeds").
func BenchmarkHTML(b *testing.B) {
	_, labels := benchPosts(b)
	corpus := labels[:len(labels)-len(fuzzSeeds)]
	for _, bc := range []struct {
		name   string
		labels []string
	}{{"corpus", corpus}, {"seeds", fuzzSeeds}} {
		b.Run(bc.name, func(b *testing.B) {
			size := 0
			for _, s := range bc.labels {
				size += len(s)
			}
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, s := range bc.labels {
					_ = HTML(s)
				}
			}
		})
	}
}
