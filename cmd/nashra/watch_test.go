package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nashra-press/nashra/site/output"
)

// checkComplete checks that an output folder is exactly what its
// manifest says (every file there with its bytes, nothing else), that no
// staging folder is left beside it, and that no file holds the preview's
// reload script. It returns the files by path.
func checkComplete(t *testing.T, public string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(public, output.ManifestName))
	if err != nil {
		t.Fatalf("no manifest: %v", err)
	}
	var m struct{ Files map[string]string }
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	err = filepath.WalkDir(public, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(public, p)
		rel = filepath.ToSlash(rel)
		if rel == output.ManifestName {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files[rel] = string(b)
		if m.Files[rel] != output.Hash(b) {
			t.Errorf("%s: not as the manifest says", rel)
		}
		if strings.Contains(string(b), "_nashra/events") {
			t.Errorf("%s holds the preview's reload script", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for rel := range m.Files {
		if _, ok := files[rel]; !ok {
			t.Errorf("%s is in the manifest but missing", rel)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(public))
	for _, e := range entries {
		if strings.Contains(e.Name(), "nashra-staging") {
			t.Errorf("staging folder left: %s", e.Name())
		}
	}
	return files
}

// TestBuildWatch runs `nashra build -watch`: public/ follows the changes,
// is always whole, is left as it was by a failed build, and its own
// writes never start a build.
func TestBuildWatch(t *testing.T) {
	root := smallSite(t)
	public := filepath.Join(root, "public")
	c := startCommand(t, "build", "-watch", "-src", root)
	c.stdout.waitFor(t, "built in ")
	files := checkComplete(t, public)
	if !strings.Contains(files["posts/second/index.html"], "نص الخبر الثاني") {
		t.Fatalf("public/ after the first build: %v", files)
	}

	putFiles(t, root, map[string]string{"posts/second.md": postFile("الخبر الثاني", "2024-12-02", "second", "نص معدّل.")})
	c.stdout.waitFor(t, "rebuilt posts/second.md")
	if files := checkComplete(t, public); !strings.Contains(files["posts/second/index.html"], "نص معدّل.") {
		t.Error("public/ does not have the edited text")
	}

	// The next build is for the next change alone: writing public/ (a
	// swap at the site's root) started no build of its own.
	putFiles(t, root, map[string]string{"posts/first.md": postFile("الخبر الأول", "2024-12-01", "first", "نص آخر.")})
	if line := c.stdout.waitFor(t, "rebuilt"); !strings.HasPrefix(line, "rebuilt posts/first.md in ") {
		t.Errorf("the build after editing first.md: %s", line)
	}

	// A broken post: public/ stays as it was.
	before := checkComplete(t, public)
	putFiles(t, root, map[string]string{"posts/first.md": "---\ntitle: \"الخبر الأول\"\n---\nنص.\n"})
	c.stderr.waitFor(t, "posts/first.md:1:1: the post has no date")
	c.stderr.waitFor(t, "rebuild failed (posts/first.md): 1 error; "+public+" was left as it was")
	if after := checkComplete(t, public); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Error("a failed build changed public/")
	}
	putFiles(t, root, map[string]string{"posts/first.md": postFile("الخبر الأول", "2024-12-01", "first", "نص مصحّح.")})
	c.stdout.waitFor(t, "rebuilt posts/first.md")

	if err := c.stop(t); err != nil {
		t.Errorf("build -watch ended with %v", err)
	}
	if files := checkComplete(t, public); !strings.Contains(files["posts/first/index.html"], "نص مصحّح.") {
		t.Error("public/ after stopping lacks the last change")
	}
	// It left the build cache as build does: build after it renders and
	// writes nothing.
	if rendered, written, _ := buildCounts(t, "-src", root); rendered != 0 || written != 0 {
		t.Errorf("build after build -watch rendered %d pages and wrote %d files, want none", rendered, written)
	}
}

// TestBuildWatchInterrupted stops the real program with SIGINT right
// after a change, while it may be in the middle of the build: public/ is
// whole either way.
func TestBuildWatchInterrupted(t *testing.T) {
	bin := buildBinary(t)
	root := t.TempDir()
	files := map[string]string{}
	for i := 1; i <= 300; i++ {
		files[fmt.Sprintf("posts/p%03d.md", i)] = postFile(fmt.Sprintf("خبر %d", i), fmt.Sprintf("2024-%02d-%02d", 1+i%12, 1+i%28), fmt.Sprintf("p%03d", i), strings.Repeat("نص الخبر. ", 200))
	}
	files["config.yaml"] = "base_url: https://example.gov.kz/news/\n"
	putFiles(t, root, files)
	interrupted := 0
	for round := 0; round < 3; round++ {
		cmd := exec.Command(bin, "build", "-watch", "-v", "-src", root)
		out := newLines()
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		out.waitFor(t, "built in ")
		// A change that rewrites every page, and Ctrl-C once its build
		// has started.
		putFiles(t, root, map[string]string{"config.yaml": fmt.Sprintf("title: \"عنوان %d\"\nbase_url: https://example.gov.kz/news/\n", round)})
		out.waitFor(t, "building (config.yaml changed)")
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			t.Fatal(err)
		}
		if err := waitProcess(t, cmd); err != nil {
			t.Errorf("round %d: exit %v\n%s", round, err, out.String())
		}
		t.Logf("round %d: %s", round, out.waitFor(t, "stopped"))
		if strings.Contains(out.String(), "interrupted") {
			interrupted++
		}
		checkComplete(t, filepath.Join(root, "public"))
	}
	t.Logf("%d of 3 builds were interrupted in the middle", interrupted)
}
