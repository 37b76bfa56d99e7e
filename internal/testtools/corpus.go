package testtools

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/nashra-press/nashra/internal/corpus"
)

// RepoRoot returns the repository's root folder (the one holding go.mod),
// found by walking up from the test's working directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's folder")
		}
		dir = parent
	}
}

// Corpus returns a folder holding the deterministic benchmark corpus of n
// posts made by ../shared/bench/gencorpus (seed 1): posts/ and static/
// (see package corpus). Without ../shared beside the repository the test
// is skipped (failed when CI=true).
func Corpus(t testing.TB, n int) string {
	t.Helper()
	root := RepoRoot(t)
	if _, err := corpus.Generator(root); err != nil {
		Unavailable(t, "%v", err)
		return ""
	}
	dir, err := corpus.Ensure(root, n)
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
