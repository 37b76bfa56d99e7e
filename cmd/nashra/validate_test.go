package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nashra-press/nashra/internal/testtools"
)

// buildSite runs "nashra build" on src into a new folder and returns it
// with what the build printed on stderr (warnings).
func buildSite(t *testing.T, src string, extra ...string) (string, string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	var stdout, stderr bytes.Buffer
	args := append([]string{"build", "-src", src, "-out", out}, extra...)
	if err := run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("nashra %v: %v\n%s", args, err, stderr.String())
	}
	if !strings.HasPrefix(stdout.String(), "built ") {
		t.Fatalf("no summary line: %q", stdout.String())
	}
	return out, stderr.String()
}

// TestSampleSiteIsValidHTML builds the repository's own site and checks
// every page with the Nu HTML Checker.
func TestSampleSiteIsValidHTML(t *testing.T) {
	testtools.VNUJar(t)
	out, warnings := buildSite(t, testtools.RepoRoot(t))
	if warnings != "" {
		t.Errorf("the sample site builds with warnings:\n%s", warnings)
	}
	testtools.AssertValidHTML(t, out)
}

// TestCorpusIsValidHTML builds the 1,000-post benchmark corpus and checks
// every page with the Nu HTML Checker.
func TestCorpusIsValidHTML(t *testing.T) {
	if testing.Short() {
		t.Skip("slow: builds and validates 1,000 posts")
	}
	testtools.VNUJar(t)
	corpus := testtools.Corpus(t, 1000)
	// The corpus has no config.yaml.
	out, _ := buildSite(t, corpus, "-base-url", "https://example.gov.kz/amman/news/")
	pages := 0
	filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".html") {
			pages++
		}
		return nil
	})
	// 978 published posts, 98 home pages, the tags index, 40 tags with
	// their pages, and the 404 page: well over a thousand.
	if pages < 1100 {
		t.Fatalf("only %d pages built from the corpus", pages)
	}
	testtools.AssertValidHTML(t, out)
}
