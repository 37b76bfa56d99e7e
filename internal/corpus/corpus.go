// Package corpus makes the deterministic benchmark corpus of the shared
// bench folder (../shared/bench/gencorpus beside the repository): Arabic
// posts with front matter, tags, links, drafts and cover images. Tests
// and the benchmark driver build the same sites from it.
package corpus

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Generator returns the folder of the corpus generator for a repository
// root, and an error when it is missing.
func Generator(repoRoot string) (string, error) {
	gen := filepath.Join(repoRoot, "..", "shared", "bench", "gencorpus")
	if _, err := os.Stat(filepath.Join(gen, "main.go")); err != nil {
		return "", fmt.Errorf("the benchmark corpus generator is missing (%v); it lives in ../shared/bench/gencorpus beside the repository", err)
	}
	return gen, nil
}

// Ensure returns a folder holding the corpus of n posts (seed 1): posts/,
// static/ and hugo-mounts.toml (for the equivalent Hugo site). Corpora are
// kept in the system's temporary folder, keyed by n and a hash of the
// generator's sources; they must not be modified.
func Ensure(repoRoot string, n int) (string, error) {
	gen, err := Generator(repoRoot)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	for _, f := range []string{"main.go", "words.txt", "go.mod"} {
		data, err := os.ReadFile(filepath.Join(gen, f))
		if err != nil {
			return "", err
		}
		h.Write(data)
	}
	key := fmt.Sprintf("s1-n%d-%s", n, hex.EncodeToString(h.Sum(nil))[:12])
	dir := filepath.Join(os.TempDir(), "nashra-corpus", key)
	if _, err := os.Stat(filepath.Join(dir, "hugo-mounts.toml")); err == nil {
		return dir, nil
	}
	if _, err := os.Stat(filepath.Join(dir, "posts")); err == nil {
		// Made by an older version of this function.
		return dir, writeMounts(dir, dir)
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), key+".tmp-")
	if err != nil {
		return "", err
	}
	cmd := exec.Command("go", "run", ".", "-n", fmt.Sprint(n), "-seed", "1", "-out", tmp)
	cmd.Dir = gen
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(tmp)
		return "", fmt.Errorf("generating the corpus: %v\n%s", err, out)
	}
	if err := writeMounts(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if _, statErr := os.Stat(filepath.Join(dir, "hugo-mounts.toml")); statErr != nil {
			return "", err
		}
	}
	return dir, nil
}

// writeMounts writes into folder the Hugo module mounts of the corpus
// that will live at dir.
func writeMounts(folder, dir string) error {
	mounts := fmt.Sprintf("[module]\n[[module.mounts]]\nsource = %q\ntarget = \"content/posts\"\n"+
		"[[module.mounts]]\nsource = %q\ntarget = \"static\"\n[[module.mounts]]\nsource = \"layouts\"\ntarget = \"layouts\"\n",
		filepath.Join(dir, "posts"), filepath.Join(dir, "static"))
	return os.WriteFile(filepath.Join(folder, "hugo-mounts.toml"), []byte(mounts), 0o644)
}
