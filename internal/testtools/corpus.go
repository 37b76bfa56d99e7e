package testtools

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
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
// posts made by ../shared/bench/gencorpus (seed 1): posts/ and static/.
// Corpora are kept between runs in the system's temporary folder, keyed by
// n and a hash of the generator's sources, and must not be modified.
// Without ../shared beside the repository the test is skipped (failed
// when CI=true).
func Corpus(t testing.TB, n int) string {
	t.Helper()
	gen := filepath.Join(RepoRoot(t), "..", "shared", "bench", "gencorpus")
	h := sha256.New()
	for _, f := range []string{"main.go", "words.txt", "go.mod"} {
		data, err := os.ReadFile(filepath.Join(gen, f))
		if err != nil {
			Unavailable(t, "the benchmark corpus generator is missing (%v); it lives in ../shared/bench/gencorpus beside the repository", err)
			return ""
		}
		h.Write(data)
	}
	key := fmt.Sprintf("s1-n%d-%s", n, hex.EncodeToString(h.Sum(nil))[:12])
	dir := filepath.Join(os.TempDir(), "nashra-corpus", key)
	if _, err := os.Stat(filepath.Join(dir, "posts")); err == nil {
		return dir
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), key+".tmp-")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "run", ".", "-n", fmt.Sprint(n), "-seed", "1", "-out", tmp)
	cmd.Dir = gen
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(tmp)
		t.Fatalf("generating the corpus: %v\n%s", err, out)
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if _, statErr := os.Stat(filepath.Join(dir, "posts")); statErr != nil {
			t.Fatal(err)
		}
	}
	return dir
}
